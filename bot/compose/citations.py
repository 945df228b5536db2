"""Citations: the sources an answer shows are the passages it cites, renumbered."""

from __future__ import annotations

import re
from typing import Sequence, TypeVar

T = TypeVar("T")
_MARK = re.compile(r"\[(\d{1,2})\]")


def cited_sources(text: str, passages: Sequence[T]) -> tuple[str, list[T]]:
    """Keep the cited passages, in citation order, and renumber the markers 1..n.

    An answer that cites nothing was built from all the passages it was given.

    >>> cited_sources("MLflow [3]. Kubeflow [1]. Again [3].", ["a", "b", "c"])
    ('MLflow [1]. Kubeflow [2]. Again [1].', ['c', 'a'])
    >>> cited_sources("No markers.", ["a", "b"])
    ('No markers.', ['a', 'b'])
    >>> cited_sources("Out of range [9].", ["a"])
    ('Out of range .', ['a'])
    """
    order: list[int] = []
    for m in _MARK.finditer(text):
        n = int(m.group(1))
        if 1 <= n <= len(passages) and n not in order:
            order.append(n)
    if not order:
        return _MARK.sub("", text), list(passages)
    new = {old: i for i, old in enumerate(order, 1)}
    text = _MARK.sub(lambda m: f"[{new[int(m.group(1))]}]" if int(m.group(1)) in new else "", text)
    return text, [passages[n - 1] for n in order]
