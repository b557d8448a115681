"""The index on disk: incremental, atomic, locked, and honest about damage."""

from __future__ import annotations

import dataclasses
import gc
import json
import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from qa.errors import IndexCorrupt, NotAnIndex, QAError
from qa.ingest.documents import read_document
from qa.store import dense, lexical, versions
from qa.store import index as store
from qa.store.directory import Directory
from qa.store.lexical import Lexical

TEXT = "A title\n\nThe tractor plant in Ganja assembled many tractors last year.\n\nThe carpet was a gift from the guest to the host."


def write(folder: Path, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def test_add_is_incremental(tmp_path, docs, encoder):
    folder = tmp_path / "index"
    change = store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    assert change.added == ["one.txt"]
    first = store.load(folder)
    assert [p.id for p in first.passages] == ["p1", "p2"]
    assert first.documents[0].title == "A title"
    assert first.manifest["model"] == encoder.name and first.manifest["dim"] == 384
    for p in first.passages:
        assert first.text(p.doc)[p.start : p.end] == p.text
    norms = np.linalg.norm(first.vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)

    # the same document again: nothing is written
    assert store.add(folder, [read_document(docs / "one.txt")], encoder).unchanged == ["one.txt"]
    assert store.load(folder).generation == first.generation

    # a second document: the first one's vectors are kept, not recomputed
    store.add(folder, [write(docs, "two.md", "Another text entirely, about stamps and postal projects.")], encoder)
    second = store.load(folder)
    assert [d.name for d in second.documents] == ["one.txt", "two.md"]
    assert np.array_equal(second.vectors[:2], first.vectors)

    # a changed document is re-embedded; removing drops its passages
    change = store.add(folder, [write(docs, "one.txt", TEXT + "\n\nA new closing paragraph with several words.")], encoder)
    assert change.updated == ["one.txt"]
    assert store.load(folder).documents[0].passages == 3
    store.remove(folder, ["one.txt"], encoder.name)
    left = store.load(folder)
    assert [d.name for d in left.documents] == ["two.md"] and len(left.passages) == 1
    assert len(left.sentences) == len(left.sentence_vectors) == 1
    assert left.lexical.words.n == 1 and "stamp" in left.lexical.words and "tractor" not in left.lexical.words
    with pytest.raises(QAError, match="not in the index: nope.txt"):
        store.remove(folder, ["nope.txt"], encoder.name)


@pytest.mark.parametrize("exact_limit", [dense.EXACT_LIMIT, 2])  # a flat index, an HNSW graph
def test_vectors_outlive_the_index_they_came_from(tmp_path, docs, encoder, monkeypatch, exact_limit):
    """The vectors are FAISS's own memory, viewed: the view keeps it alive."""
    monkeypatch.setattr(dense, "EXACT_LIMIT", exact_limit)
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT + "\n\nA third passage, about stamps.")], encoder)
    vectors = store.load(folder).vectors[1:]  # the index itself is gone at once
    sentences = store.load(folder).sentence_vectors
    gc.collect()
    store.load(folder)  # memory freed and used again, were it freed
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(np.linalg.norm(sentences, axis=1), 1.0, atol=1e-4)


def test_a_file_now_read_as_another_format_is_read_again(tmp_path, docs, encoder):
    """A Markdown file indexed as plain text (as qa read Markdown before) is read again when added."""
    folder = tmp_path / "index"
    raw = "# Notes\n\nThe **carpet** was a [gift](https://example.org/gifts) from the guest to the host.\n"
    markdown = write(docs, "notes.md", raw)
    store.add(folder, [dataclasses.replace(markdown, text=raw, format="text")], encoder)
    assert "**carpet**" in store.load(folder).text("notes.md")
    assert store.add(folder, [markdown], encoder).updated == ["notes.md"]
    assert store.load(folder).text("notes.md") == "# Notes\n\nThe carpet was a gift from the guest to the host.\n"
    assert store.add(folder, [read_document(docs / "notes.md")], encoder).unchanged == ["notes.md"]


def test_a_file_read_to_another_text_is_read_again(tmp_path, docs, encoder):
    """A file whose reader was mended since it was indexed (the same bytes, the same format, read
    to another text now) is indexed again when added; read to the same text, it is unchanged."""
    folder = tmp_path / "index"
    raw = "# Visit\n\nAddress: 4 Harbour Street\nPhone: 01632 960 123\nEmail: desk@example.org\n"
    markdown = write(docs, "visit.md", raw)
    joined = "# Visit\n\nAddress: 4 Harbour Street Phone: 01632 960 123 Email: desk@example.org\n"  # as qa once read it
    store.add(folder, [dataclasses.replace(markdown, text=joined)], encoder)
    change = store.add(folder, [read_document(docs / "visit.md")], encoder)
    assert change.updated == ["visit.md"] and change.embedded > 0
    assert store.load(folder).text("visit.md") == markdown.text
    assert store.add(folder, [read_document(docs / "visit.md")], encoder).unchanged == ["visit.md"]


def test_same_name_from_another_place_gets_a_longer_name(tmp_path, docs, encoder):
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    other = tmp_path / "other"
    other.mkdir()
    change = store.add(folder, [write(other, "one.txt", "Different words in a different file, read as well.")], encoder)
    assert change.added == ["other/one.txt"]
    again = store.add(folder, [write(other, "one.txt", "Different words in a different file, read as well.")], encoder)
    assert again.unchanged == ["other/one.txt"]  # the same file keeps its name
    assert [d.name for d in store.load(folder).documents] == ["one.txt", "other/one.txt"]


def outdate(folder: Path) -> None:
    """Make the live generation look written by qa's first format: no formats or pages in the
    manifest, no stored BM25 (format 3 added lexical.npz)."""
    generation = folder / store.load(folder).generation
    manifest = json.loads((generation / "manifest.json").read_text())
    manifest["format"] = 1
    for entry in manifest["documents"]:
        del entry["format"], entry["pages"]
    (generation / "manifest.json").write_text(json.dumps(manifest))
    (generation / "lexical.npz").unlink()


def test_an_index_of_a_previous_format_is_rebuilt(tmp_path, docs, encoder):
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    outdate(folder)
    assert store.mismatch(store.load(folder).manifest, encoder.name) == f"index format 1 (this qa reads {versions.FORMAT_VERSION})"
    with pytest.raises(QAError, match="run `qa index rebuild` first"):
        store.remove(folder, ["one.txt"], encoder.name)
    change = store.add(folder, [write(docs, "two.txt", "A second document with enough words.")], encoder)
    assert change.rebuilt == f"index format 1 (this qa reads {versions.FORMAT_VERSION})"
    rebuilt = store.load(folder)
    assert rebuilt.manifest["format"] == versions.FORMAT_VERSION and [d.name for d in rebuilt.documents] == ["one.txt", "two.txt"]
    assert all(p.page is None for p in rebuilt.passages)
    outdate(folder)
    store.rebuild(folder, encoder)
    assert [p.text for p in store.load(folder).passages] == [p.text for p in rebuilt.passages]


def test_a_failed_write_leaves_the_previous_index(tmp_path, docs, encoder, monkeypatch):
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    before = store.load(folder)
    import faiss

    for failure in (OSError(28, "No space left on device"), KeyboardInterrupt()):

        def broken(*args, failure=failure):
            raise failure

        monkeypatch.setattr(faiss, "write_index", broken)
        with pytest.raises((QAError, KeyboardInterrupt)) as raised:
            store.add(folder, [write(docs, "two.txt", "A second document with enough words.")], encoder)
        if isinstance(failure, OSError):
            assert "No space left on device" in str(raised.value) and "unchanged" in str(raised.value)
        after = store.load(folder)
        assert after.generation == before.generation
        assert [d.name for d in after.documents] == ["one.txt"]
        assert not list(folder.glob(".tmp-*"))


def test_model_or_chunker_mismatch_rebuilds(tmp_path, docs, encoder):
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT), write(docs, "old.txt", "A document removed before the rebuild.")], encoder)
    generation = store.load(folder).generation
    manifest_path = folder / generation / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["chunker"] = -1
    manifest_path.write_text(json.dumps(manifest))
    assert "chunker version -1" in store.mismatch(store.load(folder).manifest, encoder.name)
    store.remove(folder, ["old.txt"], encoder.name)  # keeps the passages as they were: still outdated
    assert "chunker version -1" in store.mismatch(store.load(folder).manifest, encoder.name)
    change = store.add(folder, [write(docs, "two.txt", "A second document with enough words.")], encoder)
    assert change.rebuilt and "chunker" in change.rebuilt
    rebuilt = store.load(folder)
    assert store.mismatch(rebuilt.manifest, encoder.name) is None and len(rebuilt.documents) == 2


def test_an_index_of_other_words_has_them_counted_again(tmp_path, docs, encoder):
    """Stems are stored: an index whose word index has another version (other stop words, irregular
    verbs or stemmer) is outdated; its words are counted again and its vectors kept."""
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    before = store.load(folder)
    generation = folder / before.generation
    manifest = json.loads((generation / "manifest.json").read_text())
    assert manifest["lexical"] == lexical.VERSION
    manifest["lexical"] = 0
    (generation / "manifest.json").write_text(json.dumps(manifest))
    Lexical.build(["Other words, as another stemmer left them."] * len(before.passages)).save(generation)
    reason = f"built with word index version 0, now {lexical.VERSION}"
    assert store.mismatch(store.load(folder).manifest, encoder.name) == reason
    change = store.add(folder, [], encoder)
    assert change.rebuilt == reason and change.embedded == 0
    after = store.load(folder)
    assert store.mismatch(after.manifest, encoder.name) is None
    assert "tractor" in after.lexical.words and "stemmer" not in after.lexical.words
    assert np.array_equal(after.vectors, before.vectors)


@pytest.mark.parametrize("damaged", ["vectors.faiss", "lexical.npz"])
def test_corruption_is_reported_and_rebuild_recovers(tmp_path, docs, encoder, damaged):
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    store.add(folder, [write(docs, "two.txt", "A second document with enough words.")], encoder)
    live = folder / store.load(folder).generation
    (live / damaged).write_bytes(b"garbage")
    with pytest.raises(IndexCorrupt, match="qa index rebuild"):
        store.load(folder)
    change = store.rebuild(folder, encoder)
    assert change.rebuilt == "the index was damaged; rebuilt from the texts it keeps"
    recovered = store.load(folder)
    assert [d.name for d in recovered.documents] == ["one.txt", "two.txt"]  # nothing lost


def test_damaged_texts_say_how_to_start_again(tmp_path, docs, encoder):
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    (folder / store.load(folder).generation / "texts.json").write_bytes(b"garbage")
    with pytest.raises(IndexCorrupt, match=f"delete {folder} and add the documents again"):
        store.rebuild(folder, encoder)


def test_one_generation_is_kept_and_the_size_is_what_is_on_disk(tmp_path, docs, encoder):
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    store.add(folder, [write(docs, "two.txt", "A second document with enough words.")], encoder)
    assert [path.name for path in folder.glob("gen-*")] == [store.load(folder).generation]
    _, size = store.read_manifest(folder)
    assert size == sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def test_a_reader_overtaken_by_a_writer_reads_the_new_generation(tmp_path, docs, encoder, monkeypatch):
    """A writer deletes the generation a reader is about to read; the reader reads the new one."""
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    read_generation = Directory._read
    overtaken = []

    def overtake(self, generation):
        if not overtaken:
            overtaken.append(generation)
            store.add(folder, [write(docs, "two.txt", "A second document with enough words.")], encoder)
        return read_generation(self, generation)

    monkeypatch.setattr(Directory, "_read", overtake)
    index = store.load(folder)
    assert overtaken and index.generation != overtaken[0]
    assert [d.name for d in index.documents] == ["one.txt", "two.txt"]


def test_a_directory_that_is_not_an_index_is_refused(tmp_path, docs, encoder):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_text("precious")
    with pytest.raises(NotAnIndex, match="not a qa index"):
        store.load(folder)
    with pytest.raises(NotAnIndex):
        store.add(folder, [write(docs, "one.txt", TEXT)], encoder)
    assert (folder / "thesis.docx").read_text() == "precious"


def _add_in_process(folder: str, path: str) -> None:
    from qa.store.embedding import load_encoder

    store.add(Path(folder), [read_document(Path(path))], load_encoder())


def test_two_writers_are_serialized(tmp_path, docs):
    folder = tmp_path / "index"
    paths = [docs / f"doc{i}.txt" for i in range(2)]
    for i, path in enumerate(paths):
        path.write_text(f"Document number {i} speaks of tractors, carpets and stamps at length.")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_in_process, args=(str(folder), str(p))) for p in paths]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert sorted(d.name for d in store.load(folder).documents) == ["doc0.txt", "doc1.txt"]


def test_above_the_exact_limit_the_dense_index_is_a_graph(tmp_path, docs, encoder, monkeypatch):
    import faiss

    monkeypatch.setattr(dense, "EXACT_LIMIT", 2)
    folder = tmp_path / "index"
    store.add(folder, [write(docs, "one.txt", TEXT), write(docs, "two.txt", TEXT.replace("Ganja", "Minsk") + "\n\nStamps and postal projects, all of them.")], encoder)
    index = store.load(folder)
    assert isinstance(index._passage_faiss, faiss.IndexHNSW) and isinstance(index._sentence_faiss, faiss.IndexHNSW)
    assert np.allclose(np.linalg.norm(index.sentence_vectors, axis=1), 1.0, atol=1e-4)  # the rows, from the graph's storage
    query = encoder.encode(["Which plant assembled tractors?"])[0]
    exact = index.sentence_vectors @ query
    found = index.sentence_similarity(query)
    assert found.argmax() == exact.argmax() and np.isclose(found.max(), exact.max(), atol=1e-5)
    assert (found > -1).all()  # every row scored (found, or as the farthest found)
    second = range(2, len(index.passages))  # one document's rows: the others score -1
    within = index.passage_similarity(query, second)
    assert (within[:2] == -1).all() and within[2:].argmax() == (index.vectors[2:] @ query).argmax()
