"""A sentence-transformers BERT model (MiniLM) run with numpy alone: no torch, no transformers.

It reads what sentence-transformers reads from the model folder (config.json,
model.safetensors, tokenizer.json, sentence_bert_config.json, 1_Pooling) and
computes the same thing: BERT encoder, mean pooling over the real tokens, unit
length. Loading takes a few tenths of a second where torch and
sentence-transformers take several seconds, which is what a one-question
command waits for. The vectors agree with sentence-transformers' to 1e-5
(tests/test_embed.py).
"""

from __future__ import annotations

import contextlib
import json
import math
import mmap
from pathlib import Path
from typing import Any, Sequence

import numpy as np

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file, as read-only arrays over a memory map (nothing copied).

    The format: an 8-byte little-endian header length, a JSON header (name ->
    dtype, shape, byte offsets into the data that follows), then the data.
    """
    with open(path, "rb") as f:
        buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    n = int.from_bytes(buf[:8], "little")
    header = json.loads(buf[8 : 8 + n])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        start, end = t["data_offsets"]
        dtype = _DTYPES[t["dtype"]]
        count = (end - start) // np.dtype(dtype).itemsize
        out[name] = np.frombuffer(buf, dtype=dtype, count=count, offset=8 + n + start).reshape(t["shape"])
    return out


def erf(x: np.ndarray) -> np.ndarray:
    """The error function to within 5e-7 (Abramowitz and Stegun 7.1.26), in float32, computed in place.

    >>> [round(float(v), 6) for v in erf(np.array([-3.0, -0.5, 0.0, 0.1, 1.0, 2.5], dtype=np.float32))]
    [-0.999978, -0.5205, 0.0, 0.112463, 0.842701, 0.999593]
    """
    x = np.asarray(x, dtype=np.float32)
    a = np.abs(x)
    t = a * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    with np.errstate(under="ignore"):
        np.exp(a, out=a)
    poly *= a  # erfc(|x|)
    np.subtract(1.0, poly, out=poly)
    return np.copysign(poly, x, out=poly)


GELU_BLOCK = 1 << 15  # values per pass: erf's dozen passes over a block stay in the CPU's cache (2.1x on 8k x 1536)


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's activation, the exact (erf) GELU, a cache-sized block at a time (the same values).

    >>> [round(float(v), 5) for v in gelu(np.array([-1.0, 0.0, 1.0, 3.0], dtype=np.float32))]
    [-0.15866, 0.0, 0.84134, 2.99595]
    >>> x = np.linspace(-4, 4, 5 * (GELU_BLOCK + 7), dtype=np.float32).reshape(-1, 5)
    >>> bool(np.array_equal(gelu(x), _gelu(x)))
    True
    """
    if x.size <= GELU_BLOCK:
        return _gelu(x)
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty_like(flat)
    for i in range(0, flat.size, GELU_BLOCK):
        out[i : i + GELU_BLOCK] = _gelu(flat[i : i + GELU_BLOCK])
    return out.reshape(x.shape)


def _gelu(x: np.ndarray) -> np.ndarray:
    e = erf(x * np.float32(1 / math.sqrt(2)))
    e += 1.0
    e *= x
    e *= np.float32(0.5)
    return e


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    d = x - mu
    var = (d * d).mean(-1, keepdims=True)
    return d / np.sqrt(var + np.float32(eps)) * w + b


def supported(path: str | Path) -> bool:
    """Whether `path` holds a model this module runs: a mean-pooled BERT with GELU, saved as safetensors."""
    root = Path(path)
    try:
        cfg = json.loads((root / "config.json").read_text())
        pooling = json.loads((root / "1_Pooling" / "config.json").read_text())
        modules = [m.get("type", "") for m in json.loads((root / "modules.json").read_text())]
    except (OSError, ValueError):
        return False
    known = {"sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
             "sentence_transformers.models.Normalize"}
    return (cfg.get("model_type") == "bert" and cfg.get("hidden_act") == "gelu"
            and cfg.get("position_embedding_type", "absolute") == "absolute"
            and bool(pooling.get("pooling_mode_mean_tokens")) and sum(bool(v) for k, v in pooling.items()
                                                                      if k.startswith("pooling_mode")) == 1
            and set(modules) <= known and (root / "model.safetensors").is_file() and (root / "tokenizer.json").is_file())


class _Blas:
    """How many threads BLAS uses, set per step: its threads pay off on the large products of a batch
    (the linear layers over every token) and cost more than they save on small ones (one question, the
    per-head attention), far more when other processes share the cores."""

    def __init__(self) -> None:
        from threadpoolctl import ThreadpoolController

        self._controller = ThreadpoolController()

    def threads(self, n: int | None) -> Any:
        """A context with BLAS on `n` threads (None: as many as it was given)."""
        return contextlib.nullcontext() if n is None else self._controller.limit(limits=n, user_api="blas")


MANY_TOKENS = 2048  # a batch with this many tokens or more runs its linear layers on every BLAS thread


class NumpyMiniLM:
    """Mean-pooled, unit-length sentence vectors from a sentence-transformers BERT folder."""

    def __init__(self, path: str | Path) -> None:
        from tokenizers import Tokenizer

        root = Path(path)
        if not supported(root):
            raise ValueError(f"{root}: not a mean-pooled BERT model in safetensors; use the sentence-transformers backend")
        cfg = json.loads((root / "config.json").read_text())
        st_path = root / "sentence_bert_config.json"
        st = json.loads(st_path.read_text()) if st_path.is_file() else {}
        self.lower = bool(st.get("do_lower_case", False))
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg["layer_norm_eps"])
        self.dimension = int(cfg["hidden_size"])
        self.w = read_safetensors(root / "model.safetensors")
        if "embeddings.word_embeddings.weight" not in self.w:  # saved from BertForX: names start with "bert."
            self.w = {k.removeprefix("bert."): v for k, v in self.w.items()}
        self.tokenizer: Any = Tokenizer.from_file(str(root / "tokenizer.json"))
        self.tokenizer.no_padding()  # sentence-transformers pads per batch and truncates at max_seq_length
        self.tokenizer.enable_truncation(max_length=int(st.get("max_seq_length", 256)))
        self._blas = _Blas()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length float32 row per text; texts are batched by length, as sentence-transformers does."""
        encs = self.tokenizer.encode_batch([t.lower() for t in texts] if self.lower else list(texts))
        order = sorted(range(len(encs)), key=lambda i: -len(encs[i].ids))
        out = np.zeros((len(encs), self.dimension), dtype=np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.float32)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1.0
            with self._blas.threads(None if ids.size >= MANY_TOKENS else 1):
                out[idx] = self._forward(ids, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w, eps = self.w, self.eps
        b, n = ids.shape
        h, d = self.heads, self.dimension // self.heads
        x = (w["embeddings.word_embeddings.weight"][ids.ravel()]  # one row per token: (b * n, hidden)
             + np.tile(w["embeddings.position_embeddings.weight"][:n], (b, 1))
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        scale = np.float32(1 / math.sqrt(d))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
                out = t @ w[p + name + ".weight"].T
                out += w[p + name + ".bias"]
                return out

            def heads(t: np.ndarray) -> np.ndarray:
                return np.ascontiguousarray(t.reshape(b, n, h, d).transpose(0, 2, 1, 3))

            q, k, v = (heads(lin(x, f"attention.self.{m}")) for m in ("query", "key", "value"))
            with self._blas.threads(1):
                scores = q @ k.transpose(0, 1, 3, 2)
                scores *= scale
                scores += bias
                scores -= scores.max(-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(-1, keepdims=True)
                ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b * n, h * d)
            x = _layer_norm(lin(ctx, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], eps)
            x = _layer_norm(lin(gelu(lin(x, "intermediate.dense")), "output.dense") + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        summed = (x.reshape(b, n, -1) * mask[:, :, None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
