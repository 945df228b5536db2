"""The `careerbot eval` subcommand: a thin adapter over runner, report and baseline.

Exit codes: 0 the run finished and every gate held; 1 a gate failed or the bot
could not run; 2 a bad file, flag or baseline. Errors are one line each on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.eval.baseline import BaselineError, compare, format_diff, load_baseline
from bot.eval.cases import CaseFileError, load_files
from bot.eval.metrics import applicable
from bot.eval.report import headline, summary_lines, write_reports
from bot.eval.runner import EvalBot, run_cases
from bot.settings import Settings

PROG = "careerbot eval"
# flag -> (metric, what the metric needs)
GATES = {
    "min_pass": ("answer_pass_rate", "any case"),
    "min_hit": ("retrieval_hit_rate", "an answer case with `sources`"),
    "min_refusal": ("refusal_accuracy", "a case with `expect: refuse`"),
    "min_section_hit": ("section_hit_rate", "an answer case with `sections`"),
}


def _rate(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, not {text!r}") from None
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return v


def add_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = (), help: str = "") -> argparse.ArgumentParser:
    """Add `eval` to the `careerbot` subparsers; the parsed args carry `func=run`."""
    p = subparsers.add_parser(
        "eval", parents=list(parents), help=help,
        description="Run evaluation cases (YAML) through the bot, check and score the answers, write reports. "
        "Exit 0 when every gate holds, 1 when a gate fails, 2 on a bad file or flag.",
    )
    p.add_argument("files", nargs="+", metavar="FILE.yaml", help="evaluation files (see README: Evaluating answers)")
    p.add_argument("--json", dest="json_out", metavar="OUT", help="write the results as one JSON object to OUT")
    p.add_argument("--report", dest="report_dir", metavar="DIR", help="write report.html, report.md and junit.xml")
    p.add_argument("--baseline", metavar="OLD.json", help="compare with an earlier --json output")
    p.add_argument("--min-pass", type=_rate, metavar="RATE", help="exit 1 if answer_pass_rate is below RATE (0-1)")
    p.add_argument("--min-hit", type=_rate, metavar="RATE", help="exit 1 if retrieval_hit_rate is below RATE")
    p.add_argument("--min-refusal", type=_rate, metavar="RATE", help="exit 1 if refusal_accuracy is below RATE")
    p.add_argument("--min-section-hit", type=_rate, metavar="RATE", help="exit 1 if section_hit_rate is below RATE")
    p.add_argument("--retrieval-only", action="store_true",
                   help="skip generation: check only retrieval and the refusal decision (fast)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="run only cases with this tag (repeatable)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.set_defaults(func=run)
    return p


def _err(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr)


def _prepare_out(path: str | None, is_dir: bool) -> str | None:
    """Create the output folder up front, so a long run is not lost to an unwritable path."""
    if not path:
        return None
    folder = Path(path) if is_dir else Path(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return f"cannot create {folder}: {e.strerror or e}"
    if is_dir and not folder.is_dir():
        return f"{path} is not a folder"
    return None


def check_gates(summary: dict[str, Any], args: argparse.Namespace) -> list[str]:
    """One message per gate that failed.

    >>> ns = argparse.Namespace(min_pass=0.9, min_hit=None, min_refusal=0.5, min_section_hit=None)
    >>> check_gates({"cases": 4, "answer_pass_rate": 0.75, "refusal_accuracy": 0.0, "n_refuse": 0}, ns)
    ['answer_pass_rate 0.750 is below --min-pass 0.900', 'refusal_accuracy: no case to measure it (needs a case \
with `expect: refuse`), so --min-refusal 0.500 cannot hold']
    """
    problems = []
    for flag, (metric, needs) in GATES.items():
        floor = getattr(args, flag, None)
        if floor is None:
            continue
        name = "--" + flag.replace("_", "-")
        if not applicable(summary, metric):
            problems.append(f"{metric}: no case to measure it (needs {needs}), so {name} {floor:.3f} cannot hold")
        elif summary[metric] < floor:
            problems.append(f"{metric} {summary[metric]:.3f} is below {name} {floor:.3f}")
    return problems


def _default_bot(settings: Settings) -> EvalBot:
    from bot.pipeline import build_bot

    bot = build_bot(settings)
    bot.warm()  # as the chat does before serving: the first case is not timed loading word lists
    return bot


def run(args: argparse.Namespace, settings: Settings, make_bot: Callable[[Settings], EvalBot] | None = None) -> int:
    """Handle `careerbot eval`; `make_bot` defaults to bot.pipeline.build_bot."""
    try:
        cases = load_files(args.files)
    except CaseFileError as e:
        for line in e.errors:
            _err(line)
        return 2
    tags = list(getattr(args, "tag", None) or [])
    if tags:
        cases = [c for c in cases if set(c.tags) & set(tags)]
        if not cases:
            _err(f"no case has the tag {' or '.join(tags)}")
            return 2
    old = None
    if getattr(args, "baseline", None):
        try:
            old = load_baseline(args.baseline)
        except BaselineError as e:
            _err(str(e))
            return 2
    for path, is_dir in ((getattr(args, "json_out", None), False), (getattr(args, "report_dir", None), True)):
        problem = _prepare_out(path, is_dir)
        if problem:
            _err(problem)
            return 2

    try:
        bot = (make_bot or _default_bot)(settings)
    except Exception as e:  # noqa: BLE001 - a store or model that cannot start is a one-line error
        _err(f"cannot start the bot: {e}")
        return 1
    store = getattr(getattr(bot, "retriever", None), "store", None)
    if store is not None and store.count() == 0:
        _err("the store is empty, so every case would fail: run `careerbot ingest corpus/` first")
        return 1
    progress = None if not getattr(args, "no_progress", False) else False
    result = run_cases(cases, bot, retrieval_only=bool(getattr(args, "retrieval_only", False)),
                       progress=progress, files=[str(f) for f in args.files])
    if old is not None:
        result.baseline = compare(old, result.to_json())

    try:
        if getattr(args, "json_out", None):
            Path(args.json_out).write_text(json.dumps(result.to_json(), indent=1, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
        if getattr(args, "report_dir", None):
            write_reports(result, args.report_dir)
    except OSError as e:
        _err(f"cannot write the results: {e.strerror or e}")
        return 1

    for c in result.failed:
        print(f"FAIL {c['id']}: {'; '.join(c['failures'])}")
    for c in result.to_check:
        print(f"NEEDS A CHECK {c['id']}: a feedback case with nothing to check yet (write must_include, "
              "then delete needs_check)")
    for line in summary_lines(result):
        print(line)
    if result.baseline is not None:
        for line in format_diff(result.baseline, f"baseline {args.baseline}"):
            print(line)
    if getattr(args, "json_out", None):
        print(f"wrote {args.json_out}")
    if getattr(args, "report_dir", None):
        print(f"wrote {Path(args.report_dir) / 'report.html'}, report.md, junit.xml")
    print(headline(result))
    gate_failures = check_gates(result.summary, args)
    for g in gate_failures:
        _err(f"gate failed: {g}")
    return 1 if gate_failures else 0
