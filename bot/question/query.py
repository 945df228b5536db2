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

