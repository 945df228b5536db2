"""The lines answers may quote, embedded once after ingest writes, not at every answer.

An extractive answer scores each sentence and list item of its passages
against the question (`extractive.select`), and embedding those lines was nine
tenths of an answer's time on a corpus whose lines the embedder's cache did
not hold yet. After ingest changes a local store, `prepare` embeds every line
of every passage as `select` will (the lines of up to `MAX_TEXTS`), reusing the
vectors saved before for lines that did not change, and saves them beside the
store (`bot.retrieval.vectors.save_text_vectors`); the retriever hands them to
the embedder's cache when it reads a new version of the store. A Chroma server
has no folder beside it: there the lines are embedded on first use.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.compose.extractive import units_of
from bot.retrieval.vectors import load_text_vectors, save_text_vectors
from ingest.api import Chunk, Embedder, Hit, sync_lexical

MAX_TEXTS = 10_000  # half the embedder's cache: the rest is for questions and passages


def quoted_texts(chunks: Sequence[Chunk]) -> list[str]:
    """What `select` embeds for the lines of these passages, each once, in passage order.

    >>> c = Chunk("1", "g", "G", "Skills", "Python dominates. It is everywhere.\\n- NumPy\\n- Pandas")
    >>> quoted_texts([c])
    ['Skills: Python dominates.', 'Skills: It is everywhere.', 'Skills: Python dominates. It is everywhere.', \
'Skills: NumPy; Pandas']
    """
    out: dict[str, None] = {}
    for c in chunks:
        for u in units_of([Hit(c, 0.0)]):
            out.setdefault(u.scoring_text(), None)
            if u.context:
                out.setdefault(u.scoring_text(context=True), None)
    return list(out)


def prepare(chunks: Sequence[Chunk], embedder: Embedder, state_dir: Path | None) -> int:
    """Embed the quotable lines of `chunks` that the saved vectors lack and save them all; how many were embedded."""
    if state_dir is None:
        return 0
    texts = quoted_texts(chunks)[:MAX_TEXTS]
    saved = load_text_vectors(state_dir, embedder.name)
    todo = [t for t in texts if t not in saved]
    if not todo and set(saved) == set(texts):
        return 0
    fresh = dict(zip(todo, embedder.embed(todo), strict=True)) if todo else {}
    try:
        save_text_vectors(state_dir, embedder.name, {t: fresh[t] if t in fresh else saved[t] for t in texts})
    except OSError as e:  # a read-only store: answers embed the lines as they need them
        logging.getLogger("careerbot.ingest").warning("the quotable lines' vectors were not saved: %s", e)
    return len(todo)


def after_write(store: Any, embedder: Embedder, state_dir: Path | None) -> None:
    """What follows every write to the store (`careerbot ingest`, the chat's library): the BM25 index rebuilt
    and saved, then the quotable lines' vectors."""
    prepare(sync_lexical(store, state_dir).chunks, embedder, state_dir)
