"""Okapi BM25 (and BM25+) over token lists, held as numpy arrays so it is stored, not rebuilt.

A collection is five arrays: the 64-bit hashes of its terms (sorted), CSR postings (``indptr``,
document ``rows``, term ``counts``) and document lengths. Building it is vectorized; loading it
is reading the arrays; a query term is found by binary search of its hash. The same arrays are
made from ``Counts``, the terms counted in each document, which a store can keep a document at a
time (``qa/store/postgres.py``): the statistics BM25 needs (documents, lengths, document
frequencies) follow from the counts of the documents there are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_FIELDS = ("terms", "indptr", "rows", "counts", "lengths", "params")


def term_hash(term: str) -> int:
    """A stable signed 64-bit hash of ``term`` (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little", signed=True)


class BM25:
    """Scores every document of a fixed collection against a query's tokens.

    ``delta > 0`` gives BM25+, which keeps a floor for a matched term in a long document.
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.terms, self.indptr, self.rows, self.counts, self.lengths = (arrays[f] for f in _FIELDS[:5])
        self.k1, self.b, self.delta = (float(x) for x in arrays["params"])
        self.n = len(self.lengths)
        average = max(float(self.lengths.mean()), 1e-9) if self.n else 1.0
        self._norm = self.k1 * (1 - self.b + self.b * self.lengths / average)

    @classmethod
    def build(cls, documents: list[list[str]], k1: float = 1.2, b: float = 0.75, delta: float = 0.0) -> BM25:
        return cls.from_counts(Counts.of(documents), k1, b, delta)

    @classmethod
    def from_counts(cls, counts: Counts, k1: float = 1.2, b: float = 0.75, delta: float = 0.0) -> BM25:
        """The collection of the documents ``counts`` counted: postings ordered by term hash, then
        document."""
        order = np.lexsort((counts.rows, counts.terms))
        ordered = counts.terms[order]
        starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]])) if len(ordered) else np.zeros(0, np.int64)
        return cls(
            {
                "terms": ordered[starts].astype(np.int64),
                "indptr": np.append(starts, len(order)).astype(np.int64),
                "rows": counts.rows[order].astype(np.int32),
                "counts": counts.counts[order].astype(np.float32),
                "lengths": counts.lengths.astype(np.float32),
                "params": np.array([k1, b, delta]),
            }
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """What :meth:`__init__` takes back: the collection as named arrays."""
        return {
            "terms": self.terms, "indptr": self.indptr, "rows": self.rows, "counts": self.counts,
            "lengths": self.lengths, "params": np.array([self.k1, self.b, self.delta]),
        }

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        h = term_hash(term)
        i = int(np.searchsorted(self.terms, h))
        if i == len(self.terms) or self.terms[i] != h:
            return None
        return self.rows[self.indptr[i] : self.indptr[i + 1]], self.counts[self.indptr[i] : self.indptr[i + 1]]

    def __contains__(self, term: str) -> bool:
        return self._postings(term) is not None

    def frequency(self, term: str) -> int:
        """How many documents hold ``term``."""
        found = self._postings(term)
        return 0 if found is None else len(found[0])

    def idf(self, term: str) -> float:
        df = self.frequency(term)
        return float(np.log(1 + (self.n - df + 0.5) / (df + 0.5)))

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 of every document; a term repeated in the query counts each time."""
        out = np.zeros(self.n)
        for term in query:
            found = self._postings(term)
            if found is None:
                continue
            rows, tf = found
            out[rows] += self.idf(term) * (tf * (self.k1 + 1) / (tf + self._norm[rows]) + self.delta)
        return out

    def coverage(self, query: list[str]) -> np.ndarray:
        """For every document, the idf-weighted share of the distinct query terms it contains."""
        out = np.zeros(self.n)
        terms = set(query)
        total = sum(self.idf(term) for term in terms)
        if not total:
            return out
        for term in terms:
            found = self._postings(term)
            if found is not None:
                out[found[0]] += self.idf(term)
        return out / total


@dataclass
class Counts:
    """The terms of a run of documents, counted: one entry for each distinct term of each document
    (its document's row, the term's hash, how often it occurs there), and each document's length."""

    rows: np.ndarray  # int32
    terms: np.ndarray  # int64 term hashes
    counts: np.ndarray  # float32
    lengths: np.ndarray  # float32, one a document

    @classmethod
    def of(cls, documents: list[list[str]]) -> Counts:
        """The terms of ``documents`` (token lists), counted; entries in the order of the documents."""
        vocabulary: dict[str, int] = {}
        lengths = np.array([len(d) for d in documents], dtype=np.int64)
        local = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for d in documents for t in d), dtype=np.int64, count=int(lengths.sum())
        )
        hashes = np.array([term_hash(t) for t in vocabulary], dtype=np.int64)
        width = max(len(vocabulary), 1)
        keys, counts = np.unique(np.repeat(np.arange(len(documents)), lengths) * width + local, return_counts=True)
        return cls((keys // width).astype(np.int32), hashes[keys % width], counts.astype(np.float32), lengths.astype(np.float32))

    @classmethod
    def joined(cls, parts: Sequence[Counts]) -> Counts:
        """The counts of several runs of documents as one run, in order."""
        offsets = np.cumsum([0] + [len(part.lengths) for part in parts])
        return cls(
            np.concatenate([part.rows + np.int32(offset) for part, offset in zip(parts, offsets)] + [np.zeros(0, np.int32)]),
            np.concatenate([part.terms for part in parts] + [np.zeros(0, np.int64)]),
            np.concatenate([part.counts for part in parts] + [np.zeros(0, np.float32)]),
            np.concatenate([part.lengths for part in parts] + [np.zeros(0, np.float32)]),
        )

    def to_bytes(self) -> bytes:
        """The counts as bytes (``from_bytes`` reads them back)."""
        head = np.array([len(self.lengths), len(self.rows)], dtype="<i8")
        parts = (head, self.lengths.astype("<f4"), self.rows.astype("<i4"), self.terms.astype("<i8"), self.counts.astype("<f4"))
        return b"".join(part.tobytes() for part in parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Counts:
        documents, entries = (int(x) for x in np.frombuffer(data, "<i8", 2))
        at = 16
        arrays = []
        for kind, size in (("<f4", documents), ("<i4", entries), ("<i8", entries), ("<f4", entries)):
            arrays.append(np.frombuffer(data, kind, size, at))
            at += size * np.dtype(kind).itemsize
        if at != len(data):
            raise ValueError(f"word counts of {len(data)} bytes, expected {at}")
        lengths, rows, terms, counts = arrays
        return cls(rows.astype(np.int32, copy=False), terms.astype(np.int64, copy=False), counts.astype(np.float32, copy=False),
                   lengths.astype(np.float32, copy=False))
