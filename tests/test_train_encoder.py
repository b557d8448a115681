"""The embedding model's training script: batches with hard negatives, a few steps, resume, export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from qa.store.embedding import load_encoder, load_query_encoder
from training.train_encoder import article_batches, squad_articles

ROOT = Path(__file__).resolve().parent.parent

ARTICLES = {
    "Travel": [
        ("The ferry leaves Dover at nine in the morning. It reaches Calais ninety minutes later.",
         [("When does the ferry leave Dover?", "at nine in the morning"), ("How long is the crossing?", "ninety minutes")]),
        ("Trains to Paris leave from St Pancras. The journey takes two hours and sixteen minutes.",
         [("Where do trains to Paris leave from?", "St Pancras"), ("How long does the train take?", "two hours")]),
    ],
    "Science": [
        ("Marie Curie won the Nobel Prize in Physics in 1903. She won a second one, in Chemistry, in 1911.",
         [("When did Curie win the Chemistry prize?", "1911"), ("Which prize did Curie win in 1903?", "Physics")]),
        ("The library opens on Mondays. Its reading room holds four hundred seats under a glass dome.",
         [("How many seats does the reading room hold?", "four hundred"), ("What covers the reading room?", "a glass dome")]),
    ],
}


def write_squad(path: Path) -> None:
    data = []
    for title, paragraphs in ARTICLES.items():
        data.append({"title": title, "paragraphs": [
            {"context": context, "qas": [{"id": q, "question": q, "answers": [{"text": a, "answer_start": context.index(a)}]}
                                         for q, a in questions]}
            for context, questions in paragraphs
        ]})
    path.write_text(json.dumps({"data": data}))


def run(*args: str) -> str:
    command = [sys.executable, "-m", "training.train_encoder", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_batches_hold_distinct_paragraphs_of_each_article_and_no_question_twice(tmp_path):
    write_squad(tmp_path / "squad.json")
    articles = squad_articles(tmp_path / "squad.json")
    assert [len(a) for a in articles] == [4, 4]
    batches = article_batches(articles, per_batch=2, per_article=2, seed=0)
    assert batches
    used = [pair for batch in batches for pair in batch]
    assert len(used) == len(set(used))
    for batch in batches:
        assert {a for a, _ in batch} == {0, 1}
        for article in (0, 1):
            paragraphs = [articles[a][q][1] for a, q in batch if a == article]
            assert len(paragraphs) == len(set(paragraphs)) == 2  # the other paragraph is the hard negative
    assert article_batches(articles, 2, 2, seed=0) == batches  # fixed by the seed


def test_training_runs_resumes_and_exports_a_model_qa_loads(tmp_path):
    write_squad(tmp_path / "squad.json")
    common = ["--data", str(tmp_path / "squad.json"), "--out", str(tmp_path / "run"), "--articles", "2", "--per-article", "2",
              "--log-every", "1", "--save-every", "1", "--threads", "1", "--no-measure"]
    first = run(*common, "--steps", "1")
    assert "step 1/1" in first and "saved step 1" in first and "sha256" in first
    second = run(*common)  # the whole plan: resumes after the first batch
    assert "resumed at step 1" in second and "step 2/2" in second and "step 1/" not in second
    run("--out", str(tmp_path / "run"), "--export", str(tmp_path / "model"))

    question = "When does the ferry leave Dover?"
    tuned = load_query_encoder(str(tmp_path / "model")).encode([question])[0]
    passages = load_encoder(str(tmp_path / "model")).encode([question])[0]
    base = load_query_encoder().encode([question])[0]
    assert np.isclose(np.linalg.norm(tuned), 1.0, atol=1e-4)
    assert np.dot(tuned, passages) > 0.999  # numpy and torch read the exported weights alike
    assert 0.9 < np.dot(tuned, base) < 0.99999  # trained: moved, not far, from the bundled model
