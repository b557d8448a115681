"""Choose how much a follow-up prefers the sentences near the last answer (``SENTENCE_NEAR`` in
``qa/read/answering.py``) and the sentences that match its resolved query (``SENTENCE_EVIDENCE``),
on the held-out fifth of the Abg-CoQA training stories.

In a conversation about a text the next answer is most often in the sentence the last answer
quoted (44% of the Abg-CoQA training conversations' follow-ups, by their gold rationales: "What
did he do with it?" after "What did he borrow?") or just after it (17%). Each conversation is asked as qa asks it, with
``SENTENCE_NEAR`` at zero; for every follow-up target turn the reader's sentence scores of the
passage it quoted are recorded with each sentence's distance from the last answer's quote, its
match with the query (``Retriever.sentence_evidence``) and whether it holds the gold rationale.
The bonuses (distances -1, 0, 1, 2) and the weight of the match are then chosen on a coarse grid
for the most first-citation hits (the first of the best in grid order: the smallest). Questions refused count as misses whatever the
bonuses. The stories of the other four fifths are the reader's training data (its sentence
scores there are optimistic); ``--train`` reports them beside, as a check of direction.

    python -m training.fit_sentence_near [--cache DIR] [--train]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from pathlib import Path

import numpy as np

from bench.validation import TRAIN, build, indexed, name_of, opened, overlaps
from qa.read import answering
from qa.read.reader import best_span
from qa.read.reading import sentence_tokens
from training.train_reader import coqa_held_out

GRID = (0.0, 1.0, 2.0, 3.0, 5.0, 8.0)
DISTANCES = (-1, 0, 1, 2)
EVIDENCE_GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)


# start, end scores; each token's distance (an index into DISTANCES, or len(DISTANCES) for others);
# each token's sentence's match with the query; each token's hit
Target = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def record(folder: Path, held_out: bool) -> tuple[list[Target | None], int]:
    """For each follow-up target quoted from a passage, the reader's best window of that passage:
    its tokens' start and end scores, each token's sentence's distance (in sentences) from the
    last answer's quote, its match with the query, and whether it holds the gold rationale; and
    the number of records asked."""
    records = [r for r in json.loads((TRAIN / "abg-coqa-test.json").read_text(encoding="utf-8"))["data"] if coqa_held_out(r["story"]) == held_out]
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
    rank = qa.retriever.rank
    rankings = []

    def ranking(*args, **kwargs):
        rankings[:] = [rank(*args, **kwargs)]
        return rankings[0]

    qa.retriever.rank = ranking
    rows = {(p.doc, p.id): row for row, p in enumerate(qa.index.passages)}
    out: list[Target | None] = []
    for r in records:
        chat = qa.conversation(doc=name_of(r["story"]))
        for turn in r["history_turns"]:
            chat.ask(turn["question"])
        reading = chat.history.read(r["target_turn"]["question"])
        seen.clear()
        answer = chat.ask(r["target_turn"]["question"])
        near = answerer.near_sentences(reading.anchors) if reading.context is not None else {}
        if not answer.citations or answer.citations[0].doc not in near:
            out.append(None)  # refused, or not read as a follow-up: the bonuses cannot change it
            continue
        row = rows[answer.citations[0].doc, answer.citations[0].passage]
        passage = qa.index.passages[row]
        _, window, start_scores, end_scores = seen[passage.text]
        numbers = qa.retriever.sentences_of([row])
        spans = [(s - passage.start, e - passage.start) for _, s, e in qa.index.sentences[numbers].tolist()]
        within, which = sentence_tokens(window, spans)
        gold = (r["target_turn"]["span_start"] - passage.start, r["target_turn"]["span_end"] - passage.start)
        slot = {d: i for i, d in enumerate(DISTANCES)}
        distance = np.array([len(DISTANCES), *(slot.get(int(numbers[k]) - near[passage.doc], len(DISTANCES)) for k in which)])
        evidence = np.array([0.0, *qa.retriever.sentence_evidence(rankings[0], numbers[which])])
        hit = np.array([False, *(overlaps(spans[k], gold) for k in which)])
        out.append((start_scores, end_scores, distance[within + 1], evidence[within + 1], hit[within + 1]))
    return out, len(records)


def hits(targets: list[Target | None], near: dict[int, float], evidence: float = 0.0) -> int:
    """First-citation hits with the bonuses ``near`` and the match weighted ``evidence`` (the
    sentence of the span's start is quoted)."""
    table = np.array([*(near.get(d, 0.0) for d in DISTANCES), 0.0])
    total = 0
    for target in targets:
        if target is not None:
            start, end, distance, match, hit = target
            total += bool(hit[best_span(start + table[distance] + evidence * match, end)[0]])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=None, help="keep the stories' indexes here and reuse them")
    parser.add_argument("--train", action="store_true", help="also report on the other four fifths (the reader's training stories)")
    args = parser.parse_args()
    answering.SENTENCE_NEAR, answering.SENTENCE_EVIDENCE = {}, 0.0  # recorded without the bonuses, which are then chosen
    with tempfile.TemporaryDirectory(prefix="qa-near-") as scratch:
        cache = args.cache or Path(scratch)
        sets = {"fifth": record(cache / "coqa", True)}
        if args.train:
            sets["train"] = record(cache / "coqa-train", False)
    grid = [(dict(zip(DISTANCES, values)), evidence) for evidence in EVIDENCE_GRID for values in itertools.product(GRID, repeat=len(DISTANCES))]
    fifth, _ = sets["fifth"]
    scored = np.array([hits(fifth, near, evidence) for near, evidence in grid])
    near, evidence = grid[int(np.argmax(scored))]  # the first of the best: the smallest, in grid order
    report = {"chosen": {"SENTENCE_NEAR": near, "SENTENCE_EVIDENCE": evidence}}
    for name, (targets, n) in sets.items():
        report[name] = {"records": n, "follow-ups quoted": sum(1 for t in targets if t is not None),
                        "first citation, no bonus": round(hits(targets, {}) / n, 3),
                        "first citation, near only": round(hits(targets, near) / n, 3),
                        "first citation, chosen": round(hits(targets, near, evidence) / n, 3)}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
