"""The web chat: two tabs, Chat and Library, a thin Gradio layout over the handlers in `bot.chat`.

The chat function is reachable by gradio_client as `predict(message, api_name="/chat")`
and returns the answer with its sources as text. `serve` binds 127.0.0.1 unless told
otherwise, asks a login when CAREERBOT_CHAT_AUTH is set, and warns when it serves
beyond this machine without one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

from bot.pipeline import Bot, generates
from bot.settings import Settings, SettingsError
from bot.web.chat import (  # noqa: F401 - re-exported: the /chat function and its helpers
    MODE_BADGES,
    ChatApp,
    Session,
    answer_messages,
    answer_text,
    history_turns,
    make_chat_fn,
    render_answer,
)
from bot.web.library import rows_md


def concurrency_limit(settings: Settings) -> int:
    """How many answers are worked on at once (the others wait in line, told their place)."""
    return 1 if settings.llm == "local" and generates(settings) else 4


# -- layout ------------------------------------------------------------------------
CSS = """
.thought-group mark, .message mark { background: #fde68a; color: inherit; padding: 0 1px; }
#status { min-height: 1.5em; }
.thought-group .content, .thought-group .content * { font-size: 15px !important; }
#library-table table { font-size: var(--text-sm); }
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

    app = app or ChatApp(bot, settings, concurrency_limit(settings))
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
                table = gr.Markdown(rows_md(app.library_rows()), elem_id="library-table")
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
            return (app.header(), gr.Dataset(samples=app.examples()), app.library_summary(), rows_md(rows),
                    gr.Dropdown(choices=[r[0] for r in rows], value=None))

        view = [header, examples, summary, table, doc]
        ask: dict[str, Any] = dict(fn=app.respond, inputs=[question, chatbot, session], outputs=[chatbot, session, question],
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
        chatbot.clear(lambda: (None, ""), outputs=[session, status], api_visibility="private")  # a new conversation

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


M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def bound_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas, as MALLOC_ARENA_MAX=2 would: the chat answers on dozens of threads, each
    meeting contention gets an arena of its own, and their free-but-kept memory made a 100-user soak's RSS
    creep (0.93 MB a minute; 0.17 with two arenas, same run length). True when set; nothing happens outside
    glibc or when MALLOC_ARENA_MAX is already in the environment (the user's choice wins)."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # no libc by that name, or a libc without mallopt (musl)
        return False


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> Any:
    from bot.pipeline import build_bot

    bound_malloc_arenas()  # before the worker threads start

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
