"""Load check for the web chat: N concurrent gradio_client users against `careerbot chat`.

Not a test: it prints latency figures and exits 1 when any request failed.

    # start `careerbot chat --ingest-if-empty corpus` on a free loopback port with the
    # current CAREERBOT_* settings, then load it
    .venv/bin/python scripts/load_chat.py --users 20
    # or load a chat that is already running
    .venv/bin/python scripts/load_chat.py --url http://127.0.0.1:7860 --users 20

Each user opens its own gradio_client.Client, waits at a barrier so all start
together, and asks `--rounds` questions in turn through api_name="/chat". A
request fails when it raises, or when the chat shows an error instead of an
answer with sources or a refusal.
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
ERROR_MARKERS = ("Sorry, something went wrong", "The most relevant passages:")
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

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def user(url: str, index: int, rounds: int, barrier: threading.Barrier, results: Results) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as e:
        barrier.abort()
        results.add(0.0, f"user {index}: cannot connect: {type(e).__name__}: {e}")
        return
    try:
        barrier.wait(timeout=300)
    except threading.BrokenBarrierError:
        pass
    for r in range(rounds):
        question = QUESTIONS[(index + r) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            reply = client.predict(question, api_name="/chat")
            err = problem(reply)
        except Exception as e:
            err = f"{type(e).__name__}: {str(e)[:160]}"
        results.add(time.perf_counter() - t0, f"user {index}: {err}" if err else None)


def run_load(url: str, users: int, rounds: int) -> dict:
    results = Results()
    barrier = threading.Barrier(users)
    threads = [threading.Thread(target=user, args=(url, i, rounds, barrier, results)) for i in range(users)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = results.latencies
    return {
        "url": url, "users": users, "requests": len(lat), "errors": len(results.errors),
        "p50_s": round(percentile(lat, 50), 2), "p95_s": round(percentile(lat, 95), 2),
        "max_s": round(max(lat), 2) if lat else math.nan, "wall_s": round(wall, 2),
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


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running chat; default: start `careerbot chat` on a free loopback port")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=1, help="questions per user, asked one after another")
    ap.add_argument("--startup-timeout", type=float, default=300)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    for k, v in {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False"}.items():
        os.environ.setdefault(k, v)

    proc = None
    url = args.url
    if not url:
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        careerbot = Path(sys.executable).parent / "careerbot"
        cmd = [str(careerbot), "chat", "--host", "127.0.0.1", "--port", str(port), "--ingest-if-empty", "corpus"]
        proc = subprocess.Popen(cmd, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_up(url, proc, args.startup_timeout)
    try:
        report = run_load(url, args.users, args.rounds)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{report['users']} users, {report['requests']} requests against {report['url']} "
              f"in {report['wall_s']}s: p50 {report['p50_s']}s, p95 {report['p95_s']}s, max {report['max_s']}s, "
              f"{report['errors']} errors")
        for e in report["error_samples"]:
            print(f"  {e}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
