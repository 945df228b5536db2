"""Ingest benchmark (not a test): 1,000 generated articles in a temporary folder.

Reports chunks per second for a first ingest, and, in the same run, for the
embedding alone (the same chunk texts through the same embedder, nothing
else), so the gap between the two is what the rest of ingest costs (reading,
chunking, Chroma writes, the BM25 rebuild, the quotable lines' vectors that
`careerbot ingest` saves after writing (bot.compose.prepared): each timed).
Also the time of a no-op re-run (must be under 5 s) and of the store.records()
read it starts with.

    .venv/bin/python scripts/bench_ingest.py [--articles 1000] [--batch 256] [--backend numpy]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "model data feature pipeline latency metric training serving python sql interview salary team "
    "experiment deploy monitor drift label ranking retrieval embedding batch online offline cost"
).split()


def article(i: int, rng: random.Random) -> str:
    def sentence() -> str:
        ws = rng.choices(WORDS, k=rng.randint(8, 16))
        return " ".join(ws).capitalize() + "."

    parts = [f"# Article {i}: {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}\n"]
    for s in range(rng.randint(2, 4)):
        parts.append(f"## Section {s} {rng.choice(WORDS).title()}\n")
        parts.append(" ".join(sentence() for _ in range(rng.randint(3, 8))) + "\n")
        parts.extend(f"- {sentence()}" for _ in range(rng.randint(0, 4)))
        parts.append("")
    return "\n".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=256, help="chunks per embedding call")
    ap.add_argument("--backend", choices=["numpy", "sentence-transformers"], help="embedding backend (default: auto)")
    args = ap.parse_args()
    for k, v in {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}.items():
        os.environ.setdefault(k, v)
    from bot.compose.prepared import prepare
    from ingest import lexical
    from ingest.embed import build_embedder
    from ingest.pipeline import SourceFile, ingest_paths, load_chunks
    from ingest.store import ChromaStore, build_store

    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="careerbot-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(args.articles):
            (corpus / f"article-{i:04d}.md").write_text(article(i, rng))
        embedder = build_embedder(backend=args.backend, cache=0)
        store = build_store(Path(tmp) / "chroma", None)
        spent = {"upsert_s": 0.0, "embed_s": 0.0}
        upsert, embed = ChromaStore.upsert, embedder.embed

        def timed_upsert(self, *a, **k):
            t = time.perf_counter()
            upsert(self, *a, **k)
            spent["upsert_s"] += time.perf_counter() - t

        def timed_embed(texts):
            t = time.perf_counter()
            out = embed(texts)
            spent["embed_s"] += time.perf_counter() - t
            return out

        ChromaStore.upsert = timed_upsert  # type: ignore[method-assign]
        embedder.embed = timed_embed  # type: ignore[method-assign]
        embedder.embed(["load the model first"])
        spent["embed_s"] = 0.0

        def bm25(s):  # what `careerbot ingest` does after writing (bot.cli.index_sync), each part timed
            t = time.perf_counter()
            idx = lexical.sync_lexical(s, Path(tmp) / "chroma")
            spent["bm25_s"] = time.perf_counter() - t
            t, embed_before = time.perf_counter(), spent["embed_s"]
            spent["lines"] = prepare(idx.chunks, embedder, Path(tmp) / "chroma")
            spent["lines_s"] = time.perf_counter() - t
            spent["embed_s"] = embed_before  # the lines' embedding is counted in lines_s, not with the chunks'

        first = ingest_paths([corpus], store, embedder, batch_chunks=args.batch, after_write=bm25)
        t = time.perf_counter()
        store.records()
        records_s = time.perf_counter() - t
        noop = ingest_paths([corpus], store, embedder, batch_chunks=args.batch)

        # The embedding alone: the same chunk texts, the same batches, through the same embedder.
        texts = []
        for f in sorted(corpus.iterdir()):
            texts += [c.embed_text() for c in load_chunks(SourceFile(f, f.stem, ""), f.read_bytes(), 700)]
        t = time.perf_counter()
        for i in range(0, len(texts), args.batch):
            embed(texts[i : i + args.batch])
        embed_only_s = time.perf_counter() - t
        out = {
            "articles": args.articles,
            "chunks": first.chunks_embedded,
            "backend": type(getattr(embedder, "inner", embedder)).__name__,
            "first_ingest_s": round(first.seconds, 2),
            "chunks_per_s": round(first.chunks_embedded / first.seconds, 1),
            "embed_only_s": round(embed_only_s, 2),
            "embed_only_chunks_per_s": round(len(texts) / embed_only_s, 1),
            "in_ingest": {"embed_s": round(spent["embed_s"], 2), "chroma_upsert_s": round(spent["upsert_s"], 2),
                          "bm25_rebuild_s": round(spent.get("bm25_s", 0.0), 2),
                          "lines_s": round(spent.get("lines_s", 0.0), 2), "lines_embedded": spent.get("lines", 0),
                          "rest_s": round(first.seconds - spent["embed_s"] - spent["upsert_s"]
                                          - spent.get("bm25_s", 0.0) - spent.get("lines_s", 0.0), 2)},
            "noop_rerun_s": round(noop.seconds, 2),
            "noop_unchanged": noop.unchanged,
            "records_s": round(records_s, 3),
            "batch": args.batch,
        }
    print(json.dumps(out))
    return 0 if noop.seconds < 5 and noop.unchanged == args.articles else 1


if __name__ == "__main__":
    raise SystemExit(main())
