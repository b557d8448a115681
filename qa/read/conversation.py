"""A conversation: questions read in the light of the turns before them.

A follow-up ("And what did he give in return?", "Why?", "How many?") names too little to be
searched on its own. When a question looks like one (a leading "and", too few words of its own,
something given "in return" or "instead", a pronoun that points outside the question), the
search query adds the previous question (and, for a bare one like "Who said that?" after
"When?", the question that one followed up), and passages and sentences near the ones the last
answer cited are preferred: people ask about what they have just read. The words of the previous
answer are not added: they are the words of the sentence already quoted, and would draw the
search back to it (the nearness preference already says where the conversation is). The reader
reads a thin follow-up ("Why?", "What color was it?") with the previous question and its short
answer; one that names what it asks ("How did she say it happened?") alone, lest it answer again
from the passage it just quoted. A standalone question is searched as it is; only a gentle
nearness preference remains. "Who said that?" is not searched when the text says who said what
the last answer quoted (``asks_speaker``; the engine asks ``Answerer.who_said``), and the next
follow-up is read with that speaker; a question that states what was said ("Who said that the
visit is a new step?", ``asks_who_said``) is searched, answered with the speaker of the sentence
that says it, and the next follow-up read with that speaker too. An ellipsis ("What about
harvesters?", "And him?") is read as the previous question about its new thing
(``qa/read/ellipsis.py``), a standalone question whose short answer is not the one just given
(unless that ran on to name the new thing); a bare "Why?" after a question of what, who, when …
is not answered with the short answer just given either; "And another?" reads the question that began the list again, for an answer not given; "What did
he get in return?" reads the previous question the other way round; and after "Who said that?" a
lone "he" or "she" is the speaker found, and after "Who gave the carpet?" the person it was
answered with, also past follow-ups that name no one ("Who said that?" → "When?" → "What did he
give Aliyev?"); in a question asking who or what someone said, the person the previous
question named doing something ("What did Aliyev say about public opinion?" → "Who did he
invite?", "What else did he say?"); in a question about an exchange, after one ("What did the
Azerbaijani president give his counterpart?" → "And what did he get?"), it is the previous
question's subject as its answer named them (Ilham Aliyev, ``exchange.subject``). A question that names nothing ("Who?",
"Why not?") can only follow up: asked with no turn before it, it is not answered
(``names_nothing``; the engine notes why). Neither is a greeting or thanks ("Thanks!",
``pleasantry``): it is answered with a note and left out of the conversation, so that the next
follow-up follows the question before it.

A ``History(learned=True)`` reads follow-ups with the learned resolver instead
(``qa/read/resolver.py``, trained on people's rewrites of such questions): it reads the
conversation up to six turns back (each earlier question as it was resolved, and the answer qa
gave it, with the speaker of a quoted answer) and adds the words the question leaves out:
"What did he get in return? (Aliyev)"; a follow-up it finds nothing to borrow for is read by the
rule. It is not the default: on the held-out data it was chosen on it measures within noise of
the rule, and worse on the own question sets and Abg-CoQA (``docs/measured.md``, "Follow-ups").

A ``History`` is plain state: the engine (``qa/engine.py``) asks it how to read a question, then
records the turn; nothing here calls back into the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ingest.text import PAST_FORMS, STOPWORDS
from . import answer_kind, ellipsis, exchange, naming
from .answering import Answer
from .attribution import HE, SHE, asks_speech, gender, people
from .pronouns import asks_who
from .resolver import load_resolver

# Words that point back into the conversation. Pronouns do, unless the question names someone
# before them ("What did Lukashenko say when he arrived?"). Before a name, so do possessives
# ("What was his role?", not "its own market"), demonstratives past the first word ("during this
# time", not "this year"), "other", "else" or "another" (more of what came before; not "one
# another") and "next" or "later" (what came after it); the other weak pointers ("one", "ones")
# only in a short question that names nobody.
_POINTERS = frozenset("he she it they him her them there then such former latter same".split())
_PERSONAL = frozenset("he she him her".split())
_POSSESSIVES = frozenset("his hers its their theirs".split())
_DEMONSTRATIVES = frozenset("this that these those".split())
_MORE = frozenset("other others else another next later afterwards afterward".split())
# a time that the conversation gave, even after a name: "What had Malcolm done before that?",
# "What did Tom do then?" (not "before that year")
_TIME_BACK = re.compile(r"\b(?:(?:before|after|since|until|till|by)\s+(?:that|this|then)|then)\b(?!\s+[a-z])", re.IGNORECASE)
_TIMES = frozenset("year years month months week weeks today morning evening century".split())
# after "that", what makes it a relative or a clause's opening, not a pointer back: a verb
# ("something that needs fixing", "the album that came out") or a subject ("that the deal was …")
_CLAUSE_SUBJECTS = frozenset("the a an he she it they we you i his her their its".split())
_PREPOSITIONS = ellipsis.PREPOSITIONS | frozenset("of like than as through within across against around".split())
_WEAK_POINTERS = _POSSESSIVES | _DEMONSTRATIVES | frozenset("one ones other others".split())
_PRONOUNS = _POINTERS | _WEAK_POINTERS
_THINGS_POINTED = frozenset("it its they them their theirs".split())  # pronouns of things said before
_NOT_PERSONAL = (_POINTERS | _POSSESSIVES | _DEMONSTRATIVES) - _PERSONAL  # pointers at something other than a person
_EXISTENTIAL = re.compile(r"\bthere(?:['’](?:s|re|ll|d)\b|\s+(?:is|are|was|were|be|been|will|would|has|have|had)\b)", re.IGNORECASE)
# "it" that stands for a clause after it, not for something said before: "Was it difficult to
# keep the old facade?", "Is it true that …?" (not "Is it safe to drink?": an infinitive without
# words of its own after it leaves "it" its object)
_EXTRAPOSED_IT = re.compile(
    r"\bit(?:['’]s\s+|\s+(?:(?:is|was|will\s+be|would\s+be|has\s+been|had\s+been|be|been)\s+)?)(?:\w+ly\s+|very\s+|so\s+|too\s+)?"
    r"(?:hard|difficult|easy|possible|impossible|necessary|important|true|false|likely|unlikely|worth|legal|illegal|"
    r"common|usual|normal|expensive|cheap|safe|dangerous|allowed|permitted|required)\s+"
    r"(?:that\s+\w+|(?:for\s+\w+\s+)?to\s+\w+\s+(?:\w+\s+)*?(?!it\b|them\b|him\b|her\b)[a-z]{3,})",
    re.IGNORECASE,
)
_OPENERS = re.compile(r"^\s*(?:and|but|so|also|then|what about|how about|what else|anything else)\b", re.IGNORECASE)
# what takes the place of what the conversation spoke of ("What did they offer instead?"; not
# "instead of roses", which names it)
_INSTEAD = re.compile(r"\binstead\b(?!\s+of\b)", re.IGNORECASE)
# the words of a question asking for more of what was said or happened, "else" among them: "What
# else did he say?", "Anything else interesting?" (not "Where else could it focus?", whose
# answer may be in the sentence just quoted)
_BARE_WHY = re.compile(r"^\s*(?:(?:and|but|so)\s+)?(?:why(?:\s+not)?|how\s+come)\s*[?.!]*\s*$", re.IGNORECASE)
# words that give a reason ("… because the coil freezes", "… so that ships could pass")
_REASON = re.compile(
    r"\b(?:because|since|so|as|due to|owing to|thanks to|in order|reasons?|caused|therefore|thus|hence|why|after|when|to (?!the\b|a\b|an\b|his\b|her\b|their\b|its\b)[a-z]+)\b",
    re.IGNORECASE,
)
_WH_QUESTION = re.compile(r"^\s*(?:(?:and|but|so)\s+)?(?:what|which|who|whom|whose|when|where|how)\b", re.IGNORECASE)
_SAYING = frozenset("say said says tell told mention mentioned add added note noted".split())
_MORE_OF_IT = _SAYING | frozenset("else anything something happen happened happens interesting important".split())
_WORDS = re.compile(r"[A-Za-z0-9’'-]+")
# a question that says what it is about before it asks: "My unit shows E1, what does that mean?"
_STATEMENT = re.compile(r"(?P<statement>[^,;:.?!]+)[,;:.!]\s+(?=\w)")
STATEMENT_WORDS = 3  # the words of its own a clause needs to be what a question's "that" or "he" points at
_ANY_WORD = re.compile(r"[^\W_]+")
_QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())
# prepositions that name nothing ("Within what time?", "What happened after?"), beside the stop words
_RELATIONS = frozenset("after before during within without against between among across along around behind beyond since until till through throughout toward towards via".split())
# "Who said that?", "And who says so?", "Whose words are these?": a question about the speaker
# of what the last answer quoted
_SPEECH = r"said|says|say|stated|states|noted|notes|remarked|stressed|emphasi[sz]ed|added|told|wrote|claimed|claims|thinks|thought|believes|believed|(?:is|was) convinced|(?:is|was) (?:speaking|talking|saying (?:that|this|so|it))"
_ASKS_SPEAKER = re.compile(
    rf"^\s*(?:and\s+|but\s+|so\s+)?(?:who\s+(?:{_SPEECH})(?:\s+(?:that|this|so|it|these words|those words))?"
    r"|whose (?:words|statement|quote|opinion|view) (?:is|are|was|were) (?:that|this|these|those|it)"
    r"|who (?:is|was) (?:that|this|it) (?:from|by)|who (?:is|was) (?:being )?quoted)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# "Who said that the visit is a new step?", "Who stressed the importance of exports?": who said
# what the question goes on to say (not "Who wrote the song?" or "Who told his mother?")
_STATING = r"said|says|stated|states|noted|notes|remarked|stressed|stresses|emphasi[sz]ed|added|explained|underlined|pointed out|declared|assured|concluded|claimed|claims"
_ASKS_WHO_SAID = re.compile(rf"^\s*(?:(?:and|but|so)\s+)?who\s+(?:first\s+)?(?:{_STATING})\s+(?P<said>.+)$", re.IGNORECASE)

# "Who did Eleanor marry?", "Who was Eleanor married to?": whom someone named did something to
_ASKS_WHOM = re.compile(
    r"^\W*(?i:(?:(?:and|but|so)\s+)?whom?\s+(?:did|does|do|will|would|can|could|should|has|have|had|is|was|are|were)\s+)"
    r"(?!I\s)(?:[A-Z][\w'’-]*\s+)+(?=[a-z])"
)
# "What did Aliyev say about public opinion?", "Why did Tom leave?": someone named did something
_NAMED_SUBJECT = re.compile(
    r"^\W*(?i:(?:(?:and|but|so)\s+)?(?:what|how|why|when|where)\s+(?:did|does|do|will|would|can|could|has|have|had)\s+)"
    r"(?!I\s)(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\s+(?=[a-z])"
)

# Nearness preferences added to fused passage scores (``Retriever.nearness``).
FOLLOWUP_NEAR, STANDALONE_NEAR = 0.25, 0.05
PERSON_TURNS = 3  # how far back a person found is still whom "he" or "she" means
ELLIPSIS_TURNS = 4  # how far back the question an ellipsis asks again may be ("What about sick leave?")
ORDINAL_TURNS = 4  # how far back an ordinal's noun ("first goal") is still the noun of "the second?"
MAX_TURNS = 6  # the earlier turns the resolver reads, newest first (its input holds 256 tokens)
_MARKS = re.compile(r"\s*\[\d+\]")  # an answer's citation marks
_PEOPLE_POINTERS = frozenset("he him his she her hers they them their theirs".split())
# words that complete a question word without naming anything ("How many?", "What else?")
_ASKING_ONLY = frozenset("many much long often far old else more really exactly".split())
# the note on a question that can only follow up, asked with no turn before it
NOTHING_TO_FOLLOW = "the question names nothing to look for, and there is no earlier question for it to follow: ask about something in the text"
# a greeting, thanks or an acknowledgement, and nothing else: said to qa, not asked of the text
_PLEASANTRY = re.compile(
    r"^\s*(?:(?:hi|hello|hey|good (?:morning|afternoon|evening))(?: there)?|thanks?(?: you)?(?: (?:so|very) much| a lot| again)?(?: for (?:the|your|that|this|it|all)(?: \w+)?)?"
    r"|many thanks|thx|cheers|ok(?:ay)?|great|cool|nice|perfect|awesome|got it|i see|all ?right|(?:good)?bye|see you)"
    r"(?:\s*[,.!]*\s*(?:qa|thanks?(?: you)?|ok(?:ay)?|great))*\s*[.!?]*\s*$",
    re.IGNORECASE,
)
NOT_A_QUESTION = "that is not a question about the text: ask about something in it"


def _speaker(turn: Turn) -> str | None:
    """Who said what the answer to ``turn`` quoted, when ``turn`` asked it ("Who said that?",
    "Who said that the visit is a new step?")."""
    citations, asked = turn.answer.citations, turn.standalone or turn.question
    return citations[0].speaker if (asks_speaker(asked) or asks_who_said(asked)) and citations else None


def _answered_with(turn: Turn, question: str = "") -> str | None:
    """The person a "Who …?" question was answered with ("Who gave the carpet?" → Ilham Aliyev),
    when its short answer names one person and the question itself points at no one: after
    "Who did he marry?" the conversation is still about "he" (but a "she" in the next
    ``question`` is the one he married); "Who is Ilham Aliyev?" is about Ilham Aliyev, whatever
    the answer calls him ("Azerbaijan President")."""
    asked = (turn.standalone or turn.question).strip()
    citations = turn.answer.citations
    if not asks_who(asked) or asks_speaker(asked) or not (turn.answer.answerable and citations):
        return None
    if _points_at_them(turn.question, question):  # as asked, before a "he" was read as someone
        return None
    if identity := naming.asked_about(asked):  # "Who is Ilham Aliyev?" is answered with what he is
        return identity
    if _ASKS_WHOM.match(asked):  # "Who did Eleanor marry?": a later "he" may be either of them
        return None
    span = citations[0].span or {}
    named = [span["names"]] if span.get("names") else people(span.get("text") or "")
    if len(named) != 1 or _another_meant(turn, named[0], asked, question):
        return None
    return named[0]


def _another_meant(turn: Turn, answered: str, asked: str, question: str) -> bool:
    """Whether the "she" (or "he") of ``question`` means a person the turn's question ``asked``
    names rather than the one it was ``answered`` with: the passage quoted calls that person so
    and not the one answered ("Who suggested Miriam Achebe?" → "I'd [Rosa Lindqvist] suggest
    Miriam Achebe …; she ran …" → "And her train fare?": Miriam's)."""
    pointed = [pronoun for pronoun, words in (("he", HE), ("she", SHE)) if words.intersection(_lowered(question))]
    if len(pointed) != 1:
        return False
    cited = turn.answer.citations[0]
    text = next((p.text for p in turn.answer.passages if (p.id, p.doc) == (cited.passage, cited.doc)), cited.quote)
    return gender(text, answered) != pointed[0] and any(gender(text, other) == pointed[0] for other in people(asked))


def _subject_named(turn: Turn, question: str = "") -> str | None:
    """For a ``question`` asking who, the person the turn's question names as who did something
    ("What did Aliyev say about public opinion?" → "Who did he invite?": Aliyev, whom the answer
    is then not), when it names no one else, nor points at someone ``question`` may mean ("What
    did Joe say to her?" → "Who did she tell?": not Joe); so too for one asking what someone
    said ("What did Lukashenko say about harvesters?" → "What else did he say?", answered with
    what the text gives as his speech, not with the words that say he said it). Not for other
    questions: read with the name, "Where did Reggie Jackson finally attend?" is scored far
    lower than the question with "he" and the previous one, against a text that calls him "he"
    (CANARD's conversations lost 23 turns for 17)."""
    asked = turn.standalone or turn.question.strip()
    match = _NAMED_SUBJECT.match(asked) if asks_who(question) or asks_speech(question) else None
    if match is None or ellipsis.names_someone(asked[match.end() :]):
        return None
    # the name read for the turn's "she" is not the "him" asked about ("What did she say …?" → "And who defended him?")
    read_for = match["name"] == turn.person and _other_gender(_PEOPLE_POINTERS.intersection(_lowered(turn.question)), question)
    return None if _points_at_them(asked, question) or read_for else match["name"]


def _points_at_them(asked: str, question: str) -> bool:
    """Does ``asked`` point at someone ("he", "her") whom ``question`` may mean: someone of the
    gender ``question`` points at, or anyone when it points at no one?"""
    pointers = _PEOPLE_POINTERS.intersection(_lowered(asked))
    return bool(pointers) and not _other_gender(pointers, question)


def _short_answer(turn: Turn) -> str:
    """The short answer the turn was given (or the speaker of the sentence quoted); "" for none."""
    first = turn.answer.citations[0] if turn.answer.answerable and turn.answer.citations else None
    return ((first.span or {}).get("text") or first.speaker or "") if first else ""


def _read_as(turn: Turn, question: str) -> str | None:
    """Whom the turn's lone "he" or "she" was read as, unless ``question`` points at someone of
    the other gender."""
    return None if _other_gender(_PEOPLE_POINTERS.intersection(_lowered(turn.question)), question) else turn.person


def _other_gender(pointers: set[str], question: str) -> bool:
    """Does ``question`` point at someone of the other gender than ``pointers`` do ("she" after
    "his")?"""
    asked = [bool(gender.intersection(_lowered(question))) for gender in (HE, SHE)]
    said = [bool(gender & pointers) for gender in (HE, SHE)]
    return any(asked) and not any(a and s for a, s in zip(asked, said))


def resolved(question: str, borrowed: list[str]) -> str:
    """The question with the words it borrows: "When? (Ganja tractors)"."""
    question = question.strip()
    return f"{question} ({' '.join(borrowed)})" if borrowed else question


def said(turn: Turn) -> str:
    """A turn as the resolver reads it: its resolved question, then the answer given (if any)."""
    answer = _MARKS.sub("", turn.answer.answer) if turn.answer.answerable else ""
    return f"{turn.answer.query or turn.question} {answer}".strip()


@dataclass
class Turn:
    question: str
    answer: Answer
    topic: str | None = None  # for a follow-up, the last standalone question before it
    standalone: str | None = None  # the question as it reads alone, when it does (``Reading.standalone``)
    person: str | None = None  # whom its lone "he", "she", "him" or "his" was read as (``Reading.person``)


# a contraction is its first word: "they’re" is "they", "what’s" is "what"
_CONTRACTED = re.compile(r"(he|she|it|they|we|you|i|there|that|what|who|where|when|why|how)['’](?:s|re|ve|ll|d|m)", re.IGNORECASE)


def _lowered(question: str) -> list[str]:
    """The words of ``question`` in lower case, a contraction as its first word."""
    words = [m.group().lower().strip("’'") for m in _WORDS.finditer(question)]
    return [found.group(1) if (found := _CONTRACTED.fullmatch(word)) else word for word in words]


def _opens_clause(before: str, after: str) -> bool:
    """Whether "that" between the words ``before`` and ``after`` opens a clause, pointing at
    nothing: after a noun or a verb (not "How was that received?", "What happened to that
    money?"), before a verb ("something that needs fixing", "the album that came out", "that
    is"; a word in -s or -ed, not a noun in -ss or -eed) or the clause's subject ("said that the
    deal …")."""
    if before in ellipsis.AUXILIARY_WORDS or before in _QUESTION_WORDS or before in _PREPOSITIONS:
        return False
    verb = after.endswith("s") and not after.endswith("ss") and len(after) > 3 or after.endswith("ed") and not after.endswith("eed") and len(after) > 4
    return verb or after in ellipsis.AUXILIARY_WORDS or after in _CLAUSE_SUBJECTS or after in PAST_FORMS


def own_words(question: str) -> list[str]:
    """The words of ``question`` that say what it is about: no stop words, pronouns, question
    words or prepositions."""
    return [w for w in _lowered(question) if w not in STOPWORDS and w not in _PRONOUNS and w not in _QUESTION_WORDS and w not in _RELATIONS]


def _mentions(text: str, thing: str) -> bool:
    """Does ``text`` hold every word of ``thing`` of its own ("the mayor": "mayor")?"""
    words = set(_lowered(text))
    return all(word in words for word in own_words(thing) or _lowered(thing))


def thin(question: str) -> bool:
    """True when ``question`` has fewer than two words of its own ("Why?", "What color was
    it?", "Within what time?") and names no one by name ("Who was Fiona?" is not): it says
    little of what it asks, and leans on the turn before it."""
    return len(own_words(question)) < 2 and not _named(question)


def _named(question: str) -> bool:
    """Does ``question`` name someone or something by name: a capitalized word past its first
    ("Who was Fiona?"; not "What should I do?")?"""
    return any(_a_name(match) for match in list(_WORDS.finditer(question))[1:])


def _a_name(word: re.Match) -> bool:
    """Is ``word`` (past a question's first) capitalized as a name is ("Fiona"; not "I", "I'd")?"""
    return word.group()[:1].isupper() and re.fullmatch(r"I(?:['’]\w+)?", word.group()) is None


def names_nothing(question: str) -> bool:
    """True when ``question`` names nothing, not even by a pronoun ("Who?", "Why not?", "How
    many?", "And another?"): it can only follow up. ("How old is he?" can be asked of a text
    about one man.)"""
    words = [w.lower() for w in _ANY_WORD.findall(question)]  # any script: "Кто?" names something qa cannot read
    return all(w not in _PRONOUNS and (w in STOPWORDS or w in _QUESTION_WORDS or w in _ASKING_ONLY) for w in words)


def pleasantry(message: str) -> bool:
    """True when ``message`` is a greeting, thanks or an acknowledgement and nothing else
    ("Hello!", "Thanks a lot", "OK, thanks"): not a question, nor a turn of the conversation."""
    return bool(_PLEASANTRY.match(message))


def asks_speaker(question: str) -> bool:
    """True when ``question`` asks who said what was just quoted: "Who said that?"."""
    return bool(_ASKS_SPEAKER.match(question))


def asks_who_said(question: str) -> bool:
    """True when ``question`` asks who said what it states: "Who said that the visit is a new
    step?" (two words of its own or more after the verb; "Who said that?" and "Who said so?" ask
    who said the last answer, ``asks_speaker``)."""
    match = _ASKS_WHO_SAID.match(question)
    return match is not None and not asks_speaker(question) and len(own_words(match.group("said"))) >= 2


def asks_more(question: str) -> bool:
    """True when ``question`` asks for more of what was said or happened, besides what the last
    answer quoted: "What else did he say?", "Anything else?", "What else happened?"."""
    own = set(own_words(question))
    return "else" in own and own <= _MORE_OF_IT


def is_followup(question: str) -> bool:
    """True when ``question`` leans on the conversation: a leading "and", something given back
    ("in return", "instead"), a time it gave ("before that"), a word pointing back to an earlier
    turn (not to a clause that opens the question with three words of its own: "Water's
    leaking onto my floor, why would that be?"), or fewer than three words of its own and no name ("Why?", "Which enterprise?", "How
    did the vote go?" after a question on a motion, "Were any agreements reached?": asked in a
    conversation, such a question is about what it speaks of; two words chosen on CANARD's
    conversations, turn hit@1 0.581 → 0.599)."""
    own = own_words(question)
    # "Water's leaking onto my floor, why would that be?": what follows a clause of its own points back into it
    if (said := _STATEMENT.match(question)) and len(own_words(said["statement"])) >= STATEMENT_WORDS:
        question = said["statement"]
    matches = list(_WORDS.finditer(question))
    lowered = _lowered(question)
    if _OPENERS.match(question) or ellipsis.asks_in_return(question) or _INSTEAD.search(question) or _TIME_BACK.search(question):
        return True
    named = False  # has the question named someone yet (a capitalized word past the first)?
    reciprocal = {at for at in range(1, len(lowered)) if (lowered[at - 1], lowered[at]) in exchange.RECIPROCALS}  # "each other"
    for position, (match, word) in enumerate(zip(matches, lowered)):
        existential = (word == "there" and _EXISTENTIAL.match(question, match.start())) or (
            word == "it" and _EXTRAPOSED_IT.match(question, match.start())
        )
        if word in _POINTERS and not (word in _PERSONAL and named) and not existential:
            return True
        after = lowered[position + 1] if position + 1 < len(lowered) else ""
        if not named and (
            word in _POSSESSIVES and after != "own"
            or word in _DEMONSTRATIVES and position > 0 and after not in _TIMES and not (word == "that" and _opens_clause(lowered[position - 1], after))
            or word in _MORE and position not in reciprocal and after not in _TIMES  # not "next year"
        ):
            return True
        named = named or (position > 0 and _a_name(match))
    return not named and len(own) < 3


@dataclass(frozen=True)
class Reading:
    """How a conversation reads its next question."""

    query: str  # what is searched: the question, with the previous one (or the borrowed words) for a follow-up
    context: str | None  # what the reader reads of the conversation (``History.context``); None for a standalone question
    anchors: list[tuple[str, int]]  # (document, character offset) of each citation of the last answer quoted
    nearness: float  # how much passages near the anchors are preferred
    speech: Answer | None = None  # for "Who said that?": the last answer quoted, whose speaker is asked
    asked: str | None = None  # what the reader reads, when not the question: an ellipsis read in full
    standalone: str | None = None  # the question as it reads alone: itself, or an ellipsis read in full
    given: list[tuple[str, int, int]] = field(default_factory=list)  # (document, start, end) of answers not to repeat
    person: str | None = None  # whom a lone "he", "she", "him", "his" or "her" is read as (``ellipsis.with_person``)
    focus: str | None = None  # an ellipsis's new thing that the previous question has no place for: what the answer is to speak of


@dataclass
class History:
    """The turns of a conversation so far: plain state that the engine consults (``read``)
    before it answers a question, and extends (``record``) after."""

    turns: list[Turn] = field(default_factory=list)
    learned: bool = False  # read follow-ups with the learned resolver rather than the rule

    def read(self, question: str, encode: ellipsis.Encode | None = None, is_person: ellipsis.IsPerson | None = None) -> Reading:
        """How ``question`` is to be searched and read, after the turns so far; with ``encode``
        (the query encoder), an ellipsis ("What about harvesters?") is read as the previous
        question about its new thing (``qa/read/ellipsis.py``; ``is_person`` tells the names of
        people in the documents from other names)."""
        previous = self.turns[-1] if self.turns else None
        if previous is None:
            return Reading(question, None, [], STANDALONE_NEAR, standalone=question.strip())
        # "Who scored the second?" after "Who scored the first goal?": "… the second goal?"
        question = ellipsis.counted(question, [t.standalone or t.question for t in reversed(self.turns[-ORDINAL_TURNS:])])
        # "What was the survival rate in the third one?" after an answer that listed four treatments
        itemized = self._item(question, previous)
        question = itemized or question
        base = previous.standalone or previous.question
        said = " ".join(c.quote for c in previous.answer.citations)
        last = self._last_said()  # after a turn the text did not answer, the one before it
        anchors = [(c.doc, c.start) for c in last.citations] if last else []
        thing = ellipsis.phrase(question, base, said) if encode is not None else None
        # after a bare question ("Why?", "How many?"), the question that one followed: "What did he get
        # in return?" asks it the other way round, "What about a cockerel?" about the new thing
        followed = previous.topic if previous.topic and thin(previous.question) else base
        full = ellipsis.substitute(followed, thing, encode, is_person) if thing else ellipsis.in_return(question, followed, said, _short_answer(previous))
        if thing and full is None and (_THINGS_POINTED | _PEOPLE_POINTERS).intersection(_lowered(followed)):
            # "What about sick leave?" after "What happens to them after that?", which speaks of an
            # earlier thing ("What about the mayor?" after "How many rescues did her crews carry out?",
            # of someone): the last question that it fits
            earlier = (t.standalone or t.question for t in reversed(self.turns[-ELLIPSIS_TURNS:-1]))
            full = next((found for asked in earlier if (found := ellipsis.substitute(asked, thing, encode, is_person, ellipsis.EARLIER_SIMILARITY))), None)
        # not the short answer just given: the question read in full asks about another thing (unless
        # that answer ran on to name it: "bread and the mayor brought a new glass" before "And the
        # mayor?"), and a bare "Why?" after a question of what, who, … asks for something else of it
        short = [(c.doc, c.span["start"], c.span["end"]) for c in previous.answer.citations[:1] if c.span and previous.answer.answerable]
        ran_on = bool(thing and short and _mentions(previous.answer.citations[0].span["text"], thing))
        given = short if (full and not ran_on) or (_BARE_WHY.match(question) and _WH_QUESTION.match(base)) else []
        if _BARE_WHY.match(question) and previous.answer.answerable and not _REASON.search(said):
            # "Why?" after "Do not use it in rooms colder than 5 °C.": a sentence that gives no reason is not the answer
            given = given + [(c.doc, c.start, c.end) for c in previous.answer.citations]
        own = own_words(question)
        if "else" in own and previous.answer.answerable:  # "What else did he say?", "Who else came?": not what was just answered
            # asked for more of what was said, the whole quote; else its short answer, and the
            # sentences that mostly covers: a list's other items stay ("What else does it have?"
            # after "How many books does it hold?" → "about 40,000 books, a children's reading room, …")
            speech = asks_more(question) and _SAYING.intersection(own)
            given += [(c.doc, c.start, c.end) if speech or not c.span else (c.doc, c.span["start"], c.span["end"]) for c in previous.answer.citations]
        person = None
        # "What did he give?" after "Who said that?", "Who gave the carpet?" or "What did Lukashenko give?"
        if full is None and (person := self.person(question) or self._exchanging(question, previous)):
            full = ellipsis.with_person(question, person)
        if person and full is not None:  # still a follow-up, read alone: "What did Tom say?"
            if _TIME_BACK.search(full):  # "What had Malcolm Pellworth been doing before that?": searched with what that was
                before = previous.topic if thin(previous.question) and previous.topic else previous.standalone or previous.question.strip()
                return Reading(f"{full} ({before})", "", anchors, FOLLOWUP_NEAR, asked=full, given=given, person=person)
            return Reading(full, "", anchors, FOLLOWUP_NEAR, asked=full, standalone=full, given=given, person=person)
        if full is not None:
            return Reading(full, None, anchors, STANDALONE_NEAR, asked=full, standalone=full, given=given)
        if ellipsis.next_item(question):
            return self._next_item(question, previous, anchors, given)
        borrowed = load_resolver().resolve(question, self.segments()) if self.learned else []
        followup = bool(borrowed) or is_followup(question)
        if borrowed:
            query = resolved(question, borrowed)
        else:  # the rule; and the resolver's fallback for a follow-up it finds nothing to borrow for
            query = self.rewrite(question, previous) if followup else question
        speech = last if asks_speaker(question) else None
        return Reading(
            query=query,
            context=self.context(question, previous) if followup else None,
            anchors=anchors,
            nearness=FOLLOWUP_NEAR if followup else STANDALONE_NEAR,
            speech=speech,
            asked=itemized,
            standalone=None if followup else question.strip(),
            given=given,
            focus=thing,  # "What about pharmaceutics?" after "What does he want to coordinate?"
        )

    @staticmethod
    def _item(question: str, previous: Turn) -> str | None:
        """``question`` with the item of the list the previous answer gave that it counts in
        place of "the third one" (``ellipsis.item``); None where it counts none, and for "And the
        second one?", which asks for the next item (``_next_item``)."""
        if not (previous.answer.answerable and previous.answer.citations) or ellipsis.next_item(question):
            return None
        cited = previous.answer.citations[0]
        return ellipsis.item(question, cited.quote, (cited.span or {}).get("text", ""), previous.standalone or previous.question)

    def _last_said(self) -> Answer | None:
        """What "that" in "Who said that?" points at: the last answer, or, when the text did not
        say what it asked ("When?"), the one before it, the last quote the user read."""
        for turn in reversed(self.turns[-2:]):
            if turn.answer.answerable and turn.answer.citations:
                return turn.answer
        return None

    def _next_item(self, question: str, previous: Turn, anchors: list[tuple[str, int]], given: list[tuple[str, int, int]]) -> Reading:
        """"And another?": the question that began the list is read again, with the turn before,
        for a short answer that none of the list's turns gave yet (one that listed three things
        or more already holds the next one, and is given again), nor any of ``given``."""
        listed = [previous]
        for turn in reversed(self.turns[:-1]):
            if not ellipsis.next_item(listed[-1].question):
                break
            listed.append(turn)
        began = listed[-1].standalone or listed[-1].question.strip()
        given = given + [
            (c.doc, c.span["start"], c.span["end"])
            for turn in listed
            if turn.answer.answerable
            for c in turn.answer.citations[:1]
            if c.span and not answer_kind.lists(c.span["text"])  # a whole list holds the next item
        ]
        return Reading(
            self.rewrite(question, previous), self.context(began, previous), anchors, FOLLOWUP_NEAR, asked=began, given=given
        )

    def person(self, question: str = "") -> str | None:
        """Whom a lone "he" or "she" in ``question`` stands for: the speaker found by the last
        "Who said that?", the person the last "Who …?" question was answered with, or whom a
        "he" or "she" of the same gender was read as, when the turns after it were
        follow-ups with too few words of their own to name anyone ("When?", "Why?") or standalone
        questions the text did not answer that name no one ("How many people watched?"; not a
        refused "Anything else interesting?", which follows the conversation's own thread)."""
        for turn in reversed(self.turns[-PERSON_TURNS:]):
            names = ellipsis.names_someone(turn.question)
            if turn.standalone is not None and not (turn.answer.answerable or names):
                continue  # refused, about something else: whom "he" means was said before it
            found = _speaker(turn) or _answered_with(turn, question) or _read_as(turn, question) or _subject_named(turn, question)
            if found or turn.standalone is not None or not thin(turn.question) or names:
                return found
        return None

    @staticmethod
    def _exchanging(question: str, previous: Turn) -> str | None:
        """Whom a lone "he" or "she" in a question about an exchange means ("And what did he
        get?"): the subject of the previous question, when it asked about one, as its answer's
        quote names them ("What did the Azerbaijani president give his counterpart?" → "Ilham
        Aliyev gave …": Ilham Aliyev; ``exchange.subject``). None for a question that points back
        at something else too ("Why did he give it?" is about the gift just named)."""
        citations = previous.answer.citations
        if not (exchange.exchanges(question) and previous.answer.answerable and citations) or _NOT_PERSONAL.intersection(_lowered(question)):
            return None
        if ellipsis.asks_in_return(question):  # "What did he give her in return?": the other side, not the subject
            return None
        return exchange.subject(previous.standalone or previous.question, citations[0].quote)

    def segments(self) -> list[str]:
        """The conversation as the resolver reads it: no topic, then each turn (its question as
        it was resolved, and the answer given, speaker included), newest first."""
        return ["", *(said(turn) for turn in reversed(self.turns[-MAX_TURNS:]))]

    def record(self, question: str, answer: Answer, standalone: str | None = None, person: str | None = None) -> None:
        """Add a turn: ``question`` was answered with ``answer`` (searched as ``answer.query``);
        ``standalone`` is the question as it reads alone, if it does (``Reading.standalone``), and
        ``person`` whom its lone "he" or "she" was read as (``Reading.person``)."""
        previous = self.turns[-1] if self.turns else None
        followup = previous is not None and standalone is None and answer.query != question.strip()
        topic = (previous.topic or previous.standalone or previous.question.strip()) if followup else None
        self.turns.append(Turn(question, answer, topic, standalone, person))

    @staticmethod
    def rewrite(question: str, previous: Turn) -> str:
        """The question with what the previous turn asked about: "How old is he? (Who saved
        her?)"; after "Who said that?" was answered, who said it: "What did they agree on? (Ilham
        Aliyev)" (a lone "he" or "she" is read as the speaker before this). A question with fewer
        than two words of its own also gets the question that turn followed up, if it was a
        follow-up: "Who said that? (When? Which plants will make tractors?)"."""
        asked = _speaker(previous) or previous.standalone or previous.question.strip()
        context = " ".join(q for q in (asked, previous.topic if thin(question) else None) if q)
        return f"{question.strip()} ({context})" if context else question.strip()

    @staticmethod
    def context(question: str, previous: Turn) -> str:
        """What the reader reads of the conversation with the follow-up ``question``: the previous
        turn's question and short answer (or the speaker found for "Who said that?"), not the
        whole quoted sentence: given the sentence, the reader takes the passage that holds it to
        answer whatever follows (validation conversations over long texts: turn hit@1 0.752 with
        the sentence, 0.767 with the short answer; held-out Abg-CoQA fifth 79 of 193 both ways).
        A follow-up with two words or more of its own ("How did she say it happened?") names
        what it asks, and the reader reads it alone (``""``): given the previous turn, it
        answers from the passage the last answer came from (with the turn for every follow-up,
        those conversations 0.767 and 79 of 193; with it for the thin ones only, 0.797 and 82).
        The previous question still joins the search (``rewrite``) and its answer's sentences
        are still preferred."""
        if not thin(question):
            return ""
        return f"{previous.question.strip()} {_short_answer(previous)}".strip()
