"""Split a document into passages and sentences, keeping exact character spans.

Every span is a pair of offsets into the original text: ``text[start:end]`` is the passage
or sentence, always. Passages follow paragraph boundaries (blank lines); a paragraph longer
than the embedding model's input window is split at sentence boundaries, never truncated.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from .text import STOPWORDS

# Bump when the passages produced for the same text change: indexes built with another
# version are rebuilt.
# 3: a table row (a line starting with "|") is a sentence of its own.
# 4: in formats whose reader marks headings ("## Heading"), only marked lines are headings: a
#    short line of text (a one-line command, a one-item list) is a passage.
# 5: paragraphs are numbered from 1 among those shown (headings and noise lines are not counted).
# 6: initials of several letters ("J.P. Singh", "J.R.R. Tolkien") do not end a sentence.
# 7: a sentence ends where a word's period meets the next sentence without a space ("farms.For").
# 8: the lines of a list without marks (short lines, each opening with a capital or a digit) are sentences.
# 9: a passage under a section's heading is embedded and searched with it, and fitted to the window with it;
#    in plain text, short lines one after another are passages, not headings.
# 10: in a document of sections, the title heads the passages before the first section; a labelled
#     number ("Phone: 01422 555 019") is no noise.
# 11: a line that asks, answered below it, is a heading in a text of such questions (an interview, a FAQ).
# 12: a block of three lines or more that are fields ("Label: value") or not wrapped, however long, is a list;
#     in plain text, a line in capitals that opens a paragraph is a block of its own (a heading); a
#     line ending with a colon is one block with the list below it; a line in capitals is a heading
#     whatever is next to it; a line of a form's blanks is noise.
# 13: in a transcript, the asking speaker's turns head the answers below them; a question heading may be
#     as long as QUESTION_CHARS; a marked heading is under those above it, whatever words it holds; a
#     byline is no heading.
# 14: a period after an abbreviation written in small letters that dates or cites, before a number ("b.
#     1820", "m. 1853", "c. 1850", "et al. 2020", "p. 12") ends no sentence; an e-mail's signature (a block under a "--"
#     line) is noise, and the name signed above it no heading.
# 15: an e-mail's header (From, Date, Subject: ``email_heading``) heads its text; its sign-off ("Best
#     wishes,\nHelen") is noise, and so are lines it quotes ("> …") that the text holds unquoted.
# 16: an interviewer asks in a third of their turns or more, twice as often as anyone else; their turns
#     that ask nothing ("And in 2015 you set up on your own.") head the answer and are passages too.
# 17: a table of figures set out with spaces ("1801    1,240") is a passage, not noise.
CHUNKER_VERSION = 17

QUESTION_CHARS = 200  # a question heading is a line of at most this many characters
QUESTIONS_ANSWERED = 3  # a text with this many lines that ask, each answered below it, is one of questions and answers
ASKING_SHARE = 1 / 3  # an interviewer asks in at least this share of their turns
LIST_LINE_CHARS = 60  # a block of three lines or more, none longer, each opening with a capital or a digit, is a list
TITLE_CHARS = 120  # a title is at most this long ...
TITLE_WORD_CHARS = 30  # ... and has no longer word

FIELD = re.compile(r"(?P<label>[^\W\d_][^:\n]{0,30}):[^\S\n]+(?P<value>\S[^\n]*)")  # a line "Label: value"
_BLANK_LINES = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n))*")
_WORD = re.compile(r"[^\W\d_]{2,}")
_FIGURES_ROW = re.compile(r"(?=[^\n]*\d)[^\S\n]*\S[^\n]*?[^\S\n]{2,}\S[^\n]*")  # a row of columns set out with spaces, with a figure
_MARKED_HEADING = re.compile(r"#{1,6} \S[^\r\n]*")
_TERMINAL = ".!?…\"”’'»)"
# A sentence ends at . ! ? (or …), possibly followed by closing quotes or brackets, then
# whitespace and something that can start a sentence.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]?[A-Z0-9À-ÖØ-Þ])")
# ... or, in text that lost the space ("on neighbouring farms.For 35 years", "he said."Until"),
# a word of small letters, the stop, then a capitalized word (``_opens``), all plain words (not
# "torch.Tensor()" or "`os.Path`": code)
_GLUED_END = re.compile(r"(?<![^\s\"“‘'(])[A-Za-z]*[a-z]{2}[.!?][\"”’']?(?=(?P<next>[A-Z][a-z]*)(?:['’][a-z]+)?(?:[\s,;:!?\"”’']|\.(?:\s|$)|$))")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LABELLED_NUMBER = re.compile(r"\s*[^\W\d_]+(?: [^\W\d_]+){0,2}:\s[^\n]*\d")  # "Phone: 01422 555 019"
# a transcript's turn opens with its speaker's name or role and a colon ("INTERVIEWER: …", "Marta Oyelaran: …")
_SPEAKER = re.compile(r"(?P<speaker>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[^\S\n]")
_BYLINE = re.compile(r"By (?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]+(?:,|$| and )")  # "By Selina Markovitch, …"
_QUESTION_LEVEL = 7  # a question the text answers is under every marked heading ("#" to "######")
_QUESTION_LABEL = re.compile(r"(?:Q|Question)\s*\d*\s*[:.]\s", re.IGNORECASE)
# a question of the text's own (not a quoted one): a question word or a verb first, "?" last
_ASKS = re.compile(
    rf"(?:{_QUESTION_LABEL.pattern}\s*)?(?:(?:and|but|so)\s+)?(?:what|which|who|whom|whose|when|where|why|how|"
    r"is|are|was|were|am|do|does|did|can|could|will|would|shall|should|may|might|must|has|have|had)\b.*\?",
    re.IGNORECASE | re.DOTALL,
)
_SIGNATURE = re.compile(r"--[^\S\r\n]?(?:\r\n|\r|\n)")  # an e-mail's signature opens with a line "-- "
# an e-mail's sign-off: a short greeting and a comma over a name ("Best wishes,\nHelen", "Kind regards,\nDev Chaudhary")
_SIGN_OFF = re.compile(r"[A-Z][a-z]*(?:[^\S\r\n]+[a-z]+){0,2}[^\S\r\n]*,[^\S\r\n]*(?:\r\n|\r|\n)[^\S\r\n]*[A-Z][\w'’-]*(?:[^\S\r\n]+[A-Z][\w'’-]*){0,2}")
_HEADER_FIELD = re.compile(r"(?P<label>From|To|Cc|Bcc|Date|Sent|Subject|Reply-To)[^\S\r\n]*:[^\S\r\n]*(?P<value>.*)", re.IGNORECASE)
_QUOTED_LINE = re.compile(r"^[^\S\r\n]*>.*$", re.MULTILINE)  # a line an e-mail quotes: "> 12 April works."
_LEADERS = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}|(?:·\s?){4,}")  # a table of contents' dotted leaders
_ITEM_START = r"[^\S\r\n]*(?:(?:[-*•]|\d+[.)])\s|\|)"  # a list item or a table row
_BEFORE_ITEM = re.compile(_ITEM_START)
# A line break ends a sentence after closing punctuation, and before a list item or a table row.
_NEWLINE_END = re.compile(rf"(?<=[.!?:;…\"”’»])[^\S\r\n]*(?:\r\n|\r|\n)|(?:\r\n|\r|\n)(?={_ITEM_START})")
_INITIALS = re.compile(r"(?:[A-ZÀ-ÖØ-Þ]\.)*[A-ZÀ-ÖØ-Þ]")  # "A", "J.P", "J.R.R" before their last period
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr mt vs etc inc ltd co corp no nos fig gen gov sen rep col lt sgt capt "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n approx dept est".split()
)
# abbreviations that date or cite, as written in small letters, before a number ("Alasdair Kerr (m.
# 1853)", "c. 1850", "Smith et al. 2020", "p. 12"; "396 m. It" ends a sentence, in metres);
# capitalized, "D." and "Al." are initials or names
_SMALL_ABBREVIATIONS = frozenset("b c d m r fl ca cf al p pp vol".split())


@dataclass(frozen=True)
class Span:
    """A stretch of a document: ``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """One passage of a document: its paragraph's number through the document (from 1,
    counting only the paragraphs that are passages), its part within the paragraph, and its
    span. A document with pages numbers its paragraphs on each page for a reader (``placed``);
    this number keeps the passage's id unique in the document."""

    paragraph: int
    part: int
    parts: int
    start: int
    end: int

    @property
    def id(self) -> str:
        """``p12`` for a whole paragraph, ``p12.2`` for the second part of a split one."""
        return f"p{self.paragraph}" if self.parts == 1 else f"p{self.paragraph}.{self.part + 1}"


def placed(chunks: Sequence[Chunk], page_at: Callable[[int], int | None]) -> list[tuple[int | None, int]]:
    """Where a reader finds each of a document's ``chunks`` (in order): the page its paragraph
    starts on (``page_at`` an offset; None for a document without pages) and the paragraph's
    number, from 1 on each page, or through the document when it has no pages. A paragraph that
    runs on to the next page counts on the page it starts on, every part of it included."""
    places: list[tuple[int | None, int]] = []
    for chunk in chunks:
        if chunk.part and places:
            places.append(places[-1])
            continue
        page = page_at(chunk.start)
        places.append((page, places[-1][1] + 1 if places and places[-1][0] == page else 1))
    return places


def paragraphs(text: str) -> list[Span]:
    """Spans of the blank-line separated blocks of ``text``, stripped of outer whitespace."""
    spans = []
    position = 0
    for match in _BLANK_LINES.finditer(text):
        spans.append(_strip(text, position, match.start()))
        position = match.end()
    spans.append(_strip(text, position, len(text)))
    return [span for span in spans if span.end > span.start]


def blocks(text: str, marked_headings: bool = False) -> list[Span]:
    """The blocks that ``chunk`` reads ``text`` in: its ``paragraphs``, but a line that ends
    with a colon over a list is one block with it ("The warranty does not cover:" and its
    items); and in a text whose headings are not marked, a line in capitals that opens a
    paragraph over its text is a block of its own ("3. RENT", "APOLOGIES": minutes and
    contracts write a heading right above its text; ``_heads``)."""
    spans: list[Span] = []
    for block in paragraphs(text):
        start = block.start
        while not marked_headings and (newline := text.find("\n", start, block.end)) != -1 and _heads(text[start:newline], text[newline + 1 : block.end]):
            spans.append(_strip(text, start, newline))
            start = newline + 1
        if spans and _introduces(text[spans[-1].start : spans[-1].end]) and _BEFORE_ITEM.match(text, start):
            spans[-1] = Span(spans[-1].start, block.end)
        else:
            spans.append(_strip(text, start, block.end))
    return spans


def is_item(line: str) -> bool:
    """Whether ``line`` is a list item or a table row ("- burrs, which wear;", "1. Fill the tank", "| … |")."""
    return _BEFORE_ITEM.match(line) is not None


def _introduces(block: str) -> bool:
    """A line that introduces what follows it: it ends with a colon ("The warranty does not cover:")."""
    return block.endswith(":") and "\n" not in block


def _heads(line: str, rest: str) -> bool:
    """Whether ``line``, over ``rest`` of its paragraph, is a heading of its own: it is in
    capitals, and the rest is text (lines, or a sentence), not one line more of a title
    ("MINUTES OF THE ORDINARY MEETING" over "Held on Tuesday 14 October 2025 at 7:00 pm")."""
    rest = rest.strip()
    return _in_capitals(line) and ("\n" in rest or rest.endswith(tuple(_TERMINAL)))


def _in_capitals(line: str) -> bool:
    """A heading line in capitals ("5. TENANTS' OBLIGATIONS"): three capital letters or more, no small one."""
    return is_heading(line) and not any(c.islower() for c in line) and sum(c.isupper() for c in line) >= 3


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans within ``text[start:end]``, with offsets into ``text``; a paragraph's end
    (a blank line) ends one."""
    end = len(text) if end is None else end
    cuts = []
    for match in _SENTENCE_END.finditer(text, start, end):
        if not _ends_no_sentence(text, start, match.start()):
            cuts.append(match.end())
    for match in _GLUED_END.finditer(text, start, end):
        dot = match.start() + len(match.group().rstrip("\"”’'")) - 1
        if _opens(text, match["next"]) and not _ends_no_sentence(text, start, dot):
            opening = match.group().endswith('"') and text.count('"', start, dot) % 2 == 0  # 'hand."You are …"'
            cuts.append(match.end() - opening)
    for match in _NEWLINE_END.finditer(text, start, end):
        cuts.append(match.start())
    edges = [start, *(i for m in _BLANK_LINES.finditer(text, start, end) for i in m.span()), end]
    for block_start, block_end in zip(edges[::2], edges[1::2]):  # a blank line ends a sentence too (after a heading)
        cuts.extend([*_list_breaks(text, block_start, block_end), block_end])
    spans = []
    position = start
    for cut in sorted(set(cuts)):
        if cut > position:
            spans.append(_strip(text, position, cut))
            position = cut
    spans.append(_strip(text, position, end))
    return [span for span in spans if span.end > span.start]


def _list_breaks(text: str, start: int, end: int) -> list[int]:
    """The line breaks of the block ``text[start:end]`` when its lines are a list written
    without marks ("225g caster sugar", "4 eggs", …): three lines or more, each short and opening
    with a capital or a digit, each then a sentence of its own; none for any other block (the
    lines of a wrapped paragraph)."""
    breaks = [m.start() for m in _LINE_BREAK.finditer(text, start, end)]
    return breaks if is_list([text[a:b] for a, b in zip([start, *breaks], [*breaks, end])]) else []


def is_list(lines: Sequence[str]) -> bool:
    """Whether ``lines`` are a list written without marks ("225g caster sugar", "4 eggs", …;
    "Address: 4 Harbour Street", "Phone: 01632 960 412", …): three or more, each opening with
    a capital or a digit, and each short, or a field ("Significant projects: Calder Viaduct,
    …", an infobox's), or not wrapped (a line ends where the next one's first word would still
    have fitted: "Mr Robert Failsworth, Town Clerk" over a longer line); not the wrapped lines
    of a paragraph."""
    lines = [line.strip() for line in lines]
    if len(lines) < 3 or not all(line and (line[0].isupper() or line[0].isdigit()) for line in lines):
        return False
    width = max(map(len, lines))
    unwrapped = any(len(line) + 1 + len(after.split()[0]) <= width for line, after in pairwise(lines))
    return unwrapped or all(len(line) <= LIST_LINE_CHARS or FIELD.match(line) for line in lines)


def _opens(text: str, word: str) -> bool:
    """Whether capitalized ``word``, glued to a stop before it, opens a sentence: a function word
    ("For", "I'm") or one that ``text`` also writes in small letters ("Today"); not a name,
    which may be code's ("torch.Tensor") as well as a person's ("came.Brad")."""
    return word.lower() in STOPWORDS or word.lower() in _small_words(text)


@lru_cache(maxsize=8)  # a document's text hashes once; its glued stops are looked up word by word
def _small_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in small letters."""
    return frozenset(re.findall(r"\b[a-z]+\b", text))


def _ends_no_sentence(text: str, start: int, dot: int) -> bool:
    """True when the period at ``dot`` ends an abbreviation ("Dr.", "m. 1853"), an initial or a list item's number
    at the start of a line ("9. Slide the galette …"), not a sentence."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > start and not text[word_start - 1].isspace() and text[word_start - 1] not in "(“\"'‘":
        word_start -= 1
    word = text[word_start:dot]
    if _INITIALS.fullmatch(word):
        return True  # initials: "A. Lukashenko", "J.P. Singh"
    if len(word) <= 2 and word.isdigit() and (word_start == start or text[word_start - 1] in "\r\n"):
        return True
    if word in _SMALL_ABBREVIATIONS and re.match(r"\s*\d", text[dot + 1 : dot + 4]):  # "m. 1853", not "396 m. It"
        return True
    return word.lower() in _ABBREVIATIONS


def is_noise(text: str) -> bool:
    """Page furniture and stray fragments ("• 32", "Photo: BelTA"), a form's blanks ("Signed
    ........ Date ......"), an e-mail's signature ("--" over "Helen Okafor", "Volunteer
    Coordinator", …) and its sign-off ("Best wishes,\nHelen") that must not be passages; a
    labelled number is none ("Phone: 01422 555 019", "Price: $8"), nor a table of figures set
    out with spaces ("1801    1,240" over "1851    4,870")."""
    if _SIGNATURE.match(text) or _SIGN_OFF.fullmatch(text.strip()):
        return True
    lines = text.strip().splitlines()
    if len(lines) >= 2 and all(_FIGURES_ROW.fullmatch(line) for line in lines):  # a table of figures ("1801    1,240")
        return False
    words = len(_WORD.findall(text))
    if words < 6 and "\n" not in text.strip() and _LEADERS.search(text):  # a form's blanks: "Signed ........ Date ......"
        return True
    return words < 3 and not (words >= 2 and text.rstrip().endswith(tuple(_TERMINAL))) and not _LABELLED_NUMBER.match(text)


def is_heading(text: str) -> bool:
    """A short single line without closing punctuation: a title or section heading; not a
    byline ("By Selina Markovitch, Courts Correspondent"), which is what the text says."""
    line = text.strip()
    return "\n" not in line and len(line.split()) <= 16 and not line.endswith(tuple(_TERMINAL + ",:;")) and not _BYLINE.match(line)


def title_of(text: str, blocks: list[Span]) -> str | None:
    """The document's leading title line, if its first block is one (Markdown '#' removed)."""
    if len(blocks) < 2:
        return None
    first = text[blocks[0].start : blocks[0].end]
    if not is_heading(first):
        return None
    title = first.lstrip("#").strip()
    return title if looks_like_title(title) else None


def looks_like_title(line: str, chars: int = TITLE_CHARS) -> bool:
    """Whether ``line`` reads as a title: at most ``chars`` characters of words (no word
    longer than TITLE_WORD_CHARS, letters the most of it), no run of dotted leaders. A table of
    contents read from a PDF whose text has no spaces ("Contents1.Introduction.......3") is none."""
    words = line.split()
    letters = sum(character.isalpha() for character in line)
    return (
        bool(_WORD.search(line))
        and len(line) <= chars
        and max(len(word) for word in words) <= TITLE_WORD_CHARS
        and letters >= 0.5 * sum(len(word) for word in words)
        and not _LEADERS.search(line)
    )


def chunk(
    text: str, count_tokens: Callable[[str], int], max_tokens: int, marked_headings: bool = False
) -> list[Chunk]:
    """Passages of ``text``: one per paragraph, or several for a paragraph over ``max_tokens``.

    Headings (the title line included) and noise lines become no passage and are not counted:
    paragraphs are numbered from 1 among those that are passages, so ``p7`` is the seventh
    paragraph a reader finds under the headings (on a document's pages, ``placed`` numbers them
    page by page). With ``marked_headings`` (the text's reader
    writes headings as ``## Heading`` lines) only such lines are headings; otherwise a short
    line without closing punctuation is taken for one, unless another is next to it. A passage
    under a heading is searched with it (``headings``), and is cut to fit the model's window
    with it.
    """
    chunks: list[Chunk] = []
    read = blocks(text, marked_headings)
    among = _headings_among(text, read, marked_headings)
    over = _sections(text, read, among, marked_headings, [b.start for b in read])
    quoted = _quoted_again(text, read)
    bodies = [text[b.start : b.end] for b in read]
    # an interviewer's turn that asks nothing heads the answer and is a passage too ("And in 2015 you set up on your own.")
    prompts = [turn and "?" not in body for turn, body in zip(_turns_asked(bodies), bodies)]
    for block, heads, heading, again, prompt in zip(read, among, over, quoted, prompts):
        if heads and not prompt or again or is_noise(text[block.start : block.end]):
            continue
        number = chunks[-1].paragraph + 1 if chunks else 1
        pieces = _fit(text, block, count_tokens, max_tokens - (count_tokens(heading) + 1 if heading else 0))
        chunks.extend(Chunk(number, part, len(pieces), piece.start, piece.end) for part, piece in enumerate(pieces))
    return chunks


def headings(text: str, starts: Sequence[int], marked_headings: bool = False) -> list[str | None]:
    """The heading of the section that each offset of ``starts`` lies in: the last heading line
    before it ("Making coffee" for the steps under "## Making coffee"); before the first, the
    document's title if it has sections (the lead of an article is under its title), else None
    (a title over every passage alike tells none apart). With ``marked_headings`` only "##
    Heading" lines are headings, as in ``chunk``, and only a "# Title" line is a title."""
    read = blocks(text, marked_headings)
    return _sections(text, read, _headings_among(text, read, marked_headings), marked_headings, starts)


def _sections(text: str, blocks: list[Span], among: list[bool], marked_headings: bool, starts: Sequence[int]) -> list[str | None]:
    """``headings`` of ``starts``, the text's ``blocks`` and which of them are headings
    (``among``) already found. A marked heading is one whatever words it holds ("## [3.0.0] -
    2024-03-18"), and under the marked headings above it ("[2.4.0] - 2023-10-27 › Added" for
    "### Added" under "## [2.4.0] - 2023-10-27"); another one reads as a title
    (``looks_like_title``), as long as a question heading may be when it is one."""
    title = title_of(text, blocks)
    if title and marked_headings and not text.startswith("# ", blocks[0].start):  # "## Overview" heads a section
        title = None
    found: list[tuple[int, str]] = []
    path: list[tuple[int, str]] = []  # the marked headings over this one: (level, line)
    for k, (block, heads) in enumerate(zip(blocks, among)):
        if not heads or k == 0 and title:
            continue
        body = text[block.start : block.end]
        line = body.lstrip("#").strip()
        marks = len(body) - len(body.lstrip("#")) if marked_headings else 0
        if not marked_headings and (sent := email_heading(body)):
            line = sent
        elif not (marks and len(line) <= QUESTION_CHARS or looks_like_title(line, TITLE_CHARS if is_heading(body) else QUESTION_CHARS)):
            continue
        level = marks or _QUESTION_LEVEL
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, line))
        found.append((block.end, " › ".join(over for _, over in path) if marked_headings else line))
    if title and found:
        found.insert(0, (blocks[0].end, title))
    ends = [end for end, _ in found]
    return [found[at - 1][1] if (at := bisect_right(ends, start)) else None for start in starts]


def email_header(block: str) -> dict[str, str] | None:
    """The fields of an e-mail's header block by their labels in small letters, the sender
    ("from") by name alone ("From: Helen Okafor <helen@…>": "Helen Okafor"); None for a block
    that is no header (two lines or more, each a header field, one of them From; a field's
    value may go on in an indented line)."""
    values: dict[str, str] = {}
    last = None
    for line in block.strip().splitlines():
        if last and line[:1].isspace():
            values[last] += " " + line.strip()
        elif field := _HEADER_FIELD.fullmatch(line.strip()):
            last = field["label"].lower()
            values[last] = field["value"].strip()
        else:
            return None
    if len(values) < 2 or "from" not in values:
        return None
    values["from"] = re.sub(r"\s*<[^>]*>", "", values["from"]).strip(" \"'") or values["from"]
    return values


def email_heading(block: str) -> str | None:
    """What an e-mail's header block reads as, the heading of the e-mail under it: its sender,
    date and subject ("From: Helen Okafor <helen@…>", "Date: Mon, 3 March 2025 09:14", "Subject:
    Training day" read "Helen Okafor (Mon, 3 March 2025 09:14): Training day"); None for a block
    that is no header (``email_header``)."""
    if (header := email_header(block)) is None:
        return None
    date, subject = header.get("date") or header.get("sent"), header.get("subject")
    return header["from"] + (f" ({date})" if date else "") + (f": {subject}" if subject else "")


def _quoted_again(text: str, blocks: list[Span]) -> list[bool]:
    """Which of ``blocks`` are lines an e-mail quotes ("> 12 April works.") that the text holds
    unquoted too, each, where whoever wrote them says them (spaces and line breaks aside)."""
    if not _QUOTED_LINE.search(text):
        return [False] * len(blocks)
    unquoted = " ".join(_QUOTED_LINE.sub("", text).split())
    lines = [text[block.start : block.end].splitlines() for block in blocks]
    return [all(_QUOTED_LINE.fullmatch(line) and " ".join(line.strip().lstrip(">").split()) in unquoted for line in block) for block in lines]


def _headings_among(text: str, blocks: list[Span], marked_headings: bool) -> list[bool]:
    """Which of ``blocks`` are headings: with ``marked_headings``, the "## Heading" lines; else
    each short line without closing punctuation (``is_heading``), but for one next to another
    such line past the first block (a title): lines written one after another ("Opening hours:
    8 am to 6 pm", "Address: 12 Mill Lane") are what the text says, each a passage, unless in
    capitals ("MINUTES OF THE ORDINARY MEETING" under the council's name); in any
    format, a question the text answers below it (``_questions_answered``); in plain text, an
    e-mail's header (``email_header``)."""
    bodies = [text[b.start : b.end] for b in blocks]
    asked = _questions_answered(bodies)
    if marked_headings:
        return [bool(_MARKED_HEADING.fullmatch(body)) or q for body, q in zip(bodies, asked)]
    asked = [q or email_header(body) is not None for q, body in zip(asked, bodies)]
    # not the name that signs an e-mail, over its signature ("Tomasz" over "--"), nor a line it quotes
    lines = [
        is_heading(body) and not (k + 1 < len(bodies) and _SIGNATURE.match(bodies[k + 1]) or _QUOTED_LINE.fullmatch(body))
        for k, body in enumerate(bodies)
    ]
    short = [line and not is_noise(body) for line, body in zip(lines, bodies)]
    return [
        q or line and (k == 0 or _in_capitals(body) or not (k > 1 and short[k - 1] or k + 1 < len(short) and short[k + 1]))
        for k, (line, q, body) in enumerate(zip(lines, asked, bodies))
    ]


def asks(text: str) -> bool:
    """Whether sentence ``text`` is a question the text asks ("Q: Can I keep chickens?", "Where
    did the idea come from?"): it opens with a question word or a verb (after a "Q:" label) and
    ends with a question mark; not a quoted one, nor a statement that ends with a title asking
    ("… for his album What's Wrong with This Picture?")."""
    return _ASKS.fullmatch(text.strip()) is not None


def _questions_answered(bodies: list[str]) -> list[bool]:
    """Which of the blocks ``bodies`` are questions the text answers, each a heading over its
    answer: a line of its own that asks ("Q: Can I keep chickens?"), followed by one that does
    not, in a text of three such or more (an interview, a page of questions and answers), or
    labelled ("Q:", "Question:"); not a question a story asks once."""
    asking = [asks(body) for body in bodies]
    asked = [
        "\n" not in body and len(body) <= QUESTION_CHARS and asking[k] and k + 1 < len(bodies) and not asking[k + 1]
        and not _MARKED_HEADING.fullmatch(bodies[k + 1])
        for k, body in enumerate(bodies)
    ]
    many = sum(asked) >= QUESTIONS_ANSWERED
    return [
        q and (many or _QUESTION_LABEL.match(body) is not None) or turn
        for q, body, turn in zip(asked, bodies, _turns_asked(bodies))
    ]


def _turns_asked(bodies: list[str]) -> list[bool]:
    """Which of the blocks ``bodies`` are an interviewer's turns, each a heading over the answer
    below it: in a transcript (blocks that open with a speaker's label, two speakers with two
    turns or more each), the turns of the speaker who asks in the most of theirs ("INTERVIEWER:
    Let's go back to the beginning. Where did you grow up?"; at least QUESTIONS_ANSWERED of
    them, ASKING_SHARE of their turns, and twice the share of any other speaker's: a host also
    says "And in 2015 you set up on your own."), each a line of at most QUESTION_CHARS
    followed by another speaker's turn."""
    speakers = [found["speaker"] if (found := _SPEAKER.match(body)) else None for body in bodies]
    turns = Counter(speaker for speaker in speakers if speaker)
    asking = Counter(speaker for speaker, body in zip(speakers, bodies) if speaker and "?" in body)
    if sum(count >= 2 for count in turns.values()) < 2 or not asking:
        return [False] * len(bodies)
    share = {speaker: asking[speaker] / count for speaker, count in turns.items()}
    asker = max(asking, key=share.__getitem__)
    rival = max((share[speaker] for speaker, count in turns.items() if speaker != asker and count >= 2), default=0.0)
    if asking[asker] < QUESTIONS_ANSWERED or share[asker] < ASKING_SHARE or share[asker] < 2 * rival:
        return [False] * len(bodies)
    return [
        speaker == asker and "\n" not in body and len(body) <= QUESTION_CHARS and speakers[k + 1] not in (None, asker)
        for k, (speaker, body) in enumerate(zip(speakers[:-1], bodies))
    ] + [False]


def _fit(text: str, block: Span, count_tokens: Callable[[str], int], max_tokens: int) -> list[Span]:
    """Split ``block`` into consecutive spans of at most ``max_tokens`` tokens each."""
    if count_tokens(text[block.start : block.end]) <= max_tokens:
        return [block]
    units: list[tuple[Span, int]] = []
    for sentence in sentences(text, block.start, block.end):
        size = count_tokens(text[sentence.start : sentence.end])
        if size <= max_tokens:
            units.append((sentence, size))
        else:
            units.extend(_split_words(text, sentence, count_tokens, max_tokens))
    pieces: list[Span] = []
    current: Span | None = None
    used = 0
    for unit, size in units:
        # Sentence pieces are counted one by one; joined text may tokenize a little longer, so
        # keep a small margin rather than re-counting every candidate.
        if current is not None and used + size <= max_tokens - 2:
            current, used = Span(current.start, unit.end), used + size
        else:
            if current is not None:
                pieces.append(current)
            current, used = unit, size
    if current is not None:
        pieces.append(current)
    return pieces


def _split_words(
    text: str, sentence: Span, count_tokens: Callable[[str], int], max_tokens: int
) -> list[tuple[Span, int]]:
    """A sentence too long for the model, cut between words into pieces that fit."""
    pieces = []
    start: int | None = None
    used = 0
    end = sentence.start
    for word in re.finditer(r"\S+", text[sentence.start : sentence.end]):
        w_start, w_end = sentence.start + word.start(), sentence.start + word.end()
        size = count_tokens(word.group())
        if start is not None and used + size > max_tokens - 2:
            pieces.append((Span(start, end), used))
            start = None
        if start is None:
            start, used = w_start, 0
        used += size
        end = w_end
    if start is not None:
        pieces.append((Span(start, end), used))
    return pieces


def flowed(text: str) -> str:
    """``text`` as it reads, for showing: the line breaks that only wrap a paragraph's lines
    (hard-wrapped plain text) become spaces. Line structure stays where the text has it: a break
    before a list item or a table row, a hard line break (two spaces before it: how the readers
    write a code block's line breaks, as Markdown does), and every break of a preformatted
    block (indented code, an interactive session). The length is the same, so every offset into
    ``text`` holds in the result."""
    kept = [block for block in paragraphs(text) if _preformatted(text[block.start : block.end])]

    def shown(match: re.Match[str]) -> str:
        if (
            _BEFORE_ITEM.match(text, match.end())
            or text.endswith("  ", 0, match.start())
            or any(b.start <= match.start() < b.end for b in kept)
        ):
            return match.group()
        return " " * len(match.group())

    return _LINE_BREAK.sub(shown, text)


def _preformatted(block: str) -> bool:
    """Whether a block's lines are laid out by hand, not wrapped: a line after the first is
    indented (and is no list item), or a line is an interactive prompt (``>>>``), as in
    reStructuredText's literal and doctest blocks and most code in plain text."""
    lines = _LINE_BREAK.split(block)
    return any(line.startswith(">>>") for line in lines) or any(
        line[:1].isspace() and not _BEFORE_ITEM.match(line) for line in lines[1:]
    )
