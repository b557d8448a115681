"""The conversation screen: questions and answers on the left, their sources on the right.

The engine (model and index) loads in a thread worker while the screen is already usable;
questions asked meanwhile wait in a queue and are answered, in order, once it is ready. Each
answer is computed in a thread worker too, so the interface never blocks. The workers return
their results (or raise); the screen takes them up when the worker's state changes, on the
app's thread, which is the only one that touches the screen's state.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

from qa.errors import QAError

from ..format import Source, clipboard_text, sources
from ..loading import LoadProgress, open_engine
from ..widgets.citations import CitationPanel, SourceCard
from ..widgets.conversation import MessageList
from ..widgets.message import AnswerMessage
from ..widgets.prompt import PromptInput
from ..widgets.status import FAILED, LOADING, READY, StatusBar
from .document import DocumentScreen

if TYPE_CHECKING:
    from qa.engine import QA, Conversation
    from qa.read.answering import Answer

WAITING_FOR_ENGINE = "Waiting for the model and index to load…"
QUEUED = "Queued behind the previous question…"
SEARCHING = "Searching…"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _describe(error: BaseException | None) -> str:
    """A worker's error as the screen shows it: a qa error by its message, any other with its type."""
    return str(error) if isinstance(error, QAError) else f"{type(error).__name__}: {error}"


class ChatScreen(Screen):
    """Ask questions, read answers with their sources, open a source in its document."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = "#prompt"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_conversation", "New chat", tooltip="Forget the earlier questions and start again"),
        Binding("ctrl+y", "copy_answer", "Copy answer", tooltip="Copy the latest answer and its sources"),
        Binding("ctrl+o", "open_citation(1)", "Open source", tooltip="Show the first source of the latest answer in its document"),
        *(Binding(str(n), f"open_citation({n})", f"Open source {n}", show=False) for n in range(1, 10)),
        Binding("pageup", "scroll_conversation(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_conversation(1)", "Scroll down", show=False),
        Binding("escape", "focus_prompt", "Back to the question", show=False),
    ]

    def __init__(
        self,
        index: str | None = None,
        doc: str | None = None,
        top_k: int = 3,
        qa_factory: Callable[[], QA] | None = None,
    ) -> None:
        super().__init__()
        self.index = index
        self.doc = doc
        self.top_k = top_k
        self.qa_factory = qa_factory
        self.engine: QA | None = None
        self.chat: Conversation | None = None
        self.load_error: str | None = None
        self.indexing = False  # passages are being embedded for the index: a quit now leaves it unchanged
        self.queue: deque[tuple[str, AnswerMessage]] = deque()
        self.asking: tuple[Worker[Answer], AnswerMessage] | None = None  # the question being answered
        self.last_answer: Answer | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield StatusBar(scope=self._initial_scope(), id="status")
        with Horizontal(id="body"):
            yield MessageList(id="messages")
            yield CitationPanel(id="sources")
        yield PromptInput(placeholder="Ask a question about your documents…", id="prompt")
        yield Footer()

    @property
    def messages(self) -> MessageList:
        return self.query_one("#messages", MessageList)

    @property
    def sources_panel(self) -> CitationPanel:
        return self.query_one("#sources", CitationPanel)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def ready(self) -> bool:
        """The engine is loaded."""
        return self.chat is not None

    @property
    def idle(self) -> bool:
        """Loaded (or failed to) and no question waits for an answer."""
        return (self.ready or self.load_error is not None) and self.asking is None and not self.queue

    # ------------------------------------------------------------------ loading

    def on_mount(self) -> None:
        self.load_engine()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_engine(self) -> tuple[QA, Conversation]:
        """Load the index and the model (seconds; longer when the index must be built first)."""
        engine = self.qa_factory() if self.qa_factory is not None else open_engine(self.index, self)
        return engine, engine.conversation(self.doc)

    def on_load_progress(self, event: LoadProgress) -> None:
        if self.ready or self.load_error:
            return
        self.indexing = event.indexing
        self.status.set_state(LOADING, event.detail)
        if (welcome := self.messages.welcome) is not None:
            welcome.show_loading(event.detail)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker has finished: the engine is loaded (or could not be), or an answer is ready."""
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return  # pending, running, or cancelled as the app exits
        worker = event.worker
        if worker.group == "load":
            self.indexing = False
            if event.state is WorkerState.SUCCESS:
                self._loaded(*worker.result)
            else:
                await self._load_failed(_describe(worker.error))
        elif self.asking is not None and worker is self.asking[0]:
            message = self.asking[1]
            try:
                if event.state is WorkerState.SUCCESS:
                    await self._show_answer(message, worker.result)
                else:
                    await self._show_error(message, _describe(worker.error))
            finally:
                self.asking = None  # the engine is free again (only once the answer is on screen)
                self._pump()

    def _loaded(self, engine: QA, chat: Conversation) -> None:
        self.engine, self.chat = engine, chat
        self.status.set_scope(self._scope())
        summary = self._summary()
        self.status.set_state(READY, summary)
        if (welcome := self.messages.welcome) is not None:
            welcome.ready(f"Ready: {summary}.")
        self._pump()

    async def _load_failed(self, error: str) -> None:
        self.load_error = error
        self.status.set_state(FAILED, f"✗ {error}")
        if (welcome := self.messages.welcome) is not None:
            welcome.failed(f"Could not start: {error}")
        self.notify(error, title="Could not start", severity="error", timeout=10)
        while self.queue:
            _, message = self.queue.popleft()
            await message.show_error(f"could not start: {error}")

    def _initial_scope(self) -> str:
        """What the status bar says before the index is loaded: which index, which document."""
        from qa.locations import default_index_dir, location  # os, pathlib and urllib only

        folder = location(self.index) if self.index else default_index_dir()  # a URL shows without its password
        return f"{folder}" + (f" · only {self.doc}" if self.doc else "")

    def _scope(self) -> str:
        assert self.engine is not None
        documents = self.engine.index.documents
        if self.doc is not None:
            entry = self.engine.index.document(self.doc)
            return f"{entry.title or entry.name} (only this document)" if entry else self.doc
        if len(documents) == 1:
            return documents[0].title or documents[0].name
        return _plural(len(documents), "document")

    def _summary(self) -> str:
        assert self.engine is not None
        index = self.engine.index
        return f"{_plural(len(index.documents), 'document')} · {_plural(len(index.passages), 'passage')}"

    # ------------------------------------------------------------------ asking

    @on(Input.Submitted, "#prompt")
    async def submit(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question:
            self.app.bell()
            return
        self.prompt.remember(question)
        self.prompt.clear()
        await self.ask(question)

    async def ask(self, question: str) -> AnswerMessage:
        """Show the question and answer it (now, or once the engine is ready)."""
        if self.load_error is not None:
            message = await self.messages.add_turn(question, "")
            await message.show_error(f"could not start: {self.load_error}")
            return message
        if not self.ready:
            waiting = WAITING_FOR_ENGINE
        elif self.asking is not None or self.queue:
            waiting = QUEUED
        else:
            waiting = SEARCHING
        message = await self.messages.add_turn(question, waiting)
        self.queue.append((question, message))
        self._pump()
        return message

    def _pump(self) -> None:
        """Start answering the next queued question, if the engine is free."""
        if self.chat is None or self.asking is not None or not self.queue:
            return
        question, message = self.queue.popleft()
        message.wait_for(SEARCHING)
        self.asking = self.answer_question(self.chat, question), message

    @work(thread=True, group="ask", exit_on_error=False)
    def answer_question(self, chat: Conversation, question: str) -> Answer:
        return chat.ask(question, self.top_k)

    async def _show_answer(self, message: AnswerMessage, answer: Answer) -> None:
        if message.is_attached:  # not cleared by a new conversation meanwhile
            await message.show_answer(answer)
            self.messages.follow()
            self.last_answer = answer
            self.refresh_bindings()
            await self.sources_panel.show(answer)

    async def _show_error(self, message: AnswerMessage, error: str) -> None:
        if message.is_attached:
            await message.show_error(error)
            self.messages.follow()

    # ------------------------------------------------------------------ sources

    def open_source(self, source: Source) -> None:
        """Show the document a source comes from, scrolled to it."""
        if self.engine is None:
            return
        try:
            text = self.engine.index.text(source.doc)
        except KeyError:
            self.notify(f"{source.doc} is no longer in the index", severity="error")
            return
        entry = self.engine.index.document(source.doc)
        self.app.push_screen(DocumentScreen(source, text, entry.title if entry else None, entry.pages if entry else None))

    def on_source_card_selected(self, event: SourceCard.Selected) -> None:
        self.open_source(event.source)

    def on_answer_message_citation_clicked(self, event: AnswerMessage.CitationClicked) -> None:
        cited, _ = sources(event.answer)
        source = next((s for s in cited if s.n == event.n), None)
        if source is not None:
            self.open_source(source)

    def action_open_citation(self, n: int) -> None:
        if self.last_answer is None:
            self.notify("Ask a question first: its sources can then be opened.", severity="warning")
            return
        cited, _ = sources(self.last_answer)
        source = next((s for s in cited if s.n == n), None)
        if source is None:
            if not cited:
                self.notify("The latest answer cites no source.", severity="warning")
            else:
                self.notify(f"The latest answer has no source [{n}].", severity="warning")
            return
        self.open_source(source)

    # ------------------------------------------------------------------ actions

    async def action_new_conversation(self) -> None:
        """Forget the earlier questions: follow-ups no longer refer to them."""
        self.queue.clear()
        if self.engine is not None:
            # A fresh conversation, so that an answer still being computed for the old one
            # cannot add its turn to the new one.
            self.chat = self.engine.conversation(self.doc)
        self.last_answer = None
        self.refresh_bindings()
        welcome = await self.messages.clear()
        if self.load_error is not None:
            welcome.failed(f"Could not start: {self.load_error}")
        elif self.ready:
            welcome.ready(f"Ready: {self._summary()}.")
        await self.sources_panel.clear()
        self.prompt.focus()

    def action_copy_answer(self) -> None:
        if self.last_answer is None:
            self.notify("There is no answer to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(clipboard_text(self.last_answer))
        self.notify("Answer copied to the clipboard.")

    def action_scroll_conversation(self, direction: int) -> None:
        if direction < 0:
            self.messages.scroll_page_up()
        else:
            self.messages.scroll_page_down()

    def action_focus_prompt(self) -> None:
        self.prompt.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out (in the footer) what cannot be done yet."""
        if action in ("copy_answer", "open_citation") and self.last_answer is None:
            return None
        return True

    def get_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """This screen's entries for the command palette: (name, help, callback)."""
        commands: list[tuple[str, str, Callable[[], Any]]] = [
            ("New conversation", "Forget the earlier questions and start again (ctrl+n)", self.action_new_conversation),
            ("Copy last answer", "Copy the latest answer and its sources to the clipboard (ctrl+y)", self.action_copy_answer),
        ]
        cited = sources(self.last_answer)[0] if self.last_answer is not None else []
        if len(cited) <= 1:
            commands.append(
                ("Open cited document", "Show the latest answer's source in its document (ctrl+o)", lambda: self.action_open_citation(1))
            )
        else:
            for source in cited:
                commands.append(
                    (
                        f"Open cited document [{source.n}]",
                        f"Show {source.doc} at {source.where}",
                        lambda n=source.n: self.action_open_citation(n),
                    )
                )
        return commands
