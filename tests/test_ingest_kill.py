"""Kill a real ingest (SIGKILL) half-way; the next run completes the store exactly, BM25 index included.

The BM25 index beside the store (ingest/lexical.py) is rebuilt by ingest's
`after_write` and saved atomically; a run killed while writing chunks, before
the index is saved, or while it is swapped in, leaves it out of step, and the
next `careerbot ingest` brings it back in step even when no file changed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.cli import main
from ingest.lexical import LexicalIndex, fingerprint, index_dir
from ingest.pipeline import discover, ingest_paths, load_chunks
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


def assert_complete(store: ChromaStore, clean: ChromaStore) -> None:
    n, ids = state(store)
    assert (n, ids) == state(clean)  # no duplicate, no missing chunk
    assert all(r.complete for r in store.records().values())
    # every chunk has its vector, which the chat's exact dense search reads (bot/retrieval/vectors.py); Chroma's
    # HNSW query is not asked: after deletes and upserts it can miss a live record (chroma-core/chroma#7758)
    vectors, clean_vectors = store.vectors(sorted(ids)), clean.vectors(sorted(ids))
    assert set(vectors) == ids and all(float(vectors[i] @ clean_vectors[i]) > 0.999 for i in ids)


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
    assert_complete(partial, clean)
    del partial

    make_corpus(corpus, 30, "v2")  # every article changes: a killed update run
    run_and_kill(corpus, store_dir, after_writes=2)
    again = build_store(store_dir, None)
    r = ingest_paths([corpus], again, embedder)
    assert r.failed == [] and r.added == 0 and r.updated > 0 and r.updated + r.unchanged == 30
    clean2 = build_store(tmp_path / "clean-v2", None)
    ingest_paths([corpus], clean2, embedder)
    assert_complete(again, clean2)
    assert "v1" not in " ".join(c.text for c in again.all_chunks())


# `careerbot ingest` itself, with a marker printed (and a pause) at the point the parent kills it.
CLI_CHILD = textwrap.dedent("""
    import pathlib, sys, time
    import ingest.lexical as lexical
    from ingest.store import ChromaStore
    from bot.cli import main

    at = sys.argv[1]
    write = ChromaStore.upsert
    def upsert(self, *args, **kwargs):
        write(self, *args, **kwargs)
        if at == "wrote":
            print("wrote", flush=True)
            time.sleep(60)  # new chunks in, stale ones not yet deleted, the index not yet saved
    ChromaStore.upsert = upsert
    sync = lexical.sync_lexical
    def sync_lexical(store, state):
        if at == "syncing":
            print("syncing", flush=True)
            time.sleep(60)  # the store is complete, its index is the previous run's
        return sync(store, state)
    lexical.sync_lexical = sync_lexical
    rename = pathlib.Path.rename
    def renamed(self, target):
        out = rename(self, target)
        if at == "swapping" and self.name == lexical.INDEX_DIRNAME:
            print("swapping", flush=True)
            time.sleep(60)  # the old index moved away, the new one not yet in its place
        return out
    pathlib.Path.rename = renamed
    code = main(sys.argv[2:])
    print("done", flush=True)
    sys.exit(code)
""")


def cli(args: list[str], at: str = "none") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI_CHILD, at, "ingest", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def kill_at(args: list[str], at: str, nth: int = 1) -> None:
    """Run `careerbot ingest ARGS` and SIGKILL it at the nth time it reaches the point `at`."""
    p = cli(args, at)
    seen = 0
    assert p.stdout is not None
    for line in p.stdout:
        if line.strip() == at:
            seen += 1
            if seen == nth:
                os.kill(p.pid, signal.SIGKILL)
                break
    p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL, p.stderr.read() if p.stderr else ""


def clean_ids(corpus: Path) -> set[str]:
    """The chunk ids a clean run over the corpus stores (ids come from the text alone)."""
    files, _, _ = discover([corpus])
    return {c.id for sf in files for c in load_chunks(sf, sf.path.read_bytes(), 700)}


def assert_bm25_in_step(store_dir: Path, corpus: Path) -> None:
    store = build_store(store_dir, None)
    ids = {c.id for c in store.all_chunks()}
    assert ids == clean_ids(corpus) and store.count() == len(ids)
    assert all(r.complete for r in store.records().values())
    idx = LexicalIndex.load(index_dir(store_dir))
    assert idx is not None, "no BM25 index beside the store"
    assert {c.id for c in idx.chunks} == ids and idx.fingerprint == fingerprint(sorted(ids))


def test_bm25_index_in_step_after_a_kill_at_any_point(tmp_path):
    """Killed while writing chunks (first run: no index yet), before the index is saved (it is the previous
    run's), and while it is swapped in (no index in place); each time `careerbot ingest` is run again."""
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    args = [str(corpus), "--store-dir", str(store_dir)]
    for i, at in enumerate(("wrote", "syncing", "swapping")):
        make_corpus(corpus, 8, f"v{i}")  # every article changes
        kill_at(args, at)
        assert main(["ingest", *args]) == 0
        assert_bm25_in_step(store_dir, corpus)
