"""Where qa keeps things: the index directory and the bundled document."""

from __future__ import annotations

import os
from pathlib import Path

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


def index_from_environment() -> Path | None:
    """The index directory named by ``$QA_INDEX``, if it is set."""
    return Path(os.environ["QA_INDEX"]).expanduser() if os.environ.get("QA_INDEX") else None


def default_index_dir() -> Path:
    """``$QA_INDEX``; else ``index/`` of the checkout; else the user's data directory."""
    named = index_from_environment()
    if named is not None:
        return named
    root = checkout_root()
    return root / "index" if root else data_home() / "index"
