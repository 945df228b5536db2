"""Reports of a run: report.html (self-contained, offline), report.md and junit.xml.

The render_* functions are pure (result -> text); write_reports puts them in a folder.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from bot.eval.baseline import format_diff
from bot.eval.metrics import applicable, fmt
from bot.eval.runner import EvalResult

SHOWN = (
    "answer_pass_rate", "retrieval_hit_rate", "mrr", "section_hit_rate", "section_mrr", "refusal_accuracy",
    "false_refusal_rate", "citation_validity", "reference_similarity", "p50_s", "p95_s",
)
TAG_SHOWN = ("answer_pass_rate", "section_hit_rate", "section_mrr", "refusal_accuracy", "false_refusal_rate", "p50_s")


def headline(result: EvalResult) -> str:
    """
    >>> headline(EvalResult({"cases": 3, "passed": 2, "failed": 1}, []))
    'eval: 2 passed, 1 failed'
    """
    s = result.summary
    return f"eval: {s['passed']} passed, {s['failed']} failed" + _to_check(s)


def _to_check(s: dict[str, Any]) -> str:
    """
    >>> _to_check({"needs_check": 2}), _to_check({})
    (', 2 need a check', '')
    """
    n = s.get("needs_check", 0)
    return f", {n} need{'s' if n == 1 else ''} a check" if n else ""


def _status(c: dict[str, Any]) -> str:
    """
    >>> _status({"passed": True}), _status({"passed": False, "status": "needs_check"}), _status({"passed": False})
    ('pass', 'needs a check', 'FAIL')
    """
    return "needs a check" if c.get("status") == "needs_check" else "pass" if c["passed"] else "FAIL"


def summary_lines(result: EvalResult) -> list[str]:
    """Metric lines for the terminal and report.md.

    >>> summary_lines(EvalResult({"cases": 2, "passed": 2, "failed": 0, "answer_pass_rate": 1.0,
    ...                           "mrr": 0.5, "n_retrieval": 2}, []))
    ['cases 2, passed 2, failed 0', 'answer_pass_rate 1.000   mrr 0.500']
    """
    s = result.summary
    mode = " (retrieval only)" if s.get("retrieval_only") else ""
    shown = [f"{m} {fmt(s, m)}" for m in SHOWN if applicable(s, m)]
    return [f"cases {s['cases']}, passed {s['passed']}, failed {s['failed']}{_to_check(s)}{mode}", "   ".join(shown)]


def _esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:72rem;color:#222;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}
tr.fail td{background:#fde8e8}tr.check td{background:#fff7d6}tr.pass td.status{color:#176f2c}tr.fail td.status{color:#a11;font-weight:600}
.metric{display:inline-block;border:1px solid #ddd;border-radius:6px;padding:.4rem .7rem;margin:.2rem;min-width:9rem}
.metric b{display:block;font-size:1.2rem}.bad{color:#a11}.good{color:#176f2c}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.3rem .7rem}
details.fail{border-color:#e99;background:#fffafa}summary{cursor:pointer;font-weight:600}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem;border-radius:4px;margin:.3rem 0}
.muted{color:#777}ul.failures{color:#a11;margin:.3rem 0}
"""


def _html_baseline(diff: dict[str, Any]) -> str:
    rows = []
    for m, d in diff["metrics"].items():
        cls = "" if d["better"] is None else ("good" if d["better"] else "bad")
        rows.append(f"<tr><td>{_esc(m)}</td><td>{d['old']:.3f}</td><td>{d['new']:.3f}</td>"
                    f"<td class='{cls}'>{d['delta']:+.3f}</td></tr>")
    links = {k: ", ".join(f"<a href='#case-{_esc(i)}'>{_esc(i)}</a>" for i in diff[k]) or "none"
             for k in ("broken", "fixed", "added", "removed")}
    return (
        "<h2>Compared with the baseline</h2>"
        f"<p><b class='bad'>Broken:</b> {links['broken']}<br><b class='good'>Fixed:</b> {links['fixed']}<br>"
        f"Added: {links['added']}<br>Removed: {links['removed']}</p>"
        "<table><tr><th>metric</th><th>baseline</th><th>now</th><th>change</th></tr>" + "".join(rows) + "</table>"
    )


def _html_case(c: dict[str, Any]) -> str:
    status = "check" if c.get("status") == "needs_check" else "pass" if c["passed"] else "fail"
    parts = [f"<details id='case-{_esc(c['id'])}' class='{status}'{'' if c['passed'] else ' open'}>",
             f"<summary>{_status(c).upper()} · {_esc(c['id'])} "
             f"<span class='muted'>({_esc(c.get('file', ''))})</span></summary>"]
    if c["failures"]:
        parts.append("<ul class='failures'>" + "".join(f"<li>{_esc(f)}</li>" for f in c["failures"]) + "</ul>")
    for turn in c.get("history", []):
        parts.append(f"<p class='muted'><b>{_esc(turn['role'])}:</b> {_esc(turn['content'])}</p>")
    parts.append(f"<p><b>Question:</b> {_esc(c['question'])} <span class='muted'>(expect {_esc(c['expect'])}, "
                 f"{'refused' if c['refused'] else 'answered'}, mode {_esc(c.get('mode') or '-')}, "
                 f"{c['seconds']:.2f}s)</span></p>")
    if c.get("query") and c["query"] != c["question"]:
        parts.append(f"<p class='muted'>Retrieved with: {_esc(c['query'])}</p>")
    parts.append(f"<pre>{_esc(c['answer']) or '<span class=muted>(no answer text)</span>'}</pre>")
    if c.get("comment"):
        parts.append(f"<p><b>User's comment:</b> {_esc(c['comment'])}</p>")
    if c.get("notes"):
        parts.append("<p class='muted'>Notes: " + "; ".join(_esc(n) for n in c["notes"]) + "</p>")
    if c.get("why"):
        parts.append("<p class='muted'>Scope rules: " + "; ".join(_esc(n) for n in c["why"]) + "</p>")
    if c.get("reference"):
        sim = c.get("reference_similarity")
        parts.append(f"<p class='muted'>Reference (similarity {'-' if sim is None else f'{sim:.3f}'}): "
                     f"{_esc(c['reference'])}</p>")
    if c["sources"]:
        parts.append("<p><b>Cited:</b> " + "; ".join(
            f"{_esc(s['doc_id'])} &gt; {_esc(s['section'])} ({s['score']:.3f})" for s in c["sources"]) + "</p>")
    if c.get("retrieved"):
        parts.append("<table><tr><th>#</th><th>retrieved section</th><th>score</th></tr>")
        for i, s in enumerate(c["retrieved"], 1):
            text = f"<pre>{_esc(s['text'])}</pre>" if s.get("text") else ""
            parts.append(f"<tr><td>{i}</td><td>{_esc(s['doc_id'])} &gt; {_esc(s['section'])}{text}</td>"
                         f"<td>{s['score']:.3f}</td></tr>")
        parts.append("</table>")
    parts.append("</details>")
    return "".join(parts)


def render_html(result: EvalResult) -> str:
    """One self-contained page: inline CSS, no scripts, no network."""
    s = result.summary
    title = "careerbot eval" + (" (retrieval only)" if s.get("retrieval_only") else "")
    metrics = "".join(f"<span class='metric'>{_esc(m)}<b>{fmt(s, m)}</b></span>" for m in SHOWN if m in s)
    tag_rows = "".join(
        f"<tr><td>{_esc(t)}</td><td>{ts['cases']}</td><td>{ts['passed']}</td>"
        + "".join(f"<td>{fmt(ts, m)}</td>" for m in TAG_SHOWN) + "</tr>"
        for t, ts in s.get("by_tag", {}).items()
    )
    case_rows = "".join(
        f"<tr class='{'check' if c.get('status') == 'needs_check' else 'pass' if c['passed'] else 'fail'}'>"
        f"<td><a href='#case-{_esc(c['id'])}'>{_esc(c['id'])}</a></td>"
        f"<td class='status'>{_status(c)}</td><td>{_esc(c['expect'])}</td>"
        f"<td>{'yes' if c['refused'] else 'no'}</td><td>{_esc(', '.join(c.get('tags', [])))}</td>"
        f"<td>{c['seconds']:.2f}</td><td>{_esc('; '.join(c['failures']))}</td></tr>"
        for c in result.cases
    )
    baseline = _html_baseline(result.baseline) if result.baseline else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width,initial-scale=1'><title>{_esc(title)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{_esc(title)}: {s['passed']} passed, {s['failed']} failed{_to_check(s)} of {s['cases']}</h1>"
        f"<p class='muted'>Files: {_esc(', '.join(result.files))}</p>"
        f"<div>{metrics}</div>{baseline}"
        "<h2>By tag</h2><table><tr><th>tag</th><th>cases</th><th>passed</th>"
        + "".join(f"<th>{_esc(m)}</th>" for m in TAG_SHOWN) + f"</tr>{tag_rows}</table>"
        "<h2>Cases</h2><table><tr><th>id</th><th>result</th><th>expect</th><th>refused</th><th>tags</th>"
        f"<th>seconds</th><th>failures</th></tr>{case_rows}</table>"
        "<h2>Answers and retrieved sections</h2>"
        + "".join(_html_case(c) for c in result.cases)
        + "</body></html>\n"
    )


def _md_cell(x: Any) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def render_md(result: EvalResult) -> str:
    """A Markdown summary: metrics, by tag, failures, every case in a table."""
    s = result.summary
    out = ["# careerbot eval", "", f"Files: {', '.join(result.files)}", ""]
    out += [f"**{headline(result)}**" + (" (retrieval only)" if s.get("retrieval_only") else ""), ""]
    out += ["| metric | value |", "|---|---|"] + [f"| {m} | {fmt(s, m)} |" for m in SHOWN if m in s] + [""]
    if s.get("by_tag"):
        out += ["## By tag", "", "| tag | cases | passed | " + " | ".join(TAG_SHOWN) + " |",
                "|---" * (3 + len(TAG_SHOWN)) + "|"]
        out += [f"| {_md_cell(t)} | {ts['cases']} | {ts['passed']} | " + " | ".join(fmt(ts, m) for m in TAG_SHOWN)
                + " |" for t, ts in s["by_tag"].items()] + [""]
    if result.baseline:
        out += ["## Compared with the baseline", "", "```", *format_diff(result.baseline), "```", ""]
    failed = result.failed
    if result.to_check:
        out += ["## Needs a check", "", "Feedback cases with nothing to check yet: write `must_include` (and "
                "`sources`), then delete `needs_check`.", ""]
        out += [f"- **{_md_cell(c['id'])}**: {_md_cell(c['question'])}"
                + (f" (comment: {_md_cell(c['comment'])})" if c.get("comment") else "") for c in result.to_check]
        out.append("")
    if failed:
        out += ["## Failures", ""]
        for c in failed:
            out += [f"- **{_md_cell(c['id'])}**: {_md_cell('; '.join(c['failures']))}",
                    f"  - question: {_md_cell(c['question'])}", f"  - answer: {_md_cell(c['answer'][:300])}"]
        out.append("")
    out += ["## Cases", "", "| id | result | expect | refused | seconds | top source |", "|---|---|---|---|---|---|"]
    for c in result.cases:
        top = c["retrieved"][0]["section"] if c.get("retrieved") else "-"
        out.append(f"| {_md_cell(c['id'])} | {'**FAIL**' if _status(c) == 'FAIL' else _status(c)} | {c['expect']} | "
                   f"{'yes' if c['refused'] else 'no'} | {c['seconds']:.2f} | {_md_cell(top)} |")
    return "\n".join(out) + "\n"


def render_junit(result: EvalResult) -> str:
    """JUnit XML: one testsuite per file, one testcase per case, a <failure> per failed case."""
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in result.cases:
        by_file[c.get("file") or "eval"].append(c)
    root = ET.Element("testsuites", name="careerbot eval", tests=str(len(result.cases)),
                      failures=str(result.summary["failed"]),
                      time=f"{sum(c['seconds'] for c in result.cases):.3f}")
    for file, cases in by_file.items():
        stem = Path(file).stem
        suite = ET.SubElement(root, "testsuite", name=stem, tests=str(len(cases)),
                              failures=str(sum(1 for c in cases if _status(c) == "FAIL")), errors="0",
                              skipped=str(sum(1 for c in cases if c.get("status") == "needs_check")),
                              time=f"{sum(c['seconds'] for c in cases):.3f}")
        for c in cases:
            tc = ET.SubElement(suite, "testcase", classname=f"eval.{stem}", name=c["id"], time=f"{c['seconds']:.3f}")
            if c.get("status") == "needs_check":
                ET.SubElement(tc, "skipped", message="needs a check: a feedback case with nothing to check yet")
            elif not c["passed"]:
                fail = ET.SubElement(tc, "failure", message="; ".join(c["failures"]))
                fail.text = f"question: {c['question']}\nanswer: {c['answer']}\nfailures:\n" + "\n".join(
                    f"- {f}" for f in c["failures"])
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_reports(result: EvalResult, folder: str | Path) -> list[Path]:
    """Write report.html, report.md and junit.xml into `folder` (created if needed)."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("report.html", render_html(result)), ("report.md", render_md(result)),
                       ("junit.xml", render_junit(result))):
        (d / name).write_text(text, encoding="utf-8")
        written.append(d / name)
    return written

