"""Documents as people have them: PDF, HTML, DOCX and Markdown extracted, folders named, bad files explained.

The fixture files are written at test time (tests/fixtures.py); the indexing tests use the real
bundled model.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures import FERRY_PAGES, write_documents, write_docx, write_html, write_pdf, write_sphinx_html
from qa.errors import DocumentError
from qa.ingest import chunking, formats
from qa.ingest.documents import find_files, read_document


def extract(path: Path) -> formats.Extracted:
    return formats.extract(path, path.read_bytes())


# ---------------------------------------------------------------------------- extraction


def test_pdf_pages_headers_and_hyphenation(tmp_path):
    pdf = extract(write_pdf(tmp_path / "ferry.pdf", FERRY_PAGES, title="Harbour Ferry Report"))
    assert pdf.format == "pdf" and pdf.title == "Harbour Ferry Report"
    assert "Harbour Ferry Report" not in pdf.text  # the running header is gone ...
    assert not re.search(r"(?m)^\s*[12]\s*$", pdf.text)  # ... and so are the page numbers
    assert "harbour terminal opens" in pdf.text  # "termi-" + "nal" joined
    # the sentence that runs on to page 2 is one sentence, not split by the page break
    assert "free for children under twelve years of age" in pdf.text
    assert len(pdf.pages) == 2 and pdf.pages[0] == 0
    assert pdf.text[pdf.pages[1] :].startswith("twelve years of age")
    assert pdf.text.index("In winter") > pdf.pages[1]
    paragraphs = pdf.text.split("\n\n")
    assert paragraphs[0].startswith("The ferry leaves") and paragraphs[1].startswith("Tickets are sold")


def test_a_running_header_on_one_page_does_not_cut_a_sentence(tmp_path):
    """A two-page report: page 2's header ("Reed et al. - Light and clover") occurs once, so it
    is not known as a running line by recurring; but it stands where no heading can, inside the
    sentence that runs on from page 1."""
    pages = [
        ["Light and Clover", "", "Data were analysed with mixed models, with meadow as a random effect and treatment as a fixed"],
        ["Reed et al. - Light and clover", "", "effect. All analyses were carried out in R version 4.3.", "", "Results", "", "We recorded 4,812 visits."],
    ]
    pdf = extract(write_pdf(tmp_path / "report.pdf", pages))
    assert "treatment as a fixed effect. All analyses were carried out in R" in pdf.text
    assert "Reed et al." not in pdf.text and "\n\nResults\n\n" in pdf.text  # a heading after a sentence's end stays


def test_pdf_without_text_layer_and_encrypted(tmp_path):
    with pytest.raises(DocumentError, match=r"scan\.pdf: no text layer \(scanned\?\): run OCR first"):
        extract(write_pdf(tmp_path / "scan.pdf", [[], []]))
    with pytest.raises(DocumentError, match=r"locked\.pdf: encrypted PDF"):
        extract(write_pdf(tmp_path / "locked.pdf", [["Secret plans for the ferry."]], encrypted=True))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnothing else")
    with pytest.raises(DocumentError, match=r"broken\.pdf: not a readable PDF"):
        extract(broken)


def test_a_pdf_is_known_by_its_signature(tmp_path):
    disguised = tmp_path / "ferry.txt"
    disguised.write_bytes(write_pdf(tmp_path / "ferry.pdf", FERRY_PAGES).read_bytes())
    assert extract(disguised).format == "pdf"


def test_html_main_content_only(tmp_path):
    html = extract(write_html(tmp_path / "lake.html"))
    assert html.format == "html" and html.title == "Lake Ferry Timetable"
    for gone in ("cookies", "navigation menu", "Home", "trackingCodeInScript", "font-family", "Copyright", "<", ">"):
        assert gone not in html.text
    blocks = html.text.split("\n\n")
    assert blocks[0] == "# Lake Ferry Timetable" and "## Winter service" in blocks
    assert "The lake ferry sails from Hallstatt to Obertraun seven times a day in summer." in blocks
    assert "- Dogs travel on a lead.\n- Prams are carried free." in blocks
    # a table with a heading row: each row names its cells, and reads on its own
    assert "| Route: Hallstatt to Obertraun | Departs: 09:15 |" in blocks


def test_html_infobox_line_breaks_and_footnote_marks(tmp_path):
    """A Wikipedia-like page: its infobox as "Label: value" lines, a <br> in a cell or an item a
    comma (not "17 March 1811Whitby"), its footnote marks gone (not "…construction.[3] It
    opened"), a table's title row a line of its own (not every cell's label)."""
    page = tmp_path / "thorne.html"
    page.write_text(
        "<html><head><title>Cornelius Thorne</title></head><body>"
        '<div id="mw-navigation"><a href="/">Main page</a></div><div id="siteSub">From Wikipedia</div>'
        '<table class="infobox"><tr><th colspan="2">Cornelius Thorne</th></tr>'
        '<tr><th scope="row">Born</th><td>17 March 1811<br>Whitby, England</td></tr>'
        '<tr><th scope="row">Known for</th><td>Calder Viaduct<br>Tamsey Tunnel</td></tr></table>'
        "<p>Eleven men died during its construction.<sup class=\"reference\"><a href=\"#cite-3\">[3]</a></sup> "
        'It opened in 1841.<sup><a href="#fn1">1</a></sup> The arch spans 40 m<sup>2</sup>.</p>'
        "<ul><li>Stone<br>from Elland</li></ul>"
        '<table><tr><th colspan="2">Fares</th></tr><tr><th>Ticket</th><th>Price</th></tr><tr><td>Adult</td><td>£4</td></tr></table>'
        "</body></html>",
        encoding="utf-8",
    )
    blocks = extract(page).text.split("\n\n")
    assert blocks[0] == "Cornelius Thorne  \nBorn: 17 March 1811, Whitby, England  \nKnown for: Calder Viaduct, Tamsey Tunnel"
    assert blocks[1] == "Eleven men died during its construction. It opened in 1841. The arch spans 40 m2."
    assert blocks[2] == "- Stone, from Elland"
    assert blocks[3] == "Fares\n| Ticket: Adult | Price: £4 |"


def test_html_ordered_list_items_keep_their_numbers(tmp_path):
    page = tmp_path / "galette.html"
    page.write_text(
        "<html><body><h2>Method</h2><ol><li>Heat the oven.</li><li>Roll the pastry.</li></ol>"
        '<p>Then:</p><ol start="3"><li>Brush with egg.</li><li value="7">Bake.</li><li>Serve.</li></ol>'
        "<ul><li>Tip: chill it.</li></ul></body></html>",
        encoding="utf-8",
    )
    assert extract(page).text.split("\n\n")[1:] == ["1. Heat the oven.\n2. Roll the pastry.", "Then:", "3. Brush with egg.\n7. Bake.\n8. Serve.", "- Tip: chill it."]


def test_html_definitions_say_what_they_define(tmp_path):
    page = tmp_path / "settings.html"
    page.write_text(
        "<html><body><h2>Settings</h2><dl><dt>Continuous mode:</dt><dd><p>Ignores the target humidity.</p>"
        "<p>Use it with the drain hose.</p></dd><dt>Fan</dt><dt>Blower</dt><dd>Low or High.</dd><dd>Quiet at Low.</dd>"
        "<dt>Sleep mode</dt></dl><p>After the list.</p></body></html>",
        encoding="utf-8",
    )
    assert extract(page).text.split("\n\n")[1:] == [
        "Continuous mode: Ignores the target humidity. Use it with the drain hose.",
        "Fan, Blower: Low or High.",
        "Fan, Blower: Quiet at Low.",
        "Sleep mode",
        "After the list.",
    ]


# the interactive session of the Sphinx tutorial page (tests/fixtures.py), line by line
SPHINX_SESSION = [
    ">>> while True print('Hello world')",
    '  File "<stdin>", line 1',
    "    while True print('Hello world')",
    "                   ^",
    "SyntaxError: invalid syntax",
]


def test_sphinx_html_without_permalinks_and_with_its_code_lines(tmp_path):
    html = extract(write_sphinx_html(tmp_path / "errors.html"))
    blocks = html.text.split("\n\n")
    # the headings without their "¶" (and "#") permalinks
    assert [b for b in blocks if b.startswith("#")] == ["# 8. Errors and Exceptions", "## 8.1. Syntax Errors", "### Exceptions"]
    assert "¶" not in html.text
    # the interactive session keeps its lines, each break a hard one (two spaces before it)
    assert "  \n".join(SPHINX_SESSION) in blocks
    assert chunking.flowed(html.text).count("\n") == 4  # shown, only they stay lines


CONTENTS = "Contents1.Introduction..........3" + "".join(f"{n}.Chapter{n}..........{n * 4}" for n in range(2, 9))


def test_a_table_of_contents_is_no_title(tmp_path):
    # a PDF whose text layer has no spaces: its first line is a run of its table of contents
    pdf = extract(write_pdf(tmp_path / "contents.pdf", [[CONTENTS], ["The keeper lit the lamp at dusk every evening."]]))
    assert pdf.title is None and pdf.text.startswith(CONTENTS)
    assert chunking.title_of(pdf.text, chunking.paragraphs(pdf.text)) is None


def test_html_in_another_encoding(tmp_path):
    page = tmp_path / "old.htm"
    page.write_bytes('<html><head><meta charset="iso-8859-1"><title>Café</title></head><body><p>Crème brûlée is served after noon.</p></body></html>'.encode("latin-1"))
    html = extract(page)
    assert html.title == "Café" and html.text == "Crème brûlée is served after noon."


def test_docx_headings_lists_and_tables(tmp_path):
    docx = extract(write_docx(tmp_path / "museum.docx"))
    assert docx.format == "docx" and docx.title == "Museum Visitor Guide"
    blocks = docx.text.split("\n\n")
    assert blocks[:2] == ["# Museum Visitor Guide", "# Opening hours"]
    assert "- Guided tours leave from the entrance hall.\n- Photography without flash is allowed." in blocks
    # no sign that its first row is a heading: the rows as they are
    assert "| Ticket | Price |\n| Adult ticket | 12 euros |\n| Child ticket | 6 euros |" in blocks
    assert blocks[-1] == "Children under six years of age enter the salt museum for free."
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    with pytest.raises(DocumentError, match="password-protected or old-format"):
        extract(fake)
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentError, match=r"fake\.docx: not a readable \.docx file"):
        extract(fake)


def test_docx_heading_row_names_the_cells(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    rows = [("Day", "Mechanic on duty", "Hours"), ("Thursday", "David Lindqvist", ""), ("Saturday", "Erik Haugen", "9 to 13")]
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).paragraphs[0].add_run(text).bold = r == 0
    document.save(tmp_path / "rota.docx")
    assert extract(tmp_path / "rota.docx").text == (
        "| Day: Thursday | Mechanic on duty: David Lindqvist |\n"
        "| Day: Saturday | Mechanic on duty: Erik Haugen | Hours: 9 to 13 |"
    )


MARKDOWN = """---
title: Front matter is not text
---
# The Skerry Point Lighthouse

The lighthouse was built in **1872** by the engineer [Thomas Abernethy](https://example.org/ta),
after two fishing boats were lost. It cost `£14,500`.<!-- check this -->

![A photo of the tower](tower.jpg)

Keepers
-------

- Margaret *Lowrie*
  kept the light
- her son
  - for a year

    and a winter
3. third
4. fourth

| Year | Event |
| ---- | ----- |
| 1872 | built |

```
code stays
  as is
```

> A quoted
> paragraph.

<div>raw html</div>

Line one\\
line two after a hard break.
"""


def test_markdown_is_read_without_its_markup(tmp_path):
    (tmp_path / "light.md").write_text(MARKDOWN, encoding="utf-8")
    markdown = extract(tmp_path / "light.md")
    assert markdown.format == "markdown"
    assert markdown.text == (
        "# The Skerry Point Lighthouse\n\n"
        "The lighthouse was built in 1872 by the engineer Thomas Abernethy, after two fishing boats were lost. It cost £14,500.\n\n"
        "## Keepers\n\n"
        "- Margaret Lowrie kept the light\n- her son\n  - for a year\n    and a winter\n\n"
        "3. third\n4. fourth\n\n"
        "| Year: 1872 | Event: built |\n\n"
        "code stays  \n  as is\n\n"  # a code block's line breaks are hard breaks
        "A quoted paragraph.\n\n"
        "Line one  \nline two after a hard break.\n"
    )
    (tmp_path / "notes.txt").write_text(MARKDOWN, encoding="utf-8")
    assert extract(tmp_path / "notes.txt").text == MARKDOWN  # plain text is read as it is


def test_markdown_lines_written_as_a_list_stay_lines(tmp_path):
    (tmp_path / "contact.md").write_text(
        "Address: 4 Harbour Street, Portwell\nPhone: 01632 960 412\nEmail: desk@example.org\n\n"
        "A paragraph wrapped\nover lines of prose\nReads as one line.\n",
        encoding="utf-8",
    )
    text = extract(tmp_path / "contact.md").text
    assert text == (
        "Address: 4 Harbour Street, Portwell  \nPhone: 01632 960 412  \nEmail: desk@example.org\n\n"
        "A paragraph wrapped over lines of prose Reads as one line.\n"
    )
    fields = [text[s.start : s.end] for s in chunking.sentences(text)][:3]
    assert fields == ["Address: 4 Harbour Street, Portwell", "Phone: 01632 960 412", "Email: desk@example.org"]


def test_unsupported_files_name_the_supported_formats(tmp_path):
    data = tmp_path / "data.json"
    data.write_text('{"a": 1}')
    with pytest.raises(DocumentError, match=r"data\.json: unsupported format '\.json' \(supported: PDF \(\.pdf\), HTML"):
        read_document(data)
    plain = tmp_path / "README"
    plain.write_text("A file without a suffix is read as plain text.")
    assert read_document(plain).format == "text"


# ---------------------------------------------------------------------------- folders


def test_folders_give_supported_files_named_by_relative_path(tmp_path):
    folder = write_documents(tmp_path / "docs")
    found, failures, notices = find_files([folder])
    assert [f.name for f in found] == ["a/README.md", "b/README.md", "ferry.pdf", "lake.html", "museum.docx"]
    assert not failures and notices == [f"{folder}: ignored 1 files of other types (data.json)"]
    # the same file named twice is read once; two files given one by one with one name get distinct names
    found, _, _ = find_files([folder / "a" / "README.md", folder / "b" / "README.md", folder / "a" / "README.md"])
    assert [f.name for f in found] == ["a/README.md", "b/README.md"]
    found, failures, _ = find_files([tmp_path / "missing.txt"])
    assert not found and [str(f) for f in failures] == [f"{tmp_path / 'missing.txt'}: no such file or directory"]
    (tmp_path / "empty").mkdir()
    _, failures, _ = find_files([tmp_path / "empty"])
    assert "no supported files in this folder (supported: PDF" in str(failures[0])


# ---------------------------------------------------------------------------- indexed and asked


DOCS = ["a/README.md", "b/README.md", "ferry.pdf", "lake.html", "museum.docx"]
RAILWAY_PAGES = [
    [
        "The rack railway company gave its winter report to the town council on Monday.",
        "",
        "“The rack railway climbs twelve hundred metres from the valley station to the",
        "summit in thirty-five minutes. Each train carries two hundred passengers in",
        "two cars, and in the busiest weeks of the season a train leaves every half",
        "hour. The line was opened in the summer of 1893, and the steam engines ran",
        "on it until the line was electrified in 1964. Snow ploughs clear the track",
        "every night from December to March, and the first train of the day waits",
        "until the track has been checked by the engineers. When the wind at the",
        "summit is stronger than eighty kilometres an hour, the trains stop at the",
        "middle station and the passengers walk the last stretch with a guide.",
        "Skiers may take their skis on board without a ticket for them, but sledges",
        "must travel in the luggage car at the back of the train. The summit",
        "restaurant opens at nine o'clock and closes half an hour after the last",
        "train has left for the valley. The old steam engine stands in a shed at the",
        "valley station, and it is driven up the mountain on the first Sunday of June.",
        "The company repaired the bridge over the gorge last",
    ],
    [
        "autumn, and the work cost four million francs. Next year the company will",
        "build a new station at the foot of the glacier, and the trains will run",
        "there from the middle station in twelve minutes. The works will close the",
        "upper line for three weeks in May, when the snow has melted and before the",
        "summer visitors arrive. During those weeks a bus will carry passengers from",
        "the middle station to the summit restaurant, and the bus is included in the",
        "ticket. We expect more visitors than ever before in the coming summer",
        "season,” said Anna Berg, the director of the railway.",
        "",
        "The summit station has a post office that sells stamps and postcards of the glacier.",
    ],
]
"""Two pages: a quotation too long for one passage runs on from page 1 to page 2, where its
second part starts and its speaker is named; then the first paragraph that starts on page 2."""


@pytest.fixture(scope="module")
def formats_qa(tmp_path_factory):
    """The test folder indexed with the real model, and a QA over it."""
    from qa import QA, library

    root = tmp_path_factory.mktemp("formats")
    folder = write_documents(root / "docs")
    write_pdf(folder / "scan.pdf", [[]])
    write_sphinx_html(folder / "errors.html")
    write_pdf(folder / "contents.pdf", [[CONTENTS], ["The keeper lit the lamp at dusk every evening of the year."]])
    write_pdf(folder / "railway.pdf", RAILWAY_PAGES)
    change, failures = library.add_paths([folder], root / "index")
    assert sorted(change.added) == sorted([*DOCS, "contents.pdf", "errors.html", "railway.pdf"])
    assert [str(f) for f in failures] == [f"{folder / 'scan.pdf'}: no text layer (scanned?): run OCR first"]
    return QA(root / "index")


@pytest.mark.parametrize(
    ("question", "doc", "page", "words"),
    [
        ("How long does the crossing to the lighthouse island take in winter?", "ferry.pdf", 2, "forty minutes"),
        ("How much do adult tickets for the ferry cost?", "ferry.pdf", 1, "four euros"),
        ("When is the honey harvested?", "b/README.md", None, "July"),
        ("When is the apple orchard picked?", "a/README.md", None, "September"),
        ("Do bicycles pay on the lake ferry in winter?", "lake.html", None, "bicycles travel free"),
        ("Who enters the salt museum for free?", "museum.docx", None, "Children under six"),
    ],
)
def test_answers_cite_the_right_document_and_page(formats_qa, question, doc, page, words):
    answer = formats_qa.ask(question)
    assert answer.answerable, answer
    citation = answer.citations[0]
    assert citation.doc == doc and citation.page == page and words in citation.quote
    assert formats_qa.index.text(citation.doc)[citation.start : citation.end] == citation.quote
    for passage in answer.passages:
        assert formats_qa.index.text(passage.doc)[passage.start : passage.end] == passage.text
    assert answer.to_dict()["citations"][0]["page"] == page


def test_a_one_line_command_in_markdown_is_text_not_a_heading(formats_qa):
    answer = formats_qa.ask("How do I order a jar of honey?")
    assert answer.answerable and "order-honey --jars 2" in answer.answer, answer.answer


def test_a_code_sample_keeps_its_lines_in_the_terminal(formats_qa):
    from qa.present.render import answer_lines

    answer = formats_qa.ask("What does Python print for while True print('Hello world')?")
    assert answer.answerable and answer.citations[0].doc == "errors.html", answer
    lines = [str(line) for line in answer_lines(answer, 100)]
    assert lines[:5] == [*SPHINX_SESSION[:4], SPHINX_SESSION[4] + " [1]"]  # the answer quotes the session line by line
    cited = lines.index('[1] errors.html, paragraph 3, under "8.1. Syntax Errors"')  # under the two headings, its third paragraph
    assert lines[cited + 1 : cited + 6] == ["    " + line for line in SPHINX_SESSION]


def test_paragraphs_are_numbered_as_a_reader_counts_them(formats_qa):
    index = formats_qa.index
    # from 1, headings (a page's, a title) not counted; a PDF's on each page, its ids unique in it
    tutorial = [p for p in index.passages if p.doc == "errors.html"]
    assert [p.paragraph for p in tutorial] == [1, 2, 3, 4, 5] and tutorial[0].text.startswith("Until now")
    ferry = [(p.id, p.page, p.paragraph) for p in index.passages if p.doc == "ferry.pdf"]
    assert ferry == [("p1", 1, 1), ("p2", 1, 2), ("p3", 2, 1)]
    assert index.document("contents.pdf").title is None  # its table of contents is no title


def test_a_pdf_paragraph_is_cited_by_its_page_and_its_number_there(formats_qa):
    from qa.present.render import answer_lines

    index = formats_qa.index
    railway = [p for p in index.passages if p.doc == "railway.pdf"]
    # the long quotation is paragraph 2 of page 1, its second part too, though that starts on page 2
    where = [(p.id, p.page, p.paragraph) for p in railway]
    assert where == [("p1", 1, 1), ("p2.1", 1, 2), ("p2.2", 1, 2), ("p3", 2, 1)]
    assert index.page_at("railway.pdf", railway[2].start) == 2
    answer = formats_qa.ask("What does the post office at the summit station sell?")
    assert answer.answerable and answer.citations[0].passage == "p3", answer
    assert "[1] railway.pdf, page 2, paragraph 1" in [str(line) for line in answer_lines(answer, 100)]
    shown = answer.to_dict()  # what qa ask --json prints
    assert shown["citations"][0]["page"] == 2
    passage = shown["passages"][0]
    assert (passage["id"], passage["page"], passage["paragraph"]) == ("p3", 2, 1)
    # a sentence of the first part is attributed to the speaker named at the end of the second
    answer = formats_qa.ask("How long does the rack railway take to climb to the summit?")
    citation = answer.citations[0]
    assert citation.passage == "p2.1" and citation.speaker == "Anna Berg", answer
    assert answer.answer.startswith("Anna Berg said: “The rack railway climbs twelve hundred metres")
    assert "[1] railway.pdf, page 1, paragraph 2" in [str(line) for line in answer_lines(answer, 100)]


def test_no_markup_or_furniture_in_any_passage(formats_qa):
    index = formats_qa.index
    assert {p.doc for p in index.passages} == {*DOCS, "contents.pdf", "errors.html", "railway.pdf"}
    for passage in index.passages:
        assert index.text(passage.doc)[passage.start : passage.end] == passage.text
        for furniture in ("Harbour Ferry Report", "cookies", "tracking", "Copyright", "Home", "**", "](", "https", "¶"):
            assert furniture not in passage.text, (passage.doc, passage.text)
        assert "<" not in passage.text or passage.doc == "errors.html"  # its session's "<stdin>" is text
        assert (passage.page is not None) == passage.doc.endswith(".pdf")
    ferry = [p for p in index.passages if p.doc == "ferry.pdf"]
    assert [p.page for p in ferry] == [1, 1, 2]  # the run-on paragraph is on the page it starts on
    entry = index.document("ferry.pdf")
    assert entry.format == "pdf" and entry.title == "Harbour Ferry Report" and entry.pages == [0, FERRY_PAGE_2]
    assert index.document("lake.html").title == "Lake Ferry Timetable"
    assert index.document("museum.docx").title == "Museum Visitor Guide"


FERRY_PAGE_2 = len(
    "The ferry leaves the north pier at half past eight every morning and returns by noon. The harbour terminal opens "
    "an hour before the first departure.\n\nTickets are sold on board and cost four euros for adults. The crossing is "
    "free for children under "
)
