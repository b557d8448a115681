"""Questions asking what a thing is: "What is firn?", "What are crevasses?".

A text defines a term by naming it after what it is ("Snow that has survived at least one summer
is called firn.", "the surface cracks open into deep splits called crevasses"), by opening a
sentence with it and what it is ("A horn is a sharp peak …"), or by naming it after a sentence
that says what it is ("Sometimes a glacier suddenly speeds up … This is called a surge."). The
reader, drawn to the sentences that say most about the term, had quoted "Firn looks a bit like
wet sugar." for "What is firn?". A sentence that defines the term gives the definition as its
short answer (``defined``): the words before "is called", the phrase before "called", what
follows "is", or the sentence before "This is called …".
"""

from __future__ import annotations

import re

from ..ingest.text import STOPWORDS

_ASKS = re.compile(
    r"^\s*(?:(?:and|so)\s+)?what(?:\s+(?:is|are|was|were)|['’]s)\s+(?:(?:a|an|the)\s+)?(?P<term>[^\W\d_][\w'’ -]{0,40}?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
MAX_WORDS = 4  # a term of more words is a question of another kind ("What is the name of the town?")
_NAMING = r"(?:also\s+)?(?:called|known\s+as|termed|named|referred\s+to\s+as)"
_ARTICLE = r"(?:(?:a|an|the)\s+)?"
_BE = r"(?:is|are|was|were)"
PHRASE_WORDS = 3  # the most words of the phrase before "called" ("sharp mountain peaks called horns")
_POINTING = re.compile(r"\s*(?:this|that|these|those|it)\s*", re.IGNORECASE)  # a subject that is only a pointer: "This is called a surge."


def asks(question: str) -> str | None:
    """The term "What is firn?" asks about ("firn"), of at most ``MAX_WORDS`` words none of which
    is a stop word ("What is it?", "What is the name of the town?" ask something else); None
    for another question."""
    match = _ASKS.match(question)
    if match is None:
        return None
    words = match["term"].split()
    if len(words) > MAX_WORDS or any(word.lower() in STOPWORDS for word in words):
        return None
    return " ".join(words)


def defined(term: str, sentence: str, before: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The span in ``sentence`` of what it says ``term`` is, where it defines it: named after
    it ("Snow that has survived at least one summer is called firn"), the phrase before
    "called" ("deep splits called crevasses"), or what follows when the sentence opens with it
    ("A horn is a sharp peak …"); ``before`` (the span of the sentence before it, in the same
    coordinates) where "This is called a surge." names it after that sentence. The term may be
    named by its last word alone ("a surge" for "glacier surge") and in the plural. None when
    the sentence does not define it."""
    *modifiers, head = term.split()
    named = "".join(rf"(?:{re.escape(w)}\s+)?" for w in modifiers) + rf"{re.escape(head)}(?:s|es)?\b"
    after = re.search(rf"\s+{_BE}\s+{_NAMING}\s+{_ARTICLE}{named}", sentence, re.IGNORECASE)
    if after is not None:
        if _POINTING.fullmatch(sentence[: after.start()]):  # "This is called a surge.": the sentence before says what
            return before
        return _trimmed(sentence, 0, after.start())
    apposed = re.search(rf",?\s+{_NAMING}\s+{_ARTICLE}{named}", sentence, re.IGNORECASE)
    if apposed is not None:
        # the words before "called", back to a stop word or a comma: "… into deep splits called crevasses"
        words = list(re.finditer(r"[\w'’-]+", sentence[: apposed.start()]))[-PHRASE_WORDS:]
        while any(w[0].lower() in STOPWORDS or re.search(r"[,;:]", sentence[w.end() : apposed.start()]) for w in words):
            words.pop(0)
        return _trimmed(sentence, words[0].start(), apposed.start()) if words else None
    opens = re.match(rf"\s*{_ARTICLE}{named}\s+{_BE}\s+(?=(?:a|an|the|when|where|what|how)\b)", sentence, re.IGNORECASE)
    if opens is not None:
        return _trimmed(sentence, opens.end(), len(sentence))
    return None


def _trimmed(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """``sentence[start:end]`` without the spaces and the closing stop around it; None when
    nothing is left."""
    part = sentence[start:end]
    stripped = part.strip().rstrip(".;:,")
    if not stripped:
        return None
    start += len(part) - len(part.lstrip())
    return start, start + len(stripped)
