"""The library API writes only when asked: opening an index reads it as it is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa import QA, library
from qa.errors import QAError, UsageError
from qa.locations import BUNDLED_DOCUMENT
from qa.store import index as store
from qa.store import lexical


def set_manifest(folder: Path, **values) -> None:
    """Change the live generation's manifest as another qa release would have written it."""
    path = folder / (folder / "CURRENT").read_text().strip() / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **values}))


def test_the_default_index_is_built_only_when_asked(tmp_path, monkeypatch):
    default = tmp_path / "default"
    monkeypatch.delenv("QA_INDEX", raising=False)
    monkeypatch.setattr(library, "default_index_dir", lambda: default)
    with pytest.raises(UsageError, match=r"no documents at .*default yet: `QA\(build=True\)` indexes the bundled article"):
        QA()
    assert not default.exists()  # nothing was written
    notices: list[str] = []
    qa = QA(build=True, notify=notices.append)
    assert notices == [f"indexing the bundled article into {default}"]
    assert "10,000 tractors" in qa.ask("How many tractors have been assembled in Ganja?").answer
    assert [d.name for d in QA().index.documents] == ["belarus-azerbaijan-talks.txt"]  # now there to read


def test_an_outdated_index_is_rebuilt_only_when_asked(tmp_path):
    folder = tmp_path / "index"
    library.add_paths([BUNDLED_DOCUMENT], folder)
    set_manifest(folder, chunker=-1)
    generation = (folder / "CURRENT").read_text()
    with pytest.raises(QAError, match=rf"outdated \(built with chunker version -1, .*\): rebuild it with `qa index rebuild --index {folder}`"):
        QA(folder)
    assert (folder / "CURRENT").read_text() == generation  # nothing was written
    notices: list[str] = []
    library.ensure_index(folder, notify=notices.append)
    assert notices and notices[0].startswith("rebuilding the index: built with chunker version -1")
    assert store.mismatch(QA(folder).index.manifest, library.model_name()) is None


def test_outdated_words_are_counted_again_without_embedding(tmp_path):
    folder = tmp_path / "index"
    library.add_paths([BUNDLED_DOCUMENT], folder)
    before = store.load(folder)
    set_manifest(folder, lexical=0)
    with pytest.raises(QAError, match="built with word index version 0"):
        QA(folder)
    notices: list[str] = []
    qa = QA(folder, build=True, notify=notices.append)
    assert notices == [f"rebuilding the index: built with word index version 0, now {lexical.VERSION}"]
    assert np.array_equal(qa.index.vectors, before.vectors)
