"""Okapi BM25 (and BM25+) over token lists, with numpy postings."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np


class BM25:
    """Scores every document of a fixed collection against a query's tokens.

    ``delta > 0`` gives BM25+, which keeps a floor for a matched term in a long document.
    """

    def __init__(self, documents: list[list[str]], k1: float = 1.2, b: float = 0.75, delta: float = 0.0) -> None:
        self.k1, self.b, self.delta = k1, b, delta
        self.n = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        average = max(float(lengths.mean()), 1e-9) if self.n else 1.0
        self._norm = k1 * (1 - b + b * lengths / average)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for row, tokens in enumerate(documents):
            for term, count in Counter(tokens).items():
                rows, counts = postings.setdefault(term, ([], []))
                rows.append(row)
                counts.append(count)
        self._postings = {
            term: (np.array(rows, dtype=np.int64), np.array(counts, dtype=np.float64))
            for term, (rows, counts) in postings.items()
        }

    def idf(self, term: str) -> float:
        found = self._postings.get(term)
        df = 0 if found is None else len(found[0])
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 of every document; a term repeated in the query counts each time."""
        out = np.zeros(self.n)
        for term in query:
            found = self._postings.get(term)
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
            found = self._postings.get(term)
            if found is not None:
                out[found[0]] += self.idf(term)
        return out / total
