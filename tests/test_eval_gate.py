"""The evaluation sets as a gate: `make test` fails when answer quality regresses.

The floors are the level the default pipeline reaches today (README,
"Retrieval and answer quality"); raise them as it improves, never lower them
to pass. The default path quotes the articles, so the runs are deterministic.
"""

from __future__ import annotations

import pytest

from bot.eval.runner import run_files
from tests.conftest import ROOT

GATES = {
    # file: (floors for metrics that must stay at or above, ceiling for false refusals)
    "guide.yaml": ({"answer_pass_rate": 1.0, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                    "refusal_accuracy": 1.0}, 0.0),
    "heldout.yaml": ({"answer_pass_rate": 0.966, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                      "refusal_accuracy": 1.0}, 0.0),
    # Held-out 2 lost "how much should I tip a waiter in the US?" (now answered) when the similarity threshold
    # came down from 0.33 to 0.27, a trade measured over every labelled question (README, "What changed").
    "heldout2.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                       "refusal_accuracy": 0.9}, 0.0),
    # Sets 3 to 34 were each first run once, unseen (README: "Questions nobody had seen"); everything was then tuned on
    # all sets, these included.
    "heldout3.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                       "refusal_accuracy": 0.9}, 0.034),
    # Held-out 4 lost "how do people package a model up and run it at scale" (searched with "MLOps", it quoted
    # the MLOps tools, not Docker) to the glossary in session 5 (+25 -4); the sample questions brought it back.
    "heldout4.yaml": ({"answer_pass_rate": 0.95, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.93,
                       "refusal_accuracy": 1.0}, 0.0),
    "heldout5.yaml": ({"answer_pass_rate": 1.0, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                       "refusal_accuracy": 1.0}, 0.0),
    "heldout6.yaml": ({"answer_pass_rate": 1.0, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                       "refusal_accuracy": 1.0}, 0.0),
    "heldout7.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                       "refusal_accuracy": 1.0}, 0.0),
    "heldout8.yaml": ({"answer_pass_rate": 0.95, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                       "refusal_accuracy": 0.9}, 0.0),
    "heldout9.yaml": ({"answer_pass_rate": 1.0, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                       "refusal_accuracy": 1.0}, 0.0),
    "heldout10.yaml": ({"answer_pass_rate": 0.9, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.93,
                        "refusal_accuracy": 0.9}, 0.0),
    # Sets 11 and 12 (session 4) were first run unseen on 9679136: 0.875 and 0.825.
    "heldout11.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 1.0}, 0.0),
    "heldout12.yaml": ({"answer_pass_rate": 0.95, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 0.9}, 0.0),
    # Sets 13 and 14 were first run on f0aaf42 plus the deployment words: 0.875 and 0.775.
    "heldout13.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 0.9}, 0.0),
    "heldout14.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.0),
    # Sets 15 and 16 were first run on ee29275: 0.850 and 0.900; the similarity floor then came down to 0.22.
    "heldout15.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.034),
    "heldout16.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.0),
    # Sets 17 to 20 (session 5) were first run unseen on 0af2894: 0.850, 0.775, 0.775, 0.875.
    "heldout17.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 1.0}, 0.0),
    "heldout18.yaml": ({"answer_pass_rate": 0.9, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.034),
    "heldout19.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 1.0}, 0.0),
    "heldout20.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.0),
    # Sets 21 to 24 were first run unseen on c59f0a8: 0.950, 0.750, 0.875, 0.800; then the b4 / cover-letter /
    # "salary there" fixes (README).
    "heldout21.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.0),
    "heldout22.yaml": ({"answer_pass_rate": 0.85, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 0.8}, 0.034),
    "heldout23.yaml": ({"answer_pass_rate": 0.9, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 0.8}, 0.034),
    "heldout24.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 1.0}, 0.0),
    # Sets 25 and 26 were first run unseen on 4a17ac8's code; nothing was tuned on them: these are those figures.
    "heldout25.yaml": ({"answer_pass_rate": 0.85, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.067),
    "heldout26.yaml": ({"answer_pass_rate": 0.9, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 0.9}, 0.0),
    # Sets 27 to 30 (session 6) were first run unseen on 5d54b8a: 0.875, 0.950, 0.975, 0.950; then the sample
    # questions were built and tuned on all sets, these included.
    "heldout27.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 0.9}, 0.0),
    "heldout28.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 1.0}, 0.0),
    "heldout29.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 1.0}, 0.0),
    "heldout30.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.96,
                        "refusal_accuracy": 1.0}, 0.0),
    # Sets 31 to 34 were written before the sample questions and first run on the final code; nothing was
    # tuned on them: these are those figures (on 5d54b8a they passed 0.975, 0.900, 0.925, 0.850).
    "heldout31.yaml": ({"answer_pass_rate": 0.975, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.034),
    "heldout32.yaml": ({"answer_pass_rate": 0.95, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.0),
    "heldout33.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 0.93,
                        "refusal_accuracy": 0.9}, 0.0),
    "heldout34.yaml": ({"answer_pass_rate": 0.925, "retrieval_hit_rate": 1.0, "section_hit_rate": 1.0,
                        "refusal_accuracy": 1.0}, 0.067),
}


@pytest.mark.parametrize("name", sorted(GATES))
def test_evaluation_set_gate(guide_bot, name):
    floors, max_false_refusals = GATES[name]
    result = run_files([ROOT / "tests" / "prompts" / name], guide_bot, progress=False)
    s = result.summary
    low = {k: round(s[k], 3) for k, floor in floors.items() if s[k] < floor}
    failed = [(c["id"], c["failures"]) for c in result.failed]
    assert not low, f"below the gate: {low}; failing cases: {failed}"
    assert s["false_refusal_rate"] <= max_false_refusals, failed
    assert s["cases"] >= (40 if name == "guide.yaml" else 25)
