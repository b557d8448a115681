"""qa's benchmark: accuracy and speed, printed as one table (figures in the README come from it).

    python -m bench.run            # everything (about 15 minutes on 2 cores)
    python -m bench.run --quick    # skip the 10,000-passage corpus and most of Abg-CoQA

Accuracy: the project's own question set, SQuAD 2.0 dev (5 articles) and Abg-CoQA validation,
the last two read from ../shared/bench when present. Speed: indexing throughput and peak memory
(bundled article; a corpus of 10,000+ passages built from the benchmark texts), answer latency
with the model loaded, and cold one-shot commands (`qa ask` fast path vs the sentence-transformers
path, `qa --help`, `qa index list`), each the median of several runs in fresh processes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qa import process

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
QUESTIONS = ROOT / "tests" / "data" / "article_questions.jsonl"

process.set_defaults()  # as qa's commands


_WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=False)
wall = time.perf_counter() - started
sys.stdout.write(result.stdout)
print("MEASURED", wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, file=sys.stderr)
sys.exit(result.returncode)
"""


def measure(argv: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run ``argv`` in a fresh process: (wall seconds, peak memory MB, stdout). A small parent
    process times it and reads its peak memory, so neither includes this script."""
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{argv} failed: {result.stderr}")
    wall, peak = result.stderr.rsplit("MEASURED", 1)[1].split()[:2]
    return float(wall), float(peak), result.stdout


def run_child(code: str, env: dict | None = None) -> tuple[float, float, str]:
    """Run Python ``code`` in a fresh process and report its wall time and its own peak memory."""
    wrapped = code + "\nimport resource, sys\nprint('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(result.stderr)
    peak = float(result.stderr.rsplit("PEAK", 1)[1].split()[0])
    return wall, peak, result.stdout


# ---------------------------------------------------------------------------- speed


def indexing(folder: Path, label: str, count: int | None = None) -> dict:
    """Index ``folder`` into a fresh index in a child process: passages/s and peak memory."""
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as scratch:
        code = (
            "import time, json\nfrom qa import library\nfrom qa.store import index\n"
            f"t = time.perf_counter(); library.add_paths([{str(folder)!r}], {scratch!r})\n"
            f"i = index.load(__import__('pathlib').Path({scratch!r}))\n"
            "print(json.dumps({'seconds': time.perf_counter() - t, 'passages': len(i.passages), 'sentences': len(i.sentences)}))"
        )
        _, peak, out = run_child(code)
    stats = json.loads(out)
    return {
        "corpus": label,
        "passages": stats["passages"],
        "sentences": stats["sentences"],
        "seconds": round(stats["seconds"], 1),
        "passages_per_s": round(stats["passages"] / stats["seconds"], 1),
        "peak_mb": round(peak),
    }


def large_corpus(folder: Path, minimum: int = 10_000) -> Path:
    """Documents built from the benchmark texts (each story and article paragraph a passage),
    repeated with shuffled sentences until there are at least ``minimum`` paragraphs."""
    from qa.ingest import chunking

    paragraphs: list[str] = []
    if (SHARED / "squad-dev.json").exists():
        for article in json.loads((SHARED / "squad-dev.json").read_text())["data"]:
            paragraphs += [p["context"].strip() for p in article["paragraphs"]]
    if (SHARED / "abg-coqa-val.json").exists():
        stories = {r["story"] for r in json.loads((SHARED / "abg-coqa-val.json").read_text())["data"]}
        paragraphs += [p.strip() for story in sorted(stories) for p in story.split("\n\n") if len(p.split()) > 8]
    if not paragraphs:
        paragraphs = [p.strip() for p in (ROOT / "qa" / "data" / "belarus-azerbaijan-talks.txt").read_text().split("\n\n")]
    rng = random.Random(0)
    folder.mkdir(parents=True, exist_ok=True)
    total, copy = 0, 0
    while total < minimum:
        batch = []
        for paragraph in paragraphs:
            sentences = [paragraph[s.start : s.end] for s in chunking.sentences(paragraph)]
            if copy:
                rng.shuffle(sentences)
            batch.append(" ".join(sentences))
        for start in range(0, len(batch), 50):
            (folder / f"doc-{copy:02d}-{start // 50:04d}.txt").write_text("\n\n".join(batch[start : start + 50]), encoding="utf-8")
        total += len(batch)
        copy += 1
    return folder


def latency(index: Path) -> dict:
    """Answer latency with everything loaded: every question of the own set, median of 3 rounds."""
    from qa import QA

    qa = QA(index)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if '"question"' in line[:14]]
    qa.ask(questions[0])
    times = []
    for _ in range(3):
        for question in questions:
            started = time.perf_counter()
            qa.ask(question)
            times.append(time.perf_counter() - started)
    return {"questions": len(questions), "median_ms": round(statistics.median(times) * 1000, 1), "p90_ms": round(sorted(times)[int(len(times) * 0.9)] * 1000, 1)}


def cold(index: Path, runs: int) -> list[dict]:
    """One-shot commands from fresh processes, median wall time and peak memory."""
    question = "What did Ilham Aliyev give the Belarusian president?"
    cli = [sys.executable, str(ROOT / "cli.py")]
    cases = [
        ("qa --help", cli + ["--help"], {}),
        ("qa index list", cli + ["index", "list"], {}),
        ("qa ask --json (numpy encoder)", cli + ["ask", question, "--json"], {}),
        ("qa ask --json (sentence-transformers)", cli + ["ask", question, "--json"], {"QA_FAST_ENCODER": "0"}),
    ]
    rows = []
    outputs = {}
    for label, argv, env in cases:
        walls, peaks = [], []
        for _ in range(runs):
            wall, peak, out = measure(argv, {"QA_INDEX": str(index), **env})
            walls.append(wall)
            peaks.append(peak)
            outputs[label] = out
        rows.append({"command": label, "median_s": round(statistics.median(walls), 3), "peak_mb": round(max(peaks))})
    fast, full = outputs["qa ask --json (numpy encoder)"], outputs["qa ask --json (sentence-transformers)"]
    same = json.loads(fast)["citations"] == json.loads(full)["citations"]
    rows.append({"command": "full / fast ask", "ratio": round(rows[3]["median_s"] / rows[2]["median_s"], 1), "same_citations": same})
    return rows


# ---------------------------------------------------------------------------- accuracy


def own_set(index: Path) -> dict:
    from qa import QA
    from qa.evaluation import evaluate, read_question_file

    report = evaluate(QA(index), read_question_file(QUESTIONS)).report()
    report.pop("misses")
    return report


def squad() -> dict | None:
    if not (SHARED / "squad-dev.json").exists():
        return None
    from qa.evaluation import evaluate_squad

    report = evaluate_squad(SHARED / "squad-dev.json").report()
    report.pop("misses")
    return report


def abg_coqa(limit: int | None) -> dict | None:
    if not (SHARED / "abg-coqa-val.json").exists():
        return None
    from bench import abg_coqa as protocol

    records = json.loads((SHARED / "abg-coqa-val.json").read_text())["data"][:limit]
    with tempfile.TemporaryDirectory(prefix="qa-abg-") as scratch:
        protocol.build(records, Path(scratch))
        return protocol.run(records, Path(scratch))


# ---------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the large corpus; 200 Abg-CoQA records")
    parser.add_argument("--runs", type=int, default=5, help="fresh-process runs per cold command (default 5)")
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as scratch:
        scratch_path = Path(scratch)
        results["indexing"] = [indexing(ROOT / "qa" / "data", "bundled article")]
        if not args.quick:
            corpus = large_corpus(scratch_path / "corpus")
            results["indexing"].append(indexing(corpus, "benchmark texts, shuffled copies"))
        index = scratch_path / "index"
        from qa import library
        from qa.locations import BUNDLED_DOCUMENT

        library.add_paths([BUNDLED_DOCUMENT], index)
        results["latency"] = latency(index)
        results["cold"] = cold(index, args.runs)
        results["own"] = own_set(index)
    results["squad"] = squad()
    results["abg_coqa"] = abg_coqa(200 if args.quick else None)
    write_results(results, "latest.json")
    print_table(results)


def write_results(results: dict, name: str) -> None:
    """Keep a bench's results as bench/results/``name``."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / name).write_text(json.dumps(results, indent=1))


def print_table(results: dict) -> None:
    lines = ["| measure | value |", "| --- | --- |"]
    own = results["own"]
    lines.append(f"| own set: hit@1 / hit@3 / MRR ({own['questions']} questions) | {own['hit@1']} / {own['hit@3']} / {own['mrr']} |")
    lines.append(f"| own set: answer contains the expected words | {own['answer_contains']} |")
    a = own["abstention"]
    lines.append(f"| own set: unanswerable refused (recall) / answerable refused | {a['refused']}/{a['unanswerable']} ({a['recall']}) / {a['wrongly_refused']}/{own['questions']} |")
    if "turns" in own:
        lines.append(f"| own set conversations: turn hit@1 / hit@3 ({own['turns']['questions']} turns) | {own['turns']['hit@1']} / {own['turns']['hit@3']} |")
    if results["squad"]:
        s = results["squad"]
        lines.append(f"| SQuAD 2.0 dev (5 articles): hit@1 / hit@3 / MRR ({s['questions']} answerable) | {s['hit@1']} / {s['hit@3']} / {s['mrr']} |")
        lines.append(f"| SQuAD: answer sentence contains the gold answer | {s['answer_contains']} |")
        sa = s["abstention"]
        lines.append(f"| SQuAD: unanswerable refused / answerable refused | {sa['refused']}/{sa['unanswerable']} / {sa['wrongly_refused']}/{s['questions']} |")
    if results["abg_coqa"]:
        g = results["abg_coqa"]
        lines.append(f"| Abg-CoQA ({g['records']} conversations): first citation hits the gold rationale | {g['first_citation_hit']} |")
        lines.append(f"| Abg-CoQA: a gold passage in the top 3 / answered | {g['passage_hit@3']} / {g['answered']} |")
    for row in results["indexing"]:
        lines.append(
            f"| indexing {row['corpus']}: {row['passages']:,} passages + {row['sentences']:,} sentences | "
            f"{row['seconds']} s, {row['passages_per_s']} passages/s, peak {row['peak_mb']} MB |"
        )
    lat = results["latency"]
    lines.append(f"| answer latency, model loaded (median / p90 of {lat['questions']}x3) | {lat['median_ms']} ms / {lat['p90_ms']} ms |")
    for row in results["cold"]:
        if "ratio" in row:
            lines.append(f"| cold ask: sentence-transformers path / numpy path | {row['ratio']}x slower (same citations: {row['same_citations']}) |")
        else:
            lines.append(f"| cold `{row['command']}` (median) | {row['median_s']} s, peak {row['peak_mb']} MB |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
