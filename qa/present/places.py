"""Where a reader finds a cited passage, as the CLI, the chat UI's clipboard and the OpenAI-compatible reply write it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..read.answering import Citation, PassageHit


def place(citation: Citation, passage: PassageHit | None) -> str:
    """Where a reader finds what ``citation`` quotes: its passage's place (``where``), or the
    passage id when the passage is not among those retrieved."""
    # the paragraph is counted on the page it starts on, which the quote may not
    return where(passage) if passage else _page(citation.page) + f"passage {citation.passage}"


def where(passage: PassageHit) -> str:
    """Where a reader finds ``passage``: 'page 3, paragraph 2', and under its section's heading
    if it has one ('paragraph 2, under "Parking"')."""
    under = f', under "{passage.section}"' if passage.section else ""
    return _page(passage.page) + f"paragraph {passage.paragraph}" + under


def _page(page: int | None) -> str:
    return f"page {page}, " if page is not None else ""
