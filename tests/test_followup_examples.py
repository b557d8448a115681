"""Follow-ups made from SQuAD 1.1 (``--pronouns``): the subject's name becomes its pronoun."""

from __future__ import annotations

import random

import pytest

from training.followup_examples import article_followups, pronominal, subject_pronoun

CURIE = [
    "Marie Curie was born in Warsaw in 1867. She moved to Paris in 1891 to study physics.",
    "Curie won the Nobel Prize in Physics in 1903. She won a second one, in Chemistry, in 1911. Curie fell ill. She died in 1934.",
    "The Curie Institute in Paris bears her name. It was founded in 1909.",
]


def article(title: str, paragraphs: list[str], asked: list[tuple[int, str, str]]) -> dict:
    """A SQuAD-format article: ``asked`` holds (paragraph, question, answer)."""
    return {
        "title": title,
        "paragraphs": [
            {
                "context": text,
                "qas": [{"question": q, "answers": [{"text": a, "answer_start": text.index(a)}]} for i, q, a in asked if i == index],
            }
            for index, text in enumerate(paragraphs)
        ],
    }


@pytest.mark.parametrize(
    "question, pronoun, asked",
    [
        ("When was Marie Curie born?", "she", "When was she born?"),
        ("Who taught Marie Curie physics?", "she", "Who taught her physics?"),
        ("What was Marie Curie's first prize?", "she", "What was her first prize?"),
        ("Marie Curie moved to which city?", "she", "She moved to which city?"),
        ("When did Curie die?", "she", "When did she die?"),  # the surname alone names her too
        ("What did Apple's founders sell?", "it", "What did its founders sell?"),
        ("Which Marie Curie biography won a prize?", "she", None),  # a modifier, not the subject
        ("Who founded the Curie Institute?", "she", None),  # part of a longer name
        ("Where did Pierre study?", "she", None),  # not named
    ],
)
def test_the_subject_s_name_becomes_the_pronoun_its_place_asks_for(question, pronoun, asked):
    assert pronominal(question, ["Marie Curie", "Curie", "Apple"], pronoun) == asked


def test_the_pronoun_is_the_one_that_opens_the_sentences_after_the_subject_is_named():
    assert subject_pronoun("Marie Curie", CURIE) == "she"
    assert subject_pronoun("Curie Institute", CURIE[2:]) == "it"  # one "It": too few to be anyone
    assert subject_pronoun("On the Origin of Species", ["On the Origin of Species was read. He wrote it. He did. He won."]) == "it"


def test_a_follow_up_is_answered_in_its_own_paragraph_and_not_in_the_previous_question_s():
    asked = [(0, "Where was Marie Curie born?", "Warsaw"), (1, "In which year did Curie win the Chemistry prize?", "1911")]
    made = article_followups(article("Marie Curie", CURIE, asked), random.Random(0))
    own = [f for f in made if f.answer]
    assert sorted(f.question for f in own) == ["In which year did she win the Chemistry prize?", "Where was she born?"]
    chemistry = next(f for f in own if "Chemistry" in f.question)
    assert chemistry.previous == "Where was Marie Curie born? Warsaw"
    assert chemistry.text[slice(*chemistry.answer)] == "1911"
    other = next(f for f in made if f.answer is None and f.question == chemistry.question)
    assert other.text == CURIE[0] and other.previous == chemistry.previous
