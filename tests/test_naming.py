"""What a question asking who wants of the names in a text (qa/read/naming.py)."""

from __future__ import annotations

import pytest

from qa.read.naming import agents, holder, named_again, title, title_asked, undergoer

TEXT = "The visit of Azerbaijan President Ilham Aliyev to Belarus, Belarus President Aleksandr Lukashenko said. Aliyev left."


def named(question: str, text: str = TEXT) -> list[str]:
    return [text[s:e] for s, e in named_again(question, text)]


def test_a_who_question_is_not_answered_with_the_names_it_holds():
    assert named("Who did Ilham Aliyev meet?") == named("Who did Aliyev meet?") == ["Azerbaijan President Ilham Aliyev", "Aliyev"]
    assert named("Who visited Belarus?") == ["Belarus"]  # not "Belarus President Aleksandr Lukashenko"
    assert named("What did Ilham Aliyev say?") == []  # only a question asking who
    assert named("Who is Ilham Aliyev?") == []  # asks what the text calls him, which may hold his name
    assert named("Who is Bill Gates's wife?", "Melinda Gates smiled.") == []  # the same family name is another person


def test_who_underwent_something_is_not_who_did_it():
    text = "Burke won a penalty when he was tripped by Okafor, and Santos scored. The bridge was opened by the Prime Minister in 1931."
    assert [text[s:e] for s, e in agents("Who was tripped?", text)] == ["Okafor"]
    assert [text[s:e] for s, e in agents("And who was opened first?", text)] == ["the Prime Minister"]
    assert agents("Who was tripped by Okafor?", text) == []  # the question names the doer
    assert agents("Who tripped him?", text) == []  # asks for the doer


@pytest.mark.parametrize(
    ("question", "sentence", "told"),
    [
        ("Who was replaced by Rob Tully?", "He was replaced by the session drummer Rob Tully.", "He"),
        ("Who was dropped?", "Sales fell, and the band was dropped by its record company in 1982.", "the band"),
        ("Who was tripped?", "Burke won a penalty when he was tripped by Okafor.", "he"),  # not "a penalty when he"
        ("Who was killed?", "Eleven men were injured, and one, a rigger named Thomas Doyle, was killed.", "Thomas Doyle"),
        ("Who was not invited?", "She fell out with the company, and she was not invited.", "she"),
        ("Who was injured?", "Eleven men were injured.", None),  # "men", no name: the reader's to find
        ("Who tripped Burke?", "Burke won a penalty when he was tripped by Okafor.", None),  # asks for the doer
        ("Who are committees comprised of?", "Mandatory Committees are committees set down by the rules.", None),  # no participle
        ("Who are considered to be the founders?", "Washington, Jay and Franklin are considered the founders.", None),  # asks more
        ("Who was that?", "The man was that tall.", None),  # no participle
    ],
)
def test_who_underwent_something_is_the_subject_of_the_passive(question, sentence, told):
    span = undergoer(question, sentence)
    assert (sentence[span[0] : span[1]] if span else None) == told


@pytest.mark.parametrize(
    ("question", "sentence", "called"),
    [
        ("Who is Ilham Aliyev?", TEXT, "Azerbaijan President"),
        ("Who is Lukashenko?", TEXT, "Belarus President"),  # the name's end
        ("Who was Elena Petrova?", "Elena Petrova, the Czech governor, arrived on Monday.", "the Czech governor"),
        ("Who was Lucy?", "After dinner, Lucy went home.", None),  # a lead, no description
        ("Who was Lucy?", "The kitten belonged to his daughter, Lucy, who had cried every night.", "his daughter"),  # just before it
        ("Who was Harald Sund?", "Her supervisor, Professor Harald Sund, doubted it.", "Her supervisor, Professor"),  # and a title
        ("who is Hoesung Lee", "Korean economist Hoesung Lee is the chair of the IPCC.", None),  # no title word
        # a list of people, each with their years
        ("Who was Walter Ibbotson?", "- Walter Ibbotson (1831–1902), civil engineer, designer of the Tarne Viaduct.", "civil engineer, designer of the Tarne Viaduct"),
        ("Who was Margaret Ollerton?", "- Margaret Ollerton (1824–1897), who became a reformer.", "who became a reformer"),
        ("Who was Tom Wade?", "Tom Wade (aged 7) went home.", None),  # no description after the years
        ("Who did Ilham Aliyev meet?", TEXT, None),  # not a question about the name
    ],
)
def test_who_is_answered_with_what_the_text_calls_the_person(question, sentence, called):
    found = title(question, sentence)
    assert (sentence[found[0] : found[1]] if found else None) == called


def test_who_questions_in_the_article(qa):
    """The reader's spans were "Azerbaijan President Ilham Aliyev to Belarus is a new step …
    Aleksandr Lukashenko" for the first, and ran from "Azerbaijan President Ilham Aliyev" for the
    follow-up."""
    assert qa.ask("Who is Ilham Aliyev?").citations[0].span["text"] == "Azerbaijan President"
    chat = qa.conversation()
    chat.ask("Who visited Belarus?")
    answer = chat.ask("Who did he meet?")
    assert answer.query == "Who did Ilham Aliyev meet?"
    assert answer.citations[0].span["text"] == "Aleksandr Lukashenko"



def test_who_holds_a_title():
    assert title_asked("Who is the President of Azerbaijan?") == "the President of Azerbaijan"
    assert title_asked("Who is Ilham Aliyev?") is None  # a name: what the text calls him (``title``)
    sentence = "Belarus President Aleksandr Lukashenko met Azerbaijan President Ilham Aliyev."
    found = holder("Ilham Aliyev", "the president of Azerbaijan", sentence)
    assert sentence[found[0] : found[1]] == "Ilham Aliyev"
    assert holder("Ilham Aliyev", "the president of Azerbaijan", "Ilham Aliyev smiled.") is None  # not named with the title
    # the title's own word, not a place it names: no presiding officer here
    assert holder("Corporate Body", "the Presiding Officer of the Scottish Parliament", "The Scottish Parliamentary Corporate Body met.") is None
    line = "Mr Robert Failsworth, Town Clerk"  # a title after the name
    found = holder("Robert Failsworth", "the Town Clerk", line)
    assert line[found[0] : found[1]] == "Robert Failsworth"
    assert holder("Janine Okafor", "the Town Clerk", "Ms Janine Okafor, Finance Officer") is None


def test_who_holds_a_title_in_the_article(qa):
    """The reader had answered "Belarus-Azerbaijan", from "The President of Azerbaijan, in turn,
    said that there are tangible results in all areas of Belarus-Azerbaijan cooperation"."""
    answer = qa.ask("Who is the president of Azerbaijan?")
    assert answer.answerable and answer.citations[0].span["text"] == "Ilham Aliyev"
