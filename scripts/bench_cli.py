"""Command-line benchmark (not a test): cold `careerbot ask` and no-op `careerbot ingest`, wall time.

Each run is a new process, as from a shell. The store is built once in a
temporary folder from corpus/ (or give --store-dir to use one already built),
then `ask` and a re-`ingest` of the same, unchanged folder are each run N
times; the medians are printed as one JSON object. --importtime adds what
`ask` spends importing, per top-level package (python -X importtime).

    .venv/bin/python scripts/bench_cli.py [--runs 5] [--question "..."] [--importtime]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
       "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false"}


def careerbot() -> list[str]:
    """The console script beside this Python, or `python -m bot.cli`."""
    script = Path(sys.executable).with_name("careerbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    seconds = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"bench_cli: {' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-500:]}")
    return seconds, p


def import_breakdown(cmd: list[str], env: dict[str, str], top: int) -> list[tuple[str, float]]:
    """Seconds spent importing each top-level package: the self times of its modules (-X importtime), summed."""
    base = [sys.executable, "-X", "importtime", "-m", "bot.cli", *cmd[len(careerbot()):]]
    p = subprocess.run(base, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    totals: dict[str, float] = {}
    for line in p.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        pkg = parts[2].strip().split(".")[0]
        totals[pkg] = totals.get(pkg, 0.0) + int(parts[0]) / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each command (median reported)")
    ap.add_argument("--question", default="Which tool tracks experiments?")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="folder ingested, then re-ingested unchanged")
    ap.add_argument("--store-dir", type=Path, help="an existing store of --corpus (default: built in a temp folder)")
    ap.add_argument("--importtime", action="store_true", help="also print ask's import time per top-level package")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERBOT_")} | ENV
    with tempfile.TemporaryDirectory(prefix="careerbot-bench-cli-") as tmp:
        store = args.store_dir or Path(tmp) / "chroma"
        build_s, _ = timed([*careerbot(), "ingest", str(args.corpus), "--store-dir", str(store)], env)
        ask = [*careerbot(), "ask", args.question, "--json", "--store-dir", str(store)]
        ingest = [*careerbot(), "ingest", str(args.corpus), "--json", "--store-dir", str(store)]
        timed(ask, env)  # warm the page cache (and any cache beside the store) once, as a user's second run
        asks, ingests, answer_s = [], [], []
        for _ in range(args.runs):
            s, p = timed(ask, env)
            asks.append(s)
            answer_s.append(json.loads(p.stdout)["timings"]["total_s"])
            s, p = timed(ingest, env)
            ingests.append(s)
            if json.loads(p.stdout)["chunks_embedded"]:
                raise SystemExit("bench_cli: the re-ingest embedded chunks; the folder changed during the run")
        out = {
            "runs": args.runs,
            "ask_median_s": round(statistics.median(asks), 2),
            "ask_s": [round(s, 2) for s in asks],
            "ask_answer_median_s": round(statistics.median(answer_s), 3),
            "noop_ingest_median_s": round(statistics.median(ingests), 2),
            "noop_ingest_s": [round(s, 2) for s in ingests],
            "first_ingest_s": round(build_s, 2) if args.store_dir is None else None,
        }
        if args.importtime:
            out["ask_imports_s"] = {k: round(v, 3) for k, v in import_breakdown(ask, env, 12)}
    print(json.dumps(out))
    return 0 if out["ask_median_s"] <= 3 and out["noop_ingest_median_s"] <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
