"""A passage with the people its pronouns stand for: "He welcomed Ilham Aliyev in Belarus." read
as "Aleksandr Lukashenko welcomed Ilham Aliyev in Belarus.", for a question asking who did it.

Asked "Who welcomed Ilham Aliyev?", the reader is drawn to a sentence that names someone and
away from the one whose subject is "He"; given the sentence with the person in the pronoun's
place, it reads it as answering. A sentence that opens with "he" or "she" (or has a short lead
such as "In this context," before it), outside quoted speech, has it replaced by the person
``attribution.who_is`` finds; offsets map both ways, so that what the reader points at in the
substituted text is a span of the passage as it stands. Other questions read the passage as it
stands: read so for a question naming the person ("What did Lukashenko thank Azerbaijan
for?"), the validation sets lost a turn and a question to passages that came to name the
person more often.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import attribution

# "He …", "In this context, he …": a subject pronoun that opens a sentence
_OPENING = re.compile(r"\s*(?:[A-Z][^,.;:!?“”\"]{0,40},\s+)?(?P<pronoun>[Hh]e|[Ss]he)\b(?!['’])")
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he)\b(?!['’])")
_WHO = re.compile(r"\s*(?:(?:and|but|so)\s+)?who\b", re.IGNORECASE)
# the writer of an e-mail in the first person, and what each form reads as with their name in its place
_FIRST_PERSON = re.compile(r"(?<![\w'’-])(?:I(?:['’](?:m|d|ll|ve))?|[Mm]y|me)(?![\w'’-])")
_AS_NAMED = {"i": "{}", "i'm": "{} is", "i'd": "{} would", "i'll": "{} will", "i've": "{} has", "my": "{}'s", "me": "{}"}
# "Who did he meet?", "Who is Ilham Aliyev?", "Who will Belarus train?": a subject after the verb
_WHO_OBJECT = re.compile(
    r"\s*(?i:(?:and|but|so)\s+)?(?i:who)\s+(?i:did|does|do|is|was|are|were|has|have|had|will|would|can|could|should|shall|may|might|must)\s+"
    r"(?:[A-Z]|(?i:he|she|they|it|we|you|i|the|a|an|this|that|these|those|his|her|their|its|our|my|your)\b)"
)


def asks_who(question: str) -> bool:
    """Whether ``question`` asks who ("Who welcomed Ilham Aliyev?", "And who said so?")."""
    return _WHO.match(question) is not None


def asks_who_did(question: str) -> bool:
    """Whether ``question`` asks who did something ("Who welcomed Ilham Aliyev?", "Who will
    visit Minsk?"), not whom someone did it to ("Who did he meet?") or who a person it names is
    ("Who is Ilham Aliyev?", which "He is convinced …" read as "Ilham Aliyev is convinced …"
    would answer)."""
    return asks_who(question) and _WHO_OBJECT.match(question) is None


@dataclass(frozen=True)
class Substituted:
    """``text`` (a passage's) as read: ``changes`` are (start, end, name) in the passage's
    offsets, in order, each pronoun ``text[start:end]`` replaced by ``name``."""

    original: str
    changes: tuple[tuple[int, int, str], ...] = ()

    @property
    def text(self) -> str:
        parts, at = [], 0
        for start, end, name in self.changes:
            parts += [self.original[at:start], name]
            at = end
        return "".join([*parts, self.original[at:]])

    def to_read(self, position: int) -> int:
        """Offset ``position`` of the passage in the substituted text (a change's start to its
        name's start, its end to its name's end)."""
        shift = 0
        for start, end, name in self.changes:
            if end > position:
                break
            shift += len(name) - (end - start)
        return position + shift

    def spans_read(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Spans of the passage as spans of the substituted text."""
        return [(self.to_read(start), self.to_read(end)) for start, end in spans]

    def to_passage(self, start: int, end: int) -> tuple[int, int]:
        """The passage's span for span ``start``..``end`` of the substituted text: a span in a
        name is the pronoun it replaced."""
        return self._back(start, closing=False), self._back(end, closing=True)

    def _back(self, position: int, closing: bool) -> int:
        """Offset ``position`` of the substituted text in the passage: inside a name, its
        pronoun's start (or, ``closing``, its end)."""
        shift = 0  # how much longer the substituted text is before ``position``
        for start, end, name in self.changes:
            read_start = start + shift
            if position <= read_start:
                break
            if position < read_start + len(name):
                return end if closing else start
            shift += len(name) - (end - start)
        return position - shift


def substituted(text: str, passage_start: int, passage: str, sentences: list[tuple[int, int]]) -> Substituted:
    """``passage`` (at ``passage_start`` in the document ``text``) with each sentence of
    ``sentences`` (spans in the passage) that opens with "he" or "she" read with the person
    the text means in its place, where it tells (``attribution.who_is``)."""
    changes = []
    for start, end in sentences:
        match = _OPENING.match(passage, start, end)
        if match is None:
            continue
        at = match.start("pronoun")
        who = attribution.who_is(text, passage_start + at, match.group("pronoun"))
        if who:
            changes.append((at, match.end("pronoun"), who))
    return Substituted(passage, tuple(changes))


def written(text: str, passage_start: int, passage: str, subjects: bool = False) -> tuple[tuple[int, int, str], ...]:
    """The changes (``Substituted.changes``) that read ``passage`` (at ``passage_start`` in the
    document ``text``) with the writer of the e-mail it is in named where they write in the first
    person ("I can bring a frisbee and my speaker" read "Benedikt Strand can bring a frisbee and
    Benedikt Strand's speaker"; ``attribution.writer``: not in a quoted line or in quotation marks);
    with ``subjects``, only where they are the subject ("I", "I'd": who does something, not "in my
    name"); none outside an e-mail."""
    changes = []
    for match in _FIRST_PERSON.finditer(passage):
        if subjects and not match.group().startswith("I"):
            continue
        if who := attribution.writer(text, passage_start + match.start()):
            changes.append((match.start(), match.end(), _AS_NAMED[match.group().lower().replace("’", "'")].format(who)))
    return tuple(changes)


def with_changes(passage: Substituted, changes: tuple[tuple[int, int, str], ...]) -> Substituted:
    """``passage`` read with ``changes`` too (none overlapping its own)."""
    return Substituted(passage.original, tuple(sorted((*passage.changes, *changes)))) if changes else passage


def speaker_named(passage: Substituted, sentences: list[tuple[int, int]], said: list[tuple[int, int] | None], named: str) -> Substituted:
    """``passage`` with the "he" or "she" that says who speaks a sentence (outside what is said:
    '"…," she said.') read as ``named`` (the speaker, as a question names them: "the mayor"),
    for each sentence of ``sentences`` that ``said`` gives as their speech (the span of what they
    say, in the passage)."""
    changes = list(passage.changes)
    for (start, end), found in zip(sentences, said):
        if found is None:
            continue
        said_start, said_end = found
        for outside in ((start, said_start), (said_end, end)):
            match = _PRONOUN.search(passage.original, *outside)
            if match and not any(s < match.end() and match.start() < e for s, e, _ in changes):
                changes.append((match.start(), match.end(), named))
                break
    return Substituted(passage.original, tuple(sorted(changes)))
