"""Dense search over normalized vectors, by inner product (cosine), with FAISS.

Up to ``EXACT_LIMIT`` vectors a FAISS index is flat and every question is scored against every
vector (a matrix-vector product over the stored rows). Above it the index is an HNSW graph over
the same rows, searched for the ``ANN_CANDIDATES`` nearest, the others scored as the farthest of
those; the flat rows stay inside it, so a search within one document stays exact. An index read
from a database holds its rows in memory (``Held``) and, above the limit, searches the whole
collection in the database's own HNSW index (``qa/store/postgres.py``) the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    import faiss

# Exact scoring reads every vector: about 18 ms per 100,000 here (bench/indexing.py), so up to
# 250,000 vectors a question's exact scores cost less than a tenth of the reader's time.
EXACT_LIMIT = 250_000
ANN_CANDIDATES = 512


class Graph(Protocol):
    """An approximate nearest-neighbour search kept elsewhere (a database's HNSW index)."""

    def nearest(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The inner products of the ``k`` rows nearest ``query`` (of those it finds) and their rows."""


@dataclass
class Held:
    """Normalized vectors held in memory, and the graph that searches them elsewhere when there
    are more than ``EXACT_LIMIT`` (None: always exact)."""

    vectors: np.ndarray
    graph: Graph | None = None


def build(parts: Sequence[np.ndarray], dim: int) -> faiss.Index:
    """A FAISS index of the normalized vectors in ``parts`` (in order, added part by part: no
    copy of them all): flat, or HNSW above ``EXACT_LIMIT``."""
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


class _Lent:
    """Memory of a FAISS index lent to numpy: the array's base, so it keeps the index alive."""

    def __init__(self, view: np.ndarray, owner: object) -> None:
        self.__array_interface__ = view.__array_interface__
        self.owner = owner


def vectors_of(stored: faiss.Index | Held) -> np.ndarray:
    """The rows stored in a FAISS index (flat, or an HNSW graph's flat storage), as a numpy view
    that keeps the index alive as long as it (or any slice of it) is; or the rows ``Held``."""
    if isinstance(stored, Held):
        return stored.vectors
    import faiss

    flat = faiss.downcast_index(stored.storage) if isinstance(stored, faiss.IndexHNSW) else stored
    if flat.ntotal == 0:
        return np.zeros((0, flat.d), dtype=np.float32)
    view = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
    return np.asarray(_Lent(view, stored))


def search(stored: faiss.Index | Held, vectors: np.ndarray, query: np.ndarray, rows: range | None) -> np.ndarray:
    """The inner product of ``query`` with the ``rows`` of ``vectors`` (all rows when None); the
    other rows score -1. Exact up to ``EXACT_LIMIT`` rows; above it the HNSW graph ``stored``
    (or the graph of the rows ``Held``, for a search of them all) finds the nearest and the rest
    score as the farthest of those."""
    n = len(vectors)
    scores = np.full(n, -1.0, dtype=np.float32)
    rows = range(n) if rows is None else rows
    query = np.ascontiguousarray(query.reshape(-1), dtype=np.float32)
    if len(rows) <= EXACT_LIMIT or not _approximate(stored, len(rows) == n):
        scores[rows.start : rows.stop] = vectors[rows.start : rows.stop] @ query
        return scores
    if isinstance(stored, Held):
        distances, found = stored.graph.nearest(query, ANN_CANDIDATES)  # type: ignore[union-attr]
    else:
        import faiss

        selector = None if len(rows) == n else faiss.IDSelectorRange(rows.start, rows.stop)
        params = faiss.SearchParametersHNSW(efSearch=ANN_CANDIDATES, sel=selector)
        distances, found = (column[0] for column in stored.search(query.reshape(1, -1), ANN_CANDIDATES, params=params))
    keep = found >= 0
    scores[rows.start : rows.stop] = distances[keep].min() if keep.any() else -1.0
    scores[found[keep]] = distances[keep]
    return scores


def _approximate(stored: faiss.Index | Held, whole: bool) -> bool:
    """Whether ``stored`` has a graph to search (a database's, for the whole collection only)."""
    if isinstance(stored, Held):
        return stored.graph is not None and whole
    import faiss

    return isinstance(stored, faiss.IndexHNSW)
