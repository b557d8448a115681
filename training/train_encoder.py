"""Train a question-answering embedding model from the bundled all-MiniLM-L6-v2, as qa uses one.

qa ranks a document's passages (its paragraphs) by the cosine of the question's vector with
each passage's (mean-pooled last hidden states), and scores each sentence of a passage by the
mean of that sentence's own tokens in the passage's pass (``qa/store/embedding.py``). So this
script trains both from SQuAD 1.1 train: each batch holds ``--articles`` articles with
``--per-article`` questions each, from distinct paragraphs, so that the other paragraphs of the
same article are the hard negatives a question meets in a real document. The loss is the
in-batch softmax of each question over the batch's paragraphs (scale 20, the multiple-negatives
ranking loss of sentence-transformers) plus the same over every sentence of the batch's
paragraphs, with the sentence holding the answer as the target. The word embeddings stay frozen
(those of the bundled model).

At the end (and with ``--measure``) the run measures, where the training folder has them, two
validation sets by the embeddings alone: SQuAD 2.0 dev articles 26-30 (each answerable question
against its article's paragraphs: hit@1) and SelQA test's reworded half (each question against
its section's sentences: hit@1). Runs are reproducible (fixed seed, data sha256 logged) and
resumable (``--out`` keeps a checkpoint); ``--device cuda`` trains on a GPU.

    python -m training.train_encoder --out runs/encoder [--steps N] [--device cuda]
    python -m training.train_encoder --out runs/encoder --export DIR   # a model folder: QA_MODEL=DIR
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from pathlib import Path

import numpy as np

from qa.ingest import chunking
from training.train_reader import (
    base_model_path,
    base_tokenizer,
    bf16_pays,
    resume,
    run_log,
    save,
    sha256,
    warmup_decay,
)

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "train"
QUESTION_TOKENS, PASSAGE_TOKENS, SENTENCE_TOKENS = 64, 256, 128
SCALE = 20.0

# (question, paragraph, answer start, answer end), grouped by article
Article = list[tuple[str, str, int, int]]


def squad_articles(path: Path) -> list[Article]:
    """SQuAD 1.1's questions, each with its paragraph and its answer's characters, by article."""
    articles = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        questions = []
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                answer = qa["answers"][0]
                start = answer["answer_start"]
                questions.append((qa["question"], paragraph["context"], start, start + len(answer["text"])))
        articles.append(questions)
    return articles


def article_batches(articles: list[Article], per_batch: int, per_article: int, seed: int) -> list[list[tuple[int, int]]]:
    """Batches of (article, question) pairs, in an order fixed by ``seed``: ``per_batch``
    articles drawn at random, from each the next ``per_article`` questions of its shuffled
    queue that ask about distinct paragraphs (a question whose paragraph the batch already
    holds is passed over, and not used). An article leaves the draw when fewer than
    ``per_article`` questions are left in its queue."""
    rng = random.Random(seed)
    queues = [rng.sample(range(len(questions)), len(questions)) for questions in articles]
    cursor = [0] * len(articles)
    batches: list[list[tuple[int, int]]] = []
    drawn = list(range(len(articles)))
    while True:
        drawn = [a for a in drawn if cursor[a] + per_article <= len(queues[a])]
        if len(drawn) < per_batch:
            break
        batch = []
        for a in rng.sample(drawn, per_batch):
            paragraphs: set[str] = set()
            while len(paragraphs) < per_article and cursor[a] < len(queues[a]):
                q = queues[a][cursor[a]]
                cursor[a] += 1
                if articles[a][q][1] not in paragraphs:
                    paragraphs.add(articles[a][q][1])
                    batch.append((a, q))
        batches.append(batch)
    rng.shuffle(batches)
    return batches


def token_ids(tokenizer, texts: list[str], limit: int) -> tuple[list, list[list[int]]]:
    """The encodings of ``texts`` and their ids cut to ``limit`` tokens (ending with [SEP])."""
    encodings = tokenizer.encode_batch(texts)
    sep = tokenizer.token_to_id("[SEP]")
    return encodings, [e.ids if len(e.ids) <= limit else e.ids[: limit - 1] + [sep] for e in encodings]


def padded(ids: list[list[int]]):
    """Token ids and attention mask, (batch, longest)."""
    import torch

    width = max(map(len, ids))
    x = torch.zeros(len(ids), width, dtype=torch.long)
    mask = torch.zeros(len(ids), width, dtype=torch.long)
    for i, row in enumerate(ids):
        x[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return x, mask


def mean_pooled(states, mask):
    """L2-normalized mean of the states of each row's tokens (what sentence-transformers pools)."""
    import torch

    weights = mask.unsqueeze(-1).to(states.dtype)
    return torch.nn.functional.normalize((states * weights).sum(1) / weights.sum(1).clamp(min=1), dim=-1)


def sentence_rows(encodings, ids: list[list[int]], texts: list[str]) -> tuple[list[list[int]], list[list[tuple[int, int, int]]]]:
    """Each sentence of each passage as the flat positions (passage * width + token) of its own
    tokens, before ``width`` is known: (passage, token) pairs; and per passage its sentences as
    (row, start, end) characters."""
    rows, where = [], []
    for p, (encoding, text) in enumerate(zip(encodings, texts)):
        inside = len(ids[p]) - 1  # the tokens before the last [SEP]
        mine = []
        for span in chunking.sentences(text):
            tokens = [t for t, (a, z) in enumerate(encoding.offsets[:inside]) if t and z > a and a >= span.start and z <= span.end]
            if tokens:
                mine.append((len(rows), span.start, span.end))
                rows.append([p, *tokens])
        where.append(mine)
    return rows, where


def batch_loss(model, tokenizer, articles: list[Article], batch: list[tuple[int, int]], device, bf16: bool):
    """The passage loss and the sentence loss of one batch."""
    import torch

    items = [articles[a][q] for a, q in batch]
    _, question_ids = token_ids(tokenizer, [i[0] for i in items], QUESTION_TOKENS)
    passages = [i[1] for i in items]
    encodings, passage_ids = token_ids(tokenizer, passages, PASSAGE_TOKENS)
    qx, qmask = (t.to(device) for t in padded(question_ids))
    px, pmask = (t.to(device) for t in padded(passage_ids))
    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
        q_states, p_states = model(qx, qmask), model(px, pmask)
    q = mean_pooled(q_states.float(), qmask)
    p = mean_pooled(p_states.float(), pmask)
    targets = torch.arange(len(batch), device=device)
    passage_loss = torch.nn.functional.cross_entropy(SCALE * q @ p.T, targets)

    rows, where = sentence_rows(encodings, passage_ids, passages)
    width = px.shape[1]
    pool = torch.zeros(len(rows), len(batch) * width, device=device)
    for r, (p_index, *tokens) in enumerate(rows):
        pool[r, [p_index * width + t for t in tokens]] = 1.0 / len(tokens)
    sentences = torch.nn.functional.normalize(pool @ p_states.float().reshape(-1, p_states.shape[-1]), dim=-1)
    gold = []
    for k, (_, _, start, end) in enumerate(items):
        holding = [r for r, s, e in where[k] if s < end and start < e]
        gold.append(holding[0] if holding else -100)
    sentence_loss = torch.nn.functional.cross_entropy(SCALE * q @ sentences.T, torch.tensor(gold, device=device), ignore_index=-100)
    return passage_loss, sentence_loss


def load_model(device):
    """The bundled model's BERT (``qa/torch_bert.py``), its word embeddings frozen."""
    from qa.torch_bert import TorchBert

    model = TorchBert.from_pretrained(Path(base_model_path()))
    model.embeddings["word_embeddings"].weight.requires_grad_(False)
    return model.to(device)


def embedded(model, tokenizer, texts: list[str], limit: int, device, size: int = 64) -> np.ndarray:
    """Normalized mean-pooled vectors of ``texts``, in batches of similar length."""
    import torch

    model.eval()
    out = np.zeros((len(texts), model.dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.no_grad():
        for k in range(0, len(order), size):
            chunk = order[k : k + size]
            _, ids = token_ids(tokenizer, [texts[i] for i in chunk], limit)
            x, mask = (t.to(device) for t in padded(ids))
            out[chunk] = mean_pooled(model(x, mask).float(), mask).cpu().numpy()
    return out


def measure(model, tokenizer, data: Path, device) -> dict:
    """Embedding-only hit@1 on the validation sets the training folder holds."""
    report = {}
    squad = data / "squad-dev-v2.0-articles-6-30.json"
    if squad.exists():
        hits = total = 0
        for article in json.loads(squad.read_text(encoding="utf-8"))["data"][20:]:  # articles 26-30
            paragraphs = [p["context"] for p in article["paragraphs"]]
            asked = [(qa["question"], i) for i, p in enumerate(article["paragraphs"]) for qa in p["qas"] if not qa.get("is_impossible")]
            passages = embedded(model, tokenizer, paragraphs, PASSAGE_TOKENS, device)
            questions = embedded(model, tokenizer, [q for q, _ in asked], QUESTION_TOKENS, device)
            best = (questions @ passages.T).argmax(1)
            hits += sum(int(b == gold) for b, (_, gold) in zip(best, asked))
            total += len(asked)
        report["squad 26-30 passage hit@1"] = round(hits / total, 4)
    selqa = data / "selqa" / "selqa-ass-test.json"
    if selqa.exists():
        records = []
        for r in json.loads(selqa.read_text(encoding="utf-8")):
            if r["is_paraphrase"] and r["answers"]:
                records.append((r["question"], r["candidates"], set(r["answers"])))
        questions = embedded(model, tokenizer, [q for q, _, _ in records], QUESTION_TOKENS, device)
        sentences = embedded(model, tokenizer, [s for _, c, _ in records for s in c], SENTENCE_TOKENS, device)
        hits = first = 0
        for i, (_, candidates, gold) in enumerate(records):
            hits += int(np.argmax(sentences[first : first + len(candidates)] @ questions[i])) in gold
            first += len(candidates)
        report["selqa reworded sentence hit@1"] = round(hits / len(records), 4)
    return report


def train(args) -> None:
    import torch

    out = Path(args.out)
    log = run_log(out)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    bf16 = bf16_pays(device) and not args.no_bf16
    log(f"args {vars(args)}")
    data = Path(args.data)
    log(f"data {data.name} sha256 {sha256(data)}")
    articles = squad_articles(data)
    plan = article_batches(articles, args.articles, args.per_article, args.seed)
    if args.steps:
        plan = plan[: args.steps]
    log(f"{len(plan)} batches of {args.articles} articles x {args.per_article} questions")
    tokenizer = base_tokenizer()
    model = load_model(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    schedule = warmup_decay(optimizer, len(plan))
    checkpoint = out / "checkpoint.pt"
    step = resume(checkpoint, model, optimizer, schedule, device, log)
    started, running = time.perf_counter(), None
    while step < len(plan):
        model.train()
        passage_loss, sentence_loss = batch_loss(model, tokenizer, articles, plan[step], device, bf16)
        (passage_loss + sentence_loss).backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad()
        schedule.step()
        step += 1
        now = np.array([passage_loss.item(), sentence_loss.item()])
        running = now if running is None else 0.95 * running + 0.05 * now
        if step % args.log_every == 0 or step == len(plan):
            log(f"step {step}/{len(plan)} loss passages {running[0]:.3f} sentences {running[1]:.3f} {time.perf_counter() - started:.0f} s")
        if step % args.save_every == 0 or step == len(plan):
            save(checkpoint, model, optimizer, schedule, step, log)
    if args.measure:
        log(f"validation {measure(model, tokenizer, Path(args.validation), device)}")


def export(args) -> None:
    """The checkpoint's model as a sentence-transformers folder: the bundled model's files with
    the trained weights (``QA_MODEL=DIR`` makes qa use it)."""
    import torch
    from safetensors.torch import load_file, save_file

    state = torch.load(Path(args.out) / "checkpoint.pt", weights_only=False, map_location="cpu")["model"]
    base, target = Path(base_model_path()), Path(args.export)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(base, target)
    weights = load_file(str(base / "model.safetensors"))
    for name in weights:
        key = name.removeprefix("bert.")
        if key in state:
            weights[name] = state[key].to(weights[name].dtype).contiguous()
    save_file(weights, str(target / "model.safetensors"), metadata={"format": "pt"})
    print(f"exported {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(TRAIN / "squad-train-v1.1.json"), help="SQuAD 1.1 train")
    parser.add_argument("--validation", default=str(TRAIN), help="the folder of the validation sets")
    parser.add_argument("--out", default="runs/encoder", help="run folder: log, checkpoint (resumed when present)")
    parser.add_argument("--steps", type=int, default=0, help="train on the first N batches only (0: one pass, 1,237 batches)")
    parser.add_argument("--articles", type=int, default=8, help="articles a batch")
    parser.add_argument("--per-article", type=int, default=8, help="questions an article, from distinct paragraphs")
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda when available)")
    parser.add_argument("--no-bf16", action="store_true", help="train in float32 (default: bfloat16 autocast where it pays)")
    parser.add_argument("--log-every", type=int, default=25)
    parser.add_argument("--save-every", type=int, default=100)
    parser.add_argument("--measure", action=argparse.BooleanOptionalAction, default=True, help="measure the validation sets at the end")
    parser.add_argument("--export", default=None, help="write the checkpoint's model to this folder and stop")
    args = parser.parse_args()
    if args.export:
        export(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
