"""A question in the articles' words, before it is searched.

"What do mid-level ML engineers make?" asks about pay, but the words the
embedder and BM25 see are "what ... engineer ... make", which match "What
Does an AI/ML Engineer Do?" better than "Salary Expectations". The pay sense
of "make" is written out, and so is pay asked as what someone earns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.question.forms import asks_pay

_MAKE = re.compile(
    r"\b(?:how much|what)\s+(?:do|does|did|can|could|would|will|should|might)\s+(?:[\w'/+-]+\s+){1,8}?"
    r"make\b(?!\s+(?:a|an|the|it|sure|sense|use|my|your|their|this|that|of|up|progress|time)\b)",
    re.IGNORECASE)


def searched(query: str) -> str:
    """The query as retrieval and quoting see it: "make" in its pay sense gains "salary".

    >>> searched("what does a mid level ml engineer make?")
    'what does a mid level ml engineer make? (salary)'
    >>> searched("how much do new grads make in their first year")
    'how much do new grads make in their first year (salary)'
    >>> searched("what should an entry level ml engineer expect to earn?")
    'what should an entry level ml engineer expect to earn? (salary)'
    >>> searched("what projects should i make for my portfolio?"), searched("what does an ml engineer make sure of?")
    ('what projects should i make for my portfolio?', 'what does an ml engineer make sure of?')
    """
    if (_MAKE.search(query) or _EARN.search(query)) and "salar" not in query.lower():
        return f"{query} (salary)"
    return query


# pay asked in other words: "what should an entry level engineer expect to earn?", "how much do they get paid?"
_EARN = re.compile(r"\b(?:earn|earns|earning|earnings|get\s+paid|gets\s+paid|getting\s+paid)\b(?!\s+(?:out|back)\b)", re.IGNORECASE)


# Someone at the start of a career, in everyday words: the articles call the level "entry level"
_STARTING = re.compile(r"\b(?:new|fresh|recent)[\s-]+grad(?:uate)?s?\b|\bfresh\s+out\s+of\s+(?:school|college|uni\w*)\b"
                       r"|\bstraight\s+out\s+of\s+(?:school|college|uni\w*)\b|\bfirst\s+(?:[\w/-]+\s+){0,2}?job\b"
                       r"|\b(?:no|zero)\s+(?:prior\s+|work\s+|professional\s+)?experience\b", re.IGNORECASE)


def levelled(query: str, known_words: frozenset[str]) -> str:
    """A question about the pay of someone starting out gains "(entry level)" when the articles speak of an entry
    level.

    >>> levelled("how much do new grad ml engineers make", frozenset({"entry", "level"}))
    'how much do new grad ml engineers make (entry level)'
    >>> levelled("how much do new grads make", frozenset({"salary"})), levelled("entry level pay?", frozenset({"entry"}))
    ('how much do new grads make', 'entry level pay?')
    >>> levelled("how do i land my first ml job?", frozenset({"entry"}))
    'how do i land my first ml job?'

    """
    if "entry" not in known_words or "entry" in query.lower() or not _STARTING.search(query) or not (
            asks_pay(query) or _MAKE.search(query)):
        return query
    return f"{query.rstrip()} (entry level)"


# The present in everyday words: in the articles, the latest year their titles name
# ("what am I supposed to focus on right now?" asks about the user's present, not the field's)
_NOW = re.compile(r"\bthis\s+year\b|\bnowadays\b|\bthese\s+days\b|\bin\s+demand\b|\btrending\b"
                  r"|\b(?:hot|popular|relevant|worth\s+learning)\s+(?:right\s+)?now\b"
                  r"|\b(?:get|getting|be|being)\s+left\s+behind\b|\boutdated\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20\d\d)(?!\d)")


def present_year(titles: Iterable[str]) -> str | None:
    """The latest year the articles' titles name: what "this year" means in them.

    >>> present_year(["How to Become an AI/ML Engineer in 2026", "2026 Trends to Watch", "History (1998)"])
    '2026'
    >>> present_year(["Salary", "Skills"]) is None
    True
    """
    return max((y for t in titles for y in _YEAR.findall(t)), default=None)


def dated(query: str, year: str | None) -> str:
    """A question about the present ("what's hot right now?") gains the articles' present year.

    >>> dated("which skills are hot right now?", "2026"), dated("skills for 2025?", "2026")
    ('which skills are hot right now? (2026)', 'skills for 2025?')
    >>> dated("eight months in, what should I focus on right now?", "2026")
    'eight months in, what should I focus on right now?'

    """
    if year is None or _YEAR.search(query) or not _NOW.search(query):
        return query
    return f"{query.rstrip()} ({year})"


_SQUASHED = re.compile(r"\b([A-Za-z]{2,})([24])([A-Za-z]{2,})\b")  # "nand2tetris", "peer2peer", "apps4good"


def spelled_out(query: str, known_words: frozenset[str]) -> str:
    """Words squashed around a 2 or 4 ("peer2peer") spelled out as the articles may write them ("peer to peer"),
    when the articles use both words; beside the squashed form when they use it too.

    >>> spelled_out("is peer2peer lending covered?", frozenset({"peer", "lending"}))
    'is peer to peer lending covered?'
    >>> spelled_out("what about b2b or gpt4 or ml2vec?", frozenset({"gpt", "ml"}))
    'what about b2b or gpt4 or ml2vec?'
    >>> spelled_out("how long is nand2tetris?", frozenset({"nand", "tetris", "nand2tetris"}))
    'how long is nand2tetris (nand to tetris)?'
    """
    def spelled(m: re.Match[str]) -> str:
        a, digit, b = m.groups()
        if a.lower() not in known_words or b.lower() not in known_words:
            return m.group(0)
        words = f"{a} {'to' if digit == '2' else 'for'} {b}"
        return f"{m.group(0)} ({words})" if m.group(0).lower() in known_words else words

    return _SQUASHED.sub(spelled, query)


# Chat shorthand, in the field's everyday English: written out unless the articles use the short form themselves
SHORTHAND = {
    "qs": "questions", "q's": "questions", "recs": "recommendations", "rec": "recommendation",
    "reqs": "requirements", "req": "requirement", "prereq": "prerequisite", "prereqs": "prerequisites",
    "hrs": "hours", "hr": "hour", "wk": "week", "wks": "weeks", "mins": "minutes",
    "yoe": "years of experience", "info": "information", "approx": "approximately", "abt": "about",
    "esp": "especially", "mgmt": "management", "dept": "department", "pls": "please", "plz": "please",
    "bc": "because", "b/c": "because", "w/": "with", "w/o": "without", "u": "you", "ur": "your",
    "diff": "difference",
}
_SHORT = re.compile(r"(?<![\w'-])(?:" + "|".join(sorted((re.escape(k) for k in SHORTHAND), key=len, reverse=True))
                    + r")(?![\w'-]|\.\w)", re.IGNORECASE)  # not "u.s.", "u-net"


def written_out(query: str, known_words: frozenset[str]) -> str:
    """Chat shorthand ("qs", "prereqs", "hrs", "w/o") written out, unless the articles write it so themselves.

    >>> written_out("what behavioral qs come up, and how many hrs/wk w/o a team?", frozenset({"hours"}))
    'what behavioral questions come up, and how many hours/week without a team?'
    >>> written_out("what's the diff between lora and qlora?", frozenset({"diff"}))  # the articles write "diff"
    "what's the diff between lora and qlora?"
    """
    def out(m: re.Match[str]) -> str:
        w = m.group(0)
        return w if w.lower().replace("'", "") in known_words else SHORTHAND[w.lower()]

    return _SHORT.sub(out, query)


_SMALL_WORDS = frozenset("a an and of the for to in on with or at by from".split())
_TITLED = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:(?:a|an|and|of|the|for|to|in|on|with|or|at|by|from)\s+)*[A-Z][\w'-]*)+")


def initialisms(texts: Iterable[str]) -> dict[str, str]:
    """Initialisms of the capitalised names the articles write, each to its name, where only one name has it
    ("sicp": "Structure and Interpretation of Computer Programs"); three to six letters (`with_initialisms`
    reads four or more).

    >>> table = initialisms(["Read Structure and Interpretation of Computer Programs 2e.", "The Linux Command Line."])
    >>> table["sicp"], table["lcl"]
    ('Structure and Interpretation of Computer Programs', 'Linux Command Line')
    >>> initialisms(["Machine Learning Systems", "Modern Linux Setup"])  # "mls" names two: neither
    {}
    """
    found: dict[str, set[str]] = {}
    for text in texts:
        for m in _TITLED.finditer(text):
            words = m.group(0).split()
            for i, first in enumerate(words):  # "Read Structure and ...": the name may start at any capital
                if not first[0].isupper() or first.lower() in _SMALL_WORDS:  # "The Linux ...": "Linux ..."
                    continue
                name = " ".join(words[i:])
                letters = "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in _SMALL_WORDS)
                if 3 <= len(letters) <= 6 and letters.isalpha():
                    found.setdefault(letters.lower(), set()).add(name)
    return {k: next(iter(v)) for k, v in found.items() if len({n.lower() for n in v}) == 1}


def with_initialisms(query: str, table: Mapping[str, str], known_words: frozenset[str]) -> str:
    """A word the articles never write that is the initialism of a name they do, with the name beside it.

    >>> with_initialisms("who wrote sicp?", {"sicp": "Structure and Interpretation of Computer Programs"},
    ...                  frozenset({"who", "wrote"}))
    'who wrote sicp (Structure and Interpretation of Computer Programs)?'
    >>> with_initialisms("is MLOps covered?", {"mlops": "Machine Learning Ops"}, frozenset({"mlops"}))  # written
    'is MLOps covered?'
    """
    def named(m: re.Match[str]) -> str:
        w = m.group(0)
        name = table.get(w.lower())
        return f"{w} ({name})" if name and w.lower() not in known_words else w

    # four letters at least: three-letter words are too often slang ("ppl") or common roles ("MLE")
    return re.sub(r"\b[A-Za-z]{4,6}\b", named, query) if table else query

