"""Who said it: the speaker of a sentence that is part of a quotation, or that reports speech.

News text quotes people and attributes the quote before or after it ("..., the head of state
said."). A pronoun or a title as the attribution ("he", "the chairman") is resolved to the
person the text names with that title ("Chairman Mao Zedong"), or else the nearest person named
as the subject of an earlier sentence; a document ("..., reads the joint statement.") is its
own source. Speech is also reported without
quotation marks ("In his words, the project is in the pipeline.", "Ilham Aliyev noted that
...", "Apart from that, the President said ...", "He praised the plan and stressed that ...",
"..., he added.", "..., President Aleksandr Lukashenko said during the talks."): ``source``
finds who says such a sentence too, for "Who said that?" and "Who said that the visit is a new
step?".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..ingest import chunking
from ..ingest.text import stem

_OPEN, _CLOSE = "“«", "”»"
_STRAIGHT = re.compile('"')
_BEFORE_OPENING = frozenset(" \t\n\r([{—–-/")  # what comes before a straight mark that opens a quotation
_VERBS = (
    r"said|says|noted|notes|stressed|stresses|emphasized|emphasised|remarked|added|stated|told|"
    r"explained|underlined|pointed out|declared|assured|continued|concluded|asked|replied|answered|"
    # a view given as what someone holds: "Ruiz argues that …" (not "She claimed the prize")
    r"(?:argue[sd]?|believe[sd]?|think|thinks|thought|claim(?:s|ed)?|warn(?:s|ed)?|insist(?:s|ed)?|suggest(?:s|ed)?|predict(?:s|ed)?|maintain(?:s|ed)?)(?=\s+that\b)"
)
# beside a quotation mark a document speaks too ("“…,” reads the statement."), and so does a
# story's way of saying ("“…,” sobbed Rosie."; not a way of doing that a sentence of its own may
# tell after a quote: "They both laughed."); without one "He reads the paper" reports no speech
_TOLD = r"whisper(?:s|ed)|shout(?:s|ed)|sobbed|murmured|muttered|yelled|exclaimed|begged|pleaded|snapped|grumbled"
_QUOTING = rf"{_VERBS}|{_TOLD}|reads|read"
_NAME = r"(?:[A-Z][a-zà-ÿ'’-]+)(?:\s+[A-Z][a-zà-ÿ'’-]+){1,2}"
_TITLED_NAME = rf"(?:[A-Z][\w'’-]+\s+){{0,3}}{_NAME}"  # "Belarus President Aleksandr Lukashenko"
_AFTER_VERB_FIRST = re.compile(rf"^[\s,.;:—–-]*(?:{_QUOTING})\s+(?P<who>[^,.;:!?“”\"]{{2,80}}?)\s*[,.;:!?]")
_AFTER_WHO_FIRST = re.compile(rf"^[\s,.;:—–-]*(?P<who>[^,.;:!?“”\"]{{2,80}}?)\s+(?:{_QUOTING})\b")
# a paragraph that opens with who speaks and a colon before the quotation: 'Pieter van Doorn, Kestrel Vale United: "…"'
_PARTICLE_NAME = r"[A-Z][\w'’-]+(?:\s+(?:van|von|de|der|den|da|di|du|la|le|bin|al|[A-Z][\w'’-]+)){1,3}"  # "Pieter van Doorn"
_LABELLED = re.compile(rf"\s*(?P<who>{_PARTICLE_NAME})(?:,\s+[^,:;“”\"]{{2,60}}|\s+\([^():;“”\"]{{2,60}}\))?:\s*")
_BEFORE = re.compile(rf"(?P<who>{_NAME}|\b[Hh]e|\b[Ss]he|\b[Tt]he [a-z ]{{3,30}})\s+(?:{_QUOTING})(?:\s+that)?\s*[:,]?\s*$")
_NOT_NAMES = (
    r"(?!(?:The|A|An|In|On|At|As|By|For|From|With|During|After|Before|According|Speaking|This|That|These|Those|Apart|Also|However|Today"
    r"|Our|Their|His|Her|Its|We|They|He|She|It|I|You|My|Your|When|If|Then|But|And|So|Or|Yet|What|Where|Why|How|Who|While|Because"
    r"|Although|Though|Once|Since|Until|Unless|Yes|No|Oh|Well|Now|Here|There"
    r"|Under|Over|Between|Among|Through|Throughout|Despite|Without|Within|Against|Across|Behind|Beyond|Around|Along|Upon|Into|Towards?)\b)"
)
_ONE_NAME = rf"{_NOT_NAMES}[A-Z][a-zà-ÿ'’-]+"  # "Lindqvist"
_SENTENCE_END = re.compile(r"[.!?]\s+\S")  # inside a stretch of text: more than one sentence
# reported speech: "In his words, ...", "According to the minister, ...", "As she put it, ...", "As he told them, ..."
_REPORTED_LEAD = re.compile(
    r"^(?:In (?P<own>his|her|their) (?:own )?(?:words|opinion|view)|In the (?:words|opinion|view) of (?P<of>[^,]{2,60})"
    r"|According to (?P<to>[^,]{2,60})|As (?P<as>[^,]{2,40}?) (?:put it|said|noted|stressed|explained|pointed out|told [a-z]+)),\s*"
)
# "Ilham Aliyev noted that ...", "He stressed: ...", "The President said ..."; after a lead
# that sets the scene ("Apart from that, the Belarus President said ...", "At the talks the
# minister noted that ..."); and a second verb's ("He praised the plan and stressed that ...")
_SCENE = (
    r"(?:(?:Apart from (?:that|this)|Besides|Also|However|Meanwhile|Moreover|Furthermore|In addition|In turn|Later|Earlier|Then|Today"
    r"|(?:At|During|In|On|After|Before|Following|Speaking (?:about|of|at|to)|Addressing|Commenting on) [^,.;:!?“”\"]{3,80}?),?\s+)"
)
_REPORTED_SUBJECT = re.compile(
    rf"^(?:(?:Her|His|Their) [a-z]+\s+)?(?P<who>{_TITLED_NAME}|{_NOT_NAMES}[A-Z][a-zà-ÿ'’-]+|He|She|They|The [A-Za-z -]{{3,50}}?)(?:,\s*[a-z][a-z ]{{2,25}},)?\s+(?:(?:also|further|again|then)\s+)?(?:{_VERBS})\b(?:\s+that\b)?[\s:,]*"
)
# the person a description introduces: "The county's cabinet member for infrastructure, Graham Thorne, said …"
_DESCRIBED_SUBJECT = re.compile(
    rf"^(?:The|A|An|Its|Her|His|Their) [^,.;:!?“”\"]{{3,60}},\s+(?P<who>{_NAME}),\s+(?:(?:also|further|again|then)\s+)?(?:{_VERBS})\b(?:\s+that\b)?[\s:,]*"
)
# (after a scene, a speech verb that ends the lead, "After all that the map said, they dug", is none)
_SCENE_SUBJECT = re.compile(
    rf"^{_SCENE}(?P<who>{_NAME}|he|she|they|the (?:[A-Za-z-]+ ){{0,3}}[A-Za-z-]+)\s+(?:also\s+)?(?:{_VERBS})\b(?!\s*,)(?:\s+that\b)?[\s:]*"
)
# a sentence whose subject is a one-word name: "Degas is probably …"
_LEAD = re.compile(r"(?:[A-Z][^,.;:!?“”\"]{0,40},\s+|(?:In|On|By|Since|After|Before|During|Until)\s+(?:[A-Z][a-z]+\s+)?\d{4}\s+)?")  # "One day, ", "In 1990, ", "In March 1979 "
_SINGLE_SUBJECT = re.compile(rf"{_NOT_NAMES}(?P<name>[A-Z][a-zà-ÿ]+)(?:,|\s+(?P<verb>[a-z]+))")
# a word after a one-word subject that makes it one ("Degas is", "Karen wanted"), unlike a noun ("Azerbaijani products")
_VERB = re.compile(
    r"is|was|has|had|will|would|can|could|did|does|may|might|must|should|[a-z]+ed|went|came|saw|took|got|made|gave|"
    r"knew|thought|found|felt|left|kept|ran|sat|stood|began|brought|bought|heard|told|said|wrote|woke|fell|held|met|won|lost|"
    r"shook|threw|drew|wore|spoke|broke|chose|drove|rode|rose|swam|sang|rang|drank|ate|fought|caught|taught|sold|paid|led|"
    r"meant|sent|spent|built|lent|slept|swept|wept|knelt|hid|shot|hit|put|let|hung|stuck|struck|dug|spun|grew|flew|blew|forgot"
)
# a character the sentence brings in by name: "There was a dragon named Jack.", "A young man called John saw …",
# "A week later, a fisherman named Tom came …"
_CALLED = re.compile(
    r"^(?:[^,.;:!?“”\"]{0,40}?\b[Tt]here (?:was|lived) (?:an?|the)|(?:[A-Z][^,.;:!?“”\"]{0,40},\s+)?(?:[Aa]n?|[Tt]he)) (?:[a-z-]+ ){0,4}?(?:named|called) "
    r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+)?)\b(?!['’])"
)
# a subject that is a person the sentence does not name: "The little boy …", "Sammy's mom …"
_PERSONS = {
    "he": "boy man father dad son brother husband king prince uncle grandfather grandpa gentleman guy",
    "she": "girl woman mother mom mum daughter sister wife queen princess aunt grandmother grandma lady",
    "": "child kid baby friend teacher doctor farmer officer student boss neighbor neighbour owner reporter stranger lawyer",
}
_PERSON = {noun: gender for gender, nouns in _PERSONS.items() for noun in nouns.split()}
_NOUN_SUBJECT = re.compile(
    r"^(?:(?i:the|a|an|his|her|their|my|our|your|this|that)|[A-Z][a-z]+['’]s) (?:[a-z-]+ ){0,3}?"
    rf"(?P<noun>{'|'.join(_PERSON)})\b(?!['’])"
)
# a clause before the pronoun that has its own subject: "When Stewart woke up, he …"
_CLAUSE_LEAD = re.compile(r"^(?:When|After|Before|As|While|Once|Since|Although|Though|If|Because|Until) (?P<clause>[^,;:!?“”\"]{3,80}),$")
_UNNAMED = ""  # a subject that is a person the text does not name there
_SECOND_VERB = re.compile(
    rf"^(?P<who>{_NAME}|He|She|They|The [A-Za-z -]{{3,50}}?)\s+[a-z][^,.;:!?“”\"]{{2,80}}?\s+and\s+(?:also\s+)?(?:{_VERBS})\s+that\s+"
)
# "..., he added." at the end of an unquoted sentence, or before where and when it was said
# ("..., Belarus President Aleksandr Lukashenko said during the talks on 19 November.")
_REPORTED_TAIL = re.compile(
    rf",\s*(?P<who>{_TITLED_NAME}|he|she|they|the [a-z -]{{3,50}}?)\s+(?:{_VERBS})"
    r"(?:\s*[.!]?$|\s+(?:during|at|in|on|after|before|while|when|upon|following)\b[^,;:!?“”\"]*[.!]?$)"
)
# a description that ends in the name of what it describes, after a noun ("the German
# encyclopedia Knaurs Lexikon"; not "the Belarus President" or "the head of state of Azerbaijan")
_SELF_NAMED = re.compile(r"\b(?!(?:the|a|an|of|and|for|in|on|at|to|from|with|by)\s)[a-z][\w-]*\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*$")
# a run of capitalized words, or a name after a courtesy title ("Mr. Patel")
COURTESY_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Prof")  # written with a stop before a name: "Mr. Patel"
_CAPITALIZED_RUN = re.compile(rf"(?:{'|'.join(COURTESY_TITLES)})\.[ \t]+[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*|[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)+")
# the titles a person is named after: "Belarus President Aleksandr Lukashenko"
TITLES = frozenset(
    """president minister premier chancellor king queen prince princess emperor empress sultan sheikh emir pope bishop
    archbishop cardinal governor mayor senator congressman congresswoman ambassador secretary chairman chairwoman chair
    director general admiral colonel captain commander judge justice professor dr coach ceo""".split()
)
_TITLE_FILLER = frozenset("the a an of and for in".split())
# a person named after a description: "The town's mayor, Daniel Pryce, …"
_AFTER_DESCRIPTION = re.compile(rf"\b[Tt]he (?P<title>[\w'’ -]{{3,60}}?),[ \t]+(?P<name>{_NAME}),")
# a name and the title after it, on its line: "Mr Robert Failsworth, Town Clerk", "Anna Lindqvist, the Club Secretary"
APPOSITIVE = re.compile(rf"(?P<name>{_NAME}),[ \t]+(?:the[ \t]+)?(?P<title>[A-Z][\w'’-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'’-]*)*)")
_TITLE_OPENING = re.compile(r"the\s+\S", re.IGNORECASE)  # "the head of state", "The Belarus President"
_ORGANIZATIONS = frozenset(
    "Company Corporation Plant Factory Works Republic Government Ministry Committee Council Union Party Bank Fund Agency "
    "Association Organization Organisation Institute University Academy Group Office Service Court Assembly "
    "Foundation Society School College Hospital Church Museum Centre Center Award Prize Medal Trophy Cup "
    "River Lake Sea Ocean Bay Island Islands Mountain Mountains Reef Street Road Park Bridge "
    "Holdings Systems Instruments Industries Technologies Devices Optics Motors Airlines Airways Ltd Limited Inc PLC LLC "
    "Corp Trust Board Commission Department Authority Club Rovers United Athletic Town Wanderers Stadium Station "
    "Airport Square Avenue Canal Harbour Harbor Castle Palace Cathedral Temple Library Gallery Theatre Theater Hotel".split()
)
_FROM = re.compile(r"^[^\S\n]*From[^\S\n]*:", re.MULTILINE | re.IGNORECASE)  # the line of an e-mail's header that names its sender
_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n")
_FIRST_PERSON = re.compile(r"\bI(?:['’](?:m|d|ll|ve))?(?![\w'’])")  # "I", "I'd", "I'm", "I'll", "I've"
# "Who suggested …?", "Who will agree …?", "Who is going to contact …?": the verb of what was done
_WHO_DID = re.compile(
    r"\s*(?:(?:and|but|so)\s+)?who\s+(?:(?:will|would|can|could|should|shall|might|may|must|did|does|do)\s+|(?:is|was|are)\s+going\s+to\s+)?(?P<verb>[a-z]+)\b",
    re.IGNORECASE,
)
_DOER_WORDS = 8  # how far after "I" the verb of what they do may be ("I'm happy to contact her and agree …")
# the words that open a place's name: "Port Anselm", "Mount Vesuvius", "Lake Clemence"
_PLACES = frozenset("Port Mount Mt Lake Loch Lough Cape Fort Gulf Isle Glen Sierra Monte Mont Puerto Porto Rio Lago Lac".split())


def _no_person(words: Sequence[str]) -> bool:
    """Whether capitalized ``words`` name an organization or a place, not a person ("Ganja Auto
    Plant", "Foundry Street", "Port Anselm")."""
    return words[-1] in _ORGANIZATIONS or words[0] in _PLACES


# what a text quotes that is not a person: "..., reads the joint statement." is the statement's,
# not the last person's named
_DOCUMENTS = frozenset(
    "statement declaration communiqué communique document report letter agreement treaty memorandum resolution "
    "message note decree law article text announcement release website study survey".split()
)
# a question asking what someone said: "What did Aliyev say?", "And what did the mayor tell the crowd?" (a
# verb after "of" is none: "What did the head of state say?")
_WHAT_SAID = re.compile(
    r"^\W*(?:(?:and|but|so|then)\s+)?what\s+(?:else\s+)?(?:did|does|do|has|have|had|will|would)\s+(?P<who>[^?,;:]{2,60}?)\s+"
    r"(?<!\bof\s)(?:say|tell|add|note|stress|emphasi[sz]e|remark|state|explain|underline|declare|assure|conclude|reply|answer"
    r"|argue|believe|think|claim|warn|insist|suggest|predict|maintain)\b",
    re.IGNORECASE,
)
# what may follow the verb of a question asking only what someone said: "to him", "them", "then"
_TO_WHOM = re.compile(r"(?:\s+(?:to\s+)?(?:him|her|them|me|us|you|everyone|[A-Z][\w'’-]*))?(?:\s+(?:then|next|first|last|later))?\s*[?.!]*\s*")
# what a question asking what someone said asks it about: "… about the new stadium?", "… to the press about Haddad?"
_ABOUT = re.compile(r"(?:\s+(?:to\s+)?[\w'’ -]{1,40}?)??\s+(?:about|of|on|regarding|concerning)\s+(?P<about>[^?]+)")
HE, SHE = frozenset("he him his himself".split()), frozenset("she her hers herself".split())  # the words of each gender
_PRONOUN_SUBJECTS = frozenset("he she they his her their him them".split())
# the subject of a sentence that names a person, after a title or a role ("Castleford manager Ruth Adeyemi was …")
_SUBJECT = re.compile(
    rf"^(?:[A-Z][a-z]+\s+){{0,2}}?(?:(?<=[a-z]\s)(?!(?:on|in|at|of|from|to|for|with|by|near|along|across)\s)[a-z]+\s+)?{_NOT_NAMES}(?P<name>{_NAME})(?:\s+[a-z]|,)"
)  # not "Families on Foundry Street have …": the object of a preposition


@lru_cache(maxsize=16)
def curled(text: str) -> str:
    """``text`` with each straight double quotation mark turned the way it faces: “ where it
    opens a quotation (at the start, after a space, a bracket or a dash), ” elsewhere. Plain
    text quotes with straight marks; the rules here read the curled ones, at the same offsets."""
    if '"' not in text:
        return text
    return _STRAIGHT.sub(lambda m: "“" if m.start() == 0 or text[m.start() - 1] in _BEFORE_OPENING else "”", text)


def quotation_depth(text: str, start: int, position: int) -> int:
    """Open quotations at ``position``, counting from ``start`` (a paragraph's start)."""
    text = curled(text)
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
    state said.") is cut just before the closing mark; the attribution is reported apart. One
    that opens another quotation after it ("“Delia,” Joe said, “I'll be much happier.”") is no
    one quotation: it is quoted whole, as text.
    """
    text = curled(text)
    inside = quotation_depth(text, paragraph_start, start) > 0
    opens = text[start] in _OPEN
    if not inside and not opens:
        return start, end, False
    close = next((i for i in range(start + 1, end) if text[i] in _CLOSE), None)
    if close is not None and any(char in _OPEN for char in text[close + 1 : end]):
        return start, end, False
    if close is not None and text[close + 1 : end].strip(" ,.") and not text[start:close].count("“") > 1:
        cut = close
        while cut > start and text[cut - 1] in ",; ":
            cut -= 1
        return start, cut, True
    return start, end, True


def speaker(text: str, start: int, end: int, paragraph: chunking.Span) -> str | None:
    """Who speaks the quoted sentence ``text[start:end]`` inside ``paragraph``, if it is quoted."""
    text = curled(text)
    if label := _label(text, start, end, paragraph):  # the paragraph's first sentence: 'Pieter van Doorn, Kestrel Vale United: "…'
        return label.group("who")
    if quotation_depth(text, paragraph.start, start) == 0 and text[start] not in _OPEN:
        return None
    who = _attribution_after(text, start, paragraph) or _attribution_before(text, start, paragraph)
    if who is None:
        earlier = _quoted_before(text, start, paragraph)
        return _subject_before(text, start) if earlier is None else speaker(text, earlier, start, paragraph)
    if who.lower() in _PRONOUN_SUBJECTS:  # '"…," she asked.': the person she is, or no one named
        return who_is(text, start, who) if who.lower() in ("he", "she") else None
    if re.fullmatch(_NAME, who) or re.fullmatch(_PARTICLE_NAME, who):
        return who
    if re.fullmatch(_ONE_NAME, who):  # '"…," Lindqvist said': the name as the text gave it in full
        return _in_full(text, start, who)
    # '"…," said Fire Chief Ruth Okafor of the county fire service.': the person, not where they work
    if (titled := re.match(rf"{_TITLED_NAME}(?=\s+(?:of|from|at|for|in|with)\s)", who)) and (named := people(titled.group())):
        return named[-1]
    return _named(text, start, who) or _subject_before(text, start) or _capitalized(who)


def _label(text: str, start: int, end: int, paragraph: chunking.Span) -> re.Match | None:
    """Who speaks the quotation that sentence ``text[start:end]`` opens with, when the sentence
    opens ``paragraph`` with their name and a colon ('Pieter van Doorn, Kestrel Vale United: "…')."""
    label = _LABELLED.match(text, start, end) if start == paragraph.start else None
    return label if label and text[label.end()] in _OPEN else None


def _in_full(text: str, position: int, name: str) -> str:
    """A one-word ``name`` ("Lindqvist") as the text last named the person before ``position``
    ("Anna Lindqvist"), or as it is when the text never named them more fully."""
    return next((full for full in reversed(people(text[:position])) if same_person(full.split(), [name])), name)


def source(text: str, start: int, end: int, paragraph: chunking.Span) -> tuple[str, int, int] | None:
    """Who says sentence ``text[start:end]``, quoted or reported, and the part of it that is
    what they said (a reporting lead like "In his words," or "X noted that" left out):
    (speaker, start, end), or None when the sentence is nobody's speech."""
    text = curled(text)
    label = _label(text, start, end, paragraph)  # 'Pieter van Doorn, Kestrel Vale United: "…': his, from the quotation on
    quoted = label.group("who") if label else speaker(text, start, end, paragraph)
    if quoted is not None:  # not the words before or after the quotation that say who said it
        return quoted, *quote_part(text, label.end() if label else start, end, paragraph.start)[:2]
    sentence = text[start:end]
    lead = _REPORTED_LEAD.match(sentence)
    if lead is not None:
        named = lead.group("of") or lead.group("to") or lead.group("as")
        who = _person(text, start, named or lead.group("own"))
        return (who, start + lead.end(), end) if who else None
    subject = _REPORTED_SUBJECT.match(sentence) or _DESCRIBED_SUBJECT.match(sentence) or _SCENE_SUBJECT.match(sentence) or _SECOND_VERB.match(sentence)
    if subject is not None and subject.end() < len(sentence.rstrip()):
        who = _person(text, start, subject.group("who"))
        return (who, start + subject.end(), end) if who else None
    tail = _REPORTED_TAIL.search(sentence.rstrip())
    if tail is not None:
        who = _person(text, start, tail.group("who"))
        return (who, start, start + tail.start()) if who else None
    return None


def asks_speech(question: str) -> bool:
    """True for a question asking what someone said, however it names them ("What else did he
    say?")."""
    return _WHAT_SAID.match(question.strip()) is not None


def speech_asked(question: str) -> str | None:
    """The words a question asking what someone said names them with ("What did the mayor say
    about the cost?": "the mayor"); None for any other question, or for one that asks it of a
    pronoun ("What did he say?", read with the person by the conversation)."""
    match = _WHAT_SAID.match(question.strip())
    return None if match is None or match["who"].lower() in _PRONOUN_SUBJECTS else match["who"]


def speech_about(question: str, text: str) -> str | None:
    """What a question asking what someone said asks it about, with the full names ``text``
    gives the people it names ("What did Lindqvist say about Haddad?": "Haddad Sami Haddad");
    None for any other question, or one asking only what was said."""
    match = _WHAT_SAID.match(question.strip())
    about = _ABOUT.match(question.strip()[match.end() :]) if match else None
    if about is None:
        return None
    words = about["about"].strip()
    named = people(text)
    return " ".join([words, *(full for word in re.findall(_ONE_NAME, words) for full in named if same_person(full.split(), [word]))])


def speaker_asked(question: str, text: str) -> str | None:
    """Whom a question asking what someone said asks about, as ``text`` names them: "What did
    the President of Azerbaijan say about the talks?" asks about Ilham Aliyev (``_person``, the
    title read as the person the text names with it); None for any other question."""
    words = speech_asked(question)
    return None if words is None else _person(text, len(text), words)


def asks_only_speech(question: str) -> bool:
    """True for a question asking only what someone said ("What did the mayor say?", "And what
    did she tell him?"), not about what ("What did the mayor say about the cost?")."""
    match = _WHAT_SAID.match(question.strip())
    return match is not None and _TO_WHOM.fullmatch(question.strip()[match.end() :]) is not None


def same_person(one: Sequence[str], other: Sequence[str]) -> bool:
    """Do two names, as their words, write one person's: the same, or one the end of the other
    ("Aliyev" of "Ilham Aliyev", "Ruth Okafor" of "Mayor Ruth Okafor"; not "Anna Lindqvist" for
    "Anna Berg"), case aside?"""
    a, b = (tuple(word.lower() for word in name) for name in (one, other))
    n = min(len(a), len(b))
    return n > 0 and a[-n:] == b[-n:]


def people(text: str) -> list[str]:
    """The people ``text`` names, in order, each once: the last two words of each run of
    capitalized words ("Belarus President Aleksandr Lukashenko" names Aleksandr Lukashenko), less
    what opens a sentence ("The", "In"), organizations ("Ganja Auto Plant") and places ("Port Anselm")."""
    found: list[str] = []
    for run in _CAPITALIZED_RUN.finditer(text):
        words = run.group().split()
        while words and re.fullmatch(rf"{_NOT_NAMES}\w+\.?", words[0]) is None:  # "Mr." too
            words = words[1:]
        if len(words) >= 2 and not _no_person(words[-2:]) and " ".join(words[-2:]) not in found:
            found.append(" ".join(words[-2:]))
    return found


def name_in(answer: str) -> str | None:
    """The last name a short answer of a few words gives, if any ("Lucy"; "his daughter, Lucy",
    "a fisherman named Tom": "Tom"; not "The Board", nor any name of a sentence-long answer)."""
    if len(answer.split()) > 4:
        return None
    names = [run.group() for run in re.finditer(rf"(?<![\w'’-])(?<![Tt]he ){_NOT_NAMES}[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*", answer)]
    return names[-1] if names else None


def writer(text: str, position: int) -> str | None:
    """Who writes ``text`` at ``position`` in the first person: the sender of the e-mail it is in
    (named on the From line of the last header before it, ``chunking.email_header``); None
    outside an e-mail, in a line it quotes ("> …") or within quotation marks (someone else's words)."""
    line = text.rfind("\n", 0, position) + 1
    if text.startswith(">", line) or quotation_depth(text, line, position):
        return None
    senders = list(_FROM.finditer(text, 0, position))
    if not senders:
        return None
    header_end = found.start() if (found := _PARAGRAPH_END.search(text, senders[-1].end())) else len(text)
    header = chunking.email_header(text[senders[-1].start() : header_end])
    return header["from"] if header else None


def first_person_doer(question: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """For a question asking who did something ("Who suggested Miriam Achebe?"), the span of
    the "I" in ``text[start:end]`` who does it ("I'd suggest Miriam Achebe"; "I'm happy to contact
    her and agree the programme" for "Who will agree the programme?"): a first-person subject
    with the question's verb a few words after it; None when there is none."""
    asked = _WHO_DID.match(question)
    if asked is None:
        return None
    verb = stem(asked["verb"].lower())
    for subject in _FIRST_PERSON.finditer(text, start, end):
        following = re.findall(r"[^\W\d_]+", text[subject.end() : end])[:_DOER_WORDS]
        if verb in (stem(word.lower()) for word in following):
            return subject.span()
    return None


def who_is(text: str, position: int, words: str) -> str | None:
    """The person whom ``words``, a pronoun ("he", "she"; in an e-mail "I", its writer) or a
    title ("the Belarus President") at ``position`` of ``text``, stand for: for a pronoun
    outside quoted speech, the subject of a clause before it or else the person named as the
    subject (or the speaker) of the nearest earlier sentence that has one (``_subject_before``;
    under a title, the person the text names with it), unless that subject is a person the text
    does not name there, or the name is one the text calls by the other pronoun (since, or
    mostly: ``_other_gender``, ``_gender``); for a title, the person the text names with it
    before (``_titled``), where its last word is one the text puts before a name ("President",
    not "side" of "the Belarusian side"). None for anything else, or when the text does not tell."""
    text = curled(text)
    words = words.strip()
    if _FIRST_PERSON.fullmatch(words):  # "I'd suggest …" in an e-mail: its writer
        return writer(text, position)
    if words.lower() in ("he", "she"):  # the subject found is a person: a title of it needs no check
        pronoun = words.lower()
        line = text.rfind("\n", 0, position) + 1
        if quotation_depth(text, line, position):
            return None  # in quoted speech "he" is someone the speaker speaks of, seldom the last subject
        subject = _subject_before(text, position, speaking=True, pronoun=pronoun)
        if subject and (_other_gender(text, position, subject, pronoun) or gender(text, subject) not in (None, pronoun)):
            return None
        if subject is None or not _TITLE_OPENING.match(subject):
            return _name_words(text, subject) if subject else None
        return _titled(text, position, subject)
    if not _TITLE_OPENING.match(words):
        return None
    heads = {w.lower()[:5] for run in _CAPITALIZED_RUN.finditer(text, 0, position) for w in run.group().split()[:-2]}
    heads |= {w.lower()[:5] for m in APPOSITIVE.finditer(text, 0, position) for w in m["title"].split()}
    return _titled(text, position, words) if words.split()[-1].lower()[:5] in heads else None


def _person(text: str, position: int, who: str) -> str | None:
    """``who`` as named in the text: a pronoun is the speaker or subject of the nearest earlier
    sentence that has one; a title ("the head of state of Azerbaijan") the person the text names
    with it, or else the title itself, as is a document (``_named``); a name stays."""
    who = who.strip()
    if who.lower() in ("he", "she"):  # as ``who_is`` reads a pronoun: "a fisherman named Tom …", "Mia …" too
        who = who_is(text, position, who) or ""
    elif who.lower() in _PRONOUN_SUBJECTS:
        who = _subject_before(text, position, speaking=True) or ""
    if not who or re.fullmatch(_NAME, who):
        return who or None
    if re.fullmatch(rf"(?:[A-Z][\w'’-]+\s+)+{_NAME}", who) and (named := people(who)):  # "Belarus President Aleksandr Lukashenko"
        return named[-1]
    if _SELF_NAMED.search(who):  # "the German encyclopedia Knaurs Lexikon" names itself
        return _capitalized(who)
    return _named(text, position, who) or _capitalized(who)


def _named(text: str, position: int, title: str) -> str | None:
    """Who a ``title`` in the text before ``position`` is: a document ("the joint statement") is
    itself, as the text calls it, never a person; otherwise the person the text names with it
    (``_titled``), if any."""
    if title.split()[-1].lower() in _DOCUMENTS:
        return _capitalized(title)
    return _titled(text, position, title)


def _capitalized(title: str) -> str:
    """A title as it opens an answer: "the head of state" → "The head of state"."""
    return title[:1].upper() + title[1:]


def _titled(text: str, position: int, title: str) -> str | None:
    """The person whom the text, before ``position``, names with the most words of ``title``:
    "the chairman" is Mao Zedong after "Chairman Mao Zedong", "the President of Azerbaijan" Ilham
    Aliyev after "Azerbaijan President Ilham Aliyev", "the Town Clerk" Robert Failsworth after
    "Mr Robert Failsworth, Town Clerk" (words compared by their first five letters: "Belarusian"
    names "Belarus"). None when no one, or more than one, is so named."""
    keys = {w[:5] for w in re.findall(r"[a-z]+", title.lower()) if w not in _TITLE_FILLER}
    named: dict[str, int] = {}
    runs = [(run.group().split()[:-2], run.group().split()[-2:]) for run in _CAPITALIZED_RUN.finditer(text, 0, position)]
    runs += [(m["title"].split(), m["name"].split()[-2:]) for m in APPOSITIVE.finditer(text, 0, position)]
    runs += [(m["title"].split(), m["name"].split()[-2:]) for m in _AFTER_DESCRIPTION.finditer(text, 0, position)]
    for titled, (first, last) in runs:
        shared = len(keys & {w.lower()[:5] for w in titled})
        if shared and not _no_person([first, last]):  # a title word, and the name's two words
            named[f"{first} {last}"] = max(shared, named.get(f"{first} {last}", 0))
    best = sorted(named.items(), key=lambda item: -item[1])
    return best[0][0] if best and (len(best) == 1 or best[1][1] < best[0][1]) else None


def _attribution_after(text: str, start: int, paragraph: chunking.Span) -> str | None:
    close = next((i for i in range(start, paragraph.end) if text[i] in _CLOSE), None)
    return None if close is None else _attributed(text[close + 1 : paragraph.end])


def _attributed(tail: str) -> str | None:
    """Who the words after a closing quotation mark say spoke ('," Lindqvist said after the
    match.': "Lindqvist"), if they say it."""
    match = _AFTER_VERB_FIRST.match(tail) or _AFTER_WHO_FIRST.match(tail)
    return match.group("who").strip() if match else None


def _last_mark(text: str, marks: str, start: int, end: int) -> int | None:
    """Where the last of ``marks`` (quotation marks) in ``text[start:end]`` is; None for none."""
    return max((i for i in range(start, end) if text[i] in marks), default=None)


def _quoted_before(text: str, start: int, paragraph: chunking.Span) -> int | None:
    """Where the quotation that the one holding ``start`` goes on from opens: the paragraph's
    last before it, when only its attribution stands between them ('"…," Lindqvist said after the
    match. "Sami changed the game."'); None for none."""
    current = _last_mark(text, _OPEN, paragraph.start, start + 1)
    current = start if current is None else current
    close = _last_mark(text, _CLOSE, paragraph.start, current)
    if close is None or _SENTENCE_END.search(text[close + 1 : current].strip()):
        return None
    opening = _last_mark(text, _OPEN, paragraph.start, close)
    return opening if opening is not None and _attributed(text[close + 1 : current]) is not None else None


def _attribution_before(text: str, start: int, paragraph: chunking.Span) -> str | None:
    opening = _last_mark(text, _OPEN, paragraph.start, start + 1)
    if opening is None:
        return None
    match = _BEFORE.search(text[paragraph.start : opening]) or _LABELLED.fullmatch(text, paragraph.start, opening)
    return match.group("who").strip() if match else None


def _subject_before(text: str, position: int, speaking: bool = False, pronoun: str | None = None) -> str | None:
    """The person named as the subject of the nearest earlier sentence that names one; with
    ``speaking``, also one that reports speech under a title ("The head of state of Azerbaijan
    noted ..."): who a pronoun in reported speech stands for. With ``pronoun`` ("he", "she", who a
    pronoun at ``position`` stands for), first the subject of a clause before it ("When Stewart
    woke up, he …"), and also a name of one word ("Degas is …", "One day, Chester thought …":
    followed by a verb, or a name where else the text writes it, ``_names_someone``), a name
    after a lead ("Through the class, Shi Jiawei, 14, fell …") and a character brought in by name
    ("There was a dragon named Jack."); None where the nearest subject is a person the text does
    not name there ("The little boy …", "Sammy's mom …") whom the pronoun may stand for."""
    spans = chunking.sentences(text, max(0, position - 4000), position)
    if pronoun and spans and (clause := _CLAUSE_LEAD.match(text[spans[-1].start : spans[-1].end].lstrip("“\"«"))):
        found = _pronoun_subject(text, clause.group("clause"), position, pronoun)
        if found is not None:
            return found or None
    for sentence in reversed(spans):
        body = text[sentence.start : sentence.end].lstrip("“\"«")
        reported = (_REPORTED_SUBJECT.match(body) or _DESCRIBED_SUBJECT.match(body) or _SCENE_SUBJECT.match(body)) if speaking else None
        if reported is not None and reported.group("who").lower() not in _PRONOUN_SUBJECTS:
            return _capitalized(reported.group("who"))
        found = _subject(text, body, position) or (_pronoun_subject(text, body, position, pronoun) if pronoun else None)
        if found is not None:
            return found or None
    return None


def _pronoun_subject(text: str, body: str, position: int, pronoun: str) -> str | None:
    """The subject of sentence (or clause) ``body`` that ``pronoun`` may stand for, beyond
    ``_subject``'s names: a character brought in by name, a name after a lead, a name of one word;
    ``_UNNAMED`` for a person not named ("the little boy", of ``pronoun``'s gender or of none); None
    when the sentence has no such subject."""
    if called := _CALLED.match(body):
        return called.group("name")
    lead = _LEAD.match(body).end()
    if lead and (named := _subject(text, body[lead:], position)):
        return named
    for at in dict.fromkeys((0, lead)):  # "Sally said to herself, …", "One day, Chester thought …"
        one = _SINGLE_SUBJECT.match(body, at)
        if one and (_names_someone(text, one.group("name")) or _VERB.fullmatch(one.group("verb") or "")):
            return one.group("name")
    noun = _NOUN_SUBJECT.match(body, lead)
    if noun and _PERSON[noun.group("noun")] in (_UNNAMED, pronoun):
        return _UNNAMED
    return None


def _names_someone(text: str, word: str) -> bool:
    """Whether ``word`` is a name in ``text``: inside a sentence somewhere, not before a word it
    describes ("… by Degas.", "… as Karen said", not "Azerbaijani products"), and never in lower
    case (not "One" of "One day")."""
    named = re.search(rf"[a-z,]\s+{word}(?:[.,;:!?'’]|\s+(?:who|was|is|had|has|said)\b)", text)
    return named is not None and re.search(rf"\b{word.lower()}\b", text) is None


def _other_gender(text: str, position: int, name: str, pronoun: str) -> bool:
    """Whether the text, in the sentences before ``position`` since it last names ``name``,
    speaks of someone with the other ``pronoun`` ("she" for "he") and never with this one:
    "Sally said to herself, …" is not whom the "He" after it means."""
    last = text.rfind(name.split()[-1], 0, position)
    words = set(re.findall(r"[a-z]+", text[max(last, 0) : position].lower()))
    own, other = (HE, SHE) if pronoun == "he" else (SHE, HE)
    return bool(words & other) and not words & own


@lru_cache(maxsize=256)  # a document's text hashes once; a who-question reads its pronouns passage by passage
def gender(text: str, name: str) -> str | None:
    """"he" or "she": the pronoun that the text most often writes first after ``name`` (within
    200 characters; not after its possessive), where one does more often than the other."""
    counts = {"he": 0, "she": 0}
    for match in re.finditer(rf"\b{re.escape(name.split()[-1])}\b(?!['’])", text):  # not "Justin's mother … she"
        first = re.search(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", text[match.end() : match.end() + 200], re.IGNORECASE)
        if first:
            counts["he" if first.group().lower() in HE else "she"] += 1
    return None if counts["he"] == counts["she"] else max(counts, key=counts.__getitem__)


def _name_words(text: str, name: str) -> str | None:
    """``name`` less the words before it that the text also writes in lower case, and so are
    no part of it ("Sometimes Karen" → "Karen"); None when no word is left."""
    words = name.split()
    while words and re.search(rf"\b{re.escape(words[0].lower())}\b", text):
        words = words[1:]
    return " ".join(words) or None


def _subject(text: str, sentence: str, position: int) -> str | None:
    """The person named as the subject of ``sentence`` (of ``text``, before ``position``), if any;
    a title ("The Belarus President sees ...") as the person it names (``_titled``)."""
    match = _SUBJECT.match(sentence)
    if match is None:
        return None
    name = match.group("name")
    if name.endswith(("'s", "’s")) or _no_person(name.split()):  # "To Chen’s surprise, …"; "Foundry Street was …" names a place
        return None
    titled = sentence[: match.start("name")].rstrip().endswith(("The", "the"))
    return (_titled(text, position, name) or name) if titled else name
