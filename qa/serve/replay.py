"""Conversations sent whole with each request, as OpenAI's chat completions are.

The last user message is answered as ``qa chat`` would answer it after the earlier ones: a
follow-up is read with the turn before it. That turn is the server's own answer to the earlier
question, not the assistant text the client sends back (which a client may have cut or
changed), so the earlier questions are what count. The answer a conversation's last turn got is
kept (the least recently used of ``size`` dropped first), keyed by the index version, document,
``top_k`` and every question so far; a conversation that goes on in the usual way, one request a
turn, finds its previous turn there and costs one answer a request. One the server does not know
(another server's, or from before a restart or an index change) has its last ``replayed`` earlier
questions answered again first, in order: a longer conversation's earliest turns no longer
shape its next answer.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

from ..engine import QA
from ..read.answering import Answer
from ..read.conversation import History, Turn


class Replay:
    """The last turns of recent conversations, to answer their next question in context."""

    def __init__(self, size: int = 1024, replayed: int = 8) -> None:
        self.size = size
        self.replayed = replayed
        self._turns: OrderedDict[str, Turn] = OrderedDict()
        self._lock = threading.Lock()
        self.replays = 0  # earlier questions answered again, since the start

    def answer(self, qa: QA, questions: list[str], doc: str | None, top_k: int) -> Answer:
        """The answer to the last of ``questions``, after the others (runs on a worker thread)."""
        keys = _keys(qa.version, doc, top_k, questions)
        last = len(questions) - 1
        start, history = max(0, last - self.replayed), History()
        for covered in range(last, start, -1):  # the longest conversation so far whose last turn is kept
            turn = self._get(keys[covered - 1])
            if turn is not None:
                start, history = covered, History([turn])
                break
        with self._lock:
            self.replays += last - start
        for i in range(start, last + 1):
            answer = qa.respond(questions[i], history, top_k, doc)
            del history.turns[:-1]
            if history.turns:  # after "Thanks!", the turn before it is still the one to follow
                self._put(keys[i], history.turns[-1])
        return answer

    def _get(self, key: str) -> Turn | None:
        with self._lock:
            turn = self._turns.get(key)
            if turn is not None:
                self._turns.move_to_end(key)
            return turn

    def _put(self, key: str, turn: Turn) -> None:
        with self._lock:
            self._turns[key] = turn
            self._turns.move_to_end(key)
            while len(self._turns) > self.size:
                self._turns.popitem(last=False)


def _keys(version: str | None, doc: str | None, top_k: int, questions: list[str]) -> list[str]:
    """One key for each conversation so far: ``keys[i]`` names the turns up to ``questions[i]``."""
    chain = hashlib.sha256(json.dumps([version, doc, top_k]).encode())
    keys = []
    for question in questions:
        chain.update(hashlib.sha256(question.encode()).digest())
        keys.append(chain.copy().hexdigest())
    return keys
