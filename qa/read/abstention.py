"""Whether to answer: a small logistic model over what predicts that the text answers.

The reader's answerability score alone was calibrated on SQuAD 2.0's unanswerable questions,
written to look answerable from their paragraph; on real questions it refuses paraphrases and
still answers questions about another text. So the decision reads several signals of the best
passage, each cheap and already at hand when the reader has read:

- ``reader``: the reader's answerability score (a logit);
- ``sentence``: its score for the sentence it quotes (0 for a reader without a sentence head);
- ``coverage``: the idf-weighted share of the question's words the passage contains;
- ``dense``: the cosine of the question and the passage's closest sentence;
- ``unknown_names``: names in the question that the index never mentions (an acronym that a
  passage read spells out aside).

The weights of the first four, and the thresholds, are fitted on held-out validation data by
``training/calibrate_reader.py`` and stored in ``reader.json`` (``"abstention"``): below
``threshold`` qa says the text does not say; between it and ``sure`` qa answers, marked unsure.
A follow-up has a threshold of its own (``followup_threshold``), chosen to refuse no larger share
of held-out conversations' follow-ups than ``threshold`` refuses of standalone questions: its
signals are those of a query that says less.
Names are not learned: no validation question names what its text lacks, so the data cannot
weigh them (a fit gave them a positive weight); the confidence keeps a fixed share for each
unknown name, as the reader's first rule did ("What did Putin say?" of a text that never names
him). A ``reader.json`` without a fitted model falls back to the reader's calibrated
probability, less that share for each unknown name, with no unsure band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import QAError

SIGNALS = ("reader", "sentence", "coverage", "dense", "unknown_names")
LEARNED = SIGNALS[:-1]  # the signals with fitted weights
UNKNOWN_NAME_PENALTY = 0.2  # the confidence kept for each name of the question the index lacks


@dataclass(frozen=True)
class Decision:
    confidence: float  # 0 to 1: how likely the text answers
    answer: bool  # at or above the threshold
    sure: bool  # at or above the sure threshold


class Abstention:
    """The answer-or-abstain decision of one reader, as its ``reader.json`` describes it."""

    def __init__(self, config: dict) -> None:
        learned = config.get("abstention")
        if learned and learned.get("signals") != list(LEARNED):
            raise QAError(f"the reader's abstention model reads {learned.get('signals')}, this qa gives {list(LEARNED)}")
        self.weights = np.array(learned["weights"], dtype=np.float64) if learned else None
        self.bias = float(learned["bias"]) if learned else 0.0
        self.scale, self.shift = config.get("calibration", (1.0, 0.0))
        self.threshold = float(learned["threshold"] if learned else config.get("threshold", 0.5))
        self.followup_threshold = float(learned.get("followup_threshold", self.threshold)) if learned else self.threshold
        self.sure = float(learned["sure"]) if learned else self.threshold

    def decide(self, signals: np.ndarray, followup: bool = False) -> Decision:
        """The decision for the best passage's ``signals`` (in the order of ``SIGNALS``), of a
        follow-up or a standalone question."""
        *learned, unknown = signals
        if self.weights is not None:
            probability = 1.0 / (1.0 + math.exp(-float(np.clip(np.dot(learned, self.weights) + self.bias, -30, 30))))
        else:
            probability = 1.0 / (1.0 + math.exp(-(self.scale * learned[0] + self.shift)))
        confidence = probability * UNKNOWN_NAME_PENALTY**unknown
        confidence = round(confidence, 3)
        threshold = self.followup_threshold if followup else self.threshold
        return Decision(confidence, confidence >= threshold, confidence >= self.sure)
