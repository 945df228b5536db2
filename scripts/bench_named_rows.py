"""How long finding the table rows a question names takes, over a store of many rows (bot/retrieval/named.py).

    .venv/bin/python scripts/bench_named_rows.py [--passages 2000] [--rows 10] [--runs 20]

Builds generated passages of `--rows` table rows each (every row with a teacher), indexes them once, and times
`named_rows` for a question naming one rare row and for one naming a row whose words every row shares, and
`person_rows` for a question naming the teacher of one row.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=2000)
    ap.add_argument("--rows", type=int, default=10)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()

    from bot.retrieval.named import Rows, named_rows, person_rows
    from ingest.api import Chunk

    chunks = [Chunk(str(i), "d", "D", "S", "\n".join(
        f"- Course {i} part {j} on topic{i % 97} — Duration: {j} weeks; Teacher: Ada Finch{i}x{j}" for j in range(args.rows)))
        for i in range(args.passages)]
    chunks.append(Chunk("x", "d", "D", "S", "- Compilers — Duration: 9 weeks"))
    t0 = time.perf_counter()
    rows = Rows(chunks)
    print(f"{len(rows)} rows indexed in {time.perf_counter() - t0:.2f} s")
    def median_ms(find, q: str) -> tuple[float, list]:
        times, found = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            found = find(q, rows)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000, [n for n, _ in found]

    for find, q in ((named_rows, "is there a compilers course, and how long does it take?"),
                    (named_rows, "how long is course 12 part 3 on topic12?"),
                    (person_rows, "which courses does ada finch12x3 teach?")):
        ms, names = median_ms(find, q)
        print(f"{q!r}: median {ms:.2f} ms of {args.runs}, rows {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
