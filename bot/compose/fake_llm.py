"""`FakeChatModel`: a public test double with the same interface as the real chat models.

Like pydantic-ai's `TestModel` / `FunctionModel`: by default it answers from the
prompt, quoting the first line of each passage it was given with its [n]
citation (so the grounding check and citation rendering pass); it can instead
answer with a fixed text or a function of the messages, stream given deltas,
raise an error (an `LLMError` to test the error paths), and it records every
call. It is a registered backend, so `CAREERBOT_LLM=fake` (or `--llm fake`)
runs the whole pipeline without loading a model:

>>> from bot.compose.llm import LLMError
>>> fake = FakeChatModel()
>>> msgs = [{"role": "user", "content": "Passages:\\n[1] Tools\\nMLflow tracks runs.\\n\\nQuestion: Which tool?"}]
>>> list(fake.stream(msgs))
['MLflow ', 'tracks ', 'runs ', '[1].']
>>> fake.calls == [msgs]
True
>>> "".join(FakeChatModel(lambda m: m[-1]["content"].upper()).stream([{"role": "user", "content": "hi"}]))
'HI'
>>> list(FakeChatModel(deltas=["Ml", "flow"], error=LLMError("cut off")).stream(msgs))
Traceback (most recent call last):
...
bot.compose.llm.LLMError: cut off
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from bot.compose.llm import STOP

Messages = list[dict[str, str]]
NO_PASSAGES = "The articles do not cover that."
ROLES = ("system", "user", "assistant")
_HEAD = re.compile(r"^\[(\d+)\] .*$", re.MULTILINE)
_TOKEN = re.compile(r"\s*\S+\s*")
_LIST = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def passages_in(messages: Messages) -> list[tuple[int, str]]:
    """The numbered passages ("[n] section" then its text) in the last user message, up to "Question:".

    >>> passages_in([{"role": "user", "content": "[1] A\\nfirst\\n\\n[2] B\\n- second\\n\\nQuestion: q"}])
    [(1, 'first'), (2, '- second')]
    """
    text = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
    heads = list(_HEAD.finditer(text))
    if heads and (end := text.find("\nQuestion:", heads[-1].end())) >= 0:
        text = text[:end]
    ends = [h.start() for h in heads[1:]] + [len(text)]
    return [(int(h.group(1)), text[h.end(): e].strip()) for h, e in zip(heads, ends)]


def quote_passages(messages: Messages, most: int = 3) -> str:
    """The default reply: the first line (not a list's lead line) of each of the first `most` passages, cited.

    >>> print(quote_passages([{"role": "user", "content": "[1] Pay\\nBase:\\n- $100,000.\\n\\n[2] Tools\\nMLflow."}]))
    - $100,000 [1].
    MLflow [2].
    >>> quote_passages([{"role": "user", "content": "Say one word."}])
    'The articles do not cover that.'
    """
    out: list[str] = []
    for n, body in passages_in(messages):
        lines = [ln.strip() for ln in body.splitlines() if _LIST.sub("", ln).strip()]
        first = next((ln for ln in lines if not ln.endswith(":")), lines[0] if lines else "").rstrip(". ")
        if first and not any(o.startswith(f"{first} [") for o in out):
            out.append(f"{first} [{n}].")
        if len(out) == most:
            break
    return "\n".join(out) or NO_PASSAGES


def bounded(deltas: Sequence[str], max_tokens: int | None, stop: Sequence[str] = STOP) -> list[str]:
    """Deltas as a real model streams them: cut before the first stop string, at most `max_tokens` of them.

    >>> bounded(["A ", "b\\nQues", "tion: c"], None)
    ['A ', 'b']
    >>> bounded(["a ", "b ", "c"], 2)
    ['a ', 'b ']
    """
    text = "".join(deltas)
    cut = min([i for s in stop if (i := text.find(s)) >= 0], default=len(text))
    out: list[str] = []
    used = 0
    for d in deltas:
        if used >= cut or (max_tokens is not None and len(out) >= max_tokens):
            break
        piece = d[: cut - used]
        used += len(d)
        if piece:
            out.append(piece)
    return out


def _check(messages: Messages) -> None:
    """The real backends need a list of {"role", "content"} dicts with a known role; so does the fake."""
    if not isinstance(messages, list) or not messages:
        raise ValueError("messages must be a non-empty list of {'role': ..., 'content': ...} dicts")
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise ValueError(f"not a chat message: {m!r} (role one of {', '.join(ROLES)}, content a str)")


class FakeChatModel:
    """A chat model that needs no model: deterministic, bounded like a real one, and recording its calls.

    reply      : a fixed text, or a function (messages) -> text; default `quote_passages`
    deltas     : the exact deltas to stream instead (then `reply` is not used)
    error      : raised while the stream is read, after `deltas` if any (a failure mid-answer)
    max_tokens : at most this many deltas (a text reply streams one word per delta)
    stop       : the stream ends before the first of these strings, as the real backends' do

    `calls` holds a copy of the messages of every `stream` call, oldest first.
    """

    def __init__(self, reply: str | Callable[[Messages], str] | None = None, *, deltas: Sequence[str] | None = None,
                 error: BaseException | None = None, max_tokens: int | None = 160, stop: Sequence[str] = STOP,
                 name: str = "fake") -> None:
        self.reply = reply
        self.deltas = None if deltas is None else list(deltas)
        self.error = error
        self.max_tokens = max_tokens
        self.stop = list(stop)
        self.name = name
        self.calls: list[Messages] = []

    def stream(self, messages: Messages) -> Iterator[str]:
        _check(messages)
        self.calls.append([dict(m) for m in messages])
        return self._stream(messages)

    def _stream(self, messages: Messages) -> Iterator[str]:
        if self.deltas is not None:
            parts = self.deltas
        elif self.error is not None:
            parts = []
        else:
            text = self.reply(messages) if callable(self.reply) else self.reply
            parts = _TOKEN.findall(quote_passages(messages) if text is None else text)
        yield from bounded(parts, self.max_tokens, self.stop)
        if self.error is not None:
            raise self.error
