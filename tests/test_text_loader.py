"""Plain-text loader: prose notes, one-line notes, and the flattened-web-page layout (the guide)."""

from __future__ import annotations

import pytest

from ingest.clean import chrome_start, clean_lines, looks_flattened
from ingest.loaders import LoadError
from ingest.loaders import text as text_loader
from tests.conftest import GUIDE

NOTES = """Interview prep notes

The recruiter said the loop has four rounds
and one of them is ML system design.

Salary Talk

Sign up for levels.fyi alerts before you negotiate; subscribe to the
company's engineering blog too.
- ask for the band
- mention the competing offer
  from the other company
"""

# A flattened page whose last section is followed by two page boxes, with an article sentence that
# contains words the old word list dropped ("sign up for", "cookie").
PAGE = """Data Engineer Career Guide
A short guide to data engineering careers.
Core Skills
Languages:
- SQL for analytics - Python for pipelines - Scala for Spark
Cloud:
- Sign up for the AWS free tier to practise - Cookie-cutter tutorials teach little
Salary Expectations
Entry Level:
- Base: $90,000 - $120,000 - Bonus: 5%
Conclusion
Data engineering rewards people who like building reliable systems. The demand for them keeps growing every year, and the skills above carry over between companies and industries.
Start today and see our open roles.
Stay Updated
Weekly tips in your inbox.
Never Miss an Update
Join thousands of readers."""


def load(text: str, name: str = "notes.txt"):
    return text_loader.load(text.encode(), name)


def rows(p):
    return [(" > ".join(b.section), b.kind, b.text) for b in p.blocks]


def test_prose_notes_are_paragraphs_items_and_sections():
    p = load(NOTES)
    assert not looks_flattened(NOTES.splitlines())
    assert p.title == "Interview prep notes" and p.meta["format"] == "text" and p.meta["encoding"] == "utf-8"
    assert rows(p) == [
        ("", "para", "The recruiter said the loop has four rounds and one of them is ML system design."),
        ("Salary Talk", "para", "Sign up for levels.fyi alerts before you negotiate; subscribe to the "
                                "company's engineering blog too."),
        ("Salary Talk", "item", "ask for the band"),
        ("Salary Talk", "item", "mention the competing offer from the other company"),
    ]


def test_a_one_line_note_is_an_article_titled_by_its_file_name():
    p = load("Remember to ask about the on-call rotation.\n", "oncall.txt")
    assert p.title == "oncall.txt" and rows(p) == [("", "para", "Remember to ask about the on-call rotation.")]
    short = load("Negotiation Tips", "tips.txt")
    assert short.title == "tips.txt" and rows(short) == [("", "para", "Negotiation Tips")]


def test_a_first_line_is_a_title_only_when_it_looks_like_one():
    p = load("the recruiter called today and\nasked about my notice period.\n\nI said a month.\n")
    assert p.title == "notes.txt"
    assert [b.text for b in p.blocks] == [
        "the recruiter called today and asked about my notice period.", "I said a month."]


def test_files_with_no_text_are_errors():
    with pytest.raises(LoadError):
        load("")
    with pytest.raises(LoadError):
        load(" \n\n\t\n")


def test_the_guide_is_read_as_a_flattened_page_unchanged():
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    assert looks_flattened(lines)
    p = text_loader.load(GUIDE.read_bytes(), GUIDE.name)
    title, blocks = clean_lines(lines, flat=True)
    assert p.title == title == "How to Become an AI/ML Engineer in 2026"
    assert list(p.blocks) == blocks and p.meta["layout"] == "flattened web page"
    conclusion = [b.text for b in blocks if b.section == ("Conclusion",)]
    assert len(conclusion) == 2 and conclusion[1].startswith("Start with the fundamentals")
    assert lines[chrome_start(lines)].startswith("Ready to take the next step?")


def test_flattened_page_chrome_goes_by_layout_and_article_words_stay():
    p = load(PAGE, "de.txt")
    assert looks_flattened(PAGE.splitlines())
    assert p.title == "Data Engineer Career Guide"
    got = rows(p)
    assert ("Core Skills > Cloud", "item", "Sign up for the AWS free tier to practise") in got
    assert ("Core Skills > Cloud", "item", "Cookie-cutter tutorials teach little") in got
    assert ("Salary Expectations > Entry Level", "item", "Base: $90,000 - $120,000") in got
    assert got[-1][0] == "Conclusion" and got[-1][2].startswith("Data engineering rewards")
    text = " ".join(t for _, _, t in got)
    for gone in ("open roles", "inbox", "thousands of readers"):
        assert gone not in text
    assert not {"Stay Updated", "Never Miss an Update"} & {s for s, _, _ in got}


def test_one_short_closing_box_is_article_text():
    lines = PAGE.splitlines()[:-2]  # a single box left at the end: no chrome run
    assert chrome_start(lines) == len(lines)
    assert ("Stay Updated", "para", "Weekly tips in your inbox.") in rows(load("\n".join(lines)))
