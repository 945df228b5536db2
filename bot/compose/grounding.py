"""The grounding check: every figure and name in an answer must come from the passages.

The answer is split into units (list lines, and the sentences of other
lines). From each unit we extract figures (money "$100,000", "100k", ranges
"$10-20k" / "6-12 months", percentages, counts "50+", years) and names
(mixed-case or all-caps tokens such as MLflow, PyTorch, AWS; capitalised words
that do not start a sentence, such as Coursera, Stanford, the "Ng" of "Andrew Ng"; an
ordinary word that starts a sentence cannot be told from a name, so it is not checked). A unit
with a figure or a name that is not supported is dropped. Names are looked up
anywhere in the passages (and their section titles), case-insensitively.

A figure must be bound to its subject, not merely occur somewhere:

* Passages are cut into units too (a list line or a sentence), each read with
  its context: the passage's section title ("Salary Expectations > Entry Level
  (0-2 years)") and, for a list line, the line introducing the list ("An MS in
  ... offers:"). A unit *holds* a figure when its text or context has it.
* Figures are compared as numbers ("$100k" = "$100,000"). A range must match a
  range with the same ends ("$100k-$140k" for "$100,000 - $140,000"). A single
  figure that is only one end of a range is held only when the answer words it
  as that bound: "from / at least / starting at $100k" or "$100k+" for the lower
  end, "up to / as much as / at most $140k" for the upper end; so "$10k" is not
  supported by "$10-20k premium", "up to $20k" is.
* Subject: the answer unit's content words (`ingest.lexical.analyze`: stemmed,
  no stopwords, no numbers; plus the answer's own list lead line), against each
  passage unit's words with its context. A figure is supported when some unit
  holding it shares at least one content word with the answer unit, and no
  unit stating a different figure covers the answer's words strictly better,
  i.e. shares all the words that one shares and at least one more.
  "Entry-level base salary is $140,000 - $200,000" shares {level, base,
  salari} with the mid-level line that holds the range, but the entry-level
  line shares those and "entri": dropped. "Entry-level base is $100k-$140k and mid-level base is
  $140k-$200k" passes: neither level's line covers the other's words.
  An answer unit with no content words at all (a bare "- $100k-$140k") only
  needs the figure to be held somewhere.

Before that, loops are cut: a phrase repeated back to back, or a unit that
repeats an earlier one, ends the answer (small models loop).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.api import analyze

_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_FIG = re.compile(
    r"(?<![\w.])(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mult>thousand|million|billion|bn|mm|k|m|b)(?![a-z]))?(?P<tail>%|\+)?",
    re.IGNORECASE,
)
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to)\s*[$€£]?\s*$", re.IGNORECASE)
_AND_SEP = re.compile(r"^\s*and\s*[$€£]?\s*$", re.IGNORECASE)  # "between $100K and $140K"
_BETWEEN = re.compile(r"\bbetween\s*$", re.IGNORECASE)
_LOWER = re.compile(r"\b(?:from|at least|start(?:s|ing)?(?: at| from)?|as (?:little|low) as|min(?:imum)?(?: of)?)"
                    r"\s*(?:about\s*|around\s*)?$", re.IGNORECASE)
_UPPER = re.compile(r"\b(?:up to|as (?:much|high) as|at most|max(?:imum)?(?: of)?|reach(?:es|ing)?)"
                    r"\s*(?:about\s*|around\s*)?$", re.IGNORECASE)
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
_ALIAS = {"compens": "comp", "junior": "entri", "beginn": "entri"}  # "total compensation" = "Total Comp"


@dataclass(frozen=True)
class GroundingResult:
    kept_text: str
    dropped: list[str]  # units removed because a figure or name was not supported
    unsupported: list[str]  # the figures and names that were not supported
    ok: bool  # enough survived to show the answer (else answer extractively)
    repeated: bool = False  # a loop was cut
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    """A figure or a range as written; `lower` / `upper`: worded as that bound ("from", "up to", "50+")."""

    raw: str
    lo: float
    hi: float
    is_range: bool = False
    lower: bool = False
    upper: bool = False
    plus: bool = False  # written with a trailing "+" (a range: on its upper end)


@dataclass(frozen=True)
class PassageUnit:
    """A list line or sentence of a passage, with its context (section title, list lead line)."""

    text: str
    context: str
    words: frozenset[str]  # content words of text + context
    figures: tuple[Figure, ...]  # figures of text + context
    states_figure: bool = False  # its own text (not the context) has a figure


def _matches(text: str) -> list[tuple[re.Match[str], float]]:
    ms = list(_FIG.finditer(text))
    out: list[tuple[re.Match[str], float]] = []
    for i, m in enumerate(ms):
        val = float(m["num"].replace(",", ""))
        mult = m["mult"]
        if mult:
            val *= _MULT[mult.lower()]
        elif i + 1 < len(ms) and ms[i + 1]["mult"] and _RANGE_SEP.match(text[m.end(): ms[i + 1].start()]):
            nxt = float(ms[i + 1]["num"].replace(",", ""))
            if val < nxt:
                val *= _MULT[ms[i + 1]["mult"].lower()]
        out.append((m, val))
    return out


def figures(text: str) -> list[tuple[str, float]]:
    """Figures in a text as (as written, value); a range's shared suffix applies to both ends.

    >>> [v for _, v in figures("Base: $100,000 - $140,000; a $10-20k premium; 100k; top 10%; 50+ positions")]
    [100000.0, 140000.0, 10000.0, 20000.0, 100000.0, 10.0, 50.0]
    >>> [v for _, v in figures("6-12 months, Month 1-3, in 2026, $1.5M")]
    [6.0, 12.0, 1.0, 3.0, 2026.0, 1500000.0]
    """
    return [(m.group(0).strip(), v) for m, v in _matches(text)]


def quantities(text: str) -> list[Figure]:
    """Figures with ranges joined ("a-b", "a to b", "between a and b") and single figures' bound wording.

    >>> [(q.raw, q.lo, q.hi, q.is_range) for q in quantities("Base $100k to $140k, between 6 and 12 months")]
    [('$100k to $140k', 100000.0, 140000.0, True), ('6 and 12', 6.0, 12.0, True)]
    >>> [(q.raw, q.lower, q.upper) for q in quantities("from $10k, up to $20k, 50+ roles, $15k")]
    [('$10k', True, False), ('$20k', False, True), ('50+', True, False), ('$15k', False, False)]
    """
    ms = _matches(text)
    out: list[Figure] = []
    i = 0
    while i < len(ms):
        m, v = ms[i]
        if i + 1 < len(ms):
            m2, v2 = ms[i + 1]
            gap = text[m.end(): m2.start()]
            if _RANGE_SEP.match(gap) or (_AND_SEP.match(gap) and _BETWEEN.search(text[: m.start()])):
                out.append(Figure(text[m.start(): m2.end()].strip(), min(v, v2), max(v, v2), True,
                                  plus=m2["tail"] == "+"))
                i += 2
                continue
        before = text[: m.start()]
        plus = m["tail"] == "+"
        out.append(Figure(m.group(0).strip(), v, v, False, lower=plus or bool(_LOWER.search(before)),
                          upper=bool(_UPPER.search(before)), plus=plus))
        i += 1
    return out


def _same(a: float, b: float) -> bool:
    return round(a, 2) == round(b, 2)


def holds(evidence: Sequence[Figure], q: Figure) -> bool:
    """Whether figures of a passage unit support figure `q` of an answer.

    A range needs a range with the same ends; a single figure needs the same
    single figure, or is one end of a range worded as that bound.

    >>> base = quantities("Base: $100,000 - $140,000")
    >>> [holds(base, q) for q in quantities("$100k-$140k; $100k; from $100k; up to $140k; up to $100k")]
    [True, False, True, True, False]
    >>> holds(quantities("$280,000 - $450,000+"), quantities("$450k+")[0])
    True
    """
    for f in evidence:
        if q.is_range:
            if f.is_range and _same(f.lo, q.lo) and _same(f.hi, q.hi):
                return True
        elif not f.is_range:
            if _same(f.lo, q.lo):
                return True
        elif ((q.lower and _same(q.lo, f.lo)) or (q.upper and _same(q.lo, f.hi))
              or (q.plus and f.plus and _same(q.lo, f.hi))):
            return True
    return False


def content_words(text: str) -> frozenset[str]:
    """Stemmed words without stopwords, numbers or citation marks (a few synonyms folded).

    >>> sorted(content_words("Entry-level total compensation: $120k-$180k (0-2 years) [1]"))
    ['comp', 'entri', 'level', 'total', 'year']
    """
    return frozenset(_ALIAS.get(w, w) for w in analyze(_CITE.sub("", text)) if not w[0].isdigit())


def _is_lead(unit: str) -> bool:
    """A line that introduces a list: ends with ":", a markdown heading, or all bold."""
    s = unit.strip()
    return s.startswith("#") or s.strip("*_ ").endswith(":") or (len(s) > 4 and s.startswith("**") and s.endswith("**"))


def _with_leads(units: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(line, unit, lead): a list line's lead is the last line introducing a list before it.

    >>> [u[2] for u in _with_leads(split_units("Mid level:\\n- Base: $140k-$200k\\n- Total: $180k-$280k"))]
    ['', 'Mid level:', 'Mid level:']
    """
    out: list[tuple[int, str, str]] = []
    lead = ""
    for n, u in units:
        if _LIST.match(u):
            out.append((n, u, lead))
            if _is_lead(_LIST.sub("", u, count=1)):
                lead = u
        else:
            out.append((n, u, ""))
            lead = u if _is_lead(u) else ""
    return out


def _is_title(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) <= 200 and not _LIST.match(s) and not s.endswith((".", "!"))  # "...Do?" is a title


def passage_units(passages: Sequence[str], sections: Sequence[str] | None = None) -> list[PassageUnit]:
    """The units of the passages, each with its context.

    Without `sections`, a passage's first line is its section title when it
    looks like one (not a list line, not ending in "." or "!"), as in
    `Chunk.embed_text()`; with `sections`, `sections[i]` is the title of
    `passages[i]`.

    >>> u = passage_units(["Salary Expectations > Entry Level (0-2 years)\\n- Base: $100,000 - $140,000"])
    >>> u[0].text, sorted(u[0].words), [f.raw for f in u[0].figures]
    ('- Base: $100,000 - $140,000', ['base', 'entri', 'expect', 'level', 'salari', 'year'], ['$100,000 - $140,000', '0-2'])
    """
    out: list[PassageUnit] = []
    for i, p in enumerate(passages):
        title, body = "", p
        if sections is not None:
            title = sections[i] if i < len(sections) else ""
        else:
            first, _, rest = p.partition("\n")
            if rest.strip() and _is_title(first):
                title, body = first.strip(), rest
        for _, unit, lead in _with_leads(split_units(body)):
            context = "\n".join(x for x in (title, _strip_marks(lead)) if x)
            bare = _strip_marks(unit)
            own = quantities(bare)
            out.append(PassageUnit(unit, context, content_words(bare + "\n" + context),
                                   tuple(own + quantities(context)), bool(own)))
    return out


def supported(q: Figure, words: frozenset[str], units: Sequence[PassageUnit]) -> bool:
    """Whether figure `q`, said in an answer unit with content `words`, is bound to its subject.

    Some unit holding the figure shares a word with the answer unit, and no
    unit stating another figure shares all those words and more (a unit
    without a figure of its own, such as a remark under the salary table, is
    no rival: the answer cannot have taken its figure from there).

    >>> units = passage_units([
    ...     "Salary Expectations > Entry Level (0-2 years)\\n- Base: $100,000 - $140,000",
    ...     "Salary Expectations > Mid Level (3-5 years)\\n- Base: $140,000 - $200,000",
    ...     "Educational Paths > Master's Degree (Recommended)\\n- Higher starting salaries ($10-20k premium)"])
    >>> def check(sentence):
    ...     w = content_words(sentence)
    ...     return [supported(q, w, units) for q in quantities(sentence)]
    >>> check("Entry-level base salary is $100,000 - $140,000.")
    [True]
    >>> check("Entry-level base salary is $140,000 - $200,000.")  # the mid-level range
    [False]
    >>> check("A master's degree brings a $10-20k premium in starting salary.")
    [True]
    >>> check("An entry-level base salary is $10-20k.")  # the figure's unit is about a master's premium
    [False]
    >>> check("An entry-level ML engineer earns a base salary of $10k.")  # one end of a range
    [False]
    """
    holding = [u for u in units if holds(u.figures, q)]
    if not holding:
        return False
    if not words:
        return True  # nothing to bind: "- $100k-$140k" alone
    others = [words & u.words for u in units if u.states_figure and not holds(u.figures, q)]
    for u in holding:
        shared = words & u.words
        if shared and not any(shared < o for o in others):
            return True
    return False


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
    def __init__(self, texts: Sequence[str]) -> None:
        self.text = " " + re.sub(r"\s+", " ", "\n".join(texts).lower().replace("’", "'")) + " "

    def has_name(self, name: str) -> bool:
        n = name.lower().replace("’", "'")
        return re.search(rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])", self.text) is not None


def check_grounding(
    answer_text: str, passages: Sequence[str], max_dropped: float = 0.5, sections: Sequence[str] | None = None
) -> GroundingResult:
    """Drop the units of an answer whose figures or names the passages do not support.

    `passages` as `Chunk.embed_text()` gives them (section title on the first
    line), or bodies with their titles in `sections` (see `passage_units`).
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
    >>> check_grounding("Entry-level base salary is $120,000 - $180,000.", guide).unsupported  # total comp's
    ['$120,000 - $180,000']
    >>> check_grounding("Base: $100k-$140k.", ["- Base: $100,000 - $140,000"], sections=["Entry Level"]).ok
    True
    """
    trimmed, repeated = remove_repetition(answer_text)
    ev = _Evidence([*passages, *(sections or ())])
    evidence = passage_units(passages, sections)
    units = _with_leads(split_units(trimmed))
    kept: list[tuple[int, str]] = []
    dropped: list[str] = []
    unsupported: list[str] = []
    for line_no, unit, lead in units:
        bare = _strip_marks(unit)
        words = content_words(bare + "\n" + _strip_marks(lead))
        missing = [q.raw for q in quantities(bare) if not supported(q, words, evidence)]
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
