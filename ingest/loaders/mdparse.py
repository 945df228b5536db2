"""Markdown (and MDX) parsed with markdown-it-py into a title, blocks and meta.

Headings make the section path; paragraphs are "para" blocks; list items are
"item" blocks, a nested item carrying its parent's label ("Parent: child");
fenced and indented code are "code" blocks; tables are read by row and column
(see ingest/loaders/mdblocks.py); HTML is reduced to its text, images and
badges give nothing. Links become their text. A list made only of links to
the page's own anchors (a table of contents) is dropped: its entries are the
headings themselves. Front matter gives the title and meta, never text.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.loaders.mdblocks import Out, html_blocks, item_label, table_items, tidy, with_parents
from ingest.loaders.mdsource import front_meta, split_front_matter, strip_mdx
from ingest.types import Block

_TOC_FILLER = re.compile(r"[\s\d.)\-–•|]*")


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def inline_text(node: Any) -> str:
    """Plain text of an inline node: links give their text, images and HTML tags nothing."""
    out: list[str] = []
    kids = list(node.children or ())
    for i, ch in enumerate(kids):
        if ch.type in ("text", "code_inline"):
            out.append(ch.content)
        elif ch.type in ("softbreak", "hardbreak"):  # `a` / `b` on lines of their own read as a list
            codes = 0 < i < len(kids) - 1 and kids[i - 1].type == kids[i + 1].type == "code_inline"
            out.append(", " if codes else " ")
        elif ch.type == "html_inline":
            out.append(" " if re.match(r"<br\b", ch.content, re.I) else "")
        elif ch.type != "image":
            out.append(inline_text(ch))
    return "".join(out)


def _text_of(node: Any) -> str:
    """Text of a block node holding one inline child (paragraph, heading, table cell)."""
    return tidy(inline_text(node.children[0])) if node.children else ""


def _inlines(node: Any) -> list[Any]:
    if node.type == "inline":
        return [node]
    return [x for ch in node.children or () for x in _inlines(ch)]


def _is_toc(node: Any) -> bool:
    """A list or table of links only, most of them to the page's own anchors: a table of contents."""
    inlines = [i for i in _inlines(node) if tidy(inline_text(i))]
    links = [ch for i in inlines for ch in i.children or () if ch.type == "link"]
    filler = all(_TOC_FILLER.fullmatch("".join(ch.content for ch in i.children or () if ch.type == "text"))
                 and any(ch.type == "link" for ch in i.children or ()) for i in inlines)
    anchors = sum(str(x.attrs.get("href", "")).startswith("#") for x in links)
    return bool(inlines) and filler and anchors >= 0.75 * len(links)


def _list(node: Any, out: Out, labels: tuple[str, ...]) -> None:
    for li in node.children:
        kids = list(li.children)
        lead = []
        while kids and kids[0].type in ("paragraph", "heading"):  # "* ### Text" is an item, not a section
            lead.append(_text_of(kids.pop(0)))
        text = tidy(" ".join(lead))
        label = item_label(text) if text else None
        nested = any(k.type in ("bullet_list", "ordered_list") for k in kids)
        if text and not (nested and text.endswith(":") and label and len(text) <= 80):
            out.add(with_parents(labels, text), "item")  # a bare "Label:" over a nested list lives on in its items
        _blocks(kids, out, labels + (label,) if label else labels)


def _table(node: Any, out: Out) -> None:
    rows = [[_text_of(cell) for cell in tr.children] for part in node.children for tr in part.children]
    if not rows or _is_toc(node):
        return
    for it in table_items(rows[0], rows[1:]):
        out.add(it, "item")


def _bold_only(node: Any) -> bool:
    """A paragraph that is one bold span ("**When is a person ready?**"): written as a heading."""
    kids = [ch for i in _inlines(node) for ch in i.children or () if not (ch.type == "text" and not ch.content.strip())]
    return len(kids) == 1 and kids[0].type == "strong"


def _blocks(nodes: list[Any], out: Out, labels: tuple[str, ...] = ()) -> None:
    for n in nodes:
        t = n.type
        if t == "heading":
            out.heading(int(n.tag[1]), _text_of(n))
        elif t == "paragraph":
            text = _text_of(n)
            if not labels and text.endswith("?") and _bold_only(n):  # a FAQ's "**Why stop at 7?**": a heading
                out.heading(out.under(), text)
                continue
            out.add(with_parents(labels, text) if labels else text, "item" if labels else "para")
        elif t in ("bullet_list", "ordered_list"):
            if not _is_toc(n):
                _list(n, out, labels)
        elif t in ("fence", "code_block"):
            out.code(n.content)
        elif t == "html_block":
            html_blocks(n.content, out, labels)
        elif t == "table":
            _table(n, out)
        elif t == "blockquote":
            _blocks(list(n.children), out, labels)


def parse(text: str) -> tuple[str, list[Block], dict[str, str]]:
    """(title, blocks, meta) of a Markdown or MDX article.

    >>> title, blocks, meta = parse("---\\ntitle: Tips\\ndescription: Short.\\n---\\n# Tips\\n"
    ...     "Intro [link](http://x).\\n\\n## Skills ![badge](b.svg)\\n- Python\\n  - NumPy\\n")
    >>> title, meta, [(b.section, b.kind, b.text) for b in blocks]
    ('Tips', {'description': 'Short.'}, [((), 'para', 'Intro link.'), (('Skills',), 'item', 'Python'), \
(('Skills',), 'item', 'Python: NumPy')])
    >>> [(b.section, b.text) for b in parse("# FAQ\\n## More\\n**Why 7?**\\n\\nBecause.\\n\\n**And 8?**\\n\\nNo.\\n")[1]]
    [(('More', 'Why 7?'), 'Because.'), (('More', 'And 8?'), 'No.')]
    """
    from markdown_it.tree import SyntaxTreeNode

    front, body = split_front_matter(text)
    title, meta = front_meta(front)
    out = Out(title)
    _blocks(list(SyntaxTreeNode(_parser().parse(strip_mdx(body))).children), out)
    return out.title, out.blocks, meta
