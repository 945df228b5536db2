"""Summary metrics over case results. Pure functions over the case dicts of the eval JSON.

Each case dict carries, besides the contract keys (id, passed, refused, seconds...):
``expect`` ("answer" | "refuse"), ``tags``, ``source_rank`` / ``section_rank`` (1-based rank of the first
retrieved passage from an expected source, None when missed, absent when the case
names no sources), ``citations_valid`` (bool, or None when nothing was cited) and
``reference_similarity`` (float, or None).

A rate over no applicable case is 0.0, and its count (``n_answer``, ``n_refuse``,
``n_retrieval``, ``n_cited``) says so; reports show such a rate as "-".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

RATE_KEYS = (
    "answer_pass_rate", "retrieval_hit_rate", "mrr", "refusal_accuracy", "false_refusal_rate", "citation_validity",
)
# metric -> the count of cases it is measured over
COUNT_OF = {
    "answer_pass_rate": "cases", "retrieval_hit_rate": "n_retrieval", "mrr": "n_retrieval",
    "refusal_accuracy": "n_refuse", "false_refusal_rate": "n_answer", "citation_validity": "n_cited",
    "reference_similarity": "n_reference", "section_hit_rate": "n_section", "section_mrr": "n_section",
}
HIGHER_IS_BETTER = {
    "answer_pass_rate": True, "retrieval_hit_rate": True, "mrr": True, "refusal_accuracy": True,
    "false_refusal_rate": False, "citation_validity": True, "p50_s": False, "p95_s": False,
    "reference_similarity": True, "section_hit_rate": True, "section_mrr": True,
}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method); 0.0 for no values.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([1.0, 2.0, 3.0, 4.0], 95), percentile([], 50)
    (2.5, 3.85, 0.0)
    """
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return round(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo), 6)


def _rate(num: float, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def summarise(cases: Sequence[dict[str, Any]], by_tag: bool = True) -> dict[str, Any]:
    """The summary object of the eval JSON.

    answer_pass_rate: passed cases / all cases. retrieval_hit_rate and mrr: over
    answer cases naming `sources`. refusal_accuracy: refuse cases refused / refuse
    cases. false_refusal_rate: answer cases refused / answer cases.
    citation_validity: answers whose cited passages were all retrieved / answers citing any.
    section_hit_rate and section_mrr: the same as retrieval_hit_rate and mrr, for answer cases naming `sections`.

    >>> cs = [
    ...  {"id": "a", "passed": True, "refused": False, "expect": "answer", "seconds": 1.0, "source_rank": 1,
    ...   "citations_valid": True, "tags": ["salary"]},
    ...  {"id": "b", "passed": False, "refused": True, "expect": "answer", "seconds": 2.0, "source_rank": 2,
    ...   "citations_valid": None, "tags": ["salary"]},
    ...  {"id": "c", "passed": True, "refused": True, "expect": "refuse", "seconds": 3.0, "tags": ["refuse"]},
    ...  {"id": "d", "passed": False, "refused": False, "expect": "refuse", "seconds": 4.0, "tags": ["refuse"]}]
    >>> s = summarise(cs)
    >>> s["answer_pass_rate"], s["retrieval_hit_rate"], s["mrr"], s["refusal_accuracy"], s["false_refusal_rate"]
    (0.5, 1.0, 0.75, 0.5, 0.5)
    >>> s["p50_s"], s["p95_s"], s["by_tag"]["salary"]["cases"], s["by_tag"]["refuse"]["refusal_accuracy"]
    (2.5, 3.85, 2, 0.5)
    """
    n = len(cases)
    passed = sum(1 for c in cases if c.get("passed"))
    to_check = sum(1 for c in cases if c.get("status") == "needs_check")  # not passed, not failed: unfinished
    answer = [c for c in cases if c.get("expect", "answer") == "answer"]
    refuse = [c for c in cases if c.get("expect") == "refuse"]
    retr = [c for c in answer if "source_rank" in c]
    ranks = [c["source_rank"] for c in retr]
    sec_ranks = [c["section_rank"] for c in answer if "section_rank" in c]
    cited = [c for c in cases if c.get("citations_valid") is not None]
    refs = [c["reference_similarity"] for c in cases if c.get("reference_similarity") is not None]
    secs = [float(c.get("seconds", 0.0)) for c in cases]
    out: dict[str, Any] = {
        "cases": n,
        "passed": passed,
        "failed": n - passed - to_check,
        "needs_check": to_check,
        "answer_pass_rate": _rate(passed, n),
        "retrieval_hit_rate": _rate(sum(1 for r in ranks if r), len(retr)),
        "mrr": _rate(sum(1.0 / r for r in ranks if r), len(retr)),
        "refusal_accuracy": _rate(sum(1 for c in refuse if c.get("refused")), len(refuse)),
        "false_refusal_rate": _rate(sum(1 for c in answer if c.get("refused")), len(answer)),
        "citation_validity": _rate(sum(1 for c in cited if c["citations_valid"]), len(cited)),
        "section_hit_rate": _rate(sum(1 for r in sec_ranks if r), len(sec_ranks)),
        "section_mrr": _rate(sum(1.0 / r for r in sec_ranks if r), len(sec_ranks)),
        "p50_s": round(percentile(secs, 50), 4),
        "p95_s": round(percentile(secs, 95), 4),
        "n_answer": len(answer),
        "n_refuse": len(refuse),
        "n_retrieval": len(retr),
        "n_cited": len(cited),
        "n_section": len(sec_ranks),
        "n_reference": len(refs),
    }
    if refs:
        out["reference_similarity"] = round(sum(refs) / len(refs), 4)
    if by_tag:
        tags = sorted({t for c in cases for t in c.get("tags") or []})
        out["by_tag"] = {t: summarise([c for c in cases if t in (c.get("tags") or [])], by_tag=False) for t in tags}
    return out


def applicable(summary: dict[str, Any], metric: str) -> bool:
    """Whether a metric was measured over at least one case.

    >>> applicable({"refusal_accuracy": 0.0, "n_refuse": 0}, "refusal_accuracy")
    False
    """
    if metric not in summary:
        return False
    count = COUNT_OF.get(metric)
    return count is None or bool(summary.get(count))


def fmt(summary: dict[str, Any], metric: str) -> str:
    """A metric for display: 3 decimals, seconds with 's', '-' when not measured.

    >>> fmt({"mrr": 0.75, "n_retrieval": 4}, "mrr"), fmt({"p95_s": 1.23456}, "p95_s"), fmt({"mrr": 0.0}, "mrr")
    ('0.750', '1.23s', '-')
    """
    if not applicable(summary, metric):
        return "-"
    v = summary[metric]
    return f"{v:.2f}s" if metric.endswith("_s") else f"{v:.3f}"
