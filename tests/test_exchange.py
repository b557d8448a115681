"""Who gave what to whom: the sides a question names and a sentence tells (qa/read/exchange.py)."""

from __future__ import annotations

import pytest

from qa.read.exchange import (
    agreement,
    asked,
    described,
    exchanges,
    gives,
    mutual,
    other_side,
    pointed_both,
    subject,
    whole_side,
)

STILL_LIFE = "Aleksandr Lukashenko gave Ilham Aliyev a still life depicting pomegranate fruit and the Heritage of Belarus book."
CARPET = "For his part, Ilham Aliyev gave the Belarusian counterpart a traditional Azerbaijani carpet."
INVITED = "Ilham Aliyev invited Aleksandr Lukashenko to come to Azerbaijan on an official visit."


@pytest.mark.parametrize(
    ("question", "giver", "receiver"),
    [
        ("What did Lukashenko give Aliyev?", {"lukashenko"}, {"aliyev"}),
        ("What did Lukashenko give to Aliyev?", {"lukashenko"}, {"aliyev"}),
        ("What present did Aleksandr Lukashenko hand to Aliyev?", {"aleksandr", "lukashenko"}, {"aliyev"}),  # "present" the noun
        ("What did Aliyev receive?", set(), {"aliyev"}),
        ("What did Lukashenko get from Aliyev?", {"aliyev"}, {"lukashenko"}),
        ("What was Lukashenko given by Aliyev?", {"aliyev"}, {"lukashenko"}),  # the passive, asked
        ("What was given to Aleksandr Lukashenko?", set(), {"aleksandr", "lukashenko"}),
        ("What did Santos buy from Okafor?", {"okafor"}, {"santos"}),
        ("What did Ilham Aliyev get in return?", set(), {"ilham", "aliyev"}),
    ],
)
def test_a_question_names_the_sides_it_asks_about(question, giver, receiver):
    sides = asked(question)
    assert (sides.giver, sides.receiver, sides.wanted) == (frozenset(giver), frozenset(receiver), "thing")  # what was given
    assert sides.kind == ("present" if question.startswith("What present") else None)  # what the question calls the thing


@pytest.mark.parametrize(
    "question",
    [
        "What did he give in return?",  # names no one, asks for no side
        "When did the album get released?",  # "get" of a state, not a thing
        "How did the three contact the Black Hand?",  # a name's word
        "Who were present at the ceremony?",
        "What did Lukashenko say about agriculture?",
    ],
)
def test_a_question_that_names_no_side_of_an_exchange(question):
    assert asked(question) is None


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Who gave the carpet?", "giver"),
        ("Who received the carpet?", "receiver"),
        ("Who was given the carpet?", "receiver"),
        ("To whom did Aliyev give the carpet?", "receiver"),
        ("Who did Aliyev give the carpet to?", "receiver"),
        ("From whom did Lukashenko get the carpet?", "giver"),
    ],
)
def test_a_question_asks_for_one_side(question, wanted):
    sides = asked(question)
    assert sides is not None and sides.wanted == wanted


def test_the_other_side_is_not_the_answer():
    def words(question: str) -> list[str]:
        return [CARPET[s:e] for s, e in other_side(asked(question), CARPET)]

    assert words("Who received the carpet?") == ["Ilham", "Aliyev"]
    assert "Belarusian" in words("Who gave the carpet?") and "Aliyev" not in words("Who gave the carpet?")
    # asks for the thing: both sides, where the words' order tells the thing apart, and the
    # thing of an exchange the other way (Aliyev gave the carpet)
    assert words("What did Aliyev receive?") == ["Ilham", "Aliyev", "the", "Belarusian", "counterpart", "a", "traditional", "Azerbaijani", "carpet"]
    assert words("What did Lukashenko receive?") == ["Ilham", "Aliyev", "the", "Belarusian", "counterpart"]
    assert [STILL_LIFE[s:e] for s, e in other_side(asked("What did Aliyev receive?"), STILL_LIFE)] == ["Aleksandr", "Lukashenko", "Ilham", "Aliyev"]
    # both ways in one sentence: what one gave is not what the other gave back
    both = "Dahl presented Moreno with a silver chalice, and Moreno gave Dahl a painting of the abbey."
    assert "painting" in [both[s:e] for s, e in other_side(asked("What did Dahl give Moreno?"), both)]
    assert "chalice" not in [both[s:e] for s, e in other_side(asked("What did Dahl give Moreno?"), both)]
    assert "chalice" in [both[s:e] for s, e in other_side(asked("What did Moreno give Dahl?"), both)]
    # one phrase after the verb, and no "to": a receiver ("gave Aliyev") or the thing ("gave a speech")
    assert other_side(asked("What did Lukashenko give?"), "Lukashenko gave a speech.") == []


def test_a_sentence_tells_the_sides_whichever_way_it_is_worded():
    def sides(text: str) -> tuple[set[str], set[str]]:
        (told,) = exchanges(text)
        return set(told.giver), set(told.receiver)

    assert sides("Lukashenko gave a carpet to Aliyev.") == ({"lukashenko"}, {"aliyev"})
    assert sides(CARPET) == ({"ilham", "aliyev"}, {"the", "belarusian", "counterpart"})  # not "a traditional Azerbaijani carpet"
    assert sides("Aliyev received a carpet from Lukashenko.") == ({"lukashenko"}, {"aliyev"})
    assert sides("The carpet was given to Lukashenko by Aliyev.") == ({"aliyev"}, {"lukashenko"})
    assert sides("Lukashenko was given a carpet by Aliyev.") == ({"aliyev"}, {"lukashenko", "was"})
    assert sides("Then Aliyev presented Lukashenko with a carpet.") == ({"then", "aliyev"}, {"lukashenko"})
    assert sides("Lukashenko gave Aliyev 300 sheep.") == ({"lukashenko"}, {"aliyev"})  # a number opens the second phrase
    # not "to the opera": the receiver is the first of two phrases before it
    assert sides("The minister offered the Nigerian trader two tickets to the opera.") == ({"the", "minister"}, {"the", "nigerian", "trader"})
    assert exchanges(INVITED) == []
    # a verb just after "and" shares the subject the sentence opens with
    assert sides("She carried the kitten home and gave it to Lucy.") == ({"she"}, {"lucy"})
    assert sides("Mia smiled and gave Lucy a shell.") == ({"mia"}, {"lucy"})
    # "with" before "to": "to the city" is part of the thing, not the receiver
    assert sides("In return, Okafor presented Varga with the key to the city.") == ({"okafor"}, {"varga"})
    # a phrase the sentence opens with is no side's, but for a receiver led by "to"; "her" before a thing receives it
    assert sides("To Tova she gave a wool scarf the colour of heather.") == ({"she"}, {"tova"})
    assert sides("In return he gave her a small silver whistle.") == ({"he"}, {"her"})
    # the subject of a verb after a relative clause is before it
    assert sides("Tova, who liked him at once, gave him half of their bread.") == ({"tova"}, {"him"})


@pytest.mark.parametrize(
    ("question", "verdicts"),
    [
        ("What did Lukashenko give Aliyev?", [1.0, -1.0, 0.0]),  # both sides alike, or crossed
        ("What did Aliyev receive?", [1.0, -1.0, 0.0]),
        ("What did Lukashenko get from Aliyev?", [-1.0, 0.5, 0.0]),  # the giver alike; the receiver is "the Belarusian counterpart"
        ("What was given to Aleksandr Lukashenko?", [-1.0, 0.0, 0.0]),  # "the Belarusian counterpart" is no name
        # names neither side: the words it asks about, in an exchange of the sentence
        ("Who received the carpet?", [0.0, 1.0, 0.0]),
        ("Who gave the still life and the book?", [1.0, 0.0, 0.0]),
        ("Who got the carpet from him?", [0.0, 1.0, 0.0]),  # "him" is no word of the thing
    ],
)
def test_a_sentence_agrees_or_crosses_the_sides_asked(question, verdicts):
    sides = asked(question)
    assert sides is not None
    assert [agreement(sides, sentence) for sentence in (STILL_LIFE, CARPET, INVITED)] == verdicts


def test_a_sentence_whose_other_exchange_has_pronouns_for_sides_does_not_cross():
    # the second exchange's "he" and "her" may be the ones asked about: the sentence is not ruled out
    both = "Tova, who liked him at once, gave him half of their bread, and in return he gave her a small silver whistle."
    assert agreement(asked("What did Bram give Tova?"), both) == 0.0
    assert agreement(asked("What did Bram give Tova?"), "Tova gave Bram half of their bread.") == -1.0


@pytest.mark.parametrize(
    ("question", "gift"),
    [
        ("What did Ilham Aliyev receive?", "still life"),
        ("What gift did Aliyev get from Lukashenko?", "still life"),
        ("What was Aliyev given by Lukashenko?", "still life"),
        ("What present did Lukashenko hand to Aliyev?", "still life"),
        ("What did Lukashenko receive from Aliyev?", "carpet"),
        ("What did Lukashenko get from Aliyev?", "carpet"),
    ],
)
def test_the_side_asked_about_is_answered(qa, question, gift):
    """The reader alone answered these with the other gift or with Aliyev's invitation."""
    answer = qa.ask(question)
    quoted = answer.citations[0]
    assert answer.answerable and gift in quoted.quote and ("carpet" if gift != "carpet" else "still life") not in quoted.quote
    assert quoted.span["text"] in quoted.quote  # the short answer is the gift's sentence's


def test_what_was_given_is_answered_without_the_receiver(qa):
    """The reader's span had been "Ilham Aliyev a still life …", the receiver's name with the gift."""
    answer = qa.ask("What did the Belarusian president give?")
    assert answer.citations[0].span["text"].startswith("a still life")


def test_who_received_is_answered_with_the_receiver(qa):
    """The reader alone answered "Ilham Aliyev", the giver of the carpet's sentence."""
    answer = qa.ask("Who received the carpet?")
    quoted = answer.citations[0]
    assert answer.answerable and "carpet" in quoted.quote
    assert quoted.span["text"] == "the Belarusian counterpart"  # the whole phrase: the reader's span was "Belarusian"


def test_the_answer_to_a_who_question_is_the_whole_phrase_of_its_side():
    where = CARPET.index("Belarusian")
    assert whole_side(asked("Who received the carpet?"), CARPET, where, where + len("Belarusian")) == (CARPET.index("the Belarusian"), CARPET.index(" a traditional"))
    assert whole_side(asked("Who gave the carpet?"), CARPET, where, where + 3) is None  # not the side asked for
    assert whole_side(asked("What did Aliyev give?"), CARPET, where, where + 3) is None  # a thing, and "Belarusian" is no part of it


def test_the_answer_to_a_what_question_is_the_whole_thing():
    def widened(question: str, sentence: str, span: str) -> str | None:
        start = sentence.index(span)
        found = whole_side(asked(question), sentence, start, start + len(span))
        return None if found is None else sentence[found[0] : found[1]]

    # things joined by "and" are one answer; "pomegranate fruit" alone is not what he got
    assert widened("What did Aliyev get from Lukashenko?", STILL_LIFE, "pomegranate fruit") == STILL_LIFE[STILL_LIFE.index("a still") : -1]
    assert widened("What did Aliyev give?", CARPET, "carpet") == "a traditional Azerbaijani carpet"
    # "presented B with x"; not what it was given as, nor the side "to" leads to, nor another clause
    assert widened("What did Whitfield give?", "Whitfield presented the collector with a globe.", "globe") == "a globe"
    assert widened("What did Keller give?", "Keller offered the school a jar of honey as a gift.", "honey") == "a jar of honey"
    assert widened("What did Brandt give?", "Brandt gave two tickets to the coach.", "tickets") == "two tickets"
    assert widened("What did Keller give?", "Keller gave Mehta a lamp and thanked him.", "lamp") == "a lamp"
    assert widened("What did Keller give?", "Keller gave Mehta a lamp and thanked him.", "Mehta") is None  # a side, not the thing
    assert widened("What did Mia give?", "Mia gave the kitten back to Lucy.", "kitten") == "the kitten"  # not "back"
    # the question names the thing, and the span is more: "94%", not "a rating of 94%"
    assert widened("What rating did the film get from Rossi?", "Rossi gave the film a rating of 94% in 2012.", "94%") is None
    assert widened("What did the film get from Rossi?", "Rossi gave the film a rating of 94% in 2012.", "94%") == "a rating of 94% in 2012"


MADE_UP = "Elena Petrova, the Czech governor, met Anja Schulz, the Serbian minister, in Tallinn. For her part, Schulz gave an antique map to the Czech governor."


def test_the_people_a_text_describes(article_text):
    known = described(article_text)
    assert known["belarus"] == {"aleksandr", "lukashenko"} and known["azerbaijan"] == {"ilham", "aliyev"}  # "Belarus President Aleksandr Lukashenko"
    assert "president" not in known  # describes both
    assert described(MADE_UP) == {"czech": {"elena", "petrova"}, "serbian": {"anja", "schulz"}}  # "Elena Petrova, the Czech governor,"


def test_a_title_after_a_determiner_is_the_person_the_text_names_with_it():
    text = "Mayor Ruth Okafor opened the bridge. He gave the mayor a steel rivet. In return, Okafor presented Varga with the key."
    known = described(text)
    assert known == {"mayor": {"ruth", "okafor"}}  # "Mayor Ruth Okafor"
    mayor_gives = asked("What did the mayor give Tomas Varga?", known)
    assert mayor_gives.giver == {"ruth", "okafor"}
    rivet, key = text.split(". ")[1:]
    assert [agreement(mayor_gives, sentence, known) for sentence in (rivet, key)] == [-1.0, 1.0]


def test_a_description_on_a_side_is_the_person_it_describes(article_text):
    known = described(article_text)
    lukashenko_gets = asked("What did Lukashenko get from Aliyev?", known)
    assert agreement(lukashenko_gets, CARPET, known) == 1.0  # "the Belarusian counterpart" is Lukashenko (0.5 without)
    citizens = "Aleksandr Lukashenko remarked that not only Belarusian citizens buy corresponding products from Azerbaijan."
    assert agreement(lukashenko_gets, citizens, known) == 0.0  # no determiner: not a description of a person
    azerbaijani = asked("What did the Azerbaijani president present to Lukashenko?", known)
    assert azerbaijani is not None and {"ilham", "aliyev"} <= azerbaijani.giver
    assert [agreement(azerbaijani, sentence, known) for sentence in (STILL_LIFE, CARPET)] == [-1.0, 1.0]


@pytest.mark.parametrize(
    ("question", "sentence", "who"),
    [
        ("What did Lukashenko give Aliyev?", STILL_LIFE, "Aleksandr Lukashenko"),
        ("What did the Azerbaijani president give his counterpart?", CARPET, "Ilham Aliyev"),  # as the answer names him
        ("Who received the carpet?", CARPET, "the Belarusian counterpart"),
        ("What was Okafor given?", "After lunch Santos gave the Nigerian envoy a clock.", "the Nigerian envoy"),  # the passive's subject receives
        ("What did Santos give?", "Then Santos gave Okafor a clock.", "Santos"),  # not "Then Santos"
        ("What did Okafor give?", "Then Santos gave Okafor a clock.", None),  # the sentence crosses the question
        ("What did Santos give?", "He gave Okafor a clock.", None),  # a pronoun names no one
        # a clause before the subject: not "Since"
        ("Why did he give them to the tortoise?", "Since nobody had wanted them, he gave the rest to a tortoise named Sage.", None),
        ("What did Tova give him?", "To Tova she gave a wool scarf.", None),  # Tova received it
        ("What did Lukashenko say?", STILL_LIFE, None),  # no exchange asked
    ],
)
def test_the_subject_of_a_question_as_its_answer_names_them(question, sentence, who):
    assert subject(question, sentence) == who


@pytest.mark.parametrize(
    ("first", "followup", "resolved", "gift"),
    [
        ("What did Lukashenko give Aliyev?", "And what did he get?", "And what did Aleksandr Lukashenko get?", "carpet"),
        ("What did the Azerbaijani president give his counterpart?", "And what did he get?", "And what did Ilham Aliyev get?", "still life"),
        ("What did Aliyev give Lukashenko?", "What did he receive?", "What did Ilham Aliyev receive?", "still life"),
    ],
)
def test_he_in_a_follow_up_about_an_exchange_is_the_last_question_s_subject(qa, first, followup, resolved, gift):
    """Before, each follow-up was searched with the previous question and quoted the gift just given."""
    chat = qa.conversation()
    chat.ask(first)
    answer = chat.ask(followup)
    assert answer.query == resolved
    assert answer.answerable and gift in answer.citations[0].quote


def test_what_a_person_described_received(qa):
    """The carpet went to "the Belarusian counterpart": the reader alone quoted the sentence on
    products Belarusian citizens buy from Azerbaijan."""
    answer = qa.ask("What did Lukashenko receive?")
    assert answer.answerable and "carpet" in answer.citations[0].span["text"]


def test_sides_named_by_common_nouns_are_their_words():
    school = asked("What did the village school give?")
    assert (school.giver, school.receiver, school.wanted) == ({"village", "school"}, frozenset(), "thing")
    assert agreement(school, "The village school handed Keller a bronze statue.") == 1.0
    assert agreement(school, "Keller offered the village school a jar of honey.") == -1.0  # the other side
    assert asked("What did he give back?") is None  # a pronoun and a particle: no side named


def test_a_sentence_opening_with_a_pronoun_tells_the_exchange_of_the_person(tmp_path, encoder):
    """"She carried the kitten … and gave it back to Lucy" is Mia's gift: the reader had quoted
    "Lucy was so happy that she hugged Mia."."""
    from test_answers import qa_over

    text = (
        "Mia found a grey kitten under a boat and took it home.\n\n"
        "A week later, a fisherman came to the house. He said the kitten belonged to his daughter, Lucy. "
        "Mia was sad, but she knew what to do. She carried the kitten to his house and gave it back to Lucy.\n\n"
        "Lucy was so happy that she hugged Mia. In return, she gave Mia a blue shell."
    )
    qa = qa_over(tmp_path, encoder, "kitten.txt", text)
    answer = qa.ask("What did Mia give Lucy?")
    assert answer.answerable and "gave it back to Lucy" in answer.citations[0].quote, answer.answer


@pytest.mark.parametrize(
    ("question", "both_ways"),
    [
        ("What gifts were exchanged?", True),
        ("Which presents did they exchange after the talks?", True),
        ("What did the leaders exchange?", True),
        ("What did they swap?", True),
        ("What did the presidents give each other?", True),
        ("And what did they give one another?", True),
        ("Who exchanged gifts?", False),  # asks who, not what
        ("When did they exchange gifts?", False),
        ("What does the exchange of visits attest to?", False),  # the noun
        ("On what does the Diffie-Hellman key exchange depend?", False),
        ("What did Lukashenko give Aliyev?", False),  # one way
        ("What did China send to Washington in exchange?", False),  # in return
    ],
)
def test_a_question_asking_what_was_given_both_ways(question, both_ways):
    assert mutual(question) is both_ways
    if both_ways:
        assert asked(question).mutual and asked(question).wanted == "thing"


@pytest.mark.parametrize(
    ("question", "both"),
    [
        ("And what did she give him?", True),
        ("What did he get from her?", True),
        ("What did he give her in return?", True),
        ("Why did he give her that?", False),  # not what was given
        ("What did he give Maria?", False),  # a side named
        ("What did she give?", False),  # one side
    ],
)
def test_a_question_pointing_at_both_sides_of_an_exchange(question, both):
    assert pointed_both(question) is both


def test_what_was_given_both_ways_is_told_by_a_sentence_that_gives():
    both = asked("What gifts were exchanged?")
    assert gives(STILL_LIFE) and gives(CARPET)
    assert not gives("After the completion of the formal negotiations, the heads of state exchanged gifts.")
    assert gives("To thank Mrs. Okoye, Lily baked her a lemon cake.") and gives("His uncle Leo brought Sam a red kite.")
    assert [agreement(both, s) for s in (STILL_LIFE, CARPET, INVITED)] == [1.0, 1.0, 0.0]
    assert subject("What did the presidents give each other?", STILL_LIFE) is None  # no one "he" stands for


def test_what_was_given_both_ways_is_answered_where_the_reader_alone_refuses(qa, tmp_path, encoder):
    """No sentence says "exchange" or "each other": the reader scored the passage that tells
    both gifts -2.5 to -2.8 and qa refused; a passage telling someone giving both ways answers,
    unless the question names someone the text never does."""
    from test_answers import qa_over

    assert "carpet" in qa.ask("What did the presidents give each other?").answer
    text = (
        "Lily's cat was found in the old mill.\n\n"
        "To thank Mrs. Okoye, Lily baked her a lemon cake. Mrs. Okoye gave Lily a small bell for the cat's collar."
    )
    story = qa_over(tmp_path, encoder, "cat.txt", text)
    answer = story.ask("What did they exchange?")
    assert answer.answerable and "lemon cake" in answer.answer and "small bell" in answer.answer
    assert not story.ask("What did Lily and Mr. Smith exchange?").answerable


@pytest.mark.parametrize("question", ["What gifts were exchanged?", "What did the leaders exchange?"])
def test_what_was_given_both_ways_is_answered_with_both_gifts(qa, question):
    """The reader alone quoted "… the heads of state exchanged gifts." (short answer "the heads
    of state", or "gifts"), which names no gift."""
    answer = qa.ask(question)
    quoted = answer.citations[0]
    assert answer.answerable and "still life" in quoted.quote and "carpet" in quoted.quote
    assert quoted.span["text"].startswith("a still life")
