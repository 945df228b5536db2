"""Run cases through a Bot and collect the eval JSON.

    result = run_files(["tests/prompts/guide.yaml"], build_bot(settings))
    result.to_json()  # {"summary": {...}, "cases": [...]}, the contract's schema
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.eval.cases import Case, load_files, needs_a_check
from bot.eval.checks import Outcome, check_case, citations_valid, section_rank, source_rank
from bot.eval.metrics import summarise
from bot.types import Answer, Turn

if TYPE_CHECKING:
    from ingest.api import Embedder


class EvalBot(Protocol):
    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer: ...

    def retrieve_only(self, question: str, history: Sequence[Turn] = ()) -> Answer: ...


@dataclass
class EvalResult:
    summary: dict[str, Any]
    cases: list[dict[str, Any]]
    files: list[str] = field(default_factory=list)
    retrieval_only: bool = False
    baseline: dict[str, Any] | None = None  # set by the command when --baseline is given

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [c for c in self.cases if not c["passed"] and c.get("status") != "needs_check"]

    @property
    def to_check(self) -> list[dict[str, Any]]:
        """Cases a person has yet to complete (feedback): neither passed nor failed."""
        return [c for c in self.cases if c.get("status") == "needs_check"]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"summary": self.summary, "cases": self.cases, "files": self.files}
        if self.baseline is not None:
            out["baseline"] = self.baseline
        return out


def _source(s: Any) -> dict[str, Any]:
    return {"doc_id": s.doc_id, "title": s.title, "section": s.section, "score": round(float(s.score), 4)}


def _retrieved(h: Any) -> dict[str, Any]:
    c = h.chunk
    return {"doc_id": c.doc_id, "title": c.title, "section": c.section, "score": round(float(h.score), 4),
            "text": c.text}


def outcome_from_answer(ans: Answer, seconds: float) -> Outcome:
    """Plain data from the bot's Answer; `retrieved` is every hit, or the sources when hits are not kept."""
    retrieved = [_retrieved(h) for h in ans.hits] or [_source(s) for s in ans.sources]
    return Outcome(
        text=ans.text or "",
        refused=bool(ans.refused),
        sources=[_source(s) for s in ans.sources],
        retrieved=retrieved,
        seconds=round(seconds, 4),
        mode=ans.mode,
        query=ans.query or "",
        notes=list(ans.notes),
        why=list(getattr(ans, "why", []) or []),
        error=((ans.notes[0] if ans.notes else ans.text) or "backend error") if ans.mode == "error" else None,
    )


def run_case(case: Case, bot: EvalBot, retrieval_only: bool = False) -> Outcome:
    """One case through the bot, timed. A failing bot gives an Outcome with `error` set, not an exception."""
    t0 = time.perf_counter()
    try:
        call = bot.retrieve_only if retrieval_only else bot.answer
        ans = call(case.question, list(case.history))
    except Exception as e:  # noqa: BLE001 - one broken case must not stop the run
        return Outcome(seconds=round(time.perf_counter() - t0, 4), error=f"{type(e).__name__}: {e}")
    return outcome_from_answer(ans, time.perf_counter() - t0)


def case_record(case: Case, out: Outcome, retrieval_only: bool = False) -> dict[str, Any]:
    """The case's entry in the eval JSON (contract keys first, then extras)."""
    failures = check_case(case, out, retrieval_only)
    check = needs_a_check(case)
    rec: dict[str, Any] = {
        "id": case.id,
        "question": case.question,
        "answer": out.text,
        "refused": out.refused,
        "sources": out.sources,
        "passed": not failures and not check,
        "failures": failures,
        "status": "needs_check" if check else "pass" if not failures else "fail",
        "seconds": out.seconds,
        "file": case.file,
        "expect": case.expect,
        "tags": list(case.tags),
        "mode": out.mode,
        "query": out.query,
        "notes": out.notes,
        "why": out.why,
        "retrieved": out.retrieved,
        "citations_valid": citations_valid(out, retrieval_only),
    }
    if case.history:
        rec["history"] = [{"role": t.role, "content": t.content} for t in case.history]
    if case.sources and case.expect == "answer":
        rec["source_rank"] = source_rank([s["doc_id"] for s in out.retrieved], case.sources)
    if case.sections and case.expect == "answer":
        rec["section_rank"] = section_rank([s["section"] for s in out.retrieved], case.sections)
    if case.comment:
        rec["comment"] = case.comment
    if case.reference:
        rec["reference"] = case.reference
        rec["reference_similarity"] = None
    return rec


def reference_similarities(records: list[dict[str, Any]], embedder: Embedder) -> None:
    """Fill `reference_similarity` (cosine of answer and reference embeddings) where a case has a reference."""
    todo = [r for r in records if r.get("reference") and r.get("answer") and not r.get("refused")]
    if not todo:
        return
    vecs = embedder.embed([r["answer"] for r in todo] + [r["reference"] for r in todo])
    for i, r in enumerate(todo):
        r["reference_similarity"] = round(float(vecs[i] @ vecs[len(todo) + i]), 4)


def _progress(cases: list[Case], enabled: bool) -> Iterator[Case]:
    if not enabled:
        yield from cases
        return
    from tqdm import tqdm

    yield from tqdm(cases, desc="eval", unit="case", file=sys.stderr, leave=False)


def run_cases(
    cases: Sequence[Case],
    bot: EvalBot,
    *,
    retrieval_only: bool = False,
    embedder: Embedder | None = None,
    progress: bool | None = None,
    files: Iterable[str] = (),
) -> EvalResult:
    """Run every case; `progress=None` shows a bar only when stderr is a terminal."""
    if progress is None:
        progress = sys.stderr.isatty()
    records = [case_record(c, run_case(c, bot, retrieval_only), retrieval_only) for c in _progress(list(cases), progress)]
    embedder = embedder if embedder is not None else getattr(bot, "embedder", None)
    if embedder is not None and not retrieval_only:
        reference_similarities(records, embedder)
    summary = summarise(records)
    summary["retrieval_only"] = retrieval_only
    return EvalResult(summary, records, list(files), retrieval_only)


def run_files(
    paths: Iterable[str | Path],
    bot: EvalBot,
    retrieval_only: bool = False,
    *,
    tags: Sequence[str] = (),
    embedder: Embedder | None = None,
    progress: bool | None = None,
) -> EvalResult:
    """Load (raising CaseFileError on a bad file), optionally keep only cases with one of `tags`, and run."""
    names = [str(p) for p in paths]
    cases = load_files(names)
    if tags:
        cases = [c for c in cases if set(c.tags) & set(tags)]
    return run_cases(cases, bot, retrieval_only=retrieval_only, embedder=embedder, progress=progress, files=names)
