"""A BERT encoder in numpy: the query encoder and the reader.

It runs the transformer layers of a BERT checkpoint (safetensors names, with or without the
``bert.`` prefix) one sequence at a time in float32, so that answering a question never imports
torch. Its twin in torch (``qa/torch_bert.py``) embeds passages in padded batches when indexing,
and is what the reader is trained on.
"""

from __future__ import annotations

import math

import numpy as np


def fused(weights: dict[str, np.ndarray], layers: int) -> dict[str, np.ndarray]:
    """The weights in float32 without the ``bert.`` prefix, each layer's query, key and value
    fused into one product."""
    w = {key.removeprefix("bert."): value.astype(np.float32) for key, value in weights.items()}
    for i in range(layers):
        p = f"encoder.layer.{i}.attention.self."
        w[p + "qkv.weight"] = np.concatenate([w.pop(p + n + ".weight") for n in ("query", "key", "value")])
        w[p + "qkv.bias"] = np.concatenate([w.pop(p + n + ".bias") for n in ("query", "key", "value")])
    return w


class Bert:
    """The embeddings and transformer layers of one BERT, over a dict of numpy weights."""

    def __init__(self, weights: dict[str, np.ndarray], heads: int, layers: int, eps: float = 1e-12) -> None:
        self.heads, self.layers, self.eps = heads, layers, eps
        w = fused(weights, layers)
        self.w = w
        self.dim = int(w["embeddings.word_embeddings.weight"].shape[1])

    def __call__(self, ids: list[int], types: list[int] | None = None) -> np.ndarray:
        """The last hidden states, one row per token of ``ids`` (one sequence, no padding:
        measured faster than padded batches for the reader's few windows)."""
        w = self.w
        n = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
        type_table = w["embeddings.token_type_embeddings.weight"]
        x = x + (type_table[0] if types is None else type_table[np.asarray(types)])
        x = self._norm(x, "embeddings.LayerNorm")
        heads, size = self.heads, self.dim // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q, k, v = self.dense(x, p + "attention.self.qkv").reshape(n, 3, heads, size).transpose(1, 2, 0, 3)
            scores = (q * (1 / math.sqrt(size))) @ k.transpose(0, 2, 1)  # a Python float keeps float32
            scores -= scores.max(axis=-1, keepdims=True)  # softmax in place: the largest array here
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, self.dim)
            x = self._norm(x + self.dense(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            hidden = gelu(self.dense(x, p + "intermediate.dense"))
            x = self._norm(x + self.dense(hidden, p + "output.dense"), p + "output.LayerNorm")
        return x

    def dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, x * Phi(x); erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7), computed
    in place, a few passes over the array (the reader's largest activations)."""
    z = np.abs(x)
    z *= 1 / math.sqrt(2.0)
    t = z * 0.3275911
    t += 1.0
    np.reciprocal(t, out=t)
    tail = t * 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        tail += c
        tail *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    tail *= z  # 1 - erf(|x| / sqrt 2)
    tail *= -0.5
    tail += 0.5
    np.copysign(tail, x, out=tail)  # erf(x / sqrt 2) / 2
    tail += 0.5  # Phi(x)
    tail *= x
    return tail

