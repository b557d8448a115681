"""Indexing at scale: where `qa index add`'s seconds go, against the raw encoder, and a large library.

    python -m bench.indexing                 # 300 small files, the library, the formats
    python -m bench.indexing --small-only    # the 300 small files only (a few minutes)
    python -m bench.indexing --formats-only --files 40   # the formats, on 40 of the small files

Two corpora are made from SQuAD 1.1 train (the training folder beside the project):

* 300 small files: its first 800 paragraphs, two or three to a file;
* a library: its 442 articles as 442 documents, paragraphs separated by blank lines.

For each, in fresh processes: `qa index add` end to end (wall time, peak memory, passages/s);
sentence-transformers encoding the very passages qa made, as the library's own `encode` does it
(batch 32), for the raw rate; and a profiled run of the same indexing, its time split into
phases (model load, reading, chunking, encoding, BM25, writing). On the library it also measures
cold `qa ask --json` (median of 3), answer latency with everything loaded and the memory of an
answering process.

The formats are compared on the small files' very paragraphs, written as plain text, HTML pages,
PDFs (tests/fixtures.py writes them) and Word files: `qa index add` of each folder, its rate
beside plain text's, and (profiled) where its seconds go. Results go to
bench/results/indexing.json and print as tables.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import sys
import tempfile
import textwrap
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from bench.run import ROOT, measure, run_child, write_results
from tests.fixtures import write_docx_paragraphs, write_pdf

SQUAD_TRAIN = ROOT.parent / "shared" / "train" / "squad-train-v1.1.json"

PHASES = {  # phase -> qualified names whose cumulative time counts for it (outermost wins)
    "model load": ["qa/store/embedding.py:_bert", "qa/store/embedding.py:model"],
    "reading files": ["qa/ingest/documents.py:read_document", "qa/ingest/documents.py:find_files"],
    "chunking": ["qa/store/records.py:chunked"],
    "encoding": ["qa/store/embedding.py:encode_passages"],
    "BM25": ["qa/store/lexical.py:build"],
    "writing": ["qa/store/directory.py:write"],
}


PDF_WIDTH, PDF_LINES = 90, 44  # characters a line and lines a page of the generated PDFs


def small_texts() -> list[list[str]]:
    """The paragraphs of the 300 small files: SQuAD 1.1 train's first 800, two or three a file."""
    paragraphs = [p["context"].strip() for a in _squad() for p in a["paragraphs"]][:800]
    return [paragraphs[i * 8 // 3 : (i + 1) * 8 // 3] for i in range(300)]


def small_files(folder: Path) -> Path:
    return format_folder(folder, small_texts(), "txt")


def _write_txt(path: Path, paragraphs: list[str]) -> None:
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def _write_html(path: Path, paragraphs: list[str]) -> None:
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    page = f'<!doctype html>\n<html><head><meta charset="utf-8"></head><body><main>\n{body}\n</main></body></html>\n'
    path.write_text(page, encoding="utf-8")


def _write_pdf(path: Path, paragraphs: list[str]) -> None:
    lines = []
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, PDF_WIDTH, break_long_words=False, break_on_hyphens=False), ""]
    write_pdf(path, [lines[start : start + PDF_LINES] for start in range(0, len(lines), PDF_LINES)])


WRITERS: dict[str, Callable[[Path, list[str]], object]] = {
    "txt": _write_txt, "html": _write_html, "pdf": _write_pdf, "docx": write_docx_paragraphs,
}
FORMAT_NAMES = {"txt": "plain text", "html": "HTML", "pdf": "PDF", "docx": "Word"}


def format_folder(folder: Path, texts: list[list[str]], kind: str) -> Path:
    """A file of format ``kind`` (a key of WRITERS) for each list of paragraphs in ``texts``: the
    same paragraphs as plain text, an HTML page, a PDF (lines of PDF_WIDTH characters, PDF_LINES a
    page; characters outside Windows-1252 become "?") or a Word file."""
    folder.mkdir(parents=True)
    for i, paragraphs in enumerate(texts):
        WRITERS[kind](folder / f"note-{i:03d}.{kind}", paragraphs)
    return folder


def library(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for i, article in enumerate(_squad()):
        text = "\n\n".join(p["context"].strip() for p in article["paragraphs"])
        (folder / f"{i:03d}-{article['title'][:60]}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


@lru_cache(maxsize=1)
def _squad() -> list[dict]:
    return json.loads(SQUAD_TRAIN.read_text(encoding="utf-8"))["data"]


def index_add(corpus: Path, index: Path) -> dict:
    """`qa index add` in a fresh process: wall time, peak memory, passages/s."""
    wall, peak, _ = measure([sys.executable, str(ROOT / "cli.py"), "--index", str(index), "index", "add", str(corpus)])
    manifest = json.loads(measure([sys.executable, str(ROOT / "cli.py"), "--index", str(index), "index", "list", "--json"])[2])
    files = sum(1 for _ in corpus.iterdir())
    return {"files": files, "passages": manifest["passages"], "seconds": round(wall, 1),
            "passages_per_s": round(manifest["passages"] / wall, 1), "peak_mb": round(peak)}


def raw_rate(index: Path) -> dict:
    """sentence-transformers encoding the passages of ``index``, model loading not counted."""
    code = f"""
import json, time
from pathlib import Path
from qa.store import index as store
from qa.store.embedding import DEFAULT_MODEL, SentenceTransformerEncoder
passages = [p.text for p in store.load(Path({str(index)!r})).passages]
model = SentenceTransformerEncoder(DEFAULT_MODEL).model
model.encode(passages[:32], batch_size=32)
started = time.perf_counter()
model.encode(passages, batch_size=32, normalize_embeddings=True)
print(json.dumps({{"passages": len(passages), "seconds": time.perf_counter() - started}}))
"""
    _, peak, out = run_child(code)
    stats = json.loads(out)
    return {"seconds": round(stats["seconds"], 1), "passages_per_s": round(stats["passages"] / stats["seconds"], 1), "peak_mb": round(peak)}


def profile(corpus: Path) -> dict:
    """A profiled `library.add_paths` of ``corpus``: seconds per phase."""
    code = f"""
import cProfile, json, pstats, tempfile, time
from qa import library
with tempfile.TemporaryDirectory() as scratch:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    library.add_paths([{str(corpus)!r}], scratch + "/index")
    profiler.disable()
    total = time.perf_counter() - started
stats = pstats.Stats(profiler).stats
cumulative = {{}}
for (path, line, name), (_, _, _, cum, _) in stats.items():
    key = ("qa/" + path.rsplit("/qa/", 1)[1] if "/qa/" in path else path) + ":" + name
    cumulative[key] = max(cumulative.get(key, 0.0), cum)
print(json.dumps({{"total": total, "cumulative": cumulative}}))
"""
    _, _, out = run_child(code)
    result = json.loads(out)
    cumulative = result["cumulative"]
    phases = {phase: round(sum(cumulative.get(name, 0.0) for name in names), 1) for phase, names in PHASES.items()}
    # the model loads inside the phase that first needs it: encoding (torch) or chunking (its tokenizer)
    phases["encoding"] = round(phases["encoding"] - cumulative.get("qa/store/embedding.py:_bert", 0.0), 1)
    phases["chunking"] = round(phases["chunking"] - cumulative.get("qa/store/embedding.py:model", 0.0), 1)
    phases["total"] = round(result["total"], 1)
    phases["other"] = round(phases["total"] - sum(v for k, v in phases.items() if k != "total"), 1)
    return phases


def answering(index: Path, questions: list[str], runs: int = 3) -> dict:
    """Cold `qa ask --json` (median of ``runs``), and warm latency and peak memory of one process."""
    walls, peaks = [], []
    for _ in range(runs):
        wall, peak, _ = measure([sys.executable, str(ROOT / "cli.py"), "--index", str(index), "ask", questions[0], "--json"])
        walls.append(wall)
        peaks.append(peak)
    code = f"""
import json, statistics, time
from qa import QA
qa = QA({str(index)!r})
questions = {questions!r}
qa.ask(questions[0])
times = []
for question in questions:
    started = time.perf_counter()
    qa.ask(question)
    times.append(time.perf_counter() - started)
print(json.dumps({{"median_ms": statistics.median(times) * 1000}}))
"""
    _, peak, out = run_child(code)
    return {
        "cold_ask_median_s": round(statistics.median(walls), 3),
        "cold_ask_peak_mb": round(max(peaks)),
        "warm_median_ms": round(json.loads(out)["median_ms"], 1),
        "answering_peak_mb": round(peak),
    }


def ann_recall(index: Path, questions: list[str]) -> dict:
    """The HNSW graph qa builds above its exact limit, built here over the library's sentence
    vectors: recall@10 against exact search, and the time per question of each."""
    code = f"""
import json, time
from pathlib import Path
import numpy as np
import faiss
from qa.store import dense
from qa.store import index as store
from qa.store.embedding import load_query_encoder
faiss.omp_set_num_threads(1)
library = store.load(Path({str(index)!r}))
vectors = library.sentence_vectors
dense.EXACT_LIMIT = 0
graph = dense.build([vectors], vectors.shape[1])
encoder = load_query_encoder()
queries = encoder.encode({questions!r})
hits, exact_s, graph_s = [], [], []
for q in queries:
    started = time.perf_counter()
    exact = set(np.argsort(-(vectors @ q))[:10].tolist())
    exact_s.append(time.perf_counter() - started)
    started = time.perf_counter()
    found = dense.search(graph, vectors, q, None)
    graph_s.append(time.perf_counter() - started)
    hits.append(len(exact & set(np.argsort(-found)[:10].tolist())) / 10)
print(json.dumps({{"vectors": len(vectors), "recall@10": float(np.mean(hits)),
                  "exact_ms": 1000 * float(np.median(exact_s)), "hnsw_ms": 1000 * float(np.median(graph_s))}}))
"""
    _, _, out = run_child(code)
    result = json.loads(out)
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}


def formats(root: Path, files: int, profiled: bool) -> dict:
    """The first ``files`` small files in every format: `qa index add` of each folder (and, with
    ``profiled``, where its seconds go)."""
    texts = small_texts()[:files]
    rows = {}
    for kind in WRITERS:
        folder = format_folder(root / f"formats-{kind}", texts, kind)
        row = {"add": index_add(folder, root / f"index-{kind}")}
        if profiled:
            row["phases"] = profile(folder)
        rows[kind] = row
        print(kind, json.dumps(row), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--small-only", action="store_true", help="only the 300 small files")
    only.add_argument("--formats-only", action="store_true", help="only the formats compared")
    parser.add_argument("--files", type=int, default=300, help="small files in each format's folder (default 300)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled runs")
    args = parser.parse_args()
    if not SQUAD_TRAIN.exists():
        raise SystemExit(f"{SQUAD_TRAIN} is needed to make the corpora")
    if not 1 <= args.files <= 300:
        parser.error("--files must be between 1 and 300")
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="qa-bench-index-") as scratch:
        root = Path(scratch)
        corpora = {} if args.formats_only else {"300 small files": small_files(root / "small")}
        if not (args.small_only or args.formats_only):
            corpora["442-article library"] = library(root / "library")
        for label, corpus in corpora.items():
            index = root / f"index-{len(results)}"
            row = {"add": index_add(corpus, index), "raw": raw_rate(index)}
            row["ratio"] = round(row["add"]["passages_per_s"] / row["raw"]["passages_per_s"], 2)
            if not args.no_profile:
                row["phases"] = profile(corpus)
            if label.startswith("442"):
                questions = [q["question"] for a in _squad()[::15] for q in a["paragraphs"][0]["qas"][:1]]
                row["answering"] = answering(index, questions)
                row["ann"] = ann_recall(index, [q["question"] for a in _squad() for q in a["paragraphs"][0]["qas"][:2]])
            results[label] = row
            print(label, json.dumps(row), flush=True)
        if not args.small_only:
            results["formats"] = formats(root, args.files, not args.no_profile)
    write_results(results, "indexing.json")
    corpora_rows = {label: row for label, row in results.items() if label != "formats"}
    if corpora_rows:
        print_table(corpora_rows)
    if "formats" in results:
        print_formats(results["formats"])


def print_formats(rows: dict) -> None:
    """The formats' rates beside plain text's, and where their seconds go."""
    plain = rows["txt"]["add"]["passages_per_s"]
    lines = ["| format | files | passages | `qa index add` | against plain text | peak memory |", "| --- | --- | --- | --- | --- | --- |"]
    for kind, row in rows.items():
        add = row["add"]
        lines.append(f"| {FORMAT_NAMES[kind]} | {add['files']} | {add['passages']:,} | {add['seconds']} s, "
                     f"{add['passages_per_s']} passages/s | {add['passages_per_s'] / plain:.2f}x | {add['peak_mb']} MB |")
    print("\n" + "\n".join(lines))
    for kind, row in rows.items():
        if "phases" in row:
            print(f"\n{FORMAT_NAMES[kind]}, profiled: " + ", ".join(f"{k} {v} s" for k, v in row["phases"].items()))


def print_table(results: dict) -> None:
    lines = ["| corpus | passages | `qa index add` | raw sentence-transformers | qa / raw | peak memory |", "| --- | --- | --- | --- | --- | --- |"]
    for label, row in results.items():
        add, raw = row["add"], row["raw"]
        lines.append(f"| {label} | {add['passages']:,} | {add['seconds']} s, {add['passages_per_s']} passages/s | "
                     f"{raw['passages_per_s']} passages/s | {row['ratio']}x | {add['peak_mb']} MB |")
    print("\n".join(lines))
    for label, row in results.items():
        if "phases" in row:
            print(f"\n{label}, profiled: " + ", ".join(f"{k} {v} s" for k, v in row["phases"].items()))
        if "answering" in row:
            a = row["answering"]
            print(f"\n{label}, answering: cold `qa ask --json` median {a['cold_ask_median_s']} s (peak {a['cold_ask_peak_mb']} MB); "
                  f"warm answer median {a['warm_median_ms']} ms; answering process peak {a['answering_peak_mb']} MB")
        if "ann" in row:
            n = row["ann"]
            print(f"\n{label}, HNSW over its {n['vectors']:,} sentence vectors: recall@10 {n['recall@10']} against exact; "
                  f"{n['hnsw_ms']} ms a question against {n['exact_ms']} ms exact")


if __name__ == "__main__":
    main()
