"""Answers: verbatim quotes whose spans round-trip, citations for every marker, refusals."""

from __future__ import annotations

import re

import pytest
from conftest import question_records

from qa.present.render import answer_lines
from qa.read.answering import NOT_IN_TEXT

SINGLE = [r for r in question_records() if "question" in r]
ANSWERABLE = [r for r in SINGLE if r["gold"] is not None]
UNANSWERABLE = [r for r in SINGLE if r["gold"] is None]
TURNS = [t for r in question_records() if "turns" in r for t in r["turns"]]


def check_answer(answer, qa) -> None:
    """The contract of docs/answer-json.md: spans round-trip, every [n] is cited, passages are exact."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}
    for citation in answer.citations:
        assert qa.index.text(citation.doc)[citation.start : citation.end] == citation.quote
        assert citation.quote and len(citation.quote) <= 1000
        if citation.span is not None:  # the short answer: exact, and inside the quote
            assert qa.index.text(citation.doc)[citation.span["start"] : citation.span["end"]] == citation.span["text"]
            assert citation.start <= citation.span["start"] < citation.span["end"] <= citation.end
        if citation.span is not None and citation.span.get("names"):  # "He [Aleksandr Lukashenko] …"
            assert f"{citation.span['text']} [{citation.span['names']}]" in answer.answer
    if answer.answerable:  # the short answer: a span, or the speaker asked for ("Who said that?")
        assert answer.citations[0].span is not None or answer.citations[0].speaker is not None
    for passage in answer.passages:
        assert qa.index.text(passage.doc)[passage.start : passage.end] == passage.text
    if not answer.answerable:
        assert answer.answer == NOT_IN_TEXT and not answer.citations
    assert 0.0 <= answer.confidence <= 1.0


def test_every_answer_keeps_the_contract(qa):
    for record in SINGLE:
        check_answer(qa.ask(record["question"]), qa)
    for record in question_records():
        if "turns" in record:
            chat = qa.conversation()
            for turn in record["turns"]:
                check_answer(chat.ask(turn["question"]), qa)


def test_answers_are_short_verbatim_quotes(qa):
    answer = qa.ask("How many tractors have been assembled in Ganja?")
    assert answer.answerable
    assert "10,000" in answer.answer
    assert answer.citations[0].passage == "p19"
    assert answer.answer.count("[") <= 2  # one or two sentences, never a whole paragraph
    assert len(answer.citations[0].quote) < len(answer.passages[0].text)


def test_a_quoted_sentence_says_who_said_it(qa):
    answer = qa.ask("How many tractors have been assembled in Ganja?")
    assert answer.citations[0].speaker == "Aleksandr Lukashenko"
    assert answer.answer.startswith("Aleksandr Lukashenko said: “More than 10,000 tractors")


@pytest.mark.parametrize(
    ("question", "sentence", "person"),
    [
        ("Who welcomed Ilham Aliyev in Belarus?", "He welcomed Ilham Aliyev in Belarus.", "Aleksandr Lukashenko"),
        ("Who thanked Azerbaijan for its help with the European Games?", "He also thanked Azerbaijan", "Aleksandr Lukashenko"),
        ("Who is convinced that the visit will help review the cooperation?", "He is convinced that his ongoing", "Ilham Aliyev"),
    ],
)
def test_who_is_answered_with_the_person_a_pronoun_stands_for(qa, question, sentence, person):
    """The sentence whose subject is "He" is read with the person in its place, and its short
    answer, "He", names them."""
    answer = qa.ask(question)
    check_answer(answer, qa)
    first = answer.citations[0]
    assert first.quote.startswith(sentence)
    assert first.span["text"] == "He" and first.span["names"] == person
    assert answer.answer.startswith(f"He [{person}] ")


def test_the_gift_question(qa):
    answer = qa.ask("What did Ilham Aliyev give the Belarusian president?")
    assert answer.answerable and "carpet" in answer.answer
    assert answer.citations[0].passage == "p45"
    assert "carpet" in answer.citations[0].span["text"]  # the short answer the reader points at
    assert answer.to_dict()["citations"][0]["span"]["text"] == answer.citations[0].span["text"]


@pytest.mark.parametrize(
    ("question", "gift"),
    [
        ("What did Lukashenko give Aliyev?", "a still life depicting pomegranate fruit and the Heritage of Belarus book"),
        ("What did Aliyev give Lukashenko?", "a traditional Azerbaijani carpet"),
    ],
)
def test_who_gave_what_to_whom_is_read_from_the_order_of_the_words(qa, question, gift):
    """Both gifts are in one passage, a sentence each, with the same names and verb: the one
    that holds the question's words in their order answers (the reader alone quoted the carpet
    for both)."""
    answer = qa.ask(question)
    assert answer.answerable and answer.citations[0].span["text"] == gift


def test_a_sentence_s_share_of_the_question_in_its_order(qa):
    from qa.read.retrieval import _common_subsequence

    assert _common_subsequence(["a", "b", "c"], [1.0, 2.0, 1.0], ["c", "b"]) == 2.0  # one of them, the heavier
    assert _common_subsequence(["a", "b", "c"], [1.0, 1.0, 1.0], ["a", "x", "c"]) == 2.0
    question = "What did Lukashenko give Aliyev?"
    ranking = qa.retriever.rank(question, qa.encoder.encode([question])[0])
    sentences = qa.retriever.sentences_of(ranking.top(1))
    texts = [qa.retriever.sentence_text(n) for n in sentences.tolist()]
    shares = dict(zip(texts, qa.retriever.sentence_order(ranking, sentences)))
    still_life = next(t for t in texts if "still life" in t)
    carpet = next(t for t in texts if "carpet" in t)
    assert shares[still_life] == pytest.approx(1.0) and 0 < shares[carpet] < 0.6  # "gave" alone: the heaviest word


@pytest.mark.parametrize("question", ["Who painted the Mona Lisa?", "What did Vladimir Putin say?"])
def test_questions_the_text_cannot_answer_are_refused(qa, question):
    answer = qa.ask(question)
    assert not answer.answerable
    assert answer.answer == NOT_IN_TEXT
    assert len(answer.passages) == 3  # the nearest passages are still shown


def test_an_acronym_the_passages_spell_out_is_a_known_name(qa):
    """"UN" never occurs in the article; "United Nations" does not either, "Ilham Aliyev" does: an
    acronym counts as known where a passage read spells it out."""
    assert qa.retriever.unknown_names("What did the UN and Aliyev sign?") == 1
    assert qa.retriever.unknown_names("What did the IA sign?", ["Ilham Aliyev signed it."]) == 0
    assert qa.retriever.unknown_names("What did the UN sign?", ["Ilham Aliyev signed it."]) == 1
    assert qa.retriever.unknown_names("What did Mr. Smith sign? Who is Aliyev?") == 1  # a title's stop ends no sentence


def test_a_name_in_a_documents_title_is_a_known_name(tmp_path, encoder):
    """A web page's title names what its text need not repeat ("Tide and Time - Amblehaven
    Maritime Museum"): "How much is a family ticket at the Amblehaven Maritime Museum?" had been
    refused at a fifth of its confidence, "Maritime" never being in the text."""
    page = (
        "<html><head><title>Tide and Time - Amblehaven Maritime Museum</title></head><body><main>"
        "<h1>Tide and Time</h1><p>Our exhibition on the tides of Amblehaven runs until November.</p>"
        "<h2>Prices</h2><table><tr><th>Ticket</th><th>Price</th></tr><tr><td>Adult</td><td>£8.50</td></tr>"
        "<tr><td>Family (2 adults and up to 3 children)</td><td>£20.00</td></tr></table></main></body></html>"
    )
    qa = qa_over(tmp_path, encoder, "museum.html", page)
    assert qa.retriever.unknown_names("How much is a family ticket at the Amblehaven Maritime Museum?") == 0
    assert qa.retriever.unknown_names("How much is a ticket at the Amblehaven Railway Museum?") == 1
    answer = qa.ask("How much is a family ticket at the Amblehaven Maritime Museum?")
    check_answer(answer, qa)
    assert answer.answerable and answer.citations[0].span["text"] == "£20.00", answer.answer


@pytest.mark.parametrize(
    ("word", "name", "edits"),
    [
        ("Aliev", "Aliyev", 1),
        ("Lukashenka", "Lukashenko", 1),
        ("Azerbajan", "Azerbaijan", 1),
        ("Azerbajan", "Azerbaijani", 2),
        ("Beibniz", "Leibniz", None),  # another first letter: SQuAD 2.0's swapped names
        ("Mark", "Mary", None),  # too short to tell
        ("Aliev", "Alexey", None),
    ],
)
def test_a_name_misspelled(word, name, edits):
    from qa.read.retrieval import misspelling

    assert misspelling(word, name) == edits


def test_a_misspelled_name_is_read_as_the_text_spells_it(qa):
    """With the names as asked, all three were refused: "Aliev" and "Lukashenka" are nowhere in
    the article."""
    assert qa.retriever.respelled("What did Aliev give Lukashenka?") == "What did Aliyev give Lukashenko?"
    assert qa.retriever.respelled("Where is the Trading House of Azerbajan?") == "Where is the Trading House of Azerbaijan?"
    assert qa.retriever.respelled("What did Vladimir Putin say?") == "What did Vladimir Putin say?"
    answer = qa.ask("What did Aliev give Lukashenka?")
    assert answer.question == "What did Aliev give Lukashenka?" and answer.query == "What did Aliyev give Lukashenko?"
    assert answer.answerable and answer.citations[0].span["text"] == "a traditional Azerbaijani carpet"


@pytest.mark.parametrize(
    ("acronym", "text", "spelled"),
    [
        ("UN", "set up by the United Nations Environment Programme", True),
        ("IPCC", "The Intergovernmental Panel on Climate Change", True),  # small words between
        ("NASA", "National Aeronautics and Space Administration", True),
        ("US", "the users said", False),  # capitals only
        ("IPCC", "Intergovernmental Panel", False),
        ("Aliyev", "Azerbaijan Leader", False),  # not an acronym
    ],
)
def test_an_acronym_spelled_out(acronym, text, spelled):
    from qa.read.retrieval import spelled_out

    assert spelled_out(acronym, text) is spelled


def test_an_acronym_the_documents_spell_out_is_asked_so(tmp_path, encoder):
    """"Who is the CEO?" of a text that only writes "Chief Executive Officer": asked as the
    text spells it (the lexical search had nothing to match "CEO" with)."""
    text = (
        "Norvale Instruments reported record orders in the third quarter. \"This was a quarter of strong execution,\" "
        "said Helena Strand, President and Chief Executive Officer. The company employs 4,315 people in Sweden, "
        "Czechia and China.\n\nThe new factory in Brno opened in August and will make wind turbine sensors.\n"
    )
    qa = qa_over(tmp_path, encoder, "results.txt", text)
    assert qa.retriever.respelled("Who is the CEO of Norvale?") == "Who is the Chief Executive Officer of Norvale?"
    assert qa.retriever.respelled("Who is the CFO of Norvale?") == "Who is the CFO of Norvale?"  # not spelled out
    answer = qa.ask("Who is the CEO of Norvale?")
    check_answer(answer, qa)
    assert answer.answerable and answer.citations[0].span["text"] == "Helena Strand", answer.answer


def test_a_full_name_is_asked_as_the_text_goes_on_to_call_its_person(tmp_path, encoder):
    """"What did Maud Pellerin's father do?": the full name, written only where the text
    introduces her, drew the question to that paragraph, and it was answered "a French explorer"."""
    text = (
        "Maud Pellerin\n\nMaud Pellerin (1861-1937) was a French explorer and mapmaker, best known as the first person "
        "to reach the source of the Ombra River.\n\nPellerin was born on 3 March 1861 in Honfleur, the youngest of five "
        "children of a ship's carpenter, Etienne Pellerin. As a girl she spent hours in her father's workshop.\n\n"
        "Her first expedition, in 1888, was an attempt to reach the source of the Ombra. Pellerin and Dufresne set out "
        "from Port Anselm with eleven porters.\n\nIn 1895 Pellerin was awarded the gold medal of the Geographical "
        "Society.\n\nMaud Pellerin died in Lausanne on 9 November 1937.\n"
    )
    from qa.read.retrieval import short_names

    assert short_names(text) == {"Maud Pellerin": "Pellerin"}
    assert short_names("Northern Ireland voted on Friday. Ireland did not, and Ireland stayed out.") == {}  # no "he" or "she": no person
    qa = qa_over(tmp_path, encoder, "pellerin.txt", text)
    assert qa.retriever.known_as("What did Maud Pellerin's father do?") == "What did Pellerin's father do?"
    assert qa.retriever.known_as("what did maud pellerin do?") == "what did pellerin do?"
    assert qa.retriever.known_as("Who was Maud Pellerin?") == "Who was Maud Pellerin?"  # what the passage introducing her says
    assert qa.retriever.known_as("What did Etienne Pellerin make?") == "What did Etienne Pellerin make?"  # not whom "Pellerin" means
    answer = qa.ask("When was Maud Pellerin's first expedition?")
    check_answer(answer, qa)
    assert answer.answerable and answer.citations[0].span["text"] == "1888", answer.answer


def test_odd_questions_are_handled(qa):
    long = "What did the presidents discuss about trade? " * 200  # 9,000 characters: the limit is 10,000
    check_answer(qa.ask(long), qa)
    check_answer(qa.ask("Что подарил Алиев Лукашенко?"), qa)
    check_answer(qa.ask("???"), qa)
    from qa.errors import UsageError

    with pytest.raises(UsageError, match="empty"):
        qa.ask("   ")
    with pytest.raises(UsageError, match="no document named"):
        qa.ask("What?", doc="missing.txt")


def test_top_k_and_doc(qa):
    answer = qa.ask("Where is the Trading House of Azerbaijan?", top_k=5, doc="belarus-azerbaijan-talks.txt")
    assert len(answer.passages) == 5 == len({p.id for p in answer.passages})
    scores = [p.score for p in answer.passages]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)  # listed in the order of the scores they show


def qa_over(tmp_path, encoder, name: str, text: str):
    """A QA over one document ``name`` holding ``text``, indexed with the real model."""
    from qa import QA
    from qa.ingest.documents import read_document
    from qa.store import index as store

    (tmp_path / name).write_text(text, encoding="utf-8")
    store.add(tmp_path / "index", [read_document(tmp_path / name)], encoder)
    return QA(tmp_path / "index")


def test_a_passage_is_found_by_the_heading_of_its_section(tmp_path, encoder):
    # the passage does not name what its heading does: the heading is searched with it
    guide = (
        "# Visitor Guide\n\n"
        "Welcome to the Harlow Institute. This guide answers the questions visitors ask most.\n\n"
        "## Parking\n\n"
        "There are 40 spaces behind the main building. They cost nothing after 6 pm and at weekends.\n\n"
        "## Lunch\n\n"
        "The canteen on the second floor opens at noon and serves hot meals until 2 pm. Sandwiches are sold at the reception desk all day.\n\n"
        "## Wi-Fi\n\n"
        "Connect to the network called Guest. The password is printed on the back of your badge.\n\n"
        "## Accessibility\n\n"
        "Every floor can be reached by lift, and there are ramps at both entrances. Ask at reception for a wheelchair.\n"
    )
    qa = qa_over(tmp_path, encoder, "guide.md", guide)
    # searched without its heading, the passage on lifts and ramps came first
    (first, *_) = qa.search("Where can I park?")
    assert first.text.startswith("There are 40 spaces") and first.section == "Parking"
    # and a citation says where it is: under the heading
    answer = qa.ask("Where is the canteen?")
    assert answer.answerable and answer.passages[0].section == "Lunch"
    shown = [line.plain for line in answer_lines(answer, 100)]
    assert '[1] guide.md, paragraph 3, under "Lunch"' in shown, shown


def test_a_sentence_ending_in_a_colon_brings_what_it_announces(tmp_path, encoder):
    text = (
        "Ferries to the island leave from the old harbour every morning.\n\n"
        "To renew a library card, bring the following documents to the front desk:\n\n"
        "a passport or an identity card, and a utility bill from the last three months.\n\n"
        "The library is closed on public holidays."
    )
    qa = qa_over(tmp_path, encoder, "guide.txt", text)
    answer = qa.ask("What documents do I need to renew my library card?")
    check_answer(answer, qa)
    assert answer.answerable
    assert [c.quote for c in answer.citations] == [
        "To renew a library card, bring the following documents to the front desk:",
        "a passport or an identity card, and a utility bill from the last three months.",
    ]


def test_a_sentence_ending_in_a_colon_over_a_list_brings_all_of_it(tmp_path, encoder):
    text = (
        "## Warranty\n\nThe grinder comes with a two-year warranty from the date of purchase.\n\n"
        "The warranty does not cover:\n\n- burrs, which are wearing parts;\n- commercial use, such as in cafés;\n"
        "- repairs by anyone other than an authorised service centre.\n\nKeep the receipt."
    )
    qa = qa_over(tmp_path, encoder, "manual.md", text)
    answer = qa.ask("What does the warranty not cover?")
    check_answer(answer, qa)
    assert answer.answerable and answer.citations[0].quote.startswith("The warranty does not cover:")
    assert answer.citations[0].quote.endswith("authorised service centre.")  # every item, not the first alone


def test_why_is_answered_with_the_sentence_a_therefore_follows(tmp_path, encoder):
    text = (
        "The old bridge over the river was closed in March.\n\n"
        "Its steel cables had rusted through after forty winters of road salt. "
        "Therefore, the council decided to build a new bridge of concrete. "
        "Work on it began in June.\n\n"
        "The ferry carries cars across the river until then."
    )
    qa = qa_over(tmp_path, encoder, "bridge.txt", text)
    answer = qa.ask("Why did the council decide to build a new bridge?")
    check_answer(answer, qa)
    quoted = answer.citations[0]
    assert quoted.quote.startswith("Its steel cables had rusted") and "Therefore, the council" in quoted.quote
    assert quoted.span["text"] == "Its steel cables had rusted through after forty winters of road salt"
    chat = qa.conversation()
    chat.ask("What did the council decide to build?")
    assert chat.ask("Why?").citations[0].span["text"].startswith("Its steel cables")


def test_a_quote_keeps_its_first_letter_as_written(tmp_path, encoder):
    text = (
        "The shop on the main square opened in 2019.\n\n"
        "iPhone sales there rose to five thousand units in March, the manager said.\n\n"
        "The shop closes at eight in the evening."
    )
    qa = qa_over(tmp_path, encoder, "shop.txt", text)
    answer = qa.ask("How many iPhones did the shop sell in March?")
    check_answer(answer, qa)
    assert answer.answerable and answer.answer.startswith("iPhone sales there rose"), answer.answer


def test_what_someone_said_is_their_speech(qa):
    """The reader alone quoted "…, Belarus President Aleksandr Lukashenko said during the talks
    with Azerbaijan President Ilham Aliyev …": Aliyev named, Lukashenko speaking."""
    chat = qa.conversation()
    said = chat.ask("What did Aliyev say?")
    check_answer(said, qa)
    assert said.answerable and "Lukashenko" not in said.citations[0].quote
    assert chat.ask("Who said that?").citations[0].speaker == "Ilham Aliyev"
    told = qa.ask("What did Lukashenko say about the visit?")  # from what he said, not the words that say he said it
    assert told.answerable and "new step" in told.citations[0].span["text"], told.answer
    assert "said during the talks" not in told.citations[0].span["text"]


def test_straight_quotation_marks_and_a_title_for_a_name(tmp_path, encoder):
    text = (
        "Mayor Anna Berg opened the new library in Dunmore on Friday. About 800 people came.\n\n"
        '"Books belong to everyone, and now they have a home," she said. The building cost 9 million euros.\n\n'
        "The architect, Paul Lind, gave the mayor a silver key. In return, Berg presented Lind with a medal of the town.\n\n"
        "The library opens at nine every morning."
    )
    qa = qa_over(tmp_path, encoder, "library.txt", text)
    said = qa.ask("What did the mayor say?")
    check_answer(said, qa)
    assert said.answerable and said.citations[0].speaker == "Anna Berg", said.answer  # her name, the title aside
    assert said.answer.startswith("Anna Berg said: “Books belong to everyone")
    chat = qa.conversation()
    assert "silver key" in chat.ask("What did Paul Lind give the mayor?").citations[0].span["text"]
    back = chat.ask("And what did she give him in return?")
    assert back.query == "What did the mayor give Paul Lind?"
    assert back.answerable and "medal" in back.citations[0].span["text"], back.answer


def test_a_story_told_by_name_and_pronoun(tmp_path, encoder):
    """One-word names, a "he" and a "she" in one conversation, and a gift back to the one who gave."""
    text = (
        "Mia lived with her grandfather in a small house near the sea.\n\n"
        "A week later, a fisherman named Tom came to the house. He said the kitten belonged to his daughter, Lucy, "
        "who had been crying every night since it ran away. Mia carried the kitten to Tom's house and gave it back to Lucy.\n\n"
        "Lucy was so happy that she hugged Mia. In return, she gave Mia a blue shell she had found on the beach."
    )
    qa = qa_over(tmp_path, encoder, "story.txt", text)
    lucy = qa.ask("Who was Lucy?")  # the sentence that says who she is, not the one before it
    assert lucy.citations[0].span["text"] == "his daughter", lucy.answer
    chat = qa.conversation()
    assert chat.ask("Who did Mia give the kitten to?").citations[0].span["text"] == "Lucy"
    back = chat.ask("What did she get in return?")
    assert back.query == "What did Lucy give Mia?"
    assert "blue shell" in back.citations[0].span["text"], back.answer
    chat = qa.conversation()
    assert chat.ask("Who was Tom?").citations[0].span["text"] == "a fisherman"
    assert chat.ask("What was his daughter's name?").query == "What was Tom's daughter's name?"
    assert chat.ask("What did she give Mia?").query == "What did she give Mia? (What was Tom's daughter's name?)"  # not Tom


def test_a_match_report_quoting_people_by_their_family_names(tmp_path, encoder):
    """A speaker named by one word, a quotation that goes on past its attribution, what someone
    said about someone, and who underwent what (not who did it)."""
    text = (
        "Harbour City Stun Leaders in Late Comeback\n\n"
        "Harbour City came from two goals down to beat Northfield Rovers 3-2 on Saturday.\n\n"
        "Harbour City's manager, Anna Lindqvist, brought on the teenage winger Sami Haddad at the break. "
        "The winner came in stoppage time. Burke won a penalty when he was tripped by Okafor, and Maria Santos scored it.\n\n"
        '"I told them at half-time that nobody remembers the first half," Lindqvist said after the match. '
        '"Sami changed the game. He is only seventeen, but he plays without fear."'
    )
    qa = qa_over(tmp_path, encoder, "match.txt", text)
    said = qa.ask("What did Lindqvist say about Sami?")
    check_answer(said, qa)
    assert said.citations[0].speaker == "Anna Lindqvist", said.answer  # not "City Stun Leaders"
    assert said.answer.startswith("Anna Lindqvist said: “Sami changed the game."), said.answer
    tripped = qa.ask("Who was tripped?")
    assert tripped.citations[0].span["text"] != "Okafor", tripped.answer


def test_who_underwent_something_under_a_heading(tmp_path, encoder):
    """The subject of the passive answers who underwent it, and its "He" is the person the
    paragraph under the heading opens with (a year leading the sentence), not the subject of
    the section before."""
    text = (
        "The Lanterns\n\nThe Lanterns were an English rock band formed in Sheffield in 1971.\n\n"
        "Success\n\nCritics praised Neil's guitar playing.\n\n"
        "Decline and split\n\nIn 1979 Dave Mercer left the band after an argument about money. "
        "He was replaced by the session drummer Rob Tully."
    )
    qa = qa_over(tmp_path, encoder, "band.txt", text)
    replaced = qa.ask("Who was replaced by Rob Tully?")
    check_answer(replaced, qa)
    span = replaced.citations[0].span
    assert (span["text"], span.get("names")) == ("He", "Dave Mercer"), replaced.answer


def test_a_short_answer_ends_on_the_line_it_starts_on(tmp_path, encoder):
    """A list's items are lines: the answer in one item does not run on into the next (the
    reader's span had run from "The default password" to the next step's address)."""
    text = (
        "## Setting up\n\n"
        "1. Connect the yellow WAN port to your modem with the Ethernet cable.\n"
        "2. Join the Wi-Fi network printed on the label under the router. The default password is also on the label.\n"
        "3. Open a browser and go to 192.168.8.1.\n"
    )
    qa = qa_over(tmp_path, encoder, "guide.md", text)
    answer = qa.ask("What is the default password?")
    check_answer(answer, qa)
    assert "\n" not in answer.citations[0].span["text"] and "192.168" not in answer.citations[0].quote, answer.answer


def test_how_to_do_something_is_answered_with_the_steps(tmp_path, encoder):
    """A list of steps under a heading naming the task answers "How do I …?": the reader, scoring
    each step low, had refused it or quoted another section that shares the question's words."""
    from qa.read import steps

    assert steps.asks("How do I make coffee?") == ["make", "coffe"]
    assert steps.asks("how to book an appointment") == ["book", "appoint"]
    assert steps.asks("How do I know when it's ready?") == []  # a question about a step
    assert steps.asks("How many cups does it make?") == []
    manual = (
        "# Brewmaster 300: User Guide\n\n"
        "## Making coffee\n\n"
        "1. Fill the water tank with cold, fresh water.\n"
        "2. Put a paper filter in the basket and add one scoop of ground coffee per cup.\n"
        "3. Close the lid and press the START button.\n\n"
        "The machine keeps the coffee warm for 40 minutes and then switches itself off.\n\n"
        "## Troubleshooting\n\n"
        "If the coffee tastes bitter, use less coffee or a coarser grind.\n\n"
        "## Warranty\n\n"
        "To make a claim, call 0800 555 0199 and have your receipt ready.\n"
    )
    qa = qa_over(tmp_path, encoder, "manual.md", manual)
    answer = qa.ask("How do I make coffee?")
    check_answer(answer, qa)
    (steps_cited,) = answer.citations
    assert answer.answerable and steps_cited.quote.startswith("1. Fill the water tank") and steps_cited.quote.endswith("START button.")
    assert steps_cited.span["text"] == steps_cited.quote and answer.passages[0].section == "Making coffee"
    assert answer.answer.splitlines()[1].startswith("2. Put a paper filter")  # a step a line
    # a question a sentence answers is read as ever; "Making coffee" does not name "make a claim"
    assert "0800 555 0199" in qa.ask("How do I make a claim?").citations[0].quote
    assert "40 minutes" in qa.ask("How long does it keep the coffee warm?").citations[0].quote


def test_a_question_the_text_asks_heads_its_answer_and_is_never_quoted(tmp_path, encoder):
    """An interview's questions head the answers below them (searched with them), and a
    question the text asks is no answer: "Where did the idea … come from?" had quoted "Q: Where
    did the idea … come from?" back."""
    interview = (
        "Interview: the architect behind the new library\n\n"
        "Last month the Kelso Public Library reopened after a three-year rebuild. We spoke to its architect, Nadia Brennan.\n\n"
        "Q: Where did the idea for the glass roof come from?\n\n"
        "Brennan: From the old reading room, actually. It had a skylight that was painted over during the war.\n\n"
        "Q: Was it difficult to keep the old facade?\n\n"
        "Brennan: Very. The stone was crumbling, and we replaced about a fifth of it.\n\n"
        "Q: What's next for you?\n\n"
        "Brennan: A primary school in Dundee. Building starts in the spring.\n"
    )
    qa = qa_over(tmp_path, encoder, "interview.txt", interview)
    (first, *_) = qa.search("Where did the idea for the glass roof come from?")
    assert first.text.startswith("Brennan: From the old reading room") and first.section.startswith("Q: Where did the idea")
    answer = qa.ask("Where did the idea for the glass roof come from?")
    check_answer(answer, qa)
    assert not any(c.quote.endswith("?") for c in answer.citations)
    faq = "Allotments\n\nQ: Can I keep chickens?\nA: Yes, up to six hens on a full plot, but no cockerels.\n"
    (tmp_path / "faq").mkdir()
    answer = qa_over(tmp_path / "faq", encoder, "faq.txt", faq).ask("Can I keep chickens?")
    assert not any(c.quote.startswith("Q:") for c in answer.citations)


def test_a_record_named_by_its_first_line_is_answered_whole(tmp_path, encoder):
    """A manual's troubleshooting writes each problem as a record, lines "Problem: …", "Cause:
    …", "Solution: …": "What does E2 mean?" had quoted the problem's line back ('Problem: The
    display shows "E2".'); a block of specifications, its labels once, is no record."""
    from qa.ingest.text import tokenize
    from qa.read import fields

    def words(question: str) -> set[str]:
        return set(tokenize(question, drop_stop=True))

    record = 'Problem: The display shows "E2".\nCause: Temperature sensor fault.\nSolution: Call the service line.'
    assert fields.record_labels(record) == ("problem", "caus", "solut")
    assert fields.record_key(words("What does E2 on the display mean?"), record) == (0, record.index("\n"))
    assert fields.record_key(words("What should I do about a temperature sensor fault?"), record) is None  # names another line
    assert fields.record_labels("Q: Can I keep chickens?\nA: Yes, up to six hens.") is None  # a FAQ's answer says it all
    assert fields.record_labels("Problem: It is noisy.\nThe floor may be uneven.") is None  # a line without a label
    manual = (
        "# Aerolyn DH-220 dehumidifier\n\n"
        "## Specifications\n\n"
        "Model: DH-220\nExtraction: 20 litres/day\nWater tank capacity: 4.5 litres\nWeight: 13 kg\n\n"
        "## Troubleshooting\n\n"
        'Problem: The display shows "E1".\nCause: Humidity sensor fault.\nSolution: Unplug it for 10 minutes and restart.\n\n'
        'Problem: The display shows "E2".\nCause: Temperature sensor fault.\nSolution: Contact the Aerolyn service line.\n\n'
        "Problem: Water is leaking onto the floor.\nCause: The drain hose is kinked.\nSolution: Straighten the hose so it runs downhill.\n"
    )
    qa = qa_over(tmp_path, encoder, "manual.md", manual)
    answer = qa.ask("What does E2 on the display mean?")
    check_answer(answer, qa)
    (cited,) = answer.citations
    assert cited.quote.startswith('Problem: The display shows "E2".') and cited.quote.endswith("Contact the Aerolyn service line.")
    assert "E2" not in cited.span["text"], answer.answer  # the short answer is in the lines after the problem's
    answer = qa.ask("Water is leaking onto my floor, why would that be?")
    check_answer(answer, qa)
    assert answer.citations[0].span["text"].startswith("The drain hose is kinked"), answer.answer  # no "Cause: "
    answer = qa.ask("How much water does the DH-220 tank hold?")  # a block of specifications: its own line
    check_answer(answer, qa)
    assert answer.citations[0].quote == "Water tank capacity: 4.5 litres", answer.answer


def test_things_asked_for_are_answered_with_the_list_announced(tmp_path, encoder):
    """"Which venues did Priya shortlist?" over "I've shortlisted three venues:" and its items:
    the reader, which answers with one span, had quoted the sentence before the list."""
    from qa.read import lists

    assert lists.asks("Which venues did Priya shortlist for the offsite?") == ["venu", "priya", "shortlist", "offsit"]
    assert lists.asks("What documents do I need to bring?")[0] == "document"
    assert lists.asks("What are the known issues in 3.5.1?") == ["issu", "know", "351"]
    assert lists.asks("What new features came in 3.5.0?")[:2] == ["featur", "new"]
    assert lists.asks("What does the warranty cover?") == [] and lists.asks("Which class is it in?") == []
    assert lists.asks("What happens next?") == [] and lists.asks("What causes the glow?") == []  # verbs, not things
    assert lists.announces(["venu", "priya", "shortlist", "offsit"], "I've shortlisted three venues:") == 2
    assert not lists.announces(["venu", "priya", "shortlist", "offsit"], "Please reply by Friday:")  # names no venues
    mail = (
        "From: Priya Nandakumar <priya@example.com>\nTo: Product Ops <ops@example.com>\nDate: Mon, 2 Sep 2024 09:14:07 +0100\n"
        "Subject: Autumn offsite - venue options\n\n"
        "Hi all,\n\nWe're going ahead with the autumn offsite for the whole product division, which is currently 46 people.\n\n"
        "I've shortlisted three venues:\n\n"
        "1. Hollin Barn Retreat, near Keswick - 52 bedrooms. Nearest station is Penrith.\n"
        "2. Castle Meade Hotel, Ludlow - only 40 bedrooms.\n"
        "3. The Wharf House, Bristol - 60 rooms, but no outdoor space.\n\n"
        "My preference is Hollin Barn. Could everyone reply by Friday 6 September?\n\nThanks,\nPriya\n"
    )
    qa = qa_over(tmp_path, encoder, "offsite.txt", mail)
    answer = qa.ask("Which venues did Priya shortlist for the autumn offsite?")
    check_answer(answer, qa)
    (cited,) = answer.citations
    assert cited.quote.startswith("I've shortlisted three venues:") and cited.quote.endswith("but no outdoor space."), answer.answer
    assert cited.span["text"].startswith("1. Hollin Barn") and "Nearest station is Penrith." in cited.span["text"]  # an item's sentences
    changelog = (
        "# Driftwood Notes - Release Notes\n\n"
        "## Version 3.5.1 - 21 May 2024\n\n### Known issues\n\n"
        "- Transcription fails on memos recorded at 8 kHz.\n- On Linux, the tray icon does not appear under Wayland.\n\n"
        "## Version 3.5.0 - 2 May 2024\n\n### New features\n\n"
        "- Shared notebooks. Invite collaborators to edit a notebook.\n- Focus view. Hides the sidebar.\n\n"
        "### Known issues\n\n- The Export to PDF button is missing on iPad.\n- Reminders fire twice on Windows 11.\n"
    )
    (tmp_path / "changelog").mkdir()
    qa = qa_over(tmp_path / "changelog", encoder, "notes.md", changelog)
    answer = qa.ask("What are the known issues in 3.5.1?")  # a list under a heading that names them
    check_answer(answer, qa)
    assert answer.citations[0].quote.startswith("- Transcription fails") and answer.citations[0].quote.endswith("under Wayland."), answer.answer


def test_a_labelled_value_is_the_answer_to_what_it_is(tmp_path, encoder):
    """"What is the address?" over a line "Address: …": the reader had found the value, doubted
    it, and refused."""
    from qa.read import fields

    assert fields.asks("What is the phone number?") == ["phone", "number"]
    assert fields.asks("What is the date of the review?") == []  # whose date: not a line's to say
    line = "Address: 4 Harbour Street  \nEmail: desk@example.org."
    assert fields.value(["email", "address"], line) == (line.index("desk"), line.index(".org") + 4)  # the stop aside
    assert fields.value(["address"], line) == (9, 9 + len("4 Harbour Street"))
    assert fields.value(["fax"], line) is None
    page = (
        "# Harbour Street Dental Practice\n\n"
        "Welcome to Harbour Street Dental Practice. We have looked after families in Portwell since 1987.\n\n"
        "Address: 4 Harbour Street, Portwell PW2 7DN\nPhone: 01632 960 412\nEmail: reception@harbourdental.example\n\n"
        "## Fees\n\nA check-up costs £28 for adults. Children under 18 are seen free of charge.\n"
    )
    qa = qa_over(tmp_path, encoder, "clinic.md", page)
    for question, value in [
        ("What is the address?", "4 Harbour Street, Portwell PW2 7DN"),
        ("What's the phone number?", "01632 960 412"),
        ("What is the email address?", "reception@harbourdental.example"),
    ]:
        answer = qa.ask(question)
        check_answer(answer, qa)
        assert answer.answerable and answer.citations[0].span["text"] == value, (question, answer.answer)
        assert answer.citations[0].quote.endswith(value)  # its own line, not the block of three


def test_the_line_whose_label_a_question_names_is_read(tmp_path, encoder):
    """"When are you open on Fridays?" over lines of opening hours: the reader, drawn to the
    likeliest-looking hours, had quoted "Monday to Thursday: …"; of a table's rows, the one whose
    first cell the question names."""
    from qa.ingest.text import tokenize
    from qa.read import fields

    def words(question: str) -> set[str]:
        return set(tokenize(question, drop_stop=True))

    hours = "Monday to Thursday: 8.30 am to 6 pm  \nFriday: 8.30 am to 4 pm  \nSunday: closed"
    spans = [(0, 35), (38, 61), (64, 78)]
    assert fields.named(words("When are you open on Fridays?"), hours, spans) == [False, True, False]
    assert fields.named(words("When are you open?"), hours, spans) == [False] * 3  # no label named
    assert fields.named(words("Are you open on Friday or Sunday?"), hours, spans) == [False] * 3  # two named alike
    listed = "Customer services:\n  - Monday to Friday: 8:00 am to 8:00 pm\n  - Saturday: 9:00 am to 5:00 pm"  # items of a list, indented
    items = [(21, 59), (62, len(listed))]
    assert fields.named(words("What time does customer services open on Saturdays?"), listed, items) == [False, True]
    table = "  1801    1,240\n  1851    4,870\n  1901    7,315"  # a table set out with spaces: its first column names the row
    assert fields.named(words("What was the population in 1851?"), table, [(2, 15), (18, 31), (34, 47)]) == [False, True, False]
    rows = '| Problem: Display shows "E1" | Cause: Motor too hot |\n| Problem: Display shows "E2" | Cause: Dial between settings |'
    assert fields.named(words("What does E2 on the display mean?"), rows, [(0, 54), (55, len(rows))]) == [False, True]
    page = (
        "# Harbour Dental Practice\n\nA family dentist in the centre of Portwell since 1998.\n\n"
        "## Opening hours\n\nMonday to Thursday: 8.30 am to 6 pm\nFriday: 8.30 am to 4 pm\n"
        "Saturday: 9 am to 12 noon (emergencies only)\nSunday: closed\n"
    )
    qa = qa_over(tmp_path, encoder, "clinic.md", page)
    for question, line in [
        ("What time do you close on Friday?", "Friday: 8.30 am to 4 pm"),
        ("Are you open on Sundays?", "Sunday: closed"),
        ("When can I come on a Saturday?", "Saturday: 9 am to 12 noon (emergencies only)"),
    ]:
        answer = qa.ask(question)
        check_answer(answer, qa)
        assert answer.answerable and answer.citations[0].quote == line, (question, answer.answer)


def test_the_cell_a_question_names_by_row_and_column_answers(tmp_path, encoder):
    """"What happens on Monday evening?" of a timetable whose rows are times of day and whose
    columns days: the Monday cell of the Evening row (the reader had quoted the Afternoon row);
    a figure of a results table by its segment and its column."""
    from qa.ingest.text import tokenize
    from qa.read import fields

    def cell(question: str, text: str) -> str | None:
        found = fields.cell(set(tokenize(question, drop_stop=True)), text)
        return text[slice(*found)] if found else None

    timetable = (
        "| Time: Afternoon | Monday 12 May: Low ropes course | Tuesday 13 May: Coasteering at Lilstock |\n"
        "| Time: Evening | Monday 12 May: Campfire and songs | Tuesday 13 May: Night walk in the Quantock Hills |"
    )
    assert cell("What happens on Monday evening?", timetable) == "Campfire and songs"
    assert cell("What activity is on Tuesday afternoon?", timetable) == "Coasteering at Lilstock"
    assert cell("What happens in the evening?", timetable) is None  # no column named
    assert cell("What happens on Monday?", timetable) is None  # no row named
    unnamed = "| Afternoon | Monday: Low ropes course | Tuesday: Coasteering |\n| Evening | Monday: Campfire | Tuesday: Night walk |"
    assert cell("What is on Tuesday evening?", unnamed) == "Night walk"  # the rows' own column has no label
    results = (
        "| Segment: Industrial Sensing | Net sales Q3 2024 (SEK m): 1,142 | Net sales Q3 2023 (SEK m): 946 | EBIT margin Q3 2024: 17.2% |\n"
        "| Segment: Medical Devices | Net sales Q3 2024 (SEK m): 618 | Net sales Q3 2023 (SEK m): 559 | EBIT margin Q3 2024: 14.9% |"
    )
    assert cell("What was the EBIT margin of the Medical Devices segment?", results) == "14.9%"
    assert cell("What were the net sales of Medical Devices?", results) is None  # two columns alike
    letter = (
        "# Residential trip to Kilve Court\n\n## Daily timetable\n\n| Time | Monday 12 May | Tuesday 13 May |\n| --- | --- | --- |\n"
        "| Morning | Coach to Kilve Court | Rock climbing and archery |\n| Afternoon | Low ropes course | Coasteering at Lilstock |\n"
        "| Evening | Campfire and songs | Night walk in the Quantock Hills |\n"
    )
    qa = qa_over(tmp_path, encoder, "letter.md", letter)
    for question, short in [("What happens on Monday evening?", "Campfire and songs"), ("What is on Tuesday afternoon?", "Coasteering at Lilstock")]:
        answer = qa.ask(question)
        check_answer(answer, qa)
        assert answer.answerable and answer.citations[0].span["text"] == short, (question, answer.answer)
        assert answer.answer.startswith("Time: ")  # the row as its cells, without the table's bars
    assert fields.rows_read("| a | b: 2 |\nnot a row |") == "a; b: 2\nnot a row |"


def test_a_quotation_that_runs_on_past_the_sentence_quoted_is_shown_so():
    """'said: “Every year … taller.' had been shown with its quotation mark never closed."""
    from qa.read.answering import Citation, shown

    quote = "Mrs Patel, who has led the trip for five years, said: “Every year a child comes back standing a little taller."
    assert shown(Citation(1, "p4", "letter.docx", 0, len(quote), quote)) == quote + " …” [1]"
    whole = "She said: “It was worth it.”"
    assert shown(Citation(1, "p4", "letter.docx", 0, len(whole), whole)) == whole + " [1]"



def test_an_e_mail_thread_is_read_by_its_headers_and_writers(tmp_path, encoder):
    """A thread saved as text: "On what date …?" had quoted a header's "Date:" line, and "Who
    suggested Miriam Achebe?" the "Reading Agency" of "I'd suggest Miriam Achebe from the Reading
    Agency"; the header now heads its e-mail, and the "I" who suggests is its sender."""
    text = (
        "From: Helen Okafor <helen@example.org>\nTo: Rosa Lindqvist <rosa@example.org>\nDate: Mon, 3 March 2025 09:14\n"
        "Subject: Volunteer training day\n\nHi all,\n\nThe trustees have approved a training day for our volunteers this spring. "
        "They gave us up to £1,800 in total.\n\nBest wishes,\nHelen\n\n\n"
        "From: Rosa Lindqvist <rosa@example.org>\nDate: Tue, 4 March 2025 16:40\nSubject: Re: Volunteer training day\n\n"
        "> They gave us up to £1,800 in total.\n\nThat sounds good. For the trainer I'd suggest Miriam Achebe from the Reading "
        "Agency; she ran the storytime session in Oldham last year.\n\nRosa\n"
    )
    qa = qa_over(tmp_path, encoder, "thread.txt", text)
    assert [p.section for p in qa.search("training day budget", top_k=3)] == [
        "Helen Okafor (Mon, 3 March 2025 09:14): Volunteer training day",
        "Rosa Lindqvist (Tue, 4 March 2025 16:40): Re: Volunteer training day",
    ]
    answer = qa.ask("Who suggested Miriam Achebe as the trainer?")
    check_answer(answer, qa)
    assert answer.citations[0].span["names"] == "Rosa Lindqvist" and "I'd [Rosa Lindqvist] suggest" in answer.answer, answer.answer
    address = qa.ask("What is Miriam Achebe's email address?")  # the thread never gives it
    assert not address.answerable and address.passages, address.answer


def test_an_e_mail_is_read_with_its_writer_for_the_i_who_writes_it(tmp_path, encoder):
    """"What is Benedikt bringing?" had been refused: the reader cannot tell that the "I" of "I
    can bring a rounders set" is Benedikt; asked about its writer, or asked who did something, an
    e-mail is read with the writer's name in the place of "I" (``pronouns.written``)."""
    text = (
        "From: Priya Castellane <priya@example.org>\nTo: Benedikt Strand <ben@example.org>\nDate: Mon, 3 June 2024 09:14\n"
        "Subject: Reunion picnic\n\nHi all,\n\nIt's ten years since we graduated, so I'd like to organise a reunion picnic. "
        "My suggestion is Saturday 13 July at Lindell Park.\n\nPriya\n\n\n"
        "From: Benedikt Strand <ben@example.org>\nDate: Tue, 4 June 2024 19:02\nSubject: RE: Reunion picnic\n\n"
        "20 July works for me. I can bring a rounders set, a frisbee and my portable speaker. I'll also make a playlist.\n\nBen\n"
    )
    qa = qa_over(tmp_path, encoder, "thread.txt", text)
    answer = qa.ask("What is Benedikt bringing?")
    check_answer(answer, qa)
    assert answer.answerable and answer.citations[0].quote.startswith("I can bring a rounders set"), answer.answer
    answer = qa.ask("Who came up with the idea of the reunion picnic?")
    check_answer(answer, qa)
    assert answer.citations[0].span["names"] == "Priya Castellane" and "I'd [Priya Castellane] like" in answer.answer, answer.answer
    assert not qa.ask("What is Jonah bringing?").answerable  # he writes nothing


def test_a_document_the_question_names_lifts_its_passages(tmp_path, encoder, monkeypatch):
    """"Who is the main character in the children's story?" had been answered from a biography's
    "the third of four children of a ferry mechanic": a document whose file name or title the
    question names, all of it, gets ``DOCUMENT_WEIGHT`` more; a file added from a folder is
    named by its file name alone."""
    from qa import QA
    from qa.ingest.documents import read_document
    from qa.read import retrieval
    from qa.store import index as store

    texts = {
        "childrens_story.txt": "Lily and the Silver Whistle\n\nLily was seven years old. She lived in a yellow house at the end of Willow Lane.\n\n"
        "One morning her silver whistle was gone. She looked for it in the sandpit.\n",
        "biography.txt": "Irena Solvik\n\nIrena Solvik was born in Brannholm, the third of four children of a ferry mechanic.\n\n"
        "She designed the Lindau Strait Bridge, which opened in 1949.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    names = {"childrens_story.txt": "home/childrens_story.txt", "biography.txt": "biography.txt"}  # as a folder adds them
    store.add(tmp_path / "index", [read_document(tmp_path / name, names[name]) for name in texts], encoder)
    qa = QA(tmp_path / "index")
    question = "Who is the main character in the children's story?"
    assert qa.search(question, 1)[0].doc == "home/childrens_story.txt"
    assert qa.retriever._named_documents(["lili", "silver", "whistl", "bridg"]).tolist() == [1.0, 0.0]  # its title, all of it
    assert qa.retriever._named_documents(["stori", "bridg"]).tolist() == [0.0, 0.0]  # part of a name names none
    monkeypatch.setattr(retrieval, "DOCUMENT_WEIGHT", 0.0)
    assert qa.search(question, 1)[0].doc == "biography.txt"


def test_who_was_someone_of_a_list_of_people_is_their_item(tmp_path, encoder):
    """"Who was Margaret Ollerton?" had been answered "Josiah Pendleford", the list's first person:
    the sentence that says what the text calls the person asked about is the answer, wherever the
    reader starts in the passage."""
    text = (
        "Hollinsford\n\nHollinsford is a market town on the River Tarne.\n\nNOTABLE PEOPLE\n\n"
        "- Josiah Pendleford (1752–1819), mill owner and builder of Tarne Mill.\n"
        "- Margaret Ollerton (1824–1897), who started work at Tarne Mill aged eight and later became a campaigner for factory reform.\n"
        "- Walter Ibbotson (1831–1902), civil engineer, designer of the Tarne Viaduct.\n"
    )
    answer = qa_over(tmp_path, encoder, "town.txt", text).ask("Who was Margaret Ollerton?")
    assert answer.citations[0].quote.startswith("- Margaret Ollerton"), answer.answer
    assert answer.citations[0].span["text"].startswith("who started work"), answer.citations[0].span


def test_a_follow_up_asking_when_takes_the_time_another_passage_gives(tmp_path, encoder):
    """"when was she born" after "Who was Irena Solvik?" had been refused: read as "when was
    Irena Solvik born?" with the sentences after the last quote preferred, "Solvik was born in
    Brannholm", the sentence after the lead quoted, matched best and says no time; a follow-up's
    answer of the wrong kind gives way to another passage read that has one, as a standalone
    question's does, judged by its reading alone."""
    text = (
        "Irena Solvik\n\nIrena Maria Solvik (3 May 1902 - 14 November 1979) was a Westmarran civil engineer and inventor, "
        "best known for designing the Lindau Strait Bridge.\n\n"
        "Solvik was born in Brannholm, a fishing town on the northern coast of Westmarra, the third of four children of "
        "Anton Solvik, a ferry mechanic, and Klara Solvik, a schoolteacher. As a child she spent much of her time in her "
        "father's workshop at the harbour.\n\n"
        "In 1931 Solvik married Matthias Brenner, a doctor. They had two children.\n"
    )
    qa = qa_over(tmp_path, encoder, "biography.txt", text)
    chat = qa.conversation()
    chat.ask("Who was Irena Solvik?")
    answer = chat.ask("when was she born")
    check_answer(answer, qa)
    assert answer.query == "when was Irena Solvik born?" and answer.answerable, answer.answer
    assert answer.citations[0].span["text"].startswith("3 May 1902"), answer.citations[0].span
    assert "Brannholm" in chat.ask("Where?").answer


def test_a_figure_the_question_names_lifts_the_passages_that_hold_it(tmp_path, encoder, monkeypatch):
    """By words and meaning the 1989 and 2019 counts rank above the paragraph that gives 2004's
    ("workforce", not "people worked"); a figure named once in the text adds ``FIGURE_WEIGHT``
    to its passage, one in a name ("Harlow 2") nothing."""
    from qa.read import retrieval

    text = (
        "Harlow Instruments was founded in 1958 by Agnes Harlow in a rented garage.\n\n"
        "By 1989 Harlow employed 410 people.\n\n"
        "The early 2000s were difficult: after two rounds of redundancies the workforce stood at 260 in 2004.\n\n"
        "In 2019 Harlow employed 515 people across its three sites. Its best seller was the Harlow 2 barometer.\n"
    )
    qa = qa_over(tmp_path, encoder, "history.txt", text)
    question = "How many people worked at Harlow in 2004?"
    lifted = {hit.text: hit.score for hit in qa.search(question, 4)}
    monkeypatch.setattr(retrieval, "FIGURE_WEIGHT", 0.0)
    before = {hit.text: hit.score for hit in qa.search(question, 4)}
    assert {passage[:8]: round(lifted[passage] - before[passage], 3) for passage in before} == {
        "Harlow I": 0.0, "By 1989 ": 0.0, "The earl": 0.1, "In 2019 ": 0.0
    }
    assert retrieval._figures("What did the Harlow 2 cost in July 1969?") == ["1969"]
