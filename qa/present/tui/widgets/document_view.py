"""A whole document, with a passage and its quote highlighted, scrolled to them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ..format import Span, clip, page_marker, page_marks, paragraph_spans

# Laying out text costs time in proportion to its length: a book is shown this many
# characters at a time on either side of the passage, with a "show more" line beyond.
CHUNK = 40_000


class DocumentParagraph(Widget):
    """Paragraphs of text; the passage and the quote within them styled by component classes.

    Only the paragraphs of the passage get a widget each: the text before and after them is
    one widget apiece (layout is cheaper with few widgets).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"document-paragraph--passage", "document-paragraph--quote"}

    def __init__(self, text: str, passage: Span | None = None, quote: Span | None = None) -> None:
        super().__init__(classes="-cited" if passage or quote else "")
        self.text = text
        self.passage = passage
        self.quote = quote

    def render(self) -> Content:
        content = Content(self.text)
        if self.passage is not None:
            content = content.stylize(self.get_visual_style("document-paragraph--passage", partial=True), *self.passage)
        if self.quote is not None:
            content = content.stylize(self.get_visual_style("document-paragraph--quote", partial=True), *self.quote)
        return content


class MoreText(Static, can_focus=True):
    """``… 1,234 more paragraphs``: enter or a click shows the next part of the document."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "more", "Show more")]

    class Requested(Message):
        def __init__(self, more: MoreText) -> None:
            super().__init__()
            self.more = more

    def __init__(self, before: bool, count: int) -> None:
        super().__init__(classes="document-more")
        self.before = before
        self.set_count(count)

    def set_count(self, count: int) -> None:
        arrow = "▲" if self.before else "▼"
        where = "earlier" if self.before else "later"
        self.update(f"{arrow} {count:,} {where} paragraph{'' if count == 1 else 's'} · enter or click shows more")

    def action_more(self) -> None:
        self.post_message(self.Requested(self))

    def on_click(self) -> None:
        self.action_more()


class DocumentView(VerticalScroll):
    """The text of a document, scrolled so that the highlighted passage is in view; a document
    with pages shows a marker line where each page begins."""

    def __init__(
        self, text: str, passage: Span, quote: Span | None = None, pages: list[int] | None = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.text = text
        self.passage = passage
        self.quote = quote
        self.spans = paragraph_spans(text) or [(0, len(text))]
        self.marks = page_marks(self.spans, pages)
        cited = [i for i, span in enumerate(self.spans) if clip(passage, span)] or [0]
        self.first, self.last = cited[0], cited[-1] + 1  # the paragraphs shown: [first, last)

    def compose(self) -> ComposeResult:
        first, last = self._extend(self.first, -1), self._extend(self.last, +1)
        if first > 0:
            yield MoreText(True, first)
        if first < self.first:
            yield DocumentParagraph(self._join(first, self.first))
        for index in range(self.first, self.last):
            span = self.spans[index]
            if index in self.marks:
                yield Static(page_marker(self.marks[index]), classes="document-page", markup=False)
            yield DocumentParagraph(self.text[span[0] : span[1]], clip(self.passage, span), clip(self.quote, span))
        if last > self.last:
            yield DocumentParagraph(self._join(self.last, last))
        if last < len(self.spans):
            yield MoreText(False, len(self.spans) - last)
        self.first, self.last = first, last

    def _extend(self, start: int, step: int) -> int:
        """The paragraph index that about CHUNK characters of text from ``start`` reach
        (going back when ``step`` is -1)."""
        index, size = start, 0
        while size < CHUNK and (index > 0 if step < 0 else index < len(self.spans)):
            span = self.spans[index - 1] if step < 0 else self.spans[index]
            size += span[1] - span[0]
            index += step
        return index

    def _join(self, start: int, end: int) -> str:
        return "\n\n".join(
            (f"{page_marker(self.marks[i])}\n\n" if i in self.marks else "") + self.text[s:e]
            for i, (s, e) in enumerate(self.spans[start:end], start)
        )

    @property
    def target(self) -> DocumentParagraph | None:
        """The first paragraph with highlighted text."""
        found = self.query(DocumentParagraph).filter(".-cited")
        return found.first() if found else None

    def on_mount(self) -> None:
        self.call_after_refresh(self.scroll_to_target)

    def scroll_to_target(self) -> None:
        target = self.target
        if target is not None:
            self.scroll_to_center(target, animate=False, immediate=True)

    async def on_more_text_requested(self, event: MoreText.Requested) -> None:
        more = event.more
        if more.before:
            first = self._extend(self.first, -1)
            block = DocumentParagraph(self._join(first, self.first))
            self.first = first
            height = self.virtual_size.height
            await self.mount(block, after=more)
            if self.first == 0:
                await more.remove()
            else:
                more.set_count(self.first)
            # Keep the text that was on screen where it was.
            self.call_after_refresh(lambda: self.scroll_to(y=self.scroll_y + self.virtual_size.height - height, animate=False))
        else:
            last = self._extend(self.last, +1)
            block = DocumentParagraph(self._join(self.last, last))
            self.last = last
            await self.mount(block, before=more)
            if self.last >= len(self.spans):
                await more.remove()
            else:
                more.set_count(len(self.spans) - self.last)
