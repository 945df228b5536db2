"""Blocks of a Markdown article: the section builder, list labels, tables, HTML inside Markdown.

Tables are read as tables, for retrieval and quoting. Each body row becomes
one "item" naming its row and column headers, "Row — Col2: cell; Col3: cell",
so a quoted row says what each value is. When a table of three or more
columns labels its rows in the first column and holds the values of its
columns (criteria as rows, levels as columns: the first header cell is empty,
the cells are phrases rather than short values, or the columns are things of
one kind, as levels are: `parallel`), each column also becomes
one item, "Col — Row1: cell; Row2: cell", so "what does a senior do" finds the
Senior column on its own. Empty cells are skipped; a cell keeps at most
MAX_CELL characters, an item MAX_ITEM, a table MAX_TABLE, and the column view
is only made for tables of at most COLUMN_VIEW_ROWS rows.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.types import Block

MAX_CELL, MAX_ITEM, MAX_TABLE, COLUMN_VIEW_ROWS = 300, 800, 20_000, 30
_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+-]+:(?![\w:])")
_LABEL = re.compile(r"^([^:]{1,40}):\s")
_DASHES = {"-", "–", "—", "n/a", "N/A"}  # a table cell saying "nothing here"


def tidy(text: str) -> str:
    """Whitespace collapsed, emoji shortcodes dropped.

    >>> tidy("  AI  Interviews :robot: ")
    'AI Interviews'
    """
    return re.sub(r"\s+", " ", _EMOJI.sub("", text)).strip()


def _cap(text: str, n: int) -> str:
    return text if len(text) <= n else text[: text.rfind(" ", 0, n) if " " in text[:n] else n].rstrip() + " …"


def item_label(text: str) -> str | None:
    """What a list item passes on to the items nested under it: the item itself when short, else its "Label:".

    >>> item_label("Linear regression"), item_label("Use case:"), item_label("Definition: " + "long " * 20)
    ('Linear regression', 'Use case', 'Definition')
    """
    t = text.strip().rstrip(":").strip()
    if len(t) <= 80:
        return t or None
    m = _LABEL.match(text)
    return m.group(1).strip() if m else None


def with_parents(labels: tuple[str, ...], text: str) -> str:
    """A nested item with its parents' labels, "Parent: child"; a chain over 80 characters keeps the nearest.

    >>> with_parents(("Supervised learning", "Logistic regression"), "sigmoid function")
    'Supervised learning > Logistic regression: sigmoid function'
    """
    if not labels:
        return text
    lead = " > ".join(labels)
    return f"{lead if len(lead) <= 80 else labels[-1]}: {text}"


def _numeric(s: str) -> bool:
    return bool(re.fullmatch(r"[\d\s.,$€£%#+\-–/:]*", s))


_LEVEL = re.compile(r"\b(?:l\d+|ic\d+|level\s*\d+|junior|mid|senior|staff|principal|lead|entry|intern|associate|"
                    r"manager|director|head)\b", re.IGNORECASE)


def parallel(headers: list[str]) -> bool:
    """Whether the value columns are things of one kind, as levels are ("Designer (L2)", "Senior Designer (L3)";
    "Junior", "Senior"), rather than attributes ("Duration", "Effort"): they share a word, or each names a level.

    >>> parallel(["Designer (L1)", "Senior Designer (L3)", "Lead Designer (L4)"]), parallel(["Junior", "Mid", "Staff"])
    (True, True)
    >>> parallel(["Duration", "Effort", "Prerequisites"])
    False
    """
    named = [h for h in headers if h]
    if len(named) < 2:
        return False
    shared = set.intersection(*(set(re.findall(r"[a-z]+", h.lower())) for h in named))
    return bool(shared) or all(_LEVEL.search(h) for h in named)


def table_items(header: list[str], rows: list[list[str]]) -> list[str]:
    """Items of a table, by row and, for criteria-by-level tables, by column.

    >>> table_items(["", "Junior", "Senior"], [["Scope", "A task", "An org"], ["Impact", "Team", ""]])
    ['Scope — Junior: A task; Senior: An org', 'Impact — Junior: Team', \
'Junior — Scope: A task; Impact: Team', 'Senior — Scope: An org']
    >>> table_items(["Name", "Author"], [["SICP", "Abelson"], ["", ""]])
    ['SICP — Author: Abelson']
    >>> table_items(["Short-Term", "Long-Term"], [["Weekly Plan", "Quarterly Plan"]])
    ['Short-Term: Weekly Plan; Long-Term: Quarterly Plan']
    """
    n = len(header)
    head = [_cap(h, MAX_CELL) for h in header]
    body = [[_cap("" if c in _DASHES else c, MAX_CELL) for c in (r + [""] * n)[:n]] for r in rows]

    def pairs(cells: list[tuple[str, str]]) -> str:
        return "; ".join(f"{h}: {c}" if h else c for h, c in cells if c)

    out: list[str] = []
    if n == 2 and all(head) and parallel(head):  # "Short-Term | Long-Term": two sides, no row names
        out = [pairs(list(zip(head, r))) for r in body]
        body = []
    for r in body:
        rest = pairs(list(zip(head[1:], r[1:])))
        out.append(f"{r[0]} — {rest}" if r[0] and rest else r[0] or rest)
    firsts = [r[0] for r in body]
    cells = [c for r in body for c in r[1:] if c]
    labelled = all(firsts) and len(set(firsts)) == len(firsts) and not any(_numeric(f) or len(f) > 60 for f in firsts)
    phrases = bool(cells) and sum(len(c) for c in cells) / len(cells) >= 30
    if n >= 3 and 2 <= len(body) <= COLUMN_VIEW_ROWS and labelled and (not head[0] or phrases or parallel(head[1:])):
        for j in range(1, n):
            col = pairs([(r[0], r[j]) for r in body])
            if head[j] and col:
                out.append(f"{head[j]} — {col}")
    items, total = [], 0
    for it in (_cap(x, MAX_ITEM) for x in out if x):
        total += len(it)
        if total > MAX_TABLE:
            break
        items.append(it)
    return items


class Out:
    """Heading stack and blocks. The title is the front matter's, else the first heading when it is an
    H1 or a heading in an HTML banner above any text; a heading with no text (badges) closes its level."""

    def __init__(self, title: str = "") -> None:
        self.title = title
        self._given = bool(title)
        self._headings = 0
        self._real = 1  # the level of the last heading written as one
        self.stack: list[tuple[int, str]] = []
        self.blocks: list[Block] = []

    def under(self) -> int:
        """The level of a heading written inside the last real one (a bold question in a FAQ): one below it."""
        return min(6, self._real + 1)

    def heading(self, level: int, text: str, banner: bool = False) -> None:
        if level != self.under() or not text.endswith("?"):
            self._real = level
        text = tidy(text).rstrip(":").rstrip()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        if not text:
            return
        self._headings += 1
        if self._headings == 1:
            if self._given and text.casefold() == self.title.casefold():
                return
            if not self._given and (level == 1 or banner and not self.blocks):
                self.title = text
                return
        self.stack.append((level, text))

    def path(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.stack)

    def add(self, text: str, kind: str) -> None:
        text = tidy(text)
        if text:
            self.blocks.append(Block(self.path(), text, kind))

    def code(self, text: str) -> None:
        if text.strip():
            self.blocks.append(Block(self.path(), text.strip("\n").rstrip(), "code"))


_SKIP = ["head", "script", "style", "img", "svg", "picture", "source", "video", "audio", "iframe", "noscript",
         "template", "button", "input", "form", "select", "textarea", "object", "canvas", "map", "link", "meta"]
_INLINE = {"a", "b", "strong", "i", "em", "span", "code", "sup", "sub", "small", "mark", "kbd", "abbr", "u", "s",
           "del", "ins", "q", "cite", "time", "var", "font", "tt", "big", "strike", "label", "bdi", "data"}
_BLOCKY = ["p", "div", "li", "ul", "ol", "table", "tr", "pre", "br", "details", "summary", "blockquote",
           "h1", "h2", "h3", "h4", "h5", "h6"]


def html_blocks(fragment: str, out: Out, labels: tuple[str, ...] = ()) -> None:
    """HTML inside Markdown reduced to its text: headings, list items, table rows, code, paragraphs.

    >>> o = Out()
    >>> html_blocks('<p align="center"><img src="x.png"></p><details><summary>Why?</summary>Because.</details>', o)
    >>> [b.text for b in o.blocks]
    ['Why?', 'Because.']
    """
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(fragment, "html.parser")
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for t in soup.find_all(_SKIP):
        t.decompose()
    buf: list[str] = []
    _walk(soup, out, buf, labels)
    _flush(out, buf, labels)


MAX_SPAN = 50  # rows or columns one cell may span (a larger rowspan/colspan is read as this)


def html_table(table: Any) -> tuple[list[str], list[list[str]]]:
    """(header, body rows) of an HTML table, a cell spanning rows or columns repeated in each. The header is
    the first row when it is all <th> or inside <thead>; a table without one has an empty header (its rows
    are quoted as they read, never under a body row taken for headers).

    >>> from bs4 import BeautifulSoup
    >>> t = BeautifulSoup('<table><tr><td rowspan="2">Split</td><td>Core: 50%</td></tr><tr><td>Other: 50%</td>'
    ...                   '</tr><tr><td>Tenure</td><td>2 years</td></tr></table>', "html.parser").table
    >>> html_table(t)
    (['', ''], [['Split', 'Core: 50%'], ['Split', 'Other: 50%'], ['Tenure', '2 years']])
    >>> html_table(BeautifulSoup('<table><tr><th>Level</th><th>Years</th></tr><tr><td>L1</td><td>0-2</td></tr>'
    ...                          '</table>', "html.parser").table)
    (['Level', 'Years'], [['L1', '0-2']])
    """
    def span(cell: Any, key: str) -> int:
        try:
            return max(1, min(MAX_SPAN, int(str(cell.get(key, 1)).strip() or 1)))
        except ValueError:
            return 1

    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows still spanned, text)
    first_is_head = False
    for i, tr in enumerate(table.find_all("tr")):
        cells = tr.find_all(["th", "td"], recursive=False) or tr.find_all(["th", "td"])
        if i == 0:
            first_is_head = bool(cells) and (all(c.name == "th" for c in cells) or tr.find_parent("thead") is not None)
        row: list[str] = []
        col = 0
        queue = list(cells)
        while queue or col in pending:
            if col in pending:
                left, text = pending.pop(col)
                row.append(text)
                if left > 1:
                    pending[col] = (left - 1, text)
                col += 1
                continue
            cell = queue.pop(0)
            text = tidy(cell.get_text())
            for _ in range(span(cell, "colspan")):
                row.append(text)
                if (down := span(cell, "rowspan")) > 1:
                    pending[col] = (down - 1, text)
                col += 1
        if any(row):
            grid.append(row)
        elif i == 0:
            first_is_head = False
    if not grid:
        return [], []
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    return (grid[0], grid[1:]) if first_is_head else ([""] * width, grid)


def _flush(out: Out, buf: list[str], labels: tuple[str, ...]) -> None:
    text = tidy("".join(buf))
    buf.clear()
    if text:
        out.add(with_parents(labels, text), "item" if labels else "para")


def _walk(el: Any, out: Out, buf: list[str], labels: tuple[str, ...], depth: int = 0) -> None:
    from bs4 import NavigableString, Tag

    def flush() -> None:
        _flush(out, buf, labels)

    if depth > 60:  # markup nested deeper than any article: its text as one paragraph
        buf.append(el.get_text(" "))
        return

    for child in list(el.children):
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                buf.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            out.heading(int(name[1]), child.get_text(), banner=True)
        elif name == "br":
            buf.append(" ")
        elif name == "li":
            flush()
            nested = [x.extract() for x in child.find_all(["ul", "ol"])]
            text = tidy(child.get_text())
            out.add(with_parents(labels, text), "item")
            label = item_label(text)
            for lst in nested:
                _walk(lst, out, [], labels + (label,) if label else labels, depth + 1)
        elif name == "table":
            flush()
            header, rows = html_table(child)
            if rows or header:
                for it in table_items(header, rows) if rows else [" — ".join(c for c in header if c)]:
                    out.add(it, "item")
        elif name == "pre":
            flush()
            out.code(child.get_text())
        elif name in _INLINE and child.find(_BLOCKY) is None:
            buf.append(child.get_text())
        else:
            flush()
            _walk(child, out, buf, labels, depth + 1)
            flush()
