"""Who gave what to whom: the sides of an exchange that a question names and that a sentence tells.

A reader trained on SQuAD reads "What did Aliyev receive?" much as "What did Aliyev give?": each
sentence of an exchange holds both names, a verb of giving and a thing, and the two differ only
in which name stands where. The sides are read here from the words around the verb: before an
active verb of giving stands the giver ("Lukashenko gave Aliyev a still life"), before one of
receiving the receiver ("Aliyev received a carpet from Lukashenko"); after it, "to" and "for"
lead to the receiver, "from" to the giver, "by" to the passive verb's doer ("The carpet was
given to Lukashenko by Aliyev"), and of two noun phrases after a verb of giving the first is the
receiver ("gave the Belarusian counterpart a carpet"). No parser: a few word lists and the order
of the words, which misreads some sentences ("a committee of the Parliament can present a
bill" puts the Parliament on the giver's side).

``agreement`` compares the names a question puts on each side with each sentence's: a sentence
that puts one on the other side is not what the question asks. A question that names no one
compares the words on its sides ("What did the village school give?") or, asking who, the
words it asks about ("Who got the clock?"); one asking what was given both ways ("What gifts
were exchanged?", ``mutual``) is answered by any sentence that tells someone giving something. ``other_side`` rules out, for a
question that asks for a side ("Who received the carpet?"), the other side's words, and
``whole_side`` widens a short answer inside the side or the thing asked for to all of it ("the
Belarusian counterpart", "a still life depicting pomegranate fruit and the Heritage of Belarus
book").

A report names a person in full once and describes them after: "Belarus President Aleksandr
Lukashenko", then "the Belarusian counterpart"; "Elena Petrova, the Czech governor,", then "the
Czech governor". ``described`` reads those introductions from a document, and a description on
a side (a capitalized word after a determiner, "the Belarusian …", matched by its stem
"Belarus") stands for the person it describes, in a question and in a sentence; "Belarusian
citizens" and "from Azerbaijan" are not descriptions of a person. ``subject`` says whom a
question's subject turned out to be in the sentence that answered it, for the "he" of the next
question ("And what did he get?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .attribution import TITLES, people

_GIVING = frozenset(
    """give gives gave given giving hand hands handed handing present presents presented presenting
    send sends sent sending offer offers offered offering award awards awarded awarding donate donates
    donated donating sell sells sold selling lend lends lent lending grant grants granted granting
    bestow bestows bestowed bestowing pay pays paid paying bring brings brought bringing
    bake bakes baked baking cook cooks cooked cooking knit knits knitted knitting""".split()
)  # "brought Sam a kite", "baked her a cake": made or carried for someone, given them
_RECEIVING = frozenset(
    """receive receives received receiving get gets got gotten getting obtain obtains obtained obtaining
    accept accepts accepted accepting buy buys bought buying purchase purchases purchased purchasing
    borrow borrows borrowed borrowing""".split()
)
_BE = frozenset("is are was were be been being".split())
# the forms that follow "was" in the passive ("was given", "was Aliyev given?")
_PARTICIPLES = frozenset(
    """given handed presented sent offered awarded donated sold lent granted bestowed paid received
    obtained accepted bought purchased borrowed""".split()
)
_ACTIVE = frozenset("did do does has have had will would can could".split())
_DETERMINERS = frozenset("a an the his her their its this that these those some".split())
_NUMBERS = frozenset("two three four five six seven eight nine ten dozen hundred thousand several many half".split())
_NOUNS_TOO = frozenset("hand present offer award grant purchase pay".split())
_NOT_GIVING = frozenset("up way rise birth off".split())  # "give up", "gave way", "gave rise to"
_NOUN_BEFORE = frozenset("what which whose the a an this that these those his her their its our my your".split())  # "What present …?"
_PREPOSITIONS = frozenset("to for from by with in on at as during after before".split())
_SIDE_PREPOSITIONS = frozenset("to for from by".split())  # those that lead to a side of an exchange
_THING_ENDS = _SIDE_PREPOSITIONS | {"as"}  # where a thing's words end: "a jar of honey | as a gift"
_NOT_NAMES = frozenset(
    "what which who whom whose when where why how did does do was were is are and but so then the a an in on at for from to by with of".split()
)
_GET = frozenset("get gets got gotten getting".split())
_AFTER_GET = frozenset("from as in for back a an the some his her their its my our your this that these those two three".split()) | {""}
# where the words before a verb stop being its doer: "Lukashenko said that citizens buy …"
_BREAKS = frozenset("; : , and but while whereas that which who whom whose where when because if whether".split())
# questions that ask for a side by a preposition before "whom" or after the verb's object
_ASKING = (
    (re.compile(r"\b(?:to|for)\s+whom\b|^(?:and\s+)?who(?:m)?\b.*\b(?:to|for)\W*$"), "receiver"),
    (re.compile(r"\b(?:from|by)\s+whom\b|^(?:and\s+)?who(?:m)?\b.*\b(?:from|by)\W*$"), "giver"),
)
# words that open a sentence in capitals without naming anyone ("Then Santos gave …")
_OPENERS = frozenset(
    "then later afterwards finally meanwhile next also however today yesterday so and but after before when in on at "
    "since because although though while if as once until unless whenever whereas nobody everyone everybody somebody".split()
)
_PRONOUNS = frozenset("he she him her it they them we us i you someone".split())
_PARTICLES = frozenset("back away out over again too also instead".split())  # "What did he give back?": no side
# the words of a question that name no side when it names no one ("the village school": village, school)
_NOT_SIDE_WORDS = _NOT_NAMES | _DETERMINERS | _PRONOUNS | _PARTICLES
# a person introduced with a description: "Elena Petrova, the Czech governor," or a run of
# capitalized words that ends in a title and a name ("Belarus President Aleksandr Lukashenko")
_INTRODUCED = re.compile(
    r"(?P<name>\b[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2}), (?:the|a|an) (?P<description>[^,.;:!?]{3,60}?),"
    r"|(?P<title>\b[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){2,4})\b"
)
Known = dict[str, frozenset[str]]  # a word that describes one person → the words of that person's name
_WHO = re.compile(r"\bwho(?:m)?\b", re.IGNORECASE)
_WHAT = re.compile(r"(?:and\s+)?(?:what|which)\b(?:\s+(?P<kind>[a-z]+))?")
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[;:,]")
# what asks for what was given both ways: "exchanged", "swapped", or "exchange" and "swap" where
# a verb stands (after no determiner, before a thing, a preposition or the question's end), or a
# verb of giving to "each other" or "one another"
_SWAPPED = frozenset("exchanged swapped".split())
_SWAP = frozenset("exchange swap".split())
_AFTER_SWAP = frozenset("gifts presents souvenirs with between at after during before in on when as".split()) | {""}
RECIPROCALS = frozenset({("each", "other"), ("one", "another")})  # "each other", "one another"


@dataclass(frozen=True)
class Sides:
    """The words on each side of an exchange (lower case); for a question, also the side it asks
    for ("Who received the carpet?": the receiver), if it asks for one."""

    giver: frozenset[str]
    receiver: frozenset[str]
    wanted: str | None = None  # "giver", "receiver" or "thing" ("What did Aliyev receive?")
    kind: str | None = None  # what a question asking for the thing calls it ("What rating did …": "rating")
    # the words of the thing: a sentence's, where its words' order tells it apart; a question's
    # that names no side, the words it asks about ("Who got the clock?": "clock")
    thing: frozenset[str] = frozenset()
    mutual: bool = False  # a question asking what was given both ways ("What gifts were exchanged?")


@dataclass(frozen=True)
class _Told:
    """An exchange in a text: the positions of the words on each side (``_WORDS`` matches)."""

    giver: list[int]
    receiver: list[int]
    subject: str | None = None  # the side of the words before the verb: "giver", "receiver" or None (the thing)
    thing: list[int] | None = None  # the thing's positions, where the words' order tells them apart from the sides'

    def side(self, name: str) -> list[int]:
        """The positions of the words on side ``name`` ("giver" or "receiver")."""
        return self.giver if name == "giver" else self.receiver


def _parse(lowered: list[str], at: int, opening: list[int]) -> _Told:
    """The sides of the exchange whose verb is ``lowered[at]``; a verb just after "and" shares
    the subject that opens the sentence, ``opening`` ("She carried the kitten home and gave it
    to Lucy")."""
    before, fronted = _before_verb(lowered, at)
    if not before and at and lowered[at - 1] == "and":
        before = opening
    # passive when "was" comes before the verb with no "did" or "has" between: "was given", "was Aliyev given?"
    auxiliary = next((lowered[k] for k in before if lowered[k] in _BE or lowered[k] in _ACTIVE), None)
    # or a clause that opens with the participle: "Presented to the Parliament by the Queen, …"
    passive = lowered[at] in _PARTICIPLES and (auxiliary in _BE or not before)
    direct: list[int] = []  # after the verb, before any preposition
    led: dict[str, list[int]] = dict(fronted)  # preposition -> the words it leads
    current = direct
    for k in range(at + 1, len(lowered)):
        word = lowered[k]
        if word in _BREAKS or word in _GIVING or word in _RECEIVING:
            break
        if word in _PREPOSITIONS:
            current = led.setdefault(word, [])
            continue
        current.append(k)
    to = led.get("to", []) + led.get("for", [])
    giving = lowered[at] in _GIVING
    # "A gave B x", "A gave x to B": the receiver is B, not x (nor "the opera" of "A gave B two tickets to the opera")
    if giving and not passive:
        if fronted and to:  # "To Tova she gave a wool scarf the colour of heather"
            return _Told(before, to, "giver", direct)
        first = _first_of_two(lowered, direct)
        if len(first) < len(direct):  # "A gave B x"
            return _Told(before, first, "giver", direct[len(first) :])
        if led.get("with") and direct and (not to or led["with"][0] < to[0]):  # "A presented B with x (to the city)"
            return _Told(before, direct, "giver", led["with"])
        # "A gave x to B"; "A gave B" or "A gave x" alone leave it open ("What did he give Aliyev?")
        return _Told(before, to, "giver", direct) if to else _Told(before, direct, "giver")
    if giving:  # "B was given x by A", "x was given to B by A"
        return _Told(led.get("by", []), to, None, before) if to else _Told(led.get("by", []), before, "receiver", direct)
    if not passive:  # "B received x from A"
        return _Told(led.get("from", []), before, "receiver", direct)
    return _Told(led.get("from", []), led.get("by", []), None, before)  # "x was received by B from A"


def _before_verb(lowered: list[str], at: int) -> tuple[list[int], list[tuple[str, list[int]]]]:
    """The positions of the words before the verb at ``at`` in its clause (its subject, nearest
    first), and the phrase a preposition opens the clause with before a pronoun subject ("To
    Tova she gave …": "she", and "to" leading "Tova"; "In return he gave …": "he"). The subject
    of "Tova, who liked him at once, gave …" is before the relative clause."""
    before = []
    k = at - 1
    while k >= 0 and lowered[k] not in _BREAKS:
        before.append(k)
        k -= 1
    if not before and k > 0 and lowered[k] == ",":
        start = k - 1
        while start >= 0 and lowered[start] not in _BREAKS:
            start -= 1
        if start > 0 and lowered[start] in ("who", "which") and lowered[start - 1] == ",":
            return _before_verb(lowered, start - 1)
    if len(before) > 1 and lowered[before[-1]] in _PREPOSITIONS and lowered[before[0]] in _PRONOUNS:
        return before[:1], [(lowered[before[-1]], sorted(before[1:-1]))]
    return before, []


def _first_of_two(lowered: list[str], direct: list[int]) -> list[int]:
    """Of the words after a verb of giving, the receiver's: the first of two noun phrases ("gave
    the Belarusian counterpart | a traditional carpet"), or the only one ("What did he give
    Aliyev?"); a new phrase starts at a determiner or a number after a word that is neither
    ("gave Mehta two tickets", not "gave the two tickets")."""
    for n, k in enumerate(direct[1:], 1):
        previous = lowered[direct[n - 1]]
        # "gave her a whistle": "her" before a determiner is the receiver, not the thing's owner
        if _opens_phrase(lowered[k]) and (not _opens_phrase(previous) or n == 1 and previous == "her"):
            return direct[:n]
    return direct


def _opens_phrase(word: str) -> bool:
    """True for a determiner or a number: "the", "his", "two", "300"."""
    return word in _DETERMINERS or word in _NUMBERS or word[:1].isdigit()


def _is_verb(words: list[str], lowered: list[str], at: int) -> bool:
    """Is ``words[at]`` a verb of giving or receiving, as used there?"""
    word, before = lowered[at], lowered[at - 1] if at else ""
    if at and words[at][:1].isupper():  # a name's word: "the Black Hand", "I Won't Give Up"
        return False
    after = lowered[at + 1] if at + 1 < len(lowered) else ""
    if word not in _GIVING and word not in _RECEIVING or before in _NOUN_BEFORE or before.endswith(("'s", "’s")):  # "What present …?", "Paul's offer"
        return False
    if before in _PREPOSITIONS or word in _GIVING and after in _NOT_GIVING:  # "from selling his pictures", "give up"
        return False
    if word in _NOUNS_TOO and before.endswith("ed") and before not in _PARTICIPLES:  # "her burned hand"
        return False
    if word == "present" and before in _BE:  # "were present at the ceremony"
        return False
    if word.endswith("ing") and before not in _BE:  # "including borrowing powers": a verb only in "was selling"
        return False
    # "get" receives a thing ("got a carpet", "What did he get?"), not a state ("get released")
    return word not in _GET or after in _AFTER_GET


def _told(text: str) -> tuple[list[re.Match], list[_Told]]:
    """The words of ``text`` and the exchanges it tells, one for each verb of giving or receiving."""
    matches = list(_WORDS.finditer(text))
    words = [m.group() for m in matches]
    lowered = [word.lower() for word in words]
    opening = _opening(words)
    return matches, [_parse(lowered, at, opening) for at in range(len(words)) if _is_verb(words, lowered, at)]


def _opening(words: list[str]) -> list[int]:
    """The positions of the subject a sentence opens with, when it is a pronoun or a name ("She
    …", "Tomas Varga …"; not "Then"); none otherwise."""
    if words and words[0].lower() in _PRONOUNS:
        return [0]
    run = 0
    while run < len(words) and words[run][:1].isupper() and words[run].lower() not in _OPENERS | _NOT_NAMES:
        run += 1
    return list(range(run))


def described(text: str) -> Known:
    """The people ``text`` introduces with a description, by the description's capitalized words:
    "Elena Petrova, the Czech governor, …" (czech → elena, petrova), "Belarus President Aleksandr
    Lukashenko" (belarus → aleksandr, lukashenko); a word that describes two people ("President")
    describes neither."""
    found: dict[str, set[frozenset[str]]] = {}
    for match in _INTRODUCED.finditer(text):
        if match["title"]:  # "Belarus President Aleksandr Lukashenko": the two words after a title name
            words = match["title"].split()
            if words[-3].lower() not in TITLES:  # "Kellogg Institute for International Studies" names no one
                continue
            name, describing = frozenset(w.lower() for w in words[-2:]), words[:-2]
        else:  # "Elena Petrova, the Czech governor,": a person, described by a common noun
            describing = match["description"].split()
            if not people(match["name"]) or not describing[-1].islower():
                continue
            name = frozenset(match["name"].lower().split())
        for word in describing:
            if word[:1].isupper() and word.lower() not in _NOT_NAMES:
                found.setdefault(word.lower(), set()).add(name)
    return {word: next(iter(names)) for word, names in found.items() if len(names) == 1}


def _known(words: frozenset[str], matches: list[re.Match], positions: list[int], known: Known) -> frozenset[str]:
    """``words`` (one side of an exchange, at ``positions`` of ``matches``) with the names of
    the people its descriptions describe: a capitalized word or a title after a determiner ("the
    Belarusian counterpart": belarusian → Aleksandr Lukashenko, by "Belarus"; "the mayor": mayor
    → Ruth Okafor, by "Mayor Ruth Okafor"; not "Belarusian citizens", nor "from Azerbaijan")."""
    describing = [
        word.lower()
        for k in positions
        if k
        and ((word := matches[k].group())[:1].isupper() or word in TITLES)
        and matches[k - 1].group().lower() in _DETERMINERS
    ]
    added = [name for word in describing for key, name in known.items() if word == key or len(key) >= 4 and word.startswith(key)]
    return words.union(*added)


def exchanges(text: str, known: Known | None = None) -> list[Sides]:
    """The exchanges ``text`` tells: the words on each side (with the names of the people
    ``known`` says their descriptions describe, ``described``)."""
    matches, told = _told(text)

    def side(positions: list[int]) -> frozenset[str]:
        words = frozenset(matches[k].group().lower() for k in positions)
        return _known(words, matches, positions, known) if known else words

    return [Sides(side(t.giver), side(t.receiver), thing=frozenset(matches[k].group().lower() for k in t.thing or ())) for t in told]


def asked(question: str, known: Known | None = None) -> Sides | None:
    """The names a question about an exchange puts on each side ("What did Lukashenko give
    Aliyev?": Lukashenko gives, Aliyev receives), and the side it asks for ("Who received the
    carpet?", "To whom did he give it?"); None when it names no one on either side and asks for
    neither. Names are its capitalized words, question and function words aside, and with
    ``known`` (``described``) the names of the people its descriptions describe ("What did the
    Azerbaijani president give?"); a question with none has the words on its sides instead ("What
    did the village school give?"), or, asking who, the words it asks about (``Sides.thing``:
    "Who got the clock?"). A what- or which-question about an exchange asks for the thing."""
    lowered = question.strip().lower()
    wanted = kind = None
    if mutual(question):  # "What gifts were exchanged?": the things, whoever gave them
        what = _WHAT.match(lowered)
        kind = what["kind"] if what and what["kind"] not in _BE | _ACTIVE else None
        return Sides(frozenset(), frozenset(), "thing", kind, mutual=True)
    for pattern, side in _ASKING:
        if pattern.search(lowered):
            wanted = side
            break
    # "who" stands for the side it asks for: read as a word of the clause, not where it stops
    found = exchanges(_WHO.sub("someone", question) if wanted is None else question, known)
    if not found:
        return None
    first = found[0]
    if wanted is None and "someone" in first.giver | first.receiver and _WHO.search(question):
        wanted = "giver" if "someone" in first.giver else "receiver"
    elif wanted is None and (what := _WHAT.match(lowered)):  # "What did Aliyev receive?", "Which book was given to Aliyev?"
        wanted = "thing"
        kind = what["kind"] if what["kind"] not in _BE | _ACTIVE else None
    names = {word.lower() for word in _WORDS.findall(question) if word[:1].isupper()} - _NOT_NAMES
    names |= set().union(*known.values()) if known else set()
    sides = Sides(first.giver & names, first.receiver & names, wanted, kind)
    if not (sides.giver or sides.receiver) and wanted == "thing":  # no name on either side: "What was the university given?"
        sides = replace(sides, giver=first.giver - _NOT_SIDE_WORDS, receiver=first.receiver - _NOT_SIDE_WORDS)
    elif not (sides.giver or sides.receiver):  # "Who sold forty sheep?": the words it asks about
        sides = replace(sides, thing=(first.giver | first.receiver | first.thing) - _NOT_SIDE_WORDS)
    return sides if sides.giver or sides.receiver or wanted in ("giver", "receiver") else None


def mutual(question: str) -> bool:
    """True when ``question`` asks what was given both ways: "What gifts were exchanged?", "What
    did they swap?", "What did the presidents give each other?" (not "Who exchanged gifts?",
    "What does the key exchange depend on?", "What did China send in exchange?")."""
    if not _WHAT.match(question.strip().lower()):
        return False
    lowered = [word.lower() for word in _WORDS.findall(question)]
    for at, word in enumerate(lowered):
        before, after = lowered[at - 1], lowered[at + 1] if at + 1 < len(lowered) else ""
        if word in _SWAPPED or word in _SWAP and before not in _DETERMINERS | {"in"} and after in _AFTER_SWAP | _DETERMINERS:
            return True
        if word in _GIVING and tuple(lowered[at + 1 : at + 3]) in RECIPROCALS:
            return True
    return False


def pointed_both(question: str) -> bool:
    """True when ``question`` asks what was given in an exchange whose giver and receiver it
    points at, neither named ("And what did she give him?", "What did he get from her?"):
    after a question that named both, what went the other way."""
    if not _WHAT.match(question.strip().lower()):
        return False
    matches, told = _told(question)
    if not told:
        return False
    sides = [{matches[k].group().lower() for k in told[0].side(name)} - _ACTIVE - {"what", "which"} for name in ("giver", "receiver")]
    return all(side and side <= _PRONOUNS for side in sides)


def subject(question: str, sentence: str) -> str | None:
    """Who the subject of a question about an exchange is, as a sentence that answers it names
    them: "What did the Azerbaijani president give his counterpart?", answered by "Ilham Aliyev
    gave the Belarusian counterpart a carpet", is about Ilham Aliyev; "What was Okafor given?",
    answered by "Santos gave the Nigerian envoy a clock", about the Nigerian envoy. The last noun
    phrase of the sentence's words on the subject's side (a run of capitalized words, or from a
    determiner on), of an exchange that puts none of the question's names on the other side;
    None when the question's subject is no side (or it asks no exchange), or no such exchange
    names one."""
    _, asking = _told(_WHO.sub("someone", question))
    sides = asked(question)
    if not asking or asking[0].subject is None or sides is not None and sides.mutual:
        return None
    matches, told = _told(sentence)
    for t in told:
        giver, receiver = ({matches[k].group().lower() for k in positions} for positions in (t.giver, t.receiver))
        if sides is not None and (sides.giver & receiver or sides.receiver & giver):
            continue
        phrase = _last_phrase([matches[k] for k in sorted(t.side(asking[0].subject))])
        if phrase is not None:  # "The Finnish farmer received …": "the Finnish farmer", as a question asks it
            words = sentence[phrase[0] : phrase[1]]
            return words[:1].lower() + words[1:] if words.split()[0].lower() in _DETERMINERS else words
    return None


def parties(question: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The character spans of the giver and the receiver that a question about an exchange
    names ("What did Tomas Varga give the mayor?": "Tomas Varga", "the mayor"); None when it
    tells no exchange, leaves a side unnamed ("What did he give Aliyev?") or asks for one ("Who
    did Mia give the kitten to?")."""
    matches, told = _told(question)
    if not told or (asking := asked(question)) is not None and asking.wanted in ("giver", "receiver"):
        return None
    sides = [_last_phrase([matches[k] for k in sorted(told[0].side(name))]) for name in ("giver", "receiver")]
    named = [span for span in sides if span and _names_a_side(question[span[0] : span[1]])]
    return (named[0], named[1]) if len(named) == 2 else None


def _names_a_side(phrase: str) -> bool:
    """True for a name ("Tomas Varga") or a phrase from a determiner on ("the mayor"), not for
    the question's own words ("What did he")."""
    first = phrase.split()[0]
    if first.lower() in _DETERMINERS:
        return True
    return first[:1].isupper() and first.lower() not in _NOT_NAMES


def _last_phrase(words: list[re.Match]) -> tuple[int, int] | None:
    """The character span of the last noun phrase of ``words`` (one side of an exchange): its
    closing run of capitalized words ("After lunch Santos", "Then Santos": "Santos"), or its
    words from the last determiner on ("the Belarusian counterpart"); None for none, or for a
    pronoun."""
    if not words:
        return None
    first = len(words) - 1
    if words[-1].group()[:1].isupper():
        while first and words[first - 1].group()[:1].isupper() and words[first - 1].group().lower() not in _OPENERS:
            first -= 1
    else:
        while first and words[first].group().lower() not in _DETERMINERS:
            first -= 1
    phrase = words[first:]
    if len(phrase) == 1 and phrase[0].group().lower() in _PRONOUNS:
        return None
    return phrase[0].start(), phrase[-1].end()


def _whole_thing(matches: list[re.Match], thing: list[int]) -> tuple[int, int]:
    """The character span of an exchange's thing and the words that complete it: on from its
    last word to where the clause goes on to a side ("to", "for", "from", "by") or says what the
    thing was given as ("as a gift"), to another verb of exchange, a comma or a break; things
    joined by "and" are kept ("a still life depicting pomegranate fruit and the Heritage of
    Belarus book"; not "a carpet and thanked him")."""
    last = thing[-1]
    for k in range(last + 1, len(matches)):
        word = matches[k].group().lower()
        joined = word == "and" and k + 1 < len(matches) and _opens_phrase(matches[k + 1].group().lower())
        if (word in _BREAKS and not joined) or word in _THING_ENDS or word in _GIVING or word in _RECEIVING:
            break
        last = k
    while last > thing[0] and matches[last].group().lower() in _PARTICLES:  # "gave the kitten back to Lucy"
        last -= 1
    return matches[thing[0]].start(), matches[last].end()


def whole_side(sides: Sides, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """For a question asking for one side (``sides.wanted``), the last noun phrase of that side
    in ``sentence`` when the answer ``sentence[start:end]`` lies inside it: "Who received the
    carpet?" is answered "the Belarusian counterpart", not "Belarusian"; for one asking for the
    thing, the whole thing ("What did Aliyev get?": "a still life depicting pomegranate fruit
    and the Heritage of Belarus book", not "pomegranate fruit"); None otherwise."""
    if sides.wanted is None:
        return None
    matches, told = _told(sentence)
    for t in told:
        if sides.wanted == "thing":
            phrase = _whole_thing(matches, t.thing) if t.thing else None
            if phrase is not None and sides.kind and re.search(rf"\b{sides.kind}\b", sentence[phrase[0] : phrase[1]].lower()):
                return None  # "What rating did it receive?": "94%", not "a rating of 94%"
        else:
            phrase = _last_phrase([matches[k] for k in sorted(t.side(sides.wanted))])
        if phrase is not None and phrase[0] <= start and end <= phrase[1]:
            return phrase
    return None


def other_side(sides: Sides, sentence: str) -> list[tuple[int, int]]:
    """For a question asking for one side (``sides.wanted``), the character spans in
    ``sentence`` of the words on the other side of each exchange it tells: not the answer. For
    one asking for the thing, the words on both sides of each exchange whose words' order tells
    the thing apart ("gave Ilham Aliyev a still life": not "Ilham Aliyev a still life"), and the
    thing of an exchange the other way ("Dahl presented Moreno with a chalice, and Moreno gave
    Dahl a painting": not the painting, asked what Dahl gave Moreno)."""
    if sides.wanted is None:
        return []
    matches, told = _told(sentence)
    if sides.wanted == "thing":
        words = [m.group().lower() for m in matches]
        backwards = [t for t in told if sides.giver & {words[k] for k in t.receiver} or sides.receiver & {words[k] for k in t.giver}]
        return sorted(
            [matches[k].span() for t in told if t.thing is not None for k in t.giver + t.receiver]
            + [matches[k].span() for t in backwards for k in t.thing or ()]
        )
    other = "receiver" if sides.wanted == "giver" else "giver"
    return sorted(matches[k].span() for t in told for k in t.side(other))


def gives(sentence: str) -> bool:
    """True when ``sentence`` tells someone giving something to someone (or receiving it from
    someone): an exchange with words on both sides ("For his part, Ilham Aliyev gave the
    Belarusian counterpart a carpet"; not "the heads of state exchanged gifts")."""
    return any(told.giver and told.receiver for told in _told(sentence)[1])


def agreement(question: Sides, sentence: str, known: Known | None = None) -> float:
    """How far ``sentence`` tells an exchange the way ``question`` names it: the share of the
    sides it names (giver, receiver) that an exchange of the sentence names alike, if that
    exchange puts none of its names on the other side; -1 when every exchange of the sentence
    that names one of them puts one on the other side (and none has a pronoun on a side, which
    may stand for one of them); 0 when it tells none or names neither.
    A question asking what was given both ways agrees (1) with any exchange that has both sides.
    A question that names neither side ("Who got the clock?") agrees as far as an exchange of
    the sentence holds the words it asks about ("gave Aziz a clock").
    With ``known`` (``described``, of the sentence's text), a description on the sentence's
    sides is the person it describes (ask the question with the same, ``asked``)."""
    if question.mutual:
        return float(gives(sentence))
    named = [side for side in (question.giver, question.receiver) if side]
    verdicts = []
    for told in exchanges(sentence, known):
        if not named and question.thing:
            verdicts.append(len(question.thing & (told.giver | told.receiver | told.thing)) / len(question.thing))
            continue
        alike = bool(question.giver & told.giver) + bool(question.receiver & told.receiver)
        if question.giver & told.receiver or question.receiver & told.giver:
            verdicts.append(-1.0)
        elif alike:
            verdicts.append(alike / len(named))
        elif (told.giver | told.receiver) & _PRONOUNS:  # "… and in return he gave her a whistle": it may be the one asked about
            verdicts.append(0.0)
    return max(verdicts, default=0.0)
