"""`careerbot`: a thin command line over the library.

Exit codes: 0 success, 1 the work failed or a gate failed, 2 bad usage or bad
input. Every expected failure prints one line to stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from bot.settings import Settings, SettingsError, load_settings

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    # Gradio rebuilds a table of past events after every request (5-19 ms each under load): not needed here
    "GRADIO_ANALYTICS_CACHE_FREQUENCY": "1000000000",
    # and keeps a record of each of the last 10,000 events (~0.3 KB each: a soak's memory climbs for 10 minutes)
    "GRADIO_ANALYTICS_MAX_EVENTS": "1000",
}


class CLIError(Exception):
    """An expected failure: message and exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _settings_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("settings (override CAREERBOT_* variables)")
    g.add_argument("--store-dir", type=Path, help="folder of the embedded Chroma store (CAREERBOT_STORE_DIR)")
    g.add_argument("--chroma-url", help="http://host:port of a Chroma server (CAREERBOT_CHROMA_URL)")
    g.add_argument("--llm", choices=["local", "openai", "ollama", "fake"], help="LLM backend (CAREERBOT_LLM)")
    g.add_argument("--llm-model", help="model name for a server, or a .gguf path (CAREERBOT_LLM_MODEL)")
    g.add_argument("--llm-base-url", help="the LLM server's base URL (CAREERBOT_LLM_BASE_URL)")
    g.add_argument("--top-k", type=int, help="passages retrieved per question (CAREERBOT_TOP_K)")
    g.add_argument("--answer-mode", choices=["auto", "generate", "extractive"],
                   help="auto: generate, check, quote when unverifiable; extractive: no model (CAREERBOT_ANSWER_MODE)")
    g.add_argument("--home", type=Path, help="folder of the chat's votes and uploads (CAREERBOT_HOME, default .careerbot)")
    return p


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("store_dir", "chroma_url", "llm", "llm_model", "llm_base_url", "top_k", "answer_mode", "home")
    return {k: getattr(args, k, None) for k in keys}


# -- ingest ------------------------------------------------------------------
def index_sync(settings: Settings, embedder: Any) -> Callable[[Any], None]:
    """Ingest's `after_write`: the BM25 index rebuilt, the quotable lines' vectors saved (bot.compose.prepared)."""
    from bot.compose.prepared import after_write

    return lambda store: after_write(store, embedder, settings.state_dir)


def run_ingest(paths: Sequence[Path], settings: Settings, *, dry_run: bool = False, progress: bool = False,
               embedder: Any = None) -> Any:
    """Ingest `paths` into the configured store and keep the BM25 index and the quotable lines' vectors in step;
    `embedder` (default: the configured model, loaded only if a chunk needs embedding) lets a caller share one
    and its cache."""
    from ingest.api import IngestInputError, StoreError, build_embedder, build_store, ingest_paths

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise CLIError(f"no such file or folder: {missing[0]}", 2)
    try:
        store = build_store(settings.store_dir, settings.chroma_url, settings.collection)
        embedder = embedder or build_embedder(settings.embed_model)
        sync = index_sync(settings, embedder)
        synced: list[bool] = []

        def after_write(s: Any) -> None:
            sync(s)
            synced.append(True)

        report = ingest_paths(
            paths, store, embedder, chunk_chars=settings.chunk_chars,
            max_file_bytes=settings.max_file_bytes, dry_run=dry_run, progress=progress,
            after_write=after_write,
        )
        if not dry_run and not synced and settings.state_dir is not None:
            from bot.compose.prepared import prepare
            from ingest.api import load_or_build

            # rebuilt when a killed run left it out of step; the lines' vectors saved when a store lacks them
            prepare(load_or_build(store, settings.state_dir).chunks, embedder, settings.state_dir)
        return report
    except IngestInputError as e:
        raise CLIError(str(e), 2) from None
    except StoreError as e:
        raise CLIError(str(e), 1) from None


def run_ingest_debug(paths: Sequence[Path], settings: Settings, **kwargs: Any) -> Any:
    """`run_ingest` with each file's failure and its traceback on stderr (`ingest --debug`)."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("careerbot ingest: debug: %(message)s"))
    log = logging.getLogger("careerbot.ingest")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        return run_ingest(paths, settings, **kwargs)
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    run = run_ingest_debug if getattr(args, "debug", False) else run_ingest
    report = run(args.paths, settings, dry_run=args.dry_run, progress=sys.stderr.isatty() and not args.json)
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        if args.dry_run:
            for step in report.plan:
                print(f"would {step['action']:<6} {step['doc_id']}  ({step['path']})")
        for note in report.notes:
            print(note)
        verb = "would be " if args.dry_run else ""
        print(f"{verb}added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
              f"removed {report.removed}; {report.chunks_embedded} chunks embedded in {report.seconds:.1f}s")
    for f in report.failed:
        print(f"careerbot ingest: {f['path']}: {f['error']}", file=sys.stderr)
    return 1 if report.failed else 0


# -- ask ---------------------------------------------------------------------
def format_sources(sources: Sequence[Any]) -> str:
    """
    >>> from bot.types import Source
    >>> print(format_sources([Source("guide", "How to", "Salary Expectations > Entry Level", 0.71)]))
    [1] guide: Salary Expectations > Entry Level (0.71)
    """
    return "\n".join(f"[{i}] {s.doc_id}: {s.section} ({s.score:.2f})" for i, s in enumerate(sources, 1))


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.pipeline import build_bot, validate_question
    from ingest.api import StoreError

    problem = validate_question(args.question, settings.max_question_chars)
    if problem:
        raise CLIError(problem, 2)
    try:
        answer = build_bot(settings).answer(args.question)
    except StoreError as e:
        raise CLIError(str(e), 1) from None
    if answer.mode == "empty":
        raise CLIError(answer.text, 1)
    if answer.mode == "error":
        print(f"careerbot ask: {answer.notes[0] if answer.notes else answer.text}", file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_json()))
    elif answer.mode != "error":
        print(answer.text)
        if answer.sources and not answer.refused:
            print("\nSources:\n" + format_sources(answer.sources))
        for note in answer.notes:
            print(f"({note})")
    return 1 if answer.mode == "error" else 0


# -- chat --------------------------------------------------------------------
def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web.app import serve

    if args.ingest_if_empty:
        from ingest.api import StoreError, build_store

        try:
            empty = build_store(settings.store_dir, settings.chroma_url, settings.collection).count() == 0
        except StoreError as e:
            raise CLIError(str(e), 1) from None
        if empty:
            print(f"The store is empty: ingesting {args.ingest_if_empty} first.", file=sys.stderr)
            report = run_ingest([args.ingest_if_empty], settings, progress=sys.stderr.isatty())
            print(f"added {report.added} documents, {report.chunks_embedded} chunks", file=sys.stderr)
            for f in report.failed:
                print(f"careerbot ingest: {f['path']}: {f['error']}", file=sys.stderr)
    serve(settings, host=args.host, port=args.port)
    return 0


# -- parser ------------------------------------------------------------------
# Commands whose modules are imported only to run them (or to print the help): `ask` needs none of them.
MORE_COMMANDS = {
    "eval": ("bot.eval.command", "run YAML test prompts and score the answers"),
    "doctor": ("bot.doctor", "check the store, the embedding model and the LLM"),
    "feedback": ("bot.web.feedback", "the votes given in the chat"),
}
CORE_COMMANDS = ("ingest", "ask", "chat")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; given `command` (one of CORE_COMMANDS), the others of MORE_COMMANDS are only listed."""
    parent = _settings_parent()
    parser = argparse.ArgumentParser(prog="careerbot", description="Career advice from the articles you give it.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", parents=[parent], help="add or update articles (files or folders)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--dry-run", action="store_true", help="print the plan and write nothing")
    p.add_argument("--debug", action="store_true", help="print the traceback of each file that fails (stderr)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", parents=[parent], help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", parents=[parent], help="serve the web chat")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to serve on (default 127.0.0.1: this machine only); beyond it, set "
                   "CAREERBOT_CHAT_AUTH=user:password (or a file of such lines) to ask a login")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--ingest-if-empty", type=Path, metavar="PATH", help="ingest PATH first when the store is empty")
    p.set_defaults(func=cmd_chat)

    for name, (module, help_) in MORE_COMMANDS.items():
        if command in (None, name):
            importlib.import_module(module).add_parser(sub, parents=[parent], help=help_)
        else:  # listed, never parsed: the command asked for is another one
            sub.add_parser(name, help=help_)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for k, v in OFFLINE_ENV.items():
        os.environ.setdefault(k, v)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv and argv[0] in CORE_COMMANDS else None).parse_args(argv)
    try:
        settings = load_settings(_overrides(args))
        return int(args.func(args, settings))
    except SettingsError as e:
        print(f"careerbot: {e}", file=sys.stderr)
        return 2
    except CLIError as e:
        print(f"careerbot {args.command}: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print(f"careerbot {args.command}: interrupted", file=sys.stderr)
        return 1


# Commands that write nothing once they have printed, so the process may end without tearing the interpreter
# down: that teardown (Chroma's client, the model's arrays, a thousand modules) took 0.4 s of a 3 s cold ask.
QUICK_EXIT = ("ask",)


def run() -> None:
    """The `careerbot` console script: `main`, then the exit."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] and argv[0] in QUICK_EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
