"""Compare a run with an earlier one (its --json file): flipped cases and metric deltas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.eval.metrics import HIGHER_IS_BETTER, applicable


class BaselineError(Exception):
    """The baseline file is missing or not an eval JSON (exit 2)."""


def load_baseline(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BaselineError(f"{path}: cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"{path}: not JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("summary"), dict) or not isinstance(data.get("cases"), list):
        raise BaselineError(f"{path}: not an eval JSON (expected 'summary' and 'cases')")
    return data


def _key(case: dict[str, Any], ambiguous: set[str]) -> str:
    cid = str(case.get("id", ""))
    if cid in ambiguous and case.get("file"):
        return f"{Path(str(case['file'])).name}:{cid}"
    return cid


def _keyed(cases: list[dict[str, Any]], ambiguous: set[str]) -> dict[str, dict[str, Any]]:
    return {_key(c, ambiguous): c for c in cases if isinstance(c, dict)}


def _dupes(cases: list[dict[str, Any]]) -> set[str]:
    seen: set[str] = set()
    dup: set[str] = set()
    for c in cases:
        cid = str(c.get("id", "")) if isinstance(c, dict) else ""
        (dup if cid in seen else seen).add(cid)
    return dup


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Cases that flipped and each metric's change. Cases are matched by id (file:id when ids repeat).

    >>> old = {"summary": {"answer_pass_rate": 0.5, "cases": 2, "p50_s": 1.0},
    ...        "cases": [{"id": "a", "passed": True}, {"id": "b", "passed": False}]}
    >>> new = {"summary": {"answer_pass_rate": 0.5, "cases": 2, "p50_s": 1.5},
    ...        "cases": [{"id": "a", "passed": False}, {"id": "b", "passed": True}, {"id": "c", "passed": True}]}
    >>> d = compare(old, new)
    >>> d["fixed"], d["broken"], d["added"], d["removed"]
    (['b'], ['a'], ['c'], [])
    >>> d["metrics"]["p50_s"]
    {'old': 1.0, 'new': 1.5, 'delta': 0.5, 'better': False}
    """
    ambiguous = _dupes(old.get("cases", [])) | _dupes(new.get("cases", []))
    o, n = _keyed(old.get("cases", []), ambiguous), _keyed(new.get("cases", []), ambiguous)
    fixed = [k for k in n if k in o and n[k].get("passed") and not o[k].get("passed")]
    broken = [k for k in n if k in o and not n[k].get("passed") and o[k].get("passed")]
    metrics: dict[str, dict[str, Any]] = {}
    os_, ns = old.get("summary", {}), new.get("summary", {})
    for m, higher in HIGHER_IS_BETTER.items():
        if not (applicable(os_, m) and applicable(ns, m)):
            continue
        a, b = float(os_[m]), float(ns[m])
        delta = round(b - a, 4)
        better = None if delta == 0 else (delta > 0) == higher
        metrics[m] = {"old": a, "new": b, "delta": delta, "better": better}
    return {
        "fixed": fixed,
        "broken": broken,
        "added": [k for k in n if k not in o],
        "removed": [k for k in o if k not in n],
        "metrics": metrics,
    }


def format_diff(diff: dict[str, Any], label: str = "baseline") -> list[str]:
    """Human lines for the terminal and report.md.

    >>> format_diff({"fixed": ["b"], "broken": ["a"], "added": [], "removed": [],
    ...              "metrics": {"mrr": {"old": 0.5, "new": 0.75, "delta": 0.25, "better": True},
    ...                          "p50_s": {"old": 1.0, "new": 1.0, "delta": 0.0, "better": None}}})
    ['baseline: 1 fixed, 1 broken, 0 added, 0 removed', '  broken: a', '  fixed:  b', '  mrr 0.500 -> 0.750 (+0.250)', \
'  unchanged: p50_s']
    """
    lines = [
        f"{label}: {len(diff['fixed'])} fixed, {len(diff['broken'])} broken, "
        f"{len(diff['added'])} added, {len(diff['removed'])} removed"
    ]
    if diff["broken"]:
        lines.append("  broken: " + ", ".join(diff["broken"]))
    if diff["fixed"]:
        lines.append("  fixed:  " + ", ".join(diff["fixed"]))
    same = [m for m, d in diff["metrics"].items() if d["delta"] == 0]
    for m, d in diff["metrics"].items():
        if d["delta"] != 0:
            unit = "s" if m.endswith("_s") else ""
            lines.append(f"  {m} {d['old']:.3f}{unit} -> {d['new']:.3f}{unit} ({d['delta']:+.3f}{unit})")
    if same:
        lines.append("  unchanged: " + ", ".join(same))
    return lines
