"""Questions about a whole text: "What is this article about?", "Who is the story about?".

No sentence of a text says "this article is about …", and the reader, asked so, quotes whatever
sentence matches "about" or "article" best ("This is the future."). A text says what it is
about where it begins: a news report's lead sums it up, a story's opening introduces its people.
Such a question is answered with the first sentence of the document's first passage (its title
aside), and "Who …?" with the first person that sentence names whom the text names again and
again (a story's or a report's person, not a place or a day it mentions once).
"""

from __future__ import annotations

import re

from ..ingest.text import STOPWORDS
from .attribution import people

_TEXTS = r"(?:article|text|story|document|passage|report|book|piece|page|file|essay|paper|chapter|post|news|tale|extract|excerpt)"
_ASKS = re.compile(
    rf"^\s*(?:(?:so|and|ok|okay)\W+)?(?P<who>what|who|whom)(?:'s|’s|\s+is|\s+was)\s+(?:this|the)\s+{_TEXTS}\s+(?:(?:mainly|mostly|really|all)\s+)?about\W*$"
    rf"|^\s*what(?:'s|’s|\s+is|\s+was)\s+the\s+main\s+(?:idea|topic|subject|point)(?:\s+of\s+(?:this|the)\s+{_TEXTS})?\W*$"
    rf"|^\s*(?:please\s+)?summari[sz]e\s+(?:this|the)\s+{_TEXTS}\W*$",
    re.IGNORECASE,
)
_CAPITALIZED = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
REPEATED = 3  # how often a text names the person it is about, at least (by surname, or a one-word name)
OPENING = 2  # as often, for one named where its first sentence opens (a biography names its subject twice or so, then "she")


def asks(question: str) -> str | None:
    """"who" for a question asking who a whole text is about ("Who is the story about?"),
    "what" for one asking what it is about ("What is this article about?", "What is the main
    idea?", "Summarize the text"); None for any other question."""
    match = _ASKS.match(question)
    if match is None:
        return None
    return "who" if (match["who"] or "").lower() in ("who", "whom") else "what"


def person_in(sentence: str, text: str) -> tuple[int, int] | None:
    """The character span of the first person ``sentence`` (of ``text``) names whom the text
    names again and again: a name of two words or more ("Azerbaijan President Ilham Aliyev":
    Ilham Aliyev, whose surname recurs; not "the Marrow River"; named where the sentence opens,
    twice will do), or else a capitalized word that is no function word ("Sam was eight years
    old …"; not "Tuesday"); None for none."""
    for name in people(sentence):
        at = sentence.find(name)
        opens = not re.search(r"\b[a-z]", sentence[:at])  # "Belarus President Aleksandr Lukashenko and …"
        if _repeated(name.split()[-1], text, OPENING if opens else REPEATED):
            return at, at + len(name)
    for match in _CAPITALIZED.finditer(sentence):
        if match.group().split()[0].lower() not in STOPWORDS and _repeated(match.group(), text):
            return match.span()
    return None


def _repeated(name: str, text: str, times: int = REPEATED) -> bool:
    """Does ``text`` name ``name`` (a person's surname, or a one-word name) at least ``times``?"""
    return len(re.findall(rf"\b{re.escape(name)}\b", text)) >= times
