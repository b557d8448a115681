"""The resolver's training script runs, resumes and exports; the numpy resolver scores as torch does."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.read.resolver import Resolver, encode
from training.train_reader import base_tokenizer
from training.train_resolver import (
    Example,
    dev_examples,
    dev_fold,
    featurize,
    gold_terms,
    load_model,
    measure,
    squad_followups,
    topic_of,
    train_examples,
)

ROOT = Path(__file__).resolve().parent.parent

DIALOGUE = [
    ("what team did unitas play for", "what team did Johnny Unitas play for?"),
    ("how many games did the colts win", "how many games did the colts win"),
    ("who did they play in the playoffs", "who did the Colts play in the playoffs?"),
    ("what were his stats", "what were Johnny Unitas stats?"),
]


def write_data(folder: Path) -> None:
    """Tiny files in the shapes of CANARD's train.jsonl and dev.json."""
    folder.mkdir()
    lines = []
    for d in range(3):
        for n, (question, rewrite) in enumerate(DIALOGUE, 1):
            record = {"id": f"C_{d}_q#{n}", "QuAC_dialog_id": f"C_{d}", "Question_no": n, "Question": question, "Rewrite": rewrite}
            lines.append(json.dumps(record))
    (folder / "train.jsonl").write_text("\n".join(lines) + "\n")
    history = ["Frank Zappa", "Disbandment", "What group disbanded?", "Zappa and the Mothers of Invention"]
    dev = [
        {"History": history[:2], "Question": "What group disbanded?", "Rewrite": "What group disbanded?"},
        {"History": history, "Question": "When did they disband?", "Rewrite": "When did Zappa and the Mothers of Invention disband?"},
    ]
    (folder / "dev.json").write_text(json.dumps([{**r, "QuAC_dialog_id": "C_z", "Question_no": i + 1} for i, r in enumerate(dev)]))


def run(*args: str) -> str:
    command = [sys.executable, "-m", "training.train_resolver", *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module", params=[0, 1], ids=["frozen", "top-layer"])
def trained(request, tmp_path_factory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("resolver")
    write_data(folder / "data")
    layers = request.param
    common = ["--data", str(folder / "data"), "--out", str(folder / "run"), "--batch", "4", "--log-every", "1"]
    first = run(*common, "--tune-layers", str(layers), "--save-every", "2", "--threads", "1")
    assert "step 1/" in first and "saved step" in first and "sha256" in first and "chosen on CANARD dev" in first
    if layers:  # once is enough: finished, it resumes at the end and takes no step
        again = run(*common, "--tune-layers", str(layers))
        assert "resumed at step" in again and "step 1/" not in again
    run("--out", str(folder / "run"), "--export", str(folder / "resolver"))
    return folder, layers


def test_training_runs_resumes_and_exports(trained):
    folder, layers = trained
    from safetensors.numpy import load_file

    weights = load_file(str(folder / "resolver" / "resolver.safetensors"))
    assert all(w.dtype == np.float16 for w in weights.values())
    assert {n for n in weights if n.startswith("head.")} == {"head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias"}
    tuned = {n.split(".")[2] for n in weights if n.startswith("encoder.layer.")}
    assert tuned == ({"5"} if layers else set())  # only what differs from the reader is shipped
    config = json.loads((folder / "resolver" / "resolver.json").read_text())
    assert 0 < config["threshold"] < 1 and config["tuned_layers"] == sorted(int(t) for t in tuned)
    lines = [json.loads(line) for line in run("--data", str(folder / "data"), "--measure", str(folder / "resolver")).splitlines()]
    assert len(lines) == 18 and lines[-1]["threshold"] == config["threshold"]  # every threshold, then its own
    assert lines[-1]["records"] == 2 and set(lines[-1]["occurrences"]) == {"precision", "recall", "f1"}


def test_numpy_resolver_scores_as_torch_does(trained):
    import torch

    folder, layers = trained
    resolver = Resolver(folder / "resolver")
    model = load_model(layers, 256)
    state = torch.load(folder / "run" / "checkpoint.pt", weights_only=False)["model"]
    # as exported: float16, but for the word embeddings, which stay the bundled model's
    model.load_state_dict({k: v if "word_embeddings" in k else v.half().float() for k, v in state.items()})
    model.eval()
    segments = ["Frank Zappa. Disbandment", "What group disbanded? Zappa and the Mothers of Invention"]
    encoded = encode(resolver.tokenizer, "When did they disband?", segments)
    assert [w for w in encoded.words] == ["Frank", "Zappa", "Disbandment", "group", "disbanded", "Zappa", "Mothers", "Invention"]
    ids = torch.tensor([encoded.ids])
    with torch.no_grad():
        states = model.states(ids, torch.tensor([encoded.types]), torch.ones_like(ids))[0, encoded.positions]
        expected = torch.sigmoid(model.score(states, torch.from_numpy(encoded.features))).numpy()
    assert np.abs(resolver.scores(encoded) - expected).max() < 1e-3


def test_the_encoder_is_the_reader_given(tmp_path):
    """--reader: the resolver runs on that exported reader's encoder (one just trained), not the shipped one's."""
    from safetensors.numpy import load_file, save_file

    from training.train_resolver import READER

    weights = load_file(str(READER / "reader.safetensors"))
    name = "encoder.layer.0.attention.self.query.weight"
    weights[name] = np.zeros_like(weights[name])
    save_file(weights, str(tmp_path / "reader.safetensors"))
    shipped, other = load_model(0, 8), load_model(0, 8, tmp_path)
    assert shipped.bert.state_dict()[name].abs().sum() > 0
    assert other.bert.state_dict()[name].abs().sum() == 0


def test_labels_are_the_words_a_rewrite_adds():
    assert gold_terms("who did they play in the playoffs", "who did the Colts play in the playoffs?", ["", "how many games did the colts win"]) == {"colts"}
    assert gold_terms("what team did unitas play for", "what team did Johnny Unitas play for?", ["Johnny Unitas"]) == {"johnny"}
    assert topic_of([{"Question": q, "Rewrite": r} for q, r in DIALOGUE]) == "Johnny Unitas"


def test_borrowed_words_count_once_a_question_and_again_where_written():
    example = Example("when did they disband", ["Frank Zappa. Disbandment", "And Zappa? The Mothers, with Zappa"], {"zappa", "mothers"}, False)
    feats = featurize(base_tokenizer(), [example], 64)
    assert [w.lower() for w in feats[0][5]] == ["frank", "zappa", "disbandment", "zappa", "mothers", "zappa"]
    scores = np.array([0.1, 0.9, 0.8, 0.2, 0.3, 0.7])  # "zappa" chosen in two of its three places, "mothers" in none
    result = measure([example], feats, [scores], 0.5)
    assert (result["precision"], result["recall"]) == (0.5, 0.5)  # words: zappa, disbandment chosen; zappa, mothers borrowed
    assert result["occurrences"] == {"precision": 0.6667, "recall": 0.5, "f1": 0.5714}  # 2 of 3 chosen places, 2 of 4 labelled


def test_examples_rebuild_each_turn_from_the_turns_before(tmp_path):
    write_data(tmp_path / "data")
    examples = train_examples(tmp_path / "data" / "train.jsonl", random.Random(0))
    assert len(examples) == 12
    third = next(e for e in examples if e.question == "who did they play in the playoffs")
    assert len(third.segments) == 3 and third.gold <= {"colts"}  # topic, then the two earlier turns
    assert third.segments[1] in {"how many games did the colts win"}  # the newest turn first
    dev = dev_examples(tmp_path / "data" / "dev.json")
    assert dev[1].segments == ["Frank Zappa. Disbandment", "What group disbanded? Zappa and the Mothers of Invention"]
    assert dev[1].gold == {"zappa", "mothers", "invention"} and dev[0].standalone


def test_dev_folds_learn_from_dev_but_measure_each_record_unseen(tmp_path):
    write_data(tmp_path / "data")
    dev_file = tmp_path / "data" / "dev.json"
    records = json.loads(dev_file.read_text())
    dev_file.write_text(json.dumps(records + [{**r, "QuAC_dialog_id": "C_y"} for r in records]))
    dev = dev_examples(dev_file)
    learned, measured = dev_fold(dev, 2, 0)
    assert {dev[i].dialogue for i in measured} == {"C_y"} and {e.dialogue for e in learned} == {"C_z"}
    common = ["--data", str(tmp_path / "data"), "--batch", "4", "--threads", "1", "--dev-folds", "2"]
    for fold in (0, 1):
        log = run(*common, "--out", str(tmp_path / f"fold{fold}"), "--fold", str(fold))
        assert f"dev fold {fold} of 2: 2 measured; the other 2 learned from, x3" in log
    combined = json.loads(run("--data", str(tmp_path / "data"), "--combine", str(tmp_path / "fold0"), str(tmp_path / "fold1")))
    assert combined["records"] == 4 and len(combined["threshold"]) == 2 and 0 <= combined["precision"] <= 1
    only = run(*common, "--out", str(tmp_path / "dev-only"), "--fold", "0", "--dev-only")
    assert "train 6 questions" in only  # dev's other fold, x3, and none of train.jsonl's 12


def test_squad_followups_point_back_to_the_answer_with_a_pronoun(tmp_path):
    context = "Beyoncé rose to fame as the lead singer of Destiny's Child. The group released its first album in 1998."
    qas = [
        {"question": "Which group made Beyoncé famous?", "answers": [{"answer_start": context.index("Destiny"), "text": "Destiny's Child"}]},
        {"question": "When did Destiny's Child release their first album?", "answers": [{"answer_start": context.index("1998"), "text": "1998"}]},
        {"question": "What did the Tisch School of the Arts teach?", "answers": [{"answer_start": 0, "text": "Beyoncé"}]},
    ]
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"data": [{"title": "Beyoncé", "paragraphs": [{"context": context, "qas": qas}]}]}))
    made = squad_followups(path, random.Random(0), 10)
    assert len(made) == 1  # the third question's name is not in the second answer's sentence
    [example] = made
    assert example.question.split()[2] in {"it", "they", "she", "he"}
    assert example.question.split()[3:] == "release their first album?".split()
    assert example.gold == {"destiny", "child"}
    assert example.segments[1].startswith("Which group made Beyoncé famous? Beyoncé rose to fame")
