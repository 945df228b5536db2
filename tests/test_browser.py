"""The web chat in a real browser: Debian's Chromium driven by Playwright against `careerbot chat`.

The chat is started as a user would start it, on a free loopback port over a
temporary store holding corpus/; every step saves a screenshot under the test's
temporary folder. Without /usr/bin/chromium (`make test` installs it as root)
the tests skip, saying why; under CI they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SALARY_Q = "What base salary can an entry-level ML engineer expect?"
ARTICLE = """# Preparing for Data Engineering Interviews

A short guide to the interview loop for data engineering roles.

## Take-Home Assignments

Most take-home assignments for data engineering roles are sized to take about six hours.
Reviewers check that the pipeline is idempotent: running it twice must leave the same tables.

## System Design Round

Expect to design a batch pipeline that loads clickstream events into a warehouse every night.
"""


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (make test does, as root)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(store: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERBOT_")}
    env.update({"CAREERBOT_STORE_DIR": str(store), "CAREERBOT_HOME": str(home), "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False"})
    return env


def careerbot(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory):
    """`careerbot chat` on a free loopback port over a fresh store of corpus/: (url, env, folder)."""
    why = _missing_browser()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {why}")
        pytest.skip(f"browser tests skipped: {why}")
    base = tmp_path_factory.mktemp("chat")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    env = _env(base / "store", base / "home")
    r = careerbot("ingest", str(base / "corpus"), "--json", env=env)
    assert r.returncode == 0, r.stderr
    port = _free_port()
    log = (base / "chat.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"careerbot chat did not come up: {(base / 'chat.log').read_text()[-2000:]}")
        time.sleep(1)
    yield url, env, base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser(chat):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, chat):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.goto(chat[0])
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def ask(page, question: str, n: int = 1, timeout: float = 120_000):
    """Send a question and wait until the n-th answer of the page is complete; returns its bubble."""
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    done = page.locator("#chat .bot-row").filter(has_text="quoted from the articles").or_(
        page.locator("#chat .bot-row").filter(has_text="I can only answer")).or_(
        page.locator("#chat .bot-row").filter(has_text="checked against the articles"))
    done.nth(n - 1).wait_for(timeout=timeout)
    return page.locator("#chat .bot-row").nth(n - 1)


def click_when_still(page, locator, timeout: float = 10.0) -> None:
    """Click once the element has stopped moving: a box opening above it (or the chat scrolling) shifts it
    between Playwright's check of the click point and the click, and the click then lands on its neighbour."""
    locator.scroll_into_view_if_needed()
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        box = locator.bounding_box()
        if box is not None and box == last:
            break
        last = box
        page.wait_for_timeout(150)
    locator.click()


def test_ask_see_the_answer_and_its_sources_then_open_one(page, tmp_path):
    page.fill("#question textarea", SALARY_Q)
    page.keyboard.press("Enter")
    page.locator("#chat .user-row").filter(has_text=SALARY_Q).wait_for(timeout=10_000)
    page.screenshot(path=str(tmp_path / "1-asked.png"))
    answer = page.locator("#chat .bot-row").first
    answer.filter(has_text="Sources").wait_for(timeout=120_000)
    text = answer.inner_text()
    assert "$100,000" in text and "Entry Level" in text
    titles = answer.locator(".thought-group .title")
    assert titles.count() >= 1 and titles.first.inner_text().startswith("[1]")
    assert answer.locator(".thought-group .content").count() == 0  # closed until asked for
    page.screenshot(path=str(tmp_path / "2-answer.png"))
    answer.locator("a[href='#source-1']").first.click()  # the [1] in the answer opens source 1
    passage = answer.locator(".thought-group .content").first
    passage.wait_for(timeout=5_000)
    body = passage.inner_text()
    assert "Score:" in body and "Section:" in body and "Entry Level" in body and "$100,000" in body
    assert passage.locator("mark").count() >= 1  # the quoted lines are marked
    page.screenshot(path=str(tmp_path / "3-source-open.png"))
    click_when_still(page, titles.nth(1))  # an entry under Sources opens too
    answer.locator(".thought-group .content").nth(1).wait_for(timeout=15_000)
    assert answer.locator(".thought-group .content").count() == 2


def test_thumbs_down_with_a_comment_becomes_a_case_eval_reads(page, chat, tmp_path):
    url, env, base = chat
    answer = ask(page, "Is a master's degree worth it?")
    answer.hover()
    page.get_by_role("button", name="Dislike").last.click()
    page.locator("#status").filter(has_text="saved").wait_for(timeout=10_000)
    page.fill("#comment textarea", "it missed the point")
    page.click("#send-comment")
    page.locator("#status").filter(has_text="Saved your comment").wait_for(timeout=10_000)
    page.screenshot(path=str(tmp_path / "1-thumbs-down.png"))
    out = tmp_path / "feedback.yaml"
    r = careerbot("feedback", "export", "--out", str(out), env=env)
    assert r.returncode == 0, r.stderr
    import yaml

    cases = yaml.safe_load(out.read_text())["cases"]
    mine = [c for c in cases if c.get("comment") == "it missed the point"]
    assert mine and mine[0]["question"] == "Is a master's degree worth it?" and mine[0]["needs_check"] is True
    assert "feedback" in mine[0]["tags"]
    r = careerbot("feedback", "list", "--json", env=env)
    votes = json.loads(r.stdout)["votes"]
    mine_vote = next(v for v in votes if v["comment"] == "it missed the point")
    assert mine_vote["vote"] == "down" and mine_vote["settings"]["top_k"] and mine_vote["answer"]
    r = careerbot("eval", str(out), "--json", str(tmp_path / "eval.json"), env=env)
    assert r.returncode == 0, r.stderr
    assert "NEEDS A CHECK" in r.stdout
    result = json.loads((tmp_path / "eval.json").read_text())
    assert result["summary"]["needs_check"] >= 1 and result["summary"]["passed"] + result["summary"]["failed"] < len(
        result["cases"])


def test_an_uploaded_article_is_listed_and_answered_from(page, tmp_path):
    article = tmp_path / "data-engineering-interviews.md"
    article.write_text(ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="Library").click()
    page.locator("#library-table").filter(has_text="how-to-become-an-ai-ml-engineer-2026").wait_for(timeout=10_000)
    page.screenshot(path=str(tmp_path / "1-library.png"))
    page.locator("#upload input[type=file]").set_input_files(str(article))
    page.click("#add")
    page.locator("#add-result").filter(has_text="added").wait_for(timeout=120_000)
    assert "data-engineering-interviews" in page.locator("#add-result").inner_text()
    row = page.locator("#library-table tr").filter(has_text="data-engineering-interviews")
    row.wait_for(timeout=10_000)
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    chunks = int(cells[2])
    assert chunks >= 1 and "Preparing for Data Engineering Interviews" in cells[1]
    page.screenshot(path=str(tmp_path / "2-uploaded.png"))
    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "How long should a take-home assignment for a data engineering interview take?")
    text = answer.inner_text()
    assert "six hours" in text, text
    assert "Preparing for Data Engineering Interviews" in answer.locator(".thought-group .title").first.inner_text()
    page.screenshot(path=str(tmp_path / "3-answered-from-upload.png"))


def test_html_and_script_in_a_question_are_shown_as_text(page, tmp_path):
    payloads = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"]
    for i, payload in enumerate(payloads, 1):
        ask(page, payload, n=i)
    time.sleep(1)
    users = page.locator("#chat .user-row").all_inner_texts()
    assert [u.strip() for u in users] == payloads
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator("#chat .message-wrap img").count() == 0
    assert page.locator("#chat .message-wrap script").count() == 0
    page.screenshot(path=str(tmp_path / "1-payloads-as-text.png"))


def test_two_browser_contexts_do_not_see_each_others_conversation(browser, chat, tmp_path):
    pages = []
    for _ in range(2):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        p = ctx.new_page()
        p.goto(chat[0])
        p.wait_for_selector("#question textarea")
        pages.append(p)
    questions = ["Which tool does the guide recommend for experiment tracking?", "How long does the self-taught path take?"]
    for p, q in zip(pages, questions):  # both asked before either is answered
        p.fill("#question textarea", q)
        p.keyboard.press("Enter")
    for i, (p, q) in enumerate(zip(pages, questions)):
        p.locator("#chat .bot-row").filter(has_text="Sources").first.wait_for(timeout=120_000)
        p.screenshot(path=str(tmp_path / f"{i + 1}-context.png"))
        users = [u.strip() for u in p.locator("#chat .user-row").all_inner_texts()]
        assert users == [q]
        other = questions[1 - i]
        assert other not in p.locator("#chat").inner_text()
    pages[0].reload()
    pages[0].wait_for_selector("#question textarea")
    assert pages[0].locator("#chat .user-row").count() == 0  # a new session starts empty
    for p in pages:
        p.context.close()
