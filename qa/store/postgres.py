"""The database engine: an index kept in PostgreSQL, its vectors in pgvector columns.

Tables, in the first schema of the connection's ``search_path`` (one database can hold several
indexes, one a schema: ``?options=-csearch_path%3Dteam``)::

    qa_index      one row: the schema version of these tables, what the manifest records of the
                  passages (format, model, dimension, window, chunker, word index version), and
                  a version number that every committed write raises
    qa_documents  one row a document: its manifest entry, its text, its place in the index and
                  its passages' words and word pairs, counted (``bm25.Counts``)
    qa_passages   one row a passage: document, ordinal, paragraph, part, parts, start, stop, vector
    qa_sentences  one row a sentence: document, ordinal, passage (its ordinal), start, stop, vector

Writing: adding, updating or removing a document is one transaction that touches only that
document's rows and raises the version, so a reader (one snapshot, REPEATABLE READ) never sees
half a document. Adds run together: each writer embeds its documents on its own, then commits
them one by one, each commit holding the ``qa_index`` row for its few milliseconds and placing
its document again against what is committed by then (a file another writer has just added is
found unchanged, a name just taken is lengthened). A rebuild, a copy into the database and a
change of model replace every row in one transaction under the index's advisory lock, held
exclusively; adds and removes hold it shared.

Reading: the whole index is read (each document's rows packed into one value, ``pgcopy``) into
the same in-memory ``Index`` the directory gives, so the answers are the same; a copy of it on
this machine (``cache.py``) spares the next process the reading while the database's version
is the same. BM25's statistics (passages, lengths, document frequencies) are summed from the
counts of the documents committed, so they are right whatever came and went. Above
``dense.EXACT_LIMIT`` vectors a table gets pgvector's HNSW index, and a search of the whole
collection runs there (``Graph``); below it, exactly in memory, as from a directory.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import IndexCorrupt, QAError
from ..locations import DatabaseURL
from . import dense, pgcopy, records, versions
from .bm25 import Counts
from .cache import Cache
from .contents import DocumentEntry, Index
from .lexical import Lexical
from .naming import place
from .records import Record

if TYPE_CHECKING:
    import psycopg

    from .index import Notify, Outcome

SCHEMA_VERSION = 1
"""The shape of the tables; a database made by a qa with another one is refused, with a way out."""

ENTRY = "name, source, sha256, title, passages, chars, format, pages"
PASSAGES: list[pgcopy.Column] = [
    ("document", "int8"), ("ordinal", "int4"), ("paragraph", "int4"), ("part", "int4"), ("parts", "int4"),
    ("start", "int4"), ("stop", "int4"), ("vector", "vector"),
]
SENTENCES: list[pgcopy.Column] = [
    ("document", "int8"), ("ordinal", "int4"), ("passage", "int4"), ("start", "int4"), ("stop", "int4"), ("vector", "vector"),
]
PASSAGE_ROW, SENTENCE_ROW = PASSAGES[2:], SENTENCES[2:]  # what a reader fetches of each row, its document's packed
LOCK = "hashtext(current_schema() || '.qa_index')::bigint"  # the advisory lock of this schema's index
TABLES_LOCK = "hashtext(current_schema() || '.qa_tables')::bigint"  # taken by the writer that makes the tables
WAIT = 600.0  # seconds a writer waits for the lock
EXISTS = "SELECT EXISTS (SELECT FROM pg_class WHERE relname = %s AND relnamespace = current_schema()::regnamespace)"


def _schema(dim: int) -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS vector",
        """CREATE TABLE qa_index (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            schema integer NOT NULL,
            manifest jsonb NOT NULL,
            version bigint NOT NULL DEFAULT 0,
            created timestamptz NOT NULL DEFAULT clock_timestamp())""",
        """CREATE TABLE qa_documents (
            id bigserial PRIMARY KEY,
            position bigint NOT NULL,
            name text NOT NULL UNIQUE,
            source text NOT NULL,
            sha256 text NOT NULL,
            title text,
            passages integer NOT NULL,
            chars integer NOT NULL,
            format text NOT NULL,
            pages integer[],
            text text NOT NULL,
            words bytea NOT NULL,
            pairs bytea NOT NULL)""",
        "CREATE INDEX qa_documents_source ON qa_documents (source)",
        f"""CREATE TABLE qa_passages (
            document bigint NOT NULL REFERENCES qa_documents ON DELETE CASCADE,
            ordinal integer NOT NULL,
            paragraph integer NOT NULL, part integer NOT NULL, parts integer NOT NULL,
            start integer NOT NULL, stop integer NOT NULL,
            vector vector({dim}) NOT NULL,
            PRIMARY KEY (document, ordinal))""",
        f"""CREATE TABLE qa_sentences (
            document bigint NOT NULL REFERENCES qa_documents ON DELETE CASCADE,
            ordinal integer NOT NULL,
            passage integer NOT NULL,
            start integer NOT NULL, stop integer NOT NULL,
            vector vector({dim}) NOT NULL,
            PRIMARY KEY (document, ordinal))""",
    ]


class Database:
    """The index kept in the PostgreSQL database at ``location``."""

    commit_every = 1000  # passages embedded before they are committed, so a long add keeps its progress

    def __init__(self, location: DatabaseURL) -> None:
        self.location = location
        self._writer: psycopg.Connection | None = None
        self._written = 0  # documents this writer has committed

    # ------------------------------------------------------------------------ reading

    def exists(self) -> bool:
        """True when the database holds a qa index."""
        with self._connection() as conn:
            return self._head(conn) is not None

    def version(self) -> str | None:
        """The version number every write raises, and when the index was made; None when there is none."""
        head = _versions.read(self)
        return None if head is None else _token(head)

    def read_manifest(self) -> tuple[dict, int] | None:
        """The manifest (as a directory's reads) and the bytes the tables take, without texts or vectors."""
        with self._connection() as conn, self._reading(conn):
            head = self._head(conn)
            if head is None:
                return None
            listed = conn.execute(f"SELECT {ENTRY} FROM qa_documents ORDER BY position").fetchall()
            size = conn.execute(
                "SELECT sum(pg_total_relation_size(t)) FROM unnest(ARRAY['qa_index', 'qa_documents', 'qa_passages', "
                "'qa_sentences']::regclass[]) t"
            ).fetchone()[0]
        documents = [asdict(DocumentEntry(*row)) for row in listed]
        return {**head[1], "documents": documents}, int(size)

    def load(self) -> Index | None:
        """The index as committed, read in one snapshot (only its documents and texts when it has
        another format)."""
        with self._connection() as conn, self._reading(conn):
            head = self._head(conn)
            if head is None:
                return None
            _, manifest, number, _ = head
            cache = Cache(self.location)
            if (kept := cache.load(_token(head))) is not None:
                kept.generation = f"version {number}"
                return kept
            found = conn.execute(f"SELECT id, {ENTRY}, text, words, pairs FROM qa_documents ORDER BY position", binary=True).fetchall()
            full = {**manifest, "documents": [asdict(DocumentEntry(*row[1:9])) for row in found]}
            texts = {row[1]: row[9] for row in found}
            if manifest.get("format") != versions.FORMAT_VERSION:
                return Index.documents_only(self.location, f"version {number}", full, texts)
            passages = _packed(conn, "qa_passages", PASSAGE_ROW)
            sentences = _packed(conn, "qa_sentences", SENTENCE_ROW)
        try:
            index = self._assemble(number, full, texts, found, passages, sentences)
        except (ValueError, KeyError, IndexError) as error:
            raise IndexCorrupt(f"{self.location}: cannot read the index ({error}); run `qa index rebuild`") from None
        cache.keep(index, _token(head))
        return index

    def load_texts(self) -> Index:
        """Only the documents and texts, to rebuild from."""
        with self._connection() as conn, self._reading(conn):
            head = self._head(conn)
            if head is None:
                raise QAError(f"no index at {self.location}")
            found = conn.execute(f"SELECT {ENTRY}, text FROM qa_documents ORDER BY position").fetchall()
        manifest = {**head[1], "documents": [asdict(DocumentEntry(*row[:8])) for row in found]}
        return Index.documents_only(self.location, f"version {head[2]}", manifest, {row[0]: row[8] for row in found})

    def _assemble(self, number: int, manifest: dict, texts: dict[str, str], found: list, passages: dict, sentences: dict) -> Index:
        """The in-memory index from the rows read: each document's passages and sentences (packed,
        in ordinal order) put one after the other in the documents' order."""
        dim = int(manifest["dim"])
        ids = [row[0] for row in found]
        if set(passages) - set(ids) or set(sentences) - set(ids):
            raise ValueError("rows of a document that is not listed")
        listed = np.array([row[5] for row in found], dtype=np.int64)
        empty = (0, -1, b"")
        own = [passages.get(i, empty) for i in ids]
        told = [sentences.get(i, empty) for i in ids]
        for name, count, (stored, last, _) in zip([row[1] for row in found], listed, own):
            if stored != count or last != count - 1:
                raise ValueError(f"{name}: {stored} passages stored, {count} listed")
        if any(last != stored - 1 for stored, last, _ in told):
            raise ValueError("sentences missing")
        table = pgcopy.unpack(b"".join(data or b"" for _, _, data in own), PASSAGE_ROW, dim)
        spans = pgcopy.unpack(b"".join(data or b"" for _, _, data in told), SENTENCE_ROW, dim)
        numbers = np.arange(len(ids))
        first = np.concatenate([[0], np.cumsum(listed)[:-1]]).astype(np.int64)
        sentence_counts = np.array([stored for stored, _, _ in told], dtype=np.int64)
        sentence_first = np.concatenate([[0], np.cumsum(sentence_counts)[:-1]]).astype(np.int64)
        sentence_doc = np.repeat(numbers, sentence_counts)
        rows = np.column_stack(
            [np.repeat(numbers, listed)] + [table[name] for name in ("paragraph", "part", "parts", "start", "stop")]
        ).astype(np.int64).reshape(-1, 6)
        sentence_rows = np.column_stack([first[sentence_doc] + spans["passage"], spans["start"], spans["stop"]]).astype(np.int64)
        lexical = Lexical.from_counts(
            Counts.joined([Counts.from_bytes(row[10]) for row in found]), Counts.joined([Counts.from_bytes(row[11]) for row in found])
        )
        return Index.assemble(
            self.location,
            f"version {number}",
            manifest,
            texts,
            rows,
            dense.Held(table["vector"].astype(np.float32), self._graph("qa_passages", ids, first, len(rows))),
            sentence_rows.reshape(-1, 3),
            dense.Held(spans["vector"].astype(np.float32), self._graph("qa_sentences", ids, sentence_first, len(spans))),
            lexical,
        )

    def _graph(self, table: str, ids: list[int], first: np.ndarray, rows: int) -> Graph | None:
        """The database's search of ``table``, when it has more ``rows`` than are searched exactly."""
        if rows <= dense.EXACT_LIMIT:
            return None
        return Graph(self.location, table, dict(zip(ids, first.tolist())))

    # ------------------------------------------------------------------------ writing

    def text(self, name: str) -> str | None:
        """The text kept of the document called ``name``; None when there is none. Read on the
        writer's connection (called with the lock held)."""
        with self._failing(f"reading {name}"):
            found = self._writing().execute("SELECT text FROM qa_documents WHERE name = %s", (name,)).fetchone()
        return found[0] if found else None

    @contextmanager
    def locked(self, notify: Notify | None = None, shared: bool = False) -> Iterator[None]:
        """Hold the index's advisory lock, ``shared`` (adds and removes, which run together) or
        exclusively (a whole new index); the connection that holds it does the writing."""
        with self._connection() as conn:
            self._writer = conn
            self._written = 0
            try:
                kind = "_shared" if shared else ""
                take = f"SELECT pg_try_advisory_lock{kind}({LOCK})"
                with self._failing("waiting for the index's lock"):
                    if not conn.execute(take).fetchone()[0]:
                        if notify:
                            notify("another qa process is " + ("rebuilding" if shared else "writing") + " the index; waiting for it")
                        deadline = time.monotonic() + WAIT
                        while not conn.execute(take).fetchone()[0]:
                            if time.monotonic() > deadline:
                                raise QAError(f"{self.location}: still locked by another qa process after {WAIT:.0f} s")
                            time.sleep(0.2)
                yield
            finally:
                self._writer = None  # closing the connection lets go of the lock

    def apply(self, put: Sequence[Record], drop: Sequence[str], built_by: dict | None) -> list[tuple[Outcome, str]]:
        """Commit each document of ``put`` in a transaction of its own, then remove those named
        ``drop`` in one; a graph is built for a table that has grown past ``dense.EXACT_LIMIT``."""
        conn = self._writing()
        outcomes = []
        for record in put:
            with self._failing(f"writing {record.entry.name}"), conn.transaction():
                self._prepare(conn, built_by)
                outcome = self._put(conn, record)
                if outcome[0] != "unchanged":
                    conn.execute("UPDATE qa_index SET version = version + 1")
            outcomes.append(outcome)
            self._written += outcome[0] != "unchanged"
        if drop:
            with self._failing("removing documents"), conn.transaction():
                self._prepare(conn, None)
                conn.execute("DELETE FROM qa_documents WHERE name = ANY(%s)", (list(drop),))
                conn.execute("UPDATE qa_index SET version = version + 1")
        if put:
            self._grow_graphs(conn)
        return outcomes

    def replace(self, kept: Sequence[Record], built_by: dict) -> None:
        """Every row replaced by the documents ``kept``, in one transaction (made with another
        dimension, the vector columns change with them)."""
        conn = self._writing()
        with self._failing("writing the index"), conn.transaction():
            head = self._prepare(conn, built_by, replacing=True)
            for table in ("qa_sentences", "qa_passages", "qa_documents"):
                conn.execute(f"DELETE FROM {table}")  # not TRUNCATE: readers keep their snapshot
            if int(head[1].get("dim") or 0) != int(built_by["dim"]):
                for table in ("qa_passages", "qa_sentences"):
                    conn.execute(f"DROP INDEX IF EXISTS {table}_hnsw")
                    conn.execute(f"ALTER TABLE {table} ALTER COLUMN vector TYPE vector({int(built_by['dim'])})")
            conn.execute("UPDATE qa_index SET manifest = %s, version = version + 1", (_json(_manifest(built_by)),))
            for record in kept:
                self._insert(conn, record, self._next_position(conn))
        self._grow_graphs(conn)

    def _prepare(self, conn: psycopg.Connection, built_by: dict | None, replacing: bool = False) -> tuple:
        """Inside a write's transaction: the tables made if there are none, the ``qa_index`` row
        locked and returned; documents made as ``built_by`` says must match the index's (an
        empty index takes theirs)."""
        head = self._head(conn, lock=True)
        if head is None:
            if built_by is None:
                raise QAError(f"no index at {self.location}")
            conn.execute(f"SELECT pg_advisory_xact_lock({TABLES_LOCK})")  # two first writers: one makes the tables
            if self._head(conn) is None:
                for statement in _schema(int(built_by["dim"])):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO qa_index (schema, manifest) VALUES (%s, %s)", (SCHEMA_VERSION, _json(_manifest(built_by)))
                )
            head = self._head(conn, lock=True)
        if built_by is not None and not replacing and head[1] != _manifest(built_by):
            if conn.execute("SELECT EXISTS (SELECT FROM qa_documents)").fetchone()[0]:
                reason = versions.mismatch(head[1], built_by["model"]) or "made otherwise"
                raise QAError(f"{self.location}: another writer changed the index meanwhile ({reason}); add again")
            if int(head[1].get("dim") or 0) != int(built_by["dim"]):
                raise QAError(f"{self.location}: an empty index of {head[1].get('dim')}-dimension vectors; `qa index rebuild` it")
            conn.execute("UPDATE qa_index SET manifest = %s", (_json(_manifest(built_by)),))
        return head

    def _put(self, conn: psycopg.Connection, record: Record) -> tuple[Outcome, str]:
        """``record`` placed against the committed documents and written in place of the one it
        replaces (keeping its position), or after the others."""

        def lookup(column: str):
            def find(value: str) -> DocumentEntry | None:
                row = conn.execute(f"SELECT {ENTRY} FROM qa_documents WHERE {column} = %s ORDER BY position LIMIT 1", (value,))
                found = row.fetchone()
                return DocumentEntry(*found) if found else None

            return find

        entry = record.entry
        known, name = place(entry.source, entry.name, lookup("name"), lookup("source"))
        if records.unchanged(known, entry.sha256, entry.format, record.text, self.text):
            return "unchanged", name
        record.entry = dataclasses.replace(entry, name=name)
        if known is None:
            self._insert(conn, record, self._next_position(conn))
            return "added", name
        position = conn.execute("DELETE FROM qa_documents WHERE name = %s RETURNING position", (known.name,)).fetchone()[0]
        self._insert(conn, record, position)
        return "updated", name

    @staticmethod
    def _next_position(conn: psycopg.Connection) -> int:
        return conn.execute("SELECT coalesce(max(position), 0) + 1 FROM qa_documents").fetchone()[0]

    def _insert(self, conn: psycopg.Connection, record: Record, position: int) -> None:
        """One document's rows: its entry, text and words; its passages and sentences with their vectors."""
        entry = record.entry
        words, pairs = Lexical.count(record.searched)
        document = conn.execute(
            "INSERT INTO qa_documents (position, name, source, sha256, title, passages, chars, format, pages, text, words, pairs) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            (position, entry.name, entry.source, entry.sha256, entry.title, entry.passages, entry.chars, entry.format,
             entry.pages, record.text, words.to_bytes(), pairs.to_bytes()),
        ).fetchone()[0]
        assert record.vectors is not None and record.sentence_vectors is not None, "records are embedded before they are written"
        dim = record.vectors.shape[1]
        chunks = np.array([[c.paragraph, c.part, c.parts, c.start, c.end] for c in record.chunks], dtype=np.int64).reshape(-1, 5)
        passages = {"document": np.full(len(chunks), document), "ordinal": np.arange(len(chunks)), "vector": record.vectors}
        passages.update(zip(("paragraph", "part", "parts", "start", "stop"), chunks.T))
        sentences = {
            "document": np.full(len(record.sentences), document), "ordinal": np.arange(len(record.sentences)),
            "passage": record.sentences[:, 0], "start": record.sentences[:, 1], "stop": record.sentences[:, 2],
            "vector": record.sentence_vectors,
        }
        for table, columns, values in (("qa_passages", PASSAGES, passages), ("qa_sentences", SENTENCES, sentences)):
            names = ", ".join(name for name, _ in columns)
            with conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(pgcopy.encode(columns, values, dim))

    def _grow_graphs(self, conn: psycopg.Connection) -> None:
        """An HNSW index (inner product) on each vector table past ``dense.EXACT_LIMIT`` rows that
        has none yet (pgvector's defaults, m 16 and ef_construction 64)."""
        for table in ("qa_passages", "qa_sentences"):
            with self._failing(f"indexing the vectors of {table}"), conn.transaction():
                if conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] <= dense.EXACT_LIMIT:
                    continue
                conn.execute(f"SELECT pg_advisory_xact_lock({TABLES_LOCK})")  # one writer makes it
                if conn.execute(EXISTS, (f"{table}_hnsw",)).fetchone()[0]:
                    continue
                conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
                conn.execute(f"CREATE INDEX {table}_hnsw ON {table} USING hnsw (vector vector_ip_ops)")

    # ------------------------------------------------------------------------ connections

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """A connection of its own (autocommit: transactions are explicit), closed after."""
        conn = connect(self.location)
        try:
            yield conn
        finally:
            conn.close()

    def _writing(self) -> psycopg.Connection:
        if self._writer is None:
            raise RuntimeError("the index is written with its lock held (Database.locked)")
        return self._writer

    @contextmanager
    def _reading(self, conn: psycopg.Connection) -> Iterator[None]:
        """One snapshot for everything read in it."""
        import psycopg

        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with self._failing("reading the index"), conn.transaction():
            yield

    def _head(self, conn: psycopg.Connection, lock: bool = False) -> tuple | None:
        """The ``qa_index`` row (schema, manifest, version, created); None when there is no index.
        A database of another schema version is refused."""
        if not conn.execute(EXISTS, ("qa_index",)).fetchone()[0]:  # not to_regclass: it may not see a table just made
            return None
        head = conn.execute("SELECT schema, manifest, version, created FROM qa_index" + (" FOR UPDATE" if lock else "")).fetchone()
        if head is not None and head[0] != SCHEMA_VERSION:
            which = "an older" if head[0] < SCHEMA_VERSION else "a newer"
            raise QAError(
                f"{self.location} holds an index made by {which} qa (database schema {head[0]}; this qa reads "
                f"{SCHEMA_VERSION}): copy it out with the qa that made it (`qa index copy {self.location} DIR`) "
                "and into a new database with this one"
            )
        return head

    @contextmanager
    def _failing(self, doing: str) -> Iterator[None]:
        """Database errors as one line that names the database (never its password)."""
        import psycopg

        try:
            yield
        except psycopg.OperationalError as error:
            kept = f"; the {self._written} documents committed before it are kept" if self._written else ""
            raise QAError(
                f"{self.location}: the connection to the database failed while {doing} ({_first_line(error)}); "
                f"nothing of it was written{kept}"
            ) from None
        except psycopg.Error as error:
            raise QAError(f"{self.location}: the database refused {doing} ({_first_line(error)})") from None


class Graph:
    """A table's HNSW index in the database, searched for the rows nearest a question
    (``dense.Graph``); ``first`` gives the row of each document's first passage or sentence, as
    the reader that loaded it numbers them (documents committed after it are left out)."""

    def __init__(self, location: DatabaseURL, table: str, first: dict[int, int]) -> None:
        self.location, self.table, self.first = location, table, first
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()

    def nearest(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        literal = "[" + ",".join(repr(x) for x in query.astype(np.float32).tolist()) + "]"
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None or self._conn.closed:
                        self._conn = connect(self.location)
                    with self._conn.transaction():
                        self._conn.execute(f"SET LOCAL hnsw.ef_search = {int(k)}")
                        found = self._conn.execute(
                            f"SELECT document, ordinal, vector <#> %s::vector AS distance FROM {self.table} ORDER BY distance LIMIT %s",
                            (literal, k),
                        ).fetchall()
                    break
                except _operational() as error:
                    self._conn = None
                    if attempt == 2:
                        raise QAError(f"{self.location}: the database did not answer a search ({_first_line(error)})") from None
        known = [(self.first[d] + o, -distance) for d, o, distance in found if d in self.first]
        rows = np.array([row for row, _ in known], dtype=np.int64)
        return np.array([score for _, score in known], dtype=np.float32), rows


class _Versions:
    """One connection a process for ``Database.version``, which a server reads before each
    question: reused, and made again once when it has dropped."""

    def __init__(self) -> None:
        self._connections: dict[str, psycopg.Connection] = {}
        self._lock = threading.Lock()

    def read(self, database: Database) -> tuple | None:
        url = database.location.url
        with self._lock:
            for attempt in (1, 2):
                try:
                    conn = self._connections.get(url)
                    if conn is None or conn.closed:
                        conn = self._connections[url] = connect(database.location)
                    with database._failing("reading the index's version"):
                        return database._head(conn)
                except QAError:
                    self._connections.pop(url, None)
                    if attempt == 2:
                        raise
        return None


_versions = _Versions()


def connect(location: DatabaseURL) -> psycopg.Connection:
    """A connection to the database (autocommit); a ``QAError`` that names it (without its
    password) and says what failed, or how to install what is missing."""
    try:
        import psycopg
    except ImportError:
        raise QAError(
            f"{location}: an index in PostgreSQL needs the postgres extra: pip install 'qa[postgres]' "
            "(psycopg 3 and the PostgreSQL client library)"
        ) from None
    try:
        return psycopg.connect(location.url, autocommit=True, connect_timeout=10, application_name="qa")
    except psycopg.Error as error:
        raise QAError(f"cannot reach the index database {location}: {_first_line(error)}") from None


def _operational() -> type[Exception]:
    import psycopg

    return psycopg.OperationalError


def _packed(conn: psycopg.Connection, table: str, row: list[pgcopy.Column]) -> dict[int, tuple[int, int, bytes]]:
    """Each document's rows of ``table``: how many, the last ordinal, and the rows packed in ordinal order."""
    found = conn.execute(
        f"SELECT document, count(*), max(ordinal), string_agg({pgcopy.packed(row)}, ''::bytea ORDER BY ordinal) "
        f"FROM {table} GROUP BY document",
        binary=True,
    ).fetchall()
    return {document: (count, last, data) for document, count, last, data in found}


def _token(head: tuple) -> str:
    """The version token of the ``qa_index`` row ``head``: its version number and when the index was made."""
    return f"{head[2]}@{head[3].timestamp()}"


def _manifest(built_by: dict) -> dict:
    """What ``qa_index`` records: the manifest of ``versions.manifest`` without its documents."""
    return {key: value for key, value in versions.manifest(built_by, []).items() if key != "documents"}


def _json(value: Any):
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__
