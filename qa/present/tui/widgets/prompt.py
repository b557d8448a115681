"""The question input: a one-line Input that remembers what was asked (up/down recall)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class PromptInput(Input):
    """An Input with a shell-like history of submitted questions.

    Up recalls the previous question, down the next one; going down past the newest brings
    back whatever was being typed before the recall started.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_previous", "Previous question", show=False),
        Binding("down", "history_next", "Next question", show=False),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.history: list[str] = []
        self._position: int | None = None  # index into history while recalling, else None
        self._draft = ""

    def remember(self, question: str) -> None:
        """Add a submitted question to the history (not twice in a row)."""
        question = question.strip()
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
        self._position = None
        self._draft = ""

    def action_history_previous(self) -> None:
        if not self.history:
            return
        if self._position is None:
            self._draft = self.value
            self._position = len(self.history) - 1
        elif self._position > 0:
            self._position -= 1
        else:
            self.app.bell()
            return
        self._recall(self.history[self._position])

    def action_history_next(self) -> None:
        if self._position is None:
            return
        if self._position < len(self.history) - 1:
            self._position += 1
            self._recall(self.history[self._position])
        else:
            self._position = None
            self._recall(self._draft)

    def _recall(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)
