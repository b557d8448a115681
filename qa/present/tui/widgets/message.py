"""The chat bubbles: a question, and its answer (pending, answered, not answerable, or failed)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import LoadingIndicator, Markdown, Static

from ..format import answer_markdown, cited_number, searched_differs, shorten

if TYPE_CHECKING:
    from qa.read.answering import Answer


class QuestionMessage(Static):
    """A question as the user typed it (never parsed as markup)."""

    def __init__(self, question: str) -> None:
        super().__init__(question, markup=False)
        self.question = question


class AnswerMessage(Vertical):
    """The answer to one question.

    Starts pending (a spinner and a line saying what it waits for); then shows the answer as
    Markdown with its ``[n]`` markers as links to the sources, or the "not in the text"
    answer, or an error.
    """

    class CitationClicked(Message):
        """A ``[n]`` marker of an answer was clicked."""

        def __init__(self, answer: Answer, n: int) -> None:
            super().__init__()
            self.answer = answer
            self.n = n

    def __init__(self, question: str, waiting_for: str) -> None:
        super().__init__(classes="-pending")
        self.question = question
        self.waiting_for = waiting_for
        self.answer: Answer | None = None
        self.error: str | None = None

    @property
    def pending(self) -> bool:
        return self.answer is None and self.error is None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="answer-pending"):
            yield LoadingIndicator()
            yield Static(self.waiting_for, classes="answer-pending-text", markup=False)

    def wait_for(self, what: str) -> None:
        """Say what the pending answer is waiting for."""
        self.waiting_for = what
        for label in self.query(".answer-pending-text").results(Static):
            label.update(what)

    async def show_answer(self, answer: Answer) -> None:
        self.answer = answer
        parts: list[Widget] = []
        verdict = ("not sure" if answer.unsure else "answer") if answer.answerable else "not found in the text"
        parts.append(Static(f"{verdict} · confidence {percent(answer.confidence)}%", classes="answer-header", markup=False))
        if answer.note:
            parts.append(Static(answer.note, classes="answer-note", markup=False))
        if searched_differs(answer):
            parts.append(Static(f"searched: {shorten(answer.query, 200)}", classes="answer-searched", markup=False))
        if answer.answerable:
            numbers = [citation.n for citation in answer.citations]
            span = answer.citations[0].span if answer.citations else None
            # "He [Aleksandr Lukashenko]", as ``answering.named_after`` shows it (not imported: the UI loads no numpy)
            short = span["text"] + (f" [{span['names']}]" if span.get("names") else "") if span else None
            parts.append(Markdown(answer_markdown(answer.answer, numbers, short), open_links=False, classes="answer-body"))
        else:
            parts.append(Static(answer.answer, classes="answer-body", markup=False))
            if answer.passages:
                parts.append(Static("The closest passages are listed under Sources.", classes="answer-hint"))
        await self._replace(parts, ("-unsure" if answer.unsure else "-answered") if answer.answerable else "-unanswerable")

    async def show_error(self, error: str) -> None:
        self.error = error
        await self._replace([Static(f"✗ {error}", classes="answer-error", markup=False)], "-error")

    async def _replace(self, parts: list[Widget], state: str) -> None:
        with self.app.batch_update():
            await self.query(".answer-pending").remove()
            self.remove_class("-pending")
            self.add_class(state)
            await self.mount_all(parts)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        n = cited_number(event.href)
        if n is not None and self.answer is not None:
            self.post_message(self.CitationClicked(self.answer, n))


def percent(confidence: float) -> int:
    """A confidence as a whole percentage, floored, so that one short of certainty never reads "100%"."""
    return math.floor(confidence * 100)
