"""The web chat's handlers as plain functions, then once through a real Gradio server."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.retrieval.vectors import load_text_vectors
from bot.types import Answer
from bot.web.admission import Admission, Busy
from bot.web.app import build_app
from bot.web.chat import ChatApp, Session, answer_messages, history_turns, make_chat_fn
from bot.web.feedback import FeedbackStore

ROOT = Path(__file__).resolve().parent.parent
SALARY_Q = "What base salary can an entry-level ML engineer expect?"
ARTICLE = """# Preparing for Data Engineering Interviews

## Take-Home Assignments

Most take-home assignments for data engineering roles are sized to take about six hours.
Reviewers check that the pipeline is idempotent: running it twice must leave the same tables.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collect(agen):
    async def run():
        return [x async for x in agen]

    return asyncio.run(run())


@pytest.fixture
def app(guide_bot, guide_settings, tmp_path):
    return ChatApp(guide_bot, guide_settings.replace(home=tmp_path / "home"))


# -- the /chat function ---------------------------------------------------------------
def test_handler_streams_then_shows_sources(guide_bot):
    outputs = list(make_chat_fn(guide_bot)("Which tool does the guide recommend for experiment tracking?", []))
    final = outputs[-1]
    assert "MLflow" in final
    assert "**Sources**" in final and "MLOps Tools" in final
    assert "checked against the articles" in final or "quoted from the articles" in final


def test_handler_answers_empty_message_without_a_model_call(guide_bot):
    from bot.compose.fake_llm import FakeChatModel
    from bot.pipeline import EMPTY_MESSAGE

    fake = FakeChatModel()
    settings = guide_bot.settings.replace(answer_mode="generate")  # a question would reach the model
    bot = type(guide_bot)(settings, guide_bot.embedder, guide_bot.retriever, lambda: fake)
    assert list(make_chat_fn(bot)("   ", [])) == [EMPTY_MESSAGE]
    assert fake.calls == []


def test_handler_uses_history_for_follow_ups(guide_bot):
    history = [{"role": "user", "content": SALARY_Q}, {"role": "assistant", "content": "Base: $100,000 - $140,000"}]
    final = list(make_chat_fn(guide_bot)("and at the senior level?", history))[-1]
    assert "Senior Level" in final


def test_handler_keeps_serving_when_the_pipeline_breaks():
    class Broken:
        def stream(self, question, history):
            raise RuntimeError("store vanished")
            yield Answer("")  # pragma: no cover

    out = list(make_chat_fn(Broken())("hello?", []))  # type: ignore[arg-type]
    assert out == ["Sorry, something went wrong while answering: RuntimeError: store vanished"]


def test_a_pointer_follow_up_reads_the_shown_answer_not_its_sources(guide_bot):
    from bot.question.followup import listed_items, standalone_query

    chat = make_chat_fn(guide_bot)
    shown = list(chat("what portfolio projects should i do?", []))[-1]
    assert "**Sources**" in shown
    history = history_turns([{"role": "user", "content": "what portfolio projects should i do?"},
                             {"role": "assistant", "content": shown}])
    items = listed_items(history[-1].content)
    assert len(items) >= 2 and not any("—" in i for i in items)  # no source line ("Title — section")
    assert items[-1] in standalone_query("tell me more about the last one", history)


# -- evidence ---------------------------------------------------------------------------
def test_every_citation_links_to_a_source_box_holding_its_passage_with_the_quote_marked(guide_bot):
    answer = guide_bot.answer(SALARY_Q)
    msgs = answer_messages(answer)
    assert len(msgs) == 1 + len(answer.sources)
    assert "[[1]](#source-1)" in msgs[0]["content"] and "**Sources**" in msgs[0]["content"]
    first = msgs[1]
    assert first["metadata"]["title"].startswith("[1] ") and "Entry Level" in first["metadata"]["title"]
    assert first["metadata"]["status"] == "done"  # closed until clicked
    assert "**Score:**" in first["content"] and "**Section:**" in first["content"]
    assert "<mark>" in first["content"] and "$100,000" in first["content"]


def test_a_refusal_shows_no_source_and_an_error_shows_the_passages(guide_bot):
    refused = guide_bot.answer("What is a good recipe for banana bread?")
    assert refused.refused and len(answer_messages(refused)) == 1
    hits = guide_bot.answer(SALARY_Q).hits
    broken = Answer("cannot reach the LLM at http://127.0.0.1:9\n\nThe most relevant passages: ...", mode="error",
                    notes=["cannot reach the LLM at http://127.0.0.1:9"], hits=hits)
    msgs = answer_messages(broken)
    assert msgs[0]["content"].startswith("cannot reach the LLM") and len(msgs) == 4
    assert all(m["metadata"]["title"].startswith(f"[{i}]") for i, m in enumerate(msgs[1:], 1))


def test_a_pdf_passage_says_its_page():
    from bot.web.evidence import evidence_for
    from ingest.types import Chunk, Hit

    hit = Hit(Chunk("c1", "report", "Pay Report", "Results", "Median pay rose 4% <b>in 2025</b>.", pages=(3,)), 0.61)
    ev = evidence_for(1, hit, "- Median pay rose 4% <b>in 2025</b>. [1]")
    assert ev.title == "[1] Pay Report — Results"
    assert "**Page 3**" in ev.body and "**Score:** 0.61" in ev.body
    assert "<mark>Median pay rose 4% &lt;b&gt;in 2025&lt;/b&gt;.</mark>" in ev.body


# -- the page's handlers ----------------------------------------------------------------
def test_respond_answers_remembers_and_a_vote_is_stored_with_what_matters(app):
    frames = collect(app.respond(SALARY_Q, [], None))
    msgs, session, box = frames[-1]
    assert box == "" and msgs[0] == {"role": "user", "content": SALARY_Q}
    assert "$100,000" in msgs[1]["content"] and msgs[2]["metadata"]["title"].startswith("[1]")
    assert [t.role for t in session.turns] == ["user", "assistant"]
    status, session, box = app.vote(session, 1, False, "the salary is wrong")
    assert "saved" in status and box == ""
    (vote,) = FeedbackStore.in_home(app.settings.home).votes()
    assert (vote.vote, vote.question, vote.comment, vote.mode) == ("down", SALARY_Q, "the salary is wrong",
                                                                   "extractive")
    assert vote.sources and vote.sources[0]["doc_id"] and "$100,000" in vote.answer
    assert vote.settings["top_k"] == app.settings.top_k and vote.settings["store"] and vote.session == session.id
    status, session, _ = app.comment("it missed the entry level", session)
    assert status.startswith("Saved your comment")
    assert FeedbackStore.in_home(app.settings.home).votes()[0].comment == "it missed the entry level"
    status, session, _ = app.vote(session, 1, "", "")  # the thumb clicked off again
    assert FeedbackStore.in_home(app.settings.home).votes() == []


def test_a_follow_up_uses_the_sessions_own_history_and_sessions_do_not_mix(app):
    msgs, a, _ = collect(app.respond(SALARY_Q, [], None))[-1]
    msgs, a, _ = collect(app.respond("and at the senior level?", msgs, a))[-1]
    assert "Senior Level" in msgs[-len(a.shown[-1].sources) - 1]["content"]
    assert [s.question for s in a.shown] == [SALARY_Q, "and at the senior level?"]
    assert a.shown[1].history[0]["content"] == SALARY_Q
    b_msgs, b, _ = collect(app.respond("and at the senior level?", [], None))[-1]  # another user, same words
    assert b.id != a.id and len(b.turns) == 2 and b.shown[0].history == []
    status, b, _ = app.vote(b, a.shown[0].index + 100, True)
    assert status.startswith("That message is not an answer")


def test_html_in_a_question_is_shown_as_text(app):
    msgs, _, _ = collect(app.respond("<img src=x onerror=alert(1)>", [], None))[-1]
    assert msgs[0]["content"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert all("<img" not in m["content"] for m in msgs)


def test_a_long_line_says_how_many_are_ahead_and_gives_up_clearly(app):
    async def scenario():
        app.admission = Admission(limit=1, max_wait_s=0.5, tick_s=0.05)
        async for _ in app.admission.wait():  # someone is being answered
            pass
        frames = [f async for f in app.respond(SALARY_Q, [], None)]
        api = await app.api_chat(SALARY_Q)
        app.admission.leave()
        return frames, api

    frames, api = asyncio.run(scenario())
    shown = [f[0][-1]["content"] for f in frames]
    assert "1 person ahead of you" in shown[1]
    assert shown[-1].startswith("careerbot is busy: your question waited") and "1 person was still ahead" in shown[-1]
    assert api.startswith("careerbot is busy")
    assert app.admission.running == 0 and app.admission.waiting == 0


def test_the_line_admits_in_arrival_order_and_counts_who_is_ahead():
    async def scenario():
        line = Admission(limit=2, max_wait_s=5, tick_s=0.05)
        seen: dict[str, list[int]] = {}
        order: list[str] = []

        async def user(name: str, work: float) -> None:
            seen[name] = []
            async for ahead in line.wait():
                seen[name].append(ahead)
            order.append(name)
            await asyncio.sleep(work)
            line.leave()

        await asyncio.gather(*(user(n, 0.2) for n in "abcde"))
        return seen, order, line

    seen, order, line = asyncio.run(scenario())
    assert order == list("abcde")
    assert seen["a"] == [] and seen["b"] == [] and seen["c"][0] == 2 and seen["e"][0] == 4
    assert line.running == 0 and line.waiting == 0
    with pytest.raises(Busy):
        async def too_long():
            line2 = Admission(limit=1, max_wait_s=0.1, tick_s=0.02)
            async for _ in line2.wait():
                pass
            async for _ in line2.wait():
                pass
        asyncio.run(too_long())


# -- the library ----------------------------------------------------------------------------
@pytest.fixture
def small_app(tmp_path, embedder, guide_store_dir):
    """A ChatApp over its own copy of the guide store, so uploads and removals stay in this test."""
    from bot.pipeline import build_bot
    from bot.settings import load_settings

    shutil.copytree(guide_store_dir.parent, tmp_path / "store")
    settings = load_settings({"store_dir": tmp_path / "store" / guide_store_dir.name, "home": tmp_path / "home"},
                             env={})
    return ChatApp(build_bot(settings, embedder=embedder), settings)


def test_an_upload_is_ingested_listed_answered_from_and_removed(small_app, tmp_path):
    app = small_app
    up = tmp_path / "in" / "Data Engineering Interviews (v2).md"
    up.parent.mkdir()
    up.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "in" / "notes.exe"
    bad.write_bytes(b"MZ")
    steps: list[str] = []
    result = app.add_files([str(up), str(bad)], lambda f, d: steps.append(d))
    assert "| Data Engineering Interviews (v2).md | ✓ added | Data-Engineering-Interviews-v2 |" in result
    assert "| notes.exe | ✗ failed |  | unsupported file type '.exe'" in result
    assert steps[0].startswith("ingesting Data Engineering") and steps[-1] == "done"
    saved = app.settings.home.absolute() / "uploads" / "Data-Engineering-Interviews-v2.md"
    assert saved.read_text(encoding="utf-8") == ARTICLE
    row = next(r for r in app.library_rows() if r[0] == "Data-Engineering-Interviews-v2")
    assert row[1] == "Preparing for Data Engineering Interviews" and row[2] >= 1 and row[4] == str(saved)
    assert "2 articles" in app.header()
    msgs, _, _ = collect(app.respond("How long does a take-home assignment for data engineering take?", [], None))[-1]
    assert "six hours" in msgs[1]["content"] and "Preparing for Data Engineering" in msgs[2]["metadata"]["title"]
    lines = load_text_vectors(app.settings.state_dir, app.bot.embedder.name)  # the upload's lines, prepared
    assert any("six hours" in t for t in lines)
    assert app.remove("Data-Engineering-Interviews-v2").startswith("Removed Data-Engineering-Interviews-v2")
    assert not saved.exists() and all(r[0] != "Data-Engineering-Interviews-v2" for r in app.library_rows())
    assert not any("six hours" in t for t in load_text_vectors(app.settings.state_dir, app.bot.embedder.name))
    assert app.remove("nothing-here") == "There is no document 'nothing-here' in the library."


def test_an_upload_over_the_limit_is_refused_and_nothing_is_written(small_app, tmp_path):
    app = small_app
    app.library.settings = app.settings.replace(max_upload_bytes=100)
    big = tmp_path / "big.md"
    big.write_text("# Big\n\n" + "word " * 100, encoding="utf-8")
    assert "over the upload limit of 100" in app.add_files([str(big)])
    assert not (app.settings.home / "uploads" / "big.md").exists()


# -- serving ------------------------------------------------------------------------------
def test_a_bad_login_setting_is_one_line_and_exit_2(tmp_path):
    env = {"CAREERBOT_CHAT_AUTH": "nopassword", "CAREERBOT_STORE_DIR": str(tmp_path / "s"), "PATH": "/usr/bin"}
    r = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--port", str(free_port())], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.strip() == "careerbot: CAREERBOT_CHAT_AUTH: entry 1 is not user:password"


@pytest.mark.slow
def test_launched_server_answers_through_gradio_client_and_asks_a_login(guide_bot, guide_settings, tmp_path):
    from gradio_client import Client

    port = free_port()
    demo = build_app(guide_bot, guide_settings.replace(home=tmp_path / "home"))
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, auth=[("ana", "s3cret")])
    try:
        with pytest.raises(Exception):  # noqa: B017 - whatever the client raises, it must not answer
            Client(f"http://127.0.0.1:{port}/", verbose=False).predict("hi", api_name="/chat")
        client = Client(f"http://127.0.0.1:{port}/", auth=("ana", "s3cret"), verbose=False)
        result = client.predict("Which tool does the guide recommend for experiment tracking?", api_name="/chat")
        assert "MLflow" in result and "**Sources**" in result
    finally:
        demo.close()


def test_session_state_starts_empty_for_each_new_session():
    a, b = Session.of(None), Session.of(None)
    assert a.id != b.id and a.turns == [] and a.turns is not b.turns


def test_a_served_chat_keeps_a_bounded_event_table_and_two_malloc_arenas(monkeypatch: pytest.MonkeyPatch) -> None:
    """What kept a 100-user soak's memory climbing: Gradio's table of the last 10,000 events, and one glibc
    arena per busy thread. `careerbot chat` caps the first (OFFLINE_ENV) and the second (bound_malloc_arenas)."""
    import gradio as gr

    from bot.cli import OFFLINE_ENV
    from bot.web.app import bound_malloc_arenas

    monkeypatch.setenv("GRADIO_ANALYTICS_MAX_EVENTS", OFFLINE_ENV["GRADIO_ANALYTICS_MAX_EVENTS"])
    with gr.Blocks() as demo:
        gr.Markdown("x")
    demo.queue()
    assert demo._queue.ANALYTICS_MAX_EVENTS == 1000
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert bound_malloc_arenas() is True  # glibc took the setting (this worker's allocator only)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")  # the user's own setting is left alone
    assert bound_malloc_arenas() is False
