"""Loaders turn a file's bytes into a title and cleaned blocks.

One module per format; each exposes `SUFFIXES` and `load(data, name) -> Parsed`
and raises `LoadError` with a one-line message for a file it cannot read.
Adding a format is one new module plus one line in `_MODULES`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from types import ModuleType

from ingest.types import Block


class LoadError(Exception):
    """A file that cannot be ingested; the message is shown to the user as is."""


@dataclass(frozen=True)
class Parsed:
    title: str
    blocks: tuple[Block, ...]
    # What the file says about itself, kept with the document, never embedded: "description" (front matter),
    # "encoding" (how its bytes were decoded), "format" ...; values are short strings.
    meta: dict[str, str] = field(default_factory=dict)


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


# A licence kept beside the articles without an extension ("LICENSE", "COPYING", "LICENSE-MIT") is plain text:
# "may I copy these notes?" is answered from it.
_LICENCE_NAME = re.compile(r"(?:licen[cs]e|copying|unlicense)(?:[-_][\w.-]+)?", re.IGNORECASE)


def kind_of(path: PurePath) -> str:
    """The suffix a file is read by: its own, or ".txt" for a licence file without one.

    >>> kind_of(PurePath("notes/Guide.MD")), kind_of(PurePath("LICENSE")), kind_of(PurePath("Makefile"))
    ('.md', '.txt', '')
    """
    suffix = path.suffix.lower()
    if not suffix and _LICENCE_NAME.fullmatch(path.name):
        return ".txt"
    return suffix


def supported_suffixes() -> set[str]:
    return {s for m in _loaded() for s in m.SUFFIXES}


def loader_for(suffix: str) -> ModuleType | None:
    for m in _loaded():
        if suffix.lower() in m.SUFFIXES:
            return m
    return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of a text file's bytes, or a LoadError; see `ingest.decode`.

    `declared` is a charset the file names itself (an HTML <meta charset>), tried after UTF-8.

    >>> decode("café".encode())
    ('café', 'utf-8')
    >>> decode("Caf\u00e9 au lait".encode("utf-16"))
    ('Café au lait', 'utf-16-le')
    """
    from ingest.decode import DecodeError, decode_bytes

    try:
        return decode_bytes(data, declared)
    except DecodeError as e:
        raise LoadError(str(e)) from None


def decode_text(data: bytes) -> str:
    """The text of `decode`, without the encoding name.

    >>> decode_text(b"caf\\xc3\\xa9")
    'café'
    """
    return decode(data)[0]
