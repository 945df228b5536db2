"""The grounding check: every figure and name in an answer must come from the passages.

The answer is split into units (list lines, and the sentences of other
lines). From each unit we extract figures (money "$100,000", "100k", ranges
"$10-20k" / "6-12 months", percentages, counts "50+", years) and names
(mixed-case or all-caps tokens such as MLflow, PyTorch, AWS; capitalised words
that do not start a sentence, such as Coursera, Stanford, the "Ng" of "Andrew Ng"; an
ordinary word that starts a sentence cannot be told from a name, so it is not checked). A unit
whose figures or names are not all in the passages is dropped. Figures are
compared as numbers ("$100k" = "$100,000"), names case-insensitively.

Before that, loops are cut: a phrase repeated back to back, or a unit that
repeats an earlier one, ends the answer (small models loop).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_FIG = re.compile(
    r"(?<![\w.])(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mult>thousand|million|billion|bn|mm|k|m|b)(?![a-z]))?(?P<tail>%|\+)?",
    re.IGNORECASE,
)
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to)\s*[$€£]?\s*$", re.IGNORECASE)
_CITE = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")
_LIST = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[\"'(*\[]?[A-Z0-9$])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[.+#'’-][A-Za-z0-9+#]+)*\+*")
_NOT_NAMES = frozenset(
    """i im ive id ill a an the and or but so if then than to of in on at by for with from as is are was were be
    it its this that these those there here they them their you your yours we our us he she his her my me not no
    yes ok okay note tip tips step steps also however additionally overall example answer answers source sources
    guide article articles first second third finally next then e.g i.e etc vs
    ai ml us usa uk eu faq cv api apis llm llms nlp""".split()  # generic abbreviations are not names
)
_OPENERS = "\"'“”‘’(*[_#>`"


@dataclass(frozen=True)
class GroundingResult:
    kept_text: str
    dropped: list[str]  # units removed because a figure or name was not in the passages
    unsupported: list[str]  # the figures and names that were not found
    ok: bool  # enough survived to show the answer (else answer extractively)
    repeated: bool = False  # a loop was cut
    kept: list[str] = field(default_factory=list)


def figures(text: str) -> list[tuple[str, float]]:
    """Figures in a text as (as written, value); a range's shared suffix applies to both ends.

    >>> [v for _, v in figures("Base: $100,000 - $140,000; a $10-20k premium; 100k; top 10%; 50+ positions")]
    [100000.0, 140000.0, 10000.0, 20000.0, 100000.0, 10.0, 50.0]
    >>> [v for _, v in figures("6-12 months, Month 1-3, in 2026, $1.5M")]
    [6.0, 12.0, 1.0, 3.0, 2026.0, 1500000.0]
    """
    ms = list(_FIG.finditer(text))
    out: list[tuple[str, float]] = []
    for i, m in enumerate(ms):
        val = float(m["num"].replace(",", ""))
        mult = m["mult"]
        if mult:
            val *= _MULT[mult.lower()]
        elif i + 1 < len(ms) and ms[i + 1]["mult"] and _RANGE_SEP.match(text[m.end(): ms[i + 1].start()]):
            nxt = float(ms[i + 1]["num"].replace(",", ""))
            if val < nxt:
                val *= _MULT[ms[i + 1]["mult"].lower()]
        out.append((m.group(0).strip(), val))
    return out


def _strip_marks(text: str) -> str:
    return _CITE.sub("", _LIST.sub("", text, count=1))


def names(unit: str) -> list[str]:
    """Tool, company, course and programme names in one sentence or list line.

    >>> names("Use MLflow and Kubeflow; take Andrew Ng's course on Coursera.")
    ['MLflow', 'Kubeflow', 'Andrew', 'Ng', 'Coursera']
    >>> names("Andrew Ng teaches it.")
    ['Ng']
    >>> names("Python dominates. Learn PyTorch at Stanford.")
    ['PyTorch', 'Stanford']
    >>> names("- Base: $100,000 - $140,000 [1]")
    []
    """
    text = _strip_marks(unit)
    found: list[str] = []
    toks = list(_WORD.finditer(text))
    for m in toks:
        w = re.sub(r"['’]s$", "", m.group(0))
        before = text[: m.start()].rstrip(_OPENERS + " ")
        initial = not before or before[-1] in ".!?:;\n"
        low = w.lower()
        if low in _NOT_NAMES or len(w) < 2 or not w[0].isalpha():
            continue
        mixed = any(c.isupper() for c in w[1:]) and any(c.islower() for c in w)
        caps = w.isupper() and sum(c.isalpha() for c in w) >= 2
        capital = w[0].isupper()
        if mixed or caps:
            found.append(w)
        elif capital and not initial:
            found.append(w)
    return found


_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ai|edu|dev|co)\b[^\s)\]>\"']*",
                  re.IGNORECASE)


def urls(unit: str) -> list[str]:
    """Web addresses and domains in a unit (a made-up link is as bad as a made-up name).

    >>> urls("See https://www.example-ml.com/courses or fast.ai, and Coursera.")
    ['https://www.example-ml.com/courses', 'fast.ai']
    """
    return [u.rstrip(".,;:") for u in _URL.findall(unit)]


def split_units(text: str) -> list[tuple[int, str]]:
    """(line number, unit): list lines whole, other lines split into sentences.

    >>> split_units("Entry level pays well. Base is $100,000.\\n- MLflow for experiment tracking")
    [(0, 'Entry level pays well.'), (0, 'Base is $100,000.'), (1, '- MLflow for experiment tracking')]
    """
    out: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines()):
        s = line.strip()
        if not s:
            continue
        if _LIST.match(s):
            out.append((n, s))
        else:
            out.extend((n, u) for u in _SENT.split(s) if u.strip())
    return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9$%+]+", text.lower()))


def _loop_cut(text: str) -> int | None:
    """Offset where a phrase starts repeating back to back (kept once), or None."""
    toks = [(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[\w$%+.,'-]*\w|\S", text)]
    words = [re.sub(r"\W+$", "", t[0]) for t in toks]
    best: int | None = None
    for n in range(1, 13):
        reps = 4 if n == 1 else 3 if n == 2 else 2
        for i in range(0, len(words) - n * reps + 1):
            if best is not None and toks[i + n - 1][2] >= best:
                break
            if all(words[i + j * n: i + (j + 1) * n] == words[i: i + n] for j in range(1, reps)):
                if sum(len(w) for w in words[i: i + n]) >= 4:
                    best = toks[i + n - 1][2]
                    break
    return best


def remove_repetition(text: str) -> tuple[str, bool]:
    """Cut the answer where it starts looping.

    >>> remove_repetition("Use MLflow for data science. MLflow for data science. MLflow for data science.")
    ('Use MLflow for data science.', True)
    >>> remove_repetition("- MLflow for experiment tracking\\n- Kubeflow for ML pipelines\\n- MLflow for experiment tracking")
    ('- MLflow for experiment tracking\\n- Kubeflow for ML pipelines', True)
    >>> remove_repetition("Base: $100,000 - $140,000. Total: $120,000 - $180,000.")
    ('Base: $100,000 - $140,000. Total: $120,000 - $180,000.', False)
    """
    cut = _loop_cut(text)
    repeated = cut is not None
    if cut is not None:
        text = text[:cut].rstrip(" ,;:-")
        if text and text[-1].isalnum() and re.search(r"[.!?]\s", text):
            text += "."
    lines = text.splitlines()
    seen: set[str] = set()
    out: list[str] = []
    for line in lines:
        parts = [u for u in _SENT.split(line.strip())] if not _LIST.match(line) else [line.strip()]
        keep: list[str] = []
        stop = False
        for u in parts:
            key = _norm(_strip_marks(u))
            if key and key in seen:
                stop = repeated = True
                break
            if key:
                seen.add(key)
            keep.append(u)
        if keep:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + " ".join(keep) if not _LIST.match(line) else line.rstrip())
        elif not line.strip():
            out.append("")
        if stop:
            break
    return "\n".join(out).strip(), repeated


class _Evidence:
    def __init__(self, passages: Sequence[str]) -> None:
        joined = "\n".join(passages)
        self.text = " " + re.sub(r"\s+", " ", joined.lower().replace("’", "'")) + " "
        self.values = set()
        for raw, v in figures(joined):
            self.values.add(round(v, 2))
            self.values.add(round(float(re.sub(r"[^\d.]", "", raw.split()[0].replace(",", "")) or 0), 2))

    def has_value(self, v: float) -> bool:
        return round(v, 2) in self.values

    def has_name(self, name: str) -> bool:
        n = name.lower().replace("’", "'")
        return re.search(rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])", self.text) is not None


def check_grounding(
    answer_text: str, passages: Sequence[str], max_dropped: float = 0.5
) -> GroundingResult:
    """Drop the units of an answer whose figures or names the passages do not contain.

    `ok` is False when nothing with content survived, or when more than
    `max_dropped` of the units were dropped (then answer extractively).

    >>> guide = ["Salary Expectations > Entry Level (0-2 years)\\n- Base: $100,000 - $140,000\\n"
    ...          "- Total Comp: $120,000 - $180,000", "MLOps Tools\\n- MLflow for experiment tracking"]
    >>> r = check_grounding("An entry-level base salary is $100k-$140k. Some earn around $205,348. "
    ...                     "Track experiments with MLflow or Weights & Biases.", guide)
    >>> r.kept_text
    'An entry-level base salary is $100k-$140k.'
    >>> r.unsupported, r.ok
    (['$205,348', 'Weights', 'Biases'], False)
    >>> check_grounding("Total comp is $120,000 - $180,000 [1]. Use MLflow.", guide).ok
    True
    """
    trimmed, repeated = remove_repetition(answer_text)
    ev = _Evidence(passages)
    units = split_units(trimmed)
    kept: list[tuple[int, str]] = []
    dropped: list[str] = []
    unsupported: list[str] = []
    for line_no, unit in units:
        bare = _strip_marks(unit)
        missing = [raw for raw, v in figures(bare) if not ev.has_value(v)]
        missing += [n for n in names(unit) if not ev.has_name(n)]
        missing += [u for u in urls(bare) if not ev.has_name(u)]
        if missing:
            dropped.append(unit)
            unsupported.extend(m for m in missing if m not in unsupported)
        else:
            kept.append((line_no, unit))
    lines: dict[int, list[str]] = {}
    for line_no, unit in kept:
        lines.setdefault(line_no, []).append(unit)
    kept_text = "\n".join(" ".join(lines[n]) for n in sorted(lines))
    substantive = [u for _, u in kept if len(re.findall(r"\w+", _strip_marks(u))) >= 3]
    share = len(dropped) / len(units) if units else 1.0
    ok = bool(substantive) and share <= max_dropped
    return GroundingResult(kept_text, dropped, unsupported, ok, repeated, [u for _, u in kept])
