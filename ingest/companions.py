"""An article's own files: what its author (or a reader) says about it, kept with it in the store.

Beside `NAME.md` (or any other article file) may stand:

- `NAME.questions.yaml`: how people ask for each section, in their words::

      sections:
        - section: "Salary Expectations > Entry Level (0-2 years)"   # a section path, or its last titles
          asks: ["what do juniors make?", "entry level pay"]

- `NAME.glossary.yaml`: the article's terms with the plain words people use for them::

      terms:
        - term: deployment
          says: ["getting my model out to real users"]

Both are optional. They are part of the article: their bytes count in its hash
(a changed companion re-ingests the article) and they are stored and removed
with it. A companion that cannot be read is the article's error, so the store
keeps the previous version until it is fixed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.loaders import LoadError

KINDS = ("questions", "glossary")
MAX_COMPANION_BYTES = 2_000_000


@dataclass(frozen=True)
class Companions:
    """The parsed companion files of one article (empty when it has none)."""

    questions: tuple[tuple[str, str], ...] = ()  # (section, sample question)
    glossary: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (term, plain descriptions)
    paths: tuple[str, ...] = field(default=(), compare=False)


def companion_paths(article: Path) -> dict[str, Path]:
    """The companion files that exist beside an article, by kind.

    >>> companion_paths(Path("/nonexistent/guide.txt"))
    {}
    """
    stem = article.with_suffix("")
    found = {}
    for kind in KINDS:
        for ext in (".yaml", ".yml"):
            p = stem.with_name(f"{stem.name}.{kind}{ext}")
            if p.is_file():
                found[kind] = p
                break
    return found


def is_companion(name: str) -> bool:
    """
    >>> is_companion("guide.questions.yaml"), is_companion("guide.glossary.yml"), is_companion("notes.yaml")
    (True, True, False)
    """
    return any(name.endswith(f".{k}{e}") for k in KINDS for e in (".yaml", ".yml"))


def parse_questions(data: Any) -> tuple[tuple[str, str], ...]:
    """(section, question) pairs from a questions file's YAML.

    >>> parse_questions({"sections": [{"section": "Pay > Entry", "asks": ["what do juniors make?"]}]})
    (('Pay > Entry', 'what do juniors make?'),)
    >>> parse_questions({"sections": [{"asks": ["x"]}]})
    Traceback (most recent call last):
    ingest.loaders.LoadError: questions file: entry 1 has no 'section'
    """
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise LoadError("questions file: expected a mapping with a 'sections' list")
    out: list[tuple[str, str]] = []
    for i, s in enumerate(data["sections"], 1):
        if not isinstance(s, dict) or not s.get("section"):
            raise LoadError(f"questions file: entry {i} has no 'section'")
        asks = s.get("asks") or []
        if not isinstance(asks, list):
            raise LoadError(f"questions file: 'asks' of entry {i} is not a list")
        out.extend((str(s["section"]), str(a)) for a in asks if str(a).strip())
    return tuple(out)


def parse_glossary(data: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(term, descriptions) from a glossary file's YAML (`terms:`; `concepts:` is read too).

    >>> parse_glossary({"terms": [{"term": "deployment", "says": ["ship it to users"]}]})
    (('deployment', ('ship it to users',)),)
    """
    items = data.get("terms", data.get("concepts")) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise LoadError("glossary file: expected a mapping with a 'terms' list")
    out = []
    for i, t in enumerate(items, 1):
        if not isinstance(t, dict) or not t.get("term"):
            raise LoadError(f"glossary file: entry {i} has no 'term'")
        says = t.get("says") or []
        if not isinstance(says, list):
            raise LoadError(f"glossary file: 'says' of entry {i} is not a list")
        out.append((str(t["term"]), tuple(str(s) for s in says if str(s).strip())))
    return tuple(out)


def read_companions(article: Path) -> tuple[Companions, bytes]:
    """The article's companions and their raw bytes (hashed with the article's); LoadError names the file."""
    found = companion_paths(article)
    raw = b""
    parsed: dict[str, Any] = {}
    for kind, path in sorted(found.items()):
        try:
            if path.stat().st_size > MAX_COMPANION_BYTES:
                raise LoadError(f"{path.name}: over {MAX_COMPANION_BYTES:,} bytes")
            data = path.read_bytes()
            raw += f"\x1f{kind}\x1f".encode() + data
            doc = yaml.safe_load(data.decode("utf-8-sig"))
            parsed[kind] = parse_questions(doc) if kind == "questions" else parse_glossary(doc)
        except LoadError as e:
            raise LoadError(f"{path.name}: {e}" if not str(e).startswith(path.name) else str(e)) from None
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise LoadError(f"{path.name}: cannot read it ({type(e).__name__}: {first[:120]})") from None
    return Companions(parsed.get("questions", ()), parsed.get("glossary", ()),
                      tuple(str(p) for p in found.values())), raw


def content_hash(data: bytes, companions_raw: bytes) -> str:
    """The document's hash: its bytes, and its companions' when it has some (so adding none changes nothing).

    >>> content_hash(b"x", b"") == hashlib.sha256(b"x").hexdigest()
    True
    """
    h = hashlib.sha256(data)
    if companions_raw:
        h.update(companions_raw)
    return h.hexdigest()
