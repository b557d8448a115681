"""What the chat UI shows of an answer, as plain data: no Textual, no numpy, cheap to import.

The widgets turn these strings and spans into styled text; keeping the arithmetic here makes
it testable without a terminal.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.ingest.chunking import flowed
from qa.present.places import place

if TYPE_CHECKING:
    from qa.read.answering import Answer, Citation, PassageHit

MARKER = re.compile(r"\[(\d+)\]")
# CommonMark lets any ASCII punctuation be escaped with a backslash; these are the ones that
# can start emphasis, links, code, HTML, headings, lists, tables or autolinks.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:])")
CITE_SCHEME = "cite:"

Span = tuple[int, int]


def escape_markdown(text: str) -> str:
    """``text`` as Markdown that renders as exactly ``text``."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def answer_markdown(text: str, numbers: Iterable[int], short: str | None = None) -> str:
    """The answer as Markdown: the quoted text escaped, the ``short`` answer in it in bold, each
    ``[n]`` of a known citation a link.

    Document text is not Markdown, so everything is escaped; the citation markers become links
    to ``cite:n`` so that clicking one opens that source.
    """
    known = {str(n) for n in numbers}
    short = (short or "").strip()
    parts: list[str] = []
    position = 0
    for match in MARKER.finditer(text):
        if match.group(1) not in known:
            continue
        parts.append(_emphasize(text[position : match.start()], short))
        short = "" if "**" in parts[-1] else short
        parts.append(f"[\\[{match.group(1)}\\]]({CITE_SCHEME}{match.group(1)})")
        position = match.end()
    parts.append(_emphasize(text[position:], short))
    return "".join(parts)


def _emphasize(text: str, short: str) -> str:
    """``text`` escaped, with the first ``short`` in it in bold."""
    found = text.find(short) if short else -1
    if found < 0:
        return escape_markdown(text)
    end = found + len(short)
    return f"{escape_markdown(text[:found])}**{escape_markdown(short)}**{escape_markdown(text[end:])}"


def cited_number(href: str) -> int | None:
    """The citation number of a ``cite:n`` link, else None."""
    if href.startswith(CITE_SCHEME) and href[len(CITE_SCHEME) :].isdigit():
        return int(href[len(CITE_SCHEME) :])
    return None


def searched_differs(answer: Answer) -> bool:
    """Whether the answer searched for something other than the question as typed."""
    return " ".join(answer.query.split()).casefold() != " ".join(answer.question.split()).casefold()


@dataclass(frozen=True)
class Source:
    """One entry of the sources panel: a citation with its passage, or a passage alone."""

    doc: str
    passage_id: str
    text: str  # what is shown: the passage, or the quote alone when the passage is unknown
    start: int  # offset of ``text`` in the document
    quote: Span | None  # the quoted span, relative to ``text``
    n: int | None = None  # citation number, None for a passage that was retrieved but not cited
    speaker: str | None = None
    score: float | None = None
    paragraph: int | None = None  # the paragraph ordinal (as ``qa ask`` prints it)
    page: int | None = None  # the page, for documents with pages (PDF)
    answer: Span | None = None  # the short answer inside the quote, relative to ``text``
    section: str | None = None  # the heading of the section it is in

    @property
    def where(self) -> str:
        """``¶12`` (``p. 3 · ¶12`` with a page, ``¶12 · Parking`` under a heading): the
        paragraph, as the CLI names it (``p12.2`` style ids when unknown)."""
        paragraph = f"¶{self.paragraph}" if self.paragraph is not None else paragraph_of(self.passage_id)
        where = f"p. {self.page} · {paragraph}" if self.page is not None else paragraph
        return f"{where} · {self.section}" if self.section else where

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def document_quote(self) -> Span | None:
        """The quoted span as offsets into the whole document."""
        return None if self.quote is None else (self.start + self.quote[0], self.start + self.quote[1])


def paragraph_of(passage_id: str) -> str:
    """``¶12`` for passage ``p12`` (or ``p12.2``, its second part)."""
    return "¶" + passage_id.lstrip("p").split(".")[0]


def passage_of(citation: Citation, passages: Sequence[PassageHit]) -> PassageHit | None:
    """The retrieved passage a citation quotes, if it is among them."""
    return next((p for p in passages if p.id == citation.passage and p.doc == citation.doc), None)


def quote_in_passage(citation: Citation, passage: PassageHit) -> Span | None:
    """Where the citation's quote lies in ``passage.text``, or None if it does not."""
    start, end = citation.start - passage.start, citation.end - passage.start
    if 0 <= start < end <= len(passage.text) and passage.text[start:end] == citation.quote:
        return start, end
    found = passage.text.find(citation.quote) if citation.quote else -1
    return (found, found + len(citation.quote)) if found >= 0 else None


def sources(answer: Answer) -> tuple[list[Source], list[Source]]:
    """The cited sources (in citation order) and the other retrieved passages (best first)."""
    cited: list[Source] = []
    for citation in answer.citations:
        passage = passage_of(citation, answer.passages)
        quote = quote_in_passage(citation, passage) if passage else None
        if passage is not None and quote is not None:
            cited.append(
                Source(
                    citation.doc, citation.passage, passage.text, passage.start, quote,
                    citation.n, citation.speaker, passage.score, passage.paragraph, passage.page,
                    short_answer(citation, passage.start, len(passage.text)), passage.section,
                )
            )
        else:
            cited.append(
                Source(
                    citation.doc, citation.passage, citation.quote, citation.start, (0, len(citation.quote)),
                    citation.n, citation.speaker, page=citation.page,
                    answer=short_answer(citation, citation.start, len(citation.quote)),
                )
            )
    cited_ids = {(c.doc, c.passage) for c in answer.citations}
    others = [
        Source(p.doc, p.id, p.text, p.start, None, None, None, p.score, p.paragraph, p.page, section=p.section)
        for p in answer.passages
        if (p.doc, p.id) not in cited_ids
    ]
    return cited, others


def short_answer(citation: Citation, start: int, length: int) -> Span | None:
    """The citation's short answer relative to a text at ``start`` of ``length`` characters."""
    if not citation.span:
        return None
    a, b = citation.span["start"] - start, citation.span["end"] - start
    return (a, b) if 0 <= a < b <= length else None


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"


def excerpt(text: str, quote: Span | None, context: int) -> tuple[str, Span | None]:
    """``text`` cut to ``context`` characters around ``quote`` (whole words, with ellipses),
    without the source's own line wraps.

    Returns the excerpt and the quote's span within it. Without a quote, the start is kept.
    """
    text = flowed(text)
    if quote is None:
        return shorten(text, 2 * context), None
    start, end = quote
    left = max(0, start - context)
    right = min(len(text), end + context)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else start
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else end
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    shown = prefix + text[left:right] + suffix
    offset = len(prefix) - left
    return shown, (start + offset, end + offset)


def clipboard_text(answer: Answer) -> str:
    """The answer as copied: its text, then one line per source."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        for citation in answer.citations:
            where = place(citation, passage_of(citation, answer.passages))
            lines.append(f"[{citation.n}] {citation.doc}, {where}: “{flowed(citation.quote).strip()}”")
    return "\n".join(lines)


def paragraph_spans(text: str) -> list[Span]:
    """The blank-line separated paragraphs of a document, as spans (the chunker's own split)."""
    from qa.ingest.chunking import paragraphs

    return [(span.start, span.end) for span in paragraphs(text)]


def page_marks(spans: Sequence[Span], pages: Sequence[int] | None) -> dict[int, int]:
    """Paragraph index -> the page that begins with it: for each page's start offset, the first
    paragraph starting at or after it (a page that starts inside a paragraph is marked before
    the next one). Empty for a document without pages."""
    marks: dict[int, int] = {}
    starts = [span[0] for span in spans]
    for number, offset in enumerate(pages or (), 1):
        index = bisect_left(starts, offset)
        if index < len(starts):
            marks[index] = number
    return marks


def page_marker(page: int) -> str:
    """The line shown in a document view where a page begins."""
    return f"── page {page} ──"


def clip(span: Span | None, within: Span) -> Span | None:
    """``span`` cut to ``within`` and made relative to its start; None if they do not overlap."""
    if span is None:
        return None
    start, end = max(span[0], within[0]), min(span[1], within[1])
    return (start - within[0], end - within[0]) if start < end else None
