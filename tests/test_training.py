"""The reader's training script runs, resumes and exports; the numpy reader reads as torch does."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.read.reader import Reader, best_span
from qa.read.reading import sentence_tokens, windows
from training.role_examples import PEOPLE, exchange_text, role_conversations, role_examples
from training.train_reader import _elsewhere, _turn_text, base_model_path, load_model, mentions, reworded, swapped

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "training" / "train_reader.py"

PARAGRAPHS = [
    "The ferry leaves Dover at nine in the morning. It reaches Calais ninety minutes later.",
    "Marie Curie won the Nobel Prize in Physics in 1903. She won a second one, in Chemistry, in 1911.",
    "The library opens on Mondays. Its reading room holds four hundred seats under a glass dome.",
]
QUESTIONS = [
    ("When does the ferry leave Dover?", "at nine in the morning"),
    ("In which year did Marie Curie win the Chemistry prize?", "1911"),
    ("How many seats does the reading room hold?", "four hundred"),
]


def squad(order: list[int], impossible: bool = False) -> dict:
    """A small SQuAD-format article over the sample paragraphs in ``order``, one question each."""
    out = []
    for i in order:
        context, (question, answer) = PARAGRAPHS[i], QUESTIONS[i]
        record = {"id": question, "question": question, "answers": [{"text": answer, "answer_start": context.index(answer)}]}
        if impossible:
            record = {"id": question, "question": question + " Why?", "answers": [], "is_impossible": True}
        out.append({"context": context, "qas": [record]})
    return {"title": "Sample", "paragraphs": out}


def write_data(folder: Path) -> None:
    """Tiny files in the shapes of the three training files."""
    folder.mkdir()
    (folder / "squad-train-v1.1.json").write_text(json.dumps({"data": [squad([0, 1, 2]), squad([2, 1, 0])]}))
    articles = [squad([0, 1, 2], impossible=i % 2 == 1) for i in range(7)]
    (folder / "squad-dev-v2.0-articles-6-30.json").write_text(json.dumps({"data": articles}))
    story = "\n\n".join(PARAGRAPHS)
    start = story.index("at nine")
    record = {
        "story": story,
        "history_turns": [{"turn_id": 1, "question": "Where does the ferry go?", "answer": "Calais", "rationale": "It reaches Calais"}],
        "target_turn": {"turn_id": 2, "question": "When does it leave?", "span_start": start, "span_end": start + 22},
    }
    (folder / "abg-coqa-test.json").write_text(json.dumps({"data": [record, {**record, "story": story + " "}]}))
    (folder / "selqa").mkdir()
    sections = [
        {"article": "Travel", "section": name, "candidates": chunk, "answers": [1], "question": question}
        for name, chunk, question in (
            ("Ferries", ["The ferry leaves Dover at nine in the morning.", "It reaches Calais ninety minutes later."],
             "How long is the crossing?"),
            ("Books", ["The library opens on Mondays.", "Its reading room holds four hundred seats under a glass dome."],
             "How large is the reading room?"),
        )
    ]
    for name, paraphrased in (("dev", False), ("test", True)):
        records = [{**r, "is_paraphrase": paraphrased, "q_types": ["what"]} for r in sections]
        (folder / "selqa" / f"selqa-ass-{name}.json").write_text(json.dumps(records))


def run(*args: str) -> str:
    result = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("training")
    write_data(folder / "data")
    common = ["--data", str(folder / "data"), "--out", str(folder / "run"), "--batch", "4", "--log-every", "1"]
    first = run(
        *common, "--save-every", "2", "--removed", "1", "--swapped", "1", "--history-turns", "--selqa", "2", "--roles", "6", "--pronouns", "4", "--workers", "2"
    )
    assert "step 1/" in first and "saved step" in first and "sha256" in first
    assert "'squad11-swapped'" in first and "'coqa-history'" in first and "'selqa': 4" in first and "'selqa-other'" in first
    assert "held out selqa-reworded" in first and "'sentence'" in first
    assert "made-up exchanges (--roles) 6" in first and "held out roles" in first
    assert "follow-ups with a pronoun (--pronouns) 4" in first
    again = run(*common, "--save-every", "2")  # finished: resumes at the end, takes no step
    assert "resumed at step" in again and "step 1/" not in again
    run("--out", str(folder / "run"), "--export", str(folder / "reader"))
    return folder


def test_training_runs_resumes_and_exports(trained):
    exported = trained / "reader" / "reader.safetensors"
    assert exported.is_file()
    from safetensors.numpy import load_file

    weights = load_file(str(exported))
    assert not any("word_embeddings" in name for name in weights)  # shared with the bundled model
    assert all(w.dtype == np.float16 for w in weights.values())


def test_a_sentence_head_left_untrained_is_not_exported(trained):
    """With --sentence-weight 0 the head keeps its random weights: qa would choose sentences by it."""
    run_dir, exported = trained / "no-head", trained / "no-head-reader"
    common = ["--data", str(trained / "data"), "--out", str(run_dir), "--batch", "4", "--examples", "2"]
    run(*common, "--init", str(trained / "reader"), "--sentence-weight", "0")
    run("--out", str(run_dir), "--export", str(exported))
    from safetensors.numpy import load_file

    names = list(load_file(str(exported / "reader.safetensors")))
    assert "span.weight" in names and not any(name.startswith("sentence.") for name in names)
    assert any(name.startswith("sentence.") for name in load_file(str(trained / "reader" / "reader.safetensors")))


def test_tuning_the_top_layers_keeps_the_embeddings_and_the_layers_below(trained):
    """--tune-layers 2: what the resolver shares with the reader (embeddings, layers 0-3) is
    exported as it was given; the top two layers and the heads learn."""
    run_dir, exported = trained / "top-two", trained / "top-two-reader"
    common = ["--data", str(trained / "data"), "--out", str(run_dir), "--batch", "4", "--examples", "4", "--lr", "1e-3"]
    assert "tuned: the top 2 layers" in run(*common, "--init", str(trained / "reader"), "--tune-layers", "2")
    run("--out", str(run_dir), "--export", str(exported))
    from safetensors.numpy import load_file

    before, after = load_file(str(trained / "reader" / "reader.safetensors")), load_file(str(exported / "reader.safetensors"))
    kept = [n for n in before if n.startswith("embeddings.") or any(n.startswith(f"encoder.layer.{i}.") for i in range(4))]
    tuned = [n for n in before if n.startswith(("encoder.layer.4.", "encoder.layer.5.", "span.", "answerable."))]
    assert kept and tuned
    assert all(np.array_equal(before[n], after[n]) for n in kept)
    assert all(not np.array_equal(before[n], after[n]) for n in tuned if n.endswith("weight") and "LayerNorm" not in n)


def test_a_plan_cut_to_fit_its_time_decays_the_learning_rate_to_zero_at_its_new_end():
    """--seconds moves the plan's end once the pace is known: the rate then falls to 0 at the new end."""
    import torch

    from training.train_reader import warmup_decay

    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    end = [100]
    schedule = warmup_decay(optimizer, 100, lambda: end[0])
    rates = []
    for step in range(60):
        if step == 20:
            end[0] = 60
        rates.append(schedule.get_last_lr()[0])
        optimizer.step()
        schedule.step()
    assert rates[5] == pytest.approx(1.0)  # warm-up: the first 6% of the plan as first made
    assert rates[20] == pytest.approx((100 - 20) / 94)  # decaying towards step 100 (set before the cut)
    assert rates[21] == pytest.approx((60 - 21) / 54) and rates[59] == pytest.approx(1 / 54)  # now towards step 60
    assert schedule.get_last_lr()[0] == 0.0


def test_a_plan_fitted_to_its_time_follows_the_recent_pace():
    """--seconds fits the plan to the time left at the pace of the recent batches: a slow start
    (a neighbouring run still cutting its windows) cuts it, a faster pace gives batches back, and
    it never passes the whole plan nor stops before one more batch."""
    from training.train_reader import PACE_BATCHES, PACE_MARKS, fitted_plan

    slow = [(1 + i * PACE_BATCHES, i * 10.0) for i in range(2)]  # 10 batches a second
    assert fitted_plan(slow, 100_000, 100.0) == 101 + 1_000
    fast = slow + [(slow[-1][0] + i * PACE_BATCHES, 10.0 + i * 2.0) for i in range(1, PACE_MARKS + 1)]  # then 50 a second
    assert fitted_plan(fast, 100_000, 100.0) == fast[-1][0] + 5_000
    assert fitted_plan(fast, 2_000, 100.0) == 2_000
    assert fitted_plan(fast, 100_000, -5.0) == fast[-1][0] + 1


def test_numpy_reader_matches_torch(trained):
    import torch

    reader = Reader(trained / "reader")
    model = load_model(base_model_path())
    state = torch.load(trained / "run" / "checkpoint.pt", weights_only=False)["model"]
    model.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in state.items()})
    model.eval()
    window = windows(reader.tokenizer, QUESTIONS[1][0], "Who won prizes?", PARAGRAPHS[1])[0]
    with torch.no_grad():
        ids = torch.tensor([window.ids])
        pool = torch.zeros(1, 1, len(window.ids))
        z, start, end, _ = model(ids, torch.tensor([window.types]), torch.ones_like(ids), pool)
    reading = reader.read(QUESTIONS[1][0], [PARAGRAPHS[1]], "Who won prizes?")[0]
    assert abs(reading.logit - float(z[0])) < 1e-3 * max(1.0, abs(float(z[0])))
    body = slice(window.first, window.first + len(window.offsets))
    i, j = best_span(start[0, body].numpy(), end[0, body].numpy())
    assert (reading.start, reading.end) == (window.offsets[i][0], window.offsets[j][1])


def test_numpy_sentence_head_matches_torch(trained):
    """Given the text's sentences, the numpy reader scores each as torch does (the mean of its
    tokens' scores), quotes the best one and finds the span inside it."""
    import torch

    reader = Reader(trained / "reader")
    assert reader.scores_sentences
    model = load_model(base_model_path())
    state = torch.load(trained / "run" / "checkpoint.pt", weights_only=False)["model"]
    model.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in state.items()})
    model.eval()
    text = PARAGRAPHS[1]
    spans = [(0, text.index(" She")), (text.index("She"), len(text))]
    window = windows(reader.tokenizer, QUESTIONS[1][0], None, text)[0]
    numbers, which = sentence_tokens(window, spans)
    pool = torch.zeros(1, len(which), len(window.ids))
    for k in range(len(which)):
        where = np.flatnonzero(numbers == k) + window.first
        pool[0, k, where] = 1.0 / len(where)
    with torch.no_grad():
        ids = torch.tensor([window.ids])
        *_, sentences = model(ids, torch.tensor([window.types]), torch.ones_like(ids), pool)
    reading = reader.read(QUESTIONS[1][0], [text], None, [spans])[0]
    best = int(sentences[0].argmax())
    assert reading.sentence == which[best]
    assert abs(reading.sentence_score - float(sentences[0, best])) < 1e-3 * max(1.0, abs(reading.sentence_score))
    chosen = spans[reading.sentence]
    assert chosen[0] <= reading.start < reading.end <= chosen[1]  # the span lies in the quoted sentence


def test_swapped_question_asks_about_what_the_paragraph_never_mentions():
    import random

    found = [mentions(p) for p in PARAGRAPHS]
    names, numbers = (sorted(set().union(*(f[kind] for f in found))) for kind in (0, 1))
    assert names == ["Calais", "Chemistry", "Curie", "Dover", "Mondays", "Nobel Prize", "Physics"]
    assert numbers == ["1903", "1911"]
    asked = {swapped("When does the ferry leave Dover?", PARAGRAPHS[0], (names, numbers), random.Random(seed)) for seed in range(30)}
    # a one-word name the ferry's paragraph never mentions takes Dover's place
    assert asked == {f"When does the ferry leave {name}?" for name in ("Chemistry", "Curie", "Mondays", "Physics")}
    # "Marie Curie" has no two-word stand-in outside her paragraph; the year has one
    question = "What did Marie Curie win in 1903?"
    assert swapped(question, PARAGRAPHS[1], (names, [*numbers, "1850"]), random.Random(0)) == "What did Marie Curie win in 1850?"
    assert swapped(question, PARAGRAPHS[1], (names, numbers), random.Random(0)) is None
    assert swapped("Who wrote Hamlet?", PARAGRAPHS[1], (names, numbers), random.Random(0)) is None  # nothing to swap


def test_a_follow_up_of_a_neighbouring_paragraph_is_answered_in_its_own():
    """``--elsewhere``: the previous turn (its question and short answer) was answered in the
    neighbour, which holds it and does not answer; the question's own paragraph does."""
    import random

    def paragraph(text: str, question: str, answer: str) -> dict:
        return {"context": text, "qas": [{"question": question, "answers": [{"text": answer, "answer_start": text.index(answer)}]}]}

    paragraphs = [
        paragraph(PARAGRAPHS[0], "When does the ferry leave Dover?", "at nine in the morning"),
        paragraph(PARAGRAPHS[1], "What did Marie Curie win in 1903?", "Nobel Prize"),
    ]
    start = PARAGRAPHS[1].index("Nobel Prize")
    own, other = _elsewhere("What did she win in 1903?", (start, start + 11), paragraphs, 1, random.Random(0))
    assert (own.text, own.answer, own.history) == (PARAGRAPHS[1], (start, start + 11), "When does the ferry leave Dover? at nine in the morning")
    assert (other.text, other.answer, other.history) == (PARAGRAPHS[0], None, own.history)


def test_a_previous_coqa_turn_reads_as_qa_gives_it_with_short_previous():
    """``--short-previous``: the previous turn is its question and short answer, as qa gives a
    follow-up; the rationale where the story does not hold the answer ("yes", a paraphrase)."""
    story = "Anna took the ferry at nine. She was glad to be home."
    turn = {"question": "When did Anna leave?", "answer": "At nine", "rationale": "Anna took the ferry at nine."}
    assert _turn_text(turn, story, short=True) == "When did Anna leave? At nine"
    assert _turn_text(turn, story, short=False) == "When did Anna leave? Anna took the ferry at nine."
    glad = {"question": "Was she happy?", "answer": "yes", "rationale": "She was glad to be home."}
    assert _turn_text(glad, story, short=True) == "Was she happy? She was glad to be home."


def test_made_up_exchanges_go_both_ways_and_answer_the_side_asked_about():
    rng = random.Random(3)
    two_way = 0
    for _ in range(200):
        text, exchanges = exchange_text(rng)
        for e in exchanges:
            mentions = {e.giver.full, e.giver.short, e.giver.described}
            assert text[slice(*e.spans["thing"])].lower() == e.thing
            assert text[slice(*e.spans["giver"])].lower() in {m.lower() for m in mentions}
            assert not text[e.spans["giver"][1] : e.spans["giver"][1] + 1].isalpha()  # a whole name: "Lin", not "Lindqvist"
        if len(exchanges) == 2:  # the second goes the other way, with another thing
            first, second = exchanges
            two_way += 1
            assert (first.giver, first.receiver) == (second.receiver, second.giver) and first.thing != second.thing
    assert 100 < two_way < 180
    made = role_examples(300, seed=5)
    asked_elsewhere = [m for m in made if m.answer is None]
    assert 0.1 < len(asked_elsewhere) / len(made) < 0.4
    for m in asked_elsewhere:  # another text: none of the people the question names is in it
        named = [full for full, _ in PEOPLE if full in m.question or full.split()[-1] in m.question]
        assert not any(full.split()[-1] in m.text for full in named), (m.question, m.text)


def test_made_up_conversations_ask_the_other_exchange_of_the_first_question_s_subject():
    for talk in role_conversations(100, seed=5):
        first, followup = talk.questions
        pronoun = next(word for word in followup.rstrip("?").split() if word in ("he", "she"))
        thing = talk.text[slice(*talk.answer)]
        assert thing and thing.lower() not in first.lower()  # the other exchange's thing
        # the first question names its subject, whose pronoun the follow-up uses
        named = [(full, p) for full, p in PEOPLE if full in first or full.split()[-1] in first]
        described = [p for full, p in PEOPLE if full in talk.text and f"{full}, the " in talk.text and talk.text.split(f"{full}, ")[1].split(",")[0] in first]
        assert pronoun in [p for _, p in named] + described


def test_reworded_question_shares_few_words_with_its_answer():
    sentence = "Its reading room holds four hundred seats under a glass dome."
    assert not reworded("How many seats does the reading room hold?", sentence)  # seats, reading, room of 5
    assert reworded("What is the capacity of the domed hall?", sentence)  # none of capacity, domed, hall
    assert reworded("How many people fit under the glass roof?", sentence)  # under and glass, 2 of 6


def test_best_span_respects_order_and_length():
    start = np.array([0.0, 5.0, 0.0, 0.0])
    end = np.array([3.0, 0.0, 1.0, 4.0])
    assert best_span(start, end) == (1, 3)  # end before start is not a span
    assert best_span(start, end, longest=2) == (1, 2)


@pytest.mark.parametrize(
    ("text", "span", "tidy"),
    [
        ("See the Microsoft developer Web site2 for more.", "Microsoft developer Web site2", "Microsoft developer Web site"),
        ("It follows DCE (The Open Group's standard) closely.", "DCE (The Open Group's", "DCE"),
        ("She was born in 1867 (in Warsaw) and", "1867 (in Warsaw)", "1867 (in Warsaw)"),
        ("Python3 is new. Python3 is fast.", "Python3", "Python3"),  # a name, not a footnote: it recurs
        ("The ferry from Dover) leaves", "Dover)", "Dover"),
        ("See the notes[12] below.", "notes[12]", "notes"),
        ("- 2 lemons, zested", "ze", "zested"),  # a word piece is its word
        ("the unbreakable glass", "break", "unbreakable"),
        ("costs £8.50 a day", "8", "8.50"),
        ("Write to desk@greenway.example.", "desk@greenway", "desk@greenway.example"),  # not the stop after it
        ("They used 512-bit keys", "512", "512"),  # a hyphen parts words
        ("had met Flores.Reed lost contact", "Flores", "Flores"),  # a stop that lost its space
        ("| Code: E2 | Cause: Grind dial between settings |", "E2 | Cause: Grind dial", "Grind dial"),  # one cell
        ("| Method: Moka pot | Setting: 13–18 |", "Setting", "13–18"),  # a column's label: its value
        ("| Method: Moka pot | Setting: 13–18 |", "13–18 |", "13–18"),
        ("Not covered:\n- burrs, which wear;", "- burrs", "burrs"),  # not the item's mark
        ("9.3 Notice may be served by post.", "9.3 Notice", "Notice"),  # nor a clause's
    ],
)
def test_a_short_answer_is_whole_words_without_footnote_markers_or_dangling_parentheses(text, span, tidy):
    from qa.read.reader import tidy_span

    start = text.index(span)
    a, b = tidy_span(text, start, start + len(span))
    assert text[a:b] == tidy


def test_no_short_answer_is_a_list_items_or_a_clauses_mark():
    """"How much notice …?" of "9.3 Notice under this clause …" had been answered "9.3"."""
    from qa.read.reader import _marks

    text = "9.3 Notice under this clause.\n(b) the agent's fee\n2. Fill the tank\n2.5 kg flour\n3 eggs\nIn 2.5 hours"
    assert [text[a:b].strip() for a, b in _marks(text)] == ["9.3", "(b)", "2."]  # not a quantity
