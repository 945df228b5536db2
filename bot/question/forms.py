"""What form of answer a question asks for, and whether the passages hold one.

Some questions ask for an answer of a checkable form: what an acronym stands
for needs its expansion, a formula needs an equation, a price needs a money
figure. When the passages that would be quoted hold nothing of that form,
quoting them would answer a neighbouring question ("STAR Method" with only a
link under it, "F1 score" named but never defined), so careerbot declines and
says what the articles lack. Pure functions: they read only the question and
the passages' text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.question.entities import employer_names
from ingest.api import analyze, widen

_SMALL = frozenset("and of the for to in on a an & with or at by".split())
_STAND_FOR = re.compile(
    r"\b(?:what|wat|wht)\s*(?:does|do|'s|s|is)?\s+(?:the\s+)?(?:letters?\s+(?:in|of)\s+(?:the\s+)?)?"
    r"(?P<a>[A-Za-z][A-Za-z0-9&]{1,7})(?:\s+(?:method|framework|acronym|model|principle|rule))?\s+"
    r"(?:stand|stands)\s+for\b"
    r"|\bwhat\s+(?:do|does)\s+the\s+letters\s+(?:in|of)\s+(?:the\s+)?(?P<b>[A-Za-z][A-Za-z0-9&]{1,7})\b"
    r"|\b(?P<c>[A-Z][A-Z0-9&]{1,7})\s+(?:is\s+)?short\s+for\b"
    r"|\bwhat\s+is\s+(?P<d>[A-Z][A-Z0-9&]{1,7})\s+short\s+for\b",
    re.IGNORECASE)
_FORMULA = re.compile(r"\b(?:formulas?|formulae|equations?)\b", re.IGNORECASE)
_EQUATION = re.compile(r"=|\\frac|[×÷√∑]|\b(?:log|exp|sqrt)\s*\(|\w\s*\*\s*\w|\w\s+/\s+\w|\d\s*/\s*\d|\w\^\w"
                       r"|\bdivided by\b|\bover the sum\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'-]*")
# The user asks for questions or examples (of interview questions, say): lines that are questions then answer.
# ("if they ask me about X, what's the difference?" asks about X, not for questions)
_ASKS_QUESTIONS = re.compile(r"\bquestions?\b|(?<!\bif they )(?<!\bwhen they )\bask(?:s|ed)?\b|\bexamples?\b|\bprompts?\b"
                             r"|\bfaq\b", re.IGNORECASE)


def asks_for_questions(question: str) -> bool:
    """
    >>> asks_for_questions("what questions do they ask about transformers?"), asks_for_questions("what is a KV cache?")
    (True, False)
    >>> asks_for_questions("if they ask me about LoRA, what's the difference?")
    False
    """
    return bool(_ASKS_QUESTIONS.search(question))


def question_list(text: str, share: float = 0.6, least: int = 3) -> bool:
    """Whether a passage is a list of questions (an article's sample interview questions): at least `least` lines,
    `share` of them questions. Its words match a question's, its lines answer none.

    >>> question_list("- What is the KV cache and why does it matter?\\n- Explain RoPE.\\n- What is GQA?\\n- Why MoE?")
    True
    >>> question_list("- KV cache: caches keys/values\\n- GQA: grouped heads\\n- Why does it matter?")
    False
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return len(lines) >= least and sum(ln.rstrip(")*_ ").endswith("?") for ln in lines) >= share * len(lines)


def asked_acronym(question: str) -> str | None:
    """The acronym whose expansion the question asks for ("what does STAR stand for?"), upper case.

    >>> asked_acronym("What do the letters in the STAR method stand for?"), asked_acronym("wat does mlsd stand for")
    ('STAR', 'MLSD')
    >>> asked_acronym("what is NCE short for?"), asked_acronym("what does a data scientist do?")
    ('NCE', None)
    """
    m = _STAND_FOR.search(question)
    if not m:
        return None
    a = next(g for g in m.groups() if g)
    return a.upper() if a.lower() not in _SMALL and a.lower() not in {"it", "this", "that", "they"} else None


def _spells(words: Sequence[str], acronym: str) -> bool:
    """Whether consecutive words (small words skipped) start with the acronym's letters, in order."""
    letters = acronym.lower()
    for start in range(len(words)):
        i, j = start, 0
        while i < len(words) and j < len(letters):
            w = words[i].lower()
            if w[0] == letters[j]:
                j += 1
            elif w not in _SMALL or j == 0:
                break
            i += 1
        if j == len(letters):
            return True
    return False


def expands(acronym: str, passages: Sequence[str]) -> bool:
    """Whether a passage spells the acronym out: in running words ("Keep It Simple and Sweet") or as the first
    words of consecutive lines ("- Situation: ...", "- Task: ...").

    >>> expands("KISS", ["2. KISS (Keep It Simple and Sweet)"]), expands("STAR", ["- Situation: x\\n- Task: y\\n"
    ...     "- Action: z\\n- Result: w"])
    (True, True)
    >>> expands("STAR", ["STAR Method\\nHow to Answer Common Situational Interview Questions"])
    False

    An acronym the passages write in mixed case is spelled by its capitals ("ViViT (Video Vision Transformer)",
    "LoRA: Low-Rank Adaptation"):

    >>> expands("VIVIT", ["- Example: ViViT (Video Vision Transformer)"]), expands("LORA", ["LoRA, and more"])
    (True, False)
    """
    for text in passages:
        words = _WORD.findall(text)
        firsts = [m.group(0) for ln in text.splitlines() if (m := _WORD.search(ln))]
        for letters in _letters(acronym, words):
            if _spells(words, letters) or _spells(firsts, letters):
                return True
    return False


def _letters(acronym: str, words: Sequence[str]) -> list[str]:
    """The letters an acronym's expansion starts with: all of them, and the capitals of each mixed-case way the
    words write it ("ViViT": "VVT")."""
    mixed = {w for w in words if w.upper() == acronym.upper() and w != w.upper() and w != w.lower()}
    return list(dict.fromkeys([acronym, *("".join(c for c in w if c.isupper()) for w in sorted(mixed))]))


def asks_formula(question: str) -> bool:
    """
    >>> asks_formula("what's the formula for F1 score?"), asks_formula("which formula is best for ranking?")
    (True, True)
    >>> asks_formula("what is the 9-step ML system design formula?")
    False
    """
    if not _FORMULA.search(question):
        return False
    return not re.search(r"\d+[- ]step|\bstep\b|\bdesign formula\b|\btemplate\b", question, re.IGNORECASE)


_FOR = re.compile(r"\b(?:formulas?|formulae|equations?)\s+(?:for|of|behind|to compute|to calculate)\s+(?:the\s+|an?\s+)?"
                  r"(?P<t>[\w@/+-]+)", re.IGNORECASE)


def formula_subject(question: str) -> str | None:
    """What the formula is asked for: "the formula for F1 score" -> "F1".

    >>> formula_subject("what's the formula for F1 score in terms of precision and recall?")
    'F1'
    >>> formula_subject("which equations matter?") is None
    True
    """
    m = _FOR.search(question)
    return m.group("t") if m else None


def has_equation(passages: Sequence[str], subject: str | None = None) -> bool:
    """Whether a line of the passages is an equation (of the subject, when one is given).

    >>> has_equation(["F1 = 2 * precision * recall / (precision + recall)"]), has_equation(["F1 is a metric."])
    (True, False)
    >>> has_equation(["Precision, Recall, F1, ROC AUC, P/R AUC"], "F1")
    False
    >>> has_equation(["- F1 score\\nCE = - sum(y * log(p))"], "F1")
    False
    """
    for p in passages:
        for line in p.splitlines():
            if _EQUATION.search(line) and (subject is None or re.search(rf"(?i)(?<!\w){re.escape(subject)}(?!\w)", line)):
                return True
    return False


_ASKS_PRICE = re.compile(
    r"\bhow much (?:does|do|is|are|will|would|did)\b.{0,80}?\b(?:cost|costs|charge|charges|set (?:me|you) back)\b"
    r"|\bwhat(?:'s| is| are| does)? (?:the )?(?:price|cost|fee|fees)\b|\bhow much money\b"
    r"|\bhow much (?:should|can|could|do|would) (?:i|we|you) (?:ask|negotiate|charge|request)\b"
    r"|\bhow much (?:is|are|does|do)\b.{0,60}?\b(?:per|a|an|each)\s+(?:month|year|week|course|seat|user|licen[cs]e)\b"
    r"|\b(?:amount|how much)\b.{0,60}?\b(?:cover|covers|covered|reimburs\w*|subsidi[sz]\w*)\b",
    re.IGNORECASE)
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|rupees?)\b"
                    r"|\bfree\b|\bno cost\b|\bcosts? nothing\b", re.IGNORECASE)


def asks_price(question: str) -> bool:
    """
    >>> asks_price("How much does the certificate for the course cost?"), asks_price("what's the price of it?")
    (True, True)
    >>> asks_price("Is a master's degree worth the cost?"), asks_price("how much do ML engineers make?")
    (False, False)
    >>> asks_price("What's the maximum monthly amount the subsidy will cover?"), asks_price("how much is reimbursed?")
    (True, True)
    """
    return bool(_ASKS_PRICE.search(question))


_MONEY = re.compile(r"[$€£¥₹]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|rupees?)\b", re.IGNORECASE)
_PAID = re.compile(r"\b(?:paid|pay|purchase|buy|charges?|costs? money|not free)\b", re.IGNORECASE)
_FREE_OF = re.compile(r"\bfree\s+([a-z][\w-]*)", re.IGNORECASE)
# "free" said of the thing itself: "is free", "for free", "free to audit", "free of charge", "free." at the end
_FREE_SAID = re.compile(r"\bfree\s+(?:to|of|for|with|and|or|if|when|on|in|at)\b|\bfree\s*(?:[.,;:!)]|$)|\bno cost\b"
                        r"|\bcosts? nothing\b", re.IGNORECASE)
_ASKS_PAY = re.compile(r"\b(?:salar(?:y|ies)|compensation|total comp|earn(?:s|ing|ings)?|wages?|income"
                       r"|(?:get|gets|getting|well|highly|better|poorly)\s+paid(?!\s+(?:out|back)\b)"
                       r"|(?:the|their|starting|average|typical|base|entry)\s+pay)\b", re.IGNORECASE)


# Earning a degree or a certificate is no pay ("can I earn a recognized degree from X?").
EARNS_CREDENTIAL = re.compile(r"\bearn(?:s|ed|ing)?\s+(?:(?:a|an|the|my|your|any|some)\s+)?(?:[\w-]+\s+){0,2}?"
                              r"(?:degrees?|certificates?|certifications?|credentials?|diplomas?|credits?|badges?"
                              r"|qualifications?)\b", re.IGNORECASE)


def asks_pay(question: str) -> bool:
    """A question about pay, which a money figure answers (`bot.question.query.searched` marks "make" with
    "(salary)").

    >>> asks_pay("how much do ml engineers make (salary)"), asks_pay("what do seniors earn in berlin?")
    (True, True)
    >>> asks_pay("how much math do I need?"), asks_pay("do I have to pay for the verified upgrade?")
    (False, False)
    >>> asks_pay("I want to start earn money. Is a masters worth it?"), asks_pay("new grads? base + total (salary)")
    (False, True)
    >>> asks_pay("can I earn a recognized degree from them?"), asks_pay("when does that get paid out?")
    (False, False)
    """
    question = EARNS_CREDENTIAL.sub(" ", question)
    # Not in a sentence that only tells: "I also want to start earning money. Is a master's worth it?" asks
    # about worth.
    return any(_ASKS_PAY.search(sent) and not sent.rstrip().endswith((".", "!"))
               for sent in re.split(r"(?<=[.!?])\s+", question))


# the thing a price is asked of: "how much money do I get in my training budget?": "my training budget"
# the thing a figure is asked of, after the words asking it: "how much money do I get in my training budget?": "my
# training budget"; "how often do I update my IDP?": "my IDP"; "what day of the week does my paycheck come?": "my
# paycheck" (not "the week")
_ASKED_OF = {
    "a price": r"how\s+much|price|cost|fee|amount",
    "a frequency": r"how\s+(?:often|frequently)",
    "a date": r"when|what\s+(?:day|date)|deadline|due",
}
_THING_OF = (r"\b(?:the|my|your|our|their)\s+(?P<t>[a-z][\w'-]*(?:\s+(?!(?:for|of|in|on|to|at|per|each|a|an|the|will|"
             r"would|can|could|does|do|is|are|cost|costs|and|or|if|when|due|hit|come|get|start)\b)[a-z][\w'-]*){0,2})")
_NOT_THINGS = frozenset(analyze("month year week day time money total maximum minimum"))
_POINTS_AT = re.compile(r"(?:^|[.;:!]\s+)(?:[-*]\s+)?(?:it|its|this|they|these|those)\b", re.IGNORECASE)


def asked_head(question: str, form: str = "a price") -> str | None:
    """The stem of the head word of the thing a figure of the form is asked of, or None.

    >>> asked_head("how much money do i get in my training budget each year?")
    'budget'
    >>> asked_head("What's the maximum monthly amount the transit subsidy will cover?")
    'subsidi'
    >>> asked_head("how much does it cost?"), asked_head("how much is it per month?")
    (None, None)
    >>> asked_head("what day of the week does my paycheck hit my account?", "a date")
    'paycheck'
    >>> asked_head("how often am i supposed to update my IDP?", "a frequency")
    'idp'
    """
    lead = re.search(rf"\b(?:{_ASKED_OF[form]})\b", question, re.IGNORECASE)
    if lead is None:
        return None
    for m in re.finditer(_THING_OF, question[lead.end():lead.end() + 80], re.IGNORECASE):
        if (stems := analyze(m.group("t"))) and stems[-1] not in _NOT_THINGS:
            return stems[-1]
    return None


def _names_thing(question: str, form: str, titles: str) -> Callable[[str], bool]:
    """Whether a line may hold the form's figure for the thing asked: it names it, or points at it ("It costs
    $49"); any line when no thing is asked of or the sections quoted name it."""
    head = asked_head(question, form)
    if head is None or head in analyze(titles):
        return lambda line: True
    return lambda line: head in analyze(line) or bool(_POINTS_AT.search(line))


def has_price(passages: Sequence[str], question: str | None = None, titles: str = "") -> bool:
    """A money figure (or "free") in a line that is not itself a question.

    With the `question`, "free" counts only where it is said of what is asked: not beside a paid part ("free
    but with some paid add-ons, like certificates"), nor of another thing ("options for free resources"
    when a plan's price is asked).

    >>> has_price(["Are Coursera courses free to access?\\nShort answer: No."]), has_price(["- Fee: $49 a month"])
    (False, True)
    >>> q = "how much does the verified certificate cost?"
    >>> has_price(["Materials are free but with some paid add-ons, like certificates."], q)
    False
    >>> has_price(["We review options for free resources."], "how much is the plus plan per month?")
    False
    >>> has_price(["The certificate is free for students."], q), has_price(["Audit it for free."], q)
    (True, True)
    >>> q = "how much money do I get in my training budget?"
    >>> has_price(["Training that costs less than $2,500"], q), has_price(["Your budget is $1,000 a year."], q)
    (False, True)
    """
    asked = set(analyze(question)) if question is not None else set()
    # the thing priced ("my training budget"): "Training that costs less than $2,500" prices no budget
    names_it = _names_thing(question, "a price", titles) if question is not None else None
    for p in passages:
        for line in p.splitlines():
            if line.rstrip().endswith("?") or not _PRICE.search(line):
                continue
            if names_it is None:
                return True
            if _MONEY.search(line):
                if names_it(line):
                    return True
                continue
            if _PAID.search(line):
                continue
            for m in _FREE_OF.finditer(line):  # "free resources": free is said of the resources
                if set(analyze(m.group(1))) & asked:
                    return True
            if _FREE_SAID.search(line):
                return True
    return False


_ASKS_YEAR = re.compile(
    r"\b(?:what|which|wat)\s+year\b|\bin\s+what\s+year\b"
    r"|\bwhen\s+(?:was|were|did)\b.{0,60}?\b(?:founded|found|started|start|created|create|launched|launch|"
    r"established|begun|began|begin|born|released|release)\b"
    r"|\b(?:release|launch|publication|publishing)\s+date\b"
    r"|\bwhen\s+(?:will|is|does)\b.{0,60}?\b(?:released?|come out|launch(?:ed)?|publish(?:ed)?)\b", re.IGNORECASE)
# not in a name: "CS2023", "CS 2013" (an acronym and a space before it)
_YEAR = re.compile(r"(?<![\d,.$A-Za-z])(?<![A-Z]{2} )(?:1[89]\d\d|20\d\d)(?!\d|,\d)")


def asks_year(question: str) -> bool:
    """
    >>> asks_year("What year was OSSU founded?"), asks_year("when was the guide started?")
    (True, True)
    >>> asks_year("what's the exact release date of the new edition?"), asks_year("when will CS2023 come out?")
    (True, True)
    >>> asks_year("how many years of experience do I need?"), asks_year("when should I start applying?")
    (False, False)
    """
    return bool(_ASKS_YEAR.search(question))


def has_year(passages: Sequence[str]) -> bool:
    """
    >>> has_year(["In July of 2025, Coursera removed audit access."]), has_year(["Base: $2,000 a month"])
    (True, False)
    >>> has_year(["The CS2023 is currently under development."]), has_year(["Match the standards of CS 2013."])
    (False, False)
    >>> has_year(["OSSU was started in July 2014 by Eric."])
    True
    """
    return any(_YEAR.search(p) for p in passages)


_A_COUNT = re.compile(r"(?<![^\W\d_])\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|"
                      r"hundreds?|thousands?|couple|single|once|twice)\b", re.I)
# A person asked for by role ("who are the instructors", "the friend ..., what's his name?")
# office roles too: "who is the Training & Events Lead right now?", "the name of my HR specialist"
_ROLES = (r"instructors?|teachers?|professors?|lecturers?|authors?|founders?|friend|creators?|maintainers?|organi[sz]ers?|"
          r"moderators?|admins?|leads?|managers?|specialists?|coordinators?|directors?|supervisors?|contacts?|officers?|"
          r"ceo|cto|cfo|coo|president|chair(?:man|woman|person)?|owners?|head")
_ASKS_NAME = re.compile(rf"\bwho(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:the\s+|my\s+|our\s+)?(?:[\w&-]+\s+){{0,3}}(?P<role>{_ROLES})\b"
                        r"|\bwhat(?:'s|s| is)\s+(?:his|her|their)\s+names?\b"
                        rf"|\bnames?\s+of\s+(?:the|my|our|your)\s+(?:[\w&-]+\s+){{0,3}}(?P<role2>{_ROLES})\b", re.I)
_WHO_WROTE = re.compile(r"\bwho\s+(?:wrote|authored|made|created|teaches|taught)\b", re.I)
# ... and a line naming one as articles name people (not "from": "From First Principles"): "by Eric Douglas", "Author(s): Fred Brooks", "Andrew Ng's
# Machine Learning Specialization", or a list item "- Mara Quell: founder" (`names_person` reads its role)
_BY_NAME = re.compile(r"\b(?:by|with|Author\(s\):|Authors?:|Instructors?:|Teachers?:|Taught by)\s+(?:Dr\.?\s+|"
                      r"Prof\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)*\s+[A-Z][\w'-]+"
                      rf"|\b[A-Z][a-z]+\s+(?!(?i:{_ROLES})['’])[A-Z][a-z]+['’]s\b")  # not "the Events Lead's"
_NAME_COLON = re.compile(r"^\W*[A-Z][a-z]+(?:\s+[A-Z]\.)*\s+[A-Z][\w'-]+\s*:(?P<role>.*)")
_NAMES_PERSON = re.compile(f"{_BY_NAME.pattern}|{_NAME_COLON.pattern}")


def names_person(question: str, line: str) -> bool:
    """Whether the line names a person the way articles do, in the role the question asks for when it names one
    and the line is a list of people ("- Eric Douglas: founder of OSSU" is no moderator).

    >>> names_person("who is the founder?", "- Mara Quell: founder of the studio")
    True
    >>> names_person("who are the moderators on the discord?", "- Mara Quell: founder of the studio")
    False
    >>> names_person("who wrote it?", "The Kiln Book: by Frederick Olsen.")
    True
    >>> names_person("who is the Events Lead?", "After the Events Lead's approval, a card holder pays.")
    False
    """
    if _BY_NAME.search(line):
        return True
    # a table row's header is a title, not a person ("Operating Systems: Three Easy Pieces — Duration: ...")
    m = None if TABLE_ROW.match(line) else _NAME_COLON.match(line)
    asks = _ASKS_NAME.search(question)
    if not m:
        return False
    role = asks and (asks.group("role") or asks.group("role2"))
    return not role or bool(shared_stems(set(analyze(role)), set(analyze(m.group("role"))), shortest=4))


# A day of a month: "July 4", "4th of July", "2026-07-04", "4/7/26"
_DAY = (r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:of\s+)?\d"
        r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
        r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
# Simple forms: (what the user is told is missing, the question asks for it, a line holds one).
FORMS: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("a complexity", re.compile(r"\b(?:time|space|computational|big[- ]o)\s+complexity\b|\bbig[- ]o\b", re.I),
     re.compile(r"\bO\s?\(|\b(?:linear|quadratic|logarithmic|exponential|constant) time\b", re.I)),
    ("a version", re.compile(r"\b(?:which|what)\s+(?:[\w.+#-]+\s+){0,2}versions?\b", re.I),
     re.compile(r"\b\d+\.\d+\b|\bv\d+\b|\bversions?\s+\d", re.I)),
    ("a score", re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?(?:score|grade|mark|percentage)\s+(?:do|does|is|should|must|to|"
                r"would)\b|\bpass(?:ing)?\s+(?:mark|score|grade)\b", re.I),
     re.compile(r"\d\s?%|\b\d{1,3}\s?/\s?\d{1,3}\b|\b(?:score|grade|mark)\s+(?:of\s+)?(?:at least\s+)?\d", re.I)),  # not "2015/2019"
    # a variable's value: "what k value...?", "a good value of k"
    ("a value", re.compile(r"\b(?:what|which)\s+(?:(?:good|best|typical|default)\s+)?(?:[a-z]|[a-z]+-[a-z])\s+values?\b"
                           r"|\bvalues?\s+(?:of|for)\s+[a-z]\b(?!['-])", re.I),
     re.compile(r"\d")),
    # a share: "what percent of users", "what percentage of traffic", "what exact train/test split percentages"
    ("a percentage", re.compile(r"\b(?:what|which)\s+(?:[\w/-]+\s+){0,3}?(?:percent|percentages?|proportions?|fractions?)\b"
                                r"|\b(?:what|which)\s+share\b", re.I),
     re.compile(r"\d\s?%|\bpercent|\b(?:half|a third|a quarter|\d+\s*/\s*\d+)\b", re.I)),
    # a setting's value: "what dropout rate should I use", "what LoRA rank", "what chunk size in tokens"
    ("a value", re.compile(r"\b(?:what|which)\s+(?:[\w-]+\s+){0,2}(?:rate|rank|size|threshold|cut-?off|ratio|temperature|"
                           r"dimension|dimensionality)\s+(?:value\s+)?(?:in\s+\w+\s+)?(?:do|does|did|should|would|is|"
                           r"to|works?|for|value|and)\b", re.I),
     re.compile(r"(?<![A-Za-z\d])\d")),  # not "Seq2seq", "BM25"
    # a person asked for by role ("who are the instructors", "the friend ..., what's his name?"): a line naming one
    # as people are named in articles ("by Eric Douglas", "Author(s): Fred Brooks", "- Mara Quell: founder")
    ("a name", _ASKS_NAME, _NAMES_PERSON),
    # interview questions asked for: "some actual example questions from a depth interview": a line that asks one
    ("example questions", re.compile(r"\b(?:example|sample|actual|real|typical|common|practice)\s+(?:interview\s+)?"
                                     r"questions\b|\bwhat\s+questions\s+(?:do|does|did|will|would|might|could|should)\b",
                                     re.I),
     re.compile(r"\?\s*(?:\(|$)|^(?:[-*]\s+)?(?:tell me|describe|explain|walk me|how would|how do you|design|implement|"
                r"compare|why|what|give an example)\b", re.I | re.M)),
    # contact details: "what's the email address for the team?", "a phone number to call"
    ("an email address", re.compile(r"\be-?mail\s+(?:address|addy)\b|\b(?:what|which)(?:'s|s| is)?\s+(?:the\s+|their\s+|"
                                    r"an?\s+)?(?:[\w-]+\s+){0,2}e-?mail\b(?!\s+(?:list|newsletter))", re.I),
     re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\b[\w.+-]+\s*(?:\[at\]|\(at\))\s*[\w-]+", re.I)),
    ("a phone number", re.compile(r"\b(?:phone|telephone)\s+(?:number|no\.?)\b", re.I),
     re.compile(r"\+?\d[\d ()-]{6,}\d")),
    # a day, not a year: "the exact release date", "on what day"
    ("a date", re.compile(r"\b(?:exact|precise|specific)\s+(?:[\w-]+\s+)?(?:date|day)\b|\b(?:what|which)\s+(?:date|day)\b"
                          r"|\bon\s+what\s+day\b"
                          r"|\bwhen\s+(?:does|do|will|is)\s+(?:the\s+)?next\b.{0,60}?\b(?:start|begin|open|run|launch)", re.I),
     re.compile(rf"{_DAY}|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.I)),
    # a deadline: "is there a deadline for submitting it?", "when is the due date?": a date, or the deadline told of
    ("a date", re.compile(r"\b(?:is\s+there|are\s+there|what(?:'s|s|\s+is|\s+are)?)\s+(?:a\s+|any\s+|the\s+)?(?:[\w-]+\s+)?"
                          r"(?:deadlines?|due\s+dates?)\b|\bwhen\s+(?:is|are)\s+(?:the\s+|it\s+|my\s+|our\s+|your\s+)?"
                          r"(?:[\w-]+\s+){0,3}(?:deadline|due)\b", re.I),
     re.compile(rf"{_DAY}|\bdeadlines?\b|\bdue\s+(?:by|on|date)\b|\bno\s+later\s+than\b"
                r"|\bwithin\s+(?:\d|an?\s+(?:year|month|week|day)|(?:one|two|three|four|five|six|twelve)\s)"
                r"|\bup\s+to\s+(?:\d+|an?|one|two|three|four|five|six|twelve)\s+(?:year|month|week|day)s?\s+(?:after|from)\b"
                r"|\b(?:self-paced|any\s+time|at\s+your\s+own\s+pace)\b", re.I)),
    # a frequency: "how often do I get a step increase?": a line saying how often ("every 2 years", "once a year")
    ("a frequency", re.compile(r"\bhow\s+(?:often|frequently)\b", re.I),
     re.compile(r"\b(?:every|each|per|once|twice|(?:two|three|four|\d+)\s+times)\s+(?:an?\s+|other\s+|\d+\s+|two\s+|three\s+"
                r"|few\s+)?(?:day|week|month|quarter|year|pay\s+period|season|semester|term|cycle)s?\b"
                r"|(?<!within )\ban?\s+(?:day|week|month|quarter|year)\b"
                r"|\b(?:hourly|daily|weekly|monthly|quarterly|yearly|annually|biweekly|regularly)\b", re.I)),
    # a count: not a year ("the 2013 report"), a label's number ("Chapters 3 and 4") or a vague "a few" (`counts`)
    ("a number", re.compile(r"\bhow many\b|\bwhat(?:'s|s| is| was)?\s+the\s+number\s+of\b|\bin\s+(?:the\s+)?number\s+of\b",
                            re.I), _A_COUNT),
)
# What a count's line is read without: years, and the numbers of labels ("Chapter 3", "Part II", "Step 2 and 3")
_NOT_COUNTS = re.compile(r"(?<![\d,.$A-Za-z])(?:1[89]\d\d|20\d\d)(?!\d|,\d)"
                         r"|\b(?:chapters?|sections?|steps?|parts?|figures?|tables?|pages?|modules?|lectures?|units?|"
                         r"versions?|levels?|tiers?|phases?|weeks?\s+\d+\s*-)\s+\d+(?:\s*(?:,|and|&|-|to)\s*\d+)*", re.I)
_COUNTED = re.compile(r"\b(?:how many|number of)\s+((?:[\w'/-]+\s*){1,5})", re.I)
_NOT_COUNTED = frozenset("are is was were do does did should shall can could will would have has had in on of to for per "
                         "a an the at i you we they he she it there".split())
_NUMBER = (r"(?:\d[\d,.]*[kKmMbB]?(?:\s*(?:-|–|to)\s*\d[\d,.]*[kKmMbB]?)?\+?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
           r"twelve|dozens?|hundreds?|thousands?|a couple|both|single)")


_WHICH_ONES = re.compile(r"\b(?:which|what)\s+(?:ones?|are they|were they)\b|\b(?:list|name)\s+them\b", re.I)
TABLE_ROW = re.compile(r"^[^—\n]{2,80} — [^:;\n]{1,40}: ")  # "Calculus 1B — Duration: 13 weeks; ..." (ingest's rows)


def counted(question: str) -> str | None:
    """The last word of what a "how many" question counts.

    >>> counted("how many knowledge areas does the report define?"), counted("how many hrs per week for it?")
    ('areas', 'hrs')
    >>> counted("how many onsite rounds are in the loop?"), counted("what is it?")
    ('rounds', None)
    >>> counted("how many members share the room?"), counted("how many people use it?")
    ('members', 'people')
    >>> counted("how many algo / data structures rounds do I get?")
    'rounds'
    """
    words = counted_words(question)
    # the last plural ("algo / data structures rounds", "members share"), else the first word ("people")
    return next((w for w in reversed(words) if w.endswith("s") and len(w) > 2), words[0] if words else None)


def counted_words(question: str) -> list[str]:
    """The words of what a "how many" question counts.

    >>> counted_words("how many credit hours is it worth?")
    ['credit', 'hours']
    """
    m = _COUNTED.search(question)
    words = []
    for w in (m.group(1).lower().split() if m else []):
        if w in _NOT_COUNTED:
            break
        words.append(w.strip("?,.!"))
    return words


def _unit_kind(question: str, head: str) -> str | None:
    """The word naming the kind of a unit counted ("credit" of "how many credit hours"), or None.

    >>> _unit_kind("how many credit hours is it?", "hours"), _unit_kind("how many hours a week?", "hours")
    ('credit', None)
    """
    words = counted_words(question)
    at = next((i for i, w in enumerate(words) if _UNITS.get(w, w) == head), -1)
    before = words[at - 1] if at > 0 else ""
    return before if before.isalpha() and len(before) > 2 and before not in _MEASURES else None


def shared_stems(stems: set[str], asked: set[str], shortest: int = 3) -> set[str]:
    """The stems both name, one word shortening the other counting ("nets" ~ "networks"; both `shortest` long).

    >>> sorted(shared_stems(set(analyze("Neural networks")), set(analyze("for neural nets, what should I code?"))))
    ['network', 'neural']
    """
    return {s for s in stems if any(a == s or (min(len(a), len(s)) >= shortest and (s.startswith(a) or a.startswith(s)))
                                    for a in asked)}


def names_row(question: str, line: str, whole: bool = False) -> bool:
    """Whether the line is a table row (`Row — Column: cell; ...`) whose header the question names: every word
    of a short header, two or more and half of a long one, a word shortening another counting ("intro").

    >>> names_row("how many hours a week for the intro to haskell course?", "Introduction to Haskell — Duration: 14 weeks")
    True
    >>> names_row("how many hours a week for the intro to haskell course?", "Compilers — Effort: 6-8 hours/week")
    False
    """
    if not TABLE_ROW.match(line):
        return False
    stems = set(analyze(line.split(" — ", 1)[0]))
    named = shared_stems(stems, set(analyze(question)), shortest=4)
    return bool(stems) and (named == stems or (not whole and len(named) >= 2 and 2 * len(named) >= len(stems)))


# Units a count may be asked in: its number must stand by the unit ("45 minutes", "300 pages")
_MEASURES = frozenset("seconds minutes hours days weeks months years pages words lines".split())
_UNITS = {"hrs": "hours", "hr": "hours", "wks": "weeks", "wk": "weeks", "mins": "minutes", "yrs": "years",
          "yr": "years"}


_ORG_COUNT = re.compile(r"\bhow\s+many\s+(?:[\w-]+\s+){0,2}?(?:people|employees|engineers|staff|members|developers|"
                        r"workers|managers)\s+(?:does|do|did)\s+(?!(?:the|it|they|you|we|i|a|an|this|that)\b)"
                        r"(?P<p>[a-z][\w.&-]*)\s+(?:have|has|employ|hire)\b", re.I)


def counts(question: str, lines: Sequence[str], near: bool = True, titles: str = "", strict: bool = False) -> bool:
    """Whether the lines hold a count for the "how many" question: a number (not a year nor a label's number, as
    in "Chapters 3 and 4") right before the thing counted when a line names it ("two rounds of coding"), else
    any such number (`near=False`: any such number; `strict`: only beside the thing counted). A count asked of
    an employer ("amazon's loop") is read only from lines naming it. Lines under a section title naming the thing counted
    (`titles`: "Programming Languages" for "how many languages?") list it: the list answers.

    >>> counts("how many rounds are there?", ["There are one or two rounds of coding.", "See Chapter 3."])
    True
    >>> counts("how many knowledge areas are there?", ["It outlines Knowledge Areas.", "Core: the first three years"])
    False
    >>> counts("how many hrs a week?", ["Effort: 6-8 hours/week"]), counts("how many hrs/wk?", ["Effort: 15 hours/week"])
    (True, True)
    >>> counts("how many hrs a week?", ["Intro — Duration: 14 weeks"], strict=True)
    False
    >>> counts("how many credit hours is the core?", ["Core — Effort: 6-8 hours/week"])
    False
    >>> counts("how many vacation hours can I carry over?", ["Carry over up to 240 annual leave hours."])
    True
    >>> counts("how many pages is it?", ["Think Python 2e — Author(s): Downey", "SICP 2e — Author(s): Abelson"])
    False
    >>> counts("how many rounds are in amazon's loop?", ["There are one or two rounds of coding."])
    False
    >>> counts("how many engineers does acme have right now?", ["You mentor 1-3 engineers at Acme."]), counts(
    ...     "how many engineers does acme have?", ["You mentor 1-3 engineers.", "Acme builds clouds."])
    (True, False)
    >>> counts("how many Tanenbaum books are listed, and which ones?", ["Modern Operating Systems — Author(s): "
    ...        "Andrew S. Tanenbaum", "Books: 3 shelves of them"])
    True
    >>> counts("how many languages should I learn?", ["Python (Essential)", "SQL"], titles="Programming Languages")
    True
    >>> counts("how many parameters does the π0 model have?", ["π0: flow-matching action expert; ~50 Hz control",
    ...        "SFT — Data required: demos; Extra models needed: none", "ORPO — Use when: merge SFT into one stage"])
    False
    >>> counts("how many calc classes are there?", ["Calc 1A — Duration: 13 weeks", "Calc 1B — Duration: 9 weeks",
    ...                                            "Core CS: taking classes all majors take"])
    True
    """
    head = counted(question)
    head = head.split("/")[0] if head else head  # "how many hrs/wk?": hours
    head = _UNITS.get(head, head) if head else head
    strict = strict or head in _MEASURES  # "how many minutes is the round?": "45 questions" is no answer
    rows = [row.split(" — ", 1)[0] for ln in lines for row in ln.splitlines() if TABLE_ROW.match(row)]
    if near and not strict and len(rows) >= 2 and shared_stems(set(analyze(" ".join(rows))), set(analyze(question)),
                                                               shortest=4):
        return True  # the rows of a table the question names something of ("how many calc classes?"): listed
    if near and _WHICH_ONES.search(question) and sum(len(ln.splitlines()) for ln in lines) >= 2:
        return True  # "how many ..., and which ones?": a list answers
    near = near and not _WHICH_ONES.search(question)
    read = [_NOT_COUNTS.sub(" ", ln) for ln in lines]
    org = _ORG_COUNT.search(question)  # "how many engineers does acme have?": a headcount of theirs
    if near and (who := employer_names(question) or ([org.group("p")] if org else [])):  # "amazon's loop": theirs
        read = [ln for ln in read if any(re.search(rf"(?i)(?<!\w){re.escape(w)}(?!\w)", ln) for w in who)]
    stem = head[:-1] if head and head.endswith("s") and len(head) > 3 else head
    kind = _unit_kind(question, head) if head in _MEASURES else None
    # the kind in the user's words or the articles' ("vacation hours": "annual leave hours"; `ingest.api.widen`)
    if kind and not any(shared_stems(set(widen(analyze(kind))), set(analyze(ln)), shortest=4) for ln in read):
        return False  # "how many credit hours?": hours of another kind ("4-8 hours/week") do not answer
    if near and stem and len(stem) >= 3:
        named = re.compile(rf"(?<![\w-]){re.escape(stem)}\w*", re.I)
        if named.search(titles):
            return True
        if strict or any(named.search(ln) for ln in read):
            close = re.compile(rf"(?<![\w.]){_NUMBER}(?:\s+[\w/-]+){{0,3}}?\s+{re.escape(stem)}\w*"
                              rf"|(?<![\w-]){re.escape(stem)}\w*\s*(?::|of|=)\s*(?:about\s+|around\s+)?{_NUMBER}", re.I)
            return any(close.search(ln) for ln in read)
    if near and head and head not in _MEASURES:  # "~50 Hz", "10-12 hours/week": a measure, no count of what is asked
        read = [_MEASURED.sub(" ", ln) for ln in read]
    # the thing counted named nowhere: "into one stage", "one of the best" count nothing asked (a list asked for
    # with it, "how many ..., and what are they?", is answered by the list)
    return any(not near or m.group(0).lower() not in ("one", "single", "once") for ln in read for m in _A_COUNT.finditer(ln))


# A number with its unit of measure: a rate, a size, a share, a time
_MEASURED = re.compile(r"~?\d[\d,.]*\s*(?:-|–|to)?\s*\d*[\d,.]*\s*(?:k?hz|ms|%|percent|seconds?|secs?|minutes?|mins?|hours?|hrs?|"
                       r"days?|weeks?|wks?|months?|years?|yrs?|[kmgt]b|fps)(?:/\w+)?\b", re.I)


# "how long does financial aid take to get approved?": a duration, of the thing asked about
_ASKS_DURATION = re.compile(r"\bhow\s+long\s+(?:does|do|did|will|would|should|can|could)\s+(?P<subj>.{2,60}?)\s+"
                            r"(?:take|last|run|need)\b", re.I)
_DURATION = re.compile(rf"(?<![\w.]){_NUMBER}\s*(?:\w+\s+)?(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|"
                       rf"months?|years?|yrs?|semesters?|quarters?)\b|\b(?:self-paced|overnight|instantly|immediately)\b"
                       rf"|\b(?:a|an|one)\s+(?:day|week|month|year|hour|semester)\b", re.I)
_NOT_SUBJECT = frozenset("it this that they them these those i you we one ones".split())


def lacks_duration(question: str, passages: Sequence[str], titles: str = "", headed: bool = True) -> bool:
    """Whether "how long does X take?" finds no duration in the passages, in a line naming X or under a section
    title naming it (a passage's first line when `headed`, or `titles`) when X is named: the curriculum's "about 2 years" is
    not how long financial aid takes. "how long does it take?", "that whole path": any duration answers.

    >>> lacks_duration("how long does financial aid take to get approved?", ["Summary\\nBoth offer financial aid.\\n"
    ...                "It is possible to finish within about 2 years."])
    True
    >>> lacks_duration("how long does the intro course take?", ["Intro\\nIntroduction to CS — Duration: 14 weeks"])
    False
    >>> lacks_duration("how long does the self taught route take?", ["Self-Taught Path\\n- 6-12 months for skills"])
    False
    >>> lacks_duration("how long does it take?", ["Plan for about 2 years."]), lacks_duration("how big is it?", [])
    (False, False)
    """
    m = _ASKS_DURATION.search(question)
    if not m:
        return False
    subject = _WORD.findall(m.group("subj").lower())
    stems = set() if set(subject) & _NOT_SUBJECT else set(analyze(" ".join(subject)))

    def names(text: str) -> bool:
        return not stems or bool(text and shared_stems(set(analyze(text)), stems, shortest=4))

    for p in passages:
        head = p.split("\n", 1)[0] if headed else ""
        if any(_DURATION.search(ln) and (names(ln) or names(head) or names(titles)) for ln in p.splitlines()):
            return False
    return True


# "how do you actually solve X?", "what's the algorithm?", "how does X work?": an explanation asked for
_ASKS_HOW = re.compile(r"\bhow\s+(?:do|does|would|can|could|should|to)\s+(?:(?:you|u|i|we|one|they)\s+)?(?:actually\s+)?"
                       r"(?:solve|implement|code|approach|compute|calculate|calc)\b"
                       r"|\bwhat(?:'s|s|\s+is)\s+the\s+(?:algorithm|approach|solution|intuition|trick)\b"
                       r"|\bhow\s+(?:does|do)\s+(?:the\s+)?[\w' -]{2,40}?\s+work\b", re.I)
_LABEL = re.compile(r"^[^:;]{1,40}:\s+(?=\S)")
_LINKS = re.compile(r"\s*\([^()]*\)")
BARE_WORDS = 5  # an item this short is a name, not an explanation
EXPLAINS = 4  # ... and a line naming it with this many words of its own besides says something of it


def _explains(line: str, said: re.Pattern[str], stems: set[str]) -> bool:
    """Whether the line names the thing and says more of it: words of its own, not a list of names."""
    rest = set(analyze(said.sub(" ", _LABEL.sub("", line)))) - stems
    return bool(said.search(line)) and ";" not in line and len(rest) >= EXPLAINS


def only_named(question: str, passages: Sequence[str], headed: bool = True) -> str | None:
    """The thing the question asks to have explained ("how do you solve the triangle closing problem?") that the
    passages only name, as a bare item of a list ("Other: Random int in range; Triangle closing; Meeting
    point") and no section is about (a passage's first line when `headed`), or None.

    >>> only_named("how do you actually solve the 'triangle closing' problem?", ["Coding\\n- Other: Random int in range "
    ...            "(link1, link2); Triangle closing; Meeting point"])
    'Triangle closing'
    >>> only_named("how does reservoir sampling work?", ["- reservoir sampling", "Reservoir sampling keeps k items "
    ...            "chosen uniformly from a stream of unknown length."]) is None
    True
    >>> only_named("is triangle closing on the list?", ["- Other: Triangle closing; Meeting point"]) is None
    True
    >>> only_named("how do you compute mean reciprocal rank?", ["Metrics\\n- Ranking: Mean Reciprocal Rank; nDCG",
    ...            "Mean Reciprocal Rank (MRR)\\n- Definition: the mean of 1 / rank of the first relevant item"]) is None
    True
    """
    if not _ASKS_HOW.search(question):
        return None
    asked = set(analyze(question))
    lines = [re.sub(r"^[-*•]\s+", "", ln.strip()) for p in passages for ln in p.splitlines() if ln.strip()]
    heads = " ".join(p.split("\n", 1)[0] for p in passages) if headed else ""  # a section about it explains it
    for line in lines:
        for item in _LABEL.sub("", line).split(";"):
            item = _LINKS.sub("", item).strip(" .")
            stems = set(analyze(item))
            if not (2 <= len(stems) and len(item.split()) <= BARE_WORDS and stems <= asked):
                continue
            said = re.compile(rf"(?i)(?<!\w){re.escape(item)}(?!\w)")
            if not said.search(heads) and not any(_explains(ln, said, stems) for ln in lines):
                return item
    return None


# "..., 5 or 10?": two numbers to choose between, as the question's last words ("need 2 or 3 project ideas" is a count)
_NUMBER_CHOICE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:or|vs\.?|versus)\s*(\d+(?:\.\d+)?)\s*\?+\s*$")


def missing_form(question: str, passages: Sequence[str], pay: bool = True, quoted: bool = False,
                 titles: str = "") -> str | None:
    """What the question asks for that the passages lack, in words for the user, or None (`pay=False`: pay
    figures are not asked of these passages).

    >>> missing_form("What does STAR stand for?", ["STAR Method\\nHow to answer situational questions"])
    'what STAR stands for'
    >>> missing_form("what's the formula for F1 score?", ["F1 score balances precision and recall."])
    'a formula'
    >>> missing_form("What does KISS stand for?", ["KISS (Keep It Simple and Sweet)"]) is None
    True
    >>> missing_form("what's the time complexity of k-means?", ["Computational complexity: [TBD]"])
    'a complexity'
    >>> missing_form("which python version should I install?", ["Python for Everybody — 10 weeks"])
    'a version'
    >>> missing_form("a good k for k-fold, 5 or 10?", ["k-fold cross validation (what's a good k value?)"])
    'which of 5 or 10'
    >>> missing_form("a good k for k-fold, 5 or 10?", ["Use k = 5 or 10 folds."]) is None
    True
    >>> missing_form("what k value is best for k-fold?", ["k-fold cross validation (what's a good k value?)"])
    'a value'
    >>> missing_form("what top-p value should i set?", ["Decoding: greedy, beam, top-k, top-p (nucleus)"])
    'a value'
    >>> missing_form("how many rounds does the loop have?", ["Model updates: how often? daily, weekly"])
    'a number'
    >>> missing_form("how many knowledge areas does it define?", ["The 2013 report outlines Knowledge Areas."])
    'a number'
    >>> missing_form("how many members are on the server?", ["There are a few outdated copies; see Chapters 3 and 4."])
    'a number'
    >>> missing_form("how many members are on the server?", ["It has over 40 members."]) is None
    True
    >>> missing_form("what's the exact release date of the new edition?", ["The 2013 report; the next one is due."])
    'a date'
    >>> missing_form("on what day is the kiln fired?", ["The kiln is fired every Friday."]) is None
    True
    >>> missing_form("is there a deadline for submitting my project?", ["Projects are evaluated by peers."])
    'a date'
    >>> missing_form("is there a deadline for the project?", ["Work at your own pace; it is self-paced."]) is None
    True
    >>> missing_form("when is my mid-year self-assessment due?", ["Complete the self-assessment in HR Links."])
    'a date'
    >>> missing_form("who is the Training & Events Lead right now?", ["The Training & Events Lead approves it."])
    'a name'
    >>> missing_form("is there a deadline for using it?", ["Space it out for up to one year after the birth."]) is None
    True
    >>> missing_form("what p-value cutoff do the notes use, 0.05?", ["Statistical significance: P-values"])
    'a value'
    >>> missing_form("who are the instructors of the course?", ["Nand to Tetris — from First Principles"])
    'a name'
    >>> missing_form("how often do I get a step increase?", ["Meet it within 30 days of the closing date."])
    'a frequency'
    >>> missing_form("how often is it reviewed?", ["It is reviewed twice a year."]) is None
    True
    >>> missing_form("what percent of users go in the test group?", ["Split users into control and test groups."])
    'a percentage'
    >>> missing_form("what dropout rate should i use?", ["Dropout: a regularisation method"])
    'a value'
    >>> missing_form("when does the next run of the course start?", ["Duration: 13 weeks; self-paced"])
    'a date'
    >>> missing_form("how much is the plus plan per month?", ["Short answer: No."])
    'a price'
    >>> missing_form("who are the instructors of the course?", ["The Missing Semester — Duration: 2 weeks"])
    'a name'
    >>> missing_form("who are the authors of operating systems: three easy pieces?", ["Operating Systems: Three Easy Pieces — "
    ...              "Duration: 10 weeks", "Modern Operating Systems — Author(s): Andrew S. Tanenbaum"], quoted=True)
    'a name'
    >>> missing_form("who wrote operating systems: three easy pieces?", ["Operating Systems: Three Easy Pieces — "
    ...              "Duration: 10 weeks", "Modern Operating Systems — Author(s): Andrew S. Tanenbaum"])
    'a name'
    >>> missing_form("who wrote modern operating systems?", ["Modern Operating Systems — Author(s): Andrew Tanenbaum"])
    >>> missing_form("what's the email address for the team?", ["Join the Discord server!"])
    'an email address'
    >>> missing_form("how many minutes is the round, 45 or 60?", ["45 ML interview questions"], quoted=True)
    'a number'
    >>> missing_form("who are the authors of the book?", ["SICP — Author(s): Hal Abelson, Jerry Sussman"]) is None
    True
    >>> missing_form("any actual example questions from a depth interview?", ["Depth interviews focus on your projects."])
    'example questions'
    >>> missing_form("what questions do they ask?", ["- Tell me about yourself.\\n- Why here?"]) is None
    True
    >>> missing_form("who is the instructor of it?", ["Andrew Ng's Machine Learning Specialization"]) is None
    True
    >>> missing_form("need 2 or 3 project ideas", ["Build end-to-end projects"]), missing_form(
    ...     "a tool to log which settings gave which score", ["MLflow tracks experiments"])
    (None, None)
    """
    acronym = asked_acronym(question)
    if acronym and not expands(acronym, passages):
        return f"what {acronym} stands for"
    if asks_formula(question) and not has_equation(passages, formula_subject(question)):
        return "a formula"
    if asks_price(question) and not has_price(passages, question if quoted else None, titles):
        return "a price"
    if pay and asks_pay(question) and not has_price(passages):
        return "pay figures"
    if asks_year(question) and not has_year(passages):
        return "a year"
    lines = [ln for p in passages for ln in p.splitlines() if not ln.rstrip().rstrip(")").endswith("?")]
    rows = [ln for ln in lines if names_row(question, ln)] if quoted else []
    rows = [ln for ln in rows if names_row(question, ln, whole=True)] or rows  # the row named in full, if one is
    if rows:  # "how many hours a week is Introduction to Haskell?": that row holds the answer, not its neighbours
        lines = rows
    values = [_NOT_COUNTS.sub(" ", ln) for ln in lines]  # a setting's value is no year nor a label's number
    for told, asks, holds in FORMS:
        if told == "a number":
            if asks.search(question) and not counts(question, lines, near=quoted, titles=titles, strict=bool(rows)):
                return told
        elif told == "example questions":  # read from every line: the lines that ask are the ones left out above
            if asks.search(question) and not any(holds.search(ln) for p in passages for ln in p.splitlines()):
                return told
        elif told == "a name":
            # "who wrote X?" asks for a person when X is a table row named in full: that row must name one
            full = [ln for ln in lines if names_row(question, ln, whole=True)] if _WHO_WROTE.search(question) else []
            if (asks.search(question) or full) and not any(names_person(question, ln) for ln in (full or lines)):
                return told
        elif asks.search(question) and not any(holds.search(ln) for ln in (
                values if told == "a value" else list(filter(_names_thing(question, told, titles), lines))
                if quoted and told in _ASKED_OF
                else lines)):
            return told
    if (item := only_named(question, passages, headed=not quoted)) is not None:
        return f"what {item} involves"
    if lacks_duration(question, passages, titles, headed=not quoted):
        return "a duration"
    if m := _NUMBER_CHOICE.search(question):  # "a good k, 5 or 10?": an answer names one of them
        if not any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w.])", ln) for n in m.groups() for ln in lines):
            return f"which of {m.group(1)} or {m.group(2)}"
    return None
