"""Questions asking for a labelled value: "What is the address?", "What's the phone number?".

A contact page, a form or an e-mail's header writes such values as "label: value" lines
("Address: 4 Harbour Street, Portwell", "Phone: 01632 960 412"), which no sentence around them
explains. The reader, trained on prose, finds the value but doubts it (it refused "What is the
address?" over the line that gives it). A question of the shape "What is the X?" is answered
with the value of a line whose label is X: every word of the label, stemmed, is a word of X
("Phone" for "phone number"; "Email" rather than "Address" for "email address"), in one of
the passages retrieval ranks first. A question that says whose value it asks ("What is the date
of the review?") is read as any other: a line "Date: …" may be another thing's.

Any other question that names a line's label ("When are you open on Fridays?" of lines
"Monday to Thursday: …", "Friday: …", "Saturday: …") is read with that line preferred
(``named``): the reader, drawn by the likeliest-looking value, had quoted the first line.
"""

from __future__ import annotations

import re

from ..ingest.text import tokenize

_ASKS = re.compile(
    r"^\s*(?:(?:and|so)\W+)?(?:what|which|when|where|who)(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+"
    r"(?:(?:the|your|its|their|our|his|her)\s+)?(?P<label>[^?.!]{1,40}?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_LINE = re.compile(r"^[^\S\n]*(?P<label>[^\W\d_][^:\n]{0,30}):[^\S\n]+(?P<value>\S[^\n]*)", re.MULTILINE)  # a line "label: value"
_PREPOSITIONS = frozenset("of for in on at to from by with about".split())
PASSAGES = 3  # the passages retrieval ranks first that may hold the line


def asks(question: str) -> list[str]:
    """The stemmed words of the label ``question`` asks the value of ("address" of "What is
    the address?"); [] for any other question, and for one that says whose ("What is the date
    of the review?": a line "Date: …" may be another thing's)."""
    match = _ASKS.match(question)
    if match is None or _PREPOSITIONS.intersection(match["label"].lower().split()):
        return []
    return tokenize(match["label"], drop_stop=True)


def value(label: list[str], text: str) -> tuple[int, int] | None:
    """The span in ``text`` of the value of a line whose label's words (stemmed) are all words
    of ``label`` ("Phone: 01632 960 412" for "phone number"), its stop aside: of the lines
    that name most of them, the first that names its first ("Email: …" for "email address",
    not "Address: …"); None for none."""
    wanted, best, found = set(label), (0, False), None
    for match in _LINE.finditer(text):
        words = set(tokenize(match["label"], drop_stop=True))
        if words and wanted.issuperset(words) and (rank := (len(words), label[0] in words)) > best:
            best, found = rank, match.span("value")
    if found is None:
        return None
    start, end = found
    return start, end - (len(text[start:end]) - len(text[start:end].rstrip(" .;,")))


def named(words: set[str], text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each sentence ``spans`` of ``text``: whether a line "label: value" opens in it whose
    label's words (stemmed) are all of ``words`` (a question's), where ``text`` has another such
    line whose label is not ("Friday: …" among the opening hours, for "When are you open on
    Fridays?"); all False when no line or every line is named."""
    labels = [(match.start(), tokenize(match["label"], drop_stop=True)) for match in _LINE.finditer(text)]
    lines = [(at, bool(label) and words.issuperset(label)) for at, label in labels]
    if all(hit for _, hit in lines) or not any(hit for _, hit in lines):
        return [False] * len(spans)
    return [any(hit and start <= at < end for at, hit in lines) for start, end in spans]
