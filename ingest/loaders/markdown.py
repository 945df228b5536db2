"""Markdown: '#' headings become sections, list lines become items."""

from __future__ import annotations

from ingest.clean import clean_lines
from ingest.loaders import LoadError, Parsed, decode_text

SUFFIXES = (".md", ".markdown")


def load(data: bytes, name: str) -> Parsed:
    title, blocks = clean_lines(decode_text(data).splitlines(), flat=False)
    if not blocks:
        raise LoadError("no text left after cleaning")
    return Parsed(title or name, tuple(blocks))
