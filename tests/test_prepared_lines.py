"""Ingest embeds the lines answers quote and saves them beside the store; answering then embeds only the question."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from bot.cli import run_ingest
from bot.compose.prepared import quoted_texts
from bot.pipeline import build_bot
from bot.retrieval.vectors import TEXT_VECTORS_DIRNAME, load_text_vectors
from bot.settings import load_settings
from ingest.embed import CachedEmbedder, build_embedder
from ingest.store import build_store
from tests.test_stored_vectors import Counting

SRC = Path(__file__).resolve().parent / "data" / "ingest" / "ml-interviews"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("behavior.md", "lc-coding.md", "LICENSE"):
        shutil.copy(SRC / name, folder / name)
        (folder / name).chmod(0o644)
    return folder


def test_ingest_saves_every_quotable_line_and_an_answer_embeds_none(tmp_path: Path, embedder) -> None:
    folder, settings = _folder(tmp_path), load_settings({"store_dir": tmp_path / "store"}, env={})
    run_ingest([folder], settings, embedder=embedder)
    chunks = build_store(settings.store_dir, None).all_chunks()
    lines = quoted_texts(chunks)
    saved = load_text_vectors(settings.state_dir, embedder.name)
    assert len(lines) > 20 and set(saved) == set(lines)
    sample = lines[:: max(1, len(lines) // 20)]
    fresh = build_embedder(cache=0).embed(sample)
    assert all(float(saved[t] @ v) > 0.999 for t, v in zip(sample, fresh, strict=True))

    counting = Counting(build_embedder(cache=0))
    bot = build_bot(settings, embedder=CachedEmbedder(counting))
    answer = bot.answer("How should I prepare for behavioral interviews?")
    assert not answer.refused and answer.sources
    assert counting.texts and not set(counting.texts) & set(lines), "a quotable line was embedded at answer time"

    shutil.rmtree(settings.state_dir / TEXT_VECTORS_DIRNAME)  # without them: the lines are embedded as before
    counting = Counting(build_embedder(cache=0))
    build_bot(settings, embedder=CachedEmbedder(counting)).answer("How should I prepare for behavioral interviews?")
    assert set(counting.texts) & set(lines)


def test_an_edit_embeds_only_the_lines_it_changed(tmp_path: Path, embedder) -> None:
    folder, settings = _folder(tmp_path), load_settings({"store_dir": tmp_path / "store"}, env={})
    run_ingest([folder], settings, embedder=embedder)
    before = set(load_text_vectors(settings.state_dir, embedder.name))
    (folder / "behavior.md").write_text((folder / "behavior.md").read_text() + "\n## Zebra Rule\n\n"
                                        "Always mention the zebra-crossing principle.\n")
    (folder / "lc-coding.md").unlink()
    counting = Counting(build_embedder(cache=0))
    run_ingest([folder], settings, embedder=counting)
    after = load_text_vectors(settings.state_dir, embedder.name)
    lines = quoted_texts(build_store(settings.store_dir, None).all_chunks())
    assert set(after) == set(lines)  # the deleted article's lines are gone
    new = [t for t in lines if "zebra" in t.lower()]
    assert new and set(new) <= set(counting.texts)
    assert not (before & set(lines)) & set(counting.texts), "an unchanged line was embedded again"
    assert np.allclose(after[new[0]], build_embedder(cache=0).embed(new[:1])[0], atol=1e-4)


def test_a_damaged_file_is_ignored_and_the_next_ingest_writes_it_again(tmp_path: Path, embedder) -> None:
    folder, settings = _folder(tmp_path), load_settings({"store_dir": tmp_path / "store"}, env={})
    run_ingest([folder], settings, embedder=embedder)
    saved = settings.state_dir / TEXT_VECTORS_DIRNAME
    (saved / "vectors.npy").write_bytes(b"not a numpy file")
    assert load_text_vectors(settings.state_dir, embedder.name) == {}
    answer = build_bot(settings, embedder=embedder).answer("How should I prepare for behavioral interviews?")
    assert not answer.refused and answer.sources
    run_ingest([folder], settings, embedder=embedder)  # nothing changed in the articles: the lines are saved again
    lines = quoted_texts(build_store(settings.store_dir, None).all_chunks())
    assert set(load_text_vectors(settings.state_dir, embedder.name)) == set(lines)
