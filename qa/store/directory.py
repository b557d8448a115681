"""The directory engine: an index kept as generations of files in one directory.

Layout of an index directory::

    CURRENT            name of the live generation, replaced atomically
    .lock              taken by writers, so two writers run one after the other
    gen-000007/        one complete, immutable generation
        manifest.json  format, model, dimension, chunker and word index versions, documents (with hashes)
        texts.json     the text of every document, so spans can always be resolved
        passages.npy   int64 rows: document, paragraph, part, parts, start, end
        vectors.faiss  normalized embeddings, inner product, one row per passage (``dense.py``)
        sentences.npy  int64 rows: passage row, start, end of every sentence of every passage
        sentences.faiss  embeddings of those sentences: the mean of each sentence's tokens as
                       the model read them within its passage, normalized
        lexical.npz    the passages' words and word pairs as BM25 arrays (qa/store/lexical.py)

Every write is a whole new generation: a change to some documents (``apply``) is composed with
the documents the live generation keeps into the full snapshot (``records.snapshot``), so
writers hold the lock one after the other from the read to the write. A write builds the new
generation in a temporary directory, renames it into place and only then points ``CURRENT`` at
it. A crash, a full disk or Ctrl-C before that leaves the previous
generation live and untouched; readers never see a half-written one. Once ``CURRENT`` is on disk
the previous generation is deleted: one generation is all that recovery needs. A reader that
was still reading it finds ``CURRENT`` changed and reads the new one, and a damaged generation
is rebuilt from its own manifest and texts.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import IndexCorrupt, NotAnIndex, QAError
from . import dense, locking, records
from .contents import Index
from .lexical import FILE as LEXICAL_FILE
from .lexical import Lexical
from .naming import Names
from .records import Record, Snapshot
from .versions import BUILT_BY, FORMAT_VERSION

if TYPE_CHECKING:
    from .index import Outcome

CURRENT = "CURRENT"
LOCK = ".lock"
_KEEP_FILES = {".gitignore", LOCK, CURRENT, "README.md"}


class Directory:
    """The index kept in the directory ``path``."""

    commit_every = None  # an add is one generation: its documents are embedded, then written together

    def __init__(self, path: Path) -> None:
        self.path = path
        self._texts: tuple[str, dict[str, str]] | None = None  # a generation's name and its texts (``text``)

    def exists(self) -> bool:
        """True when the directory holds a committed index."""
        return (self.path / CURRENT).is_file()

    def check(self) -> None:
        """Refuse a directory that holds files but no qa index (so nothing of the user's is touched)."""
        if self.path.exists() and not self.path.is_dir():
            raise NotAnIndex(f"{self.path}: not a directory, so not a qa index")
        if self.path.is_dir() and not self.exists():
            names = [p.name for p in self.path.iterdir()]
            foreign = [name for name in names if name not in _KEEP_FILES and not name.startswith(("gen-", ".tmp-"))]
            if foreign:
                raise NotAnIndex(f"{self.path}: not a qa index (it holds {foreign[0]!r}); choose another --index")

    def version(self) -> str | None:
        """The live generation's name and when ``CURRENT`` was replaced (so that an index deleted
        and made again, whose numbering starts over, still reads as changed); None when there is
        no index. One small file is read."""
        try:
            when = (self.path / CURRENT).stat().st_mtime_ns
            return f"{self._live()}@{when}"
        except FileNotFoundError:
            return None

    def read_manifest(self) -> tuple[dict, int] | None:
        """The live generation's manifest and the bytes the index takes on disk (every file of the
        directory), without loading vectors; None when there is no index yet."""
        self.check()
        try:
            folder = self.path / self._live()
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            return manifest, sum(path.stat().st_size for path in self.path.rglob("*") if path.is_file())
        except FileNotFoundError:
            if self.exists():
                raise IndexCorrupt(f"{self.path}: the live index generation is missing; run `qa index rebuild`") from None
            return None
        except (OSError, ValueError) as error:
            raise IndexCorrupt(f"{self.path}: cannot read the index manifest ({_short(error)}); run `qa index rebuild`") from None

    def load(self) -> Index | None:
        """The live generation, or None when there is none yet."""
        self.check()
        for attempt in range(3):
            try:
                generation = self._live()
            except FileNotFoundError:
                return None
            try:
                return self._read(generation)
            except (FileNotFoundError, IndexCorrupt) as error:
                # a writer replaced the generation and deleted this one while we read: read the new one
                if attempt < 2 and self._live() != generation:
                    continue
                if isinstance(error, IndexCorrupt):
                    raise
                raise IndexCorrupt(f"{self.path}: index generation {generation!r} is missing; run `qa index rebuild`") from None
        return None

    def load_texts(self) -> Index:
        """Only the documents and texts of the live generation, to rebuild a damaged one from."""
        try:
            generation = self._live()
            manifest = json.loads((self.path / generation / "manifest.json").read_text(encoding="utf-8"))
            texts = json.loads((self.path / generation / "texts.json").read_text(encoding="utf-8"))
            return Index.documents_only(self.path, generation, manifest, texts)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexCorrupt(
                f"{self.path}: cannot read the index's texts ({_short(error)}): delete {self.path} and add the documents again"
            ) from None

    def text(self, name: str) -> str | None:
        """The text kept of the document called ``name``; None when there is none. The live
        generation's texts are read once (called with the lock held, so it stays live)."""
        generation = self._live()
        if self._texts is None or self._texts[0] != generation:
            self._texts = generation, self.load_texts().texts
        return self._texts[1].get(name)

    @contextmanager
    def locked(self, notify: Callable[[str], None] | None = None, shared: bool = False) -> Iterator[None]:
        """Hold the writers' lock; a second writer waits for the first (``shared`` or not: every
        write is a whole generation)."""
        self.check()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            (self.path / LOCK).touch()
        except OSError as error:
            raise QAError(f"{self.path}: cannot create the index here ({error.strerror or error})") from None
        with locking.exclusive(self.path / LOCK, notify=notify):
            for leftover in self.path.glob(".tmp-gen-*"):  # of writers that crashed or were interrupted
                shutil.rmtree(leftover, ignore_errors=True)
            yield

    def apply(self, put: Sequence[Record], drop: Sequence[str], built_by: dict | None) -> list[tuple[Outcome, str]]:
        """The live generation with the documents ``put`` added or updated and those named
        ``drop`` removed, written as a new one (``built_by``: how the passages of ``put`` were
        made; None keeps what the manifest says). Called with the lock held."""
        index = self.load()
        current = records.of_index(index)
        names = Names([r.entry for r in current])
        at = {r.entry.name: i for i, r in enumerate(current)}
        outcomes: list[tuple[Outcome, str]] = []
        for record in put:
            known, name = names.place(record.entry.source, record.entry.name)
            entry = record.entry
            if records.unchanged(known, entry.sha256, entry.format, record.text, lambda name: current[at[name]].text):
                outcomes.append(("unchanged", name))
                continue
            record.entry = dataclasses.replace(record.entry, name=name)
            names.put(record.entry, known)
            if known is None:
                at[name] = len(current)
                current.append(record)
                outcomes.append(("added", name))
            else:
                current[at[known.name]] = record
                outcomes.append(("updated", name))
        kept = [r for r in current if r.entry.name not in set(drop)]
        manifest = index.manifest if index is not None else {}
        self.write(records.snapshot(kept, built_by or {key: manifest.get(key) for key in BUILT_BY}))
        return outcomes

    def replace(self, kept: Sequence[Record], built_by: dict) -> None:
        """A new generation of the documents ``kept`` and nothing else. Called with the lock held."""
        self.write(records.snapshot(kept, built_by))

    def write(self, snapshot: Snapshot) -> str:
        """Write ``snapshot`` as a new generation, make it live and delete the others; returns its
        name. Called with the lock held."""
        import faiss

        previous = self._live() if self.exists() else None
        number = int(previous.split("-")[1]) + 1 if previous else 1
        generation = f"gen-{number:06d}"
        temporary = self.path / f".tmp-{generation}-{os.getpid()}"
        try:
            temporary.mkdir()
            _write_file(temporary / "manifest.json", json.dumps(snapshot.manifest, indent=1, ensure_ascii=False).encode())
            _write_file(temporary / "texts.json", json.dumps(snapshot.texts, ensure_ascii=False).encode())
            for name, array in (("passages.npy", snapshot.rows), ("sentences.npy", snapshot.sentences)):
                with open(temporary / name, "wb") as handle:
                    np.save(handle, array, allow_pickle=False)
                    handle.flush()
                    os.fsync(handle.fileno())
            for name, parts in (("vectors.faiss", snapshot.vectors), ("sentences.faiss", snapshot.sentence_vectors)):
                faiss.write_index(dense.build(parts, snapshot.manifest["dim"]), str(temporary / name))
                _fsync_path(temporary / name)
            snapshot.lexical.save(temporary)
            _fsync_path(temporary / LEXICAL_FILE)
            _fsync_path(temporary)
            os.rename(temporary, self.path / generation)
            _write_file(self.path / f".tmp-{CURRENT}", generation.encode())
            os.replace(self.path / f".tmp-{CURRENT}", self.path / CURRENT)
            _fsync_path(self.path)
        except BaseException as error:
            shutil.rmtree(temporary, ignore_errors=True)
            if isinstance(error, OSError):
                raise QAError(f"{self.path}: cannot write the index ({error.strerror or error}); the previous index is unchanged") from None
            raise
        for old in self.path.glob("gen-*"):
            if old.name != generation:
                shutil.rmtree(old, ignore_errors=True)
        return generation

    def _live(self) -> str:
        """The name of the live generation (``FileNotFoundError`` when there is none)."""
        return (self.path / CURRENT).read_text().strip()

    def _read(self, generation: str) -> Index:
        """One generation, loaded (only its documents and texts when it has another format)."""
        import faiss

        folder = self.path / generation
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            texts = json.loads((folder / "texts.json").read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT_VERSION:
                return Index.documents_only(self.path, generation, manifest, texts)
            return Index.assemble(
                self.path,
                generation,
                manifest,
                texts,
                np.load(folder / "passages.npy", allow_pickle=False),
                faiss.read_index(str(folder / "vectors.faiss")),
                np.load(folder / "sentences.npy", allow_pickle=False),
                faiss.read_index(str(folder / "sentences.faiss")),
                Lexical.load(folder),
            )
        except (FileNotFoundError, IndexCorrupt):
            raise
        except (OSError, ValueError, KeyError, TypeError, RuntimeError, zipfile.BadZipFile) as error:
            raise IndexCorrupt(f"{folder}: cannot read the index ({_short(error)}); run `qa index rebuild`") from None


def _short(error: BaseException) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
