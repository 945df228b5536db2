"""Loading and validating evaluation files: every problem names the file, the case and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.eval.cases import CaseFileError, load_files, parse_cases
from bot.types import Turn

GOOD = """
cases:
  - id: salary-entry
    question: "What base salary can an entry-level ML engineer expect?"
    history:
      - {role: user, content: "hi"}
      - {role: assistant, content: "hello"}
    must_include: ["100,000|100k", "140,000|140k"]
    must_not_include: [nurse]
    sources: [how-to-become-an-ai-ml-engineer-2026]
    tags: [salary]
    reference: "Base: $100,000 - $140,000"
  - id: capital
    question: capital of france?
    expect: refuse
"""


def write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def errors_of(tmp_path: Path, text: str) -> list[str]:
    p = write(tmp_path, text)
    with pytest.raises(CaseFileError) as e:
        load_files([p])
    return e.value.errors


def test_loads_every_field(tmp_path: Path) -> None:
    a, b = load_files([write(tmp_path, GOOD)])
    assert a.id == "salary-entry" and a.expect == "answer"
    assert a.history == (Turn("user", "hi"), Turn("assistant", "hello"))
    assert a.must_include == ("100,000|100k", "140,000|140k") and a.must_not_include == ("nurse",)
    assert a.sources == ("how-to-become-an-ai-ml-engineer-2026",) and a.tags == ("salary",)
    assert a.reference == "Base: $100,000 - $140,000" and a.file.endswith("cases.yaml") and a.line == 3
    assert (b.id, b.expect, b.history, b.must_include) == ("capital", "refuse", (), ())


def test_unknown_key_names_file_case_and_suggestion(tmp_path: Path) -> None:
    errs = errors_of(tmp_path, "cases:\n  - id: a\n    question: q\n    must_inclde: [x]\n")
    assert len(errs) == 1
    assert errs[0].endswith("cases.yaml: case 'a' (line 2): unknown key 'must_inclde' (did you mean 'must_include'?)")


def test_missing_question(tmp_path: Path) -> None:
    errs = errors_of(tmp_path, "cases:\n  - id: ok\n    question: q\n  - id: b\n    tags: [x]\n")
    assert errs == [f"{tmp_path / 'cases.yaml'}: case 'b' (line 4): missing question"]


def test_duplicate_id(tmp_path: Path) -> None:
    errs = errors_of(tmp_path, "cases:\n  - {id: a, question: one}\n  - {id: a, question: two}\n")
    assert errs == [f"{tmp_path / 'cases.yaml'}: case 'a' (line 3): duplicate id (first used at line 2)"]


def test_bad_yaml_gives_line(tmp_path: Path) -> None:
    errs = errors_of(tmp_path, "cases:\n  - id: a\n    question: [unclosed\n")
    assert len(errs) == 1 and "cases.yaml: line" in errs[0] and "bad YAML" in errs[0]


def test_key_given_twice_is_an_error(tmp_path: Path) -> None:
    errs = errors_of(tmp_path, "cases:\n  - id: a\n    question: one\n    question: two\n")
    assert "key 'question' given twice" in errs[0]


@pytest.mark.parametrize(
    "case, problem",
    [
        ("{question: q}", "case #1 (line 2): missing id"),
        ("{id: a, question: q, expect: maybe}", "case 'a' (line 2): expect must be 'answer' or 'refuse', not 'maybe'"),
        ("{id: a, question: '  '}", "case 'a' (line 2): question must be a non-empty string"),
        ("{id: a, question: q, must_include: [1]}", "must_include must be a list of strings, item 1 is 1"),
        ("{id: a, question: q, must_include: ['a|']}", "has an empty alternative"),
        ("{id: a, question: q, history: [{role: bot, content: x}]}", "role must be 'user' or 'assistant'"),
        ("{id: a, question: q, history: 'hi'}", "history must be a list"),
        ("just a string", "case #1 (line 2): must be a mapping"),
    ],
)
def test_case_problems(tmp_path: Path, case: str, problem: str) -> None:
    errs = errors_of(tmp_path, f"cases:\n  - {case}\n")
    assert len(errs) == 1 and problem in errs[0] and errs[0].startswith(str(tmp_path / "cases.yaml"))


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "expected a mapping with a 'cases' list"),
        ("- {id: a, question: q}", "expected a mapping with a 'cases' list"),
        ("cases: []", "'cases' must be a non-empty list"),
        ("cases:\n  - {id: a, question: q}\nextra: 1", "unknown top-level key 'extra'"),
    ],
)
def test_file_problems(tmp_path: Path, text: str, problem: str) -> None:
    errs = errors_of(tmp_path, text)
    assert any(problem in e for e in errs)


def test_every_problem_of_every_file_is_reported(tmp_path: Path) -> None:
    a = write(tmp_path, "cases:\n  - {id: a}\n  - {id: b, question: q, colour: red}\n", "a.yaml")
    b = write(tmp_path, "cases: [", "b.yaml")
    with pytest.raises(CaseFileError) as e:
        load_files([a, b, tmp_path / "missing.yaml"])
    errs = e.value.errors
    assert len(errs) == 4
    assert "a.yaml: case 'a'" in errs[0] and "missing question" in errs[0]
    assert "a.yaml: case 'b'" in errs[1] and "unknown key 'colour'" in errs[1]
    assert "b.yaml" in errs[2] and "bad YAML" in errs[2]
    assert errs[3].endswith("missing.yaml: no such file")


def test_same_id_in_two_files_is_fine(tmp_path: Path) -> None:
    a = write(tmp_path, "cases:\n  - {id: x, question: q}\n", "a.yaml")
    b = write(tmp_path, "cases:\n  - {id: x, question: q}\n", "b.yaml")
    assert [c.file for c in load_files([a, b])] == [str(a), str(b)]


def test_numeric_id_is_a_string() -> None:
    assert parse_cases("cases:\n  - {id: 7, question: q}\n")[0].id == "7"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cases:\n  - {id: a, question: q, colour: red}\n", "case 'a' (line 2): unknown key 'colour'"),
        ("cases:\n  - {id: a}\n", "case 'a' (line 2): missing question"),
        ("cases:\n  - {id: a, question: q}\n  - {id: a, question: r}\n", "case 'a' (line 3): duplicate id"),
        ("cases: [\n", "bad YAML"),
    ],
)
def test_cli_exit_2_with_one_line_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              text: str, expected: str) -> None:
    p = write(tmp_path, text)
    code = main(["eval", str(p), "--store-dir", str(tmp_path / "store")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"careerbot eval: {p}") and expected in lines[0]
    assert not (tmp_path / "store").exists()  # rejected before any bot was built


def test_cli_bad_flags_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = write(tmp_path, GOOD)
    with pytest.raises(SystemExit) as e:
        main(["eval", str(p), "--min-pass", "1.5"])
    assert e.value.code == 2 and "between 0 and 1" in capsys.readouterr().err
    assert main(["eval", str(p), "--tag", "nope"]) == 2
    assert "no case has the tag nope" in capsys.readouterr().err
    assert main(["eval", str(p), "--baseline", str(tmp_path / "old.json")]) == 2
    assert "old.json: no such file" in capsys.readouterr().err
    (tmp_path / "old.json").write_text("{not json", encoding="utf-8")
    assert main(["eval", str(p), "--baseline", str(tmp_path / "old.json")]) == 2
    assert "not JSON" in capsys.readouterr().err
