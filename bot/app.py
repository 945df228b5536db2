"""The web chat: a thin Gradio adapter over `Bot.stream`.

`make_chat_fn(bot)` returns the plain handler (tested directly); `build_app`
wraps it in a ChatInterface whose endpoint is `/chat`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from bot.pipeline import Bot
from bot.settings import Settings
from bot.types import Answer, Turn

EXAMPLES = [
    "Which tool does the guide recommend for experiment tracking?",
    "What base salary can an entry-level ML engineer expect?",
    "Is a master's degree worth it?",
    "How long does the self-taught path take?",
    "What should I put in my portfolio?",
]
MODE_BADGES = {
    "generated": "✓ checked against the articles",
    "checked": "✓ checked against the articles (unsupported sentences removed)",
    "extractive": "✓ quoted from the articles",
}


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
        if line.strip() == "**Sources**" or line.strip() in badges:
            break
        kept.append(line)
    return "\n".join(kept).strip()


def history_turns(history: list[Any] | None) -> list[Turn]:
    """Gradio's messages history -> Turns (text content only; an answer without its badge and sources).

    >>> history_turns([{"role": "user", "content": "hi"}, {"role": "assistant", "content": [{"text": "yo"}]}])
    [Turn(role='user', content='hi'), Turn(role='assistant', content='yo')]
    """
    turns = []
    for m in history or []:
        if isinstance(m, dict):
            role, content = m.get("role"), m.get("content")
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
            yield f"Sorry, something went wrong while answering: {type(e).__name__}: {str(e)[:200]}"

    return chat


def build_app(bot: Bot, settings: Settings) -> Any:
    import gradio as gr

    demo = gr.ChatInterface(
        fn=make_chat_fn(bot),
        title="careerbot",
        description="Career advice on becoming an AI/ML engineer, answered from the articles it was given, "
        "with sources under every answer.",
        examples=EXAMPLES,
        cache_examples=False,
        api_name="chat",
    )
    from bot.pipeline import generates

    limit = 1 if settings.llm == "local" and generates(settings) else 4
    demo.queue(default_concurrency_limit=limit)
    return demo


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> Any:
    from bot.pipeline import build_bot

    bot = build_bot(settings)
    bot.warm()
    demo = build_app(bot, settings)
    print(f"careerbot chat: serving on http://{host}:{port}", flush=True)
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, show_error=True)
    return demo
