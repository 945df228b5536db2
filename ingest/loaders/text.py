"""Plain text: paragraphs separated by blank lines; web pages flattened to text read by their layout.

A file laid out as a flattened web page (`ingest.clean.looks_flattened`: no
blank lines, headings and labels on lines of their own, inline "- a - b"
lists) is read by the flattened-page rules of ingest/clean.py. Any other text
is prose: a single newline inside a paragraph is a wrapped line, lines
starting with "-", "*" or "1." are list items, a one-line paragraph that looks
like a heading (`is_bare_heading`) over more text names a section, and the
first line is the title only when it looks like one. A short file is an
article; only a file with no text at all is an error.
"""

from __future__ import annotations

import re

from ingest.clean import clean_lines, is_bare_heading, looks_flattened
from ingest.loaders import LoadError, Parsed, decode
from ingest.types import Block

SUFFIXES = (".txt",)
_ITEM = re.compile(r"^(?:[-*•]|\d{1,3}[.)])\s+")
_NOTICE = re.compile(r"^\s*(?:copyright\b|©|\(c\)\s)", re.IGNORECASE)  # "Copyright (c) 2021 A. Author": a statement


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paras: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paras[-1].append(line.rstrip())
        elif paras[-1]:
            paras.append([])
    return [p for p in paras if p]


def _is_title(line: str) -> bool:
    """A first line that names the text: short, no sentence punctuation at its end, not a list item."""
    line = line.strip()
    return len(line) <= 100 and len(line.split()) <= 14 and line[-1] not in ".,;:!" and not _ITEM.match(line) \
        and (line[0].isupper() or line[0].isdigit())


def prose_blocks(lines: list[str]) -> tuple[str, list[Block]]:
    """Title and blocks of plain prose.

    >>> title, blocks = prose_blocks(["Interview notes", "", "The recruiter called on", "Monday.", "",
    ...     "Next Steps", "", "- send the CV", "- ask about", "  the salary band"])
    >>> title, [(b.section, b.kind, b.text) for b in blocks]
    ('Interview notes', [((), 'para', 'The recruiter called on Monday.'), \
(('Next Steps',), 'item', 'send the CV'), (('Next Steps',), 'item', 'ask about the salary band')])
    >>> prose_blocks(["MIT License", "", "Copyright (c) 2021 Ada", "", "Permission is granted."])[1][0].text
    'Copyright (c) 2021 Ada'
    >>> prose_blocks(["just one line note"])
    ('', [Block(section=(), text='just one line note', kind='para', page=None)])
    """
    paras = _paragraphs(lines)
    title = ""
    if paras and _is_title(paras[0][0]) and (len(paras[0]) > 1 or len(paras) > 1):
        if len(paras[0]) == 1 or is_bare_heading(paras[0][0]):
            title = paras[0][0].strip()
            paras[0] = paras[0][1:]
    section: tuple[str, ...] = ()
    blocks: list[Block] = []
    for i, para in enumerate(paras):
        if not para:
            continue
        if len(para) == 1 and i + 1 < len(paras) and is_bare_heading(para[0]) and not _NOTICE.match(para[0]):
            section = (para[0].strip(),)
            continue
        parts: list[tuple[str, list[str]]] = []
        for line in para:
            if _ITEM.match(line.strip()):
                parts.append(("item", [_ITEM.sub("", line.strip(), count=1)]))
            elif parts:
                parts[-1][1].append(line.strip())
            else:
                parts.append(("para", [line.strip()]))
        for kind, texts in parts:
            text = re.sub(r"\s+", " ", " ".join(texts)).strip()
            if text:
                blocks.append(Block(section, text, kind))
    return title, blocks


def load(data: bytes, name: str) -> Parsed:
    text, encoding = decode(data)
    lines = text.splitlines()
    meta = {"encoding": encoding, "format": "text"}
    if looks_flattened(lines):
        title, blocks = clean_lines(lines, flat=True)
        if blocks:
            return Parsed(title or name, tuple(blocks), {**meta, "layout": "flattened web page"})
    title, blocks = prose_blocks(lines)
    if not blocks and title:  # all the text there is: a one-line note
        title, blocks = "", [Block((), title, "para")]
    if not blocks:
        raise LoadError("file has no text")
    return Parsed(title or name, tuple(blocks), meta)
