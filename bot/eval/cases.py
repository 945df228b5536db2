"""Evaluation files: load YAML and validate it into `Case`s.

Every problem is reported as one line, ``FILE: case 'id': what is wrong``,
and all problems of a file are reported at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.types import Turn

CASE_KEYS = (
    "id", "question", "history", "expect", "must_include", "must_not_include", "sources", "sections", "tags",
    "reference", "needs_check", "comment",
)
TOP_KEYS = ("cases",)
EXPECTS = ("answer", "refuse")
ROLES = ("user", "assistant")


class CaseFileError(Exception):
    """One or more problems in evaluation files; each entry of `.errors` is one line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    file: str = ""  # the file it came from, as given
    history: tuple[Turn, ...] = ()
    expect: str = "answer"
    must_include: tuple[str, ...] = ()
    must_not_include: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # extension: a retrieved passage's section must contain one ("a|b" alternatives)
    tags: tuple[str, ...] = ()
    reference: str | None = None
    line: int = 0  # 1-based line of the case in its file, 0 if unknown
    needs_check: bool = False  # extension: a person has yet to say what the answer must hold (feedback)
    comment: str | None = None  # extension: what the user said with a vote (feedback export)


def needs_a_check(case: Case) -> bool:
    """A case nobody has said what to check in yet: marked `needs_check`, or tagged feedback, expecting an
    answer and with no `must_include`. `careerbot eval` reports it as "needs a check", never as passed.

    >>> needs_a_check(Case("a", "q?", tags=("feedback",))), needs_a_check(Case("a", "q?", tags=("feedback",),
    ...     must_include=("MLflow",))), needs_a_check(Case("a", "q?", needs_check=True, must_include=("x",)))
    (True, False, True)
    """
    if case.needs_check:
        return True
    return "feedback" in case.tags and case.expect == "answer" and not case.must_include


def _suggest(key: str, allowed: Iterable[str]) -> str:
    """
    >>> _suggest("must_inclde", CASE_KEYS)
    " (did you mean 'must_include'?)"
    >>> _suggest("zzz", CASE_KEYS)
    ''
    """
    close = difflib.get_close_matches(key, list(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _str_list(value: Any, key: str) -> tuple[tuple[str, ...], str | None]:
    """A list of non-empty strings (a lone string counts as a list of one).

    >>> _str_list(["a", "b|c"], "must_include")
    (('a', 'b|c'), None)
    >>> _str_list("a", "tags")
    (('a',), None)
    >>> _str_list([1], "tags")[1]
    'tags must be a list of strings, item 1 is 1'
    """
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return (), f"{key} must be a list of strings, not {type(value).__name__}"
    out = []
    for i, v in enumerate(value, 1):
        if not isinstance(v, str) or not v.strip():
            return (), f"{key} must be a list of strings, item {i} is {v!r}"
        out.append(v.strip())
    return tuple(out), None


def _history(value: Any) -> tuple[tuple[Turn, ...], str | None]:
    """
    >>> _history([{"role": "user", "content": "hi"}])[0]
    (Turn(role='user', content='hi'),)
    >>> _history([{"role": "bot", "content": "hi"}])[1]
    "history turn 1: role must be 'user' or 'assistant', not 'bot'"
    """
    if not isinstance(value, list):
        return (), f"history must be a list of {{role, content}} turns, not {type(value).__name__}"
    turns = []
    for i, t in enumerate(value, 1):
        if not isinstance(t, dict):
            return (), f"history turn {i} must be a mapping with role and content"
        extra = sorted(set(t) - {"role", "content"})
        if extra:
            return (), f"history turn {i}: unknown key {extra[0]!r} (allowed: role, content)"
        if t.get("role") not in ROLES:
            return (), f"history turn {i}: role must be 'user' or 'assistant', not {t.get('role')!r}"
        if not isinstance(t.get("content"), str) or not t["content"].strip():
            return (), f"history turn {i}: content must be a non-empty string"
        turns.append(Turn(t["role"], t["content"]))
    return tuple(turns), None


def validate_case(raw: Any, index: int) -> tuple[Case | None, str, list[str]]:
    """Check one raw case; returns (case or None, its label for messages, problems).

    >>> validate_case({"id": "a", "question": "why?", "expect": "refuse"}, 1)[0].expect
    'refuse'
    >>> validate_case({"id": "a", "qestion": "why?"}, 1)[2]
    ["unknown key 'qestion' (did you mean 'question'?)", 'missing question']
    """
    if not isinstance(raw, dict):
        return None, f"case #{index}", [f"must be a mapping with id and question, not {type(raw).__name__}"]
    problems: list[str] = []
    cid = raw.get("id")
    if isinstance(cid, (int, float)) and not isinstance(cid, bool):
        cid = str(cid)
    if not isinstance(cid, str) or not cid.strip():
        label = f"case #{index}"
        problems.append("missing id" if cid is None else f"id must be a non-empty string, not {cid!r}")
        cid = ""
    else:
        cid = cid.strip()
        label = f"case {cid!r}"
    for key in raw:
        if key not in CASE_KEYS:
            problems.append(f"unknown key {key!r}{_suggest(str(key), CASE_KEYS)}")
    question = raw.get("question")
    if question is None:
        problems.append("missing question")
    elif not isinstance(question, str) or not question.strip():
        problems.append("question must be a non-empty string")
    expect = raw.get("expect", "answer")
    if expect not in EXPECTS:
        problems.append(f"expect must be 'answer' or 'refuse', not {expect!r}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("must_include", "must_not_include", "sources", "sections", "tags"):
        if key in raw and raw[key] is not None:
            lists[key], err = _str_list(raw[key], key)
            if err:
                problems.append(err)
    for key in ("must_include", "must_not_include", "sections"):
        for entry in lists.get(key, ()):
            if any(not alt.strip() for alt in entry.split("|")):
                problems.append(f"{key} entry {entry!r} has an empty alternative around '|'")
    history: tuple[Turn, ...] = ()
    if raw.get("history") is not None:
        history, err = _history(raw["history"])
        if err:
            problems.append(err)
    reference = raw.get("reference")
    if reference is not None and (not isinstance(reference, str) or not reference.strip()):
        problems.append("reference must be a non-empty string")
    needs_check = raw.get("needs_check", False)
    if not isinstance(needs_check, bool):
        problems.append(f"needs_check must be true or false, not {needs_check!r}")
    comment = raw.get("comment")
    if comment is not None and not isinstance(comment, str):
        problems.append("comment must be a string")
    if problems or not isinstance(question, str):
        return None, label, problems
    case = Case(
        id=cid, question=question.strip(), history=history, expect=expect,
        must_include=lists.get("must_include", ()), must_not_include=lists.get("must_not_include", ()),
        sources=lists.get("sources", ()), sections=lists.get("sections", ()), tags=lists.get("tags", ()),
        reference=reference.strip() if reference else None,
        needs_check=needs_check is True, comment=comment.strip() if isinstance(comment, str) and comment.strip() else None,
    )
    return case, label, []


def parse_cases(text: str, file: str = "<string>") -> list[Case]:
    """Parse and validate the text of one evaluation file.

    >>> [c.id for c in parse_cases("cases:\\n  - {id: a, question: hi}\\n  - {id: b, question: yo}")]
    ['a', 'b']
    >>> parse_cases("cases:\\n  - {id: a, question: hi}\\n  - {id: a, question: yo}", "f.yaml")
    Traceback (most recent call last):
    ...
    bot.eval.cases.CaseFileError: f.yaml: case 'a' (line 3): duplicate id (first used at line 2)
    """
    try:
        root = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise CaseFileError([f"{file}: {where}bad YAML: {e.problem or e.context}"]) from None
    except yaml.YAMLError as e:
        raise CaseFileError([f"{file}: bad YAML: {e}"]) from None
    if not isinstance(data, dict) or "cases" not in data:
        raise CaseFileError([f"{file}: expected a mapping with a 'cases' list at the top"])
    errors = [f"{file}: unknown top-level key {k!r}{_suggest(str(k), TOP_KEYS)}" for k in data if k not in TOP_KEYS]
    raw_cases = data["cases"]
    if not isinstance(raw_cases, list) or not raw_cases:
        raise CaseFileError(errors + [f"{file}: 'cases' must be a non-empty list"])
    lines = _case_lines(root)
    cases: list[Case] = []
    first_line: dict[str, int] = {}
    for i, raw in enumerate(raw_cases, 1):
        line = lines[i - 1] if i - 1 < len(lines) else 0
        case, label, problems = validate_case(raw, i)
        where = f"{file}: {label}" + (f" (line {line})" if line else "")
        errors.extend(f"{where}: {p}" for p in problems)
        if case is None:
            continue
        if case.id in first_line:
            errors.append(f"{where}: duplicate id (first used at line {first_line[case.id]})")
            continue
        first_line[case.id] = line
        cases.append(Case(**{**case.__dict__, "file": file, "line": line}))
    if errors:
        raise CaseFileError(errors)
    return cases


def load_files(paths: Iterable[str | Path]) -> list[Case]:
    """Load and validate every file; raise one CaseFileError listing all problems."""
    cases: list[Case] = []
    errors: list[str] = []
    for p in paths:
        path = Path(p)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            errors.append(f"{p}: no such file")
            continue
        except (OSError, UnicodeDecodeError) as e:
            errors.append(f"{p}: cannot read: {getattr(e, 'strerror', None) or e}")
            continue
        try:
            cases.extend(parse_cases(text, str(p)))
        except CaseFileError as e:
            errors.extend(e.errors)
    if errors:
        raise CaseFileError(errors)
    return cases


def _case_lines(root: Any) -> list[int]:
    """1-based line of each item of the top-level 'cases' sequence node."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "cases" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping (PyYAML keeps the last silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice in one mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
