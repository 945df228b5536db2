"""Career levels in order: "and at the next level?" after a question about one level's page.

Pure functions. A ladder's pages (a page per level, written to one template) are
ordered by the number their titles give ("Developer 3", "L4") or else by the
field's words for seniority ("Associate" before a bare title, "Senior" after it,
then "Staff", "Principal"...): knowledge of careers, not of one article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The field's seniority words, lowest first; a title without any sits at BARE (a plain "Engineer")
_RANKS: tuple[tuple[re.Pattern[str], float], ...] = tuple((re.compile(rf"\b(?:{w})\b"), rank) for w, rank in (
    (r"interns?|trainees?|apprentices?", 0), (r"junior|jr\.?|associate|entry[- ]level|graduate|assistant", 1),
    (r"mid[- ]level|intermediate", 2.5), (r"senior|sr\.?", 3), (r"lead|staff", 4), (r"principal", 5),
    (r"distinguished|fellow", 6),
))
BARE = 2.0
_NUMBER = re.compile(r"(?<![\d.])(\d{1,2})(?![\d.])")
_STEP = re.compile(r"\b(?P<up>next|following|higher|above|up)\s+(?:level|one|rung|grade|step)\b"
                   r"|\b(?:level|one|rung|grade)\s+(?P<up2>above|up|after\s+(?:that|it|this))\b"
                   r"|\b(?P<down>previous|prior|lower|below|down)\s+(?:level|one|rung|grade)\b"
                   r"|\b(?:level|one|rung|grade)\s+(?P<down2>below|down|before\s+(?:that|it|this))\b", re.IGNORECASE)


def level_step(question: str) -> int:
    """+1 when the question asks about the level above the one last asked about, -1 for the one below, else 0.

    >>> [level_step(q) for q in ("and at the next level?", "what about the level above?", "and the one below it?",
    ...                          "how long at the previous level?", "what is a level?")]
    [1, 1, -1, -1, 0]
    """
    m = _STEP.search(question)
    if not m:
        return 0
    return 1 if m.group("up") or m.group("up2") else -1


def seniority(title: str) -> float:
    """A level's place by its title: the number it gives, else the field's seniority words (BARE for none).

    >>> [seniority(t) for t in ("Associate Engineer", "Engineer", "Senior Engineer", "Staff Engineer", "Principal Engineer")]
    [1, 2.0, 3, 4, 5]
    >>> seniority("Developer 6"), seniority("L4 - Senior")
    (6.0, 4.0)
    """
    if m := _NUMBER.search(title):
        return float(m.group(1))
    low = title.lower()
    for rx, rank in reversed(_RANKS):
        if rx.search(low):
            return rank
    return BARE


def neighbour(titles: Sequence[str], current: str, step: int) -> str | None:
    """The title one place from `current` (step +1 or -1) in the order of `seniority`; None at either end or when
    two titles share a place (no order to follow).

    >>> ts = ["Senior Engineer", "Associate Engineer", "Engineer", "Staff Engineer"]
    >>> neighbour(ts, "Associate Engineer", 1), neighbour(ts, "Staff Engineer", 1), neighbour(ts, "Engineer", -1)
    ('Engineer', None, 'Associate Engineer')
    """
    ranked = sorted(titles, key=seniority)
    places = [seniority(t) for t in ranked]
    if len(set(places)) < len(places) or current not in ranked:
        return None
    i = ranked.index(current) + step
    return ranked[i] if 0 <= i < len(ranked) else None
