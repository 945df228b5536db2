"""The one settings object: flags, then CAREERBOT_* environment variables, then defaults.

Built once at the entry point (CLI, app, tests) and passed down. Nothing reads
the environment at import time.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

LLM_BACKENDS = ("local", "openai", "ollama", "fake")  # fake: bot.compose.fake_llm, no model
ANSWER_MODES = ("auto", "generate", "extractive")


class SettingsError(ValueError):
    """A setting has a value we cannot use (reported as a one-line error, exit 2)."""


@dataclass(frozen=True)
class Settings:
    store_dir: Path = Path(".careerbot/chroma")
    chroma_url: str | None = None
    collection: str = "careerbot"
    llm: str = "local"
    llm_base_url: str | None = None
    llm_model: str | None = None  # server model name, or a .gguf path for local
    llm_api_key: str | None = None
    llm_timeout_s: float = 60.0
    llm_connect_timeout_s: float = 5.0
    llm_threads: int = 2
    max_tokens: int = 160
    top_k: int = 6
    retrieval: str = "hybrid"  # hybrid (dense + BM25, fused) | dense
    answer_mode: str = "auto"  # auto: generate, check, fall back to extractive
    embed_model: str | None = None  # path of a sentence-transformers model; default: packaged MiniLM
    chunk_chars: int = 700
    max_file_bytes: int = 20_000_000
    max_question_chars: int = 2000
    derive_questions: bool = True  # articles without a questions file get sample questions from their text
    home: Path = Path(".careerbot")  # the chat's own files: votes (feedback.jsonl), uploaded articles (uploads/)
    chat_auth: str | None = None  # "user:password[,user:password]" or a file of such lines: the chat asks a login
    chat_wait_s: float = 60.0  # a chat question waiting longer than this for a free place is told to ask again
    max_upload_bytes: int = 10_000_000  # per file uploaded through the chat's library

    def __post_init__(self) -> None:
        object.__setattr__(self, "store_dir", Path(self.store_dir))
        object.__setattr__(self, "home", Path(self.home))
        if self.chat_wait_s <= 0:
            raise SettingsError(f"CAREERBOT_CHAT_WAIT_S must be above 0, not {self.chat_wait_s}")
        if self.llm not in LLM_BACKENDS:
            raise SettingsError(f"CAREERBOT_LLM must be one of {', '.join(LLM_BACKENDS)}, not {self.llm!r}")
        if self.answer_mode not in ANSWER_MODES:
            raise SettingsError(
                f"CAREERBOT_ANSWER_MODE must be one of {', '.join(ANSWER_MODES)}, not {self.answer_mode!r}"
            )
        if self.retrieval not in ("hybrid", "dense"):
            raise SettingsError(f"CAREERBOT_RETRIEVAL must be hybrid or dense, not {self.retrieval!r}")
        if self.top_k < 1 or self.top_k > 50:
            raise SettingsError(f"CAREERBOT_TOP_K must be between 1 and 50, not {self.top_k}")
        if self.chunk_chars < 200:
            raise SettingsError(f"CAREERBOT_CHUNK_CHARS must be at least 200, not {self.chunk_chars}")

    @property
    def state_dir(self) -> Path | None:
        """Folder for files kept beside a local store (the BM25 index, the glossary's vectors); None with a
        Chroma server, where nothing is written locally."""
        return None if self.chroma_url else self.store_dir

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _coerce(name: str, raw: str, typ: Any) -> Any:
    t = str(typ)
    if t in ("bool", "<class 'bool'>"):
        if raw.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if raw.strip().lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"CAREERBOT_{name.upper()} must be true or false, not {raw!r}")
    try:
        if "int" in t and "float" not in t:
            return int(raw)
        if "float" in t:
            return float(raw)
    except ValueError:
        raise SettingsError(f"CAREERBOT_{name.upper()} must be a number, not {raw!r}") from None
    if "Path" in t:
        return Path(raw)
    return raw


def load_settings(overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Flags (overrides), then CAREERBOT_<FIELD> variables, then defaults.

    >>> load_settings({"top_k": 6}, env={"CAREERBOT_TOP_K": "3", "CAREERBOT_LLM": "openai"}).top_k
    6
    >>> load_settings(env={"CAREERBOT_LLM": "openai"}).llm
    'openai'
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"CAREERBOT_{f.name.upper()}")
        if raw is not None and raw != "":
            values[f.name] = _coerce(f.name, raw, f.type)
    if "llm_api_key" not in values and env.get("OPENAI_API_KEY"):
        values["llm_api_key"] = env["OPENAI_API_KEY"]
    for k, v in (overrides or {}).items():
        if v is not None:
            values[k] = v
    return Settings(**values)
