"""Ingest benchmark (not a test): 1,000 generated articles in a temporary folder.

Reports chunks per second for a first ingest, the time of a no-op re-run
(must be under 5 s) and of the store.records() read it starts with.

    .venv/bin/python scripts/bench_ingest.py [--articles 1000] [--batch 256]
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
    args = ap.parse_args()
    for k, v in {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}.items():
        os.environ.setdefault(k, v)
    from ingest.embed import build_embedder
    from ingest.pipeline import ingest_paths
    from ingest.store import build_store

    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="careerbot-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(args.articles):
            (corpus / f"article-{i:04d}.md").write_text(article(i, rng))
        embedder = build_embedder()
        store = build_store(Path(tmp) / "chroma", None)
        first = ingest_paths([corpus], store, embedder, batch_chunks=args.batch)
        t = time.perf_counter()
        store.records()
        records_s = time.perf_counter() - t
        noop = ingest_paths([corpus], store, embedder, batch_chunks=args.batch)
        out = {
            "articles": args.articles,
            "chunks": first.chunks_embedded,
            "first_ingest_s": round(first.seconds, 2),
            "chunks_per_s": round(first.chunks_embedded / first.seconds, 1),
            "noop_rerun_s": round(noop.seconds, 2),
            "noop_unchanged": noop.unchanged,
            "records_s": round(records_s, 3),
            "batch": args.batch,
        }
    print(json.dumps(out))
    return 0 if noop.seconds < 5 and noop.unchanged == args.articles else 1


if __name__ == "__main__":
    raise SystemExit(main())
