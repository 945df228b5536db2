"""The store: Chroma, as an embedded folder or a server, behind one small class.

Everything ingest needs to sync lives in each chunk's metadata (doc_id, the
document's hash, its chunk count, the folder it came from, the embedding
signature), so the store is the only state and cannot drift from a manifest.
Chroma types stay in this module.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest.types import Chunk, Hit


class StoreError(Exception):
    """The store cannot be opened or reached (one-line message)."""


@dataclass(frozen=True)
class DocRecord:
    """What the store holds of one document."""

    doc_id: str
    doc_hash: str
    root: str
    source: str
    signature: str
    chunk_ids: tuple[str, ...]
    complete: bool  # every chunk of this version is present, all of one version
    profile: str = ""  # the document's profile (JSON: title, description, sections, companion files), "" if none


def _no_telemetry() -> None:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class _NoDefaultEmbedding:
    """Given to Chroma so its default (downloading) embedding function never runs."""

    def __call__(self, input: Any) -> Any:  # noqa: A002 - Chroma's signature
        raise RuntimeError("careerbot computes embeddings itself; Chroma's embedding function must not run")

    @staticmethod
    def name() -> str:
        return "careerbot-external"

    def is_legacy(self) -> bool:
        return True

    def embed_query(self, input: Any) -> Any:  # noqa: A002
        return self(input)


def open_client(store_dir: Path | None, chroma_url: str | None) -> Any:
    _no_telemetry()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    cs = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        u = urlparse(chroma_url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise StoreError(f"CAREERBOT_CHROMA_URL must look like http://host:port, not {chroma_url!r}")
        try:
            client = chromadb.HttpClient(
                host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000), ssl=u.scheme == "https",
                settings=cs,
            )
            client.heartbeat()
        except Exception as e:  # chromadb raises several kinds
            raise StoreError(f"cannot reach the Chroma server at {chroma_url}: {_short(e)}") from None
        return client
    assert store_dir is not None
    store_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(store_dir), settings=cs)


def _short(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return msg[:200]


def chunk_from_metadata(cid: str, doc: str, m: dict[str, Any]) -> Chunk:
    pages = tuple(int(p) for p in str(m.get("pages", "")).split(",") if p)
    return Chunk(cid, str(m["doc_id"]), str(m.get("title", "")), str(m.get("section", "")), doc, pages, dict(m))


class ChromaStore:
    """Chunks with their vectors, in a Chroma collection (cosine distance)."""

    def __init__(self, client: Any, collection: str = "careerbot") -> None:
        self.client = client
        self.collection_name = collection
        try:
            self._col = client.get_or_create_collection(
                collection, metadata={"hnsw:space": "cosine"}, embedding_function=_NoDefaultEmbedding()
            )
        except Exception as e:
            raise StoreError(f"cannot open the Chroma collection {collection!r}: {_short(e)}") from None

    # -- writing -------------------------------------------------------------
    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray, extra: Sequence[dict[str, Any]]) -> None:
        if not chunks:
            return
        metas = []
        for c, x in zip(chunks, extra, strict=True):
            m = {"doc_id": c.doc_id, "title": c.title, "section": c.section,
                 "pages": ",".join(map(str, c.pages))}
            m.update(x)
            metas.append(m)
        vecs = np.asarray(vectors, dtype=np.float32)
        step = 2000  # under Chroma's max batch size; one call per step is one transaction
        for i in range(0, len(metas), step):
            self._col.upsert(
                ids=[c.id for c in chunks[i : i + step]], embeddings=vecs[i : i + step].tolist(),
                documents=[c.text for c in chunks[i : i + step]], metadatas=metas[i : i + step],
            )

    def reset(self) -> None:
        """Drop every chunk (a new collection): used when the vector size changes."""
        self.client.delete_collection(self.collection_name)
        self._col = self.client.get_or_create_collection(
            self.collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=_NoDefaultEmbedding()
        )

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), 500):
            self._col.delete(ids=ids[i : i + 500])

    # -- reading -------------------------------------------------------------
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunks (the ones the store holds), by id: no embedding needed."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), 1000):
            got = self._col.get(ids=ids[i : i + 1000], include=["embeddings"])
            out.update((c, np.asarray(v, dtype=np.float32)) for c, v in zip(got["ids"], got["embeddings"], strict=True))
        return out

    def count(self) -> int:
        return int(self._col.count())

    def ids(self) -> list[str]:
        """Every chunk id (no texts, no vectors): what the BM25 index's fingerprint is checked against."""
        out: list[str] = []
        for off in range(0, self.count(), 5000):
            out.extend(self._col.get(include=[], limit=5000, offset=off)["ids"])
        return out

    def all_chunks(self) -> list[Chunk]:
        out: list[Chunk] = []
        n = self.count()
        for off in range(0, n, 1000):
            got = self._col.get(include=["documents", "metadatas"], limit=1000, offset=off)
            out.extend(chunk_from_metadata(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True))
        return out

    def records(self) -> dict[str, DocRecord]:
        """What the store holds, per doc_id, derived from chunk metadata."""
        by_doc: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        n = self.count()
        for off in range(0, n, 5000):  # metadata only: no documents, no vectors
            got = self._col.get(include=["metadatas"], limit=5000, offset=off)
            for cid, m in zip(got["ids"], got["metadatas"], strict=True):
                by_doc.setdefault(str(m.get("doc_id", "")), []).append((cid, m))
        out = {}
        for doc_id, rows in by_doc.items():
            hashes = {str(m.get("doc_hash", "")) for _, m in rows}
            sigs = {str(m.get("signature", "")) for _, m in rows}
            m = rows[0][1]
            expected = int(m.get("doc_chunks", -1))
            profile = next((str(x["doc_profile"]) for _, x in rows if x.get("doc_profile")), "")
            out[doc_id] = DocRecord(
                doc_id, next(iter(hashes)) if len(hashes) == 1 else "", str(m.get("root", "")),
                str(m.get("source", "")), next(iter(sigs)) if len(sigs) == 1 else "", tuple(c for c, _ in rows),
                len(hashes) == 1 and len(sigs) == 1 and expected == len(rows), profile,
            )
        return out

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        """Stored chunks by id (text and metadata), in no particular order."""
        out: list[Chunk] = []
        ids = list(ids)
        for i in range(0, len(ids), 1000):
            got = self._col.get(ids=ids[i : i + 1000], include=["documents", "metadatas"])
            out.extend(chunk_from_metadata(c, d, m) for c, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True))
        return out

    def profiles(self) -> dict[str, str]:
        """Each document's profile (JSON), read from its first chunk only."""
        got = self._col.get(where={"ordinal": 0}, include=["metadatas"])
        return {str(m.get("doc_id", "")): str(m.get("doc_profile", "")) for m in got["metadatas"]}

    def dimension(self) -> int | None:
        """Length of the stored vectors, None when the store is empty."""
        got = self._col.get(include=["embeddings"], limit=1)
        embs = got.get("embeddings")
        return None if embs is None or len(embs) == 0 else len(embs[0])

    def query(self, vector: np.ndarray, k: int) -> list[Hit]:
        """Nearest chunks; score = cosine similarity (1 - distance)."""
        if self.count() == 0:
            return []
        res = self._col.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()], n_results=k,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Hit(chunk_from_metadata(i, d, m), 1.0 - float(dist))
            for i, d, m, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=True)
        ]


def build_store(store_dir: Path | None, chroma_url: str | None, collection: str = "careerbot") -> ChromaStore:
    return ChromaStore(open_client(store_dir, chroma_url), collection)
