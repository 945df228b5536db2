"""Real servers on loopback: a `chroma run` store, llama.cpp's OpenAI-compatible server,
and small http.server stand-ins for an LLM server that is down, silent, or lacks the model."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import GUIDE_ID, LLM_THREADS, ROOT

BIN = Path(sys.executable).parent
QUESTION = "Which tool does the guide recommend for experiment tracking?"


# -- helpers -------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    return free_port()


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s: {log.read_text()[-2000:]}")


@contextmanager
def server(cmd: list[str], ready_url: str, log: Path, cwd: Path) -> Iterator[subprocess.Popen]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    try:
        wait_http(ready_url, proc, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CAREERBOT_")}
    return subprocess.run([str(BIN / "careerbot"), *args], capture_output=True, text=True, cwd=cwd,
                          env={**base, **env}, timeout=600)


def one_line_error(p: subprocess.CompletedProcess) -> str:
    """The stderr of a failed command: exactly one line, no traceback (progress bars aside)."""
    lines = [ln for ln in p.stderr.splitlines() if ln.strip() and "Loading weights" not in ln]
    assert "Traceback" not in p.stderr, p.stderr
    assert len(lines) == 1, p.stderr
    return lines[0]


# -- fixtures ------------------------------------------------------------------
@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`, shipped with chromadb) on a free loopback port."""
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    cmd = [str(BIN / "chroma"), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data / "db")]
    with server(cmd, f"http://127.0.0.1:{port}/api/v2/heartbeat", data / "server.log", data):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """llama-cpp-python's OpenAI-compatible server with the bundled GGUF: (base URL, its log)."""
    from bot.compose.llm import bundled_gguf

    port = free_port()
    work = tmp_path_factory.mktemp("llama-server")
    log = work / "server.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", bundled_gguf(), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "2048", "--n_threads", str(LLM_THREADS)]
    with server(cmd, f"http://127.0.0.1:{port}/v1/models", log, work):
        yield f"http://127.0.0.1:{port}/v1", log


class _FakeOpenAI(BaseHTTPRequestHandler):
    """An OpenAI-compatible server that knows no model: every completion is a 404."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"error": {"message": "The model `gpt-nope` does not exist.",
                                     "type": "invalid_request_error", "code": "model_not_found"}}).encode()
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def no_model_server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}/v1"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        sock.close()


@pytest.fixture
def empty_cwd(tmp_path: Path) -> Path:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return cwd


# -- 1. the store on a Chroma server ---------------------------------------------
@pytest.mark.slow
def test_ingest_and_ask_through_a_chroma_server_write_nothing_locally(chroma_url, empty_cwd, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    store_dir = tmp_path / "must-not-exist"
    env = {"CAREERBOT_CHROMA_URL": chroma_url, "CAREERBOT_STORE_DIR": str(store_dir),
           "CAREERBOT_COLLECTION": "servers-test", "CAREERBOT_ANSWER_MODE": "extractive"}

    p = cli("ingest", str(corpus), "--json", env=env, cwd=empty_cwd)
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert report["added"] == 1 and report["failed"] == [] and report["chunks_embedded"] > 10

    p = cli("ask", QUESTION, "--json", env=env, cwd=empty_cwd)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["refused"] is False and "MLflow" in out["answer"]
    assert out["sources"] and out["sources"][0]["doc_id"] == GUIDE_ID

    p = cli("ingest", str(corpus), "--json", env=env, cwd=empty_cwd)  # the sync state lives on the server
    assert json.loads(p.stdout)["unchanged"] == 1

    cases = tmp_path / "cases.yaml"
    cases.write_text(f'cases:\n  - id: tracking\n    question: "{QUESTION}"\n    must_include: ["MLflow"]\n'
                     f"    sources: [{GUIDE_ID}]\n")
    p = cli("eval", str(cases), "--json", str(tmp_path / "eval.json"), env=env, cwd=empty_cwd)
    assert p.returncode == 0, p.stderr
    assert json.loads((tmp_path / "eval.json").read_text())["summary"]["retrieval_hit_rate"] == 1.0

    assert not store_dir.exists()
    assert list(empty_cwd.iterdir()) == []  # no .careerbot, no BM25 files
    assert sorted(x.name for x in corpus.iterdir()) == sorted(x.name for x in (ROOT / "corpus").iterdir())


@pytest.mark.slow
def test_chat_handler_over_a_chroma_server(chroma_url, embedder, tmp_path):
    """The chat uses the same build_bot path: the server's chunks answer through make_chat_fn."""
    from bot.cli import run_ingest
    from bot.pipeline import build_bot
    from bot.settings import load_settings
    from bot.web.app import make_chat_fn

    settings = load_settings({"chroma_url": chroma_url, "store_dir": tmp_path / "unused", "collection": "chat-test",
                              "answer_mode": "extractive"}, env={})
    run_ingest([ROOT / "corpus"], settings)
    final = list(make_chat_fn(build_bot(settings, embedder=embedder))(QUESTION, []))[-1]
    assert "MLflow" in final and "**Sources**" in final
    assert not (tmp_path / "unused").exists()


def test_unreachable_chroma_server_is_a_one_line_error(empty_cwd, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    env = {"CAREERBOT_CHROMA_URL": url, "CAREERBOT_STORE_DIR": str(tmp_path / "s")}
    p = cli("ask", QUESTION, env=env, cwd=empty_cwd)
    assert p.returncode == 1
    assert one_line_error(p).startswith(f"careerbot ask: cannot reach the Chroma server at {url}")
    assert not (tmp_path / "s").exists()


# -- 2. the openai backend against llama.cpp's server ------------------------------
@pytest.mark.slow
def test_ask_is_answered_through_an_openai_compatible_server(llama_server, guide_store_dir, empty_cwd):
    base_url, log = llama_server
    env = {"CAREERBOT_LLM": "openai", "CAREERBOT_LLM_BASE_URL": base_url, "CAREERBOT_STORE_DIR": str(guide_store_dir),
           "CAREERBOT_MAX_TOKENS": "64", "CAREERBOT_LLM_TIMEOUT_S": "300"}  # short, and time enough beside another worker
    p = cli("ask", QUESTION, "--json", env=env, cwd=empty_cwd)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["mode"] in ("generated", "checked", "extractive")  # the grounding check ran on the server's text
    assert out["timings"]["generate_s"] > 0 and out["sources"][0]["doc_id"] == GUIDE_ID
    assert "MLflow" in out["answer"]
    assert "POST /v1/chat/completions" in log.read_text()


@pytest.mark.slow
def test_openai_backend_streams_and_keeps_refusals(llama_server, guide_settings, embedder):
    from bot.pipeline import build_bot
    from bot.types import Answer

    base_url, log = llama_server
    # a generous timeout: 48 tokens take seconds, but minutes when another test worker holds both cores
    settings = guide_settings.replace(llm="openai", llm_base_url=base_url, max_tokens=48, llm_timeout_s=300.0)
    bot = build_bot(settings, embedder=embedder)
    items = list(bot.stream("What should I put in my portfolio?"))
    deltas = [x for x in items if isinstance(x, str)]
    final = items[-1]
    assert isinstance(final, Answer) and final.mode in ("generated", "checked", "extractive")
    assert 3 < len(deltas) <= 48  # streamed token by token, and the server honoured max_tokens
    before = log.read_text().count("POST /v1/chat/completions")
    off_topic = bot.answer("What is a good recipe for banana bread?")
    assert off_topic.refused and off_topic.mode == "refused"
    assert log.read_text().count("POST /v1/chat/completions") == before  # refused without a model call


def test_ollama_backend_against_a_closed_port_is_one_clear_line():
    from bot.compose.llm import LLMError, build_chat_model
    from bot.settings import load_settings

    url = f"http://127.0.0.1:{closed_port()}"
    model = build_chat_model(load_settings({"llm": "ollama", "llm_base_url": url, "llm_model": "llama3.2"}, env={}))
    with pytest.raises(LLMError) as err:
        list(model.stream([{"role": "user", "content": "hi"}]))
    assert str(err.value) == f"cannot reach the LLM at {url}: connection refused"


def test_ollama_backend_needs_a_model_name():
    from bot.compose.llm import LLMError, build_chat_model
    from bot.settings import load_settings

    with pytest.raises(LLMError, match="CAREERBOT_LLM=ollama needs CAREERBOT_LLM_MODEL"):
        build_chat_model(load_settings({"llm": "ollama"}, env={}))


# -- 3. failures ------------------------------------------------------------------
def test_ask_with_the_llm_down_prints_one_line_and_exits_1(guide_store_dir, empty_cwd):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    env = {"CAREERBOT_LLM": "openai", "CAREERBOT_LLM_BASE_URL": url, "CAREERBOT_STORE_DIR": str(guide_store_dir)}
    p = cli("ask", QUESTION, env=env, cwd=empty_cwd)
    assert p.returncode == 1
    assert one_line_error(p) == f"careerbot ask: cannot reach the LLM at {url}: connection refused"
    assert p.stdout == ""


def test_ask_against_a_silent_server_times_out(guide_store_dir, empty_cwd, silent_server):
    env = {"CAREERBOT_LLM": "openai", "CAREERBOT_LLM_BASE_URL": silent_server, "CAREERBOT_LLM_TIMEOUT_S": "1",
           "CAREERBOT_STORE_DIR": str(guide_store_dir)}
    t0 = time.monotonic()
    p = cli("ask", QUESTION, env=env, cwd=empty_cwd)
    assert p.returncode == 1
    assert one_line_error(p) == (f"careerbot ask: the LLM at {silent_server} did not answer within 1s "
                                 "(CAREERBOT_LLM_TIMEOUT_S), 2 attempts")
    assert time.monotonic() - t0 < 120


def test_retry_is_bounded_to_one(silent_server):
    from bot.compose.llm import LLMError, build_chat_model
    from bot.settings import load_settings

    settings = load_settings({"llm": "openai", "llm_base_url": silent_server}, env={"CAREERBOT_LLM_TIMEOUT_S": "0.5"})
    model = build_chat_model(settings)
    t0 = time.monotonic()
    with pytest.raises(LLMError, match="2 attempts"):
        list(model.stream([{"role": "user", "content": "hi"}]))
    assert 1.0 <= time.monotonic() - t0 < 5  # two 0.5 s waits and one short pause, not more


def test_missing_model_is_a_clear_message_and_the_chat_keeps_serving(no_model_server, guide_settings, embedder):
    from bot.pipeline import build_bot
    from bot.web.app import make_chat_fn

    settings = guide_settings.replace(llm="openai", llm_base_url=no_model_server, llm_model="gpt-nope")
    bot = build_bot(settings, embedder=embedder)
    answer = bot.answer(QUESTION)
    assert answer.mode == "error"
    assert answer.notes == [f"the LLM server at {no_model_server} has no model 'gpt-nope' "
                            "(HTTP 404: The model `gpt-nope` does not exist.); set CAREERBOT_LLM_MODEL"]
    chat = make_chat_fn(bot)
    for _ in range(2):  # the same handler answers again: the chat keeps serving
        final = list(chat(QUESTION, []))[-1]
        assert "has no model 'gpt-nope'" in final
        assert "The most relevant passages" in final and "MLflow" in final  # retrieval still shown


# -- 4. several users -------------------------------------------------------------
def test_gradio_queue_limit_fits_the_backend(guide_settings):
    from bot.web.app import build_app

    def limit(settings) -> int:
        return build_app(object(), settings)._queue.default_concurrency_limit  # type: ignore[arg-type]

    assert limit(guide_settings.replace(answer_mode="generate")) == 1  # in-process llama.cpp: one at a time
    assert limit(guide_settings.replace(llm="openai", llm_base_url="http://127.0.0.1:1/v1")) == 4
    assert limit(guide_settings.replace(answer_mode="extractive")) == 4
    assert limit(guide_settings) == 4  # the bundled model is not used by default: answers are quoted


def test_in_process_model_streams_one_at_a_time():
    """The chat's UI event and its /chat API event have separate Gradio queues, so the
    local model serialises itself."""
    from bot.compose.llm import LangChainChatModel

    class Chunk:
        def __init__(self, content: str) -> None:
            self.content = content

    class Slow:
        active = peak = 0

        def stream(self, messages):
            Slow.active += 1
            Slow.peak = max(Slow.peak, Slow.active)
            try:
                for w in ("one ", "two"):
                    time.sleep(0.05)
                    yield Chunk(w)
            finally:
                Slow.active -= 1

    model = LangChainChatModel(Slow(), "slow", "in-process", serial=True)
    outs: list[str] = []
    threads = [threading.Thread(target=lambda: outs.append("".join(model.stream([{"role": "user", "content": "x"}]))))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outs == ["one two"] * 4 and Slow.peak == 1


# -- 5. doctor against servers ------------------------------------------------------
@pytest.mark.slow
def test_doctor_against_a_chroma_server_and_an_openai_server(chroma_url, llama_server, empty_cwd, tmp_path):
    base_url, _ = llama_server
    env = {"CAREERBOT_CHROMA_URL": chroma_url, "CAREERBOT_COLLECTION": "doctor-test", "CAREERBOT_LLM": "openai",
           "CAREERBOT_LLM_BASE_URL": base_url, "CAREERBOT_STORE_DIR": str(tmp_path / "must-not-exist")}
    assert cli("ingest", str(ROOT / "corpus"), env=env, cwd=empty_cwd).returncode == 0
    p = cli("doctor", "--json", env=env, cwd=empty_cwd)
    assert p.returncode == 0, p.stdout + p.stderr
    checks = {c["name"]: c for c in json.loads(p.stdout)["checks"]}
    assert checks["store"]["detail"].startswith(f"Chroma server {chroma_url}: 1 document, ")
    assert checks["llm"]["ok"] and f"at {base_url}: replied" in checks["llm"]["detail"]
    assert not (tmp_path / "must-not-exist").exists() and list(empty_cwd.iterdir()) == []
