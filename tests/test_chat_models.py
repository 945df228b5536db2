"""One suite for every chat model the pipeline can be given: the public FakeChatModel and the bundled
SmolLM2-135M GGUF in-process, both built through `build_chat_model`; then the fake's own features."""

from __future__ import annotations

import json

import pytest

from bot.compose.fake_llm import FakeChatModel
from bot.compose.llm import STOP, LLMError, build_chat_model
from bot.compose.prompt import build_messages, load_template
from bot.pipeline import Bot
from bot.settings import Settings, SettingsError, load_settings
from bot.types import Answer
from tests.conftest import LLM_THREADS

MAX_TOKENS = 16
TOOL_Q = "Which tool does the guide recommend for experiment tracking?"


@pytest.fixture(scope="module", params=["fake", pytest.param("bundled", marks=pytest.mark.slow)])
def chat_model(request):
    """The same settings for both; only the backend differs (the bundled GGUF: `llm=local`, no model path)."""
    llm = "fake" if request.param == "fake" else "local"
    model = build_chat_model(Settings(llm=llm, answer_mode="generate", max_tokens=MAX_TOKENS,
                                      llm_threads=LLM_THREADS))
    assert isinstance(model, FakeChatModel) == (request.param == "fake")
    return model


@pytest.fixture(scope="module")
def tool_messages(guide_bot):
    """The pipeline's own prompt over two real guide passages."""
    hits = guide_bot.retriever.search(TOOL_Q, 2).hits
    assert len(hits) == 2
    return build_messages(load_template(), TOOL_Q, hits)


def generating_bot(guide_bot, guide_settings, model) -> Bot:
    settings = guide_settings.replace(answer_mode="generate", max_tokens=MAX_TOKENS)
    return Bot(settings, guide_bot.embedder, guide_bot.retriever, lambda: model)


# -- the contract the pipeline relies on, for every model ----------------------------------------
def test_stream_yields_str_deltas_that_join_to_a_deterministic_answer(chat_model, tool_messages):
    assert isinstance(chat_model.name, str) and chat_model.name
    first = list(chat_model.stream(tool_messages))
    assert len(first) > 1 and all(isinstance(d, str) and d for d in first), "several non-empty str deltas"
    assert "".join(first).strip(), "a simple prompt gets a non-empty answer"
    assert list(chat_model.stream(tool_messages)) == first, "greedy: the same prompt gives the same deltas"


def test_stream_respects_the_stop_and_length_bounds(chat_model, guide_bot):
    long_ask = "Describe every tool in the passages in detail, in at least ten long sentences."
    deltas = list(chat_model.stream(build_messages(load_template(), long_ask, guide_bot.retriever.search(TOOL_Q, 6).hits)))
    text = "".join(deltas)
    assert len(deltas) == MAX_TOKENS, "one delta a token; an answer longer than max_tokens is cut there"
    assert len(text) < MAX_TOKENS * 12
    assert not any(s in text for s in STOP)


def test_bot_generates_a_checked_answer_with_sources(chat_model, guide_bot, guide_settings):
    items = list(generating_bot(guide_bot, guide_settings, chat_model).stream(TOOL_Q))
    final = items[-1]
    assert isinstance(final, Answer) and all(isinstance(i, str) for i in items[:-1])
    assert len(items) > 2, "the model's deltas are streamed before the answer"
    assert final.mode in ("generated", "checked", "extractive") and final.notes
    assert any("checked against the articles" in n or "quoted from the articles" in n for n in final.notes)
    assert final.sources and final.sources[0].section.endswith("MLOps Tools")
    assert final.text.strip() and final.timings["generate_s"] > 0


# -- the fake's own features -------------------------------------------------------------------
def test_fake_is_chosen_through_settings_and_the_cli(guide_store_dir, capsys):
    assert isinstance(build_chat_model(load_settings(env={"CAREERBOT_LLM": "fake"})), FakeChatModel)
    with pytest.raises(SettingsError, match="one of local, openai, ollama, fake"):
        load_settings(env={"CAREERBOT_LLM": "fakes"})
    from bot.cli import main

    assert main(["ask", TOOL_Q, "--json", "--llm", "fake", "--store-dir", str(guide_store_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert not out["refused"] and "[1]" in out["answer"] and out["sources"]
    assert out["timings"]["generate_s"] >= 0


def test_fake_default_quotes_the_passages_so_the_answer_passes_the_check(guide_bot, guide_settings, tool_messages):
    fake = FakeChatModel()
    reply = "".join(fake.stream(tool_messages))
    passages = tool_messages[0]["content"]
    lines = reply.splitlines()
    assert [ln[-4:] for ln in lines] == ["[1].", "[2]."]
    assert all(ln[: -len(" [1].")] in passages for ln in lines), "each line is quoted from its passage"
    answer = generating_bot(guide_bot, guide_settings, fake).answer(TOOL_Q)
    assert answer.mode == "generated" and answer.notes == ["checked against the articles"]
    assert len(fake.calls) == 2 and fake.calls[0] == tool_messages, "the pipeline's prompt is the second call"
    assert [s.section for s in answer.sources] == [h.chunk.section for h in answer.hits[:3]]  # it quoted 3 passages
    assert "MLflow" in answer.text.splitlines()[0]


def test_fake_answers_with_a_function_or_a_fixed_text_and_records_its_calls():
    msgs = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Which tool?"}]
    echo = FakeChatModel(lambda m: f"{len(m)} messages, last: {m[-1]['content']}")
    assert "".join(echo.stream(msgs)) == "2 messages, last: Which tool?"
    fixed = FakeChatModel("MLflow tracks experiments.\nQuestion: and more?", max_tokens=2)
    assert list(fixed.stream(msgs)) == ["MLflow ", "tracks "]
    assert "".join(FakeChatModel("MLflow.\nQuestion: more").stream(msgs)) == "MLflow."
    msgs[1]["content"] = "changed later"
    assert echo.calls == [[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Which tool?"}]]
    with pytest.raises(ValueError, match="not a chat message"):
        FakeChatModel().stream([{"role": "robot", "content": "x"}])


def test_an_llm_error_from_the_fake_becomes_an_error_answer_that_still_shows_the_passages(guide_bot, guide_settings):
    down = FakeChatModel(error=LLMError("cannot reach the LLM at http://127.0.0.1:9/v1: connection refused"))
    answer = generating_bot(guide_bot, guide_settings, down).answer(TOOL_Q)
    assert answer.mode == "error" and answer.notes == [str(down.error)]
    assert "The most relevant passages" in answer.text and answer.sources and len(down.calls) == 1
    cut = FakeChatModel(deltas=["MLflow ", "is "], error=LLMError("the LLM stopped"))
    items = list(generating_bot(guide_bot, guide_settings, cut).stream(TOOL_Q))
    assert items[:2] == ["MLflow ", "is "] and isinstance(items[-1], Answer) and items[-1].mode == "error"
