"""What form of answer a question asks for, and whether the passages hold one.

Some questions ask for an answer of a checkable form: what an acronym stands
for needs its expansion, a formula needs an equation, a price needs a money
figure. When the passages that would be quoted hold nothing of that form,
quoting them would answer a neighbouring question ("STAR Method" with only a
link under it, "F1 score" named but never defined), so careerbot declines and
says what the articles lack. Pure functions: they read only the question and
the passages' text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SMALL = frozenset("and of the for to in on a an & with or at by".split())
_STAND_FOR = re.compile(
    r"\b(?:what|wat|wht)\s*(?:does|do|'s|s|is)?\s+(?:the\s+)?(?:letters?\s+(?:in|of)\s+(?:the\s+)?)?"
    r"(?P<a>[A-Za-z][A-Za-z0-9&]{1,7})(?:\s+(?:method|framework|acronym|model|principle|rule))?\s+"
    r"(?:stand|stands)\s+for\b"
    r"|\bwhat\s+(?:do|does)\s+the\s+letters\s+(?:in|of)\s+(?:the\s+)?(?P<b>[A-Za-z][A-Za-z0-9&]{1,7})\b"
    r"|\b(?P<c>[A-Z][A-Z0-9&]{1,7})\s+(?:is\s+)?short\s+for\b"
    r"|\bwhat\s+is\s+(?P<d>[A-Z][A-Z0-9&]{1,7})\s+short\s+for\b",
    re.IGNORECASE)
_FORMULA = re.compile(r"\b(?:formulas?|formulae|equations?)\b", re.IGNORECASE)
_EQUATION = re.compile(r"=|\\frac|[×÷√∑]|\b(?:log|exp|sqrt)\s*\(|\w\s*[*/^]\s*\w|\bdivided by\b|\bover the sum\b",
                       re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def asked_acronym(question: str) -> str | None:
    """The acronym whose expansion the question asks for ("what does STAR stand for?"), upper case.

    >>> asked_acronym("What do the letters in the STAR method stand for?"), asked_acronym("wat does mlsd stand for")
    ('STAR', 'MLSD')
    >>> asked_acronym("what is NCE short for?"), asked_acronym("what does a data scientist do?")
    ('NCE', None)
    """
    m = _STAND_FOR.search(question)
    if not m:
        return None
    a = next(g for g in m.groups() if g)
    return a.upper() if a.lower() not in _SMALL and a.lower() not in {"it", "this", "that", "they"} else None


def _spells(words: Sequence[str], acronym: str) -> bool:
    """Whether consecutive words (small words skipped) start with the acronym's letters, in order."""
    letters = acronym.lower()
    for start in range(len(words)):
        i, j = start, 0
        while i < len(words) and j < len(letters):
            w = words[i].lower()
            if w[0] == letters[j]:
                j += 1
            elif w not in _SMALL or j == 0:
                break
            i += 1
        if j == len(letters):
            return True
    return False


def expands(acronym: str, passages: Sequence[str]) -> bool:
    """Whether a passage spells the acronym out: in running words ("Keep It Simple and Sweet") or as the first
    words of consecutive lines ("- Situation: ...", "- Task: ...").

    >>> expands("KISS", ["2. KISS (Keep It Simple and Sweet)"]), expands("STAR", ["- Situation: x\\n- Task: y\\n"
    ...     "- Action: z\\n- Result: w"])
    (True, True)
    >>> expands("STAR", ["STAR Method\\nHow to Answer Common Situational Interview Questions"])
    False
    """
    for text in passages:
        if _spells(_WORD.findall(text), acronym):
            return True
        firsts = [m.group(0) for ln in text.splitlines() if (m := _WORD.search(ln))]
        if _spells(firsts, acronym):
            return True
    return False


def asks_formula(question: str) -> bool:
    """
    >>> asks_formula("what's the formula for F1 score?"), asks_formula("which formula is best for ranking?")
    (True, True)
    >>> asks_formula("what is the 9-step ML system design formula?")
    False
    """
    if not _FORMULA.search(question):
        return False
    return not re.search(r"\d+[- ]step|\bstep\b|\bdesign formula\b|\btemplate\b", question, re.IGNORECASE)


def has_equation(passages: Sequence[str]) -> bool:
    """
    >>> has_equation(["F1 = 2 * precision * recall / (precision + recall)"]), has_equation(["F1 is a metric."])
    (True, False)
    """
    return any(_EQUATION.search(p) for p in passages)


def missing_form(question: str, passages: Sequence[str]) -> str | None:
    """What the question asks for that the passages lack, in words for the user, or None.

    >>> missing_form("What does STAR stand for?", ["STAR Method\\nHow to answer situational questions"])
    'what STAR stands for'
    >>> missing_form("what's the formula for F1 score?", ["F1 score balances precision and recall."])
    'a formula'
    >>> missing_form("What does KISS stand for?", ["KISS (Keep It Simple and Sweet)"]) is None
    True
    """
    acronym = asked_acronym(question)
    if acronym and not expands(acronym, passages):
        return f"what {acronym} stands for"
    if asks_formula(question) and not has_equation(passages):
        return "a formula"
    return None
