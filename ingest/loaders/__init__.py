"""Loaders turn a file's bytes into a title and cleaned blocks.

One module per format; each exposes `SUFFIXES` and `load(data, name) -> Parsed`
and raises `LoadError` with a one-line message for a file it cannot read.
Adding a format is one new module plus one line in `_MODULES`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from ingest.types import Block


class LoadError(Exception):
    """A file that cannot be ingested; the message is shown to the user as is."""


@dataclass(frozen=True)
class Parsed:
    title: str
    blocks: tuple[Block, ...]


_MODULES = ("ingest.loaders.text", "ingest.loaders.markdown", "ingest.loaders.html", "ingest.loaders.pdf")


def _loaded() -> list[ModuleType]:
    mods = []
    for name in _MODULES:
        try:
            mods.append(importlib.import_module(name))
        except ModuleNotFoundError as e:  # a format module not written yet
            if e.name != name:
                raise
    return mods


def supported_suffixes() -> set[str]:
    return {s for m in _loaded() for s in m.SUFFIXES}


def loader_for(suffix: str) -> ModuleType | None:
    for m in _loaded():
        if suffix.lower() in m.SUFFIXES:
            return m
    return None


def decode_text(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped) or a LoadError.

    >>> decode_text(b"caf\\xc3\\xa9")
    'café'
    """
    if not data.strip():
        raise LoadError("file is empty")
    if b"\x00" in data[:8192]:
        raise LoadError("file looks binary (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LoadError(f"file is not valid UTF-8 (byte {e.start})") from None
