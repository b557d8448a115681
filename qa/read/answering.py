"""From ranked passages to an answer: the sentence that answers, quoted, with citations.

Retrieval proposes the best passages; the reader (``qa/read/reader.py``) reads each of them against
the question (and, for a follow-up, the previous turn), re-ranks them, chooses the sentence that
answers and points at the short answer inside it. That sentence is quoted verbatim, with its document and character
span (``document_text[start:end] == quote``) and the short answer's span inside it. When the
reader finds no passage likely enough to answer, the answer says the text does not say, and the
nearest passages are still returned.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise

import numpy as np

from ..ingest import chunking, formats
from ..ingest.text import tokenize
from ..store.contents import Passage
from ..store.index import Index
from . import answer_kind, attribution, definition, exchange, fields, lists, naming, overview, pronouns, steps
from .abstention import SIGNALS, Abstention
from .reader import Reader, Reading
from .retrieval import Ranking, Retriever

READ_PASSAGES = 5  # the retrieved passages the reader reads
# Passages are ranked by the reader's score plus this much of their retrieval score (which also
# carries a conversation's preference for passages near the last answer): chosen on held-out
# data by training/calibrate_reader.py, which also sets the reader's calibration and threshold.
RETRIEVAL_WEIGHT = 4.0
NOT_IN_TEXT = "The text does not say."
# A follow-up is most often answered by the sentence the last answer quoted or one just after it
# (a conversation moves forward through its text): bonuses by distance in sentences from the last
# answer's quote, added to the reader's scores for choosing a sentence (or a span's start) inside
# a passage; chosen on held-out conversations by training/fit_sentence_near.py.
SENTENCE_NEAR = {-1: 0.0, 0: 1.0, 1: 2.0, 2: 2.0}
# A follow-up says little by itself ("Which is?", "Why that name?"), so the reader's own choice of
# sentence is weak: each sentence also gets this much of its match with the resolved query (its
# cosine plus its share of the query's words, ``Retriever.sentence_evidence``); chosen with
# SENTENCE_NEAR by training/fit_sentence_near.py.
SENTENCE_EVIDENCE = 3.0
# A standalone question's reader is drawn to the sentences that hold its words in its own order
# (who gave what to whom: ``Retriever.sentence_order``), by this much of that share, inside each
# passage (the passages' ranking is left as it is). Chosen on the validation sets, every question
# answered: weight 0, 1, 2, 3 gave SelQA's reworded questions' first sentence 0.788, 0.793,
# 0.798, 0.801 and QED's quote holding the answer 0.801, 0.800, 0.795, 0.792: most hits in all at 1.
SENTENCE_ORDER = 1.0
# A question about an exchange ("What did Aliyev receive?") names who gives or receives
# (``qa/read/exchange.py``): a sentence that tells an exchange with those names on the sides
# asked gets EXCHANGE times the share of the named sides it names alike in the choice inside its
# passage, and EXCHANGE_IN_RANKING times it among the bonuses the passages' ranking counts (times
# SENTENCE_IN_RANKING); the answer is taken neither from a sentence that tells it the other way
# nor, for "Who received …?", from the other side's words. Chosen on made-up exchanges
# (``bench.validation --only roles``): short answers right 0.596 with the reader alone, 0.872,
# 0.878, 0.888, 0.894 at 2, 3, 5, 8; 5, as their texts are worded the way the rules read.
EXCHANGE = 5.0
EXCHANGE_IN_RANKING = 1.0
# Two more shapes of question are answered so, by a sentence that gets EXCHANGE in the choice
# inside its passage and EXCHANGE_IN_RANKING among the ranking's bonuses (set as for exchanges,
# checked on the validation sets and the user's trials): one asking what someone said ("What
# did Aliyev say about the talks?") by what the text gives as that person's speech
# (``attribution.source``), its short answer what they said, not the words that say who said
# it; one asking who holds a title ("Who is the President of Azerbaijan?") by a sentence that
# names the person the text names with it (``naming.holder``: "Azerbaijan President Ilham
# Aliyev"), its short answer the name.
# A follow-up's passages are then ranked with this much of the bonus of the sentence the reader
# chose in each: the passage whose answer is near the last quote and matches the query (chosen
# after the two above, by the same script).
SENTENCE_IN_RANKING = 4.0
# The confidence kept for an answer that holds nothing of the kind its question asks for
# (``answer_kind``), below the threshold: refused. A follow-up's quotes are checked for a time
# ("When?") or a number ("How many?"); a standalone question's short answer for a number alone
# ("What is the population of Belarus?" is not answered "brotherly nation", whose sentence says
# "one of the closest partners"). A standalone "when" often asks in what case ("When are two
# events independent?"), answered without a time word: checked on every validation question,
# it refused 12 answerable SQuAD and QED questions (8 of them answered right) for 8 that the
# text does not answer. The number check on standalone short answers refused 2 more of the
# halves' (0.456 -> 0.459) and nothing else of the validation sets (a list counts: "How many
# things were in it?" - "a watering pot, a shovel, a rake and seeds").
KIND_PENALTY = 0.2
# A standalone question asking how many or how much whose best answer is no figure of that kind
# is answered from another passage read of the same document whose short answer is one, where the
# reader finds that passage at least this share as likely to answer as the best: "£38,500" from
# the motion (0.18 of the best) for a skate park's cost; at any share, two more of the validation
# halves' unanswerable questions were answered from passages read at 0.01 and 0.10.
ALTERNATIVE_SHARE = 0.15
_WHY = re.compile(r"(?:(?:and|but|so)\s+)?(?:why\b|how come\b|for what reason\b)", re.IGNORECASE)
# the words that open a sentence telling the consequence of the one before it
_CONSEQUENCE = re.compile(
    r"[\"“‘'«(\s]*(?:therefore|thus|hence|consequently|accordingly|as a result|for (?:this|that) reason|(?:that|this)(?: is|['’]s) why)\b",
    re.IGNORECASE,
)


@dataclass
class Citation:
    n: int
    passage: str
    doc: str
    start: int
    end: int
    quote: str
    speaker: str | None = None
    page: int | None = None  # the page the quote starts on, for documents with pages (PDF)
    span: dict | None = None  # the short answer inside the quote: {"start", "end", "text"}


@dataclass
class PassageHit:
    id: str
    doc: str
    paragraph: int
    start: int
    end: int
    score: float
    text: str
    page: int | None = None  # the page the passage starts on, for documents with pages (PDF)
    section: str | None = None  # the heading of the section it is in (``chunking.headings``), if any


@dataclass
class Evidence:
    """What the reader made of the passages it read, best first."""

    rows: list[int]  # passage rows
    readings: list[Reading]
    scores: np.ndarray  # the reader's score plus RETRIEVAL_WEIGHT times retrieval's: the order
    signals: np.ndarray  # of the best passage, for the abstention decision (abstention.SIGNALS)
    # the best passage's sentence is what the person asked about says, and the question asks no
    # more than what they said ("What did the mayor say?"): answered, however unsure the reader is
    spoken: bool = False


@dataclass
class Answer:
    """An answer in the shape of docs/answer-json.md."""

    question: str
    query: str
    answerable: bool
    answer: str
    confidence: float
    citations: list[Citation] = field(default_factory=list)
    passages: list[PassageHit] = field(default_factory=list)
    note: str | None = None  # e.g. that the question does not look like English (qa/read/language.py)
    unsure: bool = False  # answered, but with a confidence below the sure threshold (qa/read/abstention.py)

    def to_dict(self) -> dict:
        return asdict(self)


def named_after(span: dict | None) -> str:
    """What an answer shows after a short answer that stands for a person, "He": the person
    (the span's ``names``) in brackets, " [Aleksandr Lukashenko]"; "" for any other."""
    return f" [{span['names']}]" if span and span.get("names") else ""


def shown(citation: Citation) -> str:
    """A citation as an answer shows it: its quote as it reads, without the source's line wraps,
    and its marker; a quoted speaker named ("X said: “…” [1]"), and the person a short answer
    "he" or "the President" stands for after it ("He [Aleksandr Lukashenko] also thanked …").
    Verbatim: a sentence that starts in lower case ("iPhone…", "qa ask…", a code line) stays so;
    a quotation that runs on past the sentence quoted, where no speaker is named, is closed with
    an ellipsis ("… taller. …”"). A table row reads as its cells ("Option: max_parallel; Default: 4")."""
    quote = chunking.flowed(citation.quote)
    if named := named_after(citation.span):
        cut = citation.span["end"] - citation.start
        quote = chunking.flowed(citation.quote[:cut]) + named + chunking.flowed(citation.quote[cut:])
    if citation.speaker:
        words = quote.strip("“”\"«» ")
        return f"{citation.speaker} said: “{words}” [{citation.n}]"
    if quote.count("“") > quote.count("”"):  # a quotation that runs on past the sentence quoted: 'said: “Every year … taller. …”'
        quote += " …”"
    return f"{fields.rows_read(quote)} [{citation.n}]"


class Answerer:
    """Reads the best passages of a ranking and quotes the sentence that answers, if any."""

    def __init__(self, index: Index, retriever: Retriever, reader: Reader) -> None:
        self.index = index
        self.retriever = retriever
        self.reader = reader
        self.abstention = Abstention(reader.config)
        self.descriptions: dict[str, exchange.Known] = {}  # by document, as read (``people_described``)
        self.resolved: dict[int, pronouns.Substituted] = {}  # by passage row, as read (``substituted``)
        self.writers: dict[tuple[int, bool], tuple[tuple[int, int, str], ...]] = {}  # by passage row, its e-mail's writer named (``written``)
        self.records: dict[str, set[int]] = {}  # by document, the rows of its passages that are records (``_is_record``)
        self.sections: dict[str, dict[int, str | None]] = {}  # by document, each passage's heading by its start (``section``)
        # the whole paragraph of each passage (a long paragraph spans several passages)
        self.paragraph_spans: dict[tuple[str, int | None, int], chunking.Span] = {}
        for p in index.passages:
            known = self.paragraph_spans.get((p.doc, p.page, p.paragraph))
            self.paragraph_spans[(p.doc, p.page, p.paragraph)] = chunking.Span(known.start if known else p.start, p.end)

    def read(
        self,
        question: str,
        ranking: Ranking,
        count: int,
        context: str | None = None,
        anchors: Sequence[tuple[str, int]] = (),
        given: Sequence[tuple[str, int, int]] = (),
        focus: str | None = None,
        first: int | None = None,
    ) -> Evidence | None:
        """The reader's view of the ``count`` best passages of ``ranking`` (None when there are none):
        ``context`` is, for a follow-up, what the reader reads of the turn it continues (``""``:
        nothing, the question names what it asks; None for a standalone question), ``anchors``
        (document, character offset) where its answer was quoted, ``given`` (document, start,
        end) the answers already given, which the answer is not to repeat (nor a sentence they
        mostly cover: a quote given whole), and ``focus``
        what it is to speak of (an ellipsis's new thing: "pharmaceutics" of "What about
        pharmaceutics?"), whose words the sentences that hold them are preferred for; passage ``first``,
        if read, is put first whatever its score (the line giving the value a question asks for,
        or the list of the steps it asks for)."""
        candidates = ranking.top(count)
        # a passage whose every sentence was given has nothing else to give ("What else did he say?")
        candidates = [row for row in candidates if not self._all_given(row, given)] or candidates
        if not candidates:
            return None
        read = [self.index.passages[row] for row in candidates]
        numbers = [self.retriever.sentences_of([row]) for row in candidates]
        sentences = [
            [(start - p.start, end - p.start) for _, start, end in self.index.sentences[n].tolist()]
            for n, p in zip(numbers, read)
        ]
        near = self.near_sentences(anchors)
        bonuses = [np.array([SENTENCE_NEAR.get(int(k) - near[p.doc], 0.0) if p.doc in near else 0.0 for k in n]) for n, p in zip(numbers, read)]
        if context is not None and SENTENCE_EVIDENCE:
            bonuses = [b + SENTENCE_EVIDENCE * self.retriever.sentence_evidence(ranking, n) for b, n in zip(bonuses, numbers)]
        # what the reader's choice inside a passage adds, beside the bonuses also counted in the ranking
        inside = bonuses
        if focus:  # the sentences that speak of it, as those of a question of a known shape
            inside, bonuses = _speaking_of([self.retriever.sentence_share(tokenize(focus, drop_stop=True), n) for n in numbers], inside, bonuses)
        asked = set(tokenize(question, drop_stop=True))
        # the answers given, and the sentences they mostly cover ("What else did he say?"), unless they cover all
        taken = [_with_sentences([(s - p.start, e - p.start) for doc, s, e in given if doc == p.doc and s < p.end and p.start < e], spans) for p, spans in zip(read, sentences)]
        for ruled_out, p, spans in zip(taken, read, sentences):  # "Who did Ilham Aliyev meet?" is not answered "Ilham Aliyev", "Who was tripped?" not "Okafor"
            ruled_out += naming.named_again(question, p.text) + naming.agents(question, p.text)
            # nor is any question with a question the text asks ("Q: Can I keep chickens?"), where it says more
            asking = [(start, end) for start, end in spans if chunking.asks(p.text[start:end])]
            ruled_out += asking if len(asking) < len(spans) else []
        for ruled_out, row, p in zip(taken, candidates, read):  # nor with the line a record is named by ("What does E2 mean?")
            ruled_out += [key] if (key := fields.record_key(asked, p.text)) and self._is_record(row) else []
        sides: dict[str, exchange.Sides] = {}  # for a question about an exchange, its sides as each document reads them
        if exchange.asked(question) is not None:  # who gives and who receives: the sentences that tell it so, and not the other way
            # each document's descriptions of people read as the people ("the Belarusian counterpart")
            known = {p.doc: self.people_described(p.doc) for p in read}
            sides = {doc: exchange.asked(question, described) for doc, described in known.items()}
            told = [[self.retriever.sentence_text(int(k)) for k in n] for n in numbers]
            # each sentence as it reads with the people its opening pronouns stand for ("She gave …": "Mia gave …")
            as_read = [[s.text[a:b] for a, b in s.spans_read(spans)] for s, spans in zip(map(self.substituted, candidates, sentences), sentences)]
            agreed = [np.array([exchange.agreement(sides[p.doc], sentence, known[p.doc]) for sentence in passage]) for passage, p in zip(as_read, read)]
            inside = [b + EXCHANGE * np.maximum(a, 0.0) for b, a in zip(bonuses, agreed)]
            bonuses = [b + EXCHANGE_IN_RANKING * np.maximum(a, 0.0) for b, a in zip(bonuses, agreed)]
            for ruled_out, spans, verdicts, passage, p in zip(taken, sentences, agreed, told, read):
                # what was given both ways is told by a sentence that gives, where the passage has one (not "… exchanged gifts.")
                left = 0.0 if sides[p.doc].mutual and verdicts.max(initial=0.0) > 0 else -1.0
                ruled_out += [span for span, verdict in zip(spans, verdicts) if verdict <= left]
                ruled_out += [(start + s, start + e) for (start, _), sentence in zip(spans, passage) for s, e in exchange.other_side(sides[p.doc], sentence)]
        heard = self._heard(question, read, numbers)  # for each sentence, what the person a question asks about says in it
        only_speech = bool(heard) and attribution.asks_only_speech(question)  # "What did Aliyev say?"
        for ruled_out, spans, h in zip(taken, sentences, heard):  # not "…, Aliyev said during the talks"
            for (start, end), said in zip(spans, h):
                if said is not None:
                    ruled_out += [(a, b) for a, b in ((start, said[0]), (said[1], end)) if a < b]
        # for each sentence, the short answer a question of a known shape takes from it, if any: all
        # that the person asked about says there, the name of the person who holds a title, what
        # the text calls the person asked about, who it tells underwent what was asked, or what it
        # says the thing asked about is
        shaped = heard if only_speech else (
            self._holders(question, read, sentences) or _described(question, read, sentences) or _undergone(question, read, sentences) or _defined(question, read, sentences)
        )
        # the sentences preferred inside their passages; only a shaped answer ranks the passages too
        # ("What did Aliyev say about the talks?": his sentence in a passage, the passages ranked as they were)
        if preferred := shaped or heard:
            marked = [np.array([answer is not None for answer in s], dtype=float) for s in preferred]
            inside = [b + EXCHANGE * m for b, m in zip(inside, marked)]
            if shaped:
                bonuses = [b + EXCHANGE_IN_RANKING * m for b, m in zip(bonuses, marked)]
        if heard and not only_speech:  # "What did Lindqvist say about Haddad?": what she says of him ("Sami …"), in the ranking too
            inside, bonuses = _speaking_of(self._said_about(question, read, numbers, heard), inside, bonuses)
        # "When are you open on Fridays?": of a passage's "label: value" lines, the one whose label the question names
        inside = [b + EXCHANGE * np.array(fields.named(asked, p.text, spans), dtype=float) for b, p, spans in zip(inside, read, sentences)]
        if context is None and SENTENCE_ORDER:
            inside = [b + SENTENCE_ORDER * self.retriever.sentence_order(ranking, n) for b, n in zip(inside, numbers)]
        # asked who, "He welcomed Ilham Aliyev in Belarus." is read as "Aleksandr Lukashenko welcomed …" (``qa/read/pronouns.py``);
        # asked who or about its writer, an e-mail's "I can bring a frisbee" as "Benedikt Strand can bring a frisbee"
        who = pronouns.asks_who_did(question)
        seen = [
            pronouns.with_changes(
                self.substituted(row, spans) if who else pronouns.Substituted(p.text),
                written if (written := self.written(row, who)) and (who or _names_writer(question, written)) else (),
            )
            for row, spans, p in zip(candidates, sentences, read)
        ]
        if heard:  # '"…," she said.' read as the question names her: '"…," the mayor said.'
            named = attribution.speech_asked(question) or ""
            seen = [pronouns.speaker_named(s, spans, h, named) for s, spans, h in zip(seen, sentences, heard)]
        for ruled_out, read_as in zip(taken, seen):  # "Who welcomed Ilham Aliyev?" is not answered with a "he" read as him
            ruled_out += [(start, end) for start, end, name in read_as.changes if naming.named_again(question, name)]
        readings = self.reader.read(
            question, [s.text for s in seen], context, [s.spans_read(spans) for s, spans in zip(seen, sentences)],
            [b.tolist() for b in inside], [s.spans_read(spans) for s, spans in zip(seen, taken)],
        )
        readings = [_in_passage(r, s) for r, s in zip(readings, seen)]
        if sides:  # "Who received the carpet?": the whole phrase of the side asked for
            readings = [self._whole_side(sides[p.doc], p, r, spans) for r, p, spans in zip(readings, read, sentences)]
        if shaped:  # "What did Aliyev say?": all that he says there; "Who is the President of Azerbaijan?": his name
            # "Who was Margaret Ollerton?": what the text calls her, not the name of the list's first person
            identity = naming.asked_about(question) is not None
            readings = [_shaped(r, s, p, identity) for r, s, p in zip(readings, shaped, read)]
        scores = np.array(
            [
                r.logit + RETRIEVAL_WEIGHT * float(ranking.scores[row]) + (SENTENCE_IN_RANKING * b[r.sentence] if r.sentence is not None else 0.0)
                for r, row, b in zip(readings, candidates, bonuses)
            ]
        )
        order = np.argsort(-scores, kind="stable")
        if first in candidates:  # ranked first: scored as the best
            k = candidates.index(first)
            scores[k] = scores.max()
            order = np.array([k, *(i for i in order if i != k)])
        best, row = int(order[0]), candidates[int(order[0])]
        signals = np.array(
            [
                readings[best].logit,
                readings[best].sentence_score,
                float(ranking.coverage[row]),
                float(ranking.dense[row]),
                self.retriever.unknown_names(question, [p.text for p in read]),
            ]
        )
        spoken = only_speech and readings[best].sentence is not None and heard[best][readings[best].sentence] is not None
        return Evidence([candidates[i] for i in order], [readings[i] for i in order], scores[order], signals, spoken)

    def answer(
        self,
        question: str,
        ranking: Ranking,
        top_k: int = 3,
        context: str | None = None,
        anchors: Sequence[tuple[str, int]] = (),
        given: Sequence[tuple[str, int, int]] = (),
        focus: str | None = None,
    ) -> Answer:
        """Answer ``question`` from ``ranking``; ``context`` is, for a follow-up, what the reader
        reads of the turn it continues (None for a standalone question), ``anchors`` where its
        answer was quoted, ``given`` the short answers not to repeat and ``focus`` what it is to
        speak of (``read``)."""
        # "What is the address?": the value of a line "Address: …"; "Which venues did she shortlist?":
        # the list a sentence announces; "How do I make coffee?": a list of steps under a heading
        # that names the task; each read first, however unsure the reader is
        labelled = self._field_of(fields.asks(question), ranking)
        enumerated = None if labelled else self._list_of(lists.asks(question), ranking)
        listed = None if labelled or enumerated else self._steps_of(steps.asks(question), ranking)
        first = labelled[0] if labelled else enumerated[0] if enumerated else listed
        evidence = self.read(question, ranking, max(top_k, READ_PASSAGES), context, anchors, given, focus, first)
        if evidence is None:
            return Answer(question, ranking.query, False, NOT_IN_TEXT, 0.0)
        # the best passage's calibrated reader score, the others' lowered by how far below it they rank
        lift = evidence.readings[0].logit - float(evidence.scores[0])
        passages = [self.hit(row, self.reader.probability(score + lift)) for row, score in zip(evidence.rows[:top_k], evidence.scores)]
        decision = self.abstention.decide(evidence.signals, followup=context is not None)
        if labelled and evidence.rows[0] == labelled[0]:
            citations = self._cite(labelled[0], replace(evidence.readings[0], start=labelled[1], end=labelled[2]))
            return Answer(question, ranking.query, True, " ".join(map(shown, citations)), decision.confidence, citations, passages, unsure=not decision.sure)
        if enumerated and evidence.rows[0] == enumerated[0]:  # the announcing sentence and the list, the list the short answer
            row, start, end = enumerated
            announced = start > 0  # a sentence announces it; else its heading
            citations = self._cite(row, replace(evidence.readings[0], start=start, end=end), whole_list=announced, whole=not announced)
            return Answer(question, ranking.query, True, " ".join(map(shown, citations)), decision.confidence, citations, passages, unsure=not decision.sure)
        if listed is not None and evidence.rows[0] == listed:
            p = self.index.passages[listed]
            span = {"start": p.start, "end": p.end, "text": p.text}
            citation = Citation(1, p.id, p.doc, p.start, p.end, p.text, page=self.index.page_at(p.doc, p.start), span=span)
            return Answer(question, ranking.query, True, shown(citation), decision.confidence, [citation], passages, unsure=not decision.sure)
        mutual = exchange.mutual(question)
        # "What did they exchange?": the words of no sentence, so the reader scores a passage that
        # tells it low; one that tells someone giving both ways, of no one the text lacks, answers
        unknown = evidence.signals[SIGNALS.index("unknown_names")]
        both_ways = mutual and not unknown and self._told_both_ways(evidence.rows[0], evidence.readings[0])
        if not (decision.answer or evidence.spoken or both_ways):
            return Answer(question, ranking.query, False, NOT_IN_TEXT, decision.confidence, [], passages)
        reading, words, text = evidence.readings[0], set(tokenize(question, drop_stop=True)), self.index.passages[evidence.rows[0]].text
        if (value := fields.cell(words, text)) is not None:
            reading = replace(reading, start=value[0], end=value[1])  # "What is on Monday evening?": the cell of that row and column
        whole_list = self._list_asked(evidence.rows[0], reading, question)
        # "What does E2 mean?": the problem, its cause and its solution
        record = fields.record_key(words, text) is not None and self._is_record(evidence.rows[0])
        citations = self._cite(evidence.rows[0], reading, _WHY.match(question.strip()) is not None, mutual, whole_list, record)
        kind, unsure = answer_kind.asked(question), not decision.sure
        if not self._of_kind(question, kind, citations, context):
            citations = self._figure_elsewhere(question, kind, evidence, lift, followup=context is not None)
            if not citations:
                return Answer(question, ranking.query, False, NOT_IN_TEXT, round(decision.confidence * KIND_PENALTY, 3), [], passages)
            unsure = True
        span = citations[0].span if citations and citations[0].span else None
        quoted = citations[0] if citations else None
        # "What time did it start?": "7:00 pm" of the line, not its date; "How many can a Free user add?": the Free users' figure
        if span is not None and quoted is not None and (
            exactly := answer_kind.exact(question, span["text"], quoted.quote)
            or answer_kind.in_clause(question, span["start"] - quoted.start, span["end"] - quoted.start, quoted.quote)
        ):
            citations[0] = replace(quoted, span={"start": quoted.start + exactly[0], "end": quoted.start + exactly[1], "text": quoted.quote[slice(*exactly)]})
        if pronouns.asks_who_did(question):  # "He [Aleksandr Lukashenko] welcomed …", "I'd [Rosa Lindqvist] suggest …"
            citations = self._named(self._written_by(question, citations))
        return Answer(question, ranking.query, True, " ".join(map(shown, citations)), decision.confidence, citations, passages, unsure=unsure)

    def _figure_elsewhere(self, question: str, kind: str | None, evidence: Evidence, lift: float, followup: bool) -> list[Citation]:
        """For a question asking when, how many or how much whose best answer is no figure of
        that ``kind``: the citations of another passage read, of the same document, whose short
        answer is one ("attendance 11,482"), where the reader finds it at least
        ``ALTERNATIVE_SHARE`` as likely to answer as the best; for a follow-up, by its reading
        alone, where the conversation is (which ranked the best first) set aside: "3 May 1902" of
        a biography's lead for "when was she born" after "Who was Irena Solvik?", where "Solvik was
        born in Brannholm", the sentence after the lead quoted, had been preferred. [] for none."""

        def likely(score: float, reading: Reading) -> float:
            return self.reader.probability(reading.logit if followup else score + lift)

        doc, best = self.index.passages[evidence.rows[0]].doc, likely(float(evidence.scores[0]), evidence.readings[0])
        for row, reading, score in zip(evidence.rows[1:], evidence.readings[1:], evidence.scores[1:]):
            if self.index.passages[row].doc != doc or likely(float(score), reading) < ALTERNATIVE_SHARE * best:
                continue
            citations = self._cite(row, reading)
            if citations[0].span and answer_kind.figure(kind, citations[0].span["text"]) and self._of_kind(question, kind, citations, None):
                return citations
        return []

    def _of_kind(self, question: str, kind: str | None, citations: list[Citation], context: str | None) -> bool:
        """Whether ``citations`` answer with the kind of thing ``question`` asks for (``kind``,
        ``answer_kind.asked``): a standalone question's number in the short answer, its money,
        measure, e-mail address, phone number or web address in the sentence quoted, a
        follow-up's in any quote; and a count not with a measure the question does not name ("5"
        of "5 cm" for "How many people …?")."""
        if context is not None:
            said = [c.quote for c in citations] if kind is not None else []
        elif kind == answer_kind.NUMBER:
            said = [(c.span or {}).get("text") or c.quote for c in citations[:1]]
        else:
            said = [c.quote for c in citations[:1]] if kind in answer_kind.QUOTED else []
        span = citations[0].span if citations and citations[0].span else None
        measured = span is not None and answer_kind.measures_else(question, span["text"], self.index.text(citations[0].doc)[span["end"] : span["end"] + 40])
        return not (said and not any(answer_kind.holds(kind, text) for text in said) or measured)

    def overview(self, question: str, who: bool, doc: str) -> Answer:
        """The answer to a question about the whole of document ``doc`` ("What is this article
        about?", ``overview.asks``): the first sentence of its first passage, where a text says
        what it is about, whatever the reader would score it; for ``who`` ("Who is the story
        about?"), its short answer the first person that sentence names."""
        row = int(np.flatnonzero(self.retriever.mask(doc))[0])
        _, start, end = (int(x) for x in self.index.sentences[int(self.retriever.sentences_of([row])[0])])
        offset, text = self.index.passages[row].start, self.index.text(doc)
        person = overview.person_in(text[start:end], text) if who else None
        if person is not None:
            start, end = start + person[0], start + person[1]
        citations = self._cite(row, Reading(0.0, start - offset, end - offset))
        return Answer(question, question, True, " ".join(map(shown, citations)), 1.0, citations, [self.hit(row, 1.0)])

    def who_said(self, question: str, query: str, last: Answer) -> Answer | None:
        """The answer to "Who said that?" about the ``last`` answer's quote (its first citation):
        the speaker, quoted or reported ("In his words, ...", "Ilham Aliyev noted that ..."), with
        what they said, as sure as that answer was; None when the text does not say who said it
        (or the quote is no longer in the index)."""
        if not last.answerable or not last.citations:
            return None
        quote = last.citations[0]
        found = self._said(quote)
        if found is None:
            return None
        citation, row = self._speech(quote, found), found[3][0]
        return Answer(question, query, True, shown(citation), last.confidence, [citation], [self.hit(row, last.confidence)], unsure=last.unsure)

    def said_by(self, answer: Answer, ranking: Ranking) -> Answer:
        """``answer`` to a question that states what was said ("Who said that the visit is a new
        step?"), quoting the sentence of its passage that matches the question best (the reader
        is drawn to the sentence that names someone: "“…,” concluded Aleksandr Lukashenko."
        after the words asked about), its short answer the speaker, where the text says who says
        it (``attribution.source``): the name in that sentence ("…, Belarus President Aleksandr
        Lukashenko said during the talks"), the whole sentence quoted; or, named before it ("he
        stressed", a quotation's closing words), the speaker named as ``who_said`` names them."""
        quote = answer.citations[0] if answer.answerable and answer.citations else None
        if quote is None or quote.doc not in self.retriever.doc_numbers:
            return answer
        row = self.retriever.passage_at(quote.doc, quote.start)
        numbers = self.retriever.sentences_of([row])
        best = int(numbers[int(np.argmax(self.retriever.sentence_evidence(ranking, numbers)))])
        if best != self.retriever.sentence_at(quote.doc, quote.start):
            passage, (_, start, end) = self.index.passages[row], self.index.sentences[best].tolist()
            quote = self._cite(row, Reading(0.0, start - passage.start, end - passage.start))[0]
        found = self._said(quote)
        if found is None:
            return answer
        who, said_start, said_end, (_, start, end) = found
        text = self.index.text(quote.doc)
        named = [m.start() for m in re.finditer(re.escape(who), text[start:end], re.IGNORECASE)]
        named = [start + at for at in named if not said_start <= start + at < said_end] or [start + at for at in named]
        if named and quote.speaker is None:  # the sentence names the speaker: the short answer
            span = {"start": named[0], "end": named[0] + len(who), "text": text[named[0] : named[0] + len(who)]}
            citation = replace(quote, start=start, end=end, quote=text[start:end], span=span)
        else:
            citation = self._speech(quote, found)
        return replace(answer, answer=shown(citation), citations=[citation])

    def _said(self, quote: Citation) -> tuple[str, int, int, tuple[int, int, int]] | None:
        """Who says the sentence that citation ``quote`` opens in (``attribution.source``): the
        speaker, where what they said starts and ends, and the sentence (passage row, start,
        end); None when nobody does, or the quote is no longer in the index."""
        if quote.doc not in self.retriever.doc_numbers:
            return None
        text = self.index.text(quote.doc)
        number = self.retriever.sentence_at(quote.doc, quote.start)
        if text[quote.start : quote.end] != quote.quote or number is None:
            return None
        row, start, end = (int(x) for x in self.index.sentences[number])
        passage = self.index.passages[row]
        found = attribution.source(text, start, end, self.paragraph_spans[(passage.doc, passage.page, passage.paragraph)])
        return None if found is None else (*found, (row, start, end))

    def _heard(self, question: str, read: list[Passage], numbers: list[np.ndarray]) -> list[list[tuple[int, int] | None]]:
        """For a question asking what someone said ("What did Aliyev say?"), for each sentence
        (``numbers``) of each passage of ``read``, the span in the passage of what that person
        says in it, if anything (``_speech_of``); [] for any other question, or a person no
        document names."""
        speakers = {p.doc: attribution.speaker_asked(question, self.index.text(p.doc)) for p in read}
        if not any(speakers.values()):
            return []
        return [[self._speech_of(int(k), speakers[p.doc], p.start) for k in n] for n, p in zip(numbers, read)]

    def _said_about(self, question: str, read: list[Passage], numbers: list[np.ndarray], heard: list[list[tuple[int, int] | None]]) -> list[np.ndarray]:
        """For a question asking what someone said about something, for each sentence
        (``numbers``) of each passage of ``read``, the share of what it asks about (its people
        by their full names in the document, ``attribution.speech_about``) that the sentence
        holds where it is that person's speech (``heard``); zeros for any other question."""
        about = {p.doc: attribution.speech_about(question, self.index.text(p.doc)) or "" for p in read}  # once a document
        return [self.retriever.sentence_share(tokenize(about[p.doc], drop_stop=True), n) * [x is not None for x in h] for p, n, h in zip(read, numbers, heard)]

    def _holders(self, question: str, read: list[Passage], sentences: list[list[tuple[int, int]]]) -> list[list[tuple[int, int] | None]]:
        """For a question asking who holds a title ("Who is the President of Azerbaijan?"), for
        each sentence of each passage of ``read``, the span of the name of the person the text
        names with that title, where the sentence names them with it (``naming.holder``); [] for
        any other question."""
        titled = naming.title_asked(question)
        if titled is None:
            return []
        holders = {p.doc: attribution.who_is(self.index.text(p.doc), len(self.index.text(p.doc)), titled) for p in read}
        return [[self._holder_in(holders[p.doc], titled, start, end, p.text) for start, end in spans] for spans, p in zip(sentences, read)]

    def _speech_of(self, sentence: int, speaker: str | None, offset: int) -> tuple[int, int] | None:
        """Where what ``speaker`` says in ``sentence`` (a number of ``index.sentences``) starts
        and ends, less ``offset`` (its passage's start), if the text gives the sentence as their
        speech (``attribution.source``); None otherwise."""
        row, start, end = (int(x) for x in self.index.sentences[sentence])
        passage = self.index.passages[row]
        paragraph = self.paragraph_spans[(passage.doc, passage.page, passage.paragraph)]
        found = attribution.source(self.index.text(passage.doc), start, end, paragraph) if speaker else None
        if found is None or not attribution.same_person(found[0].split(), speaker.split()):
            return None
        return found[1] - offset, found[2] - offset

    @staticmethod
    def _holder_in(person: str | None, title: str, start: int, end: int, text: str) -> tuple[int, int] | None:
        """The span in ``text`` of ``person``'s name, where sentence ``text[start:end]`` names them
        with a word of ``title`` (``naming.holder``); None otherwise, or for no person."""
        found = naming.holder(person, title, text[start:end]) if person else None
        return (start + found[0], start + found[1]) if found else None

    def _speech(self, quote: Citation, found: tuple[str, int, int, tuple[int, int, int]]) -> Citation:
        """The citation naming the speaker ``found`` (``_said``) of the sentence ``quote`` opens
        in, quoting what they said of it (no reporting lead, no closing attribution)."""
        who, said_start, said_end, (row, _, end) = found
        start, end = max(quote.start, said_start), quote.end if said_end >= end else min(quote.end, said_end)
        return Citation(1, self.index.passages[row].id, quote.doc, start, end, self.index.text(quote.doc)[start:end], who, self.index.page_at(quote.doc, start))

    @staticmethod
    def _whole_side(sides: exchange.Sides, passage: Passage, reading: Reading, spans: list[tuple[int, int]]) -> Reading:
        """``reading`` with its short answer widened to the whole phrase of the side of an
        exchange that ``sides`` asks for, when it lies inside one (``exchange.whole_side``) in
        the sentence that holds it (``reading.sentence``)."""
        if reading.sentence is None:
            return reading
        start, end = spans[reading.sentence]
        widened = exchange.whole_side(sides, passage.text[start:end], reading.start - start, reading.end - start)
        return reading if widened is None else replace(reading, start=start + widened[0], end=start + widened[1])

    def people_described(self, doc: str) -> exchange.Known:
        """The people document ``doc`` introduces with a description (``exchange.described``)."""
        if doc not in self.descriptions:
            self.descriptions[doc] = exchange.described(self.index.text(doc))
        return self.descriptions[doc]

    def substituted(self, row: int, sentences: list[tuple[int, int]]) -> pronouns.Substituted:
        """Passage ``row`` (its ``sentences``) as the reader reads it, with the people its
        sentences' opening pronouns stand for (``pronouns.substituted``), found once."""
        if row not in self.resolved:
            p = self.index.passages[row]
            self.resolved[row] = pronouns.substituted(self.index.text(p.doc), p.start, p.text, sentences)
        return self.resolved[row]

    def near_sentences(self, anchors: Sequence[tuple[str, int]]) -> dict[str, int]:
        """For each document an anchor names, the number of the sentence (``index.sentences``)
        that holds the first of its anchors."""
        near: dict[str, int] = {}
        for doc, offset in anchors:
            if doc not in near and doc in self.retriever.doc_numbers:  # a cited document may have been removed since
                number = self.retriever.sentence_at(doc, offset)
                if number is not None:
                    near[doc] = number
        return near

    def _cite(
        self, row: int, reading: Reading, why: bool = False, both_ways: bool = False, whole_list: bool = False, whole: bool = False
    ) -> list[Citation]:
        """The sentence(s) of passage ``row`` holding the reader's answer, as citations. For a
        ``why`` question, a sentence that opens with "Therefore" (or the like) is quoted with the
        sentence before it, the reason, which is the short answer. For a question asking what
        was given ``both_ways`` ("What gifts were exchanged?"), a sentence next to the answer's
        in the passage that tells an exchange too is quoted with it ("For his part, Ilham Aliyev
        gave …"). For a question that a list answers (``whole_list``, ``_list_asked``), the sentence
        that announces it and the whole list. For a record named by its first line
        (``fields.record_key``) or a list under a heading that names what was asked for
        (``_list_of``), the whole passage (``whole``)."""
        passage = self.index.passages[row]
        text = self.index.text(passage.doc)
        a_start, a_end = passage.start + reading.start, passage.start + reading.end
        first, last = self._holding(row, reading)
        reason = self._reason_before(first) if why else None
        if reason is not None:
            first, (a_start, a_end) = reason, _words_of(text, *(int(x) for x in self.index.sentences[reason][1:]))
        if both_ways:
            first, last = self._other_way(row, first, last)
        if whole_list:
            first = last = first - 1
        if whole:
            numbers = self.retriever.sentences_of([row])
            first, last = int(numbers[0]), int(numbers[-1])
        start, end = int(self.index.sentences[first][1]), int(self.index.sentences[last][2])
        quotes = [(row, start, end)]
        following = self._announced(last)
        if following is not None:  # a sentence that ends in a colon announces what follows
            quotes = [(row, start, following[2])] if following[0] == row else [*quotes, following]
        citations = []
        for n, (r, start, end) in enumerate(quotes, 1):
            p = self.index.passages[r]
            paragraph = self.paragraph_spans[(p.doc, p.page, p.paragraph)]
            q_start, q_end, quoted = attribution.quote_part(text, start, end, paragraph.start)
            if n == 1 and not (q_start <= a_start and a_end <= q_end):  # the answer is the attribution
                q_start, q_end, quoted = start, end, False
            who = attribution.speaker(text, start, end, paragraph) if quoted else None
            span = {"start": a_start, "end": a_end, "text": text[a_start:a_end]} if n == 1 else None
            page = self.index.page_at(p.doc, q_start)
            citations.append(Citation(n, p.id, p.doc, q_start, q_end, text[q_start:q_end], who, page, span))
        return citations

    def _field_of(self, label: list[str], ranking: Ranking) -> tuple[int, int, int] | None:
        """The first of the passages ``ranking`` ranks best (``fields.PASSAGES``) with a line
        "label: value" whose label is ``label`` (``fields.value``): its row and the value's span
        in it; None for none."""
        for row in ranking.top(fields.PASSAGES) if label else ():
            if (found := fields.value(label, self.index.passages[row].text)) is not None:
                return row, *found
        return None

    def _list_of(self, asked: list[str], ranking: Ranking) -> tuple[int, int, int] | None:
        """Of the passages ``ranking`` ranks best (``lists.PASSAGES``), the list that announces
        the things ``asked`` for best (``lists.announces``): a sentence's, its items after it in
        the passage, or a list's whole passage under its heading; its row and the items' span in
        it (the first best, by rank); None for none."""
        best, found = 0, None
        for row in ranking.top(lists.PASSAGES) if asked else ():
            passage = self.index.passages[row]
            if steps.is_item_list(passage.text) and (held := lists.announces(asked, self.section(passage))) > best:
                best, found = held, (row, 0, len(passage.text))
            numbers = self.retriever.sentences_of([row]).tolist()
            for number, following in pairwise(numbers):
                held = lists.announces(asked, self.retriever.sentence_text(number))
                if held > best and chunking.is_item(self.retriever.sentence_text(following)) and (items := self._announced(number)) is not None:
                    best, found = held, (row, items[1] - passage.start, items[2] - passage.start)
        return found

    def _steps_of(self, task: list[str], ranking: Ranking) -> int | None:
        """The first of the passages ``ranking`` ranks best (``steps.PASSAGES``) that is a list of
        steps under a heading that names ``task`` (``steps``); None for none."""
        for row in ranking.top(steps.PASSAGES) if task else ():
            passage = self.index.passages[row]
            if steps.is_item_list(passage.text) and steps.names_task(task, self.section(passage)):
                return row
        return None

    def written(self, row: int, subjects: bool) -> tuple[tuple[int, int, str], ...]:
        """Passage ``row``'s first-person words (with ``subjects``, those that are subjects) with
        its e-mail's writer in their place (``pronouns.written``), found once."""
        if (row, subjects) not in self.writers:
            p = self.index.passages[row]
            self.writers[row, subjects] = pronouns.written(self.index.text(p.doc), p.start, p.text, subjects)
        return self.writers[row, subjects]

    def _written_by(self, question: str, citations: list[Citation]) -> list[Citation]:
        """``citations`` with the writer of an e-mail as the short answer of a question asking who
        did what its first citation says "I" do ("Who suggested Miriam Achebe?" of "For the trainer
        I'd suggest Miriam Achebe": "I'd", naming the sender, ``attribution.writer``)."""
        first = citations[0]
        text = self.index.text(first.doc)
        doer = attribution.first_person_doer(question, text, first.start, first.end)
        if first.speaker is not None or doer is None or (who := attribution.writer(text, doer[0])) is None:
            return citations
        return [replace(first, span={"start": doer[0], "end": doer[1], "text": text[slice(*doer)], "names": who}), *citations[1:]]

    def _named(self, citations: list[Citation]) -> list[Citation]:
        """``citations`` with the person their short answer stands for, when it is a pronoun or a
        title ("He also thanked Azerbaijan …" answers "Who thanked Azerbaijan?"): the span's
        ``names`` (``attribution.who_is``)."""
        first = citations[0]
        if first.span is None or first.speaker is not None:
            return citations
        who = attribution.who_is(self.index.text(first.doc), first.span["start"], first.span["text"])
        return citations if who is None else [replace(first, span={**first.span, "names": who}), *citations[1:]]

    def _all_given(self, row: int, given: Sequence[tuple[str, int, int]]) -> bool:
        """True when the ``given`` spans (document, start, end) mostly cover every sentence of
        passage ``row`` (``covered``)."""
        doc = self.index.passages[row].doc
        spans = [(start, end) for d, start, end in given if d == doc]
        sentences = [(start, end) for _, start, end in self.index.sentences[self.retriever.sentences_of([row])].tolist()]
        return bool(spans) and len(_mostly_given(spans, sentences)) == len(sentences)

    def _holding(self, row: int, reading: Reading) -> tuple[int, int]:
        """The first and last sentence of passage ``row`` that hold the reader's answer."""
        start, end = self.index.passages[row].start + reading.start, self.index.passages[row].start + reading.end
        numbers = self.retriever.sentences_of([row])
        holding = [int(n) for n, (_, s, e) in zip(numbers, self.index.sentences[numbers].tolist()) if s < end and start < e]
        return (holding[0], holding[-1]) if holding else (int(numbers[0]), int(numbers[0]))

    def _list_asked(self, row: int, reading: Reading, question: str) -> bool:
        """Whether the reader's answer is an item of a list that the sentence before it in
        passage ``row`` announces ("The warranty does not cover:"), where that sentence holds
        more of the question's words than the item: "What does the warranty not cover?" is
        answered by the list, not by its first item; "Is commercial use covered?" by its item."""
        first, _ = self._holding(row, reading)
        if first == 0 or int(self.index.sentences[first - 1][0]) != row:
            return False
        lead, item = self.retriever.sentence_text(first - 1), self.retriever.sentence_text(first)
        if not (lead.rstrip().endswith(":") and chunking.is_item(item)):
            return False
        asked = set(tokenize(question, drop_stop=True))
        return len(asked.intersection(tokenize(lead, drop_stop=True))) > len(asked.intersection(tokenize(item, drop_stop=True)))

    def _told_both_ways(self, row: int, reading: Reading) -> bool:
        """Do the sentences holding the reader's answer in passage ``row`` and one next to them
        each tell someone giving something ("Lily baked her a lemon cake. Mrs. Okoye gave Lily
        a small bell …")?"""
        first, last = self._holding(row, reading)
        told = [n for n in range(first, last + 1) if exchange.gives(self.retriever.sentence_text(n))]
        return bool(told) and (len(told) > 1 or self._other_way(row, first, last) != (first, last))

    def _other_way(self, row: int, first: int, last: int) -> tuple[int, int]:
        """Sentences ``first`` to ``last`` of passage ``row`` with the one after them, or else
        the one before them, in the passage, if it tells someone giving something (``exchange.gives``)."""
        for number in (last + 1, first - 1):
            in_passage = 0 <= number < len(self.index.sentences) and int(self.index.sentences[number][0]) == row
            if in_passage and exchange.gives(self.retriever.sentence_text(number)):
                return min(first, number), max(last, number)
        return first, last

    def _reason_before(self, sentence: int) -> int | None:
        """The sentence before ``sentence`` in its paragraph, when ``sentence`` opens with a
        word that makes it the consequence of that one ("Therefore, …", "As a result, …")."""
        if sentence == 0 or not _CONSEQUENCE.match(self.retriever.sentence_text(sentence)):
            return None
        here, before = (self.index.passages[int(self.index.sentences[n][0])] for n in (sentence, sentence - 1))
        return sentence - 1 if (here.doc, here.page, here.paragraph) == (before.doc, before.page, before.paragraph) else None

    def _announced(self, sentence: int) -> tuple[int, int, int] | None:
        """The sentence after ``sentence`` (same document) when ``sentence`` ends with a colon;
        when that is a list's item, to the list's last item that its passage holds ("The
        warranty does not cover:" and every exclusion)."""
        sentences = self.index.sentences
        following = sentence + 1
        if not self.retriever.sentence_text(sentence).rstrip().endswith(":") or following >= len(sentences):
            return None
        row, start, _ = (int(x) for x in sentences[following])
        if self.index.passages[row].doc != self.index.passages[int(sentences[sentence][0])].doc:
            return None
        item = chunking.is_item(self.retriever.sentence_text(following))
        while item and following + 1 < len(sentences) and int(sentences[following + 1][0]) == row and self._in_list(following + 1):
            following += 1
        return row, start, int(sentences[following][2])

    def _in_list(self, sentence: int) -> bool:
        """Whether ``sentence`` is a list's item, or goes on the item its line opens ("1. Hollin
        Barn Retreat, … two meeting rooms. Nearest station is Penrith …")."""
        row, start, _ = (int(x) for x in self.index.sentences[sentence])
        text = self.index.text(self.index.passages[row].doc)
        line = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        return chunking.is_item(self.retriever.sentence_text(sentence)) or bool(text[line:start].strip())

    def _is_record(self, row: int) -> bool:
        """Whether passage ``row`` is a record whose labels another passage of its document has
        too (``fields.record_labels``: "Problem", "Cause", "Solution" a problem; a block of
        specifications, its labels once, is no record), the document's records read once."""
        doc = self.index.passages[row].doc
        if doc not in self.records:
            rows, _ = self.retriever.rows(doc)
            labels = {r: found for r in rows if (found := fields.record_labels(self.index.passages[r].text))}
            counts = Counter(labels.values())
            self.records[doc] = {r for r, found in labels.items() if counts[found] > 1}
        return row in self.records[doc]

    def hit(self, row: int, score: float) -> PassageHit:
        """Passage ``row`` as a hit scored ``score`` (rounded to 4 places)."""
        p = self.index.passages[row]
        return PassageHit(p.id, p.doc, p.paragraph, p.start, p.end, round(score, 4), p.text, p.page, self.section(p))

    def section(self, passage: Passage) -> str | None:
        """The heading of the section ``passage`` is in, as it was searched with it (found once a document)."""
        if passage.doc not in self.sections:
            entry = self.index.document(passage.doc)
            starts = [p.start for p in self.index.passages if p.doc == passage.doc]
            marked = entry is not None and entry.format in formats.MARKED_HEADINGS
            self.sections[passage.doc] = dict(zip(starts, chunking.headings(self.index.text(passage.doc), starts, marked)))
        return self.sections[passage.doc].get(passage.start)


def _words_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of sentence ``text[start:end]`` without the quotation marks and the stop around it."""
    sentence = text[start:end]
    lead = len(sentence) - len(sentence.lstrip("\"“‘'«( "))
    return start + lead, start + len(sentence.rstrip("\"”’'»)!?.; "))


def covered(start: int, end: int, given: Sequence[tuple[int, int]]) -> bool:
    """True when the ``given`` spans cover more than half of the characters from ``start`` to
    ``end``: an answer already given, and quoted whole (a quote of speech leaves out the words
    that say who said it)."""
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in given)
    return 2 * inside > end - start


def _mostly_given(given: Sequence[tuple[int, int]], sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ``sentences`` that the ``given`` spans mostly cover (``covered``)."""
    return [span for span in sentences if covered(*span, given)]


def _with_sentences(given: list[tuple[int, int]], sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``given`` and the ``sentences`` that it mostly covers, unless it covers all."""
    quoted = _mostly_given(given, sentences)
    return given + quoted if len(quoted) < len(sentences) else given


def _names_writer(question: str, written: tuple[tuple[int, int, str], ...]) -> bool:
    """Whether ``question`` names a writer of ``written`` ("What is Benedikt bringing?" of
    Benedikt Strand's e-mail) by a word of their name."""
    named = {word.removesuffix("'s") for word in re.findall(r"[A-Z][\w'’-]+", question.replace("’", "'"))}
    return any(word.removesuffix("'s") in named for _, _, name in written for word in re.findall(r"[A-Z][\w'-]+", name))


def _in_passage(reading: Reading, seen: pronouns.Substituted) -> Reading:
    """``reading`` of the substituted text ``seen``, its span in the passage as it stands."""
    start, end = seen.to_passage(reading.start, reading.end)
    return replace(reading, start=start, end=end)


def _shaped(reading: Reading, answers: list[tuple[int, int] | None], passage: Passage, anywhere: bool = False) -> Reading:
    """``reading`` with its short answer the one a question's shape takes from the sentence it
    chose (``answers``: each sentence's, in the passage, if any), without quotation marks and
    the closing stop; ``anywhere``, from the first sentence that has one where the one chosen
    has none."""
    chosen = reading.sentence
    if anywhere and (chosen is None or answers[chosen] is None):
        chosen = next((k for k, answer in enumerate(answers) if answer is not None), None)
    if chosen is None or answers[chosen] is None:
        return reading
    start, end = _words_of(passage.text, *answers[chosen])
    return replace(reading, start=start, end=end, sentence=chosen)


def _speaking_of(about: list[np.ndarray], inside: list[np.ndarray], bonuses: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``inside`` (the bonuses of the choice inside each passage) and ``bonuses`` (those the
    passages' ranking counts too) with the sentences that speak of what is asked preferred by
    ``about``, a share for each: EXCHANGE times it in the choice, EXCHANGE_IN_RANKING times it
    among the ranking's bonuses."""
    return [b + EXCHANGE * a for b, a in zip(inside, about)], [b + EXCHANGE_IN_RANKING * a for b, a in zip(bonuses, about)]


def _defined(question: str, read: list[Passage], sentences: list[list[tuple[int, int]]]) -> list[list[tuple[int, int] | None]]:
    """For "What is firn?", for each sentence of each passage of ``read``, the span of what it
    says firn is, where it defines it (``definition.defined``: "Snow that has survived at least
    one summer" of "… is called firn."; the sentence before "This is called a surge."); [] for
    any other question, or when no sentence defines it."""
    term = definition.asks(question)
    if term is None:
        return []
    found: list[list[tuple[int, int] | None]] = []
    for spans, p in zip(sentences, read):
        found.append([])
        for (start, end), previous in zip(spans, [None, *spans]):
            before = (previous[0] - start, previous[1] - start) if previous else None  # in the sentence's own offsets
            span = definition.defined(term, p.text[start:end], before)
            found[-1].append((start + span[0], start + span[1]) if span else None)
    return found if any(span for passage in found for span in passage) else []


def _undergone(question: str, read: list[Passage], sentences: list[list[tuple[int, int]]]) -> list[list[tuple[int, int] | None]]:
    """For "Who was replaced by Rob Tully?", for each sentence of each passage of ``read``, the
    span of who it tells underwent it, where it does (``naming.undergoer``: "He" of "He was
    replaced by …"); [] for any other question, or when no sentence tells it."""
    found = [[(start, naming.undergoer(question, p.text[start:end])) for start, end in spans] for spans, p in zip(sentences, read)]
    told = [[(start + span[0], start + span[1]) if span else None for start, span in passage] for passage in found]
    return told if any(span for passage in told for span in passage) else []


def _described(question: str, read: list[Passage], sentences: list[list[tuple[int, int]]]) -> list[list[tuple[int, int] | None]]:
    """For "Who is X?", for each sentence of each passage of ``read``, the span of what it calls
    X, where it does (``naming.title``: "Azerbaijan President", "his daughter"); [] for any other
    question."""
    if naming.asked_about(question) is None:
        return []
    found = [[(start, naming.title(question, p.text[start:end])) for start, end in spans] for spans, p in zip(sentences, read)]
    return [[(start + span[0], start + span[1]) if span else None for start, span in passage] for passage in found]
