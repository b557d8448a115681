"""Questions asking for several things ("Which venues did Priya shortlist?", "What documents do I
need to bring?").

A text answers them with a list that a sentence announces ("I've shortlisted three venues:",
then "1. Hollin Barn Retreat …", "2. …"). No item says what the list is of, and the reader,
trained on questions that one span answers, scores the passage low: it had quoted the sentence
before the list ("… we're going ahead with the autumn offsite …"). Such a question is answered
with the announcing sentence and the whole list, where one of the passages retrieval ranks first
has a sentence ending in a colon before list items that names the things asked for (the plural
noun after "which" or "what", stemmed) and a third of the question's words or more; or with a
list under a heading that does ("What new features came in 3.5.0?" of a changelog's "Version
3.5.0 › New features"). Of several, the one that holds the most of the question's words.
"""

from __future__ import annotations

import re

from ..ingest.text import STOPWORDS, tokenize

_ASKS = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)\W+)?(?:(?P<which>which)|what)\s+(?P<are>(?:are|were)\s+(?:the|its|their|your)\s+)?"
    r"(?:(?P<kind>[a-z]+)\s+)??(?P<things>[a-z]{3,}s)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
# after "what", a word in "-s" is a verb ("What happens next?", "What causes it?") unless a word
# before it or an auxiliary after it makes it a noun ("What new features …", "What documents do I need?")
_AUXILIARY = re.compile(r"\s+(?:do|does|did|are|were|have|has|had|will|would|can|could|should|must|came|come)\b", re.IGNORECASE)
PASSAGES = 3  # the passages retrieval ranks first that may hold the list


def asks(question: str) -> list[str]:
    """The stemmed words of ``question`` when it asks for several things ("Which venues …?",
    "What new features …?", "What are the known issues …?"), the things first ("venu", "priya",
    "shortlist" of "Which venues did Priya shortlist?"); [] for any other."""
    match = _ASKS.match(question)
    if match is None or any(word and word.lower() in STOPWORDS for word in (match["kind"], match["things"])) or match["things"].lower().endswith("ss"):
        return []  # "What does …", "What was his …": no things asked for
    if not (match["which"] or match["are"] or match["kind"] or _AUXILIARY.match(match["rest"])):
        return []
    things = tokenize(match["things"], drop_stop=True)
    words = tokenize(f"{match['kind'] or ''} {match['rest']}", drop_stop=True)
    return [*things, *(word for word in words if word not in things)] if things else []


def announces(asked: list[str], text: str | None) -> int:
    """How well ``text``, a sentence ending in a colon or a list's heading, announces the things
    ``asked`` for (``asks``): the number of the question's words it holds, where it names the
    things and holds a third of the words or more; 0 otherwise."""
    held = set(tokenize(text or "", drop_stop=True)).intersection(asked)
    return len(held) if asked[0] in held and 3 * len(held) >= len(asked) else 0
