"""`careerbot doctor`: check each part (store, embedding model, LLM) and print a table.

Every check is a plain function `Settings -> Check` that never raises: a
failure becomes a row with status FAIL and a one-line reason. The command
exits 1 when any row failed.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from typing import Any

from bot.settings import Settings

PACKAGES = ("careerbot", "chromadb", "sentence-transformers", "torch", "langchain-core", "langchain-openai",
            "langchain-ollama", "llama-cpp-python", "gradio")
ONE_WORD = [
    {"role": "system", "content": "You answer with exactly one word."},
    {"role": "user", "content": "Reply with the single word OK."},
]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    seconds: float = 0.0


def format_table(checks: Sequence[Check]) -> str:
    """A fixed-width table, one row per check.

    >>> print(format_table([Check("store", True, "12 chunks", 0.03), Check("llm", False, "connection refused")]))
    CHECK  STATUS  TIME   DETAIL
    store  ok      0.03s  12 chunks
    llm    FAIL    0.00s  connection refused
    """
    rows = [("CHECK", "STATUS", "TIME", "DETAIL")]
    rows += [(c.name, "ok" if c.ok else "FAIL", f"{c.seconds:.2f}s", c.detail) for c in checks]
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]}".rstrip() for r in rows)


def _one_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:200] if text else type(e).__name__


def _timed(name: str, fn: Callable[[], tuple[bool, str]]) -> Check:
    t0 = time.perf_counter()
    try:
        ok, detail = fn()
    except Exception as e:  # a doctor reports, it does not crash
        ok, detail = False, f"{type(e).__name__}: {_one_line(e)}"
    return Check(name, ok, detail, time.perf_counter() - t0)


# -- the checks ----------------------------------------------------------------
def check_store(settings: Settings) -> Check:
    """Reachable, with its document and chunk counts; an empty store fails (nothing to answer from)."""

    def run() -> tuple[bool, str]:
        from ingest.api import StoreError, build_store

        where = settings.chroma_url or str(settings.store_dir)
        if not settings.chroma_url and not settings.store_dir.is_dir():
            return False, f"no store at {where}: run `careerbot ingest corpus/`"
        try:
            store = build_store(settings.store_dir, settings.chroma_url, settings.collection)
            chunks, docs = store.count(), len(store.records())
        except StoreError as e:
            return False, str(e)
        kind = "Chroma server" if settings.chroma_url else "Chroma folder"
        counts = f"{docs} document{'s' * (docs != 1)}, {chunks} chunks"
        if chunks == 0:
            return False, f"{kind} {where} is empty: run `careerbot ingest corpus/`"
        return True, f"{kind} {where}: {counts}"

    return _timed("store", run)


def check_embedder(settings: Settings) -> Check:
    def run() -> tuple[bool, str]:
        from ingest.api import build_embedder

        emb = build_embedder(settings.embed_model)
        vec = emb.embed(["machine learning engineer"])
        return True, f"{emb.name}: {vec.shape[1]} dimensions"

    return _timed("embedding", run)


def check_llm(settings: Settings) -> Check:
    """Ask the configured model for one word (skipped when answers are quoted, see bot.pipeline.generates)."""

    def run() -> tuple[bool, str]:
        from bot.compose.llm import LLMError, build_chat_model
        from bot.pipeline import generates

        if settings.llm == "local":
            where = settings.llm_model or "the bundled SmolLM2 GGUF"
        else:
            where = settings.llm_base_url or "the default URL"
        if not generates(settings):
            return True, (f"not used: answers are quoted from the articles (answer mode {settings.answer_mode}); "
                          f"configured: {settings.llm}, {where}")
        try:
            model = build_chat_model(settings.replace(max_tokens=8))
            reply = "".join(model.stream(ONE_WORD)).strip()
        except LLMError as e:
            return False, str(e)
        if not reply:
            return False, f"{settings.llm} model {model.name} gave an empty reply"
        words = reply.split()
        shown = " ".join(words[:4]) + (" ..." if len(words) > 4 else "")
        if settings.llm == "local":
            return True, f"local model {model.name}{' (bundled)' if not settings.llm_model else ''}: replied {shown!r}"
        return True, f"{settings.llm} model {model.name} at {where}: replied {shown!r}"

    return _timed("llm", run)


def versions() -> str:
    """`name version` for the key packages (not installed: `-`), and Python's."""
    parts = [f"python {platform.python_version()}"]
    for name in PACKAGES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} -")
    return ", ".join(parts)


def run_checks(settings: Settings) -> list[Check]:
    checks = [check_store(settings), check_embedder(settings), check_llm(settings)]
    return checks + [Check("versions", True, versions())]


# -- the command ---------------------------------------------------------------
def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    checks = run_checks(settings)
    if args.json:
        print(json.dumps({"ok": all(c.ok for c in checks), "checks": [asdict(c) for c in checks]}))
    else:
        print(format_table(checks))
    failed = [c.name for c in checks if not c.ok]
    if failed:
        print(f"careerbot doctor: {', '.join(failed)} failed", file=sys.stderr)
    return 1 if failed else 0


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = (), help: str = "") -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "doctor", parents=list(parents), help=help,
        description="Check each part with the current settings and print a table. Exit 1 when a part fails.",
    )
    p.add_argument("--json", action="store_true", help="print the checks as one JSON object")
    p.set_defaults(func=cmd_doctor)
    return p
