"""The numpy query encoder is the sentence-transformers model, without torch."""

from __future__ import annotations

import numpy as np

from conftest import question_records
from qa.embedding import NumpyEncoder, load_query_encoder


def test_numpy_encoder_matches_sentence_transformers(encoder):
    fast = load_query_encoder()
    assert isinstance(fast, NumpyEncoder)
    questions = [r["question"] for r in question_records() if "question" in r]
    questions += [t["question"] for r in question_records() if "turns" in r for t in r["turns"]]
    questions += ["word " * 600, "Что подарил Алиев?", "?"]  # longer than the window, other scripts
    cosine = (fast.encode(questions) * encoder.encode(questions)).sum(axis=1)
    assert cosine.min() >= 0.999
    assert fast.count_tokens("word " * 600) == encoder.count_tokens("word " * 600) == 600
    assert fast.max_tokens == encoder.max_tokens == 254


def test_ask_path_does_not_import_torch(qa):
    import subprocess
    import sys

    code = (
        "import sys\nfrom qa import QA\n"
        f"qa = QA({str(qa.index.directory)!r})\n"
        "qa.ask('What did Aliyev give?')\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr
    assert np.isfinite(qa.encoder.encode(["x"])).all()
