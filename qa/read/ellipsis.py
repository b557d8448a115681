"""Elliptical follow-ups: "What about harvesters?", "And Aliyev?", "How about in Turkey?".

Such a question asks the previous question again, about something else. It is read as that
question with the new thing in place of the one it stands for ("Which plants make tractors?" →
"What about harvesters?" reads "Which plants make harvesters?"), and that question is searched
and read as any standalone one. What is replaced:

- a phrase that opens with a preposition replaces the previous question's phrase with the same
  preposition ("…in Minsk?" → "What about in Baku?"), or is added to its end; a condition
  ("And if I miss two?") replaces the previous question's, to its end, or is added;
- a name replaces a name: the one of the previous question's names most alike in meaning, of
  its kind when the documents tell people's names from others (``is_person``: "And Lukashenko?"
  after "What did Aliyev say about Belarus?" is about Lukashenko's words), or the other one
  when the question already names it ("What did Lukashenko give Aliyev?" → "And Aliyev?" reads
  "What did Aliyev give Lukashenko?");
- a phrase of several words replaces the previous question's phrase most alike in meaning that
  opens with a determiner ("And the defense industry?" after "What did he say about the
  manufacturing industry?"), if one is alike enough;
- any other phrase replaces the previous question's word most alike in meaning, if one is alike
  enough (a determiner before it goes with it: "his mother" → "his father"; and the words
  before it when the phrase ends in it: "sick leave" takes the place of "annual leave"), or
  else all that the previous question asks "about" ("What about transportation?" after "What
  did he say about the trade between the two countries?" reads "What did he say about
  transportation?"), or else its one "it" ("And its tail?" after "What color was it?").

A lone "him" or "her" ("And him?", "What about her?") stands for the other person: the first
the last answer names that the previous question does not ("What did Lukashenko give?" → "…
Aleksandr Lukashenko gave Ilham Aliyev a still life …" → "And him?" reads "What did Ilham Aliyev
give?"). A name takes the place of "he" or "she" in a question that names no one. The next item
of a list ("And another?", "What about the second one?", ``next_item``) is not a new thing: the
conversation reads the question that began the list again, for an answer not given yet.

Two more follow-ups read as a question that stands alone. One that asks what came "in return"
or "in exchange" asks the previous question the other way round ("What did Lukashenko give
Aliyev?" → "What did he get in return?" reads "What did Aliyev give Lukashenko?", ``in_return``).
A lone "he", "she", "him" or "his", when the conversation knows whom it means, is that person
(``with_person``; the conversation says when it knows).

An ordinal without its noun ("Who scored the second?" after "Who scored Harbourside's first
goal?") takes the noun of the last ordinal the conversation asked with (``counted``): "Who
scored the second goal?". One that counts into a list the last answer gave ("What was the
survival rate in the third one?" after "The four treatments were: low salinity on plain glass
(LS-G), …") is that item (``item``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from ..ingest.text import STOPWORDS
from . import exchange
from .attribution import name_in, people

Encode = Callable[[Sequence[str]], np.ndarray]  # texts → normalized embeddings, one row each
IsPerson = Callable[[str], bool]  # does a name name a person (of the documents)?

# the least cosine between the new phrase and the word it replaces (a common noun); below it the
# question is left to the conversation's rule
MIN_SIMILARITY = 0.35
# the least cosine for a question asked before the last one, whose thing the new one is to take the
# place of: a likeness of words is not enough there ("her train fare" and "the trainer" 0.41;
# "the mayor" and "the fire chief" 0.56, "sick leave" and "annual leave" 0.55)
EARLIER_SIMILARITY = 0.45
# the least cosine between what a phrase speaks of ("Linux" of "And for Linux?") and a word of the
# previous question that has no phrase with its preposition, for it to take that word's place
# ("Linux" and "Android" 0.48, "Sunday" and "Saturday" 0.81; "the weekend" and "hours" 0.42,
# "children" and "adult" 0.40: "… for children" is asked at the end)
PEER_SIMILARITY = 0.45
# the least cosine between a name and a name of the previous question that it replaces ("Baku"
# and "Minsk" 0.42); a name less like them all replaces a personal pronoun ("Nixon" and
# "Beijing" 0.22)
NAME_SIMILARITY = 0.4
MAX_WORDS = 5  # a longer "and …" is a question of its own, not an ellipsis

_ELLIPSIS = re.compile(
    r"^\s*(?:(?:and|but|so)\s+)?(?:what|how)\s+about\s+(?P<about>.+?)\s*[?.!]*\s*$"
    r"|^\s*and\s+(?P<bare>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_QUESTION_WORDS = "what which who whom whose when where why how"
_AUXILIARIES = "is are was were be been do does did has have had can could will would shall should may might must"
AUXILIARY_WORDS = frozenset(_AUXILIARIES.split())
# an "and …" that is a question or a clause of its own, not a thing put in another's place
_NOT_A_THING = frozenset(f"{_QUESTION_WORDS} {_AUXILIARIES} then also so else not there".split())
_PRONOUNS = frozenset("he him his she her hers it its they them their theirs this that these those one ones".split())
_PERSONAL = frozenset("he him she his".split())  # a person's pronouns ("her" may be the object or a possessive)
_IN_RETURN = re.compile(r"\bin\s+(?:return|exchange)\b", re.IGNORECASE)
# the next item of a list the last answer began: "And another?", "What about the second one?"
_LIST_WORDS = r"(?:the\s+)?(?:other|another|others|rest|next|last|first|second|third|fourth|fifth|more|else)\b"
_ORDINAL = re.compile(r"\b(?:first|second|third|fourth|fifth|last|next|other)\b", re.IGNORECASE)
_NEXT_ITEM = re.compile(
    rf"^\s*(?:(?:and|but|so)\s+)?(?:(?:what|how)\s+about\s+|any\s+)?{_LIST_WORDS}(?:\s+[a-z]+)?\s*[?.!]*\s*$", re.IGNORECASE
)
_ORDINALS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|next|previous"
_BARE_ORDINAL = re.compile(rf"\bthe\s+(?:{_ORDINALS})(?=\s*(?:[?.!,]|$))", re.IGNORECASE)  # "the second?"
# an item of a list the last answer gave, counted ("the third one"; "the latter" of two), and its place
_ITEM = re.compile(r"\bthe\s+(?:(?P<ordinal>first|second|third|fourth|fifth|sixth|last|final)\s+(?:one|item)|(?P<pair>former|latter))\b", re.IGNORECASE)
_COUNTED_THINGS = re.compile(r"\bhow\s+many\s+(?P<things>[a-z]{3,}s)\b", re.IGNORECASE)  # "How many galleries …?"
_PLURAL_ENDINGS = (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("s", ""))
_ITEM_PLACES = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "last": -1, "final": -1, "former": 0, "latter": -1}
_ITEM_SEPARATOR = re.compile(r",\s+(?:(?:and|or)\s+)?|;\s+|\s+(?:and|or)\s+")
_COUNTED = re.compile(rf"\b(?:{_ORDINALS})\s+(?P<noun>[a-z]{{3,}})\b", re.IGNORECASE)  # "first goal"
PREPOSITIONS = frozenset(
    "in on at for from to during after before since until with without by near about into under over between among".split()
)
_CONDITIONS = frozenset("if unless".split())  # a clause that opens with one takes the place of the previous question's
# a code a manual or a form names a thing by: letters and figures ("E1", "DH-220"), or a capital after small letters ("dF")
_CODE = re.compile(r"(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][\w-]{0,7}|[a-z]+[A-Z][A-Za-z]*")
_DETERMINERS = frozenset("the a an his her its their my your our this that these those".split())
_ARTICLES = frozenset("the a an".split())
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'.-]*[A-Za-z0-9]|[A-Za-z0-9]")


def phrase(question: str, previous: str = "", said: str = "") -> str | None:
    """The thing an elliptical follow-up asks about ("harvesters" of "What about harvesters?"),
    or None when ``question`` is not one. A lone "him" or "her" is the first person ``said`` (the
    last answer) names whom ``previous`` (the question it answered) does not."""
    match = _ELLIPSIS.match(question)
    if match is None or asks_in_return(question):  # "And in return?" asks the other side (``in_return``)
        return None
    thing = (match.group("about") or match.group("bare")).strip(" ,;:")
    words = thing.split()
    if not words or len(words) > MAX_WORDS:
        return None
    first = words[0].lower()
    if len(words) == 1 and first in _PERSONAL:
        return _other_person(previous, said)
    if match.group("bare") and first in _NOT_A_THING:
        return None
    if first in PREPOSITIONS and len(words) > 1 and all(w.lower() in _PRONOUNS for w in words[1:]):  # "And after that?": what came next, no thing
        return None
    if len(words) == 1 and first in _PRONOUNS:
        return None
    return thing


def counted(question: str, earlier: Sequence[str]) -> str:
    """``question`` with the noun that an ordinal of it lacks ("the second?"), taken from the
    newest of the ``earlier`` questions that has an ordinal with one ("first goal"): "Who scored
    the second goal?"; ``question`` itself otherwise."""
    bare = _BARE_ORDINAL.search(question)
    if bare is None:
        return question
    for asked in earlier:
        found = [m["noun"] for m in _COUNTED.finditer(asked) if m["noun"].lower() not in STOPWORDS]
        if found:
            return f"{question[: bare.end()]} {found[-1]}{question[bare.end() :]}"
    return question


def item(question: str, quote: str, short: str, asked: str = "") -> str | None:
    """``question`` with the item it counts ("the third one", "the latter") of the list the last
    answer gave in its place: the short answer ``short`` where it lists things, else what
    follows the last colon of the sentence quoted (``quote``) before the end of it ("The four
    treatments were: low salinity on plain glass (LS-G), …, and high salinity on chitosan
    (HS-C)."); where the answer lists nothing, the thing the last question ``asked`` counted
    ("the second one" after "How many galleries does it take up?": "the second gallery"). None
    where it counts none, or more items than the list has."""
    pointed = _ITEM.search(question)
    if pointed is None:
        return None
    items = _items(short)
    if len(items) < 2 and (colon := quote.rfind(":")) != -1:
        items = _items(quote[colon + 1 :].strip().rstrip("."))
    counted = pointed["ordinal"] or pointed["pair"]
    at = _ITEM_PLACES[counted.lower()]
    if len(items) < 2 and pointed["ordinal"] and (things := _COUNTED_THINGS.search(asked)):
        plural = things["things"]
        thing = next(plural[: -len(end)] + one for end, one in _PLURAL_ENDINGS if plural.lower().endswith(end))
        return f"{question[: pointed.start()]}the {counted} {thing}{question[pointed.end() :]}"
    if len(items) < 2 or at >= len(items) or (pointed["pair"] and len(items) != 2):
        return None
    return f"{question[: pointed.start()]}{items[at]}{question[pointed.end() :]}"


def _items(text: str) -> list[str]:
    """The things ``text`` lists, split at its commas, semicolons, "and" and "or" outside brackets
    ("LS-G (low salinity, glass), LS-C and HS-G": three)."""
    items, start = [], 0
    for match in _ITEM_SEPARATOR.finditer(text):
        depth = text.count("(", 0, match.start()) - text.count(")", 0, match.start())
        if depth == 0 and match.start() > start:
            items.append(text[start : match.start()])
            start = match.end()
    return [i.strip() for i in [*items, text[start:]] if i.strip()]


def next_item(question: str) -> bool:
    """True when ``question`` asks for the next item of the list the last answer began ("And
    another?", "What about the second one?")."""
    return bool(_NEXT_ITEM.match(question))


def asks_in_return(question: str) -> bool:
    """True when ``question`` asks what came "in return" or "in exchange"."""
    return _IN_RETURN.search(question) is not None


def in_return(question: str, previous: str, said: str = "", answered: str = "") -> str | None:
    """"What did he get in return?" after "What did Lukashenko give Aliyev?" asks the previous
    question the other way round: "What did Aliyev give Lukashenko?" (its two names change places,
    or the two sides of the exchange it tells: "What did Tomas Varga give the mayor?"; of a
    question that names one, the other person the last answer, ``said``, names takes its place;
    after "Who did Mia give the kitten to?", answered (``answered``, the short answer) Lucy,
    "What did Lucy give Mia?").
    A question pointing at both sides ("And what did she give him?", ``exchange.pointed_both``)
    asks so too after a question about an exchange that named both ("What did Tariq give
    Maria?" → "What did Maria give Tariq?").
    None when ``question`` asks nothing in return or names someone itself, or when ``previous``
    names no one, more than two, or one and neither another side nor the last answer another."""
    if _names(_words(question.strip())):
        return None
    base = previous.strip().rstrip("?.! ")
    if not asks_in_return(question):
        both = exchange.pointed_both(question) and exchange.parties(base)
        return _swapped(base, *sorted(both)) if both else None
    names = _names(_words(base))
    if len(names) == 2:
        return _swapped(base, *names)
    sides = exchange.asked(base)
    if sides is not None and sides.wanted in ("giver", "receiver") and len(names) == 1:
        # "Who did Mia give the kitten to?" answered Lucy: "What did Lucy give Mia?"
        named, other = base[names[0][0] : names[0][1]], name_in(answered) or _other_person(base, said)
        if other is None:
            return None
        return f"What did {other} give {named}?" if sides.wanted == "receiver" else f"What did {named} give {other}?"
    if parties := exchange.parties(base):  # "What did Tomas Varga give the mayor?"
        return _swapped(base, *sorted(parties))
    other = _other_person(base, said) if len(names) == 1 else None
    if other is None:
        return None
    (a, b) = names[0]
    if sides is not None and sides.wanted == "thing":  # "What did Lily bake?" → "What did Mrs. Okoye give Lily?"
        return f"What did {other} give {base[a:b]}?"
    return _asked(base[:a] + other + base[b:])


def with_person(question: str, person: str) -> str | None:
    """``question`` with ``person`` in place of its one "he", "she", "him", "his" or "her"
    before a noun ("What present did he hand to Aliyev?" → "What present did Aleksandr
    Lukashenko hand to Aliyev?"; "Who was his wife?" → "Who was Arthur Marsh's wife?", "Who was
    in her band?" → "Who was in Odessa Vane's band?"); None when it has no such pronoun or more
    than one, or already names ``person``."""
    text = question.strip().rstrip("?.! ")
    words = _words(text)
    # "her" before a noun is a possessive ("Who was in her band?"); before anything else it may be the object
    possessive = {i for i, (_, _, word) in enumerate(words[:-1]) if word.lower() == "her" and words[i + 1][2].lower() not in STOPWORDS}
    pronouns = [(start, end, word.lower()) for i, (start, end, word) in enumerate(words) if word.lower() in _PERSONAL or i in possessive]
    named = {w.lower() for _, _, w in words}
    if len(pronouns) != 1 or named.intersection(person.lower().split()):
        return None
    start, end, pronoun = pronouns[0]
    if start and person.split()[0].lower() in _DETERMINERS:  # "What else did the President say?"
        person = person[0].lower() + person[1:]
    return _asked(text[:start] + person + ("'s" if pronoun in ("his", "her") else "") + text[end:])


def names_someone(question: str) -> bool:
    """True when ``question`` names someone or something (a capitalized word past its first)."""
    return bool(_names(_words(question.strip())))


def substitute(previous: str, thing: str, encode: Encode, is_person: IsPerson | None = None, least: float = MIN_SIMILARITY) -> str | None:
    """``previous`` (a question that reads alone) with ``thing`` in place of what it stands for;
    None when nothing in ``previous`` is like it (a cosine of ``least`` at least). With
    ``is_person``, a person's name takes the place of a person's, and another name of another
    (``_with_name``)."""
    base = previous.strip().rstrip("?.! ")
    words = _words(base)
    if len(words) < 2:
        return None
    if re.match(_LIST_WORDS, thing, re.IGNORECASE):  # "the second one" after "What did the first one depict?"
        ordinal, new = _ORDINAL.search(base), _ORDINAL.search(thing)
        if ordinal is None or new is None:
            return None
        return _asked(base[: ordinal.start()] + new.group() + base[ordinal.end() :])
    if thing.split()[0].lower() in PREPOSITIONS | {"of"}:  # "And of Belarus?": "of" opens a phrase, and ends none
        return _with_phrase(base, words, thing, encode)
    if (opening := thing.split()[0].lower()) in _CONDITIONS:  # "And if I miss two?" after "What happens if I miss one?"
        at = [start for start, _, word in words[1:] if word.lower() == opening]
        return _asked(f"{base[: at[-1]] if at else base + ' '}{thing}")
    codes = [(start, end) for start, end, word in words[1:] if _CODE.fullmatch(word)]
    if _CODE.fullmatch(thing) and len(codes) == 1:  # "What about E1?" after "… shows dF …": a code for a code
        return _asked(base[: codes[0][0]] + thing + base[codes[0][1] :])
    if _is_name(thing):
        return _with_name(base, words, thing, encode, is_person)
    if len(thing.split()) > 1 and (phrased := _with_phrase_alike(base, words, thing, encode, least)):
        return phrased
    # "And the Consumer segment?" after "What were Industrial Sensing's net sales?": a name's place
    # (one that no determiner opens: "the Belarusian president" is a phrase)
    bare = [(start, end) for start, end in _names(words) if base[:start].split()[-1].lower() not in _DETERMINERS]
    if _is_name(thing.split(maxsplit=1)[-1]) and bare:
        return _with_name(base, words, thing, encode, is_person, bare)
    candidates = [
        (start, end)
        for i, (start, end, word) in enumerate(words)
        if i > 0 and not _is_name(word) and word.lower() not in STOPWORDS and word.lower() not in _NOT_A_THING and not _participle(words, i)
    ]
    alike = _alike(base, candidates, thing, encode)
    if not len(alike) or alike.max() < least:
        about = [start for start, _, word in words[1:] if word.lower() == "about"]
        if about:  # "What about transportation?" after "What did he say about trade …?"
            return _asked(f"{base[: about[-1]]}about {thing}")
        it = [(start, end) for start, end, word in words[1:] if word.lower() == "it"]
        # "And its tail?" after "What color was it?"
        return _asked(base[: it[0][0]] + thing + base[it[0][1] :]) if len(it) == 1 else None
    start, end = candidates[int(np.argmax(alike))]
    if len(thing.split()) > 1 and thing.split()[-1].lower() == base[start:end].lower():  # "sick leave" for "annual leave"
        # as many words before it as ``thing`` has ("this year" for "last year", not "quote last year")
        modifiers = [w for w in words[1:] if w[1] <= start][-(len(thing.split()) - 1) :]
        while modifiers and modifiers[-1][2].lower() not in STOPWORDS | _NOT_A_THING:
            start = modifiers.pop()[0]
    opening = thing.split()[0]
    if opening.lower() in _DETERMINERS:
        before = [w for w in words if w[1] <= start]
        if before and before[-1][2].lower() in _DETERMINERS:  # "his father" takes the place of "his mother"
            start = before[-1][0]
        elif opening.lower() in _ARTICLES:  # "What year …?" → "the month" reads "What month …?"
            thing = thing[len(opening) :].strip()
    return _asked(base[:start] + thing + base[end:])


def _with_phrase_alike(base: str, words: list[tuple[int, int, str]], thing: str, encode: Encode, least: float) -> str | None:
    """``thing`` of several words ("the defense industry") in place of the phrase of ``base``
    most alike in meaning that opens with a determiner ("the manufacturing industry"; its
    determiner kept when ``thing`` has none), if one is alike enough (``least``); None otherwise."""
    phrases = []  # (determiner's start, first word's start, end): "the Belarusian", "the Belarusian president", …
    for i, (start, _, word) in enumerate(words):
        if not i or word.lower() not in _DETERMINERS:
            continue
        for last in range(i + 1, min(i + 1 + MAX_WORDS, len(words))):
            if words[last][2].lower() in STOPWORDS:
                break
            phrases.append((start, words[i + 1][0], words[last][1]))
    alike = _alike(base, [(start, end) for start, _, end in phrases], thing, encode)
    if not len(alike) or alike.max() < least:
        return None
    start, after, end = phrases[int(np.argmax(alike))]
    opening = start if thing.split()[0].lower() in _DETERMINERS else after
    *modifiers, last = thing.split()
    if last.lower() in ("one", "ones"):
        if repeated := re.match(rf"\s+{last}\b", base[end:], re.IGNORECASE):  # "the younger one" for "the older one"
            end += repeated.end()
        elif modifiers and (noun := _noun(words, after, end)) is not None:
            return _asked(base[:opening] + " ".join(modifiers) + " " + base[noun:])  # "the red one" after "the orange light": "the red light"
    return _asked(base[:opening] + thing + base[end:])


def _noun(words: list[tuple[int, int, str]], after: int, end: int) -> int | None:
    """Where the noun that an ellipsis's "one" stands for starts: the last word of the phrase
    from ``after`` to ``end`` ("the orange light"), or the word after a phrase of one word ("the
    orange" of "the orange light"); None for none."""
    inside = [start for start, _, _ in words if after < start < end]
    following = [start for start, _, word in words if start > end and word.lower() not in STOPWORDS][:1]
    return (inside or following or [None])[-1]


def _participle(words: list[tuple[int, int, str]], i: int) -> bool:
    """True when word ``i`` is a verb's form after an auxiliary ("were assembled", "is being
    built" aside): an action, not a thing another thing could take the place of."""
    return words[i - 1][2].lower() in AUXILIARY_WORDS and words[i][2].lower().endswith(("ed", "en", "ing"))


def _with_phrase(base: str, words: list[tuple[int, int, str]], thing: str, encode: Encode) -> str:
    """``thing`` ("in Baku") in place of ``base``'s last phrase with the same preposition (up to
    the next preposition); without one, what it speaks of in place of a word of ``base`` much
    like it ("for Linux" after "What's the minimum Android version?": "What's the minimum Linux
    version?", ``PEER_SIMILARITY``), or else ``thing`` at its end ("in 2019")."""
    preposition, spoken_of = thing.split(maxsplit=1)[0].lower(), thing.split(maxsplit=1)[-1]
    at = [i for i, (_, _, word) in enumerate(words) if i > 0 and word.lower() == preposition]
    if not at:
        spans = [(start, end) for start, end, word in words[1:] if word.lower() not in STOPWORDS | _NOT_A_THING]
        alike = _alike(base, spans, spoken_of, encode) if len(thing.split()) > 1 else np.zeros(0)
        if len(alike) and alike.max() >= PEER_SIMILARITY:
            start, end = spans[int(np.argmax(alike))]
            return _asked(base[:start] + spoken_of + base[end:])
        return _asked(f"{base} {thing}")
    i = at[-1]
    following = [j for j in range(i + 1, len(words)) if words[j][2].lower() in PREPOSITIONS]
    end = words[following[0] - 1][1] if following else len(base)
    return _asked(base[: words[i][0]] + thing + base[end:])


def _with_name(
    base: str, words: list[tuple[int, int, str]], thing: str, encode: Encode, is_person: IsPerson | None = None, names: list[tuple[int, int]] | None = None
) -> str | None:
    """``thing`` (a name) in place of a name of ``base`` or of its "he" or "she" (below); when
    ``base`` already names it, the two names change places. With ``is_person``, only the names
    of its kind are in question when ``base`` has some: "And Lukashenko?" after "What did Aliyev
    say about Belarus?" is about what Lukashenko said (the name most alike in meaning was
    "Belarus"). ``names``: the spans of ``base`` that may be the name replaced (all its names)."""
    names = _names(words) if names is None else names
    if is_person is not None and names:
        kind = is_person(thing)
        names = [n for n in names if is_person(base[n[0] : n[1]]) == kind] or names
    if not names and not any(word.lower() in _PERSONAL for _, _, word in words):
        return None
    same = [n for n in names if base[n[0] : n[1]].lower() == thing.lower()]
    if same:
        others = [n for n in names if n not in same]
        if len(others) != 1 or len(same) != 1:
            return None
        return _swapped(base, *sorted([same[0], others[0]]))
    # a name like one of the question's takes its place ("Baku" for "Minsk"); one unlike them all
    # takes the place of "he" or "she" ("And Nixon?" after "When did he fly to Beijing?"), or
    # else of the name most like it
    pronouns = [(start, end) for start, end, word in words if word.lower() in _PERSONAL]
    alike = _alike(base, names, thing, encode)
    best = int(np.argmax(alike)) if names else -1
    if names and (alike[best] >= NAME_SIMILARITY or not pronouns):
        start, end = names[best]
    else:
        start, end = pronouns[0]
    # "Industrial Sensing's net sales": the Consumer segment's, Medical Devices'
    possessive = re.search(r"['’]s$", base[start:end])
    owner = (possessive.group()[:1] + "s" * (not thing.endswith("s"))) if possessive else ""
    return _asked(base[:start] + thing + owner + base[end:])


def _other_person(previous: str, said: str) -> str | None:
    """The first person ``said`` (the last answer) names whom ``previous`` (the question it
    answered) does not."""
    asked = {w.lower() for w in _WORD.findall(previous)}
    return next((p for p in people(said) if not asked.intersection(p.lower().split())), None)


def _swapped(base: str, first: tuple[int, int], second: tuple[int, int]) -> str:
    """``base`` with its spans ``first`` and ``second`` (in that order) changing places."""
    (a, b), (c, d) = first, second
    return _asked(base[:a] + base[c:d] + base[b:c] + base[a:b] + base[d:])


def _words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word of ``text``."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _names(words: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Spans of the runs of capitalized words past the first word ("Aleksandr Lukashenko")."""
    spans: list[tuple[int, int]] = []
    for i, (start, end, word) in enumerate(words):
        if i == 0 or not _is_name(word):
            continue
        if spans and words[i - 1][1] == spans[-1][1]:  # the word before ends the last name: one name
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _is_name(text: str) -> bool:
    """Capitalized, and not a capitalized "The" or "His"."""
    return text[:1].isupper() and text.split()[0].lower() not in _DETERMINERS


def _alike(base: str, spans: list[tuple[int, int]], thing: str, encode: Encode) -> np.ndarray:
    """The cosine of ``thing`` with each span of ``base``, in meaning."""
    if not spans:
        return np.zeros(0)
    vectors = encode([thing, *(base[s:e] for s, e in spans)])
    return vectors[1:] @ vectors[0]


def _asked(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip() + "?"
