"""The answer-or-abstain decision: the learned model and its thresholds, and the old rule it
falls back to; an unsure answer is shown as one."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qa.errors import QAError
from qa.read.abstention import LEARNED, SIGNALS, UNKNOWN_NAME_PENALTY, Abstention


def signals(reader: float = 0.0, sentence: float = 0.0, coverage: float = 0.0, dense: float = 0.0, unknown: int = 0) -> np.ndarray:
    values = dict(zip(SIGNALS, (reader, sentence, coverage, dense, unknown)))
    return np.array([values[name] for name in SIGNALS], dtype=np.float64)


def test_without_a_learned_model_the_calibrated_reader_score_decides():
    decide = Abstention({"calibration": [0.5, -1.0], "threshold": 0.2}).decide
    expected = 1 / (1 + math.exp(-(0.5 * 3.0 - 1.0)))
    assert decide(signals(reader=3.0)).confidence == round(expected, 3)
    # a name the index never mentions keeps only a share of the confidence
    assert decide(signals(reader=3.0, unknown=1)).confidence == round(expected * UNKNOWN_NAME_PENALTY, 3)
    low = decide(signals(reader=-2.0))
    assert not low.answer and not low.sure
    high = decide(signals(reader=3.0))
    assert high.answer and high.sure  # no unsure band without a learned model


def test_a_learned_model_answers_above_its_threshold_and_is_sure_above_the_other():
    weights = [1.0 if name == "reader" else 2.0 if name == "coverage" else 0.0 for name in LEARNED]
    config = {"abstention": {"signals": list(LEARNED), "weights": weights, "bias": -2.0, "threshold": 0.2, "sure": 0.5}}
    decide = Abstention(config).decide
    refused, unsure, sure = decide(signals(reader=-1.0)), decide(signals(reader=1.0)), decide(signals(reader=1.0, coverage=1.0))
    assert not refused.answer  # sigmoid(-3) = 0.047
    assert unsure.answer and not unsure.sure  # sigmoid(-1) = 0.269
    assert sure.answer and sure.sure  # sigmoid(1) = 0.731
    assert sure.confidence == round(1 / (1 + math.exp(-1.0)), 3)
    # names are not learned: each the index lacks keeps the fixed share
    assert decide(signals(reader=1.0, coverage=1.0, unknown=1)).confidence == round(UNKNOWN_NAME_PENALTY / (1 + math.exp(-1.0)), 3)


def test_a_follow_up_has_a_threshold_of_its_own():
    weights = [1.0 if name == "reader" else 0.0 for name in LEARNED]
    model = {"signals": list(LEARNED), "weights": weights, "bias": 0.0, "threshold": 0.5, "sure": 0.8}
    between = signals(reader=-0.2)  # sigmoid(-0.2) = 0.450
    assert not Abstention({"abstention": model}).decide(between, followup=True).answer  # none given: the same threshold
    decide = Abstention({"abstention": {**model, "followup_threshold": 0.4}}).decide
    assert not decide(between).answer
    followup = decide(between, followup=True)
    assert followup.answer and not followup.sure and followup.confidence == 0.45  # answered, and marked unsure


def test_a_model_over_other_signals_is_refused():
    with pytest.raises(QAError, match="abstention model reads"):
        Abstention({"abstention": {"signals": list(SIGNALS), "weights": [0.0] * 5, "bias": 0.0, "threshold": 0.5, "sure": 0.5}})


def test_an_unsure_answer_says_so_in_the_terminal():
    from qa.present.render import UNSURE, answer_lines
    from qa.read.answering import Answer

    answer = Answer("Q?", "Q?", True, "The ferry leaves at nine. [1]", 0.3)
    assert UNSURE not in [str(line) for line in answer_lines(answer, 100)]
    answer.unsure = True
    assert UNSURE in [str(line) for line in answer_lines(answer, 100)]
    assert answer.to_dict()["unsure"] is True
