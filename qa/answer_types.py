"""What kind of answer a question asks for, and whether a sentence contains one.

"How many ...?" wants a number, "how much does it cost?" an amount of money, "when ...?" a
time. A sentence without such an expression cannot answer the question, however similar its
words: this is how qa tells "How many tractors were assembled?" (answerable) from "How much does
a tractor cost?" (not, when the text names no price).
"""

from __future__ import annotations

import re

NUMBER, MONEY, TIME, DURATION = "number", "money", "time", "duration"

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|millions?|billions?|trillions?|dozens?|half|twice|thrice|double|triple|several|once"
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_PATTERNS = {
    # a number word inside a compound ("two-way", "one-on-one") counts nothing
    NUMBER: re.compile(rf"\d|(?<![\w-])(?:{_NUMBER_WORDS})(?![\w-])|\bper ?cent\b|%", re.IGNORECASE),
    MONEY: re.compile(
        r"[$€£¥₽₼]\s?\d|\d\s?(?:[$€£¥₽₼])|\b(?:dollars?|euros?|pounds?|rubles?|roubles?|manats?|yuan|yen|"
        r"francs?|cents?|usd|eur|byn|azn|rub)\b",
        re.IGNORECASE,
    ),
    TIME: re.compile(
        rf"\b(?:{_MONTHS})\b|\b(?:1[5-9]|20)\d\d(?:s)?\b|\d(?:st|nd|rd|th)? century|\b(?:monday|tuesday|"
        r"wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|tonight|ago|since|until|"
        r"recently|soon|later|earlier|decades?|centur(?:y|ies)|morning|evening|night|spring|summer|autumn|"
        r"winter|o'clock|annual(?:ly)?|(?:last|next|this|that|every|each|the same) (?:year|month|week|day|time|period))\b|"
        r"\b\d+ (?:years?|months?|weeks?|days?|hours?|minutes?) ",
        re.IGNORECASE,
    ),
}
# "how long?" may be answered by a duration with no number in it
_VAGUE_DURATION = re.compile(r"\b(?:a )?long (?:time|while)\b|\b(?:for|over) (?:years|months|weeks|decades|ages)\b", re.I)
_QUESTIONS = (
    (MONEY, re.compile(r"\bhow much\b.*\b(?:cost|costs|price|pay|paid|spend|spent|worth|money|funds?|invest\w*|budget|charge\w*|sell|sold|buy|bought)\b|\b(?:price|cost) of\b|\bin (?:dollars|euros|rubles)\b", re.IGNORECASE)),
    (DURATION, re.compile(r"\bhow long\b", re.IGNORECASE)),
    (NUMBER, re.compile(r"\bhow (?:many|much|long|old|far|big|large|tall|high|often)\b|\bwhat (?:percentage|percent|proportion|number|share|amount)\b|\bpopulation\b", re.IGNORECASE)),
    (TIME, re.compile(r"^\s*(?:when\b|(?:in |on |by |since |until )?what (?:year|date|day|month|time|decade|century)\b)|\bwhen (?:did|does|do|was|were|is|will|has|had)\b", re.IGNORECASE)),
)


def expected(question: str) -> str | None:
    """The kind of answer ``question`` asks for, when it asks for a number, money or a time."""
    for kind, pattern in _QUESTIONS:
        if pattern.search(question):
            return kind
    return None


def contains(text: str, kind: str) -> bool:
    """True when ``text`` has an expression of ``kind`` (money counts as a number too)."""
    if kind == DURATION:  # "how long?": a length or a time, or a duration without a number ("for years")
        return contains(text, NUMBER) or contains(text, TIME) or bool(_VAGUE_DURATION.search(text))
    if kind == NUMBER:
        return bool(_PATTERNS[NUMBER].search(text) or _PATTERNS[MONEY].search(text))
    return bool(_PATTERNS[kind].search(text))
