"""The questions each section answers, as users ask them: "what would i build at a company" is Common Projects.

A question's own words can be far from the passage that answers it while
being close to how others ask for that passage. An article's questions file
(`NAME.questions.yaml` beside it, read by ingest and kept in the store: see
`ingest.companions`) lists, for its sections, questions its text answers in
users' words (plain, indirect, terse, with a story). A question close to one
of them also gets that section's passage, first among
the passages the answer is made from, when it is clearly closer to that
section's questions than to any other's. The passage's items then gain a
little when the answer is quoted (`extractive.ASKED_BONUS`), and a question
that retrieval evidence alone would decline is kept; the checks for named
jobs, places and figures still apply. Answers still quote the articles, and a
section the store does not hold adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from bot.question.phrases import PhraseIndex
from ingest.api import SECTION_SEP, Embedder, analyze, parse_questions, widen

# A question finds a section when its nearest sample question is ONE_SIMILARITY close and ONE_MARGIN closer
# than any other section's, or else when the mean cosine of the section's NEAREST sample questions is
# MEAN_SIMILARITY and MEAN_MARGIN above any other section's (README, "Sample questions").
ONE_SIMILARITY, ONE_MARGIN = 0.6, 0.08
MEAN_SIMILARITY, MEAN_MARGIN = 0.45, 0.05
NEAREST = 3


@dataclass(frozen=True)
class SectionMatch:
    section: str  # as in the file: a section path ("Salary Expectations > Mid Level (3-5 years)") or its title
    similarity: float  # the cosine of its nearest sample question, or the mean of its NEAREST ones
    asked: str  # its nearest sample question


def load_questions(path: Path) -> list[tuple[str, str]]:
    """(section, sample question) pairs of an article's questions file (`ingest.companions`), in file order."""
    return list(parse_questions(yaml.safe_load(path.read_text(encoding="utf-8"))))


def names_section(wanted: str, section: str) -> bool:
    """Whether a chunk's section path is the wanted section (a full path, or the path's last titles).

    >>> names_section("Salary Expectations > Entry Level (0-2 years)", "Salary Expectations > Entry Level (0-2 years)")
    True
    >>> names_section("Entry Level (0-2 years)", "Salary Expectations > Entry Level (0-2 years)")
    True
    >>> names_section("Level (0-2 years)", "Salary Expectations > Entry Level (0-2 years)")
    False
    """
    return section == wanted or section.endswith(SECTION_SEP + wanted)


class SectionQuestions:
    def __init__(self, pairs: Sequence[tuple[str, str]], embedder: Embedder, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        self._phrases = PhraseIndex(list(pairs), embedder, cache_dir, "questions")

    def warm(self) -> None:
        self._phrases.vectors()

    def closest(self, text: str) -> SectionMatch | None:
        """The section whose sample questions are clearly nearest the text, if one is.

        "what does a senior earn" is near every salary level's questions, so it finds none.
        """
        near: dict[str, list[tuple[float, str]]] = {}
        for section, asked, sim in self._phrases.ranked(self.embedder.embed([text])[0]):
            if len(near.setdefault(section, [])) < NEAREST:
                near[section].append((sim, asked))
        if not near:
            return None
        for score, lead, at_least in (_by_nearest(near), _by_mean(near)):
            if score[0][0] >= at_least and (len(score) == 1 or score[0][0] - score[1][0] >= lead):
                sim, section = score[0]
                if sibling_named(text, section, list(near)):
                    return None
                return SectionMatch(section, round(sim, 4), near[section][0][1])
        return None


def sibling_named(text: str, section: str, sections: Sequence[str]) -> bool:
    """Whether the section's title holds a figure and the text uses a word of a sibling's title it lacks.

    Sample questions tell sections titled by figures apart poorly: "Entry
    Level (0-2 years)" and "Mid Level (3-5 years)" pay, "Month 1-3" and
    "Month 7-9" are asked about alike. The words do it better, so such a
    question finds no section. (Titles without figures are told apart
    well enough: checking them too lost 9 cases, README.)

    >>> levels = ["Pay > Entry Level (0-2 years)", "Pay > Mid Level (3-5 years)"]
    >>> sibling_named("what base salary can an entry level engineer expect?", levels[1], levels)
    True
    >>> sibling_named("what do juniors make?", levels[1], levels), sibling_named("pay after 4 years?", levels[1], levels)
    (True, False)
    >>> sibling_named("which python libraries?", "Languages > SQL", ["Languages > SQL", "Languages > Python"])
    False
    """
    parent, _, title = section.rpartition(SECTION_SEP)
    own = set(analyze(title))
    if not any(ch.isdigit() for t in own for ch in t):
        return False
    words = set(widen(analyze(text)))
    for other in sections:
        head, _, other_title = other.rpartition(SECTION_SEP)
        if other != section and head == parent and (set(analyze(other_title)) - own - _DIGITS) & words:
            return True
    return False


_DIGITS = frozenset("0123456789")


def _by_nearest(near: dict[str, list[tuple[float, str]]]) -> tuple[list[tuple[float, str]], float, float]:
    return sorted(((v[0][0], sec) for sec, v in near.items()), reverse=True), ONE_MARGIN, ONE_SIMILARITY


def _by_mean(near: dict[str, list[tuple[float, str]]]) -> tuple[list[tuple[float, str]], float, float]:
    means = ((sum(s for s, _ in v) / NEAREST, sec) for sec, v in near.items())
    return sorted(means, reverse=True), MEAN_MARGIN, MEAN_SIMILARITY
