"""The grounding check against the guide's own passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.compose.grounding import check_grounding, figures, names, remove_repetition

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


# -- figures bound to their subject, over the real guide's chunks ----------------------------------

def _guide_passages() -> list[str]:
    """The guide cleaned and chunked as ingest does (default 700 chars), as the pipeline passes them."""
    from ingest.chunk import chunk_document
    from ingest.clean import clean_lines

    title, blocks = clean_lines(GUIDE.splitlines(), flat=True)
    return [c.embed_text() for c in chunk_document("guide", title, blocks, 700)]


CHUNKS = _guide_passages()


def test_guide_chunks_hold_the_figures_the_cases_rely_on() -> None:
    joined = "\n\n".join(CHUNKS)
    for needed in ("Salary Expectations > Entry Level (0-2 years)\n- Base: $100,000 - $140,000",
                   "Higher starting salaries ($10-20k premium)", "- 3-6 months job searching and interviewing"):
        assert needed in joined


@pytest.mark.parametrize(
    "answer",
    [
        "An entry-level ML engineer earns a base salary of $10k.",  # what SmolLM2-135M said: one end of "$10-20k"
        "An entry-level base salary is $10-20k.",  # the range of the master's premium, not of the base
        "Entry-level base salary is $140,000 - $200,000.",  # the mid-level base
        "Entry-level total compensation is $100,000 - $140,000.",  # the entry-level base, not total comp
        "Senior engineers earn $180,000 - $280,000 in total comp.",  # the mid-level total comp
        "Expect 6-12 months of job searching.",  # the guide says 3-6 months for the job search
        "Build 2-3 end-to-end projects in months 1-3.",  # that is months 4-6
        "A master's degree adds a $10k premium.",  # one end of a range, not worded as a bound
        "Mid level:\n- Base: $100,000 - $140,000",  # the list's lead line says whose figure it is
    ],
)
def test_misplaced_figures_are_dropped(answer: str) -> None:
    r = check_grounding(answer, CHUNKS)
    assert r.dropped == [answer.splitlines()[-1]] and r.unsupported, r.kept_text


@pytest.mark.parametrize(
    "answer",
    [
        "Entry-level base salary is $100,000 - $140,000.",
        "An entry-level ML engineer earns $100k-$140k base, with total comp of $120k-$180k [1].",
        "A master's degree brings a $10-20k premium in starting salary.",
        "With a master's degree you can earn up to $20k more in starting salary.",
        "Entry-level base is $100k-$140k and mid-level base is $140k-$200k.",
        "Salaries range from $100,000 - $140,000 at entry level to $200,000 - $300,000 for seniors.",
        "Senior ML engineers earn a base of $200,000 - $300,000, and total comp reaches $450,000+.",
        "Junior engineers (0-2 years) earn a $100k-$140k base.",
        "Self-taught, plan 6-12 months for the foundations, then apply to 50+ positions.",
        "Build 2-3 end-to-end projects in months 4-6.",
        "Work toward top 10% finishes in Kaggle competitions.",
        "Entry Level (0-2 years):\n- Base: $100,000 - $140,000\n- Total Comp: $120,000 - $180,000",
    ],
)
def test_figures_said_of_their_own_subject_are_kept(answer: str) -> None:
    r = check_grounding(answer, CHUNKS)
    assert r.dropped == [] and r.kept_text == answer, r.unsupported


def test_a_generated_salary_answer_keeps_only_what_the_guide_says() -> None:
    # Shaped like SmolLM2-135M's answers: right figures, a misplaced one, an invented one.
    answer = ("As an entry-level ML engineer, you can expect a base salary of $100,000 - $140,000 [1]. "
              "Total compensation is $120,000 - $180,000. Mid-level engineers earn a base salary of $10k. "
              "With a master's degree you may start at $150,000.")
    r = check_grounding(answer, CHUNKS)
    assert r.kept_text == ("As an entry-level ML engineer, you can expect a base salary of $100,000 - $140,000 [1]. "
                           "Total compensation is $120,000 - $180,000.")
    assert r.unsupported == ["$10k", "$150,000"]
    assert r.ok  # 2 of 4 units kept


def test_section_titles_can_be_passed_separately() -> None:
    from ingest.chunk import chunk_document
    from ingest.clean import clean_lines

    title, blocks = clean_lines(GUIDE.splitlines(), flat=True)
    chunks = chunk_document("guide", title, blocks, 700)
    bodies, sections = [c.text for c in chunks], [c.section for c in chunks]
    for answer, kept in [("Entry-level base salary is $140,000 - $200,000.", False),
                         ("Mid-level base salary is $140,000 - $200,000.", True)]:
        assert (check_grounding(answer, bodies, sections=sections).dropped == []) is kept
        assert (check_grounding(answer, CHUNKS).dropped == []) is kept
    # Without the titles the body alone cannot tell entry from mid level ("- Base: ..." either way).
    assert check_grounding("Entry-level base salary is $140,000 - $200,000.", bodies).dropped == []
