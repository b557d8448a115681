"""The index on disk: passages of documents, their embeddings in FAISS, and a manifest.

Layout of an index directory::

    CURRENT            name of the live generation, replaced atomically
    .lock              taken by writers, so two writers run one after the other
    gen-000007/        one complete, immutable generation
        manifest.json  format, model, dimension, chunker and word index versions, documents (with hashes)
        texts.json     the text of every document, so spans can always be resolved
        passages.npy   int64 rows: document, paragraph, part, parts, start, end
        vectors.faiss  normalized embeddings, inner product, one row per passage
        sentences.npy  int64 rows: passage row, start, end of every sentence of every passage
        sentences.faiss  embeddings of those sentences: the mean of each sentence's tokens as
                       the model read them within its passage, normalized
        lexical.npz    the passages' words and word pairs as BM25 arrays (qa/store/lexical.py)

Up to ``EXACT_LIMIT`` vectors a FAISS file is a flat index and every question is scored against
every vector (a matrix-vector product over the stored rows). Above it the file is an HNSW graph
over the same rows, searched for the ``ANN_CANDIDATES`` nearest, the others scored as the
farthest of those; the flat rows stay inside it, so a search within one document stays exact.

A write builds a new generation in a temporary directory, renames it into place and only then
points ``CURRENT`` at it. A crash, a full disk or Ctrl-C before that leaves the previous
generation live and untouched; readers never see a half-written one. Once ``CURRENT`` is on disk
the previous generation is deleted: one generation is all that recovery needs. A reader that
was still reading it finds ``CURRENT`` changed and reads the new one, and a damaged generation
is rebuilt from its own manifest and texts.
"""

from __future__ import annotations

import bisect
import dataclasses
import fcntl
import json
import os
import shutil
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import DocumentError, IndexCorrupt, NotAnIndex, QAError, UsageError
from ..ingest import chunking, formats
from ..ingest.documents import Document
from .embedding import PassageEncoder
from .lexical import FILE as LEXICAL_FILE
from .lexical import VERSION as LEXICAL_VERSION
from .lexical import Lexical

if TYPE_CHECKING:
    import faiss

# Bump when what is stored changes shape: indexes written with another version are rebuilt.
# 2: documents carry their format and page offsets; names are paths relative to a folder.
# 3: sentence vectors pooled from the passage's own pass; BM25 stored (lexical.npz).
FORMAT_VERSION = 3
CURRENT = "CURRENT"
LOCK = ".lock"
_KEEP_FILES = {".gitignore", LOCK, CURRENT, "README.md"}

# Exact scoring reads every vector: about 18 ms per 100,000 here (bench/indexing.py), so up to
# 250,000 vectors a question's exact scores cost less than a tenth of the reader's time.
EXACT_LIMIT = 250_000
ANN_CANDIDATES = 512

Progress = Callable[[int], Callable[[int], None]]
"""Called with the number of passages to embed; returns a callback told of each batch done."""


@dataclass(frozen=True)
class Passage:
    """A passage of a document: ``text == document_text[start:end]``; ``page`` is the page it
    starts on (1-based), for documents that have pages."""

    id: str
    doc: str
    paragraph: int
    start: int
    end: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class DocumentEntry:
    """What the manifest records of one document."""

    name: str
    source: str
    sha256: str
    title: str | None
    passages: int
    chars: int
    format: str = "text"
    pages: list[int] | None = None  # offset in the text where each page starts (PDF)

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) that the character at ``offset`` is on, if the document has pages."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None


@dataclass
class _Record:
    """One document while a new generation is assembled: entry, text, chunks and vectors."""

    entry: DocumentEntry
    text: str
    chunks: list[chunking.Chunk]
    sentences: np.ndarray  # (sentences, 3) int64: chunk ordinal within the document, start, end
    vectors: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None


@dataclass
class Index:
    """One generation of the index, loaded read-only."""

    directory: Path
    generation: str
    manifest: dict
    documents: list[DocumentEntry]
    texts: dict[str, str]
    passages: list[Passage]
    rows: np.ndarray  # (passages, 6) int64: document, paragraph, part, parts, start, end
    vectors: np.ndarray  # (passages, dim) float32, normalized
    sentences: np.ndarray  # (sentences, 3) int64: passage row, start, end
    sentence_vectors: np.ndarray  # (sentences, dim) float32, normalized
    lexical: Lexical
    _passage_faiss: object = field(default=None, repr=False)
    _sentence_faiss: object = field(default=None, repr=False)

    @property
    def model(self) -> str:
        return self.manifest["model"]

    @property
    def outdated(self) -> bool:
        """Written in another format: only its documents and texts were read (``_outdated``)."""
        return self.manifest.get("format") != FORMAT_VERSION

    def text(self, doc: str) -> str:
        return self.texts[doc]

    def document(self, name: str) -> DocumentEntry | None:
        return next((entry for entry in self.documents if entry.name == name), None)

    def page_at(self, doc: str, offset: int) -> int | None:
        """The page of document ``doc`` that ``offset`` is on (None for a document without pages)."""
        entry = self.document(doc)
        return entry.page_at(offset) if entry else None

    def passage_similarity(self, query: np.ndarray, rows: range | None = None) -> np.ndarray:
        """Cosine of ``query`` with every passage (only ``rows`` if given; the others score -1):
        exact, or from the HNSW graph above ``EXACT_LIMIT`` rows."""
        return _search(self._passage_faiss, self.vectors, query, rows)

    def sentence_similarity(self, query: np.ndarray, rows: range | None = None) -> np.ndarray:
        """Cosine of ``query`` with every sentence (only ``rows`` if given; the others score -1)."""
        return _search(self._sentence_faiss, self.sentence_vectors, query, rows)


def mismatch(manifest: dict, model: str) -> str | None:
    """Why an index built under ``manifest`` cannot serve ``model`` with this code, if it cannot."""
    return _stale_vectors(manifest, model) or _stale_words(manifest)


def _stale_vectors(manifest: dict, model: str) -> str | None:
    """Why the passages of ``manifest`` must be chunked and embedded again, if they must."""
    if manifest.get("format") != FORMAT_VERSION:
        return f"index format {manifest.get('format')} (this qa reads {FORMAT_VERSION})"
    if manifest.get("model") != model:
        return f"built with model {manifest.get('model')!r}, now {model!r}"
    if manifest.get("chunker") != chunking.CHUNKER_VERSION:
        return f"built with chunker version {manifest.get('chunker')}, now {chunking.CHUNKER_VERSION}"
    return None


def _stale_words(manifest: dict) -> str | None:
    """Why the stored BM25 arrays of ``manifest`` must be counted again, if they must (indexes
    written before the version was recorded hold version 1's words)."""
    version = manifest.get("lexical", 1)
    if version != LEXICAL_VERSION:
        return f"built with word index version {version}, now {LEXICAL_VERSION}"
    return None


# ---------------------------------------------------------------------------- reading


def exists(directory: Path) -> bool:
    """True when ``directory`` holds a committed index."""
    return (directory / CURRENT).is_file()


def check_directory(directory: Path) -> None:
    """Refuse a directory that holds files but no qa index (so nothing of the user's is touched)."""
    if directory.exists() and not directory.is_dir():
        raise NotAnIndex(f"{directory}: not a directory, so not a qa index")
    if directory.is_dir() and not exists(directory):
        foreign = [p.name for p in directory.iterdir() if p.name not in _KEEP_FILES and not p.name.startswith(("gen-", ".tmp-"))]
        if foreign:
            raise NotAnIndex(f"{directory}: not a qa index (it holds {foreign[0]!r}); choose another --index")


def read_manifest(directory: Path) -> tuple[dict, int] | None:
    """The live generation's manifest and the bytes the index takes on disk (every file of the
    directory), without loading vectors."""
    check_directory(directory)
    try:
        folder = directory / (directory / CURRENT).read_text().strip()
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return manifest, sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())
    except FileNotFoundError:
        if exists(directory):
            raise IndexCorrupt(f"{directory}: the live index generation is missing; run `qa index rebuild`") from None
        return None
    except (OSError, ValueError) as error:
        raise IndexCorrupt(f"{directory}: cannot read the index manifest ({_short(error)}); run `qa index rebuild`") from None


def load(directory: Path) -> Index | None:
    """The live generation of the index at ``directory``, or None when there is none yet."""
    check_directory(directory)
    for attempt in range(3):
        try:
            generation = (directory / CURRENT).read_text().strip()
        except FileNotFoundError:
            return None
        try:
            return _load_generation(directory, generation)
        except (FileNotFoundError, IndexCorrupt) as error:
            # a writer replaced the generation and deleted this one while we read: read the new one
            if attempt < 2 and (directory / CURRENT).read_text().strip() != generation:
                continue
            if isinstance(error, IndexCorrupt):
                raise
            raise IndexCorrupt(f"{directory}: index generation {generation!r} is missing; run `qa index rebuild`") from None
    return None


def _load_generation(directory: Path, generation: str) -> Index:
    import faiss

    folder = directory / generation
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        texts = json.loads((folder / "texts.json").read_text(encoding="utf-8"))
        documents = [DocumentEntry(**entry) for entry in manifest["documents"]]
        if manifest.get("format") != FORMAT_VERSION:
            return _outdated(directory, generation, manifest, documents, texts)
        rows = np.load(folder / "passages.npy", allow_pickle=False)
        vectors_index = faiss.read_index(str(folder / "vectors.faiss"))
        sentences = np.load(folder / "sentences.npy", allow_pickle=False)
        sentence_index = faiss.read_index(str(folder / "sentences.faiss"))
        lexical = Lexical.load(folder)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, zipfile.BadZipFile) as error:
        raise IndexCorrupt(f"{folder}: cannot read the index ({_short(error)}); run `qa index rebuild`") from None
    n = vectors_index.ntotal
    if (
        rows.ndim != 2
        or rows.shape[0] != n
        or sum(d.passages for d in documents) != n
        or sentences.shape[0] != sentence_index.ntotal
        or (len(sentences) and int(sentences[:, 0].max()) >= n)
        or lexical.words.n != n
        or lexical.pairs.n != n
    ):
        raise IndexCorrupt(f"{folder}: passages and vectors disagree; run `qa index rebuild`")
    passages = []
    for doc_row, paragraph, part, parts, start, end in rows.tolist():
        entry = documents[doc_row]
        chunk = chunking.Chunk(paragraph, part, parts, start, end)
        passages.append(Passage(chunk.id, entry.name, paragraph, start, end, texts[entry.name][start:end], entry.page_at(start)))
    return Index(
        directory,
        generation,
        manifest,
        documents,
        texts,
        passages,
        rows,
        _vectors(vectors_index),
        sentences,
        _vectors(sentence_index),
        lexical,
        vectors_index,
        sentence_index,
    )


def _load_texts(directory: Path, generation: str) -> Index:
    """Only the documents and texts of a generation whose other files are damaged, to rebuild from."""
    folder = directory / generation
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        texts = json.loads((folder / "texts.json").read_text(encoding="utf-8"))
        return _outdated(directory, generation, manifest, [DocumentEntry(**entry) for entry in manifest["documents"]], texts)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexCorrupt(
            f"{folder}: cannot read the index's texts ({_short(error)}): delete {directory} and add the documents again"
        ) from None


def _outdated(directory: Path, generation: str, manifest: dict, documents: list[DocumentEntry], texts: dict[str, str]) -> Index:
    """A generation's documents and their texts, without passages, so that they can be re-chunked
    and re-embedded: one written in another format (``mismatch`` says why), or a damaged one."""
    vectors = np.zeros((0, int(manifest.get("dim") or 0)), dtype=np.float32)
    no_rows, no_sentences = np.zeros((0, 6), dtype=np.int64), np.zeros((0, 3), dtype=np.int64)
    return Index(directory, generation, manifest, documents, texts, [], no_rows, vectors, no_sentences, vectors, Lexical.build([]))


class _Lent:
    """Memory of a FAISS index lent to numpy: the array's base, so it keeps the index alive."""

    def __init__(self, view: np.ndarray, owner: object) -> None:
        self.__array_interface__ = view.__array_interface__
        self.owner = owner


def _vectors(stored: faiss.Index) -> np.ndarray:
    """The rows stored in a FAISS index (flat, or an HNSW graph's flat storage), as a numpy view
    that keeps the index alive as long as it (or any slice of it) is."""
    import faiss

    flat = faiss.downcast_index(stored.storage) if isinstance(stored, faiss.IndexHNSW) else stored
    if flat.ntotal == 0:
        return np.zeros((0, flat.d), dtype=np.float32)
    view = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
    return np.asarray(_Lent(view, stored))


def _search(stored: faiss.Index, vectors: np.ndarray, query: np.ndarray, rows: range | None) -> np.ndarray:
    """The inner product of ``query`` with the ``rows`` of ``vectors`` (all rows when None); the
    other rows score -1. Exact up to ``EXACT_LIMIT`` rows; above it the HNSW graph ``stored``
    finds the nearest and the rest score as the farthest of those."""
    import faiss

    n = len(vectors)
    scores = np.full(n, -1.0, dtype=np.float32)
    rows = range(n) if rows is None else rows
    query = np.ascontiguousarray(query.reshape(-1), dtype=np.float32)
    if len(rows) <= EXACT_LIMIT or not isinstance(stored, faiss.IndexHNSW):
        scores[rows.start : rows.stop] = vectors[rows.start : rows.stop] @ query
        return scores
    selector = None if len(rows) == n else faiss.IDSelectorRange(rows.start, rows.stop)
    params = faiss.SearchParametersHNSW(efSearch=ANN_CANDIDATES, sel=selector)
    distances, found = stored.search(query.reshape(1, -1), ANN_CANDIDATES, params=params)
    keep = found[0] >= 0
    scores[rows.start : rows.stop] = distances[0][keep].min() if keep.any() else -1.0
    scores[found[0][keep]] = distances[0][keep]
    return scores


def dense_index(parts: Sequence[np.ndarray], dim: int):  # -> faiss.Index
    """A FAISS index by inner product of the normalized vectors in ``parts`` (in order, added
    part by part: no copy of them all): flat, or HNSW above EXACT_LIMIT."""
    import faiss

    if sum(len(part) for part in parts) > EXACT_LIMIT:
        stored = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        stored.hnsw.efConstruction = 80
    else:
        stored = faiss.IndexFlatIP(dim)
    for part in parts:
        if len(part):
            stored.add(np.ascontiguousarray(part, dtype=np.float32))
    return stored


def _load_to_rebuild(directory: Path) -> tuple[Index | None, bool]:
    """The live generation, or when it is damaged its documents and texts alone; and whether it
    was damaged."""
    try:
        return load(directory), False
    except IndexCorrupt:
        return _load_texts(directory, (directory / CURRENT).read_text().strip()), True


def _short(error: BaseException) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


# ---------------------------------------------------------------------------- writing


@contextmanager
def locked(directory: Path, wait: float = 600.0, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the writers' lock of ``directory``; a second writer waits for the first."""
    check_directory(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / LOCK, "a+")  # noqa: SIM115 - closed by the `with` below
    except OSError as error:
        raise QAError(f"{directory}: cannot create the index here ({error.strerror or error})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify:
                notify("another qa process is writing the index; waiting for it")
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise QAError(f"{directory}: still locked by another qa process after {wait:.0f} s") from None
                    time.sleep(0.1)
        try:
            _remove_leftovers(directory)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(directory: Path) -> None:
    """Temporary generations of writers that crashed or were interrupted."""
    for path in directory.glob(".tmp-gen-*"):
        shutil.rmtree(path, ignore_errors=True)


def _records(index: Index | None) -> list[_Record]:
    """The documents of ``index`` with their chunks and vectors, ready to be written again."""
    if index is None:
        return []
    records = []
    row = 0
    for entry in index.documents:
        chunks = [chunking.Chunk(*values) for values in index.rows[row : row + entry.passages, 1:].tolist()]
        mine = (index.sentences[:, 0] >= row) & (index.sentences[:, 0] < row + entry.passages)
        sentences = index.sentences[mine] - np.array([row, 0, 0])
        records.append(
            _Record(
                entry,
                index.texts[entry.name],
                chunks,
                sentences,
                np.array(index.vectors[row : row + entry.passages]),
                np.array(index.sentence_vectors[mine]),
            )
        )
        row += entry.passages
    return records


def _embed(records: list[_Record], encoder: PassageEncoder, progress: Progress | None) -> int:
    """Embed the passages of ``records`` that have no vectors yet, and their sentences, in one
    pass; returns how many passages that was."""
    pending = [r for r in records if r.vectors is None]
    texts, sentences = [], []
    for r in pending:
        own = [[] for _ in r.chunks]
        for chunk, start, end in r.sentences.tolist():
            own[chunk].append((start - r.chunks[chunk].start, end - r.chunks[chunk].start))
        texts += [r.text[c.start : c.end] for c in r.chunks]
        sentences += own
    if not texts:
        return 0
    advance = progress(len(texts)) if progress else None
    vectors, sentence_vectors = encoder.encode_passages(texts, sentences, progress=advance)
    row = sentence_row = 0
    for record in pending:
        record.vectors = vectors[row : row + len(record.chunks)]
        record.sentence_vectors = sentence_vectors[sentence_row : sentence_row + len(record.sentences)]
        row += len(record.chunks)
        sentence_row += len(record.sentences)
    return len(texts)


def _record(document: Document, encoder: PassageEncoder) -> _Record:
    """A document chunked into passages, not yet embedded."""
    marked = document.format in formats.MARKED_HEADINGS
    chunks = chunking.chunk(document.text, encoder.count_tokens, encoder.max_tokens, marked_headings=marked)
    if not chunks:
        raise DocumentError(f"{document.source}: no passage of text in it (only headings or short lines)")
    title = document.title or chunking.title_of(document.text, chunking.paragraphs(document.text))
    pages = list(document.pages) if document.pages else None
    entry = DocumentEntry(
        document.name, document.source, document.sha256, title, len(chunks), len(document.text), document.format, pages
    )
    sentences = np.array(
        [[i, s.start, s.end] for i, c in enumerate(chunks) for s in chunking.sentences(document.text, c.start, c.end)],
        dtype=np.int64,
    ).reshape(-1, 3)
    return _Record(entry, document.text, chunks, sentences)


def _built_by(encoder: PassageEncoder) -> dict:
    """What the manifest says of the passages that ``encoder`` and this chunker make."""
    return {"model": encoder.name, "dim": encoder.dim, "max_tokens": encoder.max_tokens, "chunker": chunking.CHUNKER_VERSION}


def _write(directory: Path, records: list[_Record], built_by: dict) -> str:
    """Write ``records`` as a new generation and make it live; returns its name. ``built_by``
    says how their passages were made (``_built_by``); the words are counted afresh."""
    import faiss

    previous = (directory / CURRENT).read_text().strip() if exists(directory) else None
    number = int(previous.split("-")[1]) + 1 if previous else 1
    generation = f"gen-{number:06d}"
    temporary = directory / f".tmp-{generation}-{os.getpid()}"
    manifest = {
        "format": FORMAT_VERSION,
        **built_by,
        "lexical": LEXICAL_VERSION,
        "documents": [asdict(r.entry) for r in records],
    }
    rows = np.array(
        [[d, c.paragraph, c.part, c.parts, c.start, c.end] for d, r in enumerate(records) for c in r.chunks],
        dtype=np.int64,
    ).reshape(-1, 6)
    offsets = np.cumsum([0] + [len(r.chunks) for r in records])
    sentences = np.concatenate(
        [r.sentences + np.array([offsets[d], 0, 0]) for d, r in enumerate(records)] + [np.zeros((0, 3), np.int64)]
    ).astype(np.int64)
    try:
        temporary.mkdir()
        _write_file(temporary / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode())
        _write_file(temporary / "texts.json", json.dumps({r.entry.name: r.text for r in records}, ensure_ascii=False).encode())
        for name, array in (("passages.npy", rows), ("sentences.npy", sentences)):
            with open(temporary / name, "wb") as handle:
                np.save(handle, array, allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
        for name, parts in (("vectors.faiss", [r.vectors for r in records]), ("sentences.faiss", [r.sentence_vectors for r in records])):
            faiss.write_index(dense_index(parts, built_by["dim"]), str(temporary / name))
            _fsync_path(temporary / name)
        Lexical.build([r.text[c.start : c.end] for r in records for c in r.chunks]).save(temporary)
        _fsync_path(temporary / LEXICAL_FILE)
        _fsync_path(temporary)
        os.rename(temporary, directory / generation)
        _write_file(directory / f".tmp-{CURRENT}", generation.encode())
        os.replace(directory / f".tmp-{CURRENT}", directory / CURRENT)
        _fsync_path(directory)
    except BaseException as error:
        shutil.rmtree(temporary, ignore_errors=True)
        if isinstance(error, OSError):
            raise QAError(f"{directory}: cannot write the index ({error.strerror or error}); the previous index is unchanged") from None
        raise
    for old in directory.glob("gen-*"):
        if old.name != generation:
            shutil.rmtree(old, ignore_errors=True)
    return generation


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


def _current(directory: Path, encoder: PassageEncoder, progress: Progress | None, change: Change) -> list[_Record]:
    """The live documents, re-chunked and re-embedded first if the index does not match ``encoder``
    (when only its words are outdated, the write counts them again: every write does)."""
    index = load(directory)
    if index is None:
        return []
    change.rebuilt = mismatch(index.manifest, encoder.name)
    if _stale_vectors(index.manifest, encoder.name) is None:
        return _records(index)
    return _rechunk(index, encoder, progress, change)


def _rechunk(index: Index, encoder: PassageEncoder, progress: Progress | None, change: Change) -> list[_Record]:
    records = []
    for e in index.documents:
        pages = tuple(e.pages) if e.pages else None
        title = e.title if e.format != "text" else None  # a text's title comes from the chunker
        document = Document(e.name, e.source, index.texts[e.name], e.sha256, e.format, title, pages)
        try:
            records.append(_record(document, encoder))
        except DocumentError as error:  # the chunker no longer finds a passage in it
            if not index.passages:  # no passages to keep
                change.skipped.append(error)
            else:  # kept as it was
                records.extend(r for r in _records(index) if r.entry.name == e.name)
    change.embedded += _embed(records, encoder, progress)
    return records


def add(
    directory: Path,
    documents: Sequence[Document],
    encoder: PassageEncoder,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
) -> Change:
    """Add or update ``documents``; unchanged ones (same file, same content, read as the same
    format) cost nothing.

    A document keeps the name it was indexed under; a new one whose name another file already
    has is named by more of its path (``b/README.md``). One with no passage in it is skipped
    (listed in ``Change.skipped``); the others are still added.
    """
    change = Change()
    with locked(directory, notify=notify):
        records = _current(directory, encoder, progress, change)
        by_name = {r.entry.name: i for i, r in enumerate(records)}
        fresh = []
        for document in documents:
            i, name = _place(document, records, by_name)
            document = dataclasses.replace(document, name=name)
            known = records[i].entry if i is not None else None
            if known is not None and (known.sha256, known.format) == (document.sha256, document.format):
                change.unchanged.append(document.name)
                continue
            try:
                record = _record(document, encoder)
            except DocumentError as error:
                change.skipped.append(error)
                continue
            if i is None:
                by_name[document.name] = len(records)
                records.append(record)
                change.added.append(document.name)
            else:
                records[i] = record
                change.updated.append(document.name)
            fresh.append(record)
        if fresh or change.rebuilt:
            change.embedded += _embed(records, encoder, progress)
            _write(directory, records, _built_by(encoder))
    return change


def _place(document: Document, records: list[_Record], by_name: dict[str, int]) -> tuple[int | None, str]:
    """The record ``document`` replaces (None for a new one) and the name it goes by.

    The same file keeps its name; a name whose file is gone passes to the new file (it was
    moved); a name another file still has is lengthened with the new file's parent folders
    until it is free, then numbered.
    """
    for i, record in enumerate(records):
        if record.entry.source == document.source:
            return i, record.entry.name
    i = by_name.get(document.name)
    if i is None:
        return None, document.name
    if not Path(records[i].entry.source).exists():
        return i, document.name
    parts = Path(document.source).parts
    for depth in range(document.name.count("/") + 2, len(parts)):
        name = "/".join(parts[-depth:])
        if name not in by_name:
            return None, name
    stem, dot, suffix = document.name.rpartition(".")
    number = 2
    while (name := f"{stem} ({number}).{suffix}" if dot else f"{document.name} ({number})") in by_name:
        number += 1
    return None, name


def remove(directory: Path, names: Sequence[str], encoder_name: str, notify: Callable[[str], None] | None = None) -> Change:
    """Drop the documents called ``names`` and their passages."""
    change = Change()
    with locked(directory, notify=notify):
        index = load(directory)
        known = {e.name for e in index.documents} if index else set()
        missing = [name for name in names if name not in known]
        if missing:
            raise UsageError(f"not in the index: {', '.join(missing)} (see `qa index list`)")
        if index is not None and index.outdated:
            raise QAError(f"{directory}: {mismatch(index.manifest, encoder_name)}; run `qa index rebuild` first")
        records = [r for r in _records(index) if r.entry.name not in names]
        change.removed = list(dict.fromkeys(names))
        manifest = index.manifest  # type: ignore[union-attr]
        _write(directory, records, {key: manifest.get(key) for key in ("model", "dim", "max_tokens", "chunker")})
    return change


def rebuild(directory: Path, encoder: PassageEncoder, progress: Progress | None = None, notify: Callable[[str], None] | None = None) -> Change:
    """Re-chunk and re-embed every document from the text kept in the index."""
    change = Change()
    with locked(directory, notify=notify):
        index, damaged = _load_to_rebuild(directory)
        if index is None:
            raise QAError(f"{directory}: no index to rebuild yet; add documents with `qa index add`")
        if damaged:
            change.rebuilt = "the index was damaged; rebuilt from the texts it keeps"
        records = _rechunk(index, encoder, progress, change)
        change.updated = [r.entry.name for r in records]
        _write(directory, records, _built_by(encoder))
    return change
