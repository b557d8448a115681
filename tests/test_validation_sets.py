"""The validation sets that are built rather than read as they are (``bench/validation.py``):
checked against the data they come from, which lives beside the project (skipped without it)."""

from __future__ import annotations

import json

import pytest

from bench.validation import CHATS, TRAIN, canard_books, chat_texts, halves_set, held_out_articles

CANARD = TRAIN / "canard" / "dev.json"


@pytest.mark.skipif(not CANARD.exists(), reason="the training folder is not beside the project")
def test_canard_conversations_are_every_dev_question_over_its_dialogue_s_answers():
    records = json.loads(CANARD.read_text(encoding="utf-8"))
    books = canard_books()
    turns = [turn for _, book in books for turn in book]
    assert len(books) == 49 and len(turns) == len(records) == 3430
    assert sum(turn["opens"] for turn in turns) == 490  # one opening question a dialogue
    assert sorted(t["question"] for t in turns) == sorted(r["Question"] for r in records)
    for text, book in books:
        paragraphs = text.split("\n\n")
        for turn in book:
            if turn["gold"] is not None:  # the answer is one of the sentences of one paragraph
                assert sum(turn["gold"] in p for p in paragraphs) >= 1
    answered = [t for t in turns if t["gold"] is not None and not t["opens"]]
    assert len(answered) == 2046  # the turns measured: followed by their answer in the text


@pytest.mark.skipif(not CANARD.exists(), reason="the training folder is not beside the project")
def test_own_validation_conversations_point_at_one_place_of_their_texts():
    texts = chat_texts()
    assert len(texts) == 8  # two SQuAD 2.0 dev articles, six held-out Abg-CoQA stories
    conversations = [json.loads(line)["turns"] for line in CHATS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(conversations) == 35 and sum(map(len, conversations)) == 133
    for turns in conversations:
        assert turns[0]["question"] == turns[0]["rewrite"]  # a conversation opens standalone
        for turn in turns:
            for gold in turn["gold"]:  # exactly once in all eight texts
                holding = [text for text in texts.values() if gold in text]
                assert len(holding) == 1 and holding[0].count(gold) == 1, gold
            assert any(answer.lower() in "".join(texts.values()).lower() for answer in turn["answer"])


@pytest.mark.skipif(not (TRAIN / "squad-dev-v2.0-articles-6-30.json").exists(), reason="the training folder is not beside the project")
def test_halves_ask_each_question_of_the_half_of_its_article_that_does_not_answer_it():
    documents, asked = halves_set()
    assert len(documents) == 10  # five articles, each as its even and its odd paragraphs
    assert len(asked) == 660
    articles = held_out_articles()
    answers = {q["question"]: [x["text"] for x in q["answers"]] for a in articles for p in a["paragraphs"] for q in p["qas"]}
    paragraphs = {q["question"]: p["context"] for a in articles for p in a["paragraphs"] for q in p["qas"]}
    for question, doc in asked:
        assert paragraphs[question] not in documents[doc]  # its own paragraph is in the other half
        assert not any(answer.lower() in documents[doc].lower() for answer in answers[question])
