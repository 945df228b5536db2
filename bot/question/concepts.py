"""Plain words for the articles' terms: "getting my model out to real users" is deployment.

Newcomers describe what they mean without knowing its name, and their words
are far from the articles' (MiniLM puts "sort data into groups when nobody
labelled it" at 0.2 from the Unsupervised Learning passage, the level of
unrelated questions). An article's glossary file (`NAME.glossary.yaml` beside
it, read by ingest and kept in the store: see `ingest.companions`) lists, for
each of its terms, how people describe it. A question close to one of those descriptions is searched
with the term added, when the articles use the term and the question does not.
Only retrieval changes: answers still quote the articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from bot.question.phrases import PhraseIndex
from ingest.api import Embedder, analyze, parse_glossary

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


def load_concepts(path: Path) -> list[Concept]:
    """The terms of an article's glossary file (`ingest.companions`)."""
    return [Concept(t, says) for t, says in parse_glossary(yaml.safe_load(path.read_text(encoding="utf-8")))]


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

    def __init__(self, concepts: Sequence[Concept], embedder: Embedder, min_similarity: float = MIN_SIMILARITY,
                 cache_dir: Path | None = None) -> None:
        self.concepts = list(concepts)
        self.embedder = embedder
        self.min_similarity = min_similarity
        self._phrases = PhraseIndex([(c, s) for c in self.concepts for s in c.says], embedder, cache_dir, "concepts")

    def warm(self) -> None:
        self._phrases.vectors()

    def closest(self, text: str) -> Match | None:
        """The description nearest the text, if it is at least `min_similarity` close."""
        ranked = self._phrases.ranked(self.embedder.embed([text])[0])
        if not ranked or ranked[0][2] < self.min_similarity:
            return None
        concept, description, sim = ranked[0]
        return Match(concept, round(sim, 4), description)
