"""Documents of every supported format, written at test time (and by bench/pdf_add.py and
bench/indexing.py).

The PDF writer is a minimal one by hand: a catalog, a page tree, Helvetica, and one content
stream a page with a text line per ``Tj``. That is what a word processor's "save as PDF"
produces for plain text, without any PDF library.
"""

from __future__ import annotations

from pathlib import Path

LEADING = 14  # points between lines
GAP = 10  # extra points between paragraphs


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[list[str]], title: str | None = None, encrypted: bool = False) -> bytes:
    """A PDF of ``pages``, each a list of lines; an empty line leaves a paragraph gap.

    A page with no lines at all gets a filled rectangle instead, like a scan with no text
    layer. ``encrypted`` adds a standard security handler whose user password is not empty.
    """
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    first_page = 4
    for number, lines in enumerate(pages):
        page_id = first_page + 2 * number
        page_ids.append(page_id)
        if lines:
            ops = ["BT", "/F1 11 Tf", f"{LEADING} TL", "72 760 Td"]
            for line in lines:
                if line:
                    ops.append(f"({_escape(line)}) Tj T*")
                else:
                    ops.append(f"0 -{GAP} Td")
            ops.append("ET")
        else:
            ops = ["0.3 g", "72 300 450 400 re f"]
        stream = "\n".join(ops).encode("cp1252", errors="replace")  # WinAnsiEncoding
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {page_id + 1} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    objects = head + objects
    trailer_extra = ""
    if title is not None:
        objects.append(f"<< /Title ({_escape(title)}) >>".encode("latin-1"))
        trailer_extra += f" /Info {len(objects)} 0 R"
    if encrypted:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> >>"
        )
        trailer_extra += f" /Encrypt {len(objects)} 0 R /ID [<{'01' * 16}> <{'01' * 16}>]"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[list[str]], title: str | None = None, encrypted: bool = False) -> Path:
    path.write_bytes(pdf_bytes(pages, title, encrypted))
    return path


HTML_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Lake Ferry Timetable</title>
<style>body { font-family: sans-serif; } .promo { color: red; }</style>
<script>var tracking = "trackingCodeInScript"; function menuToggle() { return 1; }</script>
</head><body>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/routes">Routes and navigation menu</a></li></ul></nav>
<main>
<h1>Lake Ferry Timetable</h1>
<p>The lake ferry sails from Hallstatt to Obertraun <b>seven times</b> a day in summer.</p>
<h2>Winter service</h2>
<p>In winter the lake ferry runs only at weekends, and bicycles travel free of charge.</p>
<ul><li>Dogs travel on a lead.</li><li>Prams are carried free.</li></ul>
<table><tr><th>Route</th><th>Departs</th></tr><tr><td>Hallstatt to Obertraun</td><td>09:15</td></tr></table>
</main>
<footer>Copyright footer text, all rights reserved.</footer>
</body></html>
"""


def write_html(path: Path) -> Path:
    path.write_text(HTML_PAGE, encoding="utf-8")
    return path


SPHINX_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>8. Errors and Exceptions &#8212; Python Tutorial</title></head><body>
<div class="related" role="navigation"><ul><li><a href="index.html">Python Tutorial</a> &#187;</li></ul></div>
<div class="body" role="main">
<section id="errors-and-exceptions">
<h1><span class="section-number">8. </span>Errors and Exceptions<a class="headerlink" href="#errors-and-exceptions" title="Link to this heading">\u00b6</a></h1>
<p>Until now error messages haven't been more than mentioned. There are at least two kinds of errors: syntax errors and exceptions.</p>
<section id="syntax-errors">
<h2><span class="section-number">8.1. </span>Syntax Errors<a class="headerlink" href="#syntax-errors" title="Link to this heading">\u00b6</a></h2>
<p>Syntax errors, also known as parsing errors, are perhaps the most common kind of complaint you get while you are still learning Python.</p>
<div class="highlight-python3 notranslate"><div class="highlight"><pre><span></span><span class="gp">&gt;&gt;&gt; </span><span class="k">while</span> <span class="kc">True</span> <span class="nb">print</span><span class="p">(</span><span class="s1">'Hello world'</span><span class="p">)</span>
<span class="w">  </span>File <span class="s2">"&lt;stdin&gt;"</span>, line 1
<span class="w">    </span><span class="k">while</span> <span class="kc">True</span> <span class="nb">print</span><span class="p">(</span><span class="s1">'Hello world'</span><span class="p">)</span>
<span class="w">                   </span><span class="pm">^</span>
<span class="gr">SyntaxError</span>: invalid syntax
</pre></div></div>
<p>The parser repeats the offending line and shows a little arrow pointing at the earliest point in the line where the error was detected.</p>
<h3 id="exceptions">Exceptions<a class="anchor" href="#exceptions">#</a></h3>
<p>Even if a statement is syntactically correct, it may cause an error when an attempt is made to execute it.</p>
</section></section></div>
</body></html>
"""
"""A page of the Python tutorial as Sphinx writes it: permalink pilcrows after the headings, a
highlighted interactive session in a <pre>, a "#" permalink as other site generators write one."""


def write_sphinx_html(path: Path) -> Path:
    path.write_text(SPHINX_PAGE, encoding="utf-8")
    return path


def write_docx_paragraphs(path: Path, paragraphs: list[str]) -> Path:
    """A Word file of plain paragraphs (as bench/indexing.py compares the formats on equal text)."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(path)
    return path


def write_docx(path: Path) -> Path:
    """A Word file with a title, a heading, paragraphs, a list and a table."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Museum Visitor Guide"
    document.add_heading("Museum Visitor Guide", level=0)
    document.add_heading("Opening hours", level=1)
    document.add_paragraph("The salt museum opens at ten in the morning and closes at five in the afternoon.")
    document.add_paragraph("Guided tours leave from the entrance hall.", style="List Bullet")
    document.add_paragraph("Photography without flash is allowed.", style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for row, (ticket, price) in enumerate([("Ticket", "Price"), ("Adult ticket", "12 euros"), ("Child ticket", "6 euros")]):
        table.cell(row, 0).text = ticket
        table.cell(row, 1).text = price
    document.add_paragraph("Children under six years of age enter the salt museum for free.")
    document.save(path)
    return path


FERRY_PAGES = [
    [
        "Harbour Ferry Report",
        "",
        "The ferry leaves the north pier at half past eight every morning and",
        "returns by noon. The harbour termi-",
        "nal opens an hour before the first departure.",
        "",
        "Tickets are sold on board and cost four euros for adults. The",
        "crossing is free for children under",
        "1",
    ],
    [
        "Harbour Ferry Report",
        "",
        "twelve years of age when they travel with a parent.",
        "",
        "In winter the ferry runs only on weekdays, and the crossing to the",
        "lighthouse island takes forty minutes because of the ice.",
        "2",
    ],
]
"""Two pages, each with a running header and a page number; a hyphenated line end; a sentence
that runs on from page 1 to page 2."""


def write_documents(folder: Path) -> Path:
    """The test folder: one document of each format, a scan, duplicate names, hidden and
    unsupported files."""
    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(folder / "ferry.pdf", FERRY_PAGES, title="Harbour Ferry Report")
    write_html(folder / "lake.html")
    write_docx(folder / "museum.docx")
    orchard = "The **apple orchard** is picked in [September](https://example.org/calendar) by the whole village. <!-- draft -->"
    honey = (
        "The bee hives give their honey in July, after the lime trees flower.\n\n"
        "To order a jar of honey, run this command:\n\n```\norder-honey --jars 2\n```"
    )
    for sub, text in (("a", orchard), ("b", honey)):
        (folder / sub).mkdir(exist_ok=True)
        (folder / sub / "README.md").write_text(text + "\n", encoding="utf-8")
    (folder / ".hidden").mkdir(exist_ok=True)
    (folder / ".hidden" / "secret.txt").write_text("Hidden notes must never be indexed.\n", encoding="utf-8")
    (folder / "data.json").write_text('{"ferry": "not a document"}', encoding="utf-8")
    return folder
