"""An exclusive lock on a file, so that writers run one after the other."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import QAError


@contextmanager
def exclusive(path: Path, wait: float = 600.0, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file at ``path`` (created if missing): a second holder waits
    for the first, for ``wait`` seconds at most, and says so through ``notify``. An ``OSError``
    when the file cannot be opened is left to the caller."""
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notify:
                notify("another qa process is writing the index; waiting for it")
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise QAError(f"{path.parent}: still locked by another qa process after {wait:.0f} s") from None
                    time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
