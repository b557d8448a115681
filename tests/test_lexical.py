"""BM25 as stored arrays: the textbook scores, found by hash, the same after a round trip."""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pytest

from qa.ingest import text
from qa.ingest.text import bigrams, stem, tokenize
from qa.store import lexical
from qa.store.bm25 import BM25
from qa.store.lexical import Lexical


def test_scores_follow_the_formula():
    documents = [["tractor", "plant", "tractor"], ["carpet", "gift"], ["plant"]]
    bm25 = BM25.build(documents, k1=1.2, b=0.75, delta=0.0)
    average = 2.0
    idf = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    norm = 1.2 * (1 - 0.75 + 0.75 * 3 / average)
    expected = idf * 2 * 2.2 / (2 + norm)
    scores = bm25.scores(["tractor", "unknown"])
    assert np.isclose(scores[0], expected) and scores[1] == scores[2] == 0
    assert "gift" in bm25 and "present" not in bm25
    plant, gift = math.log(1 + 1.5 / 2.5), math.log(1 + 2.5 / 1.5)  # idf: in two documents, in one
    share = plant / (plant + gift)
    assert np.allclose(bm25.coverage(["plant", "gift"]), [share, 1 - share, share])


def test_lexical_round_trip(tmp_path):
    texts = ["The trade house in Minsk opened.", "Tractors from the Ganja plant.", "A trade house and a carpet."]
    lexical = Lexical.build(texts)
    lexical.save(tmp_path)
    loaded = Lexical.load(tmp_path)
    terms = tokenize("Where is the trade house?", drop_stop=True)
    assert np.array_equal(loaded.words.scores(terms), lexical.words.scores(terms))
    pairs = loaded.pairs.scores(bigrams(terms))
    assert pairs[0] > 0 and pairs[2] > 0 and pairs[1] == 0  # "trade house" as a pair
    assert "minsk" in loaded.words and "the" in loaded.words and "the_trade" not in loaded.pairs


def test_empty_collection():
    bm25 = BM25.build([])
    assert bm25.scores(["x"]).shape == (0,) and "x" not in bm25


def test_the_stored_words_are_versioned(article_text):
    """Stems are stored in the index, so a change to the tokenizer, the stop words, the irregular
    verbs or the stemmer must come with a new ``lexical.VERSION`` (which has every index's words
    counted again) and a new fingerprint here."""
    words = [sorted(text.STOPWORDS), sorted(text._IRREGULAR.items()), tokenize(article_text)]
    fingerprint = hashlib.sha256(json.dumps(words).encode()).hexdigest()[:16]
    assert (lexical.VERSION, fingerprint) == (1, "7ff9a86cecef186b")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("caresses", "caress"), ("ponies", "poni"), ("relational", "relat"), ("generalizations", "gener"),
        ("hopping", "hop"), ("trekking", "trek"),  # any double consonant but l, s, z is undoubled
        ("gave", "give"), ("given", "give"),  # irregular verbs folded first
        ("us", "us"), ("vs", "vs"),  # words of one or two letters are kept
    ],
)
def test_porter_stems_as_the_paper_does(word, expected):
    assert stem(word) == expected
