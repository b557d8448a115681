"""Hybrid retrieval: BM25 over words and bigrams, fused with sentence-level dense similarity.

For a question q and every passage p:

    lexical(p)  = BM25+(stemmed words of q without stopwords, p) + 1.5 * BM25(bigrams of q, p)
    coverage    = the largest idf-weighted share of q's words that any one passage contains
    dense(p)    = 0.75 * max over sentences s of p of cos(q, s) + 0.25 * cos(q, p)   (FAISS)
    score(p)    = 0.5 * coverage * minmax(lexical)(p) + 0.5 * minmax(dense)(p)
                  [+ the figures and the document the question names, + conversation prior]

Scoring a passage mostly by its best sentence rather than its whole text, and matching bigrams,
lift this above the usual BM25 + passage-embedding fusion (SQuAD 2.0 dev, 5 articles: hit@1
0.92 against 0.88). Scaling the lexical side by coverage trusts word overlap only as far as it
explains the question: a paraphrased question that shares just the document's common words
("Belarus", "president") is left to the dense side. The weights were chosen on SQuAD and the
project's own question set together; ``bench/`` reports both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np

from ..errors import UsageError
from ..ingest import documents
from ..ingest.text import bigrams, tokenize
from ..store.contents import Index
from .attribution import COURTESY_TITLES, gender, people

BIGRAM_WEIGHT = 1.5
LEXICAL_WEIGHT = 0.5
PASSAGE_DENSE_WEIGHT = 0.25  # the rest of the dense side is the best sentence
# added for the figures a question names that a passage holds ("in 2004", "the 88th minute"):
# the embedding hardly tells one year from another, and BM25 weighs a figure as one word of many
FIGURE_WEIGHT = 0.1
# added, where the index holds several documents, to the passages of a document whose name the
# question names ("the children's story": childrens_story.txt; "the tenancy agreement")
DOCUMENT_WEIGHT = 0.1
SHOWN_NAMES = 10  # document names an unknown-document error lists


@dataclass
class Ranking:
    """The evidence gathered for one query, over every passage and sentence of the index."""

    query: str
    terms: list[str]  # stemmed query words, stopwords removed
    vector: np.ndarray  # the query embedding
    scores: np.ndarray  # fused score per passage; -inf outside the searched documents
    lexical: np.ndarray  # raw lexical score per passage
    dense: np.ndarray  # best sentence cosine per passage
    passage_dense: np.ndarray  # whole-passage cosine per passage
    coverage: np.ndarray  # idf-weighted share of the query words in each passage
    sentence_dense: np.ndarray  # cosine per sentence
    order: np.ndarray  # passage rows, best first (searched documents only)

    def top(self, k: int) -> list[int]:
        return self.order[:k].tolist()


def minmax(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Scale ``values`` to [0, 1] over the rows in ``mask`` (all zeros when they are equal)."""
    out = np.zeros_like(values, dtype=np.float64)
    if not mask.any():
        return out
    low, high = values[mask].min(), values[mask].max()
    if high > low:
        out[mask] = (values[mask] - low) / (high - low)
    return out


# "Mr. Smith": a courtesy title's stop ends no sentence, and the title is no name
_CAPITALIZED = re.compile(rf"\b(?!(?:{'|'.join(COURTESY_TITLES)})\.)[A-Z][\w'’-]+")
_SENTENCE_END = re.compile("".join(rf"(?<!\b{title})" for title in COURTESY_TITLES) + r"[.?!]\s+$")
_CAPITALIZED_WORD = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_WORD_PAIR = re.compile(r"(?<![\w'’-])(?=(?P<given>[^\W\d_]+)[ \t]+(?P<last>[^\W\d_][\w'’-]*?)(?:['’]s)?(?![\w'’-]))", re.IGNORECASE)
_FIGURE = re.compile(r"(?<![\w.,])\d[\w.,]*")
# "Halo" of "Halo 2": a figure in a name (not "July 1969")
_NAME_BEFORE = re.compile(
    r"(?<=\w[ \t])(?!(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b)[A-Z][\w'’-]*[ \t]+$"
)
_WHO_IS = re.compile(r"\W*(?:(?:and|but|so)\s+)?who\s+(?:is|was)\s+[^\W\d_]+(?:\s+[^\W\d_]+)+\W*", re.IGNORECASE)  # "Who was Maud Pellerin?"
_PERSON_WORD = re.compile(r"[A-Z][a-zà-ÿ]+(?:[-'’][A-Z]?[a-zà-ÿ]+)*")  # "Pellerin", "Knowles-Carter", "O'Neill"
_BEFORE_A_NAME = re.compile(r"\b([A-Z][\w'’-]*)[ \t]+(?=[A-Z])")  # "Belarus" in "Belarus President"


def _figures(query: str) -> list[str]:
    """The terms of the figures ``query`` names, less those of a name ("Halo 2", "Apollo 11")."""
    return [term for m in _FIGURE.finditer(query) if not _NAME_BEFORE.search(query, 0, m.start()) for term in tokenize(m.group())]


class Retriever:
    """Ranks the passages of an index for a question."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.words, self.pairs = index.lexical.words, index.lexical.pairs
        self.sentence_passage = index.sentences[:, 0] if len(index.sentences) else np.zeros(0, np.int64)
        self.doc_numbers = {d.name: number for number, d in enumerate(index.documents)}
        self._doc_rows: dict[str, tuple[range, range]] = {}
        self.passage_doc = np.array([self.doc_numbers[p.doc] for p in index.passages], dtype=np.int64)
        self._names: dict[str, set[str]] | None = None  # for ``respelled``
        self._spellings: dict[str, str | None] = {}  # for ``respelled``: each acronym's, as read
        self._people: set[str] | None = None  # for ``names_a_person``
        self._short: dict[str, dict[str, str]] = {}  # each document's full names by last name, for ``known_as``
        self._terms: dict[str, set[str]] = {}  # each document's terms, for ``holds``
        self._doc_names: dict[str, list[tuple[int, frozenset[str]]]] | None = None  # documents' names' words, for ``_named_documents``
        self._title_terms: set[str] | None = None  # the words of the documents' titles, for ``_unknown``

    def document(self, doc: str) -> str:
        """The name of the document ``doc`` calls: its name, or its name less its suffix
        (``documents.find_name``); an unknown name is a usage error."""
        name = documents.find_name(doc, self.doc_numbers)
        if name is None:
            names = list(self.doc_numbers)
            known = ", ".join(names[:SHOWN_NAMES]) or "none"
            if len(names) > SHOWN_NAMES:
                known += f" and {len(names) - SHOWN_NAMES:,} more; qa index list shows them all"
            raise UsageError(f"no document named {doc!r} in the index (documents: {known})")
        return name

    def doc_number(self, doc: str) -> int:
        """The ordinal of document ``doc`` in the index (``document``)."""
        return self.doc_numbers[self.document(doc)]

    def rows(self, doc: str | None) -> tuple[range | None, range | None]:
        """The passage rows and sentence rows of ``doc`` (contiguous in the index); None for all."""
        if doc is None:
            return None, None
        if doc not in self._doc_rows:
            passages = np.flatnonzero(self.passage_doc == self.doc_number(doc))
            sentences = self.sentences_of(passages)
            self._doc_rows[doc] = range(passages[0], passages[-1] + 1), range(sentences[0], sentences[-1] + 1)
        return self._doc_rows[doc]

    def sentences_of(self, passages: list[int] | np.ndarray) -> np.ndarray:
        """The numbers of the sentences of the given passage rows, in document order."""
        return np.flatnonzero(np.isin(self.sentence_passage, passages))

    def mask(self, doc: str | None) -> np.ndarray:
        """Passages that belong to ``doc`` (all passages when ``doc`` is None)."""
        if doc is None:
            return np.ones(len(self.index.passages), dtype=bool)
        return self.passage_doc == self.doc_number(doc)

    def rank(
        self, query: str, vector: np.ndarray, doc: str | None = None, prior: np.ndarray | None = None
    ) -> Ranking:
        """Score every passage for ``query`` (embedded as ``vector``); ``prior`` is added as is."""
        terms = tokenize(query, drop_stop=True)
        passage_rows, sentence_rows = self.rows(doc)
        lexical = self.words.scores(terms) + BIGRAM_WEIGHT * self.pairs.scores(bigrams(terms))
        mask = self.mask(doc)
        sentence_dense = self.index.sentence_similarity(vector, sentence_rows)
        dense = np.full(len(self.index.passages), -1.0)
        np.maximum.at(dense, self.sentence_passage, sentence_dense)
        passage_dense = self.index.passage_similarity(vector, passage_rows)
        coverage = self.words.coverage(terms)
        trust = float(coverage[mask].max()) if mask.any() else 0.0
        blended = (1 - PASSAGE_DENSE_WEIGHT) * dense + PASSAGE_DENSE_WEIGHT * passage_dense
        scores = LEXICAL_WEIGHT * trust * minmax(lexical, mask) + (1 - LEXICAL_WEIGHT) * minmax(blended, mask)
        if figures := _figures(query):
            scores = scores + FIGURE_WEIGHT * self._holding(figures)
        if len(self.doc_numbers) > 1:
            scores = scores + DOCUMENT_WEIGHT * self._named_documents(terms)[self.passage_doc]
        if prior is not None:
            scores = scores + prior
        scores[~mask] = -np.inf
        rows = np.flatnonzero(mask)
        order = rows[np.argsort(-scores[rows], kind="stable")]
        return Ranking(
            query, terms, vector, scores, lexical, dense, passage_dense, coverage, sentence_dense, order
        )

    def _named_documents(self, terms: list[str]) -> np.ndarray:
        """For every document, 1 where ``terms`` (a query's) hold every word of its name, of its
        file name less the folders and suffix ("home/childrens_story.txt": "the children's
        story") or of its title, else 0 (part of a name names none: "fire" of "factory_fire.txt"
        is the Ring of Fire's too)."""
        if self._doc_names is None:  # each name under one of its words: a query without it holds none of it
            self._doc_names = {}
            for number, d in enumerate(self.index.documents):
                for name in (re.sub(r"[_.-]+", " ", PurePosixPath(d.name).stem), d.title or ""):
                    if words := frozenset(tokenize(name, drop_stop=True)):
                        self._doc_names.setdefault(min(words), []).append((number, words))
        asked = set(terms)
        named = np.zeros(len(self.index.documents))
        for term in asked:
            for number, words in self._doc_names.get(term, ()):
                if words <= asked:
                    named[number] = 1.0
        return named

    def _holding(self, figures: list[str]) -> np.ndarray:
        """For every passage, the share of ``figures`` (a question's figures) it holds, weighed
        by how rare they are: "2004" written once counts in full, a figure that most passages
        hold hardly at all."""
        once = np.log(1 + (self.words.n - 0.5) / 1.5)  # the idf of a figure that one passage holds
        rarity = np.mean([self.words.idf(figure) for figure in figures]) / once
        return self.words.coverage(figures) * min(1.0, float(rarity))

    def nearness(self, anchors: list[tuple[str, int]], weight: float) -> np.ndarray | None:
        """A bonus for the passages at or near the places ``anchors`` names (document, character
        offset), ``weight`` at the place and halving with each passage away (after it more than
        before it); None without anchors."""
        if not anchors:
            return None
        rows = np.arange(len(self.index.passages))
        prior = np.zeros(len(rows))
        for doc, offset in anchors:
            if doc not in self.doc_numbers:  # removed since it was cited (a long-running server)
                continue
            distance = rows - self.passage_at(doc, offset)
            bonus = weight * 0.5 ** np.abs(distance) * np.where(distance >= 0, 1.0, 0.7)
            prior = np.maximum(prior, np.where(self.mask(doc), bonus, 0.0))
        return prior

    def passage_at(self, doc: str, offset: int) -> int:
        """The row of the passage of ``doc`` that holds character ``offset`` (or precedes it)."""
        rows, _ = self.rows(doc)
        return rows.start + _last_at_or_before(self.index.rows[rows.start : rows.stop, 4], offset)

    def sentence_at(self, doc: str, offset: int) -> int | None:
        """The number (``index.sentences``) of the sentence of ``doc`` that holds character
        ``offset`` (or precedes it in its passage); None when that passage has no sentence."""
        numbers = self.sentences_of([self.passage_at(doc, offset)])
        return int(numbers[_last_at_or_before(self.index.sentences[numbers, 1], offset)]) if len(numbers) else None

    def sentence_text(self, number: int) -> str:
        """The text of sentence ``number`` (``index.sentences``)."""
        row, start, end = self.index.sentences[number].tolist()
        return self.index.text(self.index.passages[row].doc)[start:end]

    def sentence_evidence(self, ranking: Ranking, numbers: np.ndarray) -> np.ndarray:
        """How well each sentence of ``numbers`` matches the query on its own: its cosine with the
        query plus the idf-weighted share of the query's words it holds (retrieval's two sides,
        for one sentence)."""
        return ranking.sentence_dense[numbers] + self.sentence_share(ranking.terms, numbers)

    def sentence_share(self, terms: Sequence[str], numbers: np.ndarray) -> np.ndarray:
        """The idf-weighted share of ``terms`` (tokens, as ``tokenize`` gives them) that each
        sentence of ``numbers`` holds."""
        weights = {term: self.words.idf(term) for term in terms}
        total = sum(weights.values())
        if total <= 0:
            return np.zeros(len(numbers))
        held = (weights.keys() & tokenize(self.sentence_text(number), drop_stop=True) for number in numbers.tolist())
        return np.array([sum(weights[term] for term in h) / total for h in held])

    def sentence_order(self, ranking: Ranking, numbers: np.ndarray) -> np.ndarray:
        """How much of the query each sentence of ``numbers`` holds in the query's own order: the
        idf-weighted longest common subsequence of their words, as a share of the query's words.
        Who did what to whom is in the order: "Lukashenko gave Aliyev a still life" holds all of
        "What did Lukashenko give Aliyev?", "Aliyev gave the Belarusian counterpart a carpet" one
        of its words."""
        terms = ranking.terms
        weights = [self.words.idf(term) for term in terms]
        total = sum(weights)
        out = np.zeros(len(numbers))
        if total <= 0:
            return out
        for i, number in enumerate(numbers.tolist()):
            held = [t for t in tokenize(self.sentence_text(number), drop_stop=True) if t in terms]
            out[i] = _common_subsequence(terms, weights, held) / total
        return out

    def unknown_names(self, question: str, texts: Sequence[str] = ()) -> int:
        """Capitalized words of ``question`` (past its first word) that occur nowhere in the index,
        an acronym that one of ``texts`` spells out aside ("UN": "United Nations")."""
        return sum(1 for word in self._unknown(question) if not any(spelled_out(word, text) for text in texts))

    def _unknown(self, question: str) -> list[str]:
        """The capitalized words of ``question`` past its first word that the index lacks, in its
        passages and in its documents' titles (a web page's "… - Amblehaven Maritime Museum",
        which its text need not repeat), the titles read once."""
        if self._title_terms is None:
            self._title_terms = {term for d in self.index.documents for term in tokenize(d.title or "")}
        titles = self._title_terms
        return [word for word in _names(question) if not any(term in self.words or term in titles for term in tokenize(word))]

    def holds(self, doc: str, question: str) -> bool:
        """Whether document ``doc`` holds every name ``question`` asks about that the index holds
        (its capitalized words past the first, as searched: ``tokenize``), its terms read once."""
        if doc not in self._terms:
            self._terms[doc] = set(tokenize(self.index.text(doc)))
        return all(term in self._terms[doc] for word in _names(question) for term in tokenize(word) if term in self.words)

    def _spelled(self, acronym: str) -> str | None:
        """The words the documents most often spell ``acronym`` out with (``spellings``), read
        once; None for none."""
        if acronym not in self._spellings:
            found = Counter(words for d in self.index.documents for words in spellings(acronym, self.index.text(d.name)))
            self._spellings[acronym] = found.most_common(1)[0][0] if found else None
        return self._spellings[acronym]

    def names_a_person(self, name: str) -> bool:
        """Whether a word of ``name`` ("Lukashenko") ends the name of a person the documents name
        ("Belarus President Aleksandr Lukashenko": ``attribution.people``) and never comes
        before another capitalized word in them, as a place's name does ("Belarus President"),
        read once."""
        if self._people is None:
            texts = [self.index.text(d.name) for d in self.index.documents]
            before = {m.group(1).lower() for text in texts for m in _BEFORE_A_NAME.finditer(text)}
            self._people = {person.split()[-1].lower() for text in texts for person in people(text)} - before
        return any(word.lower() in self._people for word in name.split())

    def known_as(self, query: str) -> str:
        """``query`` with each person's full name written as the documents go on to call them, by
        the last name alone ("What did Maud Pellerin's father do?" → "What did Pellerin's father
        do?"), where every document that writes that name means that person by it
        (``short_names``): a full name written only where the text introduces its person draws
        the question to that passage; but "Who was Maud Pellerin?" asks what that passage says.
        A document is read once, the first time a question names a first name and a last name it
        holds."""
        if _WHO_IS.fullmatch(query):
            return query
        for pair in _WORD_PAIR.finditer(query):
            given, last = pair["given"], pair["last"]
            terms = tokenize(f"{given} {last}")
            # a first name: the passages that hold it write it before the last name
            if len(terms) != 2 or not 0 < self.words.frequency(terms[0]) == self.pairs.frequency("_".join(terms)):
                continue
            docs = np.unique(self.passage_doc[self.words.scores(terms[1:]) > 0])
            meant = {self._short_names(self.index.documents[d].name).get(last.lower()) for d in docs}
            if meant == {f"{given} {last}".lower()}:
                query = re.sub(rf"(?<![\w'’-]){re.escape(given)}[ \t]+(?={re.escape(last)})", "", query)
        return query

    def _short_names(self, doc: str) -> dict[str, str]:
        """``short_names`` of document ``doc``, by last name, in small letters; read once."""
        if doc not in self._short:
            self._short[doc] = {last.lower(): full.lower() for full, last in short_names(self.index.text(doc)).items()}
        return self._short[doc]

    def respelled(self, question: str) -> str:
        """``question`` with each name the index lacks spelled as the name of the documents nearest
        to it, a letter or two away (``misspelling``): "What did Aliev give Lukashenka?" → "What
        did Aliyev give Lukashenko?". A name with none, or two as near, is left as asked. An
        acronym the index lacks and spells out is spelled out, as the documents most often do:
        "Who is the CEO?" → "Who is the Chief Executive Officer?"."""
        unknown = self._unknown(question)
        if not unknown:
            return question
        if self._names is None:  # the documents' capitalized words by their first letter, read once
            self._names = {}
            for document in self.index.documents:
                for name in set(re.findall(r"\b[A-Z][\w'’-]+", self.index.text(document.name))):
                    self._names.setdefault(name[0], set()).add(name)
        for word in unknown:
            if spelled := self._spelled(word):  # "CEO" as the documents spell it out: "Chief Executive Officer"
                question = re.sub(rf"\b{re.escape(word)}\b", spelled, question)
                continue
            near = sorted((edits, name) for name in self._names.get(word[0], ()) if (edits := misspelling(word, name)) is not None)
            if near and (len(near) == 1 or near[0][0] < near[1][0]):  # the one nearest
                question = re.sub(rf"\b{re.escape(word)}\b", near[0][1], question)
        return question


def short_names(text: str) -> dict[str, str]:
    """The full names of people that ``text`` goes on to call by their last name alone, each with
    that name: the first person it names with a last name, where it writes that name alone as
    often as in full or more ("Maud Pellerin": "Pellerin"; not her father "Etienne Pellerin"). A
    person's name is two words in capitals and small letters, neither ever written in small
    letters, the first never without the second, most often followed by "he" or by "she" (not
    "Northern Ireland", "Scottish Parliament", "Killer T")."""
    seen, alone, after = Counter(), Counter(), Counter()  # capitalized words: all, written alone, after another
    words = list(_CAPITALIZED_WORD.finditer(text))
    for before, word in zip([None, *words], words):
        seen[word.group()] += 1
        if before is not None and text[before.end() : word.start()] in (" ", "\t"):
            after[before.group(), word.group()] += 1
        else:
            alone[word.group()] += 1
    first: dict[str, str] = {}
    for person in people(text):
        given, last = person.split()
        if last in first or seen[given] != after[given, last] or not gender(text, person):
            continue
        if all(_PERSON_WORD.fullmatch(word) and not re.search(rf"\b{word.lower()}\b", text) for word in (given, last)):
            first[last] = person
    return {full: last for last, full in first.items() if alone[last] >= after[tuple(full.split())]}


def _names(question: str) -> list[str]:
    """The capitalized words of ``question`` past its first word (of its first sentence)."""
    question = question.strip()
    return [m.group() for m in _CAPITALIZED.finditer(question) if m.start() and not _SENTENCE_END.search(question, 0, m.start())]


def spelled_out(acronym: str, text: str) -> bool:
    """Does ``text`` spell out ``acronym`` (``spellings``)?"""
    return bool(spellings(acronym, text))


def spellings(acronym: str, text: str) -> list[str]:
    """Where ``text`` spells out ``acronym`` (two to six capitals): capitalized words with its
    letters as initials, small words between them ("IPCC": "Intergovernmental Panel on Climate
    Change"); [] for none."""
    if not (2 <= len(acronym) <= 6 and acronym.isalpha() and acronym.isupper()):
        return []
    between = r"\s+(?:(?:of|on|for|the|and|in|to|de|du|la)\s+)*"
    return [" ".join(m.split()) for m in re.findall(r"\b" + between.join(letter + r"[\w'’-]*" for letter in acronym) + r"\b", text)]


def misspelling(word: str, name: str) -> int | None:
    """How many edits spell ``name`` as ``word``, if ``word`` may be ``name`` misspelled: five
    letters or more, the same first letter, one edit (two for eight letters or more). "Aliev" is
    "Aliyev" (1), "Lukashenka" "Lukashenko" (1); not "Beibniz" "Leibniz" (SQuAD 2.0 swaps such a
    name in to ask what its text does not say), nor "Mark" "Mary"."""
    most = 2 if len(word) >= 8 else 1
    if len(word) < 5 or word[0] != name[0] or abs(len(word) - len(name)) > most:
        return None
    previous = list(range(len(name) + 1))
    for i, letter in enumerate(word, 1):
        current = [i]
        for j, other in enumerate(name, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)))
        if min(current) > most:
            return None
        previous = current
    return previous[-1] if previous[-1] <= most else None


def _common_subsequence(first: list[str], weights: list[float], second: list[str]) -> float:
    """The weight of the heaviest subsequence ``first`` and ``second`` share (``weights`` are
    ``first``'s)."""
    best = [0.0] * (len(second) + 1)
    for term, weight in zip(first, weights):
        diagonal = 0.0  # best[j] of the row before, for the column before
        for j, other in enumerate(second, 1):
            above = best[j]
            best[j] = max(above, best[j - 1], diagonal + weight if term == other else 0.0)
            diagonal = above
    return best[-1]


def _last_at_or_before(starts: np.ndarray, offset: int) -> int:
    """The position of the last of the sorted ``starts`` at or before ``offset`` (0 if none is)."""
    return max(int(np.searchsorted(starts, offset, side="right")) - 1, 0)
