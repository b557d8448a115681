"""Train qa's resolver: which words of the conversation a follow-up borrows (``qa/read/resolver.py``).

Data: CANARD (``canard/`` in the training folder), QuAC follow-up questions each rewritten by a
person to stand alone. A word of the conversation is borrowed when the rewrite has it and the
question does not (stop words aside): QuReTeC's labels (Voskarides et al., 2020).

- ``train.jsonl`` carries each dialogue's questions and rewrites but neither its answers nor its
  article's title. A turn's conversation is rebuilt from the turns before it, newest first,
  each as asked or (at random, half the time) as rewritten, the way qa's chat keeps its earlier
  questions resolved; for a topic, the name the dialogue's rewrites add most often stands in
  for the title.
- ``dev.json`` carries the whole history (title, section, questions and QuAC's answers): the
  added words' precision and recall are measured on it, as QuReTeC measured them, and the
  threshold is chosen on it. A third of its borrowed words occur only in an answer, which the
  train file cannot teach: with ``--dev-folds N --fold K`` a run also learns from dev's real
  histories but for fold K (by dialogue), measured on that fold; ``--combine`` measures all of
  dev, each fold as scored by the run that never saw it, at a threshold chosen on the other
  folds; ``--fold -1`` then learns from all of dev, for the resolver to ship. ``--dev-only``
  leaves train.jsonl out: for a run that starts (``--init``) from a resolver that learned it.
- ``--squad-followups`` (SQuAD 1.1 train) adds follow-ups made from successive SQuAD questions,
  a name the last answer holds replaced by a pronoun (``squad_followups``): answers to borrow from.

The encoder is the shipped reader's (``qa/models/reader``; ``--reader DIR``: another exported
reader's, e.g. one just trained, which the resolver then ships beside); ``--tune-layers K`` fine-tunes its top
K layers (0: it stays frozen and only the head learns, from states computed once). The head
reads a word's first word piece and a few word features (capital, digit, which turn, how often).
Runs are reproducible (fixed seed, data sha256 logged) and resumable (``--out`` keeps a checkpoint).

    python -m training.train_resolver --out runs/resolver [--tune-layers 2] [--answers FILE] [--squad-followups FILE] [--device cuda]
    python -m training.train_resolver --out runs/fold0 --init qa/models/resolver --dev-folds 2 --fold 0 [...]
    python -m training.train_resolver --combine runs/fold0 runs/fold1
    python -m training.train_resolver --out runs/resolver --export qa/models/resolver
    python -m training.train_resolver --measure qa/models/resolver
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.read.resolver import FEATURES, MAX_LEN, borrowed, encode, terms
from training.train_reader import base_model_path, base_tokenizer, resume, run_log, save, sha256, warmup_decay

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / "qa" / "models" / "reader"
_CAPITALIZED = re.compile(r"[A-Z][\w'-]*(?:\s+(?:of|the|and|de|van|von)?\s*[A-Z][\w'-]*)*")
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 19)]


@dataclass
class Example:
    question: str
    segments: list[str]  # the topic, then the turns newest first
    gold: set[str]  # the words the rewrite borrows from the conversation
    standalone: bool  # the rewrite is the question
    dialogue: str = ""


def gold_terms(question: str, rewrite: str, segments: list[str]) -> set[str]:
    """The words of the conversation that the rewrite adds to the question."""
    said = set().union(*(terms(s) for s in segments)) if segments else set()
    return (terms(rewrite) & said) - terms(question)


def topic_of(dialogue: list[dict]) -> str:
    """A stand-in for the article's title: the capitalized name the dialogue's rewrites add most often."""
    counts: Counter[str] = Counter()
    for turn in dialogue:
        asked = turn["Question"].lower()
        for match in _CAPITALIZED.finditer(turn["Rewrite"]):
            name = match.group().strip()
            if match.start() > 0 and name.lower() not in asked:
                counts[name] += 1
    return counts.most_common(1)[0][0] if counts else ""


def wikipedia_sentences(path: Path, rng: random.Random, count: int = 60_000) -> list[str]:
    """Sentences of SQuAD 1.1's Wikipedia paragraphs (8 to 40 words), to stand in for QuAC's answers."""
    out = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        for paragraph in article["paragraphs"]:
            out += [s for s in re.split(r"(?<=[.!?])\s+", paragraph["context"]) if 8 <= len(s.split()) <= 40]
    rng.shuffle(out)
    return out[:count]


def stand_in_answer(sentence: str, name: str, rng: random.Random) -> str:
    """A Wikipedia sentence as a stand-in answer that mentions ``name`` (the words the next
    rewrite borrows from the answer): in place of one of its names, or before it."""
    if not name:
        return sentence
    spots = [m for m in _CAPITALIZED.finditer(sentence) if m.start() > 0]
    if not spots:
        return f"{name}: {sentence}"
    spot = rng.choice(spots)
    return sentence[: spot.start()] + name + sentence[spot.end() :]


def from_answers(turns: list[dict], topic: str) -> list[str]:
    """For each turn, the words of the next turn's rewrite that no earlier question, rewrite or
    the topic holds: what the answer to this turn must have said (as written in the rewrite)."""
    out = []
    known = terms(topic)
    for j, turn in enumerate(turns):
        known |= terms(turn["Question"]) | terms(turn["Rewrite"])
        following = turns[j + 1] if j + 1 < len(turns) else None
        if following is None:
            out.append("")
            continue
        new = terms(following["Rewrite"]) - terms(following["Question"]) - known
        words = [w for w in re.findall(r"[\w'-]+", following["Rewrite"]) if w.lower() in new]
        out.append(" ".join(dict.fromkeys(words)))
    return out


_POSSESSIVE = re.compile(r"^(?:'s|’s|')")
_LINKS = frozenset("is was were are did do does have has had in on at of for to from with by and or as".split())


def _whole_name(question: str, match: re.Match) -> bool:
    """True when ``match`` is a whole name a pronoun can stand for: past the first word, not
    the tail or head of a longer name ("the Tisch School of the Arts", "Windows 8"), three
    characters or more."""
    words = question[: match.start()].split()
    if len(words) < 1 or len(match.group()) < 3 or not terms(match.group()):
        return False
    previous = words[-1]
    if len(words) > 1 and (previous[:1].isupper() or previous.lower() in {"of", "and", "de", "van", "von"}):
        return False
    following = question[match.end() :]
    if re.match(r"\.?\s*(?:\d|[A-Z]|-)", following):
        return False
    modifier = re.match(r"\s+([a-z]+)", following)  # "the Umayyad regime": a name that describes a noun
    if not modifier or modifier.group(1) in _LINKS:
        return True
    adjective = re.search(r"(?:an|ish|ese|ic|i|ch)$", match.group())  # "Armenian folk music", "Swazi exports"
    return not (previous.lower() in {"the", "a", "an"} or adjective)


def squad_followups(path: Path, rng: random.Random, count: int) -> list[Example]:
    """Follow-ups that borrow from an answer, made from SQuAD 1.1: of two successive questions
    on one paragraph, the second's name that the first's answer sentence holds (and the first
    question does not) is replaced by a pronoun ("What was the name of their first album?"), the
    second question as asked is the rewrite, and the conversation is the first question with
    its answer sentence (and the turn before it, when there is one). CANARD's train file has no
    answers; these teach which of an answer's words a follow-up points back to."""
    out = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        title = article["title"].replace("_", " ")
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            bounds = [0, *(m.end() for m in re.finditer(r"(?<=[.!?])\s+", context)), len(context) + 1]
            lowered = context.lower()
            female = len(re.findall(r"\b(?:she|her)\b", lowered)) > len(re.findall(r"\b(?:he|his|him)\b", lowered))
            turns = []
            for qa in paragraph["qas"]:
                start = qa["answers"][0]["answer_start"]
                k = max(i for i, b in enumerate(bounds) if b <= start)
                turns.append((qa["question"].strip(), context[bounds[k] : bounds[k + 1]].strip()))
            for j in range(1, len(turns)):
                (asked, answer), (question, _) = turns[j - 1], turns[j]
                names = [
                    m for m in _CAPITALIZED.finditer(question)
                    if _whole_name(question, m) and terms(m.group()) <= terms(answer) and not terms(m.group()) & terms(asked)
                ]
                if not names:
                    continue
                name = rng.choice(names)
                before = re.sub(r"\bthe\s+$", "", question[: name.start()])  # "When did the FBI ..." -> "When did it ..."
                after = question[name.end() :]
                owner = _POSSESSIVE.match(after)
                kind = rng.random()
                if owner:
                    pronoun, after = ("its" if kind < 0.5 else "their" if kind < 0.7 else "her" if female else "his"), after[owner.end() :]
                else:
                    pronoun = "it" if kind < 0.5 else "they" if kind < 0.7 else "she" if female else "he"
                followup = before + pronoun + after
                earlier = [f"{asked} {answer}", *([" ".join(turns[j - 2])] if j > 1 else [])]
                segments = [title if rng.random() < 0.5 else "", *earlier]
                gold = gold_terms(followup, question, segments)
                if gold:
                    out.append(Example(followup, segments, gold, False))
    rng.shuffle(out)
    return out[:count]


def train_examples(path: Path, rng: random.Random, sentences: list[str] | None = None) -> list[Example]:
    """Each turn of each dialogue after its earlier turns; with ``sentences``, each earlier turn
    also has a stand-in answer (``stand_in_answer``; none for a sixth of them, as QuAC's
    unanswered questions)."""
    dialogues: dict[str, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            dialogues[record["QuAC_dialog_id"]].append(record)
    out = []
    for name in sorted(dialogues):
        turns = sorted(dialogues[name], key=lambda t: t["Question_no"])
        topic = topic_of(turns)
        answers = [""] * len(turns)
        if sentences:
            answers = [
                stand_in_answer(rng.choice(sentences), name, rng) if rng.random() < 5 / 6 else ""
                for name in from_answers(turns, topic)
            ]
        for k, turn in enumerate(turns):
            earlier = [
                f"{t['Rewrite'] if rng.random() < 0.5 else t['Question']} {answer}".strip()
                for t, answer in zip(turns[:k], answers)
            ]
            segments = [topic if rng.random() < 0.8 else "", *reversed(earlier)]
            gold = gold_terms(turn["Question"], turn["Rewrite"], segments)
            out.append(Example(turn["Question"], segments, gold, turn["Rewrite"].strip() == turn["Question"].strip()))
    rng.shuffle(out)
    return out


def dev_examples(path: Path) -> list[Example]:
    out = []
    for record in json.loads(path.read_text(encoding="utf-8")):
        history = record["History"]
        pairs = [
            f"{history[i]} {history[i + 1] if i + 1 < len(history) and history[i + 1] != 'CANNOTANSWER' else ''}".strip()
            for i in range(2, len(history), 2)
        ]
        segments = [f"{history[0]}. {history[1]}", *reversed(pairs)]
        gold = gold_terms(record["Question"], record["Rewrite"], segments)
        standalone = record["Rewrite"].strip() == record["Question"].strip()
        out.append(Example(record["Question"], segments, gold, standalone, record["QuAC_dialog_id"]))
    return out


def dev_fold(examples: list[Example], folds: int, fold: int) -> tuple[list[Example], list[int]]:
    """Split dev by dialogue (every ``folds``-th dialogue in sorted order): the examples outside
    fold ``fold`` (to learn from), and the indices of those inside it (to measure on)."""
    names = sorted({e.dialogue for e in examples})
    number = {name: i % folds for i, name in enumerate(names)}
    inside = [i for i, e in enumerate(examples) if number[e.dialogue] == fold]
    held = set(inside)
    return [e for i, e in enumerate(examples) if i not in held], inside


def featurize(tokenizer, examples: list[Example], max_len: int) -> list[tuple]:
    """(ids, types, positions, features, labels) for each example."""
    out = []
    for e in examples:
        encoded = encode(tokenizer, e.question, e.segments, max_len)
        labels = np.array([w.lower() in e.gold for w in encoded.words], dtype=np.float32)
        out.append((encoded.ids, encoded.types, encoded.positions, encoded.features, labels, encoded.words))
    return out


def load_model(tune_layers: int, hidden: int, reader_dir: Path = READER):
    """The encoder of the reader in ``reader_dir`` (its top ``tune_layers`` layers trainable)
    under the word head."""
    import torch
    from safetensors.torch import load_file

    from qa.torch_bert import TorchBert

    class Resolver(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = TorchBert.from_pretrained(Path(base_model_path()))
            reader = {k: v.float() for k, v in load_file(str(reader_dir / "reader.safetensors")).items()}
            own = {k: v for k, v in reader.items() if not k.startswith(("span.", "answerable.", "sentence."))}
            missing, unexpected = self.bert.load_state_dict(own, strict=False)
            assert not unexpected and missing == ["embeddings.word_embeddings.weight"], (missing, unexpected)
            layers = len(self.bert.encoder["layer"])
            self.tuned = [f"encoder.layer.{i}." for i in range(layers - tune_layers, layers)]
            for name, p in self.bert.named_parameters():
                p.requires_grad_(name.startswith(tuple(self.tuned)))
            self.head = torch.nn.Sequential(
                torch.nn.Linear(self.bert.dim + FEATURES, hidden), torch.nn.GELU(), torch.nn.Linear(hidden, 1)
            )

        def states(self, ids, types, mask):
            return self.bert(ids, mask, types)

        def score(self, states, features):
            return self.head(torch.cat([states, features], -1)).squeeze(-1)

    return Resolver()


def initialize_from(model, folder: Path, log) -> None:
    """Start from an exported resolver (its head and tuned layers; ``export``), e.g. the shipped one."""
    from safetensors.torch import load_file

    weights = load_file(str(folder / "resolver.safetensors"))
    state = {(f"bert.{k}" if k.startswith("encoder.") else k): v.float() for k, v in weights.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and not any(k.startswith("head.") for k in missing), unexpected
    log(f"started from {folder} ({len(state)} tensors)")


def padded(batch):
    import torch

    width = max(len(f[0]) for f in batch)
    ids = torch.zeros(len(batch), width, dtype=torch.long)
    types, mask = torch.zeros_like(ids), torch.zeros_like(ids)
    for row, f in enumerate(batch):
        ids[row, : len(f[0])] = torch.tensor(f[0])
        types[row, : len(f[1])] = torch.tensor(f[1])
        mask[row, : len(f[0])] = 1
    rows = torch.tensor([row for row, f in enumerate(batch) for _ in f[2]], dtype=torch.long)
    cols = torch.tensor([p for f in batch for p in f[2]], dtype=torch.long)
    features = torch.from_numpy(np.concatenate([f[3] for f in batch])) if len(rows) else torch.zeros(0, FEATURES)
    labels = torch.from_numpy(np.concatenate([f[4] for f in batch])) if len(rows) else torch.zeros(0)
    return ids, types, mask, rows, cols, features, labels


def batches(feats: list, size: int, seed: int) -> list[list[int]]:
    """Indices in batches of similar length, in a shuffled order fixed by ``seed``."""
    order = sorted(range(len(feats)), key=lambda i: len(feats[i][0]))
    out = [order[i : i + size] for i in range(0, len(order), size)]
    random.Random(seed).shuffle(out)
    return out


def word_scores(model, feats: list, device, cached: list | None = None, size: int = 64) -> list[np.ndarray]:
    """The probability of every candidate word of every example (in order)."""
    import torch

    out: list[np.ndarray | None] = [None] * len(feats)
    model.eval()
    with torch.no_grad():
        for batch in batches(feats, size, 0):
            group = [feats[i] for i in batch]
            ids, types, mask, rows, cols, features, _ = padded(group)
            if cached is not None:
                states = torch.cat([cached[i] for i in batch]).float() if len(rows) else torch.zeros(0, model.bert.dim)
            else:
                states = model.states(ids.to(device), types.to(device), mask.to(device))[rows.to(device), cols.to(device)]
            probs = torch.sigmoid(model.score(states.to(device), features.to(device))).float().cpu().numpy()
            scatter(out, batch, feats, probs)
    model.train()
    return out  # type: ignore[return-value]


COUNTS = 8  # what ``tally`` counts


def tally(examples: list[Example], feats: list, probs: list[np.ndarray], threshold: float) -> np.ndarray:
    """Words chosen, chosen and borrowed, borrowed; standalone questions passed through unchanged,
    standalone questions; and the same three over the conversation's occurrences of the words
    (each place a candidate word is written, scored on its own), as QuReTeC's evaluation counts:
    a word the question borrows is labelled wherever the conversation has it."""
    counts = np.zeros(COUNTS, dtype=np.int64)
    for e, f, p in zip(examples, feats, probs):
        picked = {w.lower() for w in borrowed(f[5], p, threshold)}
        chosen, labelled = p > threshold, f[4] > 0
        counts += [
            len(picked),
            len(picked & e.gold),
            len(e.gold),
            e.standalone and not picked,
            e.standalone,
            chosen.sum(),
            (chosen & labelled).sum(),
            labelled.sum(),
        ]
    return counts


def measure(examples: list[Example], feats: list, probs: list[np.ndarray], threshold: float) -> dict:
    """Micro precision and recall of the borrowed words (``report``)."""
    return report(tally(examples, feats, probs, threshold), threshold)


def report(counts: np.ndarray, threshold: float | list[float]) -> dict:
    """Precision, recall and F1 of the borrowed words (each word once a question: what qa adds to
    the question), the same over their occurrences, and how often a standalone question passes through."""
    chosen, found, wanted, passed, standalone, *occurrences = counts.tolist()
    return {
        "threshold": threshold,
        **scores(chosen, found, wanted),
        "standalone_unchanged": round(passed / max(standalone, 1), 4),
        "occurrences": scores(*occurrences),
    }


def scores(chosen: int, found: int, wanted: int) -> dict:
    precision, recall = found / max(chosen, 1), found / max(wanted, 1)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
    }


def train(args) -> None:
    import torch

    out = Path(args.out)
    log = run_log(out)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    tokenizer = base_tokenizer()
    data = Path(args.data)
    log(f"args {vars(args)}")
    for name in ("train.jsonl", "dev.json"):
        log(f"data canard/{name} sha256 {sha256(data / name)}")
    sentences = wikipedia_sentences(Path(args.answers), random.Random(args.seed)) if args.answers else None
    if args.answers:
        log(f"data {args.answers} sha256 {sha256(Path(args.answers))}: {len(sentences)} stand-in answers")
    examples = [] if args.dev_only else train_examples(data / "train.jsonl", random.Random(args.seed), sentences)
    if args.examples:
        examples = examples[: args.examples]
    if args.squad_followups:
        made = squad_followups(Path(args.squad_followups), random.Random(args.seed + 1), args.squad_count)
        log(f"data {args.squad_followups} sha256 {sha256(Path(args.squad_followups))}: {len(made)} follow-ups made")
        examples += made
        random.Random(args.seed + 2).shuffle(examples)
    dev = dev_examples(data / "dev.json")
    if args.dev_examples:
        dev = dev[: args.dev_examples]
    measured = list(range(len(dev)))
    if args.dev_folds and args.fold < 0:  # all of dev learned from: its figures below are not a measure
        examples += dev * args.dev_repeat
        log(f"all {len(dev)} dev questions learned from, x{args.dev_repeat}: dev figures below are seen data")
    elif args.dev_folds:  # dev's real histories (titles, sections, QuAC's answers) are learned from, but for one fold
        learned, measured = dev_fold(dev, args.dev_folds, args.fold)
        examples += learned * args.dev_repeat
        log(f"dev fold {args.fold} of {args.dev_folds}: {len(measured)} measured; the other {len(learned)} learned from, x{args.dev_repeat}")
        dev = [dev[i] for i in measured]
    feats, dev_feats = featurize(tokenizer, examples, args.max_len), featurize(tokenizer, dev, args.max_len)
    positives = sum(int(f[4].sum()) for f in feats)
    log(f"train {len(feats)} questions, {sum(len(f[2]) for f in feats)} candidate words ({positives} borrowed); dev {len(dev_feats)}")

    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    model = load_model(args.tune_layers, args.hidden, Path(args.reader))
    if args.init:
        initialize_from(model, Path(args.init), log)
    model = model.to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    plan = batches(feats, args.batch, args.seed) * args.epochs
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("bert.")], "lr": args.lr},
            {"params": list(model.head.parameters()), "lr": args.head_lr},
        ],
        weight_decay=0.01,
    )
    schedule = warmup_decay(optimizer, len(plan))
    checkpoint = out / "checkpoint.pt"
    step = resume(checkpoint, model, optimizer, schedule, device, log)
    cached = dev_cached = None
    if args.tune_layers == 0:  # the encoder is frozen: its states are computed once
        started = time.perf_counter()
        cached, dev_cached = states_of(model, feats, device), states_of(model, dev_feats, device)
        log(f"encoder states computed once in {time.perf_counter() - started:.0f} s")
    bce = torch.nn.BCEWithLogitsLoss()
    started, seen, running = time.perf_counter(), 0, 0.0
    model.train()
    while step < len(plan):
        batch = plan[step]
        ids, types, mask, rows, cols, features, labels = padded([feats[i] for i in batch])
        if len(rows):
            if cached is not None:
                states = torch.cat([cached[i] for i in batch]).float().to(device)
            else:
                with torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.bf16):
                    states = model.states(ids.to(device), types.to(device), mask.to(device))[rows.to(device), cols.to(device)]
            loss = bce(model.score(states.float(), features.to(device)), labels.to(device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            optimizer.zero_grad()
            running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        schedule.step()
        step += 1
        seen += len(batch)
        if step % args.log_every == 0 or step == len(plan):
            log(f"step {step}/{len(plan)} loss {running:.4f} {seen / (time.perf_counter() - started):.1f} questions/s")
        if step % args.save_every == 0 or step == len(plan):
            save(checkpoint, model, optimizer, schedule, step, log)
    probs = word_scores(model, dev_feats, device, dev_cached)
    with open(out / "dev-scores.json", "w") as f:  # for --combine: each measured dev record's word scores
        json.dump({"records": measured, "scores": [p.round(5).tolist() for p in probs]}, f)
    results = [measure(dev, dev_feats, probs, t) for t in THRESHOLDS]
    for r in results:
        log(f"dev {r}")
    if args.threshold is not None:
        best = measure(dev, dev_feats, probs, args.threshold)
        log(f"threshold given: {best}")
    else:
        best = max(results, key=lambda r: r["f1"])
        log(f"chosen on CANARD dev (best F1): {best}")
    config = {"threshold": best["threshold"], "tune_layers": args.tune_layers, "dev": best}
    (out / "resolver.json").write_text(json.dumps(config, indent=2) + "\n")
    log(f"done in {time.perf_counter() - started:.0f} s this run")


def combine(args) -> None:
    """CANARD dev measured fold by fold, each fold as the run that did not learn from it scored it,
    at the threshold best (F1) on the other folds' scores: no record is scored by a model, or at a
    threshold, chosen with it. The threshold to ship is the best on all the folds' scores."""
    tokenizer = base_tokenizer()
    dev = dev_examples(Path(args.data) / "dev.json")
    folds = []
    for run in args.combine:
        scores = json.loads((Path(run) / "dev-scores.json").read_text())
        examples = [dev[i] for i in scores["records"]]
        feats, probs = featurize(tokenizer, examples, args.max_len), [np.array(p) for p in scores["scores"]]
        assert all(len(f[5]) == len(p) for f, p in zip(feats, probs)), f"{run}: scores for other words than these"
        folds.append((examples, feats, probs))
    total, thresholds = np.zeros(COUNTS, dtype=np.int64), []
    for k, fold in enumerate(folds):
        thresholds.append(best_threshold([o for j, o in enumerate(folds) if j != k]))
        total += tally(*fold, thresholds[-1])
    print(json.dumps({"records": sum(len(f[0]) for f in folds), **report(total, thresholds), "threshold_to_ship": best_threshold(folds)}))


def best_threshold(folds: list[tuple]) -> float:
    """The threshold of ``THRESHOLDS`` with the best F1 over the (examples, feats, probs) of ``folds`` together."""
    counts = {t: sum((tally(*fold, t) for fold in folds), np.zeros(COUNTS, dtype=np.int64)) for t in THRESHOLDS}
    return max(THRESHOLDS, key=lambda t: report(counts[t], t)["f1"])


def states_of(model, feats: list, device, size: int = 64) -> list:
    """The frozen encoder's state at each candidate word, per example (float16, on the CPU)."""
    import torch

    out: list = [None] * len(feats)
    model.eval()
    with torch.no_grad():
        for batch in batches(feats, size, 0):
            ids, types, mask, rows, cols, _, _ = padded([feats[i] for i in batch])
            states = model.states(ids.to(device), types.to(device), mask.to(device))[rows.to(device), cols.to(device)]
            scatter(out, batch, feats, states.half().cpu())
    model.train()
    return out


def scatter(out: list, batch: list[int], feats: list, rows) -> None:
    """Hand each example of ``batch`` its own rows of ``rows`` (one a candidate word, in order)."""
    start = 0
    for i in batch:
        n = len(feats[i][2])
        out[i] = rows[start : start + n]
        start += n


def measure_exported(args) -> None:
    """CANARD dev as an exported resolver (numpy, as qa runs it) reads it: one line per threshold,
    then its own threshold's."""
    from qa.read.resolver import Encoded, Resolver

    resolver = Resolver(Path(args.measure))
    dev = dev_examples(Path(args.data) / "dev.json")[: args.dev_examples or None]
    feats = featurize(resolver.tokenizer, dev, resolver.max_len)
    probs = [resolver.scores(Encoded(f[0], f[1], f[2], f[5], f[3])) for f in feats]
    for threshold in [*THRESHOLDS, resolver.threshold]:
        print(json.dumps({"records": len(dev), **measure(dev, feats, probs, threshold)}))


def export(args) -> None:
    """Write what the resolver adds to the reader (the head, any tuned layers) as float16 safetensors."""
    import torch
    from safetensors.torch import save_file

    run = Path(args.out)
    state = torch.load(run / "checkpoint.pt", weights_only=False, map_location="cpu")["model"]
    config = json.loads((run / "resolver.json").read_text())
    layers = sorted({int(k.split(".")[3]) for k in state if k.startswith("bert.encoder.layer.")})
    tuned = layers[len(layers) - config["tune_layers"] :] if config["tune_layers"] else []
    weights = {}
    for name, value in state.items():
        if name.startswith("head.") or any(name.startswith(f"bert.encoder.layer.{i}.") for i in tuned):
            weights[name.removeprefix("bert.")] = value.detach().to(torch.float16).contiguous()
    target = Path(args.export)
    target.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(target / "resolver.safetensors"))
    config.update({"encoder": "reader", "tuned_layers": tuned, "max_len": args.max_len, "dtype": "float16"})
    (target / "resolver.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"exported {sum(v.numel() for v in weights.values()):,} parameters to {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "train" / "canard"), help="the CANARD folder")
    parser.add_argument("--out", default="runs/resolver", help="run folder: log, checkpoint (resumed when present)")
    parser.add_argument("--reader", default=str(READER), help="the exported reader whose encoder it runs on (default: the shipped one)")
    parser.add_argument(
        "--answers", default=None, help="SQuAD 1.1 train: its sentences stand in for the answers CANARD's train file lacks"
    )
    parser.add_argument(
        "--dev-only", action="store_true", help="with --dev-folds: learn from dev's folds only, not from train.jsonl (e.g. after --init)"
    )
    parser.add_argument(
        "--squad-followups", default=None, help="SQuAD 1.1 train: follow-ups made from it that borrow from an answer (squad_followups)"
    )
    parser.add_argument("--squad-count", type=int, default=10_000, help="with --squad-followups: how many to add")
    parser.add_argument("--examples", type=int, default=0, help="use only the first N shuffled train questions (0: all)")
    parser.add_argument("--dev-examples", type=int, default=0, help="measure on only the first N dev questions (0: all)")
    parser.add_argument("--tune-layers", type=int, default=0, help="fine-tune the reader's top K layers (0: frozen)")
    parser.add_argument("--hidden", type=int, default=256, help="the head's hidden width")
    parser.add_argument("--max-len", type=int, default=MAX_LEN)
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    parser.add_argument("--bf16", action="store_true", help="run the tuned encoder in bfloat16 autocast")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5, help="the tuned layers' learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--save-every", type=int, default=250)
    parser.add_argument("--init", default=None, help="start from this exported resolver (e.g. qa/models/resolver)")
    parser.add_argument("--dev-folds", type=int, default=0, help="learn from CANARD dev too, but for one of N folds (by dialogue)")
    parser.add_argument("--fold", type=int, default=0, help="with --dev-folds: the fold measured on (-1: none, all learned from)")
    parser.add_argument("--threshold", type=float, default=None, help="the threshold to ship (default: dev's best F1), e.g. --combine's")
    parser.add_argument("--dev-repeat", type=int, default=3, help="with --dev-folds: times each dev record is learned from")
    parser.add_argument("--combine", nargs="+", default=None, help="the runs of every fold: measure dev as they scored it, and stop")
    parser.add_argument("--export", default=None, help="write the checkpoint's resolver to this folder and stop")
    parser.add_argument("--measure", default=None, help="measure this exported resolver (e.g. qa/models/resolver) on CANARD dev and stop")
    args = parser.parse_args()
    if args.dev_only and not args.dev_folds:
        parser.error("--dev-only learns from dev's folds: give --dev-folds N")
    if args.export:
        export(args)
    elif args.measure:
        measure_exported(args)
    elif args.combine:
        combine(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
