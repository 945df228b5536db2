"""Retrieval: dense search over the stored vectors plus BM25, fused.

Dense search scores every passage the BM25 index holds against the question,
exactly, with the vectors Chroma stores (`bot.retrieval.vectors`): the same
cosine scores as LangChain's Chroma wrapper, without the seconds LangChain
takes to import, and without HNSW's misses after an edit. A store of more
than EXACT_MAX passages is searched by Chroma's own index
(`ChromaStore.query`). Callers get a `Retrieval` of `Hit`s.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.question.forms import asks_for_questions, question_list
from bot.question.questions import names_section
from bot.retrieval.fusion import fuse, with_children, with_numbered, with_siblings
from bot.retrieval.vectors import VectorTable, load_text_vectors
from ingest.api import ChromaStore, Chunk, Embedder, Hit, LexicalIndex, refreshed

CANDIDATES = 12  # per list, before fusion
EXACT_MAX = 100_000  # passages searched exactly in memory (384 float32 each: 150 MB at most); above, Chroma's HNSW


@dataclass
class Retrieval:
    """The passages for one query: `hits` to answer from (score: cosine
    similarity to the query), and the two ranked lists they came from."""

    hits: list[Hit]
    dense: list[Hit] = field(default_factory=list)
    lexical: list[Hit] = field(default_factory=list)


class Retriever(Protocol):
    def search(self, query: str, k: int) -> Retrieval: ...

    def vocabulary(self) -> frozenset[str]:
        """The stems the stored passages use."""
        ...

    def known_words(self) -> frozenset[str]:
        """The lower-case words the stored passages use, as written."""
        ...

    def closeness(self, text: str) -> float:
        """Cosine similarity of `text` to its closest passage (0 for an empty store)."""
        ...

    def section_passages(self, wanted: str) -> list[Chunk]:
        """The stored passages of a section (a path, or its last titles)."""
        ...

    def passages(self) -> list[Chunk]:
        """Every stored passage."""
        ...

    def passages_naming(self, name: str) -> list[str]:
        """The stored passages (section path and text) that use `name` as a word, in any case (a sign such as
        "%" wherever it stands)."""
        ...


SETTLED_NS = 100_000_000  # a store file last written this long ago: any later write gives it a new mtime


def store_signature(state_dir: Path | None, now_ns: int | None = None) -> tuple[tuple[str, int, int], ...] | None:
    """Size and mtime of a local Chroma store's SQLite files, which every write changes; None when there are
    none, or when one was written in the last SETTLED_NS (file times are coarse: a write in the same tick
    could leave them as they are).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); (d / "chroma.sqlite3").write_bytes(b"x" * 3)
    3
    >>> store_signature(d) is None, store_signature(d, now_ns=time.time_ns() + SETTLED_NS)[0][:2]
    (True, ('chroma.sqlite3', 3))
    >>> store_signature(None), store_signature(d / "nothing-here")
    (None, None)
    """
    if state_dir is None:
        return None
    now_ns = time.time_ns() if now_ns is None else now_ns
    sig = []
    for name in ("chroma.sqlite3", "chroma.sqlite3-wal"):
        try:
            st = os.stat(Path(state_dir) / name)
        except OSError:
            continue
        if now_ns - st.st_mtime_ns < SETTLED_NS:
            return None
        sig.append((name, st.st_size, st.st_mtime_ns))
    return tuple(sig) or None


class _ArticleWords:
    """The words of the stored passages, from the BM25 index ingest keeps beside the store."""

    store: ChromaStore
    state_dir: Path | None
    _index: LexicalIndex | None
    _counted: tuple[object, int] | None = None  # (store_signature, count) of the last count
    _checked: object = None  # the store_signature at which `_index` was last found in step

    def _count(self) -> int:
        """The store's chunk count. A count is a round trip into Chroma, asked several times per answer; for a
        local store it is asked again only once the store's files changed (another process ingested)."""
        sig = store_signature(self.state_dir)
        counted = self._counted
        if sig is not None and counted is not None and counted[0] == sig:
            return counted[1]
        n = self.store.count()
        self._counted = (sig, n)
        return n

    def _lexical_index(self) -> LexicalIndex:
        """The BM25 index, checked against the store's ids when a local store's files changed (or, for a
        server, when its count moved), and reloaded when they differ."""
        idx = self._index
        sig = store_signature(self.state_dir)
        if idx is not None and (sig == self._checked if sig is not None else self._count() == len(idx)):
            return idx
        self._index = refreshed(idx, self.store, self.state_dir)
        self._checked = sig
        return self._index

    def vocabulary(self) -> frozenset[str]:
        return self._lexical_index().vocabulary()

    def known_words(self) -> frozenset[str]:
        return self._lexical_index().known_words

    def section_passages(self, wanted: str) -> list[Chunk]:
        return [c for c in self._lexical_index().chunks if names_section(wanted, c.section)]

    def passages(self) -> list[Chunk]:
        """Every stored passage, in the BM25 index's order."""
        return list(self._lexical_index().chunks)

    def passages_naming(self, name: str) -> list[str]:
        word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)" if name[:1].isalnum() else re.escape(name), re.IGNORECASE)
        return [t for c in self._lexical_index().chunks if word.search(t := c.embed_text())]


class DenseRetriever(_ArticleWords):
    """Top-k by cosine similarity over our collection."""

    def __init__(self, store: ChromaStore, embedder: Embedder, state_dir: Path | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.state_dir = state_dir  # where ingest keeps the BM25 index: its passages are the ones searched
        self._index: LexicalIndex | None = None
        self._table: tuple[LexicalIndex, VectorTable] | None = None

    def table(self) -> VectorTable | None:
        """The stored vectors of the indexed passages, read once per index; None above EXACT_MAX passages.
        The vectors of texts saved beside a local store (bot.compose.prepared) go to the embedder's cache then."""
        idx = self._lexical_index()
        if len(idx) > EXACT_MAX:
            return None
        if self._table is None or self._table[0] is not idx:
            self._table = (idx, VectorTable.load(self.store, idx.chunks))
            remember = getattr(self.embedder, "remember", None)  # the quotable lines' vectors ingest saved
            if remember is not None:
                remember(load_text_vectors(self.state_dir, self.embedder.name))
        return self._table[1]

    def ranked(self, query: str, k: int) -> list[Hit]:
        table = self.table()
        if table is not None:
            return table.nearest(self.embedder.embed([query])[0], k)
        return self.store.query(self.embedder.embed([query])[0], min(k, self._count()))

    def search(self, query: str, k: int) -> Retrieval:
        dense = self.ranked(query, max(k, CANDIDATES))
        stored_vectors(self.store, self.embedder, [h.chunk for h in dense[:k]], self.table())
        return Retrieval(dense[:k], dense, [])

    def closeness(self, text: str) -> float:
        best = self.ranked(text, 1)
        return best[0].score if best else 0.0


class HybridRetriever(_ArticleWords):
    """Dense and BM25 candidates, fused (cosine + scaled BM25; or RRF), near-copies removed.

    The BM25 index is the one ingest keeps beside the store (or, for a Chroma
    server, built in memory); it is reloaded when the store's passages change.
    """

    def __init__(self, store: ChromaStore, embedder: Embedder, state_dir: Path | None, fusion: str = "score") -> None:
        self.dense = DenseRetriever(store, embedder, state_dir)
        self.store = store
        self.embedder = embedder
        self.state_dir = state_dir
        self.fusion = fusion  # "score" (default: measured best) or "rrf"

    def _lexical_index(self) -> LexicalIndex:
        return self.dense._lexical_index()  # one index (and one vector table) per retriever

    def closeness(self, text: str) -> float:
        return self.dense.closeness(text)

    def search(self, query: str, k: int) -> Retrieval:
        index = self._lexical_index()
        dense = self.dense.ranked(query, CANDIDATES)
        lexical = index.search(query, CANDIDATES)
        fused = fuse([dense, asked_words(query, lexical)], k, method=self.fusion)
        chosen = with_siblings(with_children([h.chunk for h in fused], index.chunks, k), index.chunks, k)
        chosen = with_numbered(query, chosen, index.chunks, k)  # "what goes into step 8?"
        cos = {h.chunk.id: h.score for h in dense}
        missing = [c for c in chosen if c.id not in cos]
        table = self.dense.table()
        stored_vectors(self.store, self.embedder, chosen, table)
        if missing:  # lexical-only passages: scored on the same scale as the rest
            q = self.embedder.embed([query])[0]
            cos.update(table.scores(q, [c.id for c in missing]) if table is not None else {})
            unscored = [c for c in missing if c.id not in cos]  # a store above EXACT_MAX passages
            if unscored:
                vecs = self.embedder.embed([c.embed_text() for c in unscored])
                cos.update({c.id: float(np.dot(q, v)) for c, v in zip(unscored, vecs, strict=True)})
        return Retrieval([Hit(c, round(cos[c.id], 4)) for c in chosen], dense, lexical)


QUESTION_LIST_WEIGHT = 0.5  # a list of questions' BM25 score, for a question that asks for none


def asked_words(query: str, lexical: Sequence[Hit]) -> list[Hit]:
    """The BM25 hits, a list of questions (an article's sample interview questions) weighed down unless the query
    asks for questions: "what does the KV cache do?" shares its words with "What is the KV cache and why does it
    matter?", and the passage that answers it comes second.

    >>> from ingest.api import Chunk
    >>> qs = Chunk("q", "d", "D", "Sample questions", "- What is X?\\n- Why does X matter?\\n- How does X scale?")
    >>> ans = Chunk("a", "d", "D", "Topics", "- X: caches keys and values")
    >>> [(h.chunk.id, h.score) for h in asked_words("what does X do?", [Hit(qs, 4.0), Hit(ans, 3.0)])]
    [('a', 3.0), ('q', 2.0)]
    >>> [h.chunk.id for h in asked_words("what questions about X?", [Hit(qs, 4.0), Hit(ans, 3.0)])]
    ['q', 'a']
    """
    if asks_for_questions(query):
        return list(lexical)
    weighed = [Hit(h.chunk, h.score * QUESTION_LIST_WEIGHT, via=h.via) if question_list(h.chunk.text) else h
               for h in lexical]
    return sorted(weighed, key=lambda h: -h.score)


def stored_vectors(store: ChromaStore, embedder: Embedder, chunks: Sequence[Chunk], table: VectorTable | None = None) -> None:
    """Hand the embedder's cache the stored vectors of these passages: answering scores them against the
    question again, and a passage's vector is what ingest stored (read from `table`, or from Chroma, instead
    of a forward pass over its few hundred tokens). An embedder without a cache is left alone."""
    remember, lacks = getattr(embedder, "remember", None), getattr(embedder, "lacks", None)
    if remember is None or lacks is None:
        return
    texts = {c.embed_text(): c.id for c in chunks}
    wanted = {texts[t]: t for t in lacks(list(texts))}
    if not wanted:
        return
    known = {i: v for i in wanted if table is not None and (v := table.vector(i)) is not None}
    rest = [i for i in wanted if i not in known]
    known.update(store.vectors(rest) if rest else {})
    remember({wanted[i]: v for i, v in known.items()})


def build_retriever(settings: Any, store: ChromaStore, embedder: Embedder) -> Retriever:
    if getattr(settings, "retrieval", "hybrid") == "dense":
        return DenseRetriever(store, embedder, settings.state_dir)
    return HybridRetriever(store, embedder, settings.state_dir)
