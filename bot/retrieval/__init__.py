"""Retrieval: dense search in Chroma and BM25, fused."""
