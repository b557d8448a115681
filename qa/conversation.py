"""A conversation: questions read in the light of the turns before them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .answering import Answer

if TYPE_CHECKING:
    from .engine import QA


@dataclass
class Turn:
    question: str
    answer: Answer


@dataclass
class Conversation:
    """Ask questions one after another; follow-ups are resolved from the earlier turns."""

    qa: QA
    doc: str | None = None
    turns: list[Turn] = field(default_factory=list)

    def ask(self, question: str, top_k: int = 3) -> Answer:
        answer = self.qa.respond(question, question, top_k, self.doc)
        self.turns.append(Turn(question, answer))
        return answer

    def reset(self) -> None:
        """Forget the earlier turns."""
        self.turns.clear()
