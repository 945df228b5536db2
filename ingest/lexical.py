"""BM25 over the store's chunks (bm25s), kept in step with the store.

The index covers each chunk's section path and body (`Chunk.embed_text`), and
its document's title too for pages written to one template (`templated`,
`Chunk.lexical_text`), tokenised by `analyze`: lowercase words, English
stopwords out, Snowball stems. Beside a
local store it is saved under `<state_dir>/bm25/` with a fingerprint of the
store (chunk count + hash of the sorted ids); ingest calls `sync_lexical`
after writing, and `load_or_build` (once per process) rebuilds whenever the
saved fingerprint no longer matches. For a Chroma server there is no local
folder: the index lives in memory, built from the server's chunks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol

from ingest.types import Chunk, Hit

INDEX_DIRNAME = "bm25"
FORMAT = 4  # 2: number ranges and number words normalised; 3: math notation (`normalise_symbols`); 4: titles
_TOKEN = re.compile(r"[a-z0-9]+(?:\+\+|#)?")
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if i > 1}  # "one" is a pronoun too
_NUM_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_FIRST_N = re.compile(r"\bfirst (\d{1,2}) (?:months?|weeks?|years?)")
_RANGE = re.compile(r"(?<![\d.,])(\d{1,3})\s*(?:-|\u2013|\u2014|to|through|until|and)\s*(\d{1,3})(?!\d|[.,]\d)")


class ChunkSource(Protocol):
    def count(self) -> int: ...
    def all_chunks(self) -> list[Chunk]: ...


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English stopwords (bm25s's NLTK list), apostrophes removed as `analyze` does."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    return frozenset(w.replace("'", "") for w in STOPWORDS_EN_PLUS)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer  # PyStemmer: Snowball, no downloads

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lowercase word tokens, apostrophes dropped, "c++" kept.

    >>> words("Andrew Ng's ML course, C++ and scikit-learn")
    ['andrew', 'ngs', 'ml', 'course', 'c++', 'and', 'scikit', 'learn']
    """
    return _TOKEN.findall(text.lower().replace("'", "").replace("\u2019", ""))


def stem(word: str) -> str:
    """
    >>> [stem(w) for w in ("salaries", "salary", "tracking", "learning")]
    ['salari', 'salari', 'track', 'learn']
    """
    return str(_stemmer().stemWord(word))


_SUBSCRIPT = re.compile(r"(?<![a-z0-9])([a-z])_\{?([a-z0-9])\}?(?![a-z0-9])", re.IGNORECASE)


def normalise_symbols(text: str) -> str:
    """Math notation as words: "√dₖ", "sqrt(d_k)" and "sqrt(dk)" all give "sqrt" and "dk"; compatibility
    characters in their plain form (NFKC: "x²" is "x2", "ﬁ" is "fi").

    >>> words(normalise_symbols("why scale by √dₖ?")), words(normalise_symbols("divide by sqrt(d_k)"))
    (['why', 'scale', 'by', 'sqrt', 'dk'], ['divide', 'by', 'sqrt', 'dk'])
    >>> normalise_symbols("x² and y_i, but snake_case_names stay")
    'x2 and yi, but snake_case_names stay'
    """
    text = unicodedata.normalize("NFKC", text).replace("\u221a", " sqrt ")
    return _SUBSCRIPT.sub(r"\1\2", text)


def normalise_numbers(text: str) -> str:
    """Number words as digits, and a range gets one token of its own besides its ends.

    "months 4 to 6", "month 4-6" and "Month 4\u20136" all give "4r6"; a range's
    token is rare in the index, so it singles out the passage with that range
    rather than every passage mentioning a 4 or a 6.

    >>> normalise_numbers("what about months four to six? Month 4-6, 6\u201312 months")
    'what about months 4 6 4r6? month 4 6 4r6, 6 12 6r12 months'
    >>> normalise_numbers("my first three months")
    'my first 3 months 1r3'
    >>> normalise_numbers("$100,000 - $140,000 and 2-3 projects")
    '$100,000 - $140,000 and 2 3 2r3 projects'
    """
    text = _NUM_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1)], text.lower())
    text = _FIRST_N.sub(lambda m: f"{m.group(0)} 1r{m.group(1)}", text)  # "first 3 months" = months 1-3
    return _RANGE.sub(lambda m: f"{m.group(1)} {m.group(2)} {m.group(1)}r{m.group(2)}", text)


# Everyday words and short forms for what articles name otherwise (pay -> salary, stats -> statistics):
# stem -> related stems. BM25 queries are widened with them, and the scope check counts them as found.
RELATED: dict[str, tuple[str, ...]] = {
    "money": ("salari", "comp", "compens", "premium"), "pay": ("salari", "comp", "compens"),
    "paid": ("salari", "comp", "compens"), "earn": ("salari", "comp", "compens"),
    "wage": ("salari", "comp"), "incom": ("salari", "comp"), "live": ("locat",), "citi": ("locat",),
    "area": ("locat",), "countri": ("locat",), "school": ("program", "universiti"),
    "universiti": ("program",), "colleg": ("program", "universiti", "degre"), "junior": ("entri",),
    "stat": ("statist",), "genai": ("generat",), "math": ("mathemat",), "eng": ("engin",), "dev": ("develop",),
    "cv": ("resum",), "phd": ("degre",),
    # everyday words for ML terms: labels ~ (un)supervised, phones ~ edge / on-device, shrink ~ reduction
    "label": ("supervis", "unsupervis"), "unlabel": ("unsupervis",), "phone": ("edg", "devic"),
    "gadget": ("edg", "devic"), "mobil": ("edg", "devic"), "shrink": ("reduct",), "group": ("cluster",),
    # ... "how long" ~ the timeline
    "long": ("timelin",),
    # getting a model to its users ~ deployment: "running for real users", "ship it", "package it up"
    "user": ("deploy",), "custom": ("deploy",), "ship": ("deploy",), "serv": ("deploy",), "host": ("deploy",),
    "packag": ("container", "docker"),
    # chat assistants users name for large language models
    "chatgpt": ("llm", "generat", "languag"), "gpt": ("llm", "generat", "languag"), "claud": ("llm", "generat"),
    "gemini": ("llm", "generat"), "copilot": ("llm", "generat"), "llms": ("llm",),
    # short forms and everyday words: "langs", "algos", "nets", "pics", "docs", "params", "contests"
    "lang": ("languag",), "algo": ("algorithm",), "net": ("network",), "pic": ("imag",), "photo": ("imag",),
    "doc": ("document",), "param": ("paramet", "tune", "track"), "paramet": ("tune", "track"),
    "contest": ("competit", "kaggl"), "leaderboard": ("competit", "kaggl"),
    "sal": ("salari", "comp"), "lvl": ("level",), "lvls": ("level",), "yr": ("year",), "yrs": ("year",),
    "rec": ("recommend",),
    # everyday words at work for what handbooks name otherwise: quitting ~ leaving, vacation ~ annual leave
    "quit": ("leav", "resign", "departur", "offboard"), "resign": ("leav", "departur", "offboard"),
    "vacat": ("annual", "leav"), "pto": ("annual", "leav"), "bonus": ("award",), "boss": ("supervisor", "manag"),
    "remot": ("telework",), "wfh": ("telework", "remot"), "paycheck": ("pay", "salari"),
}


def widen(terms: Sequence[str]) -> list[str]:
    """The terms plus the stems related to them (each once, in order).

    >>> widen(["junior", "pay"])
    ['junior', 'pay', 'entri', 'salari', 'comp', 'compens']
    """
    out = list(dict.fromkeys(terms))
    for t in terms:
        out.extend(r for r in RELATED.get(t, ()) if r not in out)
    return out


def analyze(text: str) -> list[str]:
    """What BM25 indexes and queries: stems of the non-stopwords (numbers normalised).

    >>> analyze("Which tools are used for experiment tracking?")
    ['tool', 'use', 'experi', 'track']
    >>> analyze("months 4 to 6") == analyze("Month 4-6")
    True
    """
    sw = stopwords()
    return [stem(w) for w in words(normalise_numbers(normalise_symbols(text))) if w not in sw]


def fingerprint(ids: Sequence[str]) -> str:
    """Count + hash of the sorted chunk ids: changes whenever the store's chunks do.

    >>> fingerprint(["b", "a"]) == fingerprint(["a", "b"]), fingerprint(["a"])[:2]
    (True, '1:')
    """
    h = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]
    return f"{len(ids)}:{h}"


COPY_SHARE = 0.8  # two texts sharing this share of their words are one text (an article as .md and as .pdf)
TEMPLATE_PEERS = 20  # pages compared with each page, those sharing the most sections with it first
TEMPLATE_SECTIONS = 3  # sections two documents share when written to one template (a page per level or per role)


def templated(chunks: Sequence[Chunk]) -> set[str]:
    """The documents written to one template with another (TEMPLATE_SECTIONS section titles or more in common,
    "Core Competencies", "Broad Indicators"...): told apart by their titles alone, which BM25 then indexes.

    >>> from ingest.types import Chunk
    >>> cs = [Chunk(f"{d}{s}", d, d.upper(), s, d) for d in "ab" for s in ("Core", "Traits", "Split")]
    >>> sorted(templated(cs + [Chunk("c1", "c", "C", "Core", "c")]))
    ['a', 'b']
    >>> templated([Chunk(f"{d}{s}", d, d.upper(), s, "same") for d in "ab" for s in ("Core", "Traits", "Split")])
    set()
    """
    from ingest.chunk import INTRO

    texts: dict[str, dict[str, str]] = {}
    for c in sorted(chunks, key=lambda c: c.id):
        if c.section and c.section != INTRO:
            text = texts.setdefault(c.doc_id, {})
            text[c.section] = text.get(c.section, "") + c.text

    bags = {d: {s: frozenset(words(t)) for s, t in text.items()} for d, text in texts.items()}
    having: dict[str, list[str]] = {}
    for d, bag in bags.items():
        for s in bag:
            having.setdefault(s, []).append(d)

    def same(x: frozenset[str], y: frozenset[str]) -> bool:  # most words in common: one text, however extracted
        return len(x & y) >= COPY_SHARE * max(1, len(x | y))

    out: set[str] = set()
    for d, own in bags.items():
        if d in out:
            continue
        shared = Counter(e for s in own for e in having[s] if e != d)
        for e, n in shared.most_common(TEMPLATE_PEERS):  # the pages sharing most sections; copies of d (.md and
            if n < TEMPLATE_SECTIONS:  # .pdf) share them all but differ in none
                break
            if sum(not same(own[s], bags[e][s]) for s in own.keys() & bags[e].keys()) >= TEMPLATE_SECTIONS:
                out |= {d, e}
                break
    return out


class LexicalIndex:
    """A BM25 index over chunks; `search` returns Hits with the BM25 score."""

    def __init__(self, chunks: Sequence[Chunk], bm25: Any, fp: str) -> None:
        self.chunks = list(chunks)
        self._bm25 = bm25
        self.fingerprint = fp

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> LexicalIndex:
        import bm25s

        chunks = sorted(chunks, key=lambda c: c.id)  # same store, same index
        bm25 = bm25s.BM25()
        if chunks:
            titled = templated(chunks)
            corpus = [analyze(c.lexical_text() if c.doc_id in titled else c.embed_text()) or [""] for c in chunks]
            bm25.index(corpus, show_progress=False)
        return cls(chunks, bm25, fingerprint([c.id for c in chunks]))

    def __len__(self) -> int:
        return len(self.chunks)

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        return frozenset(getattr(self._bm25, "vocab_dict", {}) or ())

    def vocabulary(self) -> frozenset[str]:
        """The stems the indexed chunks use (what `analyze` makes of their text); built once per index."""
        return self._vocabulary

    @cached_property
    def known_words(self) -> frozenset[str]:
        """The lower-case words the indexed chunks use, as written; built once per index."""
        return frozenset(w for c in self.chunks for w in words(c.embed_text()))

    def scores(self, query: str) -> list[float]:
        """BM25 score of every chunk (in `self.chunks` order) for the query."""
        toks = [t for t in widen(analyze(query)) if t in getattr(self._bm25, "vocab_dict", {})]
        if not self.chunks or not toks:
            return [0.0] * len(self.chunks)
        return [float(s) for s in self._bm25.get_scores(toks)]

    def search(self, query: str, k: int) -> list[Hit]:
        """The `k` best chunks with a positive score, best first (ties: by id)."""
        s = self.scores(query)
        order = sorted((i for i in range(len(s)) if s[i] > 0), key=lambda i: (-s[i], self.chunks[i].id))
        return [Hit(self.chunks[i], s[i]) for i in order[:k]]

    def save(self, directory: Path) -> None:
        """Write atomically: a sibling temp folder, then a rename."""
        directory = Path(directory)
        tmp = directory.with_name(directory.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.chunks:
            self._bm25.save(str(tmp), show_progress=False)
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
            for c in self.chunks:
                f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
        (tmp / "meta.json").write_text(json.dumps({"format": FORMAT, "fingerprint": self.fingerprint}))
        old = directory.with_name(directory.name + f".old{os.getpid()}")
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        """The saved index, or None when missing, of another format, or unreadable."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / "meta.json").read_text())
            if meta.get("format") != FORMAT:
                return None
            chunks = []
            with open(directory / "chunks.jsonl", encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    d["pages"] = tuple(d.get("pages", ()))
                    chunks.append(Chunk(**d))
            import bm25s

            if chunks:
                logging.getLogger("bm25s").setLevel(logging.WARNING)
                bm25 = bm25s.BM25.load(str(directory), show_progress=False)
            else:
                bm25 = bm25s.BM25()
            return cls(chunks, bm25, str(meta["fingerprint"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def index_dir(state_dir: Path) -> Path:
    return Path(state_dir) / INDEX_DIRNAME


def sync_lexical(store: ChunkSource, state_dir: Path | None) -> LexicalIndex:
    """Rebuild from the store's chunks; save beside a local store. Ingest's `after_write`."""
    idx = LexicalIndex.build(store.all_chunks())
    if state_dir is not None:
        idx.save(index_dir(state_dir))
    return idx


def _store_fingerprint(store: ChunkSource) -> str:
    ids = getattr(store, "ids", None)  # a store that lists ids alone saves fetching the texts
    return fingerprint(list(ids()) if callable(ids) else [c.id for c in store.all_chunks()])


def load_or_build(store: ChunkSource, state_dir: Path | None, fp: str | None = None) -> LexicalIndex:
    """The index for this store: the saved one if still in step, else rebuilt (and saved)."""
    fp = _store_fingerprint(store) if fp is None else fp
    if state_dir is not None:
        idx = LexicalIndex.load(index_dir(state_dir))
        if idx is not None and idx.fingerprint == fp:
            return idx
    return sync_lexical(store, state_dir)


def refreshed(idx: LexicalIndex | None, store: ChunkSource, state_dir: Path | None) -> LexicalIndex:
    """`idx` while it indexes the store's chunks (the same ids), else the saved or a rebuilt one.

    Long-running processes (the chat) call this when the store may have
    changed, so that an ingest run by another process is picked up: an edit
    that keeps the chunk count changes the ids (a chunk's id hashes its text).
    """
    fp = _store_fingerprint(store)
    if idx is not None and idx.fingerprint == fp:
        return idx
    return load_or_build(store, state_dir, fp)
