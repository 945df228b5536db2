"""Retrieval: dense search in Chroma through LangChain.

LangChain types stay in this module; callers get `Hit`s.
"""

from __future__ import annotations

from typing import Any, Protocol

from ingest.embed import Embedder
from ingest.store import ChromaStore, _meta_to_chunk
from ingest.types import Hit


class Retriever(Protocol):
    def search(self, query: str, k: int) -> list[Hit]: ...


def _lc_embeddings(embedder: Embedder) -> Any:
    from langchain_core.embeddings import Embeddings

    class _Adapter(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

    return _Adapter()


class DenseRetriever:
    """Top-k by cosine similarity, via langchain_chroma over our collection."""

    def __init__(self, store: ChromaStore, embedder: Embedder) -> None:
        from langchain_chroma import Chroma

        self.store = store
        self._vs = Chroma(
            client=store.client, collection_name=store.collection_name,
            embedding_function=_lc_embeddings(embedder),
        )

    def search(self, query: str, k: int) -> list[Hit]:
        if self.store.count() == 0:
            return []
        pairs = self._vs.similarity_search_with_relevance_scores(query, k=k)
        return [
            Hit(_meta_to_chunk(str(doc.id), doc.page_content, dict(doc.metadata)), float(score))
            for doc, score in pairs
        ]


def build_retriever(settings: Any, store: ChromaStore, embedder: Embedder) -> Retriever:
    return DenseRetriever(store, embedder)
