"""Questions asking for several things ("Which venues did Priya shortlist?", "What documents do I
need to bring?").

A text answers them with a list that a sentence announces ("I've shortlisted three venues:",
then "1. Hollin Barn Retreat …", "2. …"). No item says what the list is of, and the reader,
trained on questions that one span answers, scores the passage low: it had quoted the sentence
before the list ("… we're going ahead with the autumn offsite …"). Such a question is answered
with the announcing sentence and the whole list, where one of the passages retrieval ranks first
has a sentence ending in a colon before list items that names the things asked for (the plural
noun after "which" or "what", stemmed) and a third of the question's words or more.
"""

from __future__ import annotations

import re

from ..ingest.text import tokenize

_ASKS = re.compile(r"^\s*(?:(?:and|so|ok|okay)\W+)?(?:which|what)\s+(?P<things>[a-z]{3,}s)\b(?P<rest>.*)$", re.IGNORECASE)
_NOT_THINGS = frozenset("does was has is this".split())  # "What does …", "Which is …": no plural noun
PASSAGES = 3  # the passages retrieval ranks first that may hold the list


def asks(question: str) -> list[str]:
    """The stemmed words of ``question`` when it asks for several things, the things first
    ("venu", "priya", "shortlist" of "Which venues did Priya shortlist?"); [] for any other."""
    match = _ASKS.match(question)
    if match is None or match["things"].lower() in _NOT_THINGS or match["things"].lower().endswith("ss"):
        return []
    things = tokenize(match["things"], drop_stop=True)
    return [*things, *(word for word in tokenize(match["rest"], drop_stop=True) if word not in things)] if things else []


def announces(asked: list[str], sentence: str) -> bool:
    """Whether ``sentence``, which ends in a colon, announces the things ``asked`` for (``asks``):
    it names them, and holds a third of the question's words or more."""
    held = set(tokenize(sentence, drop_stop=True))
    return asked[0] in held and 3 * len(held.intersection(asked)) >= len(asked)
