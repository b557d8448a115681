"""What an index was built with, as its manifest records it, and whether this qa can use it.

The manifest holds the index format, the model (name, dimension, window), the chunker version
and the word index version, and one entry a document. An index whose format, model or chunker
differ has its passages chunked and embedded again; one whose word index differs only has its
words counted again (every write counts them afresh).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from ..ingest import chunking
from . import lexical

if TYPE_CHECKING:
    from .contents import DocumentEntry
    from .embedding import PassageEncoder

# Bump when what is stored changes shape: indexes written with another version are rebuilt.
# 2: documents carry their format and page offsets; names are paths relative to a folder.
# 3: sentence vectors pooled from the passage's own pass; BM25 stored (lexical.npz).
FORMAT_VERSION = 3

BUILT_BY = ("model", "dim", "max_tokens", "chunker")
"""What the manifest records of how the passages were made (``built_by``)."""


def built_by(encoder: PassageEncoder) -> dict:
    """What the manifest says of the passages that ``encoder`` and this chunker make."""
    return dict(zip(BUILT_BY, (encoder.name, encoder.dim, encoder.max_tokens, chunking.CHUNKER_VERSION)))


def manifest(passages_built_by: dict, documents: Sequence[DocumentEntry]) -> dict:
    """The manifest of a new version of the index: its passages made as ``passages_built_by``
    says (``built_by``), its words counted by this qa."""
    return {
        "format": FORMAT_VERSION,
        **passages_built_by,
        "lexical": lexical.VERSION,
        "documents": [asdict(entry) for entry in documents],
    }


def mismatch(manifest: dict, model: str) -> str | None:
    """Why an index built under ``manifest`` cannot serve ``model`` with this code, if it cannot."""
    return stale_passages(manifest, model) or _stale_words(manifest)


def stale_passages(manifest: dict, model: str) -> str | None:
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
    if version != lexical.VERSION:
        return f"built with word index version {version}, now {lexical.VERSION}"
    return None
