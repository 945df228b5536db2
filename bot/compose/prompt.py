"""Prompt building: pure functions over a template that ships in bot/compose/prompts/."""

from __future__ import annotations

from importlib import resources

from ingest.api import Hit


def load_template(name: str = "answer.txt") -> str:
    return resources.files("bot.compose.prompts").joinpath(name).read_text(encoding="utf-8")


def format_passages(hits: list[Hit], max_chars: int = 1800) -> str:
    """Numbered passages with their section, cut to a character budget.

    >>> from ingest.api import Chunk
    >>> h = Hit(Chunk("1", "guide", "Guide", "Salary > Entry Level", "- Base: $100,000 - $140,000"), 0.8)
    >>> print(format_passages([h]))
    [1] Salary > Entry Level
    - Base: $100,000 - $140,000
    """
    out: list[str] = []
    used = 0
    for i, h in enumerate(hits, 1):
        block = f"[{i}] {h.chunk.section}\n{h.chunk.text}"
        if out and used + len(block) > max_chars:
            break
        out.append(block[: max_chars - used] if not out else block)
        used += len(block) + 2
    return "\n\n".join(out)


def build_messages(template: str, question: str, hits: list[Hit]) -> list[dict[str, str]]:
    """Chat messages for the model: one user turn holding instructions, passages and question.

    >>> build_messages("Q: {question}\\n{passages}", "why?", [])
    [{'role': 'user', 'content': 'Q: why?\\n'}]
    """
    return [{"role": "user", "content": template.format(passages=format_passages(hits), question=question.strip())}]
