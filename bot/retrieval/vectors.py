"""Exact nearest passages: the stored vectors of the indexed passages as one matrix.

Chroma's HNSW index is approximate, and after deletes and upserts (an
article edited and ingested again) it can leave a live passage that no query
returns (chroma-core/chroma#7758, open on 1.5.9; a test that queried Chroma
right after an edit failed once in CI this way). A career corpus is a few
thousand passages: one matrix product over all of them takes well under a
millisecond, so careerbot scores every passage exactly and reads the vectors
from Chroma once per version of the store.

Vectors of other texts (the lines answers quote, `bot.compose.prepared`) are
saved beside a local store by `save_text_vectors`, keyed by text and model.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.api import Chunk, Hit


class VectorSource(Protocol):
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]: ...


class VectorTable:
    """Unit vectors of `chunks` (rows in the same order); passages without a stored vector are left out.

    >>> t = VectorTable.of([_c("a"), _c("b"), _c("c")], {"a": np.array([1.0, 0.0]), "b": np.array([3.0, 4.0])})
    >>> [(h.chunk.id, round(h.score, 2)) for h in t.nearest(np.array([0.0, 2.0]), 5)]
    [('b', 0.8), ('a', 0.0)]
    >>> {i: round(s, 2) for i, s in t.scores(np.array([1.0, 0.0]), ["b", "c"]).items()}
    {'b': 0.6}
    """

    def __init__(self, chunks: Sequence[Chunk], matrix: np.ndarray) -> None:
        self.chunks = list(chunks)
        self.matrix = matrix
        self._row = {c.id: i for i, c in enumerate(self.chunks)}

    @classmethod
    def of(cls, chunks: Sequence[Chunk], vectors: dict[str, np.ndarray]) -> VectorTable:
        kept = [c for c in chunks if c.id in vectors]
        if not kept:
            return cls([], np.zeros((0, 0), dtype=np.float32))
        m = np.stack([np.asarray(vectors[c.id], dtype=np.float32) for c in kept])
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return cls(kept, m / np.where(norms == 0, 1.0, norms))

    @classmethod
    def load(cls, store: VectorSource, chunks: Sequence[Chunk]) -> VectorTable:
        return cls.of(chunks, store.vectors([c.id for c in chunks]))

    def _cosines(self, query: np.ndarray) -> np.ndarray:
        q = np.asarray(query, dtype=np.float32)
        n = float(np.linalg.norm(q))
        return self.matrix @ (q / n if n else q)

    def nearest(self, query: np.ndarray, k: int) -> list[Hit]:
        """The `k` passages closest to `query` by cosine similarity, best first (ties: by id)."""
        if not self.chunks or k <= 0:
            return []
        s = self._cosines(query)
        top = np.argpartition(-s, k - 1)[:k] if k < len(s) else np.arange(len(s))
        order = sorted(top.tolist(), key=lambda i: (-float(s[i]), self.chunks[i].id))
        return [Hit(self.chunks[i], float(s[i])) for i in order]

    def scores(self, query: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of `query` to each of these passages the table holds."""
        rows = [(i, self._row[i]) for i in ids if i in self._row]
        if not rows or not self.chunks:
            return {}
        s = self._cosines(query)
        return {i: float(s[r]) for i, r in rows}

    def vector(self, cid: str) -> np.ndarray | None:
        r = self._row.get(cid)
        return None if r is None else self.matrix[r]


TEXT_VECTORS_DIRNAME = "text-vectors"
FORMAT = 1


def save_text_vectors(state_dir: Path, model: str, vectors: Mapping[str, np.ndarray]) -> None:
    """Save vectors of texts, computed with `model`, under `<state_dir>/text-vectors/` (a temp folder, renamed).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> save_text_vectors(d, "m", {"a line": np.array([0.6, 0.8])})
    >>> {t: v.tolist() for t, v in load_text_vectors(d, "m").items()}, load_text_vectors(d, "other model")
    ({'a line': [0.6000000238418579, 0.800000011920929]}, {})
    """
    target = Path(state_dir) / TEXT_VECTORS_DIRNAME
    tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    texts = list(vectors)
    matrix = np.stack([np.asarray(vectors[t], dtype=np.float32) for t in texts]) if texts else np.zeros((0, 0))
    np.save(tmp / "vectors.npy", matrix.astype(np.float32))
    (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    (tmp / "meta.json").write_text(json.dumps({"format": FORMAT, "model": model}))
    old = target.with_name(f"{target.name}.old{os.getpid()}")
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def load_text_vectors(state_dir: Path | None, model: str) -> dict[str, np.ndarray]:
    """The saved vectors of texts, if computed with `model`; empty when none are saved or they are unreadable."""
    if state_dir is None:
        return {}
    d = Path(state_dir) / TEXT_VECTORS_DIRNAME
    try:
        meta = json.loads((d / "meta.json").read_text())
        if meta.get("format") != FORMAT or meta.get("model") != model:
            return {}
        texts = json.loads((d / "texts.json").read_text(encoding="utf-8"))
        matrix = np.load(d / "vectors.npy", allow_pickle=False)
        if len(texts) != len(matrix):
            return {}
        return dict(zip(texts, matrix, strict=True))
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def _c(cid: str) -> Chunk:  # for the doctests
    return Chunk(cid, "d", "t", "s", cid)
