"""`qa chat` in a real pseudo-terminal: the first frame appears, ctrl+q quits."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time

from conftest import ROOT


def read_until(fd: int, needle: bytes, timeout: float) -> tuple[bytes, float | None]:
    """Everything read from ``fd`` until ``needle`` shows up (and when it did), or the timeout."""
    seen = b""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return seen, time.monotonic() - started
    return seen, None


def test_chat_shows_its_first_frame_in_a_terminal(article_index):
    master, slave = os.openpty()
    os.set_blocking(master, False)
    env = {**os.environ, "QA_INDEX": str(article_index), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "chat"], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    try:
        # The prompt's placeholder is part of the first frame, drawn before the model loads.
        screen, shown_after = read_until(master, b"Ask a question", timeout=30)
        assert shown_after is not None, screen[-2000:]
        os.write(master, b"\x11")  # ctrl+q
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
