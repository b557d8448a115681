"""Questions about a whole text: "What is this article about?" (qa/read/overview.py)."""

from __future__ import annotations

import pytest

from qa.read.overview import asks, person_in


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is this article about?", "what"),
        ("what's the story about", "what"),
        ("What is the text mainly about?", "what"),
        ("Who is the story about?", "who"),
        ("What is the main idea?", "what"),
        ("What is the main topic of the report?", "what"),
        ("Summarize the article.", "what"),
        # about something in the text, not the text
        ("What is the joint statement about?", None),
        ("What did he say about the article?", None),
        ("What is the story of the carpet?", None),
    ],
)
def test_which_questions_ask_about_the_whole_text(question, kind):
    assert asks(question) == kind


def test_the_first_person_a_sentence_names():
    sentence = "The visit of Azerbaijan President Ilham Aliyev to Belarus is a new step, Aleksandr Lukashenko said."
    start, end = person_in(sentence, sentence + " Aliyev said. Aliyev met him.")
    assert sentence[start:end] == "Ilham Aliyev"
    lead = "The council voted on Tuesday to build a bridge across the Marrow River."
    assert person_in(lead, lead) is None  # neither "Marrow River" nor "Tuesday" is a person the text is about
    story = "Sam was eight years old and lived with his mother. Sam liked kites. One day Sam went out."
    assert person_in("Sam was eight years old and lived with his mother.", story) == (0, 3)  # a one-word name, named often


BIOGRAPHY = (
    "Ada Brennan (born 3 May 1898 in Cork; died 9 January 1971) was an Irish engineer who designed lighthouses on the Atlantic coast.\n\n"
    "Brennan was the eldest of five children of a harbour pilot. She left school at fourteen and worked in a shipyard drawing office in Belfast.\n\n"
    "In 1925 she designed the lighthouse at Mizen Head, which still stands. A street in Cork was named after her in 1980, and a bridge in 1994.\n\n"
    "She died in Dublin at the age of 72, having never retired."
)


def test_a_biography_is_about_the_person_its_first_sentence_opens_with():
    """Named twice, then "she": its subject all the same (not Cork, named three times)."""
    first = BIOGRAPHY.split("\n")[0]
    start, end = person_in(first, BIOGRAPHY)
    assert first[start:end] == "Ada Brennan"


def test_what_the_article_is_about_is_its_lead(qa):
    """The reader alone had quoted "This is the future." (the sentence most like "about" and "article")."""
    answer = qa.ask("What is this article about?")
    assert answer.answerable and answer.citations[0].passage == "p1"
    assert answer.answer.startswith("The visit of Azerbaijan President Ilham Aliyev to Belarus is a new step")
    who = qa.ask("Who is the article about?").citations[0]
    assert who.span["text"] == "Ilham Aliyev" and who.passage == "p1"


def test_a_story_s_person_is_named_where_it_begins(tmp_path, encoder):
    """"Who is the story about?" had been answered with the man who helps halfway through."""
    from test_answers import qa_over

    text = (
        "Sam and the Red Kite\n\n"
        "Sam was eight years old and lived with his mother and his little sister, Nora, in a flat above a bakery.\n\n"
        "One windy Saturday, his uncle Leo brought Sam a red kite. At the park a gust pulled the string out of Sam's hands "
        "and the kite got stuck in an oak tree.\n\n"
        "An old man named Mr. Patel, who was feeding the ducks, pulled the kite free with a long wooden pole. Sam thanked him."
    )
    chat = qa_over(tmp_path, encoder, "kite.txt", text).conversation()
    answer = chat.ask("Who is the story about?")
    assert answer.citations[0].span["text"] == "Sam"
    assert "eight years old" in chat.ask("How old is he?").citations[0].quote  # the conversation goes on from there


def test_of_several_texts_the_one_the_conversation_quoted(tmp_path, encoder):
    from qa import QA
    from qa.ingest.documents import read_document
    from qa.store import index as store

    texts = {
        "kite.txt": "Sam was eight years old and lived above a bakery.\n\nHis uncle Leo brought him a red kite one windy Saturday.",
        "bridge.txt": "The council voted on Tuesday to build a new bridge across the river.\n\nThe bridge will cost 86 million euros.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    store.add(tmp_path / "index", [read_document(tmp_path / name) for name in texts], encoder)
    chat = QA(tmp_path / "index").conversation()
    assert chat.ask("How much will the bridge cost?").citations[0].doc == "bridge.txt"
    answer = chat.ask("What is this text about?")
    assert answer.citations[0].doc == "bridge.txt" and answer.answer.startswith("The council voted on Tuesday")
    # asked first, of several texts, it is searched as any question
    first = QA(tmp_path / "index").ask("What is the text about?")
    assert first.confidence < 1.0

