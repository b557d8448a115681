"""What an index holds, loaded: documents and their texts, passages, vectors and BM25 arrays.

An ``Index`` is one committed version of the index in memory, read-only. The storage engine that
reads it (``qa/store/directory.py``, ``qa/store/postgres.py``) hands over the stored arrays; ``Index.assemble`` checks that
they agree and resolves every passage's text and page.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from ..errors import IndexCorrupt
from ..ingest import chunking
from ..locations import Location
from . import dense
from .lexical import Lexical
from .versions import FORMAT_VERSION


@dataclass(frozen=True)
class Passage:
    """A passage of a document: ``text == document_text[start:end]``; ``paragraph`` and ``page``
    say where a reader finds it (``chunking.placed``): ``page`` (1-based, for documents that have
    pages) is the page its paragraph starts on, ``paragraph`` its number there."""

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


def entries(manifest: dict) -> list[DocumentEntry]:
    """The documents a manifest records."""
    return [DocumentEntry(**entry) for entry in manifest["documents"]]


@dataclass
class Index:
    """One version of the index, loaded read-only."""

    directory: Location  # where the index is kept
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

    @classmethod
    def assemble(
        cls,
        directory: Location,
        generation: str,
        manifest: dict,
        texts: dict[str, str],
        rows: np.ndarray,
        passage_faiss: object,
        sentences: np.ndarray,
        sentence_faiss: object,
        lexical: Lexical,
    ) -> Index:
        """The index from what was stored; an ``IndexCorrupt`` when the parts disagree."""
        documents = entries(manifest)
        vectors, sentence_vectors = dense.vectors_of(passage_faiss), dense.vectors_of(sentence_faiss)
        n = len(vectors)
        if (
            rows.ndim != 2
            or rows.shape[0] != n
            or sum(d.passages for d in documents) != n
            or sentences.shape[0] != len(sentence_vectors)
            or (len(sentences) and int(sentences[:, 0].max()) >= n)
            or lexical.words.n != n
            or lexical.pairs.n != n
        ):
            raise IndexCorrupt(f"{directory / generation}: passages and vectors disagree; run `qa index rebuild`")
        passages = []
        row = 0
        for entry in documents:  # the rows are in the order of the documents
            chunks = [chunking.Chunk(*values) for values in rows[row : row + entry.passages, 1:].tolist()]
            text = texts[entry.name]
            for c, (page, paragraph) in zip(chunks, chunking.placed(chunks, entry.page_at)):
                passages.append(Passage(c.id, entry.name, paragraph, c.start, c.end, text[c.start : c.end], page))
            row += entry.passages
        return cls(
            directory,
            generation,
            manifest,
            documents,
            texts,
            passages,
            rows,
            vectors,
            sentences,
            sentence_vectors,
            lexical,
            passage_faiss,
            sentence_faiss,
        )

    @classmethod
    def documents_only(cls, directory: Location, generation: str, manifest: dict, texts: dict[str, str]) -> Index:
        """Only the documents and their texts, without passages, so that they can be chunked and
        embedded again: an index written in another format (``versions.mismatch`` says why), or
        a damaged one."""
        no_vectors = np.zeros((0, int(manifest.get("dim") or 0)), dtype=np.float32)
        return cls(
            directory,
            generation,
            manifest,
            entries(manifest),
            texts,
            passages=[],
            rows=np.zeros((0, 6), dtype=np.int64),
            vectors=no_vectors,
            sentences=np.zeros((0, 3), dtype=np.int64),
            sentence_vectors=no_vectors,
            lexical=Lexical.build([]),
        )

    @property
    def model(self) -> str:
        return self.manifest["model"]

    @property
    def outdated(self) -> bool:
        """Written in another format: only its documents and texts were read (``documents_only``)."""
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
        exact, or from the HNSW graph above ``dense.EXACT_LIMIT`` rows."""
        return dense.search(self._passage_faiss, self.vectors, query, rows)

    def sentence_similarity(self, query: np.ndarray, rows: range | None = None) -> np.ndarray:
        """Cosine of ``query`` with every sentence (only ``rows`` if given; the others score -1)."""
        return dense.search(self._sentence_faiss, self.sentence_vectors, query, rows)
