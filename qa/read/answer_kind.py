"""What kind of answer a question asks for, and whether a quote holds one.

"When?" asks for a time, "How many?" for a number and "How tall is it?" for a measure. The
reader, asked "When?" after "Who invited whom to Azerbaijan?", still quotes the sentence that
tells the invitation, which says no time, and points at a name in it. ``asked`` gives the kind
a question asks for (TIME, NUMBER, MONEY for "How much does it cost?" and the like, MEASURE for
"How tall …?", "How far …?", "How long …?", EMAIL, PHONE and WEB for "What is her email
address?", "What's the phone number?", "What is the website?"; None for any other question) and ``holds`` whether
a quote has something of that kind: a date, a time word or a time clause ("after the talks",
"when he was ten"); a figure, a number word or a list of three things or more (loosely: "all",
"no", "first" and "a number of" count, as the check is there to catch only the answers that
cannot be one); a currency, "free" or a share ("4000 K" is no price); a number, a time word or
a unit ("a week", "in seconds"); an address with an "@", a number of six figures or more, a
web address. A follow-up whose quote has none is refused, and so is a standalone question asking
for a number whose short answer has none, or for money, a measure, an e-mail address, a phone
number or a web address whose quoted sentence has none (``Answerer.answer``).
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..ingest.text import tokenize

TIME, NUMBER, MONEY, MEASURE = "time", "number", "money", "measure"
EMAIL, PHONE, WEB = "email", "phone", "web"  # an address to write to, a number to call, a site to visit
QUOTED = (MONEY, MEASURE, EMAIL, PHONE, WEB)  # the kinds a standalone question's quoted sentence must hold

_LEAD = r"^\W*(?:(?:and|but|so|then|ok|okay|also)\W+)?(?:(?:in|on|at|by|since|until|from|to)\s+)?"
_MEASURES = "population number percentage amount total age cost price height length weight distance area size"
_ASKS = (
    (TIME, re.compile(_LEAD + r"(?:when\b|what\s+(?:time|year|day|month|date|century|decade)\b|which\s+(?:year|day|month|century|decade)\b)", re.IGNORECASE)),
    (
        NUMBER,
        re.compile(
            _LEAD + r"(?:how\s+(?:many|much|old)\b|what\s+(?:is|was|are|were)\s+the\s+(?:" + "|".join(_MEASURES.split()) + r")\s+of\b)",
            re.IGNORECASE,
        ),
    ),
    # a size, a distance or a length of time ("How big?" and "How fast?" are often answered in words: "huge")
    (MEASURE, re.compile(_LEAD + r"how\s+(?:tall|high|long|far|wide|deep|heavy)\b", re.IGNORECASE)),
    # "What is Miriam's email address?", "What's the phone number of the clinic?", "What is their website?"
    *(
        (kind, re.compile(_LEAD + r"(?:what|which)(?:['’]s|\s+(?:is|was|are|were))\s+(?:[\w'’-]+\s+){0,4}?(?:" + asked + r")(?:\W*$|\s+(?:of|for|at|to|on)\b)", re.IGNORECASE))
        for kind, asked in (
            (EMAIL, r"e-?mail(?:\s+address)?"),
            (PHONE, r"(?:tele)?phone(?:\s+number)?|mobile\s+number|fax(?:\s+number)?"),
            (WEB, r"web\s*site|web\s+address|web\s+page|url|home\s*page"),
        )
    ),
    # "What number do I call?", "Which number should we ring for claims?"
    (PHONE, re.compile(_LEAD + r"(?:what|which)\s+number\s+(?:(?:do|does|should|can|could|shall|must|would)\s+\w+\s+|to\s+)(?:call|ring|phone|dial|text)\b", re.IGNORECASE)),
)
_MONTHS = "january february march april june july august september october november december"
_TIME_WORDS = (
    f"{_MONTHS} monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight morning "
    "afternoon evening night nights noon midnight dawn dusk sunrise sunset week weeks weekend month months year years "
    "decade decades century centuries spring summer autumn fall winter christmas easter holiday holidays birthday ago "
    "later earlier when whenever after before until till since during once then now soon recently o'clock am pm day "
    "days hour hours minute minutes moment season time times age young old early late first last next"
)
_TIME = re.compile(r"\b(?:" + "|".join(map(re.escape, _TIME_WORDS.split())) + r")\b|(?-i:\bMay\b)|\d", re.IGNORECASE)
_CARDINALS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion dozen"
)
_NUMBER_WORDS = (
    f"{_CARDINALS} hundreds thousands millions billions trillion dozens half twice thrice both single double triple several couple few many "
    "much more less most all none no percent per cent once first second third fourth fifth sixth seventh eighth ninth "
    "tenth twelfth twentieth hundredth thousandth free numerous countless lot lots plenty handful pair majority "
    "minority fraction number numbers multiple various"
)
# a question asking an amount that is money ("How much did the lamps cost?"; not "How many copies were sold?")
_MONEY_ASKED = re.compile(
    r"\b(?:costs?|costed|prices?|priced|pays?|paid|charges?|charged|fees?|spends?|spent|salary|salaries|wages?|worth|"
    r"earns?|earned|rents?|budget|afford|sell|sold|buy|bought|donated?|donations?|funded|funding|funds|money|grants?|loans?|fined?|"
    r"tickets?|fares?|deposits?|premiums?|admission|tuition|tolls?|subscriptions?)\b",
    re.IGNORECASE,
)
_COUNT = re.compile(_LEAD + r"how\s+(?:many|old)\b", re.IGNORECASE)  # a count or an age, whatever was sold
_CURRENCY = re.compile(
    r"[£$€¥₹¢]|\b(?:pounds?|dollars?|euros?|yen|(?<!per\s)cents?|pence|penny|pennies|rupees?|francs?|marks?|lira|lire|pesos?|yuan|"
    r"renminbi|roubles?|rubles?|kron[aeo]r?|shillings?|guineas?|dinars?|rand|won|usd|gbp|eur)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(rf"{_CURRENCY.pattern}|%|\b(?:free|percent|per\s+cent)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d|[½¼¾]|\b(?:" + "|".join(_NUMBER_WORDS.split()) + r")\b", re.IGNORECASE)
# a list of three things or more answers "How many?" by counting them out ("a watering pot, a
# shovel, a rake and seeds")
_SEPARATORS = re.compile(r",\s|\s(?:and|or)\s")

# what makes a question that opens so ask for something else: a clause before the question
# ("When atoms combine …, what rule …?"), a second question ("When did it begin, and how?"), a
# name ("What is the number of protons … called?")
_ELSE = re.compile(
    r",\s*(?:(?:and|or)\s+)?(?:what|which|who|whom|whose|where|why|how|is|are|was|were|do|does|did|can|could|will|would)\b"
    r"|\b(?:and|or)\s+(?:how|why|where|who|what|which)\b|\b(?:called|named|known\s+as|termed)\W*$",
    re.IGNORECASE,
)


def asked(question: str) -> str | None:
    """The kind of answer ``question`` asks for: TIME ("When?", "In what year …?"), NUMBER
    ("How many …?", "What is the population of …?"), MONEY ("How much did it cost?"), MEASURE
    ("How tall is it?"), or None."""
    question = question.strip()
    if _ELSE.search(question):
        return None
    for kind, pattern in _ASKS:
        if pattern.match(question):
            return MONEY if kind == NUMBER and _MONEY_ASKED.search(question) and not _COUNT.match(question) else kind
    return None


def holds(kind: str, quote: str) -> bool:
    """Does ``quote`` (or a short answer) have something of ``kind`` (TIME, NUMBER, MONEY or MEASURE)?"""
    if kind == TIME:
        return _TIME.search(quote) is not None
    if kind == MEASURE:  # "in seconds", "miles long"
        units = re.findall(r"[^\W\d_]+", quote.lower())
        return _NUMBER.search(quote) is not None or _TIME.search(quote) is not None or any(unit in _UNIT_MEASURE for unit in units)
    if kind == MONEY:
        return _MONEY.search(quote) is not None
    if kind in _CONTACTS:
        return _CONTACTS[kind].search(quote) is not None
    return _NUMBER.search(quote) is not None or lists(quote)


# what an e-mail address, a phone number and a web address are written with
_CONTACTS = {
    EMAIL: re.compile(r"[\w.+-]@[\w-]+\.\w"),
    PHONE: re.compile(r"\+?\d[\d ()./-]{5,}\d"),
    WEB: re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|edu|gov|io|co|uk|de|fr|info|example)\b", re.IGNORECASE),
}


# a count of things asked ("How many people were killed?") is not answered by a measure of
# time, length, weight or power, or a ratio ("forty-seven days", "three times as many") unless the
# question names that measure ("How many days …?", "How many weeks …?": any unit of time)
_HOW_MANY = re.compile(_LEAD + r"how\s+many\b", re.IGNORECASE)
_UNITS_OF = {
    "time": "second seconds minute minutes hour hours day days night nights week weeks month months year years decade decades century centuries",
    "length": "mm cm m km metre metres meter meters kilometre kilometres kilometer kilometers inch inches foot feet ft yard yards mile miles",
    "weight": "g kg gram grams kilogram kilograms tonne tonnes ton tons ounce ounces oz lb lbs",
    "power": "w kw mw watt watts kilowatt kilowatts megawatt megawatts",
    "ratio": "times",  # "three times as many" is no count of things
}
_UNIT_MEASURE = {unit: measure for measure, units in _UNITS_OF.items() for unit in units.split()}
_ENDS_IN_FIGURE = re.compile(r"(?:\d|\b(?:" + "|".join(_CARDINALS.split()) + r"))$", re.IGNORECASE)  # "5", "nearly three"
_AMOUNT = re.compile(r"(?:\d[\d,.]*|\b(?:" + "|".join(_NUMBER_WORDS.split()) + r"))\s*(?P<unit>[^\W\d_]+)", re.IGNORECASE)


# the measure a question asks for by its words: "How deep …?" a length, "How much does it weigh?"
# a weight, "How long did it last?" a time
_DIMENSIONS = (
    ("length", re.compile(_LEAD + r"how\s+(?:tall|high|deep|wide|far)\b", re.IGNORECASE)),
    ("weight", re.compile(_LEAD + r"(?:how\s+heavy\b|(?:how\s+much|what)\b.*\bweigh(?:s|ed|t)?\b)", re.IGNORECASE)),
    ("time", re.compile(_LEAD + r"how\s+long\b.*\b(?:last|lasts|lasted|take|takes|took|taken|ago|stay|stayed|wait|waited)\b", re.IGNORECASE)),
)


def measures_else(question: str, short: str, after: str = "") -> bool:
    """Whether ``short`` gives only measures of a kind the question does not ask for: answering
    how many of something, one the question does not name ("forty-seven days" for "How many
    people were killed?", not for "How many weeks did it last?"); answering how tall, deep, heavy
    or how long something lasted, one of another kind ("about 400 metres" for "How long did it
    last?"). A short answer that ends in a figure is read with the word ``after`` it ("5" of "5 cm",
    "nearly three" of "nearly three times as many")."""
    question = question.strip()
    if _HOW_MANY.match(question):
        named = {_UNIT_MEASURE[word] for word in re.findall(r"[^\W\d_]+", question.lower()) if word in _UNIT_MEASURE}
    elif dimension := next((name for name, asks in _DIMENSIONS if asks.match(question)), None):
        named = {dimension}
    else:
        return False
    if _ENDS_IN_FIGURE.search(short) and (unit := re.match(r"[^\S\n]*[^\W\d_]+", after)):
        short += unit.group()
    measures = [_UNIT_MEASURE.get(m["unit"].lower()) for m in _AMOUNT.finditer(short)]
    return bool(measures) and all(measure is not None and measure not in named for measure in measures)


_FIGURE = re.compile(r"\d|\b(?:" + "|".join(_CARDINALS.split()) + r")\b", re.IGNORECASE)


def figure(kind: str | None, text: str) -> bool:
    """Does ``text`` (a short answer) give a figure of ``kind`` (NUMBER or MONEY) strictly: a
    number written in figures or words ("11,482", "forty"; not "third" or "many"), with a
    currency for money ("£38,500"; not "five per cent")?"""
    return _FIGURE.search(text) is not None and (kind != MONEY or _CURRENCY.search(text) is not None)


def lists(text: str) -> bool:
    """True when ``text`` lists three things or more ("buses, elevators and harvesters")."""
    return len(_SEPARATORS.findall(text)) >= 2


# what a question asking for a clock time or a year asks for exactly, and how it is written
_UNITS = (
    (re.compile(_LEAD + r"(?:at\s+)?what\s+time\b", re.IGNORECASE), re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(?:noon|midday|midnight)\b", re.IGNORECASE)),
    (re.compile(_LEAD + r"(?:what|which)\s+year\b", re.IGNORECASE), re.compile(r"\b(?:1\d|20)\d\d\b")),
)


def exact(question: str, short: str, quote: str) -> tuple[int, int] | None:
    """For a question asking what time or what year, the span in ``quote`` of the one clock time
    or year it holds, where the ``short`` answer holds none ("What time did the meeting start?":
    "7:00 pm", not "Tuesday 14 October 2025"); None otherwise."""
    for asks, unit in _UNITS:
        if asks.match(question.strip()) and not unit.search(short) and len(found := list(unit.finditer(quote))) == 1:
            return found[0].span()
    return None


# where a sentence sets one thing's figure against another's: "Pro plan users can add up to 25;
# Free plan users can add 3", "29 in Manchester, while 17 in London"
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:while|whereas|but)\s+")
_CAPITALIZED = re.compile(r"(?<=\s)[A-Z][\w'’-]*")  # a capitalized word past a question's first
_FIGURE_WRITTEN = re.compile(r"(?<![\w.])\d[\d,.]*(?:%|\b)|\b(?:" + "|".join(_CARDINALS.split()) + r")\b", re.IGNORECASE)


def in_clause(question: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """For a question asking how many or how much, the span in ``quote`` of the one figure of
    the clause that holds the most of the names the question gives (its capitalized words past
    the first: what sets one clause's thing against the other's), where the short answer
    ``quote[start:end]`` is in a clause that holds fewer ("How many collaborators can a Free plan
    user add?": "3" of "…; Free plan users can add 3", not "25" of Pro users'); None otherwise."""
    if asked(question) not in (NUMBER, MONEY, MEASURE):
        return None
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(quote)), len(quote)]
    words = {word for name in _CAPITALIZED.findall(question) for word in tokenize(name, drop_stop=True)}
    if len(cuts) < 3 or not words:
        return None
    clauses = [(a, b, len(words.intersection(tokenize(quote[a:b], drop_stop=True)))) for a, b in pairwise(cuts)]
    held = next((n for a, b, n in clauses if a <= start < b), 0)
    best = max(n for _, _, n in clauses)
    winners = [(a, b) for a, b, n in clauses if n == best]
    if best <= held or len(winners) > 1:
        return None
    figures = list(_FIGURE_WRITTEN.finditer(quote, *winners[0]))
    return figures[0].span() if len(figures) == 1 else None
