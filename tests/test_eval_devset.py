"""The development set itself: big enough, varied, and only asking for facts the guide states."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.eval.cases import load_files
from bot.eval.checks import contains, normalise
from tests.conftest import GUIDE, GUIDE_ID, ROOT

DEV = ROOT / "tests" / "prompts" / "guide.yaml"
SMOKE = ROOT / "tests" / "prompts" / "smoke.yaml"


@pytest.fixture(scope="module")
def dev():
    return load_files([DEV])


def test_size_and_mix(dev) -> None:
    assert len(dev) >= 40
    assert sum(1 for c in dev if c.history) >= 8
    refuse = [c for c in dev if c.expect == "refuse"]
    assert len(refuse) >= 10
    tags = Counter(t for c in refuse for t in c.tags)
    assert tags["offtopic"] >= 3 and tags["othercareer"] >= 3 and tags["injection"] >= 2
    assert len(load_files([SMOKE])) == 5


@pytest.mark.parametrize("path", [DEV, SMOKE], ids=["guide", "smoke"])
def test_every_must_include_has_an_alternative_in_the_guide(path) -> None:
    guide = normalise(GUIDE.read_text(encoding="utf-8"))
    for case in load_files([path]):
        for entry in case.must_include:
            assert any(normalise(a) in guide for a in entry.split("|")), f"{case.id}: {entry!r} is not in the guide"


@pytest.mark.parametrize("path", [DEV, SMOKE], ids=["guide", "smoke"])
def test_every_expected_section_exists(path) -> None:
    from ingest.pipeline import SourceFile, load_chunks

    sections = [c.section for c in load_chunks(SourceFile(GUIDE, GUIDE_ID, ""), GUIDE.read_bytes(), 700)]
    for case in load_files([path]):
        for entry in case.sections:
            assert any(contains(s, entry) for s in sections), f"{case.id}: no section matches {entry!r}"


def test_answer_cases_name_the_guide_and_a_fact(dev) -> None:
    for case in dev:
        if case.expect == "answer":
            assert case.sources == (GUIDE_ID,) and case.sections, case.id
            assert 1 <= len(case.must_include) <= 2, case.id


def test_every_part_of_the_guide_is_asked_about(dev) -> None:
    tags = Counter(t for c in dev for t in c.tags)
    for part in ("role", "skills", "education", "portfolio", "jobsearch", "salary", "trends", "plan", "followup"):
        assert tags[part] >= 2, part
