"""A copy on this machine of an index kept in a database, for one version of it: so that a fresh
process (``qa ask``) reads files, as from a directory, instead of the whole database.

The copy is a directory index (``directory.py``) under ``$XDG_CACHE_HOME/qa/postgres/``, one a
database URL, its manifest recording the database's version token. The database engine reads
the token first, in the snapshot it would read the index from, and takes the copy only when the
tokens agree: a write anywhere makes the copy stale, and the next reader reads the database and
replaces the copy. Indexes searched in the database's HNSW graphs (above ``dense.EXACT_LIMIT``)
are not copied. Failing to write the copy (a full disk, another process writing it) only costs
the next reader the time it saves.
"""

from __future__ import annotations

import hashlib
import shutil

from ..errors import QAError
from ..locations import DatabaseURL, cache_home
from . import dense, locking
from .contents import Index
from .directory import LOCK, Directory
from .records import Snapshot

TOKEN = "database_version"  # the manifest key of the copy that holds the database's version token


class Cache:
    """The copy of the index of the database at ``location``."""

    def __init__(self, location: DatabaseURL) -> None:
        self.location = location
        self.folder = cache_home() / "postgres" / hashlib.sha256(location.url.encode()).hexdigest()[:16]

    def load(self, token: str) -> Index | None:
        """The copy, if it is of version ``token``; None otherwise (or if it cannot be read)."""
        copy = Directory(self.folder)
        try:
            found = copy.read_manifest()
            if found is None or found[0].get(TOKEN) != token:
                return None
            index = copy.load()
        except (QAError, OSError):
            return None
        if index is None or index.manifest.get(TOKEN) != token:
            return None
        index.directory = self.location
        return index

    def keep(self, index: Index, token: str) -> None:
        """Make ``index``, read from the database at version ``token``, the copy (unless another
        process is writing one, or it is searched in the database)."""
        if index.outdated or max(len(index.vectors), len(index.sentence_vectors)) > dense.EXACT_LIMIT:
            return
        copy = Directory(self.folder)
        snapshot = Snapshot(
            {**index.manifest, TOKEN: token}, index.texts, index.rows, index.sentences, [index.vectors],
            [index.sentence_vectors], index.lexical,
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with locking.exclusive(self.folder / LOCK, wait=0):
                for leftover in self.folder.glob(".tmp-gen-*"):  # of a writer that was killed
                    shutil.rmtree(leftover, ignore_errors=True)
                copy.write(snapshot)
        except (QAError, OSError):
            return
