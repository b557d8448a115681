"""Opening the engine in the chat screen's loading worker: its progress as messages, and a stop
when the app quits.

Opening the index may mean building it first (the bundled article on first use, an index made
by an older qa brought up to date), which takes from seconds to minutes. The loading thread
reports how far it has got, and once its worker is cancelled (Textual cancels every worker when
the app exits) it stops at its next report. The index is only written after its last passage is
embedded, so a stop before that leaves it as it was, and the process exits without waiting for
the rest of the build. What reports nothing runs to its end first: loading the model (seconds),
or waiting for another qa process that holds the index's write lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from qa.engine import QA


class LoadProgress(Message):
    """How far loading has got. ``indexing``: passages are being embedded for the index and some
    are still to do, so a quit now stops the build before it writes anything."""

    def __init__(self, detail: str, indexing: bool) -> None:
        super().__init__()
        self.detail = detail
        self.indexing = indexing


class Stopped(Exception):
    """Loading stopped because its worker was cancelled."""


def open_engine(index: str | None, listener: MessagePump) -> QA:
    """The engine over ``index`` (None: the default one), built first where it must be, as
    ``qa ask`` does; ``listener`` gets ``LoadProgress`` messages. Call it in a thread worker."""
    worker = get_current_worker()

    def report(detail: str, indexing: bool) -> None:
        if worker.is_cancelled:
            raise Stopped
        listener.post_message(LoadProgress(detail, indexing))

    def notice(message: str) -> None:
        report(message[:1].upper() + message[1:] + "…", indexing=False)

    def progress(total: int) -> Callable[[int], None]:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            report(f"Indexing: {min(100, done * 100 // total)}% embedded…", indexing=done < total)

        report("Indexing: embedding the passages…", indexing=True)
        return advance

    from qa.engine import QA  # numpy, faiss and torch: imported here, not at startup

    return QA(index, build=True, progress=progress, notify=notice)
