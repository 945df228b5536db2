"""HTML: the main content with BeautifulSoup; headings kept as sections.

The article is the page's <main>, else its largest <article>, else <body>.
Scripts, styles, navigation, headers, footers, asides, forms and elements
whose class or id names page furniture (menu, sidebar, cookie, share, ...)
are dropped. The first <h1> is the title, <h2>..<h6> are section levels,
<li> and table rows are list items, other text becomes paragraphs.
Elements nested deeper than MAX_DEPTH levels count as text of the element
at that depth (the walk recurses per level; a page of 20,000 nested <div>s
loads in seconds). The bytes are decoded by `ingest.decode`, with the
charset a <meta> tag declares tried after UTF-8.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.clean import BOILERPLATE
from ingest.limits import check_deadline
from ingest.loaders import LoadError, Parsed, decode
from ingest.types import Block

SUFFIXES = (".html", ".htm")
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "input",
    "textarea",
    "dialog",
    "menu",
    "head",
    "object",
    "canvas",
}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "dl",
    "dd",
    "dt",
    "figure",
    "figcaption",
    "header",
    "body",
    "html",
    "address",
    "details",
    "summary",
    "center",
    "hr",
}
_FURNITURE = re.compile(
    r"^(site-?|page-?|main-?|top-?|global-?)?(nav|navbar|navigation|menu|footer|sidebar|breadcrumbs?|cookies?|"
    r"share|sharing|social|comments?|advert\w*|ads?|promo|newsletter|subscribe|related|skip-?links?|banner)"
    r"([-_]?(bar|box|buttons?|links?|widget|wrapper|container|area|list|posts|banner|notice|consent|icons?))?$",
    re.I,
)
MAX_DEPTH = 150  # levels of nesting walked as structure; deeper elements count as text
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.I)


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8, else the charset the page declares in a <meta> tag, else detection.

    >>> decode_html(b'<meta charset="iso-8859-1"><p>caf\\xe9</p>')
    ('<meta charset="iso-8859-1"><p>caf\u00e9</p>', 'iso8859-1')
    """
    m = _CHARSET.search(data[:4096])
    return decode(data, m.group(1).decode("ascii") if m else None)


def flatten_deep(root: Any, max_depth: int = MAX_DEPTH) -> int:
    """Replace each element nested deeper than `max_depth` by its text; how many were replaced.

    The walk below recurses once per level of nesting; past the cap, a subtree's
    text is kept as one run of text (scripts and styles left out), its structure not.

    >>> from bs4 import BeautifulSoup
    >>> soup = BeautifulSoup("<div>" * 50 + "<p>deep <b>text</b></p><script>x()</script>" + "</div>" * 50, "html.parser")
    >>> flatten_deep(soup, 10), soup.get_text().strip()
    (1, 'deep text')
    """
    from bs4 import NavigableString

    depth: dict[int, int] = {id(root): 0}
    deep: list[Any] = []
    for el in root.find_all(True):
        check_deadline()
        d = depth.get(id(el.parent), max_depth + 1) + 1
        depth[id(el)] = d
        if d == max_depth + 1:
            deep.append(el)
    for el in deep:
        check_deadline()
        strings = (s for s in el.descendants if type(s) is NavigableString and getattr(s.parent, "name", "") not in _DROP)
        el.replace_with(NavigableString(" " + _text(" ".join(strings)) + " "))
    return len(deep)


def _is_furniture(tag: Any) -> bool:
    attrs = getattr(tag, "attrs", None) or {}
    names = list(attrs.get("class") or []) + [attrs.get("id") or "", attrs.get("role") or ""]
    if attrs.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return True
    return any(_FURNITURE.match(str(n)) for n in names if n)


def _text(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


class _Builder:
    def __init__(self) -> None:
        self.title = ""
        self.stack: list[tuple[int, str]] = []
        self.blocks: list[Block] = []
        self.buf: list[str] = []

    def add(self, text: str, kind: str) -> None:
        text = _text(text)
        if text and not BOILERPLATE.search(text):
            self.blocks.append(Block(tuple(t for _, t in self.stack), text, kind))

    def flush(self) -> None:
        if self.buf:
            self.add("".join(self.buf), "para")
            self.buf.clear()

    def heading(self, level: int, text: str) -> None:
        text = _text(text)
        if not text:
            return
        if level == 1 and not self.title:
            self.title = text
            return
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text))

    def walk(self, el: Any) -> None:
        from bs4 import Comment, NavigableString, Tag

        for child in list(getattr(el, "children", [])):
            check_deadline()
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a CData, Doctype or processing instruction
                    self.buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _DROP or _is_furniture(child):
                continue
            if name == "header" and child.find(["h1", "h2"]) is None:
                continue  # a site or byline header: logo, tagline, date
            if name in _HEADINGS:
                self.flush()
                self.heading(_HEADINGS[name], child.get_text())
            elif name == "li":
                self.flush()
                nested = [x.extract() for x in child.find_all(["ul", "ol"])]
                self.add(child.get_text(), "item")
                for lst in nested:
                    self.walk(lst)
            elif name == "tr":
                self.flush()
                cells = [_text(c.get_text()) for c in child.find_all(["td", "th"])]
                self.add(" | ".join(c for c in cells if c), "item")
            elif name == "pre":
                self.flush()
                code = child.get_text().strip("\n")
                if code.strip():
                    self.blocks.append(Block(tuple(t for _, t in self.stack), code, "code"))
            elif name == "br":
                self.buf.append(" ")
            elif name in ("ul", "ol") or name in _BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:  # inline: a link, emphasis, a span
                if child.find(list(_BLOCKS | set(_HEADINGS) | {"li", "ul", "ol", "pre", "tr"})):
                    self.flush()
                    self.walk(child)  # bad markup: blocks inside an inline element
                    self.flush()
                else:
                    self.buf.append(child.get_text())


def main_element(soup: Any) -> Any:
    """<main>, else the <article> with the most text, else <body>."""
    find = soup.find
    main = find("main") or find(attrs={"role": "main"})
    if main is not None:
        return main
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    return find("body") or soup


def extract(html: str, name: str = "") -> Parsed | None:
    """Title and blocks of a page's main content; None when it holds no text.

    >>> page = ('<html><head><title>T</title><script>x()</script></head><body><nav><a>Home</a></nav>'
    ...     '<main><h1>ML Careers</h1><p>Intro <b>text</b>.</p><h2>Salary</h2><ul><li>Base: $100k</li></ul></main>'
    ...     '<footer>(c) 2026</footer></body></html>')
    >>> p = extract(page)
    >>> p.title, [(b.section, b.text, b.kind) for b in p.blocks]
    ('ML Careers', [((), 'Intro text.', 'para'), (('Salary',), 'Base: $100k', 'item')])
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    flatten_deep(soup)
    b = _Builder()
    root = main_element(soup)
    if root is not soup and getattr(root, "name", "") in ("main", "article"):
        h1 = root.find("h1") or soup.find("h1")
        if h1 is not None and root.find("h1") is None:
            b.heading(1, h1.get_text())  # title set above the article, in the page header
    b.walk(root)
    b.flush()
    if not b.blocks:
        return None
    if not b.title:
        t = soup.find("title")
        b.title = _text(t.get_text()) if t is not None else ""
    return Parsed(b.title or name, tuple(b.blocks))


def load(data: bytes, name: str) -> Parsed:
    text, encoding = decode_html(data)
    parsed = extract(text, name)
    if parsed is None:
        raise LoadError("no article text found in the page")
    return Parsed(parsed.title, parsed.blocks, {**parsed.meta, "encoding": encoding})
