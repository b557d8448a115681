"""Choose how a follow-up's reader prefers the sentences near the last answer (``SENTENCE_NEAR``
in ``qa/read/answering.py``) and the sentences that match its resolved query
(``SENTENCE_EVIDENCE``), and how much those bonuses rank its passages (``SENTENCE_IN_RANKING``),
on the held-out fifth of the Abg-CoQA training stories.

In a conversation about a text the next answer is most often in the sentence the last answer
quoted (44% of the Abg-CoQA training conversations' follow-ups, by their gold rationales: "What
did he do with it?" after "What did he borrow?") or just after it (17%). Each conversation is
asked as qa asks it, with no bonus; for every follow-up target turn that qa answered, the
reader's scores of each passage it read are recorded with each sentence's distance from the last
answer's quote, its match with the query (``Retriever.sentence_evidence``) and whether it holds
the gold rationale. The bonuses (distances -1, 0, 1, 2) and the weight of the match are chosen
first, on a coarse grid, for the most first-citation hits in the passage quoted without them;
then, with those, the share of the chosen sentence's bonus in the passages' ranking. Each choice
is the first of the best in grid order (the smallest). Questions refused count as misses whatever
the bonuses. The stories of the other four fifths are the reader's training data (its scores
there are optimistic); ``--train`` reports them beside, as a check of direction.

    python -m training.fit_sentence_near [--cache DIR] [--train]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np

from bench.validation import build, coqa_records, indexed, name_of, opened, overlaps
from qa.read import answering
from qa.read.reader import best_span
from qa.read.reading import sentence_tokens

GRID = (0.0, 1.0, 2.0, 3.0, 5.0, 8.0)
DISTANCES = (-1, 0, 1, 2)
EVIDENCE_GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)
RANKING_GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)


class Passage(NamedTuple):
    """A passage a follow-up's reader read: its scores and, per token of its best window, its
    sentence's distance (an index into DISTANCES, or len(DISTANCES) for others), match with the
    query, and whether it holds the gold rationale."""

    ranked: float  # the reader's score plus RETRIEVAL_WEIGHT times retrieval's: the order without bonuses
    start: np.ndarray
    end: np.ndarray
    distance: np.ndarray
    match: np.ndarray
    hit: np.ndarray


def record(folder: Path, held_out: bool) -> tuple[list[list[Passage] | None], int]:
    """For each follow-up target that qa answered, the passages its reader read, best first (the
    one quoted without bonuses first); and the number of records asked."""
    records = coqa_records(held_out)
    qa = opened(build(folder, {name_of(r["story"]): r["story"] for r in records}))
    records, _ = indexed(qa, records, lambda r: r["story"])
    reader, answerer = qa.answerer.reader, qa.answerer
    assert not reader.scores_sentences, "a reader with a sentence head: fit its sentence scores instead"
    seen: dict[str, tuple] = {}  # passage text: its best window and scores
    best_window = reader.best_window

    def recording(question, text, history):
        seen[text] = best_window(question, text, history)
        return seen[text]

    reader.best_window = recording
    rank, read = qa.retriever.rank, answerer.read
    last: dict = {}

    def ranking(*args, **kwargs):
        last["ranking"] = rank(*args, **kwargs)
        return last["ranking"]

    def reading(*args, **kwargs):
        last["evidence"] = read(*args, **kwargs)
        return last["evidence"]

    qa.retriever.rank, answerer.read = ranking, reading
    slot = {d: i for i, d in enumerate(DISTANCES)}
    out: list[list[Passage] | None] = []
    for r in records:
        chat = qa.conversation(doc=name_of(r["story"]))
        for turn in r["history_turns"]:
            chat.ask(turn["question"])
        followup = chat.history.read(r["target_turn"]["question"])
        seen.clear()
        answer = chat.ask(r["target_turn"]["question"])
        near = answerer.near_sentences(followup.anchors) if followup.context is not None else {}
        if not answer.citations or answer.citations[0].doc not in near:
            out.append(None)  # refused, or not read as a follow-up: the bonuses cannot change it
            continue
        passages = []
        for row, ranked in zip(last["evidence"].rows, last["evidence"].scores.tolist()):
            passage = qa.index.passages[row]
            _, window, start_scores, end_scores = seen[passage.text]
            numbers = qa.retriever.sentences_of([row])
            spans = [(s - passage.start, e - passage.start) for _, s, e in qa.index.sentences[numbers].tolist()]
            within, which = sentence_tokens(window, spans)
            gold = (r["target_turn"]["span_start"] - passage.start, r["target_turn"]["span_end"] - passage.start)
            distance = np.array([len(DISTANCES), *(slot.get(int(numbers[k]) - near[passage.doc], len(DISTANCES)) for k in which)])
            match = np.array([0.0, *qa.retriever.sentence_evidence(last["ranking"], numbers[which])])
            hit = np.array([False, *(overlaps(spans[k], gold) for k in which)])
            passages.append(Passage(ranked, start_scores, end_scores, distance[within + 1], match[within + 1], hit[within + 1]))
        out.append(passages)
    return out, len(records)


def hits(targets: list[list[Passage] | None], near: dict[int, float], evidence: float = 0.0, ranking: float = 0.0) -> int:
    """First-citation hits with the bonuses ``near`` and the match weighted ``evidence`` (the
    sentence of the span's start is quoted), the passages ranked with ``ranking`` times the
    bonus of the sentence chosen in each (without it, the first passage is quoted)."""
    table = np.array([*(near.get(d, 0.0) for d in DISTANCES), 0.0])
    total = 0
    for target in targets:
        if target is None:
            continue
        best = None
        for p in target if ranking else target[:1]:
            bonus = table[p.distance] + evidence * p.match
            i = best_span(p.start + bonus, p.end)[0]
            score = p.ranked + ranking * bonus[i]
            if best is None or score > best[0]:
                best = (score, bool(p.hit[i]))
        total += best[1]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=None, help="keep the stories' indexes here and reuse them")
    parser.add_argument("--train", action="store_true", help="also report on the other four fifths (the reader's training stories)")
    args = parser.parse_args()
    # recorded without the bonuses, which are then chosen
    answering.SENTENCE_NEAR, answering.SENTENCE_EVIDENCE, answering.SENTENCE_IN_RANKING = {}, 0.0, 0.0
    with tempfile.TemporaryDirectory(prefix="qa-near-") as scratch:
        cache = args.cache or Path(scratch)
        sets = {"fifth": record(cache / "coqa", True)}
        if args.train:
            sets["train"] = record(cache / "coqa-train", False)
    grid = [(dict(zip(DISTANCES, values)), evidence) for evidence in EVIDENCE_GRID for values in itertools.product(GRID, repeat=len(DISTANCES))]
    fifth, _ = sets["fifth"]
    scored = np.array([hits(fifth, near, evidence) for near, evidence in grid])
    near, evidence = grid[int(np.argmax(scored))]  # the first of the best: the smallest, in grid order
    ranked = [hits(fifth, near, evidence, weight) for weight in RANKING_GRID]  # then, with those, the ranking's share
    ranking = RANKING_GRID[int(np.argmax(ranked))]
    report = {"chosen": {"SENTENCE_NEAR": near, "SENTENCE_EVIDENCE": evidence, "SENTENCE_IN_RANKING": ranking}}
    for name, (targets, n) in sets.items():
        report[name] = {"records": n, "follow-ups quoted": sum(1 for t in targets if t is not None),
                        "first citation, no bonus": round(hits(targets, {}) / n, 3),
                        "first citation, near only": round(hits(targets, near) / n, 3),
                        "first citation, sentence bonuses": round(hits(targets, near, evidence) / n, 3),
                        "first citation, chosen": round(hits(targets, near, evidence, ranking) / n, 3)}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
