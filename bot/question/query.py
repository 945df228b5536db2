"""A question in the articles' words, before it is searched.

"What do mid-level ML engineers make?" asks about pay, but the words the
embedder and BM25 see are "what ... engineer ... make", which match "What
Does an AI/ML Engineer Do?" better than "Salary Expectations". The pay sense
of "make" is written out.
"""

from __future__ import annotations

import re

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
    >>> searched("what projects should i make for my portfolio?"), searched("what does an ml engineer make sure of?")
    ('what projects should i make for my portfolio?', 'what does an ml engineer make sure of?')
    """
    if _MAKE.search(query) and "salar" not in query.lower():
        return f"{query} (salary)"
    return query
