"""The row of a table that is longest, shortest, heaviest or lightest, when a question asks for it.

"Of the final project courses, which one runs the longest?" is answered by
reading a column of a table, not by a sentence: every row's cell is read as
a number (durations in weeks, efforts in hours a week) and the row at the
end asked for is the answer. Pure functions over `bot.retrieval.named.Rows`.
"""

from __future__ import annotations

import re

from bot.retrieval.named import Rows, cells

# what is asked: the kind of column, and +1 for the most, -1 for the least
_ASKED = (
    (re.compile(r"\b(?:longest|lengthiest|takes?\s+the\s+(?:most|longest)\s+(?:time|weeks|months))\b", re.I), "duration", 1),
    (re.compile(r"\b(?:shortest|quickest|fastest|briefest|takes?\s+the\s+(?:least|shortest)\s+(?:time|weeks|months))\b",
                re.I), "duration", -1),
    (re.compile(r"\b(?:heaviest|most\s+(?:demanding|intensive|work|effort|hours|time[-\s]consuming)|highest\s+(?:effort|"
                r"workload)|biggest\s+workload)\b", re.I), "effort", 1),
    (re.compile(r"\b(?:lightest|least\s+(?:demanding|intensive|work|effort|hours)|fewest\s+hours|lowest\s+(?:effort|"
                r"workload)|smallest\s+workload)\b", re.I), "effort", -1),
)
# the column a kind is read from, by its header's words
_COLUMNS = {"duration": re.compile(r"\b(?:duration|length|how long|weeks|time)\b", re.I),
            "effort": re.compile(r"\b(?:effort|workload|hours|load|time per week)\b", re.I)}
_WEEKS = {"day": 1 / 7, "week": 1.0, "wk": 1.0, "month": 52 / 12, "year": 52.0, "yr": 52.0, "hour": 1.0, "hr": 1.0}
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*(day|week|wk|month|year|yr|hour|hr)s?\b", re.I)


def asked_extreme(question: str) -> tuple[str, int] | None:
    """The kind of column a question asks the extreme of, and which end (+1 most, -1 least).

    >>> asked_extreme("Among the final project courses, which one runs the longest?")
    ('duration', 1)
    >>> asked_extreme("which is the lightest course per week?"), asked_extreme("what is the best course?")
    (('effort', -1), None)
    """
    for rx, kind, sign in _ASKED:
        if rx.search(question):
            return kind, sign
    return None


def amount(cell: str) -> float | None:
    """A duration in weeks, or an effort in hours a week, of a cell; a range counts by its middle.

    >>> amount("43 weeks"), amount("6 months"), amount("2-5 hours/week"), amount("chat")
    (43.0, 26.0, 3.5, None)
    """
    m = _AMOUNT.search(cell)
    if not m:
        return None
    low = float(m.group(1))
    high = float(m.group(2)) if m.group(2) else low
    return (low + high) / 2 * _WEEKS[m.group(3).lower()]


def extreme_row(question: str, rows: Rows, doc_id: str, section: str) -> str | None:
    """The name of the row, among a section's table rows, at the end of the column the question asks about.

    >>> from ingest.api import Chunk
    >>> c = Chunk("a", "d", "D", "Final project", "- Fullstack Open — Duration: 12 weeks; Effort: 15 hours/week\\n"
    ...           "- Data Science — Duration: 43 weeks; Effort: 1-6 hours/week\\n- Unity — Duration: 6 months")
    >>> extreme_row("which one runs the longest?", Rows([c]), "d", "Final project")
    'Data Science'
    >>> extreme_row("which is the most demanding per week?", Rows([c]), "d", "Final project")
    'Fullstack Open'
    """
    asked = asked_extreme(question)
    if asked is None:
        return None
    kind, sign = asked
    scored: list[tuple[float, str]] = []
    for i in rows.of_document(doc_id):
        _, name, chunk = rows.rows[i]
        if chunk.section != section:
            continue
        for column, value in cells(rows.lines[i]).items():
            if _COLUMNS[kind].search(column) and (v := amount(value)) is not None:
                scored.append((sign * v, name))
                break
    if len(scored) < 2:
        return None
    best = max(v for v, _ in scored)
    top = [n for v, n in scored if v == best]
    return top[0] if len(set(top)) == 1 else None
