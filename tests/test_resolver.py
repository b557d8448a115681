"""The resolver: which words of the conversation a follow-up borrows, and how the chat uses them."""

from __future__ import annotations

import numpy as np
import pytest

from qa.read.conversation import History, resolved, said
from qa.read.resolver import MAX_LEN, borrowed, encode, load_resolver, terms


@pytest.fixture(scope="module")
def resolver():
    return load_resolver()


def test_candidates_are_the_conversations_words_the_question_lacks(resolver):
    segments = ["", "What did Aliyev give Lukashenko? Ilham Aliyev gave the Belarusian counterpart a traditional Azerbaijani carpet."]
    encoded = encode(resolver.tokenizer, "What did Lukashenko give in return?", segments)
    # stop words and the question's own words (Lukashenko, give) are never borrowed
    assert encoded.words == ["Aliyev", "Ilham", "Aliyev", "gave", "Belarusian", "counterpart", "traditional", "Azerbaijani", "carpet"]
    for position, word in zip(encoded.positions, encoded.words):
        piece = resolver.tokenizer.id_to_token(encoded.ids[position])
        assert word.lower().startswith(piece) and encoded.types[position] == 1
    assert encoded.features.shape == (9, 8)
    assert encoded.features[:, 0].tolist() == [1, 1, 1, 0, 1, 0, 0, 1, 0]  # capitalized
    assert np.all(encoded.features[:, 3] == 1)  # all in the newest turn
    assert encoded.features[0, 7] == pytest.approx(np.log(2))  # Aliyev, twice


def test_a_long_conversation_is_cut_to_the_input(resolver):
    turns = [f"Question {i} about the harbour? Answer {i} names the lighthouse keeper." for i in range(60)]
    encoded = encode(resolver.tokenizer, "Who was he?", ["", *turns])
    assert len(encoded.ids) <= MAX_LEN and encoded.positions and max(encoded.positions) < len(encoded.ids)


def test_each_word_is_borrowed_once_as_first_written():
    words = ["Aliyev", "carpet", "aliyev", "Minsk"]
    assert borrowed(words, np.array([0.4, 0.9, 0.8, 0.1]), 0.5) == ["Aliyev", "carpet"]
    assert borrowed([], np.zeros(0), 0.5) == []
    assert terms("Who gave Lukashenko a carpet in 2018, and why?") == {"gave", "lukashenko", "carpet", "2018"}


ADVISER = (
    "Who was Nixon's national security adviser? In July 1971 Henry Kissinger, the president's national security "
    "adviser, flew to Beijing from Pakistan after pretending to be ill, and spent two days in talks with Zhou Enlai."
)
GIFT = "What did Lukashenko give Aliyev? For his part, Ilham Aliyev gave the Belarusian counterpart a traditional Azerbaijani carpet."


def test_a_pronoun_borrows_the_name_the_answer_gave(resolver):
    words = resolver.resolve("When did he fly to Beijing?", ["", ADVISER])
    assert "Kissinger" in words and "Beijing" not in words  # the question has it already


def test_a_standalone_question_passes_through(resolver):
    assert resolver.resolve("What did Ilham Aliyev give the Belarusian president?", ["", GIFT]) == []


def test_the_chat_reads_the_whole_conversation_and_new_forgets_it(qa):
    chat = qa.conversation()
    chat.history.learned = True  # the learned resolver is not the default (README, "Follow-ups")
    first = chat.ask("Which plants will take part in making tractors in Turkey?")
    assert first.query == first.question  # a first question is searched as asked
    who = chat.ask("Who said that?")
    # the statement meant is the last answer's: its words are searched, and shown as searched
    # (the resolver's own, or where it borrows nothing from a follow-up, the rule's)
    assert who.query.startswith("Who said that? (") and {"tractors", "turkey"} <= terms(who.query[15:])
    assert who.to_dict()["query"] == who.query and who.citations[0].passage == first.citations[0].passage
    when = chat.ask("When?")
    assert "turkey" in terms(when.query)  # two turns back, through the resolved "Who said that?"
    chat.reset()  # what `/new` and ctrl+n do
    assert chat.ask("Who said that?").query == "Who said that?"


def test_a_turn_is_read_as_resolved_with_its_answer(qa):
    history = History(learned=True)
    answer = qa.ask("What did Lukashenko give Aliyev?")
    history.record("What did Lukashenko give Aliyev?", answer)
    assert said(history.turns[0]) == f"What did Lukashenko give Aliyev? {answer.answer[: -len(' [1]')]}"
    assert history.segments() == ["", said(history.turns[0])]
    assert resolved("When?", ["Aliyev", "carpet"]) == "When? (Aliyev carpet)" and resolved(" Why? ", []) == "Why?"
