"""The sources panel: the passages the latest answer cites, quote highlighted, then the others.

Each source is a focusable card; enter or a click opens it in its document, up/down move
between cards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from ..format import Source, excerpt, sources

if TYPE_CHECKING:
    from textual import events

    from qa.read.answering import Answer

CITED_CONTEXT = 280  # characters of a cited passage shown on each side of the quote
OTHER_CONTEXT = 110  # (twice this) characters shown of a passage that was not cited
EMPTY = "The passages behind the latest answer appear here."


class SourceCard(Widget, can_focus=True):
    """One source: ``[n] document · passage``, then the passage with the quote highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-card--number",
        "source-card--doc",
        "source-card--meta",
        "source-card--quote",
        "source-card--answer",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("up", "move(-1)", "Previous source", show=False),
        Binding("down", "move(1)", "Next source", show=False),
    ]

    class Selected(Message):
        """A source was chosen (enter or click): show it in its document."""

        def __init__(self, source: Source, answer: Answer) -> None:
            super().__init__()
            self.source = source
            self.answer = answer

    def __init__(self, source: Source, answer: Answer) -> None:
        super().__init__(classes="-cited" if source.n is not None else "-other")
        self.source = source
        self.answer = answer
        context = CITED_CONTEXT if source.n is not None else OTHER_CONTEXT
        self.shown, self.shown_quote = excerpt(source.text, source.quote, context)

    def render(self) -> Content:
        source = self.source
        style = self.get_visual_style
        head: list[str | tuple[str, object]] = []
        if source.n is not None:
            head.append((f"[{source.n}]", style("source-card--number", partial=True)))
            head.append(" ")
        head.append((source.doc, style("source-card--doc", partial=True)))
        meta = f" · {source.where}"
        if source.speaker:
            meta += f" · {source.speaker}"
        head.append((meta, style("source-card--meta", partial=True)))
        body = Content(self.shown)
        if self.shown_quote is not None:
            body = body.stylize(style("source-card--quote", partial=True), *self.shown_quote)
            if source.answer is not None and source.quote is not None:
                shift = self.shown_quote[0] - source.quote[0]
                body = body.stylize(style("source-card--answer", partial=True), source.answer[0] + shift, source.answer[1] + shift)
        return Content.assemble(*head, "\n", body)

    def action_open(self) -> None:
        self.post_message(self.Selected(self.source, self.answer))

    def action_move(self, step: int) -> None:
        cards = list(self.screen.query(SourceCard))
        index = cards.index(self) + step
        if 0 <= index < len(cards):
            cards[index].focus()
        elif self.parent is not None and isinstance(self.parent, VerticalScroll):
            # At either end: let the keys scroll the panel (to show a section title, say).
            self.parent.scroll_relative(y=step, animate=False)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_open()


class CitationPanel(VerticalScroll, can_focus=False):
    """Sources of the latest answer: cited passages first, then the other retrieved ones, dimmer."""

    def compose(self) -> ComposeResult:
        yield Static(EMPTY, classes="panel-empty")

    def on_mount(self) -> None:
        self.border_title = "Sources"
        self.add_class("-empty")

    @property
    def cards(self) -> list[SourceCard]:
        return list(self.query(SourceCard))

    def card(self, n: int) -> SourceCard | None:
        """The card of citation ``n`` of the latest answer."""
        return next((card for card in self.cards if card.source.n == n), None)

    async def show(self, answer: Answer) -> None:
        cited, others = sources(answer)
        parts: list[Widget] = [SourceCard(source, answer) for source in cited]
        if others:
            parts.append(Static("Also retrieved" if cited else "Closest passages", classes="panel-section"))
            parts.extend(SourceCard(source, answer) for source in others)
        if not parts:
            parts.append(Static("Nothing was retrieved.", classes="panel-empty"))
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all(parts)
            self.remove_class("-empty")
        self._hint()
        self.scroll_home(animate=False)

    async def clear(self) -> None:
        with self.app.batch_update():
            await self.remove_children()
            await self.mount(Static(EMPTY, classes="panel-empty"))
            self.add_class("-empty")
        self._hint()

    def _hint(self) -> None:
        """How to open a source, in the bottom border: it depends on where the focus is."""
        if not self.cards:
            self.border_subtitle = ""
        elif self.has_focus_within:
            self.border_subtitle = "enter or 1–9 opens · esc returns"
        elif self.card(1) is not None:
            self.border_subtitle = "ctrl+o opens [1] · tab to choose"
        else:
            self.border_subtitle = "tab to choose"

    def on_descendant_focus(self) -> None:
        self._hint()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._hint)
