"""Answering: question (+ history) -> retrieved passages -> checked answer.

    validate -> standalone query -> injection / scope check (no model call)
    -> hybrid retrieval -> generate (streamed) -> grounding check
    -> extractive fallback when too little of the generation survives.
"""

from __future__ import annotations

import threading
import time
from dataclasses import InitVar, dataclass, field
from typing import Callable, Iterator, Sequence

from bot import extractive, followup, grounding, scope
from bot.citations import cited_sources
from bot.concepts import WEAK_BELOW, ConceptIndex, load_concepts, with_term
from bot.llm import ChatModel, LLMError
from bot.prompt import build_messages, load_template
from bot.query import searched
from bot.questions import SectionQuestions, load_questions
from bot.retrieve import Retrieval, Retriever
from bot.settings import Settings
from bot.types import Answer, Source, Turn
from ingest.embed import Embedder
from ingest.types import Hit

EMPTY_MESSAGE = "Please type a question, for example: Which skills does an ML engineer need?"
EMPTY_STORE_MESSAGE = (
    "No articles have been added yet, so there is nothing to answer from. "
    "Run `careerbot ingest corpus/` (or `make chat`, which adds the guide when the store is empty)."
)
MIN_KEPT_CHARS = 60  # less than this left after the grounding check: answer extractively


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
    concepts: InitVar[ConceptIndex | None] = None  # plain words for the articles' terms (None: the bundled file)
    questions: InitVar[SectionQuestions | None] = None  # how users ask for each section (None: the bundled file)
    glossary: ConceptIndex = field(init=False, repr=False)
    asks: SectionQuestions = field(init=False, repr=False)
    _llm: ChatModel | None = field(default=None, init=False, repr=False)

    _llm_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def llm(self) -> ChatModel:
        with self._llm_lock:  # two first requests at once must not load the model twice
            if self._llm is None:
                self._llm = self.llm_factory()
            return self._llm

    def __post_init__(self, concepts: ConceptIndex | None, questions: SectionQuestions | None) -> None:
        cache = self.settings.state_dir
        self.glossary = concepts or ConceptIndex(load_concepts(), self.embedder, cache_dir=cache)
        self.asks = questions or SectionQuestions(load_questions(), self.embedder, cache_dir=cache)

    def warm(self) -> None:
        """Load what the first question would otherwise wait for: the BM25 index, word lists, glossary, questions."""
        scope.named_subjects("a salary in berlin after a udacity course", self.retriever.known_words())
        self.glossary.warm()
        self.asks.warm()

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
        """The passages, led by the section whose sample questions are clearly closest to the query (`via`)."""
        match = self.asks.closest(query) if found.hits else None
        wanted = self.retriever.section_passages(match.section)[:1] if match else []
        if not wanted:
            return found
        score = next((h.score for h in found.hits if h.chunk.id == wanted[0].id), None)
        if score is None:  # not retrieved: scored on the same scale as the rest
            q, v = self.embedder.embed([query, wanted[0].embed_text()])
            score = round(float(q @ v), 4)
        first = Hit(wanted[0], score, via="questions")
        rest = [h for h in found.hits if h.chunk.id != first.chunk.id]
        return Retrieval([first, *rest][: len(found.hits)], found.dense, found.lexical)

    # -- steps ---------------------------------------------------------------
    def _prepare(self, question: str, history: Sequence[Turn]) -> tuple[Answer | None, str, list[Hit]]:
        """Validation, query rewrite, retrieval and the scope decision."""
        t0 = time.perf_counter()
        problem = validate_question(question, self.settings.max_question_chars)
        if problem:
            return Answer(problem, mode="invalid"), "", []
        query = followup.standalone_query(question.strip(), list(history))
        if scope.is_injection(question):
            ans = Answer(scope.refusal_text(), refused=True, mode="refused", query=query,
                         notes=["declined: the message tries to change careerbot's instructions"])
            return ans, query, []
        if scope.is_task_request(question):
            ans = Answer(scope.refusal_text(), refused=True, mode="refused", query=query,
                         notes=["declined: careerbot answers from its articles; it does not write code or other texts"])
            return ans, query, []
        asked, found, term = self._search(query)  # "what do X make?" + "(salary)"; "... real users" + "(deployment)"
        hits = found.hits
        if not found.dense:  # dense search returns something whenever the store holds a chunk
            return Answer(EMPTY_STORE_MESSAGE, mode="empty", query=query, notes=["the store is empty"]), query, []
        decision = scope.decide_scope(query, found.dense, found.lexical)
        if term and not decision.in_scope:  # the words are far from the articles', the meaning is one of their terms
            decision = scope.ScopeDecision(True, f"a plain description of {term}", decision.features)
        elif hits and hits[0].via == "questions" and decision.reason.startswith(("far from", "weak evidence")):
            # The words are far from the passages', the question close to how others ask for a section.
            decision = scope.ScopeDecision(True, f"asked as people ask for {hits[0].chunk.section}", decision.features)
        if query != question.strip() and (decision.in_scope or _answered(history)):
            # A follow-up continues the conversation: in scope when the combined query is, or the previous
            # question was answered, unless its own words leave the articles' topics ("and in paris?").
            own = self.retriever.search(question.strip(), self.settings.top_k)
            raw = scope.decide_scope(question.strip(), own.dense, own.lexical)
            if scope.off_topic_followup(raw) and not followup.refers_back(question):
                decision = scope.ScopeDecision(False, "the follow-up leaves the articles' topics", decision.features)
            elif not decision.in_scope:
                decision = scope.ScopeDecision(True, "a follow-up to an answered question", decision.features)
        if decision.in_scope:
            # "become a dentist", "salary in Berlin": the question names something the articles never do.
            named = scope.named_subjects(question, self.retriever.known_words())
            unknown = scope.unknown_subjects(named, self.retriever.vocabulary(), self.retriever.closeness,
                                             known_words=self.retriever.known_words())
            if unknown:
                decision = scope.ScopeDecision(False, f"the articles never mention {', '.join(unknown)}",
                                               decision.features, tell=f"they never mention {', '.join(unknown)}")
            elif unpaid := scope.unpaid_names(named, question, self.retriever.passages_naming):
                decision = scope.ScopeDecision(False, f"the articles give no pay figures for {', '.join(unpaid)}",
                                               decision.features, tell=f"they give no pay figures for {', '.join(unpaid)}")
            elif figures := scope.unknown_figures(question, self.retriever.vocabulary()):
                decision = scope.ScopeDecision(False, f"the articles give no figures for {', '.join(figures)}",
                                               decision.features, tell=f"they give no figures for {', '.join(figures)}")
        retrieve_s = time.perf_counter() - t0
        if not decision.in_scope:
            ans = Answer(scope.refusal_text(why=decision.tell), refused=True, mode="refused", query=query,
                         sources=[Source.from_hit(h) for h in hits], hits=hits,
                         notes=[f"declined: {decision.reason}"], timings={"retrieve_s": retrieve_s})
            return ans, query, hits
        return None, asked, hits

    def _extractive(self, query: str, hits: list[Hit]) -> str:
        return extractive.extractive_answer(query, hits, self.embedder)

    # -- public --------------------------------------------------------------
    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[str | Answer]:
        """Text deltas as they are generated, then the final, checked Answer."""
        t0 = time.perf_counter()
        done, query, hits = self._prepare(question, history)
        if done is not None:
            done.timings["total_s"] = time.perf_counter() - t0
            yield done
            return
        retrieve_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        if not generates(self.settings):
            text, mode, notes = self._extractive(query, hits), "extractive", ["quoted from the articles"]
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
                             hits=hits, query=query)
                return
            text, mode, notes = self._check("".join(parts), query, hits)
        generate_s = time.perf_counter() - t1
        text, cited = cited_sources(text, hits)
        timings = {"retrieve_s": retrieve_s, "generate_s": generate_s, "total_s": time.perf_counter() - t0}
        yield Answer(text, mode=mode, notes=notes, timings=timings, sources=[Source.from_hit(h) for h in cited],
                     hits=hits, query=query)

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
        done, query, hits = self._prepare(question, history)
        if done is not None:
            done.timings["total_s"] = time.perf_counter() - t0
            return done
        t = time.perf_counter() - t0
        return Answer("", sources=[Source.from_hit(h) for h in hits], hits=hits, query=query, mode="retrieval",
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


def _answered(history: Sequence[Turn]) -> bool:
    """Whether the last assistant turn answered (rather than declined or asked for a question).

    >>> _answered([Turn("user", "entry salary?"), Turn("assistant", "Base: $100,000 - $140,000")])
    True
    >>> _answered([Turn("user", "capital of France?"), Turn("assistant", scope.refusal_text())]), _answered([])
    (False, False)
    """
    last = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    return bool(last.strip()) and not last.startswith((scope.REFUSAL_START, EMPTY_MESSAGE, EMPTY_STORE_MESSAGE))


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
    from bot.llm import build_chat_model
    from bot.retrieve import build_retriever
    from ingest.embed import build_embedder
    from ingest.store import build_store

    embedder = embedder or build_embedder(settings.embed_model)
    store = build_store(settings.store_dir, settings.chroma_url, settings.collection)
    return Bot(settings, embedder, build_retriever(settings, store, embedder), lambda: build_chat_model(settings))
