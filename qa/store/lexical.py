"""The lexical side of the index: every passage's words and word pairs, as two BM25 collections.

Words are stemmed tokens (stopwords kept, so a passage's length is its real length); pairs are
the bigrams of its stemmed content words, so "trade house" matches "trade house" and not "house
of trade". Both are built once when the index is written and stored with it (``lexical.npz``),
so opening an index reads arrays instead of tokenizing every passage again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..ingest.text import STOPWORDS, bigrams, stem, tokenize
from .bm25 import BM25, Counts

FILE = "lexical.npz"

# Bump when what the stored arrays hold changes: the words of qa/ingest/text.py (tokenizer, stop
# words, irregular verbs, stemmer), the word pairs or the BM25 parameters. An index written with
# another version has its arrays counted again (its vectors are kept); tests/test_lexical.py
# fails when the words change and this does not.
VERSION = 1


@dataclass
class Lexical:
    words: BM25  # BM25+ over stemmed words
    pairs: BM25  # BM25 over bigrams of stemmed content words

    @classmethod
    def build(cls, texts: list[str]) -> Lexical:
        return cls.from_counts(*cls.count(texts))

    @staticmethod
    def count(texts: list[str]) -> tuple[Counts, Counts]:
        """The words and the word pairs of the passages ``texts``, counted (what ``from_counts`` takes)."""
        words, pairs = [], []
        for text in texts:
            tokens = tokenize(text, do_stem=False)
            stems = [stem(t) for t in tokens]
            words.append(stems)
            pairs.append(bigrams([s for t, s in zip(tokens, stems) if t not in STOPWORDS]))
        return Counts.of(words), Counts.of(pairs)

    @classmethod
    def from_counts(cls, words: Counts, pairs: Counts) -> Lexical:
        return cls(BM25.from_counts(words, k1=1.2, b=0.75, delta=1.0), BM25.from_counts(pairs, k1=1.2, b=0.75))

    def save(self, folder: Path) -> None:
        arrays = {f"{side}.{key}": value for side in ("words", "pairs") for key, value in getattr(self, side).arrays().items()}
        with open(folder / FILE, "wb") as handle:
            np.savez(handle, **arrays)

    @classmethod
    def load(cls, folder: Path) -> Lexical:
        with np.load(folder / FILE, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
        side = {name: {k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith(name + ".")} for name in ("words", "pairs")}
        return cls(BM25(side["words"]), BM25(side["pairs"]))
