"""PDF with a text layer, read with PDFium (pypdfium2): the text page by page, in reading order.

PDFium gives each page's text line by line, in the order of the content (for ordinary documents
the reading order) and already joins words hyphenated at a line end (it marks the join with
U+FFFE). From the lines this module rebuilds paragraphs (a vertical gap wider than the usual line
spacing ends one), drops running headers and footers (a line at the top or bottom of a page that
recurs on other pages, digits aside, or a bare page number) and joins a paragraph that runs on
to the next page. Pages are separated by a blank line; ``Extracted.pages`` keeps where each
starts, so every passage and quote knows its page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import DocumentError
from . import Extracted

if TYPE_CHECKING:
    from pypdfium2 import PdfPage

EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a header or footer
RUNNING_SHARE = 0.2  # a header recurs on at least this share of the pages (and on two at least)
RUNNING_WORDS = 16  # a running header is a line of at most this many words
PARAGRAPH_GAP = 0.6  # a gap between lines wider than this many line heights ends a paragraph
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?\W*$", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HYPHEN_JOIN = re.compile("[\ufffe\x02]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufeff\ufffd]")
_ENDS_SENTENCE = tuple(".!?:;…\"”’')]")


@dataclass(frozen=True)
class Line:
    text: str
    top: float
    bottom: float


def extract(path: Path, data: bytes) -> Extracted:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise DocumentError(f"{path}: encrypted PDF (it needs a password): save an unprotected copy first") from None
        raise DocumentError(f"{path}: not a readable PDF ({_reason(error)})") from None
    try:
        title = (document.get_metadata_dict().get("Title") or "").strip() or None
        pages = [_lines(document[number]) for number in range(len(document))]
    finally:
        document.close()
    pages = _without_running_lines(pages)
    text, starts = _assemble([_paragraphs(lines) for lines in pages])
    if not any(character.isalpha() for character in text):
        raise DocumentError(f"{path}: no text layer (scanned?): run OCR first")
    return Extracted(text, "pdf", title, starts)


def _reason(error: Exception) -> str:
    message = str(error)
    return message[message.find("PDFium: ") + 8 :].rstrip(").") if "PDFium: " in message else message


def _lines(page: PdfPage) -> list[Line]:
    """The page's text lines, top to bottom as PDFium orders them, with their heights."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        aligned = len(text) == textpage.count_chars()  # one character per index: boxes line up
        lines: list[Line] = []
        position = 0
        for match in [*_LINE_BREAK.finditer(text), None]:
            end = match.start() if match else len(text)
            raw = text[position:end]
            first = position + (len(raw) - len(raw.lstrip()))
            content = " ".join(_CONTROL.sub("", _HYPHEN_JOIN.sub("", raw)).split())
            if content:
                _, bottom, _, top = textpage.get_charbox(first, loose=True) if aligned else (0.0, 0.0, 0.0, 0.0)
                lines.append(Line(content, top, bottom))
            position = match.end() if match else end
        return lines
    finally:
        textpage.close()
        page.close()


def _without_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages without their running headers and footers and bare page numbers."""

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.casefold())

    def edges(lines: list[Line]) -> list[Line]:
        return lines[:EDGE_LINES] + lines[max(EDGE_LINES, len(lines) - EDGE_LINES) :]

    counts = Counter(k for lines in pages for k in {key(line) for line in edges(lines)})
    floor = max(2.0, RUNNING_SHARE * len(pages))
    running = {k for k, n in counts.items() if n >= floor}
    kept = []
    for lines in pages:
        edge = {id(line) for line in edges(lines)}
        kept.append(
            [line for line in lines if id(line) not in edge or (key(line) not in running and not _PAGE_NUMBER.match(line.text))]
        )
    return kept


def _paragraphs(lines: list[Line]) -> list[str]:
    """A page's lines joined into paragraphs: a gap wider than usual between two lines ends one."""
    paragraphs: list[list[str]] = []
    previous: Line | None = None
    for line in lines:
        height = max(line.top - line.bottom, 1.0)
        gap = previous.bottom - line.top if previous else 0.0
        if previous is None or gap > PARAGRAPH_GAP * height or gap < -3 * height:
            paragraphs.append([])
        paragraphs[-1].append(line.text)
        previous = line
    return [" ".join(words) for words in paragraphs]


def _assemble(pages: list[list[str]]) -> tuple[str, tuple[int, ...]]:
    """The document text (paragraphs and pages separated by blank lines) and each page's start.

    A page whose first paragraph continues the previous page's last one (that one ends without
    closing punctuation, this one starts in lower case) is joined to it with a space; a short
    line before it, which no heading would be in mid-sentence, is a running header the page
    alone has (a two-page report's "McAllister et al. - Artificial light …") and is dropped.
    """
    text = ""
    starts = []
    for paragraphs in pages:
        unfinished = bool(text) and not text.endswith(_ENDS_SENTENCE)  # the previous page ends mid-sentence
        if unfinished and len(paragraphs) > 1 and _running_line(paragraphs[0]) and paragraphs[1][:1].islower():
            paragraphs = paragraphs[1:]
        if paragraphs and unfinished and paragraphs[0][:1].islower():
            text += " "
        elif text and paragraphs:
            text += "\n\n"
        starts.append(len(text))
        text += "\n\n".join(paragraphs)
    return text, tuple(starts)


def _running_line(paragraph: str) -> bool:
    """A line that may be a running header: short, and not a sentence."""
    return len(paragraph.split()) <= RUNNING_WORDS and not paragraph.endswith(_ENDS_SENTENCE)
