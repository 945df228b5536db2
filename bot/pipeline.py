"""Answering: question (+ history) -> retrieved passages -> checked answer.

    validate -> standalone query -> injection / scope check (no model call)
    -> hybrid retrieval -> generate (streamed) -> grounding check
    -> extractive fallback when too little of the generation survives.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import InitVar, dataclass, field
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from bot.compose import extractive, grounding
from bot.compose.citations import cited_sources
from bot.compose.llm import ChatModel, LLMError
from bot.compose.prompt import build_messages, load_template
from bot.decide import policy, scope
from bot.decide.profile import CorpusProfile, corpus_profile
from bot.question import followup
from bot.question.concepts import WEAK_BELOW, Concept, ConceptIndex, with_term
from bot.question.derived import derived_questions
from bot.question.levels import level_step, neighbour
from bot.question.query import (
    dated,
    initialisms,
    levelled,
    present_year,
    searched,
    spelled_out,
    with_initialisms,
    written_out,
)
from bot.question.questions import SectionQuestions
from bot.retrieval.extremes import asked_extreme, extreme_row
from bot.retrieval.fusion import beside, part_order, same_section
from bot.retrieval.named import (
    Rows,
    author_initialisms,
    documents_named,
    documents_titled,
    empty_rows,
    named_rows,
    numbered_names,
    people_named,
    person_rows,
    sections_numbered,
    with_named,
)
from bot.retrieval.retrieve import Retrieval, Retriever, stored_vectors
from bot.retrieval.sequence import row_neighbour, rows_in_text, section_neighbour, subject_place, subject_text
from bot.settings import Settings
from bot.types import Answer, Source, Turn
from ingest.api import SECTION_SEP, TEMPLATE_SECTIONS, Chunk, Embedder, Hit, analyze, templated

EMPTY_MESSAGE = "Please type a question about the articles."
EMPTY_STORE_MESSAGE = (
    "No articles have been added yet, so there is nothing to answer from. "
    "Run `careerbot ingest FOLDER` (or `make chat`, which adds corpus/ when the store is empty), "
    "or upload articles in the chat's Library tab."
)
MIN_KEPT_CHARS = 60  # less than this left after the grounding check: answer extractively
NUMBERED_SECTIONS = 3  # sections named by number brought to lead; a question naming more is about none in particular
DOCUMENT_PASSAGES = 3  # passages of a document the question asks as its source quoted from
EXTREME_TABLES = 3  # the first passages whose table a question asking for the longest, shortest ... row reads
SIBLING_PARTS = 3  # a section of at most this many parts is read whole (bot.retrieval.fusion.with_siblings)
SECTION_PARTS = 8  # parts of the section found through its sample questions scored when none was retrieved


def validate_question(question: str, max_chars: int = 2000) -> str | None:
    """A message for input we will not send on, or None.

    >>> validate_question("   ") == EMPTY_MESSAGE
    True
    >>> validate_question("x" * 2001, 2000)
    'Your question is 2,001 characters long; please keep it under 2,000.'
    >>> validate_question("What is MLflow for?") is None
    True
    """
    if not question or not question.strip():
        return EMPTY_MESSAGE
    if len(question) > max_chars:
        return f"Your question is {len(question):,} characters long; please keep it under {max_chars:,}."
    return None


@dataclass
class Bot:
    settings: Settings
    embedder: Embedder
    retriever: Retriever
    llm_factory: Callable[[], ChatModel]
    template: str = field(default_factory=load_template)
    # plain words for the articles' terms, how users ask for each section (None: the articles' companion files)
    concepts: InitVar[ConceptIndex | None] = None
    questions: InitVar[SectionQuestions | None] = None
    store: Any = None  # the store the profile is read from (None: the retriever's)
    glossary: ConceptIndex = field(init=False, repr=False)
    asks: SectionQuestions = field(init=False, repr=False)
    _llm: ChatModel | None = field(default=None, init=False, repr=False)
    _fixed: tuple[bool, bool] = field(default=(False, False), init=False, repr=False)
    _profile: CorpusProfile | None = field(default=None, init=False, repr=False)
    _profile_key: object = field(default=None, init=False, repr=False)
    _profile_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _groups: list[tuple[str, ...]] = field(default_factory=list, init=False, repr=False)
    _initialisms: dict[str, str] = field(default_factory=dict, init=False, repr=False)  # "sicp": its name
    _rows: Rows = field(default_factory=Rows, init=False, repr=False)  # the table rows' names
    _templated: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)  # template pages' sections
    _numbers: list[tuple[tuple[str, ...], str]] = field(default_factory=list, init=False, repr=False)  # "D4"
    _year: str | None = field(default=None, init=False, repr=False)  # the latest year the titles name: "this year"

    _llm_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def llm(self) -> ChatModel:
        with self._llm_lock:  # two first requests at once must not load the model twice
            if self._llm is None:
                self._llm = self.llm_factory()
            return self._llm

    def __post_init__(self, concepts: ConceptIndex | None, questions: SectionQuestions | None) -> None:
        if self.store is None:
            self.store = getattr(self.retriever, "store", None)
        self._fixed = (concepts is not None, questions is not None)
        self.glossary = concepts or ConceptIndex([], self.embedder)
        self.asks = questions or SectionQuestions([], self.embedder)

    def profile(self) -> CorpusProfile:
        """What the store holds (titles, sections, companion files), re-read whenever the store changed."""
        key = self.store.count() if self.store is not None else 0
        with self._profile_lock:
            if self._profile is None or key != self._profile_key:
                self._load_profile(key)
            assert self._profile is not None
            return self._profile

    def refresh(self) -> None:
        """Re-read the store after it changed (an upload in the chat): profile, companions, BM25 index."""
        with self._profile_lock:
            self._profile = None
        self.profile()
        self.retriever.vocabulary()  # reloads the BM25 index when the store's chunks changed

    def _load_profile(self, key: object) -> None:
        if self.store is None:
            prof = CorpusProfile()
        else:
            prof = corpus_profile(self.store.records(), self.store.profiles())
        cache = self.settings.state_dir
        if not self._fixed[0]:
            concepts = [Concept(t, says) for d in prof.documents for t, says in d.glossary]
            self.glossary = ConceptIndex(concepts, self.embedder, cache_dir=cache)
        if not self._fixed[1]:
            pairs = [q for d in prof.documents for q in d.questions]
            bare = {d.doc_id for d in prof.documents if not d.questions}
            if bare and self.settings.derive_questions and hasattr(self.retriever, "passages"):
                pairs += derived_questions(c for c in self.retriever.passages() if c.doc_id in bare)
            self.asks = SectionQuestions(pairs, self.embedder, cache_dir=cache)
        self._groups = prof.sibling_groups()
        passages = self.retriever.passages()
        self._rows = Rows(passages)
        # pages written to one template (told apart by their titles) and their sections; sections named by number
        pages = templated(passages)
        self._templated = {d: set() for d in pages}
        for c in passages:
            if c.doc_id in pages:
                self._templated[c.doc_id].add(c.section)
        self._numbers = numbered_names(c.section for c in passages)
        # "sicp": the name it stands for; "clrs": the book whose authors' surnames it spells
        self._initialisms = {**author_initialisms(self._rows), **initialisms(c.text for c in passages)}
        self._year = present_year([d.title for d in prof.documents] + [c.section for c in passages])
        self._profile, self._profile_key = prof, key

    def refusal(self, tell: str = "") -> str:
        return scope.refusal_text(self.profile().covers(), why=tell)

    def warm(self) -> None:
        """Load what the first question would otherwise wait for: the BM25 index, word lists, glossary, questions."""
        scope.named_subjects("a salary in berlin after a udacity course", self.retriever.known_words())
        self.profile()
        self.glossary.warm()
        self.asks.warm()

    def _in_their_words(self, question: str) -> str:
        """The question as the articles would write it: "nand2tetris" as "nand to tetris", "behavioral qs" as
        "behavioral questions", "sicp" with the name it stands for."""
        known = self.retriever.known_words()
        question = spelled_out(question, known)
        question = written_out(question, known)
        return dated(levelled(with_initialisms(question, self._initialisms, known), known), self._year)

    def _search(self, query: str) -> tuple[str, Retrieval, str | None]:
        """The query as retrieval and quoting see it, and what it found.

        "make" in its pay sense is searched as salary. A question whose own
        words find little (best cosine under WEAK_BELOW) and that is close
        to a plain description of a term ("get it out there for real users")
        is searched again with the term ("(deployment)"); the term is returned too.
        The section whose sample questions are clearly closest to the query
        leads the passages (`_with_asked_section`).
        """
        asked = searched(query)
        found = self.retriever.search(asked, self.settings.top_k)
        if found.dense and found.dense[0].score < WEAK_BELOW and (match := self.glossary.closest(asked)):
            wider = with_term(asked, match.concept.term, self.retriever.vocabulary())
            if wider != asked:
                return wider, self._with_asked_section(wider, self.retriever.search(wider, self.settings.top_k)), \
                    match.concept.term
        return asked, self._with_asked_section(asked, found), None

    def _with_asked_section(self, query: str, found: Retrieval) -> Retrieval:
        """The passages, led by the section whose sample questions are clearly closest to the query (`via`):
        its part retrieved first, or else its part closest to the query."""
        match = self.asks.closest(query) if found.hits else None
        every = self.retriever.section_passages(match.section) if match else []
        wanted = every[:SECTION_PARTS]
        if not wanted:
            return found
        ids = {c.id for c in wanted}
        if (got := next((h for h in found.hits if h.chunk.id in ids), None)) is not None:
            chunk, score = got.chunk, got.score  # the section's part retrieved first
        else:  # not retrieved: its part closest to the query, scored on the same scale as the rest
            sims = self._cosines(query, wanted)
            best = int(sims.argmax())
            chunk, score = wanted[best], round(float(sims[best]), 4)
        first = Hit(chunk, score, via="questions")
        # a section cut in a few parts: the others follow the first, as they follow a passage retrieved first
        parts = sorted((c for c in every if same_section(c, chunk)), key=part_order)
        parts = [c for c in parts if c.id != chunk.id] if len(parts) <= SIBLING_PARTS else []
        have = {h.chunk.id: h for h in found.hits}
        fresh = [c for c in parts if c.id not in have]
        scored = dict(zip([c.id for c in fresh], self._cosines(query, fresh) if fresh else [], strict=True))
        after = [have.get(c.id) or Hit(c, round(float(scored[c.id]), 4)) for c in parts]
        lead = {first.chunk.id, *(c.id for c in parts)}
        rest = [h for h in found.hits if h.chunk.id not in lead]
        return Retrieval([first, *after, *rest][: len(found.hits)], found.dense, found.lexical)

    def _beside(self, question: str, asked: str, found: Retrieval) -> Retrieval:
        """The passages, the sections the question puts aside ("besides X and Y") giving way to those beside them."""
        aside = [set(analyze(p)) for p in followup.set_aside(question)]
        if not any(aside) or not found.hits:
            return found
        chunks, n = beside([h.chunk for h in found.hits], self.retriever.passages(), aside, len(found.hits))
        if not n:
            return found
        kept = {h.chunk.id: h for h in found.hits}  # what follows the sections beside was retrieved
        fresh = [c for c in chunks[:n] if c.id not in kept]  # scored on the same scale as the rest
        scores = {c.id: round(float(v), 4) for c, v in zip(fresh, self._cosines(asked, fresh))} if fresh else {}
        scores.update({i: h.score for i, h in kept.items()})
        # the sections beside lead, and are quoted from (bot.compose.extractive.select)
        return Retrieval([Hit(c, scores[c.id], via="beside") for c in chunks[:n]] + [kept[c.id] for c in chunks[n:]],
                         found.dense, found.lexical)

    def _named(self, asked: str, history: Sequence[Turn], question: str, found: Retrieval) -> tuple[str, Retrieval]:
        """The query and passages, with those holding a table row the query names brought in second; for a
        question pointing back ("who wrote that one?", "and who's the author?"), the rows the last answer names, the
        query given their name."""
        # ... or "which tanenbaum books?", "which courses need no prerequisites?"
        said = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        if said and followup.points_to_person(question) and (people := people_named(said, self._rows)):
            asked = f"{asked.rstrip()} ({'; '.join(people)})"  # "which other books by him?": the people said before
            named = person_rows(asked, self._rows)
        else:
            named = named_rows(asked, self._rows) or person_rows(asked, self._rows) or empty_rows(asked, self._rows)
        if not named and said and (followup.refers_back(question) or followup.is_followup(question)):
            named = named_rows(said, self._rows)
            if named:
                asked = f"{asked.rstrip()} ({'; '.join(n for n, _ in named)})"
        if not named or not found.hits:
            return asked, found
        chunks = [c for _, c in named]
        sims = self._cosines(asked, chunks)
        return asked, Retrieval(with_named(found.hits, chunks, round(float(sims.max()), 4)), found.dense, found.lexical)

    def _extreme(self, asked: str, found: Retrieval) -> tuple[str, Retrieval]:
        """ "which final project course runs the longest?": the row at that end of the column asked about, among
        the rows of the first table retrieved, brought in second and named in the query (so it is quoted)."""
        if asked_extreme(asked) is None or not found.hits:
            return asked, found
        for h in found.hits[:EXTREME_TABLES]:
            name = extreme_row(asked, self._rows, h.chunk.doc_id, h.chunk.section)
            if name is not None:
                chunk = next(c for _, n, c in self._rows.rows if n == name and c.section == h.chunk.section)
                score = round(float(self._cosines(asked, [chunk])[0]), 4)
                return f"{asked.rstrip()} ({name})", Retrieval(with_named(found.hits, [chunk], score), found.dense,
                                                              found.lexical)
        return asked, found

    def _titled(self, asked: str, found: Retrieval) -> Retrieval:
        """The passages, each from a page written to one template with a page the query names by title ("an
        associate engineer's time" on a site with a page per level, each with its "Broad Indicators") given
        way to that page's section of the same name, and a section of one page named beside the same section
        of the other page named ("staff or principal"): pages written to one template (`templated`) differ by
        title alone, which is not embedded."""
        docs = documents_titled(asked, ((d.doc_id, d.title) for d in self.profile().documents)) if found.hits else []
        docs = [d for d in docs if d in self._templated]
        if not docs or len(docs) > 2:
            return found
        passages = self.retriever.passages()
        out: list[Hit] = []
        for h in found.hits:
            doc, sec = h.chunk.doc_id, h.chunk.section
            mates = [d for d in docs if d != doc and doc in self._templated and sec in self._templated[d]]
            if doc in docs or not mates:  # "staff or principal?": the other page's section of that name beside it
                out.append(h)
            for d in mates:  # the named page's section of that name: its part closest to the query, or all its parts
                parts = sorted((c for c in passages if c.doc_id == d and c.section == sec), key=part_order)
                sims = self._cosines(asked, parts)
                best = [int(sims.argmax())] if len(parts) > SIBLING_PARTS else range(len(parts))
                out += [Hit(parts[i], round(float(sims[i]), 4), via=h.via) for i in best]
        first: dict[str, Hit] = {}
        for h in out:  # each passage once, at its first place
            first.setdefault(h.chunk.id, h)
        hits = list(first.values())
        if len(docs) == 2:  # two pages compared: their sections of one name side by side, before the rest
            named = [h for h in hits if h.chunk.doc_id in docs]
            top: dict[str, float] = {}
            for h in named:
                top[h.chunk.section] = max(top.get(h.chunk.section, -1.0), h.score)
            named.sort(key=lambda h: (-top[h.chunk.section], h.chunk.section, docs.index(h.chunk.doc_id)))
            named = [Hit(h.chunk, h.score, via="paired") for h in named]  # quoted side by side (extractive.sides)
            hits = named + [h for h in hits if h.chunk.doc_id not in docs]
        return Retrieval(hits[: len(found.hits)], found.dense, found.lexical)

    def _numbered(self, asked: str, found: Retrieval) -> Retrieval:
        """The passages, led by the sections the query names by number ("D4", "Developer 6": `sections_numbered`),
        at most NUMBERED_SECTIONS, each by its part closest to the query, in the order the query names them."""
        if not found.hits:
            return found
        named = sections_numbered(asked, self._numbers)
        if not named or len(named) > NUMBERED_SECTIONS:
            return found
        passages = self.retriever.passages()
        lead: list[Hit] = []
        for sec in named:
            parts = [c for c in passages if c.section == sec]
            sims = self._cosines(asked, parts)
            lead.append(Hit(parts[int(sims.argmax())], round(float(sims.max()), 4), via="numbered"))
        ids = {h.chunk.id for h in lead}
        return Retrieval([*lead, *(h for h in found.hits if h.chunk.id not in ids)][: len(found.hits)], found.dense,
                         found.lexical)

    def _named_documents(self, asked: str, found: Retrieval) -> Retrieval:
        """The passages, led after the best by those of each document the query asks as its source ("what does the
        license require me to keep?": LICENSE), at most DOCUMENT_PASSAGES of each, closest first: the answer is
        quoted from them (`via="document"`, bot.compose.extractive.select)."""
        if not found.hits:
            return found
        docs = set(documents_named(asked, ((d.doc_id, d.title) for d in self.profile().documents)))
        chunks = [c for c in self.retriever.passages() if c.doc_id in docs] if docs else []
        if not chunks:
            return found
        sims = self._cosines(asked, chunks)
        order = sorted(range(len(chunks)), key=lambda i: -sims[i])
        best = [i for d in sorted(docs) for i in [j for j in order if chunks[j].doc_id == d][:DOCUMENT_PASSAGES]]
        ids = {chunks[i].id for i in best}
        hits = with_named(found.hits, [chunks[i] for i in best], round(float(sims[best].max()), 4))
        return Retrieval([Hit(h.chunk, h.score, via="document") if h.chunk.id in ids else h for h in hits],
                         found.dense, found.lexical)

    def _level_along(self, question: str, history: Sequence[Turn]) -> str | None:
        """For "and at the next level?" after a question naming one page of a ladder written to one template (a
        page per level): that question again, naming the page one level up or down (`bot.question.levels`)."""
        step = level_step(question)
        if not step or not policy.answered(history):
            return None
        before = next((t.content for t in reversed(history) if t.role == "user"), "")
        titles = {d.doc_id: d.title for d in self.profile().documents if d.doc_id in self._templated}
        named = documents_titled(before, titles.items())
        if len(named) != 1:
            return None
        own = self._templated[named[0]]
        family = [t for d, t in titles.items() if len(self._templated[d] & own) >= TEMPLATE_SECTIONS]
        nxt = neighbour(family, titles[named[0]], step)
        if nxt is None:
            return None
        said = re.compile(re.escape(titles[named[0]]), re.IGNORECASE)
        return said.sub(nxt, before, count=1) if said.search(before) else f"{before.rstrip()} ({nxt})"

    def _sequence(self, question: str, history: Sequence[Turn]) -> tuple[str | None, Chunk | None]:
        """The query (and the passage to lead with) for a follow-up pointing along the articles' order from the
        last answer: "what comes after that?" asks for the next row of the table, or else the next section, after
        the one the answer was about; "the first one" is the first of the rows it named. (None, None) for any
        other question."""
        step, pick = followup.step_asked(question), followup.ordinal_asked(question)
        if not (step or pick) or not policy.answered(history):
            return None, None
        said = subject_text(next(t.content for t in reversed(history) if t.role == "assistant"))
        places: dict[int, int] = {}
        named = rows_in_text(said, self._rows, places)
        if pick is not None:
            if len(named) < 2 or pick[0] >= len(named):
                return None, None
            return question[: pick[1]] + self._rows.rows[named[pick[0]]][1] + question[pick[2]:], None
        flat = " ".join(said.lower().split())  # as rows_in_text placed them
        about = [i for i in named if subject_place(flat, places[i])]  # what the answer was about is named first
        if about:
            j = row_neighbour(self._rows, about[0], step)
            return (self._rows.rows[j][1], None) if j is not None else (None, None)
        nxt = section_neighbour(said, self.retriever.passages(), step) if not named else None
        return (nxt.section.rsplit(SECTION_SEP, 1)[-1], nxt) if nxt is not None else (None, None)

    def _cosines(self, query: str, chunks: Sequence[Chunk]) -> np.ndarray:
        """Cosine of the query to each passage (their stored vectors: one Chroma read, not a forward pass)."""
        if self.store is not None:
            stored_vectors(self.store, self.embedder, chunks)
        vecs = self.embedder.embed([query, *(c.embed_text() for c in chunks)])
        return vecs[1:] @ vecs[0]

    # -- steps ---------------------------------------------------------------
    def _prepare(self, question: str, history: Sequence[Turn]
                 ) -> tuple[Answer | None, str, list[Hit], policy.Decision | None]:
        """Validation, query rewrite, retrieval and the scope decision (`bot.policy`)."""
        t0 = time.perf_counter()
        problem = validate_question(question, self.settings.max_question_chars)
        if problem:
            return Answer(problem, mode="invalid"), "", [], None
        self.profile()  # companions, the BM25 index and the follow-up groups in step with the store
        question = self._in_their_words(question)
        query, along = self._sequence(question.strip(), history)  # "ok, what comes right after that?"
        query = query or self._level_along(question, history)  # "and at the next level?": that page's level above
        query = query or followup.standalone_query(question.strip(), list(history), self._groups)
        early = policy.pre_retrieval(question)
        if early is not None:  # an injection, a request to write something, what careerbot covers: no search needed
            ans = Answer(self.refusal(early.tell), refused=True, mode="refused", query=query,
                         notes=[early.sentence()], why=[early.sentence()])
            return ans, query, [], None
        asked, found, term = self._search(query)  # "what do X make?" + "(salary)"; "... real users" + "(deployment)"
        found = self._beside(question, asked, found)  # "anything else besides the algorithms?": the sections beside them
        asked, found = self._named(asked, history, question, found)  # "is there a compilers course?": the row "Compilers"
        asked, found = self._extreme(asked, found)  # "which one runs the longest?": the row at that end of the table
        found = self._named_documents(asked, found)  # "what does the license require?": quoted from the licence
        found = self._titled(asked, found)  # "an associate engineer's time": that page's "Broad Indicators"
        found = self._numbered(asked, found)  # "from D3 to D4?": the sections "D3 - Developer 3", "D4 - Developer 4"
        if along is not None and found.hits:  # the section after the one the last answer was about leads
            first = Hit(along, round(float(self._cosines(asked, [along])[0]), 4), via="named")
            rest = [h for h in found.hits if h.chunk.id != along.id]
            found = Retrieval([first, *rest][: len(found.hits)], found.dense, found.lexical)
        hits = found.hits
        if not found.dense:  # dense search returns something whenever the store holds a chunk
            return Answer(EMPTY_STORE_MESSAGE, mode="empty", query=query, notes=["the store is empty"]), query, [], None

        def own() -> scope.ScopeDecision:
            mine = self.retriever.search(question.strip(), self.settings.top_k)
            return scope.decide_scope(question.strip(), mine.dense, mine.lexical)

        ev = policy.Evidence(question.strip(), query, history, found.dense, found.lexical, hits, self.retriever,
                             term=term, own=own, rows=self._rows)
        decision = policy.decide(ev)
        retrieve_s = time.perf_counter() - t0
        if not decision.in_scope:
            ans = Answer(self.refusal(decision.tell), refused=True, mode="refused", query=query,
                         sources=[Source.from_hit(h) for h in hits], hits=hits,
                         notes=[decision.fired[-1].sentence()], timings={"retrieve_s": retrieve_s},
                         why=decision.why, evidence=decision.evidence)
            return ans, query, hits, decision
        return None, asked, hits, decision

    def _extractive(self, query: str, hits: list[Hit]) -> str:
        return extractive.extractive_answer(query, hits, self.embedder)

    # -- public --------------------------------------------------------------
    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        """Text deltas as they are generated, then the final, checked Answer."""
        t0 = time.perf_counter()
        done, query, hits, decision = self._prepare(question, history)
        if done is not None:
            done.timings["total_s"] = time.perf_counter() - t0
            yield done
            return
        assert decision is not None
        why = decision.why
        if decision.caveat:  # "The articles never mention Canva; this is what they say."
            yield decision.caveat + "\n\n"
        retrieve_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        if not generates(self.settings):
            text, mode, notes = self._extractive(query, hits), "extractive", ["quoted from the articles"]
            asked_now = self._in_their_words(question).strip()
            if (lacks := policy.quoted_form(asked_now, text) or policy.quoted_row(asked_now, text, self._rows)) is not None:
                yield Answer(self.refusal(lacks.tell), refused=True, mode="refused", query=query,
                             sources=[Source.from_hit(h) for h in hits], hits=hits, notes=[lacks.sentence()],
                             timings={"retrieve_s": retrieve_s, "total_s": time.perf_counter() - t0},
                             why=[*why, lacks.sentence()], evidence=decision.evidence)
                return
        else:
            parts: list[str] = []
            try:
                for delta in self.llm.stream(build_messages(self.template, query, hits)):
                    parts.append(delta)
                    yield delta
            except LLMError as e:
                timings = {"retrieve_s": retrieve_s, "total_s": time.perf_counter() - t0}
                yield Answer(f"{e}\n\nThe most relevant passages:\n\n{_passages_md(hits)}", mode="error",
                             notes=[str(e)], timings=timings, sources=[Source.from_hit(h) for h in hits],
                             hits=hits, query=query, why=why, evidence=decision.evidence)
                return
            text, mode, notes = self._check("".join(parts), query, hits)
        generate_s = time.perf_counter() - t1
        text, cited = cited_sources(text, hits)
        if decision.caveat:
            text = f"{decision.caveat}\n\n{text}"
        timings = {"retrieve_s": retrieve_s, "generate_s": generate_s, "total_s": time.perf_counter() - t0}
        yield Answer(text, mode=mode, notes=notes, timings=timings, sources=[Source.from_hit(h) for h in cited],
                     hits=hits, query=query, why=why, evidence=decision.evidence)

    def _check(self, generated: str, query: str, hits: list[Hit]) -> tuple[str, str, list[str]]:
        result = grounding.check_grounding(generated, [h.chunk.embed_text() for h in hits])
        kept = result.kept_text.strip()
        if result.ok and len(kept) >= MIN_KEPT_CHARS and not _declines(kept):
            if result.dropped:
                return kept, "checked", [f"checked against the articles: removed {len(result.dropped)} "
                                         f"unsupported sentence(s) ({'; '.join(result.unsupported[:5])})"]
            return kept, "generated", ["checked against the articles"]
        why = "the model's answer could not be verified" if generated.strip() else "the model gave no answer"
        return self._extractive(query, hits), "extractive", [f"quoted from the articles ({why})"]

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        final: Answer | None = None
        for item in self.stream(question, history):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def retrieve_only(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Retrieval and the refusal decision, no generation (fast evaluation)."""
        t0 = time.perf_counter()
        done, query, hits, decision = self._prepare(question, history)
        if done is not None:
            done.timings["total_s"] = time.perf_counter() - t0
            return done
        why = decision.why if decision is not None else []
        t = time.perf_counter() - t0
        return Answer("", sources=[Source.from_hit(h) for h in hits], hits=hits, query=query, mode="retrieval", why=why,
                      timings={"retrieve_s": t, "total_s": t})


def generates(settings: Settings) -> bool:
    """Whether answers are generated by the model (then checked) or quoted from the passages.

    auto quotes when the model is the bundled SmolLM2-135M: measured on the
    development set it invents and misplaces figures too often to be shown
    (README, "Choosing the defaults"); any other model (a server, or a .gguf
    you give) generates, and every generated answer is checked.

    >>> generates(Settings()), generates(Settings(answer_mode="generate")), generates(Settings(llm="openai"))
    (False, True, True)
    """
    if settings.answer_mode == "extractive":
        return False
    if settings.answer_mode == "generate":
        return True
    return not (settings.llm == "local" and not settings.llm_model)


def _declines(text: str) -> bool:
    """The model said it does not know: show the passages instead.

    >>> _declines("The articles do not cover that."), _declines("MLflow tracks experiments.")
    (True, False)
    """
    t = text.lower()
    return any(p in t for p in ("do not cover", "don't cover", "does not cover", "i don't know", "i do not know"))


def _passages_md(hits: list[Hit]) -> str:
    return "\n\n".join(f"**{h.chunk.section}**\n{h.chunk.text}" for h in hits[:3]) or "(none)"


def build_bot(settings: Settings, embedder: Embedder | None = None) -> Bot:
    """Wire the defaults: packaged embedder, the configured store, hybrid retrieval, the configured LLM."""
    from bot.compose.llm import build_chat_model
    from bot.retrieval.retrieve import build_retriever
    from ingest.api import build_embedder, build_store

    embedder = embedder or build_embedder(settings.embed_model)
    store = build_store(settings.store_dir, settings.chroma_url, settings.collection)
    return Bot(settings, embedder, build_retriever(settings, store, embedder), lambda: build_chat_model(settings),
               store=store)
