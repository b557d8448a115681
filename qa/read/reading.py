"""How the reader sees a question and a text: token windows shared by training and inference.

The reader (``qa/read/reader.py``, trained by ``training/train_reader.py``) reads one window at a
time: ``[CLS] question [SEP] previous turn [SEP] text [SEP]``, the question part with token
type 0 and the text with type 1. A text longer than one window is read in overlapping windows,
never cut. Every text token keeps its character span in the text, so a span the reader points
at maps back to exact offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_LEN = 320  # tokens in one window, specials included
MAX_QUESTION_TOKENS = 48
MAX_HISTORY_TOKENS = 48
OVERLAP = 64  # text tokens shared by consecutive windows


@dataclass
class Window:
    """One input to the reader: token ids and types, and where the text's tokens are."""

    ids: list[int]
    types: list[int]
    first: int  # position in ``ids`` of the first text token
    offsets: list[tuple[int, int]]  # character span in the text of each text token

    @property
    def start(self) -> int:
        """Character offset in the text where the window begins."""
        return self.offsets[0][0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1][1] if self.offsets else 0


def question_ids(tokenizer, question: str, history: str | None = None) -> list[int]:
    """The first segment: the question (its last ``MAX_QUESTION_TOKENS`` tokens), then (after
    [SEP]) the previous turn (its first ``MAX_HISTORY_TOKENS``)."""
    # a long question keeps its end: what is asked usually comes last ("…. So when did it open?")
    ids = tokenizer.encode(question, add_special_tokens=False).ids[-MAX_QUESTION_TOKENS:]
    if history:
        sep = tokenizer.token_to_id("[SEP]")
        ids = ids + [sep] + tokenizer.encode(history, add_special_tokens=False).ids[:MAX_HISTORY_TOKENS]
    return ids


def windows(tokenizer, question: str, history: str | None, text: str, max_len: int = MAX_LEN) -> list[Window]:
    """The windows in which ``text`` is read against ``question`` (and the previous turn)."""
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    head = [cls, *question_ids(tokenizer, question, history), sep]
    encoding = tokenizer.encode(text, add_special_tokens=False)
    ids, offsets = encoding.ids, encoding.offsets
    room = max_len - len(head) - 1
    out = []
    start = 0
    while True:
        piece = slice(start, start + room)
        body = ids[piece]
        out.append(
            Window(
                ids=head + body + [sep],
                types=[0] * len(head) + [1] * (len(body) + 1),
                first=len(head),
                offsets=[tuple(o) for o in offsets[piece]],
            )
        )
        if start + room >= len(ids):
            return out
        start += room - OVERLAP


def sentence_tokens(window: Window, spans: list[tuple[int, int]]) -> tuple[np.ndarray, list[int]]:
    """For each text token of ``window``, the number (within the window) of the sentence of
    ``spans`` it lies in, -1 for none; and which sentences those numbers stand for."""
    numbers = np.full(len(window.offsets), -1, dtype=np.int32)
    which: list[int] = []
    k = 0
    for i, (o_start, o_end) in enumerate(window.offsets):
        while k < len(spans) and spans[k][1] <= o_start:
            k += 1
        if k < len(spans) and spans[k][0] < o_end:
            if not which or which[-1] != k:
                which.append(k)
            numbers[i] = len(which) - 1
    return numbers, which
