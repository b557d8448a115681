"""The conversation: a scrolling list of questions and answers, with the welcome when empty."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from .message import AnswerMessage, QuestionMessage
from .welcome import Welcome


class MessageList(VerticalScroll, can_focus=False):
    """Questions and answers, newest at the bottom; scrolled to the end as answers arrive.

    Not focusable: the input keeps the keyboard, page up/down scroll this list from there.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._at_end = True  # scrolled to the newest message (not up, reading older ones)

    def compose(self) -> ComposeResult:
        yield Welcome()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._at_end = round(new_value) >= self.max_scroll_y - 1

    def on_resize(self) -> None:
        # Narrower means taller messages: keep the newest in view, unless the user scrolled up.
        if self._at_end:
            self.follow()

    @property
    def welcome(self) -> Welcome | None:
        found = self.query(Welcome)
        return found.first() if found else None

    @property
    def answers(self) -> list[AnswerMessage]:
        return list(self.query(AnswerMessage))

    async def add_turn(self, question: str, waiting_for: str) -> AnswerMessage:
        """Show a question and an answer pending under it; returns the pending answer."""
        answer = AnswerMessage(question, waiting_for)
        with self.app.batch_update():
            if self.welcome is not None:
                await self.welcome.remove()
            await self.mount_all([QuestionMessage(question), answer])
        self.follow()
        return answer

    def follow(self) -> None:
        """Scroll to the newest message once the layout has caught up.

        (Not ``anchor()``: that would push a short conversation to the bottom, away from
        the top of the sources panel beside it.)
        """
        self.call_after_refresh(self.scroll_end, animate=False)

    async def clear(self) -> Welcome:
        """Remove every message and show the welcome again."""
        welcome = Welcome()
        with self.app.batch_update():
            await self.remove_children()
            await self.mount(welcome)
        self.scroll_home(animate=False)
        return welcome
