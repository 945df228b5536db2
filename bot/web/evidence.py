"""The evidence behind an answer: each source as its passage, with the lines the answer quoted marked.

Pure functions over `Answer`/`Hit`; the chat shows what they return. All text
from questions, answers and articles is HTML-escaped here, so it is shown as
text and never rendered; the only markup is the `<mark>` added around quotes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.types import Answer, Source
from ingest.api import Hit

_MARK = re.compile(r"\s*\[(\d{1,2})\]")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
MIN_QUOTE = 12  # shorter pieces ("Base") would be marked wherever they occur


@dataclass(frozen=True)
class Evidence:
    n: int  # the answer's [n], 1-based
    title: str  # one line: "[1] Document — Section > Sub"
    body: str  # Markdown with escaped text: where it is, its score, the passage with quotes marked


def escape(text: str) -> str:
    """Text shown as text in Markdown/HTML: no tag of it is rendered.

    >>> escape('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(text, quote=False)


def cited_lines(answer: str, n: int) -> list[str]:
    """The answer's lines that cite [n] (every line when nothing is cited), without bullets and markers.

    >>> cited_lines("From the guide:\\n- Base: $100,000 [1]\\n- MLflow tracks runs [2]", 1)
    ['Base: $100,000']
    """
    lines = answer.splitlines()
    cites = [ln for ln in lines if any(int(m) == n for m in _MARK.findall(ln))]
    if not cites and not _MARK.search(answer):
        cites = lines
    return [_BULLET.sub("", _MARK.sub("", ln)).strip() for ln in cites if ln.strip()]


def quoted_spans(lines: Sequence[str], passage: str) -> list[str]:
    """The pieces of `lines` that occur word for word in the passage: a line, or the part after its label,
    or else each of its parts joined with "; " (the items of a small section quoted together).

    >>> quoted_spans(["Entry Level: Base: $100,000 - $140,000", "Learn Rust"], "- Base: $100,000 - $140,000")
    ['Base: $100,000 - $140,000']
    >>> quoted_spans(["Entry: Base: $100,000; Total Comp: $120,000"], "- Base: $100,000\\n- Total Comp: $120,000")
    ['Base: $100,000', 'Total Comp: $120,000']
    """
    def whole(text: str) -> str | None:
        tries = [text] + ([text.split(": ", 1)[1]] if ": " in text else [])
        return next((t for t in tries if len(t) >= MIN_QUOTE and t in passage), None)

    found = []
    for line in lines:
        hit = whole(line)
        if hit is not None:
            found.append(hit)
            continue
        found += [h for part in re.split(r";\s+|\s+·\s+", line) if (h := whole(part.strip())) is not None]
    return found


def marked(passage: str, spans: Sequence[str]) -> str:
    """The passage escaped, each occurrence of a span wrapped in <mark>.

    >>> marked("a <b> c: MLflow tracks experiments.", ["MLflow tracks experiments."])
    'a &lt;b&gt; c: <mark>MLflow tracks experiments.</mark>'
    """
    cuts: list[tuple[int, int]] = []
    for s in spans:
        start = passage.find(s)
        while s and start >= 0:
            cuts.append((start, start + len(s)))
            start = passage.find(s, start + len(s))
    merged: list[list[int]] = []
    for a, b in sorted(cuts):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        out += [escape(passage[pos:a]), "<mark>", escape(passage[a:b]), "</mark>"]
        pos = b
    out.append(escape(passage[pos:]))
    return "".join(out)


def pages_label(pages: Sequence[int]) -> str:
    """
    >>> pages_label((3,)), pages_label((3, 4)), pages_label(())
    ('page 3', 'pages 3-4', '')
    """
    if not pages:
        return ""
    return f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}-{pages[-1]}"


def hit_for(source: Source, hits: Sequence[Hit]) -> Hit | None:
    """The retrieved passage a source stands for."""
    return next((h for h in hits if Source.from_hit(h) == source), None) or next(
        (h for h in hits if h.chunk.doc_id == source.doc_id and h.chunk.section == source.section), None)


def evidence_for(n: int, hit: Hit, answer_text: str) -> Evidence:
    c = hit.chunk
    where = f"{c.title or c.doc_id} — {c.section}" if c.section else (c.title or c.doc_id)
    spans = quoted_spans(cited_lines(answer_text, n), c.text)
    facts = [f"**Document:** {escape(c.title or c.doc_id)} (`{escape(c.doc_id)}`)"]
    if c.section:
        facts.append(f"**Section:** {escape(c.section)}")
    if c.pages:
        facts.append(f"**{pages_label(c.pages).capitalize()}**")
    facts.append(f"**Score:** {hit.score:.2f}")
    note = f"_{len(spans)} quoted line{'s' if len(spans) != 1 else ''} marked_" if spans else "_nothing quoted word for word_"
    body = " · ".join(facts) + "\n\n" + marked(c.text, spans) + "\n\n" + note
    return Evidence(n, escape(f"[{n}] {where}"), body)


def evidence(answer: Answer, error_passages: int = 3) -> list[Evidence]:
    """One Evidence per source shown under the answer; none for a refusal; an error answer shows the
    passages it had retrieved."""
    if answer.refused or answer.mode in ("refused", "invalid", "empty"):
        return []
    if answer.mode == "error":
        return [evidence_for(i, h, "") for i, h in enumerate(answer.hits[:error_passages], 1)]
    out = []
    for i, s in enumerate(answer.sources, 1):
        hit = hit_for(s, answer.hits)
        if hit is not None:
            out.append(evidence_for(i, hit, answer.text))
    return out
