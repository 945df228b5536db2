"""The grounding check against the guide's own passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.grounding import check_grounding, figures, names, remove_repetition

GUIDE = (Path(__file__).resolve().parents[1] / "corpus" / "how-to-become-an-ai-ml-engineer-2026.txt").read_text()
SALARY = ["Salary Expectations > Entry Level (0-2 years)\n- Base: $100,000 - $140,000\n- Total Comp: $120,000 - $180,000"]
MLOPS = ["MLOps Tools\n- MLflow for experiment tracking\n- Kubeflow for ML pipelines\n- Feature stores (Feast, Tecton)"]


def test_invented_salary_is_dropped() -> None:
    # What SmolLM2-135M said with the salary section as context.
    r = check_grounding("An entry-level ML engineer earns a base salary of around $205,348 per year.", SALARY)
    assert r.kept_text == ""
    assert r.unsupported == ["$205,348"]
    assert not r.ok


@pytest.mark.parametrize(
    "answer",
    [
        "The base salary is $100,000 - $140,000.",
        "Entry-level base pay is $100k to $140k, and total comp $120k-$180k [1].",
        "- Base: 100,000-140,000 dollars",
        "Expect between $100K and $140K.",
    ],
)
def test_true_figures_in_other_notations_are_kept(answer: str) -> None:
    r = check_grounding(answer, SALARY)
    assert r.ok and r.dropped == [] and r.kept_text == answer


def test_mixed_answer_keeps_only_supported_sentences() -> None:
    answer = ("Track experiments with MLflow [1]. Weights & Biases is also popular. "
              "Kubeflow runs ML pipelines.\n- Use Airflow for scheduling\n- Feast is a feature store")
    r = check_grounding(answer, MLOPS)
    assert r.kept_text == "Track experiments with MLflow [1]. Kubeflow runs ML pipelines.\n- Feast is a feature store"
    assert r.unsupported == ["Biases", "Airflow"]  # "Weights" starts a sentence: not told from a word
    assert r.ok  # 3 of 5 units kept


def test_whole_guide_supports_its_own_claims() -> None:
    answer = ("Take Andrew Ng's Machine Learning Specialization on Coursera. Stanford, MIT and Carnegie Mellon "
              "have top programs. A master's adds a $10-20k premium. Self-taught, plan 6-12 months for the "
              "foundations, then apply to 50+ positions. Practise on LeetCode and Pramp. Aim for the top 10% on Kaggle.")
    r = check_grounding(answer, [GUIDE])
    assert r.dropped == [], r.unsupported
    assert r.ok


def test_names_not_in_the_guide_are_caught() -> None:
    r = check_grounding("Apply at Google and Meta. Learn JAX. Take the Udacity nanodegree.", [GUIDE])
    assert r.unsupported == ["Google", "Meta", "JAX", "Udacity"]
    assert r.kept_text == "" and not r.ok


def test_figures_and_names_extraction() -> None:
    assert [v for _, v in figures("$450,000+ and 3-6 months; 2-3 projects")] == [450000, 3, 6, 2, 3]
    assert names("Fix bugs in scikit-learn or PyTorch, and deploy on AWS SageMaker.") == ["PyTorch", "AWS", "SageMaker"]


def test_the_mlflow_loop_is_cut() -> None:
    looped = "Popular tools: " + ", ".join(["MLflow for data science"] * 12) + "."
    text, repeated = remove_repetition(looped)
    assert repeated and text.count("MLflow") == 1
    lines = "\n".join(["- MLflow for data science"] * 12)
    assert remove_repetition(lines) == ("- MLflow for data science", True)


def test_loop_then_check() -> None:
    looped = " ".join(["MLflow for experiment tracking."] * 10)
    r = check_grounding(looped, MLOPS)
    assert r.repeated and r.kept_text == "MLflow for experiment tracking." and r.ok
