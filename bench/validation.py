"""The validation sets: what models, thresholds and weights are chosen on (never the tests).

    python -m bench.validation [--reader DIR] [--only qed,selqa,squad,halves,coqa,canard,chats,roles] [--cache DIR] [--dump FILE] [--learned]

Seven held-out public sets from the training folder (``../shared/train``) and made-up exchanges, each asked as qa asks:

- **QED dev** (real search queries, Natural Questions): each question asked against its own
  paragraph (indexed as a document of its own). Answerable: the quoted answer contains one of
  the short answers; refused. Non-answering paragraphs (150): refused.
- **SelQA test, reworded half** (789 questions worded away from their Wikipedia section): each
  asked against its section; a hit when the first quoted sentence is an answering sentence.
- **SQuAD 2.0 dev articles 26-30** (half written to look answerable and not): asked against the
  five articles together; passage hit@1, quote contains the answer, refusals both ways.
- **SQuAD 2.0 dev articles 26-30 by halves** (``halves``): each article as two documents, its
  even and its odd paragraphs, and each answerable question asked of the half that its
  paragraph is not in, where none of its answers is written: questions on the text's topic that
  it does not answer ("What is the population of Belarus?" of a story of talks in Minsk), which
  SQuAD's own unanswerable questions, written to look answerable, are not. To be refused.
- **Abg-CoQA, the held-out fifth of the training stories**: each conversation asked in turn
  against its story; a hit when the target turn's first citation overlaps the rationale.
- **CANARD dev as conversations over long texts** (``canard``): QuAC's answers are spans of a
  Wikipedia section, so each dialogue's answers, in order, three to a paragraph, under a
  heading naming its article and section, stand in for its text, and ten dialogues make one
  document (about 30 passages on ten topics). Each dialogue is asked in turn against its
  document, the first question as rewritten (it names the topic), then the follow-ups as
  asked; a hit when the first passage is the one holding the turn's answer. Each follow-up's standalone rewrite is
  also asked alone: the gap between the two is what reading the conversation loses.
- **Own validation conversations** (``chats``, ``bench/data/conversations-validation.jsonl``): 35
  conversations (133 turns) written by reading the texts, without running qa, over two SQuAD 2.0
  dev articles (26-30: Scottish Parliament, IPCC) and six stories of the held-out Abg-CoQA fifth,
  all in one index; pronouns and ellipses reaching back turns, "Who said that?", exchanges both
  ways. Turn hit@1 / hit@3 and answers right as the conversations ask them, and hit@1 of the
  turns' standalone rewrites asked alone. Unlike the own conversation set in ``tests/data`` (a
  test), this one is for choosing.
- **Made-up exchanges** (``roles``): 400 questions on short made-up texts in which two parties
  give, sell, lend or send each other things both ways (``training/role_examples.py``, a seed
  that no training run draws), asked from either side ("What did Santos get from Okafor?", "Who
  sold the van?"): the short answer is the side asked about, not the other one a sentence away.
  Some are asked of another text, with other people, and are to be refused.

``--reader`` evaluates another exported reader; ``--cache`` keeps the indexes between runs;
``--dump`` writes one JSON line per question with the abstention signals of its best passage, and
with ``--answer-all`` qa never abstains, so that every question's best answer is judged: what
``training/calibrate_reader.py --abstention DUMP`` fits the answer-or-abstain decision on (of the
Abg-CoQA conversations, only the target turn is never refused, and its line says whether qa read
it as a follow-up: those set the follow-up threshold).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from training.train_reader import COQA, HELD_OUT_SQUAD20, SQUAD20, coqa_held_out, selqa_texts

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "train"
SETS = ("qed", "selqa", "squad", "halves", "coqa", "canard", "chats", "roles")
ROLES_SEED = 2026  # the made-up exchanges asked (training draws its own from --seed and --seed + 1)
CHATS = ROOT / "bench" / "data" / "conversations-validation.jsonl"
# the texts the validation conversations are about: SQuAD 2.0 dev articles by title, and
# stories of the held-out Abg-CoQA fifth by the start of their sha1
CHAT_ARTICLES = ("Scottish_Parliament", "Intergovernmental_Panel_on_Climate_Change")
CHAT_STORIES = ("e942c587bd7c", "f04c2713ef17", "c92b31cd4f18", "1a34130e3962", "704c1ac7a3d2", "37d0db3c273d")
ANSWER_ALL = False  # --answer-all: qa never abstains (for fitting the decision)
LEARNED = False  # --learned: the conversations' follow-ups are read by the learned resolver
SIGNALS: list = []  # the abstention signals of the last question's best passage
FOLLOWUP: list = []  # whether the last question was read as a follow-up (with the follow-up threshold)


def fresh() -> None:
    """Forget the last question's signals: a turn answered without the reader ("Who said that?")
    leaves none, and is not to be dumped with an earlier turn's."""
    SIGNALS.clear()
    FOLLOWUP.clear()


def opened(index: Path):
    """A QA over ``index`` that records the signals of each answer (and never abstains with
    ``--answer-all``)."""
    from qa import QA

    qa = QA(index, build=True)  # rebuilt when an older qa made it
    read = qa.answerer.read

    def recording(question, ranking, count, context=None, *args, **kwargs):
        evidence = read(question, ranking, count, context, *args, **kwargs)
        SIGNALS[:] = [] if evidence is None else evidence.signals.tolist()
        FOLLOWUP[:] = [context is not None]
        return evidence

    qa.answerer.read = recording
    if ANSWER_ALL:
        qa.answerer.abstention.threshold = qa.answerer.abstention.followup_threshold = 0.0
    return qa


def build(folder: Path, documents: dict[str, str]) -> Path:
    """An index of ``documents`` (name -> text) in ``folder``, reused when already built."""
    from qa import library

    index = folder / "index"
    if (folder / "built").exists():
        return index
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        (docs / name).write_text(text, encoding="utf-8")
    library.add_paths([docs], index)
    (folder / "built").touch()
    return index


def name_of(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12] + ".txt"


def indexed(qa, records: list[dict], text_of) -> tuple[list[dict], int]:
    """The records whose text the index holds (a text without a passage is not indexed), and how
    many are left out."""
    names = {d.name for d in qa.index.documents}
    kept = [r for r in records if name_of(text_of(r)) in names]
    return kept, len(records) - len(kept)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s+([,.;:!?)])", r"\1", text)).strip().lower()


def qed(folder: Path, dump) -> dict:
    records = [json.loads(line) for line in (TRAIN / "qed" / "qed-dev.jsonlines").open(encoding="utf-8")]
    qa = opened(build(folder, {name_of(r["paragraph_text"]): r["paragraph_text"] for r in records}))
    records, skipped = indexed(qa, records, lambda r: r["paragraph_text"])  # "Coordinates : 90 ° N" has no passage
    contains = refused = unanswerable = unanswerable_refused = 0
    for r in records:
        answer = qa.ask(r["question_text"], doc=name_of(r["paragraph_text"]))
        answers = [a["string"] for group in r["original_nq_answers"] for a in group]
        answerable = r["annotation"]["explanation_type"] != "none" and bool(answers)
        quote = normalized(" ".join(c.quote for c in answer.citations))
        hit = any(normalized(a) in quote for a in answers)
        if answerable:
            contains += hit
            refused += not answer.answerable
        else:
            unanswerable += 1
            unanswerable_refused += not answer.answerable
        dump("qed", r["question_text"], answerable, answer, hit)
    answerable_n = len(records) - unanswerable
    return {
        "questions": len(records),
        "skipped": skipped,
        "contains": round(contains / answerable_n, 3),
        "answerable refused": round(refused / answerable_n, 3),
        "unanswerable refused": f"{unanswerable_refused} of {unanswerable}",
    }


def selqa(folder: Path, dump) -> dict:
    records = [r for r in json.loads((TRAIN / "selqa" / "selqa-ass-test.json").read_text(encoding="utf-8")) if r["is_paraphrase"]]
    sections = {id(r): selqa_texts(r) for r in records}  # the text and its sentences' spans
    texts = {key: text for key, (text, _) in sections.items()}
    qa = opened(build(folder, {name_of(t): t for t in texts.values()}))
    records, skipped = indexed(qa, records, lambda r: texts[id(r)])
    hits = refused = 0
    for r in records:
        text, spans = sections[id(r)]
        answer = qa.ask(r["question"], doc=name_of(text))
        refused += not answer.answerable
        first = answer.citations[0] if answer.citations else None
        # the quote is an answering sentence when most of it lies in one
        hit = first is not None and any(
            min(first.end, spans[k][1]) - max(first.start, spans[k][0]) >= 0.5 * (first.end - first.start) for k in r["answers"]
        )
        hits += hit
        dump("selqa", r["question"], True, answer, hit)
    return {
        "questions": len(records),
        "skipped": skipped,
        "first sentence answers": round(hits / len(records), 3),
        "refused": round(refused / len(records), 3),
    }


def article_documents(articles: list[dict]) -> dict[str, str]:
    """SQuAD articles as documents: "TITLE.txt" -> its paragraphs, a blank line between them."""
    return {f"{a['title']}.txt": "\n\n".join(p["context"] for p in a["paragraphs"]) for a in articles}


def held_out_articles() -> list[dict]:
    """SQuAD 2.0 dev articles 26-30: the ones no reader is trained on."""
    return json.loads((TRAIN / SQUAD20).read_text(encoding="utf-8"))["data"][-HELD_OUT_SQUAD20:]


def squad(folder: Path, dump) -> dict:
    articles = held_out_articles()
    documents = article_documents(articles)
    qa = opened(build(folder, documents))
    n = hit1 = contains = refused = unanswerable = unanswerable_refused = 0
    for a in articles:
        name, text = f"{a['title']}.txt", documents[f"{a['title']}.txt"]
        for p in a["paragraphs"]:
            start = text.index(p["context"])
            gold = (start, start + len(p["context"]))
            for q in p["qas"]:
                answer = qa.ask(q["question"])
                if q.get("is_impossible") or not q["answers"]:
                    unanswerable += 1
                    unanswerable_refused += not answer.answerable
                    dump("squad", q["question"], False, answer, False)
                    continue
                n += 1
                top = answer.passages[0] if answer.passages else None
                first = top is not None and top.doc == name and overlaps((top.start, top.end), gold)
                hit1 += first
                quote = " ".join(c.quote for c in answer.citations).lower()
                hit = any(x["text"].lower() in quote for x in q["answers"])
                contains += hit
                refused += not answer.answerable
                dump("squad", q["question"], True, answer, hit, first)
    return {
        "questions": n + unanswerable,
        "hit@1": round(hit1 / n, 3),
        "contains": round(contains / n, 3),
        "answerable refused": round(refused / n, 3),
        "unanswerable refused": round(unanswerable_refused / unanswerable, 3),
    }


def halves_set() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """SQuAD 2.0 dev articles 26-30, each as two documents (its even and its odd paragraphs), and
    each answerable question with the half its paragraph is not in, where none of its answers is
    written: (question, document) pairs of a text on the question's topic that does not say."""
    articles = held_out_articles()
    documents = {f"{a['title']}-{half}.txt": "\n\n".join(p["context"] for p in a["paragraphs"][k::2]) for a in articles for k, half in enumerate(("even", "odd"))}
    lowered = {name: text.lower() for name, text in documents.items()}
    asked = [
        (q["question"], other)
        for a in articles
        for k, p in enumerate(a["paragraphs"])
        for other in [f"{a['title']}-{('odd', 'even')[k % 2]}.txt"]
        for q in p["qas"]
        if not q.get("is_impossible") and q["answers"] and not any(x["text"].lower() in lowered[other] for x in q["answers"])
    ]
    return documents, asked


def halves(folder: Path, dump) -> dict:
    documents, asked = halves_set()
    qa = opened(build(folder, documents))
    refused = 0
    for question, doc in asked:
        answer = qa.ask(question, doc=doc)
        refused += not answer.answerable
        dump("halves", question, False, answer, False)
    return {"questions": len(asked), "refused": round(refused / len(asked), 3)}


def coqa_records(held_out: bool = True) -> list[dict]:
    """The Abg-CoQA training split's records on the held-out fifth of its stories (or, not held
    out, on the other four fifths: the reader's training stories)."""
    data = json.loads((TRAIN / COQA).read_text(encoding="utf-8"))["data"]
    return [r for r in data if coqa_held_out(r["story"]) == held_out]


def coqa(folder: Path, dump) -> dict:
    from qa.read.abstention import Abstention

    records = coqa_records()
    qa = opened(build(folder, {name_of(r["story"]): r["story"] for r in records}))
    records, _ = indexed(qa, records, lambda r: r["story"])
    first = answered = 0
    # with --answer-all only the target turn is never refused: the turns before it are asked as qa
    # asks them, so that the target meets the conversation (and its signals) that qa would give it
    abstention, asked = qa.answerer.abstention, Abstention(qa.answerer.reader.config)
    judged = abstention.threshold, abstention.followup_threshold
    for r in records:
        chat = qa.conversation(doc=name_of(r["story"]))
        chat.history.learned = LEARNED
        abstention.threshold, abstention.followup_threshold = asked.threshold, asked.followup_threshold
        for turn in r["history_turns"]:
            chat.ask(turn["question"])
        abstention.threshold, abstention.followup_threshold = judged
        fresh()
        answer = chat.ask(r["target_turn"]["question"])
        gold = (r["target_turn"]["span_start"], r["target_turn"]["span_end"])
        hit = bool(answer.citations) and overlaps((answer.citations[0].start, answer.citations[0].end), gold)
        first += hit
        answered += answer.answerable
        dump("coqa", r["target_turn"]["question"], True, answer, hit, followup=any(FOLLOWUP))
    return {"records": len(records), "first citation": round(first / len(records), 3), "answered": round(answered / len(records), 3)}


def canard_books(size: int = 10, per: int = 3) -> list[tuple[str, list[dict]]]:
    """CANARD dev's dialogues as documents of ``size`` dialogues each: (text, turns), each turn
    a dict of its question, rewrite and its answer (None for the last turn, whose answer dev does
    not carry, and for a question QuAC's text does not answer). A dialogue's answers are its
    text in order, ``per`` to a paragraph: in real texts a follow-up is mostly answered in the
    paragraph the last answer came from (146 of the held-out Abg-CoQA fifth's 193 targets)."""
    dialogues: dict[str, list[dict]] = {}
    for record in json.loads((TRAIN / "canard" / "dev.json").read_text(encoding="utf-8")):
        dialogues.setdefault(record["QuAC_dialog_id"], []).append(record)
    names = sorted(dialogues)
    books = []
    for first in range(0, len(names), size):
        paragraphs, turns = [], []
        for name in names[first : first + size]:
            records = sorted(dialogues[name], key=lambda r: r["Question_no"])
            history = records[-1]["History"]
            paragraphs.append(f"{history[0]}: {history[1]}")  # a heading
            sentences = []
            for record, answer in zip(records, [*history[3::2], None]):
                gold = None
                if answer and answer.strip() not in ("CANNOTANSWER", "I don't know."):
                    gold = answer.strip() if answer.strip()[-1] in ".!?\"”" else answer.strip() + "."
                    sentences.append(gold)
                turns.append({"question": record["Question"], "rewrite": record["Rewrite"], "gold": gold, "opens": record is records[0]})
            paragraphs += [" ".join(sentences[i : i + per]) for i in range(0, len(sentences), per)]
        books.append(("\n\n".join(paragraphs) + "\n", turns))
    return books


def canard(folder: Path, dump) -> dict:
    books = canard_books()
    qa = opened(build(folder, {name_of(text): text for text, _ in books}))
    n = turns_hit = rewrites_hit = turns_top3 = 0
    for text, turns in books:
        doc = name_of(text)
        chat = None
        for turn in turns:
            if turn["opens"]:  # a new dialogue: its first question as rewritten names the topic
                chat = qa.conversation(doc=doc)
                chat.history.learned = LEARNED
                chat.ask(turn["rewrite"])
                continue
            fresh()
            answer = chat.ask(turn["question"])
            if turn["gold"] is None:
                continue
            n += 1
            gold = normalized(turn["gold"])  # a passage holding the answer (dialogues repeat some)
            hits = [gold in normalized(p.text) for p in answer.passages[:3]]
            first = bool(hits) and hits[0]
            turns_hit += first
            turns_top3 += any(hits)
            dump("canard", turn["question"], True, answer, first, followup=any(FOLLOWUP))  # before the rewrite is asked
            alone = qa.ask(turn["rewrite"], doc=doc).passages[:1]
            rewrites_hit += bool(alone) and gold in normalized(alone[0].text)
    return {
        "turns": n,
        "turn hit@1": round(turns_hit / n, 3),
        "turn hit@3": round(turns_top3 / n, 3),
        "rewrite hit@1": round(rewrites_hit / n, 3),
    }


def chat_texts() -> dict[str, str]:
    """The texts of the own validation conversations: document name -> text."""
    documents = article_documents([a for a in held_out_articles() if a["title"] in CHAT_ARTICLES])
    for record in coqa_records():
        key = hashlib.sha1(record["story"].encode()).hexdigest()[:12]
        if key in CHAT_STORIES:
            documents[f"story-{key}.txt"] = record["story"]
    return documents


def chats(folder: Path, dump) -> dict:
    """The own validation conversations (``bench/data/conversations-validation.jsonl``, written
    without running qa) over two SQuAD 2.0 dev articles and six held-out Abg-CoQA stories, all in
    one index: turn hit@1 / hit@3, answers right, and hit@1 of the turns' rewrites asked alone."""
    from bench.conversations import read_with_resolver
    from qa.evaluation import evaluate, read_question_file

    qa = opened(build(folder, chat_texts()))
    if LEARNED:
        read_with_resolver(qa)
    report = evaluate(qa, read_question_file(CHATS)).report()
    return {"turns": report["turns"], "rewrites": report["rewrites"]}


def roles(folder: Path, dump) -> dict:
    """Made-up exchanges (``training/role_examples.py``, a seed no training run uses): each text
    a document of its own, each question asked of its text; a hit when the short answer overlaps
    the thing (or person) asked about (and "all of it" when it is that and no more), and the
    quote holds it; a question asked of another
    text's exchange is to be refused. Then two-turn conversations about texts that tell an
    exchange both ways ("What did Santos give Okafor?" → "And what did she get?"): a hit when the
    second answer's short answer overlaps the other exchange's thing."""
    from training.role_examples import role_conversations, role_examples

    made = role_examples(400, ROLES_SEED)
    talks = role_conversations(200, ROLES_SEED)
    qa = opened(build(folder, {name_of(text): text for text in [m.text for m in made] + [c.text for c in talks]}))
    hits = whole = quoted = refused = unanswerable = unanswerable_refused = 0
    for m in made:
        answer = qa.ask(m.question, doc=name_of(m.text))
        first = answer.citations[0] if answer.answerable and answer.citations else None
        if m.answer is None:
            unanswerable += 1
            unanswerable_refused += not answer.answerable
            dump("roles", m.question, False, answer, False)
            continue
        hit = short_hit(answer, m.answer)
        hits += hit
        whole += first is not None and first.span is not None and normalized(first.span["text"]) == normalized(m.text[m.answer[0] : m.answer[1]])
        quoted += first is not None and first.start <= m.answer[0] and m.answer[1] <= first.end
        refused += not answer.answerable
        dump("roles", m.question, True, answer, hit)
    followed = 0
    for c in talks:
        conversation = qa.conversation(doc=name_of(c.text))
        conversation.ask(c.questions[0])
        followed += short_hit(conversation.ask(c.questions[1]), c.answer)
    answerable = len(made) - unanswerable
    return {
        "questions": len(made),
        "short answer right": round(hits / answerable, 3),
        "short answer is all of it": round(whole / answerable, 3),
        "quote holds it": round(quoted / answerable, 3),
        "answerable refused": round(refused / answerable, 3),
        "unanswerable refused": f"{unanswerable_refused} of {unanswerable}",
        "follow-ups": len(talks),
        "follow-ups right": round(followed / len(talks), 3),
    }


def short_hit(answer, gold: tuple[int, int]) -> bool:
    """True when ``answer``'s short answer (its first citation's span) overlaps ``gold``."""
    first = answer.citations[0] if answer.answerable and answer.citations else None
    return first is not None and first.span is not None and overlaps((first.span["start"], first.span["end"]), gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reader", type=Path, default=None, help="an exported reader folder (default: the shipped one)")
    parser.add_argument("--only", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--cache", type=Path, default=None, help="keep the indexes here and reuse them")
    parser.add_argument("--dump", type=Path, default=None, help="write one JSON line per question here")
    parser.add_argument("--answer-all", action="store_true", help="never abstain (to judge every best answer)")
    parser.add_argument("--learned", action="store_true", help="read follow-ups with the learned resolver (coqa, canard)")
    args = parser.parse_args()
    global ANSWER_ALL, LEARNED
    ANSWER_ALL, LEARNED = args.answer_all, args.learned
    if not TRAIN.exists():
        sys.exit(f"{TRAIN} not found: the validation sets are read from the training folder")
    if args.reader is not None:
        from qa.read import reader

        reader._READER = reader.Reader(args.reader)
    out = args.dump.open("w", encoding="utf-8") if args.dump else None

    def dump(name: str, question: str, answerable: bool, answer, hit: bool, passage_hit: bool | None = None, followup: bool = False) -> None:
        if out:
            first = answer.citations[0] if answer.citations else None
            record = {"set": name, "question": question, "answerable": answerable, "hit": bool(hit), "answered": answer.answerable,
                      "confidence": answer.confidence, "signals": list(SIGNALS), "passage_hit": passage_hit, "followup": followup,
                      "span": (first.span or {}).get("text") if first else None, "quote": first.quote if first else None,
                      "doc": answer.passages[0].doc if answer.passages else None}
            out.write(json.dumps(record) + "\n")
        fresh()  # the next row's signals are its own, or none (a question answered without the reader)

    with tempfile.TemporaryDirectory(prefix="qa-validation-") as scratch:
        cache = args.cache or Path(scratch)
        for name in args.only.split(","):
            started = time.perf_counter()
            report = globals()[name](cache / name, dump)
            report["seconds"] = round(time.perf_counter() - started, 1)
            print(json.dumps({"set": name, **report}), flush=True)


if __name__ == "__main__":
    main()
