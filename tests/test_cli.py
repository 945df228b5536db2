"""The command line: exit codes, JSON outputs, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.cli import main
from tests.conftest import GUIDE_ID, ROOT


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=600)


def test_missing_path_is_a_one_line_error_with_exit_2(tmp_path, capsys):
    code = main(["ingest", str(tmp_path / "nope"), "--store-dir", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"careerbot ingest: no such file or folder: {tmp_path / 'nope'}"


def test_ingest_json_has_the_contract_keys(tmp_path, capsys):
    code = main(["ingest", str(ROOT / "corpus"), "--json", "--store-dir", str(tmp_path / "s")])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) >= {"added", "updated", "unchanged", "removed", "chunks_embedded", "failed", "seconds"}
    assert out["added"] == 1 and out["failed"] == [] and out["chunks_embedded"] > 10


def test_empty_and_overlong_questions_are_bad_input(tmp_path, capsys):
    assert main(["ask", "   ", "--store-dir", str(tmp_path / "s")]) == 2
    assert "Please type a question" in capsys.readouterr().err
    assert main(["ask", "x" * 2001, "--store-dir", str(tmp_path / "s")]) == 2
    assert "2,001 characters" in capsys.readouterr().err


def test_bad_setting_is_exit_2_without_traceback(tmp_path):
    import os

    env = dict(os.environ, CAREERBOT_TOP_K="many", CAREERBOT_STORE_DIR=str(tmp_path / "s"))
    p = run("ask", "hello?", env=env)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and "CAREERBOT_TOP_K must be a number" in p.stderr


def test_ask_json_answers_with_sources(guide_store_dir, capsys):
    code = main(["ask", "Which tool does the guide recommend for experiment tracking?", "--json",
                 "--store-dir", str(guide_store_dir)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) >= {"answer", "refused", "sources", "timings"}
    assert out["refused"] is False and "MLflow" in out["answer"]
    assert out["sources"] and out["sources"][0]["doc_id"] == GUIDE_ID
    assert set(out["sources"][0]) >= {"doc_id", "title", "section", "score"}
    assert set(out["timings"]) == {"retrieve_s", "generate_s", "total_s"}


def test_help_for_every_subcommand():
    for sub in ("ingest", "ask", "chat", "eval"):
        p = run(sub, "--help")
        assert p.returncode == 0 and "usage: careerbot" in p.stdout

def test_an_empty_store_says_to_ingest_instead_of_refusing(tmp_path, capsys):
    store = ["--store-dir", str(tmp_path / "s")]
    assert main(["ask", "What base salary can an entry-level ML engineer expect?", *store]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]  # after any progress bar of a model loaded in-process
    assert err.startswith("careerbot ask: No articles have been added yet") and "careerbot ingest" in err
    cases = tmp_path / "c.yaml"
    cases.write_text("cases:\n  - id: a\n    question: What is MLflow for?\n", encoding="utf-8")
    assert main(["eval", str(cases), *store]) == 1
    assert "the store is empty" in capsys.readouterr().err
