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

import csv
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import settings
from .gazetteer import KIND_RANK, Gazetteer, default_gazetteer, haversine_km, normalize
from .models import Article, Mention, Place

MAX_SPAN_TOKENS = 6

#: The population a region or sea counts as when ranking same-named candidates.
REGION_WEIGHT = 50_000_000

_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., D.C.
    r"|[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF\u200c]+"  # Arabic script
    r"|[^\W\d_]+(?:['’](?![sS]\b)[^\W\d_]+)*"  # words, inner apostrophes (Côte d'Ivoire), not "'s"
    r"|\d+|[^\s\w]"
)
_ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
# Lower-case words allowed inside a multi-word name ("Bosnia and Herzegovina", "Tehrik-e-...").
_CONNECTORS = frozenset(
    "of the de del della di da do dos das du des es la le les el al and upon on sur sous au aux en am im an der den "
    "van von y e i ul ur bin ibn".split()
)
_ELISION = re.compile(r"^[dl]['’][A-Z]")  # "d'Ivoire", "l'Aquila"
_SENTENCE_END = frozenset(".!?:;\n\"“”•–—-|(")
_POSSESSIVE = ("'s", "’s", "'", "’")


@dataclass(slots=True)
class _Context:
    """What the rest of an article says about where it is."""

    countries: Counter = field(default_factory=Counter)
    admin1: Counter = field(default_factory=Counter)
    provinces: Counter = field(default_factory=Counter)
    own_country: Counter = field(default_factory=Counter)
    own_admin1: Counter = field(default_factory=Counter)
    own_province: Counter = field(default_factory=Counter)
    centre: tuple[float, float] | None = None


class _Token:
    """A token and what later rules ask of it, computed once."""

    __slots__ = ("text", "start", "end", "arabic", "capitalised", "word")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        first = text[0]
        self.arabic = "\u0600" <= first <= "\u06ff" or "\u0750" <= first <= "\u077f" or "\ufb50" <= first <= "\ufeff"
        self.capitalised = first.isupper() or self.arabic
        self.word = first.isalpha()


@lru_cache(maxsize=1)
def _context_words() -> dict[str, frozenset[str]]:
    """Word lists of ``geodata/name_context.csv`` by category."""
    groups: dict[str, set[str]] = defaultdict(set)
    with open(settings.geodata_path("name_context.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            groups[row["category"]].add(row["word"].strip().lower())
    return {k: frozenset(v) for k, v in groups.items()}


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
        if len(words) >= 4 and long_words and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _in_spans(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


_CALENDAR_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _important(place: Place, flags: int) -> bool:
    """Countries, provinces, regions, curated places and cities of 100,000 people."""
    return bool(flags & 2) or place.kind in {"country", "province", "region", "sea", "crossing"} or place.population >= 100_000


class _Tokens:
    """The tokens of a text: their spans up front, a :class:`_Token` made only when a rule asks."""

    __slots__ = ("text", "spans", "_made")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in _TOKEN_RE.finditer(text)]
        self._made: dict[int, _Token] = {}

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, i: int) -> _Token:
        tok = self._made.get(i)
        if tok is None:
            if i < 0:
                raise IndexError(i)
            start, end = self.spans[i]
            tok = self._made[i] = _Token(self.text[start:end], start, end)
        return tok

    def __iter__(self):
        return (self[i] for i in range(len(self.spans)))


#: A city this large whose own name is its province's name is what the bare name means in news
#: ("São Paulo", "Buenos Aires", "Kabul"); smaller namesakes leave the province first.
NAMESAKE_CITY_POPULATION = 1_000_000


def _namesake_city(place: Place, cands: list[tuple[Place, int]]) -> Place:
    """The megacity of the same name inside ``place`` when ``place`` is its province, else ``place``."""
    if place.kind != "province":
        return place
    for city, flags in cands:
        if (city.kind == "city" and flags & 1 and city.population >= NAMESAKE_CITY_POPULATION
                and city.country == place.country
                and (city.admin1 == place.admin1 if city.admin1 and place.admin1
                     else haversine_km(city.lat, city.lon, place.lat, place.lon) < 150)):
            return city
    return place


def tokenize(text: str) -> _Tokens:
    """Word, abbreviation and punctuation tokens with their offsets."""
    return _Tokens(text)


def _sentence_initial(tokens: list[_Token], i: int, text: str) -> bool:
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
_span_key = lru_cache(maxsize=1 << 16)(normalize)


def _candidate_spans(tokens: _Tokens, text: str) -> list[tuple[int, int, str]]:
    """Every span that may be a name: (first token, last token + 1, lookup key)."""
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
            if t_first.isalpha() and not capitalised and t_text in admin_suffixes and j > i:
                # "Kandahar province", "Kurram district": a lower-case administrative word ends a name.
                spans.append((i, j + 1, _span_key(text[start:t_end])))
                break
            if t_first.isalpha() and (capitalised or t_text.lower() in _CONNECTORS or _ELISION.match(t_text)):
                pass
            elif t_text in _JOINERS and j + 1 < n:
                prev_end = t_end
                j += 1
                continue
            else:
                break
            if t_arabic != arabic:
                break
            if capitalised or _ELISION.match(t_text):
                spans.append((i, j + 1, _span_key(text[start:t_end])))
            prev_end = t_end
            j += 1
    return spans


_JOINERS = frozenset({"-", "–", "'", "’", "."})


class PlaceFinder:
    """Finds and resolves place mentions with one gazetteer and, optionally, an online geocoder
    asked for the names after a locative preposition ("in X") that the gazetteer lacks."""

    def __init__(self, gazetteer: Gazetteer | None = None, online: Any = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.online = online
        self.words = _context_words()

    # -- recognition -----------------------------------------------------------------------

    def _is_person_or_org(self, tokens: list[_Token], i: int, j: int, text: str, matched_before: bool) -> bool:
        """Context says tokens[i:j] name a person, an organisation or a pathogen, not a place."""
        words = self.words
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.text == "." and i > 1 and tokens[i - 2].text.lower() in words["title"]:
            return True
        if prev is not None and prev.text.lower() in words["title"] and prev.capitalised:
            return True
        nxt = tokens[j] if j < len(tokens) else None
        if nxt is not None and text[tokens[j - 1].end : nxt.start] in {" ", ""}:
            low = nxt.text.lower()
            if nxt.capitalised and low in words["org_head"]:
                return True
            if low in words["disease_head"]:
                self._pathogens.add(normalize(text[tokens[i].start : tokens[j - 1].end]))
                return True
        return False

    def _pathogen(self, tokens: _Tokens, i: int, j: int, text: str) -> bool:
        """Named before a pathogen word: "West Nile virus", "Rift Valley fever" (a country stays
        a place: "the Sudan strain" names where it was found)."""
        nxt = tokens[j] if j < len(tokens) else None
        if nxt is None or text[tokens[j - 1].end : nxt.start] not in {" ", ""}:
            return False
        if nxt.text.lower() in self.words["disease_head"]:
            self._pathogens.add(normalize(text[tokens[i].start : tokens[j - 1].end]))
            return True
        return False

    def _hyphen_compound(self, tokens: list[_Token], j: int, text: str, found: dict) -> bool:
        """Joined by a hyphen to a capitalised word that is no place: "Agence France-Presse"."""
        if j + 1 >= len(tokens) or tokens[j].text not in {"-", "‑"}:
            return False
        nxt = tokens[j + 1]
        if text[tokens[j - 1].end : nxt.start] != tokens[j].text or not (nxt.word and nxt.capitalised):
            return False
        return normalize(nxt.text) not in found

    @staticmethod
    def _after_name_word(tokens: _Tokens, i: int, text: str) -> bool:
        """Right after another capitalised word of the same name ("Mahim Bay")."""
        if i == 0:
            return False
        prev = tokens[i - 1]
        return prev.word and prev.capitalised and text[prev.end : tokens[i].start] == " "

    def _after_title(self, tokens: list[_Token], i: int) -> bool:
        """Right after a person's title: "Mr. Chaman", "President Georgia"."""
        words = self.words
        prev = tokens[i - 1] if i > 0 else None
        if prev is not None and prev.text == "." and i > 1 and tokens[i - 2].text.lower() in words["title"]:
            return True
        return prev is not None and prev.capitalised and prev.text.lower() in words["title"]

    def _tail_of_name(self, tokens: list[_Token], i: int, text: str, matched_before: bool) -> bool:
        """Tail of a longer capitalised name that is not itself a place: "Sherfane Rutherford"."""
        prev = tokens[i - 1] if i > 0 else None
        return (
            prev is not None
            and prev.word
            and prev.capitalised
            and not prev.arabic
            and not matched_before
            and text[prev.end : tokens[i].start] == " "
            and not _common_word(prev.text)
        )

    def find(self, article: Article) -> list[Mention]:
        """Place mentions in the article, resolved, in text order."""
        text = article.clean
        tokens = tokenize(text)
        spans = _candidate_spans(tokens, text)
        found = self.gazetteer.lookup_many(key for _, _, key in spans)
        by_start: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for i, j, key in spans:
            if key in found:
                by_start[i].append((j, key))

        surnames = self._person_names(tokens, text)
        self._pathogens: set[str] = set()
        headlines = _headline_lines(text)
        raw: list[tuple[int, int, str, list[tuple[Place, int]]]] = []
        i = 0
        last_end_token = -1
        n_tokens = len(tokens)
        while i < n_tokens:
            if i not in by_start:
                if self.online is not None:
                    i = self._ask_online(tokens, i, text, raw, surnames)
                i += 1
                continue
            options = sorted(by_start[i], reverse=True)
            if self.online is not None and self._run_end(tokens, i, text) > options[0][0]:
                # "in Bala Hissar": the gazetteer knows only a shorter name inside; ask for the whole.
                asked = self._ask_online(tokens, i, text, raw, surnames)
                if asked != i:
                    i = asked + 1
                    continue
            taken = False
            for j, key in options:
                surface = text[tokens[i].start : tokens[j - 1].end]
                headline = _in_spans(tokens[i].start, headlines)
                cands = self._admissible(found[key], surface, tokens, i, j, text, headline)
                if not cands:
                    continue
                important = any(_important(p, f) for p, f in cands)
                if not important and self._is_person_or_org(tokens, i, j, text, matched_before=last_end_token == i):
                    continue
                if important and not any(p.kind == "country" for p, _ in cands) and self._pathogen(tokens, i, j, text):
                    continue
                if important and self._after_title(tokens, i):
                    continue
                if self._hyphen_compound(tokens, j, text, found):
                    continue
                if key in surnames or key in self._pathogens:
                    continue
                if not headline and not important:
                    if self._tail_of_name(tokens, i, text, matched_before=last_end_token == i):
                        surnames.add(key)  # the same surname alone later is the same person
                        continue
                    if self._head_of_name(tokens, j, text, cands):
                        surnames.add(key)  # a first name here ("Jawad Sarga"): not a place later either
                        continue
                raw.append((i, j, surface, cands))
                last_end_token = j
                i = j
                taken = True
                break
            if not taken:
                if self.online is not None:
                    i = self._ask_online(tokens, i, text, raw, surnames)
                i += 1
        raw.sort(key=lambda item: item[0])
        return self._resolve(article, tokens, raw)

    @staticmethod
    def _run_end(tokens: _Tokens, i: int, text: str) -> int:
        """End (exclusive) of the run of up to four capitalised words that starts at token i."""
        j = i + 1
        while j < len(tokens) and j - i < 4 and tokens[j].capitalised and tokens[j].word and text[tokens[j - 1].end : tokens[j].start] == " ":
            j += 1
        return j

    def _ask_online(self, tokens: list[_Token], i: int, text: str, raw: list, surnames: set[str]) -> int:
        """Look up an unknown capitalised name after a locative preposition; return the last token used."""
        tok = tokens[i]
        if not (tok.capitalised and tok.word) or tok.arabic or i == 0:
            return i
        if tokens[i - 1].text.lower() not in self.words["locative"] or _sentence_initial(tokens, i, text):
            return i
        j = self._run_end(tokens, i, text)
        surface = text[tok.start : tokens[j - 1].end]
        if normalize(surface) in surnames or normalize(surface) in _CALENDAR_WORDS or _common_word(surface):
            return i
        place = self.online.lookup(surface)
        if place is None:
            return i
        raw.append((i, j, surface, [(place, 1)]))
        return j - 1

    def _head_of_name(self, tokens: list[_Token], j: int, text: str, cands: list[tuple[Place, int]]) -> bool:
        """A small place's name followed by another capitalised name word is a person's first name
        or part of an organisation's name ("Syed Mohammad Ali", "Jawad Sarga")."""
        if j >= len(tokens) or any(_important(p, f) for p, f in cands):
            return False
        nxt = tokens[j]
        if text[tokens[j - 1].end : nxt.start] != " " or not (nxt.word and nxt.capitalised) or nxt.arabic:
            return False
        return not _common_word(nxt.text) and nxt.text.lower().rstrip(".") not in _CALENDAR_WORDS

    def _admissible(self, cands: list[tuple[Place, int]], surface: str, tokens: list[_Token], i: int, j: int,
                    text: str, headline: bool = False) -> list[tuple[Place, int]]:
        """Candidates the surface form allows: abbreviations only in capitals, common words not at
        a sentence start nor in a headline, where capitals say nothing."""
        is_upper = surface.replace(".", "").isupper() and len(surface.replace(".", "")) <= 4
        initial = headline or _sentence_initial(tokens, i, text)
        keep = []
        for place, flags in cands:
            if is_upper and not (flags & 8 or flags & 2):
                continue
            if flags & 8 and not is_upper:
                continue
            if flags & 4 and (initial or self._after_name_word(tokens, i, text)):
                continue  # "Reading the report", "Mahim Bay": an everyday word, or part of a longer name
            keep.append((place, flags))
        return keep

    def _person_names(self, tokens: _Tokens, text: str) -> set[str]:
        """Names used for people in this article ("Minister Tarar", "Mr. Ali"), never places here."""
        return {normalize(m.group(1)) for m in self._title_re.finditer(text)}

    @property
    def _title_re(self) -> re.Pattern:
        """A person's title (capitalised) and the name that follows it."""
        pattern = getattr(self, "_title_pattern", None)
        if pattern is None:
            titles = sorted(self.words["title"], key=len, reverse=True)
            alternatives = "|".join(re.escape(t[:1].upper() + t[1:]) for t in titles)
            pattern = self._title_pattern = re.compile(rf"\b(?:{alternatives})\.?[ \t]+([A-Z][^\W\d_]*(?:['’][^\W\d_]+)?)")
        return pattern

    # -- resolution ------------------------------------------------------------------------

    def _score(self, place: Place, flags: int, ctx: "_Context | None" = None, key: str = "") -> float:
        """How likely this candidate is meant: its kind, size and name, and the article's context."""
        score = KIND_RANK.get(place.kind, 1) * 0.1
        # Regions and seas have no population; they weigh like a large country.
        population = place.population or (REGION_WEIGHT if place.kind in {"region", "sea"} else 0)
        score += math.log10(population + 1) * 0.25
        if flags & 1:
            score += 0.6
        if flags & 2 and place.kind != "country":
            score += 0.5
        if place.kind == "city" and place.population >= 100_000:
            score += 0.5
        if flags & 1 and self.gazetteer.is_capital(place):
            score += 0.8
        if ctx is None:
            return score
        country = place.country or ""
        # Other names of the article in the same country, in the same province, provinces beside it.
        others = ctx.countries.get(country, 0) - ctx.own_country.get((key, country), 0)
        if others > 0:
            score += min(1.0, 0.6 + 0.1 * others)
        if place.admin1 and ctx.admin1.get((country, place.admin1), 0) - ctx.own_admin1.get((key, country, place.admin1), 0) > 0:
            score += 0.7
        if place.kind == "province" and ctx.provinces.get(country, 0) - ctx.own_province.get((key, country), 0) > 0:
            score += 0.5
        if ctx.centre is not None and place.kind not in {"country", "region", "sea"}:
            d = haversine_km(ctx.centre[0], ctx.centre[1], place.lat, place.lon)
            score -= min(d, 8000.0) / 8000.0 * 0.6
        return score

    @staticmethod
    def _near_context(place: Place, key: str, ctx: "_Context") -> bool:
        """Other names of the article lie in the same province as this place."""
        country = place.country or ""
        if not place.admin1:
            return ctx.countries.get(country, 0) - ctx.own_country.get((key, country), 0) > 0
        return ctx.admin1.get((country, place.admin1), 0) - ctx.own_admin1.get((key, country, place.admin1), 0) > 0

    def _context(self, raw: list) -> "_Context":
        """The countries, provinces and centre that the article's clear-cut names give."""
        ctx = _Context()
        anchors: list[tuple[float, float]] = []
        seen: set[str] = set()
        for _, _, surface, cands in raw:
            key = normalize(surface)
            if key in seen:
                continue
            seen.add(key)
            place = _namesake_city(max(cands, key=lambda pf: self._score(pf[0], pf[1]))[0], cands)
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
            if len({p.place_id for p, _ in cands}) == 1 and place.kind not in {"country", "region", "sea"}:
                anchors.append((place.lat, place.lon))
        if anchors:
            ctx.centre = (sum(a[0] for a in anchors) / len(anchors), sum(a[1] for a in anchors) / len(anchors))
        return ctx

    def _resolve(self, article: Article, tokens: list[_Token], raw: list) -> list[Mention]:
        """Each mention's place: the best-scored candidate in the article's context."""
        ctx = self._context(raw)
        mentions: list[Mention] = []
        chosen: dict[str, tuple[Place | None, float]] = {}
        text = article.clean
        for i, j, surface, cands in raw:
            key = normalize(surface)
            if key in chosen:
                place, confidence = chosen[key]
                if place is None:
                    continue
            else:
                scored = sorted(
                    ((self._score(p, f, ctx, key), k, p) for k, (p, f) in enumerate(cands)),
                    key=lambda s: (-s[0], s[1]),
                )
                place = _namesake_city(scored[0][2], cands)
                flags = next(f for p, f in cands if p is place)
                if flags & 16 and not self._near_context(place, key, ctx):
                    # A personal name ("Michael", "Johnson") is a small place only in an article
                    # about its province.
                    chosen[key] = (None, 0.0)
                    continue
                margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 2.0
                confidence = 1 / (1 + math.exp(-2.5 * margin))
                chosen[key] = (place, confidence)
            start, end = tokens[i].start, tokens[j - 1].end
            mentions.append(
                Mention(
                    article=article.name,
                    mention=article.text[start:end],
                    start=start,
                    end=end,
                    place=place,
                    role=self._role(tokens, i, j, place, text),
                    confidence=confidence,
                )
            )
        return mentions

    def _role(self, tokens: list[_Token], i: int, j: int, place: Place, text: str) -> str:
        """location, actor or other, from the words around the mention."""
        words = self.words
        prev = tokens[i - 1].text.lower() if i > 0 else ""
        prev2 = tokens[i - 2].text.lower() if i > 1 else ""
        if prev in words["locative"] or (prev == "the" and prev2 in words["locative"]):
            return "location"
        governmental = place.kind == "country" or (place.kind == "city" and place.population >= 300_000)
        nxt = tokens[j].text if j < len(tokens) else ""
        nxt2 = tokens[j + 1].text.lower() if j + 1 < len(tokens) else ""
        if governmental:
            if nxt.lower() in words["actor_verb"]:
                return "actor"
            if nxt in _POSSESSIVE or nxt.lower() == "s" or (nxt in {"'", "’"} and nxt2 == "s"):
                return "actor"
            if place.kind == "country":
                return "other" if nxt.lower() in {"-", "–", "—"} else "actor"
        return "location"


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
