"""qa: offline, conversational question answering over text documents, with citations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .engine import QA

__all__ = ["QA"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `qa --help` does not import numpy.
    if name == "QA":
        from .engine import QA

        return QA
    raise AttributeError(name)
