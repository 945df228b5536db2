"""The chat's handlers, plain functions and methods tested directly; `bot.app` lays them out in Gradio.

`make_chat_fn(bot)` is the plain answer function behind the API endpoint
`/chat` (the answer with its sources as text). `ChatApp` holds the page's
handlers: `respond` streams one answer into a session's messages (a waiting
place while the line is long, then the answer with one closed box per source),
`vote` and `comment` store feedback, `add_files` and `remove` change the
library. Everything a user sees of their own session (messages, the history
the bot reads, the answers they can vote on) lives in a per-session `Session`
(gr.State), never in the app object. Text from users and articles is escaped
(bot.web.evidence.escape), so HTML is shown, not rendered.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.decide.profile import CorpusProfile
from bot.pipeline import Bot
from bot.settings import Settings
from bot.types import Answer, Turn
from bot.web.admission import Admission, Busy, busy_text, waiting_text
from bot.web.evidence import escape, evidence
from bot.web.feedback import FeedbackStore, Vote, new_id, now
from bot.web.library import Library, document_rows, results_md

MODE_BADGES = {
    "generated": "✓ checked against the articles",
    "checked": "✓ checked against the articles (unsupported sentences removed)",
    "extractive": "✓ quoted from the articles",
}
SORRY = "Sorry, something went wrong while answering"
THINKING = "_Looking in the articles…_"
_CITE = re.compile(r"\[(\d{1,2})\]")


# -- the /chat API: plain text ---------------------------------------------------
def render_answer(answer: Answer) -> str:
    """Markdown for the chat: the answer, how it was checked, and its sources.

    >>> from bot.types import Source
    >>> print(render_answer(Answer("MLflow tracks experiments.", sources=[Source("guide", "How to",
    ...       "Required Skills > MLOps Tools", 0.62)])))
    MLflow tracks experiments.
    <BLANKLINE>
    *✓ checked against the articles*
    <BLANKLINE>
    **Sources**
    1. How to — Required Skills > MLOps Tools (`guide`, 0.62)
    """
    parts = [answer.text.strip()]
    if answer.mode in MODE_BADGES:
        parts.append(f"*{MODE_BADGES[answer.mode]}*")
    if answer.sources and not answer.refused:
        lines = [f"{i}. {s.title} — {s.section} (`{s.doc_id}`, {s.score:.2f})" for i, s in enumerate(answer.sources, 1)]
        parts.append("**Sources**\n" + "\n".join(lines))
    return "\n\n".join(parts)


def answer_text(rendered: str) -> str:
    """The answer itself from what `render_answer` showed: the badge and the Sources list cut off.

    >>> from bot.types import Source
    >>> answer_text(render_answer(Answer("- Calculus [1]", mode="extractive", sources=[Source("g", "G", "Math", .5)])))
    '- Calculus [1]'
    """
    badges = tuple(f"*{b}*" for b in MODE_BADGES.values())
    kept = []
    for line in rendered.splitlines():
        if line.strip() in ("**Sources**", "**Sources** (open one to see its passage)") or line.strip() in badges:
            break
        kept.append(line)
    return "\n".join(kept).strip()


def history_turns(history: list[Any] | None) -> list[Turn]:
    """Gradio's messages history -> Turns (text content only; an answer without its badge and sources;
    the source passages shown under an answer are not turns).

    >>> history_turns([{"role": "user", "content": "hi"}, {"role": "assistant", "content": [{"text": "yo"}]},
    ...                {"role": "assistant", "content": "passage", "metadata": {"title": "[1] Guide"}}])
    [Turn(role='user', content='hi'), Turn(role='assistant', content='yo')]
    """
    turns = []
    for m in history or []:
        if isinstance(m, dict):
            role, content = m.get("role"), m.get("content")
            if (m.get("metadata") or {}).get("title"):
                continue
        else:  # a (user, assistant) pair from older clients
            turns += [Turn("user", str(m[0]))] if m[0] else []
            turns += [Turn("assistant", str(m[1]))] if len(m) > 1 and m[1] else []
            continue
        if isinstance(content, list):
            content = " ".join(str(c.get("text", "")) if isinstance(c, dict) else str(c) for c in content)
        if role == "assistant" and isinstance(content, str):
            content = answer_text(content)
        if role in ("user", "assistant") and isinstance(content, str) and content.strip():
            turns.append(Turn(role, content))
    return turns


def make_chat_fn(bot: Bot) -> Callable[[str, list[Any]], Iterator[str]]:
    def chat(message: str, history: list[Any]) -> Iterator[str]:
        text = ""
        try:
            for item in bot.stream(message or "", history_turns(history)):
                if isinstance(item, Answer):
                    yield render_answer(item)
                    return
                text += item
                yield text
        except Exception as e:  # keep serving whatever broke in one answer
            yield f"{SORRY}: {type(e).__name__}: {str(e)[:200]}"

    return chat


# -- the page: messages with their evidence ---------------------------------------
def linked(text: str, n_sources: int) -> str:
    """Escaped answer text with each [n] a link to its source below.

    >>> linked("Use <b>MLflow</b> [1].", 1)
    'Use &lt;b&gt;MLflow&lt;/b&gt; [[1]](#source-1).'
    """
    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"[[{n}]](#source-{n})" if 1 <= n <= n_sources else m.group(0)

    return _CITE.sub(link, escape(text))


def answer_messages(answer: Answer) -> list[dict[str, Any]]:
    """The chat messages for one answer: the answer, then one closed box per source holding its passage
    (a refusal has none; an error answer shows the passages it had retrieved)."""
    shown = evidence(answer)
    if answer.mode == "error":
        body = escape(answer.notes[0] if answer.notes else answer.text.split("\n\n", 1)[0])
        body += "\n\nThe most relevant passages:" if shown else ""
    else:
        body = linked(answer.text.strip(), len(shown))
        if answer.mode in MODE_BADGES:
            body += f"\n\n*{MODE_BADGES[answer.mode]}*"
        if shown:
            body += "\n\n**Sources** (open one to see its passage)"
    out: list[dict[str, Any]] = [{"role": "assistant", "content": body}]
    out += [{"role": "assistant", "content": e.body, "metadata": {"title": e.title, "status": "done"}} for e in shown]
    return out


@dataclass
class Shown:
    """An answer shown in one session, for its thumbs."""

    index: int  # its message's position in the chat
    question: str
    history: list[dict[str, str]]
    text: str
    mode: str
    refused: bool
    sources: list[dict[str, Any]]
    vote: Vote | None = None


@dataclass
class Session:
    """One browser session's conversation (kept in gr.State, so never shared)."""

    id: str = ""
    turns: list[Turn] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)
    last_vote: Vote | None = None

    @classmethod
    def of(cls, state: Session | None) -> Session:
        s = state if isinstance(state, Session) else cls()
        if not s.id:
            s.id = new_id()
        return s

    def remember(self, question: str, answer: Answer, index: int) -> None:
        history = [{"role": t.role, "content": t.content} for t in self.turns]
        sources = [{"doc_id": s.doc_id, "title": s.title, "section": s.section, "score": s.score}
                   for s in (answer.sources if not answer.refused else [])]
        self.shown.append(Shown(index, question, history, answer.text, answer.mode, answer.refused, sources))
        self.turns += [Turn("user", question), Turn("assistant", answer.text)]

    def answer_at(self, index: int) -> Shown | None:
        return next((s for s in self.shown if s.index == index), None)


def _message(text: str) -> dict[str, Any]:
    return {"role": "assistant", "content": text}


class ChatApp:
    """The chat's handlers over one bot; per-user state comes in and goes out as a Session."""

    def __init__(self, bot: Bot, settings: Settings, limit: int = 4, feedback: FeedbackStore | None = None,
                 library: Library | None = None) -> None:
        self.bot = bot
        self.settings = settings
        self.admission = Admission(limit, settings.chat_wait_s)  # `limit` answers at once, the rest wait in line
        self.feedback = feedback or FeedbackStore.in_home(settings.home)
        self.library = library or Library(settings, getattr(bot, "store", None), getattr(bot, "embedder", None),
                                          on_change=self._refresh)
        self.chat_fn = make_chat_fn(bot)

    def _refresh(self) -> None:
        refresh = getattr(self.bot, "refresh", None)
        if callable(refresh):
            refresh()

    # -- answering ---------------------------------------------------------------
    async def _in_line(self) -> AsyncGenerator[str, None]:
        """Waiting messages while this request waits for a place; Busy past the limit."""
        async with aclosing(self.admission.wait()) as places:
            async for ahead in places:
                yield waiting_text(ahead)

    async def _steps(self, question: str, turns: list[Turn]) -> AsyncGenerator[str | Answer, None]:
        """Bot.stream run in a worker thread, one item at a time (the event loop stays free)."""
        import anyio.to_thread

        done = object()
        it = iter(self.bot.stream(question, list(turns)))
        while (item := await anyio.to_thread.run_sync(next, it, done)) is not done:
            yield item  # type: ignore[misc]

    async def respond(self, message: str, messages: list[Any] | None, state: Session | None
                      ) -> AsyncIterator[tuple[list[Any], Session, str]]:
        """One question into the session's chat: waiting place, streamed text, then the answer with its sources."""
        session = Session.of(state)
        msgs = list(messages or [])
        question = message or ""
        msgs += [{"role": "user", "content": escape(question)}] if question.strip() else []
        msgs.append(_message(THINKING))
        index = len(msgs) - 1
        yield list(msgs), session, ""
        try:
            async for text in self._in_line():
                msgs[index] = _message(text)
                yield list(msgs), session, ""
        except Busy as e:
            msgs[index] = _message(escape(busy_text(e)))
            yield list(msgs), session, ""
            return
        final: Answer | None = None
        try:
            streamed = ""
            async with aclosing(self._steps(question, session.turns)) as steps:
                async for item in steps:
                    if isinstance(item, Answer):
                        final = item
                        break
                    streamed += item
                    msgs[index] = _message(escape(streamed))
                    yield list(msgs), session, ""
        except Exception as e:  # noqa: BLE001 - keep serving whatever broke in one answer
            msgs[index] = _message(escape(f"{SORRY}: {type(e).__name__}: {str(e)[:200]}"))
            yield list(msgs), session, ""
            return
        finally:
            self.admission.leave()
        if final is None:
            return
        msgs[index:] = answer_messages(final)
        if final.mode not in ("invalid", "empty"):
            session.remember(question, final, index)
        yield list(msgs), session, ""

    async def api_chat(self, message: str, history: list | None = None) -> str:
        """The `/chat` endpoint: the answer with its sources as text (a clear message when the line is too long)."""
        try:
            async for _ in self._in_line():
                pass
        except Busy as e:
            return busy_text(e)
        import anyio.to_thread

        try:
            return await anyio.to_thread.run_sync(lambda: list(self.chat_fn(message, history or []))[-1])
        finally:
            self.admission.leave()

    # -- feedback ----------------------------------------------------------------
    def settings_that_matter(self) -> dict[str, Any]:
        s = self.settings
        return {"store": s.chroma_url or str(s.store_dir), "collection": s.collection, "llm": s.llm,
                "model": s.llm_model or "(bundled)", "answer_mode": s.answer_mode, "top_k": s.top_k,
                "retrieval": s.retrieval}

    def vote(self, state: Session | None, index: Any, liked: Any, comment: str = "") -> tuple[str, Session, str]:
        """A thumb on the answer at message `index` (liked: True, False, or "" when clicked off again).
        Returns the status line, the session and the comment box's new value."""
        session = Session.of(state)
        index = index[0] if isinstance(index, (list, tuple)) else index
        shown = session.answer_at(int(index)) if isinstance(index, int) or str(index).isdigit() else None
        if shown is None:
            return "That message is not an answer; there is nothing to vote on.", session, comment
        kind = "up" if liked is True else "down" if liked is False else "withdrawn"
        old = shown.vote
        vote = Vote(old.id if old else new_id(), kind, shown.question, shown.text, at=old.at if old else now(),
                    comment=(comment or "").strip() or (old.comment if old else ""), history=shown.history,
                    mode=shown.mode, refused=shown.refused, sources=shown.sources,
                    settings=self.settings_that_matter(), session=session.id)
        try:
            self.feedback.add(vote)
        except OSError as e:
            return f"Your vote could not be saved: {e.strerror or e}.", session, comment
        shown.vote = vote
        session.last_vote = vote if kind != "withdrawn" else None
        if kind == "withdrawn":
            return "Your vote is withdrawn.", session, ""
        said = " with your comment" if vote.comment else "; add a comment below if you like"
        return f"Thanks: your thumbs {kind} is saved{said}.", session, ""

    def comment(self, text: str, state: Session | None) -> tuple[str, Session, str]:
        """A comment on the session's last vote."""
        session = Session.of(state)
        text = (text or "").strip()
        if not text:
            return "Type a comment first.", session, ""
        if session.last_vote is None:
            return "Give an answer a thumbs up or down first; a comment typed here is saved with your vote.", session, text
        vote = replace(session.last_vote, comment=text)
        try:
            self.feedback.add(vote)
        except OSError as e:
            return f"Your comment could not be saved: {e.strerror or e}.", session, text
        session.last_vote = vote
        for s in session.shown:
            if s.vote is not None and s.vote.id == vote.id:
                s.vote = vote
        return f"Saved your comment with your thumbs {vote.vote}.", session, ""

    # -- what the library holds ----------------------------------------------------
    def profile(self) -> CorpusProfile:
        read = getattr(self.bot, "profile", None)
        return read() if callable(read) else CorpusProfile()

    def header(self) -> str:
        return f"# careerbot\n{escape(self.profile().description())}"

    def examples(self) -> list[list[str]]:
        return [[q] for q in self.profile().examples(5)]

    def example(self, i: int | None) -> str:
        shown = self.examples()
        return shown[i][0] if isinstance(i, int) and 0 <= i < len(shown) else ""

    def library_rows(self) -> list[list[Any]]:
        return document_rows(self.profile())

    def library_summary(self) -> str:
        docs = self.profile().documents
        chunks = sum(d.chunks for d in docs)
        return f"**{len(docs)} document{'s' if len(docs) != 1 else ''}, {chunks} chunks** in the library."

    def add_files(self, files: list[Any] | None, progress: Callable[[float, str], None] | None = None) -> str:
        paths = [Path(getattr(f, "name", f)) for f in (files or [])]
        if not paths:
            return "Choose one or more .md, .txt, .html or .pdf files first."
        return results_md(self.library.add([(p, p.name) for p in paths], progress))

    def remove(self, doc_id: str | None) -> str:
        return escape(self.library.remove(doc_id or ""))
