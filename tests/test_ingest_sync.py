"""Incremental sync with the real embedder and a temporary Chroma folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.pipeline import IngestInputError, disambiguate, ingest_paths, signature
from ingest.store import build_store

ARTICLE = (
    "# {title}\n\n## Salary\n\nEntry-level pay for {title} is {pay} dollars a year.\n\n## Skills\n\n- Python\n- SQL\n"
)


def write(folder: Path, name: str, title: str, pay: int = 100_000) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(ARTICLE.format(title=title, pay=pay))
    return p


@pytest.fixture
def store(tmp_path):
    return build_store(tmp_path / "chroma", None)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    for i, t in enumerate(["Data Scientist", "ML Engineer", "Research Scientist"]):
        write(folder, f"role-{i}.md", t, 100_000 + i)
    write(folder, "sub/extra.md", "Analyst")
    return folder


class Renamed:
    """The real embedder under another name: a changed embedding signature."""

    def __init__(self, inner, name):
        self.inner, self.name = inner, name

    def embed(self, texts):
        return self.inner.embed(texts)


def test_add_unchanged_update_remove(corpus, store, embedder):
    calls = []
    r1 = ingest_paths([corpus], store, embedder, after_write=calls.append)
    assert (r1.added, r1.updated, r1.unchanged, r1.removed, r1.failed) == (4, 0, 0, 0, [])
    n = store.count()
    assert r1.chunks_embedded == n > 4 and len(calls) == 1
    assert set(store.records()) == {"role-0", "role-1", "role-2", "sub/extra"}

    r2 = ingest_paths([corpus], store, embedder, after_write=calls.append)
    assert (r2.added, r2.updated, r2.unchanged, r2.chunks_embedded) == (0, 0, 4, 0)
    assert len(calls) == 1  # nothing changed: the lexical index is not rebuilt

    write(corpus, "role-1.md", "ML Engineer", 123_456)
    (corpus / "role-2.md").unlink()
    r3 = ingest_paths([corpus], store, embedder, after_write=calls.append)
    assert (r3.added, r3.updated, r3.unchanged, r3.removed) == (0, 1, 2, 1)
    assert len(calls) == 2
    texts = " ".join(c.text for c in store.all_chunks())
    assert "123456" in texts and "100001" not in texts and "100002" not in texts
    assert store.count() == n - n // 4  # role-2's chunks gone, role-1's replaced one for one
    assert all(r.complete for r in store.records().values())


def test_removal_touches_only_the_folder_ingested_again(tmp_path, store, embedder):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "one.md", "One")
    write(b, "two.md", "Two")
    ingest_paths([a, b], store, embedder)
    (b / "two.md").unlink()
    r = ingest_paths([a], store, embedder)
    assert r.removed == 0 and "two" in store.records()
    r = ingest_paths([b], store, embedder)
    assert r.removed == 1 and set(store.records()) == {"one"}


def test_same_doc_id_from_another_folder_is_an_error_for_the_second(tmp_path, store, embedder):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "guide.md", "From A")
    write(b, "guide.md", "From B")
    r = ingest_paths([a], store, embedder)
    assert r.added == 1
    r = ingest_paths([b], store, embedder)
    assert r.added == 0 and len(r.failed) == 1
    assert r.failed[0]["path"] == str(b / "guide.md")
    assert "doc_id 'guide' already comes from" in r.failed[0]["error"] and str(a / "guide.md") in r.failed[0]["error"]
    assert "From A" in store.all_chunks()[0].title
    r = ingest_paths([a, b], store, embedder)  # both in one run: the second one fails
    assert r.unchanged == 1 and [f["path"] for f in r.failed] == [str(b / "guide.md")]


def test_same_name_with_two_extensions_in_one_folder_keeps_both():
    assert disambiguate(["x.md", "x.pdf", "x.txt"]) == {"x.md": "x", "x.pdf": "x.pdf", "x.txt": "x.txt"}


def test_dry_run_writes_nothing_and_lists_the_plan(corpus, store, embedder):
    calls = []
    r = ingest_paths([corpus], store, embedder, dry_run=True, after_write=calls.append)
    assert r.added == 4 and r.chunks_embedded == 0 and store.count() == 0 and calls == []
    assert sorted(s["doc_id"] for s in r.plan) == ["role-0", "role-1", "role-2", "sub/extra"]
    assert {s["action"] for s in r.plan} == {"add"}
    ingest_paths([corpus], store, embedder)
    (corpus / "role-0.md").unlink()
    write(corpus, "role-1.md", "Changed")
    before = store.count()
    r = ingest_paths([corpus], store, embedder, dry_run=True)
    assert {(s["doc_id"], s["action"]) for s in r.plan} == {("role-0", "remove"), ("role-1", "update")}
    assert store.count() == before and "role-0" in store.records()


def test_signature_change_reembeds_everything_and_says_so(tmp_path, corpus, store, embedder):
    other = tmp_path / "other"
    write(other, "kept.md", "Kept Elsewhere")
    write(other, "gone.md", "Source Deleted")
    ingest_paths([corpus], store, embedder)
    ingest_paths([other], store, embedder)
    (other / "gone.md").unlink()  # its chunks stay in the store (folder not ingested again)
    n = store.count()

    r = ingest_paths([corpus], store, Renamed(embedder, "renamed-model"))
    assert any("re-embedding every document" in note for note in r.notes)
    assert any("1 re-read from their files, 1 from stored text" in note for note in r.notes)
    assert r.updated == 6 and r.unchanged == 0 and r.chunks_embedded == n
    sig = signature("renamed-model", 700)
    recs = store.records()
    assert {rec.signature for rec in recs.values()} == {sig} and all(rec.complete for rec in recs.values())
    assert set(recs) == {"role-0", "role-1", "role-2", "sub/extra", "kept", "gone"}
    r = ingest_paths([corpus], store, Renamed(embedder, "renamed-model"))
    assert r.unchanged == 4 and r.chunks_embedded == 0

    r = ingest_paths([corpus], store, Renamed(embedder, "renamed-model"), chunk_chars=300)
    assert r.updated == 6 and any("chars=300" in note for note in r.notes)


def test_per_file_errors_are_collected_and_the_rest_ingested(tmp_path, store, embedder):
    folder = tmp_path / "c"
    write(folder, "good.md", "Good")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (folder / "latin1.txt").write_bytes("Caf\xe9 salaries".encode("latin-1"))
    (folder / "big.md").write_text("# Big\n\n" + "word " * 400)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>\ntruncated")
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    r = ingest_paths([folder], store, embedder, max_file_bytes=1000)
    errors = {Path(f["path"]).name: f["error"] for f in r.failed}
    assert r.added == 2  # good.md, and latin1.txt: its encoding is detected
    assert errors["empty.txt"] == "file is empty"
    assert errors["binary.txt"] == "file looks binary (NUL bytes), not text"
    assert errors["big.md"].startswith("file is 2,007 bytes, over the limit of 1,000")
    assert errors["broken.pdf"].startswith("PDF is damaged or unreadable")
    assert errors["dangling.md"] == "file is gone (or a broken link)"
    assert len(errors) == 5


def test_unreadable_file_is_a_per_file_error():
    """Tests run as root, who reads a chmod 000 file: a forked child drops to `nobody` first."""
    import shutil
    import tempfile

    from ingest.loaders import LoadError
    from ingest.pipeline import _read

    d = Path(tempfile.mkdtemp(prefix="careerbot-unreadable-"))  # under /tmp, reachable by nobody
    try:
        d.chmod(0o755)
        f = d / "secret.md"
        f.write_text("# Secret\n\ntext\n")
        f.chmod(0o000)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: drop privileges, try to read, report the message
            try:
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                try:
                    _read(f, 10**6)
                    msg = "read it"
                except LoadError as e:
                    msg = str(e)
                os.write(w, msg.encode())
            finally:
                os._exit(0)
        os.close(w)
        os.waitpid(pid, 0)
        with os.fdopen(r) as fh:
            assert fh.read() == "permission denied: cannot read the file"
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_links_leading_outside_the_folder_are_not_followed(tmp_path, store, embedder):
    folder, outside = tmp_path / "c", tmp_path / "outside"
    write(folder, "in.md", "Inside")
    write(outside, "secret.md", "Secret Outside")
    (folder / "link.md").symlink_to(outside / "secret.md")
    (folder / "linkdir").symlink_to(outside)
    r = ingest_paths([folder], store, embedder)
    assert r.added == 1 and r.failed == [] and set(store.records()) == {"in"}
    assert sum("link leads outside the folder" in n for n in r.notes) == 2


def test_missing_path_is_bad_input(tmp_path, store, embedder):
    with pytest.raises(IngestInputError, match="no such file or folder"):
        ingest_paths([tmp_path / "nope"], store, embedder)


def test_batches_span_documents(corpus, store, embedder):
    sizes = []

    class Counting(Renamed):
        def embed(self, texts):
            sizes.append(len(texts))
            return self.inner.embed(texts)

    r = ingest_paths([corpus], store, Counting(embedder, embedder.name))
    assert sizes == [r.chunks_embedded]  # one call for all four documents


def test_progress_bars_per_stage_on_stderr(corpus, store, embedder, capsys):
    ingest_paths([corpus], store, embedder, progress=True)
    err = capsys.readouterr().err
    assert "read" in err and "embed" in err and "chunk" in err
    ingest_paths([corpus], store, embedder)
    assert capsys.readouterr().err == ""  # no bars unless asked for
