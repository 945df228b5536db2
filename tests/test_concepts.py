"""The glossary of plain words for the articles' terms, with the real embedder and the guide store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.question.concepts import ConceptIndex, load_concepts, with_term

GUIDE = Path(__file__).resolve().parents[1] / "corpus" / "how-to-become-an-ai-ml-engineer-2026.txt"
GUIDE_GLOSSARY = GUIDE.with_suffix(".glossary.yaml")


def test_every_term_is_the_guides_and_no_description_names_it() -> None:
    guide = GUIDE.read_text(encoding="utf-8").lower()
    concepts = load_concepts(GUIDE_GLOSSARY)
    assert len(concepts) >= 50
    for c in concepts:
        assert c.term.lower() in guide, c.term
        assert len(c.says) >= 4, c.term
        for s in c.says:
            assert not re.search(rf"\b{re.escape(c.term.lower())}\b", s.lower()), (c.term, s)


@pytest.fixture(scope="module")
def index(embedder) -> ConceptIndex:
    return ConceptIndex(load_concepts(GUIDE_GLOSSARY), embedder)


@pytest.mark.parametrize("q, term", [
    ("how do i keep a record of every training run and its settings?", "experiment tracking"),
    ("is it worth joining those data science competitions online?", "Kaggle"),
])
def test_a_plain_description_finds_its_term(index, q: str, term: str) -> None:
    m = index.closest(q)
    assert m is not None and m.concept.term == term, m


@pytest.mark.parametrize("q", ["what is a good recipe for banana bread", "how do i fix my bike chain"])
def test_an_unrelated_question_finds_no_term(index, q: str) -> None:
    assert index.closest(q) is None


def test_the_term_is_added_only_when_the_articles_use_it_and_the_question_does_not() -> None:
    vocab = frozenset({"kaggl", "competit"})
    assert with_term("those contests with leaderboards", "Kaggle", vocab) == "those contests with leaderboards (Kaggle)"
    assert with_term("is kaggle worth it", "Kaggle", vocab) == "is kaggle worth it"
    assert with_term("those contests", "feature stores", vocab) == "those contests"


def test_the_pipeline_searches_with_the_term_and_quotes_its_section(guide_bot) -> None:
    """MiniLM alone put "groups ... nobody labelled" 0.2 from Unsupervised Learning; it was declined."""
    a = guide_bot.answer("which methods sort data into groups when nobody has labelled any of it?")
    assert not a.refused, a.notes
    assert a.query.endswith("(unsupervised learning)"), a.query
    assert re.search(r"clustering|k-means", a.text, re.IGNORECASE), a.text
