"""Deterministic checks of one answer against one case. Pure functions, no judge model."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.eval.cases import Case

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}


@dataclass
class Outcome:
    """What the bot did for one case, in plain data."""

    text: str = ""
    refused: bool = False
    sources: list[dict] = field(default_factory=list)  # cited: {doc_id, title, section, score}, best first
    retrieved: list[dict] = field(default_factory=list)  # every retrieved passage, best first
    seconds: float = 0.0
    mode: str = ""
    error: str | None = None
    query: str = ""  # the standalone query the bot retrieved with (differs from the question for follow-ups)
    notes: list[str] = field(default_factory=list)  # the bot's notes, e.g. why it declined
    why: list[str] = field(default_factory=list)  # the scope rules that decided, in order


def normalise(text: str) -> str:
    """Case-folded, NFKC, typographic dashes/quotes made plain, whitespace collapsed.

    >>> normalise("Base:  $100,000 \u2013 $140,000\\n\u201cNLP\u201d")
    'base: $100,000 - $140,000 "nlp"'
    """
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


def contains(text: str, entry: str) -> bool:
    """True when any `|`-separated alternative of `entry` occurs in `text`, ignoring case.

    >>> contains("Entry level base is $100K", "100,000|100k")
    True
    >>> contains("Entry level base is $90k", "100,000|100k")
    False
    """
    hay = normalise(text)
    return any(normalise(alt) in hay for alt in entry.split("|") if alt.strip())


def check_includes(text: str, entries: Sequence[str]) -> list[str]:
    """
    >>> check_includes("Learn PyTorch", ["pytorch|tensorflow", "SQL"])
    ["missing 'SQL'"]
    """
    return [f"missing {e!r}" for e in entries if not contains(text, e)]


def check_excludes(text: str, entries: Sequence[str]) -> list[str]:
    """
    >>> check_excludes("Become a nurse", ["nurse|doctor"])
    ["contains forbidden 'nurse|doctor'"]
    """
    return [f"contains forbidden {e!r}" for e in entries if contains(text, e)]


def check_expect(expect: str, refused: bool) -> list[str]:
    """
    >>> check_expect("refuse", False), check_expect("answer", True), check_expect("answer", False)
    (['expected a refusal, got an answer'], ['expected an answer, got a refusal'], [])
    """
    if expect == "refuse" and not refused:
        return ["expected a refusal, got an answer"]
    if expect == "answer" and refused:
        return ["expected an answer, got a refusal"]
    return []


def matches_source(doc_id: str, expected: str) -> bool:
    """A retrieved doc_id matches an expected one when it equals it or ends with it.

    >>> matches_source("careers/how-to-become-an-ai-ml-engineer-2026", "how-to-become-an-ai-ml-engineer-2026")
    True
    >>> matches_source("salary-guide", "how-to-become-an-ai-ml-engineer-2026")
    False
    """
    return doc_id.endswith(expected)


def source_rank(retrieved_ids: Sequence[str], expected: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved doc_id matching any expected one, or None.

    >>> source_rank(["other", "guide", "guide"], ["guide"]), source_rank(["other"], ["guide"])
    (2, None)
    """
    for rank, doc_id in enumerate(retrieved_ids, 1):
        if any(matches_source(doc_id, e) for e in expected):
            return rank
    return None


def section_rank(retrieved_sections: Sequence[str], expected: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved section containing an expected name (any `|` alternative).

    >>> secs = ["Conclusion", "Salary Expectations > Entry Level (0-2 years)"]
    >>> section_rank(secs, ["entry level|junior"]), section_rank(secs, ["Mid Level"])
    (2, None)
    """
    for rank, section in enumerate(retrieved_sections, 1):
        if any(contains(section, e) for e in expected):
            return rank
    return None


_MARKER = re.compile(r"\[(\d{1,3})\]")


def bad_markers(text: str, n_sources: int) -> list[str]:
    """Citation markers like [3] in the text that point past the list of sources.

    >>> bad_markers("Use MLflow [1]. Docker [4].", 2)
    ['[4]']
    """
    return [f"[{m}]" for m in _MARKER.findall(text) if not 1 <= int(m) <= n_sources]


def uncited_sources(cited: Sequence[dict], retrieved: Sequence[dict]) -> list[str]:
    """Cited sources that are not among the retrieved passages ("doc_id > section").

    >>> r = [{"doc_id": "g", "section": "Salary"}]
    >>> uncited_sources([{"doc_id": "g", "section": "Salary"}], r), uncited_sources([{"doc_id": "g", "section": "X"}], r)
    ([], ['g > X'])
    """
    seen = {(s.get("doc_id"), s.get("section")) for s in retrieved}
    return [f"{s.get('doc_id')} > {s.get('section')}" for s in cited if (s.get("doc_id"), s.get("section")) not in seen]


def citations_valid(outcome: Outcome, retrieval_only: bool = False) -> bool | None:
    """True/False when the answer cites sources, None when there is nothing to judge.

    >>> citations_valid(Outcome("x", sources=[{"doc_id": "g", "section": "A"}], retrieved=[{"doc_id": "g", "section": "A"}]))
    True
    >>> citations_valid(Outcome("", refused=True)) is None
    True
    """
    if retrieval_only or outcome.refused or outcome.error or not outcome.sources:
        return None
    return not uncited_sources(outcome.sources, outcome.retrieved) and not bad_markers(outcome.text, len(outcome.sources))


def check_case(case: Case, outcome: Outcome, retrieval_only: bool = False) -> list[str]:
    """Every failure of one case, as short human-readable strings; [] means it passed.

    With `retrieval_only` the answer text is not checked, only the refusal decision and retrieval.

    >>> c = Case("salary", "pay?", must_include=("100,000|100k",), sources=("guide",))
    >>> check_case(c, Outcome("Base: $100,000", retrieved=[{"doc_id": "guide", "section": "Salary"}]))
    []
    >>> check_case(c, Outcome("I don't know", retrieved=[{"doc_id": "blog", "section": "Intro"}]))
    ["missing '100,000|100k'", 'no retrieved passage from guide (retrieved: blog)']
    """
    if outcome.error:
        return [f"error: {outcome.error}"]
    failures = check_expect(case.expect, outcome.refused)
    if failures and case.expect == "answer" and outcome.notes:
        failures[0] += f" ({outcome.notes[0]})"  # the bot's reason for declining
    answered_as_expected = not (case.expect == "answer" and outcome.refused)
    if not retrieval_only:
        if answered_as_expected:
            failures += check_includes(outcome.text, case.must_include)
        failures += check_excludes(outcome.text, case.must_not_include)
        if not outcome.refused:
            bad = uncited_sources(outcome.sources, outcome.retrieved)
            if bad:
                failures.append(f"cites passages that were not retrieved: {', '.join(bad)}")
            markers = bad_markers(outcome.text, len(outcome.sources))
            if markers:
                failures.append(f"cites {', '.join(markers)} but has {len(outcome.sources)} source(s)")
    if case.sources and case.expect == "answer":
        ids = [s.get("doc_id", "") for s in outcome.retrieved]
        if source_rank(ids, case.sources) is None:
            got = ", ".join(dict.fromkeys(ids)) or "nothing"
            failures.append(f"no retrieved passage from {' or '.join(case.sources)} (retrieved: {got})")
    if case.sections and case.expect == "answer":
        secs = [s.get("section", "") for s in outcome.retrieved]
        if section_rank(secs, case.sections) is None:
            got = "; ".join(secs) or "nothing"
            failures.append(f"no retrieved section matching {' or '.join(map(repr, case.sections))} (retrieved: {got})")
    return failures
