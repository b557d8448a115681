"""Where qa keeps things: the index (a directory, or a PostgreSQL database named by its URL) and
the bundled document."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

PACKAGE = Path(__file__).resolve().parent
BUNDLED_DOCUMENT = PACKAGE / "data" / "belarus-azerbaijan-talks.txt"


def checkout_root() -> Path | None:
    """The source checkout qa runs from (``python cli.py`` or an editable install), if any."""
    root = PACKAGE.parent
    if (root / "cli.py").is_file() and (root / "pyproject.toml").is_file() and (root / "index").is_dir():
        return root
    return None


def data_home() -> Path:
    """``$XDG_DATA_HOME/qa``, or ``~/.local/share/qa``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "qa"


def cache_home() -> Path:
    """``$XDG_CACHE_HOME/qa``, or ``~/.cache/qa``: what qa keeps to start faster, safe to delete."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qa"


DATABASE_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class DatabaseURL:
    """An index kept in PostgreSQL, named by its connection URL. It prints without its password,
    so that messages can name it."""

    url: str

    def __str__(self) -> str:
        parts = urlsplit(self.url)
        netloc = parts.netloc
        if "@" in netloc:
            user, host = netloc.rsplit("@", 1)
            name, _, password = user.partition(":")
            netloc = f"{name}:***@{host}" if password else f"{name}@{host}"
        query = "&".join(f"{key}=***" if key.lower() == "password" else f"{key}={value}" for key, value in parse_qsl(parts.query, True))
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))

    def __repr__(self) -> str:
        return f"DatabaseURL({str(self)!r})"


Location = Path | DatabaseURL
"""Where an index is kept: a directory, or a database."""


def location(value: str | Path | DatabaseURL) -> Location:
    """The index ``value`` names: a ``postgresql://`` (or ``postgres://``) URL names a database,
    anything else a directory."""
    if isinstance(value, DatabaseURL):
        return value
    if isinstance(value, str) and value.startswith(DATABASE_SCHEMES):
        return DatabaseURL(value)
    return Path(value).expanduser()


def index_from_environment() -> Location | None:
    """The index named by ``$QA_INDEX``, if it is set."""
    return location(os.environ["QA_INDEX"]) if os.environ.get("QA_INDEX") else None


def default_index_dir() -> Location:
    """``$QA_INDEX``; else ``index/`` of the checkout; else the user's data directory."""
    named = index_from_environment()
    if named is not None:
        return named
    root = checkout_root()
    return root / "index" if root else data_home() / "index"
