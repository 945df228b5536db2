"""Reports, baseline comparison and the gates of `careerbot eval`, over a scripted bot.

The scripted bot implements the same two methods as bot.pipeline.Bot (answer,
retrieve_only) so the command's plumbing is tested without a model; the real
pipeline runs in tests/test_eval_integration.py.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.eval import command
from bot.eval.baseline import compare
from bot.eval.runner import run_files
from bot.settings import Settings
from bot.types import Answer, Source, Turn
from ingest.types import Chunk, Hit

GUIDE = "how-to-become-an-ai-ml-engineer-2026"
CASES = """
cases:
  - id: salary-entry
    question: entry salary?
    must_include: ["100,000|100k"]
    sources: [GUIDE_ID]
    tags: [salary]
  - id: mlops
    question: "mlops tools <script>alert(1)</script>?"
    must_include: [mlflow]
    sources: [GUIDE_ID]
    tags: [skills]
  - id: followup
    history: [{role: user, content: "entry salary?"}, {role: assistant, content: "$100,000"}]
    question: and mid level?
    must_include: ["200,000"]
    sources: [GUIDE_ID]
    tags: [salary, followup]
  - id: capital
    question: capital of france?
    expect: refuse
    tags: [refuse]
""".replace("GUIDE_ID", GUIDE)


def hit(section: str, text: str, score: float = 0.6, doc_id: str = GUIDE) -> Hit:
    return Hit(Chunk(f"{doc_id}-{section}", doc_id, "Guide", section, text), score)


class ScriptedBot:
    """Answers from a table: question -> (text, refused, hits)."""

    def __init__(self, table: dict[str, tuple[str, bool, list[Hit]]]) -> None:
        self.table = table
        self.calls: list[tuple[str, str, tuple[Turn, ...]]] = []

    def _reply(self, method: str, question: str, history: Sequence[Turn]) -> Answer:
        self.calls.append((method, question, tuple(history)))
        text, refused, hits = self.table[question]
        return Answer(text if method == "answer" else "", refused=refused, hits=hits,
                      sources=[Source.from_hit(h) for h in hits], mode="refused" if refused else "generated")

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return self._reply("answer", question, history)

    def retrieve_only(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return self._reply("retrieve_only", question, history)


SALARY = hit("Salary Expectations > Entry Level (0-2 years)", "- Base: $100,000 - $140,000")
MID = hit("Salary Expectations > Mid Level (3-5 years)", "- Base: $140,000 - $200,000")
MLOPS = hit("Required Skills > MLOps and Production Skills > MLOps Tools", "- MLflow for experiment tracking")

GOOD = {
    "entry salary?": ("Entry level base is $100,000 - $140,000.", False, [SALARY]),
    "mlops tools <script>alert(1)</script>?": ("Use MLflow.", False, [MLOPS]),
    "and mid level?": ("Mid level base is $140,000 - $200,000.", False, [MID, SALARY]),
    "capital of france?": ("I can only answer questions about the articles.", True, [hit("Conclusion", "x", 0.1)]),
}
WORSE = {
    **GOOD,
    "and mid level?": ("Mid level pays more.", False, [hit("Intro", "x", 0.3, "blog"), MID]),
    "capital of france?": ("Paris.", False, []),
}


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    p = tmp_path / "dev.yaml"
    p.write_text(CASES, encoding="utf-8")
    return p


def args_for(files: list[Path], **kw: object) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    argv = ["eval", *map(str, files)]
    for k, v in kw.items():
        flag = "--" + k.replace("_", "-")
        argv += [flag] if v is True else [flag, str(v)]
    return parser.parse_args(argv)


def run_cmd(files: list[Path], table: dict, **kw: object) -> int:
    return command.run(args_for(files, no_progress=True, **kw), Settings(), make_bot=lambda s: ScriptedBot(table))


def test_run_files_passes_history_and_scores(cases_file: Path) -> None:
    bot = ScriptedBot(WORSE)
    result = run_files([cases_file], bot, progress=False)
    assert ("answer", "and mid level?", (Turn("user", "entry salary?"), Turn("assistant", "$100,000"))) in bot.calls
    out = result.to_json()
    assert [c["id"] for c in out["cases"]] == ["salary-entry", "mlops", "followup", "capital"]
    assert [c["passed"] for c in out["cases"]] == [True, True, False, False]
    follow = out["cases"][2]
    assert follow["failures"] == ["missing '200,000'"] and follow["source_rank"] == 2
    assert set(follow) >= {"id", "question", "answer", "refused", "sources", "passed", "failures", "seconds"}
    assert set(follow["sources"][0]) >= {"doc_id", "section", "score"}
    s = out["summary"]
    assert (s["cases"], s["answer_pass_rate"], s["retrieval_hit_rate"], s["refusal_accuracy"]) == (4, 0.5, 1.0, 0.0)
    assert s["mrr"] == pytest.approx((1 + 1 + 0.5) / 3, abs=1e-4)


def test_retrieval_only_never_calls_answer(cases_file: Path) -> None:
    bot = ScriptedBot(GOOD)
    result = run_files([cases_file], bot, retrieval_only=True, progress=False)
    assert {m for m, _, _ in bot.calls} == {"retrieve_only"}
    assert result.summary["retrieval_only"] is True and result.summary["passed"] == 4


def test_writes_all_four_outputs(tmp_path: Path, cases_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, rep = tmp_path / "out" / "run.json", tmp_path / "rep"
    assert run_cmd([cases_file], WORSE, json=out, report=rep) == 0  # no gate given: exit 0
    stdout = capsys.readouterr().out
    assert stdout.strip().splitlines()[-1] == "eval: 2 passed, 2 failed"
    assert "FAIL followup: missing '200,000'" in stdout

    data = json.loads(out.read_text())
    assert [c["id"] for c in data["cases"]] == ["salary-entry", "mlops", "followup", "capital"]

    page = (rep / "report.html").read_text()
    for cid in ("salary-entry", "mlops", "followup", "capital"):
        assert f"case-{cid}" in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # escaped, and no scripts of our own
    assert "http://" not in page and "https://" not in page  # nothing to fetch: works offline
    assert page.count("class='fail'") == 2 + 2  # table rows and answer panels of the two failures
    assert "Mid level pays more." in page and "Salary Expectations &gt; Mid Level (3-5 years)" in page

    md = (rep / "report.md").read_text()
    assert "eval: 2 passed, 2 failed" in md and "| followup | **FAIL** |" in md

    root = ET.parse(rep / "junit.xml").getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == 4 and root.get("failures") == "2"
    failed = [tc.get("name") for tc in cases if tc.find("failure") is not None]
    assert failed == ["followup", "capital"]
    assert "expected a refusal" in cases[3].find("failure").get("message")


@pytest.mark.parametrize(
    "gates, code, message",
    [
        ({"min_pass": 0.5, "min_hit": 1.0}, 0, ""),
        ({"min_pass": 0.75}, 1, "gate failed: answer_pass_rate 0.500 is below --min-pass 0.750"),
        ({"min_refusal": 1.0}, 1, "gate failed: refusal_accuracy 0.000 is below --min-refusal 1.000"),
    ],
)
def test_gates(cases_file: Path, capsys: pytest.CaptureFixture[str], gates: dict, code: int, message: str) -> None:
    assert run_cmd([cases_file], WORSE, **gates) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_gate_on_a_metric_with_no_case_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "only-refuse.yaml"
    p.write_text("cases:\n  - {id: capital, question: \"capital of france?\", expect: refuse}\n")
    assert run_cmd([p], GOOD, min_hit=0.5) == 1
    assert "retrieval_hit_rate: no case to measure it" in capsys.readouterr().err


def test_baseline_diff(tmp_path: Path, cases_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.json"
    assert run_cmd([cases_file], GOOD, json=old) == 0
    capsys.readouterr()
    new, rep = tmp_path / "new.json", tmp_path / "rep"
    assert run_cmd([cases_file], WORSE, json=new, report=rep, baseline=old) == 0
    out = capsys.readouterr().out
    assert f"baseline {old}: 0 fixed, 2 broken, 0 added, 0 removed" in out
    assert "  broken: followup, capital" in out
    assert "answer_pass_rate 1.000 -> 0.500 (-0.500)" in out
    diff = json.loads(new.read_text())["baseline"]
    assert diff["broken"] == ["followup", "capital"] and diff["metrics"]["refusal_accuracy"]["better"] is False
    assert "Compared with the baseline" in (rep / "report.html").read_text()
    assert "broken: followup, capital" in (rep / "report.md").read_text()


def test_compare_added_removed_and_repeated_ids() -> None:
    old = {"summary": {}, "cases": [{"id": "a", "passed": True, "file": "x.yaml"},
                                    {"id": "a", "passed": True, "file": "y.yaml"},
                                    {"id": "gone", "passed": True}]}
    new = {"summary": {}, "cases": [{"id": "a", "passed": False, "file": "x.yaml"},
                                    {"id": "a", "passed": True, "file": "y.yaml"},
                                    {"id": "new", "passed": False}]}
    d = compare(old, new)
    assert (d["broken"], d["fixed"], d["added"], d["removed"]) == (["x.yaml:a"], [], ["new"], ["gone"])


def test_bot_that_raises_is_a_failed_case_not_a_crash(cases_file: Path) -> None:
    class Broken(ScriptedBot):
        def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
            raise RuntimeError("model server went away")

    result = run_files([cases_file], Broken(GOOD), progress=False)
    assert result.summary["passed"] == 0
    assert result.cases[0]["failures"] == ["error: RuntimeError: model server went away"]
