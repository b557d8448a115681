"""`qa serve` under load: throughput and latency with 1, 4 and 16 clients, an index written by
another process in the middle of the load, and memory after many abandoned conversations.

    python -m bench.serve                       # the bundled article, 60 s a load level
    python -m bench.serve --seconds 20          # shorter
    python -m bench.serve --library             # also the 442-article library (SQuAD 1.1 train,
                                                # from the training folder beside the project)

A real `qa serve --port 0` runs in its own process; the clients are threads of this one, each
with its own HTTP connection, asking `POST /api/v1/ask` one question after another, each the
next of the own question set (tests/data/article_questions.jsonl) or, for the library, of the
SQuAD questions about it. Measured for each number of clients: answers a second, latency p50,
p95, p99, mean and max, errors, and the server's CPU time (how many cores it kept busy, and CPU
time an answer: on a machine shared with other work these say what the wall times cannot). Then, with 16 clients asking, another process runs `qa index
add` of a new document while a probe asks what only that document answers: failed requests
(any status but 200), when the write committed (the index's version token changed), when the
server served the new version (its health check) and the first question asked after the commit
that was answered from the new document. Last, 10,000 conversations are created and abandoned
(one in 100 asked a question first): the server's memory (RSS) before and after, and how many
it keeps. Results go to bench/results/serve.json and print as tables.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.run import QUESTIONS, ROOT, write_results

NEW_DOCUMENT = (
    "The Lighthouse Museum\n\n"
    "The lighthouse keeper Ansel Mork lit the lamp on Skerry Point for forty-one winters, from 1902 to 1943.\n"
)
NEW_QUESTION = "For how many winters did Ansel Mork light the lamp?"
NEW_ANSWER = "forty-one winters"


class Server:
    """`qa serve --port 0` on an index, in its own process."""

    def __init__(self, index: Path, threads: int | None) -> None:
        extra = ["--threads", str(threads)] if threads else []
        # as a user starts it: no key, and its own BLAS threads (bench.run's import set them for answering alone)
        environment = {k: v for k, v in os.environ.items() if k not in ("QA_API_KEY", "OPENBLAS_NUM_THREADS")}
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "serve", "--index", str(index), "--port", "0", "--max-conversations", "1000", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment,
        )
        line = self.process.stdout.readline()
        if " at http" not in line:
            raise SystemExit(f"qa serve did not start: {line!r}")
        self.url = line.split(" at ")[1].split()[0]

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self) -> float:
        """The server's CPU time so far (user and system, all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(2)
        self.process.wait(timeout=60)


def load(url: str, clients: int, seconds: float, questions: list[str], log: list | None = None, stop: threading.Event | None = None) -> dict:
    """``clients`` threads asking one question after another for ``seconds`` (or until ``stop``): the rates."""
    latencies: list[float] = []
    statuses: list[int] = []
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(number: int) -> None:
        with httpx.Client(base_url=url, timeout=300) as http:
            i = number * 7
            while time.perf_counter() < deadline and not (stop and stop.is_set()):
                question = questions[i % len(questions)]
                i += 1
                started = time.perf_counter()
                try:
                    status = http.post("/api/v1/ask", json={"question": question}).status_code
                except httpx.HTTPError:
                    status = 0
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    statuses.append(status)
                    if log is not None:
                        log.append((started, status))

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)

    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "answers": len(latencies),
        "errors": sum(1 for s in statuses if s != 200),
        "per_second": round(len(latencies) / elapsed, 2),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1),
        "max_ms": round(1000 * ordered[-1], 1),
    }


def update_under_load(server: Server, index: Path, seconds: float, questions: list[str], folder: Path) -> dict:
    """16 clients ask while another process adds a document: failures, and how soon it is served."""
    from qa import library

    document = folder / "lighthouse.txt"
    document.write_text(NEW_DOCUMENT, encoding="utf-8")
    log: list = []
    result: dict = {}
    stop = threading.Event()
    loader = threading.Thread(target=lambda: result.update(load(server.url, 16, 3600, questions, log, stop)))
    loader.start()
    time.sleep(seconds / 4)
    before = library.version(index)
    began = time.perf_counter()
    writer = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "index", "add", "--index", str(index), str(document)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while library.version(index) == before:  # the commit: the version token changes
        time.sleep(0.005)
    committed = time.perf_counter()
    after = library.version(index)
    committed_at = int(after.rsplit("@", 1)[1]) / 1e9  # CURRENT replaced: the directory engine's token says when
    probes: list[tuple[float, float, bool]] = []

    def probe() -> None:
        with httpx.Client(base_url=server.url, timeout=300) as http:
            asked = time.perf_counter()
            reply = http.post("/api/v1/ask", json={"question": NEW_QUESTION}).json()
            probes.append((asked, time.perf_counter(), any(c["doc"] == "lighthouse.txt" for c in reply.get("citations", []))))

    probing = []
    for _ in range(10):  # a probe at once, then every 0.2 s for 2 s, each on its own connection
        probing.append(threading.Thread(target=probe))
        probing[-1].start()
        time.sleep(0.2)
    for thread in probing:
        thread.join()
    with httpx.Client(base_url=server.url, timeout=300) as http:
        health = http.get("/api/v1/health").json()
    new = sorted((asked, done) for asked, done, found in probes if found)
    old = [asked for asked, _, found in probes if not found]
    writer.wait()
    time.sleep(seconds / 4)
    stop.set()
    loader.join()
    failed = sum(1 for _, status in log if status != 200)
    return {
        "load": result,
        "requests_during_load": len(log),
        "failed_requests": failed,
        "write_seconds": round(committed - began, 2),
        "served_after_commit_s": round(health["opened"] - committed_at, 3) if health["version"] == after else None,
        "probes": len(probes),
        "probes_answered_from_it": len(new),
        "last_probe_not_answered_from_it_asked_s": round(max(old) - committed, 3) if old else None,
        "first_probe_answered_from_it_asked_s": round(new[0][0] - committed, 3) if new else None,
        "first_probe_answered_from_it_done_s": round(new[0][1] - committed, 3) if new else None,
    }


def conversations(server: Server, count: int, asked_every: int) -> dict:
    """Create ``count`` conversations and abandon them (every ``asked_every``-th asked one question)."""
    before = server.rss_mb()
    questions = article_questions()
    started = time.perf_counter()

    def create(first: int) -> None:  # four clients, each creating every fourth conversation
        with httpx.Client(base_url=server.url, timeout=300) as http:
            for n in range(first, count, 4):
                conversation = http.post("/api/v1/conversations").json()["id"]
                if n % asked_every == 0:
                    http.post(f"/api/v1/conversations/{conversation}/ask", json={"question": questions[n % len(questions)]}).raise_for_status()

    creators = [threading.Thread(target=create, args=(first,)) for first in range(4)]
    for creator in creators:
        creator.start()
    for creator in creators:
        creator.join()
    with httpx.Client(base_url=server.url, timeout=300) as http:
        health = http.get("/api/v1/health").json()
    return {
        "created": count,
        "asked": len(range(0, count, asked_every)),
        "seconds": round(time.perf_counter() - started, 1),
        "kept": health["conversations"],
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(server.rss_mb(), 1),
    }


def article_questions() -> list[str]:
    """The own set's single questions (its conversations left out)."""
    records = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in records if "question" in r]


def library_corpus(folder: Path, index: Path | None) -> tuple[Path, list[str]]:
    """The 442-article library (bench/indexing.py's), indexed at ``index`` (kept there, and not
    built again when it is there already; a temporary one when None), and the SQuAD questions
    about it: the first two of each article's first paragraph."""
    from bench.indexing import _squad, library

    index = index or folder / "library-index"
    if not (index / "CURRENT").is_file():
        corpus = library(folder / "library")
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "index", "add", "--index", str(index), str(corpus)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    questions = [qa["question"] for article in _squad() for p in article["paragraphs"][:1] for qa in p["qas"][:2]]
    return index, questions


def run(label: str, index: Path, questions: list[str], args: argparse.Namespace, folder: Path, extras: bool) -> dict:
    server = Server(index, args.threads)
    try:
        with httpx.Client(base_url=server.url, timeout=300) as http:  # warm up
            for question in questions[:4]:
                http.post("/api/v1/ask", json={"question": question}).raise_for_status()
        result: dict = {"corpus": label, "threads": args.threads or os.cpu_count(), "rss_loaded_mb": round(server.rss_mb(), 1)}
        result["levels"] = []
        for clients in args.clients:
            cpu = server.cpu_seconds()
            level = load(server.url, clients, args.seconds, questions)
            used = server.cpu_seconds() - cpu
            level["server_cpu_ms_per_answer"] = round(1000 * used / max(level["answers"], 1), 1)
            level["server_cores_used"] = round(used / level["seconds"], 2)
            result["levels"].append(level)
        if extras:
            result["update"] = update_under_load(server, index, args.seconds, questions, folder)
            result["conversations"] = conversations(server, args.conversations, args.asked_every)
    finally:
        server.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds a load level (default 60)")
    parser.add_argument("--clients", default="1,4,16", help="numbers of clients (default 1,4,16)")
    parser.add_argument("--threads", type=int, help="qa serve --threads (default: its own)")
    parser.add_argument("--conversations", type=int, default=10_000, help="conversations created and abandoned")
    parser.add_argument("--asked-every", type=int, default=100, help="ask a question in every N-th conversation")
    parser.add_argument("--library", action="store_true", help="also the 442-article library (SQuAD 1.1 train)")
    parser.add_argument("--library-index", type=Path, metavar="DIR", help="keep the library's index here (and use it if it is there)")
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]

    from qa import library
    from qa.locations import BUNDLED_DOCUMENT

    results = {"machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()}, "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        article = folder / "article-index"
        library.add_paths([BUNDLED_DOCUMENT], article)
        results["runs"].append(run("bundled article", article, article_questions(), args, folder, extras=True))
        print_tables(results)
        if args.library:
            index, questions = library_corpus(folder, args.library_index)
            results["runs"].append(run("442-article library", index, questions, args, folder, extras=False))
    results["machine"]["load_average_after"] = os.getloadavg()
    write_results(results, "serve.json")
    print_tables(results)


def print_tables(results: dict) -> None:
    for run_ in results["runs"]:
        print(f"\n{run_['corpus']} ({run_['threads']} answering threads, server RSS {run_['rss_loaded_mb']} MB loaded)")
        print(f"{'clients':>7} {'answers/s':>9} {'x 1 client':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'p99/mean':>8} {'errors':>6} {'cores':>5} {'CPU ms/answer':>13}")
        single = run_["levels"][0]["per_second"]
        for level in run_["levels"]:
            print(
                f"{level['clients']:>7} {level['per_second']:>9} {level['per_second'] / single:>10.2f} {level['p50_ms']:>8} "
                f"{level['p95_ms']:>8} {level['p99_ms']:>8} {level['mean_ms']:>8} {level['p99_ms'] / level['mean_ms']:>8.2f} {level['errors']:>6} "
                f"{level['server_cores_used']:>5} {level['server_cpu_ms_per_answer']:>13}"
            )
        if "update" in run_:
            update = run_["update"]
            print(f"index update under 16 clients: {update['failed_requests']} of {update['requests_during_load']} requests failed; "
                  f"the write took {update['write_seconds']} s and was served {update['served_after_commit_s']} s after its commit; "
                  f"{update['probes_answered_from_it']} of {update['probes']} probes answered from the new document, the first asked "
                  f"+{update['first_probe_answered_from_it_asked_s']} s after the commit (answered +{update['first_probe_answered_from_it_done_s']} s), "
                  f"the last not answered from it asked +{update['last_probe_not_answered_from_it_asked_s']} s")
        if "conversations" in run_:
            c = run_["conversations"]
            print(f"{c['created']:,} conversations created and abandoned ({c['asked']} asked a question) in {c['seconds']} s: "
                  f"RSS {c['rss_before_mb']} -> {c['rss_after_mb']} MB, {c['kept']} kept")


if __name__ == "__main__":
    main()
