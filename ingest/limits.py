"""What keeps one file from stopping an ingest run: a time limit, bounded text, one-line errors.

Time limit, per file: on the main thread (the command line) a SIGALRM timer
interrupts loading wherever Python code is running. Signals cannot be set
from other threads (the web chat ingests uploads in worker threads), so
there, and always besides, the limit is a deadline the loaders check in
their loops (`check_deadline`: HTML per element, PDF per page); code that
never checks (a C extension, a loader without checks) is not interrupted
off the main thread.

Text: a paragraph, list item or code block far longer than a chunk (a
one-line file of megabytes) is split into chunk-sized pieces at spaces, or
mid-word when there are none, so its text is kept, not lost or embedded
as one passage of which the model reads the first few hundred words.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ingest.types import Block

FILE_SECONDS = 120.0  # default per-file time limit: room for a large PDF on a slow machine, not for a runaway parser
TITLE_CHARS = 200  # a longer "title" (a one-line file read as its heading) is kept as text, and cut as a title
_local = threading.local()


class FileTimeout(BaseException):
    """Loading one file took longer than its limit.

    A BaseException so that a parser's own `except Exception` does not swallow it.
    """


def check_deadline() -> None:
    """Raise FileTimeout when this thread's current file is over its time limit."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline[0]:
        raise FileTimeout(f"took longer than the per-file limit of {deadline[1]:g}s; not ingested")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Run the body under a time limit (None or 0: none); FileTimeout when it runs over."""
    if not seconds or seconds <= 0:
        yield
        return
    prev = getattr(_local, "deadline", None)
    _local.deadline = (time.monotonic() + seconds, seconds)
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if use_alarm and signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        use_alarm = False  # someone else's timer is running: leave it alone, rely on the checks
    old_handler = None
    armed = [use_alarm]
    if use_alarm:

        def on_alarm(signum: int, frame: object) -> None:
            if armed[0]:  # a signal arriving while the limit is being lifted is ignored
                raise FileTimeout(f"took longer than the per-file limit of {seconds:g}s; not ingested")

        old_handler = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed[0] = False
        _local.deadline = prev
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)


def describe(error: BaseException) -> str:
    """One line for the user: our own errors' messages as they are, others with their class.

    >>> describe(RecursionError("maximum recursion depth exceeded\\nwhile calling"))
    'RecursionError: maximum recursion depth exceeded'
    >>> describe(MemoryError())
    'MemoryError: out of memory'
    """
    from ingest.loaders import LoadError

    lines = str(error).strip().splitlines()
    if isinstance(error, (LoadError, FileTimeout)):
        return lines[0] if lines else type(error).__name__
    text = lines[0][:200] if lines else ""
    if isinstance(error, MemoryError) and not text:
        text = "out of memory"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def pieces(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` characters, cut at spaces when there are any.

    >>> pieces("alpha beta gamma delta", 11)
    ['alpha beta', 'gamma delta']
    >>> pieces("x" * 10, 4)
    ['xxxx', 'xxxx', 'xx']
    """
    out: list[str] = []
    start, n = 0, len(text)
    while start < n:
        while start < n and text[start].isspace():
            start += 1
        end = min(start + width, n)
        if end < n:
            cut = text.rfind(" ", start + width // 2, end + 1)
            if cut > start:
                end = cut
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    return out


def _split_code(text: str, width: int) -> list[str]:
    groups: list[str] = []
    cur: list[str] = []
    size = 0
    for line in text.split("\n"):
        for part in pieces(line, width) if len(line) > width else [line]:
            if cur and size + len(part) + 1 > width:
                groups.append("\n".join(cur))
                cur, size = [], 0
            cur.append(part)
            size += len(part) + 1
    if cur:
        groups.append("\n".join(cur))
    return [g for g in groups if g.strip()]


def bound_blocks(blocks: Sequence[Block], chunk_chars: int) -> list[Block]:
    """Blocks with no sentence, item or code block over twice `chunk_chars`: longer ones are split.

    Text within bounds is left exactly as it is (its chunks and their ids do not change).

    >>> long = Block(("Tips",), "word " * 300, "item")
    >>> [(b.kind, len(b.text)) for b in bound_blocks([Block((), "Short.", "para"), long], 500)]
    [('para', 6), ('item', 499), ('item', 499), ('item', 499)]
    """
    from ingest.chunk import split_sentences

    limit = 2 * chunk_chars
    out: list[Block] = []
    for b in blocks:
        if len(b.text) <= limit:
            out.append(b)
        elif b.kind == "code":
            out.extend(Block(b.section, t, b.kind, b.page) for t in _split_code(b.text, chunk_chars))
        elif b.kind != "para":
            out.extend(Block(b.section, t, b.kind, b.page) for t in pieces(b.text, chunk_chars))
        else:
            sentences = split_sentences(b.text)
            if all(len(s) <= limit for s in sentences):
                out.append(b)
                continue
            run: list[str] = []
            for s in sentences:
                if len(s) <= limit:
                    run.append(s)
                    continue
                if run:
                    out.append(Block(b.section, " ".join(run), b.kind, b.page))
                    run = []
                out.extend(Block(b.section, t, b.kind, b.page) for t in pieces(s, chunk_chars))
            if run:
                out.append(Block(b.section, " ".join(run), b.kind, b.page))
    return out


def bound_document(title: str, blocks: Sequence[Block], chunk_chars: int) -> tuple[str, list[Block]]:
    """`bound_blocks`, and a title over TITLE_CHARS cut, its whole text kept as the first paragraph.

    >>> title, blocks = bound_document("word " * 100, [], 700)
    >>> len(title), [len(b.text) for b in blocks]
    (199, [499])
    """
    if len(title) > TITLE_CHARS:
        blocks = [Block((), title.strip(), "para"), *blocks]
        title = pieces(title, TITLE_CHARS)[0]
    return title, bound_blocks(blocks, chunk_chars)
