"""qa's torch BERT is transformers' BertModel on the bundled model: the same parameter names in
the same order (a model's weights, a training checkpoint and an exported reader load as they
are, and a resumed optimizer finds its state) and the same hidden states, with or without
padding, token types and dropout."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from tokenizers import Tokenizer
from transformers import BertModel

from qa.store.embedding import DEFAULT_MODEL, model_path
from qa.torch_bert import TorchBert

PAIRS = [
    ("How many tractors have been assembled in Ganja?", "More than 10,000 tractors have been assembled in Ganja."),
    ("What did he give?", "The guest gave his host a carpet."),
    ("Who spoke?", "Aleksandr Lukashenko said so at the talks in Minsk, where both delegations met on Monday."),
]


@pytest.fixture(scope="module")
def models() -> tuple[TorchBert, BertModel]:
    directory = model_path(DEFAULT_MODEL)
    ours = TorchBert.from_pretrained(Path(directory))
    # as the reader was trained: no dropout on the attention weights
    theirs = BertModel.from_pretrained(directory, add_pooling_layer=False, attention_probs_dropout_prob=0.0)
    return ours, theirs


@pytest.fixture(scope="module")
def batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Question and text pairs as the reader reads them, padded to the longest: ids, mask, types."""
    tokenizer = Tokenizer.from_file(str(Path(model_path(DEFAULT_MODEL)) / "tokenizer.json"))
    tokenizer.enable_padding()
    encodings = tokenizer.encode_batch(PAIRS)
    ids, mask, types = (torch.tensor([getattr(e, name) for e in encodings]) for name in ("ids", "attention_mask", "type_ids"))
    assert (mask == 0).any() and (types == 1).any()  # padding and two token types, both exercised
    return ids, mask, types


def test_parameters_are_named_and_ordered_as_transformers(models):
    ours, theirs = models
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [(name, p.shape) for name, p in ours.named_parameters()] == [(name, p.shape) for name, p in theirs.named_parameters()]
    assert all(torch.equal(value, theirs.state_dict()[name]) for name, value in ours.state_dict().items())


def test_hidden_states_match_transformers(models, batch):
    ours, theirs = models
    ids, mask, types = batch
    ours.eval()
    theirs.eval()
    with torch.no_grad():
        mine = ours(ids, mask, types)
        expected = theirs(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
        assert torch.allclose(mine[mask > 0], expected[mask > 0], atol=1e-4)
        # no mask and no types: one unpadded sequence of type 0
        assert torch.allclose(ours(ids[:1]), theirs(input_ids=ids[:1]).last_hidden_state, atol=1e-4)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            low = ours(ids, mask, types).float()
    assert torch.nn.functional.cosine_similarity(low[mask > 0], expected[mask > 0]).min() > 0.999  # bfloat16 autocast


def test_dropout_is_where_transformers_puts_it(models, batch):
    """In train mode both draw the same dropout masks from the same seed, in the same order."""
    ours, theirs = models
    ids, mask, types = batch
    ours.train()
    theirs.train()
    try:
        with torch.no_grad():
            torch.manual_seed(0)
            mine = ours(ids, mask, types)
            torch.manual_seed(0)
            expected = theirs(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            again = ours(ids, mask, types)
    finally:
        ours.eval()
        theirs.eval()
    assert torch.allclose(mine[mask > 0], expected[mask > 0], atol=1e-4)
    assert not torch.allclose(mine, again)  # dropout does act in train mode
