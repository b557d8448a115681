"""Okapi BM25 (and BM25+) over token lists, held as numpy arrays so it is stored, not rebuilt.

A collection is five arrays: the 64-bit hashes of its terms (sorted), CSR postings (``indptr``,
document ``rows``, term ``counts``) and document lengths. Building it is vectorized; loading it
is reading the arrays; a query term is found by binary search of its hash.
"""

from __future__ import annotations

import hashlib

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
        vocabulary: dict[str, int] = {}
        lengths = np.array([len(d) for d in documents], dtype=np.int64)
        local = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for d in documents for t in d), dtype=np.int64, count=int(lengths.sum())
        )
        hashes = np.array([term_hash(t) for t in vocabulary], dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        n = max(len(documents), 1)
        keys, counts = np.unique(rank[local] * n + np.repeat(np.arange(len(documents)), lengths), return_counts=True)
        term_of = keys // n
        indptr = np.zeros(len(hashes) + 1, dtype=np.int64)
        np.add.at(indptr, term_of + 1, 1)
        return cls(
            {
                "terms": hashes[order],
                "indptr": np.cumsum(indptr),
                "rows": (keys % n).astype(np.int32),
                "counts": counts.astype(np.float32),
                "lengths": lengths.astype(np.float32),
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

    def idf(self, term: str) -> float:
        found = self._postings(term)
        df = 0 if found is None else len(found[0])
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
