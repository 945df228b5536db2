"""Follow-up questions -> standalone retrieval queries, deterministically.

A question is a follow-up when it starts elliptically ("and ...", "what
about ...", "at the senior level?"), leans on a pronoun or a relative word in
a short question ("how long does that take?", "which one is cheapest?", "what
do i do in the last three months?") or has at most two content words ("what
ranking should i aim for"). It is then
completed with the subject of the previous user turn (itself resolved the same
way, so chains of follow-ups work):

- when both mention a value of the same kind (career level, degree, ...), the
  previous question is repeated with the new value swapped in;
- otherwise the previous question is put in front of the follow-up.

No model is involved, so it works the same with any chat model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.types import Turn

_STARTERS = (
    "and ", "and,", "what about", "how about", "what of", "what if", "also ", "same for", "same ", "or ",
    "but ", "then ", "so what about", "ok what about", "okay what about", "ok and", "okay and", "now ",
    "at the", "at a", "for the", "for a", "for ", "in the", "with ", "without ", "compared to", "vs ",
    "versus ", "how so", "is that", "are those", "is it", "are they", "does it", "does that",
    "do they", "can it", "which one", "which of", "say more", "tell me more", "more about", "more on ",
    "elaborate", "go deeper", "explain more", "what else", "anything else",
)
_ANAPHORA = frozenset(
    "that it its those they them these this one ones he she him her his their theirs same former "
    "latter above such last next previous other else more".split()
)
_FILLER = frozenset(
    "a an the and or but so ok okay also about what how which who whom whose when where why is are was were "
    "be been do does did can could should would will shall may might must at for in on of to with without "
    "from by as than then now please tell me i you we my your our level levels all any some each both "
    "given mentioned listed named there usually typically normally generally actually really get gets got".split()
)
# Values of one kind: a follow-up naming one swaps out the other in the previous question.
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("entry-level", "entry level", "entry", "junior", "mid-level", "mid level", "mid", "middle", "senior-level",
     "senior level", "seniors", "senior", "juniors", "lead", "staff", "principal", "beginner", "beginners",
     "experienced"),
    ("base salary", "base", "total comp", "total compensation", "total"),
    ("bachelor's", "bachelors", "bachelor", "master's", "masters", "master", "phd", "doctorate"),
    ("python", "sql", "java", "scala", "c++", "r"),
    ("nlp", "computer vision", "cv", "mlops", "robotics", "reinforcement learning"),
    ("resume", "interview", "interviews", "portfolio", "kaggle", "open source", "blog"),
)  # the articles add their own: the titles of sibling sections ("month 1-3", "month 4-6"; bot.decide.profile)
_WORD = re.compile(r"[a-z0-9+#'-]+")
# A leading acknowledgement ("Understood.", "cool,", "ok thanks!") before the follow-up itself.
_ACK = re.compile(r"^(?:(?:ok(?:ay)?|cool|nice|great|thanks|thank you|thx|understood|got it|i see|alright|"
                  r"perfect|awesome|makes sense)(?: thanks| thx)?[.!,]+\s+)+(?=\S)", re.IGNORECASE)
_LEADS_BACK = frozenset("that those these they them it".split())  # a first word pointing at the last answer
_PART = re.compile(r"\bthe\s+(?:[\w-]+\s+){1,2}(?:part|bit|step|stage|section)\b")  # "the system design part"
# "the first one you listed", "a company mixing the two", "what do I need before it?": the last answer pointed at
_POINTS_BACK = re.compile(r"\byou\s+(?:just\s+)?(?:listed|mentioned|said|named|gave|recommended|suggested|described)\b"
                          r"|\b(?:the|these|those)\s+(?:two|three|four)\b|\bboth\b"
                          r"|\b(?:before|after|besides|than|about|for|with|into|from|on)\s+(?:\w+ing\s+)?"
                          r"(?:it|that|this|them|those|these)(?:\s+ones?)?"
                          r"\s*(?:[?.!]*$|,\s*(?:and|or|but)\b)"
                      r"|\b(?:is|are|was|were|does|do)\s+(?:it|that|this|they|them)\s*[?.!]*$")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if w not in _FILLER and w not in _ANAPHORA]


def is_followup(question: str) -> bool:
    """Does the question lean on an earlier turn?

    >>> [is_followup(q) for q in ("and at the senior level?", "what about mid level", "how long does that take?",
    ...                            "which one is cheapest?", "senior?", "What is the capital of France?",
    ...                            "What base salary can an entry-level ML engineer expect?",
    ...                            "is there a book for the system design part?",
    ...                            "Understood. And what should a candidate emphasise instead?",
    ...                            "those all sound expensive, is any of them cheaper for someone like me?",
    ...                            "what do i need to have done before it?", "how long is the first one you listed?",
    ...                            "any real example of a company mixing the two?",
    ...                            "what do i need before it, and how many weeks is it?",
    ...                            "what do i need to know before starting it?",
    ...                            "was there any other platform he found useful besides that one?",
    ...                            "any example models given?", "when does that usually get paid out?")]
    [True, True, True, True, True, False, False, True, True, True, True, True, True, True, True, True, True, True]
    """
    q = _ACK.sub("", " ".join(question.lower().split()).lstrip("-–—.,;: "))
    if not q:
        return False
    words, content = _words(q), _content(q)
    if q.startswith(_STARTERS) or _PART.search(q) or _POINTS_BACK.search(q) or (words and words[0] in _LEADS_BACK):
        return True
    if any(w in _ANAPHORA for w in words) and len(content) <= 3:
        return True
    proper = any(w[:1].isupper() for w in question.split()[1:])  # "France": a subject of its own
    return len(content) <= 2 and not proper


ECHO_MAX_WORDS = 8  # a question this short that repeats a numbered name of the last answer continues it


def echoes(question: str, answer: str) -> bool:
    """A short question naming a numbered thing the last answer named ("what do I need before part 1?" after
    "Design and Analysis, Part 1 and Part 2").

    >>> echoes("what do i need before part 1?", "Algorithms: Design and Analysis, Part 1 and Part 2, 8 weeks each.")
    True
    >>> echoes("what is part 1 of the curriculum?", "Intro CS, Core CS and Advanced CS.")
    False
    """
    words = _words(question)
    if not answer or len(words) > ECHO_MAX_WORDS:
        return False
    said = " ".join(_words(answer))
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:]) if b.isdigit() and a not in _FILLER]
    return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", said) for p in pairs)


_POINTERS = frozenset("it its that this those these them they one ones".split())


def refers_back(question: str) -> bool:
    """Does the question point back at something said before ("leave off it", "the responsible one")?

    >>> refers_back("and what should i leave off it?"), refers_back("what does the responsible one involve?")
    (True, True)
    >>> refers_back("ok and once that's done?")
    True
    >>> refers_back("ok and what time does the supermarket close today?")
    False
    """
    return any(w.split("'")[0] in _POINTERS for w in _words(question))  # "that's" points back too


_PERSON_POINTER = re.compile(r"\b(?:him|her|he|she|his|hers|that (?:author|person|writer|instructor|teacher)|"
                             r"the same (?:author|person|writer|instructor|teacher))\b", re.IGNORECASE)


def points_to_person(question: str) -> bool:
    """Does the question point back at a person said before ("which other books by him?")?

    >>> points_to_person("Which other books by him are on that list?"), points_to_person("and the next one?")
    (True, False)
    """
    return bool(_PERSON_POINTER.search(question))


def _find(term: str, text: str) -> re.Match[str] | None:
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, flags=re.IGNORECASE)


def _swap(prev: str, question: str, groups: Sequence[tuple[str, ...]] = ()) -> str | None:
    """The previous question with a value of the same kind swapped in, if both name one.

    >>> _swap("what should i do in month 1-3?", "and in month 4-6?", [("month 1-3", "month 4-6")])
    'what should i do in month 4-6?'
    """
    q = question.lower()
    for group in (*_GROUPS, *groups):
        new = next((t for t in group if _find(t, q)), None)
        if new is None:
            continue
        old = next((t for t in group if _find(t, prev) and not _find(t, new)), None)
        if old is None or _find(old, q):
            continue
        m = _find(old, prev)
        assert m is not None
        swapped = _articles(prev[: m.start()] + new + prev[m.end():])
        extra = [w for w in _content(question) if w not in _words(swapped) and w not in new.split()]
        return swapped.rstrip(" ?.!") + (" " + " ".join(extra) if extra else "") + "?"
    return None


def _articles(text: str) -> str:
    """Fix "a"/"an" after a swap.

    >>> _articles("can an senior engineer or a entry-level one")
    'can a senior engineer or an entry-level one'
    """
    text = re.sub(r"\b([Aa])n (?=[b-df-hj-np-tv-z])", r"\1 ", text)
    return re.sub(r"\b([Aa]) (?=[aeiou])", r"\1n ", text)


def _strip_starter(question: str) -> str:
    q = _ACK.sub("", question.strip())
    low = q.lower()
    for s in ("and what about", "so what about", "ok what about", "okay what about", "what about", "how about",
              "ok and", "okay and", "and", "also", "but", "then", "so", "or"):
        if low.startswith(s + " ") or low.startswith(s + ","):
            return q[len(s) + 1:].strip(" ,")
    return q


_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
             "fifth": 4, "5th": 4, "last": -1, "final": -1}
_POINTER = re.compile(
    r"\bthe\s+(?P<which>[\w-]+)\s+(?:one|ones|item|point|option|thing|part|bit|area|path|trend|step)\b", re.IGNORECASE)
_CITES = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_LIST_MARK = re.compile(r"^(?:[-*•]|\d+[.)])\s+")


def listed_items(answer: str) -> list[str]:
    """The items an answer listed: its list lines, else the parts of its first sentence ("A, B and C.").

    >>> listed_items("Generative AI skills, responsible AI, and edge AI.")
    ['Generative AI skills', 'responsible AI', 'edge AI']
    >>> listed_items("The guide lists three: generative AI (LLMs, RAG, agents), responsible AI and edge AI.")
    ['generative AI (LLMs, RAG, agents)', 'responsible AI', 'edge AI']
    >>> listed_items("From the guide's section Math:\\n- Linear Algebra: Matrix operations [1]\\n- Calculus [1]")
    ['Linear Algebra: Matrix operations', 'Calculus']
    """
    lines = [ln.strip() for ln in answer.splitlines() if ln.strip()]
    items = [_CITES.sub("", _LIST_MARK.sub("", ln)).strip() for ln in lines if _LIST_MARK.match(ln)]
    if items:
        return items
    first = re.split(r"(?<=[.!?])\s", _CITES.sub("", answer.strip()), maxsplit=1)[0].rstrip(".!? ")
    top = re.sub(r"\([^()]*\)", lambda m: "\0" * len(m.group()), first)  # split outside brackets only
    if ":" in top:  # "The guide lists three: A, B and C."
        cut = top.rindex(":") + 1
        first, top = first[cut:], top[cut:]
    parts, start = [], 0
    for m in re.finditer(r",(?!\d)\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", top):
        parts.append(first[start:m.start()])
        start = m.end()
    parts.append(first[start:])
    parts = [p.strip() for p in parts if p.strip()]
    return parts if len(parts) >= 2 else []


def resolve_pointer(question: str, previous_answer: str) -> str | None:
    """"the second one" / "the responsible one" -> that item of the previous answer, put in its place.

    >>> a = "Linear algebra, calculus, and probability and statistics."
    >>> resolve_pointer("why does the second one matter?", a)
    'why does calculus matter?'
    >>> resolve_pointer("what does the responsible one involve?", "Generative AI skills, responsible AI and edge AI.")
    'what does responsible AI involve?'
    >>> resolve_pointer("tell me more about the last one", "Generative AI skills, responsible AI, and edge AI.")
    'tell me more about edge AI'
    >>> resolve_pointer("and the senior one?", "Generative AI skills, responsible AI and edge AI.") is None
    True
    """
    m = _POINTER.search(question)
    items = listed_items(previous_answer) if m else []
    if not m or not items:
        return None
    which = m.group("which").lower()
    if which in _ORDINALS:
        i = _ORDINALS[which]
        if i >= len(items):
            return None
        item = items[i]
    else:
        found = [it for it in items if re.search(rf"\b{re.escape(which)}", it, re.IGNORECASE)]
        if len(found) != 1:
            return None
        item = found[0]
    return question[: m.start()] + item + question[m.end():]


# "what comes after that?", "ok, what's next?", "and the step before it?": the neighbour of what was last said
_STEP = re.compile(r"\b(?:what|which)(?:'s|s|\s+is|\s+comes?|\s+do\s+(?:i|we|you)\s+(?:take|do|study)|\s+should\s+(?:i|we)"
                   r"\s+(?:take|do|study))?\s+(?:right\s+|just\s+|immediately\s+)?(?P<dir>after|next|before)\b"
                   r"|\b(?:the|and)\s+(?P<dir2>next|previous)\s+(?:one|step|course|stage|part|section)\b"
                   r"|\bwhat\s+follows\b(?P<dir3>)", re.IGNORECASE)


def step_asked(question: str) -> int:
    """+1 when the question asks what comes after what was last said, -1 for what comes before, else 0.

    >>> [step_asked(q) for q in ("ok, what comes right after that?", "and what comes after that one?",
    ...                           "what's next?", "which comes before it?", "and the next step?", "what follows?")]
    [1, 1, 1, -1, 1, 1]
    >>> step_asked("what should I learn after Python?"), step_asked("how long does it take?")
    (0, 0)
    """
    m = _STEP.search(question)
    if not m:
        return 0
    if m.group("dir") in ("after", "before") and not re.search(
            r"\b(?:after|before)\s+(?:that|it|this|them|those)(?:\s+one)?\s*[?.!]*$|\b(?:after|before)\s*[?.!]*$",
            question[m.start():], re.IGNORECASE):
        return 0  # "what comes after Python?" names its subject: no follow-up
    d = (m.group("dir") or m.group("dir2") or "next").lower()
    return -1 if d in ("before", "previous") else 1


def ordinal_asked(question: str) -> tuple[int, int, int] | None:
    """(the item's index, start, end) of an ordinal pointer into the last answer ("the first one": 0), or None.

    >>> ordinal_asked("what's the prereq for the first one?")
    (0, 22, 35)
    >>> ordinal_asked("and the last one?")[0], ordinal_asked("what does the responsible one involve?")
    (-1, None)
    """
    m = _POINTER.search(question)
    if not m or m.group("which").lower() not in _ORDINALS:
        return None
    return _ORDINALS[m.group("which").lower()], m.start(), m.end()


def previous_question(history: Sequence[Turn], groups: Sequence[tuple[str, ...]] = ()) -> str | None:
    """The last user question of the history, itself completed when it was a follow-up.

    >>> previous_question([Turn("user", "entry level salary?"), Turn("assistant", "..."), Turn("user", "and senior?")])
    'senior salary?'
    >>> previous_question([]) is None
    True
    """
    users = [i for i, t in enumerate(history) if t.role == "user" and t.content.strip()]
    if not users:
        return None
    last = users[-1]
    return standalone_query(history[last].content, history[:last], groups).strip()


def standalone_query(question: str, history: Sequence[Turn] = (), groups: Sequence[tuple[str, ...]] = ()) -> str:
    """The question, completed from earlier user turns when it is a follow-up.

    `groups` are values of one kind besides the field's own (career levels,
    degrees...): the articles' sibling section titles (`CorpusProfile.sibling_groups`).

    >>> h = [Turn("user", "What base salary can an entry-level ML engineer expect?"),
    ...      Turn("assistant", "Between $100,000 and $140,000.")]
    >>> standalone_query("and at the senior level?", h)
    'What base salary can a senior level ML engineer expect?'
    >>> standalone_query("what about mid level", h)
    'What base salary can a mid level ML engineer expect?'
    >>> standalone_query("how long does that take?", [Turn("user", "how do I learn ML on my own with online courses")])
    'how do I learn ML on my own with online courses - how long does that take?'
    >>> standalone_query("What is the capital of France?", h)
    'What is the capital of France?'
    >>> standalone_query("and at the senior level?")
    'and at the senior level?'
    """
    q = question.strip()
    prev = previous_question(history, groups)
    said = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    if prev is None or not (is_followup(q) or echoes(q, said)):
        return q
    pointed = resolve_pointer(q, said) if said else None
    if pointed is not None:  # the item named is the subject; the earlier question gives its context
        return f"{prev.rstrip(' ?.!')} - {pointed}"
    swapped = _swap(prev, q, groups)
    if swapped is not None:
        return swapped
    core = _strip_starter(q)
    subject = answer_subject(said) if _PRONOUN.search(core) else None
    if subject and subject.lower() not in prev.lower():  # "how many hours a week is that?": that course
        return f"{prev.rstrip(' ?.!')} - {core} ({subject})"
    return f"{prev.rstrip(' ?.!')} - {core}"


_PRONOUN = re.compile(r"\b(?:it|that|this)\b(?!\s+(?:one|ones)\b)", re.IGNORECASE)
_ANSWER_LEAD = re.compile(r"^From (?:the )?articles?'?s? (?:section|sections|text)\b.*:$")
_REPLY = re.compile(r"^(?:yes|yeah|yep|no|nope|sure|right|correct|indeed)\b[,.!:;]?\s*", re.IGNORECASE)
_SUBJECT = re.compile(r"([A-Z][^:,.;()\[\]]{2,80}?)\s*(?::|,|;|\(|—| - | (?:is|are|was|were|runs|takes|lasts)\b)")


def answer_subject(answer: str) -> str | None:
    """What a one-subject answer is about: the name it opens with ("Build a Modern Computer: ..., 6 weeks").

    >>> answer_subject("Build a Modern Computer from First Principles: From Nand to Tetris, which runs 6 weeks.")
    'Build a Modern Computer from First Principles'
    >>> answer_subject("From the article's section Team:\\n- Eric Douglas: founder of OSSU [1]")
    'Eric Douglas'
    >>> answer_subject("Yes, Modern Robotics: 26 weeks at 2-5 hours/week.")
    'Modern Robotics'
    >>> answer_subject("Linear algebra, calculus, and probability and statistics.") is None
    True
    """
    lines = [ln.strip() for ln in answer.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not _ANSWER_LEAD.match(ln)]
    if not lines or len(listed_items(lines[0])) > 2:
        return None
    first = _CITES.sub("", _LIST_MARK.sub("", lines[0])).strip()
    first = _REPLY.sub("", first)  # "Yes, Modern Robotics: 26 weeks": the subject follows the reply
    m = _SUBJECT.match(first)
    return m.group(1).strip() if m else None


# "anything else besides the algorithms and sampling?", "other than leetcode, what should I practise?"
_BESIDES = re.compile(r"\b(?:besides|apart from|aside from|other than|except(?:\s+for)?|on top of|in addition to)\s+"
                      r"(?:(?:the|my|your|those|these)\s+)?([^?,.;:!]+)", re.IGNORECASE)
_CLAUSE = re.compile(r"\b(?:what|which|how|who|where|when|why|should|do|does|did|can|could|is|are|would|will|"
                     r"i|you|we|that|there)\b.*$", re.IGNORECASE)


def set_aside(question: str) -> list[str]:
    """What a question puts aside to ask for the rest ("anything else besides X and Y?"): X and Y.

    >>> set_aside("anything else on the list besides the algorithms and sampling?")
    ['algorithms', 'sampling']
    >>> set_aside("other than leetcode, what should I practice?"), set_aside("apart from Python what do I need?")
    (['leetcode'], ['Python'])
    >>> set_aside("what should I learn first?")
    []
    """
    m = _BESIDES.search(question)
    if not m:
        return []
    phrase = _CLAUSE.sub("", m.group(1)).strip()
    parts = re.split(r"\s*(?:,|/|&|\band\b|\bor\b|\bnor\b)\s*", phrase)
    return [p.strip() for p in parts if p.strip()]
