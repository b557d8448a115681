"""Choose ``span_bonus``: how much the sentence holding the reader's span counts beside the
sentence head's own choice of the sentence to quote (``qa/read/reader.py``).

On two validation sets, each question is read against its own text (as qa reads a passage),
and for each bonus the quoted sentence is judged: QED dev (answerable questions: the sentence
contains a short answer) and SelQA test's reworded half (the sentence is an answering one).
A bonus of 0 quotes the sentence head's best, a large one the sentence holding the span.

    python training/choose_quote.py --reader DIR [--write]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
from train_reader import selqa_texts

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "train"
BONUSES = (0.0, 0.5, 1.0, 2.0, 4.0, 1e9)


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s+([,.;:!?)])", r"\1", text)).strip().lower()


def judged(reader, question: str, text: str, spans: list[tuple[int, int]], good: list[bool]) -> list[bool]:
    """For each bonus, whether the sentence quoted is a good one (``good``: each sentence's
    verdict); the text is read once."""
    _, span_sentence, candidates = reader.score_sentences(question, text, None, spans)
    if not candidates:
        return [False] * len(BONUSES)
    chosen = [max(candidates, key=lambda k: candidates[k][0] + (bonus if k == span_sentence else 0.0)) for bonus in BONUSES]
    return [good[k] for k in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reader", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions of each set")
    parser.add_argument("--write", action="store_true", help="write the best bonus into the reader's reader.json")
    args = parser.parse_args()
    from qa.ingest import chunking
    from qa.read.reader import Reader

    reader = Reader(args.reader)
    results: dict[str, list[list[bool]]] = {"qed": [], "selqa": []}
    qed = [json.loads(line) for line in (TRAIN / "qed" / "qed-dev.jsonlines").open(encoding="utf-8")]
    qed = [r for r in qed if r["annotation"]["explanation_type"] != "none" and r["original_nq_answers"]]
    for r in qed[: args.limit or None]:
        text = r["paragraph_text"]
        spans = [(s.start, s.end) for s in chunking.sentences(text)]
        answers = [normalized(a["string"]) for group in r["original_nq_answers"] for a in group]
        good = [any(a in normalized(text[start:end]) for a in answers) for start, end in spans]
        results["qed"].append(judged(reader, r["question_text"], text, spans, good))
    selqa = [r for r in json.loads((TRAIN / "selqa" / "selqa-ass-test.json").read_text(encoding="utf-8")) if r["is_paraphrase"]]
    for r in selqa[: args.limit or None]:
        text, spans = selqa_texts(r)
        good = [k in r["answers"] for k in range(len(spans))]
        results["selqa"].append(judged(reader, r["question"], text, spans, good))
    table = {name: np.array(rows).mean(axis=0).round(3).tolist() for name, rows in results.items()}
    for i, bonus in enumerate(BONUSES):
        print(json.dumps({"span_bonus": bonus, **{name: values[i] for name, values in table.items()}}))
    best = max(range(len(BONUSES)), key=lambda i: sum(values[i] for values in table.values()))
    print(json.dumps({"chosen": BONUSES[best]}))
    if args.write:
        path = args.reader / "reader.json"
        config = json.loads(path.read_text())
        config["span_bonus"] = BONUSES[best]
        path.write_text(json.dumps(config, indent=2) + "\n")


if __name__ == "__main__":
    main()
