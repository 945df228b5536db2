"""Chunking rules on the guide and on a long synthetic section."""

from __future__ import annotations

from ingest.chunk import INTRO, chunk_document
from ingest.clean import clean_lines
from ingest.types import Block
from tests.conftest import GUIDE


def guide_chunks(max_chars=700):
    title, blocks = clean_lines(GUIDE.read_text(encoding="utf-8").splitlines(), flat=True)
    return blocks, chunk_document("guide", title, blocks, max_chars)


def test_a_chunk_never_spans_two_sections():
    blocks, chunks = guide_chunks(max_chars=200)
    by_section = {}
    for b in blocks:
        by_section.setdefault(" > ".join(b.section) or INTRO, []).append(b.text)
    for c in chunks:
        body = [line.removeprefix("- ") for line in c.text.splitlines()]
        assert all(any(part in t for t in by_section[c.section]) for part in body), c


def test_every_chunk_carries_doc_id_title_and_section():
    _, chunks = guide_chunks()
    assert chunks and all(c.doc_id == "guide" and c.title.startswith("How to Become") and c.section for c in chunks)
    assert "Required Skills for AI/ML Engineers > MLOps and Production Skills > MLOps Tools" in {
        c.section for c in chunks}


def test_ids_are_stable_and_unique():
    _, a = guide_chunks()
    _, b = guide_chunks()
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)


def test_long_section_is_split_at_item_boundaries_with_overlap():
    blocks = [Block(("Long",), f"Item number {i} with some words in it", "item") for i in range(30)]
    chunks = chunk_document("d", "T", blocks, max_chars=200)
    assert len(chunks) > 3
    assert all(len(c.text) <= 200 for c in chunks)
    for prev, nxt in zip(chunks, chunks[1:]):
        assert prev.text.splitlines()[-1] == nxt.text.splitlines()[0]  # one item of overlap
    items = {line for c in chunks for line in c.text.splitlines()}
    assert items == {f"- Item number {i} with some words in it" for i in range(30)}


def test_long_paragraph_is_split_at_sentences():
    para = " ".join(f"Sentence {i} says something useful." for i in range(40))
    chunks = chunk_document("d", "T", [Block(("P",), para, "para")], max_chars=300)
    assert len(chunks) > 1
    assert all(c.text.rstrip().endswith(".") for c in chunks)


def test_embedded_text_includes_the_section_path():
    _, chunks = guide_chunks()
    c = next(c for c in chunks if c.section.endswith("MLOps Tools"))
    assert c.embed_text().startswith("Required Skills for AI/ML Engineers > MLOps and Production Skills > MLOps Tools\n")
