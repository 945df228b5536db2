"""Passages holding a table row the question names: "is there a compilers course?" finds the row "Compilers — ...".

A row's name is its header cell (ingest writes a table row as `Name — Column: cell; ...`). A long passage of
many rows is far from a question about one of them by both cosine and BM25, though the question names it
word for word; the row's passage is then brought in beside what the search found. So are the rows whose cells
name a person the question names ("which tanenbaum books?") and the rows empty under a column it asks to be
without ("which courses need no prerequisites?"); a row is also called by its people's initials ("clrs").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.question.entities import zipf
from bot.question.forms import shared_stems
from ingest.api import SECTION_SEP, Chunk, Hit, analyze

_ROW = re.compile(r"^(?:[-*•]\s+)?(?P<name>[^—\n]{2,80}) — [^:;\n]{1,40}: ", re.MULTILINE)
Row = tuple[frozenset[str], str, Chunk]  # (stems of the row's name, the name, its passage)
SHORTEST = 5  # stems this long name each other when one starts the other ("intro" ~ "introduction")
MOST = 2  # rows brought in; a question naming more rows than this is about none of them in particular
# A person in a row's cells ("Author(s): Andrew S. Tanenbaum, Herbert Bos"): capitalised words, initials between
_PERSON = re.compile(r"\b[A-Z][a-z][\w'-]*(?:\s+[A-Z]\.)*(?:\s+(?:van|von|de|der|da)?\s*[A-Z][a-z][\w'-]+)+")
# the columns of a table whose cells name people
_PEOPLE_COLUMN = re.compile(r"\b(?:authors?|author\(s\)|writers?|editors?|instructors?|teachers?|lecturers?|professors?|"
                            r"speakers?|hosts?|creators?|maintainers?|owners?|contacts?|leads?|managers?|by|names?|who|"
                            r"people|persons?|members?|founders?|presenters?|tutors?|mentors?|coach(?:es)?|staff)\b",
                            re.IGNORECASE)
RARE_NAME_ZIPF = 2.5  # a surname this rare in English ("tanenbaum") names its person alone
PERSON_ROWS = 8  # rows brought in for a person named ("how many books did tanenbaum write, and which?")


def name_stems(name: str) -> frozenset[str]:
    """The words a question must use to name a row: its name's, without what brackets add ("Lead Designer (L4)",
    "Learn Prolog Now! (alternative)") unless nothing else is left.

    >>> sorted(name_stems("Lead Designer (L4)")), sorted(name_stems("(L4)"))
    (['design', 'lead'], ['l4'])
    """
    bare = re.sub(r"\([^()]*\)", " ", name)
    return frozenset(analyze(bare)) or frozenset(analyze(name))


def _key(stem: str) -> str:
    """Stems that may name each other (`shared_stems`, five letters) share this key."""
    return stem[:SHORTEST] if len(stem) >= SHORTEST else stem


class Rows:
    """Every table row of the passages, (stems of its name, the name, its passage), under the rarest key of its
    name's stems: a question is checked only against the rows whose rarest stem it may name.

    >>> c = Chunk("a", "d", "D", "Courses", "- Compilers — Duration: 9 weeks\\n- Software Testing — Duration: 4 weeks")
    >>> [sorted(s) for s, _, _ in Rows([c]).rows]
    [['compil'], ['softwar', 'test']]
    """

    def __init__(self, chunks: Iterable[Chunk] = ()) -> None:
        self.rows: list[Row] = []
        self.lines: list[str] = []  # each row's line in its passage ("Name — Column: cell; ...")
        # the people a row's cells name, under their surname's stem: (row, the name's stems, the surname)
        self.people: dict[str, list[tuple[int, frozenset[str], str]]] = {}
        self.empty: dict[str, list[int]] = {}  # rows under the stems of the columns where their cell is empty
        for c in chunks:
            for m in _ROW.finditer(c.text):
                stems = name_stems(m.group("name"))
                if stems:
                    self.rows.append((stems, m.group("name").strip(), c))
                    end = c.text.find("\n", m.start())
                    line = c.text[m.start(): end if end >= 0 else None]
                    self.lines.append(line)
                    for whole, surname in people_in(line):
                        if (key := analyze(surname)):
                            self.people.setdefault(key[0], []).append((len(self.rows) - 1, whole, surname))
                    for column in empty_columns(line):
                        for stem in analyze(column):
                            self.empty.setdefault(stem, []).append(len(self.rows) - 1)
        self._by_doc: dict[str, list[int]] | None = None
        self._columns: dict[str, list[tuple[str, frozenset[str]]]] = {}  # column_words, by document
        df = Counter(k for stems, _, _ in self.rows for k in {_key(s) for s in stems})
        self._by_key: dict[str, list[int]] = {}
        for i, (stems, _, _) in enumerate(self.rows):  # under its rarest key: few rows to check per question
            self._by_key.setdefault(min((_key(s) for s in stems), key=lambda k: (df[k], k)), []).append(i)

    def __len__(self) -> int:
        return len(self.rows)

    def of_document(self, doc_id: str) -> list[int]:
        """The indexes of a document's rows."""
        if self._by_doc is None:
            self._by_doc = {}
            for i, (_, _, c) in enumerate(self.rows):
                self._by_doc.setdefault(c.doc_id, []).append(i)
        return self._by_doc.get(doc_id, [])

    def columns(self, doc_id: str) -> list[tuple[str, frozenset[str]]]:
        """`column_words` of a document, read once per index."""
        if doc_id not in self._columns:
            self._columns[doc_id] = column_words(self, doc_id)
        return self._columns[doc_id]

    def candidates(self, asked: set[str]) -> list[Row]:
        return [self.rows[i] for i in sorted({i for a in asked for i in self._by_key.get(_key(a), ())})]


def named_rows(text: str, rows: Rows) -> list[tuple[str, Chunk]]:
    """(name, passage) of the rows every word of whose name the text uses, the most words named first, one per
    passage; none when more than MOST rows are named.

    >>> c = Chunk("a", "d", "D", "Courses", "- Compilers — Duration: 9 weeks")
    >>> [(n, x.id) for n, x in named_rows("is there a compilers course?", Rows([c]))]
    [('Compilers', 'a')]
    >>> named_rows("is there a testing course?", Rows([c]))
    []
    >>> d = Chunk("b", "d", "D", "Books", "- Object-Oriented Design — Author(s): X\\n- Design Patterns: Elements of Reusable "
    ...       "Object-Oriented Software — Author(s): Y")
    >>> [n for n, _ in named_rows("Design Patterns: Elements of Reusable Object-Oriented Software", Rows([d]))]
    ['Design Patterns: Elements of Reusable Object-Oriented Software']
    """
    asked = set(analyze(text))
    # "intro" names "introduction", "diff" not "diffusion"
    hit = [r for r in rows.candidates(asked) if shared_stems(set(r[0]), asked, shortest=SHORTEST) == r[0]]
    hit = [r for r in hit if not any(r[0] < o[0] for o in hit)]  # "Object-Oriented Design" in a longer name named
    if len({r[1].lower() for r in hit}) > MOST:  # rows, not passages: a row repeated where two parts overlap is one
        return []
    best: dict[str, Row] = {}
    for r in sorted(hit, key=lambda r: -len(r[0])):
        best.setdefault(r[2].id, r)
    return [(name, c) for _, name, c in best.values()]


def longest_named(text: str, rows: Rows) -> str | None:
    """The name of the row the text names with the most words, when one row's name has more than any other's
    (and at least two): "which language does Software Engineering: Introduction use?" names that course more
    fully than "Programming Languages".

    >>> c = Chunk("a", "d", "D", "Courses", "- Programming Languages — Duration: 11 weeks\\n"
    ...           "- Software Engineering: Introduction — Duration: 6 weeks")
    >>> longest_named("which programming language does Software Engineering: Introduction use?", Rows([c]))
    'Software Engineering: Introduction'
    """
    asked = set(analyze(text))
    hit = [r for r in rows.candidates(asked) if shared_stems(set(r[0]), asked, shortest=SHORTEST) == r[0]]
    most = max((len(r[0]) for r in hit), default=0)
    names = {r[1] for r in hit if len(r[0]) == most}
    return next(iter(names)) if most >= 2 and len({frozenset(r[0]) for r in hit if len(r[0]) == most}) == 1 else None


def people_in(row: str) -> list[tuple[frozenset[str], str]]:
    """The people a table row's cells name, each as (stems of the whole name, the surname in lower case).

    Only the cells of a column of people ("Author(s)", "Instructor", "Owner"): a prerequisite named "Core
    Programming" is no person.

    >>> [(sorted(st), sur) for st, sur in people_in("Modern Operating Systems — Author(s): Andrew S. Tanenbaum, Bos")]
    [(['andrew', 'tanenbaum'], 'tanenbaum')]
    >>> people_in("Software Architecture — Duration: 4 weeks; Prerequisites: Core Programming")
    []
    """
    out = []
    for m in (m for col, val in cells(row).items() if _PEOPLE_COLUMN.search(col) for m in _PERSON.finditer(val)):
        words = [w for w in re.findall(r"[A-Za-z][\w'-]+", m.group(0)) if len(w) > 1]
        if len(words) >= 2:
            out.append((frozenset(analyze(" ".join(words))), words[-1].lower()))
    return out


def people_named(text: str, rows: Rows) -> list[str]:
    """The people the text names, as it writes them, that a table row's cells name too.

    >>> rows = Rows([Chunk("a", "d", "D", "Books", "- Computer Networks — Author(s): Andrew S. Tanenbaum")])
    >>> people_named("Modern Operating Systems is by Andrew S. Tanenbaum and Herbert Bos.", rows)
    ['Andrew S. Tanenbaum']
    """
    known = {whole for entries in rows.people.values() for _, whole, _ in entries}
    out = []
    for m in _PERSON.finditer(text):
        stems = frozenset(analyze(m.group(0)))
        if any(w <= stems for w in known) and m.group(0) not in out:
            out.append(m.group(0))
    return out


def _names(asked: set[str], raw: set[str], whole: frozenset[str], surname: str) -> bool:
    return whole <= asked or (len(surname) >= 5 and surname in raw and zipf(surname) < RARE_NAME_ZIPF)


def row_names_person(text: str, row: str) -> bool:
    """Whether the table row's cells name a person the text names (as `person_rows` reads it).

    >>> row_names_person("how many tanenbaum books?", "Computer Networks — Author(s): Andrew S. Tanenbaum")
    True
    """
    asked, raw = set(analyze(text)), set(re.findall(r"[a-z][\w'-]+", text.lower()))
    return any(_names(asked, raw, whole, surname) for whole, surname in people_in(row))


_EMPTY_CELL = re.compile(r"^(?:none|no|nothing|n/?a|-|–|—)\.?$", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:no|none|without|don'?t|do\s+not|doesn'?t|does\s+not|zero)\b", re.IGNORECASE)


def empty_columns(row: str) -> list[str]:
    """The columns of a table row whose cell is empty ("none", "-").

    >>> empty_columns("Big Data — Duration: 30 weeks; Prerequisites: none")
    ['Prerequisites']
    """
    cells = row.split(" — ", 1)[1] if " — " in row else ""
    return [c for c, _, v in (cell.partition(": ") for cell in re.split(r";\s+", cells)) if v and _EMPTY_CELL.match(v.strip())]


def empty_rows(text: str, rows: Rows) -> list[tuple[str, Chunk]]:
    """(name, passage) of the rows empty under a column the text asks to be without ("which courses don't need
    any prerequisites?"), one per passage, at most PERSON_ROWS rows.

    >>> c = Chunk("a", "d", "D", "C", "- Big Data — Prerequisites: none\\n- Robotics — Prerequisites: physics")
    >>> [n for n, _ in empty_rows("which courses dont need prerequisites?", Rows([c]))]
    ['Big Data']
    >>> empty_rows("which courses need prerequisites?", Rows([c]))
    []
    """
    if not NEGATED.search(text):
        return []
    hit = sorted({i for a in analyze(text) for key, idx in rows.empty.items()
                  if len(key) >= SHORTEST and (key.startswith(a) or a.startswith(key)) and len(a) >= SHORTEST
                  for i in idx})
    asked = set(analyze(text))
    # of a section the text names, if it names one ("which final project courses ...?")
    hit = [i for i in hit if set(analyze(rows.rows[i][2].section.rsplit(SECTION_SEP, 1)[-1])) <= asked] or hit
    best: dict[str, Row] = {}
    for i in hit[:PERSON_ROWS]:
        best.setdefault(rows.rows[i][2].id, rows.rows[i])
    return [(name, c) for _, name, c in best.values()]


def author_initialisms(rows: Rows) -> dict[str, str]:
    """Initialisms of rows' names spelt by the surnames of the three to six people their cells name, as books
    are called by their authors ("clrs": "Introduction to Algorithms (3rd Edition)"); one name per initialism.

    >>> c = Chunk("a", "d", "D", "Books", "- Introduction to Algorithms — Author(s): Thomas H. Cormen, Charles E. "
    ...           "Leiserson, Ronald L. Rivest, Clifford Stein")
    >>> author_initialisms(Rows([c]))
    {'clrs': 'Introduction to Algorithms'}
    """
    found: dict[str, set[str]] = {}
    people: dict[int, list[str]] = {}
    for entries in rows.people.values():
        for i, _, surname in entries:
            people.setdefault(i, []).append(surname)
    for i, surnames in people.items():
        line = rows.lines[i]
        order = sorted(dict.fromkeys(surnames), key=lambda s: line.lower().find(s))
        if 3 <= len(order) <= 6:
            found.setdefault("".join(s[0] for s in order), set()).add(rows.rows[i][1])
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}


def person_rows(text: str, rows: Rows) -> list[tuple[str, Chunk]]:
    """(name, passage) of the rows whose cells name a person the text names: the whole name, or a surname rare
    in English alone ("tanenbaum" for "Andrew S. Tanenbaum"); one per passage, at most PERSON_ROWS rows.

    >>> c = Chunk("a", "d", "D", "Books", "- Modern Operating Systems — Author(s): Andrew S. Tanenbaum\\n"
    ...           "- SICP — Author(s): Hal Abelson")
    >>> [(n, x.id) for n, x in person_rows("which tanenbaum books are there?", Rows([c]))]
    [('Modern Operating Systems', 'a')]
    >>> person_rows("which books did andrew write?", Rows([c])), len(person_rows("hal abelson?", Rows([c])))
    ([], 1)
    """
    asked = set(analyze(text))
    raw = set(re.findall(r"[a-z][\w'-]+", text.lower()))
    hit = sorted({i for a in asked for i, whole, surname in rows.people.get(a, ()) if _names(asked, raw, whole, surname)})
    best: dict[str, Row] = {}
    for i in hit[:PERSON_ROWS]:
        best.setdefault(rows.rows[i][2].id, rows.rows[i])
    return [(name, c) for _, name, c in best.values()]


def named_in_full(asked: set[str], names: Sequence[str]) -> set[int]:
    """The indexes of the names the question's stems use in full, but for those inside a longer one named.

    >>> sorted(named_in_full(set(analyze("what does a lead designer do?")), ["Designer (L2)", "Lead Designer (L4)"]))
    [1]
    """
    stems = [name_stems(n) for n in names]
    hit = [i for i, st in enumerate(stems) if st and shared_stems(set(st), asked, shortest=SHORTEST) == st]
    return {i for i in hit if not any(stems[i] < stems[j] for j in hit)}


def with_named(hits: Sequence[Hit], named: Sequence[Chunk], score: float) -> list[Hit]:
    """The hits with the named passages second (after the best): moved up when found, else brought in, the
    last hits giving way.

    >>> a, b, c = (Chunk(i, "d", "D", "S", i) for i in "abc")
    >>> [h.chunk.id for h in with_named([Hit(a, .5), Hit(b, .4), Hit(c, .3)], [c], .2)]
    ['a', 'c', 'b']
    """
    if not hits:
        return []
    have = {h.chunk.id: h for h in hits}
    ids = {c.id for c in named} - {hits[0].chunk.id}
    moved = [have.get(c.id) or Hit(c, score, via="named") for c in named if c.id in ids]
    return [hits[0], *moved, *(h for h in hits[1:] if h.chunk.id not in ids)][: len(hits)]


def cells(row: str) -> dict[str, str]:
    """A table row's cells by column ("Name — Column: cell; ...").

    >>> cells("Essence of Linear Algebra — Prerequisites: high school math; Discussion: chat")
    {'Prerequisites': 'high school math', 'Discussion': 'chat'}
    """
    body = row.split(" — ", 1)[1] if " — " in row else ""
    return {c.strip(): v.strip() for c, _, v in (cell.partition(": ") for cell in re.split(r";\s+", body)) if v}


COLUMN_SHARE = 0.5  # a word in this share of a column's cells names the column ("weeks" of "Duration: 13 weeks") ...
SHORT_CELL_WORDS = 3  # ... when its cells are this short (the median): values of a kind, not notes


def row_gap(text: str, rows: Rows) -> tuple[str, str] | None:
    """(the row, the column) when the text names one table row in full and asks for a column of a table of its
    document (by the column's name, or by a word most of its cells use) that the row has no cell in: "how many weeks
    does Essence of Linear Algebra take?" of a row without a Duration cell. None otherwise.

    >>> c = Chunk("a", "d", "D", "Math", "- Essence of Linear Algebra — Prerequisites: high school math\\n"
    ...           "- Linear Algebra — Duration: 14 weeks; Prerequisites: Essence of Linear Algebra\\n"
    ...           "- Probability — Duration: 15 weeks; Prerequisites: calculus")
    >>> row_gap("How many weeks does the Essence of Linear Algebra course take?", Rows([c]))
    ('Essence of Linear Algebra', 'Duration')
    >>> row_gap("How many weeks does Linear Algebra take?", Rows([c])) is None
    True
    >>> row_gap("what do I need before Essence of Linear Algebra?", Rows([c])) is None
    True
    >>> row_gap("prerequisites of Essence of Linear Algebra?", Rows([c])) is None
    True
    """
    named = named_rows(text, rows)
    if len(named) != 1 or len(name_stems(named[0][0])) < 2:  # a one-word name ("Speed") may be a word of the text
        return None
    name, chunk = named[0]
    mine = [j for j in rows.of_document(chunk.doc_id) if rows.rows[j][1] == name and rows.rows[j][2].id == chunk.id]
    if not mine:
        return None
    own = cells(rows.lines[mine[0]])
    asked = set(analyze(text)) - rows.rows[mine[0]][0]
    wanted = [col for col, words in rows.columns(chunk.doc_id) if words & asked]
    if wanted and not any(col in own for col in wanted):  # "Prerequisites: none" answers; no cell at all does not
        return name, wanted[0]
    return None


def column_words(rows: Rows, doc_id: str) -> list[tuple[str, frozenset[str]]]:
    """The columns of a document's tables, each with the stems that name it: its header's, and the words most of
    its cells use where its cells are short ("weeks" of "Duration: 13 weeks", "chat" of "Discussion: chat"), each
    table's cells read on their own; a column of one table may be asked of a row of another ("the chat link" of a
    course whose table has no Discussion column).

    >>> c = Chunk("a", "d", "D", "Math", "- Algebra — Duration: 14 weeks; Notes: read the book before\\n"
    ...           "- Biology — Duration: 15 weeks; Notes: watch the videos before\\n- Geology — Duration: 16 weeks")
    >>> [(col, sorted(w)) for col, w in column_words(Rows([c]), "d")]
    [('Duration', ['durat', 'week']), ('Notes', ['note'])]
    """
    tables: dict[str, dict[str, list[str]]] = {}
    for j in rows.of_document(doc_id):
        for col, v in cells(rows.lines[j]).items():
            tables.setdefault(rows.rows[j][2].section, {}).setdefault(col, []).append(v)
    out: dict[str, set[str]] = {}
    for columns in tables.values():
        for col, values in columns.items():
            words = out.setdefault(col, set())
            words |= set(analyze(col))
            if len(values) >= 2 and sorted(len(v.split()) for v in values)[len(values) // 2] <= SHORT_CELL_WORDS:
                share = Counter(s for v in values for s in set(analyze(v)))  # cells of a kind, not notes
                words |= {s for s, n in share.items() if n >= COLUMN_SHARE * len(values)}
    return [(col, frozenset(w)) for col, w in out.items()]


_SOURCE_VERB = r"(?:say|says|said|state|states|require|requires|allow|allows|permit|permits|mention|mentions|let|lets)"


# words that may follow a name ending its phrase ("according to the FAQ do I ...", "in the license about ...",
# "in the ML/data coding interview")
_FUNCTION = (r"(?:interviews?|pages?|articles?|sections?|docs?|documents?|guides?|files?|chapters?|posts?|about|on|for|regarding|of|to|with|and|or|but|so|if|when|where|what|which|who|how|why|whether|that|"
             rf"is|are|was|were|be|do|does|did|can|could|should|would|will|may|might|must|i|we|you|it|there|{_SOURCE_VERB})")


def documents_named(text: str, documents: Iterable[tuple[str, str]]) -> list[str]:
    """The doc_ids of the documents the text asks as its source, by their file name or title (`documents`:
    (doc_id, title)): "what does the license require?", "is there anything in the licence about ...?", "according to
    the FAQ". A name merely used ("a readings list", "where do I go for help?") is no source asked.

    >>> docs = [("LICENSE", "MIT License"), ("HELP", "Getting help"), ("readings", "Great Readings")]
    >>> documents_named("If I republish it, what does the license require me to keep?", docs)
    ['LICENSE']
    >>> documents_named("anything in the licence about keeping the copyright line?", docs)
    ['LICENSE']
    >>> documents_named("where should I go for help?", docs), documents_named("I reuse the readings list", docs)
    ([], [])
    >>> documents_named("what to implement in the ML/data coding interview?", [("MLC-ml-coding", "2. ML/Data Coding")])
    ['MLC-ml-coding']
    >>> documents_named("the 5 axes in the engineering ladders framework?", [("eng", "Engineering")])
    []
    """
    low = " ".join(text.lower().split())
    out = []
    for doc_id, title in documents:
        for name in (re.sub(r"[-_.]+", " ", doc_id.rsplit("/", 1)[-1]), title):
            words = re.findall(r"[a-z0-9]+", re.sub(r"^\s*\d+[.)]\s+", "", name.lower()))  # "2. ML/Data Coding"
            if not words or len(words) > 4 or words[0][:4] not in low:  # the regular expression needs that start
                continue
            # "license" and "licence": a word named by its start; "ML/Data" as "ml data"
            named = r"[\s/_-]+".join(re.escape(w[: max(4, len(w) - 2)]) + r"\w*" for w in words)
            # the name ends its phrase: "in the license, ..." names a source, "in the engineering ladders" does not
            the = rf"(?:the|this|your|its|their)\s+{named}(?!\s+(?!{_FUNCTION}\b)[a-z])"
            if re.search(rf"\b(?:in|under|from|according\s+to|per|by)\s+{the}\b|\b{the}\s+{_SOURCE_VERB}\b"
                         rf"|\bdoes\s+{the}\s+(?:say|require|allow|permit|mention|let)\b", low):
                out.append(doc_id)
                break
    return out



def documents_titled(text: str, documents: Iterable[tuple[str, str]]) -> list[str]:
    """The doc_ids of the documents whose title the text says, word for word (as stems, in order): "an Associate
    Engineer's time" says the page "Associate Engineer". A title said inside a longer one said ("Engineer" in
    "Associate Engineer", "Tech Lead" in "Tech Lead vs Engineering Manager") is not said on its own there.

    >>> docs = [("a", "Associate Engineer"), ("e", "Engineer"), ("s", "Senior Engineer"), ("tl", "Tech Lead"),
    ...         ("em", "Engineering Manager"), ("vs", "Tech Lead vs Engineering Manager")]
    >>> documents_titled("How much of an associate engineer's time goes to core work?", docs)
    ['a']
    >>> documents_titled("how many associate engineers does an Engineer mentor?", docs)
    ['a', 'e']
    >>> documents_titled("tech lead vs engineering manager: which codes more?", docs)
    ['vs']
    >>> documents_titled("is a tech lead an engineering manager?", docs)
    ['em', 'tl']
    """
    names = [(tuple(analyze(re.sub(r"^\s*\d+[.)]\s+", " ", title))), doc_id) for doc_id, title in documents]
    return sorted({d for _, d in said(text, names)})


def said(text: str, names: Sequence[tuple[tuple[str, ...], str]]) -> list[tuple[int, str]]:
    """(place among its stems, key) of each name (stems, key) the text says word for word, in order; a name said
    inside a longer one said ("Engineer" in "Associate Engineer") is not said on its own there.

    >>> said("an associate engineer and an engineer", [(("associ", "engin"), "a"), (("engin",), "e")])
    [(0, 'a'), (2, 'e')]
    """
    asked = tuple(analyze(text))
    spans = [(i, i + len(stems), key) for stems, key in names if stems
             for i in range(len(asked) - len(stems) + 1) if asked[i : i + len(stems)] == stems]
    return sorted((i, k) for i, j, k in spans if not any(a <= i and j <= b and b - a > j - i for a, b, _ in spans))


_TITLE_PARTS = re.compile(r"\s+[-–—:]\s+|\s*[()]\s*")


def numbered_names(sections: Iterable[str]) -> list[tuple[tuple[str, ...], str]]:
    """(stems, path) for each numbered title of the sections, and each numbered part of one ("D6 - Developer 6":
    "D6" and "Developer 6"): what `sections_numbered` looks for, built once per store.

    >>> numbered_names(["Developer > D3 - Developer 3", "Levels > Technology"])[0][1]
    'Developer > D3 - Developer 3'
    """
    out: list[tuple[tuple[str, ...], str]] = []
    for path in dict.fromkeys(sections):
        last = path.rsplit(SECTION_SEP, 1)[-1]
        if not any(ch.isdigit() for ch in last):
            continue
        for part in dict.fromkeys([last, *_TITLE_PARTS.split(last)]):
            stems = tuple(analyze(part))
            if stems and any(any(ch.isdigit() for ch in st) for st in stems):
                out.append((stems, path))
    return out


def sections_numbered(text: str, names: Sequence[tuple[tuple[str, ...], str]]) -> list[str]:
    """The sections (paths) the text names by a numbered title or a numbered part of one (`numbered_names`), word
    for word: "D4", "Developer 6" for "D6 - Developer 6", "level 3" for "Level 3: Staff". A name said inside a
    longer one said is not said on its own. In the order the text names them.

    >>> names = numbered_names(["Developer > D3 - Developer 3", "Developer > D4 - Developer 4", "Levels > Technology"])
    >>> sections_numbered("I'm a D3 and want to get to D4. What should I do?", names)
    ['Developer > D3 - Developer 3', 'Developer > D4 - Developer 4']
    >>> sections_numbered("difference between a developer 4 and a developer 3?", names)
    ['Developer > D4 - Developer 4', 'Developer > D3 - Developer 3']
    >>> sections_numbered("what does technology 4 mean?", names)
    []
    """
    return list(dict.fromkeys(p for _, p in said(text, names)))
