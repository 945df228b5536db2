"""The web chat: the handler as a function, then once through a real Gradio server."""

from __future__ import annotations

import socket

import pytest

from bot.app import build_app, make_chat_fn
from bot.types import Answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_handler_streams_then_shows_sources(guide_bot):
    outputs = list(make_chat_fn(guide_bot)("Which tool does the guide recommend for experiment tracking?", []))
    final = outputs[-1]
    assert "MLflow" in final
    assert "**Sources**" in final and "MLOps Tools" in final
    assert "checked against the articles" in final or "quoted from the articles" in final


def test_handler_answers_empty_message_without_a_model_call(guide_bot):
    class Boom:
        name = "boom"

        def stream(self, messages):
            raise AssertionError("the model must not be called")

    bot = type(guide_bot)(guide_bot.settings, guide_bot.embedder, guide_bot.retriever, lambda: Boom())
    assert list(make_chat_fn(bot)("   ", [])) == ["Please type a question, for example: Which skills does an ML "
                                                   "engineer need?"]


def test_handler_uses_history_for_follow_ups(guide_bot):
    history = [{"role": "user", "content": "What base salary can an entry-level ML engineer expect?"},
               {"role": "assistant", "content": "Base: $100,000 - $140,000"}]
    final = list(make_chat_fn(guide_bot)("and at the senior level?", history))[-1]
    assert "Senior Level" in final


def test_handler_keeps_serving_when_the_pipeline_breaks(guide_bot):
    class Broken:
        def stream(self, question, history):
            raise RuntimeError("store vanished")
            yield Answer("")  # pragma: no cover

    out = list(make_chat_fn(Broken())("hello?", []))  # type: ignore[arg-type]
    assert out == ["Sorry, something went wrong while answering: RuntimeError: store vanished"]


@pytest.mark.slow
def test_launched_server_answers_through_gradio_client(guide_bot, guide_settings):
    from gradio_client import Client

    port = free_port()
    demo = build_app(guide_bot, guide_settings)
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        result = client.predict("Which tool does the guide recommend for experiment tracking?", api_name="/chat")
        assert "MLflow" in result
    finally:
        demo.close()


def test_a_pointer_follow_up_reads_the_shown_answer_not_its_sources(guide_bot):
    from bot.app import history_turns
    from bot.followup import listed_items, standalone_query

    chat = make_chat_fn(guide_bot)
    shown = list(chat("what portfolio projects should i do?", []))[-1]
    assert "**Sources**" in shown
    history = history_turns([{"role": "user", "content": "what portfolio projects should i do?"},
                             {"role": "assistant", "content": shown}])
    items = listed_items(history[-1].content)
    assert len(items) >= 2 and not any("—" in i for i in items)  # no source line ("Title — section")
    assert items[-1] in standalone_query("tell me more about the last one", history)
