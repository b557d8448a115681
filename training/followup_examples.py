"""Follow-ups made from SQuAD 1.1: a question that names its article's subject, asked with a
pronoun in its place after another question of the article that names it.

"When did Beyoncé start becoming popular?" after "What was the name of Beyoncé's first solo
album? Dangerously in Love" becomes "When did she start becoming popular?": the pronoun is
resolved only by the previous turn, and the answer is in the question's own paragraph, which
need not be the one the previous answer came from. That paragraph, when it is another and does
not hold the answer, is asked too, and does not answer: the previous turn says who "she" is,
not where the answer is (``--pronouns`` in ``train_reader.py``; what the model card's tenth and
eleventh runs found a reader given the previous turn lacks).

The subject's pronoun is the article's own: the one that most often opens the sentence after
one that names the subject, among "He", "She" (a person, whose title is names only; the surname
alone names the subject too) and "It" / "They" (a thing; "they" only for a plural title of one
or two words). Only a name written as a name counts (capitalized: "Hydrogen" in "What is
Hydrogen's symbol?", not "hydrogen"). Where the name stands decides the form: after a question
word or an auxiliary, or first, the subject ("she"); with "'s", the possessive ("her"); else
the object ("her"). A name used as a modifier ("What Beyoncé song …", "the Apollo program",
"each PlayStation 3 console") or inside a longer name ("von Neumann") is left alone, and so is
its question.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

FORMS = {"he": ("he", "him", "his"), "she": ("she", "her", "her"), "it": ("it", "it", "its"), "they": ("they", "them", "their")}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z])")
_OPENING = re.compile(r"(He|She|It|They)\b")
_SUBJECT_AFTER = frozenset(
    "did does do was is were are has have had will would can could should might may shall "
    "when where who why how whom".split()
)
_PARTICLES = frozenset("von van de da du di del der le la al bin ibn".split())
_MODIFIER_AFTER = _PARTICLES | frozenset(
    "what which whose the a an this that these those each every any some other all more most many much new old "
    "its their his her our your my".split()
)


@dataclass(frozen=True)
class Followup:
    question: str  # the question with a pronoun for the subject's name
    previous: str  # the turn before: another question naming the subject, and its short answer
    text: str
    answer: tuple[int, int] | None  # the answer's span in ``text``; None: ``text`` does not answer


def plain(text: str) -> str:
    """``text`` without accents ("Beyoncé" → "Beyonce"; questions often drop them)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def subject_pronoun(title: str, paragraphs: list[str]) -> str:
    """The pronoun an article uses for its subject: "he" or "she" when the sentences after one
    that names it (its title, or its last word) open with it at least three times, and twice as
    often as with the other three, else "they" for a plural title and "it"."""
    if any(word[:1].islower() and word not in _PARTICLES for word in title.split()):
        return "it"  # no one's name: "On the Origin of Species"
    names = [_pattern(name) for name in {title, title.split()[-1]}]
    opened: Counter[str] = Counter()
    for paragraph in paragraphs:
        sentences = _SENTENCE_END.split(plain(paragraph))
        for before, sentence in pairwise(sentences):
            if (match := _OPENING.match(sentence)) and any(n.search(before) for n in names):
                opened[match.group(1).lower()] += 1
    person = max(("he", "she"), key=lambda p: opened[p])
    others = opened["it"] + opened["they"] + opened[{"he": "she", "she": "he"}[person]]
    if opened[person] >= 3 and opened[person] >= 2 * others:
        return person
    return "they" if title.endswith("s") and len(title.split()) <= 2 and opened["they"] > opened["it"] else "it"


def _pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(plain(name)) + r"(?P<own>['’]s)?(?![\w-])", re.IGNORECASE)


def pronominal(question: str, names: list[str], pronoun: str) -> str | None:
    """``question`` with the first of ``names`` it holds replaced by ``pronoun`` in the form its
    place asks for; None where it holds none, or only as a modifier or part of a longer name."""
    flat = plain(question)
    if len(flat) != len(question):
        return None
    match = next((m for name in names if (m := _pattern(name).search(flat))), None)
    if match is None or not question[match.start()].isupper():
        return None
    before = question[: match.start()].split()
    after = question[match.end() :].lstrip()
    if after[:1].isupper() or (before and before[-1][:1].isupper() and len(before) > 1):
        return None  # part of a longer name: "Beyoncé Knowles", "King George" (names: "George")
    subject, object_, own = FORMS[pronoun]
    if match.group("own"):
        word = own
    elif before and before[-1].lower() in _MODIFIER_AFTER:
        return None  # "What Beyoncé song …"
    elif not before or before[-1].lower() in _SUBJECT_AFTER:
        word = subject
    else:
        word = object_
    if not before:
        word = word.capitalize()
    return question[: match.start()] + word + question[match.end() :]


def article_followups(article: dict, rng: random.Random) -> list[Followup]:
    """Every question of ``article`` that names its subject, asked as a follow-up of another such
    question (answerable in its own paragraph), and against that question's paragraph when it is
    another that does not hold the answer (not answering)."""
    title = article["title"].replace("_", " ")
    paragraphs = [p["context"] for p in article["paragraphs"]]
    pronoun = subject_pronoun(title, paragraphs)
    names = [title] + ([title.split()[-1]] if pronoun in ("he", "she") and " " in title else [])
    naming = [
        (index, qa)
        for index, paragraph in enumerate(article["paragraphs"])
        for qa in paragraph["qas"]
        if any(_pattern(name).search(plain(qa["question"])) for name in names)
    ]
    out = []
    for index, qa in naming:
        asked = pronominal(qa["question"], names, pronoun)
        others = [(i, q) for i, q in naming if q is not qa]
        if asked is None or not others:
            continue
        where, before = rng.choice(others)
        previous = f"{before['question']} {before['answers'][0]['text']}"
        answer = qa["answers"][0]
        start = answer["answer_start"]
        out.append(Followup(asked, previous, paragraphs[index], (start, start + len(answer["text"]))))
        if where != index and answer["text"] not in paragraphs[where]:
            out.append(Followup(asked, previous, paragraphs[where], None))
    return out


def followup_examples(path: Path, count: int, seed: int) -> list[Followup]:
    """``count`` follow-ups (with their not-answering pairs) drawn from all of SQuAD 1.1 train at ``path``."""
    rng = random.Random(seed)
    articles = json.loads(path.read_text(encoding="utf-8"))["data"]
    pool = [f for article in articles for f in article_followups(article, rng)]
    rng.shuffle(pool)
    return pool[:count]
