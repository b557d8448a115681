"""The index: documents, their passages, embeddings and BM25 arrays, kept by a storage engine.

This module is what the rest of qa uses: ``load`` and ``read_manifest`` read an index, ``add``,
``remove`` and ``rebuild`` change it, each under the engine's writers' lock and as one atomic
write. What happens between the read and the write is the same whatever keeps the index:
documents are chunked and embedded (``records.py``), named (``naming.py``) and checked against
the versions the index was built with (``versions.py``). What keeps it is a ``Storage``: today
the directory engine (``directory.py``), a directory of generations of files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import DocumentError, IndexCorrupt, QAError, UsageError
from ..ingest.documents import Document
from . import records, versions
from .contents import Index
from .directory import Directory
from .embedding import PassageEncoder
from .naming import place
from .records import Progress, Record, Snapshot
from .versions import mismatch

Notify = Callable[[str], None]


class Storage(Protocol):
    """What keeps an index: read it, and write a new version of it atomically under a lock."""

    def exists(self) -> bool:
        """True when an index has been committed."""

    def read_manifest(self) -> tuple[dict, int] | None:
        """The live manifest and the bytes the index takes, without loading vectors; None when
        there is no index yet."""

    def version(self) -> str | None:
        """A token naming the live version, cheap enough to read before every question (nothing
        is loaded): it changes with every committed write; None when there is no index yet. A
        long-running reader (``qa serve``) compares it to the one it loaded to see a write."""

    def load(self) -> Index | None:
        """The live version, read-only (only its documents and texts when it has another
        format); None when there is no index yet; an ``IndexCorrupt`` when it is damaged."""

    def load_texts(self) -> Index:
        """Only the documents and texts of the live version, to rebuild a damaged one from."""

    def locked(self, notify: Notify | None = None) -> AbstractContextManager[None]:
        """The writers' lock: a second writer waits for the first."""

    def write(self, snapshot: Snapshot) -> str:
        """Make ``snapshot`` the live version, atomically (a failure leaves the previous one
        live); returns its name. Called with the lock held."""


def storage(location: Path) -> Storage:
    """The engine that keeps the index at ``location``."""
    return Directory(location)


def exists(directory: Path) -> bool:
    """True when ``directory`` holds a committed index."""
    return storage(directory).exists()


def read_manifest(directory: Path) -> tuple[dict, int] | None:
    """The live manifest and the bytes the index takes on disk, without loading vectors."""
    return storage(directory).read_manifest()


def version(directory: Path) -> str | None:
    """The live version's token (``Storage.version``): compare two to see whether a write happened."""
    return storage(directory).version()


def load(directory: Path) -> Index | None:
    """The live index at ``directory``, or None when there is none yet."""
    return storage(directory).load()


@dataclass
class Change:
    """What a write did to each document it touched: added, updated, unchanged or removed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[DocumentError] = field(default_factory=list)  # read, but with no passage in them
    rebuilt: str | None = None  # why the whole index was re-embedded, if it was
    embedded: int = 0  # passages embedded by this write


def add(
    directory: Path,
    documents: Sequence[Document],
    encoder: PassageEncoder,
    progress: Progress | None = None,
    notify: Notify | None = None,
) -> Change:
    """Add or update ``documents``; unchanged ones (same file, same content, read as the same
    format) cost nothing. Adding none brings an outdated index up to date.

    A document keeps the name it was indexed under; a new one whose name another file already
    has is named by more of its path (``b/README.md``). One with no passage in it is skipped
    (listed in ``Change.skipped``); the others are still added.
    """
    change = Change()
    kept = storage(directory)
    with kept.locked(notify):
        current = _current(kept, encoder, progress, change)
        by_name = {r.entry.name: i for i, r in enumerate(current)}
        fresh = []
        for document in documents:
            i, name = place(document, current, by_name)
            document = dataclasses.replace(document, name=name)
            known = current[i].entry if i is not None else None
            if known is not None and (known.sha256, known.format) == (document.sha256, document.format):
                change.unchanged.append(document.name)
                continue
            try:
                record = records.chunked(document, encoder)
            except DocumentError as error:
                change.skipped.append(error)
                continue
            if i is None:
                by_name[document.name] = len(current)
                current.append(record)
                change.added.append(document.name)
            else:
                current[i] = record
                change.updated.append(document.name)
            fresh.append(record)
        if fresh or change.rebuilt:
            change.embedded += records.embed(current, encoder, progress)
            kept.write(records.snapshot(current, versions.built_by(encoder)))
    return change


def remove(directory: Path, names: Sequence[str], encoder_name: str, notify: Notify | None = None) -> Change:
    """Drop the documents called ``names`` and their passages."""
    change = Change()
    kept = storage(directory)
    with kept.locked(notify):
        index = kept.load()
        known = {e.name for e in index.documents} if index else set()
        missing = [name for name in names if name not in known]
        if missing:
            raise UsageError(f"not in the index: {', '.join(missing)} (see `qa index list`)")
        if index is not None and index.outdated:
            raise QAError(f"{directory}: {mismatch(index.manifest, encoder_name)}; run `qa index rebuild` first")
        left = [r for r in records.of_index(index) if r.entry.name not in names]
        change.removed = list(dict.fromkeys(names))
        manifest = index.manifest  # type: ignore[union-attr]
        kept.write(records.snapshot(left, {key: manifest.get(key) for key in ("model", "dim", "max_tokens", "chunker")}))
    return change


def rebuild(directory: Path, encoder: PassageEncoder, progress: Progress | None = None, notify: Notify | None = None) -> Change:
    """Re-chunk and re-embed every document from the text kept in the index; a damaged index is
    rebuilt from its texts."""
    change = Change()
    kept = storage(directory)
    with kept.locked(notify):
        try:
            index = kept.load()
        except IndexCorrupt:
            index = kept.load_texts()
            change.rebuilt = "the index was damaged; rebuilt from the texts it keeps"
        if index is None:
            raise QAError(f"{directory}: no index to rebuild yet; add documents with `qa index add`")
        rebuilt = _rechunk(index, encoder, progress, change)
        change.updated = [r.entry.name for r in rebuilt]
        kept.write(records.snapshot(rebuilt, versions.built_by(encoder)))
    return change


def _current(kept: Storage, encoder: PassageEncoder, progress: Progress | None, change: Change) -> list[Record]:
    """The live documents, re-chunked and re-embedded first if the index does not match ``encoder``
    (when only its words are outdated, the write counts them again: every write does)."""
    index = kept.load()
    if index is None:
        return []
    change.rebuilt = mismatch(index.manifest, encoder.name)
    if versions.stale_passages(index.manifest, encoder.name) is None:
        return records.of_index(index)
    return _rechunk(index, encoder, progress, change)


def _rechunk(index: Index, encoder: PassageEncoder, progress: Progress | None, change: Change) -> list[Record]:
    """Every document of ``index`` chunked and embedded again; one in which the chunker no longer
    finds a passage keeps its passages (or, with none to keep, is skipped)."""
    rechunked = []
    for entry in index.documents:
        try:
            rechunked.append(records.rechunked(entry, index.texts[entry.name], encoder))
        except DocumentError as error:
            if not index.passages:
                change.skipped.append(error)
            else:
                rechunked.extend(r for r in records.of_index(index) if r.entry.name == entry.name)
    change.embedded += records.embed(rechunked, encoder, progress)
    return rechunked
