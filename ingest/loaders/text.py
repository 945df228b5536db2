"""Plain text, including web pages flattened to text (the guide)."""

from __future__ import annotations

from ingest.clean import clean_lines
from ingest.loaders import LoadError, Parsed, decode_text

SUFFIXES = (".txt",)


def load(data: bytes, name: str) -> Parsed:
    title, blocks = clean_lines(decode_text(data).splitlines(), flat=True)
    if not blocks:
        raise LoadError("no text left after cleaning")
    return Parsed(title or name, tuple(blocks))
