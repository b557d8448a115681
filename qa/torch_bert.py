"""A BERT encoder in torch: the one that indexing embeds passages with and the reader is trained on.

It is the twin of the numpy BERT (``qa/bert.py``) that answering runs, so that a question never
imports torch. Its parameters are named and ordered as transformers' ``BertModel`` (no pooler)
names them (``embeddings.word_embeddings.weight``, ``encoder.layer.0.attention.self.query.weight``
and so on), so that a model's safetensors, a training checkpoint and an exported reader load into
it as they are; ``tests/test_bert.py`` checks that it gives transformers' hidden states.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F


class TorchBert(nn.Module):
    """The embeddings and transformer layers of one BERT, over padded batches.

    ``dropout`` is BERT's hidden dropout (after the embeddings and on each residual branch), in
    train mode only. The attention weights get none: on CPU it would force the slow attention
    path (2.5x slower training).
    """

    def __init__(
        self,
        vocab: int,
        dim: int,
        layers: int,
        heads: int,
        intermediate: int,
        positions: int,
        types: int,
        eps: float = 1e-12,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.dim = dim
        self.embeddings = nn.ModuleDict(
            {
                "word_embeddings": nn.Embedding(vocab, dim),
                "position_embeddings": nn.Embedding(positions, dim),
                "token_type_embeddings": nn.Embedding(types, dim),
                "LayerNorm": nn.LayerNorm(dim, eps=eps),
            }
        )
        self.encoder = nn.ModuleDict(
            {"layer": nn.ModuleList(Layer(dim, heads, intermediate, eps, dropout) for _ in range(layers))}
        )
        self.dropout = nn.Dropout(dropout)

    @classmethod
    def from_pretrained(cls, directory: Path) -> TorchBert:
        """The BERT of a model folder (``config.json`` and ``model.safetensors``, names with or
        without the ``bert.`` prefix; a pooler is left out), in float32, with its config's dropout."""
        from safetensors.torch import load_file

        config = json.loads((directory / "config.json").read_text())
        # initialized, then replaced by the weights (built on the meta device instead, it would
        # import torch._dynamo: 1.4 s more for the first `qa index add`)
        model = cls(
            vocab=int(config["vocab_size"]),
            dim=int(config["hidden_size"]),
            layers=int(config["num_hidden_layers"]),
            heads=int(config["num_attention_heads"]),
            intermediate=int(config["intermediate_size"]),
            positions=int(config["max_position_embeddings"]),
            types=int(config["type_vocab_size"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
            dropout=float(config.get("hidden_dropout_prob", 0.0)),
        )
        weights = {name.removeprefix("bert."): value for name, value in load_file(str(directory / "model.safetensors")).items()}
        model.load_state_dict({name: weights[name].float() for name in model.state_dict()}, assign=True)
        return model

    def forward(self, ids: torch.Tensor, mask: torch.Tensor | None = None, types: torch.Tensor | None = None) -> torch.Tensor:
        """The last hidden states (batch, n, dim) of the token ``ids`` (batch, n); ``mask`` is 1 for
        a token and 0 for padding (default: no padding), ``types`` the token types (default: 0)."""
        e = self.embeddings
        x = e["word_embeddings"](ids) + e["position_embeddings"].weight[: ids.shape[1]]
        x = x + (e["token_type_embeddings"].weight[0] if types is None else e["token_type_embeddings"](types))
        x = self.dropout(e["LayerNorm"](x))
        attend = None if mask is None else mask[:, None, None, :] > 0  # (batch, 1, 1, n): the keys to attend to
        for layer in self.encoder["layer"]:
            x = layer(x, attend)
        return x


class Layer(nn.Module):
    """One transformer layer: self-attention (its query, key and value fused into one product at
    each pass), then the feed-forward block, each added back and normalized."""

    def __init__(self, dim: int, heads: int, intermediate: int, eps: float, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.attention = nn.ModuleDict(
            {
                "self": nn.ModuleDict({name: nn.Linear(dim, dim) for name in ("query", "key", "value")}),
                "output": nn.ModuleDict({"dense": nn.Linear(dim, dim), "LayerNorm": nn.LayerNorm(dim, eps=eps)}),
            }
        )
        self.intermediate = nn.ModuleDict({"dense": nn.Linear(dim, intermediate)})
        self.output = nn.ModuleDict({"dense": nn.Linear(intermediate, dim), "LayerNorm": nn.LayerNorm(dim, eps=eps)})
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, attend: torch.Tensor | None) -> torch.Tensor:
        batch, n, dim = x.shape
        projections = self.attention["self"].values()
        weight = torch.cat([p.weight for p in projections])
        bias = torch.cat([p.bias for p in projections])
        q, k, v = F.linear(x, weight, bias).view(batch, n, 3, self.heads, dim // self.heads).permute(2, 0, 3, 1, 4)
        context = F.scaled_dot_product_attention(q, k, v, attn_mask=attend).transpose(1, 2).reshape(batch, n, dim)
        attended = self.attention["output"]
        x = attended["LayerNorm"](x + self.dropout(attended["dense"](context)))
        out = self.output
        return out["LayerNorm"](x + self.dropout(out["dense"](F.gelu(self.intermediate["dense"](x)))))
