"""Reciprocal rank fusion, near-copy removal and MMR."""

from __future__ import annotations

import numpy as np

from bot.retrieval.fusion import dedupe, fuse, jaccard, mmr, rrf
from ingest.types import Chunk, Hit


def _c(cid: str, text: str, section: str = "S") -> Chunk:
    return Chunk(cid, "guide", "Guide", section, text)


def test_rrf_rewards_agreement_between_lists() -> None:
    a, b, c = _c("a", "x"), _c("b", "y"), _c("c", "z")
    fused = rrf([[Hit(a, 0.9), Hit(b, 0.8), Hit(c, 0.7)], [Hit(c, 9.0), Hit(b, 5.0)]])
    assert [h.chunk.id for h in fused] == ["c", "b", "a"]  # 1/63 + 1/61 > 1/62 + 1/62 > 1/61
    assert abs(fused[1].score - (1 / 62 + 1 / 62)) < 1e-12


def test_rrf_weights() -> None:
    a, b = _c("a", "x"), _c("b", "y")
    fused = rrf([[Hit(a, 1)], [Hit(b, 1)]], weights=[1.0, 2.0])
    assert [h.chunk.id for h in fused] == ["b", "a"]


def test_dedupe_drops_split_section_overlaps_but_keeps_distinct_sections() -> None:
    first = _c("1", "- Apply to 50+ positions\n- Practice interviewing\n- Polish resume and LinkedIn", "Plan")
    overlap = _c("2", "- Polish resume and LinkedIn\n- Apply to 50+ positions\n- Practice interviewing", "Plan")
    other = _c("3", "- Base: $100,000 - $140,000\n- Total Comp: $120,000 - $180,000", "Salary > Entry")
    kept = dedupe([Hit(first, 1.0), Hit(overlap, 0.9), Hit(other, 0.8), Hit(first, 0.7)])
    assert [h.chunk.id for h in kept] == ["1", "3"]


def test_salary_levels_are_not_near_copies() -> None:
    entry = _c("e", "- Base: $100,000 - $140,000\n- Total Comp: $120,000 - $180,000", "Salary > Entry Level")
    mid = _c("m", "- Base: $140,000 - $200,000\n- Total Comp: $180,000 - $280,000", "Salary > Mid Level")
    assert jaccard(entry.embed_text(), mid.embed_text()) < 0.6
    assert len(dedupe([Hit(entry, 1), Hit(mid, 1)])) == 2


def test_mmr_trades_relevance_for_diversity() -> None:
    q = np.array([0.8, 0.0, 0.6])
    v = np.array([[1.0, 0.0, 0.0], [0.995, 0.0998, 0.0], [0.0, 0.0, 1.0]])  # 1 is a near-copy of 0
    assert mmr(q, v, 2, lambda_=0.7) == [0, 2]
    assert mmr(q, v, 3, lambda_=1.0) == [0, 1, 2]
    assert mmr(q, v[:0], 2) == []


def test_fuse_is_rrf_then_dedupe_then_top_k() -> None:
    a, a2, b = _c("a", "MLflow for experiment tracking"), _c("a2", "MLflow for experiment tracking"), _c("b", "Docker")
    assert [h.chunk.id for h in fuse([[Hit(a, 1), Hit(a2, 1)], [Hit(b, 3)]], k=5)] == ["a", "b"]


def test_score_fusion_keeps_a_clear_dense_first_that_bm25_ranks_low() -> None:
    a, b, c = (Chunk(i, "g", "G", "S" + i, "body of " + i) for i in "abc")
    dense, lexical = [Hit(a, 0.70), Hit(b, 0.40), Hit(c, 0.38)], [Hit(b, 4.0), Hit(c, 3.8), Hit(a, 1.0)]
    assert [h.chunk.id for h in fuse([dense, lexical], 3, method="score")] == ["a", "b", "c"]
    assert [h.chunk.id for h in fuse([dense, lexical], 3)] == ["b", "a", "c"]  # RRF
    # The dense #1 stays in the top k even when both fusions would push it out.
    assert [h.chunk.id for h in fuse([[Hit(a, 0.45), Hit(b, 0.44)], [Hit(b, 5.0), Hit(c, 4.0)]], 1)] == ["a"]
