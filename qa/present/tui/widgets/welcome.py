"""What the conversation shows before the first question: a hint, and the loading state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import LoadingIndicator, Static

HINTS = (
    "Answers quote the text and cite it; each answer's sources are shown with it.\n"
    "[b]↑ ↓[/] earlier questions · [b]ctrl+o[/] open source \\[1] · [b]tab[/] choose a source · "
    "[b]ctrl+p[/] commands"
)


class Welcome(Vertical):
    """The empty conversation: a title, how to use it, and a loading line until the engine is ready."""

    def compose(self) -> ComposeResult:
        yield Static("Ask a question about your documents", id="welcome-title")
        yield Static(HINTS, id="welcome-hints")
        with Horizontal(id="welcome-state"):
            yield LoadingIndicator(id="welcome-spinner")
            yield Static("Loading model and index…", id="welcome-detail", markup=False)

    def show_loading(self, detail: str) -> None:
        self.query_one("#welcome-detail", Static).update(detail)

    def ready(self, detail: str) -> None:
        self._settle(detail, "-ready")

    def failed(self, detail: str) -> None:
        self._settle(detail, "-failed")

    def _settle(self, detail: str, state: str) -> None:
        """Stop the spinner (so nothing moves on screen) and show the outcome."""
        spinner = self.query("#welcome-spinner")
        if spinner:
            spinner.remove()
        self.query_one("#welcome-detail", Static).update(detail)
        self.add_class(state)
