"""Follow-up questions on real conversations: Abg-CoQA validation (../shared/bench/abg-coqa-val.json).

Protocol: every story is indexed as a document of its own (one index holds them all; each
conversation is restricted to its story). For each record the history questions are asked in
order in one conversation, using the system's own answers, then the target question. A hit is
when the first citation of the target's answer overlaps the gold rationale span. The hit rate is
also given apart for the targets the set marks ambiguous (about one in eight: the question has two
readings, and the rationale is one of them) and for the others.

    python -m bench.abg_coqa [--limit N] [--index DIR] [--learned]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "abg-coqa-val.json"


def story_name(story: str) -> str:
    return hashlib.sha1(story.encode()).hexdigest()[:12] + ".txt"


def build(records: list[dict], folder: Path) -> None:
    """Index every distinct story of ``records`` into ``folder``/index."""
    from qa import library

    docs = folder / "stories"
    docs.mkdir(parents=True, exist_ok=True)
    for record in records:
        path = docs / story_name(record["story"])
        if not path.exists():
            path.write_text(record["story"], encoding="utf-8")
    library.add_paths([docs], folder / "index")


def run(records: list[dict], folder: Path, learned: bool = False) -> dict:
    """Ask every record's conversation (follow-ups read by the learned resolver with ``learned``);
    return hit rates of the target turn's first citation, in all and by the set's ambiguity label."""
    from qa import QA

    qa = QA(folder / "index")
    first = top3 = answered = 0
    by_label: dict[str, list[int]] = {}  # ambiguity label -> [hits, records]
    for record in records:
        chat = qa.conversation(doc=story_name(record["story"]))
        chat.history.learned = learned
        for turn in record["history_turns"]:
            chat.ask(turn["question"])
        answer = chat.ask(record["target_turn"]["question"])
        start, end = record["target_turn"]["span_start"], record["target_turn"]["span_end"]
        cited = [(c.start, c.end) for c in answer.citations]
        answered += answer.answerable
        hit = bool(cited) and cited[0][0] < end and start < cited[0][1]
        first += hit
        counts = by_label.setdefault(record.get("ambiguity", "unlabelled"), [0, 0])
        counts[0] += hit
        counts[1] += 1
        top3 += any(p.start < end and start < p.end for p in answer.passages[:3])
    n = len(records)
    return {
        "records": n,
        "first_citation_hit": round(first / n, 3),
        "passage_hit@3": round(top3 / n, 3),
        "answered": round(answered / n, 3),
        "first_citation_hit_by_ambiguity": {label: {"records": total, "hit": round(hits / total, 3)} for label, (hits, total) in sorted(by_label.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N records")
    parser.add_argument("--index", type=Path, default=None, help="keep the stories' index here (reused)")
    parser.add_argument("--learned", action="store_true", help="read follow-ups with the learned resolver (History.learned)")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found (it lives in ../shared/bench)")
    records = json.loads(args.data.read_text(encoding="utf-8"))["data"][: args.limit]
    with tempfile.TemporaryDirectory(prefix="qa-abg-") as scratch:
        folder = args.index or Path(scratch)
        started = time.perf_counter()
        build(records, folder)
        built = time.perf_counter()
        report = run(records, folder, args.learned)
        report["index_s"] = round(built - started, 1)
        report["ask_s"] = round(time.perf_counter() - built, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
