"""The index: documents, their passages, embeddings and BM25 arrays, kept by a storage engine.

This module is what the rest of qa uses: ``load`` and ``read_manifest`` read an index, ``add``,
``remove``, ``rebuild`` and ``copy`` change it, under the engine's writers' lock. What happens
between the read and the write is the same whatever keeps the index: documents are chunked and
embedded (``records.py``), named (``naming.py``) and checked against the versions the index was
built with (``versions.py``). What keeps it is a ``Storage``: the directory engine
(``directory.py``, generations of files, every write a whole new one) or the database engine
(``postgres.py``, PostgreSQL with pgvector, every document written in a transaction of its own).
The engine is told which documents change (``Storage.apply``) or that all of them do
(``Storage.replace``); the read path gets the same ``Index`` from either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal, Protocol

from ..errors import DocumentError, IndexCorrupt, QAError, UsageError
from ..ingest.documents import Document, find_name
from ..locations import DatabaseURL, Location
from . import records, versions
from .contents import DocumentEntry, Index, entries
from .directory import Directory
from .embedding import PassageEncoder
from .naming import Names
from .records import Progress, Record
from .versions import mismatch

Notify = Callable[[str], None]


class Storage(Protocol):
    """What keeps an index: read it, and change it under a lock, some documents (``apply``) or all
    of them (``replace``)."""

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

    def text(self, name: str) -> str | None:
        """The text kept of the document called ``name``; None when there is none. Called with
        the lock held."""

    def locked(self, notify: Notify | None = None, shared: bool = False) -> AbstractContextManager[None]:
        """The writers' lock: an exclusive holder waits for every other writer, and they for it.
        ``shared`` holders change only the documents they name (``apply``): an engine that writes
        only those may let them run together (the database); one whose every write is a whole
        new version holds them one after the other (the directory)."""

    commit_every: int | None
    """Passages to embed before handing them to ``apply`` (None: all of an add at once)."""

    def apply(self, put: Sequence[Record], drop: Sequence[str], built_by: dict | None) -> list[tuple[Outcome, str]]:
        """Add or update the embedded documents ``put`` and remove the documents named ``drop``;
        ``built_by`` says how the passages of ``put`` were made (``versions.built_by``). Each
        document of ``put`` is placed again (``naming.place``) against the index as it is now,
        so one that another writer added meanwhile is found ``unchanged``. Returns what became
        of each, with the name it has. Called with the lock held (shared will do)."""

    def replace(self, kept: Sequence[Record], built_by: dict) -> None:
        """Make the embedded documents ``kept`` the whole index, atomically (a failure leaves the
        previous one live). Called with the lock held exclusively."""


Outcome = Literal["added", "updated", "unchanged"]


def storage(location: Location) -> Storage:
    """The engine that keeps the index at ``location``: a database for a URL, else a directory."""
    if isinstance(location, DatabaseURL):
        from .postgres import Database  # psycopg is needed only for a database

        return Database(location)
    return Directory(location)


def exists(location: Location) -> bool:
    """True when ``location`` holds a committed index."""
    return storage(location).exists()


def read_manifest(location: Location) -> tuple[dict, int] | None:
    """The live manifest and the bytes the index takes, without loading vectors."""
    return storage(location).read_manifest()


def version(directory: Location) -> str | None:
    """The live version's token (``Storage.version``): compare two to see whether a write happened."""
    return storage(directory).version()


def load(location: Location) -> Index | None:
    """The live index at ``location``, or None when there is none yet."""
    return storage(location).load()


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
    copies: list[tuple[str, str]] = field(default_factory=list)  # (a new document, another with the same content)


def add(
    location: Location,
    documents: Sequence[Document],
    encoder: PassageEncoder,
    progress: Progress | None = None,
    notify: Notify | None = None,
) -> Change:
    """Add or update ``documents``; unchanged ones (same file, same content, read as the same
    format) cost nothing. Adding none brings an outdated index up to date.

    A document keeps the name it was indexed under; a new one whose name another file already
    has is named by more of its path (``b/README.md``). One with no passage in it is skipped
    (listed in ``Change.skipped``); the others are still added. An index that does not match
    ``encoder`` is re-chunked and re-embedded whole first, under the exclusive lock; otherwise
    only the new and changed documents are written, under the shared one.
    """
    change = Change()
    kept = storage(location)
    found = kept.read_manifest()
    if found is not None and mismatch(found[0], encoder.name):
        with kept.locked(notify):
            current = _current(kept, encoder, progress, change)
            names = Names([r.entry for r in current])
            at = {r.entry.name: i for i, r in enumerate(current)}
            texts = {r.entry.name: r.text for r in current}
            for record, known in _chunked(documents, names, encoder, change, texts.get):
                if known is None:
                    at[record.entry.name] = len(current)
                    current.append(record)
                    change.added.append(record.entry.name)
                else:
                    current[at[known.name]] = record
                    change.updated.append(record.entry.name)
            if change.added or change.updated or change.rebuilt:
                change.embedded += records.embed(current, encoder, progress)
                kept.replace(current, versions.built_by(encoder))
        return change
    with kept.locked(notify, shared=True):
        found = kept.read_manifest()
        if found is not None and (reason := mismatch(found[0], encoder.name)):
            raise QAError(f"{location}: another writer changed the index meanwhile ({reason}); add again")
        names = Names(entries(found[0]) if found else [])
        fresh = [record for record, _ in _chunked(documents, names, encoder, change, kept.text)]
        advance = progress(sum(len(r.chunks) for r in fresh)) if progress and fresh else None
        built_by = versions.built_by(encoder)
        for group in _groups(fresh, kept.commit_every):
            change.embedded += records.embed(group, encoder, (lambda _: advance) if advance else None)
            for outcome, name in kept.apply(group, [], built_by):
                getattr(change, outcome).append(name)
    return change


def remove(location: Location, names: Sequence[str], encoder_name: str, notify: Notify | None = None) -> Change:
    """Drop the documents called ``names`` (or their names less their suffixes) and their passages."""
    change = Change()
    kept = storage(location)
    with kept.locked(notify, shared=True):
        manifest = (kept.read_manifest() or ({"documents": []}, 0))[0]
        known = {entry["name"] for entry in manifest["documents"]}
        names = [find_name(name, known) or name for name in names]  # "notes" for "notes.md"
        missing = [name for name in names if name not in known]
        if missing:
            raise UsageError(f"not in the index: {', '.join(missing)} (see `qa index list`)")
        if names and manifest.get("format") != versions.FORMAT_VERSION:
            raise QAError(f"{location}: {mismatch(manifest, encoder_name)}; run `qa index rebuild` first")
        change.removed = list(dict.fromkeys(names))
        kept.apply([], change.removed, None)
    return change


def rebuild(location: Location, encoder: PassageEncoder, progress: Progress | None = None, notify: Notify | None = None) -> Change:
    """Re-chunk and re-embed every document from the text kept in the index; a damaged index is
    rebuilt from its texts."""
    change = Change()
    kept = storage(location)
    with kept.locked(notify):
        try:
            index = kept.load()
        except IndexCorrupt:
            index = kept.load_texts()
            change.rebuilt = "the index was damaged; rebuilt from the texts it keeps"
        if index is None:
            raise QAError(f"{location}: no index to rebuild yet; add documents with `qa index add`")
        rebuilt = _rechunk(index, encoder, progress, change)
        change.updated = [r.entry.name for r in rebuilt]
        kept.replace(rebuilt, versions.built_by(encoder))
    return change


def copy(source: Location, target: Location, notify: Notify | None = None) -> Change:
    """Copy the index at ``source`` to ``target`` (a directory or a database, either way), vectors
    and all: nothing is embedded again. ``target`` must hold no documents yet."""
    index = storage(source).load()
    if index is None or not index.documents:
        raise UsageError(f"no index to copy at {source}")
    if index.outdated:
        raise QAError(f"{source}: {mismatch(index.manifest, index.manifest.get('model', ''))}; run `qa index rebuild --index {source}` first")
    kept = storage(target)
    with kept.locked(notify):
        found = kept.read_manifest()
        if found is not None and found[0].get("documents"):
            raise UsageError(f"{target} already holds an index of {len(found[0]['documents'])} documents; copy into an empty one")
        copied = records.of_index(index)
        kept.replace(copied, {key: index.manifest.get(key) for key in versions.BUILT_BY})
    return Change(added=[r.entry.name for r in copied])


def _chunked(
    documents: Sequence[Document],
    names: Names,
    encoder: PassageEncoder,
    change: Change,
    kept_text: Callable[[str], str | None],
) -> Iterator[tuple[Record, DocumentEntry | None]]:
    """The new and changed ``documents``, each chunked and named, with the document of the index
    it replaces (None for a new one); unchanged ones (``records.unchanged``; ``kept_text`` gives
    the index's text of a name) are listed in ``change.unchanged``, ones without a passage in
    ``change.skipped``; a new one with the content of another is noted in ``change.copies``."""
    for document in documents:
        known, name = names.place(document.source, document.name)
        if records.unchanged(known, document.sha256, document.format, document.text, kept_text):
            change.unchanged.append(name)
            continue
        if known is None and (same := names.same_content(document.sha256, name)):  # the same file under another name
            change.copies.append((name, same))
        try:
            record = records.chunked(dataclasses.replace(document, name=name), encoder)
        except DocumentError as error:
            change.skipped.append(error)
            continue
        names.put(record.entry, known)
        yield record, known


def _groups(fresh: list[Record], passages: int | None) -> Iterator[list[Record]]:
    """``fresh`` in runs of at least ``passages`` passages (the last one less), or all at once."""
    group: list[Record] = []
    for record in fresh:
        group.append(record)
        if passages is not None and sum(len(r.chunks) for r in group) >= passages:
            yield group
            group = []
    if group:
        yield group


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
