"""Sample questions per section, and the phrase cache they share with the glossary (real embedder, guide store)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.question.phrases import PhraseIndex
from bot.question.questions import SectionQuestions, load_questions
from tests.conftest import GUIDE

GUIDE_QUESTIONS = GUIDE.with_suffix(".questions.yaml")


def test_every_section_is_a_stored_section_of_the_guide_and_no_question_is_under_two(guide_bot) -> None:
    pairs = load_questions(GUIDE_QUESTIONS)
    sections = {s for s, _ in pairs}
    assert len(sections) == 43  # the guide's sections, each with its questions
    for s in sections:
        assert [c.section for c in guide_bot.retriever.section_passages(s)] == [s]
    asks = [a.lower() for _, a in pairs]
    assert len(asks) == len(set(asks)) and len(asks) >= 5 * len(sections)


@pytest.fixture(scope="module")
def questions(embedder) -> SectionQuestions:
    return SectionQuestions(load_questions(GUIDE_QUESTIONS), embedder)


@pytest.mark.parametrize("q, section", [
    ("how do i practice interviews with someone", "Study Resources"),
    ("what do ML engineers build day to day at companies", "What Does an AI/ML Engineer Do?"),
])
def test_a_question_finds_the_section_others_ask_it_of(questions, q: str, section: str) -> None:
    m = questions.closest(q)
    assert m is not None and m.section.endswith(section), m


@pytest.mark.parametrize("q", ["what is a good recipe for banana bread", "how do i fix my bike chain",
                               "what do ml engineers earn at each level"])  # near every salary level's questions
def test_an_unrelated_or_ambiguous_question_finds_no_section(questions, q: str) -> None:
    assert questions.closest(q) is None


def test_the_sections_passage_comes_first(guide_bot) -> None:
    """Before the sample questions, Common Projects was the sixth passage and the answer quoted the Conclusion."""
    a = guide_bot.answer("what kinda stuff do ml ppl build at work, like real examples")
    assert a.hits[0].chunk.section.endswith("Common Projects"), [h.chunk.section for h in a.hits]
    assert re.search(r"recommendation|fraud|chatbot", a.text, re.IGNORECASE), a.text


def test_phrase_vectors_are_cached_beside_the_store_and_a_damaged_cache_is_embedded_again(embedder, tmp_path) -> None:
    owned = [("a", "how do i keep track of training runs"), ("b", "what do juniors earn")]
    first = PhraseIndex(owned, embedder, tmp_path, "t").vectors()
    (path,) = tmp_path.glob("t-*.npy")
    assert np.allclose(np.load(path), first)
    PhraseIndex._cache.clear()
    path.write_bytes(b"not a numpy file")
    again = PhraseIndex(owned, embedder, tmp_path, "t").vectors()
    assert np.allclose(again, first) and np.allclose(np.load(path), first)
    ranked = PhraseIndex(owned, embedder, tmp_path, "t").ranked(embedder.embed(["what does a junior earn"])[0])
    assert [o for o, _, _ in ranked] == ["b", "a"]


def test_a_level_the_question_names_is_not_overruled_by_a_sample_question(guide_bot) -> None:
    """MiniLM put "what base salary can an entry level ml engineer expect?" nearest a mid-level sample
    question, and the answer led with the mid level's pay; the words "entry level" decide instead."""
    a = guide_bot.answer("what base salary can an entry level ml engineer expect?")
    assert a.hits[0].chunk.section.endswith("Entry Level (0-2 years)"), [h.chunk.section for h in a.hits]
    first = a.text.splitlines()[1]
    assert "$100,000 - $140,000" in first, a.text
