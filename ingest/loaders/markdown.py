"""Markdown and MDX, parsed with markdown-it-py (ingest/loaders/mdparse.py)."""

from __future__ import annotations

from ingest.loaders import LoadError, Parsed, decode
from ingest.loaders.mdparse import parse

SUFFIXES = (".md", ".markdown", ".mdx")


def load(data: bytes, name: str) -> Parsed:
    text, encoding = decode(data)
    title, blocks, meta = parse(text)
    if not blocks:
        raise LoadError("no text in the file (only front matter, markup or images)")
    return Parsed(title or name, tuple(blocks), {**meta, "encoding": encoding, "format": "markdown"})
