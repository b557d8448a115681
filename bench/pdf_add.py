"""How long `qa index add` takes for a 50-page PDF: extraction alone, then the whole add.

The PDF is generated (tests/fixtures.py writes it by hand): the bundled article's paragraphs,
their sentences shuffled for every copy, wrapped at 85 characters, 44 lines a page, with a
running header and a page number on every page, so extraction does its full work. The add
(extract, chunk, embed with the bundled model, write) runs in this process into a fresh index,
model loading included, as a first `qa index add` of the file does.

    python -m bench.pdf_add [--pages 50]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LINES_PER_PAGE = 44
HEADER = "Belarus and Azerbaijan: a benchmark report"


def pages(count: int) -> list[list[str]]:
    """``count`` pages of text lines: paragraphs wrapped, a blank line between them, each page
    headed by HEADER and ended by its number."""
    from qa.ingest import chunking

    text = (ROOT / "qa" / "data" / "belarus-azerbaijan-talks.txt").read_text(encoding="utf-8")
    paragraphs = [text[s.start : s.end] for s in chunking.paragraphs(text) if len(text[s.start : s.end]) > 120]
    rng = random.Random(0)
    lines: list[str] = []
    while len(lines) < count * LINES_PER_PAGE:
        for paragraph in paragraphs:
            sentences = [paragraph[s.start : s.end] for s in chunking.sentences(paragraph)]
            rng.shuffle(sentences)
            lines += textwrap.wrap(" ".join(" ".join(sentences).split()), 85) + [""]
    return [
        [HEADER, "", *lines[number * LINES_PER_PAGE : (number + 1) * LINES_PER_PAGE], str(number + 1)]
        for number in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()

    from qa import library
    from qa.ingest import formats
    from qa.store import index
    from tests.fixtures import write_pdf

    with tempfile.TemporaryDirectory(prefix="qa-bench-pdf-") as scratch:
        pdf = write_pdf(Path(scratch) / "report.pdf", pages(args.pages))
        started = time.perf_counter()
        extracted = formats.extract(pdf, pdf.read_bytes())
        extraction = time.perf_counter() - started
        started = time.perf_counter()
        change, failures = library.add_paths([pdf], Path(scratch) / "index")
        seconds = time.perf_counter() - started
        assert change.added == ["report.pdf"] and not failures, failures
        built = index.load(Path(scratch) / "index")
        assert HEADER not in built.texts["report.pdf"]
        result = {
            "pages": args.pages,
            "pdf_bytes": pdf.stat().st_size,
            "chars": len(extracted.text),
            "extraction_s": round(extraction, 2),
            "passages": len(built.passages),
            "sentences": len(built.sentences),
            "add_s": round(seconds, 1),
            "passages_per_s": round(len(built.passages) / seconds, 1),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
