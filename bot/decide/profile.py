"""What the store holds, as careerbot describes itself: the corpus profile.

Derived from the documents' profiles that ingest keeps in the store (title,
description, section tree, companion files), so a store of interview notes
describes itself as interview notes and one holding the guide as the guide.
The refusal's "what I can help with", the chat's description and its example
questions all come from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.question.derived import clean_title
from ingest.api import SECTION_SEP

MAX_TOPICS = 8  # topics named in a refusal or a description


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    title: str
    description: str
    chunks: int
    sections: tuple[str, ...]
    source: str
    ingested_at: str  # ISO time, "" if unknown
    questions: tuple[tuple[str, str], ...] = ()  # (section, sample question) from the article's questions file
    glossary: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (term, plain descriptions) from its glossary file

    def top_sections(self) -> list[str]:
        """The first-level section titles, in reading order (the article's table of contents).

        >>> DocInfo("d", "T", "", 3, ("Intro", "Pay > Entry", "Pay > Senior", "Skills"), "", "").top_sections()
        ['Pay', 'Skills']
        """
        out: list[str] = []
        for s in self.sections:
            head = s.split(SECTION_SEP)[0].strip()
            if head and head not in out and head.lower() not in _NOT_TOPICS:
                out.append(head)
        return out


_NOT_TOPICS = {"introduction", "intro", "overview", "contents", "table of contents", "summary", "conclusion",
               "final thoughts", "references", "resources", "additional resources", "links", "license", "faq",
               "frequently asked questions", "about", "credits", "acknowledgements", "see also", "notes"}


def doc_info(doc_id: str, profile_json: str, chunks: int = 0, source: str = "") -> DocInfo:
    """A document's profile, from the JSON ingest stored (an older store without one: the doc_id only).

    >>> d = doc_info("g", json.dumps({"title": "Guide", "sections": ["A", "A > B"],
    ...     "questions": [["A", "what is a?"]], "glossary": [["rag", ["look things up first"]]]}), 2)
    >>> d.title, d.sections, d.questions, d.glossary
    ('Guide', ('A', 'A > B'), (('A', 'what is a?'),), (('rag', ('look things up first',)),))
    >>> doc_info("notes/x", "").title
    'x'
    """
    try:
        p = json.loads(profile_json) if profile_json else {}
    except ValueError:
        p = {}
    if not isinstance(p, dict):
        p = {}
    title = str(p.get("title") or doc_id.rsplit("/", 1)[-1])
    return DocInfo(
        doc_id, title, str(p.get("description") or ""), chunks, tuple(str(s) for s in p.get("sections") or ()),
        source, str(p.get("ingested_at") or ""),
        tuple((str(s), str(q)) for s, q in p.get("questions") or ()),
        tuple((str(t), tuple(str(x) for x in says)) for t, says in p.get("glossary") or ()),
    )


def _is_licence(doc: DocInfo) -> bool:
    """A licence file beside the articles ("LICENSE", "Apache License"): no topic of theirs."""
    name = doc.doc_id.rsplit("/", 1)[-1].lower()
    return name in ("license", "licence", "copying") or bool(re.search(r"(?i)\blicen[cs]e\s*$", doc.title))


@dataclass(frozen=True)
class CorpusProfile:
    documents: tuple[DocInfo, ...] = ()

    def topics(self, limit: int = MAX_TOPICS) -> list[str]:
        """Section titles across documents, taken in turn from each so every document is represented.

        >>> a = DocInfo("a", "A", "", 1, ("Skills", "Pay"), "", "")
        >>> b = DocInfo("b", "B", "", 1, ("Interviews", "Offers"), "", "")
        >>> CorpusProfile((a, b)).topics(3)
        ['skills', 'interviews', 'pay']
        """
        lists = [d.top_sections() for d in self.documents]
        out: list[str] = []
        for i in range(max((len(x) for x in lists), default=0)):
            for x in lists:
                if i < len(x):
                    t = _topic(x[i])
                    if t and t.lower() not in {o.lower() for o in out}:
                        out.append(t)
                if len(out) >= limit:
                    return out
        return out

    def covers(self) -> str:
        """What the articles cover, one phrase.

        >>> g = DocInfo("g", "How to Become a Chef", "", 9, ("Skills to Learn", "Kitchen Jobs", "Pay"), "", "")
        >>> CorpusProfile((g,)).covers()
        '"How to Become a Chef": skills to learn, kitchen jobs and pay'
        >>> CorpusProfile(tuple(DocInfo(str(i), f"T{i}", "", 1, (), "", "") for i in range(5))).covers()
        '5 articles: "T0", "T1", "T2" and 2 more'
        >>> CorpusProfile().covers()
        'nothing yet'
        >>> CorpusProfile(tuple(DocInfo(i, t, "", 1, (), "", "") for i, t in [("x/LICENSE", "Apache License"),
        ...     ("a", "A"), ("b", "B"), ("c", "C")])).covers()
        '4 articles: "A", "B", "C" and 1 more'
        """
        docs = self.documents
        if not docs:
            return "nothing yet"
        topics = self.topics()
        if len(docs) == 1:
            head = f'"{docs[0].title}"'
            return f"{head}: {_join(topics)}" if topics else head
        titles = [f'"{d.title}"' for d in sorted(docs, key=_is_licence)[:3]]  # a licence is named last
        more = f" and {len(docs) - 3} more" if len(docs) > 3 else ""
        head = f"{len(docs)} articles: {', '.join(titles)}{more}" if more else f"{len(docs)} articles: {_join(titles)}"
        return f"{head}, on {_join(topics)}" if topics and len(docs) <= 3 else head

    def description(self) -> str:
        """One sentence for the chat's header.

        >>> CorpusProfile((DocInfo("g", "Interview Notes", "Questions and answers", 4, ("Coding",), "", ""),)).description()
        'Answers from "Interview Notes" (Questions and answers), with the passages behind every answer.'
        """
        docs = self.documents
        if not docs:
            return "No articles yet: add some in the Library tab, then ask about them."
        if len(docs) == 1:
            d = docs[0]
            what = f'"{d.title}"' + (f" ({_short(d.description)})" if d.description else "")
        else:
            what = f"{len(docs)} articles on {_join(self.topics(5))}" if self.topics(5) else f"{len(docs)} articles"
        return f"Answers from {what}, with the passages behind every answer."

    def sibling_groups(self) -> list[tuple[str, ...]]:
        """Titles of sibling sections as values of one kind, for follow-ups ("and in month 4-6?").

        A title is cut at its first colon or bracket and lower-cased; groups of one are dropped.

        >>> d = DocInfo("g", "G", "", 4, ("Plan > Month 1-3: Basics", "Plan > Month 4-6: Frameworks",
        ...     "Pay > Entry Level (0-2 years)", "Pay > Senior Level (6+ years)", "Skills"), "", "")
        >>> CorpusProfile((d,)).sibling_groups()
        [('month 1-3', 'month 4-6'), ('entry level', 'senior level')]
        """
        by_parent: dict[tuple[str, str], list[str]] = {}
        for d in self.documents:
            for s in d.sections:
                parent, sep, title = s.rpartition(SECTION_SEP)
                if not sep:
                    continue
                short = re.split(r"[:(\[]", clean_title(title), maxsplit=1)[0].strip().lower()
                kids = by_parent.setdefault((d.doc_id, parent), [])
                if short and len(short) <= 40 and short not in kids:
                    kids.append(short)
        return [tuple(k) for k in by_parent.values() if len(k) >= 2]

    def examples(self, n: int = 5) -> list[str]:
        """Example questions: the articles' own sample questions first, else built from section titles.

        >>> d = DocInfo("g", "G", "", 3, ("Salary Expectations > Entry Level", "Required Skills", "FAQ"), "", "",
        ...             questions=(("Required Skills", "Which skills do I need?"),))
        >>> CorpusProfile((d,)).examples(3)
        ['Which skills do I need?', 'What does it say about salary expectations?']
        """
        out: list[str] = []
        asked: set[str] = set()
        for d in self.documents:  # the first sample question of each top-level section, in turn
            firsts: dict[str, str] = {}
            for section, q in d.questions:
                firsts.setdefault(section.split(SECTION_SEP)[0], q)
            for head, q in firsts.items():
                asked.add(head.lower())
                if len(out) < n:
                    out.append(q)
        where = "the articles say" if len(self.documents) > 1 else "it say"
        for d in self.documents:
            for head in d.top_sections():
                if len(out) >= n:
                    return out
                if head.lower() in asked:
                    continue
                t = _topic(head)
                out.append(t[0].upper() + t[1:] if t.endswith("?") else f"What does {where} about {t}?")
        return out[:n]


def _topic(title: str) -> str:
    """A section title as a topic in a sentence: numbering and decoration dropped, lower case unless a name.

    >>> _topic("2. Building Your Portfolio"), _topic("Step 3: SQL and Databases"), _topic("🚀 Quick start")
    ('building your portfolio', 'SQL and databases', 'quick start')
    """
    t = re.sub(r"^\s*(?:(?:step|part|chapter|phase|section)\s+)?\d+[.):]?\s*[:.-]?\s*", "", title, flags=re.I)
    t = re.sub(r"[^\w\s/&+'(),.-]", "", t).strip(" .:-")
    words = t.split()
    return " ".join(w if (w.isupper() and len(w) > 1) or any(c.isupper() for c in w[1:]) else w.lower()
                    for w in words)


def _join(items: list[str]) -> str:
    """
    >>> _join(["a"]), _join(["a", "b"]), _join(["a", "b", "c"])
    ('a', 'a and b', 'a, b and c')
    """
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def corpus_profile(records: Mapping[str, object], profiles: Mapping[str, str]) -> CorpusProfile:
    """The profile of a store, from `store.records()` (chunk counts, sources) and `store.profiles()`."""
    docs = []
    for doc_id in sorted(set(records) | set(profiles)):
        rec = records.get(doc_id)
        chunks = len(getattr(rec, "chunk_ids", ()) or ())
        docs.append(doc_info(doc_id, profiles.get(doc_id, ""), chunks, str(getattr(rec, "source", "") or "")))
    return CorpusProfile(tuple(docs))
