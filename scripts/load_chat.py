"""Load check for the web chat: N concurrent gradio_client users against `careerbot chat`.

Not a test: it prints answers/s and latency figures and exits 1 when any request failed.

    # start `careerbot chat --ingest-if-empty corpus` on a free loopback port with the
    # current CAREERBOT_* settings, then load it
    .venv/bin/python scripts/load_chat.py --users 50 --rounds 3
    # a soak: 100 users asking for 10 minutes; the server's memory (RSS) at the start and the end
    .venv/bin/python scripts/load_chat.py --soak 600
    # or load a chat that is already running (--pid: its process, for CPU and memory figures)
    .venv/bin/python scripts/load_chat.py --url http://127.0.0.1:7860 --users 20

Each user opens its own gradio_client.Client, waits at a barrier so all start
together, and asks `--rounds` questions in turn (or, with `--soak`, until the
time is up) through api_name="/chat". A request fails when it raises, or when
the chat shows an error or a "busy" message instead of an answer with sources
or a refusal. Over plain http the clients skip loading TLS certificates
(gradio_client opens a new httpx client per request, and loading them costs
~40 ms of CPU each time, more than the chat spends answering). answers/s counts the good answers over the time from the barrier
to the last reply; server_cpu_ms_per_answer is the server process's CPU time
per request (a figure other processes on the machine barely move).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Which tool does the guide recommend for experiment tracking?",
    "What base salary can an entry-level ML engineer expect?",
    "How long does the self-taught path take?",
    "What should I put in my portfolio?",
    "Is a master's degree worth it?",
    "Which programming language should I learn first?",
    "What is a good recipe for banana bread?",  # outside the articles: a refusal is the right answer
]
ERROR_MARKERS = ("Sorry, something went wrong", "The most relevant passages:", "careerbot is busy")
OK_MARKERS = ("**Sources**", "I can only answer from the articles")


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100].

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    >>> percentile([5.0, 1.0, 3.0], 95)
    4.8
    >>> math.isnan(percentile([], 50))
    True
    """
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return round(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo), 6)


def problem(reply: object) -> str | None:
    """Why a chat reply counts as an error, or None.

    >>> problem("MLflow.\\n\\n**Sources**\\n1. Guide") is None
    True
    >>> problem("cannot reach the LLM ...\\n\\nThe most relevant passages:\\n\\n...")
    'the chat showed an error: cannot reach the LLM ...'
    """
    if not isinstance(reply, str) or not reply.strip():
        return f"empty or non-text reply: {reply!r:.80}"
    if any(m in reply for m in ERROR_MARKERS):
        return f"the chat showed an error: {reply.strip().splitlines()[0][:160]}"
    if not any(m in reply for m in OK_MARKERS):
        return f"no sources and no refusal in the reply: {reply.strip()[:120]!r}"
    return None


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = 0.0  # when the barrier let the users go
    last: float = 0.0  # when the last reply came

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.last = max(self.last, time.perf_counter())
            if error:
                self.errors.append(error)


def user(url: str, index: int, rounds: int, barrier: threading.Barrier, results: Results,
         soak_s: float | None = None, tls_verify: bool = False) -> None:
    """One user: `rounds` questions one after another, or as many as fit in `soak_s` seconds from the barrier."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, ssl_verify=tls_verify or url.startswith("https:"))
    except Exception as e:
        barrier.abort()
        results.add(0.0, f"user {index}: cannot connect: {type(e).__name__}: {e}")
        return
    try:
        barrier.wait(timeout=300)
    except threading.BrokenBarrierError:
        pass
    until = results.started + soak_s if soak_s else None
    r = 0
    while (r < rounds) if until is None else (time.perf_counter() < until):
        question = QUESTIONS[(index + r) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            reply = client.predict(question, api_name="/chat")
            err = problem(reply)
        except Exception as e:
            err = f"{type(e).__name__}: {str(e)[:160]}"
        results.add(time.perf_counter() - t0, f"user {index}: {err}" if err else None)
        r += 1


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process, in MB (None when it cannot be read: no pid, not Linux).

    >>> rss_mb(os.getpid()) > 0, rss_mb(None)
    (True, None)
    """
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, TypeError):
        pass
    return None


def cpu_s(pid: int | None) -> float | None:
    """User + system CPU seconds a process has used (None when it cannot be read).

    >>> cpu_s(os.getpid()) >= 0, cpu_s(None)
    (True, None)
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, TypeError, IndexError):
        return None


def run_load(url: str, users: int, rounds: int, soak_s: float | None = None, pid: int | None = None,
             sample_every_s: float = 30.0, tls_verify: bool = False) -> dict:
    results = Results()

    def go() -> None:  # the barrier's action: the clock starts when every user is connected
        results.started = time.perf_counter()

    barrier = threading.Barrier(users, action=go)
    threads = [threading.Thread(target=user, args=(url, i, rounds, barrier, results, soak_s, tls_verify),
                                daemon=True)
               for i in range(users)]
    rss_start, cpu_start, own_start = rss_mb(pid), cpu_s(pid), time.process_time()
    samples: list[tuple[float, float | None]] = []
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(1.0)
        since = time.perf_counter() - results.started
        if results.started and (not samples or since - samples[-1][0] >= sample_every_s):
            samples.append((round(since, 1), rss_mb(pid)))
    wall = time.perf_counter() - t0
    cpu_end, own_cpu = cpu_s(pid), time.process_time() - own_start
    lat = results.latencies
    span = (results.last - results.started) if results.started and results.last > results.started else wall
    good = len(lat) - len(results.errors)
    return {
        "url": url, "users": users, "rounds": None if soak_s else rounds, "soak_s": soak_s,
        "requests": len(lat), "errors": len(results.errors),
        "answers_per_s": round(good / span, 2) if span > 0 else math.nan,
        "p50_s": round(percentile(lat, 50), 2), "p95_s": round(percentile(lat, 95), 2),
        "max_s": round(max(lat), 2) if lat else math.nan, "load_s": round(span, 2), "wall_s": round(wall, 2),
        "server_cpu_ms_per_answer": round((cpu_end - cpu_start) * 1000 / len(lat), 1)
        if lat and cpu_start is not None and cpu_end is not None else None,
        "client_cpu_ms_per_answer": round(own_cpu * 1000 / len(lat), 1) if lat else None,
        "rss_start_mb": rss_start, "rss_end_mb": rss_mb(pid), "rss_samples_mb": samples,
        "error_samples": results.errors[:5],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"load_chat: `careerbot chat` exited with {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"load_chat: {url} did not answer within {timeout:.0f}s")


def warm_up(url: str) -> None:
    """Each question once, from one user, before the clock starts: the figures are of a warm chat."""
    from gradio_client import Client

    client = Client(url, verbose=False, ssl_verify=url.startswith("https:"))
    for q in QUESTIONS:
        client.predict(q, api_name="/chat")


def summary(report: dict) -> str:
    """One line (two for a soak) of figures.

    >>> print(summary({"users": 2, "requests": 6, "url": "u", "load_s": 3.0, "answers_per_s": 2.0, "p50_s": 0.4,
    ...                "p95_s": 0.9, "max_s": 1.0, "errors": 0, "server_cpu_ms_per_answer": 40.0, "soak_s": None}))
    2 users, 6 requests against u in 3.0s: 2.0 answers/s, p50 0.4s, p95 0.9s, max 1.0s, 0 errors; \
server CPU 40.0 ms/answer
    """
    line = (f"{report['users']} users, {report['requests']} requests against {report['url']} in {report['load_s']}s: "
            f"{report['answers_per_s']} answers/s, p50 {report['p50_s']}s, p95 {report['p95_s']}s, "
            f"max {report['max_s']}s, {report['errors']} errors")
    if report.get("server_cpu_ms_per_answer") is not None:
        line += f"; server CPU {report['server_cpu_ms_per_answer']} ms/answer"
    if report.get("client_cpu_ms_per_answer") is not None:
        line += f", this script's {report['client_cpu_ms_per_answer']}"
    if report.get("soak_s"):
        line += (f"\nserver RSS {report['rss_start_mb']} MB at the start, {report['rss_end_mb']} MB at the end; "
                 f"samples (s, MB): {report['rss_samples_mb']}")
    return line


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running chat; default: start `careerbot chat` on a free loopback port")
    ap.add_argument("--pid", type=int, help="with --url: the chat's process id, for its CPU time and memory")
    ap.add_argument("--users", type=int, help="concurrent users (default 20; 100 with --soak)")
    ap.add_argument("--rounds", type=int, default=1, help="questions per user, asked one after another")
    ap.add_argument("--soak", type=float, metavar="SECONDS", help="keep asking for SECONDS instead of --rounds, "
                    "sampling the server's memory every --sample-every seconds")
    ap.add_argument("--sample-every", type=float, default=30.0, metavar="SECONDS")
    ap.add_argument("--store-dir", help="the started chat's store (default: CAREERBOT_STORE_DIR or .careerbot/chroma); "
                    "corpus/ is ingested into it when it is empty")
    ap.add_argument("--tls-verify", action="store_true", help="let the clients load TLS certificates even over "
                    "plain http (gradio_client's default; costs ~40 ms of this script's CPU per request)")
    ap.add_argument("--no-warm-up", action="store_true", help="do not ask each question once before the clock starts")
    ap.add_argument("--startup-timeout", type=float, default=300)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    users = args.users or (100 if args.soak else 20)
    if users < 1 or args.rounds < 1 or (args.soak is not None and args.soak <= 0):
        ap.error("--users, --rounds and --soak must be above 0")
    for k, v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                 "GRADIO_ANALYTICS_ENABLED": "False"}.items():
        os.environ.setdefault(k, v)

    proc = None
    url, pid = args.url, args.pid
    home = None
    if not url:
        import tempfile

        home = tempfile.TemporaryDirectory(prefix="load-chat-home-")  # votes and uploads: not the user's
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        careerbot = Path(sys.executable).parent / "careerbot"
        cmd = [str(careerbot), "chat", "--host", "127.0.0.1", "--port", str(port), "--ingest-if-empty", "corpus",
               "--home", home.name]
        cmd += ["--store-dir", args.store_dir] if args.store_dir else []
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pid = proc.pid
        wait_up(url, proc, args.startup_timeout)
    try:
        if not args.no_warm_up:
            try:
                warm_up(url)
            except Exception as e:  # noqa: BLE001 - one line, not a traceback
                raise SystemExit(f"load_chat: the warm-up question failed: {type(e).__name__}: {str(e)[:160]}") from None
        report = run_load(url, users, args.rounds, args.soak, pid, args.sample_every, args.tls_verify)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if home is not None:
            home.cleanup()
    if args.json:
        print(json.dumps(report))
    else:
        print(summary(report))
        for e in report["error_samples"]:
            print(f"  {e}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
