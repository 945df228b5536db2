"""The embedders: numpy MiniLM against the sentence-transformers reference, laziness, the cache."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from ingest.embed import CachedEmbedder, NumpyEmbedder, SentenceTransformerEmbedder, build_embedder
from ingest.pipeline import SourceFile, load_chunks
from tests.conftest import GUIDE, GUIDE_ID, ROOT

QUESTIONS = ["Which tool tracks experiments?", "what do entry level ml engineers earn", "cnn vs rnn",
             "How long until I'm job ready?", "capital of France?"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    chunks = load_chunks(SourceFile(GUIDE, GUIDE_ID, ""), GUIDE.read_bytes(), 700)
    odd = ["", "x", "Ünïcödé — “quotes” and emoji 🚀", "salary " * 400]  # empty, one letter, non-ASCII, truncated
    return [c.embed_text() for c in chunks] + QUESTIONS + odd


@pytest.fixture(scope="module")
def reference(texts) -> np.ndarray:
    return SentenceTransformerEmbedder().embed(texts)


def test_numpy_vectors_match_sentence_transformers(texts, reference) -> None:
    mine = NumpyEmbedder().embed(texts)
    assert mine.dtype == np.float32 and mine.shape == reference.shape == (len(texts), 384)
    assert float(np.abs(mine - reference).max()) < 1e-5
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)


def test_numpy_ranks_the_passages_as_the_reference_does(texts, reference) -> None:
    n = len(texts) - len(QUESTIONS) - 4
    mine = NumpyEmbedder().embed(texts)
    for q in range(n, n + len(QUESTIONS)):
        assert list(np.argsort(-(mine[:n] @ mine[q]))[:6]) == list(np.argsort(-(reference[:n] @ reference[q]))[:6])


def test_one_text_or_a_batch_gives_the_same_vector(texts) -> None:
    emb = NumpyEmbedder()
    alone = np.stack([emb.embed([t])[0] for t in texts[:5]])
    assert float(np.abs(alone - emb.embed(texts)[:5]).max()) < 1e-6


def test_building_loads_nothing_and_the_default_is_numpy() -> None:
    code = ("import sys; from ingest.embed import build_embedder; e = build_embedder(); "
            "print(e.name, type(e.inner).__name__, e.inner._model is None, "
            "any(m in sys.modules for m in ('torch', 'sentence_transformers', 'tokenizers')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["all-MiniLM-L6-v2", "NumpyEmbedder", "True", "False"], out.stderr


def test_cache_returns_the_inner_vectors_and_embeds_each_text_once() -> None:
    class Counting:
        name = "counting"

        def __init__(self) -> None:
            self.seen: list[str] = []

        def embed(self, texts):
            self.seen.extend(texts)
            return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    inner = Counting()
    emb = CachedEmbedder(inner, size=2)
    assert emb.embed(["ab", "c", "ab"]).tolist() == [[2, 1], [1, 1], [2, 1]]
    assert emb.embed(["c", "ab"]).tolist() == [[1, 1], [2, 1]] and inner.seen == ["ab", "c"]
    emb.embed(["xyz"])  # the least recently used ("c") makes room
    emb.embed(["ab", "c"])
    assert inner.seen == ["ab", "c", "xyz", "c"] and emb.name == "counting"
    assert emb.embed([]).shape[0] == 0


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="numpy, sentence-transformers"):
        build_embedder(backend="onnx")


def test_a_noop_ingest_loads_no_model(guide_store_dir) -> None:
    from pathlib import Path

    from ingest.pipeline import ingest_paths
    from ingest.store import build_store

    store = build_store(guide_store_dir, None)
    (record,) = store.records().values()
    emb = build_embedder()
    report = ingest_paths([Path(record.root)], store, emb)
    assert (report.unchanged, report.chunks_embedded, report.failed) == (1, 0, [])
    assert emb.inner._model is None
