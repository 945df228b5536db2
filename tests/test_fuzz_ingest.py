"""Fuzz ingest: a few hundred hostile files (tests/fuzz_files.py, fixed seed) through `careerbot ingest`.

Nothing a user feeds ingest may crash it or get lost: every file is ingested or
listed in `failed` with a one-line reason, the good ones all reach the store,
a second run changes nothing, and the store equals a clean run over only the
files that could be ingested. Peak memory of the ingest process is measured.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fuzz_files import write_hostile

from ingest.lexical import LexicalIndex, fingerprint, index_dir
from ingest.limits import FileTimeout, check_deadline, time_limit
from ingest.loaders import LoadError, decode
from ingest.loaders import html as html_loader
from ingest.pipeline import _read, discover, ingest_paths, load_document
from ingest.store import build_store

ROOT = Path(__file__).resolve().parent.parent
SEED = 17
RSS_LIMIT_MB = 2500  # measured 705 MB (numpy embedder, warm machine) to 1,615 MB (a fresh clone); a bomb read whole passes it


def run_cli(args: list[str], env_extra: dict[str, str]) -> tuple[int, str, str, float, float, float]:
    """(exit code, stdout, stderr, peak RSS in MB, seconds, CPU seconds) of `careerbot ...` in a child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **env_extra)
    t0 = time.perf_counter()
    with open(os.devnull, "rb") as devnull:
        out_r, out_w = os.pipe()
        err_path = Path(env_extra["FUZZ_ERR"])
        with open(err_path, "wb") as err:
            p = subprocess.Popen([sys.executable, "-m", "bot.cli", *args], stdin=devnull, stdout=out_w, stderr=err,
                                 cwd=ROOT, env=env)
            os.close(out_w)
            chunks = []
            with os.fdopen(out_r, "rb") as r:
                for block in iter(lambda: r.read(65536), b""):
                    chunks.append(block)
            _, status, usage = os.wait4(p.pid, 0)  # the rusage of this child alone
            p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    cpu = usage.ru_utime + usage.ru_stime
    return p.returncode, b"".join(chunks).decode(), err_path.read_text(), usage.ru_maxrss / 1024, seconds, cpu


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz")
    folder = base / "hostile"
    t0 = time.perf_counter()
    manifest = write_hostile(folder, SEED, outside=base / "outside")
    generated_s = time.perf_counter() - t0
    store_dir = base / "store"
    env = {"CAREERBOT_MAX_FILE_BYTES": str(manifest.max_file_bytes), "FUZZ_ERR": str(base / "stderr.txt")}
    code, out, err, rss_mb, seconds, cpu = run_cli(["ingest", str(folder), "--json", "--store-dir", str(store_dir)], env)
    (base / "report.json").write_text(out)  # kept with pytest's temporary folders, to read after a run
    return {"folder": folder, "manifest": manifest, "store_dir": store_dir, "code": code, "out": out, "err": err,
            "rss_mb": rss_mb, "seconds": seconds, "cpu": cpu, "generated_s": generated_s, "base": base}


def outcome(fuzz) -> tuple[dict, set[str], dict[str, str]]:
    report = json.loads(fuzz["out"])
    store = build_store(fuzz["store_dir"], None)
    doc_ids = set(store.records())
    failed = {Path(f["path"]).relative_to(fuzz["folder"]).as_posix(): f["error"] for f in report["failed"]}
    return report, doc_ids, failed


def doc_id(rel: str) -> str:
    return Path(rel).with_suffix("").as_posix()


def test_no_traceback_and_exit_1(fuzz):
    assert fuzz["code"] == 1, fuzz["err"][-2000:]
    assert "Traceback" not in fuzz["out"] and "Traceback" not in fuzz["err"]
    report = json.loads(fuzz["out"])
    assert set(report) >= {"added", "updated", "unchanged", "removed", "chunks_embedded", "failed", "seconds"}


def test_every_file_is_ingested_or_failed_with_a_reason(fuzz):
    report, doc_ids, failed = outcome(fuzz)
    expect = {rel: e for rel, e in fuzz["manifest"].expect.items() if e != "skip"}
    ingested = {rel for rel in expect if doc_id(rel) in doc_ids}
    assert not ingested & set(failed)  # never both
    lost = sorted(set(expect) - ingested - set(failed))
    assert lost == []
    assert set(failed) <= set(expect)  # nothing failed that was not given
    for rel, error in failed.items():
        assert error and "\n" not in error and len(error) < 300 and "Traceback" not in error, (rel, error)
    assert report["added"] == len(ingested) == len(doc_ids)
    wrong_in = sorted(rel for rel in ingested if expect[rel] == "fail")
    wrong_out = sorted((rel, failed[rel]) for rel in failed if expect[rel] == "ingest")
    assert wrong_in == [] and wrong_out == []
    assert any("link leads outside the folder" in n for n in report.get("notes", []))
    assert not any(d.startswith("links/") for d in doc_ids)
    print(f"\nfuzz: {len(expect)} files generated in {fuzz['generated_s']:.1f}s, {len(ingested)} ingested, "
          f"{len(failed)} failed; ingest took {fuzz['seconds']:.1f}s ({fuzz['cpu']:.1f}s CPU), "
          f"peak RSS {fuzz['rss_mb']:.0f} MB")


def test_the_reasons_are_the_expected_ones(fuzz):
    _, _, failed = outcome(fuzz)
    assert failed["shape/empty-md.md"] == "file is empty" and failed["shape/spaces.md"] == "file is empty"
    assert failed["shape/spaces-utf16.txt"] == "file is empty"
    assert failed["shape/over-limit.md"].startswith("file is 400,057 bytes, over the limit of 400,000")
    assert failed["bin/nuls.txt"] == "file looks binary (NUL bytes), not text"
    assert failed["bin/zip-bomb.pdf"] == "not a PDF file (no %PDF header)"
    assert failed["html/script-only.html"] == "no article text found in the page"
    assert failed["pdf/fake-header.pdf"].startswith("PDF is damaged or unreadable")
    assert failed["names/not-utf8-\udcff-name.md"] == "the file's name is not valid UTF-8; rename the file"


def test_hostile_text_reaches_the_store(fuzz):
    store = build_store(fuzz["store_dir"], None)
    chunks = store.all_chunks()
    text_of: dict[str, str] = {}
    for c in chunks:
        text_of[c.doc_id] = text_of.get(c.doc_id, "") + "\n" + c.title + "\n" + c.text
    for rel, word in fuzz["manifest"].words.items():
        assert word.lower() in text_of.get(doc_id(rel), "").lower(), rel
    assert "Café" in text_of["enc/western-0"] and "Résumé" in text_of["enc/western-0"]
    assert "naïve" in text_of["enc/utf16be-md"] and "Café" in text_of["enc/utf32le-bom-txt"]
    assert "façade" in text_of["enc/mixed"]
    assert max(len(c.text) for c in chunks) <= 1500  # long lines split: no passage is a whole file
    one_line = [c for c in chunks if c.doc_id == "shape/one-line-words"]
    assert len(one_line) >= 8  # 1,000 words on one line: all of them kept, in chunk-sized passages
    profiles = store.profiles()
    assert json.loads(profiles["enc/western-0"]).get("encoding") == "cp1252"
    assert json.loads(profiles["enc/utf16le-bom-md"]).get("encoding") == "utf-16-le"


def test_peak_memory_is_bounded(fuzz):
    assert fuzz["rss_mb"] < RSS_LIMIT_MB, f"peak RSS {fuzz['rss_mb']:.0f} MB"


def clean_run_ids(folder: Path, max_file_bytes: int) -> set[str]:
    """The chunk ids a clean run over `folder` stores: its files found, loaded and chunked as ingest's
    first stage does (chunk ids come from the text alone, so no embedding is needed to know them)."""
    files, problems, _ = discover([folder])
    assert problems == []
    ids: set[str] = set()
    for sf in files:
        chunks, _ = load_document(sf, _read(sf.path, max_file_bytes), 700)
        ids |= {c.id for c in chunks}
    return ids


def test_second_run_unchanged_and_equal_to_a_clean_run(fuzz, embedder):
    report, doc_ids, failed = outcome(fuzz)
    store = build_store(fuzz["store_dir"], None)
    again = ingest_paths([fuzz["folder"]], store, embedder, max_file_bytes=fuzz["manifest"].max_file_bytes)
    assert (again.added, again.updated, again.removed, again.chunks_embedded) == (0, 0, 0, 0)
    assert again.unchanged == len(doc_ids)
    assert {Path(f["path"]).relative_to(fuzz["folder"]).as_posix() for f in again.failed} == set(failed)
    ids = {c.id for c in store.all_chunks()}
    assert store.count() == len(ids)  # no duplicates

    clean_folder = fuzz["base"] / "clean"
    for rel in fuzz["manifest"].expect:
        if doc_id(rel) in doc_ids:
            (clean_folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fuzz["folder"] / rel, clean_folder / rel)
    assert clean_run_ids(clean_folder, fuzz["manifest"].max_file_bytes) == ids


def test_bm25_index_is_in_step_with_the_store(fuzz):
    store = build_store(fuzz["store_dir"], None)
    idx = LexicalIndex.load(index_dir(fuzz["store_dir"]))
    assert idx is not None and idx.fingerprint == fingerprint([c.id for c in store.all_chunks()])


# -- decoding -------------------------------------------------------------------------------------------------------
TEXT = "# Résumé tips\n\nMeet your mentor at the Café; a naïve résumé is one page long.\n"


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode(), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode(), "utf-8"),
    (TEXT.encode("utf-16"), "utf-16-le"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("utf-32"), "utf-32-le"),
    (TEXT.encode("utf-32-be"), "utf-32-be"),
    (TEXT.encode("cp1252"), "cp1252"),
    (TEXT.encode("latin-1"), "cp1252"),
    (TEXT.replace("\n", "\r\n").encode(), "utf-8"),
])
def test_text_in_any_common_encoding_decodes(data, encoding):
    text, enc = decode(data)
    assert text.replace("\r\n", "\n") == TEXT and enc == encoding


def test_damaged_and_odd_text_decodes():
    assert decode(TEXT.encode() + "€".encode()[:2]) == (TEXT, "utf-8")  # cut off mid-character
    mixed = TEXT.encode() + "Zürich façade".encode("cp1252")
    assert decode(mixed) == (TEXT + "Zürich façade", "utf-8+cp1252")
    ru = "Машинное обучение и карьера инженера данных: зарплата и навыки. " * 4
    assert decode(ru.encode("cp1251")) == (ru, "cp1251")
    assert decode(b'<meta charset="koi8-r">' + ru.encode("koi8-r"), "koi8-r")[1] == "koi8-r"


@pytest.mark.parametrize("data, error", [
    (b"", "file is empty"),
    (b" \n\t\r\n", "file is empty"),
    (" \n".encode("utf-16"), "file is empty"),
    (b"\x00" * 100, "file looks binary (NUL bytes), not text"),
    (bytes(range(256)) * 4, "file looks binary (NUL bytes), not text"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 4, "file looks binary: no text encoding fits its bytes"),
])
def test_empty_and_binary_are_one_line_errors(data, error):
    with pytest.raises(LoadError) as e:
        decode(data)
    assert str(e.value) == error


# -- per-file isolation, time limit, deep nesting ------------------------------------------------------------------
def test_twenty_thousand_nested_divs_load_within_seconds():
    page = ("<html><body>" + "<div>" * 20_000 + "<p>Deep text survives.</p>" + "</div>" * 20_000).encode()
    t0 = time.perf_counter()
    parsed = html_loader.load(page, "deep.html")
    assert "Deep text survives." in " ".join(b.text for b in parsed.blocks)
    assert time.perf_counter() - t0 < 20


def test_time_limit_on_the_main_thread_interrupts_any_loop():
    t0 = time.perf_counter()
    with pytest.raises(FileTimeout, match="per-file limit of 0.5s"):
        with time_limit(0.5):
            while True:
                pass
    assert time.perf_counter() - t0 < 5


def test_time_limit_in_a_worker_thread_is_checked_by_loaders():
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with time_limit(0.3):
                while True:
                    check_deadline()
        except FileTimeout as e:
            caught.append(e)

    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert not t.is_alive() and len(caught) == 1


def _good_and_bad(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "good.md").write_text("# Good\n\nThe mentor advice is to build a portfolio of projects.\n")
    (folder / "bad.html").write_text("<p>anything</p>")


@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"), MemoryError(),
                                   ValueError("odd input"), "timeout"])
def test_any_failure_of_one_file_is_its_entry(tmp_path, embedder, monkeypatch, error):
    def load(data: bytes, name: str):
        if error == "timeout":
            while True:
                check_deadline()
        raise error

    monkeypatch.setattr(html_loader, "load", load)
    _good_and_bad(tmp_path / "c")
    result: dict = {}

    def run() -> None:  # in a worker thread, as the web chat's uploads are
        result["r"] = ingest_paths([tmp_path / "c"], build_store(tmp_path / "s", None), embedder, file_seconds=0.5)

    t = threading.Thread(target=run)
    t.start()
    t.join(120)
    r = result["r"]
    assert r.added == 1 and [Path(f["path"]).name for f in r.failed] == ["bad.html"]
    want = "took longer than the per-file limit of 0.5s" if error == "timeout" else f"{type(error).__name__}: "
    assert r.failed[0]["error"].startswith(want), r.failed[0]["error"]


@pytest.mark.parametrize("debug", [False, True])
def test_debug_flag_prints_the_traceback(tmp_path, monkeypatch, capsys, debug):
    from bot.cli import main

    def load(data: bytes, name: str):
        raise KeyError("no such thing")

    monkeypatch.setattr(html_loader, "load", load)
    _good_and_bad(tmp_path / "c")
    args = ["ingest", str(tmp_path / "c"), "--store-dir", str(tmp_path / "s")] + (["--debug"] if debug else [])
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"careerbot ingest: {tmp_path / 'c' / 'bad.html'}: KeyError: 'no such thing'" in err
    assert ("Traceback" in err) is debug
