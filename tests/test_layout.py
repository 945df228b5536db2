"""The layout is the design: bot/ meets ingest/ only through ingest.api, and quoting an answer imports
neither the chat UI, the loaders, torch nor LangChain."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from tests.conftest import ROOT


def _imports(folder: str) -> list[tuple[str, str]]:
    """(file, module) of every import statement under bot/ or ingest/, inside functions too."""
    out = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                out.append((str(path.relative_to(ROOT)), node.module))
            elif isinstance(node, ast.Import):
                out.extend((str(path.relative_to(ROOT)), a.name) for a in node.names)
    return out


def test_bot_uses_ingest_through_its_api_only() -> None:
    through = [(f, m) for f, m in _imports("bot") if m == "ingest" or m.startswith("ingest.")]
    assert through, "bot/ does use ingest"
    assert [(f, m) for f, m in through if m != "ingest.api"] == []


def test_ingest_never_imports_bot() -> None:
    assert [(f, m) for f, m in _imports("ingest") if m == "bot" or m.startswith("bot.")] == []


def test_every_name_of_the_api_resolves() -> None:
    import ingest.api

    for name in ingest.api.__all__:
        assert getattr(ingest.api, name) is not None, name
    try:
        ingest.api.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_the_packages_are_the_path_of_an_answer() -> None:
    folders = sorted(p.name for p in (ROOT / "bot").iterdir() if (p / "__init__.py").is_file())
    assert folders == ["compose", "decide", "eval", "question", "retrieval", "web"]
    top = sorted(p.stem for p in (ROOT / "bot").glob("*.py"))
    assert top == ["__init__", "cli", "doctor", "pipeline", "settings", "types"]


def test_asking_imports_no_ui_loader_torch_or_langchain(guide_store_dir) -> None:
    code = (
        "import json, sys\n"
        "from bot.cli import main\n"
        f"code = main(['ask', 'Which tool tracks experiments?', '--json', '--store-dir', {str(guide_store_dir)!r}])\n"
        "heavy = ('gradio', 'torch', 'sentence_transformers', 'langchain', 'langchain_core', 'ingest.pipeline',\n"
        "         'ingest.loaders.html', 'ingest.loaders.pdf', 'markdown_it', 'pypdf', 'bot.web', 'bot.eval')\n"
        "print(json.dumps({'code': code, 'loaded': [m for m in heavy if m in sys.modules]}), file=sys.stderr)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    report = json.loads(p.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": []}, p.stderr[-2000:]
    assert json.loads(p.stdout)["sources"], p.stdout
