"""Calibrate the exported reader on held-out training data (never on the evaluation sets).

The held-out SQuAD 2.0 dev articles of the training folder (the last five of articles 6-30,
about half of their questions unanswerable) are indexed as qa indexes them and asked as qa asks
them: retrieval proposes passages, the reader reads them. From the best candidate (ranked by the
reader's score plus ``RETRIEVAL_WEIGHT`` times retrieval's, as ``qa/read/answering.py`` ranks them) and
whether the question is answerable, a one-dimensional logistic fit of the chosen passage's
reader score gives the calibration (scale, shift) written into ``reader.json``: the probability
qa reports, on questions half of which were written to look answerable. The threshold written
with it is the highest (in steps of 0.01) that refuses at most 2% of the answerable ones. It also reports the passage hit@1 for several
weights of the retrieval score in the re-ranking.

With ``--abstention DUMP`` it instead fits the answer-or-abstain decision
(``qa/read/abstention.py``) on the validation sets, from the per-question signals that
``python -m bench.validation --answer-all --dump DUMP`` records with that reader: a logistic model of
whether the question is answerable from the best passage's signals (on QED, SelQA and SQuAD;
the other sets a dump holds are measured, not fitted on), then the highest threshold
(in steps of 0.01) that refuses at most ``MAX_ABSTAINED`` of the answerable questions of QED and
of SQuAD, each; and the sure threshold, below which at most ``MAX_UNSURE`` of them fall: between
the two qa answers, marked unsure. The held-out Abg-CoQA conversations (``coqa``) are not fitted
on: their follow-ups set the follow-up threshold, the highest (at most the other) that refuses at
most ``MAX_ABSTAINED`` of them.

    python training/calibrate_reader.py --data ../shared/train --reader qa/models/reader
    python training/calibrate_reader.py --reader qa/models/reader --abstention runs/validation.jsonl
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from train_reader import HELD_OUT_SQUAD20, SQUAD20

ROOT = Path(__file__).resolve().parent.parent

WEIGHTS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0)
MAX_REFUSED = 0.02  # of the answerable held-out questions, at the chosen threshold
MAX_ABSTAINED = 0.10  # of the answerable questions of QED and of SQuAD, each, at the abstention threshold (the bound)
MAX_UNSURE = 0.25  # of the answerable questions of QED and SQuAD, each, below the sure threshold
RIDGE = 1e-2
# the validation sets the decision is fitted on (coqa: the follow-up threshold); the others a
# dump may hold are measured, not fitted on (`halves`, asked of a text on its topic that does not
# answer, moved the fit's weight from SQuAD's look-alike questions to its own: 47 fewer of them refused)
FITTED = ("qed", "selqa", "squad", "coqa")


def fit_logistic_many(X: np.ndarray, y: np.ndarray, steps: int = 50) -> tuple[np.ndarray, float]:
    """(w, b) maximizing the likelihood of y ~ sigmoid(X @ w + b), with a small ridge: Newton's
    method on standardized columns (a constant column, like an absent signal, gets weight 0)."""
    mean, spread = X.mean(axis=0), X.std(axis=0)
    spread[spread == 0] = np.inf
    Z = np.hstack([(X - mean) / spread, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(Z @ w, -30, 30)))
        gradient = Z.T @ (y - p) - RIDGE * w
        hessian = -(Z.T * (p * (1 - p))) @ Z - RIDGE * np.eye(len(w))
        w = w - np.linalg.solve(hessian, gradient)
    weights = w[:-1] / spread
    return weights, float(w[-1] - weights @ mean)


def abstention(dump: Path) -> dict:
    """The abstention model and thresholds fitted on ``dump``, with what they do on each set."""
    from qa.read.abstention import LEARNED, SIGNALS, Abstention

    rows = [json.loads(line) for line in dump.open(encoding="utf-8")]
    rows = [r for r in rows if len(r["signals"]) == len(SIGNALS) and r["set"] in FITTED]
    signals = np.array([r["signals"] for r in rows], dtype=np.float64)
    y = np.array([r["answerable"] for r in rows], dtype=np.float64)
    sets = np.array([r["set"] for r in rows])
    hit = np.array([r["hit"] for r in rows])
    followups = np.array([bool(r.get("followup")) for r in rows]) & (sets == "coqa") & (y > 0)
    standalone = sets != "coqa"  # the conversations' answerable follow-ups would only shift the bias
    weights, bias = fit_logistic_many(signals[standalone, : len(LEARNED)], y[standalone])
    # the confidence qa would give each question: the same decision, thresholds aside
    model = {"signals": list(LEARNED), "weights": weights.tolist(), "bias": bias, "threshold": 0.0, "sure": 0.0}
    decide = Abstention({"abstention": model}).decide
    p = np.array([decide(s).confidence for s in signals])

    def refused(t: float, name: str) -> float:
        chosen = (sets == name) & (y > 0)
        return float((p[chosen] < t).mean()) if chosen.any() else 0.0

    steps = np.round(np.arange(0.01, 0.991, 0.01), 2)
    threshold = max(t for t in steps if all(refused(t, n) <= MAX_ABSTAINED for n in ("qed", "squad")))
    sure = max(t for t in steps if all(refused(t, n) <= MAX_UNSURE for n in ("qed", "squad")))
    followup_threshold = threshold
    if followups.any():
        followup_threshold = max(t for t in steps if t <= threshold and (p[followups] < t).mean() <= MAX_ABSTAINED)
    report = {}
    for name in sorted(set(sets)):
        mine, answerable = sets == name, y > 0
        answered = p >= np.where(followups, followup_threshold, threshold)
        report[name] = {
            "answerable": int((mine & answerable).sum()),
            "hit when answered": round(float((hit & answered)[mine & answerable].mean()), 3),
            "answerable refused": round(float((~answered)[mine & answerable].mean()), 3),
            "unsure": round(float((answered & (p < sure))[mine & answerable].mean()), 3),
        }
        if (mine & ~answerable).any():
            report[name]["unanswerable refused"] = f"{int((~answered)[mine & ~answerable].sum())} of {int((mine & ~answerable).sum())}"
        first = [r["passage_hit"] for r, m in zip(rows, mine & answerable) if m and r.get("passage_hit") is not None]
        if first:
            report[name]["passage hit@1"] = round(float(np.mean(first)), 3)
    return {
        "signals": list(LEARNED),
        "weights": [round(float(w), 6) for w in weights],
        "bias": round(bias, 6),
        "threshold": float(threshold),
        "followup_threshold": float(followup_threshold),
        "sure": float(max(sure, threshold)),
        # validation questions of each set (coqa: the follow-ups the follow-up threshold is chosen on)
        "fitted_on": {name: int((sets == name).sum() if name != "coqa" else followups.sum()) for name in sorted(set(sets))},
        "report": report,
    }


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 100) -> tuple[float, float]:
    """(a, b) maximizing the likelihood of y ~ sigmoid(a * x + b): Newton's method on the
    standardized x (a small ridge keeps it finite)."""
    mean, spread = float(x.mean()), float(x.std()) or 1.0
    X = np.stack([(x - mean) / spread, np.ones_like(x)], axis=1)
    w = np.zeros(2)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        gradient = X.T @ (y - p) - 1e-3 * w
        hessian = -(X.T * (p * (1 - p))) @ X - 1e-3 * np.eye(2)
        w = w - np.linalg.solve(hessian, gradient)
    return float(w[0] / spread), float(w[1] - w[0] * mean / spread)


def collect(data: Path, reader_dir: Path) -> dict[str, np.ndarray]:
    """For every held-out question: the reader's score and the retrieval score of each of the
    passages qa reads, whether each is the gold paragraph, and whether it is answerable."""
    from qa import QA, library
    from qa.read.answering import READ_PASSAGES
    from qa.read.reader import Reader

    reader = Reader(reader_dir)
    articles = json.loads((data / SQUAD20).read_text(encoding="utf-8"))["data"][-HELD_OUT_SQUAD20:]
    logits, retrieval, gold, labels = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="qa-calibrate-") as scratch:
        docs = Path(scratch) / "docs"
        docs.mkdir()
        spans = []
        for number, article in enumerate(articles):
            contexts = [p["context"].strip() for p in article["paragraphs"]]
            name = f"{number:02d}.txt"
            (docs / name).write_text("\n\n".join(contexts), encoding="utf-8")
            offset = 0
            for paragraph, context in zip(article["paragraphs"], contexts):
                for record in paragraph["qas"]:
                    spans.append((name, offset, offset + len(context), record))
                offset += len(context) + 2
        library.add_paths([docs], Path(scratch) / "index")
        qa = QA(Path(scratch) / "index")
        for name, start, end, record in spans:
            question = record["question"]
            ranking = qa.retriever.rank(question, qa.encoder.encode([question])[0], name)
            candidates = ranking.top(READ_PASSAGES)
            passages = [qa.index.passages[r] for r in candidates]
            logits.append([r.logit for r in reader.read(question, [p.text for p in passages])])
            retrieval.append(ranking.scores[candidates])
            gold.append([p.doc == name and p.start < end and start < p.end for p in passages])
            labels.append(0.0 if record.get("is_impossible") or not record["answers"] else 1.0)
    return {"logits": np.array(logits), "retrieval": np.array(retrieval), "gold": np.array(gold), "labels": np.array(labels)}


def report(arrays: dict[str, np.ndarray], weight: float) -> dict:
    """For passages ranked by reader + ``weight`` * retrieval: the passage hit@1 of the
    answerable questions, the calibration of the chosen passage's reader score, the threshold
    that refuses at most MAX_REFUSED of the answerable questions, and the refusals there."""
    scores = arrays["logits"] + weight * arrays["retrieval"]
    labels = arrays["labels"]
    answerable = labels > 0
    top = scores.argmax(axis=1)
    hit = arrays["gold"][np.arange(len(top)), top][answerable].mean()
    chosen = arrays["logits"][np.arange(len(top)), top]
    scale, shift = fit_logistic(chosen, labels)
    p = 1 / (1 + np.exp(-np.clip(scale * chosen + shift, -30, 30)))
    threshold = max(t for t in np.arange(0.01, 0.951, 0.01) if (p[answerable] < t).mean() <= MAX_REFUSED)
    return {
        "weight": weight,
        "hit@1": round(float(hit), 3),
        "calibration": [round(float(scale), 4), round(float(shift), 4)],
        "threshold": round(float(threshold), 2),
        "unanswerable refused": round(float((p[~answerable] < threshold).mean()), 3),
        "answerable refused": round(float((p[answerable] < threshold).mean()), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "train"))
    parser.add_argument("--reader", default=str(ROOT / "qa" / "models" / "reader"))
    parser.add_argument("--write", action="store_true", help="write the calibration into reader.json")
    parser.add_argument("--reuse", action="store_true", help="reuse the scores collected by the last run")
    parser.add_argument("--abstention", type=Path, default=None, help="fit the abstention decision on this validation dump")
    args = parser.parse_args()
    if args.abstention:
        fitted = abstention(args.abstention)
        print(json.dumps(fitted, indent=2))
        if args.write:
            path = Path(args.reader) / "reader.json"
            config = json.loads(path.read_text())
            config["abstention"] = {k: v for k, v in fitted.items() if k != "report"}
            path.write_text(json.dumps(config, indent=2) + "\n")
        return

    cache = ROOT / "runs" / "calibration.npz"
    if args.reuse and cache.exists():
        arrays = dict(np.load(cache))
    else:
        arrays = collect(Path(args.data), Path(args.reader))
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, **arrays)
    from qa.read.answering import RETRIEVAL_WEIGHT

    answerable = arrays["labels"] > 0
    print(json.dumps({"questions": len(answerable), "unanswerable": int((~answerable).sum()),
                      "hit@1 retrieval alone": round(float(arrays["gold"][answerable, 0].mean()), 3)}))
    for weight in WEIGHTS:
        print(json.dumps(report(arrays, weight)))
    chosen = report(arrays, RETRIEVAL_WEIGHT)
    if args.write:
        path = Path(args.reader) / "reader.json"
        config = json.loads(path.read_text())
        config["calibration"] = chosen["calibration"]
        config["threshold"] = chosen["threshold"]
        config["calibrated_on"] = {"held_out": "SQuAD 2.0 dev articles 26-30", "questions": len(answerable), **chosen}
        path.write_text(json.dumps(config, indent=2) + "\n")


if __name__ == "__main__":
    main()
