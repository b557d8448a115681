"""``qa chat`` on a terminal: a Textual app over a conversation with the documents.

Only Textual is imported here: the engine (numpy, faiss, the model) is imported by the loading
worker, so the first frame appears at once and the model loads behind it.

    >>> from qa.present.tui.app import QAApp
    >>> QAApp(index=None, doc=None, top_k=3).run()
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ... import process
from .screens.chat import ChatScreen

if TYPE_CHECKING:
    from qa.engine import QA


class QAApp(App[int]):
    """Ask questions about the indexed documents; answers quote and cite them."""

    CSS_PATH = "app.tcss"
    TITLE = "qa"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit qa", priority=True),
    ]

    def __init__(
        self,
        index: str | None = None,
        doc: str | None = None,
        top_k: int = 3,
        qa_factory: Callable[[], QA] | None = None,
    ) -> None:
        """``index``: index directory (None: the default one); ``doc``: search only this
        document; ``top_k``: passages retrieved per question; ``qa_factory``: makes the engine
        (default ``QA(index, build=True)``), called in a worker thread."""
        super().__init__()
        self.index = index
        self.doc = doc
        self.top_k = top_k
        self.qa_factory = qa_factory
        self.chat_screen = ChatScreen(index, doc, top_k, qa_factory)

    def get_default_screen(self) -> Screen:
        return self.chat_screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if screen is self.chat_screen:
            for name, help_text, callback in self.chat_screen.get_commands():
                yield SystemCommand(name, help_text, callback)
        yield SystemCommand("Toggle dark mode", "Switch between the light and the dark theme", self.action_toggle_dark)
        yield from super().get_system_commands(screen)

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    async def action_quit(self) -> None:
        # Exit status 1 when the index could not be loaded, as the other commands do.
        code = 1 if self.chat_screen.load_error else 0
        self.exit(code, return_code=code)


def run_chat(index: str | None = None, doc: str | None = None, top_k: int = 3) -> int:
    """Run the chat UI on the terminal until the user quits (ctrl+q, or SIGINT); returns the
    exit status: 0, 1 when the index could not be loaded, 130 when interrupted.

    On exit Textual cancels the workers, and ``run()`` returns once their threads have ended:
    the loading thread stops at its next progress report (an index being built is then left as
    it was); an answer being computed is finished first.
    """
    process.set_defaults()
    app = QAApp(index, doc, top_k)
    app.run()  # SIGINT: asyncio.run cancels the app, which shuts down as on ctrl+q
    if app.chat_screen.indexing:
        print("qa: quit while indexing; the index is unchanged", file=sys.stderr)
    return 130 if app.return_code is None else app.return_code
