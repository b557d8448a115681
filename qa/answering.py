"""From ranked passages to an answer: the sentences that answer, quoted, with citations.

The answer is one sentence (two when the next or previous one also answers) taken verbatim
from the best passages. Each quote carries its document and character span, so that
``document_text[start:end] == quote``. When the evidence is too weak, the answer says the text
does not say, and the nearest passages are still returned.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from . import answer_types, attribution, chunking
from .index import Index
from .retrieval import Ranking, Retriever, minmax
from .text import tokenize

CANDIDATE_PASSAGES = 3
SENTENCE_WEIGHTS = (0.3, 0.4, 0.3)  # sentence dense, sentence lexical, passage score (fitted on SQuAD)
# A follow-up is searched with the previous question added (conversation.py); its sentences are
# scored this much by the question's own words and embedding, the rest by the searched query's
# (Abg-CoQA: the context finds the passage, the question finds the sentence in it).
QUESTION_FOCUS = 0.75
SECOND_SENTENCE = 0.9  # an adjacent sentence joins the answer when it scores this close
NOT_IN_TEXT = "The text does not say."
SENTENCE_NEAR = 0.35  # bonus for a follow-up's sentences near the previous answer ...
NEAR_SAME, NEAR_DECAY, NEAR_BACK = 0.6, 0.7, 0.4  # ... shaped by nearness()
UNTYPED_PENALTY = 0.3  # confidence kept when no sentence has the kind of answer asked for


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
    note: str | None = None  # e.g. that the question does not look like English (qa/language.py)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Evidence:
    """The features abstention is decided on, all raw (unfused) scores of the best passage."""

    dense: float  # best sentence cosine in the best passages
    coverage: float  # idf-weighted share of the question's words found in the best passage
    unknown_names: int  # capitalized words of the question found nowhere in the searched text
    followup: bool = False  # asked in a conversation about what the text just answered

    def confidence(self) -> float:
        """Probability that the text answers the question: a logistic model of the dense and
        lexical evidence, with a follow-up's higher prior odds, discounted for each name the text
        never mentions."""
        a, b, c = CALIBRATION
        z = a + b * self.dense + c * self.coverage + (math.log(FOLLOWUP_ODDS) if self.followup else 0.0)
        return UNKNOWN_NAME_PENALTY**self.unknown_names / (1.0 + math.exp(-z))


# intercept, dense, coverage: logistic regression (bench/calibrate.py) of answerable SQuAD
# questions against the same questions asked of another article's index
CALIBRATION = (-8.13, 16.42, 6.9)
# "What did Vladimir Putin say?" of a text that never names him cannot be answered from it
UNKNOWN_NAME_PENALTY = 0.3
# The calibration was fitted on as many unanswerable questions as answerable ones. A follow-up
# continues a conversation about the text, and is far likelier to be answered by it ("Why?",
# "What did she do next?" name too little to be judged on their own words): its prior odds are
# taken as 4 to 1 (CoQA's conversations: 1.3% of questions unanswerable). On Abg-CoQA, whose
# questions are all answerable, this answers 0.79 of them instead of 0.73 (bench/abg_coqa.py).
FOLLOWUP_ODDS = 4.0


def nearness(distance: np.ndarray) -> np.ndarray:
    """How much a follow-up's answer is expected ``distance`` sentences after the last one.

    Conversations move forward through a text: the next sentence is likeliest, the same one
    next (a question about the same fact), then the ones after; going back is rarer.
    """
    ahead = NEAR_DECAY ** np.maximum(distance - 1, 0)
    behind = NEAR_BACK * NEAR_DECAY ** np.abs(distance)
    return np.where(distance > 0, ahead, np.where(distance == 0, NEAR_SAME, behind))


class Answerer:
    """Chooses answer sentences from a ranking and decides whether to answer at all."""

    def __init__(self, index: Index, retriever: Retriever) -> None:
        self.index = index
        self.retriever = retriever
        # the whole paragraph of each passage (a long paragraph spans several passages)
        self.paragraph_spans: dict[tuple[str, int], chunking.Span] = {}
        for p in index.passages:
            known = self.paragraph_spans.get((p.doc, p.paragraph))
            self.paragraph_spans[(p.doc, p.paragraph)] = chunking.Span(known.start if known else p.start, p.end)

    def evidence(self, question: str, ranking: Ranking, context: str | None = None) -> Evidence:
        """The evidence for ``question`` in ``ranking``. A follow-up names little of its own ("What did
        it show?"): its sentences' similarity to the question alone counts too, and its words are
        looked for together with those of the ``context`` it continues (previous question and answer)."""
        best = ranking.top(CANDIDATE_PASSAGES)
        dense = max((float(ranking.dense[row]) for row in best), default=0.0)
        coverage = float(ranking.coverage[best[0]]) if best else 0.0
        if best and ranking.question_dense is not None:
            sentences = self.retriever.sentences_of(best)
            dense = max(dense, float(ranking.question_dense[sentences].max()))
        if best and context:
            terms = tokenize(f"{question} {context}", drop_stop=True)
            coverage = max(coverage, float(self.retriever.words.coverage(terms)[best[0]]))
        return Evidence(dense, coverage, self.retriever.unknown_names(question), followup=context is not None)

    def answer(
        self,
        question: str,
        ranking: Ranking,
        top_k: int = 3,
        anchors: list[tuple[str, int]] | None = None,
        context: str | None = None,
    ) -> Answer:
        passages = [self._hit(row, ranking) for row in ranking.top(top_k)]
        evidence = self.evidence(question, ranking, context)
        confidence = round(evidence.confidence(), 3)
        chosen = self._choose(ranking, answer_types.expected(question), anchors or []) if passages else []
        if not chosen:  # no sentence holds the kind of answer asked for (a number, a date...)
            confidence = round(confidence * UNTYPED_PENALTY, 3)
        if confidence < 0.5 or not chosen:
            return Answer(question, ranking.query, False, NOT_IN_TEXT, confidence, [], passages)
        citations, parts = [], []
        for n, (row, start, end) in enumerate(chosen, 1):
            passage = self.index.passages[row]
            text = self.index.text(passage.doc)
            paragraph = self.paragraph_spans[(passage.doc, passage.paragraph)]
            q_start, q_end, quoted = attribution.quote_part(text, start, end, paragraph.start)
            who = attribution.speaker(text, start, end, paragraph) if quoted else None
            quote = text[q_start:q_end]
            citations.append(Citation(n, passage.id, passage.doc, q_start, q_end, quote, who, self.index.page_at(passage.doc, q_start)))
            shown = quote.strip("“”\"«» ")
            parts.append(f"{who} said: “{shown}” [{n}]" if who else f"{quote} [{n}]")
        text = " ".join(parts)
        return Answer(question, ranking.query, True, text[:1].upper() + text[1:], confidence, citations, passages)

    def _choose(self, ranking: Ranking, kind: str | None, anchors: list[tuple[str, int]]) -> list[tuple[int, int, int]]:
        """The best sentence (and an adjacent one that answers too) as (passage row, start, end).

        When the question asks for a number, an amount or a time, only sentences holding one
        qualify; none qualifying gives an empty list.
        """
        sentences = self.retriever.sentences_of(ranking.top(CANDIDATE_PASSAGES))
        mask = np.ones(len(sentences), dtype=bool)
        dense = minmax(ranking.sentence_dense[sentences], mask)
        lexical = minmax(ranking.sentence_lexical[sentences], mask)
        if ranking.question_dense is not None and ranking.question_lexical is not None:
            own_dense = minmax(ranking.question_dense[sentences], mask)
            own_lexical = minmax(ranking.question_lexical[sentences], mask)
            dense = (1 - QUESTION_FOCUS) * dense + QUESTION_FOCUS * own_dense
            lexical = (1 - QUESTION_FOCUS) * lexical + QUESTION_FOCUS * own_lexical
        passage = ranking.scores[self.retriever.sentence_passage[sentences]]
        w_dense, w_lexical, w_passage = SENTENCE_WEIGHTS
        scores = w_dense * dense + w_lexical * lexical + w_passage * passage
        for doc, offset in anchors:  # a follow-up: prefer sentences just after the last answer
            distance = sentences - self.retriever.sentence_at(doc, offset)
            same = self.retriever.passage_doc[self.retriever.sentence_passage[sentences]] == self.retriever.doc_number(doc)
            scores = scores + np.where(same, SENTENCE_NEAR * nearness(distance), 0.0)
        if kind is not None:
            typed = np.array([answer_types.contains(self._sentence_text(i), kind) for i in sentences], dtype=bool)
            if not typed.any():
                return []
            scores = np.where(typed, scores, -np.inf)
        best = int(np.argmax(scores))
        chosen = [best]
        neighbours = [i for i in (best - 1, best + 1) if 0 <= i < len(sentences)]
        same = [i for i in neighbours if self.retriever.sentence_passage[sentences[i]] == self.retriever.sentence_passage[sentences[best]]]
        if same:
            second = max(same, key=lambda i: scores[i])
            if scores[second] >= SECOND_SENTENCE * scores[best]:
                chosen = sorted([best, second])
        spans = [self.index.sentences[sentences[i]] for i in chosen]
        row, start, end = int(spans[0][0]), int(spans[0][1]), int(spans[-1][2])
        # a sentence that ends in a colon announces what follows: quote that too
        following = self._announced(int(sentences[best])) if len(chosen) == 1 else None
        if following is None:
            return [(row, start, end)]
        if following[0] == row:  # in the same passage: one quote
            return [(row, start, following[2])]
        return [(row, start, end), following]

    def _announced(self, sentence: int) -> tuple[int, int, int] | None:
        """The sentence after ``sentence`` (same document) when ``sentence`` ends with a colon."""
        following = sentence + 1
        if not self._sentence_text(sentence).rstrip().endswith(":") or following >= len(self.index.sentences):
            return None
        row, start, end = (int(x) for x in self.index.sentences[following])
        same_doc = self.index.passages[row].doc == self.index.passages[int(self.index.sentences[sentence][0])].doc
        return (row, start, end) if same_doc else None

    def _sentence_text(self, sentence: int) -> str:
        row, start, end = self.index.sentences[sentence].tolist()
        return self.index.text(self.index.passages[row].doc)[start:end]

    def _hit(self, row: int, ranking: Ranking) -> PassageHit:
        p = self.index.passages[row]
        return PassageHit(p.id, p.doc, p.paragraph, p.start, p.end, round(float(ranking.scores[row]), 4), p.text, p.page)

