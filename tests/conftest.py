"""Shared fixtures: the real packaged embedder, a guide store in a temporary folder, and a bot per corpus.

Everything expensive is session-scoped and built on first use: one embedder,
one store per corpus, one bot per store, whichever tests ask for them. Under
pytest-xdist (`make test` runs two workers) a store is still ingested once per
run: the first worker to need it builds it, the others copy it (`built_once`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

for _k, _v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
               "GRADIO_ANALYTICS_ENABLED": "False", "TOKENIZERS_PARALLELISM": "false"}.items():
    os.environ.setdefault(_k, _v)

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Two workers on two cores: one BLAS thread each, and for the processes they start. Two threads each
    # would put four on two cores, and OpenBLAS's threads spin while they wait.
    for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(_k, "1")
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)

# The bundled model's threads in tests. llama.cpp's threads spin at every barrier, so with the other xdist
# worker busy one descheduled thread stalls the rest: the same LLM tests took 13 s in one run and 34-67 s in
# others. One thread has no barrier to wait at (11.2 s against 11.6 s for two, beside a busy core).
LLM_THREADS = 1 if os.environ.get("PYTEST_XDIST_WORKER") else 2

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "corpus" / "how-to-become-an-ai-ml-engineer-2026.txt"
GUIDE_ID = "how-to-become-an-ai-ml-engineer-2026"
CORPORA_DIR = ROOT / "tests" / "data" / "corpora"
# A corpus a gate can name: what is ingested into its store ("guide" is the guide_bot fixture's store).
CORPORA: dict[str, tuple[Path, ...]] = {
    "guide": (GUIDE,),
    "ml-interviews": (CORPORA_DIR / "ml-interviews",),
    "ossu-cs": (CORPORA_DIR / "ossu-cs",),
    "career-ladders": (CORPORA_DIR / "career-ladders",),
    "tts-handbook": (CORPORA_DIR / "tts-handbook",),
    "all": (ROOT / "corpus", CORPORA_DIR),
}


def copy_article(src: Path, dest_dir: Path) -> Path:
    """Copy an article and its companion files (NAME.questions.yaml, NAME.glossary.yaml) into a folder."""
    from ingest.companions import companion_paths

    dest_dir.mkdir(parents=True, exist_ok=True)
    for p in [src, *companion_paths(src).values()]:
        shutil.copy(p, dest_dir / p.name)
    return dest_dir / src.name


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's CAREERBOT_* settings or writes the real store."""
    for k in list(os.environ):
        if k.startswith("CAREERBOT_"):
            monkeypatch.delenv(k)
    monkeypatch.setenv("CAREERBOT_STORE_DIR", str(tmp_path / "default-store"))


@pytest.fixture(scope="session")
def embedder():
    from ingest.embed import build_embedder

    return build_embedder()


def bot_over(tmp_path_factory: pytest.TempPathFactory, embedder, name: str, files: dict[str, str]):
    """The real pipeline over a new store of these articles (file name: text), ingested through the CLI's path;
    every file must be added."""
    from bot.cli import run_ingest
    from bot.pipeline import build_bot
    from bot.settings import load_settings

    folder = tmp_path_factory.mktemp(name)
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    settings = load_settings({"store_dir": tmp_path_factory.mktemp(f"{name}-store") / "chroma"}, env={})
    report = run_ingest([folder], settings, embedder=embedder)
    assert report.failed == [] and report.added == len(files), report
    return build_bot(settings, embedder=embedder)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that `build(folder)` fills, built once per test run however many xdist workers run.

    The first worker to ask builds it in the run's shared temporary folder,
    under a lock; every worker then works on its own copy, since a local
    Chroma folder is opened by one process at a time. Without xdist the
    folder is built in place.
    """
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name) / "chroma"
        build(folder)
        return folder
    shared = base.parent / f"shared-{name}"
    with FileLock(str(base.parent / f"shared-{name}.lock")):
        if not (shared / ".built").exists():
            shutil.rmtree(shared, ignore_errors=True)
            build(shared / "chroma")
            (shared / ".built").touch()
    own = tmp_path_factory.mktemp(name) / "chroma"
    shutil.copytree(shared / "chroma", own)
    return own


@pytest.fixture(scope="session")
def guide_store_dir(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """A Chroma folder holding the guide, ingested once per run through the CLI's path."""
    from bot.cli import run_ingest
    from bot.settings import load_settings

    corpus = tmp_path_factory.mktemp("corpus")
    copy_article(GUIDE, corpus)

    def build(store_dir: Path) -> None:
        report = run_ingest([corpus], load_settings({"store_dir": store_dir}, env={}), embedder=embedder)
        assert report.added == 1 and not report.failed

    return built_once(tmp_path_factory, "guide-store", build)


@pytest.fixture(scope="session")
def guide_settings(guide_store_dir: Path):
    from bot.settings import load_settings

    return load_settings({"store_dir": guide_store_dir}, env={})


@pytest.fixture(scope="session")
def guide_bot(guide_settings, embedder):
    """The real pipeline over the guide, with the bundled local model."""
    from bot.pipeline import build_bot

    return build_bot(guide_settings, embedder=embedder)


@pytest.fixture(scope="session")
def bot_for(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, embedder):
    """`bot_for(corpus)`: the real pipeline over a store of one of CORPORA, ingested once per session
    (through the CLI's path) the first time a test asks for it; "guide" is `guide_bot`."""
    from bot.cli import run_ingest
    from bot.pipeline import build_bot
    from bot.settings import load_settings

    bots: dict[str, object] = {}

    def get(corpus: str):
        if corpus not in bots:
            if corpus == "guide":
                bots[corpus] = request.getfixturevalue("guide_bot")
            else:
                def build(store_dir: Path) -> None:
                    report = run_ingest(list(CORPORA[corpus]), load_settings({"store_dir": store_dir}, env={}),
                                        embedder=embedder)  # shared: a store of texts already embedded is quick
                    assert report.added and not report.failed, report.failed

                store_dir = built_once(tmp_path_factory, f"store-{corpus}", build)
                bots[corpus] = build_bot(load_settings({"store_dir": store_dir}, env={}), embedder=embedder)
        return bots[corpus]

    return get
