"""The index in PostgreSQL against the index directory, and pgvector's HNSW at a million vectors.

    python -m bench.postgres                      # both parts (the library: ~30 min on 2 busy cores)
    python -m bench.postgres --library-only       # the 442-article library, both engines
    python -m bench.postgres --vectors-only --vectors 1000000   # the synthetic vectors only
    python -m bench.postgres --quick              # a smoke run of both (20 articles, 20,000 vectors)

A PostgreSQL 16 with pgvector 0.6.2 is started for the run (the ``pgserver`` package, in a
temporary folder, on a Unix socket) and stopped after.

The library (SQuAD 1.1 train's 442 articles, one document each, as bench/indexing.py makes it).
This machine is shared (a training run, other work), so each comparison runs the two engines
under the same load: the library's passages are embedded once, timed (model loading not
counted), and each engine's `qa index add` of it then runs in a fresh process whose encoder
answers from those vectors (reading, chunking, counting words, writing: everything the engines
could do differently); cold `qa ask --json` alternates between the engines (median of 3);
answers with everything loaded come from one process holding both, question by question (30
questions), with how many answers are the same. One more document (the bundled article, 45
passages) is added by `qa index add` and in a process with the model loaded, its embedding
timed apart. Accuracy, both engines: hit@1 of the own question set (tests/data/article_questions.
jsonl over the bundled article, asked as `qa eval` asks); SQuAD 2.0 dev's first 5 articles
(../shared/bench, each article an index of its own per engine): for every answerable question
whether both engines rank the same passages with the same scores, and retrieval hit@1; with
``--squad-answers`` also `qa eval`'s hit@1 (the reader re-ranking), both engines.

The vectors: N synthetic 384-dimension unit vectors (1,000 random centres, each vector a centre
plus Gaussian noise of the same norm, normalized: cosines to a neighbour near what sentence
embeddings give), loaded by binary COPY into a pgvector table, an HNSW index built on them
(inner product, pgvector's defaults m 16 and ef_construction 64), then 200 held-out queries of
the same kind, each asked once unmeasured first (so the index is in memory): p50/p99 latency of
`ORDER BY vector <#> q LIMIT 10` at ef_search 40 (pgvector's default) and 512 (what qa asks
for), recall@10 against exact search in numpy, and five exact scans in the database (an order
no index serves) for comparison. Synthetic: real embeddings cluster differently.

Results go to bench/results/postgres.json and print as tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from bench.indexing import _squad, library
from bench.run import ROOT, SHARED, measure, run_child, write_results
from qa.locations import BUNDLED_DOCUMENT

QUESTIONS = ROOT / "tests" / "data" / "article_questions.jsonl"
SQUAD_DEV = SHARED / "squad-dev.json"
DIM = 384


@contextmanager
def server():
    """A PostgreSQL of this run's own; yields a function that makes a database and returns its URL."""
    import pgserver
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix="qa-bench-postgres-"))
    try:
        with pgserver.get_server(folder / "data", cleanup_mode="stop") as running:

            def database(name: str) -> str:
                with psycopg.connect(running.get_uri(), autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {name}")
                    conn.execute(f"CREATE DATABASE {name}")
                return running.get_uri(name)

            yield database
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def cli(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *args]


CACHED_ENCODER = """
import numpy as np
from qa.store import embedding

class Cached:
    '''The passage encoder, answering from vectors embedded before (by text and sentence spans).'''

    def __init__(self, path):
        self.real = embedding.load_encoder()
        self.name, self.dim, self.max_tokens = self.real.name, self.real.dim, self.real.max_tokens
        self.count_tokens = self.real.count_tokens
        stored = np.load(path, allow_pickle=True)
        keys, vectors, sentences, firsts = stored["keys"], stored["vectors"], stored["sentences"], stored["firsts"]
        self.known = {str(k): (vectors[i], sentences[firsts[i] : firsts[i + 1]]) for i, k in enumerate(keys)}

    def encode_passages(self, texts, spans, progress=None):
        found = [self.known[repr((t, list(map(tuple, s))))] for t, s in zip(texts, spans)]
        if progress:
            progress(len(texts))
        return np.array([f[0] for f in found]), np.concatenate([f[1] for f in found] + [np.zeros((0, self.dim), np.float32)])
"""


def embed_once(corpus: Path, cache: Path) -> dict:
    """Every passage of ``corpus`` read, chunked and embedded as `qa index add` does it, in a process
    of its own (model loading not counted); the vectors kept in ``cache`` for the builds."""
    code = f"""
import json, time
import numpy as np
from qa.ingest.documents import find_files, read_document
from qa.store import records
from qa.store.embedding import load_encoder
encoder = load_encoder()
encoder.encode_passages(["warm up the model"], [[]])
found, _, _ = find_files([{str(corpus)!r}])
documents = [records.chunked(read_document(f.path, f.name), encoder) for f in found]
started = time.perf_counter()
records.embed(documents, encoder, None)
seconds = time.perf_counter() - started
keys, vectors, sentences, firsts = [], [], [], [0]
for r in documents:
    for i, c in enumerate(r.chunks):
        own = r.sentences[:, 0] == i
        spans = [(s - c.start, e - c.start) for s, e in r.sentences[own][:, 1:].tolist()]
        keys.append(repr((r.text[c.start : c.end], spans)))
        vectors.append(r.vectors[i])
        sentences.append(r.sentence_vectors[own])
        firsts.append(firsts[-1] + int(own.sum()))
np.savez({str(cache)!r}, keys=np.array(keys, dtype=object), vectors=np.array(vectors), sentences=np.concatenate(sentences),
         firsts=np.array(firsts))
print(json.dumps({{"passages": len(vectors), "seconds": seconds}}))
"""
    _, _, out = run_child(code)
    result = json.loads(out)
    return {"passages": result["passages"], "seconds": round(result["seconds"], 1), "passages_per_s": round(result["passages"] / result["seconds"], 1)}


def build(corpus: Path, index: str, cache: Path) -> dict:
    """`qa index add` of ``corpus`` (library.add_paths, as the command runs it) in a fresh process
    whose passage encoder answers from ``cache``: reading, chunking, counting words and writing,
    everything but the network's arithmetic, which is the same for both engines (``embed_once``)."""
    code = CACHED_ENCODER + f"""
import json, time
from qa import library
library.load_encoder = lambda: Cached({str(cache)!r})
encoder = library.load_encoder()
started = time.perf_counter()
change, failures = library.add_paths([{str(corpus)!r}], {index!r})
print(json.dumps({{"documents": len(change.added), "failures": len(failures), "seconds": time.perf_counter() - started}}))
"""
    _, peak, out = run_child(code)
    result = json.loads(out)
    return {"documents": result["documents"], "seconds": round(result["seconds"], 1), "peak_mb": round(peak)}


def add_one(index: str) -> dict:
    """One more document (the bundled article) added to the library: `qa index add` end to end, then
    (removed again) in a process with the model loaded, the time spent embedding inside it counted
    apart."""
    wall, _, _ = measure(cli("--index", index, "index", "add", str(BUNDLED_DOCUMENT)))
    measure(cli("--index", index, "index", "remove", BUNDLED_DOCUMENT.name))
    code = f"""
import json, time
from qa.ingest.documents import read_document
from qa.locations import location
from qa.store import index as store, records
from qa.store.embedding import load_encoder
encoder = load_encoder()
encoder.encode_passages(["warm up the model"], [[]])
embedding = [0.0]
embed = records.embed
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return embed(*args, **kwargs)
    finally:
        embedding[0] += time.perf_counter() - started
records.embed = timed
document = read_document(__import__("pathlib").Path({str(BUNDLED_DOCUMENT)!r}))
started = time.perf_counter()
change = store.add(location({index!r}), [document], encoder)
total = time.perf_counter() - started
print(json.dumps({{"added": change.added, "seconds": total, "embedding": embedding[0]}}))
"""
    _, _, out = run_child(code)
    loaded = json.loads(out)
    return {
        "cli_seconds": round(wall, 2),
        "loaded_seconds": round(loaded["seconds"], 2),
        "embedding_seconds": round(loaded["embedding"], 2),
        "storage_seconds": round(loaded["seconds"] - loaded["embedding"], 2),
    }


def cold(indexes: dict[str, str], question: str, runs: int = 3) -> dict:
    """Cold `qa ask --json` from fresh processes, the engines taking turns: the first after the
    index was written (the database's is read from the database, and copied to this machine),
    then the median of ``runs`` more (the database's from that copy, after checking its version)."""
    walls: dict[str, list[float]] = {engine: [] for engine in indexes}
    peaks: dict[str, float] = dict.fromkeys(indexes, 0.0)
    for _ in range(runs + 1):
        for engine, index in indexes.items():
            wall, peak, _ = measure(cli("--index", index, "ask", question, "--json"))
            walls[engine].append(wall)
            peaks[engine] = max(peaks[engine], peak)
    return {
        engine: {"first_s": round(walls[engine][0], 3), "median_s": round(statistics.median(walls[engine][1:]), 3),
                 "peak_mb": round(peaks[engine])}
        for engine in indexes
    }


def warm(indexes: dict[str, str], questions: list[str]) -> dict:
    """Answers with everything loaded, both engines in one process taking turns question by
    question (so both see the same load): median and p90, and how many answers are the same."""
    code = f"""
import json, statistics, time
from qa import QA
engines = {{engine: QA(index) for engine, index in {indexes!r}.items()}}
times = {{engine: [] for engine in engines}}
answers = {{engine: [] for engine in engines}}
for qa in engines.values():
    qa.ask({questions!r}[0])
for number, question in enumerate({questions!r}):
    for engine, qa in sorted(engines.items(), reverse=number % 2 == 1):  # each engine first every other question
        started = time.perf_counter()
        answer = qa.ask(question)
        times[engine].append(time.perf_counter() - started)
        answers[engine].append(answer.to_dict())
same = sum(len({{json.dumps(a[i], sort_keys=True) for a in answers.values()}}) == 1 for i in range(len({questions!r})))
print(json.dumps({{"times": times, "same": same}}))
"""
    _, peak, out = run_child(code)
    result = json.loads(out)
    report = {
        engine: {"median_ms": round(1000 * statistics.median(t), 1), "p90_ms": round(1000 * sorted(t)[int(0.9 * len(t))], 1)}
        for engine, t in result["times"].items()
    }
    return {**report, "questions": len(questions), "same_answers": result["same"], "peak_mb_both": round(peak)}


def own_set(index: str, items: int | None = None) -> dict:
    from qa import QA, evaluation

    report = evaluation.evaluate(QA(index), evaluation.read_question_file(QUESTIONS)[:items]).report()
    return {key: report[key] for key in ("questions", "hit@1", "hit@3", "mrr")}


def squad_five(make_index, articles: int, answers: bool) -> dict:
    """SQuAD 2.0 dev's first ``articles`` articles, each added to an index of its own by each engine
    (``make_index(engine, number)`` gives where). For every question, the passages both engines'
    retrieval ranks first (are they the same, in the same order and with the same scores?), and
    its hit@1; with ``answers``, each engine asked as `qa eval` asks (the reader re-ranking), with
    each one's hit@1."""
    from qa import QA, evaluation, library

    results = {engine: evaluation.Evaluation() for engine in ("directory", "postgres")}
    retrieval = {"questions": 0, "same_ranking": 0, "hit@1": {"directory": 0, "postgres": 0}}
    with tempfile.TemporaryDirectory(prefix="qa-bench-squad-") as scratch:
        for number, article in enumerate(json.loads(SQUAD_DEV.read_text(encoding="utf-8"))["data"][:articles]):
            source = Path(scratch) / f"{number:03d}-{evaluation._slug(article.get('title', 'article'))}.txt"
            questions = evaluation.squad_questions(article, source)
            engines = {}
            for engine in results:
                index = make_index(engine, number)
                library.add_paths([source], index)
                engines[engine] = QA(index)
            for item in questions:
                rankings = {}
                for engine, qa in engines.items():
                    ranking = qa.retriever.rank(item.question, qa.encoder.encode([item.question])[0])
                    rankings[engine] = ranking
                    if answers:
                        results[engine].count(item, qa.ask(item.question, evaluation.RANKED), results[engine].single)
                if item.span is None:
                    continue
                a, b = rankings["directory"], rankings["postgres"]
                retrieval["questions"] += 1
                retrieval["same_ranking"] += a.top(5) == b.top(5) and np.array_equal(a.scores, b.scores)
                for engine, ranking in rankings.items():
                    top = engines[engine].index.passages[ranking.top(1)[0]]
                    retrieval["hit@1"][engine] += item.supported_by(top)
    n = max(retrieval["questions"], 1)
    out = {"retrieval": {**retrieval, "hit@1": {k: round(v / n, 3) for k, v in retrieval["hit@1"].items()}}}
    if answers:
        out["answers"] = {engine: {key: r.report()[key] for key in ("questions", "hit@1", "hit@3", "mrr")} for engine, r in results.items()}
    return out


def library_part(database, scratch: Path, quick: bool, squad_answers: bool, keep: Path | None, accuracy_too: bool) -> dict:
    corpus = library(scratch / "library")
    for extra in sorted(corpus.iterdir())[20:] if quick else []:
        extra.unlink()
    indexes = {"directory": str(scratch / "index"), "postgres": database("library")}
    questions = [q["question"] for a in _squad()[::15] for q in a["paragraphs"][0]["qas"][:1]][: 4 if quick else None]
    rows: dict = {"load_average_at_start": os.getloadavg()[0]}
    cache, timing = (keep or scratch) / "vectors.npz", (keep or scratch) / "embedding.json"
    if not (cache.exists() and timing.exists()):
        timing.write_text(json.dumps(embed_once(corpus, cache)))
    rows["embedding"] = {**json.loads(timing.read_text()), "reused": keep is not None}
    print("embedded", rows["embedding"], flush=True)
    rows["build"] = {}
    for engine, index in indexes.items():
        rows["build"][engine] = build(corpus, index, cache)
        print(engine, "built", rows["build"][engine], flush=True)
    rows["cold_ask"] = cold(indexes, questions[0])
    print("cold", rows["cold_ask"], flush=True)
    rows["warm"] = warm(indexes, questions)
    print("warm", rows["warm"], flush=True)
    rows["one_more"] = {engine: add_one(index) for engine, index in indexes.items()}
    print("one more", rows["one_more"], flush=True)
    if not accuracy_too:
        rows["load_average_at_end"] = os.getloadavg()[0]
        return rows
    accuracy: dict = {"own": {}}
    own = {"directory": str(scratch / "own"), "postgres": database("own")}
    for engine, index in own.items():
        from qa import library as qa_library

        qa_library.add_paths([BUNDLED_DOCUMENT], index)
        accuracy["own"][engine] = own_set(index, 8 if quick else None)
        print(engine, "own set", accuracy["own"][engine], flush=True)
    if SQUAD_DEV.exists():
        places = {"directory": lambda n: str(scratch / f"squad-{n}"), "postgres": lambda n: database(f"squad_{n}")}
        accuracy["squad5"] = squad_five(lambda engine, n: places[engine](n), 1 if quick else 5, squad_answers)
        print("SQuAD-5", accuracy["squad5"], flush=True)
    rows["accuracy"] = accuracy
    rows["load_average_at_end"] = os.getloadavg()[0]
    return rows


def vectors_part(database, count: int, queries: int = 200, seed: int = 0) -> dict:
    """``count`` synthetic vectors in a pgvector HNSW index: build time, latency, recall@10."""
    import psycopg

    from qa.store import pgcopy

    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((1000, DIM), dtype=np.float32))

    def sample(n: int) -> np.ndarray:
        noise = rng.standard_normal((n, DIM), dtype=np.float32) / np.sqrt(DIM)
        return _unit(centres[rng.integers(0, len(centres), n)] + noise)

    url = database("vectors")
    columns: list[pgcopy.Column] = [("id", "int8"), ("vector", "vector")]
    stored = np.zeros((count, DIM), dtype=np.float32)
    result: dict = {"vectors": count, "dim": DIM, "synthetic": True, "load_average_before": os.getloadavg()[0]}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        conn.execute(f"CREATE TABLE items (id bigint PRIMARY KEY, vector vector({DIM}) NOT NULL)")
        started = time.perf_counter()
        for first in range(0, count, 100_000):
            part = sample(min(100_000, count - first))
            stored[first : first + len(part)] = part
            with conn.cursor().copy("COPY items (id, vector) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(pgcopy.encode(columns, {"id": np.arange(first, first + len(part)), "vector": part}, DIM))
        result["copy_seconds"] = round(time.perf_counter() - started, 1)
        conn.execute("SET maintenance_work_mem = '4GB'")
        started = time.perf_counter()
        conn.execute("CREATE INDEX items_hnsw ON items USING hnsw (vector vector_ip_ops)")
        result["hnsw_build_seconds"] = round(time.perf_counter() - started, 1)
        result["table_mb"] = round(conn.execute("SELECT pg_relation_size('items')").fetchone()[0] / 1e6)
        result["hnsw_mb"] = round(conn.execute("SELECT pg_relation_size('items_hnsw')").fetchone()[0] / 1e6)
        asked = sample(queries)
        exact = [set(np.argsort(-(stored @ q))[:10].tolist()) for q in asked]
        literals = ["[" + ",".join(repr(x) for x in q.tolist()) + "]" for q in asked]
        for literal in literals:  # once unmeasured, so that both settings find the index in memory
            conn.execute("SELECT id FROM items ORDER BY vector <#> %s::vector LIMIT 10", (literal,)).fetchall()
        for ef in (40, 512):
            conn.execute(f"SET hnsw.ef_search = {ef}")
            times, recall = [], []
            for literal, truth in zip(literals, exact):
                started = time.perf_counter()
                found = conn.execute("SELECT id FROM items ORDER BY vector <#> %s::vector LIMIT 10", (literal,)).fetchall()
                times.append(time.perf_counter() - started)
                recall.append(len(truth & {row[0] for row in found}) / 10)
            result[f"ef_search_{ef}"] = {
                "p50_ms": round(1000 * float(np.percentile(times, 50)), 2),
                "p99_ms": round(1000 * float(np.percentile(times, 99)), 2),
                "recall@10": round(float(np.mean(recall)), 4),
            }
            print(f"ef_search {ef}", result[f"ef_search_{ef}"], flush=True)
        exact_query = "SELECT id FROM items ORDER BY (vector <#> %s::vector) + 0 LIMIT 10"  # + 0: no index serves it
        plan = [row[0] for row in conn.execute("EXPLAIN " + exact_query, (literals[0],)).fetchall()]
        times = []
        for literal in literals[:5]:
            started = time.perf_counter()
            conn.execute(exact_query, (literal,)).fetchall()
            times.append(time.perf_counter() - started)
        result["exact_scan_median_ms"] = round(1000 * statistics.median(times), 1)
        result["exact_scan_plan"] = " / ".join(line.strip() for line in plan if "Scan" in line)
    result["load_average_after"] = os.getloadavg()[0]
    return result


def _unit(vectors: np.ndarray) -> np.ndarray:
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--library-only", action="store_true", help="only the 442-article library")
    only.add_argument("--vectors-only", action="store_true", help="only the synthetic vectors")
    parser.add_argument("--vectors", type=int, default=1_000_000, help="synthetic vectors (default 1,000,000)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the library's vectors and their embedding time in DIR, "
                        "and take them from there when it has them (a rerun embeds nothing)")
    parser.add_argument("--no-accuracy", action="store_true", help="leave out the accuracy rows (the longest part)")
    parser.add_argument("--squad-answers", action="store_true", help="ask SQuAD-5 with the reader too, both engines (long)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20 articles, 4 questions, 8 of the own set, one SQuAD article, 20,000 vectors")
    args = parser.parse_args()
    if args.quick:
        args.vectors = 20_000
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="qa-bench-pg-") as scratch, server() as database:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")  # the readers' copies go with the run
        if not args.vectors_only:
            results["library"] = library_part(
                database, Path(scratch), args.quick, args.squad_answers, args.keep, not args.no_accuracy
            )
            print_library(results["library"])
        if not args.library_only:
            results["vectors"] = vectors_part(database, args.vectors)
            print_vectors(results["vectors"])
    if not args.quick:
        write_results(results, "postgres-vectors.json" if args.vectors_only else "postgres-library.json" if args.library_only else "postgres.json")


def print_library(rows: dict) -> None:
    lines = ["| measure | directory | PostgreSQL | PostgreSQL / directory |", "| --- | --- | --- | --- |"]

    def line(label: str, a: float, b: float, unit: str) -> None:
        lines.append(f"| {label} | {a}{unit} | {b}{unit} | {b / a:.2f}x |")

    embedding, build = rows["embedding"]["seconds"], rows["build"]
    d, p = build["directory"]["seconds"], build["postgres"]["seconds"]
    line(f"adding the library ({rows['embedding']['passages']:,} passages), all but embedding", d, p, " s")
    line(f"  with the embedding ({embedding} s, the same for both)", round(d + embedding, 1), round(p + embedding, 1), " s")
    one = rows["one_more"]
    line("one more document (45 passages), `qa index add`", one["directory"]["cli_seconds"], one["postgres"]["cli_seconds"], " s")
    line("one more document, model loaded", one["directory"]["loaded_seconds"], one["postgres"]["loaded_seconds"], " s")
    line("  of which all but embedding", one["directory"]["storage_seconds"], one["postgres"]["storage_seconds"], " s")
    warm, cold = rows["warm"], rows["cold_ask"]
    line(f"warm answer, median of {warm['questions']}", warm["directory"]["median_ms"], warm["postgres"]["median_ms"], " ms")
    line("warm answer, p90", warm["directory"]["p90_ms"], warm["postgres"]["p90_ms"], " ms")
    line("cold `qa ask --json`, the first after a write", cold["directory"]["first_s"], cold["postgres"]["first_s"], " s")
    line("cold `qa ask --json`, median of the 3 after it", cold["directory"]["median_s"], cold["postgres"]["median_s"], " s")
    line("cold `qa ask --json`, peak memory", cold["directory"]["peak_mb"], cold["postgres"]["peak_mb"], " MB")
    accuracy = rows.get("accuracy", {"own": None})
    if accuracy["own"] is None:
        print("\n".join(lines) + f"\n\nthe same answer from both engines: {warm['same_answers']} of {warm['questions']} questions")
        return
    a, b = accuracy["own"]["directory"], accuracy["own"]["postgres"]
    lines.append(f"| own set hit@1 ({a['questions']} questions) | {a['hit@1']} | {b['hit@1']} | {b['hit@1'] - a['hit@1']:+.3f} |")
    if "squad5" in accuracy:
        r = accuracy["squad5"]["retrieval"]
        lines.append(f"| SQuAD-5 retrieval hit@1 ({r['questions']} answerable) | {r['hit@1']['directory']} | {r['hit@1']['postgres']} | "
                     f"{r['hit@1']['postgres'] - r['hit@1']['directory']:+.3f} |")
        for engine_rows in [accuracy["squad5"].get("answers")] if "answers" in accuracy["squad5"] else []:
            a, b = engine_rows["directory"], engine_rows["postgres"]
            lines.append(f"| SQuAD-5 `qa eval` hit@1 ({a['questions']}) | {a['hit@1']} | {b['hit@1']} | {b['hit@1'] - a['hit@1']:+.3f} |")
    print("\n".join(lines))
    print(f"\nthe same answer from both engines: {warm['same_answers']} of {warm['questions']} questions", end="")
    if "squad5" in accuracy:
        r = accuracy["squad5"]["retrieval"]
        print(f"; the same ranking (top 5 and every score) for {r['same_ranking']} of {r['questions']} SQuAD-5 questions", end="")
    print(f"\nload average: {rows['load_average_at_start']:.1f} at the start, {rows['load_average_at_end']:.1f} at the end")


def print_vectors(row: dict) -> None:
    print(f"\n{row['vectors']:,} synthetic {row['dim']}-d vectors: COPY {row['copy_seconds']} s, HNSW build {row['hnsw_build_seconds']} s "
          f"(table {row['table_mb']} MB, index {row['hnsw_mb']} MB); exact scan in the database {row['exact_scan_median_ms']} ms")
    for ef in (40, 512):
        r = row[f"ef_search_{ef}"]
        print(f"ef_search {ef}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, recall@10 {r['recall@10']}")


if __name__ == "__main__":
    main()
