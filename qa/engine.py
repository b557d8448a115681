"""The library API: open an index, ask questions, hold conversations.

    >>> from qa import QA
    >>> qa = QA(build=True)            # the default index (the bundled article on first use)
    >>> answer = qa.ask("What did Aliyev give Lukashenko?")
    >>> answer.answer, answer.citations[0].quote
    >>> chat = qa.conversation()       # follow-up questions are read in context
    >>> chat.ask("Who visited Minsk?"); chat.ask("What did he give in return?")
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import library
from .errors import UsageError
from .read import language, overview
from .read.answering import NOT_IN_TEXT, Answer, Answerer, PassageHit
from .read.conversation import (
    NOT_A_QUESTION,
    NOTHING_TO_FOLLOW,
    History,
    Reading,
    Turn,
    asks_who_said,
    names_nothing,
    pleasantry,
)
from .read.reader import load_reader
from .read.retrieval import Retriever
from .store.embedding import load_query_encoder
from .store.index import Index, Progress

MAX_QUESTION_CHARS = 10_000
FOLLOWED_TURNS = 3  # a follow-up stays in the document that this many answers before it quoted most


class QA:
    """Question answering over one index: load once, then ask as often as you like."""

    def __init__(
        self,
        index: str | Path | None = None,
        *,
        build: bool = False,
        progress: Progress | None = None,
        notify: library.Notify = library.quiet,
    ) -> None:
        """Open the index at ``index`` (the default index when None) to answer from.

        Nothing is written unless ``build`` is true: then, as the CLI does, a missing or empty
        default index gets the bundled article and an outdated one is brought up to date first
        (``library.ensure_index``; ``progress`` and ``notify`` report on it). Without it, a
        missing or outdated index is a ``QAError`` that says how to make or rebuild it.
        """
        if build:
            library.ensure_index(index, progress, notify)
        self.location = index
        # read before the index: a write in between makes it differ from the live one, never hides one
        self.version = library.version(index)
        self.index: Index = library.open_index(index)
        self.encoder = load_query_encoder(self.index.model)
        self.retriever = Retriever(self.index)
        self.answerer = Answerer(self.index, self.retriever, load_reader())

    def reopen(self) -> QA:
        """A QA over the index as it is now, sharing this one's models. This one is left as it
        was, so questions it is answering finish on the version they began with."""
        fresh = copy.copy(self)
        fresh.version = library.version(self.location)
        fresh.index = library.open_index(self.location)
        if fresh.index.model != self.index.model:
            fresh.encoder = load_query_encoder(fresh.index.model)
        fresh.retriever = Retriever(fresh.index)
        fresh.answerer = Answerer(fresh.index, fresh.retriever, self.answerer.reader)
        return fresh

    def ask(self, question: str, top_k: int = 3, doc: str | None = None) -> Answer:
        """Answer one standalone question."""
        return self.conversation(doc).ask(question, top_k)

    def search(self, query: str, top_k: int = 3, doc: str | None = None) -> list[PassageHit]:
        """The ``top_k`` passages retrieval ranks best for ``query``, without the reader: each
        ``score`` is the fused retrieval score (0 to 1, ``qa/read/retrieval.py``)."""
        searched = self.retriever.known_as(check_question(query))
        ranking = self.retriever.rank(searched, self.encoder.encode([searched])[0], doc and self.retriever.document(doc))
        return [self.answerer.hit(row, float(ranking.scores[row])) for row in ranking.top(top_k)]

    def conversation(self, doc: str | None = None) -> Conversation:
        """A new conversation; ``doc`` restricts it to one document (called by its name, or by
        its name less its suffix: "notes" for "notes.md")."""
        return Conversation(self, doc and self.retriever.document(doc))  # an unknown document fails here

    def respond(self, question: str, history: History, top_k: int = 3, doc: str | None = None) -> Answer:
        """Answer ``question`` as ``history`` reads it (a follow-up with the turn before it), and
        add the turn to ``history`` (a greeting or thanks is answered with a note, and not added)."""
        stripped = check_question(question)
        if pleasantry(stripped):  # "Thanks!": said to qa, not a turn the next follow-up follows
            return Answer(stripped, stripped, False, NOT_IN_TEXT, 0.0, note=NOT_A_QUESTION)
        if (kind := overview.asks(stripped)) and (about := doc or self._in_view(history)):  # "What is this article about?"
            answer = self.answerer.overview(stripped, kind == "who", about)
            history.record(question, answer, stripped)
            return answer
        if not history.turns and names_nothing(stripped):  # "Who?" with nothing before it
            answer = Answer(stripped, stripped, False, NOT_IN_TEXT, 0.0, note=NOTHING_TO_FOLLOW)
            history.record(question, answer)
            return answer
        spelled = self.retriever.respelled(stripped)  # "Aliev" as the documents spell it: "Aliyev"
        reading = history.read(spelled, self.encoder.encode, self.retriever.names_a_person)
        # the question itself is within the limit; only the previous question a follow-up's query
        # adds can be cut, and the answer's `query` shows what was searched
        query = reading.query.strip()[:MAX_QUESTION_CHARS]
        if reading.speech is not None:  # "Who said that?": the text says who said the last answer
            answer = self.answerer.who_said(stripped, query, reading.speech)
            if answer is not None:
                history.record(question, answer)
                return answer
        # a full name as the documents go on to write it: "Maud Pellerin" as "Pellerin" (``known_as``)
        searched = self.retriever.known_as(query)
        prior = self.retriever.nearness(reading.anchors, reading.nearness)
        ranking = self.retriever.rank(searched, self.encoder.encode([searched])[0], doc or self._followed(reading, history, stripped), prior)
        asked = self.retriever.known_as(reading.asked or spelled)
        anchors = reading.anchors if reading.context is not None else ()
        answer = self.answerer.answer(asked, ranking, top_k, reading.context, anchors, reading.given, reading.focus)
        if asks_who_said(spelled):  # "Who said that the visit is a new step?": the speaker of the sentence quoted
            answer = self.answerer.said_by(answer, ranking)
        answer.question, answer.query, answer.note = stripped, query, language.note(stripped)
        history.record(question, answer, reading.standalone, reading.person)
        return answer

    def _followed(self, reading: Reading, history: History, question: str) -> str | None:
        """The document a follow-up read with the turn it continues stays in, where the index
        holds several: the one the conversation's last FOLLOWED_TURNS answers quoted most (the
        latest of those as often), if it holds every name the question asks about ("What
        happened next?" is not asked of another story); None for all."""
        if reading.context is None or len(self.index.documents) < 2:
            return None
        quoted = _quoted(history.turns[-FOLLOWED_TURNS:])
        if not quoted:
            return None
        counts = Counter(quoted)
        doc = max(reversed(quoted), key=counts.__getitem__)
        return doc if self.retriever.holds(doc, question) else None

    def _in_view(self, history: History) -> str | None:
        """The document a question about "the text" means: the one the conversation last quoted,
        or the index's only one; None when it holds several and none was quoted yet."""
        quoted = _quoted(history.turns)
        if quoted and quoted[-1] in self.retriever.doc_numbers:
            return quoted[-1]
        return self.index.documents[0].name if len(self.index.documents) == 1 else None


@dataclass
class Conversation:
    """Ask questions one after another; follow-ups are read in the light of the earlier turns.
    ``doc`` restricts it to one document."""

    qa: QA
    doc: str | None = None
    history: History = field(default_factory=History)

    @property
    def turns(self) -> list[Turn]:
        return self.history.turns

    def ask(self, question: str, top_k: int = 3) -> Answer:
        return self.qa.respond(question, self.history, top_k, self.doc)

    def reset(self) -> None:
        """Forget the earlier turns."""
        self.history.turns.clear()


def _quoted(turns: list[Turn]) -> list[str]:
    """The document each of ``turns`` that was answered quoted first, in order."""
    return [t.answer.citations[0].doc for t in turns if t.answer.answerable and t.answer.citations]


def check_question(question: str) -> str:
    """The question, stripped; an empty one, or one longer than ``MAX_QUESTION_CHARS``, is a
    usage error (never cut: what matters is often at its end)."""
    question = question.strip()
    if not question:
        raise UsageError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise UsageError(f"the question is too long: {len(question):,} characters, at most {MAX_QUESTION_CHARS:,}")
    return question
