"""`qa chat` in a real pseudo-terminal: the first frame appears, ctrl+q and SIGINT quit at once,
even while the index is being built, and leave the terminal as it was."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT

CTRL_Q = b"\x11"
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"  # the last thing Textual writes as it restores the terminal


def read_until(fd: int, needle: bytes | None, timeout: float) -> tuple[bytes, float | None]:
    """Everything read from ``fd`` until ``needle`` shows up or, with no needle, until the program
    on the terminal is gone (and when it did), or the timeout."""
    seen = b""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the last process holding the terminal has exited
                chunk = b""
            if not chunk:
                return seen, None if needle is not None else time.monotonic() - started
            seen += chunk
            if needle is not None and needle in seen:
                return seen, time.monotonic() - started
    return seen, None


@contextmanager
def chat_in_a_terminal(index: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    """`qa chat` over ``index`` on a new 100x30 pseudo-terminal: the process and the terminal's
    master end, to read the screen from and type into."""
    master, slave = os.openpty()
    os.set_blocking(master, False)
    env = {**os.environ, "QA_INDEX": str(index), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    # SIGINT as a shell gives a foreground command: a run launched in the background (`cmd &`)
    # ignores it, and a child inherits that; a handler, unlike SIG_IGN, is reset to the default at exec
    ignored = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "chat"], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
    finally:
        signal.signal(signal.SIGINT, ignored)
    os.close(slave)
    try:
        yield process, master
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


def test_chat_shows_its_first_frame_in_a_terminal(article_index):
    with chat_in_a_terminal(article_index) as (process, master):
        # The prompt's placeholder is part of the first frame, drawn before the model loads.
        screen, shown_after = read_until(master, b"Ask a question", timeout=30)
        assert shown_after is not None, screen[-2000:]
        os.write(master, CTRL_Q)
        # Read on as a terminal does: a program writing to a terminal nobody reads blocks once
        # the terminal's buffer is full. Quitting now waits for the model to finish loading.
        rest, gone_after = read_until(master, None, timeout=90)
        assert gone_after is not None, rest[-2000:]
        assert process.wait(timeout=10) == 0
    assert LEAVE_ALTERNATE_SCREEN in rest


def outdated_copy(index: Path, folder: Path) -> Path:
    """A copy of ``index`` marked as made by another chunker, so that opening it rebuilds it."""
    shutil.copytree(index, folder)
    manifest = folder / (folder / "CURRENT").read_text().strip() / "manifest.json"
    data = json.loads(manifest.read_text())
    data["chunker"] = -1
    manifest.write_text(json.dumps(data))
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize(("how", "status"), [("ctrl+q", 0), ("SIGINT", 130)])
def test_quitting_while_the_index_is_built_stops_at_once_and_leaves_it_as_it_was(article_index, tmp_path, how, status):
    index = outdated_copy(article_index, tmp_path / "index")
    before = files_of(index)
    with chat_in_a_terminal(index) as (process, master):
        screen, shown_after = read_until(master, b"Indexing: embedding the passages", timeout=60)
        assert shown_after is not None, screen[-2000:]
        if how == "ctrl+q":
            os.write(master, CTRL_Q)
        else:
            process.send_signal(signal.SIGINT)
        rest, gone_after = read_until(master, None, timeout=60)
        assert process.wait(timeout=10) == status
    # The build stopped rather than ran to its end (it would have written a new generation):
    # quitting waited only for the model to load and for one batch of passages.
    assert files_of(index) == before
    assert gone_after is not None and gone_after < 20, f"quit took {gone_after} s"
    assert LEAVE_ALTERNATE_SCREEN in rest
    assert rest.rstrip().endswith(b"qa: quit while indexing; the index is unchanged")


def test_sigint_quits_and_restores_the_terminal(article_index):
    with chat_in_a_terminal(article_index) as (process, master):
        screen, shown_after = read_until(master, b"Ready:", timeout=60)
        assert shown_after is not None, screen[-2000:]
        process.send_signal(signal.SIGINT)
        rest, gone_after = read_until(master, None, timeout=30)
        assert process.wait(timeout=10) == 130
    assert gone_after is not None and gone_after < 5, f"quit took {gone_after} s"
    assert LEAVE_ALTERNATE_SCREEN in rest
