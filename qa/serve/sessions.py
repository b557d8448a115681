"""Server-side conversations: a client creates one, asks in it, and deletes it (or walks away).

They are bounded: at most ``Limits.conversations`` are kept, and one unused for
``Limits.idle_seconds`` is forgotten, so conversations created and abandoned cost nothing for
long. When all places are taken, creating one forgets the least recently used. A forgotten or
unknown conversation is a 404. Ids are random (128 bits): holding one is what gives access to
the conversation. A conversation keeps its last ``Limits.turns`` turns (the answer to the next
question depends only on the last one).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from ..read.conversation import History
from .errors import ApiError
from .limits import Limits


@dataclass
class Session:
    """One conversation: its turns, the document it searches (None for all), and a lock so that
    its questions are answered one after another, each as a follow-up of the one before."""

    id: str
    doc: str | None
    created: float  # Unix time
    used: float  # monotonic time of the last use
    history: History = field(default_factory=History)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def to_dict(self, turns: bool = True) -> dict:
        about = {"id": self.id, "doc": self.doc, "created": int(self.created), "turns": len(self.history.turns)}
        if turns:
            about["turns"] = [{"question": t.question, "answer": t.answer.to_dict()} for t in self.history.turns]
        return about


class Sessions:
    """The conversations kept, least recently used first. Used from the event loop only."""

    def __init__(self, limits: Limits, clock=time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._kept: OrderedDict[str, Session] = OrderedDict()
        self.forgotten = 0  # expired or pushed out, since the start

    def __len__(self) -> int:
        return len(self._kept)

    def create(self, doc: str | None) -> Session:
        self.expire()
        while len(self._kept) >= self.limits.conversations:
            self._kept.popitem(last=False)
            self.forgotten += 1
        session = Session(secrets.token_urlsafe(16), doc, time.time(), self.clock())
        self._kept[session.id] = session
        return session

    def get(self, id: str) -> Session:
        """The conversation ``id``, marked as used; a 404 when it is unknown or was forgotten."""
        self.expire()
        session = self._kept.get(id)
        if session is None:
            raise ApiError(
                404, f"no conversation {id!r}: it never existed, was deleted, or was idle too long and forgotten", "conversation_not_found"
            )
        session.used = self.clock()
        self._kept.move_to_end(id)
        return session

    def delete(self, id: str) -> None:
        self.get(id)
        del self._kept[id]

    def trim(self, session: Session) -> None:
        """Keep only the conversation's last turns."""
        del session.history.turns[: -self.limits.turns]

    def expire(self) -> int:
        """Forget the conversations idle longer than the limit; how many were."""
        deadline = self.clock() - self.limits.idle_seconds
        count = 0
        while self._kept:
            oldest = next(iter(self._kept.values()))
            if oldest.used > deadline:
                break
            self._kept.popitem(last=False)
            count += 1
        self.forgotten += count
        return count
