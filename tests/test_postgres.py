"""The index in PostgreSQL: the same index as a directory's, written a document at a time, safe
with two writers and a dropped connection, and honest about a database it cannot use.

One PostgreSQL 16 with pgvector (the ``pgserver`` package: no system packages) is started for the
session in a temporary directory, on a Unix socket, and stopped after; each test gets a database
of its own.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
from test_cli import qa as run_qa
from test_index import TEXT, write

from qa import QA
from qa.errors import QAError
from qa.ingest.documents import read_document
from qa.locations import BUNDLED_DOCUMENT, DatabaseURL, location
from qa.store import dense, postgres
from qa.store import index as store
from qa.store.lexical import Lexical

_numbers = itertools.count()


@pytest.fixture(scope="session")
def server():
    """The session's PostgreSQL. Its folder is not under pytest's (which only its owner may
    enter): run as root, pgserver runs the server as a user of its own."""
    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="qa-test-postgres-"))
    try:
        with pgserver.get_server(folder / "data", cleanup_mode="stop") as running:
            yield running
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def url(server) -> str:
    """A new, empty database of the session's server."""
    import psycopg

    name = f"qa_test_{next(_numbers)}"
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.get_uri(name)


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    """Where a reader keeps its copy of a database's index: the test's own (child processes too)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "qa" / "postgres"


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def sql(url: str, statement: str, *params):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement, params or None)
        return cursor.fetchall() if cursor.description else None


def same_index(a, b) -> None:
    """Two loaded indexes hold the same documents, passages, vectors and BM25 arrays."""
    assert [d.name for d in a.documents] == [d.name for d in b.documents]
    assert a.passages == b.passages and a.texts == b.texts
    for name in ("rows", "sentences", "vectors", "sentence_vectors"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for side in ("words", "pairs"):
        x, y = getattr(a.lexical, side).arrays(), getattr(b.lexical, side).arrays()
        assert all(np.array_equal(x[key], y[key]) for key in x), side


def test_the_same_index_and_answers_as_a_directory(url, article_index, tmp_path):
    """The bundled article copied into the database (nothing embedded again) loads as the same
    arrays, answers every question as the directory does, and copies back out unchanged."""
    from conftest import question_records

    database = location(url)
    store.copy(article_index, database)
    directory, loaded = store.load(article_index), store.load(database)
    same_index(directory, loaded)
    assert loaded.manifest == directory.manifest
    from_directory, from_database = QA(article_index), QA(url)
    for record in question_records()[:12]:
        if "question" in record:
            assert from_database.ask(record["question"]).to_dict() == from_directory.ask(record["question"]).to_dict()
    store.copy(database, tmp_path / "back")
    same_index(store.load(tmp_path / "back"), directory)
    with pytest.raises(QAError, match="already holds an index of 1 documents"):
        store.copy(article_index, database)


def test_each_document_is_written_on_its_own(url, tmp_path, docs, encoder):
    """Adding, updating and removing touch only that document's rows; the words' statistics stay
    those of the documents there are, as a directory given the same documents has them."""
    database, folder = location(url), tmp_path / "index"
    for kept in (database, folder):
        store.add(kept, [write(docs, "one.txt", TEXT)], encoder)
    version = store.version(database)
    assert store.add(database, [read_document(docs / "one.txt")], encoder).unchanged == ["one.txt"]
    assert store.version(database) == version  # nothing written
    reread = dataclasses.replace(read_document(docs / "one.txt"), text=TEXT + " Read otherwise.")
    assert store.add(database, [reread], encoder).updated == ["one.txt"]  # the same file read to another text
    assert store.add(database, [read_document(docs / "one.txt")], encoder).updated == ["one.txt"]

    two = write(docs, "two.md", "Another text entirely, about stamps and postal projects.")
    rows_of_one = sql(url, "SELECT p.ctid::text, p.xmin::text FROM qa_passages p JOIN qa_documents d ON d.id = p.document WHERE d.name = 'one.txt'")
    for kept in (database, folder):
        assert store.add(kept, [two], encoder).added == ["two.md"]
    assert sql(url, "SELECT p.ctid::text, p.xmin::text FROM qa_passages p JOIN qa_documents d ON d.id = p.document WHERE d.name = 'one.txt'") == rows_of_one
    assert store.version(database) != version

    one = write(docs, "one.txt", TEXT + "\n\nA new closing paragraph with several words.")
    for kept in (database, folder):
        assert store.add(kept, [one], encoder).updated == ["one.txt"]
    same_index(store.load(database), store.load(folder))  # the updated document keeps its place
    for kept in (database, folder):
        store.remove(kept, ["one.txt"], encoder.name)
    left = store.load(database)
    same_index(left, store.load(folder))
    assert left.lexical.words.n == 1 and "stamp" in left.lexical.words and "tractor" not in left.lexical.words
    fresh = Lexical.build([p.text for p in left.passages])
    assert np.array_equal(left.lexical.words.arrays()["terms"], fresh.words.arrays()["terms"])
    assert sql(url, "SELECT count(*) FROM qa_passages")[0][0] == 1 and sql(url, "SELECT count(*) FROM qa_sentences")[0][0] == 1
    with pytest.raises(QAError, match="not in the index: nope.txt"):
        store.remove(database, ["nope.txt"], encoder.name)
    manifest, size = store.read_manifest(database)
    assert [d["name"] for d in manifest["documents"]] == ["two.md"] and size > 0


def test_a_fresh_reader_reads_this_machines_copy_while_the_version_holds(url, docs, encoder, monkeypatch, cache):
    database = location(url)
    store.add(database, [write(docs, "one.txt", TEXT)], encoder)
    first = store.load(database)  # from the database; the copy is written
    assert len(list(cache.iterdir())) == 1
    packed, reads = postgres._packed, []
    monkeypatch.setattr(postgres, "_packed", lambda *args: reads.append(args[1]) or packed(*args))
    again = store.load(database)
    assert not reads and again.directory == database  # the copy, named as the database
    same_index(again, first)
    store.add(database, [write(docs, "two.txt", "A second document with enough words.")], encoder)
    after = store.load(database)  # another version: the database is read again
    assert reads == ["qa_passages", "qa_sentences"] and [d.name for d in after.documents] == ["one.txt", "two.txt"]


def test_two_writers_adding_one_document_leave_one(url, docs, encoder, monkeypatch):
    """Both writers embed the same file; the second to commit finds it there and leaves it."""
    path = Path(write(docs, "same.txt", TEXT).source)
    both_embedded = threading.Barrier(2, timeout=120)
    apply = postgres.Database.apply

    def together(self, put, drop, built_by):
        both_embedded.wait()
        return apply(self, put, drop, built_by)

    monkeypatch.setattr(postgres.Database, "apply", together)
    changes, failures = [], []

    def writer() -> None:
        try:
            changes.append(store.add(location(url), [read_document(path)], encoder))
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(error)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not failures
    assert sorted((c.added, c.unchanged) for c in changes) == [([], ["same.txt"]), (["same.txt"], [])]
    assert sql(url, "SELECT name FROM qa_documents") == [("same.txt",)]
    assert sql(url, "SELECT count(*) FROM qa_passages")[0][0] == 2


def test_a_dropped_connection_leaves_nothing_half_written(url, docs, encoder, monkeypatch):
    database = location(url)
    store.add(database, [write(docs, "one.txt", TEXT)], encoder)
    before = store.load(database)
    insert = postgres.Database._insert

    def dropped(self, conn, record, position):
        """The document's row goes in; then its connection is cut before its passages do."""
        original = postgres.pgcopy.encode
        monkeypatch.setattr(postgres.pgcopy, "encode", lambda *args: (_terminate(url, conn.info.backend_pid), original(*args))[1])
        insert(self, conn, record, position)

    monkeypatch.setattr(postgres.Database, "_insert", dropped)
    with pytest.raises(QAError, match=r"connection to the database failed while writing two.txt .*nothing of it was written") as raised:
        store.add(database, [write(docs, "two.txt", "A second document with enough words.")], encoder)
    assert str(DatabaseURL(url)) in str(raised.value)
    after = store.load(database)
    assert [d.name for d in after.documents] == ["one.txt"] and after.generation == before.generation
    assert sql(url, "SELECT count(*) FROM qa_passages")[0][0] == len(before.passages)


def _terminate(url: str, pid: int) -> None:
    sql(url, "SELECT pg_terminate_backend(%s)", pid)


def test_a_database_that_is_down_is_named_without_its_password(tmp_path):
    down = "postgresql://qa:s3cret@127.0.0.1:9/qa"
    result = run_qa("index", "list", "--index", down)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot reach the index database postgresql://qa:***@127.0.0.1:9/qa" in result.stderr
    assert "s3cret" not in result.stderr
    result = run_qa("ask", "Who visited Minsk?", index=down)
    assert result.returncode == 1 and "postgresql://qa:***@127.0.0.1:9/qa" in result.stderr and "s3cret" not in result.stderr


def test_without_the_extra_it_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(QAError, match=r"needs the postgres extra: pip install 'qa\[postgres\]'"):
        store.load(location("postgresql://qa:s3cret@db.example/qa"))


def test_a_read_only_database_refuses_a_write_in_one_line(url, docs, encoder):
    """As a read replica does: the add fails with one line, and nothing is written."""
    name = sql(url, "SELECT current_database()")[0][0]
    sql(url, f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    with pytest.raises(QAError, match=r"the database refused writing one.txt \(cannot execute .* in a read-only transaction\)"):
        store.add(location(url), [write(docs, "one.txt", TEXT)], encoder)
    assert store.read_manifest(location(url)) is None


def test_a_database_of_another_qa(url, docs, encoder):
    """Tables of another schema version are refused with a way out; an index of another format
    (as a directory's) has its passages made again."""
    database = location(url)
    store.add(database, [write(docs, "one.txt", TEXT)], encoder)
    sql(url, "UPDATE qa_index SET manifest = manifest || '{\"format\": 2}'")
    assert "index format 2" in store.mismatch(store.load(database).manifest, encoder.name)
    change = store.add(database, [write(docs, "two.txt", "A second document with enough words.")], encoder)
    assert change.rebuilt and "index format 2" in change.rebuilt and change.added == ["two.txt"]
    assert store.mismatch(store.load(database).manifest, encoder.name) is None
    sql(url, "UPDATE qa_index SET schema = 0")
    with pytest.raises(QAError, match=r"made by an older qa \(database schema 0; this qa reads 1\): copy it out"):
        store.load(database)


def test_above_the_exact_limit_the_database_searches_its_graph(url, docs, encoder, monkeypatch):
    monkeypatch.setattr(dense, "EXACT_LIMIT", 2)
    database = location(url)
    extra = TEXT.replace("Ganja", "Minsk") + "\n\nStamps and postal projects, all of them."
    store.add(database, [write(docs, "one.txt", TEXT), write(docs, "two.txt", extra)], encoder)
    assert sql(url, "SELECT to_regclass('qa_passages_hnsw') IS NOT NULL, to_regclass('qa_sentences_hnsw') IS NOT NULL") == [(True, True)]
    index = store.load(database)
    assert index._passage_faiss.graph is not None and index._sentence_faiss.graph is not None
    query = encoder.encode(["Which plant assembled tractors?"])[0]
    exact = index.sentence_vectors @ query
    found = index.sentence_similarity(query)
    assert found.argmax() == exact.argmax() and np.isclose(found.max(), exact.max(), atol=1e-5)
    assert (found > -1).all()
    second = range(2, len(index.passages))  # within one document: exact, in memory
    within = index.passage_similarity(query, second)
    assert (within[:2] == -1).all() and within[2:].argmax() == (index.vectors[2:] @ query).argmax()


def test_the_commands_take_a_url(url, article_index):
    copied = run_qa("index", "copy", str(article_index), url)
    assert copied.returncode == 0, copied.stderr
    assert copied.stdout.strip() == f"copied 1 documents from {article_index} to {DatabaseURL(url)}"
    listed = json.loads(run_qa("index", "list", "--json", "--index", url).stdout)
    assert listed["index"] == str(DatabaseURL(url)) and listed["passages"] == len(store.load(article_index).passages)
    answer = run_qa("ask", "How many tractors have been assembled in Ganja?", "--json", index=url)
    assert answer.returncode == 0 and "10,000 tractors" in json.loads(answer.stdout)["answer"]
    assert BUNDLED_DOCUMENT.name in {d["name"] for d in listed["documents"]}
