"""The development set as a gate: `make test` fails when answer quality regresses.

The thresholds are the level the default pipeline reaches today (README,
"Evaluating answers"); raise them as it improves, never lower them to pass.
"""

from __future__ import annotations

from bot.eval.runner import run_files
from tests.conftest import ROOT

GATE = {
    "answer_pass_rate": 0.80,
    "retrieval_hit_rate": 1.0,
    "section_hit_rate": 0.95,
    "refusal_accuracy": 1.0,
}
MAX_FALSE_REFUSALS = 0.05


def test_development_set_gate(guide_bot):
    result = run_files([ROOT / "tests" / "prompts" / "guide.yaml"], guide_bot, progress=False)
    s = result.summary
    assert s["cases"] >= 40
    low = {k: round(s[k], 3) for k, floor in GATE.items() if s[k] < floor}
    failed = [(c["id"], c["failures"]) for c in result.failed]
    assert not low, f"below the gate: {low}; failing cases: {failed}"
    assert s["false_refusal_rate"] <= MAX_FALSE_REFUSALS, failed
