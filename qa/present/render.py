"""Answers for people reading a terminal or a pipe: the answer, then its numbered citations."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..ingest.chunking import flowed
from ..read.answering import Answer, named_after
from .places import place, where

INDENT = "    "
UNSURE = "(not sure: this is the closest the text comes to an answer)"


def answer_lines(answer: Answer, width: int) -> list[Text]:
    """The answer, the passage of each citation with its quote highlighted, and for a refusal
    the nearest passages; wrapped to ``width`` columns (not at the source's own line wraps),
    with no trailing spaces."""
    headline = Text(answer.answer, style="bold" if answer.answerable else "italic")
    first = answer.citations[0] if answer.citations else None
    if first and first.span and first.span["text"].strip():
        # the short answer as the answer shows it: cut from the flowed quote, whose line
        # structure (a code block's) depends on the whole quote, not on the span alone
        shown = flowed(first.quote)[first.span["start"] - first.start : first.span["end"] - first.start].strip()
        shown += named_after(first.span)  # "He [Aleksandr Lukashenko]"
        found = answer.answer.find(shown)
        if found >= 0:
            headline.stylize("underline", found, found + len(shown))
    lines: list[Text] = [*_wrap(headline, width, "")]
    if answer.unsure:
        lines += _wrap(Text(UNSURE, style="yellow"), width, "")
    if answer.note:
        lines += _wrap(Text(f"note: {answer.note}", style="yellow"), width, "")
    if answer.query != answer.question:
        lines += _wrap(Text(f"searched: {answer.query}", style="dim"), width, "")
    by_id = {(p.doc, p.id): p for p in answer.passages}
    for citation in answer.citations:
        passage = by_id.get((citation.doc, citation.passage))
        lines.append(Text(""))
        lines.append(Text(f"[{citation.n}] {citation.doc}, {place(citation, passage)}", style="cyan"))
        body = Text(flowed(passage.text if passage else citation.quote))
        if passage:
            body.stylize("bold yellow", citation.start - passage.start, citation.end - passage.start)
            if citation.span:
                body.stylize("underline", citation.span["start"] - passage.start, citation.span["end"] - passage.start)
        lines += _wrap(body, width, INDENT)
    if not answer.answerable and answer.passages:
        lines += [Text(""), Text("Nearest passages:", style="dim")]
        for passage in answer.passages:
            lines.append(Text(f"  {passage.doc}, {where(passage)} (score {passage.score:.2f})", style="cyan"))
            lines += _wrap(Text(flowed(passage.text), style="dim"), width, INDENT)
    return lines


def _wrap(text: Text, width: int, indent: str) -> list[Text]:
    wrapped = text.wrap(Console(width=max(width - len(indent), 20)), max(width - len(indent), 20))
    out = []
    for line in wrapped:
        line.rstrip()
        out.append(Text(indent) + line)
    return out


def print_answer(answer: Answer, console: Console) -> None:
    for line in answer_lines(answer, console.width):
        console.print(line, soft_wrap=True)


def print_report(report: dict, console: Console, misses: bool = False) -> None:
    """An evaluation report (``qa eval``) as a table, and optionally every miss."""
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    table.add_column("questions")
    for column in ("n", "hit@1", "hit@3", "MRR", "answer contains"):
        table.add_column(column, justify="right")

    def cell(value: object) -> str:
        return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    table.add_row("single", *(cell(report.get(k)) for k in ("questions", "hit@1", "hit@3", "mrr", "answer_contains")))
    turns = report.get("turns")
    if turns:
        table.add_row("conversation turns", *(cell(turns.get(k)) for k in ("questions", "hit@1", "hit@3", "mrr", "answer_contains")))
    rewrites = report.get("rewrites")
    if rewrites:
        table.add_row("turns' rewrites, alone", *(cell(rewrites.get(k)) for k in ("questions", "hit@1", "hit@3", "mrr", "answer_contains")))
    console.print(table)
    a = report["abstention"]
    if a["unanswerable"] or a["wrongly_refused"]:
        console.print(
            f"abstention: {a['refused']} of {a['unanswerable']} unanswerable refused "
            f"(recall {cell(a['recall'])}), {a['wrongly_refused']} answerable refused (precision {cell(a['precision'])})",
            soft_wrap=True,
        )
    if misses:
        for miss in report["misses"]:
            retrieved = ", ".join(miss.get("retrieved", [])) or "-"
            what = "answered, but unanswerable" if miss.get("gold") is None else f"rank {miss.get('rank') or '>10'}, retrieved {retrieved}"
            console.print(f"  miss: {miss['question']}  [dim]({what})[/dim]", soft_wrap=True)
    elif report["misses"]:
        console.print(f"{len(report['misses'])} misses; --misses lists them")
