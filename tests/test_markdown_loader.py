"""Markdown and MDX loader: a synthetic MDX article and real READMEs, hand-checked blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunk import chunk_document
from ingest.loaders import LoadError, loader_for
from ingest.loaders import markdown as md_loader
from ingest.loaders.mdblocks import MAX_CELL, MAX_TABLE, table_items

CORPORA = Path(__file__).resolve().parent / "data" / "corpora"

MDX = """---
id: design-principles
title: Software Design Principles
description: Principles every engineer should know.
keywords:
  - kiss
  - dry
sidebar_position: 3
---

import InDocAd from '@site/src/components/InDocAd';
import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

<head>
  <title>Design principles | Example Docs</title>
  <meta name="robots" content="index" />
</head>

# Software Design Principles

Good design keeps code easy to change.

<InDocAd />

## 1. DRY (Don't Repeat Yourself)

Every piece of knowledge has one representation.

## 2. KISS (Keep It Simple and Sweet)

Prefer the simplest design that works.

<Tabs>
<TabItem value="py" label="Python">

Use a plain function before a class, e.g. `List<String>` stays as written.

</TabItem>
</Tabs>

## Career ladder

| | Junior | Senior |
|---|---|---|
| Scope | Own a task | Own a system across teams |
| Design | Follows existing patterns | |

## Answering with STAR

- **S**ituation: set the scene.
- **T**ask: say what you had to do.
- **A**ction: what you did.
- **R**esult: what changed.

```python
import os  # code keeps its import line
```

export const meta = {
  author: 'someone',
};
"""


def load(text: str, name: str = "doc.md"):
    return md_loader.load(text.encode(), name)


def rows(p):
    return [(" > ".join(b.section), b.kind, b.text) for b in p.blocks]


def test_mdx_front_matter_gives_title_and_meta_never_text():
    p = load(MDX, "principles.mdx")
    assert p.title == "Software Design Principles"
    assert p.meta["description"] == "Principles every engineer should know."
    assert p.meta["keywords"] == "kiss, dry" and p.meta["format"] == "markdown" and p.meta["encoding"] == "utf-8"
    words = [p.title] + [b.text for b in p.blocks if b.kind != "code"] + [s for b in p.blocks for s in b.section]
    for gone in ("design-principles", "sidebar_position", "id:", "keywords", "import", "export", "@site", "@theme",
                 "InDocAd", "TabItem", "Tabs", "Example Docs", "robots", "author"):
        assert not any(gone in w for w in words), gone


def test_mdx_sections_components_table_and_labelled_items():
    got = rows(load(MDX, "principles.mdx"))
    assert got == [
        ("", "para", "Good design keeps code easy to change."),
        ("1. DRY (Don't Repeat Yourself)", "para", "Every piece of knowledge has one representation."),
        ("2. KISS (Keep It Simple and Sweet)", "para", "Prefer the simplest design that works."),
        ("2. KISS (Keep It Simple and Sweet)", "para",
         "Use a plain function before a class, e.g. List<String> stays as written."),
        ("Career ladder", "item", "Scope — Junior: Own a task; Senior: Own a system across teams"),
        ("Career ladder", "item", "Design — Junior: Follows existing patterns"),
        ("Career ladder", "item", "Junior — Scope: Own a task; Design: Follows existing patterns"),
        ("Career ladder", "item", "Senior — Scope: Own a system across teams"),
        ("Answering with STAR", "item", "Situation: set the scene."),
        ("Answering with STAR", "item", "Task: say what you had to do."),
        ("Answering with STAR", "item", "Action: what you did."),
        ("Answering with STAR", "item", "Result: what changed."),
        ("Answering with STAR", "code", "import os  # code keeps its import line"),
    ]


def test_a_table_column_is_one_quotable_line_in_its_chunk():
    p = load(MDX)
    chunks = chunk_document("d", p.title, list(p.blocks))
    ladder = next(c for c in chunks if c.section == "Career ladder")
    assert "- Senior — Scope: Own a system across teams" in ladder.text.splitlines()


def test_front_matter_edge_cases():
    broken = load("---\ntitle: [unclosed\n---\n# Real Title\n\nBody text.\n")
    assert broken.title == "Real Title" and rows(broken) == [("", "para", "Body text.")]
    other = load("---\ntitle: From Front Matter\n---\n# A Different Heading\n\nBody.\n")
    assert other.title == "From Front Matter" and rows(other) == [("A Different Heading", "para", "Body.")]
    with pytest.raises(LoadError, match="no text"):
        load("---\ntitle: Only meta\n---\n\n![logo](logo.png)\n")


def test_words_never_drop_markdown_blocks():
    p = load("# Cloud skills\n\nSign up for the AWS free tier to practise deployment.\n\n"
             "- Subscribe to two ML newsletters\n- Cookie-cutter projects do not impress\n")
    assert [b.text for b in p.blocks] == [
        "Sign up for the AWS free tier to practise deployment.",
        "Subscribe to two ML newsletters", "Cookie-cutter projects do not impress",
    ]


def test_html_inside_markdown_is_reduced_to_text():
    p = load('<p align="center"><img src="cover.png"></p>\n\n'
             "# Guide [![CI](https://img.shields.io/badge/ci-passing-green.svg)](https://ci)\n\n"
             "## [![badge](https://img.shields.io/b.svg)](https://x)\n\nStill under no section.\n\n"
             "<details><summary>How long does it take?</summary>About a year.</details>\n\n"
             "<!-- a comment -->\n\nA <b>bold</b> word<br>and a [link](https://x.y).\n")
    assert p.title == "Guide"
    assert rows(p) == [
        ("", "para", "Still under no section."),
        ("", "para", "How long does it take?"),
        ("", "para", "About a year."),
        ("", "para", "A bold word and a link."),
    ]


def test_nested_items_carry_their_parent_label_and_bare_labels_are_not_items():
    p = load("## Metrics\n- Use case:\n  - Ranking search results\n- Linear models\n  - Logistic regression\n"
             "    - sigmoid function\n")
    assert rows(p) == [
        ("Metrics", "item", "Use case: Ranking search results"),
        ("Metrics", "item", "Linear models"),
        ("Metrics", "item", "Linear models: Logistic regression"),
        ("Metrics", "item", "Linear models > Logistic regression: sigmoid function"),
    ]


def test_a_heading_inside_a_list_item_is_item_text():
    p = md_loader.load((CORPORA / "ml-interviews" / "MLSD-mlsd-preprocessing.md").read_bytes(), "pre.md")
    assert rows(p) == [
        ("Preprocessing Text", "item", "Normalization -> Tokenization [Pre-Tokenization -> Tokenizer Model -> "
                                       "Post-processing] -> Token to ids (lookup table, hashing)"),
        ("Preprocessing Videos", "para", "Decode frames -> sample frames -> Resize -> Scale, normalize"),
    ]


def test_table_of_contents_dropped_link_lists_kept():
    p = load("# Doc\n\n## Contents\n- [Intro](#intro)\n- [Pay](#pay)\n\n## Intro\n\nHello.\n\n"
             "## Courses\n- [Fast.ai](https://fast.ai)\n- [CS50](https://cs50.harvard.edu)\n")
    assert rows(p) == [("Intro", "para", "Hello."), ("Courses", "item", "Fast.ai"), ("Courses", "item", "CS50")]


def test_large_tables_stay_bounded():
    header = ["Name", "Notes", "More"]
    body = [[f"row {i}", "x" * 5000, "word " * 400] for i in range(500)]
    items = table_items(header, body)
    assert sum(len(i) for i in items) <= MAX_TABLE
    assert all(len(i) <= 2 * MAX_CELL + 40 for i in items[:3])
    assert items[0].startswith("row 0 — Notes: xxx")


def test_ossu_readme_banner_title_toc_and_course_tables():
    p = md_loader.load((CORPORA / "ossu-cs" / "README.md").read_bytes(), "README.md")
    assert p.title == "Open Source Society University"
    sections = {" > ".join(b.section) for b in p.blocks}
    assert "Contents" not in sections and "Curriculum > Core CS > Core programming" in sections
    got = rows(p)
    assert ("Curriculum > Intro CS", "item", "Introduction to Computer Science and Programming using Python — "
            "Duration: 14 weeks; Effort: 6-10 hours/week; Prerequisites: high school algebra; Discussion: chat") in got
    assert ("Curriculum > Intro CS", "para", "Topics covered: computation, imperative programming, "
            "basic data structures and algorithms, and more") in got
    assert not any("img.shields.io" in t or "svg" in t for _, _, t in got)


def test_ml_interviews_badges_emoji_and_column_view():
    readme = md_loader.load((CORPORA / "ml-interviews" / "README.md").read_bytes(), "README.md")
    assert readme.title == "AI / Machine Learning Interviews"
    assert not any("License" in b.text or "stars" in b.text for b in readme.blocks)
    assert ("News", "item", "Chapter 2 — Content: ML Coding") in rows(readme)
    fund = md_loader.load((CORPORA / "ml-interviews" / "ml-fundamental.md").read_bytes(), "ml-fundamental.md")
    sec = "2. ML Fundamentals Topics > 6. Multimodal & Generative AI > Diffusion vs autoregressive generation"
    items = [t for s, k, t in rows(fund) if s == sec and k == "item"]
    assert "Likelihood — Autoregressive (AR): exact; Diffusion: variational / score-based" in items
    assert any(t.startswith("Diffusion — How: iterative denoising from noise; Likelihood: variational") for t in items)


def test_mlsd_toc_table_dropped_step_table_kept():
    p = md_loader.load((CORPORA / "ml-interviews" / "MLSD-ml-system-design.md").read_bytes(), "x.md")
    texts = [b.text for b in p.blocks]
    assert "Step 3 — Architectural Components (MVP Logic)" in texts
    assert not any(t.startswith("1. The 9-Step ML System Design Formula") for t in texts)


def test_registry_reads_mdx():
    assert loader_for(".mdx") is md_loader


def test_a_ladder_whose_columns_are_levels_is_read_by_column_too():
    # a first header cell naming the rows and short cells: the columns still are levels, each one answers alone
    p = load("# Ladder\n\n| Category | Designer (L1) | Senior Designer (L3) | Lead Designer (L4) |\n|---|---|---|---|\n"
             "| Scope | A task | A product area | Several areas |\n| Craft | Learns | Extends | Sets direction |\n")
    items = [b.text for b in p.blocks if b.kind == "item"]
    assert "Lead Designer (L4) — Scope: Several areas; Craft: Sets direction" in items, items
    courses = load("# Courses\n\n| Course | Duration | Effort |\n|---|---|---|\n| Calculus | 13 weeks | 6 hours |\n"
                   "| Algebra | 9 weeks | 4 hours |\n")
    assert [b.text for b in courses.blocks if b.kind == "item"] == [  # attributes, not levels: rows only
        "Calculus — Duration: 13 weeks; Effort: 6 hours", "Algebra — Duration: 9 weeks; Effort: 4 hours"]
