"""Any articles, not only the guide: companion files, the corpus profile, the scope rules on the answer.

Real components: the packaged embedder, temporary Chroma folders, the CLI's ingest path.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

import pytest

from bot.cli import main, run_ingest
from bot.pipeline import build_bot
from bot.settings import load_settings
from ingest.store import build_store
from tests.conftest import GUIDE, ROOT, copy_article

MDX_ARTICLE = textwrap.dedent("""\
    ---
    id: negotiation-rules
    title: Ten Rules for Negotiating a Job Offer
    description: How to negotiate salary and benefits when you get an offer.
    keywords:
      - negotiation
      - offers
    ---
    import InDocAd from './_components/InDocAd';

    <head>
      <title>Negotiation | Handbook</title>
    </head>

    Negotiating is expected; recruiters budget for it.

    <InDocAd />

    ## 1. Get everything in writing

    Ask the recruiter to send the offer by email before you answer.

    ## 2. Always be positive

    Keep the tone friendly even when you decline a term.
    """)


@pytest.fixture(scope="module")
def handbook(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("handbook")
    (folder / "negotiation.md").write_text(MDX_ARTICLE, encoding="utf-8")
    (folder / "note.txt").write_text("Stock options vest over four years with a one year cliff.\n", encoding="utf-8")
    settings = load_settings({"store_dir": tmp_path_factory.mktemp("hb-store") / "chroma"}, env={})
    report = run_ingest([folder], settings)
    assert report.failed == [] and report.added == 2, report
    return settings, build_bot(settings, embedder=embedder)


def test_front_matter_and_mdx_never_reach_a_title_a_section_or_a_line(handbook):
    settings, bot = handbook
    chunks = build_store(settings.store_dir, None).all_chunks()
    seen = " ".join(f"{c.title}\n{c.section}\n{c.text}" for c in chunks)
    for leak in ("id:", "keywords", "description:", "import", "InDocAd", "<head>", "Handbook</title>"):
        assert leak not in seen, leak
    titles = {c.title for c in chunks}
    assert "Ten Rules for Negotiating a Job Offer" in titles
    answer = bot.answer("should I get the offer in writing?")
    assert not answer.refused and "email" in answer.text, answer.text
    assert "import" not in answer.text and "keywords" not in answer.text


def test_the_store_describes_itself_from_its_articles(handbook):
    _, bot = handbook
    refusal = bot.answer("what is the capital of France?")
    assert refusal.refused
    assert "Ten Rules for Negotiating a Job Offer" in refusal.text, refusal.text
    assert "AI/ML" not in refusal.text and "engineer" not in refusal.text.lower(), refusal.text
    profile = bot.profile()
    assert "AI/ML" not in profile.description()
    assert any("negotiat" in d.description.lower() for d in profile.documents)
    assert profile.examples() and not any("AI/ML" in q for q in profile.examples())


def test_a_one_line_note_is_an_article_and_is_retrievable(handbook):
    _, bot = handbook
    answer = bot.answer("how long do stock options take to vest?")
    assert not answer.refused and "four years" in answer.text, answer.text
    assert answer.sources[0].doc_id == "note"


def test_ask_json_shows_the_scope_rules_that_decided(handbook, capsys):
    settings, _ = handbook
    code = main(["ask", "what is the average salary of a dentist in Berlin?", "--json",
                 "--store-dir", str(settings.store_dir)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["refused"] is True
    assert out["why"] and all(re.match(r"(in scope|declined): ", w) for w in out["why"]), out["why"]
    assert out["why"][-1].startswith("declined: ")


def test_companion_files_are_stored_updated_and_removed_with_their_article(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    article = folder / "pay.md"
    article.write_text("# Pay Notes\n\n## Entry Level\n\nJuniors earn a base of $90,000.\n", encoding="utf-8")
    (folder / "pay.questions.yaml").write_text(
        'sections:\n  - section: "Entry Level"\n    asks: ["what do new grads make?"]\n', encoding="utf-8")
    settings = load_settings({"store_dir": tmp_path / "store"}, env={})
    assert run_ingest([folder], settings).added == 1
    bot = build_bot(settings, embedder=embedder)
    assert bot.profile().documents[0].questions == (("Entry Level", "what do new grads make?"),)
    assert bot.profile().examples()[0] == "what do new grads make?"

    (folder / "pay.questions.yaml").write_text(
        'sections:\n  - section: "Entry Level"\n    asks: ["starting salary?"]\n', encoding="utf-8")
    again = run_ingest([folder], settings)
    assert (again.updated, again.unchanged) == (1, 0)
    bot.refresh()
    assert bot.profile().documents[0].questions == (("Entry Level", "starting salary?"),)

    (folder / "pay.questions.yaml").write_text("sections: [unclosed", encoding="utf-8")
    bad = run_ingest([folder], settings)
    assert len(bad.failed) == 1 and "pay.questions.yaml" in bad.failed[0]["error"], bad.failed
    bot.refresh()
    assert bot.profile().documents[0].questions == (("Entry Level", "starting salary?"),)  # the last good version

    article.unlink()
    (folder / "pay.questions.yaml").unlink()
    gone = run_ingest([folder], settings)
    assert gone.removed == 1
    bot.refresh()
    assert bot.profile().documents == ()


def test_the_guide_keeps_its_companions_in_corpus(guide_bot):
    assert GUIDE.with_suffix(".questions.yaml").is_file() and GUIDE.with_suffix(".glossary.yaml").is_file()
    doc = guide_bot.profile().documents[0]
    assert len({s for s, _ in doc.questions}) == 43 and len(doc.glossary) >= 50
    assert "How to Become an AI/ML Engineer in 2026" in guide_bot.refusal()


def _code_strings(folder: Path) -> list[tuple[str, str]]:
    """(file, string) for every string literal the code uses at run time (docstrings, the worked examples, left out)."""
    out = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.body
                and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        out += [(str(path), n.value) for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]
    return out


def test_no_article_knowledge_in_the_code():
    """The guide's section titles, sample questions and glossary live beside it in corpus/, not in bot/ or ingest/."""
    import yaml

    questions = yaml.safe_load(GUIDE.with_suffix(".questions.yaml").read_text(encoding="utf-8"))["sections"]
    glossary = yaml.safe_load(GUIDE.with_suffix(".glossary.yaml").read_text(encoding="utf-8"))["terms"]
    leaves = {s["section"].split(" > ")[-1].lower() for s in questions} - {"introduction", "conclusion"}
    said = {a.lower() for s in questions for a in s["asks"]} | {d.lower() for t in glossary for d in t["says"]}
    strings = _code_strings(ROOT / "bot") + _code_strings(ROOT / "ingest")
    found = [(f, v) for f, v in strings if v.strip().lower() in leaves | said
             or any(len(x) > 25 and x in v.lower() for x in said)]
    assert found == [], found
    data = [p for p in (*ROOT.joinpath("bot").rglob("*.yaml"), *ROOT.joinpath("ingest").rglob("*.yaml"))]
    assert data == [], data


def test_a_copy_of_the_guide_with_its_companions_ingests_them(tmp_path, embedder):
    copy_article(GUIDE, tmp_path / "c")
    settings = load_settings({"store_dir": tmp_path / "s"}, env={})
    assert run_ingest([tmp_path / "c"], settings).added == 1
    profiles = build_store(settings.store_dir, None).profiles()
    assert json.loads(profiles[GUIDE.stem])["questions"]
    assert not Path(ROOT / "bot" / "questions.yaml").exists() and not Path(ROOT / "bot" / "concepts.yaml").exists()


def test_the_development_corpora_keep_their_licences() -> None:
    for name in ("ml-interviews", "ossu-cs"):
        licence = (ROOT / "tests" / "data" / "corpora" / name / "LICENSE").read_text(encoding="utf-8")
        assert "MIT License" in licence, name
