"""What `bot/` may use of `ingest/`, and nothing more: where the two halves of careerbot meet.

- the passages and their types: `Chunk`, `Hit`, `SECTION_SEP`;
- the store: `ChromaStore`, `build_store`, `StoreError`;
- the embedding model: `Embedder`, `build_embedder`;
- the BM25 index kept beside the store, and the analyzer it indexes with
  (queries must be cut into the same terms): `LexicalIndex`, `refreshed`,
  `sync_lexical`, `load_or_build`, `analyze`, `widen`, `RELATED`;
- sentences as the chunker cuts them, and the title of a document's lead: `split_sentences`, `INTRO`;
- an article's companion files: `parse_questions`, `parse_glossary`;
- ingesting and removing articles (the CLI and the chat's library):
  `ingest_paths`, `remove_documents`, `IngestInputError`, `IngestReport`.

Each name is imported from its module on first use (PEP 562), so answering a
question never imports the loaders, and listing the library never loads the
embedding model. tests/test_layout.py checks that `bot/` imports `ingest`
through this module only.

>>> from ingest.api import SECTION_SEP
>>> SECTION_SEP
' > '
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers; at run time `__getattr__` imports each name when first asked for
    from ingest.chunk import INTRO, split_sentences  # noqa: F401
    from ingest.companions import parse_glossary, parse_questions  # noqa: F401
    from ingest.embed import Embedder, build_embedder  # noqa: F401
    from ingest.lexical import (  # noqa: F401
        RELATED,
        TEMPLATE_SECTIONS,
        LexicalIndex,
        analyze,
        load_or_build,
        refreshed,
        sync_lexical,
        templated,
        widen,
    )
    from ingest.pipeline import IngestInputError, IngestReport, ingest_paths, remove_documents  # noqa: F401
    from ingest.store import ChromaStore, StoreError, build_store  # noqa: F401
    from ingest.types import SECTION_SEP, Chunk, Hit  # noqa: F401

_HOME = {
    "Chunk": "ingest.types", "Hit": "ingest.types", "SECTION_SEP": "ingest.types",
    "ChromaStore": "ingest.store", "build_store": "ingest.store", "StoreError": "ingest.store",
    "Embedder": "ingest.embed", "build_embedder": "ingest.embed",
    "LexicalIndex": "ingest.lexical", "refreshed": "ingest.lexical", "sync_lexical": "ingest.lexical",
    "load_or_build": "ingest.lexical", "analyze": "ingest.lexical", "widen": "ingest.lexical",
    "RELATED": "ingest.lexical", "templated": "ingest.lexical", "TEMPLATE_SECTIONS": "ingest.lexical",
    "split_sentences": "ingest.chunk", "INTRO": "ingest.chunk",
    "parse_questions": "ingest.companions", "parse_glossary": "ingest.companions",
    "ingest_paths": "ingest.pipeline", "remove_documents": "ingest.pipeline",
    "IngestInputError": "ingest.pipeline", "IngestReport": "ingest.pipeline",
}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    try:
        module = _HOME[name]
    except KeyError:
        raise AttributeError(f"module 'ingest.api' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
