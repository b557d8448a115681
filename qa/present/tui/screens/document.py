"""A whole document, scrolled to a source, its quote highlighted; escape goes back."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Label

from ..format import Source
from ..widgets.document_view import DocumentView


class DocumentScreen(Screen):
    """The document a source comes from, centred on the source's passage."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
        Binding("ctrl+y", "copy_quote", "Copy quote"),
    ]
    AUTO_FOCUS = "#document"

    def __init__(self, source: Source, text: str, title: str | None = None, pages: list[int] | None = None) -> None:
        super().__init__()
        self.source = source
        self.text = text
        self.doc_title = title or source.doc
        self.pages = pages

    @property
    def quote(self) -> str:
        span = self.source.document_quote
        return self.text[span[0] : span[1]] if span else ""

    def compose(self) -> ComposeResult:
        where = f"{self.source.doc} · {self.source.where}"
        if self.source.n is not None:
            where = f"[{self.source.n}] {where}"
        with Horizontal(id="document-header", classes="bar"):
            yield Label("qa", classes="bar-name")
            yield Label(self.doc_title, id="document-title", classes="bar-scope", markup=False)
            yield Label(where, id="document-where", classes="bar-state", markup=False)
        yield DocumentView(
            self.text, (self.source.start, self.source.end), self.source.document_quote, self.pages, id="document"
        )
        yield Footer()

    def action_back(self) -> None:
        self.dismiss()

    def action_copy_quote(self) -> None:
        quote = self.quote or self.text[self.source.start : self.source.end]
        self.app.copy_to_clipboard(quote)
        self.notify("Quote copied to the clipboard" if self.quote else "Passage copied to the clipboard")
