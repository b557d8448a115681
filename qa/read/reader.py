"""The reader: a model that reads a question against a text, says whether the text answers it,
and points at the short answer inside it.

It is the bundled all-MiniLM-L6-v2 fine-tuned by ``training/train_reader.py`` (see the model
card in ``qa/models/reader/README.md``). Besides the answerability score and the span, a reader
with a sentence head scores each sentence of the text: which one answers. The package ships its layers in float16 without the
word embeddings, which it shares with the bundled model; it runs in numpy (``qa/bert.py``), so
answering never imports torch. A text longer than one window is read in overlapping windows.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from ..bert import Bert
from ..errors import QAError
from ..ingest.formats import CELL_LABEL
from ..locations import PACKAGE
from .reading import Window, sentence_tokens, windows

READER_DIR = PACKAGE / "models" / "reader"
MAX_ANSWER_TOKENS = 30


@dataclass(frozen=True)
class Reading:
    """What the reader made of one text: how likely it answers, and the answer's span in it."""

    logit: float  # the answerability score (Reader.probability makes it a probability)
    start: int  # the short answer: text[start:end]
    end: int
    sentence: int | None = None  # the sentence (of those given) the answer is in: the best scored, or the span's start's
    sentence_score: float = 0.0  # its score (the mean of its tokens' scores)


class Reader:
    """Reads question–text pairs with the trained reader (numpy, float32)."""

    def __init__(self, directory: Path = READER_DIR, base: Path | None = None) -> None:
        from safetensors import safe_open
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        if base is None:
            from ..store.embedding import DEFAULT_MODEL, model_path

            base = Path(model_path(DEFAULT_MODEL))
        try:
            self.config = json.loads((directory / "reader.json").read_text())
            weights = load_file(str(directory / "reader.safetensors"))
            base_config = json.loads((base / "config.json").read_text())
            with safe_open(str(base / "model.safetensors"), "np") as shared:
                keys = shared.keys()  # a safe_open handle is not a dict
                name = next(k for k in keys if k.endswith("embeddings.word_embeddings.weight"))
                weights["embeddings.word_embeddings.weight"] = shared.get_tensor(name)
            self.tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
        except (OSError, ValueError, StopIteration) as error:
            raise QAError(f"cannot load the reader model from {directory}: {error}") from error
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self._span = (weights.pop("span.weight").astype(np.float32), weights.pop("span.bias").astype(np.float32))
        self._answerable = (
            weights.pop("answerable.weight").astype(np.float32)[0],
            float(weights.pop("answerable.bias")[0]),
        )
        self._sentence = (
            (weights.pop("sentence.weight").astype(np.float32)[0], float(weights.pop("sentence.bias")[0]))
            if "sentence.weight" in weights
            else None
        )
        self._bert = Bert(
            weights,
            heads=int(base_config["num_attention_heads"]),
            layers=int(base_config["num_hidden_layers"]),
            eps=float(base_config.get("layer_norm_eps", 1e-12)),
        )
        self._scale, self._shift = self.config.get("calibration", (1.0, 0.0))
        # how much the sentence holding the span counts beside the sentence head's choice
        self.span_bonus = float(self.config.get("span_bonus", 0.0))

    @property
    def encoder(self) -> Bert:
        """The reader's transformer, which the resolver (``qa/read/resolver.py``) shares."""
        return self._bert

    @property
    def scores_sentences(self) -> bool:
        """Whether this reader has a sentence head."""
        return self._sentence is not None

    def read(
        self,
        question: str,
        texts: list[str],
        history: str | None = None,
        sentences: list[list[tuple[int, int]]] | None = None,
        bonuses: list[list[float]] | None = None,
        given: list[list[tuple[int, int]]] | None = None,
    ) -> list[Reading]:
        """One reading per text. Its score is the best of its windows'. With ``sentences`` (the
        character spans of each text's sentences) and a sentence head, the answer is the
        best-scored sentence and the span is found inside it; otherwise the span is the best
        window's and no sentence is chosen. ``bonuses`` (one per sentence of each text) are added
        to the scores the sentence (or, without a sentence head, the span's start) is chosen by.
        ``given`` (character spans in each text) are answers already given: the span holds none
        of them, unless nothing else is left ("And another?"), and no sentence inside one is
        chosen, unless all are ("What else did he say?")."""
        bonuses = bonuses or [[] for _ in texts]
        given = given or [[] for _ in texts]
        if sentences is None or self._sentence is None:
            return [
                self._read_span(question, text, history, spans, bonus, taken)
                for text, spans, bonus, taken in zip(texts, sentences or [None] * len(texts), bonuses, given)
            ]
        return [
            self._read_sentences(question, text, history, spans, bonus, taken)
            for text, spans, bonus, taken in zip(texts, sentences, bonuses, given)
        ]

    def best_window(self, question: str, text: str, history: str | None) -> tuple[float, Window, np.ndarray, np.ndarray]:
        """The text's answerability score (its best window's), that window, and the start and end
        scores of its text tokens."""
        best = None
        for window in windows(self.tokenizer, question, history, text):
            hidden = self._bert(window.ids, window.types)
            logit = float(hidden[0] @ self._answerable[0] + self._answerable[1])
            if best is not None and logit <= best[0]:
                continue
            body = hidden[window.first : window.first + len(window.offsets)]
            start_scores, end_scores = (body @ self._span[0].T + self._span[1]).T
            best = (logit, window, start_scores, end_scores)
        assert best is not None  # every text has at least one window
        return best

    def _read_span(
        self,
        question: str,
        text: str,
        history: str | None,
        spans: list[tuple[int, int]] | None,
        bonuses: list[float],
        given: list[tuple[int, int]] = (),
    ) -> Reading:
        """The best window's span (holding none of ``given``; one that runs on past the line it
        starts on, to the next list item, ends on that line), and the sentence of ``spans`` it
        starts in; ``bonuses`` (one per sentence of ``spans``) are added to the start scores of
        each sentence's tokens."""
        logit, window, start_scores, end_scores = self.best_window(question, text, history)
        numbers, which = sentence_tokens(window, spans) if spans else (None, [])
        if numbers is not None and any(bonuses):
            start_scores = start_scores + np.array([0.0, *(bonuses[k] for k in which)])[numbers + 1]
        i, j = best_span(start_scores, end_scores, blocked=_inside(window.offsets, [*given, *_marks(text)]))
        if spans and "\n" in text[window.offsets[i][0] : window.offsets[j][1]] and (lines := _lines(text, spans, window.offsets))[j] != lines[i]:
            same = np.flatnonzero(lines[i : j + 1] == lines[i]) + i
            j = int(same[np.argmax(end_scores[same])])
        sentence = which[numbers[i]] if numbers is not None and numbers[i] >= 0 else None
        return Reading(logit, *tidy_span(text, window.offsets[i][0], window.offsets[j][1]), sentence)

    def _read_sentences(
        self,
        question: str,
        text: str,
        history: str | None,
        spans: list[tuple[int, int]],
        bonuses: list[float],
        given: list[tuple[int, int]] = (),
    ) -> Reading:
        """The sentence to quote: the best by the sentence head's score, plus ``span_bonus`` for
        the sentence holding the best span of the best window (``reader.json``; chosen on the
        validation sets) and its own bonus; the span is then found inside the chosen sentence."""
        logit, span_sentence, candidates = self.score_sentences(question, text, history, spans)
        if not candidates:  # no token of any sentence (an empty text)
            return Reading(logit, 0, 0)
        # a sentence that is all given answers ("What else did he say?" after it was quoted) gives none
        new = [k for k in candidates if not any(a <= spans[k][0] and spans[k][1] <= b for a, b in given)]
        sentence = max(
            new or candidates,
            key=lambda k: candidates[k][0] + (bonuses[k] if k < len(bonuses) else 0.0) + (self.span_bonus if k == span_sentence else 0.0),
        )
        score, window, tokens, body = candidates[sentence]
        body = body[tokens[0] : tokens[-1] + 1]
        start_scores, end_scores = (body @ self._span[0].T + self._span[1]).T
        first = int(tokens[0])
        i, j = best_span(start_scores, end_scores, blocked=_inside(window.offsets[first : first + len(body)], [*given, *_marks(text)]))
        start, end = tidy_span(text, window.offsets[first + i][0], window.offsets[first + j][1])
        return Reading(logit, start, end, sentence, score)

    def score_sentences(
        self, question: str, text: str, history: str | None, spans: list[tuple[int, int]]
    ) -> tuple[float, int | None, dict[int, tuple[float, Window, np.ndarray, np.ndarray]]]:
        """The text's answerability score, the sentence holding the best window's span, and for
        each sentence of ``spans`` its best score (with the window, its tokens and states)."""
        assert self._sentence is not None
        spans = spans or [(0, len(text))]
        logit, span_sentence = -math.inf, None
        candidates: dict[int, tuple[float, Window, np.ndarray, np.ndarray]] = {}  # sentence: score, window, tokens, states
        for window in windows(self.tokenizer, question, history, text):
            hidden = self._bert(window.ids, window.types)
            body = hidden[window.first : window.first + len(window.offsets)]
            numbers, which = sentence_tokens(window, spans)
            window_logit = float(hidden[0] @ self._answerable[0] + self._answerable[1])
            if window_logit > logit:
                logit = window_logit
                start_scores, end_scores = (body @ self._span[0].T + self._span[1]).T
                i, _ = best_span(start_scores, end_scores)
                span_sentence = which[numbers[i]] if numbers[i] >= 0 else None
            token_scores = body @ self._sentence[0] + self._sentence[1]
            for k, sentence in enumerate(which):
                tokens = np.flatnonzero(numbers == k)
                score = float(token_scores[tokens].mean())
                if sentence not in candidates or score > candidates[sentence][0]:
                    candidates[sentence] = (score, window, tokens, body)
        return logit, span_sentence, candidates

    def probability(self, score: float) -> float:
        """The calibrated probability that a text answers, for its reader score."""
        return 1.0 / (1.0 + math.exp(-(self._scale * score + self._shift)))


_FOOTNOTE = re.compile(r"(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|(?<=[a-z]{4})\d{1,2})$")


# a list item's or a clause's mark, where it opens its line: "-", "9.", "(b)", "4.2" before a capital ("4.2 The agent shall …")
_ITEM_MARK = re.compile(r"(?:[-*•]|\d{1,3}[.)]|\([a-z0-9]{1,3}\)|\d{1,3}(?:\.\d{1,3})+\.?(?=[^\S\n]+[A-Z]))[^\S\n]+")
_LINE_LABEL = re.compile(r"[A-Z][\w'’-]*(?:[^\S\n][\w'’-]+){0,2}:[^\S\n]+")  # a line's label: "Cause: ", "Water tank capacity: "


def _marks(text: str) -> list[tuple[int, int]]:
    """The spans of the list items' and clauses' marks that open lines of ``text`` ("9." of "9.
    Slide the galette …", "9.3" of "9.3 Notice under this clause …"): no short answer holds one
    ("How many does it serve?" is not answered "9", "How much notice …?" not "9.3")."""
    return [(m.start(), m.end()) for m in _ITEM_MARK.finditer(text) if m.start() == 0 or text[m.start() - 1] == "\n"]


def tidy_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The short answer ``text[start:end]`` made of whole words (the reader points at word
    pieces: "ze" of "zested" is "zested", "desk@greenway" of an address the whole address),
    without what is not part of it: a footnote marker
    glued to its last word once in the text ("Web site2", "site[2]", "site²"), a parenthesis it opens and does
    not close ("DCE (The Open Group's" -> "DCE"), and a closing one it never opened. In a table
    row it is one cell's value (``_in_cell``); a list item's mark is no part of it, nor a line's
    label ("The drain hose is kinked", not "Cause: The drain hose is kinked")."""
    start, end = _in_cell(text, start, end)
    at_line = start == 0 or text[start - 1] == "\n"
    if at_line and (mark := _ITEM_MARK.match(text, start)) and mark.end() < end:
        start = mark.end()  # "burrs", not "- burrs"
    if at_line and (label := _LINE_LABEL.match(text, start)) and label.end() < end:
        start = label.end()
    while 0 < start < len(text) and _in_word(text[start]) and (_in_word(text[start - 1]) or _joined(text, start - 1)):
        start -= 1 if _in_word(text[start - 1]) else 2
    while 0 < end < len(text) and _in_word(text[end - 1]) and (_in_word(text[end]) or _joined(text, end)):
        end += 1 if _in_word(text[end]) else 2
    span = text[start:end]
    marker = _FOOTNOTE.search(span)
    word = re.search(r"\S+$", span)
    # a name like "Python3" recurs in its text; a footnote marker is glued to its word once
    if marker and marker.start() > 0 and (end >= len(text) or not text[end].isalnum()) and text.count(word.group()) == 1:
        span = span[: marker.start()]
    depth, cut = 0, None
    for i, char in enumerate(span):
        if char == "(":
            depth, cut = depth + 1, (i if depth == 0 else cut)
        elif char == ")":
            depth = max(0, depth - 1)
            cut = None if depth == 0 else cut
    if cut is not None and span[:cut].strip():
        span = span[:cut]
    if span.endswith(")") and span.count(")") > span.count("("):
        span = span[:-1]
    if span.startswith(")"):
        span, start = span[1:], start + 1
    stripped = span.rstrip(" ,;:-–—")
    return (start, start + len(stripped)) if stripped.strip() else (start, end)


def _in_cell(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` cut to a cell's value where it lies in a table row as the formats
    write one ("| Ticket: Family | Annual pass: £48.00 |", ``formats.table_rows``): its part in
    the last cell it reaches, without the cell's column label; a span on a label alone is that
    cell's value ("Suggested setting" of "Suggested setting: 13–18")."""
    line = text.rfind("\n", 0, start) + 1
    stop = len(text) if (stop := text.find("\n", start)) == -1 else stop
    if not text[line:stop].lstrip().startswith("|"):
        return start, end
    was = start, end
    end = len(text[:end].rstrip(" |"))
    start = max(start, text.rfind("|", start, end) + 1)
    cell = text.rfind("|", line, start) + 1
    close = stop if (close := text.find("|", start, stop)) == -1 else close
    label = CELL_LABEL.match(text, cell, close)
    if label is not None and start < label.end():
        start, end = label.end(), (end if end > label.end() else close)
    value = text[start:min(end, close)]
    start += len(value) - len(value.lstrip())
    end = start + len(value.strip())
    return (start, end) if start < end else was


def _joined(text: str, at: int) -> bool:
    """Whether ``text[at]`` joins the letters or digits around it into one word: "8.30",
    "desk@example.org", "24/7"; not a stop before a capital ("Flores.Reed": a space lost), nor a
    hyphen (the reader takes "512" of "512-bit" as a word of its own)."""
    if not (0 < at < len(text) - 1 and _in_word(text[at - 1]) and _in_word(text[at + 1])):
        return False
    return text[at] in "@_/" or (text[at] == "." and not text[at + 1].isupper())


def _in_word(char: str) -> bool:
    """A letter or digit of a script that puts spaces between words (not Thai, Chinese or Japanese,
    whose word pieces may be words)."""
    return char.isalnum() and ord(char) < 0x0E00


def best_span(
    start: np.ndarray, end: np.ndarray, longest: int = MAX_ANSWER_TOKENS, blocked: np.ndarray | None = None
) -> tuple[int, int]:
    """The (i, j), i <= j < i + longest, that maximize start[i] + end[j]; with ``blocked`` (a
    flag per token), among the spans holding no blocked token, if any is left."""
    n = len(start)
    if n == 0:
        return 0, 0
    width = min(longest, n)
    # scores[i, d] = start[i] + end[i + d], -inf past the end
    padded = np.concatenate([end, np.full(width, -np.inf)])
    ends = np.lib.stride_tricks.sliding_window_view(padded, width)[:n]
    scores = start[:, None] + ends
    if blocked is not None and blocked.any() and not blocked.all():
        # the first blocked token at or after each i: a span from i must end before it
        after = np.where(blocked, np.arange(n), n)
        stop = np.minimum.accumulate(after[::-1])[::-1]
        scores = np.where(np.arange(n)[:, None] + np.arange(width)[None, :] < stop[:, None], scores, -np.inf)
    i, d = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(i), int(i + d)


def _lines(text: str, sentences: list[tuple[int, int]], offsets: list[tuple[int, int]]) -> np.ndarray:
    """For each token (of character ``offsets``), its line: the number of line breaks between
    ``sentences`` before it (a break inside a sentence, a PDF's wrapped line, is none)."""
    breaks = [end for (_, end), (start, _) in pairwise(sentences) if "\n" in text[end:start]]
    return np.searchsorted(np.array(breaks, dtype=np.int64), np.array([s for s, _ in offsets], dtype=np.int64), side="right")


def _inside(offsets: list[tuple[int, int]], given: list[tuple[int, int]]) -> np.ndarray | None:
    """A flag per token (of character ``offsets``): does it overlap one of the ``given`` spans?"""
    if not given:
        return None
    return np.array([any(s < b and a < e for a, b in given) for s, e in offsets], dtype=bool)


_READER: Reader | None = None


def load_reader() -> Reader:
    """The shipped reader, loaded once per process."""
    global _READER
    if _READER is None:
        _READER = Reader()
    return _READER
