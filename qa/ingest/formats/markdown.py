"""Markdown (.md, .markdown): the text without its markup, parsed with markdown-it-py.

Emphasis, code spans and links keep their words (a link's address goes); images, raw HTML,
comments and a leading front-matter block are dropped, as the HTML reader drops them. Headings stay
``# Heading`` lines, list items ``- item`` lines and table rows ``| cell | cell |`` lines, as the
HTML and DOCX readers write them (each row naming its cells by the heading row: ``table_rows``), so the chunker sees the same structure. A paragraph's
wrapped lines are joined with spaces, unless they are a list written without marks (three or
more short lines, each opening with a capital or a digit: "Address: …", "Phone: …"); a hard
line break stays one (two spaces and a newline), and so does every line break of a code block.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..chunking import is_list
from . import HARD_BREAK, Extracted, code_block, plain, table_rows

if TYPE_CHECKING:
    from markdown_it.token import Token

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[^\S\n]*\n.*?\n(?:---|\+\+\+|\.\.\.)[^\S\n]*(?:\n|\Z)", re.DOTALL)
_SOFT = "\x00"  # a wrapped line's break, until it is known whether the lines are a list
_BREAKS = {"softbreak": _SOFT, "hardbreak": "\n"}


def extract(path: Path, data: bytes) -> Extracted:
    return Extracted(to_text(plain.extract(path, data).text), "markdown")


def to_text(markdown: str) -> str:
    """The text of a Markdown document, blocks separated by blank lines."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(_FRONT_MATTER.sub("", markdown, count=1))
    blocks: list[str] = []
    lines: list[str] = []  # the items of the list, or the rows of the table, being read
    lists: list[list[int | None]] = []  # per open list: the next item's number (None: bullets)
    item_started = False  # whether the open list item has its first line yet
    rows: list[list[str]] = []  # the rows of the table being read
    cells: list[str] = []
    for position, token in enumerate(tokens):
        kind = token.type
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        inline = _inline(following) if following is not None and following.type == "inline" else ""
        if kind == "heading_open" and inline:
            blocks.append("#" * int(token.tag[1]) + " " + inline)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append([int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                blocks.append("\n".join(lines))
                lines = []
        elif kind == "list_item_open":
            item_started = False
        elif kind == "paragraph_open" and inline:
            if lists:
                indent = "  " * (len(lists) - 1)
                if item_started:
                    lines.append(f"{indent}  {inline}")
                else:
                    number = lists[-1][0]
                    lines.append(f"{indent}{'-' if number is None else f'{number}.'} {inline}")
                    if number is not None:
                        lists[-1][0] = number + 1
                    item_started = True
            else:
                blocks.append(inline)
        elif kind in ("th_open", "td_open"):
            cells.append(inline)
        elif kind == "tr_close":
            rows.append(cells)
            cells = []
        elif kind == "table_close":
            blocks.append("\n".join(table_rows(rows, header=True)))  # a Markdown table always has one
            rows = []
        elif kind in ("fence", "code_block") and token.content.strip():
            (lines if lists else blocks).append(code_block(token.content))
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _inline(token: Token) -> str:
    """The words of an inline run: its text and code spans; no markup, no images, no HTML."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in _BREAKS:
            parts.append(_BREAKS[child.type])
    text = "".join(parts)
    if is_list(text.split(_SOFT)):  # lines of fields or items ("Address: …", "Phone: …") stay lines
        text = text.replace(_SOFT, "\n")
    return HARD_BREAK.join(" ".join(line.split()) for line in text.replace(_SOFT, " ").split("\n")).strip()
