"""Follow-ups along an article's own order, and cells a named row does not have, over a real store of a small
made-up curriculum: "what comes after that one?" is the next row of the table the last answer was about (or the
next numbered section), "the first one" the first row it named; a column the named row has no cell in is
declined, not answered from the rows beside it; earning a degree is no question about pay; hours of another kind
("hours/week") give no count of credit hours; a document the question asks as its source ("what does the license say?") is quoted alone; what a question puts
aside ("apart from wool") is not quoted.

Each test fails on fba958e, before these behaviours (the credit-hours test on 622188c, the source-document test on f2521ec, the other table's column on 4427f21, the put-aside test on 2846e9d). Real components: the packaged embedder, a temporary Chroma
folder, the CLI's ingest path.
"""

from __future__ import annotations

import textwrap

import pytest

from bot.types import Turn
from tests.conftest import bot_over

CURRICULUM = textwrap.dedent("""\
    # Weaving School

    ## Courses

    Take the courses in order, from top to bottom.

    | Course | Duration | Effort | Prerequisites | Discussion |
    |---|---|---|---|---|
    | Plain Weave Basics | 4 weeks | 3 hours/week | none | forum |
    | Twill Patterns Workshop | 6 weeks | 4 hours/week | Plain Weave Basics | forum |
    | Tapestry Colour Theory | | | Twill Patterns Workshop | forum |
    | Rug Knotting Studio | 8 weeks | 5 hours/week | Tapestry Colour Theory | forum |

    ## Weekend workshops

    | Workshop | Room | Length |
    |---|---|---|
    | Natural Dyeing Day | Room 2 | one day |
    | Inkle Band Weaving | Room 3 | two days |

    ## Yarns

    - Wool: warm, springy, forgiving for beginners
    - Cotton: strong, for tea towels
    - Linen: crisp, for table runners
    - Silk: fine, for scarves

    ## Loom set-up

    ### 1. Warping the Loom

    Measure the warp threads on the warping board and tie a cross at one end.

    ### 2. Threading the Heddles

    Pass each warp thread through its heddle eye in the order of the draft.

    ### 3. Tying On the Front

    Tie the threads to the front apron rod in small bundles under even tension.

    ## Certificates

    The Weaving School gives no degree; it is not an accredited school, and it charges nothing for its courses.
    """)


LICENCE = textwrap.dedent("""\
    MIT License

    Copyright (c) 2024 The Weaving School

    Permission is hereby granted, free of charge, to any person obtaining a copy of these notes, to deal in them
    without restriction, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all copies or substantial portions.

    THE NOTES ARE PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
    """)


@pytest.fixture(scope="module")
def school(tmp_path_factory, embedder):
    return bot_over(tmp_path_factory, embedder, "weaving", {"curriculum.md": CURRICULUM, "LICENSE": LICENCE})


def test_what_comes_after_the_row_the_last_answer_was_about_is_the_next_row(school):
    history = [Turn("user", "what's the first course?"),
               Turn("assistant", "Plain Weave Basics: 4 weeks at 3 hours/week, with no prerequisites.")]
    a = school.answer("ok and what comes after that one?", history)
    assert not a.refused and "Twill Patterns Workshop — Duration: 6 weeks" in a.text, (a.text, a.why)
    history = [Turn("user", "what's the last course?"), Turn("assistant", "Rug Knotting Studio: 8 weeks.")]
    b = school.answer("and which comes before it?", history)
    assert not b.refused and "Tapestry Colour Theory — " in b.text, (b.text, b.why)


def test_an_ordinal_pointer_reads_that_row_of_the_last_answer(school):
    history = [Turn("user", "which courses need another course first?"),
               Turn("assistant", "Twill Patterns Workshop: 6 weeks, Tapestry Colour Theory: no duration given, and "
                                 "Rug Knotting Studio: 8 weeks.")]
    a = school.answer("what's the prereq for the first one?", history)
    assert not a.refused and "Twill Patterns Workshop — " in a.text and "Plain Weave Basics" in a.text, a.text
    rows = [ln for ln in a.text.splitlines() if " — Duration" in ln or " — Prerequisites" in ln]
    assert "Twill Patterns Workshop" in rows[0], a.text


def test_what_comes_after_a_numbered_section_is_the_next_section(school):
    history = [Turn("user", "how do I start?"),
               Turn("assistant", "Warping the Loom: measure the warp threads on the warping board and tie a cross.")]
    a = school.answer("ok, what comes right after that?", history)
    assert not a.refused and "heddle eye" in a.text, (a.text, a.why)


def test_a_column_the_named_row_has_no_cell_in_is_declined(school):
    a = school.answer("How many weeks does Tapestry Colour Theory take?")
    assert a.refused and "no duration for Tapestry Colour Theory" in a.text, (a.text, a.why)
    b = school.answer("How many weeks does the Twill Patterns Workshop take?")
    assert not b.refused and "6 weeks" in b.text, (b.text, b.why)
    c = school.answer("what are the prerequisites for Plain Weave Basics?")  # "none" answers
    assert not c.refused and "Prerequisites: none" in c.text, (c.text, c.why)
    d = school.answer("which room is the Twill Patterns Workshop held in?")  # a column of another table
    assert d.refused and "no room for Twill Patterns Workshop" in d.text, (d.text, d.why)


def test_earning_a_degree_is_no_question_about_pay(school):
    a = school.answer("Can I earn a recognized degree from the Weaving School when I'm done?")
    assert not a.refused and "no degree" in a.text, (a.text, a.why)


def test_a_count_of_units_of_another_kind_is_declined(school):
    a = school.answer("How many credit hours is the Twill Patterns Workshop worth?")  # its hours are hours/week
    assert a.refused and "give no number" in a.text, (a.text, a.why)
    b = school.answer("How many hours a week is the Twill Patterns Workshop?")
    assert not b.refused and "4 hours/week" in b.text, (b.text, b.why)


def test_a_document_the_question_asks_as_its_source_is_quoted_alone(school):
    # most of the question's words are the curriculum's; "license" names where the answer is
    a = school.answer("if i put the weaving school's loom set-up steps on my blog, what does the license say i must "
                      "keep?")
    assert not a.refused and {s.doc_id for s in a.sources} == {"LICENSE"}, (a.text, a.why)


def test_what_the_question_puts_aside_is_not_quoted(school):
    a = school.answer("apart from wool, which yarns does the school use?")
    lines = [ln for ln in a.text.splitlines() if ln.startswith("- ")]
    assert not a.refused and "Silk" in a.text and not any("Wool" in ln for ln in lines), a.text
