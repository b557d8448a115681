"""Documents on their way into the index: chunked into passages and sentences, embedded, and
gathered into the ``Snapshot`` that one write stores.

A ``Record`` is one document while a new version of the index is assembled: its manifest entry,
its text, its chunks and sentence spans, and (once embedded, or taken from the live index) their
vectors. Nothing here knows where or how an index is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import DocumentError
from ..ingest import chunking, formats
from ..ingest.documents import Document
from . import versions
from .contents import DocumentEntry, Index
from .embedding import PassageEncoder
from .lexical import Lexical

Progress = Callable[[int], Callable[[int], None]]
"""Called with the number of passages to embed; returns a callback told of each batch done."""


@dataclass
class Record:
    """One document while a new version of the index is assembled: entry, text, chunks and vectors."""

    entry: DocumentEntry
    text: str
    chunks: list[chunking.Chunk]
    sentences: np.ndarray  # (sentences, 3) int64: chunk ordinal within the document, start, end
    vectors: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None

    @cached_property
    def searched(self) -> list[str]:
        """Each passage's text as it is searched (embedded, its words counted): under the
        heading of its section when it has one ("Making coffee\n1. Fill the water tank …");
        found once a record (a new document's are embedded and counted in one write)."""
        marked = self.entry.format in formats.MARKED_HEADINGS
        over = chunking.headings(self.text, [c.start for c in self.chunks], marked)
        return [f"{heading}\n" * bool(heading) + self.text[c.start : c.end] for heading, c in zip(over, self.chunks)]


def chunked(document: Document, encoder: PassageEncoder) -> Record:
    """``document`` chunked into passages and sentences, not yet embedded; a ``DocumentError``
    when the chunker finds no passage in it."""
    marked = document.format in formats.MARKED_HEADINGS
    chunks = chunking.chunk(document.text, encoder.count_tokens, encoder.max_tokens, marked_headings=marked)
    if not chunks:
        raise DocumentError(f"{document.source}: no passage of text in it (only headings or short lines)")
    title = document.title or chunking.title_of(document.text, chunking.blocks(document.text, marked))
    pages = list(document.pages) if document.pages else None
    entry = DocumentEntry(
        document.name, document.source, document.sha256, title, len(chunks), len(document.text), document.format, pages
    )
    sentences = np.array(
        [[i, s.start, s.end] for i, c in enumerate(chunks) for s in chunking.sentences(document.text, c.start, c.end)],
        dtype=np.int64,
    ).reshape(-1, 3)
    return Record(entry, document.text, chunks, sentences)


def unchanged(known: DocumentEntry | None, sha256: str, format: str, text: str, kept_text: Callable[[str], str | None]) -> bool:
    """Whether a document read from a file whose bytes hash to ``sha256``, as ``format``, to
    ``text``, is the index's document ``known`` as it stands (``kept_text`` gives the text the
    index keeps of a name): the same bytes read the same way to the same text. A file that this
    qa reads to another text than the one that indexed it (a format's reader mended since) is
    not unchanged: adding it again indexes what is read now."""
    return known is not None and (known.sha256, known.format) == (sha256, format) and kept_text(known.name) == text


def rechunked(entry: DocumentEntry, text: str, encoder: PassageEncoder) -> Record:
    """A document of the index chunked again from the text the index keeps."""
    pages = tuple(entry.pages) if entry.pages else None
    title = entry.title if entry.format != "text" else None  # a text's title comes from the chunker
    return chunked(Document(entry.name, entry.source, text, entry.sha256, entry.format, title, pages), encoder)


def of_index(index: Index | None) -> list[Record]:
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
            Record(
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


def embed(records: Sequence[Record], encoder: PassageEncoder, progress: Progress | None) -> int:
    """Embed the passages of ``records`` that have no vectors yet, and their sentences, in one
    pass; returns how many passages that was."""
    pending = [r for r in records if r.vectors is None]
    texts, sentences = [], []
    for r in pending:
        searched = r.searched
        # a sentence's offsets in the passage as searched: after its heading, if any
        at = [len(s) - c.end for s, c in zip(searched, r.chunks)]
        own = [[] for _ in r.chunks]
        for chunk, start, end in r.sentences.tolist():
            own[chunk].append((start + at[chunk], end + at[chunk]))
        texts += searched
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


@dataclass
class Snapshot:
    """Everything one write stores, whatever keeps it: the manifest, the texts, the passage rows
    (document, paragraph, part, parts, start, end) and sentence rows (passage row, start, end),
    their normalized vectors (one part a document, in order) and the passages' BM25 arrays."""

    manifest: dict
    texts: dict[str, str]
    rows: np.ndarray
    sentences: np.ndarray
    vectors: list[np.ndarray]
    sentence_vectors: list[np.ndarray]
    lexical: Lexical


def snapshot(records: Sequence[Record], passages_built_by: dict) -> Snapshot:
    """The embedded ``records`` as one write stores them; ``passages_built_by`` says how their
    passages were made (``versions.built_by``). The words are counted afresh."""
    rows = np.array(
        [[d, c.paragraph, c.part, c.parts, c.start, c.end] for d, r in enumerate(records) for c in r.chunks],
        dtype=np.int64,
    ).reshape(-1, 6)
    offsets = np.cumsum([0] + [len(r.chunks) for r in records])
    sentences = np.concatenate(
        [r.sentences + np.array([offsets[d], 0, 0]) for d, r in enumerate(records)] + [np.zeros((0, 3), np.int64)]
    ).astype(np.int64)
    return Snapshot(
        versions.manifest(passages_built_by, [r.entry for r in records]),
        {r.entry.name: r.text for r in records},
        rows,
        sentences,
        [r.vectors for r in records],
        [r.sentence_vectors for r in records],
        Lexical.build([text for r in records for text in r.searched]),
    )
