"""The guide in a real Chroma folder, with the real embedding model."""

from __future__ import annotations

import shutil

import pytest

from bot.cli import run_ingest
from bot.retrieval.retrieve import build_retriever
from bot.settings import load_settings
from ingest.store import build_store
from tests.conftest import GUIDE, GUIDE_ID

# Hand-checked: each question must retrieve this section among the passages it answers from.
GOLDEN = [
    ("Which tool tracks experiments?", "Required Skills for AI/ML Engineers > MLOps and Production Skills > MLOps Tools"),
    ("What base salary can an entry-level ML engineer expect?", "Salary Expectations > Entry Level (0-2 years)"),
    ("how much do senior ml engineers make", "Salary Expectations > Senior Level (6+ years)"),
    ("Which universities have the best programs?", "Educational Paths > Traditional University Path > Top Programs"),
    ("what online courses should i take", "Educational Paths > Self-Taught Path > Online Courses"),
    ("How long does it take to learn on my own?", "Educational Paths > Self-Taught Path > Timeline"),
    ("what math do i need", "Required Skills for AI/ML Engineers > Mathematics and Statistics > Linear Algebra"),
    ("What is in a technical interview for ML?", "Job Search Strategy > Interview Preparation > Technical Interviews Include"),
    ("Which job titles should I search for?", "Job Search Strategy > Where to Apply > Job Titles to Search"),
]


@pytest.fixture(scope="module")
def store(guide_store_dir):
    return build_store(guide_store_dir, None)


def test_guide_is_stored_under_its_contract_doc_id(store):
    chunks = store.all_chunks()
    assert chunks and {c.doc_id for c in chunks} == {GUIDE_ID}
    assert {c.title for c in chunks} == {"How to Become an AI/ML Engineer in 2026"}


@pytest.mark.parametrize("question,section", GOLDEN)
def test_known_questions_retrieve_known_sections(store, embedder, guide_settings, question, section):
    hits = build_retriever(guide_settings, store, embedder).search(question, guide_settings.top_k).hits
    assert section in [h.chunk.section for h in hits], [h.chunk.section for h in hits]


def test_second_ingest_adds_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(GUIDE, corpus / GUIDE.name)
    settings = load_settings({"store_dir": tmp_path / "store"}, env={})
    first = run_ingest([corpus], settings)
    n = build_store(settings.store_dir, None).count()
    second = run_ingest([corpus], settings)
    assert (first.added, first.chunks_embedded > 0) == (1, True)
    assert (second.added, second.updated, second.unchanged, second.chunks_embedded) == (0, 0, 1, 0)
    assert build_store(settings.store_dir, None).count() == n


def test_a_file_given_directly_gets_its_file_name_as_doc_id(tmp_path):
    settings = load_settings({"store_dir": tmp_path / "store"}, env={})
    run_ingest([GUIDE], settings)
    assert {c.doc_id for c in build_store(settings.store_dir, None).all_chunks()} == {GUIDE_ID}


def test_a_lead_only_parent_section_brings_its_sub_sections(guide_bot):
    # "Building Your Portfolio" is one sentence; what to build is in its numbered sub-sections.
    found = guide_bot.retriever.search("no degree here. what kind of projects would impress someone hiring?", 6)
    sections = [h.chunk.section for h in found.hits]
    assert sections[0] == "Building Your Portfolio", sections
    assert "Building Your Portfolio > 1. End-to-End ML Projects" in sections[:4], sections
    assert all(isinstance(h.score, float) and -1 <= h.score <= 1 for h in found.hits)
