"""HTML: the page's main content as paragraphs, headings and lists, parsed with lxml.

Navigation, scripts, styles, forms, cookie and consent banners, sidebars, hidden elements and
the permalinks that decorate headings (Sphinx's ``¶``) are dropped; when the page marks its
main content (``<main>``, ``role="main"``, ``<article>``) only that is read. Headings become Markdown-style lines (``## Heading``), so they stay the
document's structure without becoming passages; list items become ``- item`` lines, table rows
``| cell | cell |`` lines (named by a heading row's cells: ``table_rows``); preformatted text (``<pre>``, code) keeps its lines, each break a hard
line break as Markdown writes one (two spaces before it). A line break inside a list item or a
table cell is a comma ("17 March 1811<br>Whitby": "17 March 1811, Whitby"); a footnote mark
(``<sup>[3]</sup>``, a superscript in-page link) is dropped; a table of ``<th>`` label and
``<td>`` value rows (an infobox) is written as "Label: value" lines, its title row (one cell
across the table) a line of its own; a definition list's definitions are paragraphs after their
terms ("Continuous mode: Ignores the target humidity …"). The ``<title>`` is the document's title.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import DocumentError
from . import HARD_BREAK, Extracted, code_block, table_rows

if TYPE_CHECKING:
    from lxml.etree import _Element

_DROPPED_TAGS = frozenset(
    "script style noscript template iframe svg canvas nav aside footer form button select input "
    "textarea dialog menu object embed head".split()
)
_BOILERPLATE_ROLES = frozenset("navigation banner contentinfo complementary search dialog alertdialog".split())
_BOILERPLATE_NAMES = frozenset(
    "cookie cookies consent gdpr banner newsletter subscribe breadcrumb breadcrumbs sidebar navbar nav "
    "menu share social ads advert advertisement promo popup modal skip navigation footer toc catlinks sitesub".split()
)
_BLOCK_TAGS = frozenset(
    "p div section article main header li ul ol dl dt dd blockquote pre table thead tbody tfoot tr "
    "figure figcaption address h1 h2 h3 h4 h5 h6 hr br body".split()
)
# Links that decorate a heading, a code block or a definition rather than say anything: a
# permalink (Sphinx's "¶", a Markdown renderer's "#" or "§"), a "[source]" or "[edit]" link.
_DECORATION_CLASSES = frozenset(
    "headerlink header-anchor heading-anchor anchor-link anchorjs-link hash-link permalink viewcode-link "
    "mw-editsection".split()
)
_PERMALINK_SIGNS = "¶§#🔗⚓"
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_FOOTNOTE_MARK = re.compile(r"\s*(?:\[[^\[\]]{1,30}\]|\d{1,3}|[*†‡§])\s*")  # "[3]", "[citation needed]", "12", "*"
_BREAK = "\ue000"  # where a <br> was, inside a list item or a table cell (private use: no text has it)
_BROKEN_IN = ("li", "td", "th", "dt", "dd")
_NAME_PARTS = re.compile(r"[\s_-]+")


def extract(path: Path, data: bytes) -> Extracted:
    import lxml.html
    from lxml import etree

    try:
        try:
            data.decode("utf-8-sig")
            parser = lxml.html.HTMLParser(encoding="utf-8")
        except UnicodeDecodeError:
            parser = lxml.html.HTMLParser()  # the page's own <meta charset>, else Latin-1
        root = lxml.html.document_fromstring(data.removeprefix(b"\xef\xbb\xbf"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(f"{path}: not readable as HTML ({error})") from None
    title_element = root.find(".//title")
    title = " ".join(title_element.text_content().split()) if title_element is not None else ""
    for element in list(root.iter()):
        if element.getparent() is not None and _boilerplate(element):
            element.drop_tree()
    for br in root.iter("br"):
        if _inside(br, _BROKEN_IN):
            br.tail = _BREAK + (br.tail or "")
    writer = _Writer()
    writer.visit(_main(root))
    text = "\n\n".join(writer.blocks)
    return Extracted(text, "html", title or None)


def _boilerplate(element: _Element) -> bool:
    if not isinstance(element.tag, str):
        return True  # comments and processing instructions
    tag = element.tag.lower()
    if tag in _DROPPED_TAGS or (tag == "header" and not _inside(element, ("article", "main"))):
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if re.search(r"display\s*:\s*none", element.get("style", "")):
        return True
    if tag == "sup" and _footnote_mark(element):
        return True
    if element.get("role", "").lower() in _BOILERPLATE_ROLES:
        return True
    names = f"{element.get('id', '')} {element.get('class', '')}".lower()
    return bool(_BOILERPLATE_NAMES & set(_NAME_PARTS.split(names))) or _decoration(element, tag)


def _decoration(element: _Element, tag: str) -> bool:
    """A permalink or edit link (``<a class="headerlink" href="#intro">¶</a>``), not content."""
    if _DECORATION_CLASSES & set(element.get("class", "").lower().split()):
        return True
    # an in-page link that shows only a permalink sign (or nothing): Hugo's, Docusaurus's "#"
    return tag == "a" and element.get("href", "").startswith("#") and not element.text_content().strip(_PERMALINK_SIGNS + " \n\t")


def _footnote_mark(sup: _Element) -> bool:
    """A superscript that marks a footnote: "[3]", "[citation needed]", or a number or sign that
    links within the page (``<sup><a href="#fn1">1</a></sup>``); not an exponent ("m<sup>2</sup>")."""
    text = sup.text_content()
    if text.strip().startswith("[") and _FOOTNOTE_MARK.fullmatch(text):
        return True
    links = sup.findall(".//a")
    return bool(links) and all(a.get("href", "").startswith("#") for a in links) and _FOOTNOTE_MARK.fullmatch(text) is not None


def _inside(element: _Element, tags: tuple[str, ...]) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in tags for a in element.iterancestors())


def _mark(item: _Element) -> str:
    """A list item's mark: its number in an ordered list ("3.", from the list's ``start`` and
    the items' ``value``), else "-"."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol":
        return "-"
    number = _number(parent.get("start"), 1)
    for sibling in parent.iterchildren("li"):
        number = _number(sibling.get("value"), number)
        if sibling is item:
            return f"{number}."
        number += 1
    return "-"


def _number(value: str | None, default: int) -> int:
    """An attribute's whole number, or ``default`` where it has none."""
    return int(value) if value is not None and value.strip().isdigit() else default


def _main(root: _Element) -> _Element:
    """The element holding the main content: <main>, role=main, the largest <article>, or <body>."""
    for query in ("//main", "//*[@role='main']"):
        found = root.xpath(query)
        if found:
            return found[0]
    articles = root.xpath("//article")
    if articles:
        return max(articles, key=lambda a: len(a.text_content()))
    body = root.find("body")
    return body if body is not None else root


class _Writer:
    """Walks the content and collects its blocks of text."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.lines: list[str] = []  # list items or table rows of the block being gathered

    def visit(self, element: _Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _HEADINGS:
            self.flush()
            heading = _words(element.text_content())
            if heading:
                self.blocks.append("#" * _HEADINGS[tag] + " " + heading)
            self._tail(element)
            return
        if tag == "li":
            self.flush_inline()
            line = _words(element.text_content())
            if line:
                self.lines.append(f"{_mark(element)} {line}")
            self._tail(element)
            return
        if tag == "table":
            self.flush()
            rows = _rows(element)
            if rows:
                self.blocks.append("\n".join(rows))
            self._tail(element)
            return
        if tag == "dl":
            self.flush()
            self.blocks += _definitions(element)
            self._tail(element)
            return
        if tag == "pre":
            self.flush()
            code = element.text_content()
            if code.strip():
                self.blocks.append(code_block(code))
            self._tail(element)
            return
        block = tag in _BLOCK_TAGS
        if block and tag not in ("ul", "ol", "table", "thead", "tbody", "tfoot", "dl"):
            self.flush()
        if element.text:
            self.inline.append(element.text)
        for child in element:
            self.visit(child)
        if block:
            self.flush()
        self._tail(element)

    def _tail(self, element: _Element) -> None:
        if element.tail:
            self.inline.append(element.tail)

    def flush_inline(self) -> None:
        paragraph = _words("".join(self.inline))
        self.inline = []
        if paragraph:
            self.flush_lines()
            self.blocks.append(paragraph)

    def flush_lines(self) -> None:
        if self.lines:
            self.blocks.append("\n".join(self.lines))
            self.lines = []

    def flush(self) -> None:
        self.flush_inline()
        self.flush_lines()


def _words(text: str) -> str:
    """``text``'s words, one space apart; the line breaks of a list item or a cell (``_BREAK``) commas."""
    return ", ".join(part for line in text.split(_BREAK) if (part := " ".join(line.split()).strip(",; ")))


def _definitions(dl: _Element) -> list[str]:
    """A definition list's paragraphs, each definition after its terms: "Continuous mode: Ignores
    the target humidity …" (a ``<dd>`` alone would not say what it defines); a term with no
    definition is a paragraph of its own."""
    groups: list[tuple[list[str], list[str]]] = []  # (terms, their definitions), in order
    for item in dl.iter("dt", "dd"):
        term = item.tag == "dt"
        writer = _Writer()  # its paragraphs, if it holds several, one after another
        writer.visit(item)
        text = " ".join(writer.blocks).rstrip(":" if term else "")
        if not text or next(item.iterancestors("dl")) is not dl:
            continue
        if not groups or (term and groups[-1][1]):
            groups.append(([], []))
        groups[-1][0 if term else 1].append(text)
    blocks: list[str] = []
    for terms, definitions in groups:
        named = ", ".join(terms)
        blocks += [f"{named}: {definition}" if named else definition for definition in definitions] or [named]
    return blocks


def _rows(table: _Element) -> list[str]:
    """The table's lines (not those of a table inside it): a title row (one cell across the
    table) on its own, then its rows as ``table_rows`` writes them, its first row a heading row
    when all its cells are ``<th>`` or it stands in ``<thead>``; a table whose every row is a
    ``<th>`` label and a ``<td>`` value (an infobox) as "Label: value" lines."""
    rows: list[list[_Element]] = []
    for row in table.iter("tr"):
        if next(row.iterancestors("table")) is table:
            rows.append([cell for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")])
    widest = max(map(len, rows), default=0)
    titles = [_words(cells[0].text_content()) for cells in rows[:1] if len(cells) == 1 < widest]
    rows = [cells for cells in rows[len(titles) :] if cells]
    if rows and all([cell.tag.lower() for cell in cells] == ["th", "td"] for cells in rows):
        pairs = [(_words(label.text_content()).rstrip(":"), _words(value.text_content())) for label, value in rows]
        lines = [f"{label}: {value}" for label, value in pairs if label and value]
        return [HARD_BREAK.join([*filter(None, titles), *lines])] if lines else titles
    header = bool(rows) and (all(cell.tag.lower() == "th" for cell in rows[0]) or rows[0][0].getparent().getparent().tag.lower() == "thead")
    return [*filter(None, titles), *table_rows([[_words(cell.text_content()) for cell in cells] for cells in rows], header)]
