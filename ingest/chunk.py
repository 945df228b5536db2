"""Chunking along sections.

A chunk never spans two sections. A section longer than `max_chars` is split
at item or sentence boundaries, each chunk after the first repeating the last
unit of the one before (overlap). Chunk ids derive from content, so the same
text always gets the same id.
"""

from __future__ import annotations

import hashlib
import re
from itertools import groupby

from ingest.types import SECTION_SEP, Block, Chunk

INTRO = "Introduction"
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def split_sentences(text: str) -> list[str]:
    """
    >>> split_sentences("Python dominates. You need NumPy! OK?")
    ['Python dominates.', 'You need NumPy!', 'OK?']
    """
    return [s for s in _SENT.split(text.strip()) if s]


def chunk_id(doc_id: str, section: str, text: str) -> str:
    """Stable id from the content.

    >>> chunk_id("guide", "Salary", "Base: $1")
    '333449bf627834ae'
    """
    return hashlib.sha256(f"{doc_id}\x1f{section}\x1f{text}".encode()).hexdigest()[:16]


def _units(blocks: list[Block], max_chars: int) -> list[tuple[str, int | None]]:
    """Render blocks as text units: '- item' lines and sentences of paragraphs."""
    units: list[tuple[str, int | None]] = []
    for b in blocks:
        if b.kind == "item":
            units.append((f"- {b.text}", b.page))
        elif len(b.text) <= max_chars or b.kind == "code":
            units.append((b.text, b.page))
        else:
            units.extend((s, b.page) for s in split_sentences(b.text))
    return units


def _pack(units: list[tuple[str, int | None]], max_chars: int) -> list[list[tuple[str, int | None]]]:
    groups: list[list[tuple[str, int | None]]] = []
    cur: list[tuple[str, int | None]] = []
    size = 0
    for u in units:
        if cur and size + len(u[0]) + 1 > max_chars:
            groups.append(cur)
            cur = [cur[-1]] if len(cur) > 1 else []  # overlap: repeat the last unit
            size = sum(len(x[0]) + 1 for x in cur)
        cur.append(u)
        size += len(u[0]) + 1
    if cur:
        groups.append(cur)
    return groups


def chunk_document(doc_id: str, title: str, blocks: list[Block], max_chars: int = 700) -> list[Chunk]:
    """Chunks of one document, in reading order.

    >>> blocks = [Block(("Salary Expectations", "Entry Level"), "Base: $100,000 - $140,000", "item"),
    ...           Block(("Salary Expectations", "Mid Level"), "Base: $140,000 - $200,000", "item")]
    >>> [(c.section, c.text) for c in chunk_document("guide", "Guide", blocks)]
    [('Salary Expectations > Entry Level', '- Base: $100,000 - $140,000'), \
('Salary Expectations > Mid Level', '- Base: $140,000 - $200,000')]
    """
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section_path, group in groupby(blocks, key=lambda b: b.section):
        section = SECTION_SEP.join(section_path) or INTRO
        for units in _pack(_units(list(group), max_chars), max_chars):
            text = "\n".join(u[0] for u in units)
            cid = chunk_id(doc_id, section, text)
            if cid in seen:  # the same text twice in one section: keep one
                continue
            seen.add(cid)
            pages = tuple(sorted({p for _, p in units if p is not None}))
            chunks.append(Chunk(cid, doc_id, title, section, text, pages))
    return chunks
