"""Who gave what to whom: made-up exchanges, for a reader that tells the giver from the receiver.

SQuAD's questions seldom turn on direction, and a reader trained on them answers "What did
Lukashenko give to Aliyev?" with what Aliyev gave Lukashenko: both sentences hold both names and
a gift. These examples make that difference the only one that matters. Each is a short made-up
text in which two people (or a person and an organisation) exchange things both ways, worded in
one of several ways ("A gave B x", "A gave x to B", "B received x from A", "x was given to B by
A", "A presented B with x", "In return, B handed A y"), among sentences that name both and hold
no exchange ("A invited B to visit Oslo"), and a question asked from either side and with either
verb ("What did B get from A?", "What was A given?", "Who sold the van?"). The answer is the thing
(or the person) of the exchange asked about; the other exchange's thing is in the same text, a
sentence away. Some questions are also asked of another text, whose people are others (not
answerable there). The verbs come in converse pairs: give / receive, sell / buy, lend / borrow,
send / receive.

None of it is drawn from qa's texts or evaluation sets: the names, places and things are lists
here, combined at random (fixed seed).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

PEOPLE = [
    ("Maria Santos", "she"), ("Kenji Watanabe", "he"), ("Amara Okafor", "she"), ("Lars Nilsson", "he"),
    ("Priya Raman", "she"), ("Tomasz Kowalski", "he"), ("Fatima Haddad", "she"), ("Diego Herrera", "he"),
    ("Ingrid Berg", "she"), ("Samuel Mensah", "he"), ("Elena Petrova", "she"), ("Hugo Lambert", "he"),
    ("Aiko Tanaka", "she"), ("Rafael Costa", "he"), ("Nadia Rahman", "she"), ("Oskar Lindqvist", "he"),
    ("Chloe Dubois", "she"), ("Mateo Rossi", "he"), ("Leila Karimi", "she"), ("Viktor Horvat", "he"),
    ("Grace Whitfield", "she"), ("Arjun Mehta", "he"), ("Sofia Novak", "she"), ("Emeka Eze", "he"),
    ("Hannah Keller", "she"), ("Jonas Weber", "he"), ("Yasmin Aziz", "she"), ("Pavel Dvorak", "he"),
    ("Lucia Moreno", "she"), ("Ahmed Saleh", "he"), ("Mei Lin", "she"), ("Dmitri Volkov", "he"),
    ("Olivia Grant", "she"), ("Kwame Boateng", "he"), ("Anja Schulz", "she"), ("Henrik Larsen", "he"),
    ("Zainab Bello", "she"), ("Carlos Ortega", "he"), ("Rosa Ferreira", "she"), ("Ivan Markovic", "he"),
    ("Naomi Cohen", "she"), ("Tariq Nasser", "he"), ("Helga Brandt", "she"), ("Felix Moreau", "he"),
    ("Ayesha Siddiqui", "she"), ("Bruno Alves", "he"), ("Katarina Ilic", "she"), ("Nikolai Sokolov", "he"),
]
ROLES = [
    "minister", "mayor", "president", "ambassador", "director", "governor", "chairman", "envoy",
    "prime minister", "captain", "coach", "trader", "farmer", "professor", "collector", "chief executive",
]
NATIONS = [
    "Portuguese", "Japanese", "Nigerian", "Swedish", "Indian", "Polish", "Lebanese", "Mexican", "Norwegian",
    "Ghanaian", "Russian", "French", "Brazilian", "Iranian", "Croatian", "Canadian", "Czech", "Chinese", "Irish",
    "Kenyan", "German", "Danish", "Chilean", "Serbian", "Egyptian", "Dutch", "Finnish", "Turkish",
]
GROUPS = [
    "the city museum", "the national library", "the university", "the football club", "the hospital",
    "the village school", "the railway company", "the orchestra", "the town council", "the sailing club",
]
PLACES = ["Oslo", "Lisbon", "Nairobi", "Kyoto", "Valparaiso", "Krakow", "Tunis", "Montreal", "Tallinn", "Porto", "Hanoi", "Lyon"]
THINGS = [
    "a silver watch", "a painting of the old harbour", "a hand-woven rug", "a book of poems", "two tickets to the opera",
    "a bicycle", "a bottle of old wine", "an antique map", "a ceramic vase", "a wooden chess set", "a leather saddle",
    "a portrait of his grandfather", "a box of rare teas", "a crystal bowl", "a set of kitchen knives", "a fountain pen",
    "a hand-painted plate", "a small bronze statue", "a violin", "a woollen blanket", "a collection of stamps",
    "a model ship", "a pair of binoculars", "a telescope", "a jar of honey", "a basket of oranges", "a signed football",
    "a gold medal", "a photograph album", "a carved walking stick", "a music box", "a tea service", "a globe",
    "a quilt", "a typewriter", "a camera", "a lamp made of brass", "a sculpture of a horse", "a copy of the old charter",
    "a landscape in oils", "an embroidered shawl", "a clock", "a tapestry", "a guitar", "a set of coins",
]
SOLD = [
    "a used van", "the farmhouse", "forty sheep", "a fishing boat", "the printing press", "a vineyard", "the old mill",
    "a truck", "shares in the bakery", "a tractor", "the stables", "a piano", "a plot of land", "the shop",
]
LENT = ["a ladder", "a car", "a tent", "a boat", "a horse", "a laptop", "some money", "a projector", "a tractor", "a trailer"]
SENT = ["a letter", "a parcel of seeds", "a crate of apples", "a telegram", "a package of books", "a postcard", "flowers"]
OPENERS = ["", "", "Then ", "Later ", "After lunch ", "At the end of the visit "]
ANSWERING = ["For his part, ", "In return, ", "Then ", "", "Afterwards "]


@dataclass
class Made:
    """One question about a made-up text: the character span that answers it (None: it does not)."""

    question: str
    text: str
    answer: tuple[int, int] | None


@dataclass
class Party:
    full: str  # as first named: "Maria Santos"
    short: str  # as named after: "Santos"
    pronoun: str  # he, she, it
    described: str  # "the Portuguese minister"


def _parties(rng: random.Random, avoid: frozenset[str] = frozenset()) -> tuple[Party, Party]:
    first, second = rng.sample([p for p in PEOPLE if p[0] not in avoid], 2)
    nations = rng.sample(NATIONS, 2)
    out = [Party(name, name.split()[-1], pronoun, f"the {nation} {rng.choice(ROLES)}") for (name, pronoun), nation in zip((first, second), nations)]
    if rng.random() < 0.15:  # an organisation on one side
        group = rng.choice(GROUPS)
        out[1] = Party(group, group, "it", group)
    rng.shuffle(out)
    return out[0], out[1]


def _name(party: Party, r: float) -> str:
    """The party as named after its introduction, by ``r`` (uniform in [0, 1)): mostly the
    surname, else in full or described."""
    return party.short if r < 0.6 else party.full if r < 0.85 else party.described


# each kind of exchange: (its things, the sentences that tell it, questions whose answer is the thing,
# questions whose answer is a person); {g} the giver, {r} the receiver, {x} the thing ({X} capitalized)
KINDS = {
    "give": (
        THINGS,
        ["{g} gave {r} {x}.", "{g} gave {x} to {r}.", "{g} presented {r} with {x}.", "{g} handed {r} {x}.",
         "{r} received {x} from {g}.", "{X} was given to {r} by {g}.", "{g} offered {r} {x} as a gift."],
        ["What did {g} give {r}?", "What did {g} give to {r}?", "What did {g} give?", "What did {r} receive?",
         "What did {r} receive from {g}?", "What did {r} get from {g}?", "What was {r} given?", "What was {r} given by {g}?",
         "What gift did {r} receive?", "What did {g} present to {r}?", "What did {g} hand to {r}?", "What present did {g} give {r}?",
         "Which gift did {r} get?", "What did {r} get?", "What did {g} give {r} as a present?"],
        ["Who gave {r} {x}?", "Who received {x}?", "Who got {x}?", "Who gave {x} to {r}?", "Who was given {x}?"],
    ),
    "sell": (
        SOLD,
        ["{g} sold {r} {x}.", "{g} sold {x} to {r}.", "{r} bought {x} from {g}.", "{X} was sold to {r} by {g}."],
        ["What did {g} sell to {r}?", "What did {g} sell?", "What did {r} buy?", "What did {r} buy from {g}?",
         "What did {r} purchase from {g}?", "What did {g} sell {r}?"],
        ["Who bought {x}?", "Who sold {x}?", "Who sold {x} to {r}?", "Who did {g} sell {x} to?"],
    ),
    "lend": (
        LENT,
        ["{g} lent {r} {x}.", "{g} lent {x} to {r}.", "{r} borrowed {x} from {g}."],
        ["What did {g} lend {r}?", "What did {g} lend to {r}?", "What did {r} borrow?", "What did {r} borrow from {g}?", "What did {g} lend?"],
        ["Who borrowed {x}?", "Who lent {x} to {r}?", "Who lent {r} {x}?"],
    ),
    "send": (
        SENT,
        ["{g} sent {r} {x}.", "{g} sent {x} to {r}.", "{r} received {x} from {g}.", "{X} was sent to {r} by {g}."],
        ["What did {g} send {r}?", "What did {g} send to {r}?", "What did {r} receive from {g}?", "What did {r} get from {g}?", "What did {g} send?"],
        ["Who sent {x}?", "Who received {x}?", "Who sent {r} {x}?"],
    ),
}
FILLERS = [
    "{a} met {b} in {p} on a {d} morning.", "{a} invited {b} to visit {p} next year.", "{a} and {b} talked for {n} hours.",
    "{a} thanked {b} for the welcome in {p}.", "{a} told {b} about the harvest in {p}.", "{b} asked {a} about the new road to {p}.",
    "The two had last met in {p} {n} years ago.", "Reporters waited outside while {a} and {b} spoke.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "cold", "rainy", "sunny"]


POSSESSIVE = {"he": "his", "she": "her", "it": "its"}


def _sentence(form: str, giver: str, receiver: str, thing: str, opener: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The exchange sentence, and where the thing, the giver and the receiver are in it."""
    text = form.replace("{X}", thing[:1].upper() + thing[1:]).replace("{x}", thing).replace("{g}", giver).replace("{r}", receiver)
    text = (opener if not form.startswith("{X}") else "") + text
    text = text[:1].upper() + text[1:]
    spans = {}
    for role, words in (("thing", thing), ("giver", giver), ("receiver", receiver)):
        found = re.search(rf"\b{re.escape(words)}\b", text, re.IGNORECASE)  # "Lin", not the "Lin" of "Lindqvist"
        assert found is not None, (words, text)
        spans[role] = found.span()
    return text, spans


@dataclass
class Exchange:
    kind: str
    giver: Party
    receiver: Party
    thing: str
    spans: dict[str, tuple[int, int]]  # thing, giver, receiver: character spans in the text


def _introduced(party: Party) -> str:
    """The party as first named: "Maria Santos, the Portuguese minister,"."""
    return party.full if party.described == party.full else f"{party.full}, {party.described},"


def exchange_text(rng: random.Random, avoid: frozenset[str] = frozenset()) -> tuple[str, list[Exchange]]:
    """A made-up text and its exchanges (one or two, the second the other way); none of its
    people is named in ``avoid``."""
    a, b = _parties(rng, avoid)
    kind = rng.choice(["give", "give", "give", "sell", "lend", "send"])
    things, forms, _, _ = KINDS[kind]
    first, second = rng.sample(things, 2)
    opening = f"{_introduced(a)} met {_introduced(b)} in {rng.choice(PLACES)}."
    sentences = [opening[:1].upper() + opening[1:]]
    made: list[tuple[Exchange, str]] = []
    for n, (giver, receiver, thing) in enumerate(((a, b, first), (b, a, second))):
        if n == 1 and rng.random() < 0.3:  # one way only
            break
        opener = rng.choice(ANSWERING if n else OPENERS).replace("his", POSSESSIVE[giver.pronoun])
        if n == 1 and rng.random() < 0.4:  # the receiver as described, as a report would ("the Belarusian counterpart")
            receiver_name = receiver.described
        else:
            receiver_name = _name(receiver, rng.random())
        sentence, spans = _sentence(rng.choice(forms), _name(giver, rng.random()), receiver_name, thing, opener)
        made.append((Exchange(kind, giver, receiver, thing, spans), sentence))
        sentences.append(sentence)
    for _ in range(rng.randint(1, 3)):
        x, y = (a, b) if rng.random() < 0.5 else (b, a)
        filler = rng.choice(FILLERS).format(a=_name(x, rng.random()), b=_name(y, rng.random()), p=rng.choice(PLACES), d=rng.choice(DAYS), n=rng.randint(2, 9))
        sentences.insert(rng.randint(1, len(sentences)), filler[:1].upper() + filler[1:])
    text = " ".join(sentences)
    exchanges = []
    for exchange, sentence in made:  # the fillers moved the sentences: offsets in the whole text
        base = text.index(sentence)
        exchange.spans = {role: (base + s, base + e) for role, (s, e) in exchange.spans.items()}
        exchanges.append(exchange)
    return text, exchanges


def _definite(thing: str) -> str:
    """"a silver watch" -> "the silver watch", as a question names a thing the text introduced."""
    for article in ("a ", "an "):
        if thing.startswith(article):
            return "the " + thing[len(article) :]
    return thing


def _ask(template: str, exchange: Exchange, naming: tuple[float, float]) -> str:
    """``template`` asked of ``exchange``, its giver and receiver named by ``naming`` (``_name``)."""
    question = template.format(g=_name(exchange.giver, naming[0]), r=_name(exchange.receiver, naming[1]), x=_definite(exchange.thing))
    return question[:1].upper() + question[1:]


# the people-questions whose answer is the receiver; the others' is the giver
TO_RECEIVER = ("Who received", "Who got", "Who was given", "Who bought", "Who borrowed", "Who did")


def role_examples(count: int, seed: int, other: float = 0.3) -> list[Made]:
    """``count`` questions about made-up exchanges: a text that tells both ways is asked the same
    question from both sides (the same words, the people swapped, the other answer); ``other``
    of the questions are also asked of another text."""
    rng = random.Random(seed)
    out: list[Made] = []
    while len(out) < count:
        text, exchanges = exchange_text(rng)
        _, _, to_thing, to_people = KINDS[exchanges[0].kind]
        template = rng.choice(to_thing) if rng.random() < 0.8 else rng.choice(to_people)
        role = "thing" if template in to_thing else "receiver" if template.startswith(TO_RECEIVER) else "giver"
        naming = (rng.random(), rng.random())  # both sides named alike: "What did Santos get from Okafor?" / "... Okafor get from Santos?"
        for exchange in exchanges:
            question = _ask(template, exchange, naming)
            out.append(Made(question, text, exchange.spans[role]))
            if rng.random() < other:
                elsewhere, _ = exchange_text(rng, frozenset({exchange.giver.full, exchange.receiver.full}))
                out.append(Made(question, elsewhere, None))
    return out[:count]


# what the subject of a question about an exchange got from the other exchange, by kind: asked of
# the giver of the first (who received the second) or of its receiver (who gave the second)
RECEIVED = {
    "give": ["And what did {p} get?", "What did {p} receive?", "What did {p} get back?", "What was {p} given?"],
    "sell": ["And what did {p} buy?", "What did {p} buy?"],
    "lend": ["What did {p} borrow?", "And what did {p} borrow?"],
    "send": ["What did {p} receive?", "And what did {p} get?"],
}
GAVE = {
    "give": ["What did {p} give?", "And what did {p} give?", "What did {p} hand over?", "What did {p} give back?"],
    "sell": ["What did {p} sell?", "And what did {p} sell?"],
    "lend": ["What did {p} lend?", "And what did {p} lend?"],
    "send": ["What did {p} send?", "And what did {p} send back?"],
}
_SUBJECT = re.compile(r"^\w+(?: \w+)? (?:did|was) \{(?P<side>[gr])\}")


@dataclass
class Conversation:
    """Two questions about a made-up text's two exchanges: the first names the people, the
    second asks about its subject by a pronoun ("What did Santos give Okafor?" → "And what did
    she get?"); ``answer`` is the span that answers the second (the other exchange's thing)."""

    questions: tuple[str, str]
    text: str
    answer: tuple[int, int]


def role_conversations(count: int, seed: int) -> list[Conversation]:
    """``count`` two-turn conversations about made-up texts that tell an exchange both ways: the
    first question asks what one exchange's giver gave (or its receiver got), naming a person
    as its subject; the second asks, of that person as "he" or "she", the other exchange's thing."""
    rng = random.Random(seed)
    out: list[Conversation] = []
    while len(out) < count:
        text, exchanges = exchange_text(rng)
        if len(exchanges) < 2:
            continue
        first, second = exchanges if rng.random() < 0.5 else exchanges[::-1]
        asking = [t for t in KINDS[first.kind][2] if _SUBJECT.match(t)]
        template = rng.choice(asking)
        side = _SUBJECT.match(template)["side"]
        person = first.giver if side == "g" else first.receiver
        if person.pronoun == "it":  # an organisation: "it" is not read as a party
            continue
        question = _ask(template, first, (rng.random(), rng.random()))
        followup = rng.choice((RECEIVED if side == "g" else GAVE)[first.kind]).format(p=person.pronoun)
        out.append(Conversation((question, followup), text, second.spans["thing"]))
    return out
