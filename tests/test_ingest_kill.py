"""Kill a real ingest (SIGKILL) half-way; the next run completes the store exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from ingest.pipeline import ingest_paths
from ingest.store import ChromaStore, build_store

ROOT = Path(__file__).resolve().parent.parent
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ingest.embed import build_embedder
    from ingest.pipeline import ingest_paths
    from ingest.store import build_store

    store = build_store(Path(sys.argv[2]), None)
    write = store.upsert
    def upsert(*args, **kwargs):
        write(*args, **kwargs)
        print("wrote", flush=True)
        time.sleep(0.5)  # the parent kills here: new chunks in, stale ones not yet deleted
    store.upsert = upsert
    ingest_paths([Path(sys.argv[1])], store, build_embedder(), batch_chunks=24)
    print("done", flush=True)
""")


def make_corpus(folder: Path, n: int, version: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"article-{i:03d}.md").write_text(
            f"# Career Article {i}\n\n## Pay\n\nRole {i} pays {50_000 + 1000 * i} dollars ({version}).\n\n"
            f"## Skills\n\n- Skill {i} alpha\n- Skill {i} beta ({version})\n\n## Advice\n\n"
            + " ".join(f"Sentence {j} of article {i} says something useful." for j in range(12))
            + "\n"
        )


def run_and_kill(corpus: Path, store_dir: Path, after_writes: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(corpus), str(store_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    seen = 0
    assert p.stdout is not None
    for line in p.stdout:
        if line.strip() == "wrote":
            seen += 1
            if seen == after_writes:
                os.kill(p.pid, signal.SIGKILL)
                break
    p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL, p.stderr.read() if p.stderr else ""


def state(store: ChromaStore) -> tuple[int, set[str]]:
    ids = {c.id for c in store.all_chunks()}
    return store.count(), ids


def assert_complete(store: ChromaStore, clean: ChromaStore, embedder) -> None:
    n, ids = state(store)
    assert (n, ids) == state(clean)  # no duplicate, no missing chunk
    assert all(r.complete for r in store.records().values())
    hits = store.query(embedder.embed(["career pay"])[0], n)
    assert {h.chunk.id for h in hits} == ids  # the vector index holds every chunk too


def test_killed_ingest_is_completed_by_the_next_run(tmp_path, embedder):
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 30, "v1")

    run_and_kill(corpus, store_dir, after_writes=2)
    partial = build_store(store_dir, None)
    assert 0 < partial.count()
    r = ingest_paths([corpus], partial, embedder)
    assert r.failed == [] and r.chunks_embedded > 0
    clean = build_store(tmp_path / "clean-v1", None)
    ingest_paths([corpus], clean, embedder)
    assert_complete(partial, clean, embedder)
    del partial

    make_corpus(corpus, 30, "v2")  # every article changes: a killed update run
    run_and_kill(corpus, store_dir, after_writes=2)
    again = build_store(store_dir, None)
    r = ingest_paths([corpus], again, embedder)
    assert r.failed == [] and r.added == 0 and r.updated > 0 and r.updated + r.unchanged == 30
    clean2 = build_store(tmp_path / "clean-v2", None)
    ingest_paths([corpus], clean2, embedder)
    assert_complete(again, clean2, embedder)
    assert "v1" not in " ".join(c.text for c in again.all_chunks())
