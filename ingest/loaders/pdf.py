"""PDF: text per page with pypdf; headings found by font size.

Each text line is read with its font size. The commonest size is body text;
larger sizes are headings (largest first: the first of them is the title).
When a PDF has a single font size, short title-case lines are headings.
Lines repeated on most pages (running headers, page numbers) are dropped.
Every block carries its page number, so chunks know their pages.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass

from ingest.clean import BOILERPLATE, is_bare_heading
from ingest.limits import check_deadline, describe
from ingest.loaders import LoadError, Parsed
from ingest.types import Block

SUFFIXES = (".pdf",)
_PAGE_NO = re.compile(r"^(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?$", re.I)


@dataclass
class Line:
    text: str
    size: float  # effective font size in points
    page: int  # 1-based
    y: float  # vertical position on the page


def _size_and_y(cm: list[float], tm: list[float], size: float) -> tuple[float, float]:
    scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    return round(size * scale, 1), y


def _page_lines(page: object, number: int) -> list[Line]:
    """Lines of one page, from pypdf's text visitor."""
    lines: list[Line] = []
    parts: list[str] = []
    sizes: Counter[float] = Counter()
    cur_y: list[float] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        if text:
            lines.append(Line(text, sizes.most_common(1)[0][0] if sizes else 0.0, number, cur_y[0] if cur_y else 0.0))
        parts.clear()
        sizes.clear()
        cur_y.clear()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text:
            return
        eff, y = _size_and_y(cm, tm, size)
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i > 0:
                flush()
            if not piece.strip():
                parts.append(piece)
                continue
            if cur_y and abs(cur_y[0] - y) > max(eff, 1.0) * 0.6:  # moved to another line
                flush()
            if not cur_y:
                cur_y.append(y)
            parts.append(piece)
            sizes[eff] += len(piece.strip())

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    flush()
    return lines


def drop_running(lines: list[Line], pages: int) -> list[Line]:
    """Drop page numbers and lines repeated on at least half the pages (3+ pages).

    >>> ls = [Line(t, 9, p, 0) for p, body in ((1, "Intro"), (2, "Metrics"), (3, "Serving"))
    ...       for t in ("notes.md 3/15/2023", f"{p} / 3", body)]
    >>> [x.text for x in drop_running(ls, 3)]
    ['Intro', 'Metrics', 'Serving']
    """

    def norm(t: str) -> str:
        return re.sub(r"\d+", "#", t.lower())

    seen: dict[str, set[int]] = {}
    for ln in lines:
        seen.setdefault(norm(ln.text), set()).add(ln.page)
    repeated = {k for k, v in seen.items() if pages >= 3 and len(v) * 2 >= pages}
    return [ln for ln in lines if norm(ln.text) not in repeated and not _PAGE_NO.match(ln.text)]


def heading_levels(lines: list[Line]) -> dict[float, int]:
    """Font sizes clearly above body text, mapped to levels 1 (largest), 2, ...

    >>> heading_levels([Line("Title", 21, 1, 0), Line("Body text here", 10.5, 1, 0), Line("Part", 15.7, 1, 0)])
    {21: 1, 15.7: 2}
    """
    weight: Counter[float] = Counter()
    for ln in lines:
        weight[ln.size] += len(ln.text)
    if not weight:
        return {}
    body = weight.most_common(1)[0][0]
    big = sorted({ln.size for ln in lines if ln.size > body * 1.12 and len(ln.text) <= 120}, reverse=True)
    return {s: i + 1 for i, s in enumerate(big[:5])}


def _toc_runs(lines: list[Line], levels: dict[float, int]) -> set[int]:
    """Ids of heading lines in runs of 3+ same-size headings with no text between."""
    out: set[int] = set()
    run: list[Line] = []
    for ln in [*lines, Line("", 0.0, 0, 0.0)]:
        if ln.size in levels and run and run[-1].size == ln.size and run[-1].page == ln.page:
            run.append(ln)
            continue
        if len(run) >= 3:
            out.update(id(x) for x in run)
        run = [ln] if ln.size in levels else []
    return out


def to_blocks(lines: list[Line]) -> tuple[str, list[Block]]:
    """Title and blocks: headings set the section path, body lines join into paragraphs.

    A paragraph ends at a wide vertical gap or after a short line (lines of a
    wrapped paragraph fill the width); a single short line is a list item.

    >>> title, blocks = to_blocks([Line("Interview Guide", 20, 1, 700), Line("Metrics", 15, 1, 670),
    ...     Line("Offline metrics are computed on held-out data and they", 10, 1, 650),
    ...     Line("guide model choice.", 10, 1, 638), Line("Precision and recall", 10, 2, 700)])
    >>> title, [(b.section, b.text, b.kind, b.page) for b in blocks]
    ('Interview Guide', [(('Metrics',), 'Offline metrics are computed on held-out data and they guide model choice.', \
'para', 1), (('Metrics',), 'Precision and recall', 'item', 2)])
    """
    levels = heading_levels(lines)
    by_size = bool(levels)
    toc = _toc_runs(lines, levels)
    full = sorted((len(ln.text) for ln in lines if ln.size not in levels), reverse=True)
    wide = full[len(full) // 50] if full else 80  # length of a full-width line
    title = ""
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    para: list[Line] = []

    def flush() -> None:
        if not para:
            return
        text = ""
        for ln in para:
            text = text + ln.text if text.endswith("-") and not text.endswith(" -") else f"{text} {ln.text}".strip()
        kind = "item" if len(para) == 1 and len(para[0].text) < wide * 0.7 and not text.endswith(".") else "para"
        if not BOILERPLATE.search(text):
            blocks.append(Block(tuple(t for _, t in stack), text, kind, para[0].page))
        para.clear()

    prev: Line | None = None
    for ln in lines:
        level = (
            levels.get(ln.size) if by_size else (2 if is_bare_heading(ln.text) and len(ln.text) < wide * 0.7 else None)
        )
        if id(ln) in toc:  # a table of contents set in heading type: list items, not sections
            flush()
            blocks.append(Block(tuple(t for _, t in stack), ln.text, "item", ln.page))
            prev = ln
            continue
        if level is not None:
            flush()
            if (
                prev is not None
                and levels.get(prev.size) == level
                and by_size
                and prev.page == ln.page
                and abs(prev.y - ln.y) < ln.size * 1.6
                and stack
                and stack[-1][0] == level
            ):
                stack[-1] = (level, f"{stack[-1][1]} {ln.text}")  # a heading wrapped over two lines
            elif not title and not blocks and (level == 1 or not by_size):
                title = ln.text
                level = None
            else:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, ln.text))
            prev = ln
            continue
        if para:
            last = para[-1]
            gap = abs(last.y - ln.y) if last.page == ln.page else 0.0
            if gap > ln.size * 1.9 or len(last.text) < wide * 0.7 or last.size != ln.size:
                flush()
        para.append(ln)
        prev = ln
    flush()
    return title, blocks


def load(data: bytes, name: str) -> Parsed:
    if not data.strip():
        raise LoadError("file is empty")
    if b"%PDF-" not in data[:1024]:
        raise LoadError("not a PDF file (no %PDF header)")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    log = logging.getLogger("pypdf")
    old_level = log.level
    log.setLevel(logging.ERROR)  # pypdf warns about every small defect it repairs
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise LoadError("PDF is encrypted with a password; save a decrypted copy to ingest it")
        lines: list[Line] = []
        for i, page in enumerate(reader.pages, start=1):
            check_deadline()
            lines.extend(_page_lines(page, i))
        pages = len(reader.pages)
    except LoadError:
        raise
    except (PdfReadError, Exception) as e:  # pypdf raises many kinds on a damaged file (FileTimeout passes)
        detail = str(e).strip().splitlines()[0][:120] if str(e).strip() else type(e).__name__
        if isinstance(e, (MemoryError, RecursionError)):
            detail = describe(e)
        raise LoadError(f"PDF is damaged or unreadable ({detail})") from None
    finally:
        log.setLevel(old_level)
    title, blocks = to_blocks(drop_running(lines, pages))
    if not blocks:
        raise LoadError("PDF has no extractable text (scanned pages need OCR, which is not supported)")
    return Parsed(title or name, tuple(blocks))
