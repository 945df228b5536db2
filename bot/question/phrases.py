"""Short texts with an owner, embedded once: the glossary's descriptions, the sections' sample questions.

The vectors are kept in the process and in `cache_dir` (beside the store),
under a key made of the embedding model's name and the texts, so a changed
file or model is embedded again and a damaged cache is ignored.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Generic, Sequence, TypeVar

import numpy as np

from ingest.api import Embedder

T = TypeVar("T")


class PhraseIndex(Generic[T]):
    _cache: dict[str, np.ndarray] = {}
    _lock = threading.Lock()

    def __init__(self, owned: Sequence[tuple[T, str]], embedder: Embedder, cache_dir: Path | None = None,
                 prefix: str = "phrases") -> None:
        self.owned = list(owned)
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.prefix = prefix

    def vectors(self) -> np.ndarray:
        texts = [s for _, s in self.owned]
        key = hashlib.sha256("\n".join([self.embedder.name, *texts]).encode()).hexdigest()[:16]
        with self._lock:
            if key not in self._cache:
                loaded = self._load(key, len(texts))
                self._cache[key] = loaded if loaded is not None else self._embed(key, texts)
            return self._cache[key]

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / f"{self.prefix}-{key}.npy" if self.cache_dir else None

    def _load(self, key: str, n: int) -> np.ndarray | None:
        path = self._path(key)
        try:
            vectors = np.load(path) if path and path.is_file() else None
        except (OSError, ValueError):
            return None  # a damaged cache is embedded again
        return vectors if vectors is not None and vectors.shape[0] == n else None

    def _embed(self, key: str, texts: list[str]) -> np.ndarray:
        vectors = self.embedder.embed(texts)
        path = self._path(key)
        if path and path.parent.is_dir():
            tmp = path.with_name(f".{path.stem}.{os.getpid()}.npy")
            try:
                np.save(tmp, vectors)
                os.replace(tmp, path)
            except OSError:
                tmp.unlink(missing_ok=True)  # a read-only store: embedded once per process instead
        return vectors

    def ranked(self, vector: np.ndarray) -> list[tuple[T, str, float]]:
        """(owner, text, cosine) for every text, closest first."""
        if not self.owned:
            return []
        sims = self.vectors() @ vector
        return [(self.owned[i][0], self.owned[i][1], float(sims[i])) for i in np.argsort(-sims, kind="stable")]
