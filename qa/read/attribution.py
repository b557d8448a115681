"""Who said it: the speaker of a sentence that is part of a quotation.

News text quotes people and attributes the quote before or after it ("..., the head of state
said."). A pronoun or a title as the attribution ("he", "the President") is resolved to the
nearest person named as the subject of an earlier sentence.
"""

from __future__ import annotations

import re

from ..ingest import chunking

_OPEN, _CLOSE = "“«", "”»"
_VERBS = (
    r"said|says|noted|notes|stressed|stresses|emphasized|emphasised|remarked|added|stated|told|"
    r"explained|underlined|pointed out|declared|assured|continued|concluded|asked|replied|answered"
)
_NAME = r"(?:[A-Z][a-zà-ÿ'’-]+)(?:\s+[A-Z][a-zà-ÿ'’-]+){1,2}"
_AFTER_VERB_FIRST = re.compile(rf"^[\s,.;:—–-]*(?:{_VERBS})\s+(?P<who>[^,.;:!?“”\"]{{2,80}}?)\s*[,.;:!?]")
_AFTER_WHO_FIRST = re.compile(rf"^[\s,.;:—–-]*(?P<who>[^,.;:!?“”\"]{{2,80}}?)\s+(?:{_VERBS})\b")
_BEFORE = re.compile(rf"(?P<who>{_NAME}|\b[Hh]e|\b[Ss]he|\b[Tt]he [a-z ]{{3,30}})\s+(?:{_VERBS})(?:\s+that)?\s*[:,]?\s*$")
_NOT_NAMES = r"(?!(?:The|A|An|In|On|At|As|By|For|From|With|During|After|Before|According|Speaking|This|That|These|Those|Apart|Also|However|Today|Our|Their|His|Her|Its|We|They|He|She|It)\b)"
_SUBJECT = re.compile(rf"^(?:[A-Z][a-z]+\s+){{0,2}}?{_NOT_NAMES}(?P<name>{_NAME})\s+(?:[a-z]|,)")


def quotation_depth(text: str, start: int, position: int) -> int:
    """Open quotations at ``position``, counting from ``start`` (a paragraph's start)."""
    depth = 0
    for char in text[start:position]:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
    return depth


def quote_part(text: str, start: int, end: int, paragraph_start: int) -> tuple[int, int, bool]:
    """The part of sentence ``text[start:end]`` that is quoted speech, and whether there is one.

    A sentence that closes a quotation and then attributes it ("... Azerbaijan,” the head of
    state said.") is cut just before the closing mark; the attribution is reported apart.
    """
    inside = quotation_depth(text, paragraph_start, start) > 0
    opens = text[start] in _OPEN
    if not inside and not opens:
        return start, end, False
    close = next((i for i in range(start + 1, end) if text[i] in _CLOSE), None)
    if close is not None and text[close + 1 : end].strip(" ,.") and not text[start:close].count("“") > 1:
        cut = close
        while cut > start and text[cut - 1] in ",; ":
            cut -= 1
        return start, cut, True
    return start, end, True


def speaker(text: str, start: int, end: int, paragraph: chunking.Span) -> str | None:
    """Who speaks the quoted sentence ``text[start:end]`` inside ``paragraph``, if it is quoted."""
    if quotation_depth(text, paragraph.start, start) == 0 and text[start] not in _OPEN:
        return None
    who = _attribution_after(text, start, paragraph) or _attribution_before(text, start, paragraph)
    if who is None:
        return _subject_before(text, start)
    if re.fullmatch(_NAME, who):
        return who
    return _subject_before(text, start) or who


def _attribution_after(text: str, start: int, paragraph: chunking.Span) -> str | None:
    close = next((i for i in range(start, paragraph.end) if text[i] in _CLOSE), None)
    if close is None:
        return None
    tail = text[close + 1 : paragraph.end]
    match = _AFTER_VERB_FIRST.match(tail) or _AFTER_WHO_FIRST.match(tail)
    return match.group("who").strip() if match else None


def _attribution_before(text: str, start: int, paragraph: chunking.Span) -> str | None:
    opening = max((i for i in range(paragraph.start, start + 1) if text[i] in _OPEN), default=None)
    if opening is None:
        return None
    match = _BEFORE.search(text[paragraph.start : opening])
    return match.group("who").strip() if match else None


def _subject_before(text: str, position: int) -> str | None:
    """The person named as the subject of the nearest earlier sentence that names one."""
    for sentence in reversed(chunking.sentences(text, max(0, position - 4000), position)):
        if sentence.end > position:
            continue
        body = text[sentence.start : sentence.end].lstrip("“\"«")
        match = _SUBJECT.match(body)
        if match:
            return match.group("name")
    return None
