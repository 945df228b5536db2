"""Plain words for the articles' terms: "getting my model out to real users" is deployment.

Newcomers describe what they mean without knowing its name, and their words
are far from the articles' (MiniLM puts "sort data into groups when nobody
labelled it" at 0.2 from the Unsupervised Learning passage, the level of
unrelated questions). `concepts.yaml` lists, for each AI/ML-career term, how
people describe it. A question close to one of those descriptions is searched
with the term added, when the articles use the term and the question does not.
Only retrieval changes: answers still quote the articles.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import yaml

from ingest.embed import Embedder
from ingest.lexical import analyze

CONCEPTS_FILE = Path(__file__).with_name("concepts.yaml")
MIN_SIMILARITY = 0.5  # cosine between the question and a description (0.45: -1, 0.6: -5 over 848 cases, README)
WEAK_BELOW = 0.4  # the question's own best passage is below this cosine: its words find little


@dataclass(frozen=True)
class Concept:
    term: str
    says: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    concept: Concept
    similarity: float
    description: str


def load_concepts(path: Path = CONCEPTS_FILE) -> list[Concept]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [Concept(str(c["term"]), tuple(str(s) for s in c.get("says") or ())) for c in data.get("concepts") or ()]


def with_term(query: str, term: str, vocabulary: frozenset[str] | set[str]) -> str:
    """The query with the term added, when the articles use all its words and the query not all of them.

    >>> vocab = {"deploy", "model", "unsupervis", "learn"}
    >>> with_term("how do i get it out there for real users", "deployment", vocab)
    'how do i get it out there for real users (deployment)'
    >>> with_term("how do i deploy a model", "deployment", vocab), with_term("rag?", "RAG", vocab)
    ('how do i deploy a model', 'rag?')
    """
    stems = analyze(term)
    if not stems or not all(s in vocabulary for s in stems) or set(stems) <= set(analyze(query)):
        return query
    return f"{query} ({term})"


class ConceptIndex:
    """The descriptions' vectors, embedded once per embedding model: kept in the process and in `cache_dir`."""

    _cache: dict[str, np.ndarray] = {}
    _lock = threading.Lock()

    def __init__(self, concepts: Sequence[Concept], embedder: Embedder, min_similarity: float = MIN_SIMILARITY,
                 cache_dir: Path | None = None) -> None:
        self.concepts = list(concepts)
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.cache_dir = cache_dir
        self._owners = [(c, s) for c in self.concepts for s in c.says]

    def _vectors(self) -> np.ndarray:
        texts = [s for _, s in self._owners]
        key = hashlib.sha256("\n".join([self.embedder.name, *texts]).encode()).hexdigest()[:16]
        with self._lock:
            if key not in self._cache:
                loaded = self._load(key, len(texts))
                self._cache[key] = loaded if loaded is not None else self._embed(key, texts)
            return self._cache[key]

    def _load(self, key: str, n: int) -> np.ndarray | None:
        path = self.cache_dir / f"concepts-{key}.npy" if self.cache_dir else None
        try:
            vectors = np.load(path) if path and path.is_file() else None
        except (OSError, ValueError):
            return None  # a damaged cache is embedded again
        return vectors if vectors is not None and vectors.shape[0] == n else None

    def _embed(self, key: str, texts: list[str]) -> np.ndarray:
        vectors = self.embedder.embed(texts)
        if self.cache_dir and self.cache_dir.is_dir():
            tmp = self.cache_dir / f".concepts-{key}.{os.getpid()}.npy"
            try:
                np.save(tmp, vectors)
                os.replace(tmp, self.cache_dir / f"concepts-{key}.npy")
            except OSError:
                tmp.unlink(missing_ok=True)  # a read-only store: embedded once per process instead
        return vectors

    def warm(self) -> None:
        self._vectors()

    def closest(self, text: str) -> Match | None:
        """The description nearest the text, if it is at least `min_similarity` close."""
        if not self._owners:
            return None
        sims = self._vectors() @ self.embedder.embed([text])[0]
        i = int(np.argmax(sims))
        if sims[i] < self.min_similarity:
            return None
        concept, description = self._owners[i]
        return Match(concept, round(float(sims[i]), 4), description)
