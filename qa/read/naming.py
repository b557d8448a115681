"""What a question asking who wants of the names in a text.

"Who did Ilham Aliyev meet?" is not answered with the name it holds: ``named_again`` gives the
places a text writes the question's names ("Ilham Aliyev", "Aliyev", "Azerbaijan President
Ilham Aliyev"), which the short answer is not to hold. "Who was tripped?" is not answered with
who did it ("tripped by Okafor", ``agents``) but with the subject of the passive ("he was
tripped", ``undergoer``). "Who is Ilham Aliyev?" asks what the text
calls him: ``title`` finds it in a sentence, the words of a title before the name ("Azerbaijan
President Ilham Aliyev") or the description after it ("Elena Petrova, the Czech governor,").
"""

from __future__ import annotations

import re

from .attribution import TITLES, same_person

_WHO = re.compile(r"(?:(?:and|but|so)\s+)?(?:who|whom)\b", re.IGNORECASE)
# "Who is Ilham Aliyev?": the question is about the name itself
_IDENTITY = re.compile(r"(?i:(?:(?:and|but|so)\s+)?who\s+(?:is|was|are|were)\s+)(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\W*")
# a description just before a name, between commas: "his daughter, Lucy, …", "Her supervisor, Professor …"
_DESCRIBED_BEFORE = re.compile(r"(?:^|[,;:]\s+|\b(?:is|was|and|of|to|by|with)\s+)((?:the|a|an|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|[Mm]y)\s+[^,.;:!?()]{2,60}?),\s*$")
# "Who is the President of Azerbaijan?": the question is about whoever holds a title
_HOLDER = re.compile(r"(?i:(?:(?:and|but|so)\s+)?who\s+(?:is|was)\s+)(?P<title>(?i:the)\s+[^?]{2,60}?)\W*")
_PASSIVE = r"(?:was|were|is|are|has been|have been|had been|will be|got|gets)"  # the verb of the passive, before the participle
# "Who was tripped?": asked who underwent it; the doer is named after "by" ("tripped by Okafor")
_UNDERWENT = re.compile(
    rf"(?i:(?:(?:and|but|so)\s+)?who\s+{_PASSIVE}\s+(?:not\s+)?)(?P<verb>[a-z]+)\b(?P<rest>[^?]*)"
)
# "replaced", "shown", "born", "hit", "told", "hung", "paid", "made"; not "that" ("Who was that?")
_PARTICIPLE = r"(?!(?:that|it|what|not|just|at|but|about|out|then|often)$)[a-z]+(?:ed|en|wn|rn|ne|t|ld|ng|id|de)"
# who underwent it, as the subject of the passive: a pronoun, a name, or a noun phrase of a few words
_PATIENT = r"(?P<patient>\b(?-i:[Hh]e|[Ss]he|[Tt]hey|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)|\b(?i:the|a|an|his|her|their|its)(?:\s+(?!(?:when|while|as|and|but|or|if|because|after|before|who|which|that)\b)[\w'’-]+){1,3})"
_AGENT = r"(?P<agent>[^,.;:!?()]+?)(?=\s*[,.;:!?()]|\s+(?:and|in|on|at|after|before|when|while|during|for|with|from)\b|$)"
# "Margaret Ollerton (1824–1897), who started work at Tarne Mill …": a list of people, each with their years and what they were
_DATED = re.compile(r"\s*\([^()]{1,40}\),\s+((?:who\s+)?[^\W\d_][^.;:!?]{2,150})")
_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
_TITLE_AFTER = re.compile(r",[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'’-]*)*")  # ", Town Clerk" after a name


def _words(run: str) -> tuple[str, ...]:
    """The words of a run of capitalized words, a possessive "'s" left out."""
    return tuple(re.sub(r"['’]s$", "", word) for word in run.split())


def named_again(question: str, text: str) -> list[tuple[int, int]]:
    """For a question asking who, the spans in ``text`` of the names it holds: "Who did Ilham
    Aliyev meet?" is not answered with "Ilham Aliyev", "Aliyev" or "Azerbaijan President Ilham
    Aliyev"; "Who is Bill Gates's wife?" may be answered "Melinda Gates". None for "Who is
    Ilham Aliyev?", which asks about the name (``title``)."""
    question = question.strip()
    if not _WHO.match(question) or _IDENTITY.fullmatch(question):
        return []
    names = [_words(m.group()) for m in _RUN.finditer(question) if m.start() > 0]
    return [m.span() for m in _RUN.finditer(text) if any(same_person(_words(m.group()), name) for name in names)]


def _asks_undergone(question: str) -> re.Match | None:
    """The question's verb and what follows it, when it asks who underwent something ("Who
    was tripped?": "tripped"), its verb a participle; None for any other question."""
    asked = _UNDERWENT.match(question.strip())
    return asked if asked and re.fullmatch(_PARTICIPLE, asked["verb"]) else None


def agents(question: str, text: str) -> list[tuple[int, int]]:
    """For a question asking who underwent something ("Who was tripped?"), the spans in
    ``text`` of who did it to them ("he was tripped by Okafor": "Okafor"), which the answer is
    not; none for a question that names the doer ("Who was tripped by Okafor?")."""
    asked = _asks_undergone(question)
    if asked is None or re.search(r"\bby\b", asked["rest"], re.IGNORECASE):
        return []
    return [m.span("agent") for m in re.finditer(rf"\b{asked['verb']}\s+by\s+{_AGENT}", text, re.IGNORECASE)]


def undergoer(question: str, sentence: str) -> tuple[int, int] | None:
    """For a question asking who underwent something and no more ("Who was replaced by Rob
    Tully?", "Who was dropped?"; not "Who are considered to be the founding fathers?" nor "Who
    are committees comprised of?"), the span in ``sentence`` of the one it tells underwent it:
    the subject of the verb in the passive ("He was replaced by …": "He"; "the band was dropped
    by …": "the band"); None when it tells none."""
    asked = _asks_undergone(question)
    if asked is None or not re.fullmatch(r"(?:\s+by\s.*)?\W*", asked["rest"]):
        return None
    told = re.search(rf"{_PATIENT},?\s+{_PASSIVE}\s+(?:not\s+)?{asked['verb']}\b", sentence, re.IGNORECASE)
    return told.span("patient") if told else None


def asked_about(question: str) -> str | None:
    """The name "Who is Ilham Aliyev?" asks about ("Ilham Aliyev"); None for another question."""
    asked = _IDENTITY.fullmatch(question.strip())
    return asked["name"] if asked else None


def title_asked(question: str) -> str | None:
    """The title "Who is the President of Azerbaijan?" asks who holds ("the President of
    Azerbaijan"); None for another question."""
    asked = _HOLDER.fullmatch(question.strip())
    return asked["title"] if asked else None


def holder(person: str, title: str, sentence: str) -> tuple[int, int] | None:
    """The span in ``sentence`` of ``person``'s name where the sentence names them with the
    title's own word before it ("Azerbaijan President Ilham Aliyev" for the President of
    Azerbaijan: "Ilham Aliyev") or after it, past a comma ("Mr Robert Failsworth, Town
    Clerk"); not "Scottish Parliamentary Corporate Body" for the Presiding
    Officer of the Scottish Parliament; words compared by their first five letters); None when
    it does not."""
    name = _words(person)
    head = re.findall(r"[a-z]+", title.lower().split(" of ")[0])[-1][:5]  # "president" of "the president of Azerbaijan"
    for m in _RUN.finditer(sentence):
        words = _words(m.group())
        if words[-len(name) :] != name:
            continue
        before = [*sentence[: m.start()].split()[-3:], *words[: -len(name)]]
        after = _TITLE_AFTER.match(sentence, m.end())  # "Robert Failsworth, Town Clerk"
        if head in {word.lower()[:5] for word in [*before, *(after.group().split() if after else ())]}:
            starts = [w.start() for w in re.finditer(r"\S+", m.group())]
            return m.start() + starts[len(words) - len(name)], m.end()
    return None


def title(question: str, sentence: str) -> tuple[int, int] | None:
    """For "Who is X?", the span in ``sentence`` of what it calls X: the words before X in a run
    of capitalized words, to the last title among them ("Azerbaijan President Ilham Aliyev":
    "Azerbaijan President"; with a description just before it: "Her supervisor, Professor Harald
    Sund": "Her supervisor, Professor"), or the description that follows X between commas ("Elena Petrova,
    the Czech governor,": "the Czech governor") or comes just before it ("his daughter, Lucy,":
    "his daughter"), or what follows X's years ("Walter Ibbotson (1831–1902), civil engineer,
    designer of the Tarne Viaduct"); None when it has none."""
    asked = asked_about(question)
    if asked is None:
        return None
    name = _words(asked)
    for m in _RUN.finditer(sentence):
        words = _words(m.group())
        if len(words) > len(name) and words[-len(name) :] == name:
            titled = [k for k, word in enumerate(words[: -len(name)]) if word.lower() in TITLES]
            if titled:
                starts = [w.end() for w in re.finditer(r"\S+", m.group())]
                before = _DESCRIBED_BEFORE.search(sentence[: m.start()])  # "Her supervisor, Professor Harald Sund"
                return before.start(1) if before else m.start(), m.start() + starts[titled[-1]]
        if same_person(words, name):
            described = re.match(r",\s+((?:the|a|an)\s+[^,.;:!?()]{3,60}?),", sentence[m.end() :]) or _DATED.match(sentence[m.end() :])
            if described:
                return m.end() + described.start(1), m.end() + described.end(1)
            before = _DESCRIBED_BEFORE.search(sentence[: m.start()])
            if before and sentence[m.end() : m.end() + 1] in (",", ")", ".", ""):
                return before.span(1)
    return None
