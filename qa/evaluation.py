"""Retrieval accuracy on question files: hit@1, hit@3, MRR, answers and abstention.

Two kinds of file are read:

* JSON Lines as in docs/question-file.md, asked of the current index. A question is one line;
  a conversation is a line with ``turns``, asked in order in one conversation.
* SQuAD v1.1 / v2.0 JSON. Each article is indexed on its own in a temporary directory (its
  paragraphs joined by blank lines); a question's gold is its own paragraph. Unanswerable v2.0
  questions count under abstention only.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError
from .read.answering import READ_PASSAGES, Answer, PassageHit

if TYPE_CHECKING:
    from .engine import QA

# Questions are asked as `qa ask` asks them: the reader reads the same READ_PASSAGES passages,
# so the answer is the one a user gets; all of them are listed, for hit@3 and MRR.
RANKED = READ_PASSAGES


@dataclass
class Question:
    question: str
    gold: list[str] | None  # substrings marking a supporting passage; None: not answerable
    answer: list[str] | None = None
    span: tuple[str, int, int] | None = None  # or: the supporting span (document, start, end)
    rewrite: str | None = None  # a conversation turn written to stand alone, asked apart as a check

    def supported_by(self, passage: PassageHit) -> bool:
        if self.span is not None:
            doc, start, end = self.span
            return passage.doc == doc and passage.start < end and start < passage.end
        return any(gold in passage.text for gold in self.gold or ())


@dataclass
class Tally:
    """Counts for a group of answerable questions."""

    questions: int = 0
    hit1: int = 0
    hit3: int = 0
    reciprocal: float = 0.0
    with_answer: int = 0
    contains: int = 0

    def add(self, item: Question, answer: Answer) -> int | None:
        """Count ``answer`` to ``item``; returns the rank of the first supporting passage."""
        rank = next((i for i, p in enumerate(answer.passages, 1) if item.supported_by(p)), None)
        self.questions += 1
        self.hit1 += rank == 1
        self.hit3 += rank is not None and rank <= 3
        self.reciprocal += 1 / rank if rank else 0.0
        if item.answer:
            self.with_answer += 1
            self.contains += answer.answerable and any(a.lower() in answer.answer.lower() for a in item.answer)
        return rank

    def report(self) -> dict:
        n = max(self.questions, 1)
        out = {
            "questions": self.questions,
            "hit@1": round(self.hit1 / n, 3),
            "hit@3": round(self.hit3 / n, 3),
            "mrr": round(self.reciprocal / n, 3),
        }
        if self.with_answer:
            out["answer_contains"] = round(self.contains / self.with_answer, 3)
        return out


@dataclass
class Evaluation:
    """Everything counted over one question file."""

    single: Tally = field(default_factory=Tally)
    turns: Tally = field(default_factory=Tally)
    rewrites: Tally = field(default_factory=Tally)  # the turns' standalone rewrites, each asked alone
    unanswerable: int = 0
    refused: int = 0  # unanswerable questions refused
    wrongly_refused: int = 0  # answerable questions refused
    misses: list[dict] = field(default_factory=list)

    def count(self, item: Question, answer: Answer, tally: Tally) -> None:
        if item.gold is None and item.span is None:
            self.unanswerable += 1
            self.refused += not answer.answerable
            if answer.answerable:
                self.misses.append({"question": item.question, "gold": None, "answered": answer.answer})
            return
        self.wrongly_refused += not answer.answerable
        rank = tally.add(item, answer)
        if rank != 1:
            self.misses.append(
                {
                    "question": item.question,
                    "gold": item.gold if item.span is None else [f"{item.span[0]}:{item.span[1]}-{item.span[2]}"],
                    "retrieved": [p.id for p in answer.passages[:3]],
                    "rank": rank,
                }
            )

    def report(self) -> dict:
        refusals = self.refused + self.wrongly_refused
        report = self.single.report()
        report.setdefault("answer_contains", None)
        report["abstention"] = {
            "unanswerable": self.unanswerable,
            "refused": self.refused,
            "wrongly_refused": self.wrongly_refused,
            "precision": round(self.refused / refusals, 3) if refusals else None,
            "recall": round(self.refused / self.unanswerable, 3) if self.unanswerable else None,
        }
        if self.turns.questions:
            report["turns"] = self.turns.report()
        if self.rewrites.questions:
            report["rewrites"] = self.rewrites.report()
        report["misses"] = self.misses
        return report


# ---------------------------------------------------------------------------- question files


def read_question_file(path: Path) -> list[Question | list[Question]]:
    """The questions of a JSON Lines question file (docs/question-file.md): a Question, or a list
    of them (a conversation)."""
    items: list[Question | list[Question]] = []
    for number, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if "turns" in record:
                items.append([_question(turn) for turn in record["turns"]])
            else:
                items.append(_question(record))
        except (ValueError, KeyError, TypeError) as error:
            raise UsageError(f"{path}, line {number}: not a question record ({error})") from None
    if not items:
        raise UsageError(f"{path}: no questions in it")
    return items


def _question(record: dict) -> Question:
    gold = record["gold"]
    if gold is not None and (not isinstance(gold, list) or not all(isinstance(g, str) for g in gold)):
        raise TypeError("gold must be a list of strings or null")
    rewrite = record.get("rewrite")
    if rewrite is not None and not isinstance(rewrite, str):
        raise TypeError("rewrite must be a string")
    return Question(str(record["question"]), gold, record.get("answer"), rewrite=rewrite)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read it ({error})") from None


def is_squad(path: Path) -> bool:
    """True for a SQuAD JSON file (one JSON object with ``data``), false for JSON Lines."""
    try:
        whole = json.loads(_read_text(path))
    except ValueError:
        return False
    return isinstance(whole, dict) and isinstance(whole.get("data"), list)


# ---------------------------------------------------------------------------- running


def evaluate(qa: QA, items: Iterable[Question | list[Question]], advance: Callable[[], None] | None = None) -> Evaluation:
    """Ask every question of ``items`` of ``qa`` (a QA) and count the results."""
    result = Evaluation()
    for item in items:
        if isinstance(item, list):
            conversation = qa.conversation()
            for turn in item:
                result.count(turn, conversation.ask(turn.question, RANKED), result.turns)
            for turn in item:
                if turn.rewrite is not None and turn.gold is not None:
                    result.rewrites.add(turn, qa.ask(turn.rewrite, RANKED))
        else:
            result.count(item, qa.ask(item.question, RANKED), result.single)
        if advance:
            advance()
    return result


def evaluate_squad(path: Path, advance: Callable[[], None] | None = None, total: Callable[[int], None] | None = None) -> Evaluation:
    """Evaluate a SQuAD file, each article in an index of its own."""
    from . import library
    from .engine import QA

    try:
        articles = json.loads(_read_text(path))["data"]
    except (ValueError, KeyError, TypeError) as error:
        raise UsageError(f"{path}: not a SQuAD file ({error})") from None
    if total:
        total(sum(len(p["qas"]) for a in articles for p in a["paragraphs"]))
    result = Evaluation()
    with tempfile.TemporaryDirectory(prefix="qa-squad-") as scratch:
        for number, article in enumerate(articles):
            folder = Path(scratch) / f"article-{number}"
            source = folder / "docs" / f"{number:03d}-{_slug(article.get('title', 'article'))}.txt"
            source.parent.mkdir(parents=True)
            questions = squad_questions(article, source)
            library.add_paths([source], folder / "index")
            qa = QA(folder / "index")
            for item in questions:
                result.count(item, qa.ask(item.question, RANKED), result.single)
                if advance:
                    advance()
    return result


def squad_questions(article: dict, source: Path) -> list[Question]:
    """Write a SQuAD article's paragraphs to ``source`` (a blank line between two) and return its
    questions, each answerable one supported by its paragraph's span of that file."""
    contexts = [p["context"].strip() for p in article["paragraphs"]]
    source.write_text("\n\n".join(contexts), encoding="utf-8")
    questions, offset = [], 0
    for paragraph, context in zip(article["paragraphs"], contexts):
        span = (source.name, offset, offset + len(context))
        offset += len(context) + 2
        for record in paragraph["qas"]:
            impossible = record.get("is_impossible", False) or not record.get("answers")
            answers = [a["text"] for a in record.get("answers", [])]
            questions.append(Question(record["question"], None if impossible else [], answers or None, None if impossible else span))
    return questions


def _slug(title: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in title).strip("-")[:40] or "article"
