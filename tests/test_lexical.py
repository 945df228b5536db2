"""BM25 over the store's chunks: search, persistence, staying in step with the store."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.lexical import LexicalIndex, analyze, index_dir, load_or_build, refreshed, sync_lexical
from ingest.store import build_store
from ingest.types import Chunk

GUIDE_ID = "how-to-become-an-ai-ml-engineer-2026"


def _chunks() -> list[Chunk]:
    return [
        Chunk("a", "g", "G", "MLOps Tools", "- MLflow for experiment tracking\n- Kubeflow for ML pipelines"),
        Chunk("b", "g", "G", "Salary Expectations > Entry Level (0-2 years)", "- Base: $100,000 - $140,000"),
        Chunk("c", "g", "G", "Educational Paths > Self-Taught Path > Bootcamps", "- Springboard ML Engineering Career Track"),
    ]


def test_search_finds_stemmed_words_and_section_titles() -> None:
    idx = LexicalIndex.build(_chunks())
    assert [h.chunk.id for h in idx.search("which tool tracks experiments?", 3)] == ["a", "c"]  # "Career Track"
    assert idx.search("salaries for entry level", 3)[0].chunk.id == "b"  # "Salary" is only in the section title
    assert idx.search("bootcamp", 3)[0].chunk.id == "c"
    assert idx.search("the capital of france", 3) == []
    assert idx.search("", 3) == []


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    idx = LexicalIndex.build(_chunks())
    idx.save(tmp_path / "bm25")
    again = LexicalIndex.load(tmp_path / "bm25")
    assert again is not None and again.fingerprint == idx.fingerprint
    assert again.chunks == idx.chunks
    assert [(h.chunk.id, round(h.score, 4)) for h in again.search("experiment tracking", 3)] == \
        [(h.chunk.id, round(h.score, 4)) for h in idx.search("experiment tracking", 3)]
    assert LexicalIndex.load(tmp_path / "missing") is None
    (tmp_path / "bm25" / "meta.json").write_text("{not json")
    assert LexicalIndex.load(tmp_path / "bm25") is None


def test_empty_index() -> None:
    idx = LexicalIndex.build([])
    assert len(idx) == 0 and idx.search("mlflow", 3) == []


def test_ingest_keeps_the_index_beside_the_store(guide_store_dir: Path) -> None:
    """The session store was ingested through the CLI path, whose after_write saves the index."""
    idx = LexicalIndex.load(index_dir(guide_store_dir))
    assert idx is not None and len(idx) > 30
    top = idx.search("which tool tracks experiments", 3)[0].chunk
    assert top.doc_id == GUIDE_ID and top.section.endswith("MLOps Tools")
    assert "Entry Level" in idx.search("entry level base salary", 1)[0].chunk.section


def test_load_or_build_notices_a_changed_store(tmp_path: Path) -> None:
    store = build_store(tmp_path / "chroma", None)
    chunks = _chunks()
    vec = np.eye(3, 384, dtype=np.float32)
    store.upsert(chunks[:2], vec[:2], [{}, {}])
    first = sync_lexical(store, tmp_path)
    assert len(first) == 2
    assert load_or_build(store, tmp_path).fingerprint == first.fingerprint  # loaded, in step

    store.upsert(chunks[2:], vec[2:], [{}])  # written without the callback: the saved index is stale
    idx = load_or_build(store, tmp_path)
    assert len(idx) == 3 and idx.search("bootcamp", 1)[0].chunk.id == "c"
    assert LexicalIndex.load(index_dir(tmp_path)).fingerprint == idx.fingerprint  # and saved again

    store.delete(["a"])
    assert refreshed(idx, store, tmp_path) is not idx
    assert refreshed(idx, store, tmp_path).search("mlflow", 3) == []


def test_in_memory_for_a_server_store(tmp_path: Path) -> None:
    store = build_store(tmp_path / "chroma", None)
    store.upsert(_chunks(), np.eye(3, 384, dtype=np.float32), [{}, {}, {}])
    idx = load_or_build(store, None)  # no state folder: nothing written
    assert len(idx) == 3 and not (tmp_path / "bm25").exists()
    assert refreshed(idx, store, None) is idx


def test_analyze() -> None:
    assert analyze("What are the salaries of Senior ML engineers?") == ["salari", "senior", "ml", "engin"]


def test_number_ranges_are_one_term() -> None:
    chunks = [
        Chunk("m46", "g", "G", "Action Plan > Month 4-6: Learn ML Frameworks", "- Learn PyTorch"),
        Chunk("m79", "g", "G", "Action Plan > Month 7-9: Specialize", "- Choose focus area"),
        Chunk("t", "g", "G", "Timeline", "- 6-12 months for skills\n- 3-6 months job searching"),
    ]
    idx = LexicalIndex.build(chunks)
    assert idx.search("what should i focus on in months 4 to 6", 3)[0].chunk.id == "m46"
    assert analyze("months four to six") == analyze("Month 4\u20136")
