"""Questions asking how to do something ("How do I make coffee?", "How can I book an appointment?").

A manual, a recipe or a help page answers them with a list of steps under a heading that names
the task ("## Making coffee", then "1. Fill the water tank …"). No sentence of the list says
what it is for, and the reader, trained on questions a sentence answers, scores each step low
or quotes another passage that shares the question's words ("Appointments missed without notice
are charged £25" for "How do I book an appointment?"). Such a question is answered with the whole
list, where one of the passages retrieval ranks first is a list (two lines or more, numbered or
marked) whose heading names the task: at least half of the task's words, stemmed, light verbs
aside ("Booking an appointment" for "book an appointment" and "make an appointment"; not
"Making coffee" for "make a claim").
"""

from __future__ import annotations

import re

from ..ingest.text import tokenize

_ASKS = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)\W+)?(?:"
    r"how\s+(?:do|can|could|should|would|must|may)\s+(?:i|we|you|one)\s+(?P<task>.+?)"
    r"|how\s+to\s+(?P<to>.+?)"
    r"|what\s+(?:are|is)\s+the\s+(?:steps?|procedure|process)\s+(?:to|for)\s+(?P<steps>.+?)"
    r")\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# not a task but a question about one ("How do I know when it's ready?", "How can I tell …?")
_NOT_A_TASK = frozenset("know tell".split())
_LIGHT_VERBS = frozenset(tokenize("make do get use have take go put set give", drop_stop=False))
_ITEM = re.compile(r"^[^\S\n]*(?:\d{1,2}[.)]|[-*•])\s+\S", re.MULTILINE)
PASSAGES = 3  # the passages retrieval ranks first that may hold the list


def asks(question: str) -> list[str]:
    """The stemmed words of the task ``question`` asks how to do ("make", "coffe" of "How do I
    make coffee?"); [] for any other question (and for "How do I know when it's ready?": a
    question about a step, which a sentence answers)."""
    match = _ASKS.match(question)
    if match is None:
        return []
    task = match["task"] or match["to"] or match["steps"]
    if task.split()[0].lower() in _NOT_A_TASK:
        return []
    return tokenize(task, drop_stop=True)


def is_item_list(text: str) -> bool:
    """Whether passage ``text`` is a list: two lines or more, each an item ("1. …", "- …")."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and len(_ITEM.findall(text)) == len(lines)


def names_task(task: list[str], heading: str | None) -> bool:
    """Whether ``heading`` names the ``task`` (stemmed words): at least half of its words, a
    light verb's aside ("make" of "make an appointment" need not be named, "appointment" must)."""
    words = set(task) - _LIGHT_VERBS
    if not words or not heading:
        return False
    named = set(tokenize(heading, drop_stop=True))
    return 2 * len(words & named) >= len(words)
