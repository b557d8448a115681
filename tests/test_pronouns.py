"""A passage read with the people its sentences' opening pronouns stand for (qa/read/pronouns.py)."""

from __future__ import annotations

from qa.ingest import chunking
from qa.read import pronouns

TEXT = (
    "Ana Ruiz opened the bridge on Monday. She thanked the engineers. "
    "“It is a proud day,” she said. In her speech, she praised the workers. "
    "The bridge is 300 metres long."
)


def substituted(text: str = TEXT) -> pronouns.Substituted:
    spans = [(s.start, s.end) for s in chunking.sentences(text)]
    return pronouns.substituted(text, 0, text, spans)


def test_a_sentence_opening_with_a_pronoun_reads_the_person():
    read = substituted()
    assert "Ana Ruiz thanked the engineers." in read.text
    assert "In her speech, Ana Ruiz praised the workers." in read.text  # after a short lead
    assert read.text.startswith("Ana Ruiz opened the bridge")  # a name stays
    assert "“It is a proud day,” she said." in read.text  # a pronoun inside the sentence: left as it is
    assert substituted("He said nothing. The bridge is long.").changes == ()  # nobody named before it


def test_offsets_map_both_ways():
    read = substituted()
    thanked = TEXT.index("thanked")
    assert read.text[read.to_read(thanked) :].startswith("thanked the engineers")
    name = read.text.index("Ana Ruiz thanked")
    # a span in the person's name is the pronoun it replaced; one after it, the same words
    assert read.to_passage(name, name + len("Ana Ruiz")) == (TEXT.index("She thanked"), TEXT.index("She thanked") + 3)
    start, end = read.to_passage(read.text.index("the workers"), read.text.index("the workers") + len("the workers"))
    assert TEXT[start:end] == "the workers"
    assert read.spans_read([(0, len(TEXT))]) == [(0, len(read.text))]


def test_a_passage_without_such_pronouns_is_read_as_it_is():
    text = "The bridge is 300 metres long. It opened on Monday."
    read = substituted(text)
    assert read.text == text and read.changes == ()
    assert read.to_passage(4, 10) == (4, 10)


def test_a_question_asking_who():
    assert pronouns.asks_who("Who thanked the engineers?") and pronouns.asks_who("And who said so?")
    assert not pronouns.asks_who("Whose bridge is it?") and not pronouns.asks_who("What did Ruiz praise?")


def test_a_question_asking_who_did_it():
    assert pronouns.asks_who_did("Who welcomed Ilham Aliyev?") and pronouns.asks_who_did("Who will visit Minsk?")
    assert pronouns.asks_who_did("Who is convinced that the visit matters?")
    assert not pronouns.asks_who_did("Who did he meet?") and not pronouns.asks_who_did("Who will Belarus train?")
    assert not pronouns.asks_who_did("Who is Ilham Aliyev?")  # who the person named is


def test_the_pronoun_that_says_who_speaks_reads_the_speaker():
    passage = '"Books belong to everyone," she said. She smiled.'
    sentences = [(0, 37), (38, len(passage))]
    said = [(1, 26), None]  # the first sentence is her speech, the second is not
    seen = pronouns.speaker_named(pronouns.Substituted(passage), sentences, said, "the mayor")  # as the question names her
    assert seen.text == '"Books belong to everyone," the mayor said. She smiled.'
    assert seen.to_passage(*seen.spans_read([(1, 26)])[0]) == (1, 26)  # what she said, where it stands


THREAD = (
    "From: Priya Castellane <priya@example.org>\nTo: Benedikt Strand <ben@example.org>\nDate: Mon, 3 June 2024 09:14\n\n"
    "My suggestion is Saturday 13 July.\n\nPriya\n\n\n"
    "From: Benedikt Strand <ben@example.org>\nDate: Tue, 4 June 2024 19:02\n\n"
    "> My suggestion is Saturday 13 July.\n\n"
    'I can bring a frisbee and my speaker. I\'ll make a playlist. Jonah said: "I can take it home."\n'
)


def test_an_e_mail_reads_its_writer_where_they_write_i():
    """"What is Benedikt bringing?" of "I can bring a frisbee": the reader cannot tell who "I" is."""
    start = THREAD.index("I can bring")
    passage = THREAD[start:]
    read = pronouns.Substituted(passage, pronouns.written(THREAD, start, passage))
    assert read.text.startswith("Benedikt Strand can bring a frisbee and Benedikt Strand's speaker. Benedikt Strand will make")
    assert read.text.endswith('"I can take it home."\n')  # within quotation marks: Jonah's "I"
    subjects = pronouns.Substituted(passage, pronouns.written(THREAD, start, passage, subjects=True))
    assert "Benedikt Strand can bring a frisbee and my speaker." in subjects.text  # the doer only
    name = read.text.index("Benedikt Strand will")
    assert read.to_passage(name, name + len("Benedikt Strand")) == (passage.index("I'll"), passage.index("I'll") + 4)
    quoted = THREAD.index("> My")  # a line it quotes: Priya's words
    assert pronouns.written(THREAD, quoted, THREAD[quoted : quoted + 20]) == ()
    assert pronouns.written("I can bring a frisbee.", 0, "I can bring a frisbee.") == ()  # no e-mail
