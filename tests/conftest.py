"""Shared fixtures: the real bundled model and a real index of the bundled article."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
QUESTIONS = Path(__file__).resolve().parent / "data" / "article_questions.jsonl"

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def encoder():
    """The sentence-transformers encoder of the bundled all-MiniLM-L6-v2 (loaded once)."""
    from qa.store.embedding import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def article_index(tmp_path_factory) -> Path:
    """An index of the bundled article, built with `qa index add`."""
    from qa import library
    from qa.locations import BUNDLED_DOCUMENT

    folder = tmp_path_factory.mktemp("article") / "index"
    library.add_paths([BUNDLED_DOCUMENT], folder)
    return folder


@pytest.fixture(scope="session")
def qa(article_index):
    from qa import QA

    return QA(article_index)


@pytest.fixture(scope="session")
def article_text() -> str:
    from qa.locations import BUNDLED_DOCUMENT

    return BUNDLED_DOCUMENT.read_text(encoding="utf-8")


def question_records() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
