"""The ``qa`` command: a thin shell over the library.

Heavy libraries (numpy, faiss, torch) are imported inside the commands that need them, so
``qa --help`` answers at once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Self

from . import process
from .errors import QAError, UsageError

if TYPE_CHECKING:
    from rich.progress import Progress

    from .engine import QA, Conversation

DESCRIPTION = "Ask questions about your documents (PDF, HTML, Word, Markdown, text); answers quote the text and cite it."
EPILOG = """environment:
  QA_INDEX   index directory or postgresql:// URL (default: index/ of the checkout, else
             $XDG_DATA_HOME/qa/index)
  QA_MODEL   sentence-transformers model name or path (default: bundled all-MiniLM-L6-v2)
  NO_COLOR   plain output even on a terminal

formats (in the qa repository): docs/answer-json.md (ask --json, chat --jsonl),
docs/question-file.md (qa eval FILE), docs/eval-json.md (qa eval --json)"""


def build_parser() -> argparse.ArgumentParser:
    # --index is accepted before the command and after it; SUPPRESS keeps a later default
    # from overwriting an earlier value.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--index", metavar="DIR|URL", default=argparse.SUPPRESS,
        help="index directory, or a postgresql:// URL (default: $QA_INDEX or index/); a named one must exist, "
        "except for `index add`",
    )

    parser = argparse.ArgumentParser(
        prog="qa", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ask = commands.add_parser("ask", parents=[common], help="answer one question, with citations")
    ask.add_argument("question", help="the question, in plain language (at most 10,000 characters)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON (docs/answer-json.md)")
    ask.add_argument("--top-k", type=_positive, default=3, metavar="K", help="passages to retrieve (default 3)")
    ask.add_argument("--doc", metavar="NAME", help="search only this document (its name as `qa index list` shows it; the suffix may be left out)")
    ask.set_defaults(run=_ask)

    chat = commands.add_parser("chat", parents=[common], help="a conversation: terminal UI, or --jsonl for programs")
    chat.add_argument("--jsonl", action="store_true", help='read questions from stdin (one a line: text, or {"question": ...}), one JSON answer per line')
    chat.add_argument("--doc", metavar="NAME", help="search only this document (its name as `qa index list` shows it; the suffix may be left out)")
    chat.add_argument("--top-k", type=_positive, default=3, metavar="K", help="passages to retrieve (default 3)")
    chat.set_defaults(run=_chat)

    index = commands.add_parser("index", parents=[common], help="add, list, remove and rebuild documents")
    actions = index.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", parents=[common], help="add files (PDF, HTML, DOCX, Markdown, text) or folders of them",
        description="Add documents: .pdf (with a text layer), .html/.htm, .docx, Markdown (.md), and plain "
        "text (.txt, .rst, .org, .adoc). A folder adds every such file under it (hidden ones left out), "
        "each named by its path inside the folder. A path that cannot be added is skipped with one "
        "line on stderr and the others are added; the exit status is then 1.",
    )
    add.add_argument("paths", nargs="+", metavar="PATH")
    add.set_defaults(run=_index_add)
    listing = actions.add_parser("list", parents=[common], help="documents, passages, model and size on disk")
    listing.add_argument("--json", action="store_true", help="print as JSON")
    listing.set_defaults(run=_index_list)
    remove = actions.add_parser("remove", parents=[common], help="remove documents by name (the suffix may be left out)")
    remove.add_argument("names", nargs="+", metavar="DOC")
    remove.set_defaults(run=_index_remove)
    rebuild = actions.add_parser("rebuild", parents=[common], help="re-chunk and re-embed every document")
    rebuild.set_defaults(run=_index_rebuild)
    copy = actions.add_parser(
        "copy", help="copy an index between a directory and a database, either way (nothing is embedded again)",
        description="Copy the index at SOURCE to TARGET, each a directory or a postgresql:// URL: documents, texts, "
        "passages, vectors and words, nothing embedded again. TARGET must hold no documents yet.",
    )
    copy.add_argument("source", metavar="SOURCE")
    copy.add_argument("target", metavar="TARGET")
    copy.set_defaults(run=_index_copy)

    evaluate = commands.add_parser("eval", parents=[common], help="retrieval accuracy on a question file")
    evaluate.add_argument("file", help="JSON Lines question file (docs/question-file.md) or a SQuAD v1.1/v2.0 JSON file")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.add_argument("--misses", action="store_true", help="list every question that missed")
    evaluate.set_defaults(run=_eval)

    serve = commands.add_parser(
        "serve", parents=[common], help="serve the index over HTTP: a JSON API and OpenAI-compatible chat",
        description="Serve the index over HTTP (docs/http-api.md): a JSON API under /api/v1 (described at /docs) "
        "and OpenAI-compatible /v1/chat/completions. Listens on localhost; any other --host needs QA_API_KEY "
        "(clients send `Authorization: Bearer KEY`). Documents added by `qa index add` meanwhile are served "
        "without a restart. Needs `pip install 'qa[serve]'`.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 takes a free one)")
    serve.add_argument("--threads", type=_positive, metavar="N", help="questions answered at once (default: the CPU's cores)")
    serve.add_argument("--allow-origin", action="append", default=[], metavar="URL", help="let web pages from this origin call the API (repeatable)")
    serve.add_argument("--max-upload-mb", type=_positive, default=50, metavar="MB", help="largest document upload (default 50)")
    serve.add_argument("--max-conversations", type=_positive, default=1000, metavar="N", help="conversations kept (default 1000)")
    serve.add_argument("--access-log", action="store_true", help="log every request on stderr")
    serve.add_argument("--insecure-no-api-key", action="store_true", help="serve a non-local --host without an API key: anyone who reaches it can read and change the index")
    serve.set_defaults(run=_serve)

    mcp = commands.add_parser(
        "mcp", parents=[common], help="a Model Context Protocol server on stdin/stdout, for AI agents",
        description="Run a Model Context Protocol server over stdio (tools: ask, search, list_documents), for an "
        "agent that starts it as `qa mcp --index DIR`. Needs `pip install 'qa[serve]'`.",
    )
    mcp.set_defaults(run=_mcp)
    return parser


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {value!r}")
    return int(value)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    process.set_defaults(blas_threads=1 if args.command == "serve" else None)  # a server parallelizes questions instead
    args.index = getattr(args, "index", None)
    try:
        code = args.run(args) or 0
    except QAError as error:
        print(f"qa: error: {error}", file=sys.stderr)
        code = error.exit_code
    except KeyboardInterrupt:
        print("qa: interrupted; the index is unchanged", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        sys.stderr.close()
        code = 0
    sys.exit(code)


# ---------------------------------------------------------------------------- helpers


def _notice(message: str) -> None:
    print(f"qa: {message}", file=sys.stderr)


def _console(stderr: bool = False, wide: bool = False):
    """A rich console; ``wide``, one whose lines are never wrapped or cut (for output read by programs)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, width=100_000 if wide else None)


@contextmanager
def _terminal_bar(label: str) -> Iterator[object | None]:
    """A rich progress display on stderr when it is a terminal; None elsewhere."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=_console(stderr=True), transient=True,
    ) as bar:
        yield bar


@contextmanager
def _progress() -> Iterator[Callable[[int], Callable[[int], None]] | None]:
    """A progress bar factory for embedding, on a terminal only."""
    with _terminal_bar("embedding passages") as bar:
        if bar is None:
            yield None
            return

        def start(total: int) -> Callable[[int], None]:
            task = bar.add_task("embed", total=total)
            return lambda n: bar.advance(task, n)

        yield start


class _Bar:
    """A question counter on a terminal; silent elsewhere."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._task = progress.add_task("questions", total=None) if progress else None

    def total(self, n: int) -> None:
        if self._progress:
            self._progress.update(self._task, total=n)

    def advance(self) -> None:
        if self._progress:
            self._progress.advance(self._task)


@contextmanager
def _bar(label: str) -> Iterator[_Bar]:
    with _terminal_bar(label) as bar:
        yield _Bar(bar)


# ---------------------------------------------------------------------------- index


class _Ticker:
    """When stderr is not a terminal: one line at least every ``every`` seconds while files are
    read and passages embedded (what is done, and the rate), so a pipe or a log sees progress."""

    def __init__(self, every: float = 10.0) -> None:
        import threading

        self._clock = time.monotonic
        self._begun = self._clock()
        self._every = every
        self._files = (0, 0)
        self._embedded = (0, 0)
        self._embed_begun: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def read(self, done: int, total: int) -> None:
        self._files = (done, total)

    def progress(self, total: int) -> Callable[[int], None]:
        self._embedded = (0, total)
        self._embed_begun = self._clock()

        def advance(n: int) -> None:
            self._embedded = (self._embedded[0] + n, self._embedded[1])

        return advance

    def line(self) -> str:
        files, total = self._files
        parts = [f"{files:,} of {total:,} files read"]
        if self._embed_begun is not None:
            done, texts = self._embedded
            rate = done / max(self._clock() - self._embed_begun, 1e-9)
            parts.append(f"{done:,} of {texts:,} passages embedded ({rate:.1f}/s)")
        else:
            rate = files / max(self._clock() - self._begun, 1e-9)
            parts.append(f"{rate:.1f} files/s")
        return f"{self._clock() - self._begun:.0f} s: " + ", ".join(parts)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            _notice(self.line())


def _index_add(args: argparse.Namespace) -> int:
    from . import library

    started = time.perf_counter()
    if sys.stderr.isatty():
        with _progress() as progress:
            change, failures = library.add_paths(args.paths, args.index, progress, _notice)
    else:
        with _Ticker() as ticker:
            change, failures = library.add_paths(args.paths, args.index, ticker.progress, _notice, ticker.read)
    if change.rebuilt:
        _notice(f"rebuilt the index ({change.rebuilt})")
    for failure in failures:
        print(f"qa: skipped {failure}", file=sys.stderr)
    for verb, names in (("added", change.added), ("updated", change.updated), ("unchanged", change.unchanged)):
        for name in names:
            print(f"{verb:9} {name}")
    for name, same in change.copies:
        _notice(f"{name} has the same content as {same}: both are indexed (`qa index remove {name}` drops the copy)")
    _rate(change.embedded, time.perf_counter() - started)
    return 1 if failures else 0


def _rate(passages: int, seconds: float) -> None:
    """How many passages were embedded, how fast (on stderr: a report, not the command's output)."""
    if passages:
        _notice(f"{passages:,} passages indexed in {seconds:.1f} s ({passages / max(seconds, 1e-9):.1f} passages/s)")


def _require_named_index(directory: str | None) -> None:
    """The rule for every command but ``qa index add`` (which creates the index): an index named by
    ``--index`` or ``$QA_INDEX`` must exist, else a usage error says how to create it. (Whether it
    is readable is left to the command: ``qa index rebuild`` repairs a damaged one.)"""
    from . import library
    from .store import index as store

    if not store.exists(library.resolve(directory)):
        library.require_index(directory)


def _index_list(args: argparse.Namespace) -> int:
    from . import library
    from .store import index as store

    _require_named_index(args.index)
    folder = library.resolve(args.index)
    found = store.read_manifest(folder)  # the manifest alone: no numpy, no faiss
    manifest, size = found if found else ({"documents": []}, 0)
    documents = manifest["documents"]
    report = {
        "index": str(folder),
        "model": manifest.get("model"),
        "dim": manifest.get("dim"),
        "passages": sum(d["passages"] for d in documents),
        "bytes": size,
        "documents": [{k: d[k] for k in ("name", "title", "passages", "chars", "source")} for d in documents],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    if not found:
        print(f"no index at {folder} yet: `qa index add PATH` adds documents, `qa ask` indexes the bundled article")
        return 0
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    # a document's name is what --doc and `index remove` take: never cut (on a terminal the title
    # wraps instead; piped, each document is one line whatever its length)
    table.add_column("document", no_wrap=True, min_width=max((len(d["name"]) for d in documents), default=8))
    for column in ("passages", "chars"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("title", overflow="fold")
    for d in documents:
        table.add_row(Text(d["name"]), str(d["passages"]), f"{d['chars']:,}", Text(d["title"] or ""))  # names as written, no markup
    console = _console(wide=not sys.stdout.isatty())
    with console.capture() as shown:
        console.print(table)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in shown.get().splitlines()))  # no row padded past its title
    console.print(
        f"{len(documents)} documents, {report['passages']} passages, model {report['model']} "
        f"({report['dim']} dims), {size / 1e6:.1f} MB at {folder}",
        soft_wrap=True,
    )
    stale = store.mismatch(manifest, library.model_name())
    if stale:
        console.print(f"{stale}: the next `qa ask` or `qa index add` rebuilds it (or `qa index rebuild` now)", soft_wrap=True)
    return 0


def _index_remove(args: argparse.Namespace) -> int:
    from . import library

    _require_named_index(args.index)
    change = library.remove(args.names, args.index, _notice)
    for name in change.removed:
        print(f"removed   {name}")
    return 0


def _index_rebuild(args: argparse.Namespace) -> int:
    from . import library

    _require_named_index(args.index)
    started = time.perf_counter()
    with _progress() as progress:
        change = library.rebuild(args.index, progress, _notice)
    if change.rebuilt:
        _notice(change.rebuilt)
    print(f"rebuilt {len(change.updated)} documents")
    _rate(change.embedded, time.perf_counter() - started)
    return 0


def _index_copy(args: argparse.Namespace) -> int:
    from . import library

    source, target = library.resolve(args.source), library.resolve(args.target)
    change = library.copy(source, target, _notice)
    print(f"copied {len(change.added)} documents from {source} to {target}")
    return 0


# ---------------------------------------------------------------------------- questions


def _open(args: argparse.Namespace):  # -> qa.engine.QA
    """The QA over ``--index``, with a progress bar if it must embed the bundled article first."""
    from .engine import QA

    with _progress() as progress:
        return QA(args.index, build=True, progress=progress, notify=_notice)


def _ask(args: argparse.Namespace) -> int:
    from .engine import check_question

    question = check_question(args.question)
    qa = _open(args)
    answer = qa.ask(question, args.top_k, args.doc)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        from .present.render import print_answer

        print_answer(answer, _console())
    return 0


def _chat(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _chat_jsonl(args)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("qa chat needs a terminal; programs can use qa chat --jsonl")
    from .library import require_index
    from .present.tui.app import run_chat

    require_index(args.index)  # before the screen opens: a mistyped --index is a usage error

    return run_chat(args.index, args.doc, args.top_k)


def _chat_jsonl(args: argparse.Namespace) -> int:
    """One question per input line, as text or as a JSON object ``{"question": "..."}``; one
    answer JSON per output line; a line starting with a slash is a control line (``_control``)."""
    qa = _open(args)
    conversation = qa.conversation(args.doc)
    for line in sys.stdin:
        line = line.strip()
        try:
            if line.startswith("/"):
                conversation, reply = _control(line, qa, conversation)
            else:
                reply = conversation.ask(_question(line), args.top_k).to_dict()
        except UsageError as error:
            reply = {"error": str(error)}
        print(json.dumps(reply, ensure_ascii=False), flush=True)
    return 0


def _question(line: str) -> str:
    """The question a ``qa chat --jsonl`` line asks: the line, or the ``question`` of a JSON object."""
    if not line.startswith("{"):
        return line
    try:
        asked = json.loads(line)
    except json.JSONDecodeError as error:
        raise UsageError(f"a line starting with {{ is read as JSON, and this one is not valid JSON ({error.msg})") from None
    if set(asked) != {"question"} or not isinstance(asked["question"], str):
        raise UsageError('a JSON line holds one key, "question", a string: {"question": "Who said that?"}')
    return asked["question"]


def _control(line: str, qa: QA, conversation: Conversation) -> tuple[Conversation, dict]:
    """Carry out a control line of ``qa chat --jsonl`` (``/new``, ``/doc NAME``, ``/doc``): the
    conversation that goes on after it, and the reply; a line that is none of these is a usage error."""
    command, *rest = line.split(maxsplit=1)
    argument = rest[0] if rest else ""
    if command == "/new":
        if argument:
            raise UsageError(f"/new takes no argument (got {argument!r}); /doc NAME chooses a document")
        return qa.conversation(conversation.doc), {"event": "new"}
    if command == "/doc":
        doc = argument or None
        return qa.conversation(doc), {"event": "doc", "doc": doc}
    raise UsageError(f"unknown command {command!r}: the commands are /new and /doc [NAME]")


def _serve(args: argparse.Namespace) -> int:
    from .serve import require

    require("fastapi", "uvicorn", "python_multipart")
    from .serve.limits import Limits, MiB
    from .serve.server import serve

    _require_named_index(args.index)
    limits = Limits(upload_bytes=args.max_upload_mb * MiB, conversations=args.max_conversations)
    return serve(
        args.index, args.host, args.port, threads=args.threads, limits=limits, origins=frozenset(args.allow_origin),
        insecure=args.insecure_no_api_key, access_log=args.access_log, opened=lambda _: _open(args),
    )


def _mcp(args: argparse.Namespace) -> int:
    from .serve import require

    require("mcp")
    from .serve.mcp_server import run

    _require_named_index(args.index)
    return run(_open(args))


def _eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import evaluation

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if evaluation.is_squad(path):
        with _bar("asking questions") as bar:
            result = evaluation.evaluate_squad(path, bar.advance, bar.total)
    else:
        items = evaluation.read_question_file(path)
        qa = _open(args)
        with _bar("asking questions") as bar:
            bar.total(len(items))
            result = evaluation.evaluate(qa, items, bar.advance)
    report = result.report()
    if args.json:
        if not args.misses:
            report["misses"] = report["misses"][:20]
        print(json.dumps(report, ensure_ascii=False))
        return 0
    from .present.render import print_report

    print_report(report, _console(), args.misses)
    return 0
