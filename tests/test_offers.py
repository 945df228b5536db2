"""Benefits a handbook never offers are declined, not answered with the benefits it does offer, over a real store
of a small made-up benefits page: "does the company offer pet insurance?" names nothing the handbook does; "do
they offer health insurance?" names its health cover, and "is there a framework or something?" asks for a kind of help,
not a thing offered.

The declining test fails on bca801c, before the `offer` rule. Real components: the packaged embedder, a temporary
Chroma folder, the CLI's ingest path.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import bot_over

BENEFITS = textwrap.dedent("""\
    ---
    title: Benefits
    description: What the company offers its employees
    ---
    # Benefits

    ## Health

    We cover 100% of medical, dental and vision premiums for employees and 80% for dependants.

    ## Time off

    - Vacation: 25 days a year, plus public holidays
    - Parental leave: 16 weeks fully paid
    - Sick days: unlimited, with a note after 5 days in a row

    ## Learning

    Each employee has a learning budget of $1,500 a year for books, courses and conferences.

    ## Equipment

    You get a laptop of your choice and $500 for your home office.
    """)


@pytest.fixture(scope="module")
def handbook(tmp_path_factory, embedder):
    return bot_over(tmp_path_factory, embedder, "benefits", {"benefits.md": BENEFITS})


@pytest.mark.parametrize("question, never", [
    ("does the company offer pet insurance?", "pet insurance"),
    ("is there a gym membership or a wellness stipend?", "gym membership or wellness stipend"),
])
def test_a_benefit_the_handbook_never_names_is_declined(handbook, question, never):
    a = handbook.answer(question)
    assert a.refused and f"never mention {never}" in a.text, (a.text, a.why)


@pytest.mark.parametrize("question, said", [
    ("do they offer health insurance?", "dental"),
    ("do we get a laptop?", "laptop of your choice"),
    ("to keep learning on the job, is there a framework or something?", "learning budget"),
])
def test_a_benefit_the_handbook_names_is_answered(handbook, question, said):
    a = handbook.answer(question)
    assert not a.refused and said in a.text, (a.text, a.why)
