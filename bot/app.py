"""The web chat: two tabs, Chat and Library, a thin Gradio adapter over `Bot.stream` and `Library`.

The handlers are plain methods of `ChatApp`, tested directly; `build_app` only
lays out the page and wires them. Everything a user sees of their own session
(messages, the history the bot reads, the answers they can vote on) lives in a
per-session `Session` (gr.State), never in the app object. Text from users and
articles is escaped (bot.evidence.escape), so HTML is shown, not rendered.

`make_chat_fn(bot)` is the plain answer function behind the API endpoint
`/chat` (gradio_client: `predict(message, api_name="/chat")` returns the answer
with its sources as text).
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.admission import Admission, Busy, busy_text, waiting_text
from bot.evidence import escape, evidence
from bot.feedback import FeedbackStore, Vote, new_id, now
from bot.library import COLUMNS, Library, document_rows, results_md
from bot.pipeline import Bot, generates
from bot.settings import Settings, SettingsError
from bot.types import Answer, Turn

MODE_BADGES = {
    "generated": "✓ checked against the articles",
    "checked": "✓ checked against the articles (unsupported sentences removed)",
    "extractive": "✓ quoted from the articles",
}
SORRY = "Sorry, something went wrong while answering"
THINKING = "_Looking in the articles…_"
_CITE = re.compile(r"\[(\d{1,2})\]")


def concurrency_limit(settings: Settings) -> int:
    """How many answers are worked on at once (the others wait in line, told their place)."""
    return 1 if settings.llm == "local" and generates(settings) else 4


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

    def __init__(self, bot: Bot, settings: Settings, feedback: FeedbackStore | None = None,
                 library: Library | None = None) -> None:
        self.bot = bot
        self.settings = settings
        self.admission = Admission(concurrency_limit(settings), settings.chat_wait_s)
        self.feedback = feedback or FeedbackStore.in_home(settings.home)
        self.library = library or Library(settings, bot.store, bot.embedder, on_change=self._refresh)
        self.chat_fn = make_chat_fn(bot)

    def _refresh(self) -> None:
        refresh = getattr(self.bot, "refresh", None)
        if callable(refresh):
            refresh()

    # -- answering ---------------------------------------------------------------
    async def _in_line(self) -> AsyncIterator[str]:
        """Waiting messages while this request waits for a place; Busy past the limit."""
        async with aclosing(self.admission.wait()) as places:
            async for ahead in places:
                yield waiting_text(ahead)

    async def _steps(self, question: str, turns: list[Turn]) -> AsyncIterator[str | Answer]:
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
        yield msgs, session, ""
        try:
            async for text in self._in_line():
                msgs[index] = _message(text)
                yield msgs, session, ""
        except Busy as e:
            msgs[index] = _message(escape(busy_text(e)))
            yield msgs, session, ""
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
                    yield msgs, session, ""
        except Exception as e:  # noqa: BLE001 - keep serving whatever broke in one answer
            msgs[index] = _message(escape(f"{SORRY}: {type(e).__name__}: {str(e)[:200]}"))
            yield msgs, session, ""
            return
        finally:
            self.admission.leave()
        if final is None:
            return
        msgs[index:] = answer_messages(final)
        if final.mode not in ("invalid", "empty"):
            session.remember(question, final, index)
        yield msgs, session, ""

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
        thumb = "👍" if kind == "up" else "👎"
        said = " with your comment" if vote.comment else "; add a comment below if you like"
        return f"Thanks: your {thumb} is saved{said}.", session, ""

    def comment(self, text: str, state: Session | None) -> tuple[str, Session, str]:
        """A comment on the session's last vote."""
        session = Session.of(state)
        text = (text or "").strip()
        if not text:
            return "Type a comment first.", session, ""
        if session.last_vote is None:
            return "Give an answer a 👍 or 👎 first; a comment typed here is saved with your vote.", session, text
        vote = replace(session.last_vote, comment=text)
        try:
            self.feedback.add(vote)
        except OSError as e:
            return f"Your comment could not be saved: {e.strerror or e}.", session, text
        session.last_vote = vote
        for s in session.shown:
            if s.vote is not None and s.vote.id == vote.id:
                s.vote = vote
        return f"Saved your comment with your {'👍' if vote.vote == 'up' else '👎'}.", session, ""

    # -- what the library holds ----------------------------------------------------
    def header(self) -> str:
        profile = self.bot.profile()
        return f"# careerbot\n{escape(profile.description())}"

    def examples(self) -> list[list[str]]:
        return [[q] for q in self.bot.profile().examples(5)]

    def example(self, i: int | None) -> str:
        shown = self.examples()
        return shown[i][0] if isinstance(i, int) and 0 <= i < len(shown) else ""

    def library_rows(self) -> list[list[Any]]:
        return document_rows(self.bot.profile())

    def library_summary(self) -> str:
        docs = self.bot.profile().documents
        chunks = sum(d.chunks for d in docs)
        return f"**{len(docs)} document{'s' if len(docs) != 1 else ''}, {chunks} chunks** in the library."

    def add_files(self, files: list[Any] | None, progress: Callable[[float, str], None] | None = None) -> str:
        paths = [Path(getattr(f, "name", f)) for f in (files or [])]
        if not paths:
            return "Choose one or more .md, .txt, .html or .pdf files first."
        return results_md(self.library.add([(p, p.name) for p in paths], progress))

    def remove(self, doc_id: str | None) -> str:
        return escape(self.library.remove(doc_id or ""))


# -- layout ------------------------------------------------------------------------
CSS = """
.thought-group mark, .message mark { background: #fde68a; color: inherit; padding: 0 1px; }
#status { min-height: 1.5em; }
"""
# A click on [n] in an answer opens that answer's source box n (and shows it).
JS_HEAD = """<script>
document.addEventListener('click', function (ev) {
  var a = ev.target.closest && ev.target.closest('a[href^="#source-"]');
  if (!a) return;
  ev.preventDefault(); ev.stopPropagation();
  var n = a.getAttribute('href').slice('#source-'.length);
  var group = a.closest('.message-row') || a.closest('.bot') || document;
  var titles = group.querySelectorAll('.thought-group .title');
  for (var i = 0; i < titles.length; i++) {
    if (titles[i].textContent.trim().indexOf('[' + n + ']') === 0) {
      if (!titles[i].classList.contains('expanded')) titles[i].click();
      titles[i].scrollIntoView({block: 'nearest'});
      return;
    }
  }
}, true);
</script>"""


def build_app(bot: Bot, settings: Settings, app: ChatApp | None = None) -> Any:
    import gradio as gr

    app = app or ChatApp(bot, settings)
    with gr.Blocks(title="careerbot") as demo:
        session = gr.State(None)
        header = gr.Markdown(app.header())
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chatbot = gr.Chatbot(label="careerbot", height=560, allow_tags=False, sanitize_html=True,
                                     feedback_options=("Like", "Dislike"), buttons=["copy"], elem_id="chat")
                with gr.Row():
                    question = gr.Textbox(show_label=False, placeholder="Ask a question about the articles",
                                          scale=8, autofocus=True, elem_id="question", max_lines=6)
                    send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
                examples = gr.Dataset(components=[question], samples=app.examples(), label="Examples",
                                      type="index", elem_id="examples")
                with gr.Row():
                    comment = gr.Textbox(label="Comment on your vote (optional)", scale=8, elem_id="comment",
                                         placeholder="the salary is wrong; it missed the point…")
                    send_comment = gr.Button("Send comment", scale=1, elem_id="send-comment")
                status = gr.Markdown("", elem_id="status")
            with gr.Tab("Library", id="library"):
                summary = gr.Markdown(app.library_summary(), elem_id="library-summary")
                table = gr.Dataframe(value=app.library_rows(), headers=COLUMNS, interactive=False, wrap=True,
                                     elem_id="library-table")
                files = gr.File(label="Add articles (.md, .txt, .html, .pdf)", file_count="multiple",
                                file_types=[".md", ".markdown", ".txt", ".html", ".htm", ".pdf"], elem_id="upload")
                add = gr.Button("Add to library", variant="primary", elem_id="add")
                added = gr.Markdown("", elem_id="add-result")
                with gr.Row():
                    doc = gr.Dropdown(choices=[r[0] for r in app.library_rows()], label="Remove a document",
                                      scale=4, elem_id="remove-doc")
                    remove = gr.Button("Remove", variant="stop", scale=1, elem_id="remove")
                removed = gr.Markdown("", elem_id="remove-result")

        def refreshed() -> tuple[Any, ...]:
            rows = app.library_rows()
            return (app.header(), gr.Dataset(samples=app.examples()), app.library_summary(), rows,
                    gr.Dropdown(choices=[r[0] for r in rows], value=None))

        view = [header, examples, summary, table, doc]
        ask = dict(fn=app.respond, inputs=[question, chatbot, session], outputs=[chatbot, session, question],
                   concurrency_limit=None, api_visibility="private")
        question.submit(**ask)
        send.click(**ask)
        examples.click(app.example, inputs=[examples], outputs=[question],
                       api_visibility="private").then(**ask)

        def on_like(data: gr.LikeData, state: Session | None, text: str) -> tuple[str, Session, str]:
            return app.vote(state, data.index, data.liked, text)

        on_like.__annotations__["data"] = gr.LikeData  # Gradio finds event data by the class, not its name

        chatbot.like(on_like, inputs=[session, comment], outputs=[status, session, comment], api_visibility="private")
        send_comment.click(app.comment, inputs=[comment, session], outputs=[status, session, comment],
                           api_visibility="private")

        def on_add(paths: list[Any] | None, progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
            return (app.add_files(paths, lambda f, d: progress(f, desc=d)), None, *refreshed())

        add.click(on_add, inputs=[files], outputs=[added, files, *view], concurrency_limit=1,
                  api_visibility="private")
        remove.click(lambda d: (app.remove(d), *refreshed()), inputs=[doc], outputs=[removed, *view],
                     concurrency_limit=1, api_visibility="private")
        demo.load(refreshed, outputs=view, api_visibility="private")
        gr.api(app.api_chat, api_name="chat", concurrency_limit=None)
    demo.queue(default_concurrency_limit=concurrency_limit(settings))
    return demo


# -- serving -------------------------------------------------------------------------
def login_pairs(value: str | None) -> list[tuple[str, str]] | None:
    """CAREERBOT_CHAT_AUTH: "user:password" pairs separated by commas, or a file with one a line.

    >>> login_pairs("ana:s3cret, bo:pw:with:colons")
    [('ana', 's3cret'), ('bo', 'pw:with:colons')]
    >>> login_pairs(None) is None
    True
    >>> login_pairs("nopassword")
    Traceback (most recent call last):
    ...
    bot.settings.SettingsError: CAREERBOT_CHAT_AUTH: entry 1 is not user:password
    """
    if not value or not value.strip():
        return None
    path = Path(value.strip())
    try:
        entries = path.read_text(encoding="utf-8").splitlines() if path.is_file() else value.split(",")
    except OSError as e:
        raise SettingsError(f"CAREERBOT_CHAT_AUTH: cannot read {path}: {e.strerror or e}") from None
    pairs = []
    for i, raw in enumerate((e.strip() for e in entries if e.strip() and not e.strip().startswith("#")), 1):
        user, sep, password = raw.partition(":")
        if not sep or not user.strip() or not password:
            raise SettingsError(f"CAREERBOT_CHAT_AUTH: entry {i} is not user:password")
        pairs.append((user.strip(), password))
    if not pairs:
        raise SettingsError("CAREERBOT_CHAT_AUTH holds no user:password entry")
    return pairs


def is_loopback(host: str) -> bool:
    """
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, auth: list[tuple[str, str]] | None) -> str | None:
    """The start-up warning for a chat served beyond this machine without a login.

    >>> exposure_warning("127.0.0.1", None) is None, exposure_warning("0.0.0.0", [("a", "b")]) is None
    (True, True)
    >>> exposure_warning("0.0.0.0", None)[:60]
    'careerbot chat: warning: serving on 0.0.0.0 without a login:'
    """
    if is_loopback(host) or auth:
        return None
    return (f"careerbot chat: warning: serving on {host} without a login: anyone who can reach this machine can "
            "ask, vote and add to or remove from the library. Set CAREERBOT_CHAT_AUTH=user:password to ask a login.")


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> Any:
    from bot.pipeline import build_bot

    auth = login_pairs(settings.chat_auth)
    warning = exposure_warning(host, auth)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    bot = build_bot(settings)
    bot.warm()
    demo = build_app(bot, settings)
    print(f"careerbot chat: serving on http://{host}:{port}" + (" (login required)" if auth else ""), flush=True)
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, show_error=False,
                auth=auth, max_file_size=settings.max_upload_bytes, css=CSS, head=JS_HEAD)
    return demo
