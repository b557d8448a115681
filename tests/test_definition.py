"""Questions asking what a thing is, answered with what the text says it is."""

import pytest

from qa.read.definition import asks, defined


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What is firn?", "firn"),
        ("What are crevasses?", "crevasses"),
        ("And what is a glacier surge?", "glacier surge"),
        ("What's a horn?", "horn"),
        ("What is the name of the town?", None),  # a question of another kind
        ("What is it?", None),
        ("What was his job?", None),
        ("What did Pip find?", None),
    ],
)
def test_the_term_a_question_asks_about(question, term):
    assert asks(question) == term


@pytest.mark.parametrize(
    ("term", "sentence", "definition"),
    [
        ("firn", "Snow that has survived at least one summer is called firn.", "Snow that has survived at least one summer"),
        ("crevasses", "As the ice flows, the surface cracks open into deep splits called crevasses.", "deep splits"),
        ("horn", "A horn is a sharp peak left when cirques erode a mountain.", "a sharp peak left when cirques erode a mountain"),
        ("horn", "Over the years they carve sharp mountain peaks called horns.", "sharp mountain peaks"),  # in the plural
        ("glacier surge", "This is called a surge.", "BEFORE"),  # the sentence before says what
        ("plastic deformation", "This slow bending inside the ice is called plastic deformation.", "This slow bending inside the ice"),
        ("firn", "Firn looks a bit like wet sugar.", None),  # about it, and no definition
        ("crevasses", "Crevasses can be up to 45 meters deep.", None),
    ],
)
def test_what_a_sentence_says_a_term_is(term, sentence, definition):
    found = defined(term, sentence, (-30, -1))
    assert (None if found is None else "BEFORE" if found == (-30, -1) else sentence[slice(*found)]) == definition


def test_what_is_asked_is_answered_with_the_sentence_that_defines_it(tmp_path, encoder):
    """The reader had quoted "Firn looks a bit like wet sugar." for "What is firn?"."""
    from test_answers import check_answer, qa_over

    text = (
        "How glaciers form\n\nA glacier starts with snow. Fresh snow is light and fluffy, and up to 90 percent of it is air. "
        "As more snow piles up year after year, the weight of the new layers presses down on the old ones. Snow that has "
        "survived at least one summer is called firn. Firn looks a bit like wet sugar.\n\nMost glaciers move a few "
        "centimeters a day. Sometimes a glacier suddenly speeds up to as much as 100 times its normal speed. This is "
        "called a surge. Scientists think surges happen when meltwater builds up underneath the ice.\n"
    )
    qa = qa_over(tmp_path, encoder, "glaciers.txt", text)
    for question, short in [
        ("What is firn?", "Snow that has survived at least one summer"),
        ("What is a glacier surge?", "Sometimes a glacier suddenly speeds up to as much as 100 times its normal speed"),
    ]:
        answer = qa.ask(question)
        check_answer(answer, qa)
        assert answer.answerable and answer.citations[0].span["text"] == short, (question, answer.answer)
