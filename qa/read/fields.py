"""Questions asking for a labelled value: "What is the address?", "What's the phone number?".

A contact page, a form or an e-mail's header writes such values as "label: value" lines
("Address: 4 Harbour Street, Portwell", "Phone: 01632 960 412"), which no sentence around them
explains. The reader, trained on prose, finds the value but doubts it (it refused "What is the
address?" over the line that gives it). A question of the shape "What is the X?" is answered
with the value of a line whose label is X: every word of the label, stemmed, is a word of X
("Phone" for "phone number"; "Email" rather than "Address" for "email address"), in one of
the passages retrieval ranks first. A question that says whose value it asks ("What is the date
of the review?") is read as any other: a line "Date: …" may be another thing's.

Any other question that names one line's label ("When are you open on Fridays?" of lines
"Monday to Thursday: …", "Friday: …", "Saturday: …"), or one table row's first cell ("What
does E1 mean?"), is read with that line preferred (``named``): the reader, drawn to the
likeliest-looking value, had quoted another line, another row. One that names a row and, of
that row's cells, one column ("What is on Monday evening?" of a timetable whose rows are times
of day and whose columns are days) is answered with that cell (``cell``): the reader, drawn to
the likeliest-looking value, had quoted another row's, or another cell of the row.

A record, lines "label: value" each under its own label, the same labels as another's of its
document (a manual's troubleshooting: "Problem: The display shows "E2".", "Cause: …",
"Solution: …", and the next problem's), is named by its first line: a question
that says most of what that line says ("What does E2 on the display mean?", "Water's leaking
onto my floor, why would that be?") asks for what the other lines say (``record_key``). The
reader, drawn to the line with the question's words, had quoted the problem back.
"""

from __future__ import annotations

import re

from ..ingest.chunking import FIELD
from ..ingest.formats import CELL_LABEL
from ..ingest.text import tokenize

_ASKS = re.compile(
    r"^\s*(?:(?:and|so)\W+)?(?:what|which|when|where|who)(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+"
    r"(?:(?:the|your|its|their|our|his|her)\s+)?(?P<label>[^?.!]{1,40}?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_LINE = re.compile(r"^[^\S\n]*(?:[-*•+][^\S\n]+)?" + FIELD.pattern, re.MULTILINE)  # a line "label: value", or a list's item "- label: value"
_ROW = re.compile(rf"^[^\S\n]*\|(?:{CELL_LABEL.pattern})?[^\S\n]*(?P<key>[^|\n]*[^|\s])", re.MULTILINE)  # a table row's first cell
# a row of a table set out with spaces ("  1901    7,315"): a short line, its first column the key
_ALIGNED = re.compile(r"^[^\S\n]*(?P<key>[^\s|:][^\n]{0,30}?)[^\S\n]{2,}(?=\S)[^\n]{1,40}$", re.MULTILINE)
_WHOLE_ROW = re.compile(r"[^\S\n]*\|.*\|[^\S\n]*")  # a line that is a table row
_CELL = re.compile(r"\|(?P<cell>[^|\n]*)(?=\|)")  # a cell of a row
_LABELLED = re.compile(rf"(?P<label>{CELL_LABEL.pattern})(?P<value>.*\S)")  # a cell's column label and value: "Monday 12 May: Campfire"
_PREPOSITIONS = frozenset("of for in on at to from by with about".split())
PASSAGES = 3  # the passages retrieval ranks first that may hold the line


def rows_read(quote: str) -> str:
    """``quote`` as an answer shows it: each line of it that is a table row as its cells, one
    after another ("| Option: max_parallel | Default: 4 |" reads "Option: max_parallel; Default:
    4"); any other line as it is."""
    read = []
    for line in quote.split("\n"):
        cells = [cell["cell"].strip() for cell in _CELL.finditer(line)] if _WHOLE_ROW.fullmatch(line) else None
        read.append(line if cells is None else "; ".join(cell for cell in cells if cell))
    return "\n".join(read)


def asks(question: str) -> list[str]:
    """The stemmed words of the label ``question`` asks the value of ("address" of "What is
    the address?"); [] for any other question, and for one that says whose ("What is the date
    of the review?": a line "Date: …" may be another thing's)."""
    match = _ASKS.match(question)
    if match is None or _PREPOSITIONS.intersection(match["label"].lower().split()):
        return []
    return tokenize(match["label"], drop_stop=True)


def value(label: list[str], text: str) -> tuple[int, int] | None:
    """The span in ``text`` of the value of a line whose label's words (stemmed) are all words
    of ``label`` ("Phone: 01632 960 412" for "phone number"), its stop aside: of the lines
    that name most of them, the first that names its first ("Email: …" for "email address",
    not "Address: …"); None for none."""
    wanted, best, found = set(label), (0, False), None
    for match in _LINE.finditer(text):
        words = set(tokenize(match["label"], drop_stop=True))
        if words and wanted.issuperset(words) and (rank := (len(words), label[0] in words)) > best:
            best, found = rank, match.span("value")
    if found is None:
        return None
    start, end = found
    return start, end - (len(text[start:end]) - len(text[start:end].rstrip(" .;,")))


def record_labels(text: str) -> tuple[str, ...] | None:
    """The labels of ``text`` when it is a record: two lines "label: value" or more, every line
    one, no label twice, the first no question (a FAQ's "Q: …?" over "A: …": the answer's line
    says it all); None for any other text."""
    lines = list(_LINE.finditer(text))
    if len(lines) < 2 or len(lines) != len(text.strip().splitlines()) or lines[0]["value"].rstrip().endswith("?"):
        return None
    labels = tuple(" ".join(tokenize(match["label"], drop_stop=True)) for match in lines)
    return labels if len(set(labels)) == len(labels) else None


def record_key(words: set[str], text: str) -> tuple[int, int] | None:
    """The span of the first line of record ``text`` (``record_labels``) when ``words`` (a
    question's, stemmed) hold half of that line's value's words or more, one at least: the
    question names the record by it, and asks what the other lines say; None for any other."""
    first = _LINE.match(text)
    if first is None or record_labels(text) is None:
        return None
    value = set(tokenize(first["value"], drop_stop=True))
    return first.span() if value and 2 * len(value & words) >= len(value) else None


def named(words: set[str], text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each sentence ``spans`` of ``text``: whether it holds the line that ``words`` (a
    question's, stemmed) name (``_named_key``), of the lines "label: value" and the table rows
    of ``text``; all False for none."""
    found = _named_key(words, text)
    return [found is not None and start <= found[0] < end for start, end in spans]


def cell(words: set[str], text: str) -> tuple[int, int] | None:
    """The span in ``text`` of the value of the table cell that ``words`` (a question's,
    stemmed) name by its row and its column: of the row named (``_named_key``), the cell whose
    column's label holds the most of ``words`` that the row's first cell does not, if it alone
    holds most and holds one ("Campfire and songs" of "| Time: Evening | Monday 12 May: Campfire
    and songs | Tuesday 13 May: Night walk |" for "What happens on Monday evening?"); None for
    none."""
    found = _named_key(words, text)
    if found is None or not text.startswith("|", found[0]):
        return None
    end = text.find("\n", found[0])
    cells = list(_CELL.finditer(text, found[0], end if end >= 0 else len(text)))[1:]  # the first is the row's own name
    labelled = [(c.start("cell"), m) for c in cells if (m := _LABELLED.match(c["cell"]))]
    held = [len((set(tokenize(m["label"], drop_stop=True)) - found[1]) & words) for _, m in labelled]
    if not held or max(held) == 0 or held.count(max(held)) > 1:
        return None
    at, m = labelled[held.index(max(held))]
    return at + m.start("value"), at + m.end("value")


def _named_key(words: set[str], text: str) -> tuple[int, set[str]] | None:
    """Of the lines "label: value" and the table rows of ``text`` (set out with bars or with
    spaces), the one that ``words`` (a question's, stemmed) name: the one whose key (a line's
    label, a row's first cell) holds the most of ``words`` that not every key holds, if it alone
    holds most and holds one ("Friday: …" among the opening hours for "When are you open on
    Fridays?"; the row of "Display shows E1" for "What does E1 mean?"); its start in ``text``
    and its key's words; None for none."""
    keys = [(match.start("label"), set(tokenize(match["label"], drop_stop=True))) for match in _LINE.finditer(text)]
    keys += [(match.start(), set(tokenize(match["key"], drop_stop=True))) for match in _ROW.finditer(text)]
    keys += [(match.start("key"), set(tokenize(match["key"], drop_stop=True))) for match in _ALIGNED.finditer(text)]
    if len(keys) < 2:
        return None
    common = set.intersection(*(key for _, key in keys))
    held = [len((key - common) & words) for _, key in keys]
    if max(held) == 0 or held.count(max(held)) > 1:
        return None
    return keys[held.index(max(held))]
