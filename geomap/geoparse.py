"""Finding place names in an article and resolving each to a gazetteer entry, with its role.

Recognition walks the article's capitalised word sequences (and Arabic-script words), looks every
candidate span up in the gazetteer at once, and keeps the longest matches ("Spin Boldak", not
"Spin"). A match is dropped when its context says it is no place: part of a person's name ("James
Harden", "Mr. Chaman"), of an organisation ("Geo News", "Kabul University"), a pathogen ("Marburg
virus"), or a common English word at the start of a sentence.

Resolution among same-named places scores each candidate by its kind and population, whether the
name is its primary name, and its agreement with the rest of the article: the countries and
provinces the article names and closeness to its other places.

Role: ``actor`` when a country or capital stands for its government ("Islamabad blames Kabul"),
``location`` when it is where something is or happens, ``other`` for a passing mention.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum, Flag, auto
from functools import lru_cache
from typing import Protocol

from . import settings
from .border import neighbours
from .distance import haversine_km
from .gazetteer import (
    FLAG_ABBREVIATION,
    FLAG_COMMON_WORD,
    FLAG_CURATED,
    FLAG_GIVEN_NAME,
    FLAG_MIXED_CASE,
    FLAG_PERSONAL_NAME,
    FLAG_PRIMARY,
    FLAG_ROMANISED,
    KIND_RANK,
    Candidate,
    Gazetteer,
    default_gazetteer,
    demonyms,
    demonyms_in,
    is_abbreviation,
    normalize,
)
from .models import UNLISTED_PREFIX, Article, Mention, Place
from .settings import read_geodata_csv


class Token(Protocol):
    """A token and what the name rules ask of it: :class:`_Token` of the Python tokeniser and
    ``_ctokens.Token`` of the compiled one alike."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def arabic(self) -> bool: ...
    @property
    def capitalised(self) -> bool: ...
    @property
    def word(self) -> bool: ...


class Tokens(Protocol):
    """The tokens of a text, however made (:class:`_Tokens`, :class:`_TokenList`): ``tokens[i]``,
    ``len(tokens)``, the ``text`` and the tokens' (start, end) ``spans``."""

    @property
    def text(self) -> str: ...
    @property
    def spans(self) -> list[tuple[int, int]]: ...
    def __len__(self) -> int: ...
    def __getitem__(self, i: int, /) -> Token: ...


class _Compiled(Protocol):
    """What geoparse asks of ``geomap._ctokens`` (see ``_ctokens.pyi``)."""

    def tokenize(self, text: str, /) -> tuple[list[tuple[int, int]], Sequence[Token]]: ...
    def candidate_spans(
        self,
        text: str,
        spans: list[tuple[int, int]],
        admin_suffixes: Collection[str],
        connectors: Collection[str],
        key: Callable[[str], str],
        max_tokens: int,
        /,
    ) -> list[tuple[int, int, str]]: ...


def _load_compiled() -> _Compiled | None:
    """The tokeniser and candidate-span finder below, compiled (setup.py builds it where it can);
    None where it is not built (the Python code runs, with the same answers) or
    ``settings.PURE_PYTHON`` asks for the Python code."""
    try:
        from . import _ctokens as compiled
    except ImportError:
        return None
    return None if settings.PURE_PYTHON else compiled


_ctokens = _load_compiled()

#: A name's span in a text: (first token, last token + 1, the surface as written) and its
#: candidates.
RawMention = tuple[int, int, str, list[Candidate]]

MAX_SPAN_TOKENS = 6

#: How many candidates' own scores a finder remembers before it starts afresh.
BASE_SCORE_CACHE = 20_000

#: How many spans' lookup keys are remembered (least recently used go first): like the
#: gazetteer's key cache, about what a thousand articles fill, so memory stops growing there.
SPAN_KEY_CACHE = 20_000

#: A village this far from the article's centre, in a country the article does not name, is
#: dropped when the centre stands on this many unambiguous places (GeoVirus scores the same from
#: 500 to 5,000 km; a village over 1,000 km from all else an article names is a namesake).
STRAY_VILLAGE_KM = 1000.0
STRAY_MIN_ANCHORS = 2
#: ... and one matched by an alternate name, not its own, this far.
STRAY_ALIAS_VILLAGE_KM = 150.0
#: Places of these kinds, smaller than this, in a country an article neither states nor borders on
#: and far from its other places, are names the gazetteer lacks there.
SMALL_KINDS = frozenset({"village", "town", "city"})
STRAY_MAX_POPULATION = 500_000
#: Names that state which country an article is about: the country, its provinces, its districts.
STATING_KINDS = frozenset({"country", "province", "district"})

#: The population a region or sea counts as when ranking same-named candidates.
REGION_WEIGHT = 50_000_000
#: Kinds of wide extent (no population, a point that stands for hundreds of kilometres): they weigh
#: REGION_WEIGHT, lose nothing for lying far from the article's other places and lend no anchor to
#: its centre. Border lines, disputed areas and border rivers are such.
WIDE_KINDS = frozenset({"region", "sea", "disputed-area", "line", "river"})

_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
#: What a token is.
_TOKEN_PATTERN = (
    r"(?:[A-Z]\.){2,}"  # U.S., D.C.
    # words, inner apostrophes (Côte d'Ivoire), not "'s"; tried before the rarer Arabic script
    rf"|[^\W\d_{_ARABIC_LETTERS}]+(?:['’](?![sS]\b)[^\W\d_{_ARABIC_LETTERS}]+)*"
    rf"|[{_ARABIC_LETTERS}\u200c]+"  # Arabic script
    r"|\d+|[^\s\w]"
)
#: The same tokens, faster, as group 1. A plain ASCII word that white space or common punctuation
#: follows (most words) is taken before the general alternatives, which then see only the rest:
#: it cannot take an abbreviation ("U.S." needs a dot after one capital) and ends where the
#: general word would. The white space before a token is matched too (no token starts with it),
#: so the scanner does not try every alternative at every space.
_TOKEN_RE = re.compile(r"\s*((?:[a-z]|[A-Z][A-Za-z])[A-Za-z]*(?=[\s,.;:!?()\"\-]|\Z)|" + _TOKEN_PATTERN + ")")
_ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
# Lower-case words allowed inside a multi-word name ("Bosnia and Herzegovina", "Tehrik-e-...").
_CONNECTORS = frozenset(
    "of the de del della di da do dos das du des es la le les el al and upon on sur sous au aux en am im an "
    "der den "
    "van von y e i ul ur bin ibn".split()
)
_ELISION = re.compile(r"^[dl]['’][A-Z]")  # "d'Ivoire", "l'Aquila"
_SENTENCE_END = frozenset('.!?:;\n"“”•–—-|(')
_POSSESSIVE = ("'s", "’s", "'", "’")


@dataclass(slots=True)
class _Context:
    """What the rest of an article says about where it is."""

    # counts of names (an int-defaulting dict: made per article, so cheaper to make than a Counter)
    countries: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    admin1: defaultdict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    provinces: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    own_country: defaultdict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    own_admin1: defaultdict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    own_province: defaultdict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    centre: tuple[float, float] | None = None
    anchors: int = 0  # how many unambiguous places the centre stands on
    # countries the article states by name, or by one of their provinces or districts
    stated: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    anchored: dict[str, tuple[float, float]] = field(default_factory=dict)  # the anchors, by name

    def centre_without(self, key: str) -> tuple[tuple[float, float] | None, int]:
        """The centre of the anchors other than name ``key``, and how many they are."""
        own = self.anchored.get(key)
        if own is None or self.centre is None:
            return self.centre, self.anchors
        n = self.anchors - 1
        if n == 0:
            return None, 0
        return (
            (self.centre[0] * self.anchors - own[0]) / n,
            (self.centre[1] * self.anchors - own[1]) / n,
        ), n


class _Token:
    """A token and what later rules ask of it, computed once."""

    __slots__ = ("text", "start", "end", "arabic", "capitalised", "word")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        first = text[0]
        self.arabic = (
            "\u0600" <= first <= "\u06ff" or "\u0750" <= first <= "\u077f" or "\ufb50" <= first <= "\ufeff"
        )
        self.capitalised = first.isupper() or self.arabic
        self.word = first.isalpha()


@lru_cache(maxsize=1)
def _context_words() -> dict[str, frozenset[str]]:
    """Word lists of ``geodata/name_context.csv`` by category."""
    groups: dict[str, set[str]] = defaultdict(set)
    for row in read_geodata_csv("name_context.csv"):
        groups[row["category"]].add(row["word"].strip().lower())
    return {k: frozenset(v) for k, v in groups.items()}


@lru_cache(maxsize=1)
def _organisations() -> tuple[tuple[frozenset[str], re.Pattern[str]], ...]:
    """The names of the armed groups and organisations of ``geodata/actors.csv`` (``kind`` group
    or organisation): each row's key words and its pattern."""
    out = []
    for row in read_geodata_csv("actors.csv"):
        if row.get("kind", "").strip() in {"group", "organisation"}:
            keys = frozenset(k.strip() for k in row.get("keys", "").split("|") if k.strip())
            out.append((keys, re.compile(row["pattern"])))
    return tuple(out)


#: The capitalised words of a text, of which the organisations' keys are.
_CAPITALISED_RE = re.compile(r"[A-Z]\w*")


def capitalised_words(text: str) -> set[str]:
    """The capitalised words of ``text``, lower-cased: what the key words of the actors of
    ``geodata/actors.csv`` are looked up in before their patterns are run."""
    return {w.lower() for w in _CAPITALISED_RE.findall(text)}


def _organisation_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names an armed group or organisation (:func:`_organisations`), in text
    order: no place name is taken inside ("Hamas", an alternate name of Hamm; "Balochistan" in
    "Balochistan Liberation Army"). A row's pattern runs only when the text has one of its keys."""
    words = capitalised_words(text)
    spans = [
        m.span() for keys, regex in _organisations() if not keys or keys & words for m in regex.finditer(text)
    ]
    return sorted(spans)


def _common_word(word: str) -> bool:
    """True for an English dictionary word or its inflection, which is no part of a name."""
    return default_gazetteer().is_word(word)


_LATIN_WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")


#: Headlines are short: a longer line is a paragraph, whatever its capitals, and is not read word
#: by word to find out.
HEADLINE_MAX_CHARS = 250


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in title case (headlines), where capitals do not mark names."""
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if len(line) > HEADLINE_MAX_CHARS:
            pos += len(line)
            continue
        words = _LATIN_WORD_RE.findall(line)
        long_words = [w for w in words if len(w) > 3]
        if (
            len(words) >= 4
            and long_words
            and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)
        ):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (sorted, not overlapping): a binary search, so
    a page of thousands of headline-like lines costs no more per word than one."""
    i = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


_CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _important(place: Place, flags: int) -> bool:
    """Countries, provinces, regions, curated places and cities of 100,000 people."""
    return (
        bool(flags & FLAG_CURATED)
        or place.kind in {"country", "province", "crossing", "pass"}
        or place.kind in WIDE_KINDS
        or place.population >= 100_000
    )


class _Tokens(dict[int, _Token]):
    """The tokens of a text: their spans up front, a :class:`_Token` made only when a rule asks
    for ``tokens[i]`` (then kept: asking again is a plain dictionary hit). What
    :func:`tokenize` gives where the compiled tokeniser is not built."""

    __slots__ = ("text", "spans")
    text: str
    spans: list[tuple[int, int]]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.spans = [m.span(1) for m in _TOKEN_RE.finditer(text)]

    def __len__(self) -> int:
        return len(self.spans)

    def __missing__(self, i: int) -> _Token:
        if i < 0:
            raise IndexError(i)
        start, end = self.spans[i]  # IndexError past the end, as a list gives
        tok = self[i] = _Token(self.text[start:end], start, end)
        return tok

    # The tokens, as a list gives them (a dictionary would give its keys).
    def __iter__(self) -> Iterator[_Token]:  # type: ignore[override]  # a sequence, not a mapping
        return (self[i] for i in range(len(self.spans)))


class _TokenList(list[Token]):
    """The tokens of a text, every one made at once by the compiled tokeniser (``_ctokens``
    makes them faster than Python makes the few that rules ask for), with their spans."""

    __slots__ = ("text", "spans")
    text: str
    spans: list[tuple[int, int]]


#: A city this large whose own name is its province's name is what the bare name means in news
#: ("São Paulo", "Buenos Aires", "Kabul"); smaller namesakes leave the province first.
NAMESAKE_CITY_POPULATION = 1_000_000


#: A district (second-level area) this close to a populated place of its name is read as that
#: place: "Quetta", "Sialkot" name the city, whose district is named after it.
NAMESAKE_DISTRICT_KM = 60.0


def _namesake_city(place: Place, cands: list[Candidate]) -> Place:
    """The country of the same name when ``place`` is one of its provinces, the megacity of the
    same name inside ``place`` when ``place`` is its province, the town of the same name when
    ``place`` is a district named after its seat; else ``place``."""
    if place.kind == "district":
        towns = [
            (city, flags)
            for city, flags in cands
            if city.kind in {"city", "town", "village"}
            and city.country == place.country
            and haversine_km(city.lat, city.lon, place.lat, place.lon) < NAMESAKE_DISTRICT_KM
        ]
        if towns and not any(flags & FLAG_CURATED for p, flags in cands if p is place):
            return max(towns, key=lambda pf: (pf[1] & FLAG_PRIMARY, pf[0].population))[0]
        return place
    if place.kind != "province":
        return place
    for country, _flags in cands:
        if country.kind == "country" and country.country == place.country:
            return country  # "Mexico": the country, not its State of Mexico
    for city, flags in cands:
        if (
            city.kind == "city"
            and flags & FLAG_PRIMARY
            and city.population >= NAMESAKE_CITY_POPULATION
            and city.country == place.country
            and (
                city.admin1 == place.admin1
                if city.admin1 and place.admin1
                else haversine_km(city.lat, city.lon, place.lat, place.lon) < 150
            )
        ):
            return city
    return place


def tokenize(text: str) -> Tokens:
    """Word, abbreviation and punctuation tokens with their offsets: ``tokens[i]`` is a token
    (``text``, ``start``, ``end``, ``arabic``, ``capitalised``, ``word``), ``tokens.spans`` their
    (start, end) spans."""
    if _ctokens is None:
        return _Tokens(text)
    spans, made = _ctokens.tokenize(text)
    tokens = _TokenList(made)
    tokens.text, tokens.spans = text, spans
    return tokens


def _sentence_initial(tokens: Tokens, i: int, text: str) -> bool:
    """True when token i opens a sentence, a line or a quotation."""
    j = i - 1
    if j < 0:
        return True
    prev = tokens[j]
    if prev.text in _SENTENCE_END or prev.text in {"'", "‘", "’"}:
        return True
    gap = text[prev.end : tokens[i].start]
    return "\n" in gap


@lru_cache(maxsize=1)
def _admin_suffixes() -> frozenset[str]:
    """Lower-case words that end the name of an administrative area ("province", "district")."""
    return _context_words()["admin_suffix"]


def _is_arabic_char(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


#: Lookup keys of the spans seen lately: the same capitalised words come back article after article.
_span_key = lru_cache(maxsize=SPAN_KEY_CACHE)(normalize)


def _candidate_spans(tokens: Tokens, text: str) -> list[tuple[int, int, str]]:
    """Every span that may be a name: (first token, last token + 1, lookup key)."""
    if _ctokens is not None:
        return _ctokens.candidate_spans(
            text, tokens.spans, _admin_suffixes(), _CONNECTORS, _span_key, MAX_SPAN_TOKENS
        )
    return _candidate_spans_py(tokens, text)


def _candidate_spans_py(tokens: Tokens, text: str) -> list[tuple[int, int, str]]:
    """:func:`_candidate_spans` in Python (``_ctokens.candidate_spans`` does the same)."""
    spans = []
    offsets = tokens.spans
    n = len(offsets)
    admin_suffixes = _admin_suffixes()
    for i, (start, end) in enumerate(offsets):
        first = text[start]
        # Most tokens are lower-case words or punctuation: the cheapest tests go first.
        if first.isupper():
            if not first.isalpha():
                continue
            arabic = False
        elif first >= "\u0600" and _is_arabic_char(first):
            arabic = True
        else:
            continue
        spans.append((i, i + 1, _span_key(text[start:end])))
        j = i + 1
        prev_end = end
        while j < n and j - i < MAX_SPAN_TOKENS:
            t_start, t_end = offsets[j]
            if prev_end != t_start and (t_start - prev_end > 1 or text[t_start - 1] == "\n"):
                break
            t_text = text[t_start:t_end]
            t_first = t_text[0]
            t_arabic = t_first >= "\u0600" and _is_arabic_char(t_first)
            capitalised = t_first.isupper() or t_arabic
            elided = False
            if t_first.isalpha():
                if not capitalised:
                    if t_text in admin_suffixes:
                        # "Kandahar province", "Kurram district": a lower-case administrative word
                        # ends a name.
                        spans.append((i, j + 1, _span_key(text[start:t_end])))
                        break
                    elided = t_first in "dl" and _ELISION.match(t_text) is not None  # "Côte d'Ivoire"
                    if not elided and t_text.lower() not in _CONNECTORS:
                        break  # most names end at a lower-case word
            elif (
                t_text in {"'", "’"}
                and j + 2 < n
                and text[offsets[j + 1][0] : offsets[j + 1][1]] in {"s", "S"}
                and offsets[j + 1][0] == t_end
                and text[offsets[j + 2][0]].isupper()
                and offsets[j + 2][0] - offsets[j + 1][1] == 1
            ):
                # A possessive inside a name: "People's Republic of China", "St. Peter's Square".
                prev_end = offsets[j + 1][1]
                j += 2
                continue
            elif t_text in _JOINERS and j + 1 < n:
                prev_end = t_end
                j += 1
                continue
            else:
                break
            if t_arabic != arabic:
                break
            if capitalised or elided:
                spans.append((i, j + 1, _span_key(text[start:t_end])))
            prev_end = t_end
            j += 1
    return spans


#: Words that open a sentence before a name without being part of it ("The Bara bazaar").
_FUNCTION_WORDS = frozenset("the a an in at on of from to by for with and but or as near into".split())
_JOINERS = frozenset({"-", "–", "'", "’", "."})
_HYPHENS = frozenset({"-", "‑"})
#: Kinds of place a report is filed from: a town, or a crossing known by its town's name, where
#: the gazetteer has no such town ("LA MESILLA, Guatemala (AP) —").
_DATELINE_KINDS = frozenset({"city", "town", "village", "crossing"})

#: What follows the place opening a dateline.
_DATELINE_MARKS = frozenset({",", ":", "(", "—", "–", "-", "/"})

#: Words of a compass direction: a name made of them before another place name is a part of it.
_COMPASS = frozenset(
    "north south east west northern southern eastern western central northeast "
    "northwest southeast southwest upper lower".split()
)


def _is_compass_word(word: str) -> bool:
    """A compass word ("southern", "far", "north-western", "-")."""
    parts = [p for p in re.split(r"[-‑]", word.lower()) if p]
    return bool(word) and all(p in _COMPASS or p == "far" for p in parts)


#: What lies between a place and the area that qualifies it: "Stroud, Ontario", "Austin, in Scott
#: County", "Kalam in the Swat Valley".
_QUALIFIER_GAP = re.compile(
    r"\s*,\s*(?:in\s+(?:the\s+)?)?|\s+in\s+(?:the\s+)?"
    r"(?:(?:far\s+)?(?:north|south|east|west|central|(?:north|south)-?(?:east|west))(?:ern)?\s+)?"
)
#: What joins the members of an enumeration: "Mali, Niger, and Senegal", "Egypt and Niger".
#: A possessive between a country and a name it owns: "Iran's Zabol", "Pakistan's restive".
_POSSESSOR_GAP = re.compile(r"['’]s\s+(?:[a-z][\w-]*\s+){0,2}")
#: Between two members of a list of names: ", ", " and ", ", or ".
LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")

#: Administrative level of a kind: a place is qualified only by an area of a lower level.
_LEVEL = {"country": 0, "province": 1, "district": 2}

#: A place lies in a second-level area it is this close to (no polygons: areas are points).
DISTRICT_REACH_KM = 80.0
#: A place without a first-level code lies in a province it is this close to.
PROVINCE_REACH_KM = 300.0


def _level(place: Place) -> int:
    return _LEVEL.get(place.kind, 3)


def _contains(outer: Place, inner: Place) -> bool:
    """Whether ``inner`` lies in the administrative area ``outer`` (as far as points can tell). A
    line, border river or disputed area lies in no one area ("the Line of Control in Kashmir")."""
    lo, li = _level(outer), _level(inner)
    if lo >= 3 or li <= lo or outer.country != inner.country or not outer.country or inner.kind in WIDE_KINDS:
        return False
    if lo == 0:
        return True
    if outer.admin1 and inner.admin1:
        if outer.admin1 != inner.admin1:
            return False
        if lo == 1:
            return True  # a province holds what carries its code
    reach = PROVINCE_REACH_KM if lo == 1 else DISTRICT_REACH_KM
    return haversine_km(outer.lat, outer.lon, inner.lat, inner.lon) < reach


def _signature(place: Place) -> tuple[str, str | None] | None:
    """The administrative class an enumeration's members share: countries, or one country's
    provinces or districts."""
    if place.kind == "country":
        return ("country", None)
    if place.kind in {"province", "district"}:
        return (place.kind, place.country)
    return None


class _Narrowing:
    """The candidates of an article's names as the text around them narrows them down."""

    __slots__ = ("raw", "tokens", "text", "keys", "allowed", "dropped", "areas_meant", "area_cued")

    def __init__(self, raw: list[RawMention], tokens: Tokens, text: str) -> None:
        self.raw, self.tokens, self.text = raw, tokens, text
        self.keys = [_span_key(surface) for _, _, surface, _ in raw]
        self.allowed: dict[str, list[Candidate]] = {}
        self.dropped: set[str] = set()  # names the text rules out for every candidate
        self.areas_meant: set[str] = set()  # names read as areas: no namesake city for them
        self.area_cued: set[str] = set()  # ... because an area word says so: not even the country

    def current(self, k: int) -> list[Candidate]:
        """Mention k's candidates as narrowed so far."""
        return self.allowed.get(self.keys[k], self.raw[k][3])

    def restrict(self, k: int, keep: list[Candidate]) -> None:
        """Keep only ``keep`` for mention k's name (never nothing)."""
        if keep and len(keep) < len(self.current(k)):
            self.allowed[self.keys[k]] = keep

    def gap(self, a: int, b: int) -> str:
        """The text between mentions a and b."""
        spans = self.tokens.spans
        return self.text[spans[self.raw[a][1] - 1][1] : spans[self.raw[b][0]][0]]


def _connector_compound(tokens: Tokens, i: int, j: int, text: str) -> bool:
    """Either part of a name joined by a hyphened connector, "Dasht-e-Barchi", "Shahr-e-Naw":
    the whole is one name, which the gazetteer lacks (else it had matched as a whole)."""

    def joined(a: int) -> bool:  # tokens a, a+1, a+2 are "-", a connector, "-", with no space
        return (
            0 <= a
            and a + 3 < len(tokens)
            and tokens[a].text in _HYPHENS
            and tokens[a + 1].text in _CONNECTORS
            and tokens[a + 2].text in _HYPHENS
            and tokens[a - 1].end == tokens[a].start
            and tokens[a + 2].end == tokens[a + 3].start
            and tokens[a].end == tokens[a + 1].start
            and tokens[a + 1].end == tokens[a + 2].start
        )

    spans = tokens.spans
    return (text[spans[j - 1][1] : spans[j - 1][1] + 1] in _HYPHENS and joined(j)) or (
        i >= 4 and text[spans[i][0] - 1] in _HYPHENS and joined(i - 3)
    )


def _according_to(tokens: Tokens, i: int, j: int) -> bool:
    """The whole of what follows "according to" ("according to Yap, the tests ..."): who says
    something, not where (not "according to Rhode Island state officials")."""
    return (
        i >= 2
        and tokens[i - 1].text == "to"
        and tokens[i - 2].text.lower() == "according"
        and (j >= len(tokens) or tokens[j].text in {",", ".", ";", ")"})
    )


def _area_word_after_list(tokens: Tokens, j: int, admin_words: frozenset[str]) -> str:
    """The plural area word that ends a list the mention before token j opens, where the other
    members are names the gazetteer lacks ("Sperah and Tani districts"), else ""."""
    if j >= len(tokens) or tokens[j].text not in {",", "and", "or"}:
        return ""  # most mentions open no list
    k = j + 1
    while k < len(tokens) and k - j < 8:
        tok = tokens[k]
        if tok.text not in {",", "and", "or"} and (not (tok.word and tok.capitalised) or tok.arabic):
            break
        k += 1
    if k >= len(tokens):
        return ""
    word = tokens[k].text
    return word if word in admin_words and word.endswith("s") and tokens[k - 1].capitalised else ""


class _Geocoder(Protocol):
    """What the finder asks of an online geocoder (:class:`geomap.online.OnlineGeocoder`)."""

    def lookup(self, name: str) -> Place | None: ...


@dataclass(slots=True, eq=False)
class _Reading:
    """One article as :meth:`PlaceFinder.find` reads it: its text and tokens, what the gazetteer
    knows of its capitalised spans, and what the rules learn on the way (the names used for people
    or pathogens, the names taken). Made afresh by every call and never kept on the finder, which
    a process shares (the threads of a worker included)."""

    text: str
    tokens: Tokens
    #: Every span that may be a name: (first token, end token, lookup key).
    spans: list[tuple[int, int, str]]
    #: The candidates of the spans' keys that name places.
    found: dict[str, list[Candidate]]
    #: The tokens that start a known name: (end token, key) of each such name.
    starts: dict[int, list[tuple[int, str]]]
    #: Lines in title case (headlines), where capitals do not mark names.
    headlines: list[tuple[int, int]]
    #: Keys of the names used for people here ("Minister Tarar", "Hartl said"): no place anywhere
    #: in the article.
    surnames: set[str]
    #: Keys of the names of pathogens here ("West Nile virus").
    pathogens: set[str] = field(default_factory=set)
    #: Tokens that go on a person's name begun before them ("Nelson |Mandela").
    name_tails: set[int] = field(default_factory=set)
    #: First tokens of names that start the name of a physical feature ("Islington Bay").
    features: set[int] = field(default_factory=set)
    #: (key, next word) of names found to start a longer one ("Krishna Ghati sector"): the same
    #: two words later in the article start it too ("opposite Krishna Ghati").
    marked_starts: set[tuple[str, str]] = field(default_factory=set)
    # names right before another capitalised word that starts no name ("Beni Ounif")
    prefixes: set[int] = field(default_factory=set)
    #: First tokens of names right after a capitalised word that is no English word nor any
    #: name's start ("Tecún Umán", "Puerto El Carmen"): the end of a longer name.
    suffixes: set[int] = field(default_factory=set)
    #: The names taken, as found: (first token, end token, surface, candidates).
    raw: list[RawMention] = field(default_factory=list)
    #: The end token of the last name taken.
    last_end: int = -1
    # For the resolution, once the names are found:
    #: Every candidate of each name (by key), before the text around it narrowed them down.
    full_candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    #: Names read as areas: no namesake city for them ...
    areas_meant: set[str] = field(default_factory=set)
    #: ... because an area word says so: not even the country.
    area_cued: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class _Option:
    """A known name the text may hold at tokens ``i`` to ``j`` (exclusive), with the candidates
    its written form allows."""

    i: int
    j: int
    key: str
    surface: str
    cands: list[Candidate]
    #: In a headline, where capitals say nothing.
    headline: bool
    #: A candidate is a country, province, region, curated place or city of 100,000 people.
    important: bool


class _Skip(Enum):
    """A rule's verdict on a name: no place here, and what the article learns from that."""

    #: Nothing more.
    NO_PLACE = auto()
    #: A pathogen's name ("West Nile virus"): so is the same name later in the article.
    PATHOGEN = auto()
    #: A person's name ("Hartl said"): so is the same name later in the article.
    PERSON = auto()
    #: A person's first name ("Jawad Sarga"): as PERSON, and the word after it is the rest of the name.
    FIRST_NAME = auto()
    #: A given name before the rest of a name ("George Gzhailidi"): the word after it is no place.
    GIVEN_NAME = auto()


class Scope(Flag):
    """Which names a recognition rule is asked about: those of small places (no candidate is
    :func:`_important`) or of larger ones, in body text or in headlines (where capitals say
    nothing)."""

    SMALL_IN_TEXT = auto()
    SMALL_IN_HEADLINE = auto()
    LARGE_IN_TEXT = auto()
    LARGE_IN_HEADLINE = auto()
    SMALL = SMALL_IN_TEXT | SMALL_IN_HEADLINE
    LARGE = LARGE_IN_TEXT | LARGE_IN_HEADLINE
    IN_TEXT = SMALL_IN_TEXT | LARGE_IN_TEXT
    ANY = SMALL | LARGE

    @staticmethod
    def of(important: bool, headline: bool) -> Scope:
        """The scope a name falls in."""
        if important:
            return Scope.LARGE_IN_HEADLINE if headline else Scope.LARGE_IN_TEXT
        return Scope.SMALL_IN_HEADLINE if headline else Scope.SMALL_IN_TEXT


#: A recognition rule: its verdict on a name the text may hold, or None when it has nothing
#: against it.
Rule = Callable[["PlaceFinder", _Reading, _Option], "_Skip | None"]
#: A resolution rule: whether the place chosen for a name (with the name's flags for it, the
#: name's key and the article's context) is one the gazetteer lacks here, and the name dropped.
DropRule = Callable[["PlaceFinder", Place, int, str, _Context], bool]


def _learn(r: _Reading, option: _Option, skip: _Skip) -> None:
    """Keep in ``r`` what a rule's verdict on ``option`` teaches about the rest of the article."""
    if skip is _Skip.PATHOGEN:
        r.pathogens.add(option.key)
    if skip is _Skip.PERSON or skip is _Skip.FIRST_NAME:
        r.surnames.add(option.key)
    if skip is _Skip.FIRST_NAME or skip is _Skip.GIVEN_NAME:
        r.name_tails.add(option.j)


class PlaceFinder:
    """Finds and resolves place mentions with one gazetteer and, optionally, an online geocoder
    asked for the names after a locative preposition ("in X") that the gazetteer lacks.

    One finder serves every article of a process: what it learns of one article lives in a
    :class:`_Reading` made for that article. Finding goes in stages: the text's candidate spans
    are looked up (:meth:`_read`), the names taken left to right, longest first, unless a rule of
    :data:`FIND_RULES` objects (:meth:`_recognise`), the candidates narrowed by the text around
    them (:meth:`_constrain`), each name resolved to a place, unless a rule of :data:`DROP_RULES`
    drops it (:meth:`_resolve`), and names the gazetteer lacks that a place word marks added
    (:meth:`_unlisted_names`).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, online: _Geocoder | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.online = online
        self.words = _context_words()
        # Each candidate's score of its own: the same for every article (a cache, not state).
        self._base_scores: dict[tuple[str, int], float] = {}
        #: Titles as written before a name ("Mr", "President"), and their lookup keys (a quick
        #: test first: most spans are no title).
        self._title_forms = frozenset(t[:1].upper() + t[1:] for t in self.words["title"])
        self._title_keys = frozenset(_span_key(t) for t in self._title_forms)

    # -- stages ------------------------------------------------------------------------------

    def find(self, article: Article) -> list[Mention]:
        """Place mentions in the article, resolved, in text order."""
        r = self._read(article.clean)
        self._recognise(r)
        r.raw.sort(key=lambda item: item[0])
        r.full_candidates = {_span_key(surface): cands for _, _, surface, cands in r.raw}
        mentions = self._resolve(article, r, self._constrain(r))
        unlisted = self._unlisted_names(r, mentions)
        if unlisted:
            mentions = _place_unlisted(article, r.tokens, unlisted, mentions)
        return _crossings_by_name_alone(article, mentions)

    def _read(self, text: str) -> _Reading:
        """A text's tokens, the spans that may be names and what the gazetteer knows of them."""
        tokens = tokenize(text)
        spans = _candidate_spans(tokens, text)
        found = self.gazetteer.lookup_many(key for _, _, key in spans)
        organisations = _organisation_spans(text)
        starts: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for i, j, key in spans:
            if key not in found:
                continue
            first, last = tokens.spans[i][0], tokens.spans[j - 1][1]
            if not any(a < last and first < b for a, b in organisations):
                starts[i].append((j, key))
        surnames = self._person_names(tokens, text, spans)
        return _Reading(text, tokens, spans, found, starts, _headline_lines(text), surnames)

    def _recognise(self, r: _Reading) -> None:
        """Take the article's names (``r.raw``), left to right: at each token that starts a known
        name, the longest that no rule objects to."""
        i = 0
        n_tokens = len(r.tokens)
        starts = sorted(r.starts)
        next_start = 0  # index into starts: offline, only tokens that start a match are visited
        while i < n_tokens:
            if i in r.starts:
                i = self._take(r, i)
            elif self.online is not None:
                i = self._ask_online(r, i) + 1
            else:
                while next_start < len(starts) and starts[next_start] <= i:
                    next_start += 1
                if next_start == len(starts):
                    break
                i = starts[next_start]

    def _take(self, r: _Reading, i: int) -> int:
        """Take the longest name at token i that no rule objects to, if any; the token after."""
        options = sorted(r.starts[i], reverse=True)
        if self.online is not None and self._run_end(r.tokens, i, r.text) > options[0][0]:
            # "in Bala Hissar": the gazetteer knows only a shorter name inside; ask for the whole.
            asked = self._ask_online(r, i)
            if asked != i:
                return asked + 1
        for j, key in options:
            option = self._option(r, i, j, key)
            if option is None or not self._admit(r, option):
                continue
            after = r.tokens[j].text.lower() if j < len(r.tokens) else ""
            if self._starts_marked_name(r, j):
                r.features.add(i)
                r.marked_starts.add((key, after))
            elif self._feature_head(r.tokens, j, r.text) or (
                (key, after) in r.marked_starts and self._name_word_next(r, j)
            ):
                r.features.add(i)
            elif self._before_unknown_name(r, j):
                r.prefixes.add(i)
            if self._after_unknown_word(r, i):
                r.suffixes.add(i)
            r.raw.append((i, j, option.surface, option.cands))
            r.last_end = j
            return j
        if self.online is not None:
            i = self._ask_online(r, i)
        return i + 1

    def _option(self, r: _Reading, i: int, j: int, key: str) -> _Option | None:
        """The name ``key`` at tokens i to j with the candidates its written form allows, or None
        when it allows none."""
        tokens = r.tokens
        surface = r.text[tokens[i].start : tokens[j - 1].end]
        headline = _in_spans(tokens[i].start, r.headlines)
        cands = self._admissible(r.found[key], surface, r, i, j, headline)
        if not cands:
            return None
        important = any(_important(p, f) for p, f in cands)
        return _Option(i, j, key, surface, cands, headline, important)

    def _admit(self, r: _Reading, option: _Option) -> bool:
        """Whether no rule of :data:`FIND_RULES` objects to the name (what a rule that objects
        teaches about the article is kept in ``r``)."""
        if all(f & FLAG_PERSONAL_NAME for _, f in option.cands):
            r.name_tails.add(option.j)  # a personal name ("Nelson"): a small place after it is the surname
        for rule in _RULES_IN_SCOPE[option.important, option.headline]:
            skip = rule(self, r, option)
            if skip is not None:
                _learn(r, option, skip)
                return False
        return True

    # -- recognition -----------------------------------------------------------------------

    def _is_person_or_org(self, tokens: Tokens, i: int, j: int, text: str) -> bool:
        """Context says tokens[i:j] name a person (a title before it), an organisation or a
        pathogen, not a place."""
        return (
            self._after_title(tokens, i)
            or self._org_tail(tokens, j, text)
            or self._org_run(tokens, j, text)
            or self._pathogen(tokens, i, j, text)
        )

    def _org_run(self, tokens: Tokens, j: int, text: str) -> bool:
        """The capitalised words right after the name (up to four) end in or hold an organisation
        word: "Kabul University", "Kabul Medical University", "Metz Fresh LLC"."""
        heads = self.words["org_head"]
        for k in range(j, min(j + 4, len(tokens))):
            tok = tokens[k]
            if not (tok.word and tok.capitalised) or tok.arabic or text[tokens[k - 1].end : tok.start] != " ":
                return False
            if tok.text.lower() in heads:
                return True
        return False

    def _org_tail(self, tokens: Tokens, j: int, text: str) -> bool:
        """Followed by lower-case words that make the name an organisation's: "the Bakhtar news
        agency", "the Dawn newspaper"."""
        end = tokens.spans[j - 1][1]
        if not text[end + 1 : end + 2].islower() or text[end] != " " or j >= len(tokens):
            return False  # most names are not followed by a space and a lower-case word
        if not tokens[j].text.islower():
            return False
        tails = self.words["org_tail"]
        if tokens[j].text in tails:
            return True
        return (
            j + 1 < len(tokens)
            and text[tokens[j].end : tokens[j + 1].start] == " "
            and f"{tokens[j].text} {tokens[j + 1].text}" in tails
        )

    def _pathogen(self, tokens: Tokens, i: int, j: int, text: str) -> bool:
        """Named before a pathogen word: "West Nile virus", "Rift Valley fever" (a country stays
        a place: "the Sudan strain" names where it was found)."""
        nxt = tokens[j] if j < len(tokens) else None
        if nxt is None or text[tokens[j - 1].end : nxt.start] not in {" ", ""}:
            return False
        return nxt.text.lower() in self.words["disease_head"]

    def _feature_head(self, tokens: Tokens, j: int, text: str) -> bool:
        """Followed by a capitalised word for a physical feature: "Islington Bay", "Fraser Valley"
        (the gazetteer lacks the feature, or the longer name would have matched)."""
        if j >= len(tokens):
            return False
        nxt = tokens[j]
        return (
            nxt.word
            and nxt.capitalised
            and text[tokens[j - 1].end : nxt.start] == " "
            and nxt.text.lower() in self.words["feature_head"]
        )

    @staticmethod
    def _before_unknown_name(r: _Reading, j: int) -> bool:
        """Followed by a capitalised word that starts no name the gazetteer knows, in the same
        run of words: the name may be only the first word of a longer one it lacks ("Beni
        Ounif"), kept only where the article's other places are."""
        return j not in r.starts and PlaceFinder._name_word_next(r, j)

    @staticmethod
    def _name_word_next(r: _Reading, j: int) -> bool:
        """Followed by a capitalised word of the same run of words (no function word)."""
        tokens, text = r.tokens, r.text
        if j >= len(tokens):
            return False
        nxt = tokens[j]
        return bool(
            nxt.word
            and nxt.capitalised
            and not nxt.arabic
            and text[tokens[j - 1].end : nxt.start] == " "
            and nxt.text.lower() not in _FUNCTION_WORDS
        )

    def _after_unknown_word(self, r: _Reading, i: int) -> bool:
        """Right after a capitalised word of the same run of words that is no English word, no
        title, compass word or people's name, and starts no name the gazetteer knows: the name is
        only the end of a longer one the gazetteer lacks ("Tecún Umán" is no Umán of Yucatán)."""
        tokens, text = r.tokens, r.text
        if i == 0 or r.last_end == i or (i - 1) in r.starts:
            return False
        prev = tokens[i - 1]
        if not (
            prev.word and prev.capitalised and not prev.arabic and text[prev.end : tokens[i].start] == " "
        ):
            return False
        word = prev.text.lower()
        return not (
            prev.text.isupper()  # an organisation's initials: "PIB Delhi", "GIFMM Colombia"
            or word in _FUNCTION_WORDS
            or word in self.words["title"]
            or _is_compass_word(word)
            or normalize(word) in demonyms()
            or _common_word(prev.text)
        )

    def _starts_marked_name(self, r: _Reading, j: int) -> bool:
        """Followed by one more capitalised word and then a place word: the name is only the
        first word of a longer one the gazetteer lacks ("the Krishna Ghati sector", even where
        another name starts with "Ghati"), which may be named after a place near it, not after a
        namesake far away."""
        return (
            j + 1 < len(r.tokens)
            and self._name_word_next(r, j)
            and self._place_word_after(r.tokens, j + 1, r.text, _place_words()) is not None
        )

    @staticmethod
    def _after_name_word(tokens: Tokens, i: int, text: str) -> bool:
        """Right after another capitalised word of the same name ("Mahim Bay"), not after an
        article or preposition that is capitalised only for opening a sentence ("The Bara bazaar")."""
        if i == 0:
            return False
        prev = tokens[i - 1]
        if not (prev.word and prev.capitalised and text[prev.end : tokens[i].start] == " "):
            return False
        return not (prev.text.lower() in _FUNCTION_WORDS and _sentence_initial(tokens, i - 1, text))

    def _after_title(self, tokens: Tokens, i: int) -> bool:
        """Right after a person's title: "Mr. Chaman", "President Georgia"."""
        words = self.words
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.text == "." and i > 1 and tokens[i - 2].text.lower() in words["title"]:
            return True
        return prev is not None and prev.capitalised and prev.text.lower() in words["title"]

    def _unlisted_names(self, r: _Reading, mentions: list[Mention]) -> list[_Unlisted]:
        """Names the gazetteer lacks that a place word marks as places: "the village of
        Cellardyke", "Gondra district", "Abu Shok refugee camp", and every member of a list the
        word names ("the villages of Shewa and Margha", "the Etoumbi and Mbomo districts")."""
        names = self._unlisted_candidates(r, mentions)
        return self._unlisted_groups(r, names, mentions) if names else []

    def _unlisted_candidates(self, r: _Reading, mentions: list[Mention]) -> list[tuple[int, int]]:
        """(first token, end token) of the capitalised names near a place word that are neither
        placed nor known to be something else, longest first, in text order."""
        tokens, text, spans = r.tokens, r.text, r.spans
        # Most articles hold few place words, if any: only the names near one are looked at.
        near = [
            (m.start(1) - UNLISTED_REACH, m.end() + UNLISTED_REACH)
            for m in _place_word_re().finditer(text)
            if _after_capitalised_word(text, m.start(1)) or _before_name(text, m.end())
        ]
        near += [(m.start(), m.end()) for m in _LOCATED_NAME_RE.finditer(text)]
        if not near:
            return []
        near.sort()
        offsets = tokens.spans
        # the tokens of the places found ("Nur", a name the resolution dropped, may start one)
        taken = {
            t
            for m in mentions
            for t in range(bisect_left(offsets, (m.start,)), bisect_left(offsets, (m.end,)))
        }
        longest: dict[int, int] = {}
        firsts = [i for i, _, _ in spans]
        nearby: list[tuple[int, int, str]] = []
        for a, b in near:  # the candidate spans that start near a place word, once each
            lo = bisect_left(firsts, bisect_left(offsets, (a,)))
            hi = bisect_left(firsts, bisect_left(offsets, (b + 1,)))
            nearby.extend(spans[max(lo, bisect_left(firsts, nearby[-1][0] + 1) if nearby else lo) : hi])
        # a name the resolution dropped (a far namesake, a personal name) may be one the
        # gazetteer lacks: only the names placed are known here
        placed = {_span_key(text[m.start : m.end]) for m in mentions}
        for i, j, key in nearby:
            if i in taken or key in placed or key in r.surnames or key in _CALENDAR_WORDS:
                continue
            if all(
                tokens[t].word and tokens[t].capitalised and not tokens[t].arabic and t not in taken
                for t in range(i, j)
            ):
                longest[i] = max(j, longest.get(i, 0))
        names: list[tuple[int, int]] = []
        for i in sorted(longest):
            if not names or i >= names[-1][1]:
                names.append((i, longest[i]))
        return names

    def _unlisted_groups(
        self, r: _Reading, names: list[tuple[int, int]], mentions: list[Mention]
    ) -> list[_Unlisted]:
        """The ``names`` a place word marks, each alone or with the list it is a member of."""
        tokens, text = r.tokens, r.text
        words = _place_words()
        # names and places in text order, to follow a list over both ("Bagan, Alizai and Pewar areas")
        items = sorted(
            [(tokens[i].start, tokens[j - 1].end, k) for k, (i, j) in enumerate(names)]
            + [(m.start, m.end, -1) for m in mentions]
        )
        position = {k: p for p, (_, _, k) in enumerate(items) if k >= 0}

        def listed(p: int) -> bool:  # items p and p + 1 are members of one list
            return LIST_GAP.fullmatch(text[items[p][1] : items[p + 1][0]]) is not None

        out: dict[int, _Unlisted] = {}
        groups = 0
        k = 0
        while k < len(names):
            i, j = names[k]
            after, before, in_town = self._place_word_cue(r, i, j, words)
            plural = False
            first = last = position[k]
            if after:
                plural = text[after[1] - 1] == "s"
                while plural and first > 0 and listed(first - 1):  # "the Etoumbi and Mbomo districts"
                    first -= 1
                kind, cue_end = after
            elif before:
                while last + 1 < len(items) and listed(last):  # "the villages of Shewa and Margha"
                    last += 1
                kind, cue_end = before[0], 0
            else:
                k += 1
                continue
            groups += 1
            members = [m for _, _, m in items[first : last + 1] if m >= 0 and m not in out]
            for m in members:
                mi, mj = names[m]
                # a name a place word follows may be any capitalised word ("Tribal areas"): not
                # common words only; one it follows ("the village of X") is a name
                if self._may_name_place(tokens, mi, mj, text, common_ok=bool(before)):
                    end = max(cue_end, tokens[mj - 1].end) if m == k and after else tokens[mj - 1].end
                    out[m] = _Unlisted(mi, mj, kind, end, plural or last > first, groups, in_town)
            k = max(k, *members) + 1 if members else k + 1
        return list(out.values())

    def _place_word_cue(
        self, r: _Reading, i: int, j: int, words: dict[str, str]
    ) -> tuple[tuple[str, int] | None, tuple[str, int] | None, bool]:
        """The place word that marks tokens i to j as a place: (kind, end offset) of one after
        them, (kind, 0) of one before them, and whether only the place after them marks them (a
        part of it: "in Greenlane, Auckland")."""
        tokens, text = r.tokens, r.text
        after = self._place_word_after(tokens, j, text, words)
        before = None if after else self._place_word_before(tokens, i, text, words)
        in_town = False
        if not (after or before) and self._before_its_area(r, i, j):
            after, in_town = ("village", tokens[j - 1].end), True  # "in Greenlane, Auckland": a part of it
        if after and self._names_next_place(tokens, j, text, after[0], r.found):
            after = None  # "the Kurdish village of Ranya": the village is Ranya
        return after, before, in_town

    def _before_its_area(self, r: _Reading, i: int, j: int) -> bool:
        """After a locative preposition and before a comma and a place that may hold it: "in
        Greenlane, Auckland", "in Azakhel, Nowshera" (the area is checked when it is placed)."""
        tokens = r.tokens
        if i == 0 or tokens[i - 1].text not in self.words["locative"] or j + 1 >= len(tokens):
            return False
        return tokens[j].text == "," and tokens[j].start == tokens[j - 1].end and j + 1 in r.starts

    @staticmethod
    def _names_next_place(
        tokens: Tokens, j: int, text: str, kind: str, found: dict[str, list[Candidate]]
    ) -> bool:
        """Whether the place word after token j - 1 is followed by "of" and a known place of the
        kind it names ("northern Kurdish village of Ranya"), which it then names instead."""
        k = j + 1
        while k < len(tokens) and tokens[k].text.islower() and tokens[k].text != "of":
            k += 1  # over "refugee camp"
        if k + 1 >= len(tokens) or tokens[k].text != "of":
            return False
        nxt = tokens[k + 1]
        cands = found.get(_span_key(nxt.text), []) if nxt.capitalised else []
        return any(_same_level(p.kind, kind) for p, _ in cands)

    @staticmethod
    def _place_word_after(tokens: Tokens, j: int, text: str, words: dict[str, str]) -> tuple[str, int] | None:
        """(kind, end offset) of a place word right after token j - 1 ("Gondra district")."""
        if (
            j >= len(tokens)
            or text[tokens[j - 1].end : tokens[j].start] != " "
            or not tokens[j].text.islower()
        ):
            return None
        if j + 1 < len(tokens) and text[tokens[j].end : tokens[j + 1].start] == " ":
            pair = f"{tokens[j].text} {tokens[j + 1].text}"
            if pair in words:
                return words[pair], tokens[j + 1].end
        kind = words.get(tokens[j].text)
        return (kind, tokens[j].end) if kind else None

    @staticmethod
    def _place_word_before(
        tokens: Tokens, i: int, text: str, words: dict[str, str]
    ) -> tuple[str, int] | None:
        """(kind, 0) of a place word and "of" (or a colon after a plural one) right before token i
        ("the town of Pulawy", "four villages: Kampungu, ...")."""
        if i < 2 or tokens[i - 1].text not in {"of", ":"}:
            return None
        head = tokens[i - 2].text
        if not head.islower() or (tokens[i - 1].text == ":" and not head.endswith("s")):
            return None
        kind = words.get(head)
        return (kind, 0) if kind else None

    def _may_name_place(self, tokens: Tokens, i: int, j: int, text: str, common_ok: bool = False) -> bool:
        """Not a person's or organisation's name (nor one holding an organisation word), a demonym
        ("Pashtun areas") or, unless ``common_ok``, common words only ("Tribal areas", "North
        Eastern")."""
        if self._after_title(tokens, i) or self._is_person_or_org(tokens, i, j, text):
            return False
        if any(tokens[t].text.lower() in self.words["org_head"] for t in range(i, j)):
            return False  # "Vanderbilt University": an organisation's own name
        if _span_key(text[tokens[i].start : tokens[j - 1].end]) in demonyms():
            return False
        if common_ok and not _sentence_initial(tokens, i, text):
            return True
        return not all(_common_word(tokens[t].text) for t in range(i, j))

    @staticmethod
    def _run_end(tokens: Tokens, i: int, text: str) -> int:
        """End (exclusive) of the run of up to four capitalised words that starts at token i."""
        j = i + 1
        while (
            j < len(tokens)
            and j - i < 4
            and tokens[j].capitalised
            and tokens[j].word
            and text[tokens[j - 1].end : tokens[j].start] == " "
        ):
            j += 1
        return j

    def _ask_online(self, r: _Reading, i: int) -> int:
        """Look up an unknown capitalised name after a locative preposition; return the last token
        used."""
        tokens, text = r.tokens, r.text
        tok = tokens[i]
        if self.online is None or not (tok.capitalised and tok.word) or tok.arabic or i == 0:
            return i
        if tokens[i - 1].text.lower() not in self.words["locative"] or _sentence_initial(tokens, i, text):
            return i
        j = self._run_end(tokens, i, text)
        surface = text[tok.start : tokens[j - 1].end]
        if normalize(surface) in r.surnames or normalize(surface) in _CALENDAR_WORDS or _common_word(surface):
            return i
        place = self.online.lookup(surface)
        if place is None:
            return i
        r.raw.append((i, j, surface, [(place, FLAG_PRIMARY)]))
        return j - 1

    def _speaks(self, tokens: Tokens, i: int, j: int, text: str) -> bool:
        """Followed by a verb of speech ("Hartl said"): a town does not speak (a capital or a
        country may, for its government); after a preposition it is where the speaker is from
        ("a resident of Lubbock told")."""
        if (
            j >= len(tokens)
            or text[tokens[j - 1].end : tokens[j].start] != " "
            or tokens[j].text not in self.words["speech_verb"]
        ):
            return False
        prev = tokens[i - 1].text.lower() if i else ""
        return prev != "of" and prev not in self.words["locative"]

    @staticmethod
    def _name_word_at(tokens: Tokens, j: int, text: str) -> bool:
        """Token j is a capitalised name word one space after the name before it: not Arabic
        script, an everyday word or a month or weekday."""
        nxt = tokens[j]
        if text[tokens[j - 1].end : nxt.start] != " " or not (nxt.word and nxt.capitalised) or nxt.arabic:
            return False
        return not _common_word(nxt.text) and nxt.text.lower().rstrip(".") not in _CALENDAR_WORDS

    def _admissible(
        self,
        cands: list[Candidate],
        surface: str,
        r: _Reading,
        i: int,
        j: int,
        headline: bool = False,
    ) -> list[Candidate]:
        """Candidates the surface form allows: abbreviations only in capitals, common words not at
        a sentence start nor in a headline, where capitals say nothing."""
        tokens, text = r.tokens, r.text
        dateline = self._dateline(tokens, i, j, text, surface)
        is_upper = is_abbreviation(surface)
        initial = (headline or _sentence_initial(tokens, i, text)) and not dateline
        keep = []
        for place, flags in cands:
            if is_upper and not (flags & FLAG_ABBREVIATION or flags & FLAG_CURATED or dateline):
                continue
            if flags & FLAG_ABBREVIATION and not is_upper:
                continue
            if flags & FLAG_MIXED_CASE and surface.replace(".", "").isupper():
                continue  # "LoC" as written, not "LOC"
            if flags & FLAG_COMMON_WORD and (
                (initial and not self._names_follow(r, j)) or self._after_name_word(tokens, i, text)
            ):
                continue  # "Reading the report", "Mahim Bay": an everyday word, or part of a longer name
            keep.append((place, flags))
        if dateline and any(place.kind in _DATELINE_KINDS for place, _ in keep):
            # "ARAUCA, Colombia, Feb 11 (Reuters) -": a report is filed from a town, not from
            # the province of the same name
            keep = [(place, flags) for place, flags in keep if place.kind in _DATELINE_KINDS]
        return keep

    @staticmethod
    def _names_follow(r: _Reading, j: int) -> bool:
        """A comma or "and" and another place's name follow ("Michigan, Oregon and Ohio",
        "Buffalo, New York", "Reading, Berkshire"): the word before is a name too."""
        tokens = r.tokens
        k = j
        while k < len(tokens) and k - j < 2 and tokens[k].text in {",", "and"}:
            k += 1
        return k > j and k < len(tokens) and k in r.starts

    @staticmethod
    def _dateline(tokens: Tokens, i: int, j: int, text: str, surface: str) -> bool:
        """A name in capitals (``surface``, tokens i to j) opening a line before a dateline's
        comma, colon, bracket or dash ("DOHA, Oct 19 (Reuters) -", "KHAR:", "BAKU (AP) —",
        "ISLAMABAD/KABUL"): a place, whatever its length or its likeness to a word."""
        if not surface.isupper() or j >= len(tokens):
            return False
        k = i
        while k >= 2 and tokens[k - 1].text == "/" and tokens[k - 2].text.isupper():
            k -= 2  # the second place of "ISLAMABAD/KABUL"
        if k > 0 and "\n" not in text[tokens[k - 1].end : tokens[k].start]:
            return False
        return tokens[j].text in _DATELINE_MARKS

    def _person_names(self, tokens: Tokens, text: str, spans: list[tuple[int, int, str]]) -> set[str]:
        """Names used for people in this article ("Minister Tarar", "Mr. Ali"), never places
        here: the capitalised word after a capitalised title (and its dot), on the same line."""
        titles = self._title_forms
        title_keys = self._title_keys  # a quick test first: most spans are no title
        names: set[str] = set()
        n = len(tokens)
        for i, j, key in spans:
            if j != i + 1 or key not in title_keys:
                continue
            start, end = tokens.spans[i]
            if text[start:end] not in titles:
                continue
            k = i + 1
            if k < n and tokens.spans[k][0] == end and text[end] == ".":
                end = tokens.spans[k][1]
                k += 1
            if k >= n:
                continue
            n_start, n_end = tokens.spans[k]
            gap = text[end:n_start]
            if gap and not gap.strip(" \t") and "A" <= text[n_start] <= "Z":
                names.add(_span_key(text[n_start:n_end]))
        return names

    # -- resolution ------------------------------------------------------------------------

    def _score(self, place: Place, flags: int, ctx: _Context | None = None, key: str = "") -> float:
        """How likely this candidate is meant: its kind, size and name, and the article's context."""
        base = self._base_scores.get((place.place_id, flags))
        if base is None:
            if len(self._base_scores) >= BASE_SCORE_CACHE:
                self._base_scores.clear()
            base = self._base_scores[(place.place_id, flags)] = self._base_score(place, flags)
        if ctx is None:
            return base
        return base + self._context_score(place, ctx, key)

    def _base_score(self, place: Place, flags: int) -> float:
        """The candidate's own weight: kind, size, primary name, curation, capital status."""
        score = KIND_RANK.get(place.kind, 1) * 0.1
        # Regions and seas have no population; they weigh like a large country.
        population = place.population or (REGION_WEIGHT if place.kind in WIDE_KINDS else 0)
        score += math.log10(population + 1) * 0.25
        if flags & FLAG_PRIMARY:
            score += 0.6
        if flags & FLAG_CURATED and place.kind != "country":
            score += 0.5
        if place.kind == "city" and place.population >= 100_000:
            score += 0.5
        if flags & FLAG_PRIMARY and self.gazetteer.is_capital(place):
            score += 0.8
        return score

    @staticmethod
    def _context_score(place: Place, ctx: _Context, key: str) -> float:
        """What the article's other names add to a candidate."""
        score = 0.0
        country = place.country or ""
        # Other names of the article in the same country, in the same province, provinces beside it.
        others = ctx.countries.get(country, 0) - ctx.own_country.get((key, country), 0)
        if others > 0:
            score += min(1.0, 0.6 + 0.1 * others)
        same_area = (
            ctx.admin1.get((country, place.admin1), 0) - ctx.own_admin1.get((key, country, place.admin1), 0)
            if place.admin1
            else 0
        )
        if same_area > 0:
            score += min(1.2, 0.7 + 0.15 * (same_area - 1))
        if (
            place.kind == "province"
            and ctx.provinces.get(country, 0) - ctx.own_province.get((key, country), 0) > 0
        ):
            score += 0.5
        if ctx.centre is not None and place.kind != "country" and place.kind not in WIDE_KINDS:
            d = haversine_km(ctx.centre[0], ctx.centre[1], place.lat, place.lon)
            score -= min(d, 8000.0) / 8000.0 * 0.6
        return score

    @staticmethod
    def _near_context(place: Place, key: str, ctx: _Context) -> bool:
        """Other names of the article lie in the same province as this place."""
        country = place.country or ""
        if not place.admin1:
            return PlaceFinder._in_named_country(place, key, ctx)
        return (
            ctx.admin1.get((country, place.admin1), 0) - ctx.own_admin1.get((key, country, place.admin1), 0)
            > 0
        )

    @staticmethod
    def _in_named_country(place: Place, key: str, ctx: _Context) -> bool:
        """Other names of the article lie in this place's country."""
        country = place.country or ""
        return ctx.countries.get(country, 0) - ctx.own_country.get((key, country), 0) > 0

    @staticmethod
    def _feature_near(place: Place, key: str, ctx: _Context) -> bool:
        """The place a feature is named after lies among the article's other places: in their
        country and, where they name provinces of it, in one of those."""
        country = place.country or ""
        if not PlaceFinder._in_named_country(place, key, ctx):
            return False
        areas = {
            a
            for (c, a), n in ctx.admin1.items()
            if c == country and n - ctx.own_admin1.get((key, c, a), 0) > 0
        }
        return not areas or place.admin1 in areas

    def _constrain(self, r: _Reading) -> list[RawMention]:
        """Narrow each name's candidates by what the text says around it, for every mention of
        the name in the article (one sense per discourse):

        - an area word ("the state of Washington", "Kurram district") keeps its areas;
        - an enumeration ("Arkansas, Maine, Washington and Wisconsin"; "Mali, Niger, and Senegal")
          keeps, for a member that can be one, the class most of the other members are;
        - a qualifier ("Stroud, Ontario", "Austin, in Scott County, Indiana", "Ipswich, Suffolk")
          keeps the places inside the qualifying area, and the area that holds them.

        Names the text rules out for every candidate are dropped.
        """
        raw = r.raw
        n = _Narrowing(raw, r.tokens, r.text)
        r.areas_meant, r.area_cued = n.areas_meant, n.area_cued
        if not raw:
            return raw
        self._narrow_by_possessor(n)
        self._narrow_by_area_words(n)
        in_list = self._narrow_enumerations(n)
        self._narrow_by_qualifiers(n, in_list)
        if not n.allowed and not n.dropped:
            return raw
        return [
            (i, j, surface, n.allowed.get(n.keys[k], cands))
            for k, (i, j, surface, cands) in enumerate(raw)
            if n.keys[k] not in n.dropped
        ]

    def _narrow_by_possessor(self, n: _Narrowing) -> None:
        """ "Iran's Zabol county", "Afghanistan's restive Kunar province", "Balochistan's Kech
        district": a country or province owning the name keeps its own places (Zabol in Iran, not
        Zabul in Afghanistan). Where it has none and a word after the name says it is a place
        ("Mozambique's Palma district", "Cabo Delgado's Palma district"), the name is one the
        gazetteer lacks there (no Palma of Majorca)."""
        tokens, admin_words = n.tokens, self.words["admin_word"]
        for k in range(len(n.raw) - 1):
            if not _POSSESSOR_GAP.fullmatch(n.gap(k, k + 1)):
                continue
            owners = [p for p, _f in n.current(k) if p.kind in ("country", "province") and p.country]
            if not owners:
                continue
            own = [
                (p, f)
                for p, f in n.current(k + 1)
                if any(p.country == o.country if o.kind == "country" else _contains(o, p) for o in owners)
            ]
            if own:
                n.restrict(k + 1, own)
                continue
            j = n.raw[k + 1][1]
            after = tokens[j].text if j < len(tokens) else ""
            if (after in admin_words or after in _place_words()) and not any(
                f & FLAG_CURATED for _p, f in n.current(k + 1)
            ):
                n.dropped.add(n.keys[k + 1])

    def _narrow_by_area_words(self, n: _Narrowing) -> None:
        """ "the state of Washington", "the western state of Maharashtra", "Swat district": the
        area is meant (not "a county of Taiwan", which names what holds the county)."""
        tokens, admin_words = n.tokens, self.words["admin_word"]
        for k, (i, j, _surface, _cands) in enumerate(n.raw):
            after = tokens[j].text if j < len(tokens) else ""
            cue = False
            if i >= 3 and tokens[i - 1].text == "of" and tokens[i - 2].text.lower() in admin_words:
                before = [tokens[x].text.lower() for x in range(max(0, i - 4), i - 2)]
                cue = "the" in before or before[-1] in {"its", "their", "his", "her"}
            if not cue and after not in admin_words:
                after = _area_word_after_list(tokens, j, admin_words)
            if cue or (after in admin_words and after.islower()):
                members = [k]
                if after.endswith("s"):
                    # "Khost and Paktika provinces": a plural area word names every member before it.
                    while members[0] > 0 and LIST_GAP.fullmatch(n.gap(members[0] - 1, members[0])):
                        members.insert(0, members[0] - 1)
                for m in members:
                    n.restrict(m, [(p, f) for p, f in n.current(m) if p.kind in {"province", "district"}])
                    n.areas_meant.add(n.keys[m])
                    n.area_cued.add(n.keys[m])

    def _narrow_enumerations(self, n: _Narrowing) -> set[int]:
        """Members of enumerations (runs of mentions joined by commas, "and", "or") read alike;
        returns the members that could be read as the run's class."""
        runs: list[list[int]] = [[0]]
        anded: list[bool] = [False]
        for k in range(1, len(n.raw)):
            gap = n.gap(k - 1, k)
            if LIST_GAP.fullmatch(gap):
                runs[-1].append(k)
                anded[-1] = anded[-1] or "and" in gap or "or" in gap
            else:
                runs.append([k])
                anded.append(False)
        in_list: set[int] = set()
        for run, has_and in zip(runs, anded):
            if len(run) < 2 or (len(run) < 3 and not has_and):
                continue  # "Stroud, Ontario" is a qualifier, not a list
            tops = {k: self._top(n.current(k)) for k in run}
            for k in run:
                votes = Counter(
                    sig
                    for o in run
                    if o != k and n.keys[o] != n.keys[k]
                    for sig in [_signature(tops[o])]
                    if sig is not None
                )
                if not votes:
                    continue
                sig, count = votes.most_common(1)[0]
                if count < max(1, math.ceil(0.6 * (len(run) - 1))):
                    continue
                keep = [(p, f) for p, f in n.current(k) if _signature(p) == sig]
                if not keep:
                    continue
                in_list.add(k)
                if not any(_contains(p, tops[k]) for p, _ in keep):
                    # (a city stays a city when the area is its own namesake province)
                    n.restrict(k, keep)
                    n.areas_meant.add(n.keys[k])
            if len(run) >= 3:
                self._one_country_list(n, run, tops)
        return in_list

    def _narrow_by_qualifiers(self, n: _Narrowing, in_list: set[int]) -> None:
        """ "X, Y" and "X in Y" where Y is an area: X is inside Y. Right to left, so that
        "Guildford, Surrey, UK" first settles Surrey."""
        for k in range(len(n.raw) - 2, -1, -1):
            if k in in_list and k + 1 in in_list:
                continue
            gap = n.gap(k, k + 1)
            if not _QUALIFIER_GAP.fullmatch(gap):
                continue
            inner, outer = n.current(k), n.current(k + 1)
            # The qualifier is read as a country or province, or as the area it most plausibly
            # names: "Los Angeles, San Fernando Valley" is no village inside a small district.
            best = self._top(outer)
            pairs = [
                (a, b)
                for a in inner
                for b in outer
                if (b[0] is best or _level(b[0]) <= 1) and _contains(b[0], a[0])
            ]
            if pairs:
                n.restrict(k, list({id(a[0]): a for a, _ in pairs}.values()))
                n.restrict(k + 1, list({id(b[0]): b for _, b in pairs}.values()))
                n.areas_meant.add(n.keys[k + 1])  # "Buffalo, New York": the state
            elif k not in in_list and self._qualifier_rules_out(n, k, gap, best):
                n.dropped.add(n.keys[k])

    @staticmethod
    def _qualifier_rules_out(n: _Narrowing, k: int, gap: str, best: Place) -> bool:
        """Whether the area after mention k rules out every candidate of it: "Stroud, Ontario"
        when every Stroud known is in England, "Kalam in the Swat Valley" when every Kalam is in
        India. Only for a province (or a district after "in"), never inside an enumeration
        ("X, Ontario, Quebec"; ", Canada" may follow), a large city only after a bare comma, and
        curated places never."""
        inner = n.current(k)
        located = re.search(r"\bin\b", gap) is not None
        if not (_level(best) == 1 or (_level(best) in (0, 2) and located)):
            return False  # a country only after "in": "Banjska in northern Kosovo"
        if not all(_level(p) > _level(best) and not f & FLAG_CURATED for p, f in inner):
            return False
        if any(_important(p, f) for p, f in inner):
            if gap.strip() != "," or _level(best) != 1 or (k > 0 and LIST_GAP.fullmatch(n.gap(k - 1, k))):
                return False
        if k + 2 < len(n.raw) and LIST_GAP.fullmatch(n.gap(k + 1, k + 2)):
            return any(_contains(p, best) for p, _ in n.current(k + 2))
        return True

    def _top(self, cands: list[Candidate]) -> Place:
        """The candidate of the highest score of its own (the first of equals)."""
        return cands[0][0] if len(cands) == 1 else max(cands, key=lambda pf: self._score(pf[0], pf[1]))[0]

    @staticmethod
    def _one_country_list(n: _Narrowing, run: list[int], tops: dict[int, Place]) -> None:
        """An enumeration of places below country level whose members mostly lie in one country
        ("Suba, Migori, Homa Bay, Rongo, Siaya, Kisumu"): a member that may lie there is read
        there; a small place that cannot is no member of it (a namesake abroad)."""
        for k in run:
            if tops[k].kind == "country":
                continue
            others = Counter(
                tops[o].country
                for o in run
                if o != k and n.keys[o] != n.keys[k] and tops[o].kind != "country" and tops[o].country
            )
            if not others:
                continue
            country, count = others.most_common(1)[0]
            if count < math.ceil(0.6 * (len(run) - 1)) or tops[k].country == country:
                continue
            keep = [(p, f) for p, f in n.current(k) if p.country == country]
            if keep:
                n.restrict(k, keep)
            elif not any(_important(p, f) for p, f in n.current(k)):
                n.dropped.add(n.keys[k])

    @staticmethod
    def _namesake(r: _Reading, key: str, place: Place) -> Place:
        """:func:`_namesake_city` among all the name's candidates, unless the text says the area
        is meant ("the state of New York", a list of states)."""
        full = r.full_candidates.get(key, [(place, 0)])
        if key in r.areas_meant:
            if place.kind == "province" and key not in r.area_cued:
                # "Taoyuan, Taiwan": the area holding Taoyuan is the country, not its province
                return next((c for c, _ in full if c.kind == "country" and c.country == place.country), place)
            return place
        return _namesake_city(place, full)

    def _best_two(self, cands: list[Candidate], ctx: _Context, key: str) -> tuple[Place, float]:
        """The best-scored candidate (the first of equals) and its lead over the next (2.0 when
        there is no other)."""
        if len(cands) == 1:
            return cands[0][0], 2.0
        top = second = -math.inf
        best = cands[0][0]
        for p, f in cands:
            score = self._score(p, f, ctx, key)
            if score > top:
                top, second, best = score, top, p
            elif score > second:
                second = score
        return best, top - second

    def _context(self, r: _Reading, raw: list[RawMention]) -> _Context:
        """The countries, provinces and centre that the article's clear-cut names give."""
        ctx = _Context()
        anchors: list[tuple[float, float]] = []
        seen: set[str] = set()
        for _, _, surface, cands in raw:
            key = _span_key(surface)
            if key in seen:
                continue
            seen.add(key)
            place = self._namesake(r, key, self._top(cands))
            country = place.country or ""
            if country:
                ctx.countries[country] += 1
                ctx.own_country[(key, country)] += 1
            if place.admin1:
                ctx.admin1[(country, place.admin1)] += 1
                ctx.own_admin1[(key, country, place.admin1)] += 1
            if place.kind == "province":
                ctx.provinces[country] += 1
                ctx.own_province[(key, country)] += 1
            if country and place.kind in STATING_KINDS and len({p.country for p, _ in cands}) == 1:
                ctx.stated[country] += 1
            if (
                len({p.place_id for p, _ in cands}) == 1
                and place.kind != "country"
                and place.kind not in WIDE_KINDS
            ):
                anchors.append((place.lat, place.lon))
                ctx.anchored[key] = (place.lat, place.lon)
        ctx.anchors = len(anchors)
        if anchors:
            ctx.centre = (
                sum(a[0] for a in anchors) / len(anchors),
                sum(a[1] for a in anchors) / len(anchors),
            )
        return ctx

    def _resolve(self, article: Article, r: _Reading, raw: list[RawMention]) -> list[Mention]:
        """Each mention's place: the best-scored candidate in the article's context. A name that
        only starts the name of a physical feature ("Islington Bay") is kept where the article's
        other places are (the feature lies near its namesake), dropped elsewhere."""
        ctx = self._context(r, raw)
        for code in demonyms_in(article.clean):
            ctx.stated[code] += 1  # "Cambodian troops": the article is about Cambodia too
        mentions: list[Mention] = []
        governs: list[bool] = []  # a government that no preposition puts as a location
        chosen: dict[str, tuple[Place | None, float]] = {}
        text = article.clean
        tokens = r.tokens
        words = _place_words()
        for i, j, surface, cands in raw:
            key = _span_key(surface)
            if key not in chosen:
                chosen[key] = self._choose_place(r, key, cands, ctx)
            place, confidence = chosen[key]
            if place is None:
                continue
            said = self._place_word_after(tokens, j, text, words)
            if said is not None:
                place = _said_kind(place, said[0], cands)
            if i in r.features and not self._feature_near(place, key, ctx):
                continue
            if (
                i in r.prefixes
                and place.kind in SMALL_KINDS
                and not next((f for p, f in cands if p is place), 0) & FLAG_CURATED
                and not self._in_named_country(place, key, ctx)
            ):
                continue  # "near Beni Ounif" (Algeria) in a story of the Maghreb: no Beni of Congo
            if (
                i in r.suffixes
                and place.kind in SMALL_KINDS
                and not next((f for p, f in cands if p is place), 0) & FLAG_CURATED
                and not self.gazetteer.is_capital(place)
            ):
                continue  # "Tecún Umán" (Guatemala): no Umán of Yucatán
            start, end = tokens[i].start, tokens[j - 1].end
            located = self._after_locative(tokens, i)
            mentions.append(
                Mention(
                    article=article.name,
                    mention=article.text[start:end],
                    start=start,
                    end=end,
                    place=place,
                    role=self._role(tokens, i, j, place, located),
                    confidence=confidence,
                )
            )
            governs.append(not located and _governmental(place))
        self._coordinate_actors(mentions, governs, text)
        return mentions

    def _choose_place(
        self, r: _Reading, key: str, cands: list[Candidate], ctx: _Context
    ) -> tuple[Place | None, float]:
        """The place a name means and how sure that is (from the lead of the best-scored
        candidate over the next), or (None, 0.0) when a rule of :data:`DROP_RULES` says the
        gazetteer lacks the place meant."""
        best, margin = self._best_two(cands, ctx, key)
        place = self._namesake(r, key, best)
        flags = next((f for p, f in (*cands, *r.full_candidates.get(key, ())) if p is place), 0)
        for rule in DROP_RULES:
            if rule(self, place, flags, key, ctx):
                return None, 0.0
        return place, 1 / (1 + math.exp(-2.5 * margin))

    @staticmethod
    def _coordinate_actors(mentions: list[Mention], governs: list[bool], text: str) -> None:
        """Governments named together act together: in "Riyadh and Ankara hosted the talks" the
        verb after Ankara makes Riyadh an actor too (right to left, along the enumeration)."""
        for k in range(len(mentions) - 2, -1, -1):
            here, after = mentions[k], mentions[k + 1]
            if (
                here.role == "location"
                and governs[k]
                and after.role == "actor"
                and after.place.kind == here.place.kind
                and LIST_GAP.fullmatch(text[here.end : after.start])
            ):
                here.role = "actor"

    def _after_locative(self, tokens: Tokens, i: int) -> bool:
        """Right after a locative preposition ("in Kabul", "in the Kurram"), compass words between
        them included ("in southern Lebanon", "at the far north-western Kurram")."""
        k = i - 1
        while k >= 0 and i - k <= 4 and _is_compass_word(tokens[k].text):
            k -= 1
        if k >= 0 and tokens[k].text.lower() == "the":
            k -= 1
        return k >= 0 and tokens[k].text.lower() in self.words["locative"]

    def _role(self, tokens: Tokens, i: int, j: int, place: Place, located: bool) -> str:
        """location, actor or other, from the words around the mention (``located``: right
        after a locative preposition)."""
        words = self.words
        if located:
            return "location"
        nxt = tokens[j].text if j < len(tokens) else ""
        nxt2 = tokens[j + 1].text.lower() if j + 1 < len(tokens) else ""
        if _governmental(place):
            if nxt.lower() in words["actor_verb"]:
                return "actor"
            if i > 0 and tokens[i - 1].text.lower() in words["actor_object"]:
                return "actor"  # "blames Kabul", "urged Islamabad"
            if nxt in _POSSESSIVE or nxt.lower() == "s" or (nxt in {"'", "’"} and nxt2 == "s"):
                return "actor"
            if place.kind == "country":
                return "other" if nxt.lower() in {"-", "–", "—"} else "actor"
        return "location"


# ---------------------------------------------------------------------------------------------
# Recognition rules: what the text around a known name says against its being a place there.
# Each gives a verdict on one name (an _Option) or None; the first verdict wins.


def _person_or_organisation(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A small place's name after a person's title ("Mr. Chaman"), in an organisation's name
    ("Kabul University", "the Bakhtar news agency") or before a pathogen's word ("Marburg
    virus")."""
    tokens, text = r.tokens, r.text
    if f._after_title(tokens, o.i) or f._org_tail(tokens, o.j, text) or f._org_run(tokens, o.j, text):
        return _Skip.NO_PLACE
    return _Skip.PATHOGEN if f._pathogen(tokens, o.i, o.j, text) else None


def _pathogen_name(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A larger place's name before a pathogen's word: "West Nile virus", "Rift Valley fever" (a
    country stays a place: "the Sudan strain" names where it was found)."""
    if any(p.kind == "country" for p, _ in o.cands):
        return None
    return _Skip.PATHOGEN if f._pathogen(r.tokens, o.i, o.j, r.text) else None


def _after_a_title(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A larger place's name after a person's title: "President Georgia"."""
    return _Skip.NO_PLACE if f._after_title(r.tokens, o.i) else None


def _compass_part(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """Compass words before another place's name: "South West England" is a part of England,
    not Cameroon's South-West."""
    j, tokens = o.j, r.tokens
    if (
        j in r.starts
        and set(o.key.split()) <= _COMPASS
        and r.text[tokens[j - 1].end : tokens[j].start] == " "
    ):
        return _Skip.NO_PLACE
    return None


def _organisation_name(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A city or area named as part of an organisation's name: "the New York Times", "Kabul
    University", "Ohio State University" (a country stays a place: "Pakistan Army" is
    Pakistan's)."""
    tokens, j, text = r.tokens, o.j, r.text
    if j >= len(tokens) or any(p.kind == "country" for p, _ in o.cands):
        return None
    return _Skip.NO_PLACE if f._org_run(tokens, j, text) or f._org_tail(tokens, j, text) else None


def _compound_name(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """Part of a hyphenated name the gazetteer lacks: joined by a hyphen to a capitalised word
    that starts no place, "Agence France-Presse" (not "Chaman-Spin Boldak"), or by a hyphened
    connector, "Dasht-e-Barchi" (:func:`_connector_compound`)."""
    tokens, j, text = r.tokens, o.j, r.text
    if j + 1 < len(tokens) and tokens[j].text in _HYPHENS:
        nxt = tokens[j + 1]
        if (
            text[tokens[j - 1].end : nxt.start] == tokens[j].text
            and nxt.word
            and nxt.capitalised
            and j + 1 not in r.starts
        ):
            return _Skip.NO_PLACE
    return _Skip.NO_PLACE if _connector_compound(tokens, o.i, j, text) else None


def _possessive_name(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A small place's name before a possessive and a capitalised word: "St. Peter's Square",
    "Nature's Way", a longer name the gazetteer lacks, not the village; not before a place's
    name, which the first place holds ("Chitral's Arandu")."""
    tokens, j, text = r.tokens, o.j, r.text
    if j + 2 >= len(tokens) or tokens[j].text not in {"'", "’"} or tokens[j + 1].text not in {"s", "S"}:
        return None
    if j + 2 in r.starts:
        return None
    nxt = tokens[j + 2]
    if (
        tokens[j].start == tokens[j - 1].end
        and tokens[j + 1].start == tokens[j].end
        and text[tokens[j + 1].end : nxt.start] == " "
        and nxt.word
        and nxt.capitalised
    ):
        return _Skip.NO_PLACE
    return None


def _known_person_or_pathogen(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A name the article used before for a person or a pathogen."""
    return _Skip.NO_PLACE if o.key in r.surnames or o.key in r.pathogens else None


def _surname(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A small place's name that goes on a person's name begun before it: "Nelson Mandela", or
    the tail of a longer capitalised name that is no place itself, "Sherfane Rutherford"."""
    i, tokens = o.i, r.tokens
    if i in r.name_tails:
        return _Skip.PERSON
    prev = tokens[i - 1] if i > 0 else None
    if (
        prev is not None
        and prev.word
        and prev.capitalised
        and not prev.arabic
        and r.last_end != i  # not right after a name taken
        and r.text[prev.end : tokens[i].start] == " "
        and not _common_word(prev.text)
    ):
        return _Skip.PERSON
    return None


def _first_name(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A small place's name followed by another capitalised name word is a person's first name
    or part of an organisation's name ("Syed Mohammad Ali", "Jawad Sarga"), and the word after
    it the rest of the name."""
    if o.j >= len(r.tokens):
        return None
    return _Skip.FIRST_NAME if f._name_word_at(r.tokens, o.j, r.text) else None


def _speaker(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A small place's name before a verb of speech: '"...," Hartl said' is a person."""
    return _Skip.PERSON if f._speaks(r.tokens, o.i, o.j, r.text) else None


def _given_name(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A town or city of any size whose name is a given name ("George", "Eugene"), followed by a
    capitalised word that is no place and no everyday word, is that person's first name:
    "George Gzhailidi", "Eugene Owusu" (not "Austin, Texas" or "Victoria Falls"); the rest of the
    name is no place either."""
    j = o.j
    if j >= len(r.tokens) or j in r.starts:
        return None
    if not all(
        flags & FLAG_GIVEN_NAME and not flags & FLAG_CURATED and p.kind in _SETTLEMENTS
        for p, flags in o.cands
    ):
        return None
    return _Skip.GIVEN_NAME if f._name_word_at(r.tokens, j, r.text) else None


def _speaking_town(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """A town that is no seat of government before a verb of speech: "Paterson says" is a
    person (a capital or a country may speak for its government)."""
    if not f._speaks(r.tokens, o.i, o.j, r.text):
        return None
    if all(
        p.kind in _SETTLEMENTS and not flags & FLAG_CURATED and not _governmental(p) for p, flags in o.cands
    ):
        return _Skip.PERSON
    return None


def _according_to_whom(f: PlaceFinder, r: _Reading, o: _Option) -> _Skip | None:
    """The whole of what follows "according to": "according to Yap" says who says it, not where
    (a government may say it: a country, a curated place, a large city)."""
    if not _according_to(r.tokens, o.i, o.j):
        return None
    if any(p.kind == "country" or flags & FLAG_CURATED or _governmental(p) for p, flags in o.cands):
        return None
    return _Skip.PERSON


#: The recognition rules, in the order they are asked, each with the names it is asked about
#: (the order matters: an earlier verdict wins, and what the article learns from one, a surname,
#: holds for the names after it).
FIND_RULES: tuple[tuple[Rule, Scope], ...] = (
    (_person_or_organisation, Scope.SMALL),
    (_pathogen_name, Scope.LARGE),
    (_after_a_title, Scope.LARGE),
    (_compass_part, Scope.ANY),
    (_organisation_name, Scope.LARGE),
    (_compound_name, Scope.ANY),
    (_possessive_name, Scope.SMALL),
    (_known_person_or_pathogen, Scope.ANY),
    (_surname, Scope.SMALL_IN_TEXT),
    (_first_name, Scope.SMALL_IN_TEXT),
    (_speaker, Scope.SMALL_IN_TEXT),
    (_given_name, Scope.LARGE_IN_TEXT),
    (_speaking_town, Scope.LARGE_IN_TEXT),
    (_according_to_whom, Scope.IN_TEXT),
)

#: The rules asked about a name, in order, by (important, in a headline).
_RULES_IN_SCOPE: dict[tuple[bool, bool], tuple[Rule, ...]] = {
    (important, headline): tuple(rule for rule, scope in FIND_RULES if Scope.of(important, headline) in scope)
    for important in (False, True)
    for headline in (False, True)
}


# ---------------------------------------------------------------------------------------------
# Resolution rules: whether the place chosen for a name is one the gazetteer lacks here.


def _personal_name_elsewhere(f: PlaceFinder, place: Place, flags: int, key: str, ctx: _Context) -> bool:
    """A personal name ("Michael", "Johnson") is a small place only in an article about its
    province."""
    return bool(flags & FLAG_PERSONAL_NAME) and not f._near_context(place, key, ctx)


def _romanised_elsewhere(f: PlaceFinder, place: Place, flags: int, key: str, ctx: _Context) -> bool:
    """A spelling variant ("Kalandar" for Qalandar, "Kiryat Shmona" for Qiryat Shmona) is the place
    only where the article is about its country or names a neighbour of it (a border story told
    from the other side: "a rocket fired from Lebanon struck Kiryat Shmona")."""
    if not flags & FLAG_ROMANISED or f._in_named_country(place, key, ctx):
        return False
    return not any(place.country in neighbours(c) for c in _other_countries(key, ctx))


def _other_countries(key: str, ctx: _Context) -> set[str]:
    """The countries of the article's names other than ``key``."""
    return {c for c, n in ctx.countries.items() if n - ctx.own_country.get((key, c), 0) > 0}


def _stray_village(f: PlaceFinder, place: Place, flags: int, key: str, ctx: _Context) -> bool:
    """A village far from where the article is and in a country it does not name is a name the
    gazetteer lacks here ("Boya" in a report from Waziristan is no village in Australia)."""
    if (
        place.kind != "village"
        or flags & FLAG_CURATED
        or ctx.centre is None
        or ctx.anchors < STRAY_MIN_ANCHORS
    ):
        return False
    if f._in_named_country(place, key, ctx):
        return False
    # a village known by another of its names ("Banjska" of Bansko, Bulgaria) is weaker evidence
    # than one named as it is: nearer is already far
    reach = STRAY_VILLAGE_KM if flags & FLAG_PRIMARY else STRAY_ALIAS_VILLAGE_KM
    return haversine_km(ctx.centre[0], ctx.centre[1], place.lat, place.lon) > reach


def _stray_small_place(f: PlaceFinder, place: Place, flags: int, key: str, ctx: _Context) -> bool:
    """A small place in a country the article neither states nor borders on, far from where it
    is: a name the gazetteer lacks here ("Kork" of a Cambodian border village is no Cork, Ireland;
    "Rega" of Kunar no village in Indonesia; "Shuja" of a governor's name no Shuya)."""
    if place.kind not in SMALL_KINDS or flags & FLAG_CURATED or place.population >= STRAY_MAX_POPULATION:
        return False
    if place.kind == "city" and (flags & FLAG_PRIMARY or f.gazetteer.is_capital(place)):
        return False  # a city by its own name, a capital: the talks in Doha
    if not ctx.stated or not place.country or place.country in ctx.stated:
        return False
    if any(place.country in neighbours(c) for c in ctx.stated):
        return False
    return (
        ctx.centre is None
        or haversine_km(ctx.centre[0], ctx.centre[1], place.lat, place.lon) > STRAY_VILLAGE_KM
    )


def _stray_alias(f: PlaceFinder, place: Place, flags: int, key: str, ctx: _Context) -> bool:
    """A town or city known here only by another of its names, in a country none of the article's
    other names is in and far from its places: a name the gazetteer lacks there ("Enguri", an old
    name of Ankara, of the bridge on the Abkhaz line; "Banjska" of Bansko in a story from
    Kosovo)."""
    if place.kind not in SMALL_KINDS or flags & (FLAG_PRIMARY | FLAG_CURATED) or _in_own_script(key):
        return False  # ("Москва", "کابل": a name in the place's own script is no namesake)
    if not place.country or place.country in _other_countries(key, ctx):
        return False
    centre, anchors = ctx.centre_without(key)  # where the article's other places are
    if centre is None or anchors < STRAY_MIN_ANCHORS:
        return False
    return haversine_km(centre[0], centre[1], place.lat, place.lon) > STRAY_ALIAS_VILLAGE_KM


#: The last code point of the Latin letters (Latin Extended-B).
_LATIN_END = 0x24F


def _in_own_script(key: str) -> bool:
    """Whether a name is written in a script other than the Latin alphabet (Cyrillic, Arabic)."""
    return any(ch.isalpha() and ord(ch) > _LATIN_END for ch in key)


def _stray_crossing(f: PlaceFinder, place: Place, flags: int, key: str, ctx: _Context) -> bool:
    """A curated crossing in a story of other countries, far from its places: a name shared by
    crossings the gazetteer lacks ("the Second Friendship Bridge" of Mae Sot is no Friendship
    Bridge of Foz do Iguaçu)."""
    if place.kind != "crossing" or not place.country or ctx.centre is None:
        return False
    others = _other_countries(key, ctx)
    if not others or place.country in others or any(place.country in neighbours(c) for c in others):
        return False
    return haversine_km(ctx.centre[0], ctx.centre[1], place.lat, place.lon) > STRAY_VILLAGE_KM


def _stray_district(f: PlaceFinder, place: Place, flags: int, key: str, ctx: _Context) -> bool:
    """A second-level area whose name areas of several countries bear, in a country none of the
    article's other names is in or borders on, far from its places: a word of a longer name the
    gazetteer lacks ("Ain" of "Ain Issa" in a story from the Syrian border is no French
    department; "Pangasinan", an area of one country alone, is what it says)."""
    if place.kind != "district" or flags & FLAG_CURATED or not place.country or ctx.centre is None:
        return False
    if ctx.anchors < STRAY_MIN_ANCHORS:
        return False
    areas = [p for p, _f in f.gazetteer.lookup_many([key]).get(key, []) if p.kind in ("district", "province")]
    if len({p.country for p in areas}) < 2:
        return False
    others = _other_countries(key, ctx)
    if not others or place.country in others or any(place.country in neighbours(c) for c in others):
        return False
    return haversine_km(ctx.centre[0], ctx.centre[1], place.lat, place.lon) > STRAY_VILLAGE_KM


#: The resolution rules: any of them drops the name.
DROP_RULES: tuple[DropRule, ...] = (
    _personal_name_elsewhere,
    _romanised_elsewhere,
    _stray_village,
    _stray_small_place,
    _stray_alias,
    _stray_crossing,
    _stray_district,
)


@dataclass(slots=True)
class _Unlisted:
    """A name the gazetteer lacks that a place word marks as a place."""

    i: int  # first token
    j: int  # end token
    kind: str
    cue_end: int  # where the phrase naming it ends ("Gondra district|"), for the area after it
    in_list: bool  # a member of a list the place word names
    group: int  # which list (or lone name) it is a member of
    in_town: bool = False  # named by no place word, only by the place after it: held by a district or town


#: Kinds of place a place word after a name asks for ("Mandera town", "Mandera county").
_SETTLED_KINDS = frozenset({"city", "town", "village"})
_AREA_KINDS = frozenset({"province", "district", "region"})


def _said_kind(place: Place, word_kind: str, cands: list[Candidate]) -> Place:
    """The place a name means where the word after it says its kind: "Mandera town" is the town,
    though the article's "Mandera" is otherwise the county (the most populous of the same
    country's namesakes of that kind)."""
    want = (
        _SETTLED_KINDS if word_kind in _SETTLED_KINDS else _AREA_KINDS if word_kind in _AREA_KINDS else None
    )
    if want is None or place.kind in want:
        return place
    same = [p for p, _ in cands if p.kind in want and p.country == place.country]
    return max(same, key=lambda p: p.population or 0) if same else place


@lru_cache(maxsize=1)
def _place_words() -> dict[str, str]:
    """Place words (``geodata/place_words.csv``) and the kind of place each names."""
    return {row["word"].strip(): row["kind"].strip() for row in read_geodata_csv("place_words.csv")}


@lru_cache(maxsize=1)
def _place_word_re() -> re.Pattern[str]:
    """A space and any place word, as a whole word (group 1; the longest that ends a word:
    "border crossing" before "border"). The space first makes the scan fast; a place word that
    marks a name has one before it."""
    return re.compile(r" (" + _trie_pattern(_place_words()) + r")\b")


#: A tree of words' letters: each letter's subtree, "" where a word ends.
_Trie = dict[str, "_Trie"]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, the longer first where one begins
    another, written as a tree of their shared beginnings ("a(?:irbase|rea(?:s)?)"): the regex
    engine then tries one branch per letter, not every word at every position."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: _Trie) -> str:
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first

    return branch(tree)


def _after_capitalised_word(text: str, offset: int) -> bool:
    """Whether a capitalised word and one space come just before ``offset`` ("Gondra |district")."""
    if offset < 2 or text[offset - 1] != " ":
        return False
    k = offset - 2
    while k >= 0 and offset - k < 40 and text[k].isalpha():
        k -= 1
    return k < offset - 2 and text[k + 1].isupper()


def _before_name(text: str, offset: int) -> bool:
    """Whether "of" or a colon and a capitalised word follow ``offset`` ("the village| of Cellardyke")."""
    if text.startswith(" of ", offset):
        return text[offset + 4 : offset + 5].isupper()
    return text.startswith(": ", offset) and text[offset + 2 : offset + 3].isupper()


#: A preposition, a capitalised name and a comma ("in Greenlane, Auckland"): where a name the
#: gazetteer lacks may stand before the place that holds it (led by the space, which makes the
#: scan fast).
_LOCATED_NAME_RE = re.compile(r" (?:in|at|near|outside|from) [A-Z][^\W\d_]+(?: [A-Z][^\W\d_]+)?, [A-Z]")

#: The locative prepositions that put what a sentence tells at a place ("in", "near"): those of
#: ``name_context.csv`` that do not also lead to people ("to", "from") or spans ("between").
_PLACING_LOCATIVES = frozenset({"in", "at", "near", "inside", "outside", "around", "into"})


def _slot_name(group: str) -> str:
    """A capitalised name (up to four words, "al-" and hyphens inside) standing where a place
    goes, as the named ``group``."""
    return rf"(?P<{group}>(?-i:[A-Z])[\w’'-]*(?:\s+(?:al-|el-)?(?-i:[A-Z])[\w’'-]*){{0,3}})"


#: Words that open a noun phrase, never a name: "The village of ..." names no place "The".
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})


@lru_cache(maxsize=1)
def _place_slot_re() -> re.Pattern[str]:
    """A name where a sentence puts a place: after a placing locative or a verb of force done to a
    place (``place_verb`` of ``name_context.csv``: "attacked Kumarakapay"), with "the", a border word and
    a place word with "of" between ("near the border village of Aato"); after a place word and
    "of" ("the village of Shtula"); or before a place word ("Kang district")."""
    context = _context_words()
    lead = "|".join(
        sorted((_PLACING_LOCATIVES & context["locative"]) | context.get("place_verb", frozenset()))
    )
    words = _trie_pattern(_place_words())
    end = r"(?![\w’'-])(?![’']s\b)"
    return re.compile(
        rf"\b(?:{lead})\s+(?:the\s+)?(?:(?:border|frontier|remote|nearby|neighbouring|neighboring)\s+)?"
        rf"(?P<marked>(?:{words})\s+of\s+)?{_slot_name('name')}{end}(?=(?P<after>\s+(?:{words})\b)?)"
        rf"|\b(?:{words})\s+of\s+{_slot_name('of_name')}{end}"
        rf"|(?!(?:{'|'.join(sorted(_DETERMINERS))})\b){_slot_name('named')}\s+(?:{words})\b",
        re.IGNORECASE,
    )


def unlisted_in_slot(text: str, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the names ``text`` (a sentence) puts where a place goes (:func:`_place_slot_re`)
    that are no place found (overlap none of ``taken``), and whose every word is no month,
    weekday or people's word, nor an everyday word unless a place word marks it, no acronym and
    no organisation's: the places the gazetteer lacks that a story tells of ("armed men attacked
    Kumarakapay on Friday", "near the border villages of Aato and Yeed")."""
    out = []
    orgs = _organisation_spans(text)
    for m in _place_slot_re().finditer(text):
        group = next(g for g in ("name", "of_name", "named") if m[g])
        start, end = m.span(group)
        if any(a < end and start < b for a, b in [*taken, *orgs]):
            continue
        # a name a place word marks may be an everyday word ("the village of Kang", "Kang district")
        marked = group != "name" or m["marked"] is not None or m["after"] is not None
        words = m[group].split()
        if m[group].isupper():
            continue  # an acronym ("attacked the FACA position"): a force or a body, not a place
        if words[0].lower() in _DETERMINERS or any(
            (_common_word(w) and not marked) or w.lower().rstrip(".") in _CALENDAR_WORDS or demonyms_in(w)
            for w in words
        ):
            continue
        out.append((start, end))
    return out


#: How far (characters) from a place word a name it marks may start: the list it names included.
UNLISTED_REACH = 100
#: How sure a place is that only a place word and the area around it locate.
UNLISTED_CONFIDENCE = 0.3
#: What lies between a place and the area that holds it: "Cellardyke in Fife", "Gondra district
#: of Uttar Pradesh", "Wedza district, Mashonaland East", "Shewa village near Mir Ali".
_HOLDER_GAP = re.compile(
    r"\s*,\s*(?:(?:located|situated)\s+)?(?:in\s+(?:the\s+)?)?"
    r"|\s+(?:(?:located|situated)\s+)?(?:in|of|near|outside)\s+(?:the\s+)?"
)
#: A place's own area named after it: "Arunachal Pradesh's [Tawang]".
_POSSESSIVE_GAP = re.compile(r"[’']s\s+")
#: Kinds of place that may hold an unlisted one (a country or a sea is too wide to put it on).
_HOLDER_KINDS = frozenset(
    {
        "province",
        "region",
        "disputed-area",
        "district",
        "city",
        "town",
        "village",
        "landmark",
        "crossing",
        "pass",
    }
)
#: Kinds that may hold an unlisted province or district (anything may hold a village).
_HOLDS = {
    "province": frozenset({"province", "region"}),
    "region": frozenset({"province", "region"}),
    "district": frozenset({"province", "region", "district", "city"}),
}
_SETTLEMENTS = frozenset({"city", "town", "village"})
#: What may hold a name only a comma puts in it ("in Greenlane, Auckland"): a province's point
#: would be hundreds of kilometres off for a village.
_TOWN_HOLDERS = frozenset({"district", "city", "town", "village", "landmark", "crossing", "pass"})
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n")


def _same_level(kind: str, other: str) -> bool:
    """Kinds a place word may name alike: the settlements, and otherwise only the kind itself."""
    return kind == other or (kind in _SETTLEMENTS and other in _SETTLEMENTS)


def _sentence_end(text: str, offset: int) -> int:
    after = _SENTENCE_BREAK.search(text, offset)
    return after.start() if after else len(text)


def _holder(mentions: list[Mention], name: _Unlisted, start: int, text: str) -> Mention | None:
    """The area the text puts an unlisted place in: the place right after it in its sentence ("X
    village in Y", "X district of Y", "the town of X, Y", "X, located in Y"), or, for a member of
    a list, a listed place before it ("the Etoumbi and Mbomo districts")."""
    holds = _TOWN_HOLDERS if name.in_town else _HOLDS.get(name.kind, _HOLDER_KINDS)
    cue_end = name.cue_end
    sentence_end = _sentence_end(text, cue_end)
    before: Mention | None = None
    for k, m in enumerate(mentions):
        if m.end <= start:
            before = m
        elif m.start >= cue_end:
            if (
                m.start < sentence_end
                and m.place.kind in holds
                and _HOLDER_GAP.fullmatch(text[cue_end : m.start])
            ):
                # "the Yangtse area of Arunachal Pradesh's Tawang sector": the area of the area
                inner = mentions[k + 1] if k + 1 < len(mentions) else None
                if (
                    inner is not None
                    and inner.start < sentence_end
                    and inner.place.kind in holds
                    and _POSSESSIVE_GAP.fullmatch(text[m.end : inner.start])
                ):
                    return inner
                return m
            break
    if (
        name.in_list
        and before is not None
        and before.place.kind in _HOLDER_KINDS
        and LIST_GAP.fullmatch(text[before.end : start])
    ):
        return before
    return None


def _place_unlisted(
    article: Article, tokens: Tokens, unlisted: list[_Unlisted], mentions: list[Mention]
) -> list[Mention]:
    """The mentions with the unlisted places that a holding area locates (at its point, with a
    low confidence), in text order. The members of a list lie where one of them is said to lie;
    an unlisted name put in no area is left out, unless it names a side of a curated crossing."""
    text = article.clean
    holders: dict[int, Mention] = {}
    for name in reversed(unlisted):  # a list's area comes after its last member
        if (holder := _holder(mentions, name, tokens[name.i].start, text)) is not None:
            holders.setdefault(name.group, holder)
    added: list[Mention] = []
    for name in unlisted:
        start, end = tokens[name.i].start, tokens[name.j - 1].end
        surface = article.text[start:end]
        place = _unlisted_place(text, start, surface, name.kind, holders.get(name.group))
        if place is not None:
            added.append(
                Mention(
                    article=article.name,
                    mention=surface,
                    start=start,
                    end=end,
                    place=place,
                    role="location",
                    confidence=UNLISTED_CONFIDENCE,
                )
            )
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


#: A crossing named with the word that says what it is ("the Jaber crossing", "the Kyzyl-Bel
#: checkpoint"): its name alone means it in the rest of the story.
_CROSSING_NAMED_RE = re.compile(
    r"(?P<name>.+?)\s+(?:border\s+)?(?:crossing(?:\s+point)?|checkpoint|border\s+(?:post|point)|"
    r"gate|terminal|land\s+port)",
    re.IGNORECASE,
)
#: A capitalised word right before or after a name: the name is part of a longer one ("Sheikh
#: Jaber", "Jaber Al-Sabah").
_CAPITAL_BEFORE_RE = re.compile(r"(?-i:[A-Z])[\w’'-]*[ \t]+$")
_CAPITAL_AFTER_RE = re.compile(r"[ \t]+(?-i:[A-Z])")


def _crossings_by_name_alone(article: Article, mentions: list[Mention]) -> list[Mention]:
    """The mentions, with the crossing a story named with its crossing word ("Jordan reopened
    the Jaber crossing") wherever the story names it alone ("Jaber reopens"; one sense per
    discourse), in text order."""
    named: dict[str, Mention] = {}
    for m in mentions:
        if m.place.kind == "crossing" and m.role == "location":
            found = _CROSSING_NAMED_RE.fullmatch(m.mention)
            name = found["name"] if found else m.mention
            if len(name) > 2 and name[0].isupper() and " " not in name.strip():
                named.setdefault(name, m)
    if not named:
        return mentions
    text = article.clean
    taken = [(m.start, m.end) for m in mentions]
    added = []
    for name, first in named.items():
        for hit in re.finditer(rf"(?<![\w’'-]){re.escape(name)}(?![\w’'-])", text):
            start, end = hit.span()
            if any(a < end and start < b for a, b in taken):
                continue
            before = text[max(0, start - 30) : start]
            if _CAPITAL_BEFORE_RE.search(before) and not before.rstrip().endswith((".", ":", "-", "—", "–")):
                continue
            if _CAPITAL_AFTER_RE.match(text, end):
                continue
            added.append(dataclasses.replace(first, mention=name, start=start, end=end))
            taken.append((start, end))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def _unlisted_place(text: str, start: int, surface: str, kind: str, holder: Mention | None) -> Place | None:
    """Where an unlisted name of ``kind`` at ``start`` lies: in the area ``holder`` names (at the
    town of its whole name there, or at the area's point), or, with no area, at the curated
    crossing one of whose sides it names; else None."""
    if holder is None:
        # "near the Rabia border crossing": a curated crossing named by one of its sides
        return _crossing_by_side(surface) if kind == "crossing" else None
    inside = holder.place
    known = _listed_inside(text, start, surface, kind, inside)
    if known is not None:
        # "the al-Wadiah crossing in Hadramawt": the gazetteer knows the town by its whole
        # name, which the text joined to an article word ("al-"): the place is there
        return dataclasses.replace(known, kind=kind, within=known.kind)
    return Place(
        place_id=f"{UNLISTED_PREFIX}{'-'.join(normalize(surface).split())}:{inside.place_id}",
        name=surface,
        lat=inside.lat,
        lon=inside.lon,
        kind=kind,
        country=inside.country,
        admin1=inside.admin1,
        source=f"geomap: not in the gazetteer; placed at {inside.name}, which holds it",
        within=inside.kind,
    )


@lru_cache(maxsize=1)
def _crossing_sides() -> dict[str, Place | None]:
    """Each name one side of a curated crossing bears ("Rabia" of Rabia–Yarubiyah), by its lookup
    key: the crossing, or None when two crossings share it."""
    sides: dict[str, Place | None] = {}
    for place in default_gazetteer().crossings():
        parts = re.split(r"\s*[–—]\s*", place.name)
        for key in (normalize(part) for part in parts if len(parts) > 1):
            if key:
                sides[key] = place if sides.get(key, place) is place else None
    return sides


def _crossing_by_side(surface: str) -> Place | None:
    """The curated crossing one of whose sides an unlisted crossing is named after ("the Rabia
    border crossing", "the Jaber crossing"), when only one is."""
    return _crossing_sides().get(normalize(surface))


#: A lower-case word joined to a name before it ("al-Wadiah", "el-Arish"): the whole is the name.
_JOINED_BEFORE_RE = re.compile(r"(?<![\w-])([a-z]{1,3})[-‑]$")
#: How far a crossing may lie from the area said to hold it, when named after a town of its
#: own or the neighbouring country (the town may lie on the other side of the border).
LISTED_CROSSING_KM = 300.0
#: How far another unlisted place may lie from the point of the area said to hold it.
LISTED_INSIDE_KM = 50.0


def _listed_inside(text: str, start: int, surface: str, kind: str, inside: Place) -> Place | None:
    """The town an unlisted place is named after when the gazetteer knows it by the name with the
    lower-case word the text joins to it ("the al-Wadiah crossing in Hadramawt": Al Wadiah), in
    the holding area's country (for a crossing, or in a neighbouring one) and near that area."""
    joined = _JOINED_BEFORE_RE.search(text, max(0, start - 4), start)
    if joined is None:
        return None
    near_countries = {inside.country} | (
        set(neighbours(inside.country)) if kind == "crossing" and inside.country else set()
    )
    reach = LISTED_CROSSING_KM if kind == "crossing" else LISTED_INSIDE_KM
    for place in default_gazetteer().lookup(f"{joined.group(1)}-{surface}"):
        if (
            place.kind in SMALL_KINDS
            and place.country in near_countries
            and haversine_km(place.lat, place.lon, inside.lat, inside.lon) <= reach
        ):
            return place
    return None


def _governmental(place: Place) -> bool:
    """A country or a large city, which may stand for its government."""
    return place.kind == "country" or (place.kind == "city" and place.population >= 300_000)


@lru_cache(maxsize=1)
def default_finder() -> PlaceFinder:
    """One finder per process over the bundled gazetteer."""
    return PlaceFinder()


@lru_cache(maxsize=1)
def online_finder() -> PlaceFinder:
    """A finder that also asks the online geocoder (``--online``), one per process."""
    from .online import OnlineGeocoder

    return PlaceFinder(online=OnlineGeocoder())


def find_mentions(article: Article, finder: PlaceFinder | None = None) -> list[Mention]:
    """Place mentions of one article, resolved and with their roles, in text order."""
    return (finder or default_finder()).find(article)
