"""A made-up site of pages written to one template, over a real store: a page per level with the same sections
(the level named only in its title), an HTML table of time split with a cell spanning rows and no header row,
levels as numbered sections of one page, a FAQ of bold questions, Hugo shortcodes, a two-sided table, a
follow-up moving up or down the ladder, two pages compared.

The first seven fail on 349eb2b, before these rules (the title in BM25 and `Bot._titled`, `html_table`, the
"%" check in `policy.unknown_figures`, `Bot._numbered` and `extractive.differing`, the loader's FAQ, shortcode and
two-sided table rules, the ladder's role slot in `scope._ROLE_SLOTS`); the next-level test fails without
`Bot._level_along`, the comparison test without `extractive.sides`. Real components: the packaged embedder, a
temporary Chroma folder, the CLI's ingest path.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import bot_over


def level_page(title: str, core: str, other: str, tenure: str, duties: str, traits: list[str]) -> str:
    trait_lines = "\n".join(f"* **{t}**: shown every season." for t in traits)
    return textwrap.dedent(f"""\
        ---
        title: "{title}"
        weight: 1
        ---

        ## Core Duties

        * {duties}
        * You keep the tool shed in order and log what you borrow.

        ## Traits

        {{trait_lines}}

        ## Time Split
        As a rough guide, your time is split in the following proportions.
        <table>
        <tbody>
          <tr>
            <td rowspan="2">Split of time in the role</td>
            <td><span style="font-weight:bold">Core</span>: {core}</td>
          </tr>
          <tr>
            <td><span style="font-weight:bold">Other</span>: {other}</td>
          </tr>
          <tr>
            <td>Approximate Tenure in this role</td>
            <td>{tenure}</td>
          </tr>
        </tbody>
        </table>
        """).replace("{trait_lines}", trait_lines)


LADDER = textwrap.dedent("""\
    # Grower Ladder

    The grower ladder has three levels.

    ## G1 - Grower 1

    * **Waters**: waters the beds on the rota
    * **Weeds**: keeps the paths clear
    * **Plot**: makes an impact on one plot

    ## G2 - Grower 2

    * **Waters**: waters the beds on the rota
    * **Prunes**: prunes the orchard in winter
    * **Garden**: makes an impact on the whole garden

    ## FAQ

    **Why does the ladder stop at level 2?**

    Level 3 and above vary a lot from one allotment to the next.

    **Who decides a move up?**

    The head gardener, after a season at the next level.

    ## Planning

    | Short-Term | Long-Term |
    | :--- | :--- |
    | Weekly Rota | Yearly Rotation |
    """)

INDEX = textwrap.dedent("""\
    ---
    title: "Guild Levels"
    ---

    Every member of the gardening guild holds one of these levels:

    {{< cards >}}
    {{< card link="apprentice-gardener" title="1. Apprentice Gardener" >}}
    {{< card link="gardener" title="2. Gardener" >}}
    {{< card link="senior-gardener" title="3. Senior Gardener" >}}
    {{< /cards >}}
    """)


@pytest.fixture(scope="module")
def guild(tmp_path_factory, embedder):
    files = {
        "apprentice-gardener.md": level_page("Apprentice Gardener", "~80%", "~20%", "~1 year",
                                             "You water and weed the beds a senior gardener assigns.",
                                             ["Curiosity", "Patience"]),
        "gardener.md": level_page("Gardener", "~65%", "~35%", "~2 year",
                                  "You plan the beds of one plot and water and weed them.", ["Patience", "Care"]),
        "senior-gardener.md": level_page("Senior Gardener", "~50-55%", "~45-50%", "~3-4 year",
                                         "You plan the whole garden's beds and teach apprentices.",
                                         ["Foresight", "Care", "Teaching"]),
        "ladder.md": LADDER,
        "levels.md": INDEX,
    }
    return bot_over(tmp_path_factory, embedder, "guild", files)


def test_a_page_named_by_title_answers_from_its_own_section_of_the_template(guild):
    a = guild.answer("How is an apprentice gardener's time split? What percentage is core?")
    assert not a.refused and "80%" in a.text and "65%" not in a.text, a.text


def test_a_split_table_with_a_spanning_cell_gives_the_figure_and_the_tenure(guild):
    a = guild.answer("What percentage of a senior gardener's time is core work, and how long do people stay at "
                     "that level?")
    assert not a.refused, a.why
    assert "50-55%" in a.text and "3-4 year" in a.text, a.text
    assert "Split of time in the role — Core: ~50-55%" in "\n".join(c.text for c in guild.retriever.passages())


def test_how_two_numbered_levels_differ_is_quoted_as_what_only_one_holds(guild):
    a = guild.answer("what's the actual difference between a Grower 1 and a Grower 2?")
    assert not a.refused, a.why
    assert "Weeds" in a.text and "Prunes" in a.text and "Garden" in a.text, a.text
    assert "Waters" not in a.text, a.text


def test_a_bold_faq_question_is_a_heading_and_its_answer_is_quoted(guild):
    sections = {c.section for c in guild.retriever.passages()}
    assert "FAQ > Why does the ladder stop at level 2?" in sections, sections
    a = guild.answer("Who decides a move up to the next level?")
    assert "head gardener" in a.text, a.text


def test_hugo_shortcodes_are_dropped_and_their_titles_kept(guild):
    texts = "\n".join(c.text for c in guild.retriever.passages())
    assert "{{" not in texts and "hextra" not in texts
    assert "Senior Gardener" in texts and "card" not in texts.lower()


def test_a_two_sided_table_keeps_both_headers(guild):
    texts = "\n".join(c.text for c in guild.retriever.passages())
    assert "Short-Term: Weekly Rota; Long-Term: Yearly Rotation" in texts, texts


def test_a_ladder_for_a_job_the_site_never_names_is_declined(guild):
    a = guild.answer("What are the levels in the florist career ladder and what's expected at each one?")
    assert a.refused and "florist" in a.text, (a.text, a.why)


def test_the_next_level_after_a_level_page_is_the_page_one_level_up(guild):
    from bot.types import Turn

    history = [Turn("user", "How is an apprentice gardener's time split? What percentage is core?"),
               Turn("assistant", "Core: ~80%, other: ~20%.")]
    a = guild.answer("and at the next level?", history)
    assert not a.refused and "65%" in a.text and "80%" not in a.text, (a.query, a.text)
    b = guild.answer("and the level below?", [Turn("user", "How is a senior gardener's time split?"),
                                              Turn("assistant", "Core: ~50-55%.")])
    assert "65%" in b.text, (b.query, b.text)


def test_two_pages_compared_are_both_quoted_each_line_saying_whose(guild):
    a = guild.answer("How is an apprentice gardener different from a senior gardener?")
    assert not a.refused, a.why
    lines = [ln for ln in a.text.splitlines() if ln.startswith("- ")]
    assert any(ln.startswith("- Apprentice Gardener: ") for ln in lines), a.text
    assert any(ln.startswith("- Senior Gardener: ") for ln in lines), a.text
