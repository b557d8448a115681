"""Managing the documents qa knows: the library API behind ``qa index``.

Everything here works on an index directory; the CLI and the chat UI call these functions and
only decide how to show progress and notices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import DocumentError, QAError, UsageError
from .ingest.documents import Document, find_files, read_document
from .locations import BUNDLED_DOCUMENT, Location, default_index_dir, index_from_environment, location
from .store import index as store
from .store.embedding import load_encoder, model_name

Notify = Callable[[str], None]
Read = Callable[[int, int], None]
"""Told the number of files read so far and the number to read."""


def quiet(message: str) -> None:
    """The default notice sink: say nothing."""


def resolve(directory: str | Path | None) -> Location:
    """The index to use: the one given (a directory, or a ``postgresql://`` URL), else the default one."""
    return location(directory) if directory else default_index_dir()


def add_paths(
    paths: Sequence[str | Path],
    directory: str | Path | None = None,
    progress: store.Progress | None = None,
    notify: Notify = quiet,
    read: Read | None = None,
) -> tuple[store.Change, list[DocumentError]]:
    """Add the documents named by ``paths`` (folders give every supported file under them).

    Every path that gives no document (missing, unreadable, unsupported, empty, binary, a PDF
    without a text layer, no passage in it) is returned with its reason; all the others are
    added. What the index held stays.
    """
    found, failures, notices = find_files(paths)
    for notice in notices:
        notify(notice)
    documents: list[Document] = []
    for done, item in enumerate(found, 1):
        try:
            documents.append(read_document(item.path, item.name))
        except DocumentError as error:
            failures.append(error)
        if read:
            read(done, len(found))
    change = store.Change()
    if documents:
        change = add_documents(documents, directory, progress=progress, notify=notify)
    return change, failures + change.skipped


def add_documents(
    documents: Sequence[Document],
    directory: str | Path | None = None,
    encoder: store.PassageEncoder | None = None,
    progress: store.Progress | None = None,
    notify: Notify = quiet,
) -> store.Change:
    """Add documents already read (``add_paths`` reads them from files; a server from uploads),
    embedded with ``encoder`` (the passage encoder, loaded if not given: a long-running process
    passes one to load it once)."""
    return store.add(resolve(directory), documents, encoder or load_encoder(), progress, notify)


def remove(names: Sequence[str], directory: str | Path | None = None, notify: Notify = quiet) -> store.Change:
    """Drop documents by name."""
    return store.remove(resolve(directory), names, model_name(), notify)


def rebuild(directory: str | Path | None = None, progress: store.Progress | None = None, notify: Notify = quiet) -> store.Change:
    """Re-chunk and re-embed every document."""
    return store.rebuild(resolve(directory), load_encoder(), progress, notify)


def copy(source: str | Path, target: str | Path, notify: Notify = quiet) -> store.Change:
    """Copy the index at ``source`` to ``target`` (directories or ``postgresql://`` URLs, either
    way), vectors and all; ``target`` must hold no documents yet."""
    return store.copy(resolve(source), resolve(target), notify)


def version(directory: str | Path | None = None) -> str | None:
    """A token of the index's live version, cheap to read: it changes with every write (by this
    process or another); None when there is no index."""
    return store.version(resolve(directory))


def require_index(directory: str | Path | None = None) -> None:
    """Refuse an index named by ``directory`` or ``$QA_INDEX`` that holds no documents (a usage
    error saying how to make one); the default location is always fine."""
    if directory is None and index_from_environment() is None:
        return
    folder = resolve(directory)
    found = store.read_manifest(folder)
    if found is None or not found[0].get("documents"):
        what = "no index" if found is None else "no documents in the index"
        raise UsageError(f"{what} at {folder}: create it with `qa index add --index {folder} PATH...`")


def ensure_index(directory: str | Path | None = None, progress: store.Progress | None = None, notify: Notify = quiet) -> None:
    """Make the index ready to answer from, writing only what must be written: the first-use
    convenience of ``qa ask`` and ``qa chat``.

    At the default location, a missing or empty index gets the bundled article; an index named by
    ``directory`` or ``$QA_INDEX`` must exist and hold documents (a usage error says how to make
    one). An index built with another model, chunker, word index or format is brought up to date,
    with a one-line notice.
    """
    folder = resolve(directory)
    found = store.read_manifest(folder)
    if found is None or not found[0].get("documents"):
        require_index(directory)
        notify(f"indexing the bundled article into {folder}")
        store.add(folder, [read_document(BUNDLED_DOCUMENT)], load_encoder(), progress, notify)
    elif reason := store.mismatch(found[0], model_name()):
        notify(f"rebuilding the index: {reason}")
        store.add(folder, [], load_encoder(), progress, notify)  # adding nothing brings it up to date


def open_index(directory: str | Path | None = None) -> store.Index:
    """The index, read as it is: nothing is written (``ensure_index`` writes).

    A missing or empty index, or one built with another model, chunker, word index or format, is
    a ``QAError`` that says how to make or rebuild it.
    """
    folder = resolve(directory)
    index = store.load(folder)
    if index is None or not index.documents:
        require_index(directory)  # a named index: says how to create it
        raise UsageError(f"no documents at {folder} yet: `QA(build=True)` indexes the bundled article there, as `qa ask` does")
    reason = store.mismatch(index.manifest, model_name())
    if reason:
        raise QAError(
            f"the index at {folder} is outdated ({reason}): rebuild it with `qa index rebuild --index {folder}`, "
            "or open it with `QA(..., build=True)`"
        )
    return index
