"""Checks and metrics, against hand-checked numbers."""

from __future__ import annotations

import pytest

from bot.eval.cases import Case
from bot.eval.checks import Outcome, check_case, citations_valid, contains, source_rank
from bot.eval.metrics import percentile, summarise
from bot.eval.runner import case_record

GUIDE = "how-to-become-an-ai-ml-engineer-2026"


def src(doc_id: str = GUIDE, section: str = "Salary Expectations > Entry Level (0-2 years)") -> dict:
    return {"doc_id": doc_id, "title": "t", "section": section, "score": 0.5}


@pytest.mark.parametrize(
    "text, entry, expected",
    [
        ("Base: $100,000 - $140,000", "100,000|100k", True),
        ("about 100K a year", "100,000|100k", True),
        ("BASE: $100,000", "base: $100,000", True),
        ("Use MLflow", "mlflow", True),
        ("Month 7\u20139: Specialize", "7-9", True),  # en dash in the answer
        ("about 90k", "100,000|100k", False),
        ("", "anything", False),
    ],
)
def test_contains(text: str, entry: str, expected: bool) -> None:
    assert contains(text, entry) is expected


def test_source_rank_equal_or_suffix() -> None:
    assert source_rank(["a", f"careers/{GUIDE}"], [GUIDE]) == 2
    assert source_rank([GUIDE], ["other", GUIDE]) == 1
    assert source_rank(["salary-guide"], [GUIDE]) is None
    assert source_rank([], [GUIDE]) is None


def test_answer_case_passes_and_fails_for_the_right_reasons() -> None:
    case = Case("s", "pay?", must_include=("100,000|100k", "140,000"), must_not_include=("nurse",), sources=(GUIDE,))
    good = Outcome("Base: $100,000 - $140,000", sources=[src()], retrieved=[src()])
    assert check_case(case, good) == []
    bad = Outcome("Base: $100,000. Or become a Nurse.", sources=[src(section="X")], retrieved=[src("blog")])
    assert check_case(case, bad) == [
        "missing '140,000'",
        "contains forbidden 'nurse'",
        "cites passages that were not retrieved: how-to-become-an-ai-ml-engineer-2026 > X",
        f"no retrieved passage from {GUIDE} (retrieved: blog)",
    ]


def test_refusals() -> None:
    refuse = Case("r", "capital of france?", expect="refuse")
    assert check_case(refuse, Outcome("I can only help with...", refused=True)) == []
    assert check_case(refuse, Outcome("Paris")) == ["expected a refusal, got an answer"]
    answer = Case("a", "pay?", must_include=("100,000",), sources=(GUIDE,))
    # a wrong refusal is one failure, not a list of missing facts; retrieval is still checked
    assert check_case(answer, Outcome("Sorry", refused=True, retrieved=[src()])) == ["expected an answer, got a refusal"]


def test_retrieval_only_ignores_text() -> None:
    case = Case("s", "pay?", must_include=("100,000",), sources=(GUIDE,))
    assert check_case(case, Outcome("", retrieved=[src()]), retrieval_only=True) == []
    assert check_case(case, Outcome("", retrieved=[src("x")]), retrieval_only=True) == [
        f"no retrieved passage from {GUIDE} (retrieved: x)"
    ]


def test_error_is_the_only_failure() -> None:
    assert check_case(Case("s", "q", must_include=("x",)), Outcome(error="LLMError: down")) == ["error: LLMError: down"]


def test_citation_validity() -> None:
    assert citations_valid(Outcome("x", sources=[src()], retrieved=[src(), src("b")])) is True
    assert citations_valid(Outcome("x", sources=[src("b")], retrieved=[src()])) is False
    assert citations_valid(Outcome("x", sources=[src()], retrieved=[src()]), retrieval_only=True) is None
    assert citations_valid(Outcome("x")) is None


def test_percentile_hand_checked() -> None:
    xs = [0.5, 3.0, 1.0, 2.0, 10.0]  # sorted: 0.5 1 2 3 10
    assert percentile(xs, 50) == 2.0
    assert percentile(xs, 95) == pytest.approx(3 + 0.8 * 7)  # position 3.8
    assert percentile([4.0], 95) == 4.0


def test_summary_hand_checked() -> None:
    cases = [
        (Case("a", "q", sources=(GUIDE,), tags=("salary",)), Outcome("ok", sources=[src()], retrieved=[src()],
                                                                     seconds=1.0)),
        (Case("b", "q", sources=(GUIDE,), tags=("salary",)), Outcome("ok", sources=[src("x")],
                                                                     retrieved=[src("x"), src("y"), src()],
                                                                     seconds=2.0)),
        (Case("c", "q", sources=(GUIDE,)), Outcome("", refused=True, retrieved=[src("x")], seconds=3.0)),
        (Case("d", "q", expect="refuse", tags=("refuse",)), Outcome("no", refused=True, seconds=4.0)),
        (Case("e", "q", expect="refuse", tags=("refuse",)), Outcome("Paris", seconds=5.0)),
        (Case("f", "q", tags=("salary",)), Outcome("ok", sources=[src("z")], retrieved=[src()], seconds=6.0)),
    ]
    records = [case_record(c, o) for c, o in cases]
    assert [r["passed"] for r in records] == [True, True, False, True, False, False]
    s = summarise(records)
    assert (s["cases"], s["passed"], s["failed"]) == (6, 3, 3)
    assert s["answer_pass_rate"] == 0.5
    assert s["n_retrieval"] == 3 and s["retrieval_hit_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["mrr"] == pytest.approx((1 + 1 / 3 + 0) / 3, abs=1e-4)
    assert s["refusal_accuracy"] == 0.5 and s["n_refuse"] == 2
    assert s["false_refusal_rate"] == 0.25 and s["n_answer"] == 4  # c refused of a, b, c, f
    assert s["citation_validity"] == pytest.approx(2 / 3, abs=1e-4)  # a, b valid; f cites an unretrieved passage
    assert s["p50_s"] == 3.5 and s["p95_s"] == pytest.approx(5.75)
    assert "reference_similarity" not in s
    salary = s["by_tag"]["salary"]
    assert (salary["cases"], salary["passed"], salary["retrieval_hit_rate"], salary["n_retrieval"]) == (3, 2, 1.0, 2)
    assert s["by_tag"]["refuse"]["refusal_accuracy"] == 0.5 and s["by_tag"]["refuse"]["n_retrieval"] == 0


def test_empty_groups_are_zero_with_zero_counts() -> None:
    s = summarise([case_record(Case("d", "q", expect="refuse"), Outcome("no", refused=True))])
    assert s["retrieval_hit_rate"] == 0.0 and s["n_retrieval"] == 0
    assert s["refusal_accuracy"] == 1.0 and s["false_refusal_rate"] == 0.0 and s["n_answer"] == 0


def test_sections_extension() -> None:
    case = Case("s", "pay?", sources=(GUIDE,), sections=("Entry Level|junior",))
    entry, conclusion = src(), src(section="Conclusion")
    ok = case_record(case, Outcome("", retrieved=[conclusion, entry]), retrieval_only=True)
    assert ok["passed"] and ok["section_rank"] == 2
    bad = case_record(case, Outcome("", retrieved=[conclusion]), retrieval_only=True)
    assert bad["failures"] == ["no retrieved section matching 'Entry Level|junior' (retrieved: Conclusion)"]
    s = summarise([ok, bad])
    assert (s["section_hit_rate"], s["section_mrr"], s["n_section"], s["retrieval_hit_rate"]) == (0.5, 0.25, 2, 1.0)


def test_citation_markers_past_the_sources_are_invalid() -> None:
    case = Case("m", "q")
    out = Outcome("MLflow [1]. Docker [3].", sources=[src()], retrieved=[src()])
    assert check_case(case, out) == ["cites [3] but has 1 source(s)"]
    assert citations_valid(out) is False
