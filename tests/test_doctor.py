"""`careerbot doctor`: a table of checks, exit 1 when a part fails."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.doctor import check_llm, check_store, run_checks
from bot.settings import load_settings
from tests.test_servers import closed_port


def rows(out: str) -> dict[str, str]:
    """CHECK -> the rest of its table row."""
    return {line.split()[0]: line for line in out.strip().splitlines()[1:]}


@pytest.mark.slow
def test_all_parts_ok_with_the_local_model(guide_store_dir, capsys):
    code = main(["doctor", "--store-dir", str(guide_store_dir), "--answer-mode", "generate"])
    out = capsys.readouterr().out
    assert code == 0, out
    table = rows(out)
    assert set(table) == {"store", "embedding", "llm", "versions"}
    assert all(" ok " in line for line in table.values()), out
    assert "1 document, " in table["store"] and " chunks" in table["store"]
    assert "all-MiniLM-L6-v2: 384 dimensions" in table["embedding"]
    assert "local model SmolLM2" in table["llm"] and "(bundled): replied " in table["llm"]
    assert "chromadb " in table["versions"] and "llama-cpp-python " in table["versions"]


def test_down_llm_and_missing_store_fail_with_exit_1(tmp_path, capsys):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    code = main(["doctor", "--json", "--store-dir", str(tmp_path / "nope"), "--llm", "openai", "--llm-base-url", url])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 1 and out["ok"] is False
    by_name = {c["name"]: c for c in out["checks"]}
    assert by_name["store"]["ok"] is False and "no store at" in by_name["store"]["detail"]
    assert by_name["llm"] == {**by_name["llm"], "ok": False,
                              "detail": f"cannot reach the LLM at {url}: connection refused"}
    assert by_name["embedding"]["ok"] is True
    assert captured.err.strip().splitlines()[-1] == "careerbot doctor: store, llm failed"
    assert not (tmp_path / "nope").exists()  # the doctor does not create a store


def test_empty_store_fails(tmp_path):
    from ingest.store import build_store

    build_store(tmp_path / "empty", None)
    check = check_store(load_settings({"store_dir": tmp_path / "empty"}, env={}))
    assert not check.ok and "is empty: run `careerbot ingest corpus/`" in check.detail


def test_store_counts_documents_and_chunks(guide_store_dir):
    check = check_store(load_settings({"store_dir": guide_store_dir}, env={}))
    assert check.ok and check.detail.startswith(f"Chroma folder {guide_store_dir}: 1 document, ")


def test_llm_not_used_in_extractive_mode():
    check = check_llm(load_settings({"answer_mode": "extractive", "llm": "openai",
                                     "llm_base_url": f"http://127.0.0.1:{closed_port()}/v1"}, env={}))
    assert check.ok and check.detail.startswith("not used: answers are quoted")


def test_llm_not_used_by_default_with_the_bundled_model():
    check = check_llm(load_settings(env={}))
    assert check.ok and check.detail.startswith("not used: answers are quoted from the articles (answer mode auto)")


def test_unexpected_errors_become_rows_not_tracebacks(tmp_path):
    settings = load_settings({"store_dir": tmp_path / "s", "embed_model": str(tmp_path / "no-such-model"),
                              "answer_mode": "extractive"}, env={})
    checks = {c.name: c for c in run_checks(settings)}
    assert not checks["embedding"].ok and checks["embedding"].detail
    assert checks["versions"].ok
