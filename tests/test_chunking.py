"""Passages and sentences keep exact spans of the original text."""

from __future__ import annotations

import bisect
import random

import pytest

from qa.ingest import chunking


def words(text: str) -> int:
    return len(text.split())


def test_bundled_article_passages_round_trip(article_text):
    chunks = chunking.chunk(article_text, words, 254)
    assert len(chunks) == 45
    for c in chunks:
        passage = article_text[c.start : c.end]
        assert passage == passage.strip() and passage
    ids = [c.id for c in chunks]
    # numbered from 1 as a reader counts them: the title and the "• 32" line are neither passages nor counted
    assert ids[0] == "p1" and ids[-1] == "p45"
    assert article_text[chunks[0].start :].startswith("The visit of Azerbaijan President Ilham Aliyev to Belarus")
    assert "• 32" not in " ".join(article_text[c.start : c.end] for c in chunks)


def test_paragraphs_are_numbered_from_1_as_shown():
    text = "Opening hours\n\nThe museum opens at ten.\n\n  • 32\n\nIt closes at five, said the guide.\n\nTickets are sold at the door."
    chunks = chunking.chunk(text, words, 100)
    # the heading and the noise line are not counted: the third paragraph a reader sees is p3
    assert [(c.id, text[c.start : c.end]) for c in chunks] == [
        ("p1", "The museum opens at ten."),
        ("p2", "It closes at five, said the guide."),
        ("p3", "Tickets are sold at the door."),
    ]
    first = chunking.chunk("A plain file's first paragraph has no title above it.\n\nAnd a second one.", words, 100)
    assert [c.paragraph for c in first] == [1, 2]


def test_a_document_with_pages_numbers_its_paragraphs_on_each_page():
    text = (
        "The museum opens at ten every day.\n\nIt closes at five. Tickets are sold at the door. Guides wait in "
        "the hall.\n\nThe shop sells postcards.\n\nThe cafe serves soup."
    )
    chunks = chunking.chunk(text, words, 8)  # the second paragraph in three parts
    pages = (0, text.index("Tickets"), text.index("The cafe"))  # page 2 starts inside the second paragraph

    def page_at(offset: int) -> int:
        return bisect.bisect_right(pages, offset)

    # ids stay unique in the document; a paragraph counts on the page it starts on, every part of it
    assert [c.id for c in chunks] == ["p1", "p2.1", "p2.2", "p2.3", "p3", "p4"]
    assert chunking.placed(chunks, page_at) == [(1, 1), (1, 2), (1, 2), (1, 2), (2, 1), (3, 1)]
    assert [number for _, number in chunking.placed(chunks, lambda offset: None)] == [1, 2, 2, 2, 3, 4]  # no pages


def test_title_and_noise(article_text):
    blocks = chunking.paragraphs(article_text)
    assert chunking.title_of(article_text, blocks) == "Negotiations with Azerbaijan President Ilham Aliyev"
    assert chunking.is_noise("  • 32")
    assert chunking.is_noise("Photo: BelTA")
    assert not chunking.is_noise("Phone: 01422 555 019") and not chunking.is_noise("Price: $8")  # labelled numbers
    assert not chunking.is_noise("  1801    1,240\n  1851    4,870\n  1901    7,315")  # a table of figures set out with spaces
    assert chunking.is_noise("12\n13")  # page numbers, no columns
    assert not chunking.is_noise("“We welcome such aspirations,” noted Aleksandr Lukashenko.")


def test_marked_headings_leave_short_lines_as_passages():
    # a Markdown, HTML or Word document's reader marks its headings, so a one-line command or
    # list under a line that announces it is content; in plain text a short line alone is a heading
    text = "# Install\n\nInstall it and run the tests:\n\npip install qa && pytest\n\n- one item only\n\nThat is all."
    marked = [text[c.start : c.end] for c in chunking.chunk(text, words, 100, marked_headings=True)]
    assert marked == ["Install it and run the tests:", "pip install qa && pytest", "- one item only", "That is all."]
    plain = [text[c.start : c.end] for c in chunking.chunk(text, words, 100)]
    assert plain == marked  # two short lines one after the other are content in plain text too
    # a short line alone is a heading in plain text
    lone = "# Install\n\nInstall it and run the tests:\n\npip install qa && pytest\n\nThat is all."
    assert [lone[c.start : c.end] for c in chunking.chunk(lone, words, 100)] == ["Install it and run the tests:", "That is all."]


def test_a_passage_has_the_heading_of_its_section_and_fits_the_window_with_it():
    text = "# Coffee Machine Guide\n\nThanks for buying it.\n\n## Before first use\n\nRinse the tank.\n\n" + "Run two cycles. " * 12
    chunks = chunking.chunk(text, words, 30, marked_headings=True)
    over = chunking.headings(text, [c.start for c in chunks], marked_headings=True)
    # in a document of sections, the title heads the passages before the first section
    assert over == ["Coffee Machine Guide"] + ["Before first use"] * (len(chunks) - 1)
    # the heading's three words count against the window of each passage under it
    assert len(chunks) == 4 and all(words(text[c.start : c.end]) + 3 <= 30 for c in chunks)
    # in plain text a short line is a heading; a Markdown document's "## " line is its first section's
    plain = "Okonjo\n\nA chemist.\n\nCareer\n\nShe taught at Ibadan."
    assert chunking.headings(plain, [p.start for p in chunking.paragraphs(plain)]) == [None, "Okonjo", "Okonjo", "Career"]
    # a document of no sections has no headings: its title is over every passage alike
    single = "Okonjo\n\nA chemist.\n\nShe taught at Ibadan."
    assert chunking.headings(single, [p.start for p in chunking.paragraphs(single)]) == [None, None, None]
    untitled = "## Setup\n\nRun it."
    assert chunking.headings(untitled, [untitled.index("Run")], marked_headings=True) == ["Setup"]


def test_short_lines_one_after_another_are_passages_not_headings():
    text = (
        "Riverside Bakery\n\nOpening hours: 8 am to 6 pm, Monday to Saturday\n\nAddress: 12 Mill Lane, Hebden Bridge\n\n"
        "Phone: 01422 555 019\n\nWe bake every morning.\n\nHow to order\n\nBirthday cakes need three days notice."
    )
    chunks = chunking.chunk(text, words, 100)
    assert [text[c.start : c.end] for c in chunks] == [
        "Opening hours: 8 am to 6 pm, Monday to Saturday",
        "Address: 12 Mill Lane, Hebden Bridge",
        "Phone: 01422 555 019",
        "We bake every morning.",
        "Birthday cakes need three days notice.",
    ]
    # the title is no passage (it heads the first section); a short line alone between paragraphs heads the next
    assert chunking.headings(text, [c.start for c in chunks]) == ["Riverside Bakery"] * 4 + ["How to order"]


@pytest.mark.parametrize("marked", [False, True])
def test_questions_a_text_answers_head_their_answers(marked):
    interview = (
        ("# " if marked else "") + "Talking to the architect\n\nThe library reopened last month.\n\n"
        "Q: Where did the idea for the glass roof come from?\n\nFrom the old reading room. It had a skylight.\n\n"
        "Q: Was it difficult to keep the facade?\n\nVery. The stone was crumbling.\n\n"
        "What are you proudest of?\n\nThe children's floor.\n\nIt has reading nooks."
    )
    chunks = chunking.chunk(interview, words, 100, marked)
    shown = [interview[c.start : c.end] for c in chunks]
    assert shown == [
        "The library reopened last month.", "From the old reading room. It had a skylight.",
        "Very. The stone was crumbling.", "The children's floor.", "It has reading nooks.",
    ]
    over = chunking.headings(interview, [c.start for c in chunks], marked)
    assert over[1:] == [
        "Q: Where did the idea for the glass roof come from?", "Q: Was it difficult to keep the facade?",
        "What are you proudest of?", "What are you proudest of?",
    ]
    # a question a story asks once is what it says; a labelled one heads its answer
    story = "Tom ran to the gate.\n\nWhere was the dog?\n\nIt slept under the cart."
    assert [story[c.start : c.end] for c in chunking.chunk(story, words, 100, marked)][1] == "Where was the dog?"
    labelled = "Parking.\n\nQuestion: Is parking free?\n\nYes, after 6 pm."
    assert chunking.headings(labelled, [labelled.index("Yes")], marked) == ["Question: Is parking free?"]


def test_an_interviewers_turns_head_the_answers_below_them():
    transcript = (
        "Talking bridges\n\nMarta Oyelaran spoke to us at her studio.\n\n"
        "INTERVIEWER: Congratulations on the medal. How did you hear that you had won?\n\n"
        "MARTA OYELARAN: I was on a building site in Gdansk.\n\n"
        "INTERVIEWER: Your first big job was the Molenkade footbridge.\n\n"
        "MARTA OYELARAN: Yes, in 1999. It was a small bridge.\n\n"
        "INTERVIEWER: There is a debate in your profession about how much steel and concrete we should "
        "still be building with. Where do you stand?\n\n"
        "MARTA OYELARAN: Concrete is responsible for a huge share of emissions.\n\n"
        "INTERVIEWER: What will you do with the prize money?\n\nMARTA OYELARAN: I am giving all of it away."
    )
    chunks = chunking.chunk(transcript, words, 100)
    opened = [transcript[c.start : c.end].split(":")[0] for c in chunks]
    # a turn that asks nothing is a passage too: "Your first big job was the Molenkade footbridge."
    assert opened == ["Marta Oyelaran spoke to us at her studio.", "MARTA OYELARAN", "INTERVIEWER"] + ["MARTA OYELARAN"] * 3
    # each answer is searched under the turn that asked it, even one longer than a title
    over = chunking.headings(transcript, [c.start for c in chunks])
    assert [h for h, o in zip(over, opened) if o == "MARTA OYELARAN"] == [
        "INTERVIEWER: Congratulations on the medal. How did you hear that you had won?",
        "INTERVIEWER: Your first big job was the Molenkade footbridge.",
        transcript.split("\n\n")[6],
        "INTERVIEWER: What will you do with the prize money?",
    ]
    # a host who asks in a third of their turns, and twice as often as the guest, is the interviewer
    host = "HOST: Welcome.\n\nGUEST: Thanks.\n\nHOST: Where did you grow up?\n\nGUEST: In Leeds.\n\nHOST: Brave.\n\nGUEST: Yes.\n\n"
    host += "HOST: And in 2015 you set up on your own.\n\nGUEST: I did.\n\nHOST: Why?\n\nGUEST: Freedom.\n\nHOST: What next?\n\nGUEST: A clock. Why not?"
    chunks = chunking.chunk(host, words, 100)
    assert "HOST: Where did you grow up?" not in [host[c.start : c.end] for c in chunks]
    assert "HOST: And in 2015 you set up on your own." in [host[c.start : c.end] for c in chunks]
    assert chunking.headings(host, [host.index("GUEST: I did.")]) == ["HOST: And in 2015 you set up on your own."]
    # labelled lines that do not take turns at asking are what a text says ("Note: …")
    notes = "Note: Bring a coat.\n\nTip: Come early?\n\nNote: It rains.\n\nTip: Park behind the hall."
    assert len(chunking.chunk(notes, words, 100)) == 4


def test_a_marked_heading_is_under_the_headings_above_it():
    changelog = (
        "# Tideline Changelog\n\nCalendar sync.\n\n## [2.4.0] - 2023-10-27\n\nA feature release.\n\n### Added\n\n"
        "- A --dry-run option.\n\n### Fixed\n\n- Time zones.\n\n## [2.3.0] - 2023-06-21\n\n### Added\n\n- Filtering by category."
    )
    chunks = chunking.chunk(changelog, words, 100, marked_headings=True)
    assert chunking.headings(changelog, [c.start for c in chunks], marked_headings=True) == [
        "Tideline Changelog", "[2.4.0] - 2023-10-27", "[2.4.0] - 2023-10-27 › Added", "[2.4.0] - 2023-10-27 › Fixed",
        "[2.3.0] - 2023-06-21 › Added",
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_any_newline_style_keeps_spans(newline):
    text = newline.join(["# Title", "", "First paragraph is here. It has two sentences.", "  ", "", "Second one, with more words."])
    chunks = chunking.chunk(text, words, 100)
    assert [text[c.start : c.end] for c in chunks] == [
        "First paragraph is here. It has two sentences.",
        "Second one, with more words.",
    ]
    assert chunking.title_of(text, chunking.paragraphs(text)) == "Title"


def test_long_paragraph_is_split_at_sentences_never_truncated():
    sentences = [f"Sentence number {i} talks about tractors and combines in some detail." for i in range(60)]
    text = "Intro paragraph with enough words.\n\n" + " ".join(sentences)
    chunks = chunking.chunk(text, words, 50)
    body = [c for c in chunks if c.paragraph == 2]
    assert len(body) > 1 and all(c.parts == len(body) for c in body)
    assert [c.id for c in body][:2] == ["p2.1", "p2.2"]
    assert all(words(text[c.start : c.end]) <= 50 for c in body)
    # together the parts cover the paragraph, every sentence whole
    covered = " ".join(text[c.start : c.end] for c in body)
    assert covered == " ".join(sentences)


def test_a_sentence_longer_than_the_window_is_cut_between_words():
    text = "Start here with words.\n\n" + " ".join(f"word{i}" for i in range(300)) + "."
    chunks = [c for c in chunking.chunk(text, words, 40) if c.paragraph == 2]
    assert all(words(text[c.start : c.end]) <= 40 for c in chunks)
    assert " ".join(text[c.start : c.end] for c in chunks) == text.split("\n\n")[1]


def test_sentences_respect_abbreviations_initials_and_quotes():
    text = "Mr. Smith met Dr. A. Jones in the U.S. yesterday. “It went well,” said J.P. Singh. Then they left!"
    spans = chunking.sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "Mr. Smith met Dr. A. Jones in the U.S. yesterday.",
        "“It went well,” said J.P. Singh.",
        "Then they left!",
    ]
    dated = "Spouse: Alasdair Kerr (m. 1853). She was born c. 1820 in Bergen, as Hansen et al. 2020 show on p. 12. It fell to 396 m. It rose."
    assert [dated[s.start : s.end] for s in chunking.sentences(dated)] == [
        "Spouse: Alasdair Kerr (m. 1853).",
        "She was born c. 1820 in Bergen, as Hansen et al. 2020 show on p. 12.",
        "It fell to 396 m.",  # metres
        "It rose.",
    ]


def test_the_lines_of_a_list_without_marks_are_sentences():
    text = "225g unsalted butter, softened\n225g caster sugar\n4 eggs\n\nThe walls were painted\nin the spring of 1990\nby Anna and Tom."
    assert [text[s.start : s.end] for p in chunking.paragraphs(text) for s in chunking.sentences(text, p.start, p.end)] == [
        "225g unsalted butter, softened",
        "225g caster sugar",
        "4 eggs",
        "The walls were painted\nin the spring of 1990\nby Anna and Tom.",  # wrapped lines of one sentence
    ]
    two = "Present: Ruth Adeyemi\nApologies: Sarah Cole"  # two lines are no list
    assert len(chunking.sentences(two)) == 1
    # lines too long for the rule of short ones, but not wrapped: a line ends where the next one's first word would fit
    present = "Mr Robert Failsworth, Town Clerk\nPC Lewis Grant, Hollingworth Neighbourhood Policing Team (item 4 only)\nEleven members of the public"
    assert len(chunking.sentences(present)) == 3
    fields = "Born: 17 March 1811, Whitby, Yorkshire, England\nSignificant projects: Calder Viaduct, Port Arnholm breakwater\nAwards: Telford Medal"
    assert len(chunking.sentences(fields)) == 3  # "Label: value" lines, however long


def test_an_e_mail_s_signature_is_no_passage_and_its_name_no_heading():
    text = (
        "From: Tomasz Wierzbicki <tomasz@example.org>\nDate: Mon, 3 March 2025 11:02\nSubject: Re: Training day\n\n"
        "Hi Helen,\n\n12 April works for me. The main hall is £320 for the day.\n\nTomasz\n\n"
        "--\nTomasz Wierzbicki | Branch Manager, Eastfield\n\"Books are the quietest of friends.\"\n\n\n"
        "From: Rosa Lindqvist <rosa@example.org>\nDate: Tue, 4 March 2025 16:40\nSubject: Re: Training day\n\n"
        "12 April is fine with me too. I can order lunch for 30 people.\n"
    )
    chunks = chunking.chunk(text, words, 100)
    passages = [text[c.start : c.end] for c in chunks]
    assert not any("Branch Manager" in p or p == "Tomasz" for p in passages)
    assert "12 April is fine with me too. I can order lunch for 30 people." in passages
    # Rosa's words are under her e-mail's header, not under "Tomasz"
    assert chunking.headings(text, [c.start for c in chunks])[-1] == "Rosa Lindqvist (Tue, 4 March 2025 16:40): Re: Training day"


def test_an_e_mail_s_header_heads_it_and_its_sign_off_and_lines_quoted_again_are_no_passages():
    text = (
        "From: Helen Okafor <helen@example.org>\nTo: Tomasz Wierzbicki <tomasz@example.org>,\n  Rosa Lindqvist <rosa@example.org>\n"
        "Date: Mon, 3 March 2025 09:14\nSubject: Training day\n\n"
        "Hi all,\n\nI can offer Saturday 5 April or Saturday 12 April. The trustees gave us up to\n£1,800 in total.\n\n"
        "Best wishes,\nHelen\n\n\n"
        "From: Tomasz Wierzbicki <tomasz@example.org>\nSent: Monday, 3 March 2025 11:02\n\n"
        "> The trustees gave us up to\n> £1,800 in total.\n\nThe main hall is £320 for the day.\n\n"
        "> She charges £650 for a full day.\n\nThat is too much.\n\nKind regards,\nTomasz Wierzbicki\n"
    )
    chunks = chunking.chunk(text, words, 100)
    assert [text[c.start : c.end] for c in chunks] == [
        "I can offer Saturday 5 April or Saturday 12 April. The trustees gave us up to\n£1,800 in total.",
        "The main hall is £320 for the day.",
        "> She charges £650 for a full day.",  # quoted from an e-mail the text does not hold: what it has of it
        "That is too much.",
    ]
    assert chunking.headings(text, [c.start for c in chunks]) == [
        "Helen Okafor (Mon, 3 March 2025 09:14): Training day",
        *["Tomasz Wierzbicki (Monday, 3 March 2025 11:02)"] * 3,
    ]
    assert chunking.email_heading("From: Helen Okafor\nto a friend") is None
    assert chunking.email_heading("Date: 3 March 2025\nSubject: Training day") is None  # no sender: a list of fields


def test_a_line_in_capitals_over_its_text_is_a_heading():
    """Minutes and contracts write a heading right above its text, no blank line between."""
    text = "TENANCY AGREEMENT\n\n3. RENT\n3.1 The rent is £1,150 a month.\n3.2 It is paid in advance.\n\nAPOLOGIES\nApologies were received from Councillor Whitlock."
    chunks = chunking.chunk(text, words, 100)
    assert [text[c.start : c.end] for c in chunks] == [
        "3.1 The rent is £1,150 a month.\n3.2 It is paid in advance.",
        "Apologies were received from Councillor Whitlock.",
    ]
    assert chunking.headings(text, [c.start for c in chunks]) == ["3. RENT", "APOLOGIES"]
    assert chunking.blocks(text, marked_headings=True) == chunking.paragraphs(text)  # a marked format marks its own
    minutes = "TOWN COUNCIL\nMINUTES OF THE MEETING\nHeld on 14 October at 7 pm\n\nPRESENT\nCouncillor Rao\nCouncillor Nowak\n\nSigned ........ (Chair)"
    chunks = chunking.chunk(minutes, words, 100)
    # one line more of the title stays with it; a line in capitals over others heads them; a form's blanks are no passage
    assert [minutes[c.start : c.end] for c in chunks] == ["MINUTES OF THE MEETING\nHeld on 14 October at 7 pm", "Councillor Rao\nCouncillor Nowak"]
    assert chunking.headings(minutes, [c.start for c in chunks]) == ["TOWN COUNCIL", "PRESENT"]


def test_a_blank_line_ends_a_sentence():
    text = "Decline and split\n\nIn 1979 Dave Mercer left the band."
    assert [text[s.start : s.end] for s in chunking.sentences(text)] == ["Decline and split", "In 1979 Dave Mercer left the band."]


def test_sentences_end_where_text_lost_the_space_but_not_inside_code():
    text = (
        "They farmed side by side.For 35 years it went well.I'm sure.Then Brad came.Brad left. Call torch.Tensor.float() or os.Path now."
        ' He took my hand."You are good,"said Jason.'
    )
    spans = chunking.sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "They farmed side by side.",
        "For 35 years it went well.",
        "I'm sure.",
        "Then Brad came.Brad left.",  # a name may be code's too ("os.Path"): only words that open sentences
        "Call torch.Tensor.float() or os.Path now.",
        "He took my hand.",
        '"You are good,"said Jason.',  # the quotation mark opens the next sentence
    ]


def test_random_texts_always_round_trip():
    rng = random.Random(7)
    pieces = ["word", "Word.", "“Quote.”", "\n", "\n\n", " ", "\r\n\r\n", "  \n \n", "• 3", "x?", "Dr.", "42."]
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 80)))
        for c in chunking.chunk(text, words, rng.randint(3, 30)):
            passage = text[c.start : c.end]
            assert passage and passage == passage.strip()
            for s in chunking.sentences(text, c.start, c.end):
                assert c.start <= s.start < s.end <= c.end


def test_flowed_joins_wrapped_lines_but_keeps_list_items_and_offsets():
    text = "The tower was built\nin 1872 by the\r\nharbour board.\nIt has:\n- a lamp\n  2. a horn\n| a | b |"
    shown = chunking.flowed(text)
    assert shown == "The tower was built in 1872 by the  harbour board. It has:\n- a lamp\n  2. a horn\n| a | b |"
    assert len(shown) == len(text)  # every offset into the text holds



def test_flowed_keeps_the_lines_of_code():
    session = (
        ">>> while True print('Hello world')\n"
        '  File "<stdin>", line 1\n'
        "    while True print('Hello world')\n"
        "                   ^\n"
        "SyntaxError: invalid syntax"
    )
    assert chunking.flowed(session) == session  # an interactive session, as the tutorial prints it
    doctest = ">>> 2 + 2\n4\n>>> print('done')\ndone"
    assert chunking.flowed(doctest) == doctest  # a reStructuredText doctest block is not indented
    # a code block as the HTML and Markdown readers write it (hard line breaks), after wrapped prose
    text = "Install it with pip and then\nrun the tests:\n\npip install qa  \npytest -q"
    assert chunking.flowed(text) == "Install it with pip and then run the tests:  pip install qa  \npytest -q"


def test_a_title_must_look_like_one():
    contents = "TableofContents1.Introduction..........3 2.TheFerryRoutes..........7 3.WinterService........12 " * 2
    text = contents.strip() + "\n\nThe ferry leaves the north pier at half past eight every morning."
    assert chunking.title_of(text, chunking.paragraphs(text)) is None  # a run of a table of contents
    for line in ("Negotiations with Azerbaijan President Ilham Aliyev", "12.1. Introduction", "COVID-19 in 2020"):
        assert chunking.looks_like_title(line), line
    for line in ("x" * 60, "Contents ........ 3", "Introduction . . . . . 1", "The " + "long " * 30 + "title", "1 2 3 4 5 6 7"):
        assert not chunking.looks_like_title(line), line


@pytest.mark.parametrize("marked", [False, True])
def test_a_line_that_introduces_a_list_is_one_passage_with_it(marked):
    text = "## Warranty\n\nTwo years from the date of purchase.\n\nThe warranty does not cover:\n\n- burrs, which wear;\n- commercial use.\n\nKeep the receipt."
    chunks = chunking.chunk(text, words, 100, marked_headings=marked)
    assert [text[c.start : c.end] for c in chunks][1] == "The warranty does not cover:\n\n- burrs, which wear;\n- commercial use."
    lead = chunking.sentences(text, chunks[1].start, chunks[1].end)[0]
    assert text[lead.start : lead.end] == "The warranty does not cover:"  # a sentence of its own
