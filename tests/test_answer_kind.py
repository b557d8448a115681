"""What kind of answer a question asks for, and whether a quote has one (qa/read/answer_kind.py)."""

import pytest

from qa.read import answer_kind
from qa.read.answer_kind import EMAIL, MEASURE, MONEY, NUMBER, PHONE, TIME, WEB


@pytest.mark.parametrize(
    "question, kind",
    [
        ("When?", TIME),
        ("and when did she leave?", TIME),
        ("In what year did the war end?", TIME),
        ("Which day was it?", TIME),
        ("How many documents were signed?", NUMBER),
        ("how old is he?", NUMBER),
        ("What is the population of Belarus?", NUMBER),
        ("How much did the LED lamps cost?", MONEY),
        ("How much is the rent?", MONEY),
        ("how much were tickets?", MONEY),  # a price, not "6,418" of the attendance
        ("How much is the deposit?", MONEY),
        ("How much money did the society give the expedition?", MONEY),  # not "fourteen months"
        ("How much sugar do I need?", NUMBER),
        ("How many copies were sold in the first week?", NUMBER),  # a count
        ("How tall is it?", MEASURE),
        ("how far did they walk?", MEASURE),
        ("How long did the trial last?", MEASURE),
        ("How big is it?", None),  # often answered in words: "huge"
        ("What is Miriam Achebe's email address?", EMAIL),
        ("What's the phone number for bookings?", PHONE),
        ("what number do I call?", PHONE),  # a number to call, however asked
        ("Which number should we ring for claims?", PHONE),
        ("What number did he wear?", None),
        ("What is the library's website?", WEB),
        ("What is the email about?", None),  # the e-mail, not its address
        ("What was the phone call about?", None),
        ("Who invited whom?", None),
        ("What did he say when he arrived?", None),  # asks what, not when
        ("How did she get there?", None),
        ("What is the capital of Belarus?", None),
    ],
)
def test_which_kind_a_question_asks_for(question, kind):
    assert answer_kind.asked(question) == kind


@pytest.mark.parametrize(
    "kind, quote, expected",
    [
        (TIME, "The talks took place on 19 November.", True),
        (TIME, "It opened in May.", True),
        (TIME, "After the talks the presidents issued a joint statement.", True),
        (TIME, "She left when the bell rang.", True),
        (TIME, "Ilham Aliyev invited Aleksandr Lukashenko to come to Azerbaijan on an official visit.", False),
        (TIME, "She may go to the park.", False),  # "may" is not the month
        (NUMBER, "Seven documents were signed.", True),
        (NUMBER, "The trade grew by 4.5%.", True),
        (NUMBER, "He had a dozen eggs.", True),
        (NUMBER, "The heads of state signed bilateral documents.", False),
        (NUMBER, "a number of bilateral documents", True),
        (NUMBER, "a watering pot, a shovel, a rake and seeds", True),  # counted out
        (NUMBER, "Belarusian and Azerbaijani", False),
        (NUMBER, "brotherly nation", False),
        (MONEY, "A check-up costs £45 for adults.", True),
        (MONEY, "Entry is free, but booking is recommended.", True),
        (MONEY, "It cost 40 million dollars.", True),
        (MONEY, "Prices rose by 4%.", True),
        (MONEY, "Each plot had a single 4000 K LED lamp.", False),  # a number, not a price
        (MEASURE, "The Matterhorn rises to 4,478 metres.", True),
        (EMAIL, "Write to reception@harbourdental.example.", True),
        (EMAIL, "Rosa contacts Miriam Achebe by 21 March.", False),
        (PHONE, "Call 01632 960 412 after 9 am.", True),
        (PHONE, "It opened in 2019.", False),
        (WEB, "Tickets are sold at www.example.org.", True),
        (WEB, "Tickets are sold at the door.", False),
        (MEASURE, "He was away for a week.", True),  # a length of time, in words
        (MEASURE, "The outcome is known in seconds.", True),  # a unit
        (MEASURE, "The Matterhorn in Switzerland is a famous horn.", False),
    ],
)
def test_whether_a_quote_holds_that_kind(kind, quote, expected):
    assert answer_kind.holds(kind, quote) is expected


def test_when_is_not_answered_with_a_sentence_that_tells_no_time(qa):
    chat = qa.conversation()
    assert chat.ask("Who invited whom to Azerbaijan?").answerable
    when = chat.ask("When?")
    assert not when.answerable and when.citations == [] and when.passages
    assert when.confidence < 0.5


@pytest.mark.parametrize(
    "question",
    [
        "When atoms combine in a way where they each have eight electrons, what rule are they following?",
        "When did Australian visual arts begin, and how?",
        "What is the number of protons in the nucleus of an atom called?",
    ],
)
def test_a_question_that_asks_for_something_else_after_when_or_a_number(question):
    assert answer_kind.asked(question) is None


def test_how_many_is_answered_with_a_number_also_when_asked_alone(qa):
    # the short answer is what is checked: its sentence's "one of the closest partners" is no population
    population = qa.ask("What is the population of Belarus?")
    assert not population.answerable and population.citations == [] and population.confidence < 0.5
    signed = qa.ask("How many documents were signed?")
    assert signed.answerable and "number of bilateral documents" in signed.citations[0].span["text"]
    assert qa.ask("How many tractors were assembled in Ganja?").citations[0].span["text"] == "10,000"


def test_a_clock_time_or_a_year_asked_for_is_the_short_answer():
    line = "Held on Tuesday 14 October 2025 at 7:00 pm in the Assembly Room"
    at = answer_kind.exact("What time did the meeting start?", "Tuesday 14 October 2025", line)
    assert at is not None and line[at[0] : at[1]] == "7:00 pm"
    at = answer_kind.exact("In what year did it open?", "9 August", "It opened on 9 August 1841.")
    assert at is not None and at == (22, 26)
    assert answer_kind.exact("What time does it open?", "10:00", "Open 10:00 to 17:30") is None  # it holds one
    assert answer_kind.exact("What time does it open?", "daily", "Open 10:00 to 17:30 daily") is None  # which of two
    assert answer_kind.exact("When did it open?", "9 August", "It opened on 9 August 1841.") is None  # a date will do


@pytest.mark.parametrize(
    ("question", "short", "other"),
    [
        ("How many people were killed during the strike?", "forty-seven days", True),
        ("How many copies were sold?", "12 km", True),
        ("How many weeks did the strike last?", "forty-seven days", False),  # a time for a time
        ("How many people live there?", "40,000 in 2010", False),
        ("How many people came?", "3 days and 40 people", False),
        ("How old was he?", "58 years", False),  # an age, not a count
        ("How long did the eruption last?", "about 400 metres", True),  # a length for a time
        ("How long did the eruption last?", "nine hours", False),
        ("How long is the river?", "400 km", False),
        ("How deep is the lake?", "ten days", True),
        ("How deep is the lake?", "3,210 metres", False),
        ("How heavy is it?", "12 tonnes", False),
        ("How tall is she?", "58", False),  # no unit to tell
        ("How much does the lamp weigh?", "20 W", True),  # its adapter's power
        ("What does the lamp weigh?", "1.2 kg", False),
        ("How many times did he win?", "three times", False),
        ("How many gnats were caught?", "three times", True),  # a ratio, not a count
    ],
)
def test_a_count_or_a_measure_is_not_answered_with_a_measure_it_does_not_ask_for(question, short, other):
    assert answer_kind.measures_else(question, short) is other


def test_a_figure_is_read_with_its_unit():
    assert answer_kind.measures_else("How many people does it serve?", "5", " cm border")
    assert not answer_kind.measures_else("How many people does it serve?", "8", " people")
    assert answer_kind.measures_else("How many gnats has the team caught?", "nearly three", " times as many gnats")


def test_a_figure_of_the_kind_asked():
    assert answer_kind.figure(NUMBER, "attendance 11,482") and answer_kind.figure(NUMBER, "forty")
    assert not answer_kind.figure(NUMBER, "third") and not answer_kind.figure(NUMBER, "many")
    assert answer_kind.figure(MONEY, "£38,500") and answer_kind.figure(MONEY, "40 million dollars")
    assert not answer_kind.figure(MONEY, "five per cent") and not answer_kind.figure(MONEY, "38,500")


def test_how_much_is_answered_from_the_passage_that_gives_the_sum(tmp_path, encoder):
    """The passage that speaks most of the skate park names no sum: the one that quotes it answers, unsure
    (before, the question was refused)."""
    from test_answers import qa_over

    text = (
        "# Town Council minutes\n\n## Skate park\n\nThe skate park on Mill Road will be resurfaced this summer, after "
        "complaints about cracks and loose gravel. Councillors agreed that the resurfacing is the most urgent of the play "
        "area works.\n\n## Quotations\n\nThree firms quoted for resurfacing the skate park. Motion: that the Council accept the quotation "
        "from Ridgeline Surfaces Ltd of £38,500, the lowest of the three.\n\n## Allotments\n\n"
        "The allotment holders asked for a new water tap near the gate.\n"
    )
    answer = qa_over(tmp_path, encoder, "minutes.md", text).ask("How much will the skate park resurfacing cost?")
    assert answer.answerable and answer.unsure and answer.citations[0].span["text"] == "£38,500"


def test_how_tall_is_not_answered_with_a_sentence_that_gives_no_measure(tmp_path, encoder):
    from test_answers import qa_over

    text = (
        "Glaciers carve the mountains they flow through. Where glaciers cut into a peak from every side, they "
        "leave a horn: a sharp, pointed summit. The Matterhorn in Switzerland is a famous horn.\n\n"
        "The Aletsch Glacier is the largest glacier in the Alps. It is about 23 kilometres long and covers more than "
        "80 square kilometres.\n"
    )
    qa = qa_over(tmp_path, encoder, "glaciers.txt", text)
    tall = qa.ask("How tall is the Matterhorn?")
    assert not tall.answerable and tall.citations == [] and tall.passages
    long = qa.ask("How long is the Aletsch Glacier?")
    assert long.answerable and "23 kilometres" in long.citations[0].quote


def test_the_figure_of_the_clause_a_question_names_is_the_short_answer():
    """"How many collaborators can a Free plan user add?" of "Pro plan users can add up to 25 …;
    Free plan users can add 3.": the reader had answered the first clause's "25"."""
    line = "Pro plan users can add up to 25 collaborators per notebook; Free plan users can add 3."
    at = answer_kind.in_clause("How many collaborators can a Free plan user add?", line.index("25"), line.index("25") + 2, line)
    assert at is not None and line[at[0] : at[1]] == "3"
    assert answer_kind.in_clause("How many collaborators can a Pro user add?", line.index("25"), line.index("25") + 2, line) is None  # its own
    assert answer_kind.in_clause("How many collaborators can I add?", line.index("25"), line.index("25") + 2, line) is None  # names neither
    assert answer_kind.in_clause("Who can add a Free plan user?", 0, 3, line) is None  # no figure asked for
    assert answer_kind.in_clause("How many can a Free user add?", 0, 3, "Free users can add 3 and Pro users 25.") is None  # one clause
