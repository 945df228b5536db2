"""Cleaning: lines of a web page flattened to text -> title and blocks under a heading path.

Pure functions. A flattened page (`looks_flattened`) has no blank lines;
headings stand on their own line (bare "Salary Expectations", markdown "###
Programming Languages", or a label line "Entry Level (0-2 years):"), and lists
are inlined as "- item - item - item" on one line. Its closing page chrome
(newsletter boxes, a call to action) is recognised by layout alone
(`chrome_start`), never by its words: a word like "subscribe" can occur in an
article's own sentences. Markdown is parsed with markdown-it-py
(ingest/loaders/mdparse.py); flat=False is a line-based reading kept for
callers of this module.
"""

from __future__ import annotations

import re
from typing import Iterable

from ingest.types import Block

# Lines a web page carries around its article, by their words. Used only by the HTML and PDF loaders; Markdown
# and plain text never drop a block for its words.
BOILERPLATE = re.compile(
    r"unsubscribe|delivered to your inbox|sign up for|subscribe to|join \d[\d,]*\+? |"
    r"^browse (our|thousands)|^ready to (take the next step|find your next role)|^share this|"
    r"^(stay updated|never miss an update)$|all rights reserved|cookie",
    re.I,
)
_SMALL = {"a", "an", "the", "and", "or", "for", "to", "of", "in", "on", "with", "by", "at", "vs", "is", "as"}
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LABEL = re.compile(r"^\*\*(.+?)\*\*:?\s*(.*)$")
_LIST = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"[.!?](?:\s|$)")
_EMPH = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\w)_(?!\s))")


def strip_inline(text: str) -> str:
    """Markdown links, images, tags and emphasis to plain text.

    >>> strip_inline('<a name="x"></a> **Bold** and [a link](http://x.y)')
    'Bold and a link'
    """
    text = _TAG.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = text.replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", text).strip()


def split_inline_items(text: str) -> list[str]:
    """Split "- a - b - c" into items; ranges ("$100,000 - $140,000") and
    parentheses ("(Online MS in CS - affordable option)") are kept whole.

    >>> split_inline_items("- Base: $100,000 - $140,000 - Total Comp: $120,000 - $180,000")
    ['Base: $100,000 - $140,000', 'Total Comp: $120,000 - $180,000']
    >>> split_inline_items("- 6-12 months for skills - Georgia Tech (Online MS in CS - affordable option)")
    ['6-12 months for skills', 'Georgia Tech (Online MS in CS - affordable option)']
    """
    text = text.strip()
    if text.startswith("- "):
        text = text[2:]
    items, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif text.startswith(" - ", i) and depth == 0:
            before, after = text[:i].rstrip(), text[i + 3 :].lstrip()
            is_range = bool(before) and before[-1].isdigit() or before.endswith("+")
            is_range = is_range and bool(after) and (after[0].isdigit() or after[0] == "$")
            if not is_range:
                items.append(text[start:i].strip())
                start = i + 3
                i += 3
                continue
        i += 1
    items.append(text[start:].strip())
    return [it for it in items if it]


def is_bare_heading(line: str) -> bool:
    """A short title-case line with no sentence punctuation is a heading.

    >>> is_bare_heading("Required Skills for AI/ML Engineers"), is_bare_heading("What Does an AI/ML Engineer Do?")
    (True, True)
    >>> is_bare_heading("Browse thousands of opportunities from top tech companies")
    False
    >>> is_bare_heading("No spam. Unsubscribe anytime.")
    False
    """
    line = line.strip()
    if not line or len(line) > 70 or line[-1] in ".,;:!" or line.startswith(("-", "*", "#", "|", ">")):
        return False
    words = re.findall(r"[A-Za-z0-9][\w/'&+-]*", line)
    if not words or len(words) > 9:
        return False
    content = [w for w in words if w.lower() not in _SMALL]
    capped = [w for w in content if w[0].isupper() or w[0].isdigit()]
    return bool(content) and len(capped) / len(content) >= 0.8 and line[0].isupper() or line[0].isdigit() and len(capped) == len(content)


def label_of(line: str) -> str | None:
    """A short line ending in a colon is a label for what follows.

    >>> label_of("Entry Level (0-2 years):"), label_of("Python dominates. You need: - NumPy")
    ('Entry Level (0-2 years)', None)
    """
    line = line.strip()
    if line.endswith(":") and len(line) <= 70 and len(line.split()) <= 9 and not line.startswith("-"):
        return strip_inline(line[:-1]).strip()
    return None


def _short(line: str) -> bool:
    """A line of a box or a call to action: one or two short sentences, not a list, label or heading."""
    line = line.strip()
    return (0 < len(line) <= 140 and len(_SENTENCE.findall(line)) <= 2 and not _LIST.match(line)
            and not line.startswith("**") and label_of(line) is None and not is_bare_heading(line))


def chrome_start(lines: list[str]) -> int:
    """Where a flattened page's closing chrome begins (len(lines) when it has none), by layout alone.

    The chrome is a run of two to four boxes closing the page, each a bare heading over one to three short
    lines (at most 140 characters, two sentences), plus the one short line standing alone just before the
    boxes when the article's last long paragraph precedes it (a call to action). Layout cannot tell a box
    from a closing section of short lines only, so such a section right before the boxes goes with them.

    >>> page = ["Conclusion", "Keep learning every week, build projects that matter to you, and ship them where "
    ...     "others can see the results and give you feedback on what to improve next.", "Ready? See our jobs.",
    ...     "Stay Updated", "Weekly tips in your inbox.", "Never Miss an Update", "Join our readers."]
    >>> chrome_start(page), chrome_start(page[:3])
    (2, 3)
    """
    rows = [i for i, line in enumerate(lines) if line.strip()]
    k, boxes, start = len(rows), 0, len(lines)
    while k > 0 and boxes < 4:
        j = k
        while j > 0 and k - j < 3 and _short(lines[rows[j - 1]]):
            j -= 1
        if j == k or j == 0 or not is_bare_heading(lines[rows[j - 1]]):
            break
        k, boxes = j - 1, boxes + 1
        start = rows[k]
    if boxes < 2:
        return len(lines)
    if k >= 2 and _short(lines[rows[k - 1]]) and len(lines[rows[k - 2]].strip()) > 140:
        start = rows[k - 1]
    return start


def looks_flattened(lines: list[str]) -> bool:
    """A web page flattened to text: no blank lines between blocks, headings and labels on lines of their own,
    lists inlined as "- a - b - c".

    >>> looks_flattened(["My Guide", "Skills", "Python (Essential):", "- NumPy - Pandas - PyTorch", "Salary",
    ...     "Entry Level (0-2 years):", "- Base: $100,000 - $140,000 - Bonus: 10%"])
    True
    >>> looks_flattened(["Notes from my call", "", "We talked about pay - it was fine.", "", "Next: apply.",
    ...     "", "- send CV", "- follow up - politely", "", "Thanks Anna"])
    False
    """
    rows = [line.strip() for line in lines]
    text = [r for r in rows if r]
    if len(text) < 5 or len(rows) - len(text) > 0.1 * len(text):
        return False
    inline = sum(1 for r in text if len(split_inline_items(r) if r.startswith("- ") else _split_lead(r)[1]) >= 2)
    standalone = sum(1 for r in text if is_bare_heading(r) or label_of(r) is not None)
    return inline >= 2 and standalone >= 2


def _split_lead(text: str) -> tuple[str, list[str]]:
    """ "Intro text: - a - b" -> ("Intro text:", ["a", "b"])."""
    m = re.search(r"(?<=:)\s+-\s", text)
    if not m:
        return text, []
    return text[: m.start()].strip(), split_inline_items(text[m.start() :])


class _Sections:
    """Heading stack plus the current label; builds blocks."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []
        self.label: str | None = None
        self.blocks: list[Block] = []

    def heading(self, level: int, text: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text))
        self.label = None

    def path(self) -> tuple[str, ...]:
        p = tuple(t for _, t in self.stack)
        return p + (self.label,) if self.label else p

    def add(self, text: str, kind: str) -> None:
        text = strip_inline(text)
        if text:
            self.blocks.append(Block(self.path(), text, kind))


def clean_lines(lines: Iterable[str], *, flat: bool) -> tuple[str, list[Block]]:
    """Title and blocks from text lines.

    flat=True is for web pages flattened to text (the guide): the first line is
    the title, bare title-case lines are headings, lists are inlined.
    flat=False is markdown: '#' headings, one list item per line, paragraphs
    wrapped over several lines, code fences kept whole.

    >>> title, blocks = clean_lines(["My Guide", "Salary Expectations", "Entry Level (0-2 years):",
    ...     "- Base: $100,000 - $140,000 - Total Comp: $120,000 - $180,000"], flat=True)
    >>> title, [(" > ".join(b.section), b.text) for b in blocks]
    ('My Guide', [('Salary Expectations > Entry Level (0-2 years)', 'Base: $100,000 - $140,000'), \
('Salary Expectations > Entry Level (0-2 years)', 'Total Comp: $120,000 - $180,000')])
    """
    s = _Sections()
    title = ""
    para: list[str] = []
    fence: list[str] | None = None
    if flat:
        lines = list(lines)
        lines = lines[: chrome_start(lines)]

    def flush() -> None:
        if para:
            s.add(" ".join(para), "para")
            para.clear()

    for raw in lines:
        line = raw.rstrip("\n").strip()
        if fence is not None:
            if line.startswith("```"):
                s.blocks.append(Block(s.path(), "\n".join(fence), "code")) if any(fence) else None
                fence = None
            else:
                fence.append(raw.rstrip("\n"))
            continue
        if not line:
            flush()
            continue
        if line.startswith("```"):
            flush()
            fence = []
            continue
        md = _MD_HEADING.match(line)
        if md:
            flush()
            text = strip_inline(md.group(2))
            level = len(md.group(1))
            if not title and (level == 1 or flat):
                title = text
                if level == 1:
                    continue
            if text:
                s.heading(max(level, 2), text)
            continue
        if flat and not title:
            title = strip_inline(line)
            continue
        bold = _BOLD_LABEL.match(line)
        if bold and (bold.group(2) == "" or bold.group(2).startswith("- ") or bold.group(1).endswith(":")):
            flush()
            s.label = strip_inline(bold.group(1)).rstrip(":")
            rest = bold.group(2)
            for item in split_inline_items(rest) if rest.startswith("- ") else ([rest] if rest else []):
                s.add(item, "item")
            continue
        lab = label_of(line)
        if lab:
            flush()
            s.label = lab
            continue
        if flat and is_bare_heading(line):
            flush()
            s.heading(2, strip_inline(line))
            continue
        if _LIST.match(line):
            flush()
            if flat:
                for item in split_inline_items(line):
                    s.add(item, "item")
            else:
                s.add(_LIST.sub("", line, count=1), "item")
            continue
        if flat:
            lead, items = _split_lead(line)
            s.add(lead, "para")
            for item in items:
                s.add(item, "item")
        else:
            if raw.startswith(("  ", "\t")) and s.blocks and s.blocks[-1].kind == "item" and not para:
                last = s.blocks.pop()
                s.blocks.append(Block(last.section, f"{last.text} {strip_inline(line)}", "item"))
            else:
                para.append(line)
    flush()
    if fence:
        s.blocks.append(Block(s.path(), "\n".join(fence), "code"))
    return title, s.blocks
