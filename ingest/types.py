"""Data types shared by ingestion and answering.

The core speaks in these small dataclasses; LangChain and Chroma types stay in
adapter modules (`ingest/store.py`, `bot/compose/llm.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTION_SEP = " > "


@dataclass(frozen=True)
class Block:
    """One piece of cleaned text under a section: a paragraph or a list item."""

    section: tuple[str, ...]  # heading path, outermost first (document title excluded)
    text: str
    kind: str = "para"  # "para" | "item"
    page: int | None = None  # 1-based page, for PDFs


@dataclass(frozen=True)
class Document:
    """A loaded, cleaned article."""

    doc_id: str
    title: str
    source: str  # path as given to ingest
    blocks: tuple[Block, ...]
    content_hash: str = ""


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: never spans two sections."""

    id: str
    doc_id: str
    title: str
    section: str  # "A > B > C"
    text: str  # body, list items as "- item" lines
    pages: tuple[int, ...] = ()
    metadata: dict[str, str | int | float] = field(default_factory=dict, compare=False)

    def embed_text(self) -> str:
        """What is embedded and indexed: the section path, then the body."""
        return f"{self.section}\n{self.text}" if self.section else self.text

    def lexical_text(self) -> str:
        """What BM25 indexes for a document written to one template with others (`ingest.lexical.templated`):
        its title, then `embed_text`. Pages that share their sections ("Broad Indicators" on each level's page)
        differ by title."""
        return f"{self.title}\n{self.embed_text()}" if self.title else self.embed_text()


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its score (higher is better)."""

    chunk: Chunk
    score: float
    via: str = ""  # "questions": found through a sample question close to the question asked; "beside": a section
    # beside the ones the question puts aside ("anything else besides X?")
