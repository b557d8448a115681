"""Text out of the files people have: PDF, HTML, DOCX, Markdown and plain text.

Each format has a module with one ``extract(path, data) -> Extracted`` function; this one picks
the module by the file's suffix (or a PDF's signature, whatever the suffix). The extracted text
is what ``qa`` stores, chunks, quotes and shows, so every span refers to it. Parsing libraries
are imported by the module that needs them, only when a file of that kind is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
DOCX_SUFFIXES = (".docx",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text", ".rst", ".org", ".adoc")
SUFFIXES = PDF_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES + MARKDOWN_SUFFIXES + TEXT_SUFFIXES
SUPPORTED = (
    "supported: PDF (.pdf), HTML (.html, .htm), Word (.docx), Markdown (.md), plain text (.txt, .rst, .org, .adoc)"
)


# Formats whose reader writes each heading as a "## Heading" line: in their text, a short line
# that is not marked so is content (a one-line command, a one-item list), not a heading.
MARKED_HEADINGS = frozenset({"markdown", "html", "docx"})


@dataclass(frozen=True)
class Extracted:
    """A document's text as qa reads it, with what the format says about it."""

    text: str
    format: str  # "text", "markdown", "pdf", "html" or "docx"
    title: str | None = None  # the format's own title (PDF metadata, HTML <title>, DOCX Title)
    pages: tuple[int, ...] | None = None  # offset in ``text`` where each page starts (PDF)


HARD_BREAK = "  \n"  # a line break that is structure, not wrapping: two spaces before it, as in Markdown


def code_block(code: str) -> str:
    """A code block as the readers write it: its lines as they are (trailing spaces dropped),
    each line break a HARD_BREAK, so that its lines stay lines wherever the text is shown flowed
    (``chunking.flowed``)."""
    return HARD_BREAK.join(line.rstrip() for line in code.strip("\r\n").splitlines())


def table_rows(rows: list[list[str]], header: bool) -> list[str]:
    """A table as lines ``| cell | cell |``. With a ``header`` (its first row), each later row
    names its cells by their column's heading, ``| Day: Saturday | Mechanic: Erik Haugen |``, and
    the heading row itself is not written (nor are a named row's empty cells): each row is then
    read, and quoted, on its own as what it says, not as values whose meaning is lines away."""
    if header and len(rows) > 1 and any(rows[0]):
        labels = [cell.rstrip(":").strip() for cell in rows[0]]
        rows = [[_labelled(labels, i, cell) for i, cell in enumerate(row) if cell] for row in rows[1:]]
    return ["| " + " | ".join(row) + " |" for row in rows if any(row)]


CELL_LABEL = re.compile(r"[^\S\n]*[^|:\n]{1,40}:[^\S\n]+")  # the column's label ``table_rows`` writes before a cell's value


def _labelled(labels: list[str], column: int, cell: str) -> str:
    label = labels[column] if column < len(labels) else ""
    return f"{label}: {cell}" if label and label != cell else cell


def supported(path: Path) -> bool:
    """Whether a file found in a folder is one qa reads (by its suffix)."""
    return path.suffix.lower() in SUFFIXES


def extract(path: Path, data: bytes) -> Extracted:
    """The text of the file at ``path`` whose bytes are ``data``.

    Raises DocumentError with a one-line reason when there is no text to be had. A file named
    without a suffix is read as plain text; any other unknown suffix is refused.
    """
    from ...errors import DocumentError

    suffix = path.suffix.lower()
    if data.startswith(b"%PDF-") or suffix in PDF_SUFFIXES:
        from . import pdf

        return pdf.extract(path, data)
    if suffix in HTML_SUFFIXES:
        from . import html

        return html.extract(path, data)
    if suffix in DOCX_SUFFIXES:
        from . import docx

        return docx.extract(path, data)
    if suffix in MARKDOWN_SUFFIXES:
        from . import markdown

        return markdown.extract(path, data)
    if suffix in TEXT_SUFFIXES or not suffix:
        from . import plain

        return plain.extract(path, data)
    raise DocumentError(f"{path}: unsupported format {suffix!r} ({SUPPORTED})")
