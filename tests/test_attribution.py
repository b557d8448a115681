"""Who said it: quoted speech and reported speech ("In his words, ...", "X noted that ...")."""

from __future__ import annotations

import pytest

from qa.ingest import chunking
from qa.read import attribution

TEXT = (
    "Maria Olsen opened the plant on Monday. Exports will start in May, she added. "
    "The head of the union noted that wages will rise. In his words, the new line doubles the output. "
    "According to the mayor, the town gains 300 jobs. The roof is made of glass. "
    "“We are proud of it,” Maria Olsen said."
)


def said(sentence_start: str, text: str = TEXT) -> tuple[str, str] | None:
    """Who says the sentence of ``text`` (one paragraph) that starts with ``sentence_start``, and
    what they say."""
    start = text.index(sentence_start)
    span = next(s for s in chunking.sentences(text) if s.start == start)
    found = attribution.source(text, span.start, span.end, chunking.Span(0, len(text)))
    return None if found is None else (found[0], text[found[1] : found[2]])


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        ("The head of the union", "The head of the union", "wages will rise."),  # a title stays a title
        ("In his words", "The head of the union", "the new line doubles the output."),  # "his": the last speaker
        ("According to the mayor", "The mayor", "the town gains 300 jobs."),
        ("Exports will start", "Maria Olsen", "Exports will start in May"),  # "she": the last person named as subject
        ("“We are proud", "Maria Olsen", "“We are proud of it"),  # quoted speech, up to the closing mark
    ],
)
def test_reported_and_quoted_speech_have_a_speaker(sentence, speaker, content):
    assert said(sentence) == (speaker, content)


def test_speech_reported_after_a_scene_a_second_verb_or_mid_sentence():
    text = (
        "Union Chairman Tom Berg visited the port. "
        "The port will double its trade, Union Chairman Tom Berg said during the visit on Monday. "
        "Apart from that, the chairman said he expects new routes. "
        "At the meeting with the press the chairman remarked that wages will rise. "
        "He praised the dockers and stressed that safety comes first. "
        "After all that the map said, they started digging."
    )
    # a title before the name is no part of it; what was said ends before the attribution
    assert said("The port will", text) == ("Tom Berg", "The port will double its trade")
    assert said("Apart from that", text) == ("Tom Berg", "he expects new routes.")  # "the chairman": "Union Chairman Tom Berg"
    assert said("At the meeting", text) == ("Tom Berg", "wages will rise.")
    assert said("He praised", text) == ("Tom Berg", "safety comes first.")
    assert said("After all that", text) is None  # the verb ends the scene: nobody speaks the sentence


def test_a_description_that_ends_in_a_name_is_its_own_speaker():
    """"the Dutch almanac Vos Jaarboek" names itself: not the person after another "Dutch"."""
    text = "The Dutch Prime Minister Anna Berg opened the dam. In 1950 the Dutch almanac Vos Jaarboek stated the length as 90 km."
    assert said("In 1950", text) == ("The Dutch almanac Vos Jaarboek", "the length as 90 km.")


def test_a_title_is_the_person_the_text_names_with_it():
    text = (
        "Union Chairman Tom Berg and State Oil Company director Ann Lee met. Berg spoke first. "
        "“We agree,” the chairman said. The director of the company noted that prices fall. "
        "The spokesman said that talks go on."
    )
    paragraph = chunking.Span(0, len(text))
    spans = {text[s.start : s.start + 12]: s for s in chunking.sentences(text)}

    def who(opening: str) -> str | None:
        span = spans[opening]
        found = attribution.source(text, span.start, span.end, paragraph)
        return found and found[0]

    assert who("“We agree,” ") == "Tom Berg"  # "Chairman Tom Berg"
    # no capitalized "Director" names anyone ("State Oil Company" is no person): the title stays
    assert who("The director") == "The director of the company"
    assert who("The spokesma") == "The spokesman"  # nobody is named so
    # a description before the name: "The town's mayor, Daniel Pryce, …"
    described = "The town's mayor, Daniel Pryce, thanked the volunteers. He said the council would help."
    assert attribution.speaker_asked("What did the mayor say?", described) == "Daniel Pryce"


def test_a_sentence_nobody_says_has_no_speaker():
    assert said("The roof is made of glass.") is None
    assert said("Maria Olsen opened the plant") is None  # a person as subject, but not speaking


def test_a_storys_ways_of_saying_beside_a_quote_name_the_speaker():
    text = "Rosie sat on the step. “The wind blew my ribbon away,” sobbed Rosie. “We will find it,” Pip whispered. Rosie cried all night. “Then we go.” They both laughed."
    assert said("“The wind", text) == ("Rosie", "“The wind blew my ribbon away")
    assert said("“We will", text) == ("Pip", "“We will find it")
    assert said("Rosie cried", text) is None  # without a quote, crying is no speech
    assert said("“Then we go", text) is None  # a sentence after the quote tells what they did


def test_a_view_someone_holds_is_theirs():
    text = (
        "Scientists disagree. Sato believes that the chamber is refilling. Her colleague Professor Marco Ruiz "
        "argues that the swarm was caused by hot water. She claimed the prize."
    )
    assert said("Sato believes", text) == ("Sato", "the chamber is refilling.")
    assert said("Her colleague", text) == ("Professor Marco Ruiz", "the swarm was caused by hot water.")
    assert said("She claimed", text) is None  # a claim to a prize, not a view
    assert said("Scientists disagree", text) is None


def test_a_document_quoted_is_its_own_source():
    """A quote that a statement "reads" is the statement's, not the last person's named."""
    text = "Ann Lee signed the accord. “The parties shall cooperate,” reads the joint statement. “We agree,” the communiqué says."
    paragraph = chunking.Span(0, len(text))
    starts = [text.index("“The parties"), text.index("“We agree")]
    spans = [next(s for s in chunking.sentences(text) if s.start == start) for start in starts]
    assert [attribution.speaker(text, s.start, s.end, paragraph) for s in spans] == ["The joint statement", "The communiqué"]
    before = "The decree read: “Shops open on Sunday.”"
    assert attribution.speaker(before, before.index("“"), len(before), chunking.Span(0, len(before))) == "The decree"
    # reported speech too: the statement, not the person a title word ("State") names
    reported = "Secretary of State John Kerry arrived. According to the joint statement, talks go on."
    found = attribution.source(reported, reported.index("According"), len(reported), chunking.Span(0, len(reported)))
    assert found is not None and found[0] == "The joint statement"
    # without a quotation mark, reading is no speech
    plain = "Ann Lee reads the paper every morning."
    assert attribution.source(plain, 0, len(plain), chunking.Span(0, len(plain))) is None


def test_a_title_nobody_is_named_with_opens_the_answer_capitalized():
    text = "“Prices will fall,” the spokesman said."
    assert attribution.speaker(text, 0, len(text), chunking.Span(0, len(text))) == "The spokesman"


def test_the_people_a_text_names():
    assert attribution.people("Belarus President Aleksandr Lukashenko met Ilham Aliyev.") == ["Aleksandr Lukashenko", "Ilham Aliyev"]
    assert attribution.people("The Ganja Auto Plant") == []  # an organization
    assert attribution.people("Clemence Pellerin set out from the coastal town of Port Anselm near Mount Corra.") == ["Clemence Pellerin"]  # places
    assert attribution.people("She received the Fridtjof Nansen Award near the Lofoten Islands.") == []  # an award, a place
    # words that open a sentence or a quote are no name: "And him?" after this quote found "When I've"
    assert attribution.people("“When I've had some money, I'll continue.” If Joe Smith goes") == ["Joe Smith"]
    # a courtesy title and a surname name someone ("What was he doing?" after "Who helped?" answered "Mr. Patel")
    assert attribution.people("To thank him, Sam gave Mr. Patel a loaf. Mrs. Hobson and Dr. Anna Berg") == ["Mr. Patel", "Mrs. Hobson", "Anna Berg"]


def test_the_name_a_short_answer_gives():
    assert attribution.name_in("Lucy") == "Lucy"
    assert attribution.name_in("a fisherman named Tom") == "Tom"
    assert attribution.name_in("his daughter, Lucy") == "Lucy"
    assert attribution.name_in("Anna Berg") == "Anna Berg"
    assert attribution.name_in("The Board") is None  # a body, not a person
    assert attribution.name_in("her grandfather") is None
    assert attribution.name_in("Tom said the kitten belonged to Lucy") is None  # a sentence, not a name


def test_who_a_pronoun_or_a_title_stands_for():
    text = (
        "Azerbaijan President Ilham Aliyev came to Minsk. Ilham Aliyev met the press. He smiled. "
        "The Azerbaijani side was ready. The President of Azerbaijan spoke."
    )
    assert attribution.who_is(text, text.index("He smiled"), "He") == "Ilham Aliyev"
    assert attribution.who_is(text, text.index("The President of"), "The President of Azerbaijan") == "Ilham Aliyev"
    assert attribution.who_is(text, text.index("The Azerbaijani side"), "The Azerbaijani side") is None  # no title of a person
    assert attribution.who_is(text, text.index("came"), "Ilham Aliyev") is None  # a name names itself
    assert attribution.who_is("He met the press.", 0, "He") is None  # nobody named before
    present = "Mr Robert Failsworth, Town Clerk\nMs Janine Okafor, Finance Officer\nThe Town Clerk read the letter."
    assert attribution.who_is(present, present.index("The Town"), "The Town Clerk") == "Robert Failsworth"  # named after a comma


def who(text: str, at: str) -> str | None:
    """Whom the pronoun opening ``at`` in ``text`` stands for."""
    return attribution.who_is(text, text.index(at), at.split()[0])


def test_who_a_story_pronoun_stands_for():
    # a clause before the pronoun has its own subject; a character brought in by name; a lead
    assert who("The rain came. When Stewart woke up, he looked for the bug.", "he looked") == "Stewart"
    assert who("Once there was a dragon named Jack. He was large.", "He was") == "Jack"
    assert who("A week later, a fisherman named Tom came. He said it was his.", "He said") == "Tom"  # after a lead
    assert who("Through the class, Shi Jiawei, 14, fell in love with it. She made bears.", "She made") == "Shi Jiawei"
    assert who("One of the lawyers, Leonard Aritonang, spoke. He said more.", "He said") == "Leonard Aritonang"
    assert who("Karen sat down. John went and returned soon. He said hello.", "He said") == "John"  # an irregular verb
    # a person the text does not name there: no name rather than the last one named
    assert who("Billy told Sammy's mom. After Sammy's mom heard the story, she took Sammy home.", "she took") is None
    assert who("Joe came in. The little boy smiled. He sat down.", "He sat") is None
    # the name's pronoun is the other one ("Andi … her"), or the pronoun is in quoted speech
    andi = "Andi heard her phone. Andi knew she was lost. Andi gave water to the dog. He tried to stand up."
    assert who(andi, "He tried") is None
    assert who('Joe looked at Bob. "He is a nice sort," Joe said.', "He is") is None
    assert who("“To Chen's surprise, the headmaster took her advice. She smiled.", "She smiled") is None  # not "Chen's"


def test_straight_quotation_marks_are_read_as_curled_ones():
    curly = "Maria Olsen opened the plant. “We are proud of it,” she said. The roof is glass."
    straight = curly.replace("“", '"').replace("”", '"')
    assert attribution.curled(straight) == curly
    start = straight.index('"We')
    end = straight.index("The roof") - 1
    paragraph = chunking.Span(0, len(straight))
    assert attribution.speaker(straight, start, end, paragraph) == "Maria Olsen"
    assert attribution.quote_part(straight, start, end, 0) == attribution.quote_part(curly, start, end, 0)
    assert attribution.source(straight, start, end, paragraph) == ("Maria Olsen", start, straight.index(',"'))  # up to the closing mark


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did Aliyev say?", "Aliyev"),
        ("And what did the President of Azerbaijan say about the talks?", "Ilham Aliyev"),  # a title, as the text names it
        ("What did the joint statement say?", "The joint statement"),
        ("What did the head of state say about the visit?", "The head of state"),  # "state" after "of" is no verb
        ("What did he say?", None),  # a pronoun: the conversation reads it with the person
        ("What did Aliyev give?", None),  # not asking what was said
    ],
)
def test_whom_a_question_asks_what_they_said(article_text, question, who):
    assert attribution.speaker_asked(question, article_text) == who


@pytest.mark.parametrize(
    ("question", "only"),
    [
        ("What did the mayor say?", True),
        ("And what did she tell him?", True),
        ("What did Joe say to Delia then?", True),
        ("What did the mayor say about the cost?", False),  # about something: the reader's to judge
        ("What does Ruiz argue?", True),  # a view someone holds
        ("What did Sato believe?", True),
        ("What did Aliyev give?", False),
    ],
)
def test_a_question_asking_only_what_someone_said(question, only):
    assert attribution.asks_only_speech(question) is only


def test_the_same_person():
    assert attribution.same_person(["Ilham", "Aliyev"], ["Aliyev"])
    assert attribution.same_person("Mayor Ruth Okafor".split(), "Ruth Okafor".split())
    assert attribution.same_person("The joint statement".split(), "the joint statement".split())
    assert not attribution.same_person("President Ilham Aliyev".split(), "President Aleksandr Lukashenko".split())
    assert not attribution.same_person("Anna Berg".split(), "Anna Lindqvist".split())


def test_a_speaker_he_or_she_is_the_person_or_no_one():
    story = 'Mia found a kitten under a boat. "Can we keep it?" she asked. "Yes," they said.'
    paragraph = chunking.Span(0, len(story))
    at = story.index('"Can')
    assert attribution.speaker(story, at, story.index(" \"Yes"), paragraph) == "Mia"  # a name of one word, as for "she"
    assert attribution.speaker(story, story.index('"Yes'), len(story), paragraph) is None  # not "They"
    # named after a role ("Castleford manager Ruth Adeyemi"), and "she" after it, over two quotations
    report = 'Castleford manager Ruth Adeyemi was frustrated. "We let it slip," she said. "The penalty was soft."'
    paragraph = chunking.Span(0, len(report))
    assert attribution.speaker(report, report.index('"The penalty'), len(report), paragraph) == "Ruth Adeyemi"


def test_a_speaker_named_by_one_word_is_the_person_named_before_and_goes_on_speaking():
    text = (
        "Harbour City Stun Leaders in Late Comeback\n\nHarbour City came from two goals down to win.\n\n"
        "Harbour City's manager, Anna Lindqvist, made two changes.\n\n"
        '"I told them at half-time that nobody remembers the first half," Lindqvist said after the match. '
        '"Sami changed the game. He is only seventeen."\n\n'
        '"We were lucky," said Hale. "That is on me."'
    )
    quote, on, later = (text.index(s) for s in ('"I told', '"Sami', "He is only"))
    paragraph = chunking.Span(quote, text.index("\n\n", quote))
    # not the subject of the headline and the first sentence ("City Stun Leaders")
    assert attribution.speaker(text, quote, on - 1, paragraph) == "Anna Lindqvist"
    # a quotation that goes on after its attribution, to its second sentence
    assert attribution.speaker(text, on, later - 1, paragraph) == attribution.speaker(text, later, paragraph.end, paragraph) == "Anna Lindqvist"
    last = chunking.Span(text.index('"We were'), len(text))
    assert attribution.speaker(text, text.index('"That'), len(text), last) == "Hale"  # named nowhere else: as written


def test_a_speaker_named_before_a_colon_or_after_a_description():
    text = (
        'Pieter van Doorn, Kestrel Vale United: "The penalty changed everything. I do not understand it."\n\n'
        '"Families on Foundry Street have been flooded twice," she said.\n\n'
        "The county's cabinet member for infrastructure, Graham Thorne, said the delays were caused by a dispute. "
        '"I understand people\'s anger," he said. "Work on the wall will begin in April."'
    )
    paragraphs = chunking.paragraphs(text)
    first = paragraphs[0]
    opening = chunking.sentences(text, first.start, first.end)[0]
    # the paragraph opens with who speaks, a colon and the quotation, which goes on
    assert attribution.source(text, opening.start, opening.end, first)[0] == "Pieter van Doorn"
    assert text[attribution.source(text, opening.start, opening.end, first)[1]] == '"'  # what they said, not the label
    assert attribution.speaker(text, text.index('I do'), first.end, first) == "Pieter van Doorn"
    # "he" is the person a description introduced, not the place a quotation before named
    last = paragraphs[2]
    assert attribution.speaker(text, text.index('"Work'), last.end, last) == "Graham Thorne"
    # the person a title names, not where they work
    chief = '"Every one of those people is safe," said Fire Chief Ruth Okafor of the county fire and rescue service.'
    assert attribution.speaker(chief, 0, len(chief), chunking.Span(0, len(chief))) == "Ruth Okafor"


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("What did Lindqvist say about Haddad?", "Haddad Sami Haddad"),  # a person's name in full too
        ("What did the coach tell reporters about the second goal?", "the second goal"),
        ("What did Lindqvist say?", None),
        ("Who did Lindqvist talk about?", None),
    ],
)
def test_what_a_question_asks_someone_said_it_about(question, about):
    assert attribution.speech_about(question, "The winger Sami Haddad scored. Anna Lindqvist smiled.") == about


THREAD = (
    "From: Tomasz Wierzbicki <tomasz@example.org>\nDate: Mon, 3 March 2025 11:02\nSubject: Re: Training day\n\n"
    "> For the date I can offer Saturday 12 April.\n\nI can book the hall and deal with the caretaker.\n\n\n"
    "From: Rosa Lindqvist <rosa@example.org>\nDate: Tue, 4 March 2025 16:40\n\n"
    'For the trainer I\'d suggest Miriam Achebe. She said: "I can come on 12 April."\n'
)


def test_the_writer_of_an_e_mail_is_its_i():
    """"Who suggested Miriam Achebe?" of a thread had been answered "Reading Agency": the "I"
    that suggests is the e-mail's sender."""
    assert attribution.writer(THREAD, THREAD.index("I can book")) == "Tomasz Wierzbicki"
    assert attribution.writer(THREAD, THREAD.index("I'd suggest")) == "Rosa Lindqvist"
    assert attribution.writer(THREAD, THREAD.index("I can offer")) is None  # a line it quotes: Helen's words
    assert attribution.writer(THREAD, THREAD.index("I can come")) is None  # within quotation marks: Miriam's
    assert attribution.writer("I can book the hall.", 0) is None  # no e-mail
    sentence = THREAD.index("For the trainer"), THREAD.index("Achebe.") + 7
    found = attribution.first_person_doer("Who suggested Miriam Achebe as the trainer?", THREAD, *sentence)
    assert found is not None and THREAD[slice(*found)] == "I'd"
    assert attribution.first_person_doer("Who is going to suggest a trainer?", THREAD, *sentence) is not None
    assert attribution.first_person_doer("Who booked the trainer?", THREAD, *sentence) is None  # not what "I" does
    assert attribution.first_person_doer("Who did she suggest?", THREAD, *sentence) is None  # whom, not who
