"""Answering reads the passages' vectors from the store instead of embedding the passages again."""

from __future__ import annotations

import numpy as np

from bot.pipeline import build_bot
from ingest.embed import CachedEmbedder, build_embedder
from ingest.store import build_store


class Counting:
    """An embedder that records every text it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.texts = inner, inner.name, []

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)


def test_the_store_gives_back_the_vectors_ingest_stored(guide_store_dir, embedder) -> None:
    store = build_store(guide_store_dir, None)
    chunks = store.all_chunks()[:5]
    got = store.vectors([c.id for c in chunks] + ["no-such-chunk"])
    assert sorted(got) == sorted(c.id for c in chunks)  # an id the store lacks is left out
    fresh = embedder.embed([c.embed_text() for c in chunks])
    for c, v in zip(chunks, fresh):
        assert got[c.id].dtype == np.float32 and np.allclose(got[c.id], v, atol=1e-5)
    assert store.vectors([]) == {}


def test_an_answer_embeds_the_question_and_sentences_but_no_passage(guide_settings) -> None:
    counting = Counting(build_embedder(cache=0))
    bot = build_bot(guide_settings, embedder=CachedEmbedder(counting))
    passages = {c.embed_text() for c in bot.retriever.passages()}
    answer = bot.answer("Which tool tracks experiments?")
    assert not answer.refused and answer.sources
    assert counting.texts, "the question and the quoted lines are embedded"
    assert not passages & set(counting.texts), "a passage was embedded again instead of read from the store"


def test_the_cache_takes_remembered_vectors_and_bounds_them() -> None:
    counting = Counting(build_embedder(cache=0))
    cache = CachedEmbedder(counting, size=2)
    v = np.full(384, 1 / np.sqrt(384), dtype=np.float32)
    cache.remember({"a passage": v})
    assert cache.lacks(["a passage", "other"]) == ["other"]
    assert np.array_equal(cache.embed(["a passage"])[0], v) and counting.texts == []
    cache.remember({"b": v, "c": v})
    assert cache.lacks(["a passage", "b", "c"]) == ["a passage"]  # the oldest goes first
