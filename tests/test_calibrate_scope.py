"""scripts/calibrate_scope.py: its labelled questions, threshold swap and grid (no model, no store)."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.decide import scope
from bot.types import Turn

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "calibrate_scope.py"


@pytest.fixture(scope="module")
def cal() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibrate_scope", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate_scope"] = module
    spec.loader.exec_module(module)
    return module


def test_doctests(cal: ModuleType) -> None:
    result = doctest.testmod(cal, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_file_cases_keep_label_and_history(cal: ModuleType, tmp_path: Path) -> None:
    f = tmp_path / "set.yaml"
    f.write_text(
        "cases:\n"
        "  - {id: a, question: 'what salary for entry level?'}\n"
        "  - id: b\n"
        "    question: and in paris?\n"
        "    expect: refuse\n"
        "    history:\n"
        "      - {role: user, content: 'entry salary?'}\n"
        "      - {role: assistant, content: 'Base: $100,000 - $140,000'}\n",
        encoding="utf-8",
    )
    a, b = cal.file_cases([f])
    assert (a.id, a.refuse, a.history) == ("a", False, ())
    assert (b.id, b.refuse) == ("b", True)
    assert b.history == (Turn("user", "entry salary?"), Turn("assistant", "Base: $100,000 - $140,000"))


def test_default_files_are_all_labelled(cal: ModuleType) -> None:
    items = cal.file_cases(cal.DEFAULT_FILES)
    assert {i.group for i in items} == {f"tests/prompts/{p.name}" for p in cal.DEFAULT_FILES}
    assert any(i.refuse for i in items) and any(not i.refuse for i in items)
    assert any(i.history for i in items)


def test_thresholds_restored_after_an_error(cal: ModuleType) -> None:
    before = scope.decide_scope.__defaults__
    with pytest.raises(RuntimeError), cal.thresholds_in_effect(scope.ScopeThresholds(strong_dense=0.99)):
        assert scope.decide_scope.__defaults__[-1].strong_dense == 0.99
        raise RuntimeError("boom")
    assert scope.decide_scope.__defaults__ == before


def test_swapped_thresholds_change_the_decision(cal: ModuleType) -> None:
    from ingest.types import Chunk, Hit

    salary = Chunk("1", "g", "G", "Salary Expectations > Entry Level (0-2 years)", "- Base: $100,000 - $140,000")
    hits = [Hit(salary, 0.30)]
    assert scope.decide_scope("zzz qqq", hits).in_scope  # 0.30 >= the default strong_dense
    with cal.thresholds_in_effect(scope.ScopeThresholds(strong_dense=0.35, min_dense=0.33)):
        assert not scope.decide_scope("zzz qqq", hits).in_scope


def test_grid_is_sorted_with_defaults_in_it(cal: ModuleType) -> None:
    pts = cal.grid_points()
    assert all(t.min_dense <= t.strong_dense for t in pts)
    assert {t.strong_dense for t in pts} == {round(0.25 + i / 100, 2) for i in range(11)}
    assert {t.min_overlap for t in pts} == {0.5, 0.6}
