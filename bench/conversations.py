"""The own conversation set: 35 conversations over the bundled article and a second text.

``tests/data/conversations.jsonl`` (written before the resolver was trained, never tuned on)
holds multi-turn conversations over ``qa/data/belarus-azerbaijan-talks.txt`` and
``tests/data/nixon-china-1972.txt``, both indexed together; every turn has its supporting
passage, its answer and a standalone rewrite. Reported: turn hit@1 and answers right as the
conversation asks them, hit@1 of the rewrites asked alone, and what the resolver adds to a
follow-up's answering time (milliseconds per follow-up, median and 90th percentile).

    python -m bench.conversations [--misses] [--learned]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CONVERSATIONS = ROOT / "tests" / "data" / "conversations.jsonl"
SECOND_TEXT = ROOT / "tests" / "data" / "nixon-china-1972.txt"


def build(folder: Path) -> Path:
    """An index of the bundled article and the second text in ``folder``."""
    from qa import library
    from qa.locations import BUNDLED_DOCUMENT

    index = folder / "index"
    library.add_paths([BUNDLED_DOCUMENT, SECOND_TEXT], index)
    return index


def read_with_resolver(qa) -> None:
    """Make ``qa``'s conversations (those ``evaluate`` opens too) read follow-ups with the learned resolver."""
    conversation = qa.conversation

    def learned(doc: str | None = None):
        chat = conversation(doc)
        chat.history.learned = True
        return chat

    qa.conversation = learned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="also list the turns whose first passage missed")
    parser.add_argument("--learned", action="store_true", help="read follow-ups with the learned resolver (History.learned)")
    args = parser.parse_args()
    from qa import QA
    from qa.evaluation import evaluate, read_question_file
    from qa.read.resolver import load_resolver

    spent: list[float] = []
    if args.learned:
        resolver = load_resolver()
        resolve = resolver.resolve

        def timed(question: str, segments: list[str]) -> list[str]:
            started = time.perf_counter()
            words = resolve(question, segments)
            spent.append(1000 * (time.perf_counter() - started))
            return words

        resolver.resolve = timed
    with tempfile.TemporaryDirectory(prefix="qa-conversations-") as scratch:
        qa = QA(build(Path(scratch)))
        if args.learned:
            read_with_resolver(qa)
        started = time.perf_counter()
        report = evaluate(qa, read_question_file(CONVERSATIONS)).report()
        out = {"turns": report["turns"], "rewrites": report["rewrites"], "ask_s": round(time.perf_counter() - started, 1)}
        if spent:
            out["resolver_ms"] = {"follow-ups": len(spent), "median": round(float(np.median(spent)), 1), "p90": round(float(np.percentile(spent, 90)), 1)}
        if args.misses:
            out["misses"] = report["misses"]
    print(json.dumps(out, indent=1 if args.misses else None))


if __name__ == "__main__":
    main()
