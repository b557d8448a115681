"""The numpy query encoder and the torch passage encoder are the sentence-transformers model."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import question_records

from qa.store.embedding import DEFAULT_MODEL, NumpyEncoder, SentenceTransformerEncoder, TorchEncoder, load_query_encoder


@pytest.fixture(scope="module")
def reference():
    return SentenceTransformerEncoder(DEFAULT_MODEL)


def test_encoders_match_sentence_transformers(encoder, reference):
    fast = load_query_encoder()
    assert isinstance(fast, NumpyEncoder) and isinstance(encoder, TorchEncoder)
    questions = [r["question"] for r in question_records() if "question" in r]
    questions += [t["question"] for r in question_records() if "turns" in r for t in r["turns"]]
    questions += ["word " * 600, "Что подарил Алиев?", "?"]  # longer than the window, other scripts
    expected = reference.encode(questions)
    assert (fast.encode(questions) * expected).sum(axis=1).min() >= 0.999
    assert (encoder.encode(questions) * expected).sum(axis=1).min() >= 0.999  # bfloat16 where native
    assert fast.count_tokens("word " * 600) == encoder.count_tokens("word " * 600) == reference.count_tokens("word " * 600) == 600
    assert fast.max_tokens == encoder.max_tokens == reference.max_tokens == 254


def test_ask_path_does_not_import_torch(qa):
    import subprocess
    import sys

    code = (
        "import sys\nfrom qa import QA\n"
        f"qa = QA({str(qa.index.directory)!r})\n"
        "qa.ask('What did Aliyev give?')\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.split() == ["False", "False"], result.stderr
    assert np.isfinite(qa.encoder.encode(["x"])).all()


def test_one_pass_gives_passage_and_sentence_vectors(encoder, reference):
    sentences = [
        "The tractor plant in Ganja assembled ten thousand tractors.",
        "The carpet was a gift from the guest to his host.",
        "Postal stamps marked twenty-five years of diplomatic relations.",
    ]
    passage = " ".join(sentences)
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    passages, pooled = encoder.encode_passages([passage, sentences[1]], [spans, []])
    assert passages.shape == (2, 384) and pooled.shape == (3, 384)
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-4)
    # the passage vector is the model's own embedding of the passage
    assert (passages * reference.encode([passage, sentences[1]])).sum(axis=1).min() >= 0.999
    # each sentence's vector, read within the passage, is nearest its own sentence read alone
    alone = reference.encode(sentences)
    assert ((pooled @ alone.T).argmax(axis=1) == [0, 1, 2]).all()


def test_sentence_transformers_embeds_sentences_on_their_own(reference):
    passages, sentences = reference.encode_passages(["One sentence. Another one."], [[(0, 13), (14, 26)]])
    assert np.allclose(sentences, reference.encode(["One sentence.", "Another one."]), atol=1e-6)
    assert np.allclose(passages, reference.encode(["One sentence. Another one."]), atol=1e-6)
