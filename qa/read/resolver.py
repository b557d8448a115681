"""The resolver: which words of the conversation a follow-up question leaves out.

"When did they disband?" after "What group disbanded?" — "Zappa and the Mothers of Invention"
means "When did Zappa and the Mothers of Invention disband?". People's rewrites of such
follow-ups (CANARD: QuAC questions rewritten to stand alone) say which words of the earlier turns
a follow-up borrows. The resolver learns to pick them, word by word, in the manner of QuReTeC
(Voskarides et al., 2020): a token classifier reads

    [CLS] question [SEP] topic [SEP] newest turn [SEP] the turn before [SEP] ... [SEP]

(question with token type 0, the conversation with type 1; a turn is its question and the
answer given) and scores the first word piece of every word of the conversation that is not a
stop word and not already in the question. The words it scores above its threshold are added to
the question for retrieval (``qa/read/conversation.py``). A standalone question borrows nothing
and passes through unchanged.

It is trained by ``training/train_resolver.py`` (model card: ``qa/models/resolver/README.md``).
Its encoder is the reader's (``qa/read/reader.py``) with its top two layers fine-tuned (a frozen
encoder with only the head trained measured worse); the package ships only what differs from the
reader (the head and the tuned layers) and runs it in numpy, like the reader.
"""

from __future__ import annotations

import copy
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..bert import gelu
from ..ingest.text import STOPWORDS
from ..locations import PACKAGE

RESOLVER_DIR = PACKAGE / "models" / "resolver"
MAX_LEN = 256  # tokens, specials included
MAX_QUESTION_TOKENS = 48
FEATURES = 8  # word features beside the encoder's state (``word_features``)
_WORD = re.compile(r"[A-Za-z0-9]+")


def terms(text: str) -> set[str]:
    """The words of ``text`` that can be borrowed: lower-cased, stop words and single letters left out."""
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}


@dataclass
class Encoded:
    """The resolver's input for one question: token ids and types, and the candidate words."""

    ids: list[int]
    types: list[int]
    positions: list[int]  # token position of each candidate word's first word piece
    words: list[str]  # each candidate word as written
    features: np.ndarray  # (candidates, FEATURES)


def encode(tokenizer, question: str, segments: list[str], max_len: int = MAX_LEN) -> Encoded:
    """The input for ``question`` after the conversation ``segments`` (the topic first, may be
    empty, then the turns newest first; what does not fit in ``max_len`` tokens is left out)."""
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    asked = terms(question)
    ids = [cls, *tokenizer.encode(question, add_special_tokens=False).ids[-MAX_QUESTION_TOKENS:], sep]
    types = [0] * len(ids)
    positions: list[int] = []
    words: list[str] = []
    rows: list[list[float]] = []
    seen: dict[str, int] = {}
    for number, segment in enumerate(segments):
        room = max_len - len(ids) - 1
        if room <= 0:
            break
        if not segment.strip():
            continue
        encoding = tokenizer.encode(segment, add_special_tokens=False)
        piece_ids, offsets = encoding.ids[:room], encoding.offsets[:room]
        base = len(ids)
        ids += [*piece_ids, sep]
        types += [1] * (len(piece_ids) + 1)
        token = 0
        for match in _WORD.finditer(segment):
            word = match.group()
            while token < len(offsets) and offsets[token][1] <= match.start():
                token += 1
            if token >= len(offsets):
                break
            lowered = word.lower()
            if lowered in STOPWORDS or lowered in asked or not (len(word) > 1 or word.isdigit()):
                continue
            seen[lowered] = seen.get(lowered, 0) + 1
            positions.append(base + token)
            words.append(word)
            distance = min(number, 3)  # 0: the topic; 1: the newest turn; 2; 3 and older
            rows.append(
                [
                    float(word[:1].isupper()),
                    float(word.isdigit()),
                    float(distance == 0),
                    float(distance == 1),
                    float(distance == 2),
                    float(distance == 3),
                    float(match.start() == 0),  # opens its segment (a capital there says less)
                    0.0,  # filled below: how often the word occurs in the conversation
                ]
            )
    features = np.array(rows, dtype=np.float32).reshape(len(rows), FEATURES)
    for row, word in enumerate(words):
        features[row, 7] = math.log(seen[word.lower()])
    return Encoded(ids, types, positions, words, features)


def borrowed(words: list[str], scores: np.ndarray, threshold: float) -> list[str]:
    """The words scored above ``threshold``, each once (as first written), in conversation order."""
    best: dict[str, tuple[float, str]] = {}
    for word, score in zip(words, scores.tolist()):
        key = word.lower()
        best[key] = (max(score, best[key][0]), best[key][1]) if key in best else (score, word)
    return [word for score, word in best.values() if score > threshold]


class Resolver:
    """Picks the words a follow-up borrows from its conversation (numpy, float32)."""

    def __init__(self, directory: Path = RESOLVER_DIR, reader=None) -> None:
        from safetensors.numpy import load_file

        from ..errors import QAError
        from .reader import load_reader

        try:
            self.config = json.loads((directory / "resolver.json").read_text())
            weights = {k: v.astype(np.float32) for k, v in load_file(str(directory / "resolver.safetensors")).items()}
        except (OSError, ValueError) as error:
            raise QAError(f"cannot load the resolver model from {directory}: {error}") from error
        reader = reader or load_reader()
        self.tokenizer = reader.tokenizer
        self.threshold = float(self.config["threshold"])
        self.max_len = int(self.config.get("max_len", MAX_LEN))
        self.head = [(weights.pop(f"head.{i}.weight"), weights.pop(f"head.{i}.bias")) for i in (0, 2)]
        self.encoder = reader.encoder
        if weights:  # fine-tuned top layers, over the reader's lower ones
            self.encoder = copy.copy(self.encoder)
            self.encoder.w = {**self.encoder.w, **fused_layers(weights)}

    def scores(self, encoded: Encoded) -> np.ndarray:
        """The probability that each candidate word is borrowed."""
        if not encoded.positions:
            return np.zeros(0, dtype=np.float32)
        hidden = self.encoder(encoded.ids, encoded.types)[encoded.positions]
        x = np.concatenate([hidden, encoded.features], axis=1)
        (w0, b0), (w1, b1) = self.head
        logits = (gelu(x @ w0.T + b0) @ w1.T + b1)[:, 0]
        return 1.0 / (1.0 + np.exp(-logits))

    def resolve(self, question: str, segments: list[str]) -> list[str]:
        """The words ``question`` borrows from the conversation ``segments`` (``encode``)."""
        encoded = encode(self.tokenizer, question, segments, self.max_len)
        return borrowed(encoded.words, self.scores(encoded), self.threshold)


def fused_layers(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Transformer layers named as a BertModel names them, each layer's query, key and value
    fused into one product as ``qa/bert.py`` runs them."""
    out = dict(weights)
    for key in [k for k in weights if k.endswith("attention.self.query.weight")]:
        p = key.removesuffix("query.weight")
        for kind in ("weight", "bias"):
            out[f"{p}qkv.{kind}"] = np.concatenate([out.pop(f"{p}{n}.{kind}") for n in ("query", "key", "value")])
    return out


_RESOLVER: Resolver | None = None


def load_resolver() -> Resolver:
    """The shipped resolver, loaded once per process."""
    global _RESOLVER
    if _RESOLVER is None:
        _RESOLVER = Resolver()
    return _RESOLVER
