"""The one-line bar at the top: the app's name, what is being searched, and the engine's state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

LOADING, READY, FAILED = "loading", "ready", "failed"


class StatusBar(Horizontal):
    """``qa  <scope> ……… <state>``; the state is styled by the class -loading, -ready or -failed."""

    def __init__(self, scope: str = "", detail: str = "Loading model and index…", **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_class("bar")
        self.scope = scope
        self.detail = detail
        self.state = LOADING
        self.add_class(f"-{LOADING}")

    def compose(self) -> ComposeResult:
        yield Label("qa", id="status-name", classes="bar-name")
        yield Label(self.scope, id="status-scope", classes="bar-scope", markup=False)
        yield Label(self.detail, id="status-state", classes="bar-state", markup=False)

    def set_scope(self, scope: str) -> None:
        self.scope = scope
        self.query_one("#status-scope", Label).update(scope)

    def set_state(self, state: str, detail: str) -> None:
        self.remove_class(f"-{self.state}")
        self.state, self.detail = state, detail
        self.add_class(f"-{state}")
        self.query_one("#status-state", Label).update(detail)
