"""Markdown source before parsing: YAML front matter and MDX statements.

Pure text functions. Front matter (`---` ... `---` at the very top) is read
with yaml.safe_load and never reaches the parser; MDX `import`/`export`
statements, `{/* comments */}`, `<head>` blocks and JSX component tags
(capitalised names such as `<InDocAd />`, `<Tabs>`) are removed outside code,
keeping the text between a component's tags. So are static-site template tags:
Hugo shortcodes (`{{< card title="..." >}}`, `{{% note %}}`) and Liquid tags
(`{% include x.html %}`), where a shortcode's `title` is the text a reader sees
and stays. Lower-case HTML is left to the parser.
"""

from __future__ import annotations

import re
from typing import Any

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_IMPORT = re.compile(
    r"^import[ \t]+(?:(?:[\w$]+|\{[^}]*\}|\*\s+as\s+[\w$]+)(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+[\w$]+))?\s+from\s+)?"
    r"""['"][^'"\n]+['"];?[ \t]*$""",
    re.M,
)
_EXPORT = re.compile(r"^export\s+(?:const|let|var|function|class|default|async)\b")
_JSX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.S)
_HEAD = re.compile(r"<head\b[^>]*>.*?</head\s*>", re.S | re.I)
_ATTRS = r"(?:[^<>{}]|\{[^{}]*\})*"
_COMPONENT = re.compile(rf"<[A-Z][\w.]*\b{_ATTRS}/>|<[A-Z][\w.]*(?:\s{_ATTRS})?>|</[A-Z][\w.]*\s*>")
_SHORTCODE = re.compile(r"""\{\{([<%])\s*/?[\w./-]+((?:[^"'<>%]|"[^"]*"|'[^']*')*?)/?\s*\1?[>%]\}\}|\{%-?\s*\w+[^%]*?-?%\}""")
_TITLE = re.compile(r"""\btitle\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LIQUID = re.compile(r"\{%-?\s*(\w+)")
_QUOTED = re.compile(r""""([^"\n]*)"|'([^'\n]*)'""")
_PATHLIKE = re.compile(r"/|\.\w{1,5}$")
# Liquid's own tags, whose quoted arguments are values or file names, never text a reader sees
_LIQUID_LOGIC = frozenset(
    "assign capture case cycle decrement echo for if include increment layout render tablerow unless when".split()
)
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.S)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_META_CHARS = 500


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter as a dict, the rest); front matter that is not a YAML mapping gives {} and is dropped too.

    >>> split_front_matter("---\\ntitle: Tips\\ntags: [a, b]\\n---\\n# Body\\n")
    ({'title': 'Tips', 'tags': ['a', 'b']}, '# Body\\n')
    >>> split_front_matter("---\\ntitle: [broken\\n---\\nText")
    ({}, 'Text')
    >>> split_front_matter("No front matter")
    ({}, 'No front matter')
    """
    import yaml

    text = text.replace("\r\n", "\n")
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1) or "")
    except (yaml.YAMLError, RecursionError, ValueError):
        data = None
    return (data if isinstance(data, dict) else {}), text[m.end() :]


def front_meta(front: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """(title, meta) from front matter: `title`, `description` and `keywords` as short strings.

    >>> front_meta({"id": "x", "title": " KISS ", "description": "Keep it simple.", "keywords": ["a", "b"]})
    ('KISS', {'description': 'Keep it simple.', 'keywords': 'a, b'})
    """
    def short(v: Any) -> str:
        if isinstance(v, (list, tuple)):
            v = ", ".join(str(x) for x in v if isinstance(x, (str, int, float)))
        elif not isinstance(v, (str, int, float)):
            return ""
        return re.sub(r"\s+", " ", str(v)).strip()[:_META_CHARS]

    meta = {k: short(front.get(k)) for k in ("description", "keywords")}
    return short(front.get("title")), {k: v for k, v in meta.items() if v}


def _drop_exports(lines: list[str]) -> list[str]:
    """`export const x = {...}` statements removed, over several lines until brackets balance."""
    out: list[str] = []
    depth = 0
    for line in lines:
        if depth > 0 or _EXPORT.match(line):
            depth = max(0, depth + sum(line.count(c) for c in "({[") - sum(line.count(c) for c in ")}]"))
            out.append("")
            continue
        out.append(line)
    return out


def _shortcode(m: re.Match[str]) -> str:
    """A template tag's visible text: its `title` attribute; for a site's own Liquid tag
    (`{% slack_channel "jobs" "the jobs channel" %}`) its last quoted argument unless
    that is a path or file name; or nothing."""
    t = _TITLE.search(m.group(2) or "")
    if t:
        return (t.group(1) or t.group(2) or "").strip()
    name = _LIQUID.match(m.group(0))
    if not name or name.group(1) in _LIQUID_LOGIC:
        return ""
    args = [(a or b).strip() for a, b in _QUOTED.findall(m.group(0))]
    return args[-1] if args and args[-1] and not _PATHLIKE.search(args[-1]) else ""


def _strip_prose(text: str) -> str:
    text = _SHORTCODE.sub(_shortcode, _HEAD.sub("", _JSX_COMMENT.sub("", text)))
    text = _IMPORT.sub("", text)
    parts, last = [], 0
    for m in _CODE_SPAN.finditer(text):  # inline code stays as written: `List<String>`
        parts.append(_COMPONENT.sub("", text[last : m.start()]))
        parts.append(m.group(0))
        last = m.end()
    parts.append(_COMPONENT.sub("", text[last:]))
    return "\n".join(_drop_exports("".join(parts).split("\n")))


def strip_mdx(text: str) -> str:
    """MDX statements and component tags removed outside fenced code.

    >>> strip_mdx("import Ad from '@site/Ad';\\n\\n<Ad />\\n<Tabs>\\nInner text\\n</Tabs>\\n```js\\nimport x from 'y'\\n```")
    "\\n\\n\\n\\nInner text\\n\\n```js\\nimport x from 'y'\\n```"
    >>> strip_mdx('{{< cards >}}\\n{{< card link="a" title="1. Associate" >}}\\n{{< /cards >}}\\n{{% note %}}Mind it{{% /note %}} {% raw %}')
    '\\n1. Associate\\n\\nMind it '
    >>> strip_mdx('Ask in {% slack_channel "jobs" %}, see {% page "/leave/" %} or {% include "note.html" %}.')
    'Ask in jobs, see  or .'
    """
    out: list[str] = []
    prose: list[str] = []
    fence = ""
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence:
            out.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = ""
        elif m:
            if prose:
                out.extend(_strip_prose("\n".join(prose)).split("\n"))
            prose = []
            fence = m.group(1)
            out.append(line)
        else:
            prose.append(line)
    if prose:
        out.extend(_strip_prose("\n".join(prose)).split("\n"))
    return "\n".join(out)
