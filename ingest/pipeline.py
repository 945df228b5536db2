"""Ingestion: files and folders -> cleaned, chunked, embedded chunks in the store.

Incremental: each document's bytes are hashed; unchanged documents are
skipped, changed ones have their chunks replaced, documents gone from a folder
that is ingested again are removed. The store is the only state: every chunk
records its document's hash, chunk count, folder, source path and the
signature of the embedding model and chunking settings.

Kill safety: new chunks are written before stale ones are deleted, and a
document whose chunks are not all of one version (mixed hashes or signatures,
or fewer chunks than recorded) counts as changed, so a run killed half-way
leaves a store the next run completes, with nothing duplicated or missing.

Signature change (another embedding model or chunk size): every document in
the store is re-embedded, including documents outside the given paths. Those
are re-read from their recorded source file when it still exists; when it is
gone, their stored chunk text is re-embedded as it is (keeping the old
chunking, which is stored text the user can no longer re-create).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.chunk import chunk_document
from ingest.companions import Companions, content_hash, read_companions
from ingest.embed import Embedder
from ingest.limits import FILE_SECONDS, FileTimeout, bound_document, describe, time_limit
from ingest.loaders import LoadError, Parsed, kind_of, loader_for, supported_suffixes
from ingest.store import ChromaStore, DocRecord
from ingest.types import Chunk

# 4: a licence without extension read as text, a copyright line no heading, a text without headings one section named
# by its title; 5: Hugo shortcodes and Liquid tags, HTML table spans, bold FAQ questions as headings, two-sided tables;
# 6: a site's own Liquid tags keep their quoted text
CLEANER_VERSION = "6"
# When one folder holds several files with the same name and different
# extensions, the first suffix here keeps the plain doc_id.
SUFFIX_ORDER = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
log = logging.getLogger("careerbot.ingest")  # per-file failures with their tracebacks, at DEBUG (ingest --debug)


class IngestInputError(Exception):
    """Bad input for the whole run (a missing path): exit 2."""


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    plan: list[dict[str, str]] = field(default_factory=list)  # dry runs: what would happen
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        out: dict[str, Any] = {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "chunks_embedded": self.chunks_embedded,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
        }
        if self.plan:
            out["plan"] = self.plan
        if self.notes:
            out["notes"] = self.notes
        return out


@dataclass(frozen=True)
class SourceFile:
    path: Path
    doc_id: str
    root: str  # absolute folder it was found in, "" for a file given directly


@dataclass
class _Work:
    """One document to (re)write: its new chunks and what replaces what."""

    doc_id: str
    chunks: list[Chunk]
    extra: dict[str, Any]
    old_ids: tuple[str, ...]
    profile: str = ""  # the document's profile (JSON), stored on its first chunk


def signature(embedder_name: str, chunk_chars: int) -> str:
    """What the stored vectors depend on; a change means re-embedding.

    >>> signature("all-MiniLM-L6-v2", 700)
    'all-MiniLM-L6-v2|chars=700|clean=6'
    """
    return f"{embedder_name}|chars={chunk_chars}|clean={CLEANER_VERSION}"


def doc_id_for(path: Path, root: Path | None) -> str:
    """The contract's doc_id: path relative to the folder, no extension, '/' separated.

    >>> doc_id_for(Path("corpus/a/b.md"), Path("corpus")), doc_id_for(Path("x/guide.txt"), None)
    ('a/b', 'guide')
    """
    rel = path.relative_to(root) if root is not None else Path(path.name)
    return rel.with_suffix("").as_posix()


def disambiguate(names: Sequence[str]) -> dict[str, str]:
    """doc_id stems for file names of one folder: when two share a stem, the one
    whose suffix comes first in SUFFIX_ORDER keeps it, the others keep their suffix.

    >>> disambiguate(["guide.pdf", "guide.md", "notes.txt"])
    {'guide.pdf': 'guide.pdf', 'guide.md': 'guide', 'notes.txt': 'notes'}
    """

    def rank(name: str) -> int:
        suffix = Path(name).suffix.lower()
        return SUFFIX_ORDER.index(suffix) if suffix in SUFFIX_ORDER else len(SUFFIX_ORDER)

    winner: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (rank(n), n)):
        winner.setdefault(Path(name).stem, name)
    return {n: Path(n).stem if winner[Path(n).stem] == n else n for n in names}


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def discover(paths: Iterable[Path]) -> tuple[list[SourceFile], list[dict[str, str]], list[str]]:
    """Files to ingest, per-file problems, and notes (links not followed, renamed ids).

    Folders are walked recursively (hidden entries skipped, only known
    suffixes); links leading outside the folder are not followed.
    """
    files: list[SourceFile] = []
    problems: list[dict[str, str]] = []
    notes: list[str] = []
    suffixes = supported_suffixes()
    for p in paths:
        if not p.exists() and not p.is_symlink():
            raise IngestInputError(f"no such file or folder: {p}")
        if not p.is_dir():
            if kind_of(p) not in suffixes:
                problems.append(
                    {
                        "path": str(p),
                        "error": f"unsupported file type {p.suffix or '(none)'!r}; "
                        f"supported: {', '.join(sorted(suffixes))}",
                    }
                )
                continue
            files.append(SourceFile(p, doc_id_for(p, None), ""))
            continue
        root = p
        for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for d in list(dirnames):
                full = Path(dirpath) / d
                if full.is_symlink():  # os.walk does not descend into it; say so when it leads outside
                    if not _inside(full, root):
                        notes.append(f"skipped {full}: link leads outside the folder; not followed")
                    dirnames.remove(d)
            keep = []
            for name in sorted(filenames):
                f = Path(dirpath) / name
                if name.startswith(".") or kind_of(f) not in suffixes:
                    continue
                if f.is_symlink() and not _inside(f, root):
                    notes.append(f"skipped {f}: link leads outside the folder; not followed")
                    continue
                keep.append(name)
            stems = disambiguate(keep)
            rel_dir = Path(dirpath).relative_to(root)
            for name in keep:
                doc_id = (rel_dir / stems[name]).as_posix()
                if stems[name] == name and Path(name).suffix:
                    notes.append(
                        f"{Path(dirpath) / name}: doc_id {doc_id!r} keeps its extension "
                        f"(another file in the folder has the same name)"
                    )
                files.append(SourceFile(Path(dirpath) / name, doc_id, str(root.resolve())))
    return files, problems, notes


def load_chunks(sf: SourceFile, data: bytes, chunk_chars: int) -> list[Chunk]:
    return load_document(sf, data, chunk_chars)[0]


def load_document(
    sf: SourceFile, data: bytes, chunk_chars: int, seconds: float | None = FILE_SECONDS
) -> tuple[list[Chunk], Parsed]:
    """The document's chunks and what its loader read (title, blocks, meta), within a time limit
    (FileTimeout); over-long lines are split to chunk size (ingest/limits.py)."""
    loader = loader_for(kind_of(sf.path))
    if loader is None:
        raise LoadError(f"unsupported file type {sf.path.suffix!r}")
    if any("\udc80" <= c <= "\udcff" for c in sf.doc_id):  # bytes the file system could not decode
        raise LoadError("the file's name is not valid UTF-8; rename the file")
    with time_limit(seconds):
        parsed = loader.load(data, sf.path.name)
        title, blocks = bound_document(parsed.title, parsed.blocks, chunk_chars)
        parsed = Parsed(title, tuple(blocks), parsed.meta)
        chunks = chunk_document(sf.doc_id, title, blocks, chunk_chars)
    if not chunks:
        raise LoadError("no text to index")
    return chunks, parsed


def document_profile(parsed: Parsed, chunks: Sequence[Chunk], companions: Companions, fmt: str) -> str:
    """What the store keeps of a document beside its chunks (JSON): the corpus profile and the article's
    companion files are read from it, on a local folder and on a Chroma server alike.

    >>> from ingest.types import Block
    >>> c = [Chunk("1", "d", "T", "Intro", "x"), Chunk("2", "d", "T", "Pay > Entry", "y")]
    >>> p = json.loads(document_profile(Parsed("T", (), {"description": "About pay"}), c, Companions(), ".md"))
    >>> p["title"], p["description"], p["sections"], p["format"]
    ('T', 'About pay', ['Intro', 'Pay > Entry'], 'md')
    """
    sections = list(dict.fromkeys(c.section for c in chunks))
    return json.dumps({
        "title": parsed.title,
        "description": str(parsed.meta.get("description", "")),
        "encoding": str(parsed.meta.get("encoding", "")),
        "format": fmt.lstrip(".").lower(),
        "sections": sections,
        "questions": [list(q) for q in companions.questions],
        "glossary": [[t, list(says)] for t, says in companions.glossary],
        "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }, ensure_ascii=False)


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise LoadError("not a regular file" if path.exists() else "file is gone (or a broken link)")
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(f"file is {size:,} bytes, over the limit of {max_bytes:,} (CAREERBOT_MAX_FILE_BYTES)")
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except PermissionError:
        raise LoadError("permission denied: cannot read the file") from None
    except OSError as e:
        raise LoadError(f"cannot read: {e.strerror or e}") from None


def _bar(items: Iterable, desc: str, enabled: bool, total: int | None = None, unit: str = "file") -> Iterator:
    if not enabled:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=desc, unit=unit, total=total, file=sys.stderr, leave=False, dynamic_ncols=True)


def _same_file(a: str, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False


def _batches(work: list[_Work], size: int) -> Iterator[list[_Work]]:
    """Whole documents grouped until a batch holds `size` chunks or more."""
    cur: list[_Work] = []
    n = 0
    for w in work:
        cur.append(w)
        n += len(w.chunks)
        if n >= size:
            yield cur
            cur, n = [], 0
    if cur:
        yield cur


def _write(work: list[_Work], store: ChromaStore, embedder: Embedder, batch_chunks: int, progress: bool) -> int:
    """Embed across documents in batches; write each batch, then delete what it replaced."""
    total = sum(len(w.chunks) for w in work)
    bar = None
    if progress and total:
        from tqdm import tqdm

        bar = tqdm(total=total, desc="embed", unit="chunk", file=sys.stderr, leave=False, dynamic_ncols=True)
    done = 0
    for batch in _batches(work, batch_chunks):
        chunks = [c for w in batch for c in w.chunks]
        extras = [dict(w.extra, ordinal=i, **({"doc_profile": w.profile} if i == 0 and w.profile else {}))
                  for w in batch for i in range(len(w.chunks))]
        vectors = embedder.embed([c.embed_text() for c in chunks])
        store.upsert(chunks, vectors, extras)
        stale = [cid for w in batch for cid in sorted(set(w.old_ids) - {c.id for c in w.chunks})]
        if stale:
            store.delete(stale)
        done += len(chunks)
        if bar is not None:
            bar.update(len(chunks))
    if bar is not None:
        bar.close()
    return done


def _reembed_outside(
    records: dict[str, DocRecord],
    skip: set[str],
    store: ChromaStore,
    sig: str,
    chunk_chars: int,
    max_file_bytes: int,
    report: IngestReport,
) -> list[_Work]:
    """Documents outside this run whose vectors are of another signature."""
    work: list[_Work] = []
    from_file = from_text = 0
    for doc_id, rec in sorted(records.items()):
        if doc_id in skip or rec.signature == sig:
            continue
        src = Path(rec.source) if rec.source else None
        chunks: list[Chunk] = []
        doc_hash = rec.doc_hash
        profile = rec.profile
        if src is not None and (not rec.root or _inside(src, Path(rec.root))):
            try:
                data = _read(src, max_file_bytes)
                companions, craw = read_companions(src)
                chunks, parsed = load_document(SourceFile(src, doc_id, rec.root), data, chunk_chars)
                doc_hash = content_hash(data, craw)
                profile = document_profile(parsed, chunks, companions, kind_of(src))
                from_file += 1
            except (Exception, FileTimeout):  # unreadable now: re-embed the stored text
                log.debug("re-reading %s failed", src, exc_info=True)
                chunks = []
        if not chunks:
            stored = store.get_chunks(rec.chunk_ids)
            stored.sort(key=lambda c: int(c.metadata.get("ordinal", 0)))
            chunks = [Chunk(c.id, c.doc_id, c.title, c.section, c.text, c.pages) for c in stored]
            from_text += 1
        extra = {
            "doc_hash": doc_hash,
            "doc_chunks": len(chunks),
            "root": rec.root,
            "source": rec.source,
            "signature": sig,
        }
        work.append(_Work(doc_id, chunks, extra, rec.chunk_ids, profile))
        report.updated += 1
        report.plan.append({"path": rec.source, "doc_id": doc_id, "action": "re-embed"})
    if from_file or from_text:
        report.notes.append(
            f"re-embedded {from_file + from_text} documents outside the given paths "
            f"({from_file} re-read from their files, {from_text} from stored text)"
        )
    return work


def ingest_paths(
    paths: Iterable[Path],
    store: ChromaStore,
    embedder: Embedder,
    *,
    chunk_chars: int = 700,
    max_file_bytes: int = 20_000_000,
    dry_run: bool = False,
    progress: bool = False,
    after_write: Callable[[ChromaStore], None] | None = None,
    batch_chunks: int = 256,
    file_seconds: float | None = FILE_SECONDS,
) -> IngestReport:
    """Bring the store in step with the given files and folders."""
    t0 = time.perf_counter()
    paths = [Path(p) for p in paths]
    report = IngestReport()
    files, problems, notes = discover(paths)
    report.failed.extend(problems)
    report.notes.extend(notes)
    records: dict[str, DocRecord] = store.records()
    sig = signature(embedder.name, chunk_chars)
    resig = any(r.signature != sig for r in records.values())
    interrupted = any(not r.complete for r in records.values())
    if resig:
        report.notes.append(f"embedding model or chunking settings changed (now {sig}); re-embedding every document")

    # Stage 1: read, hash, compare, load and chunk what changed.
    seen: dict[str, SourceFile] = {}
    work: list[_Work] = []
    for sf in _bar(files, "read", progress):
        prev = seen.get(sf.doc_id)
        rec = records.get(sf.doc_id)
        if prev is not None:
            report.failed.append({"path": str(sf.path), "error": f"doc_id {sf.doc_id!r} already taken by {prev.path}"})
            continue
        same = rec is not None and _same_file(rec.source, sf.path)
        if rec is not None and not same and Path(rec.source).is_file():
            where = f"folder {rec.root}" if rec.root else "a file given directly"
            report.failed.append(
                {
                    "path": str(sf.path),
                    "error": f"doc_id {sf.doc_id!r} already comes from {rec.source} ({where}); rename one of the files",
                }
            )
            continue
        seen[sf.doc_id] = sf
        try:
            data = _read(sf.path, max_file_bytes)
            companions, craw = read_companions(sf.path)
            doc_hash = content_hash(data, craw)
            if rec is not None and rec.complete and rec.doc_hash == doc_hash and rec.signature == sig and same:
                report.unchanged += 1
                continue
            chunks, parsed = load_document(sf, data, chunk_chars, file_seconds)
        except (Exception, FileTimeout) as e:  # one file's failure, whatever it is, is that file's entry
            log.debug("ingesting %s failed", sf.path, exc_info=True)
            report.failed.append({"path": str(sf.path), "error": describe(e)})
            continue
        action = "add" if rec is None else "update"
        report.plan.append({"path": str(sf.path), "doc_id": sf.doc_id, "action": action})
        if action == "add":
            report.added += 1
        else:
            report.updated += 1
        root = sf.root or (rec.root if rec is not None and same else "")
        extra = {
            "doc_hash": doc_hash,
            "doc_chunks": len(chunks),
            "root": root,
            "source": str(sf.path.absolute()),
            "signature": sig,
        }
        profile = document_profile(parsed, chunks, companions, kind_of(sf.path))
        work.append(_Work(sf.doc_id, chunks, extra, rec.chunk_ids if rec is not None else (), profile))

    # Documents gone from a folder that was ingested again.
    roots = {str(p.resolve()) for p in paths if p.is_dir()}
    gone = [(d, r) for d, r in sorted(records.items()) if r.root in roots and d not in seen]
    for doc_id, rec in gone:
        report.removed += 1
        report.plan.append({"path": rec.source, "doc_id": doc_id, "action": "remove"})
    if resig:
        skip = {w.doc_id for w in work} | {d for d, _ in gone}
        work.extend(_reembed_outside(records, skip, store, sig, chunk_chars, max_file_bytes, report))

    if dry_run:
        report.seconds = time.perf_counter() - t0
        return report
    report.plan = []
    changed = False
    try:
        if resig and work:
            dim = store.dimension()
            if dim is not None and embedder.embed(["dimension probe"]).shape[1] != dim:
                stored = {w.doc_id for w in work}
                lost = sorted(set(records) - stored - {d for d, _ in gone})
                report.notes.append(
                    f"vector size changed; the store was rebuilt (dropped: {', '.join(lost) or 'none'})"
                )
                for w in work:  # keep stored text for documents that re-embed from it
                    w.old_ids = ()
                store.reset()
                changed = True
        report.chunks_embedded = _write(work, store, embedder, batch_chunks, progress)
        changed = changed or bool(work)
        for _, rec in gone:
            store.delete(rec.chunk_ids)
            changed = True
    finally:
        if (changed or interrupted) and after_write is not None:
            after_write(store)
    report.seconds = time.perf_counter() - t0
    return report


def remove_documents(
    store: ChromaStore, doc_ids: Iterable[str], after_write: Callable[[ChromaStore], None] | None = None
) -> list[str]:
    """Delete the named documents' chunks from the store; returns the doc_ids that were there.

    Their files are left alone: ingesting their folder again adds them back.
    """
    records = store.records()
    removed = [d for d in dict.fromkeys(doc_ids) if d in records]
    try:
        for doc_id in removed:
            store.delete(records[doc_id].chunk_ids)
    finally:
        if removed and after_write is not None:
            after_write(store)
    return removed
