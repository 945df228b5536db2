"""Every gated evaluation set (tests/test_eval_gate.py's GATES) in one process, each corpus ingested once.

    .venv/bin/python scripts/eval_all.py OUT.json [--base BASE.json] [--corpus ml-interviews ...]

Prints each set's passes (and, with --base, the cases won and lost against an earlier run's OUT.json). Sets
kept unseen (a -heldout file or combined.yaml of a corpus beyond the guide) print counts only: their
questions and answers stay out of sight of whoever tunes the code. Stores are kept under --stores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _k, _v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}.items():
    os.environ.setdefault(_k, _v)


def unseen(file: str, corpus: str) -> bool:
    return corpus != "guide" and ("heldout" in file or file == "combined.yaml")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--base", type=Path)
    ap.add_argument("--corpus", nargs="*", help="only the sets over these corpora (keys of tests/conftest.py's CORPORA)")
    ap.add_argument("--stores", type=Path, default=Path("/tmp/careerbot-eval-stores"))
    args = ap.parse_args()

    from bot.cli import run_ingest
    from bot.eval.runner import run_files
    from bot.pipeline import build_bot
    from bot.settings import load_settings
    from ingest.embed import build_embedder
    from tests.conftest import CORPORA
    from tests.test_eval_gate import GATES

    base = json.loads(args.base.read_text()) if args.base else {}
    embedder, bots, out, t0 = build_embedder(None), {}, {}, time.perf_counter()
    totals: dict[str, list[int]] = {}
    for g in GATES:
        if args.corpus and g.corpus not in args.corpus:
            continue
        if g.corpus not in bots:
            settings = load_settings({"store_dir": args.stores / g.corpus}, env={})
            run_ingest(list(CORPORA[g.corpus]), settings, embedder=embedder)
            bots[g.corpus] = build_bot(settings, embedder=embedder)
        result = run_files([ROOT / "tests" / "prompts" / g.file], bots[g.corpus], progress=False)
        cases = {c["id"]: [c["status"], (c.get("answer") or "")[:400], c.get("failures")] for c in result.cases}
        out[g.file] = cases
        n = sum(v[0] == "pass" for v in cases.values())
        before = base.get(g.file, cases)
        group = "unseen" if unseen(g.file, g.corpus) else g.corpus
        t = totals.setdefault(group, [0, 0, 0])
        t[0] += n
        t[1] += sum(v[0] == "pass" for v in before.values())
        t[2] += len(cases)
        s = result.summary
        line = (f"{g.file:30s} {n}/{len(cases)} pass {s['answer_pass_rate']:.3f} refusal {s['refusal_accuracy']:.3f} "
                f"false refusals {s['false_refusal_rate']:.3f}")
        if g.file in base and group != "unseen":
            won = [k for k, v in cases.items() if v[0] == "pass" and base[g.file].get(k, [""])[0] != "pass"]
            lost = [k for k, v in cases.items() if v[0] != "pass" and base[g.file].get(k, [""])[0] == "pass"]
            line += f"  won {won} lost {lost}" if won or lost else ""
        print(line, flush=True)
    for group, (n, nb, total) in totals.items():
        print(f"{group}: {n}/{total}" + (f" (base {nb})" if base else ""))
    print(f"{time.perf_counter() - t0:.1f} s")
    args.out.write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
