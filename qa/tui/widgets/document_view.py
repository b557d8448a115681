"""A whole document, one widget per paragraph, with a passage and its quote highlighted."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ..format import Span, clip, paragraph_spans

# Documents can be books: past this many paragraphs only a window around the passage is
# mounted (mounting thousands of widgets would take seconds).
WINDOW = 200


class DocumentParagraph(Widget):
    """One paragraph; the part inside the passage and the quote are styled by component classes."""

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


class DocumentView(VerticalScroll):
    """The text of a document, scrolled so that the highlighted passage is in view."""

    def __init__(self, text: str, passage: Span, quote: Span | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = text
        self.passage = passage
        self.quote = quote

    def compose(self) -> ComposeResult:
        spans = paragraph_spans(self.text) or [(0, len(self.text))]
        target = next((i for i, span in enumerate(spans) if clip(self.passage, span)), 0)
        first = max(0, min(target - WINDOW // 2, len(spans) - WINDOW))
        last = min(len(spans), first + WINDOW)
        if first > 0:
            yield Static(f"… {first:,} earlier paragraphs not shown", classes="document-elided", markup=False)
        for span in spans[first:last]:
            start, end = span
            yield DocumentParagraph(self.text[start:end], clip(self.passage, span), clip(self.quote, span))
        if last < len(spans):
            yield Static(f"… {len(spans) - last:,} later paragraphs not shown", classes="document-elided", markup=False)

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
