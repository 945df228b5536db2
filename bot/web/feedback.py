"""Votes given in the chat, kept durably, and turned into evaluation cases.

The store is one append-only JSONL file (HOME/feedback.jsonl). Each vote is
one line written by a single write(2) on an O_APPEND descriptor, under an
exclusive lock, then fsync'ed: concurrent chats never interleave, and a vote
the chat reported as saved survives a crash. A line cut short by a kill is
skipped when read, and the next append starts on a fresh line, so a torn write
never loses another vote. A vote changed later (a comment added, the thumb
turned) is a new line with the same id; the last line of an id wins.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Iterable

import yaml

VOTES = ("up", "down", "withdrawn")
FILE_NAME = "feedback.jsonl"
RARE_BELOW = 4.0  # wordfreq's Zipf frequency: "docker" 3.0, "python" 3.8, "base" 5.1


@dataclass(frozen=True)
class Vote:
    id: str
    vote: str  # "up" | "down" | "withdrawn" (the thumb was clicked off again)
    question: str
    answer: str
    at: str = ""  # ISO time, UTC
    comment: str = ""
    history: list[dict[str, str]] = field(default_factory=list)  # earlier turns, oldest first: {role, content}
    mode: str = ""
    refused: bool = False
    sources: list[dict[str, Any]] = field(default_factory=list)  # {doc_id, title, section, score}, as shown
    settings: dict[str, Any] = field(default_factory=dict)  # store, model, top_k...
    session: str = ""  # a random id per browser session

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Vote:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_id() -> str:
    return uuid.uuid4().hex[:12]


class FeedbackStore:
    """The votes of every chat session, in `path` (created on the first vote)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_home(cls, home: Path) -> FeedbackStore:
        return cls(Path(home) / FILE_NAME)

    def add(self, vote: Vote) -> Vote:
        """Append one vote; it is on disk when this returns."""
        if vote.vote not in VOTES:
            raise ValueError(f"vote must be one of {', '.join(VOTES)}, not {vote.vote!r}")
        line = json.dumps(asdict(vote), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and _last_byte(self.path, size) != b"\n":  # a torn line before us: start a fresh one
                line = b"\n" + line
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock
        return vote

    def votes(self, include_withdrawn: bool = False) -> list[Vote]:
        """Every vote, newest first (the last line of an id wins; torn or foreign lines are skipped)."""
        return [v for v in latest(read_lines(self.path)) if include_withdrawn or v.vote != "withdrawn"]


def _last_byte(path: Path, size: int) -> bytes:
    with path.open("rb") as fh:
        fh.seek(size - 1)
        return fh.read(1)


def read_lines(path: Path) -> list[Vote]:
    """The votes in file order; a line that is not a whole vote (torn by a crash) is skipped."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    out = []
    for line in raw.split(b"\n"):
        try:
            data = json.loads(line)
            if isinstance(data, dict) and data.get("id") and data.get("vote") in VOTES:
                out.append(Vote.from_json(data))
        except (ValueError, TypeError):
            continue
    return out


def latest(lines: Iterable[Vote]) -> list[Vote]:
    """The last version of each vote, newest first.

    >>> a1, b, a2 = Vote("a", "up", "q", "x", at="1"), Vote("b", "down", "q", "y", at="2"), \\
    ...     Vote("a", "up", "q", "x", at="3", comment="good")
    >>> [(v.id, v.comment) for v in latest([a1, b, a2])]
    [('a', 'good'), ('b', '')]
    """
    last: dict[str, tuple[int, Vote]] = {}
    for i, v in enumerate(lines):
        last[v.id] = (i, v)
    return [v for _, v in sorted(last.values(), key=lambda p: (p[1].at, p[0]), reverse=True)]


# -- votes -> evaluation cases ------------------------------------------------
_MARK = re.compile(r"\s*\[\d{1,2}\]")
_MONEY = re.compile(r"[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?[kKmM]\b)?")
_PERCENT = re.compile(r"\b\d+(?:\.\d+)?\s?%")
_WORD = re.compile(r"[A-Za-z][\w+#.-]*[\w+#]|[A-Za-z]")


def _starts_sentence(text: str, i: int) -> bool:
    """Whether the word at `i` begins the text, a line (after a bullet) or a sentence.

    >>> _starts_sentence("- Base: x", 2), _starts_sentence("Use MLflow. Then", 4), _starts_sentence("a. Then", 3)
    (True, False, True)
    """
    line = text[text.rfind("\n", 0, i) + 1 : i]
    if not line.strip(" \t-*•0123456789.)"):
        return True
    return line.rstrip(" \t").endswith((".", "!", "?", ":"))


def _rare(word: str) -> bool:
    """A word uncommon in English (Docker, Kubernetes), so a name even where a sentence starts.

    >>> _rare("Docker"), _rare("Base")
    (True, False)
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") < RARE_BELOW


def quoted_terms(answer: str, limit: int = 6, question: str = "") -> list[str]:
    """The figures and names an answer states: money, percentages, and names written with capitals
    (MLflow, AWS; a capitalised word that starts a sentence or a line only when it is rare in English). Names the
    question already uses are left out: repeating them proves nothing.

    >>> quoted_terms("- Base: $100,000 - $140,000 [1]\\n- Use MLflow or Weights & Biases; 40% use AWS. [2]")
    ['$100,000', '$140,000', '40%', 'MLflow', 'Weights', 'Biases']
    >>> quoted_terms("From the section Pay > Entry Level:\\n- Base: $100,000 [1]")
    ['$100,000']
    >>> quoted_terms("I can only answer from the articles.")
    []
    >>> quoted_terms("Python and SQL first, then PyTorch.", question="Is Python enough for ML?")
    ['SQL', 'PyTorch']
    """
    cited = [line for line in answer.splitlines() if _MARK.search(line)]
    text = _MARK.sub("", "\n".join(cited) if cited else answer)  # a quoting answer: only its quoted lines
    found: list[str] = []
    for rx in (_MONEY, _PERCENT):
        found += [m.group(0).strip() for m in rx.finditer(text)]
    for m in _WORD.finditer(text):
        w = m.group(0).rstrip(".")
        if w == "I" or not any(ch.isupper() for ch in w):
            continue
        inner_caps = any(ch.isupper() for ch in w[1:])
        if inner_caps or not _starts_sentence(text, m.start()) or _rare(w):
            found.append(w)
    asked = {w.lower() for w in _WORD.findall(question)}
    out: list[str] = []
    for f in found:
        if f.lower() not in asked and f.lower() not in (o.lower() for o in out):
            out.append(f)
    return out[:limit]


def vote_case(vote: Vote) -> dict[str, Any]:
    """The evaluation case a vote becomes (the contract's case format).

    A thumbs up is a regression case: what it cited as `sources`, what it quoted as
    `must_include` (a refusal liked: `expect: refuse`). A thumbs down keeps the comment and
    is marked `needs_check`, for a person to write what the answer must say.

    >>> vote_case(Vote("ab12", "up", "Entry pay?", "Base: $100,000 [1]", sources=[{"doc_id": "guide"}]))
    {'id': 'feedback-ab12', 'question': 'Entry pay?', 'expect': 'answer', 'must_include': ['$100,000'], \
'sources': ['guide'], 'tags': ['feedback', 'thumbs-up']}
    >>> vote_case(Vote("cd34", "down", "Entry pay?", "Base: $90k", comment="the salary is wrong"))["needs_check"]
    True
    """
    case: dict[str, Any] = {"id": f"feedback-{vote.id}", "question": vote.question}
    history = [{"role": t["role"], "content": t["content"]} for t in vote.history
               if t.get("role") in ("user", "assistant") and str(t.get("content", "")).strip()]
    if history:
        case["history"] = history
    doc_ids = list(dict.fromkeys(str(s["doc_id"]) for s in vote.sources if s.get("doc_id")))
    if vote.vote == "up":
        case["expect"] = "refuse" if vote.refused else "answer"
        terms = [] if vote.refused else quoted_terms(vote.answer, question=vote.question)
        if terms:
            case["must_include"] = terms
        if doc_ids and not vote.refused:
            case["sources"] = doc_ids
        case["tags"] = ["feedback", "thumbs-up"]
    else:
        case["expect"] = "answer"
        case["needs_check"] = True
        case["tags"] = ["feedback", "thumbs-down"]
    if vote.comment.strip():
        case["comment"] = vote.comment.strip()
    return case


def export_yaml(votes: Iterable[Vote]) -> str:
    """An evaluation file of the votes, oldest first, each case preceded by comments on where it came from."""
    parts = ["# Evaluation cases from the chat's thumbs up and down (careerbot feedback export).",
             "# Thumbs down are marked needs_check: write must_include (and sources) for the right answer,",
             "# then delete needs_check; until then `careerbot eval` reports the case as \"needs a check\".",
             "cases:"]
    for v in sorted(votes, key=lambda v: v.at):
        case = vote_case(v)
        head = [f"# thumbs {v.vote} at {v.at or 'an unknown time'}; mode {v.mode or '?'}; "
                f"settings {json.dumps(v.settings, sort_keys=True)}"]
        if v.vote == "down":
            head += ["# the answer given:"] + [f"#   {line}" for line in v.answer.strip().splitlines()[:12]]
        body = yaml.safe_dump([case], sort_keys=False, allow_unicode=True, width=10_000)
        parts += [f"  {line}" for line in head] + [f"  {line}" for line in body.rstrip("\n").splitlines()]
    return "\n".join(parts) + "\n"


# -- `careerbot feedback` -------------------------------------------------------
def add_parser(subparsers: Any, parents: Any = (), help: str = "") -> Any:
    """Add `feedback list` and `feedback export` to the `careerbot` subparsers."""
    p = subparsers.add_parser("feedback", help=help,
                              description="The thumbs up and down given in the web chat (HOME/feedback.jsonl), "
                              "listed or exported as evaluation cases for `careerbot eval`.")
    sub = p.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    lst = sub.add_parser("list", parents=list(parents), help="the votes, newest first")
    lst.add_argument("--json", action="store_true", help="print one JSON object {votes: [...]}")
    exp = sub.add_parser("export", parents=list(parents), help="write the votes as evaluation cases (YAML)")
    exp.add_argument("--out", required=True, type=Path, metavar="FILE", help="the evaluation file to write")
    p.set_defaults(func=run)
    return p


def list_lines(votes: list[Vote]) -> list[str]:
    """
    >>> list_lines([Vote("ab12", "down", "Entry pay?", "x", at="2026-01-02T03:04:05+00:00", comment="wrong")])
    ['2026-01-02 03:04:05  👎 down  feedback-ab12  "Entry pay?"  comment: wrong']
    """
    out = []
    for v in votes:
        when = v.at.replace("T", " ")[:19] if v.at else "(no time)"
        thumb = "👍 up  " if v.vote == "up" else "👎 down"
        q = " ".join(v.question.split())
        line = f'{when}  {thumb}  feedback-{v.id}  "{q[:80]}{"…" if len(q) > 80 else ""}"'
        if v.comment.strip():
            line += f"  comment: {' '.join(v.comment.split())[:120]}"
        out.append(line)
    return out


def run(args: Any, settings: Any) -> int:
    import sys

    store = FeedbackStore.in_home(settings.home)
    votes = store.votes()
    if args.feedback_command == "list":
        if args.json:
            print(json.dumps({"votes": [asdict(v) for v in votes]}, ensure_ascii=False))
        elif not votes:
            print(f"No votes yet ({store.path}).")
        else:
            print("\n".join(list_lines(votes)))
        return 0
    if not votes:
        print(f"careerbot feedback: no votes to export yet ({store.path})", file=sys.stderr)
        return 1
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(export_yaml(votes), encoding="utf-8")
    except OSError as e:
        print(f"careerbot feedback: cannot write {args.out}: {e.strerror or e}", file=sys.stderr)
        return 1
    ups = sum(1 for v in votes if v.vote == "up")
    print(f"wrote {len(votes)} cases to {args.out} ({ups} from thumbs up, {len(votes) - ups} to check by a person)")
    return 0
