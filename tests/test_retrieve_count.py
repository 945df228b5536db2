"""The retriever asks Chroma for its count only when the store's files changed, and still sees every write."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from bot.retrieval.retrieve import SETTLED_NS, HybridRetriever, store_signature
from ingest.lexical import sync_lexical
from ingest.store import build_store
from ingest.types import Chunk
from tests.test_lexical import _chunks


def _settle() -> None:
    time.sleep(SETTLED_NS / 1e9 + 0.05)


def test_count_is_asked_again_only_after_a_write(tmp_path: Path, embedder) -> None:
    d = tmp_path / "store"
    store = build_store(d, None)
    chunks = _chunks()
    store.upsert(chunks[:2], embedder.embed([c.embed_text() for c in chunks[:2]]), [{}, {}])
    sync_lexical(store, d)
    retriever = HybridRetriever(store, embedder, d)
    asked = []
    count = store.count
    store.count = lambda: asked.append(1) or count()  # type: ignore[method-assign]
    _settle()
    assert store_signature(d) is not None
    for _ in range(5):
        assert retriever._count() == 2
    assert len(asked) == 1  # once, then the store's files are unchanged

    other = build_store(d, None)  # another client (an ingest in another process) adds a passage
    other.upsert(chunks[2:], embedder.embed([chunks[2].embed_text()]), [{}])
    assert retriever.search("springboard bootcamp", 3).hits[0].chunk.id == "c"  # at once, no waiting
    assert len(asked) >= 2

    _settle()
    other.delete(["a"])
    _settle()  # even once the write has settled, its new file times are seen
    assert retriever._count() == 2
    assert "a" not in {h.chunk.id for h in retriever.search("mlflow experiment tracking", 3).hits}


def test_a_server_store_is_counted_every_time(tmp_path: Path, embedder) -> None:
    store = build_store(tmp_path / "chroma", None)
    store.upsert(_chunks()[:1], np.eye(1, 384, dtype=np.float32), [{}])
    retriever = HybridRetriever(store, embedder, None)  # no local folder: nothing to watch
    asked = []
    count = store.count
    store.count = lambda: asked.append(1) or count()  # type: ignore[method-assign]
    for _ in range(3):
        assert retriever._count() == 1
    assert len(asked) == 3


def test_an_edit_that_keeps_the_count_is_seen_by_both_searches(tmp_path: Path, embedder) -> None:
    """Another process replaces a passage by its edited text (same chunk count): the running retriever's BM25
    index and its vector table follow, so neither search answers from the text that is gone."""
    d = tmp_path / "store"
    store = build_store(d, None)
    chunks = _chunks()
    store.upsert(chunks, embedder.embed([c.embed_text() for c in chunks]), [{}] * 3)
    sync_lexical(store, d)
    retriever = HybridRetriever(store, embedder, d)
    _settle()
    assert retriever.search("mlflow experiment tracking", 1).hits[0].chunk.id == "a"

    other = build_store(d, None)
    edited = Chunk("a2", "g", "G", "MLOps Tools", "- Weights & Biases for experiment dashboards\n- Airflow for scheduling")
    other.delete(["a"])
    other.upsert([edited], embedder.embed([edited.embed_text()]), [{}])
    sync_lexical(other, d)  # what ingest does after its writes
    _settle()
    assert retriever._count() == 3
    found = retriever.search("experiment dashboards and airflow scheduling", 3)  # "experiment": old text too
    assert found.hits[0].chunk.id == "a2"
    assert "a" not in {h.chunk.id for h in found.dense + found.lexical + found.hits}
    assert retriever.dense.ranked("airflow scheduling", 1)[0].chunk.id == "a2"


def test_above_exact_max_chromas_index_answers_the_same(tmp_path: Path, embedder, monkeypatch) -> None:
    from bot.retrieval import retrieve

    d = tmp_path / "store"
    store = build_store(d, None)
    chunks = _chunks()
    store.upsert(chunks, embedder.embed([c.embed_text() for c in chunks]), [{}] * 3)
    exact = HybridRetriever(store, embedder, d)
    assert exact.dense.table() is not None
    monkeypatch.setattr(retrieve, "EXACT_MAX", 2)
    hnsw = HybridRetriever(store, embedder, d)
    assert hnsw.dense.table() is None
    for q in ("mlflow experiment tracking", "entry level base salary", "bootcamp career track"):
        a, b = exact.search(q, 3), hnsw.search(q, 3)
        assert [h.chunk.id for h in a.dense] == [h.chunk.id for h in b.dense]
        assert [h.chunk.id for h in a.hits] == [h.chunk.id for h in b.hits]
        assert all(abs(x.score - y.score) < 1e-3 for x, y in zip(a.hits, b.hits, strict=True))
