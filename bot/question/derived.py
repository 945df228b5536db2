"""Sample questions derived from an article itself, for articles without a questions file.

An article's questions file says how people ask for each of its sections
(`ingest.companions`). Without one, careerbot derives a few from the text:
the section's own title, the labels of its labelled list items, and the
terms its sentences define ("X is a ...", "X (ABC)"), each as a question
someone would type. Pure functions over the stored chunks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ingest.api import SECTION_SEP, Chunk

MAX_PER_SECTION = 8
_NUMBERING = re.compile(r"^\s*(?:(?:step|part|chapter|phase|section|rule|tip)\s+)?(?:\d+|[ivx]+|[a-z])[.):]\s+", re.I)
_DECOR = re.compile(r"[^\w\s/&+'(),.:?-]")
_LABEL = re.compile(r"^- (?P<label>[^:\n]{2,60}?):\s+\S")
_DEFINES = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<term>[A-Z][\w/+-]*(?:\s+[\w/+-]+){0,4}?)\s*(?:\((?P<abbr>[A-Z][A-Za-z0-9&/-]{1,9})\)\s*)?"
    r"(?:is|are|refers to|means|stands for)\s+(?:a|an|the|when|how|what|used)\b")
_ABBR = re.compile(r"(?P<long>(?:[A-Z][\w-]*\s+){1,5}[A-Z][\w-]*)\s+\((?P<abbr>[A-Z][A-Za-z0-9&]{1,9})\)")


def clean_title(title: str) -> str:
    """A heading as a phrase: numbering and decoration dropped.

    >>> clean_title("2. KISS (Keep It Simple and Sweet)"), clean_title("🚀 Step 3: Ship it")
    ('KISS (Keep It Simple and Sweet)', 'Ship it')
    """
    t = _DECOR.sub("", title).strip()
    return _NUMBERING.sub("", t).strip(" .:-")


def section_questions(section: str, texts: Sequence[str]) -> list[str]:
    """Questions a section answers, from its title, its labelled items and the terms it defines.

    >>> section_questions("Interview Tips > 2. KISS (Keep It Simple and Sweet)",
    ...     ["- Clarify: ask questions first\\n- Plan: outline before coding",
    ...      "Precision is the share of positive predictions that are right. Machine Learning System Design (MLSD) ..."])
    ['KISS (Keep It Simple and Sweet)', 'what is KISS (Keep It Simple and Sweet)?', 'what does Clarify mean?', \
'what does Plan mean?', 'what is Precision?', 'what does MLSD stand for?']
    """
    leaf = clean_title(section.split(SECTION_SEP)[-1]) if section else ""
    out: list[str] = []
    if leaf and len(leaf) >= 3:
        out += [leaf] if leaf.endswith("?") else [leaf, f"what is {leaf}?"]  # a FAQ's heading asks already
    for text in texts:
        for line in text.splitlines():
            m = _LABEL.match(line)
            if m and len(m.group("label").split()) <= 6:
                out.append(f"what does {m.group('label').strip('* ')} mean?")
        for m in _DEFINES.finditer(text):
            term = m.group("term").strip()
            if 1 <= len(term.split()) <= 5:
                out.append(f"what is {term}?")
            if m.group("abbr"):
                out.append(f"what does {m.group('abbr')} stand for?")
        for m in _ABBR.finditer(text):
            out.append(f"what does {m.group('abbr')} stand for?")
    return list(dict.fromkeys(out))[:MAX_PER_SECTION]


def derived_questions(chunks: Iterable[Chunk]) -> list[tuple[str, str]]:
    """(section, question) pairs for every section of the chunks, in reading order.

    >>> derived_questions([Chunk("1", "d", "T", "Metrics > Recall", "Recall is the share of positives found.")])
    [('Metrics > Recall', 'Recall'), ('Metrics > Recall', 'what is Recall?')]
    """
    by_section: dict[str, list[str]] = {}
    for c in chunks:
        by_section.setdefault(c.section, []).append(c.text)
    return [(s, q) for s, texts in by_section.items() for q in section_questions(s, texts)]
