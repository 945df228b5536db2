"""The chat's library: what the store holds, articles uploaded through the page, and removals.

Uploads are copied under HOME/uploads with sanitised names and a size limit,
then ingested one at a time through `ingest.pipeline.ingest_paths` (so each
file gets its own result: added, updated, unchanged or failed with the reason).
Nothing outside HOME/uploads is written; the store is changed only through
ingest's own functions, and the bot is told to re-read it afterwards.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.settings import Settings

UPLOAD_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
MAX_NAME = 80
COLUMNS = ["doc_id", "title", "chunks", "sections", "source", "ingested"]


class UploadError(Exception):
    """One uploaded file cannot be taken (one line, shown as that file's result)."""


@dataclass(frozen=True)
class FileResult:
    name: str  # as uploaded
    status: str  # "added" | "updated" | "unchanged" | "failed"
    detail: str = ""  # the reason of a failure, or what was stored
    doc_id: str = ""
    chunks: int = 0


def safe_name(name: str) -> str:
    """A file name that is safe to write in the uploads folder: no folders, only plain characters.

    >>> safe_name("../../etc/My Résumé (v2).md"), safe_name("..hidden.txt"), safe_name("a/b\\\\c d.PDF")
    ('My-Resume-v2.md', 'hidden.txt', 'c-d.pdf')
    >>> safe_name("???.md")
    Traceback (most recent call last):
    ...
    bot.web.library.UploadError: the name '???.md' has no letters or digits to keep
    """
    base = re.split(r"[\\/]", name)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip(".-_")[:MAX_NAME].strip(".-_")
    if not plain:
        raise UploadError(f"the name {name!r} has no letters or digits to keep")
    return f"{plain}.{suffix.lower()}" if suffix else plain


def check_upload(path: Path, name: str, max_bytes: int) -> str:
    """The sanitised name for an uploaded file, or UploadError with the reason it is refused."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadError(f"unsupported file type {suffix or '(none)'!r}; the library takes "
                          f"{', '.join(UPLOAD_SUFFIXES)}")
    size = path.stat().st_size
    if size > max_bytes:
        raise UploadError(f"file is {size:,} bytes, over the upload limit of {max_bytes:,} (CAREERBOT_MAX_UPLOAD_BYTES)")
    if size == 0:
        raise UploadError("the file is empty")
    return safe_name(name)


def result_of(name: str, report: Any, doc_id: str, chunks: int) -> FileResult:
    """One file's result from its ingest report.

    >>> from ingest.api import IngestReport
    >>> result_of("a.md", IngestReport(added=1, chunks_embedded=4), "a", 4)
    FileResult(name='a.md', status='added', detail='4 chunks', doc_id='a', chunks=4)
    >>> result_of("b.md", IngestReport(failed=[{"path": "/x/b.md", "error": "no text to index"}]), "b", 0).detail
    'no text to index'
    """
    if report.failed:
        return FileResult(name, "failed", "; ".join(f["error"] for f in report.failed), doc_id)
    status = "added" if report.added else "updated" if report.updated else "unchanged"
    return FileResult(name, status, f"{chunks} chunks" + ("" if status != "unchanged" else ", same as before"),
                      doc_id, chunks)


def results_md(results: Sequence[FileResult]) -> str:
    """
    >>> print(results_md([FileResult("a.md", "added", "4 chunks", "a", 4), FileResult("x.exe", "failed", "bad")]))
    | file | result | document | details |
    |---|---|---|---|
    | a.md | ✓ added | a | 4 chunks |
    | x.exe | ✗ failed |  | bad |
    """
    from bot.web.evidence import escape

    icon = {"added": "✓", "updated": "↻", "unchanged": "=", "failed": "✗"}
    rows = ["| file | result | document | details |", "|---|---|---|---|"]
    for r in results:
        cells = [r.name, f"{icon.get(r.status, '')} {r.status}", r.doc_id, r.detail]
        rows.append("| " + " | ".join(escape(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


class Library:
    """Add and remove documents in the bot's store; `on_change` runs after every change (Bot.refresh)."""

    def __init__(self, settings: Settings, store: Any, embedder: Any, on_change: Callable[[], None] | None = None):
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.on_change = on_change
        self.uploads = Path(settings.home).absolute() / "uploads"
        self._lock = threading.Lock()  # one change to the store at a time

    def _sync(self, store: Any) -> None:
        from bot.compose.prepared import after_write

        after_write(store, self.embedder, self.settings.state_dir)

    def add(self, files: Sequence[tuple[Path, str]], progress: Callable[[float, str], None] | None = None
            ) -> list[FileResult]:
        """Ingest uploaded files, given as (path where the upload was received, its original name)."""
        from ingest.api import ingest_paths

        results: list[FileResult] = []
        for i, (path, name) in enumerate(files):
            if progress is not None:
                progress(i / max(1, len(files)), f"ingesting {name} ({i + 1} of {len(files)})")
            try:
                safe = check_upload(Path(path), name, self.settings.max_upload_bytes)
            except (UploadError, OSError) as e:
                results.append(FileResult(name, "failed", str(e) if isinstance(e, UploadError) else
                                          f"cannot read the upload: {e.strerror or e}"))
                continue
            dest = self.uploads / safe
            doc_id = dest.stem
            with self._lock:
                before = dest.read_bytes() if dest.is_file() else None  # an earlier upload of the same name
                try:
                    self.uploads.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(Path(path).read_bytes())
                    report = ingest_paths(
                        [dest], self.store, self.embedder, chunk_chars=self.settings.chunk_chars,
                        max_file_bytes=self.settings.max_upload_bytes, after_write=self._sync,
                    )
                except Exception as e:  # noqa: BLE001 - one file's failure is its result, the rest go on
                    self._restore(dest, before)
                    results.append(FileResult(name, "failed", f"{type(e).__name__}: {str(e)[:200]}", doc_id))
                    continue
                rec = self.store.records().get(doc_id)
                chunks = len(rec.chunk_ids) if rec is not None and Path(rec.source) == dest else 0
                if report.failed:
                    self._restore(dest, before)  # the store keeps what it had; so does the folder
            results.append(result_of(name, report, doc_id, chunks))
        if progress is not None:
            progress(1.0, "done")
        if any(r.status in ("added", "updated") for r in results):
            self._changed()
        return results

    @staticmethod
    def _restore(dest: Path, before: bytes | None) -> None:
        if before is None:
            dest.unlink(missing_ok=True)
        else:
            dest.write_bytes(before)

    def remove(self, doc_id: str) -> str:
        """Remove one document; returns what happened, in one line."""
        from ingest.api import remove_documents

        doc_id = (doc_id or "").strip()
        if not doc_id:
            return "Choose a document to remove."
        with self._lock:
            rec = self.store.records().get(doc_id)
            if rec is None:
                return f"There is no document {doc_id!r} in the library."
            removed = remove_documents(self.store, [doc_id], after_write=self._sync)
            src = Path(rec.source) if rec.source else None
            uploaded = src is not None and src.parent == self.uploads
            if uploaded and src is not None:
                src.unlink(missing_ok=True)
        if removed:
            self._changed()
        where = "" if uploaded or not rec.source else f" Its file stays at {rec.source}; ingesting it again adds it back."
        return f"Removed {doc_id} ({len(rec.chunk_ids)} chunks).{where}"

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


def document_rows(profile: Any) -> list[list[Any]]:
    """The library table: one row per document of a CorpusProfile."""
    rows = []
    for d in profile.documents:
        rows.append([d.doc_id, d.title, d.chunks, sections_cell(d.sections), d.source,
                     (d.ingested_at or "").replace("T", " ").rstrip("Z")])
    return rows


def rows_md(rows: Sequence[Sequence[Any]]) -> str:
    """The library table as Markdown, every cell escaped.

    >>> print(rows_md([["notes/a", "A <b>", 3, "3: Pay", "/x/a.md", "2026-01-01 10:00:00"]]))
    | doc_id | title | chunks | sections | source | ingested |
    |---|---|---|---|---|---|
    | notes/a | A &lt;b&gt; | 3 | 3: Pay | /x/a.md | 2026-01-01 10:00:00 |
    """
    from bot.web.evidence import escape

    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        out.append("| " + " | ".join(escape(str(c)).replace("|", "\\|") for c in r) + " |")
    return "\n".join(out) if rows else "The library is empty: add articles below."


def sections_cell(sections: Sequence[str], shown: int = 4) -> str:
    """How many sections, and the first top-level ones.

    >>> sections_cell(("Intro", "Pay", "Pay > Entry", "Skills", "Tools", "Jobs", "FAQ"))
    '7: Intro, Pay, Skills, Tools, …'
    """
    tops = list(dict.fromkeys(s.split(" > ")[0] for s in sections))
    more = ", …" if len(tops) > shown else ""
    return f"{len(sections)}: {', '.join(tops[:shown])}{more}" if sections else "0"
