"""What comes after (or before) the thing the last answer was about: the next row of its table, the next section
beside its section ("ok, what comes right after that?"), and the row an ordinal points at ("the first one").

Articles are ordered: a curriculum's courses in their table, a template's steps as numbered sections. A
follow-up asking what comes next names nothing itself; its subject is what the last answer named, and its
answer is that subject's neighbour in the articles' own order (a passage's `ordinal` in its document, a row's
place in its passage).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.question.forms import shared_stems
from bot.retrieval.named import SHORTEST, Rows, name_stems
from ingest.api import SECTION_SEP, Chunk, analyze


def place_in_doc(chunk: Chunk) -> int:
    """The passage's place in its document (ingest's `ordinal`; 0 when unknown)."""
    try:
        return int(chunk.metadata.get("ordinal", 0))
    except (TypeError, ValueError):
        return 0


def rows_in_text(text: str, rows: Rows, places: dict[int, int] | None = None) -> list[int]:
    """The rows the text names, in the order it names them: a row is named by its name, or by the longest start
    of it the text writes when that is at least half its words and two ("Computation Structures 1: Digital
    Circuits" names the row "Computation Structures 1: Digital Circuits alternative 1 alternative 2"). Where two
    rows are named at one place, the one named by more words counts.

    >>> c = Chunk("a", "d", "D", "Courses", "- Compilers — Duration: 9 weeks\\n- Software Testing — Duration: 4 weeks")
    >>> r = Rows([c])
    >>> [r.rows[i][1] for i in rows_in_text("Software Testing: 4 weeks, then Compilers: 9 weeks", r)]
    ['Software Testing', 'Compilers']
    >>> d = Chunk("b", "d", "D", "Systems", "- Structures 1: Digital Circuits alternative 1 alternative 2 — Duration: 10 weeks")
    >>> [Rows([d]).rows[i][1] for i in rows_in_text("Structures 1: Digital Circuits and more", Rows([d]))]
    ['Structures 1: Digital Circuits alternative 1 alternative 2']
    """
    places = {} if places is None else places  # filled: each row's place in the text (spaces collapsed)
    asked = set(analyze(text))
    low = " ".join(text.lower().split())
    best: dict[int, tuple[int, int]] = {}  # place in the text: (words named, row)
    for i, (stems, name, _) in enumerate(rows.rows):
        if not stems & asked:
            continue
        words = name.lower().split()
        for n in range(len(words), min(len(words), max(2, -(-len(words) // 2))) - 1, -1):
            at = low.find(" ".join(words[:n]))
            # a start of the name must hold two of its stems and half of them ("Programming and" is no name)
            if n < len(words) and len(set(analyze(" ".join(words[:n])))) < max(2, -(-len(stems) // 2)):
                break
            if at >= 0 and (at == 0 or not low[at - 1].isalnum()):
                if at not in best or best[at][0] < n:
                    best[at] = (n, i)
                break
    seen: set[str] = set()
    out = []
    for at in sorted(best):
        i = best[at][1]
        if rows.rows[i][1].lower() not in seen and not any(a < at < a + len(" ".join(
                rows.rows[best[a][1]][1].lower().split()[: best[a][0]])) for a in best if a != at):
            seen.add(rows.rows[i][1].lower())
            out.append(i)
            places[i] = at
    return out


def row_neighbour(rows: Rows, i: int, step: int) -> int | None:
    """The row `step` places from row i in its table (the rows of its document's section, in the articles'
    order; a row repeated where two passages overlap counts once).

    >>> a = Chunk("a", "d", "D", "Core", "- SPD — Duration: 13 weeks\\n- CPD — Duration: 13 weeks", metadata={"ordinal": 1})
    >>> b = Chunk("b", "d", "D", "Core", "- CPD — Duration: 13 weeks\\n- PL — Duration: 11 weeks", metadata={"ordinal": 2})
    >>> r = Rows([b, a])
    >>> spd = next(i for i, row in enumerate(r.rows) if row[1] == "SPD")
    >>> r.rows[row_neighbour(r, spd, 1)][1], r.rows[row_neighbour(r, row_neighbour(r, spd, 1), 1)][1]
    ('CPD', 'PL')
    >>> row_neighbour(r, spd, -1) is None
    True
    """
    me = rows.rows[i][2]
    same = [j for j, (_, _, c) in enumerate(rows.rows) if c.doc_id == me.doc_id and c.section == me.section]
    order = sorted(same, key=lambda j: (place_in_doc(rows.rows[j][2]), rows.rows[j][2].text.find(rows.lines[j])))
    names: list[str] = []
    first: dict[str, int] = {}
    for j in order:
        key = rows.rows[j][1].lower()
        if key not in first:
            first[key] = j
            names.append(key)
    at = names.index(rows.rows[i][1].lower()) + step
    return first[names[at]] if 0 <= at < len(names) else None


def _title(section: str) -> str:
    """A section's own title without its number ("1. Template > 5. Feature Engineering": "Feature Engineering")."""
    return re.sub(r"^(?:step\s+)?\d+[.)]?\s+", "", section.rsplit(SECTION_SEP, 1)[-1], flags=re.IGNORECASE)


def sections_in_order(chunks: Iterable[Chunk]) -> list[tuple[str, str, Chunk]]:
    """(doc_id, section, its first passage) for every section, in each document's order."""
    first: dict[tuple[str, str], Chunk] = {}
    for c in sorted(chunks, key=lambda c: (c.doc_id, place_in_doc(c))):
        first.setdefault((c.doc_id, c.section), c)
    return [(d, s, c) for (d, s), c in first.items()]


SUBJECT_WITHIN = 40  # the thing an answer is about is named this near its start (after its lead) ...
_CLAUSE_END = re.compile(r"[:,;.]\s")  # ... and in its first clause ("Months 1-3: Python, linear algebra")


def subject_place(text: str, at: int) -> bool:
    """Whether a name found at `at` in an answer (its lead removed) is what the answer is about: named in its
    first clause, near its start.

    >>> subject_place("Step 4 is Data Collection and Preparation: data needs", 10)
    True
    >>> subject_place("Months 1-3: Python and SQL basics, linear algebra and calculus", 35)
    False
    """
    end = _CLAUSE_END.search(text)
    return at < SUBJECT_WITHIN and (end is None or at <= end.start())
_LEAD = re.compile(r"^\s*From (?:the )?articles?'?s? (?:section|sections|text)\s+", re.IGNORECASE)


def subject_text(answer: str) -> str:
    """An answer without careerbot's "From the article's section" lead (whose section names what it is about):
    the answer's subject is named within its first SUBJECT_WITHIN characters.

    >>> subject_text("From the article's section Core > Compilers:\\n- Compilers — 9 weeks")
    'Core > Compilers:\\n- Compilers — 9 weeks'
    """
    return _LEAD.sub("", answer)


def section_neighbour(text: str, chunks: Sequence[Chunk], step: int) -> Chunk | None:
    """The first passage of the section `step` places from the section the text is about (the section whose
    title of two or more words it names in full near its start, the longest such title, then the first), among the
    sections with the same parent in the same document.

    >>> cs = [Chunk(str(i), "d", "D", f"Template > {t}", "...", metadata={"ordinal": i})
    ...       for i, t in enumerate(["4. Data Collection and Preparation", "5. Feature Engineering", "6. Models"])]
    >>> section_neighbour("Step 4 is Data Collection and Preparation: data needs, data sources", cs, 1).section
    'Template > 5. Feature Engineering'
    >>> section_neighbour("Feature engineering: encoders", cs, -1).section
    'Template > 4. Data Collection and Preparation'
    >>> section_neighbour("Python and SQL", cs, 1) is None
    True
    >>> section_neighbour("Months 1-3 are about Python and SQL, then some Feature Engineering", cs, 1) is None
    True
    """
    said = set(analyze(text))
    low = text.lower()
    secs = sections_in_order(chunks)
    named = []
    for k, (_, section, _) in enumerate(secs):
        title = _title(section)
        stems = name_stems(title)
        if len(stems) >= 2 and shared_stems(set(stems), said, shortest=SHORTEST) == stems:
            at = low.find(title.lower())
            if at >= 0 and subject_place(low, at):  # the answer's subject, not a thing it names on the way
                named.append((-len(stems), at, k))
    if not named:
        return None
    k = min(named)[2]
    doc, section, _ = secs[k]
    parent = section.rsplit(SECTION_SEP, 1)[0] if SECTION_SEP in section else ""
    siblings = [j for j, (d, s, _) in enumerate(secs)
                if d == doc and (s.rsplit(SECTION_SEP, 1)[0] if SECTION_SEP in s else "") == parent
                and s.count(SECTION_SEP) == section.count(SECTION_SEP)]
    at = siblings.index(k) + step
    return secs[siblings[at]][2] if 0 <= at < len(siblings) else None
