"""A made-up employee handbook of a small observatory, over a real store: Jekyll pages with front matter and the
site's own Liquid tags, benefits it offers and ones it never mentions, figures and dates asked of things it never
names, paid time off asked in pay words, a list led in by a long sentence, a follow-up about "that", a question
about careerbot itself.

All ten fail on dc7f5a1, before these rules: `policy.about_careerbot`, the Liquid tag's quoted text
(`mdsource._shortcode`), `policy.unknown_asked`, the thing a price or a date is asked of (`forms.asked_head`), the
far things of `policy.unknown_offer`, paid time off in `scope._USER_PAYS`, the frequency form of `forms.FORMS`,
lead-ins up to `extractive.LEAD_IN_MAX` (and before a small list quoted as one line), and the fillers of
`followup.is_followup` with "paid out" no pay (`forms.asks_pay`). Real components: the packaged embedder, a
temporary Chroma folder, the CLI's ingest path.
"""

from __future__ import annotations

import textwrap

import pytest

from bot.types import Turn
from tests.conftest import bot_over

BENEFITS = textwrap.dedent("""\
    ---
    title: Benefits at the Observatory
    keywords: benefits, perks, insurance
    ---

    The observatory offers dental insurance and vision insurance to every staff member from their first day.

    ## Telescope time

    Every staff member can book two nights of telescope time each quarter for their own research.

    ## Travel

    Staff who travel to a conference book flights and hotels through the front office, and keep their receipts
    for meals. A conference that costs less than $1,500 needs one week's notice. Every trip comes out of the team's
    conference budget.

    ## Books

    Each staff member has a book allowance of $300 a year for star atlases and field guides.

    ## Getting help

    Questions about benefits go to {% slack_channel "benefits-desk" %} or to the front office.
    """)

LEAVE = textwrap.dedent("""\
    ---
    title: Leave and time off
    ---

    ## Jury duty

    You receive up to 10 paid days of court leave each year for jury duty. Record it in StarClock
    with code 61.

    ## Storm days

    You can receive ad hoc "Storm Safety Leave" from the director if you are prevented from safely working because
    of an unexpected event such as:

    * A blizzard that closes the mountain road to the observatory
    * A lightning storm that shuts the domes and the power to the control room

    ## Reviews

    Performance reviews are held twice a year, in March and in September.

    ## Payroll

    Pay is deposited into your bank account. The payroll office closes on Monday, 4 January, for its yearly audit.
    """)

AWARDS = textwrap.dedent("""\
    ---
    title: Awards
    ---

    ## Discovery awards

    A staff member who finds a new comet can receive a discovery award of up to 40 hours of time off.

    The discovery awards are paid out in January, after the director has read every report.
    """)


@pytest.fixture(scope="module")
def handbook(tmp_path_factory, embedder):
    return bot_over(tmp_path_factory, embedder, "observatory",
                    {"benefits.md": BENEFITS, "leave.md": LEAVE, "awards.md": AWARDS})


def test_what_careerbot_can_help_with_is_what_its_articles_cover(handbook):
    a = handbook.answer("hi! what can you help me with?")
    assert a.refused and a.sources == [] and "what I can help with" in a.text, (a.text, a.why)
    assert "Benefits at the Observatory" in a.text and "AI/ML" not in a.text, a.text
    assert a.why == ["declined: the question asks what careerbot can answer"], a.why


def test_a_sites_own_liquid_tag_keeps_its_quoted_text(handbook):
    texts = "\n".join(c.text for c in handbook.retriever.passages())
    assert "benefits-desk" in texts and "{%" not in texts and "slack_channel" not in texts, texts
    a = handbook.answer("where do I ask questions about my benefits?")
    assert not a.refused and "benefits-desk" in a.text, (a.text, a.why)


def test_a_benefit_asked_to_be_offered_that_the_handbook_never_names_is_declined(handbook):
    a = handbook.answer("Does the observatory offer pet insurance?")
    assert a.refused and "pet insurance" in a.text, (a.text, a.why)
    b = handbook.answer("does the observatory offer dental insurance?")
    assert not b.refused and "dental insurance" in b.text, (b.text, b.why)


def test_a_figure_asked_of_a_thing_the_handbook_never_names_is_declined(handbook):
    a = handbook.answer("What's the per diem rate for meals when I travel to a conference?")
    assert a.refused and "per diem rate" in a.text, (a.text, a.why)
    assert any(w.startswith("declined: the articles never mention") for w in a.why), a.why


def test_a_price_asked_of_a_thing_is_read_from_a_money_line_naming_it(handbook):
    a = handbook.answer("how much is my book allowance each year?")
    assert not a.refused and "$300" in a.text, (a.text, a.why)
    b = handbook.answer("how much money is in my conference budget each year?")
    assert b.refused and "price" in b.text, (b.text, b.why)


def test_a_date_asked_of_a_thing_is_read_from_a_line_naming_it(handbook):
    a = handbook.answer("what day of the week does my paycheck hit my bank account?")
    assert a.refused and "date" in a.text, (a.text, a.why)
    b = handbook.answer("when does the payroll office close for its audit?")
    assert not b.refused and "4 January" in b.text, (b.text, b.why)


def test_paid_days_off_are_no_question_about_pay(handbook):
    a = handbook.answer("how many paid days do I get for jury duty, and what code do I use in StarClock?")
    assert not a.refused and "10 paid days" in a.text and "61" in a.text, (a.text, a.why)


def test_how_often_needs_a_frequency_in_the_lines_quoted(handbook):
    a = handbook.answer("how often are performance reviews held?")
    assert not a.refused and "twice a year" in a.text, (a.text, a.why)
    b = handbook.answer("how often do I get a discovery award?")
    assert b.refused and "frequency" in b.text, (b.text, b.why)


def test_a_list_is_quoted_with_the_long_sentence_leading_in_to_it(handbook):
    a = handbook.answer("the mountain road is closed by a blizzard and I can't get in, what leave applies?")
    assert not a.refused and "Storm Safety Leave" in a.text and "blizzard" in a.text, (a.text, a.why)


def test_when_does_that_usually_get_paid_out_follows_the_last_question(handbook):
    history = [Turn("user", "How big is the discovery award for finding a comet?"),
               Turn("assistant", "Up to 40 hours of time off.")]
    a = handbook.answer("when does that usually get paid out?", history)
    assert "discovery award" in a.query, a.query  # read with the question before it
    assert not a.refused and "January" in a.text, (a.query, a.text, a.why)
