"""Managing the documents qa knows: the library API behind ``qa index``.

Everything here works on an index directory; the CLI and the chat UI call these functions and
only decide how to show progress and notices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from . import index as store
from .documents import Document, expand_paths, read_document
from .embedding import load_encoder, model_name
from .errors import DocumentError, QAError
from .locations import BUNDLED_DOCUMENT, default_index_dir

Notify = Callable[[str], None]


def quiet(message: str) -> None:
    """The default notice sink: say nothing."""


def resolve(directory: str | Path | None) -> Path:
    """The index directory to use: the one given, else the default one."""
    return Path(directory).expanduser() if directory else default_index_dir()


def add_paths(
    paths: Sequence[str | Path],
    directory: str | Path | None = None,
    progress: store.Progress | None = None,
    notify: Notify = quiet,
) -> tuple[store.Change, list[DocumentError]]:
    """Add the text files named by ``paths`` (directories give their .txt/.md files).

    Files that cannot be read are skipped and returned with the reason; the others are added.
    """
    documents: list[Document] = []
    failures: list[DocumentError] = []
    for path in expand_paths(paths):
        try:
            documents.append(read_document(path))
        except DocumentError as error:
            failures.append(error)
    change = store.Change()
    if documents:
        change = store.add(resolve(directory), documents, load_encoder(), progress, notify)
    return change, failures


def remove(names: Sequence[str], directory: str | Path | None = None, notify: Notify = quiet) -> store.Change:
    """Drop documents by name."""
    return store.remove(resolve(directory), names, model_name(), notify)


def rebuild(directory: str | Path | None = None, progress: store.Progress | None = None, notify: Notify = quiet) -> store.Change:
    """Re-chunk and re-embed every document."""
    return store.rebuild(resolve(directory), load_encoder(), progress, notify)


def open_index(
    directory: str | Path | None = None,
    progress: store.Progress | None = None,
    notify: Notify = quiet,
) -> store.Index:
    """The index, ready to answer from.

    An empty or missing index gets the bundled article first; an index built with another
    model or chunker is rebuilt (with a one-line notice).
    """
    folder = resolve(directory)
    index = store.load(folder)
    if index is not None and index.documents and store.mismatch(index.manifest, model_name()) is None:
        return index
    if index is None or not index.documents:
        notify(f"indexing the bundled article into {folder}")
        store.add(folder, [read_document(BUNDLED_DOCUMENT)], load_encoder(), progress, notify)
    else:
        reason = store.mismatch(index.manifest, model_name())
        notify(f"rebuilding the index: {reason}")
        store.rebuild(folder, load_encoder(), progress, notify)
    index = store.load(folder)
    if index is None:  # pragma: no cover - a concurrent writer removed it
        raise QAError(f"{folder}: the index vanished while it was being opened")
    return index
