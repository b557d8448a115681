"""The QA a server answers from, kept current while other processes write the index, and the
threads that answer and write.

- ``qa`` is the current ``QA``. A request takes it once and answers on it to the end, so a
  reload never changes an index under a question being answered; the old one is freed when the
  last such question is done.
- A poller thread reads the index's version token every ``interval`` seconds (one small file
  for the directory engine; ``Storage.version``). When another process has written (``qa index
  add`` elsewhere), it opens the new version beside the old, sharing the models, and swaps it in:
  no request waits for the load, none fails, and none sees a half-written index (the storage
  engine commits a version atomically). The server's own writes reload at once, before they
  answer, so a client that adds a document can ask about it in its next request.
- A version that cannot be opened (emptied, damaged, or outdated by another process) leaves the
  previous one serving; ``problem`` says why (the health check shows it) until a later version
  opens.
- Questions are answered by a pool of ``threads`` worker threads, first come first served, so
  that answers run in parallel (numpy releases the interpreter lock in its matrix products) and
  none waits behind a burst that came after it; at most ``pending`` wait. Index writes run one
  after another in a thread of their own, never taking a worker from questions.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from .. import library
from ..engine import QA
from ..errors import QAError
from .errors import ApiError

T = TypeVar("T")
log = logging.getLogger("qa.serve")


class Live:
    """A ``QA`` that follows its index, with the threads that use it."""

    def __init__(self, qa: QA, threads: int | None = None, pending: int = 256, interval: float = 0.25) -> None:
        self.qa = qa
        self.threads = threads or os.cpu_count() or 1
        self.pending = pending
        self.interval = interval
        self.problem: str | None = None
        self.reloads = 0
        self.opened = time.time()  # when the version being served was opened (Unix time)
        self._failed: str | None = None  # a version that could not be opened: not tried again
        self._reloading = threading.Lock()
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._answering = ThreadPoolExecutor(self.threads, thread_name_prefix="qa-answer")
        self._writing = ThreadPoolExecutor(1, thread_name_prefix="qa-write")
        self._waiting = 0
        self._passage_encoder = None

    # ------------------------------------------------------------------ following the index

    def start(self) -> None:
        """Start following the index (the poller thread)."""
        if self._poller is None:
            self._poller = threading.Thread(target=self._poll, name="qa-reload", daemon=True)
            self._poller.start()

    def stop(self) -> None:
        """Stop the poller and let the threads finish what they have."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join()
        self._answering.shutdown(wait=True, cancel_futures=True)
        self._writing.shutdown(wait=True, cancel_futures=True)

    def reload(self) -> bool:
        """Open the index's live version if it is not the one being served; True when it was."""
        with self._reloading:
            current = self.qa
            version = library.version(current.location)
            if version == current.version or version == self._failed:
                return False
            try:
                fresh = current.reopen()
            except QAError as error:
                self._failed, self.problem = version, f"serving the index as it was: {error}"
                log.warning("qa serve: %s", self.problem)
                return False
            self.qa, self.problem, self._failed = fresh, None, None
            self.reloads += 1
            self.opened = time.time()
            log.info("qa serve: index reloaded (%d documents)", len(fresh.index.documents))
            return True

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.reload()
            except Exception:  # a reload must never stop the poller (an unreadable directory, say)
                log.exception("qa serve: checking the index for changes failed")

    # ------------------------------------------------------------------ threads

    async def answer(self, work: Callable[..., T], *args) -> T:
        """Run ``work(*args)`` on an answering thread, in arrival order; a 503 when too many wait."""
        if self._waiting >= self.pending + self.threads:
            raise ApiError(503, f"the server is busy ({self._waiting} questions waiting): retry shortly", "busy", headers={"retry-after": "1"})
        self._waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._answering, partial(work, *args))
        finally:
            self._waiting -= 1

    async def write(self, work: Callable[..., T], *args) -> T:
        """Run the index write ``work(*args)`` on the writing thread (writes go one at a time),
        then serve what it wrote before returning."""
        return await asyncio.get_running_loop().run_in_executor(self._writing, partial(self._written, work, *args))

    def _written(self, work: Callable[..., T], *args) -> T:
        try:
            return work(*args)
        finally:
            self.reload()

    def passage_encoder(self):
        """The encoder that embeds added documents, loaded on the first write (writes run on one thread)."""
        if self._passage_encoder is None:
            from ..store.embedding import load_encoder

            self._passage_encoder = load_encoder(self.qa.index.model)
        return self._passage_encoder
