"""Elliptical follow-ups ("What about harvesters?"): read as the previous question about the new thing."""

from __future__ import annotations

import numpy as np
import pytest

from qa.read.ellipsis import counted, in_return, item, next_item, phrase, substitute, with_person


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("What about harvesters?", "harvesters"),
        ("And Aliyev?", "Aliyev"),
        ("how about in the past", "in the past"),
        ("And his father?", "his father"),
        ("And if I miss two?", "if I miss two"),
        ("But what about the oil refinery in Grodno?", "the oil refinery in Grodno"),
        # not an ellipsis: questions and clauses of their own
        ("And what did he get in return?", None),
        ("And then what?", None),
        ("And why?", None),
        ("And after that?", None),  # what came next: a follow-up near the last answer, no thing in another's place
        ("What about after the war?", "after the war"),
        ("What did he say about harvesters?", None),
        # a lone pronoun and the next item of a list are the conversation rule's
        ("And him?", None),
        # the next item of a list: a thing, which the previous question's ordinal can stand for
        ("What about the second one?", "the second one"),
        ("And the other?", "the other"),
    ],
)
def test_which_questions_are_elliptical(question, thing):
    assert phrase(question) == thing


@pytest.mark.parametrize(
    ("previous", "thing", "expected"),
    [
        # a thing takes the place of the word most alike it
        ("Which plants make tractors?", "harvesters", "Which plants make harvesters?"),
        ("How many tractors have been assembled in Ganja?", "automotive vehicles", "How many automotive vehicles have been assembled in Ganja?"),
        ("Where does his mother live?", "his father", "Where does his father live?"),
        ("What year was it the first number-one song?", "the month and day", "What month and day was it the first number-one song?"),
        # a name takes a name's place; a name the question holds changes places with the other
        ("How many people live in Minsk?", "Baku", "How many people live in Baku?"),
        # a code takes a code's place ("E1" for "dF", not for the name "Aerolyn")
        ("My Aerolyn unit shows dF and the fan has stopped. What's going on?", "E1", "My Aerolyn unit shows E1 and the fan has stopped. What's going on?"),
        ("What did Lukashenko give Aliyev?", "Aliyev", "What did Aliyev give Lukashenko?"),
        ("When did he fly to Moscow?", "Beijing", "When did he fly to Beijing?"),  # a place like the question's
        ("When did he fly to Beijing?", "Nixon", "When did Nixon fly to Beijing?"),  # unlike it: "he"
        # the next of a list the question named the first of
        ("What did the first one depict?", "the second one", "What did the second one depict?"),
        ("What did it depict?", "the second one", None),
        ("What did Aleksandr Lukashenko give?", "Ilham Aliyev", "What did Ilham Aliyev give?"),
        # a phrase with a preposition takes its fellow's place, or goes at the end
        ("How many people live in Minsk?", "in Baku", "How many people live in Baku?"),
        ("When was the award first presented?", "in the past", "When was the award first presented in the past?"),
        ("Who is the President of Azerbaijan?", "of Belarus", "Who is the President of Belarus?"),
        # without its fellow, in place of the word much like what it speaks of
        ("What's the minimum Android version it supports?", "for Linux", "What's the minimum Linux version it supports?"),
        ("What are the opening hours on weekdays?", "for the weekend", "What are the opening hours on the weekend?"),
        ("How much is an adult ticket?", "for children", "How much is an adult ticket for children?"),
        # a condition takes the place of the previous question's, or goes at the end
        ("What happens if I miss an appointment?", "if I miss two", "What happens if I miss two?"),
        ("What if I keep the bike too long?", "if I never bring it back", "What if I never bring it back?"),
        ("How much is a check-up?", "if I'm under 18", "How much is a check-up if I'm under 18?"),
        # a phrase of several words takes the place of the phrase most alike, not of one word in it
        ("What did Aliyev say about the manufacturing industry?", "the defense industry", "What did Aliyev say about the defense industry?"),
        ("What did Aliyev say about the manufacturing industry?", "defense industry", "What did Aliyev say about the defense industry?"),
        ("What did the Belarusian president give?", "the Azerbaijani president", "What did the Azerbaijani president give?"),
        ("What is the main export of Belarus?", "the main import", "What is the main import of Belarus?"),
        ("What does the orange light mean?", "the red one", "What does the red light mean?"),  # "one" stands for "light"
        ("What did their grandmother give the older one?", "the younger one", "What did their grandmother give the younger one?"),
        # a kind of the same thing takes the place of the other kind, its words before it too
        ("How many days of annual leave do full-time staff get?", "sick leave", "How many days of sick leave do full-time staff get?"),
        ("What did she quote last year?", "this year", "What did she quote this year?"),  # not "quote last year"
        # nothing alike: what the question asks about, or left to the conversation's rule
        ("What did Lukashenko say about the trade between the two countries?", "transportation", "What did Lukashenko say about transportation?"),
        ("What color was it?", "its tail", "What color was its tail?"),
        ("What does Belarus want to buy from Azerbaijan?", "oil", None),
        ("Why?", "harvesters", None),
        # a verb after its auxiliary is an action, not a thing: "combines" is not put for "assembled"
        ("How many tractors were assembled in Ganja?", "combines", None),
    ],
)
def test_the_previous_question_about_the_new_thing(encoder, previous, thing, expected):
    assert substitute(previous, thing, encoder.encode) == expected


def test_an_ellipsis_is_searched_and_read_as_the_question_it_stands_for(qa):
    chat = qa.conversation()
    chat.ask("How many tractors have been assembled in Ganja?")
    answer = chat.ask("What about automotive vehicles?")
    assert answer.question == "What about automotive vehicles?"
    assert answer.query == "How many automotive vehicles have been assembled in Ganja?"
    assert answer.answerable and "3,500 automotive vehicles" in answer.answer
    assert answer.citations[0].span["text"] == "3,500"  # not the tractors' "10,000" again, which the sentence also holds
    # the next follow-up is read against the question the ellipsis stood for
    assert chat.history.read("Where?").query == "Where? (How many automotive vehicles have been assembled in Ganja?)"


def test_an_ellipsis_moves_the_conversation_to_its_new_thing(qa):
    """Read with the previous question alone, "What about harvesters?" stayed on the tractors."""
    chat = qa.conversation()
    assert "tractors" in chat.ask("Which plants make tractors?").answer
    answer = chat.ask("What about harvesters?")
    assert answer.query == "Which plants make harvesters?"
    assert "harvesters" in answer.answer


def test_a_lone_him_is_the_other_person_the_last_answer_names(qa):
    chat = qa.conversation()
    first = chat.ask("What did Lukashenko give?")
    assert "Ilham Aliyev" in first.answer and "still life" in first.answer
    answer = chat.ask("And him?")
    assert answer.query == "What did Ilham Aliyev give?"
    assert "carpet" in answer.answer
    # a name takes the place of "he" in a question that names no one
    assert phrase("What about Aliyev?") == "Aliyev"
    assert phrase("And in return?") is None  # the other side of an exchange (``in_return``), no new thing


def test_a_person_takes_the_place_of_a_person(encoder, qa):
    """Alike in meaning, "Lukashenko" is nearer "Belarus" than "Aliyev"; the documents name him
    as a person ("Belarus President Aleksandr Lukashenko"), and "Belarus" before a title."""
    is_person = qa.retriever.names_a_person
    assert [is_person(name) for name in ("Lukashenko", "Ilham Aliyev", "Belarus", "Azerbaijan")] == [True, True, False, False]
    previous = "What did Aliyev say about Belarus?"
    assert substitute(previous, "Lukashenko", encoder.encode) == "What did Aliyev say about Lukashenko?"  # by meaning alone
    assert substitute(previous, "Lukashenko", encoder.encode, is_person) == "What did Lukashenko say about Belarus?"
    assert substitute(previous, "Azerbaijan", encoder.encode, is_person) == "What did Aliyev say about Azerbaijan?"
    chat = qa.conversation()
    chat.ask(previous)
    assert chat.ask("And Lukashenko?").query == "What did Lukashenko say about Belarus?"


def test_a_name_takes_the_place_of_he(encoder):
    assert substitute("What did he give?", "Ilham Aliyev", encoder.encode) == "What did Ilham Aliyev give?"


def test_a_named_thing_takes_the_place_of_a_name(encoder):
    """"And the Consumer segment?" after a question about Industrial Sensing's sales: the name's
    place, its possessive kept (it had taken the place of "sales")."""
    previous = "What were Industrial Sensing's net sales in the third quarter?"
    assert substitute(previous, "the Consumer segment", encoder.encode) == "What were the Consumer segment's net sales in the third quarter?"
    assert substitute(previous, "Medical Devices", encoder.encode) == "What were Medical Devices' net sales in the third quarter?"


@pytest.mark.parametrize(
    ("question", "previous", "said", "expected"),
    [
        # the two names change places
        ("What did he get in return?", "What did Lukashenko give Aliyev?", "", "What did Aliyev give Lukashenko?"),
        ("And what did he receive in exchange?", "What did Aliyev give to Lukashenko?", "", "What did Lukashenko give to Aliyev?"),
        # one name and a side named otherwise: the two sides change places
        ("And what did she give him in return?", "What did Tomas Varga give the mayor?", "", "What did the mayor give Tomas Varga?"),
        ("What did he get in return?", "What did he give the mayor?", "", None),  # "he" is no side to swap
        # one name: the other person the last answer names takes its place
        ("What did he get in return?", "What did Lukashenko give?", "Aleksandr Lukashenko gave Ilham Aliyev a still life.", "What did Ilham Aliyev give Lukashenko?"),
        # both sides pointed at, after a question that named them: what went the other way
        ("And what did she give him?", "What did Tariq give Maria?", "", "What did Maria give Tariq?"),
        ("What did he give her?", "When did Tariq meet Maria?", "", None),  # no exchange to turn round
        # what was made or brought for someone is given back: not "What did Mrs. Okoye bake?"
        ("What did she get in return?", "What did Lily bake?", "Lily baked Mrs. Okoye a lemon cake.", "What did Mrs. Okoye give Lily?"),
        # nothing asked in return; a question that names someone; a previous question naming no one
        ("What did he get?", "What did Lukashenko give Aliyev?", "", None),
        ("What did Aliyev get in return?", "What did Lukashenko give Aliyev?", "", None),
        ("What did he get in return?", "What was exchanged?", "", None),
    ],
)
def test_in_return_asks_the_previous_question_the_other_way_round(question, previous, said, expected):
    assert in_return(question, previous, said) == expected


def test_in_return_of_a_side_asked_for_is_asked_of_the_one_who_answered_it():
    """"Who did Mia give the kitten to?", answered Lucy: what Lucy gave Mia; "Who gave Tom the
    boat?", answered Anna Berg: what Tom gave her."""
    assert in_return("What did she get in return?", "Who did Mia give the kitten to?", "She gave the kitten back to Lucy.", "Lucy") == "What did Lucy give Mia?"
    assert in_return("And in return?", "Who gave Tom the boat?", "Anna Berg gave Tom the boat.", "Anna Berg") == "What did Tom give Anna Berg?"
    assert in_return("And in return?", "Who gave Tom the boat?", "His aunt, Anna Berg, gave Tom the boat.", "His aunt, Anna Berg") == "What did Tom give Anna Berg?"


def test_a_pronoun_is_the_speaker_just_found():
    assert with_person("What present did he hand to Aliyev?", "Aleksandr Lukashenko") == "What present did Aleksandr Lukashenko hand to Aliyev?"
    assert with_person("Did he say it to her?", "Mao Zedong") == "Did Mao Zedong say it to her?"  # "her" may be a possessive
    assert with_person("Did he tell him?", "Mao Zedong") is None  # which of the two?
    assert with_person("Who was his wife?", "Arthur Marsh") == "Who was Arthur Marsh's wife?"
    assert with_person("Who was in her band?", "Odessa Vane") == "Who was in Odessa Vane's band?"  # "her" before a noun
    assert with_person("What did they give her?", "Odessa Vane") is None  # "her" as the object is not read so
    assert with_person("What did she give her sister?", "Mia") is None  # which of the two?
    assert with_person("What did Lukashenko say next?", "Aleksandr Lukashenko") is None
    assert with_person("What else did he say?", "The President") == "What else did the President say?"  # not "did The President"


def test_a_gift_exchange_read_both_ways(qa):
    """The readings are right; the answers are the reader's (``docs/measured.md``, "Honest limits")."""
    chat = qa.conversation()
    chat.ask("What did Lukashenko give Aliyev?")
    assert chat.ask("What did he get in return?").query == "What did Aliyev give Lukashenko?"
    chat.ask("Where was it made?")
    # a bare follow-up two turns on reaches back to the question as it read alone
    assert chat.history.read("Why?").query == "Why? (Where was it made? What did Aliyev give Lukashenko?)"
    chat = qa.conversation()
    chat.ask("Which plants will take part in making tractors in Turkey?")
    assert chat.ask("Who said that?").citations[0].speaker == "Aleksandr Lukashenko"
    assert chat.ask("What present did he hand to Aliyev?").query == "What present did Aleksandr Lukashenko hand to Aliyev?"
    assert chat.ask("What did he get in return?").query == "What present did Aliyev hand to Aleksandr Lukashenko?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("And another?", True), ("What about the second one?", True), ("And the other?", True), ("Any others?", True),
     ("And another reason?", True), ("What about harvesters?", False), ("And what else did he say?", False)],
)
def test_which_questions_ask_for_the_next_item_of_a_list(question, expected):
    assert next_item(question) is expected


def test_the_next_item_of_a_list_is_an_answer_not_given_yet(qa):
    """"And the other?" reads the question that began the list again; its short answer is
    another than the one given."""
    chat = qa.conversation()
    first = chat.ask("What did Lukashenko give Aliyev?")
    answer = chat.ask("And the second gift?")
    assert answer.query == "And the second gift? (What did Lukashenko give Aliyev?)"
    spans = [a.citations[0].span for a in (first, answer)]
    assert spans[0]["text"] and spans[1]["text"] and spans[0]["start"] != spans[1]["start"]
    assert not (spans[0]["start"] < spans[1]["end"] and spans[1]["start"] < spans[0]["end"])  # no overlap


def test_a_sentence_mostly_given_is_not_read_again():
    """"What else did he say?" after a quote of speech: the quote leaves out '," Aleksandr
    Lukashenko said.', and the reader had answered with the speaker's name in that sentence."""
    from qa.read.answering import _with_sentences, covered

    sentences = [(0, 40), (41, 100)]
    assert covered(41, 100, [(41, 90)]) and not covered(41, 100, [(41, 60)])
    assert _with_sentences([(41, 90)], sentences) == [(41, 90), (41, 100)]
    assert _with_sentences([(45, 50)], sentences) == [(45, 50)]  # a short answer given: its sentence may give another
    assert _with_sentences([(0, 100)], sentences) == [(0, 100)]  # all given: as before


def test_the_reader_leaves_out_a_span_already_given():
    from qa.read.reader import best_span

    start, end = np.array([5.0, 0.0, 4.0, 0.0]), np.array([0.0, 5.0, 0.0, 4.0])
    assert best_span(start, end) == (0, 1)
    assert best_span(start, end, blocked=np.array([True, False, False, False])) == (2, 3)
    assert best_span(start, end, blocked=np.array([False, False, True, False])) == (0, 1)
    assert best_span(start, end, blocked=np.array([False, True, False, False])) == (2, 3)  # no span across a given one
    assert best_span(start, end, blocked=np.ones(4, dtype=bool)) == (0, 1)  # nothing left: as before


def test_an_ellipsis_after_a_bare_question_asks_the_one_that_followed(encoder):
    """"Can I keep chickens?" → "How many?" → "What about a cockerel?": the question about the
    new thing is the one "How many?" followed up, not "How many?" itself (too short to take it)."""
    from qa.read.answering import Answer
    from qa.read.conversation import History, Turn

    first = Turn("Can I keep chickens?", Answer("Can I keep chickens?", "Can I keep chickens?", True, "Yes. [1]", 0.9), standalone="Can I keep chickens?")
    bare = Turn("How many?", Answer("How many?", "How many? (Can I keep chickens?)", True, "Six. [1]", 0.9), topic="Can I keep chickens?")
    assert History([first, bare]).read("What about a cockerel?", encoder.encode).query == "Can I keep cockerel?"


def test_an_ordinal_without_its_noun_takes_the_last_one_asked():
    earlier = ["Who set it up?", "Who scored Harbourside's first goal?"]  # newest first
    assert counted("Who scored the second?", earlier) == "Who scored the second goal?"
    assert counted("And the third?", ["Who scored the second goal?"]) == "And the third goal?"
    assert counted("Who scored in the second half?", earlier) == "Who scored in the second half?"  # it has its noun
    assert counted("Who came second?", earlier) == "Who came second?"  # no "the": a rank, not a thing counted
    assert counted("Who scored the second?", ["Who scored?"]) == "Who scored the second?"  # no noun to take


def test_an_item_counted_is_the_item_of_the_list_the_last_answer_gave():
    """"What was the survival rate in the third one?" after an answer that listed four
    treatments had been read as it stood, and answered with the fourth treatment's row."""
    listed = "The four treatments were: low salinity on plain glass (LS-G), low salinity on chitosan (LS-C), high salinity on plain glass (HS-G), and high salinity on chitosan (HS-C)."
    asked = "What was the survival rate in the third one?"
    assert item(asked, listed, "low salinity") == "What was the survival rate in high salinity on plain glass (HS-G)?"  # after the colon
    assert item("How did the last one do?", listed, "low salinity") == "How did high salinity on chitosan (HS-C) do?"
    tenants = "Mr Caspar Lindqvist-Rowe and Ms Nadia Ferraby"  # the short answer lists them
    assert item("How old is the latter?", f"The Tenants are {tenants}.", tenants) == "How old is Ms Nadia Ferraby?"
    assert item("How old is the first one?", "Rosa (aged 3, almost 4), Ben and Carl won.", "Rosa (aged 3, almost 4), Ben and Carl") == "How old is Rosa (aged 3, almost 4)?"
    assert item("Who is the third one?", f"The Tenants are {tenants}.", tenants) is None  # two listed
    assert item(asked, "The tank held 40 litres.", "40 litres") is None  # nothing listed
    assert item("Who scored the second goal?", listed, "low salinity") is None  # no item counted
    # nothing listed, but the last question counted things: "the second one" is the second of them
    assert item("What's in the second one?", "It is spread over four galleries.", "four", "How many galleries does it take up?") == "What's in the second gallery?"
    assert item("Who won the first one?", "There were three matches.", "three", "How many matches were played?") == "Who won the first match?"
    assert item("What about the latter?", "It is spread over four galleries.", "four", "How many galleries?") is None


def test_an_ellipsis_asks_again_the_last_question_it_fits(encoder):
    """"What about sick leave?" after "What happens to them after that?", which has no place for
    it: the question before that one which has ("How many days of annual leave …?")."""
    from qa.read.answering import Answer
    from qa.read.conversation import History, Turn

    def turn(question: str, standalone: str | None) -> Turn:
        return Turn(question, Answer(question, question, True, "Yes. [1]", 0.9), standalone=standalone)

    asked = "How many days of annual leave do full-time staff get?"
    history = History([turn(asked, asked), turn("What happens to them after that?", None)])
    assert history.read("What about sick leave?", encoder.encode).query == "How many days of sick leave do full-time staff get?"
    # so too after a question that speaks of someone earlier: "her crews" are the fire chief's
    asked = "What did the fire chief say about the flood?"
    history = History([turn(asked, asked), turn("How many rescues did her crews carry out?", None)])
    assert history.read("What about the mayor?", encoder.encode).query == "What did the mayor say about the flood?"
    # but a thing only worded alike takes no place there: "her train fare" is no trainer
    asked = "Who suggested Miriam Achebe as the trainer?"
    history = History([turn(asked, asked), turn("How much does she charge?", None)])
    assert history.read("And her train fare?", encoder.encode).query == "And her train fare? (How much does she charge?)"
