"""Cleaning rules, each on the guide's real shapes."""

from __future__ import annotations

from ingest.clean import clean_lines, is_bare_heading, label_of, split_inline_items
from tests.conftest import GUIDE


def guide_blocks():
    return clean_lines(GUIDE.read_text(encoding="utf-8").splitlines(), flat=True)


def sections(blocks):
    return [" > ".join(b.section) for b in blocks]


def items_under(blocks, section):
    return [b.text for b in blocks if " > ".join(b.section) == section and b.kind == "item"]


def test_title_is_first_line():
    title, _ = guide_blocks()
    assert title == "How to Become an AI/ML Engineer in 2026"


def test_bare_markdown_and_label_headings_make_the_section_path():
    _, blocks = guide_blocks()
    assert items_under(blocks, "Required Skills for AI/ML Engineers > MLOps and Production Skills > MLOps Tools") == [
        "MLflow for experiment tracking", "Kubeflow for ML pipelines", "Feature stores (Feast, Tecton)",
        "Model monitoring and observability",
    ]


def test_every_top_level_section_of_the_guide_is_found():
    _, blocks = guide_blocks()
    tops = {b.section[0] for b in blocks if b.section}
    assert tops == {
        "What Does an AI/ML Engineer Do?", "Required Skills for AI/ML Engineers", "Educational Paths",
        "Building Your Portfolio", "Job Search Strategy", "Salary Expectations", "2026 Trends to Watch",
        "Action Plan", "Conclusion",
    }


def test_salary_ranges_are_not_split_at_their_dash():
    _, blocks = guide_blocks()
    assert items_under(blocks, "Salary Expectations > Entry Level (0-2 years)") == [
        "Base: $100,000 - $140,000", "Total Comp: $120,000 - $180,000",
    ]
    assert items_under(blocks, "Salary Expectations > Senior Level (6+ years)") == [
        "Base: $200,000 - $300,000", "Total Comp: $280,000 - $450,000+",
    ]


def test_dash_inside_parentheses_stays_in_the_item():
    _, blocks = guide_blocks()
    assert "Georgia Tech (Online MS in CS - affordable option)" in items_under(
        blocks, "Educational Paths > Traditional University Path > Top Programs")


def test_lead_sentence_before_an_inline_list_is_a_paragraph():
    _, blocks = guide_blocks()
    sec = "Required Skills for AI/ML Engineers > Programming Languages > Python (Essential)"
    paras = [b.text for b in blocks if " > ".join(b.section) == sec and b.kind == "para"]
    assert paras == ["Python dominates the ML ecosystem. You need strong proficiency in:"]
    assert items_under(blocks, sec)[0] == "NumPy for numerical computing"


def test_bold_month_labels_become_sections():
    _, blocks = guide_blocks()
    assert items_under(blocks, "Action Plan > Month 10-12: Job Search") == [
        "Polish resume and LinkedIn", "Apply to 50+ positions", "Practice interviewing",
    ]


def test_newsletter_and_call_to_action_are_dropped():
    _, blocks = guide_blocks()
    text = " ".join(b.text for b in blocks).lower()
    for gone in ("unsubscribe", "join 50,000+", "browse thousands", "browse our ai/ml engineering jobs"):
        assert gone not in text
    assert not any(s.startswith(("Stay Updated", "Never Miss", "Ready to Find")) for s in sections(blocks))


def test_heading_detection_rules():
    assert is_bare_heading("2026 Trends to Watch")
    assert is_bare_heading("Salary Expectations")
    assert not is_bare_heading("Location significantly impacts these ranges (see our AI Engineer Salary Guide).")
    assert not is_bare_heading("- Docker containerization - Kubernetes orchestration")
    assert label_of("Master's Degree (Recommended):") == "Master's Degree (Recommended)"
    assert label_of("Python dominates the ML ecosystem. You need strong proficiency in: - NumPy") is None


def test_inline_items_keep_hyphenated_words_and_timeline_ranges():
    assert split_inline_items("- 6-12 months for foundational skills - 3-6 months job searching") == [
        "6-12 months for foundational skills", "3-6 months job searching",
    ]
    assert split_inline_items("- Building recommendation systems (Netflix, Spotify-style) - End-to-End apps") == [
        "Building recommendation systems (Netflix, Spotify-style)", "End-to-End apps",
    ]


def test_markdown_headings_lists_and_wrapped_paragraphs():
    md = """# Interview Guide
Intro line one
continues here.

## Coding
- LeetCode medium
- System design
  with a wrapped item

```python
print("kept")
```
"""
    title, blocks = clean_lines(md.splitlines(), flat=False)
    assert title == "Interview Guide"
    assert [(b.section, b.kind, b.text) for b in blocks] == [
        ((), "para", "Intro line one continues here."),
        (("Coding",), "item", "LeetCode medium"),
        (("Coding",), "item", "System design with a wrapped item"),
        (("Coding",), "code", 'print("kept")'),
    ]
