"""Extractive answers: the list items and sentences of the passages that answer best.

No chat model: the top passages are cut into units (list items, sentences;
the few items of a small section stay together, e.g. a salary level's base
and total pay), each unit is scored by embedding similarity to the question
(with its section title, so "entry level" finds "Entry Level (0-2 years)"),
a diverse few are picked with MMR, and they are shown in reading order under
a one-line lead naming the sections, each with its citation [n] (n = the
hit's position). Deterministic for a given embedder.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.question.followup import ordinal_asked, set_aside
from bot.question.forms import TABLE_ROW, asks_for_questions, asks_pay, has_price, missing_form, shared_stems
from bot.retrieval.fusion import mmr, ordinal, part_order, same_section
from bot.retrieval.named import NEGATED, empty_columns, name_stems, named_in_full, row_names_person
from ingest.api import INTRO, SECTION_SEP, Embedder, Hit, analyze, split_sentences, widen

SMALL_GROUP_ITEMS = 3
SMALL_GROUP_CHARS = 160
LEXICAL_WEIGHT = 0.1
FILL_BELOW = 3
RANGE_BONUS = 0.15
ASKED_BONUS = 0.03  # a unit of the passage found through a sample question (README, "Sample questions")
NAMES_BONUS = 0.1
QUESTION_PENALTY = 0.1  # a unit that is itself a question ("Why divide attention scores by √dₖ?"), unless asked for
ROW_BONUS = 0.1  # a table row whose header the question names, over rows that only mention it in a cell
FORM_BONUS = 0.1  # a unit holding the form of answer asked (a price, a year, an expansion, a formula)
FAQ_MATCH = 0.65  # a question this close to a heading that is itself a question gets that entry's answer whole
WHOLE_LIST = 6  # the best unit's list, this short and half of it picked, is quoted with all of its items
SHORT_UNIT = 25  # a sentence shorter than this is quoted with the next one
# a question asking two things: "how often should it be retrained, and what should fire alarms?"
_TWO_ASKS = re.compile(r"[,;]\s*(?:and|but|also|plus)\s+(?!(?:what|which)\s+(?:are|were)\s+(?:they|those|these|them)\b)"
                       r"(?:what|which|how|who|where|when|why|is|are|do|does|can|should)\b"
                       r"|\?\s*\S.*\?", re.IGNORECASE)
LEAD_IN_MAX = 160  # a sentence ending in ':' this long or shorter only leads in to what follows
PASSAGES = 5  # top passages cut into units (4 -> 5, with NAMES_BONUS: +7 -2 of 615 cases, README)
RESERVE = 1  # passages after those, whose units are quoted only when closer to the question than any of theirs
# A sentence that takes up the one before it ("If you need additional help after that, post in Discord."): the
# next step of what the one before says, quoted with it.
_GOES_ON = re.compile(r"(?:After that|Afterwards|Then|Next|Otherwise|Failing that|If (?:that|this|it|none)\b|"
                      r"If (?:you|they|we) (?:still|need (?:additional|more|further))\b|If [^.]{0,60}\bafter that\b)")
_PRONOUN_START = re.compile(r"(?:It|Its|They|Their|This|These|That|Those|He|She|His|Her)\b")
# a sentence opening on what the one before named: "That form has ...", "This process takes ..."
_POINTER_START = re.compile(r"(?:This|That|These|Those)\s+[a-z]+\b(?!\s+(?:is|are|was|were|means?)\b)")
POINTED_MAX = 100  # the sentence before, quoted with it, is at most this long
_RANGE_TOKEN = re.compile(r"\d+r\d+")  # what ingest.lexical makes of "4-6", "4 to 6"


_ASKS_NAMES = re.compile(r"\b(?:tools?|tooling|tech|technolog\w*|software|librar\w*|libs?|frameworks?|platforms?|"
                         r"books?|resources?|sites?|websites?|courses?|languages?)\b", re.IGNORECASE)
_DOC = (r"(?:page|document|doc|article|guide|post|faq|repo|repository|handbook|site|website|readme|book|list|"
        r"section|chapter|notes?|wiki)")
_SELF = re.compile(rf"\bthis\s+{_DOC}\b|\b(?:answered|covered|listed|add(?:ed)?\s+it)\s+here\b", re.IGNORECASE)
_ASKS_SELF = re.compile(r"\b(?:pages?|documents?|docs?|articles?|guides?|posts?|faqs?|repos?|repository|handbook|"
                        r"site|website|readme|notes|wiki|author|wrote|written|writer|maintain\w*)\b", re.IGNORECASE)
_NOT_NAMES = frozenset({"ML", "AI", "AI/ML"})  # the field itself, in every passage
_NAME_TOKEN = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][\w.+#-]*|\b[A-Za-z]+[A-Z][\w.+#-]*|\b[A-Z]{2,}\b")


def speaks_of_itself(sentence: str) -> bool:
    """Whether a sentence is about the page it is on rather than its subject: it answers only a question
    about the page.

    >>> speaks_of_itself("This page answers some questions that we frequently receive about the curriculum.")
    True
    >>> speaks_of_itself("If you have questions that aren't answered here, ask the community.")
    True
    >>> speaks_of_itself("Students following this curriculum should know English."), speaks_of_itself("Use SQL.")
    (False, False)
    """
    return bool(_SELF.search(sentence))


def _names_in(text: str) -> list[str]:
    """Tool, product or proper names in a unit: capitalised words past its start, CamelCase, capitals
    (a capitalised first word may be any word: "Docker" is missed, "Deploying" is no name).

    >>> _names_in("Docker containerization; Kubernetes orchestration"), _names_in("MLflow for experiment tracking")
    (['Kubernetes'], ['MLflow'])
    >>> _names_in("Deploying models to production environments"), _names_in("Python dominates the ML ecosystem.")
    ([], [])
    """
    return [t for t in _NAME_TOKEN.findall(text) if t not in _NOT_NAMES]


@dataclass(frozen=True)
class Unit:
    hit: int  # index into hits
    pos: float  # order inside the passage (a lead-in's is half a place before the unit it leads)
    section: str
    text: str
    grouped: bool = False  # the items of a small section, kept together
    item: bool = False  # a list item (else a sentence)
    context: str = ""  # the sentence before one that opens with a pronoun ("It was founded in 1947...")
    title: str = ""  # its document's
    part: float = 0.0  # its passage's place in its document (ingest's "ordinal"): a section's parts read in order
    lead: bool = False  # a line leading in to the list after it ("Choose one of the following:"): quoted only with it

    @property
    def shown(self) -> str:
        """The section as an answer's lead names it: a document's lead by the document's title ("MIT License")."""
        return self.title if self.section == INTRO and self.title else self.section

    @property
    def label(self) -> str:
        return self.section.split(SECTION_SEP)[-1] if self.section else ""

    def scoring_text(self, context: bool = False) -> str:
        text = f"{self.context} {self.text}" if context and self.context else self.text
        return f"{self.section}: {text}" if self.section else text


def units_of(hits: Sequence[Hit], passages: int = PASSAGES) -> list[Unit]:
    """Units of the top passages. A sentence ending in ':' is marked as a lead-in (`lead`: quoted only with the
    items it leads in to), unless long enough to say more than that a list follows ("Permission is hereby granted
    ... to use, copy, modify ... subject to the following conditions:").

    >>> from ingest.api import Chunk
    >>> c = Chunk("1", "g", "G", "Salary Expectations > Entry Level (0-2 years)",
    ...           "- Base: $100,000 - $140,000\\n- Total Comp: $120,000 - $180,000")
    >>> d = Chunk("2", "g", "G", "Skills > Python (Essential)",
    ...           "Python dominates. You need:\\n- NumPy for numerical computing\\n- Pandas for data\\n"
    ...           "- Scikit-learn for classical ML\\n- PyTorch for deep learning")
    >>> [(u.hit, u.text, u.grouped, u.lead) for u in units_of([Hit(c, .6), Hit(d, .5)])][:4]
    [(0, 'Base: $100,000 - $140,000; Total Comp: $120,000 - $180,000', True, False), (1, 'Python dominates.', False, \
False), (1, 'You need:', False, True), (1, 'NumPy for numerical computing', False, False)]
    >>> e = Chunk("3", "l", "L", "", "Permission is granted to any person obtaining a copy of these notes to use, copy, "
    ...           "modify, merge, publish and sell copies of them, and to let others do so, subject to these conditions:")
    >>> [u.text[:20] for u in units_of([Hit(e, .4)])]
    ['Permission is grante']
    """
    out: list[Unit] = []
    for hi, h in enumerate(hits[:passages]):
        lines = [ln.strip() for ln in h.chunk.text.splitlines() if ln.strip()]
        items = [ln[2:].strip() for ln in lines if ln.startswith("- ")]
        group = bool(items) and len(items) <= SMALL_GROUP_ITEMS and sum(map(len, items)) <= SMALL_GROUP_CHARS
        pos = 0
        for ln in lines:
            if ln.startswith("- "):
                if not group:
                    out.append(Unit(hi, pos, h.chunk.section, ln[2:].strip(), item=True, title=h.chunk.title,
                                    part=part_order(h.chunk)))
                elif not any(u.grouped and u.hit == hi for u in out):
                    out.append(Unit(hi, pos, h.chunk.section, "; ".join(i.rstrip(".;") for i in items), True,
                                    title=h.chunk.title, part=part_order(h.chunk)))
                pos += 1
                continue
            before = ""
            for sent in split_sentences(ln):
                lead = sent.rstrip().endswith(":") and len(sent) <= LEAD_IN_MAX
                context = before if _PRONOUN_START.match(sent) and not lead else ""
                # a lead-in sits half a place before what it leads: the units around it stay neighbours
                out.append(Unit(hi, pos - 0.5 if lead else pos, h.chunk.section, sent, context=context,
                                title=h.chunk.title, lead=lead, part=part_order(h.chunk)))
                pos += 0 if lead else 1
                before = sent
    return _without_bare_labels(out)


def _without_bare_labels(units: list[Unit]) -> list[Unit]:
    """Items that only label the items under them ("Learning to rank (LTR)" before "Learning to rank (LTR):
    point-wise, pairwise, list-wise") left out: the labelled items say the same and more.

    >>> us = [Unit(0, 0, "S", "Ranking", item=True), Unit(0, 1, "S", "Ranking: point-wise, pairwise", item=True)]
    >>> [u.text for u in _without_bare_labels(us)]
    ['Ranking: point-wise, pairwise']
    """
    labelled = {(u.hit, u.text.split(":", 1)[0].strip()) for u in units if u.item and ":" in u.text}
    labelled |= {(u.hit, u.text.split(" > ", 1)[0].strip()) for u in units if u.item and " > " in u.text}
    return [u for u in units if not (u.item and ":" not in u.text and (u.hit, u.text.strip()) in labelled)]


_ASKS_LIST = re.compile(
    r"(?:^|\b(?:can|could|would) (?:you|u) |\bplease |\bpls )list\b|\blist (?:the|all|every|out)\b"
    r"|\b(?:a|the|full|whole|complete|entire)\s+list\s+of\b"
    r"|\bwhat\s+(?:are|r)\s+(?:the\s+)?(?:[\w/-]+\s+){0,4}?(?:steps|stages|phases|parts|components|types|kinds|"
    r"approaches|methods|techniques|categories|rules|principles|sub-?stages)\b"
    r"|\b(?:few|some)\s+examples\s+of\s+(?:the\s+)?(?:questions|steps|types)\b|\bgive me (?:a few|some) examples\b"
    r"|\bwhat\s+(?:am|should|do|must)\s+(?:i|we|you)\s+(?:supposed\s+to\s+|need\s+to\s+|have\s+to\s+)?"
    r"(?:cover|include)\b"
    r"|\bstep[- ]by[- ]step\s+(?:framework|process|plan|approach|template|formula)\b"
    r"|\bwhat\s+(?:kinds?|types?|sorts?)\s+of\s+(?:[\w-]+\s+){0,2}?(?:questions|problems|topics|projects)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:steps|stages|phases|parts|rules|principles|"
    r"components|types)\b"
    # "what are the 5 axes?", "the two broad buckets": a number of things named, not a measure ("the 2 years")
    r"|\b(?:what|which)\s+(?:are|were|r)\s+(?:the|its|their|those|these)\s+(?:\d+|two|three|four|five|six|seven|eight|"
    r"nine|ten)\s+(?:[a-z-]+\s+)?(?!(?:years|months|weeks|days|hours|minutes|seconds|times|percent|points)\b)[a-z]+s\b"
    # "what are the enabling traits listed for ...?": what an article lists
    r"|\b(?:what|which)\s+(?:are|were|r)\s+(?:the\s+)?(?:[\w-]+\s+){1,3}listed\b"
    r"|\b(?:what|which)\s+(?:[\w/-]+\s+){0,4}?(?:algorithms|algos|requirements|criteria|conditions|metrics|techniques|methods|"
    r"stages|steps|ways|options|approaches|strategies)\b|\bwhat\s+(?:kinds|types|sorts)\s+of\b"
    # what a part holds: "which courses are in the core programming part?", "what books are listed under systems?"
    r"|\b(?:what|which)\s+(?:[\w/-]+\s+){0,2}?[a-z]+[^s\W]s\s+(?:are|r)\s+(?:there\s+)?(?:in|under|inside|part\s+of|"
    r"included\s+in|listed\s+(?:in|under))\b", re.IGNORECASE)
LIST_MAX = 12  # items quoted when a question asks for a list and one answers it


_ANNOUNCES = re.compile(
    r"\b(?:the\s+)?following\b|\b(?:as\s+)?(?:below|these|as follows)\s*[.:]?$"
    r"|\b(?:two|three|four|five|six|several|a few|some)\s+(?:[\w-]+\s+){0,2}(?:resources|ways|options|steps|"
    r"things|reasons|criteria|tips|types|kinds|places|rules|questions|approaches|methods|tools|parts)\b",
    re.IGNORECASE)


def announces(sentence: str) -> bool:
    """Whether a sentence announces the list after it ("there are two great resources to check").

    >>> announces("If you want a language, there are two great resources to check."), announces("Courses must:")
    (True, False)
    >>> announces("chosen to meet the following criteria."), announces("Python dominates the ecosystem.")
    (True, False)
    """
    return bool(_ANNOUNCES.search(sentence.strip()))


# "See more questions in this question bank.", "Find more examples here": the list just above is a sample of these
_MORE_OF = re.compile(r"^(?:(?:you\s+can\s+)?(?:see|find|check(?:\s+out)?|read|browse|explore)|for)\s+"
                      r"(?:many\s+|lots\s+|a\s+lot\s+)?(?:more|other|further|additional)\b", re.IGNORECASE)


def points_to_more(sentence: str) -> bool:
    """Whether a sentence after a list points to more of its kind elsewhere ("See more questions in this bank.").

    >>> points_to_more("See more questions in this behavioral interview question bank."), points_to_more("See below.")
    (True, False)
    >>> points_to_more("For more details, read the FAQ."), points_to_more("More practice makes perfect.")
    (True, False)
    """
    return bool(_MORE_OF.search(sentence.strip()))


def asks_list(question: str) -> bool:
    """Whether the question asks for a list (steps, types, examples...), best quoted whole.

    >>> asks_list("can you list the 9 steps of the ML system design formula?"), asks_list("give me a few examples")
    (True, True)
    >>> asks_list("what are the learning to rank approaches?"), asks_list("what is precision?")
    (True, False)
    >>> asks_list("what am I supposed to cover in the data collection part?"), asks_list("what should I learn?")
    (True, False)
    >>> asks_list("what kind of behavioural questions should I expect?"), asks_list("what kind of system is it?")
    (True, False)
    >>> asks_list("what's the step by step framework for a design question?")
    True
    >>> asks_list("what sampling algorithms might they ask?"), asks_list("what algorithm is best here?")
    (True, False)
    >>> asks_list("what kinds of data drift should I monitor?"), asks_list("what kind of drift is that?")
    (True, False)
    >>> asks_list("what algorithms does the guide list?"), asks_list("with all the chatgpt hype, what skills?")
    (True, False)
    >>> asks_list("Which ML algorithms should I be able to implement?"), asks_list("the full list of steps, please")
    (True, True)
    >>> asks_list("which courses are in the core programming part?"), asks_list("which course is in core theory?")
    (True, False)
    >>> asks_list("What are the 5 axes on the chart?"), asks_list("what are the 2 years spent on?")
    (True, False)
    >>> asks_list("What are the enabling traits listed for a staff engineer?")
    True
    """
    return bool(_ASKS_LIST.search(question))


def _overlap(question: str, texts: Sequence[str], units: Sequence[Unit]) -> np.ndarray:
    """`term_overlap` of each unit's text, over the units that may be quoted on their own (no lead-in)."""
    idx = [i for i, u in enumerate(units) if not u.lead]
    out = np.zeros(len(units))
    out[idx] = term_overlap(question, [texts[i] for i in idx])
    return out


def term_overlap(question: str, texts: Sequence[str]) -> list[float]:
    """For each text, the IDF-weighted share of the question's terms it holds (IDF over `texts`).

    A term most texts share ("ml") counts little; a rare one ("4r6" for
    "months 4 to 6") counts much.

    >>> [round(x, 2) for x in term_overlap("what to do in months 4 to 6", [
    ...     "Month 4-6: Learn ML Frameworks", "Month 7-9: Specialize", "6-12 months for foundational skills"])]
    [1.0, 0.18, 0.41]
    """
    terms = set(widen(analyze(question)))
    bags = [set(analyze(t)) for t in texts]
    if not terms or not bags:
        return [0.0] * len(texts)
    idf = {t: math.log(1 + len(bags) / (1 + sum(t in b for b in bags))) for t in terms}
    total = sum(idf.values())
    return [sum(idf[t] for t in terms & b) / total for b in bags]


def _family(hits: Sequence[Hit]) -> list[int]:
    """For each hit, the index of the best-ranked hit whose section is it or one of its ancestors.

    A parent section that is only a lead sentence ("Building Your Portfolio")
    answers through its sub-sections' items ("1. End-to-End ML Projects"); a
    passage ending in a lead-in ("The most common ones include:") through the
    passage after it (`_continues`).

    >>> from ingest.api import Chunk
    >>> hs = [Hit(Chunk(str(i), "g", "G", s, "x"), 0.5) for i, s in enumerate(
    ...     ["Portfolio", "Skills > SQL", "Portfolio > 1. Projects", "Portfolio > 2. Kaggle"])]
    >>> _family(hs)
    [0, 1, 0, 0]
    """
    out = []
    for i, h in enumerate(hits):
        sec = h.chunk.section
        out.append(next((j for j, p in enumerate(hits[:i + 1]) if p.chunk.doc_id == h.chunk.doc_id and (
            sec == p.chunk.section or sec.startswith(p.chunk.section + SECTION_SEP) or _continues(p, h))), i))
    return out


def _lead_in(units: Sequence[Unit], at: dict[tuple[int, float], int], i: int) -> int | None:
    """The line ending with a colon just above the list item `i` is part of, in its passage or in another passage
    holding the same item (ingest repeats a part's last lines at the next part's start), if there is one.

    >>> us = [Unit(0, 0.5, "S", "Choose one of the following:", lead=True), Unit(0, 1, "S", "- C course", item=True),
    ...       Unit(1, 0, "S", "- C course", item=True), Unit(1, 1, "S", "- Java course", item=True)]
    >>> at = {(u.hit, u.pos): n for n, u in enumerate(us)}
    >>> _lead_in(us, at, 3), _lead_in(us, at, 0)
    (0, None)
    """
    def first_item(j: int) -> int:  # the first item of the run `j` is in
        while (units[j].hit, units[j].pos - 0.5) not in at and (k := at.get((units[j].hit, units[j].pos - 1))) is not None \
                and units[k].item:
            j = k
        return j

    start = first_item(i)
    for j in [start, *(first_item(n) for n, u in enumerate(units) if u.text == units[start].text and n != start)]:
        lead = at.get((units[j].hit, units[j].pos - 0.5))
        if lead is not None and units[lead].lead:  # at most LEAD_IN_MAX long
            return lead
    return None


def _same_section(hits: Sequence[Hit], a: int, b: int) -> bool:
    """Hits `a` and `b` are one passage, or parts of one section ingest cut (a list under a label split in two)."""
    return a == b or (bool(hits) and same_section(hits[a].chunk, hits[b].chunk))


def _continues(before: Hit, after: Hit) -> bool:
    """`after` is the passage right after one that ends announcing it ("The most common ones include:").

    >>> from ingest.api import Chunk
    >>> a = Chunk("a", "g", "G", "Introduction", "Few algorithms. The most common ones include:", metadata={"ordinal": 0})
    >>> b = Chunk("b", "g", "G", "ML Algorithms", "- Linear regression", metadata={"ordinal": 1})
    >>> _continues(Hit(a, .7), Hit(b, .5)), _continues(Hit(b, .5), Hit(a, .7))
    (True, False)
    """
    lines = [ln for ln in before.chunk.text.splitlines() if ln.strip()]
    if not lines or not lines[-1].rstrip().endswith(":") or before.chunk.doc_id != after.chunk.doc_id:
        return False
    o1, o2 = before.chunk.metadata.get("ordinal"), after.chunk.metadata.get("ordinal")
    return o1 is not None and o2 is not None and float(o2) == float(o1) + 1


_SIDES = (re.compile(r"\b([\w+#-]+)\s+(?:vs\.?|versus|or|compared (?:to|with))\s+([\w+#-]+)", re.IGNORECASE),
          re.compile(r"\bbetween\s+([\w+#-]+)\s+and\s+([\w+#-]+)", re.IGNORECASE))


_WH = r"(?:what|what's|whats|when|where|who|whom|whose|which|why|how)\b"
_CLAUSE_BREAK = re.compile(rf"(?:[?;]\s+|,\s*(?:and\s+|but\s+|or\s+|also\s+|plus\s+)?|\s+(?:and|but|also|plus)\s+)(?={_WH})"
                           r"|\?\s+(?=(?:is|are|does|do|can|should|will|would)\s)", re.IGNORECASE)


def clauses(question: str) -> list[str]:
    """The questions a compound question asks, each its own clause ("when was X founded and how big is it?");
    a question that asks one thing gives one.

    >>> clauses("when was the ACM founded and how big is it?")
    ['when was the ACM founded', 'how big is it?']
    >>> clauses("how is NCE defined, and what kind of system is it the go-to metric for?")
    ['how is NCE defined', 'what kind of system is it the go-to metric for?']
    >>> clauses("I'm not sure what to do and how to start"), clauses("what is precision and recall?")
    (["I'm not sure what to do and how to start"], ['what is precision and recall?'])
    """
    parts = [p.strip(" ,;") for p in _CLAUSE_BREAK.split(question)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or not all(re.match(_WH, p, re.IGNORECASE) or p.endswith("?") for p in parts):
        return [question]
    return parts


def compared_sides(question: str) -> list[str]:
    """The stems of the things a question compares, one per side ("cnn vs rnn", "between X and Y").

    >>> compared_sides("cnn vs rnn - when do u use which"), compared_sides("difference between supervised and unsupervised?")
    (['cnn', 'rnn'], ['supervis', 'unsupervis'])
    >>> compared_sides("should i do a masters or a bootcamp"), compared_sides("what tools do I need?")
    ([], [])
    """
    out: list[str] = []
    for rx in _SIDES:
        for m in rx.finditer(question):
            stems = [analyze(side) for side in m.groups()]
            if all(len(st) == 1 for st in stems):
                out += [st[0] for st in stems if st[0] not in out]
    return out


_ROW = re.compile(r"^(?P<row>[^—\n]{2,80}?) — ")


def _row_named(unit: Unit, asked: set[str]) -> bool:
    """Whether the unit is a table row (`Row — Column: cell; ...`) whose row header the question names.

    >>> u = Unit(0, 0, "Core programming", "Systematic Program Design — Effort: 8-10 hours/week", item=True)
    >>> _row_named(u, set(analyze("how many hours does systematic program design need?")))
    True
    >>> _row_named(Unit(0, 2, "S", "The Missing Semester of Your CS Education — Effort: 12 hours/week", item=True),
    ...            set(analyze("how long is the missing semester course?")))
    True
    >>> _row_named(Unit(0, 1, "S", "Programming Languages — Prerequisites: Systematic Program Design", item=True),
    ...            set(analyze("how many hours does systematic program design need?")))
    False
    """
    m = _ROW.match(unit.text) if unit.item or unit.grouped else None
    stems = set(analyze(m.group("row"))) if m else set()
    named = stems & asked  # all of a short header; two or more words and half of a long one ("missing semester")
    return bool(stems) and (named == stems or (len(named) >= 2 and 2 * len(named) >= len(stems)))


def _empty_cell_asked(unit: Unit, question: str, asked: set[str]) -> bool:
    """Whether the unit is a table row whose cell is empty ("none", "-") under a column the question asks to be
    without ("which courses don't need any prerequisites?": "Big Data — ...; Prerequisites: none").

    >>> u = Unit(0, 0, "Final project", "Big Data — Duration: 30 weeks; Prerequisites: none", item=True)
    >>> q = "which of the final project courses dont need any prerequisites at all?"
    >>> _empty_cell_asked(u, q, set(analyze(q))), _empty_cell_asked(u, "what are the prerequisites?", {"prerequisit"})
    (True, False)
    """
    if not (unit.item or unit.grouped) or not NEGATED.search(question):
        return False
    return any(shared_stems(set(analyze(column)), asked, shortest=5) for column in empty_columns(unit.text))


def _label_named(unit: Unit, asked: set[str]) -> bool:
    """Whether the unit is a list item under a label (`Label: item`) the question names, three words or more.

    >>> u = Unit(0, 3, "Topics", "Optimization > Other variations of gradient descent: RMSprop", item=True)
    >>> _label_named(u, set(analyze("which variations of gradient descent should I know?")))
    True
    >>> _label_named(u, set(analyze("what is gradient boosting?")))
    False
    """
    label = unit.text.split(": ", 1)[0].rsplit(SECTION_SEP, 1)[-1] if unit.item and ": " in unit.text else ""
    # not a table row ("KTO — Data required: ..."), nor the items' own section named again
    stems = set() if " — " in label or len(label) > 80 else set(analyze(label))
    stems = set() if stems <= set(analyze(unit.section)) else stems
    named = shared_stems(stems, asked)
    return len(named) >= 3 and 2 * len(named) > len(stems)


def _title_named(unit: Unit, asked: set[str]) -> bool:
    """Whether the question names the title of the unit's section, two words or more ("the data collection and
    prep part" names "4. Data Collection and Preparation")."""
    stems = set(analyze(unit.label))
    named = shared_stems(stems, asked)
    return len(named) >= 2 and 2 * len(named) > len(stems)


def _holds(unit: Unit, stem: str) -> bool:
    """Whether a unit (with its section title) names the stem, plural included ("rnn" ~ "RNNs")."""
    return any(t == stem or (t.startswith(stem) and len(t) - len(stem) <= 1) for t in analyze(unit.scoring_text()))


_TAIL = re.compile(r",\s*(?=(?:how|what|which|where|when|why|who|should|can|could|is|are|do|does)\b)", re.IGNORECASE)


def asking_clause(question: str) -> str:
    """The question's last clause, when a comma sets it off from what the user tells first.

    >>> asking_clause("done with core cs and i'm curious about quantum computing, how do i find a course on it?")
    'how do i find a course on it?'
    >>> asking_clause("what is ossu?")
    'what is ossu?'
    """
    tail = _TAIL.split(question)[-1].strip()
    return tail if len(tail.split()) >= 4 else question


def _asks_heading(heading: str, own: str, q: np.ndarray, embedder: Embedder) -> float:
    """Cosine of a heading to the question, or to its asking clause when that is closer."""
    tail = asking_clause(own)
    vecs = embedder.embed([heading] + ([tail] if tail != own else []))
    return max([float(vecs[0] @ q), *(float(vecs[0] @ v) for v in vecs[1:])])


def select(question: str, units: Sequence[Unit], embedder: Embedder, hits: Sequence[Hit] = (), k: int = 5,
           lambda_: float = 0.7, passage_weight: float = 0.4, slack: float = 0.1,
           passage_gap: float = 0.2, own_weight: float = 0.5,
           lexical_weight: float = LEXICAL_WEIGHT, fill_below: int = FILL_BELOW,
           range_bonus: float = RANGE_BONUS, names_bonus: float = NAMES_BONUS,
           asked_bonus: float = ASKED_BONUS, question_penalty: float = QUESTION_PENALTY,
           row_bonus: float = ROW_BONUS, form_bonus: float = FORM_BONUS, about_page: bool = True,
           faq_match: float = FAQ_MATCH, quoted: int = PASSAGES) -> list[tuple[Unit, float]]:
    """The `k` units picked by MMR; relevance mixes the unit's and its passage's similarity to the question.

    A lexical signal is added: `lexical_weight` x the IDF-weighted share of
    the question's terms the unit holds, its section title included
    (`term_overlap`), so "months 4 to 6" quotes Month 4-6; a unit whose
    section title holds a range the question names ("the first three
    months" = 1-3) gains `range_bonus`; when the question asks for tools,
    books, courses or the like, a unit that names some (`_names_in`) gains
    `names_bonus`; a unit that is itself a question loses `question_penalty`
    unless the question asks for questions or examples; when it asks for an
    answer of a checkable form (`bot.question.forms`: a price, a year, what an
    acronym stands for, a formula), a unit holding one gains `form_bonus`; a table row whose header the
    question names gains `row_bonus`, and so does a list item under a label it names ("Other variations of
    gradient descent: RMSprop") when it names no section's title; the rows whose cells name a person the
    question names, or that are empty under a column it asks to be without ("which courses need no
    prerequisites?"), gain it too and are quoted together, unless the question names a row in full.

    A sub-section's passage counts at least as much as the section above it
    when both were retrieved (`_family`), so a parent that is only a lead
    sentence answers through its sub-sections' items. Units scoring more
    than `slack` below the best are left out. When fewer than `fill_below`
    remain and the best is a list item, the other items of its list within
    twice the slack are added: a list is best read whole. The short list
    (`WHOLE_LIST`) the best unit is from, half of it picked, is quoted whole; a
    question `faq_match` close to a heading that is itself a question (a FAQ
    entry) gets that entry's answer whole; a question asking two things
    (`clauses`) gets the best unit for each part. A sentence opening with a
    pronoun ("It was founded in 1947") is scored with the one before it too; one taking up the next
    step of the one before ("If that does not work, post in Discord.") is quoted with it.
    A sentence about the page itself (`speaks_of_itself`) is left out unless
    the question asks about the page (`about_page`).
    """
    if not units:
        return []
    passages = [h.chunk.embed_text() for h in hits[: max(u.hit for u in units) + 1]] if hits else []
    own = question.rsplit(" - ", 1)[-1]
    texts = [u.scoring_text() for u in units]
    ctx = [i for i, u in enumerate(units) if u.context]  # "It was founded in 1947": also read with its subject
    parts = clauses(own)  # "when was X founded and how big is it?": each part is answered too
    extra = [units[i].scoring_text(context=True) for i in ctx] + (parts if len(parts) > 1 else [])
    vecs = embedder.embed([question] + texts + passages + [own] + extra)  # one batch
    q, uv = vecs[0], vecs[1: 1 + len(units)]
    pv = vecs[1 + len(units): 1 + len(units) + len(passages)]
    rest = vecs[2 + len(units) + len(passages):]
    cv, part_vecs = rest[: len(ctx)], rest[len(ctx):]
    own_vec = vecs[1 + len(units) + len(passages)]
    if own_weight and own != question:
        q = (1 - own_weight) * q + own_weight * own_vec
        q = q / np.linalg.norm(q)

    def sims(v: np.ndarray) -> np.ndarray:
        out = uv @ v
        if ctx:
            out[ctx] = np.maximum(out[ctx], cv @ v)
        return out

    rel = sims(q)
    own_sim = rel.copy()
    # "This page answers some questions...": of the page only, and its passage sets no bar for the others
    about_page = about_page and not _ASKS_SELF.search(own)
    # (nor does a lead-in, quoted only with the items it leads)
    off = np.array([u.lead or about_page and not u.item and speaks_of_itself(u.text) for u in units], dtype=bool)
    fam = _family(hits[: len(pv)])  # for each retrieved passage, its best-ranked ancestor (or itself)
    if len(pv):
        psim = pv @ q
        psim = np.array([max(psim[i], psim[fam[i]]) for i in range(len(psim))])
        # A passage found through a sample question close to the question answers it, whatever its own cosine;
        # so does a section beside the ones the question puts aside ("anything else besides the algorithms?"), and
        # a document the question names ("what does the license require?").
        psim = np.array([psim.max() if h.via in ("questions", "beside", "document") else p
                         for h, p in zip(hits, psim)])
        rel = (1 - passage_weight) * rel + passage_weight * np.array([psim[u.hit] for u in units])
        # Passages far below the best one (a weak fourth hit) contribute nothing.
        # A unit among the closest by its own words is kept whatever its passage ("The Missing Semester — Duration:
        # 2 weeks" in a passage of prose about tools).
        bar = [psim[h] for h in range(min(quoted, len(psim))) if any(u.hit == h and not o for u, o in zip(units, off))]
        weak = np.array([psim[u.hit] for u in units]) < max(bar or [psim[:quoted].max()]) - passage_gap
        rel = np.where(weak & (own_sim < own_sim[~off].max(initial=-1.0) - slack), -1.0, rel)
    rel = np.where(off, -1.0, rel)
    # "apart from A/B tests, what other ways ...?": units about what the question puts aside are not its answer
    aside = [a for a in (set(analyze(p)) for p in set_aside(own)) if a]
    put = np.array([any(a <= set(analyze(u.scoring_text())) for a in aside) for u in units], dtype=bool)
    put &= ~put.all()
    rel = np.where(put, -1.0, rel)
    if hits and any(hits[u.hit].via == "beside" for u in units):  # "anything else besides X?": what is beside X
        rel = np.where([hits[u.hit].via != "beside" for u in units], -1.0, rel)
    if hits and any(hits[u.hit].via == "document" for u in units):  # "what does the license say?": the licence
        rel = np.where([hits[u.hit].via != "document" for u in units], -1.0, rel)
    if lexical_weight:
        rel = rel + lexical_weight * _overlap(own, texts, units)
    if names_bonus and _ASKS_NAMES.search(own):  # "what tooling?", "any book for...?": the units that name some
        rel = rel + names_bonus * np.array([bool(_names_in(u.text)) for u in units])
    ranges = {t for t in analyze(own) if _RANGE_TOKEN.fullmatch(t)}
    if ranges and range_bonus:  # "the first three months" / "months 4 to 6": the section titled with that range
        rel = rel + range_bonus * np.array([bool(ranges & set(analyze(u.section))) for u in units])
    if (n := ordinal(own)) is not None and range_bonus:  # "what goes into step 8?": the section numbered 8
        numbered = re.compile(rf"^(?:step\s+)?{n}[.):]\s", re.IGNORECASE)
        rel = rel + range_bonus * np.array([bool(numbered.match(u.label)) for u in units])
    if (pointed := ordinal_asked(own)) is not None and range_bonus:
        # "what was the third one exactly?": the item in that place of the first passage's list
        items = sorted((i for i, u in enumerate(units) if u.item and u.hit == 0), key=lambda i: units[i].pos)
        if -len(items) <= pointed[0] < len(items):
            rel[items[pointed[0]]] += range_bonus
    if question_penalty and not asks_for_questions(own):  # a line that only asks answers nothing
        rel = rel - question_penalty * np.array([u.text.rstrip().endswith("?") for u in units])
    if asked_bonus and hits:  # the passage of the section others ask this way (bot/question/questions.py)
        rel = rel + asked_bonus * np.array([hits[u.hit].via == "questions" for u in units])
    asked = set(analyze(own))
    heads = {i: m.group("row") for i, u in enumerate(units)
             if (u.item or u.grouped) and TABLE_ROW.match(u.text) and (m := _ROW.match(u.text))}
    rows = list(heads)
    full = {rows[j] for j in named_in_full(asked, list(heads.values()))}  # rows the question names in full
    # rows naming a person it names, when it names no row ("which tanenbaum books?", not "who co-wrote SICP?"), and
    # rows empty under a column it asks to be without ("which courses need no prerequisites?")
    wanted = [] if full else [i for i in heads if row_names_person(own, units[i].text)
                              or _empty_cell_asked(units[i], own, asked)]
    if row_bonus:  # a table row whose header the question names ("Systematic Program Design — Effort: ...")
        # ... and a list item under a label it names ("Other variations of gradient descent: RMSprop"), unless
        # it names a section's title, whose items answer it, and the rows wanted (above)
        labels = not any(_title_named(u, asked) for u in units)
        rel = rel + row_bonus * np.array([_row_named(u, asked) or labels and _label_named(u, asked)
                                          or i in wanted for i, u in enumerate(units)])
        # a row named in full ("what does a lead designer do?": "Lead Designer (L4) — ..."): the other rows give way
        if full:
            rel = rel - row_bonus * np.array([i in heads and i not in full for i in range(len(units))])
    pay = asks_pay(own)
    if form_bonus and missing_form(own, []) is not None and not pay and not _TWO_ASKS.search(own):
        # "what year...?": units with one (pay is answered with what shapes it too: "Location significantly impacts
        # these ranges"; a second question beside it, with what answers that: "how often ..., and what ...?")
        rel = rel + form_bonus * np.array([missing_form(own, [u.scoring_text()]) is None for u in units])
    late = np.array([u.hit >= quoted for u in units])
    if late.any() and (~late).any():
        # A reserve passage's unit scoring above every unit of the first passages is quoted ("Eric Douglas:
        # founder of OSSU" in the sixth), if it holds a money figure when pay is asked; the reserve's others are
        # not. The bar for the rest stays where the first passages set it.
        unpaid = np.array([pay and not has_price([u.text]) for u in units])
        rel = np.where(late & ((rel <= rel[~late].max()) | unpaid), -1.0, rel)
    best = float(rel[~late].max() if (~late).any() else rel.max())
    near = [i for i in range(len(units)) if rel[i] >= best - slack]  # diversity among the close ones only
    kept = [near[j] for j in mmr(q, uv[near], k, lambda_, relevance=rel[near])]
    top = units[kept[0]]
    if len(kept) < fill_below and top.item:
        # A sparse answer from a list ("is it just leetcode?"): the rest of that list, read whole.
        kept += [i for i, u in enumerate(units) if u.item and u.hit == top.hit and i not in kept
                 and rel[i] >= best - 2 * slack][: k - len(kept)]
    elif len(kept) < fill_below and len(pv):
        # A sparse answer from a section's lead ("A strong portfolio is crucial..."): the best unit of each
        # of its sub-sections that were retrieved ("1. End-to-End ML Projects: Sentiment analysis API...").
        for kid in (h for h in range(len(pv)) if h != top.hit and fam[h] == top.hit):
            own_units = [i for i, u in enumerate(units) if u.hit == kid and i not in kept]
            if own_units and len(kept) < k:
                kept.append(max(own_units, key=lambda i: rel[i]))
    if len(kept) < fill_below and not top.item:
        # Still one line ("OSSU isn't focused on language-specific courses."): read on in its passage.
        kept += sorted((i for i, u in enumerate(units) if u.hit == top.hit and u.pos > top.pos and i not in kept
                        and not u.lead),
                       key=lambda i: units[i].pos)[: fill_below - len(kept)]
    picked_items = [i for i in kept if units[i].item] or [
        i for i in range(len(units)) if units[i].item and rel[i] >= best - 2 * slack]
    if asks_list(own) and picked_items:  # "list the 9 steps": the list the best picked item is from, read whole
        lead = max(picked_items, key=lambda i: rel[i])  # (a table's: then its rows in the parts after, in order)
        items = [i for i in range(len(units)) if units[i].item and units[i].hit == units[lead].hit]
        if hits and TABLE_ROW.match(units[lead].text):
            at_lead = part_order(hits[units[lead].hit].chunk)
            items += sorted((i for i in range(len(units)) if TABLE_ROW.match(units[i].text) and units[i].hit != units[lead].hit
                             and _same_section(hits, units[i].hit, units[lead].hit)
                             and part_order(hits[units[i].hit].chunk) > at_lead),
                            key=lambda i: (part_order(hits[units[i].hit].chunk), units[i].pos))
        kept += [i for i in items if i not in kept][: max(0, LIST_MAX - len(kept))]
    # "which tanenbaum books are listed?", "which need no prerequisites?": every row wanted, whatever MMR made of them
    kept += [i for i in wanted if i not in kept][: max(0, LIST_MAX - len(kept))]
    at = {(u.hit, u.pos): i for i, u in enumerate(units)}  # the unit at a place in its passage
    for i in list(kept):  # "what programmatic labeling options?": every item under the label the question names
        u = units[i]
        label = u.text.split(":", 1)[0] if u.item and ":" in u.text else ""
        stems = set(analyze(label))
        if stems and len(label) <= 80 and len(shared_stems(stems, asked)) >= min(2, len(stems)):
            kept += [j for j, v in enumerate(units) if v.item and _same_section(hits, v.hit, u.hit) and j not in kept
                     and v.text.startswith(label + ":")][: max(0, LIST_MAX - len(kept))]
    if units[kept[0]].item:  # the short list the best unit is from, mostly quoted, is quoted whole
        items = [i for i, u in enumerate(units) if u.item and u.hit == units[kept[0]].hit]
        if len(items) <= WHOLE_LIST and 2 * sum(i in kept for i in items) >= len(items):
            kept += [i for i in items if i not in kept and rel[i] > -1.0]
    heading = units[kept[0]].label
    if heading.endswith("?") and faq_match and _asks_heading(heading, own, q, embedder) >= faq_match:
        # The question is the one a FAQ entry's heading asks ("Why is the app broken?"): its answer, read whole;
        # so is one whose asking clause asks it ("done with core cs and curious about X, how do I find a course?")
        entry = sorted((i for i, u in enumerate(units) if u.hit == units[kept[0]].hit), key=lambda i: units[i].pos)
        kept += [i for i in entry if i not in kept][: max(0, LIST_MAX - len(kept))]
    for i in list(kept):  # "there are two great resources to check." is read with the list it announces,
        u = units[i]  # "See more questions in this question bank." with the list above it
        step = 1 if announces(u.text) else -1 if points_to_more(u.text) else 0
        if not u.item and step:
            run, pos = [], u.pos + step
            while (j := at.get((u.hit, pos))) is not None and units[j].item:
                run.append(j)
                pos += step
            run = run if step > 0 else run[::-1]
            kept += [j for j in run if j not in kept][: max(0, LIST_MAX - len(kept))]
    if not units[kept[0]].item and hits:  # "The most common ones include:" ends the passage: the list after it
        lead = units[kept[0]].hit
        nxt = next((h for h in range(len(pv)) if h != lead and _continues(hits[lead], hits[h])), None)
        if nxt is not None:
            items = sorted((i for i, u in enumerate(units) if u.hit == nxt and u.item), key=lambda i: units[i].pos)
            kept += [i for i in items if i not in kept][: max(0, LIST_MAX - len(kept))]
    for i in list(kept):  # a terse sentence ("No.") is read with the one after it, and so is a next step
        u = units[i]
        if not u.item and (j := at.get((u.hit, u.pos + 1))) is not None and j not in kept and (
                len(u.text) < SHORT_UNIT or (not units[j].item and _GOES_ON.match(units[j].text))):
            kept.append(j)
    if len(parts) > 1:  # "when was X founded and how big is it?": the best unit for each part
        for part, v in zip(parts, part_vecs):
            # The part's own words count twice over the whole question's: "how big is it?" alone says little.
            overlap = _overlap(part, texts, units)
            crel = sims(v) + 0.5 * own_sim + 2 * lexical_weight * overlap
            crel = np.where(rel > -1.0, crel, -np.inf)
            if (j := int(np.argmax(crel))) not in kept and np.isfinite(crel[j]):
                kept.append(j)
    for side in compared_sides(question):  # "cnn vs rnn": MMR keeps one of two alike lines; a comparison needs both
        # the side's own table row when it has one ("KTO vs DPO": the row "DPO — Data required: ..."), else any line
        own_rows = [i for i in full if side in shared_stems({side}, set(name_stems(heads[i])), shortest=5)]
        if own_rows and not any(i in kept for i in own_rows):
            kept.append(max(own_rows, key=lambda i: rel[i]))
        elif not any(_holds(units[i], side) for i in kept):
            holding = [i for i in range(len(units)) if _holds(units[i], side) and rel[i] > -1.0]
            if holding:
                kept.append(max(holding, key=lambda i: rel[i]))
    for i in list(kept):  # "Choose one of the following:" is read with the items quoted from the list it leads
        if (units[i].item or units[i].grouped) and (j := _lead_in(units, at, i)) is not None and j not in kept:
            kept.append(j)
        # "That form has annotations ...": read with the short sentence before it that names what it points at
        elif _POINTER_START.match(units[i].text) and len(units[i].context) <= POINTED_MAX and \
                (j := at.get((units[i].hit, units[i].pos - 1))) is not None and units[j].text == units[i].context \
                and j not in kept:
            kept.append(j)
    # A line ingest repeated at the start of a section's next part (the overlap), both parts picked: once.
    first: dict[str, int] = {}
    for i in kept:
        first.setdefault(units[i].text, i)
    # nor when a whole list is read: only what is not put aside (unless nothing else is left)
    kept = [i for i in first.values() if not put[i]] or list(first.values())
    return [(units[i], float(rel[i])) for i in kept]


# "what's the difference between D6 and D7?", "from D3 to D4, what changes?", "how does X compare with Y?"
_DIFFERENCE = re.compile(r"\b(?:differences?|differ|differs|different|differently|distinguish\w*|compare\w*|comparison|"
                         r"vs\.?|versus|change|changes)\b|\bfrom\s+\S+(?:\s+\S+)?\s+to\b", re.IGNORECASE)


def differing(question: str, hits: Sequence[Hit], units: Sequence[Unit]) -> list[tuple[Unit, float]]:
    """For a question on how two sections it names by number differ (the two hits `via="numbered"`), when both
    are lists sharing some items (one template, a level each): the items only one of them holds, first
    section's first. [] otherwise.

    >>> from ingest.api import Chunk
    >>> hs = [Hit(Chunk(str(i), "d", "Dev", s, ""), 0.5, via="numbered") for i, s in enumerate(["D6", "D7"])]
    >>> us = [Unit(h, i, s, t, item=True) for h, s, items in ((0, "D6", ["Creates: x", "Company: y"]),
    ...       (1, "D7", ["Creates: x", "Community: z"])) for i, t in enumerate(items)]
    >>> [u.text for u, _ in differing("what's the difference between D6 and D7?", hs, us)]
    ['Company: y', 'Community: z']
    >>> differing("what does D6 do?", hs, us)
    []
    """
    named = [i for i, h in enumerate(hits) if h.via == "numbered"]
    if len(named) != 2 or not _DIFFERENCE.search(question):
        return []
    def items(i: int) -> list[Unit]:  # a small section's items kept together are told apart again
        return [v for u in units if u.hit == i and not u.lead for v in (
            [replace(u, text=t, grouped=False, item=True, pos=u.pos + k / 100) for k, t in enumerate(u.text.split("; "))]
            if u.grouped else [u] if u.item else [])]

    a, b = items(named[0]), items(named[1])
    ta, tb = {u.text for u in a}, {u.text for u in b}
    if len(a) < 2 or len(b) < 2 or not ta & tb:
        return []
    return [(u, 1.0) for u in [*(u for u in a if u.text not in tb), *(u for u in b if u.text not in ta)]]


SIDE_ITEMS = 3  # lines quoted from each of two pages compared


def sides(question: str, hits: Sequence[Hit], units: Sequence[Unit], embedder: Embedder,
          max_items: int) -> list[tuple[Unit, float]]:
    """For a question comparing two pages it names by title, whose sections of one name lead the passages side
    by side (`via="paired"`, `Bot._titled`): the best lines of each page, picked apart (SIDE_ITEMS each), so
    neither side goes unquoted. [] otherwise."""
    docs = list(dict.fromkeys(h.chunk.doc_id for h in hits if h.via == "paired"))
    if len(docs) != 2:
        return []
    out: list[tuple[Unit, float]] = []
    for doc in docs:
        own = [u for u in units if hits[u.hit].via == "paired" and hits[u.hit].chunk.doc_id == doc]
        if not own:
            return []
        out += select(question, own, embedder, hits, k=min(SIDE_ITEMS, max_items))[:SIDE_ITEMS]
    return out


def render(picked: Sequence[tuple[Unit, float]], single_doc: bool = True) -> str:
    """A one-line lead naming the sections, then one bullet per unit with its citation.

    >>> u = Unit(0, 0, "Salary Expectations > Entry Level (0-2 years)", "Base: $100,000 - $140,000", True)
    >>> v = Unit(1, 0, "Salary Expectations > Mid Level (3-5 years)", "Base: $140,000 - $200,000", True)
    >>> print(render([(u, 0.7)]))
    From the article's section Salary Expectations > Entry Level (0-2 years):
    - Base: $100,000 - $140,000 [1]
    >>> print(render([(v, 0.6), (u, 0.7)]))
    From the article's sections Entry Level (0-2 years) and Mid Level (3-5 years):
    - Entry Level (0-2 years): Base: $100,000 - $140,000 [1]
    - Mid Level (3-5 years): Base: $140,000 - $200,000 [2]
    >>> print(render([(Unit(0, 0, "Introduction", "Permission is granted.", title="MIT License"), 0.5)]))
    From the article's section MIT License:
    - Permission is granted. [1]
    >>> print(render([(Unit(0, 0, "Split", "Core: 50%", title="Staff"), .5), (Unit(1, 0, "Split", "Core: 40%",
    ...     title="Principal"), .5)], single_doc=False))
    From the articles' section Split:
    - Staff: Core: 50% [1]
    - Principal: Core: 40% [2]
    """
    if not picked:
        return ""
    # by passage, best first; the parts of one section (ingest cut it) together, in their order
    first: dict[tuple[str, str], int] = {}
    for u, _ in picked:
        first[(u.title, u.section)] = min(first.get((u.title, u.section), u.hit), u.hit)
    ordered = sorted(picked, key=lambda p: (first[(p[0].title, p[0].section)], p[0].part, p[0].hit, p[0].pos))
    sections: list[str] = []
    for u, _ in ordered:
        if u.shown and u.shown not in sections:
            sections.append(u.shown)
    where = "the article's" if single_doc else "the articles'"
    if len(sections) == 1:
        lead = f"From {where} section {sections[0]}:"
    elif sections:
        leaves = [s.split(SECTION_SEP)[-1] for s in sections]
        lead = f"From {where} sections {', '.join(leaves[:-1])} and {leaves[-1]}:"
    else:
        lead = f"From {where} text:"
    lines = [lead]
    titles: dict[str, set[str]] = {}
    for u, _ in ordered:
        titles.setdefault(u.section, set()).add(u.title)
    for u, _ in ordered:
        body = f"{u.label}: {u.text}" if u.grouped and u.label and len(sections) > 1 else u.text
        if len(titles[u.section]) > 1 and u.title:  # one section of two pages ("Broad Indicators"): whose line
            body = f"{u.title}: {body}"
        lines.append(f"- {body} [{u.hit + 1}]")
    return "\n".join(lines)


def extractive_answer(question: str, hits: Sequence[Hit], embedder: Embedder, max_items: int = 5,
                      passages: int = PASSAGES, lambda_: float = 0.7) -> str:
    """A short answer made only of the passages' own items and sentences, with citations."""
    units = units_of(hits, passages + RESERVE)
    picked = differing(question, hits, units) or sides(question, hits, units, embedder, max_items) or select(
        question, units, embedder, hits, k=max_items, lambda_=lambda_, quoted=passages)
    return render(picked, single_doc=len({h.chunk.doc_id for h in hits[:passages]}) <= 1)
