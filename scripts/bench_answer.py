"""Benchmark (not a test): time to first token and total time per answer, per answer mode.

    .venv/bin/python scripts/bench_answer.py --store-dir /tmp/bench-store [--runs 2]

Ingests corpus/ into the store if it is empty, then asks the same questions in
each mode, alternating the modes so both see the same machine load, and prints
medians (seconds) as one JSON object per mode, with the CPU time per answer
(milliseconds; other processes on the machine barely move it) and how many
texts were embedded per answer (each `embed` call's texts, and those the
embedder's cache did not hold).

    .venv/bin/python scripts/bench_answer.py --store-dir /tmp/g1-store --modes extractive --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
for k, v in {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "TRANSFORMERS_VERBOSITY": "error",
             "HF_HUB_DISABLE_PROGRESS_BARS": "1"}.items():
    os.environ.setdefault(k, v)

from bot.cli import run_ingest  # noqa: E402
from bot.pipeline import build_bot  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from ingest.embed import build_embedder  # noqa: E402
from ingest.store import build_store  # noqa: E402

QUESTIONS = [
    "Which tool does the guide recommend for experiment tracking?",
    "What base salary can an entry-level ML engineer expect?",
    "Is a master's degree worth it?",
    "How long does the self-taught path take?",
    "What should I put in my portfolio?",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store-dir", type=Path, default=Path("/tmp/careerbot-bench-store"))
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--modes", default="extractive,generate")
    args = ap.parse_args()
    base = load_settings({"store_dir": args.store_dir})
    if build_store(base.store_dir, base.chroma_url).count() == 0:
        run_ingest([Path("corpus")], base)
    embedder = build_embedder()
    bots = {m: build_bot(base.replace(answer_mode=m), embedder=embedder) for m in args.modes.split(",")}
    times: dict[str, dict[str, list[float]]] = {m: {"ttft": [], "total": [], "cpu": []} for m in bots}
    embedded = {m: [0, 0] for m in bots}  # texts asked of the embedder, texts it had to compute
    for bot in bots.values():  # warm-up: load the model, fill caches
        for q in QUESTIONS:
            bot.answer(q)
    inner = getattr(embedder, "inner", embedder)
    for _ in range(args.runs):
        for q in QUESTIONS:
            for m, bot in bots.items():
                asked, computed = _counting(embedder), _counting(inner) if inner is not embedder else None
                t0, c0 = time.perf_counter(), time.process_time()
                first = None
                for _item in bot.stream(q):
                    first = first if first is not None else time.perf_counter() - t0
                times[m]["total"].append(time.perf_counter() - t0)
                times[m]["cpu"].append(time.process_time() - c0)
                times[m]["ttft"].append(first or 0.0)
                embedded[m][0] += asked.stop()
                embedded[m][1] += computed.stop() if computed else embedded[m][0]
    for m, t in times.items():
        n = len(t["total"])
        print(json.dumps({"mode": m, "answers": n,
                          "ttft_median_s": round(statistics.median(t["ttft"]), 2),
                          "total_median_s": round(statistics.median(t["total"]), 2),
                          "total_max_s": round(max(t["total"]), 2),
                          "cpu_median_ms": round(statistics.median(t["cpu"]) * 1000, 1),
                          "texts_embedded_per_answer": round(embedded[m][0] / n, 1),
                          "texts_computed_per_answer": round(embedded[m][1] / n, 1)}))


class _counting:
    """Counts the texts passed to `embedder.embed` until `stop()` (which puts the method back)."""

    def __init__(self, embedder: object) -> None:
        self.embedder, self.texts = embedder, 0
        self.orig = embedder.embed  # type: ignore[attr-defined]

        def embed(texts):  # type: ignore[no-untyped-def]
            self.texts += len(texts)
            return self.orig(texts)

        embedder.embed = embed  # type: ignore[attr-defined]

    def stop(self) -> int:
        del self.embedder.embed  # type: ignore[attr-defined]
        return self.texts


if __name__ == "__main__":
    main()
