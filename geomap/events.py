"""Events: what one sentence of one article reports — type, sub-type, place, date, tolls, actors.

The extractor reads each separately published story (:class:`~geomap.models.Piece`) of an article
on its own, sentence by sentence, from the noise-free text (``Article.clean``: repeated photo
captions and page chrome are blanked there, so a caption printed twice gives one event).

In each sentence:

1. **Triggers** (``geodata/event_triggers.csv``): news phrases of strikes, clashes, crossing
   closures, negotiations and displacement, each with its sub-type; ``geodata/event_subtypes.csv``
   gives every sub-type its ACLED event / sub-event type and CAMEO code (:func:`subtype_info`).
2. **Not incidents** (``geodata/event_cues.csv``): a trigger is dropped when its clause is a
   condition ("if the talks fail"), a modal or a threat ("warned ... will"), a negation, a pause
   ("a lull in the fighting"), history ("in recent years", "from 1998 to 2000"; an event dated more
   than ``RECALL_AFTER_DAYS`` before publication is kept, with its own date, only when told with a
   place of its own), or when the sentence is a press briefing, sport
   (scores like 196/6) or tourism. Planned talks ("likely to take place in
   Istanbul") are kept and marked ``planned``.
3. **Where**: the place mentions of the sentence that the trigger governs — the nearest, with a
   town or crossing before a district, a province, the border and a country; never an ``actor``
   mention, and a country only when governed ("inside/into/in Afghanistan"). A place is not taken
   across another trigger of a different type, and (with the sentence's dependency parse,
   :mod:`geomap._parse`) distances are edges of the tree: a place under another event's word stays
   with it, a place or date hanging from a verb of speech is where or when it was said. With no
   place, "border", "frontier", "cross-border" (or a clash between the two sides' forces) puts the
   event on the line of the land border the story names (:class:`Story`; ``geo_precision`` 3, an
   honest ``geo_uncertainty_km``), at the point nearest the story's places near that line; people
   fleeing with no place are at the story's one border town; "the crossing", "near the crossing"
   or "at the zero point" are the crossing the story names, and "there" the place the sentence
   named before. A fight at a short list of places ("posts in Bajaur, Dir and Chitral") is one at
   each. Otherwise the event is dropped: an event that cannot be placed cannot be mapped. No list
   of countries decides what is read.
4. **When** (:mod:`geomap._dates`): each date phrase belongs to its nearest trigger (subordinate
   clauses and commas count as distance). Relative phrases resolve against the piece's publication
   date; "hours before the talks collapsed" takes the date of that collapse when the story dates it.
   The lead sentences of a story, when they date nothing, report the day of publication; in a
   story whose dated events all fall on one day, what it tells with no time happened that day.
5. **Casualties** (:mod:`geomap._numbers`) go to the nearest strike or clash; a toll sentence with
   no trigger adds to the strike or clash just reported (or, dated on its own, starts a clash at the
   place it names or on the border when the story is about border fighting). Each figure is kept in
   ``claims`` with who claimed it (``geodata/actors.csv``).

Events of the same type and place within one article are merged afterwards by
:func:`geomap.incidents.merge_events` (which callers run per article and across articles).
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from . import border, settings
from ._dates import (
    THAT_MONTH_RE,
    TIME_OF_DAY_RE,
    UNTIL_BEFORE_RE,
    DateHit,
    day_by_weekdays,
    day_in,
    deadline_at,
    find_dates,
    latest_day_ahead,
    latest_full_date,
    latest_month_end,
    latest_year_told,
    opening_month,
    story_dates,
    told_in_year,
)
from ._numbers import (
    TOLL_VERBS,
    claim_parts,
    find_casualties,
    fold_increments,
    parts_within,
    rival_sides,
    toll_range,
)
from ._parse import SPEECH_LEMMAS, UNRELATED, Tree, parse, parse_many
from .articles import DATELINE_WITHIN_CHARS, blank_dateline, byline_readings, byline_year, yearless_dateline
from .distance import geod, geodesic_km
from .gazetteer import default_gazetteer, demonym_countries, demonyms_in
from .geoparse import LIST_GAP, capitalised_words, unlisted_in_slot
from .models import (
    BORDER_LINE_PREFIX,
    SOURCE_KEYS,
    Article,
    Event,
    Mention,
    Piece,
    Place,
    border_line_pair,
    geo_precision,
)

_KIND_RANK = {
    "crossing": 0,
    "village": 0,
    "town": 0,
    "city": 0,
    "landmark": 0,
    "pass": 0,
    "district": 1,
    "region": 2,
    "province": 2,
    "disputed-area": 2,
    "country-inside": 2.5,
    "sea": 3,
    "river": 3,
    "border": 3,
    "line": 3,
    "country": 4,
}
_FORCE_TYPES = ("strike", "clash")

# ---------------------------------------------------------------------------------------------
# Lexicons (geodata CSV files)


def _rows(name: str) -> list[dict[str, str]]:
    return settings.read_geodata_csv(name)


@dataclass(frozen=True, slots=True)
class Frame:
    """A grammar frame of trigger words (``geodata/event_frames.csv``): the argument the word
    must hold in the sentence's parse for its trigger to match."""

    name: str
    roles: frozenset[str]  # dependency labels of the argument ("^nsubj": of the verb completed)
    nouns: frozenset[str]  # lemmas of the argument
    qualified: Mapping[str, frozenset[str]]  # nouns that count only with one of these modifiers
    carriers: frozenset[str]  # nouns that carry the event through a preposition of ``via``
    via: frozenset[str]
    directions: frozenset[str]  # prepositions or particles the word must govern (if any)


def _bar_set(text: str | None) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in (text or "").split("|") if w.strip())


@lru_cache(maxsize=1)
def frames() -> dict[str, Frame]:
    """The grammar frames of trigger rows, ``geodata/event_frames.csv``, by name."""
    out = {}
    for row in _rows("event_frames.csv"):
        qualified = {}
        for item in (row.get("qualified") or "").split(";"):
            if ":" in item:
                noun, mods = item.split(":", 1)
                qualified[noun.strip().lower()] = _bar_set(mods)
        out[row["name"].strip()] = Frame(
            row["name"].strip(),
            _bar_set(row["roles"]),
            _bar_set(row["nouns"]),
            qualified,
            _bar_set(row.get("carriers")),
            _bar_set(row.get("via")),
            _bar_set(row.get("directions")),
        )
    return out


@dataclass(frozen=True, slots=True)
class Trigger:
    event_type: str
    sub_event_type: str
    regex: re.Pattern[str]
    requires: re.Pattern[str] | None
    order: int
    #: The grammar frame the sentence's parse must confirm at each match, if any.
    frame: Frame | None = None


@lru_cache(maxsize=1)
def triggers() -> tuple[Trigger, ...]:
    """The trigger lexicon, ``geodata/event_triggers.csv``."""
    out = []
    known = frames()
    for i, row in enumerate(_rows("event_triggers.csv")):
        req = (row.get("requires") or "").strip()
        frame = (row.get("frame") or "").strip()
        out.append(
            Trigger(
                row["event_type"].strip(),
                row["sub_event_type"].strip(),
                re.compile(row["pattern"], re.IGNORECASE),
                re.compile(req, re.IGNORECASE) if req else None,
                i,
                known[frame] if frame else None,
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def subtypes() -> dict[str, dict[str, str]]:
    """Sub-event types with their ACLED and CAMEO codes, ``geodata/event_subtypes.csv``."""
    return {row["sub_event_type"]: row for row in _rows("event_subtypes.csv")}


def subtype_info(sub_event_type: str) -> dict[str, str]:
    """ACLED event type, ACLED sub-event type and CAMEO code of a sub-type ({} if unknown)."""
    return dict(subtypes().get(sub_event_type, {}))


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple(
        (row["cue"].strip(), row["scope"].strip(), re.compile(row["pattern"], re.IGNORECASE))
        for row in _rows("event_cues.csv")
    )


@lru_cache(maxsize=1)
def _actors() -> tuple[tuple[str, str, re.Pattern[str], frozenset[str]], ...]:
    """The actors of ``geodata/actors.csv``: name, side, pattern and key words (a row with keys
    is tried only on a text that has one of them capitalised)."""
    return tuple(
        (
            row["actor"].strip(),
            row["side"].strip(),
            re.compile(row["pattern"]),
            frozenset(k.strip() for k in row.get("keys", "").split("|") if k.strip()),
        )
        for row in _rows("actors.csv")
    )


@lru_cache(maxsize=1)
def _attribution() -> dict[str, list[re.Pattern[str]]]:
    """Patterns of ``geodata/attribution.csv`` by kind: speaker, speech, venue, origin, care,
    fronted (its "after" rows as fronted_after)."""
    out: dict[str, list[re.Pattern[str]]] = {
        "speaker": [],
        "speech": [],
        "venue": [],
        "origin": [],
        "care": [],
    }
    for row in _rows("attribution.csv"):
        kind = row["kind"].strip()
        if kind == "fronted" and row["side"].strip() == "after":
            kind = "fronted_after"  # the words after a fronted place, apart from those before it
        out.setdefault(kind, []).append(re.compile(row["pattern"], re.IGNORECASE))
    return out


#: Officials speak for a region from its cities: "officials in Quetta said" names where they sit;
#: "officials in Kurram said" more likely names where it happened, so smaller places stay.
SPEAKER_CITY_POPULATION = 200_000


def _where_said(s: str, rs: int, re_: int, place: Place) -> bool:
    """Whether the place at rs:re_ is where a statement was made ("officials in Quetta said",
    "a statement issued in Rawalpindi"), the seat of officials named ("the government in Kabul")
    or a person's home in a biography ("resident of District Kohat"), which is no incident's
    location."""
    left = s[max(0, rs - 60) : rs]
    if _told_before("venue", left) or _told_before("origin", left):
        return True
    # a large city is the seat of the officials, ministries and governments named before it ("the
    # Foreign Office in Islamabad has condemned", "the interim government in Kabul"), whether or
    # not they are quoted
    return (
        place.kind == "city"
        and place.population >= SPEAKER_CITY_POPULATION
        and (_speakers_seat(s, rs) or _fronted_speakers(s, rs, re_))
    )


#: What struck or attacked right before a speaker's noun ("strikes on Taliban battalion
#: headquarters in Kandahar", "struck what the military described as headquarters in"): the
#: target, not where anyone spoke.
_STRUCK_BEFORE_RE = re.compile(
    r"\b(?:(?:strikes?|attacks?|raids?|assaults?|fire|bombing|shelling)\s+on|struck|hit|hitting|targeted|"
    r"targeting|attacked|attacking|bombed|shelled|"
    r"raided|raiding|stormed|storming|destroyed|destroying)\s+"
    r"(?:what\s+(?:[\w’'-]+\s+){1,3}?(?:described|called|identified|said)\s+(?:as\s+|were\s+|was\s+)?)?"
    r"(?:[\w’'-]+\s+){0,4}$",
    re.IGNORECASE,
)


def _speakers_seat(s: str, rs: int) -> bool:
    """Whether the place at ``rs`` is where the officials named right before it sit ("the Foreign
    Office in Islamabad"): a speaker's noun of ``attribution.csv`` ends the words before it, and
    no strike or attack hit that noun (:data:`_STRUCK_BEFORE_RE`)."""
    lo = max(0, rs - 60)
    for p in _attribution()["speaker"]:
        m = p.search(s, lo, rs)
        if m is not None and _STRUCK_BEFORE_RE.search(s, max(0, m.start() - 80), m.start()) is None:
            return True
    return False


def _told_before(kind: str, left: str) -> bool:
    """Whether the words ``left`` of a place end as an ``attribution.csv`` row of ``kind`` says."""
    return any(p.search(left) for p in _attribution()[kind])


def _speakers_place(s: str, rs: int, re_: int) -> bool:
    """Whether the place at rs:re_ names where speakers sit ("officials in Kurram say", "In
    Kabul, a spokesman for the ministry claimed")."""
    if _fronted_speakers(s, rs, re_):
        return True
    return _told_before("speaker", s[max(0, rs - 60) : rs]) and any(
        p.match(s[re_ : re_ + 30]) for p in _attribution()["speech"]
    )


def _fronted_speakers(s: str, rs: int, re_: int) -> bool:
    """Whether the place at rs:re_ opens its sentence before the officials who speak there ("In
    Kabul, a spokesman for the ministry of defence claimed ...")."""
    return _told_before("fronted", s[max(0, rs - 12) : rs]) and any(
        p.match(s[re_ : re_ + 160]) for p in _attribution()["fronted_after"]
    )


def _toll_told_from(s: str, rs: int, re_: int) -> bool:
    """Whether the place at rs:re_ of a toll sentence names where its speakers sit or where the
    victims were taken ("shifted to the hospital in Chaman"), not where the toll was taken."""
    return _speakers_place(s, rs, re_) or _told_before("care", s[max(0, rs - 60) : rs])


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, bool]:
    """Abbreviations (lower case) that end in a full stop without ending a sentence, each with
    whether it is one only before a number ("No. 2")."""
    return {
        row["word"].strip().lower(): (row.get("before") or "").strip() == "number"
        for row in _rows("abbreviations.csv")
    }


# ---------------------------------------------------------------------------------------------
# Sentences and clauses

_SENT_END_RE = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9\u0600-\u06FF])|[.!?…]+[\"”’')\]]*$")
_DATELINE_RE = re.compile(
    r"^\s*(?:date|published|publication\s+date)\s*[:=]?\s*\d{4}-\d{1,2}-\d{1,2}\s*"
    r"|^\s*(?:[A-Z][\w'’.-]*(?:[ /&,-]+[A-Z][\w'’.-]*){0,5})\s*(?:\([^)\n]{1,40}\))?\s*,\s*"
    r"(?:[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},?\s+)?\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})\s*[:—–-]\s*"
    r"|^\s*[A-Z][A-Z .,/'’-]{2,40}\s*\((?:Reuters|AFP|AP|Anadolu|dpa|IANS|PTI|APP)\)\s*[-—–:]\s*"
)
_BOUNDARY_RE = re.compile(
    r"[;:()\[\]—–]|\s-\s|[\"“”]|\b(?:after|before|following|when|where|which|while|whereas|although|though|"
    r"because|but|amid|despite|until|since|even\s+as|as\s+(?:the|a)|that)\b",
    re.IGNORECASE,
)
#: Where a cue's clause ends: a boundary, ", and" before another verb ("closed the crossing,
#: citing the risk of attacks, and reopened it on Saturday": the risk is not the reopening's), or
#: a clause on the people ("deported 900 Afghans, most of them families who had lived in Quetta
#: for decades": the decades are not the deportation's).
_CUE_BOUNDARY_RE = re.compile(_BOUNDARY_RE.pattern + r"|,\s+and\b|\bwho(?:se|m)?\b", re.IGNORECASE)
# Clauses of another proposition (cause, concession, condition): no place is taken across them.
_HARD_BOUNDARY_RE = re.compile(
    r"\b(?:because|although|though|but|whereas|unless|if|due\s+to"
    # "while" before a new subject ("..., while Hezbollah said it launched drones at Metula"),
    # not before a participle ("killed while patrolling near Tine")
    r"|while(?=\s+(?:(?:the|a|an|its|their|his|her)\b|(?-i:[A-Z])))"
    # "since" starts a clause of cause, not "since Saturday night" (a time)
    r"|since(?!\s+(?:(?:last|early|late|mid)\s+)?(?:\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan|feb|mar|apr|may|"
    r"jun|jul|aug|sep|oct|nov|dec|yesterday|dawn|morning|midnight|the\s+(?:weekend|morning|night|start|beginning)))"
    r")\b",
    re.IGNORECASE,
)
_SPEECH_RE = re.compile(
    r"\b(?:said|says|claimed|claims|reported|reports|announced|stated|told|confirmed|added|declared|alleged|according)\b",
    re.IGNORECASE,
)
_GOVERN_COUNTRY_RE = re.compile(
    r"\b(?:inside|into|in|across|within|throughout|from|at|on|towards?)\s+(?:the\s+)?(?:[\w’'-]+\s+)?$",
    re.IGNORECASE,
)
_BORDER_RE = re.compile(r"\b(?:cross-border|border(?:s|lands?)?|frontier|boundary\s+line)\b", re.IGNORECASE)
_SIDE_RE = re.compile(r"\b([A-Z][\w’']+(?:\s+[A-Z][\w’']+)?)\s+side\b")
_VENUE_AFTER_RE = re.compile(
    r"\s*(?:peace\s+|ceasefire\s+|truce\s+)?(?:talks|negotiations|session|round|meeting|process)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    index: int  # in the piece
    line: int  # line (paragraph) number in the piece


_LAST_WORD_RE = re.compile(r"([\w.]+)$")
_ENDS_SENTENCE_RE = re.compile(r"[.!?][\"”’')]*$")
_BULLET_RE = re.compile(r"[-•*–—]")
_INITIAL_RE = re.compile(r"[A-Z]")
_THREE_LETTERS_RE = re.compile(r"[^\W\d_](?:[\W\d_]*[^\W\d_]){2}")


def split_sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of ``text[start:end]`` with absolute offsets; lines always end sentences, and a
    dateline opening a line ("Islamabad / Kabul, Oct 2025:") is left out."""
    out: list[Sentence] = []
    abbrev = _abbreviations()
    pos = start
    line_no = 0
    for line in text[start:end].split("\n"):
        lstart = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        line_no += 1
        if m := _DATELINE_RE.match(line):
            cut = m.end()
        else:
            cut = 0
        seg_start = cut
        # "BELGOROD. Jan 22 (Interfax) -": a dateline's full stop ends no sentence
        filed = _dateline_end(line) if line[:1].isupper() else 0
        for m in _SENT_END_RE.finditer(line, cut):
            if m.start() < filed:
                continue
            before = line[seg_start : m.start()]
            last = _LAST_WORD_RE.search(before)
            word = last.group(1).lower().rstrip(".") if last else ""
            if (
                m.end() < len(line)
                and last
                and (
                    (word in abbrev and (not abbrev[word] or line[m.end() :].lstrip()[:1].isdigit()))
                    or _INITIAL_RE.fullmatch(last.group(1))
                )
            ):
                continue
            _add(out, text, lstart + seg_start, lstart + m.end(), line_no)
            seg_start = m.end()
        if seg_start < len(line):
            _add(out, text, lstart + seg_start, lstart + len(line), line_no)
    for i, s in enumerate(out):
        s.index = i
    return out


def _add(out: list[Sentence], text: str, s: int, e: int, line_no: int) -> None:
    raw = text[s:e]
    lead = len(raw) - len(raw.lstrip())
    body = raw.strip()
    if not _THREE_LETTERS_RE.search(body):
        return
    out.append(Sentence(s + lead, s + lead + len(body), body, 0, line_no))


def _boundaries(text: str, a: int, b: int) -> tuple[int, int]:
    """Strong boundaries (subordinators, dashes, quotes) and commas between two offsets."""
    if a > b:
        a, b = b, a
    seg = text[a:b]
    return len(_BOUNDARY_RE.findall(seg)), seg.count(",")


def _span_distance(text: str, tree: Tree | None, a: tuple[int, int], b: tuple[int, int]) -> float:
    """Distance between an event word's span ``a`` and a place, date or figure ``b``: along the
    sentence's parse when there is one (edges, with the characters between as a tie-break), else
    in characters (:func:`_distance`)."""
    chars = _distance(text, a[0], a[1], b[0], b[1])
    if tree is not None:
        edges = tree.distance(a, b)
        if edges is not None:
            return edges + chars / 1000.0
    return chars


def _distance(text: str, a_start: int, a_end: int, b_start: int, b_end: int) -> float:
    """Distance between two spans of a sentence: characters, plus 30 per strong boundary and 6
    per comma between them; a span after the first counts slightly nearer."""
    if b_start >= a_end:
        gap, (strong, commas) = b_start - a_end, _boundaries(text, a_end, b_start)
        bias = 0.0
    elif a_start >= b_end:
        gap, (strong, commas) = a_start - b_end, _boundaries(text, b_end, a_start)
        bias = 3.0
    else:
        return 0.0
    return gap + 30 * strong + 6 * commas + bias


# ---------------------------------------------------------------------------------------------
# Candidates


@dataclass(slots=True)
class _Cand:
    trigger: Trigger
    start: int  # offsets within the sentence
    end: int
    date: DateHit | None = None
    place: Place | None = None
    place_kind: str | None = None
    place_dist: float = 1e9
    claims: list[dict[str, Any]] = field(default_factory=list)
    planned: bool = False
    #: The demarcation line named as the event's place ("along the Line of Control").
    line: Place | None = None
    #: The bearing of a compass word before a country chosen as the place ("southern Lebanon").
    toward: float | None = None
    #: The crossing the sentence before told of, when only that makes the words a crossing event
    #: ("The bridge reopened at noon", after the bridge's closing): where the event is.
    told_before: Place | None = None
    #: For a flight, which end of it its place is (:func:`_flight_end`).
    flight_end: str | None = None


def _cue_search(regex: re.Pattern[str], text: str, trigger: tuple[int, int] | None = None) -> bool:
    """Whether a cue's pattern is in ``text``: a match in which the pattern's ``unless`` group
    took part is none ("the first time since the war began" compares, it counts nothing), nor is
    one that shares words with the ``trigger`` span it would judge ("the calm since the
    ceasefire agreed in Doha": the ceasefire is the event, not the span of a tally)."""
    first = regex.search(text)
    if first is None or ("unless" not in regex.groupindex and trigger is None):
        return first is not None
    return any(
        (m.groupdict().get("unless") is None)
        and (trigger is None or m.end() <= trigger[0] or m.start() >= trigger[1])
        for m in regex.finditer(text)
    )


def _cue_hits(sentence: str, start: int, end: int) -> set[str]:
    """The non-incident cues that apply to the trigger at ``start:end`` of ``sentence``."""
    # The trigger's clause: back to the previous strong boundary, on to the next.
    left = 0
    for m in _CUE_BOUNDARY_RE.finditer(sentence, 0, start):
        if m.group(0).lower() != "that":
            left = m.end()
    right_m = _CUE_BOUNDARY_RE.search(sentence, end)
    right = right_m.start() if right_m else len(sentence)
    before = sentence[left:start]
    clause = sentence[left:right]
    found = set()
    for cue, scope, regex in _cues():
        if scope == "adjacent":
            hit = _cue_search(regex, before.rstrip())
        elif scope == "preceding":
            hit = _cue_search(regex, sentence[max(0, start - 80) : start].rstrip())
        elif scope == "before":
            hit = _cue_search(regex, before[-60:])
        elif scope == "clause":
            hit = _cue_search(regex, clause)
        else:
            hit = _cue_search(regex, sentence, (start, end))
        if hit:
            found.add(cue)
    # A speech verb of warning governs everything after it in the sentence: "warned that ...",
    # but for a clause of the time it was said ("had warned on Monday, when he ordered the
    # closure of the crossing": the closure was ordered)
    warning = re.search(
        r"\b(?:warn(?:s|ed|ing)?|threaten(?:s|ed)?|vow(?:s|ed)?)\b", sentence[:start], re.IGNORECASE
    )
    if warning and not re.search(r"\bwhen\b", sentence[warning.end() : start], re.IGNORECASE):
        found.add("threat")
    return _leisure_overruled(sentence, found)


#: Cues that say a trigger of some event types (or sub-types) reports no incident.
_CUE_REJECTS: tuple[tuple[str, frozenset[str]], ...] = (
    # "Thailand expelled the Cambodian ambassador": diplomacy, no deportation
    ("diplomatic", frozenset({"deportation"})),
    # the wounded flown to a hospital are patients, not people fleeing
    ("medical", frozenset({"displacement"})),
    # "a camp for internally displaced people": a population, no flight reported
    ("population", frozenset({"displacement"})),
    # "families crossed over to take part in the rituals": a visit, no flight
    ("visit", frozenset({"displacement"})),
    # "400 goods-laden trucks crossed into Afghanistan": trade, no people displaced
    ("freight", frozenset({"displacement"})),
    # "cargo movement continued normally, although trucks queued": no halt
    ("normal", frozenset({"trade halted"})),
    # a building or a plane evacuated: no flight from violence
    ("building", frozenset({"displacement"})),
    # "the gates open at 8 am and close at 6 pm daily": a crossing's hours
    ("routine", frozenset({"crossing"})),
    # a general strike, a hunger strike, workers on strike: no attack
    ("labour", frozenset({"strike"})),
    # "signed a new supply agreement with Eni": business, no talks between sides
    ("commerce", frozenset({"negotiation"})),
    # "the House of Representatives is due to meet to discuss the budget"
    ("domestic", frozenset({"talks held", "talks planned"})),
    # protesters clashing with police or loyalists: a riot (ACLED), no armed clash
    ("protest", frozenset({"clash"})),
)


def _rejected(cues: set[str], trigger: Trigger, planned: bool) -> bool:
    """Whether the cues of a trigger's clause say it reports no incident."""
    if cues & {"briefing", "sport", "tourism"}:
        return True
    kinds = {trigger.event_type, trigger.sub_event_type}
    if any(cue in cues and kinds & rejects for cue, rejects in _CUE_REJECTS):
        return True
    if cues & {"conditional", "history", "anchor", "tally", "generic"}:
        return True
    if planned:
        return "negation" in cues
    if "pause" in cues and trigger.event_type in _FORCE_TYPES:
        return True  # "a lull in the fighting", "an end to the shelling"
    return bool(cues & {"modal", "threat", "negation"})


def _actors_in(text: str) -> list[tuple[str, str, int, int]]:
    """Actors named in ``text``: (actor, side, start, end), earlier CSV rows first on overlaps."""
    taken: list[tuple[int, int]] = []
    found = []
    capitals = capitalised_words(text)
    for actor, side, regex, keys in _actors():
        if keys and not keys & capitals:
            continue
        for m in regex.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((actor, side, m.start(), m.end()))
    # Any other nation's forces or government by its people's word: "Thai troops", "Cambodian
    # officials" (the curated rows above name the theatres' own actors more finely).
    words = demonym_countries()
    for m in _FORCES_RE.finditer(text):
        code = words.get(m.group(1))
        if code is None or any(m.start() < e and s < m.end() for s, e in taken):
            continue
        what = "government" if m.group(2).lower() in _GOVERNMENT_WORDS else "military"
        taken.append((m.start(), m.end()))
        found.append((f"{_country_names().get(code, code)} {what}", code, m.start(), m.end()))
    found.sort(key=lambda a: a[2])
    return found


_FORCES_RE = re.compile(
    r"\b([A-Z][\w’']+(?:\s[A-Z][\w’']+)?)\s+(military|army|armed\s+forces|forces|troops|soldiers|border\s+guards|"
    r"border\s+police|police|air\s+force|navy|officials|authorities|government|foreign\s+ministry|delegation)\b"
)
_GOVERNMENT_WORDS = frozenset({"officials", "authorities", "government", "foreign ministry", "delegation"})


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country names by ISO2 (``geodata/countries.csv``)."""
    return {r["iso2"]: r["name"] for r in _rows("countries.csv") if r.get("iso2")}


def _claimed_by(sentence: str, claim_start: int, actors: list[tuple[str, str, int, int]]) -> str | None:
    """Who states a figure: "according to X", or the actor just before a speech verb."""
    if m := re.search(r"\baccording\s+to\b", sentence, re.IGNORECASE):
        after = [a for a in actors if a[2] >= m.end()]
        if after:
            return after[0][0]
    best = None
    for sm in _SPEECH_RE.finditer(sentence):
        for actor, _side, s, e in actors:
            if e <= sm.start() and sm.start() - e <= 40 and (best is None or s > best[1]):
                best = (actor, s)
        if best:
            return best[0]
    # "The Taliban claimed they killed ...": the actor that opens the sentence.
    return None


def _countries_named(
    text: str, offset: int, mentions: list[Mention], *, parties: bool = False
) -> Counter[str]:
    """How often each country is named in ``text`` (which starts at ``offset`` in the article):
    its people's word ("Thai troops"), or a place mention in it (the country itself, its capital
    standing for its government, or any place located there). ``parties=True`` counts only the
    words that can name a side of a fight: its people's word, or a country or capital standing
    for its government (a mention in the ``actor`` role)."""
    counts: Counter[str] = Counter(demonyms_in(text))
    end = offset + len(text)
    for m in mentions:
        if (
            offset <= m.start
            and m.end <= end
            and m.place.country
            and m.place.kind not in _SPANNING_KINDS
            and (not parties or m.role == "actor")
        ):
            counts[m.place.country] += 1
    return counts


#: Features that run through several countries: the one their point lies in says little of the
#: story's (the Niger river's point is in Mali).
_SPANNING_KINDS = frozenset({"river", "sea"})


# ---------------------------------------------------------------------------------------------
# Places


def border_line_place(pair: str, near: tuple[float, float] | None) -> tuple[Place, float]:
    """The place of an event known only to lie on the border of ``pair`` ("KH-TH"): the point of
    its line nearest to ``near`` (lon, lat), and an honest radius in km
    (:func:`geomap.border.point_on_border`)."""
    lon, lat, extent = border.point_on_border(pair, near)
    return Place(
        BORDER_LINE_PREFIX + pair,
        border.border_name(pair),
        lat,
        lon,
        "line",
        None,
        None,
        0,
        "geomap: Natural Earth 10m boundary line of the pair",
    ), extent


#: A demarcation line's point (``kind`` "line") lies on its border's line within this distance.
LINE_ON_BORDER_KM: float = 10.0


@lru_cache(maxsize=256)
def line_pair(place: Place) -> str | None:
    """The border a demarcation line runs along (the Line of Control: "IN-PK"): the pair whose
    line its point lies on, or None for a line that is no land border between two countries."""
    if place.kind != "line":
        return None
    pair, km = border.nearest_border(place.lon, place.lat)
    return pair if pair is not None and km is not None and km <= LINE_ON_BORDER_KM else None


#: People per km² of a town's or city's built-up area: its population at this density gives the
#: radius of the disc that holds it (Goma, 670,000 people: 8 km; Kabul, 4.4 million: 22 km).
URBAN_DENSITY: float = 3000.0


@lru_cache(maxsize=1)
def _own_extents() -> dict[str, float]:
    """``uncertainty_km`` of the curated crossings and border places, by place id."""
    out: dict[str, float] = {}
    for name in ("crossings.csv", "border_places.csv"):
        for row in _rows(name):
            value = (row.get("uncertainty_km") or "").strip()
            if value:
                out[row["place_id"].strip()] = float(value)
    return out


@lru_cache(maxsize=1)
def _kind_extents() -> dict[str, float]:
    """The radius that holds a place of each kind (``geodata/place_extents.csv``)."""
    return {row["kind"].strip(): float(row["extent_km"]) for row in _rows("place_extents.csv")}


def place_extent_km(place: Place) -> float | None:
    """How far (km) an event said to be at ``place`` may lie from its point: a derived place's
    own extent, a curated crossing's or border place's uncertainty, a country's area as a disc,
    a town's or city's population at :data:`URBAN_DENSITY` (never below its kind's floor), else
    the typical size of its kind (``geodata/place_extents.csv``)."""
    if place.extent_km:
        return place.extent_km
    own = _own_extents().get(place.place_id)
    if own is not None:
        return own
    if place.kind == "country":
        return border.country_radius_km(place.country) if place.country else None
    floor = _kind_extents().get(place.kind)
    if place.kind in ("town", "city") and place.population > 0:
        radius = math.sqrt(place.population / URBAN_DENSITY / math.pi)
        return round(max(floor or 0.0, radius), 1)
    return floor


def _choose_pair(counts: Counter[str]) -> str | None:
    """The land border between the two countries a text names most, among neighbours; of pairs
    named as often, the one named first (``counts`` in the order the text names them: "Thailand
    and Cambodia ... a ceasefire agreed in Malaysia" is about Thailand and Cambodia)."""
    known = border.pairs()
    named = [c for c, n in counts.items() if n > 0]
    best: tuple[tuple[int, int, int, str], str] | None = None
    for i, a in enumerate(named):
        for j, b in enumerate(named[i + 1 :], start=i + 1):
            key = border.pair_key(a, b)
            if key not in known:
                continue
            rank = (min(counts[a], counts[b]), counts[a] + counts[b], -j, key)
            if best is None or rank > best[0]:
                best = (rank, key)
    return best[1] if best else None


#: Kinds of place that are one spot on the ground (a story's town, not its province or country).
_SPOT_KINDS = frozenset({"village", "town", "city", "crossing", "landmark", "pass"})
#: A story's only town stands for where its people fled only when it lies this close to a border.
HOME_BORDER_KM = 50.0


#: A place this close to another event's of the sentence is that event's, not a second one's.
OWN_PLACE_KM = 25.0


def _dateline_end(line: str) -> int:
    """How far a dateline opening ``line`` reaches (:func:`geomap.articles.blank_dateline`; 0
    without one): where the story was filed, not what it tells."""
    body = blank_dateline(line)
    return 0 if body is line else len(body) - len(body.lstrip())


def _dateline_span(text: str) -> tuple[int, int] | None:
    """(start, end) in ``text`` of a dateline that opens one of its first lines ("PUTRAJAYA,
    Malaysia, July 28, 2025 —")."""
    pos = 0
    while pos < min(len(text), DATELINE_WITHIN_CHARS):
        end = _dateline_end(text[pos : pos + 200])
        if end:
            return pos, pos + end
        nl = text.find("\n", pos)
        if nl < 0:
            break
        pos = nl + 1
    return None


@dataclass(slots=True)
class Story:
    """What one story (a piece of an article) tells as a whole, for the sentences that do not say
    it themselves: the countries it concerns, the land border between them, and the places it
    locates things at (which put "the border" at the right stretch of the line). The border and
    the story's town are worked out when an event first asks for them (most stories have none)."""

    countries: Counter[str]
    located: list[Mention]
    #: The city a dateline opening one of the story's first lines names ("PUTRAJAYA, Malaysia,
    #: July 28, 2025 —"): where the report was filed.
    dateline: Place | None = None
    #: The triggers that match each of the story's sentences (looked for once).
    matching: dict[str, tuple[Trigger, ...]] = field(default_factory=dict)
    #: The parses of the story's sentences that hold an event word, made in one batch.
    trees: dict[str, Tree] = field(default_factory=dict)
    #: The last strike or clash the story reported: where "the same region" is.
    last_force: Event | None = None
    #: The crossing of the last sentence that told an event there or named it beside an event:
    #: what "the crossing" refers to.
    last_crossing: Place | None = None
    #: The crossing the sentence just read told an event at or named: what "it" in the next
    #: sentence's crossing event stands for ("Torkham was closed on Saturday. It reopened on Monday.").
    crossing_just_told: Place | None = None
    #: The strike or clash the sentence just read told, in the same paragraph: where people who
    #: flee in the next sentence with no place of their own flee from ("Troops seize Abyei
    #: town. More than 100,000 people flee south.").
    fight_just_told: Event | None = None
    #: The strikes and clashes the sentence just read told, across a paragraph's end: what a fight
    #: the next sentence tells again with no place or day of its own is ("... opened fire on
    #: posts in the Kharlachi area late on Tuesday. [new paragraph] According to security
    #: sources, the Afghan side resorted to heavy firing at around 11pm").
    fights_before: list[Event] = field(default_factory=list)
    #: Whether the story has told a strike, clash or crossing closed or reopened: what talks it
    #: goes on to tell are about, when their own sentence does not say.
    fight_told: bool = False
    #: A strike or clash a sentence dates but does not place ("On the morning of last Saturday
    #: the argument turned into a gunfight."): (type, date, end of that sentence), for the
    #: event of its kind that the very next sentence places but does not date.
    unplaced: tuple[str, DateHit, int] | None = None
    #: The day the paragraph read so far has opened with ("On 24 September 2023 ..."), for a
    #: sentence of it that tells a time of day ("ambushed a patrol before dawn"): set before
    #: such a sentence is read, else None.
    paragraph_day: DateHit | None = None
    #: For an event dated "the following day" or "the same day": the day its paragraph opened
    #: with and where that paragraph starts ("24 September 2023 - Gunmen ambush a patrol ...
    #: Kosovo closes the crossings the same day", whatever event the gunmen's words gave).
    sequel_frames: dict[int, tuple[DateHit, int]] = field(default_factory=dict)
    #: The places the sentence just before located things at, when it reported no event and the
    #: paragraph goes on ("forces detected infiltrators in the Sambaza area of Zhob. Troops
    #: engaged and thwarted the attempt."): where a clash told with no place happened.
    prior: list[Mention] = field(default_factory=list)
    #: The date phrases that are the day a source spoke ("sources told AFP on Thursday"), which
    #: date an event only for want of its own, and the events they date.
    report_hits: set[tuple[int, int]] = field(default_factory=set)
    report_dated: set[int] = field(default_factory=set)
    #: The latest full date with its year that the paragraph has stated so far ("The crisis began
    #: on May 5, 2020"): the year of the days it goes on to tell without one (:func:`_carry_years`).
    told_year: date | None = None
    _pair: str | None | bool = False  # False: not worked out yet
    _home: Place | None | bool = False

    @classmethod
    def of(cls, text: str, offset: int, mentions: list[Mention]) -> Story:
        span = _dateline_span(text)
        told = (
            mentions
            if span is None
            else [m for m in mentions if not offset + span[0] <= m.start < offset + span[1]]
        )
        counts = _countries_named(text, offset, told)  # where it was filed from is not what it is about
        located = [m for m in mentions if m.role != "actor" and m.place.kind != "country" and m.place.country]
        dateline = None
        if span is not None:
            dateline = next(
                (
                    m.place
                    for m in mentions
                    if offset + span[0] <= m.start
                    and m.end <= offset + span[1]
                    and m.place.kind in ("city", "town")
                ),
                None,
            )
        return cls(counts, located, dateline)

    @property
    def pair(self) -> str | None:
        """The land border between the two countries the story names most; with one country
        named, the border of it that the story's places lie nearest (within 100 km)."""
        if self._pair is False:
            pair = _choose_pair(self.countries)
            if pair is None and self.located:
                country = Counter(m.place.country for m in self.located).most_common(1)[0][0]
                lon, lat = _mean_point([m for m in self.located if m.place.country == country])
                cands = [p for p in border.pairs() if country in p.split("-")]
                near_pair, dist = border.nearest_border(lon, lat, cands)
                if near_pair is not None and dist is not None and dist <= border.NEAR_BORDER_KM:
                    pair = near_pair
            self._pair = pair
        return self._pair  # type: ignore[return-value]

    @property
    def home(self) -> Place | None:
        """The one town or village the story locates anything at, when it lies on a land border
        (often where it is reported from: "reports from Medyka, a Polish town along the border"),
        as a place known only approximately (``within`` "story")."""
        if self._home is False:
            spots = {m.place.place_id: m.place for m in self.located if m.place.kind in _SPOT_KINDS}
            self._home = _border_town(next(iter(spots.values()))) if len(spots) == 1 else None
        return self._home  # type: ignore[return-value]

    @property
    def border_dateline(self) -> Place | None:
        """The town the story is filed from, when it lies near a land border (as a place known
        only approximately, ``within`` "story")."""
        town = self.dateline
        return _border_town(town) if town is not None and town.kind in _SPOT_KINDS else None

    @property
    def the_crossing(self) -> Place | None:
        """The crossing "the crossing" refers to: the last one the story placed an event at or
        named in a sentence that told one (:attr:`last_crossing`), else
        the one crossing the story names ("reopened their main border crossing on Friday ... The
        Torkham crossing opened at 8 a.m."), else the one curated crossing at its towns."""
        if self.last_crossing is not None:
            return self.last_crossing
        named = {m.place.place_id: m.place for m in self.located if m.place.kind == "crossing"}
        if not named:
            # "The international bridge at Desaguadero ... ordered the crossing closed": the one
            # curated crossing at the towns the story names
            for m in self.located:
                if m.place.kind in _TOWN_KINDS and (known := _known_crossing(m.place)) is not None:
                    named[known.place_id] = known
        return next(iter(named.values())) if len(named) == 1 else None

    def note_told(self, in_sentence: list[Mention], events: list[Event], text: str) -> None:
        """After a sentence: its last strike or clash, and the crossing it told an event at (or at
        the town of a curated crossing), or named, by its name or by a crossing word with the town
        it is at ("behind me is the gate that leads to Tal Abyad")
        (:attr:`crossing_just_told`, :attr:`last_crossing`)."""
        self.fight_just_told = None
        self.fights_before = []
        crossing, closed_at = None, None
        for m in in_sentence:
            if m.role != "location":
                continue
            if m.place.kind == "crossing":
                crossing = m.place
            elif crossing is None and m.place.kind in _TOWN_KINDS and _CROSSING_WORD_RE.search(text):
                crossing = _known_crossing(m.place)
        for ev in events:
            if ev.event_type in _FORCE_TYPES or ev.event_type == "crossing":
                self.fight_told = True
            if ev.event_type in _FORCE_TYPES:
                self.last_force = self.fight_just_told = ev
                self.fights_before.append(ev)
            if ev.place.kind == "crossing":
                crossing = ev.place
            elif crossing is None and ev.place.kind in _TOWN_KINDS:
                # "Afghan forces fire shells into Chaman. The crossing is closed ...": the
                # curated crossing at the town an event was placed at
                crossing = _known_crossing(ev.place)
            if ev.event_type == "crossing":
                closed_at = ev.place  # (a crossing closed at its town: "the Doolow crossing")
        self.crossing_just_told = closed_at or crossing
        if events and crossing is not None:
            self.last_crossing = crossing

    def pair_for(self, sentence_counts: Counter[str]) -> str | None:
        """The border a sentence speaks of: the story's when it names both its sides (a mediator
        named beside them is no side), else between the countries it names, else the story's."""
        pair = self.pair
        if pair is not None and all(sentence_counts[c] for c in pair.split("-")):
            return pair
        return _choose_pair(sentence_counts) or pair

    def near(self, pair: str) -> tuple[float, float] | None:
        """Mean (lon, lat) of the story's located places in the two countries of ``pair``: those
        near its line when there are any (a capital the report is filed from says little of where
        on the border it happened)."""
        return _near_line(self.located, pair)

    def border_place(
        self, pair: str | None, near: tuple[float, float] | None = None
    ) -> tuple[Place | None, float | None]:
        """The point of the border of ``pair`` nearest ``near`` (the sentence's own places), else
        nearest the story's places."""
        if pair is None:
            return None, None
        return border_line_place(pair, near or self.near(pair))


def _near_line(
    mentions: Sequence[Mention], pair: str, close_only: bool = False
) -> tuple[float, float] | None:
    """Mean (lon, lat) of the located places among ``mentions`` in the two countries of ``pair``:
    those near its line when there are any (or only those, with ``close_only``)."""
    sides = set(pair.split("-"))
    pts = [
        m
        for m in mentions
        if m.place.country in sides
        and m.place.kind not in ("line", "country")  # a line's point is the middle of it
        and not m.place.place_id.startswith(BORDER_LINE_PREFIX)
    ]
    close = [
        m
        for m in pts
        if (border.distance_to_pair(m.place.lon, m.place.lat, pair) or 0.0) <= border.NEAR_BORDER_KM
    ]
    pts = _finest_places(close if close or close_only else pts)
    return _mean_point(pts) if pts else None


#: How wide a place of each kind is, as a rank: where on a border a story happened is told by its
#: finest places (a village before its valley, a valley before the disputed region around it).
_AREA_RANK: dict[str, int] = {
    "region": 1,
    "province": 2,
    "river": 3,
    "line": 3,
    "disputed-area": 4,
    "country": 5,
}


def _finest_places(mentions: list[Mention]) -> list[Mention]:
    """One mention per place, of the finest places among them (however often a wide one is named)."""
    unique = list({m.place.place_id: m for m in mentions}.values())
    if not unique:
        return unique
    best = min(_AREA_RANK.get(m.place.kind, 0) for m in unique)
    return [m for m in unique if _AREA_RANK.get(m.place.kind, 0) == best]


def _border_town(place: Place) -> Place | None:
    """A story's town as a place known only approximately (``within`` "story"), when it lies
    within :data:`HOME_BORDER_KM` of a land border; else None."""
    near = border.nearest_border(place.lon, place.lat)[1]
    return dataclasses.replace(place, within="story") if near is not None and near <= HOME_BORDER_KM else None


def _one_finest(mentions: list[Mention]) -> Place | None:
    """The one place of the finest kind (:data:`_KIND_RANK`) among the mentions ("the Sambaza
    area of Zhob district": Sambaza), or None when there are none or several."""
    unique = list({m.place.place_id: m.place for m in mentions}.values())
    if not unique:
        return None
    best = min(_KIND_RANK.get(p.kind, 3) for p in unique)
    finest = [p for p in unique if _KIND_RANK.get(p.kind, 3) == best]
    return finest[0] if len(finest) == 1 else None


def _mean_point(mentions: Sequence[Mention]) -> tuple[float, float]:
    pts = [(m.place.lon, m.place.lat) for m in mentions]
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


# ---------------------------------------------------------------------------------------------
# Extraction


def extract_events(article: Article, mentions: list[Mention]) -> list[Event]:
    """Events reported by an article, one per (sentence, type, place), in text order.

    ``mentions`` are the article's place mentions (offsets in ``article.text``); each piece of
    the article is read with its own publication date and only its own mentions.
    """
    events: list[Event] = []
    text = article.clean or article.text
    for piece in article.pieces:
        piece_mentions = [
            m
            for m in mentions
            if piece.start <= m.start and m.end <= piece.end and text[m.start : m.end].strip()
        ]
        events.extend(_extract_piece(article, text, piece, piece_mentions))
    for ev in events:
        ev.source = {key: article.meta[key] for key in SOURCE_KEYS if article.meta.get(key)}
    return events


#: An event a dated report tells with no time of its own gets the report's month when the report
#: is dated at least this far into its month (earlier, the weeks before it reach into the last one),
#: or is dated to the month only ("Islamabad, Oct 2025:").
REPORT_MONTH_MIN_DAY: int = 8


#: A story dated only by the latest full date it states was written after it: a month it names
#: without a year up to this many months later is of that date's year ("On February 21, 2025 ...
#: on the night of March 3").
INFERRED_AHEAD_MONTHS = 3


#: How long after the latest full date a story states its byline may be, for the reading of an
#: ambiguous numeric byline that the text decides (:func:`_byline_read_by_text`).
BYLINE_AFTER_TEXT_DAYS = 31


def _byline_read_by_text(story_text: str, anchor: date | None) -> date | None:
    """The reading of a byline's ambiguous numeric date ("08/07/2024") that falls on or soonest
    after the latest full date the story states (``anchor``), within
    :data:`BYLINE_AFTER_TEXT_DAYS`; else None."""
    readings = byline_readings(story_text) if anchor is not None else None
    if readings is None or anchor is None:
        return None
    gaps = sorted(((d - anchor).days, d) for d in readings if d >= anchor)
    if not gaps or gaps[0][0] > BYLINE_AFTER_TEXT_DAYS:
        return None
    return gaps[0][1]


#: A periodic digest's title block ("Sahel Security Weekly", "Week of 3-9 March 2025", "The week in
#: review", "Border roundup", "Issue 7"): its weekdays are the days before its issue.
_DIGEST_RE = re.compile(
    r"\b(?:weekly|week\s+(?:of|in\s+review)|the\s+week\s+(?:in|on|at)\b|round-?ups?|digest|wrap-?up"
    r"|issue\s+(?:no\.?\s*)?\d+)\b",
    re.IGNORECASE,
)
#: How far into a story its title block reaches, for :data:`_DIGEST_RE`.
DIGEST_HEAD_CHARS = 300


@dataclass(slots=True)
class _Reference:
    """The date relative dates of a story are read against, and how it was found."""

    published: date | None  # the piece's publication date, or the date inferred from its text
    precision: str | None  # of ``published``: "day", "month" or None
    anchor: date | None  # the latest full date the story states, when it has no publication date
    basis: str | None  # "published", "inferred" or None
    #: The inferred date is stated in the story's title line ("Weekly press briefing, Ankara, 15
    #: August 2024"): the day it tells of, not a day it was written after.
    titled: bool = False
    #: Whether a weekday the day after the report's may be that next day (see ``find_dates``):
    #: not in a periodic digest, which tells of the days before its issue.
    late_stamp: bool = True

    @property
    def ahead_months(self) -> int:
        """Months after ``published`` a month named without a year may lie in its year: a date
        inferred from the text is the latest it states, which the story was written after (but
        for a date its title states)."""
        return INFERRED_AHEAD_MONTHS if self.basis == "inferred" and not self.titled else 0

    def find_dates(self, text: str) -> list[DateHit]:
        """The date phrases of ``text`` read against this reference (:func:`find_dates`)."""
        return find_dates(
            text,
            self.published,
            self.precision,
            self.anchor,
            ahead_months=self.ahead_months,
            late_stamp=self.late_stamp,
        )

    @classmethod
    def of(cls, piece: Piece, story_text: str) -> _Reference:
        """The piece's publication date, else the latest full date the story states outside
        captions (then the dates it gives are "inferred")."""
        if piece.published is not None:
            late = not _DIGEST_RE.search(story_text, 0, DIGEST_HEAD_CHARS)
            return cls(piece.published, piece.published_precision, None, "published", late_stamp=late)
        anchor, reference = story_dates(story_text)
        filed = _filed_on(story_text, reference or told_in_year(story_text) or _latest_month(story_text))
        if filed is not None:
            # "PESHAWAR, Feb 19 (Reuters) -": the day it was filed, in the first year after all
            # the story tells as done (or in the year it says it is told in: "since the
            # beginning of 2026")
            return cls(filed, "day", filed, "published")
        if (read := _byline_read_by_text(story_text, anchor)) is not None:
            # "Published: 08/07/2024" over a week "covering 1 to 7 July 2024": 8 July
            return cls(read, "day", None, "published")
        year = byline_year(story_text)
        if year is not None and (anchor is None or anchor.year < year):
            # "Published 11/02/2026": a story of 2026 (11 February or 2 November), whose days
            # told without a year are of 2026 and whose weekdays cannot be resolved
            return cls(None, None, date(year, 12, 31), None)
        if reference is not None:
            titled = _titled(story_text, reference)
            if not titled:
                # "... reopened only on February 23, 2026 ... on Sunday night (March 8)": the
                # latest day the story states, written without its year
                reference = latest_day_ahead(story_text, reference, INFERRED_AHEAD_MONTHS) or reference
            return cls(reference, "day", anchor, "inferred", titled)
        return cls(None, None, anchor, None)


#: A title line is at most this long.
TITLE_MAX_CHARS = 200


def _title(story_text: str) -> tuple[str, int] | None:
    """The story's first line when it is a title (short, with no full stop at its end), and
    the offset in ``story_text`` where that line ends; else None."""
    lead = len(story_text) - len(story_text.lstrip())
    line = story_text[lead:].split("\n", 1)[0]
    title = line.strip()
    if len(title) > TITLE_MAX_CHARS or title.endswith("."):
        return None
    return title, lead + len(line)


def _titled(story_text: str, day: date) -> bool:
    """Whether the story's first line is a title that states ``day``."""
    title = _title(story_text)
    return title is not None and latest_full_date(title[0]) == day


def _latest_month(story_text: str) -> date | None:
    """The first day of the latest month the story names with its year as told ("after heavy
    fighting along the border in October 2025"), or None: a yearless dateline files the story in
    the first year that puts it after that month began."""
    end = latest_month_end(story_text)
    return end.replace(day=1) if end is not None else None


def _filed_on(story_text: str, latest: date | None) -> date | None:
    """The day a wire dateline with no year files the story on ("Feb 19 (Reuters)"), in the first
    year that puts it on or after the latest full date the story states (``latest``); with no
    such date, in the year from the latest the story writes that puts it on the weekday the story
    tells (:func:`day_by_weekdays`: "Oct 12 (Reuters) - Pakistan said on Sunday ... since 2021" is
    Sunday 12 October 2025); else None."""
    day = yearless_dateline(story_text)
    if day is None:
        return None
    if latest is None:
        year = latest_year_told(story_text)
        return None if year is None else day_by_weekdays(story_text, *day, year)
    for year in (latest.year, latest.year + 1):
        filed = day_in(year, *day)
        if filed is not None and filed >= latest:
            return filed
    return None


def _extract_piece(article: Article, text: str, piece: Piece, mentions: list[Mention]) -> list[Event]:
    """The events of one story: sentence by sentence, then the dates that refer to other events
    resolved, then the story's finishing rules (:func:`_finish`)."""
    story_text = text[piece.start : piece.end]
    ref = _Reference.of(piece, story_text)
    story = Story.of(story_text, piece.start, mentions)
    sentences = split_sentences(text, piece.start, piece.end)
    mentions = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    story.matching = {s.text: _matching_triggers(s.text) for s in sentences}
    story.trees = parse_many([text for text, found in story.matching.items() if _worth_parsing(text, found)])
    out: list[tuple[Sentence, Event]] = []
    pending_refs: list[tuple[Event, DateHit]] = []
    body_index = 0
    frame: DateHit | None = None
    # the day of the live page's entry being read: its time stamp's, until the next stamp
    stamp: DateHit | None = None
    # sentences of the paragraph that may open with a date, read only when an undated event
    # needs the paragraph's time (most sentences never do)
    openers: list[str] = []
    last_end = piece.start
    paragraph_start = piece.start
    for sent in sentences:
        gap = text[last_end : sent.start]
        last_end = sent.end
        if "\n" in gap:
            paragraph_start = sent.start
            story.prior = []  # a new paragraph: the last one's places are not its own
            story.fight_just_told = None
            story.told_year = None
            # a new paragraph has its own time; an entry of a live page stamped "07:45 IST" (on a
            # line of its own, over the entry's headline and paragraphs, or opening the entry:
            # "15:58 ▶ ...") tells what happened on the page's day
            stamp = _stamp_day(gap, ref, sent.start) or stamp  # a stamp the sentences leave out
            frame, openers = _stamp_day(sent.text, ref, sent.start) or stamp, []
        if _TIMESTAMP_LINE_RE.fullmatch(sent.text.strip()):
            stamp = _stamp_day(sent.text, ref, sent.start)
            continue
        is_body = (
            len(sent.text) > 60
            and bool(_ENDS_SENTENCE_RE.search(sent.text))
            and not _BULLET_RE.match(sent.text)  # bullet points sum up, they are no lead
        )
        in_sentence = _mentions_in(sent, mentions, starts)
        story.paragraph_day = (
            _paragraph_time(list(openers), frame, ref) if TIME_OF_DAY_RE.search(sent.text) else None
        )
        s_events, refs = _sentence_events(
            article, sent, in_sentence, ref, story, body_index if is_body else 99
        )
        if is_body:
            body_index += 1
        pending_refs.extend(refs)
        if not s_events:
            s_events = _casualty_sentence(article, sent, in_sentence, ref, story, story_text, out)
            if not s_events:
                _date_the_incident_told(sent.text, story, ref)
        elif not any(ev.event_type in _FORCE_TYPES for ev in s_events):
            # "Iran closed the crossing, a day after militants killed five guards near Saravan":
            # the toll of a fight the sentence tells beside its own event, at a place of its own
            free = [
                m
                for m in in_sentence
                if not any(
                    geodesic_km(m.place.lat, m.place.lon, ev.lat, ev.lon) <= OWN_PLACE_KM for ev in s_events
                )
            ]
            s_events = s_events + _casualty_sentence(article, sent, free, ref, story, story_text, out)
        for ev, hit in refs:
            if hit.kind == "sequel" and (frame := _paragraph_time(openers, frame, ref)) is not None:
                story.sequel_frames[id(ev)] = (frame, paragraph_start)
        waiting = {id(ev) for ev, _h in refs}
        undated = [ev for ev in s_events if ev.date is None and id(ev) not in waiting]
        if undated and (frame := _paragraph_time(openers, frame, ref)) is not None:
            for ev in undated:
                ev.date, ev.date_precision = frame.value, frame.precision
        if _FRAME_START_RE.match(sent.text):
            openers.append(sent.text)
        out.extend((sent, ev) for ev in s_events)
        if _YEAR_RE.search(sent.text) and (told := _told_time(sent.text)) is not None:
            story.told_year = told
        story.prior = (
            []
            if s_events
            else [m for m in in_sentence if m.role == "location" and m.place.kind not in _NOT_PRIOR_KINDS]
        )
        story.note_told(in_sentence, s_events, sent.text)
    events = [ev for _s, ev in out]
    _resolve_refs(pending_refs, events, ref, story.sequel_frames)
    _own_days_over_report_days(events, story)
    _restated_tolls(events)
    _headline_told_in_body(events, text, piece)
    return _finish(events, piece, ref)


#: A headline's event is the body's event of its kind told at most this far from it: the headline
#: names the place more coarsely ("Armenia says fire from Nakhchivan wounded worker in border
#: village"), or by its town where the body names its crossing.
HEADLINE_BODY_KM = 100.0


def _headline_told_in_body(events: list[Event], text: str, piece: Piece) -> None:
    """Each event of the story's title line that its body tells too, more finely (an event of the
    same kind, within :data:`HEADLINE_BODY_KM`, of a compatible time, at a finer place or at the
    crossing of the headline's town), is put where and when the body tells it, so that the two
    are one incident: the nearest such event, the latest of equals."""
    title = _title(text[piece.start : piece.end])
    if title is None or not title[0]:
        return
    title_end = piece.start + title[1]
    body = [ev for ev in events if ev.start >= title_end]
    for head in (ev for ev in events if ev.start < title_end):
        if head.place.place_id.startswith("gm:relative:"):
            continue  # "fighting rages west of Goma": a place of its own, not Goma
        told = [
            (geodesic_km(head.lat, head.lon, ev.lat, ev.lon), ev)
            for ev in body
            if ev.event_type == head.event_type
            and ev.is_reopening == head.is_reopening
            and ev.place.place_id != head.place.place_id
            and (
                ev.geo_precision < head.geo_precision  # finer than the headline tells it
                or (head.place.kind in _TOWN_KINDS and _known_crossing(head.place) == ev.place)
            )
            and (head.date is None or _near_time(head.date, ev.date))
        ]
        told = [(km, ev) for km, ev in told if km <= HEADLINE_BODY_KM]
        if not told:
            continue
        # the nearest; of equals, the latest (ISO dates order as text, a month before its days)
        _km, ev = max(told, key=lambda t: (-t[0], t[1].date or ""))
        head.place, head.lat, head.lon, head.geo_precision = ev.place, ev.lat, ev.lon, ev.geo_precision
        head.geo_uncertainty_km = ev.geo_uncertainty_km
        if head.date is None:
            head.date, head.date_precision, head.date_basis = ev.date, ev.date_precision, ev.date_basis


def _near_time(value: str, other: str | None) -> bool:
    """Whether two dates may be one event's: the same month where either is a month, else at
    most a day apart (a headline dated the report's day, its body the night before)."""
    if not other:
        return False
    if len(value) < 10 or len(other) < 10:
        return value[:7] == other[:7]
    return abs((date.fromisoformat(value) - date.fromisoformat(other)).days) <= 1


#: A line that is only a time of day: the stamp of a live page's entry ("07:45 IST", "14:50").
_TIMESTAMP_LINE_RE = re.compile(
    r"^[ \t]*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    # (each repeated piece is a whole word, so a long line of words is refused at once)
    r"(?:[ \t]*\(?(?:[ap]\.?m\.?|[A-Z]{2,5}|(?:GMT|UTC)(?:[ \t]*[+−-][ \t]*\d{1,2}(?::\d{2})?)?"
    r"|local(?:[ \t]+time)?)(?![a-z0-9])\)?)*[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


#: A live page's or a ticker's entry that opens with its time stamp: "15:58 ▶ [BREAKING] ...".
_STAMPED_ENTRY_RE = re.compile(
    r"\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ \t]*(?i:[ap]\.?m\.?)|[ \t]*[A-Z]{2,5})?[ \t]*"
    r"(?:[▶►•|—–-][ \t]*)?(?=[A-Z\[])"
)


def _stamp_day(text: str, ref: _Reference, at: int) -> DateHit | None:
    """The page's day, when ``text`` holds a live page's time stamp (a line of its own, or the
    opening of an entry) and the page is dated."""
    if ref.published is None or ref.precision != "day":
        return None
    if not (_TIMESTAMP_LINE_RE.search(text) or _STAMPED_ENTRY_RE.match(text)):
        return None
    return DateHit(at, at, "", "relative", ref.published.isoformat(), "day")


#: The words a date may follow at the head of a sentence it frames: "On 29 April, ...", "Late on
#: Thursday the ...", "On the morning of last Saturday ...", a timeline's "* May 7, 2024 – ...".
_FRAME_HEAD_RE = re.compile(
    r"(?:[*•·▪‣-]\s+)?(?:(?:on|in|late|early|earlier|later|during|by|at|around|the|morning|afternoon|evening|night|of)\s+)*",
    re.IGNORECASE,
)
#: The head of a sentence that opens another episode with its day: "In another engagement on 26
#: April, ...", "In a separate attack late on Sunday, ...".
_EPISODE_HEAD_RE = re.compile(
    r"(?:in|during)\s+(?:a|an|another|the\s+second|a\s+second)\s+(?:(?:separate|similar|related|later|fresh|new)\s+)?"
    r"(?:incident|engagement|attack|operation|clash|exchange|raid|strike|episode)\s+"
    r"(?:(?:late|early)\s+)?(?:on|in|at)?\s*(?:the\s+(?:morning|evening|night)\s+of\s+)?",
    re.IGNORECASE,
)
_FRAME_START_RE = re.compile(
    # (a timeline's bullet first: "* May 7, 2024 – Israeli forces take the crossing.")
    r"(?:[*•·▪‣-]\s+)?(?:on|in|late|early|during|by|at|around|\d|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|"
    r"jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)


def _paragraph_time(openers: list[str], frame: DateHit | None, ref: _Reference) -> DateHit | None:
    """The time the paragraph has reached: the day its latest sentence opening with one gives
    (``openers``, read from the latest back and emptied as read), else ``frame``."""
    while openers:
        hit = _frame_date(openers.pop(), ref)
        if hit is not None:
            openers.clear()
            return hit
    return frame


def _frame_date(text: str, ref: _Reference) -> DateHit | None:
    """The day a sentence opens with ("On 29 April the situation escalated sharply."): the time of
    what the next sentences of its paragraph tell with no date of their own. Only for a sentence
    :data:`_FRAME_START_RE` lets begin so."""
    head = text[:60]
    for h in ref.find_dates(head):
        if h.kind in {"absolute", "relative"} and h.value and h.precision == "day":
            if _FRAME_HEAD_RE.fullmatch(head, 0, h.start) or _EPISODE_HEAD_RE.fullmatch(head, 0, h.start):
                return h
        break
    return None


def _carry(ev: Event, claims: list[dict[str, Any]]) -> None:
    """Give ``ev`` the claims of a sentence with no event of its own, given to the story's last
    strike or clash only because it came last (marked until :func:`_restated_tolls` has read
    them), and set its tolls again."""
    for c in claims:
        c["_carried"] = True
    ev.claims.extend(claims)
    _set_tolls(ev)


def _restated_tolls(events: list[Event]) -> None:
    """One toll of the same people, told twice in a story, is counted by one event: the one
    that states it with more detail ("four civilians were killed in the firing" beside "four
    civilians were killed and 10 wounded in the bombing": the bombing's), or, told alike, the one
    whose sentence states it rather than the one it was given to for coming last. Tolls of events
    at other times are never compared. Claims are looked up by figure and by the groups they count
    (a long story has thousands), so the cost grows with the story, not with its square."""
    # (kind, figure) -> groups counted -> (carried?) -> [(event index, claim)]
    told: dict[tuple[str, int], dict[Any, tuple[list[Any], list[Any]]]] = {}
    for j, other in enumerate(events):
        for d in other.claims:
            parts = claim_parts(d)
            for kind in ("killed", "wounded"):
                if d.get(kind) is not None and parts:
                    lists = told.setdefault((kind, d[kind]), {}).setdefault(parts, ([], []))
                    lists[1 if d.get("_carried") else 0].append((j, d))
    for i, ev in enumerate(events):
        kept = [c for c in ev.claims if not _told_better(c, i, ev, events, told)]
        if len(kept) < len(ev.claims):
            ev.claims = kept
            _set_tolls(ev)
    for ev in events:
        for c in ev.claims:
            c.pop("_carried", None)


def _told_better(
    c: dict[str, Any], i: int, ev: Event, events: list[Event], told: dict[tuple[str, int], dict[Any, Any]]
) -> bool:
    """Whether another event of the story at a compatible time states claim ``c`` with more detail,
    or alike as its own when ``c`` was only given to ``ev`` for coming last."""
    kind = "killed" if c.get("killed") is not None else "wounded"
    if c.get(kind) is None:
        return False
    mine = claim_parts(c)
    for parts, (own, carried) in told.get((kind, c[kind]), {}).items():
        if not parts_within(mine, parts):
            continue
        fuller = parts != mine
        if not fuller and not c.get("_carried"):
            continue  # told alike as its own: each event keeps it
        for j, d in itertools.chain(own, carried) if fuller else own:
            if j == i or d not in events[j].claims:  # (a claim already left out of its event)
                continue
            if ev.date is None or events[j].date is None or _same_time(ev.date, events[j].date):
                return True
    return False


def _denies(zero: Mapping[str, Any], claim: Mapping[str, Any]) -> bool:
    """Whether a claim of no victims ("No deaths were reported", "nobody was hurt") would deny a
    figure ``claim`` states."""
    if zero.get("unharmed"):
        return claim.get("killed") is not None or claim.get("wounded") is not None
    return any(zero.get(k) == 0 and claim.get(k) is not None for k in ("killed", "wounded"))


#: The wounded of a fight who died later, on a day of their own: "one of the injured succumbed to
#: his wounds on Wednesday", "two more soldiers died of their injuries", "raising the death toll".
_LATER_DEATH_RE = re.compile(
    r"\b(?:succumbed|died\s+(?:later\s+)?(?:of|from)\s+(?:his|her|their|the)\s+(?:wounds|injuries)"
    r"|rais(?:ed|ing)\s+the\s+(?:death\s+)?toll|(?:death\s+)?toll\s+(?:rose|climbed|has\s+risen))\b",
    re.IGNORECASE,
)


#: A toll's event named as one the story told: "killed ... in the attack".
_IN_THE_EVENT_RE = re.compile(
    r"\b(?:in|during)\s+(?:the|that|this)\s+(?:[\w-]+\s+)?(?:attack|raid|assault|ambush|shelling|strike|"
    r"fighting|clash(?:es)?|firing|exchange|incident|explosion|blast)\b",
    re.IGNORECASE,
)


def _casualty_sentence(
    article: Article,
    sent: Sentence,
    in_sentence: list[Mention],
    ref: _Reference,
    story: Story,
    story_text: str,
    out: list[tuple[Sentence, Event]],
) -> list[Event]:
    """A sentence with a toll and no event of its own: the toll of the last strike or clash of
    the same time (added to it), or, among words of armed violence, a clash of its own."""
    if _new_force_event(sent.text, story):
        return []  # the toll of an event told after the last, which had no place to be put at
    if "tally" in _sentence_cues(sent.text):
        return []  # "Since the beginning of 2026, 14 civilians have been killed": a tally of many
    prev = _previous_force_event(out, sent)
    if _follows_unplaced_fight(sent, story, prev):
        return []
    casualty_only = (
        _TOLL_WORD_RE.search(sent.text) is not None
        and (prev is not None or _VIOLENCE_RE.search(sent.text) is not None)
        and not _sentence_rejected(sent.text)
        and not _only_rejected_triggers(sent.text)
    )
    claims = _sentence_claims(sent.text, article.name) if casualty_only else []
    if claims and all(not c["killed"] and not c["wounded"] for c in claims):
        # "Neither side is reporting any casualties", "No deaths were reported": the toll of the
        # fight just reported, for what it has no figure of yet (a zero starts no incident)
        if prev is not None and not any(_denies(c, d) for c in claims for d in prev.claims):
            _carry(prev, claims)
        return []
    # A stated toll above zero ("no one was hurt" alone reports nothing).
    if not any((c["killed"] or 0) > 0 or (c["wounded"] or 0) > 0 for c in claims):
        return []
    found = ref.find_dates(blank_dateline(sent.text))
    dates = [
        h
        for h in _carry_years(found, story.told_year, ref.published or ref.anchor, blank_dateline(sent.text))
        if h.kind in {"absolute", "relative"} and not _count_time(sent.text, h, claims)
    ]
    # "the commander said yesterday that two villagers were killed in the attack": the day of the
    # saying of a toll of the attack told before, which dates the toll only when nothing else does
    said = [
        h
        for h in dates
        if h.start < claims[0]["_start"]
        and _SPOKE_BEFORE_RE.search(sent.text, max(0, h.start - 48), h.start)
        and _IN_THE_EVENT_RE.search(sent.text, claims[0]["_start"])
    ]
    dates = [h for h in dates if h not in said]
    own_date = next((h for h in dates if h.value and h.precision == "day"), None)
    own_time = own_date or next((h for h in dates if h.value), None) or (dates[0] if dates else None)
    # the time told last before the figure ("Tuesday's disclosure ... since the clash on June 15,
    # 2020, in which 20 soldiers were killed": the toll of 2020)
    toll_time = next((h for h in reversed(dates) if h.value and h.start < claims[0]["_start"]), own_time)
    if any(h is not None and _recalled(h.value, ref.published) for h in (own_time, toll_time)):
        return []  # "In April, gunfire wounded two people": the toll of an event recalled
    # a toll sentence with no place of its own is where the places told since the last fight are
    # ("In a separate incident, troops intercepted militants near Ghulam Khan. Two were killed.")
    own_places = _toll_places(sent, in_sentence) or [m.place for m in story.prior]
    if prev is not None and _away_from(own_places, prev):
        # "One civilian was killed in Oddar Meanchey": not the toll of the strike across, but
        # perhaps of one told before ("four militants were killed in the Khost strike")
        prev = next(
            (
                ev
                for _s, ev in reversed(out)
                if ev.event_type in _FORCE_TYPES and not _away_from(own_places, ev)
            ),
            None,
        )
    if prev is not None and (
        own_time is None
        or _same_time(own_time.value, prev.date)
        or _LATER_DEATH_RE.search(sent.text) is not None
        or (not own_time.value and prev.day_hint is not None and prev.day_hint in own_time.text.lower())
        or (prev.date is None and _continues(sent.text, story, prev))
    ):
        _carry(prev, claims)
        return []
    if not _VIOLENCE_RE.search(sent.text):
        return []  # a toll of a flood or an accident is no incident
    place, kind = _sentence_place(sent, in_sentence)
    pair = story.pair_for(_countries_named(sent.text, sent.start, in_sentence))
    extent = None
    if place is None and _about_border_fighting(story_text):
        (place, extent), kind = story.border_place(pair), "border"
    if place is None or not _border_incident(sent, in_sentence, place, "clash", "armed clash"):
        return []
    ev = _make_event(
        article,
        ref.published,
        "clash",
        "armed clash",
        place,
        kind,
        sent,
        own_date or (dates[0] if dates else said[0] if said else None),
    )
    ev.border = pair
    if extent is not None:
        ev.geo_uncertainty_km = extent
    ev.claims = claims
    ev.actors = _unique(a[0] for a in _actors_in(sent.text))
    ev.confidence = 0.4
    _set_tolls(ev)
    return [ev]


def _toll_places(sent: Sentence, in_sentence: list[Mention]) -> list[Place]:
    """The places below country level a toll sentence names, other than where its speakers sit
    or its victims were taken."""
    return [
        m.place
        for m in in_sentence
        if m.role == "location"
        and m.place.kind not in _NOT_PRIOR_KINDS
        and not _toll_told_from(sent.text, m.start - sent.start, m.end - sent.start)
    ]


def _away_from(places: list[Place], ev: Event) -> bool:
    """Whether a toll sentence's own places (:func:`_toll_places`) put it away from a fight: it
    has some and none of them holds that fight's place or lies by it (a fight placed only on a
    border line or in a country takes any place of it as its own)."""
    if not places or ev.place.kind in _NOT_PRIOR_KINDS or line_pair(ev.place) is not None:
        return False
    return not any(
        geodesic_km(p.lat, p.lon, ev.lat, ev.lon)
        <= max(OWN_PLACE_KM, place_extent_km(p) or 0.0, place_extent_km(ev.place) or 0.0)
        for p in places
    )


#: The word before the time a toll was counted, not the time of its event ("the toll rose to
#: eight by Monday"; "as of Tuesday" is a ``status`` date already, :mod:`geomap._dates`).
_COUNT_TIME_RE = re.compile(r"\bby\s+$", re.IGNORECASE)


def _count_time(text: str, hit: DateHit, claims: list[dict[str, Any]]) -> bool:
    """Whether a date of a toll sentence is when the toll was counted, not when its event took
    place: "rose to eight by Monday", "the toll was revised to 86 on 14 June"."""
    if _COUNT_TIME_RE.search(text, max(0, hit.start - 8), hit.start):
        return True
    return any(c.get("revised") and 0 <= hit.start - (c["_start"] + len(c["text"])) <= 4 for c in claims)


def _continues(text: str, story: Story, prev: Event) -> bool:
    """Whether a sentence tells again of the story's last event, naming it as known ("The
    clashes, which began on Sunday, have left nine dead" after the lede's fighting): a trigger of
    the same type after a definite word."""
    plain = _unquoted(text)
    for t in story.matching.get(text, ()):
        if not _same_kind(t.event_type, prev.event_type):
            continue
        for m in t.regex.finditer(plain):
            if _DEFINITE_BEFORE_RE.search(plain, max(0, m.start() - 24), m.start()):
                return True
    return False


#: How many days before a source spoke the event it speaks of may be told elsewhere in the story.
REPORT_LAG_DAYS = 3


def _own_days_over_report_days(events: list[Event], story: Story) -> None:
    """ "Gunmen killed six soldiers ..., sources told AFP on Thursday. The assault took place late
    Tuesday": an event dated only by the day a source spoke takes the day the story gives the
    same event (same type and place, up to :data:`REPORT_LAG_DAYS` before)."""
    for ev in events:
        if id(ev) not in story.report_dated or ev.date is None or len(ev.date) != 10:
            continue
        spoke = date.fromisoformat(ev.date)
        own = [
            o
            for o in events
            if o is not ev
            and id(o) not in story.report_dated
            and o.event_type == ev.event_type
            and o.date is not None
            and len(o.date) == 10
            and 0 < (spoke - date.fromisoformat(o.date)).days <= REPORT_LAG_DAYS
            and (
                o.place.place_id == ev.place.place_id
                or geodesic_km(o.lat, o.lon, ev.lat, ev.lon) <= OWN_PLACE_KM
            )
        ]
        if len({o.date for o in own}) == 1:
            ev.date, ev.date_precision = own[0].date, "day"


def _resolve_refs(
    pending: list[tuple[Event, DateHit]],
    events: list[Event],
    ref: _Reference,
    frames: Mapping[int, tuple[DateHit, int]],
) -> None:
    """ "hours before the talks collapsed": the date of that event in this story, else the
    publication day; "the next day": the day after the event the story dated before, or after
    the day its paragraph opened with when no event of the paragraph was dated since."""
    for ev, hit in pending:
        if ev.date is not None:
            continue
        if hit.kind == "sequel":
            told = _sequel_base(ev, events, frames)
            rel = hit.ref_rel or "0"
            if rel.startswith("dom"):
                # "on the 12th": in the month of the event told before, else of the report
                base = date.fromisoformat(told) if told is not None else ref.published
                if (
                    base is not None
                    and (day_of := _day_of_month(base, int(rel[3:]), told is None)) is not None
                ):
                    ev.date, ev.date_precision = day_of.isoformat(), "day"
            elif told is not None:
                day = date.fromisoformat(told) + timedelta(days=int(rel))
                ev.date, ev.date_precision = day.isoformat(), "day"
            continue
        if hit.ref_rel == "fight":
            # "fled following the clash": the last fight of its kind told before that the story dated
            before = events[: next(i for i, e in enumerate(events) if e is ev)]
            noun = hit.ref_what or ""
            fight = next((e for e in reversed(before) if e.date and _names_fight(noun, e)), None)
            if fight is not None:
                ev.date, ev.date_precision = fight.date, fight.date_precision
            continue
        target = _ref_target(hit, events)
        if target is not None:
            ev.date, ev.date_precision = target
        elif ref.published is not None and ref.precision == "day":
            ev.date, ev.date_precision = ref.published.isoformat(), "day"


def _sequel_base(ev: Event, events: list[Event], frames: Mapping[int, tuple[DateHit, int]]) -> str | None:
    """The day "the next day" counts from: the last event the story dated to the day before
    ``ev``, unless the paragraph of ``ev`` opened with a day after which it dated no event
    ("19 February 2008 - Protesters set fire to the checkpoints. Troops sealed both crossings the
    following day": the 19th)."""
    told = next(
        (
            e
            for e in reversed(events[: next(i for i, e in enumerate(events) if e is ev)])
            if e.date and e.date_precision == "day"
        ),
        None,
    )
    frame = frames.get(id(ev))
    if frame is not None and frame[0].value and (told is None or told.start < frame[1]):
        return frame[0].value
    return told.date if told is not None else None


def _day_of_month(base: date, day: int, before: bool) -> date | None:
    """Day ``day`` of ``base``'s month, or of the next month when it would fall before ``base``
    (a day the story goes on to after an event it dated); with ``before`` (``base`` the report's
    date), of the month before when it would fall after the report. None for no such day."""
    year, month = base.year, base.month
    if before and day > base.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    elif not before and day < base.day:
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return day_in(year, month, day)


def _finish(events: list[Event], piece: Piece, ref: _Reference) -> list[Event]:
    """Each event's publication date and date basis; what a dated report tells with no time of
    its own gets the report's month, and the day the story tells it in (:func:`_days_told`) for
    its incident to take; an event :func:`_recalled` is background, kept only when
    told with its own place (:func:`_told_with_where`)."""
    published = ref.published
    day = _story_day(events, ref)
    told = _days_told(events, ref)
    result = []
    for ev in events:
        ev.published = piece.published
        if ev.date is None and day is not None:
            # told with no time of its own in a story of one day's events: that day
            ev.date, ev.date_precision, ev.date_basis = day.date, "day", day.date_basis
        if ev.date is None:
            ev.date_basis = None
            if (
                published is not None
                and ref.basis == "published"
                and (ref.precision == "month" or published.day >= REPORT_MONTH_MIN_DAY)
            ):
                # what a dated report tells with no time of its own happened in the weeks before
                # it: the report's month, no finer (its incident may take the story's day)
                ev.date, ev.date_precision, ev.date_basis = f"{published:%Y-%m}", "month", "published"
                ev.day_told = None if ev.planned else told.get(id(ev))
        elif ev.date_basis != "stated":
            ev.date_basis = ref.basis
        if _recalled(ev.date, published) and not _told_with_where(ev):
            continue
        result.append(ev)
    return result


#: A story whose dated events all fall on one day, no more than this many days before its report,
#: tells of that day's events.
STORY_DAY_SPAN: int = 1


def _story_day(events: list[Event], ref: _Reference) -> Event | None:
    """The event that dates a story of one day's events: its day-dated events all fall on one day,
    the report's or at most :data:`STORY_DAY_SPAN` days before it (the first of them told), else None.
    What such a story tells with no time of its own happened that day."""
    if ref.published is None or ref.precision != "day":
        return None
    dated = [ev for ev in events if ev.date and ev.date_precision == "day"]
    if not dated:
        return None
    days = [date.fromisoformat(ev.date or "") for ev in dated]
    if max(days) != min(days) or not 0 <= (ref.published - min(days)).days <= STORY_DAY_SPAN:
        return None  # (a day after the report is of talks planned: no day of what it told)
    return dated[0]


def _days_told(events: list[Event], ref: _Reference) -> dict[int, str]:
    """The story's day around each event with no time of its own (by ``id``): the day of the last
    event dated before it, else of the first dated after it, when that day is the report's or
    at most :data:`STORY_DAY_SPAN` days before it (a day the story tells of, not its background)."""
    if ref.published is None or ref.precision != "day":
        return {}
    days = [ev.date if ev.date and ev.date_precision == "day" else None for ev in events]
    out: dict[int, str] = {}
    for i, ev in enumerate(events):
        if ev.date is not None:
            continue
        near = next((d for d in reversed(days[:i]) if d), None) or next((d for d in days[i + 1 :] if d), None)
        if near is not None and 0 <= (ref.published - date.fromisoformat(near)).days <= STORY_DAY_SPAN:
            out[id(ev)] = near
    return out


def _ref_target(hit: DateHit, events: list[Event]) -> tuple[str, str] | None:
    what = hit.ref_what or ""
    wanted: tuple[str, str | None] | None = None
    if re.search(r"\b(?:talks|negotiations|dialogue|meeting|discussions|session)\b", what):
        wanted = ("negotiation", None)
    elif re.search(r"\b(?:ceasefire|truce)\b", what):
        wanted = ("negotiation", "ceasefire agreed")
    elif re.search(r"\b(?:strike|raid|explosion|blast|bombing)", what):
        wanted = ("strike", None)
    elif re.search(r"\b(?:clash|fighting|attack)", what):
        wanted = ("clash", None)
    if wanted is None:
        return None
    best = None
    for ev in events:
        if ev.event_type != wanted[0] or (wanted[1] and ev.sub_event_type != wanted[1]):
            continue
        if ev.date and ev.date_precision == "day" and (best is None or ev.date > best[0]):
            if (
                wanted[1] is None
                and ev.event_type == "negotiation"
                and ev.sub_event_type not in {"talks collapsed", "talks held"}
            ):
                continue
            best = (ev.date, "day")
    return best


_BORDER_FIGHTING_RE = re.compile(
    r"\b(?:border|cross-border|frontier)\b[^.]{0,40}\b(?:clash|fight|fire|violence|attack|shelling)"
    r"|\b(?:clash|fight|fire|violence|attack|shelling)\w*\b[^.]{0,40}\b(?:border|frontier)\b",
    re.IGNORECASE,
)


def _about_border_fighting(story_text: str) -> bool:
    """Whether a story reports fighting on a border ("clashes along the border"): its tolls with
    no place of their own are the border's."""
    return _BORDER_FIGHTING_RE.search(story_text) is not None


def _same_time(value: str | None, other: str | None) -> bool:
    """Whether a date (day or month) can be the date of an event dated ``other``: equal as far as
    both go ("2015-08" and an undated event are not known to be the same time)."""
    if not value or not other:
        return False
    n = min(len(value), len(other))
    return value[:n] == other[:n]


#: A word that tells an event after the one just told: "warplanes later struck", "in retaliation".
_AFTERWARDS_RE = re.compile(
    r"\b(?:later|subsequently|afterwards|then|in\s+(?:response|retaliation))\b", re.IGNORECASE
)


def _new_force_event(text: str, story: Story) -> bool:
    """Whether the sentence tells a strike or clash of its own after the last one ("warplanes
    later struck targets in the mountains, killing 12"): its toll is that event's, never the
    earlier one's, even when the event has no place to be reported at."""
    found = story.matching[text] if text in story.matching else _matching_triggers(text)
    plain = _unquoted(text)
    return any(
        _AFTERWARDS_RE.search(plain, max(0, m.start() - 40), m.end())  # before or inside the words
        for _t, m in _reported_matches(text, [t for t in found if t.event_type in _FORCE_TYPES])
    )


#: A day told without a year falls in the year of a full date the paragraph stated before it when
#: it lies this many days after that date at most: a story told in order ("The crisis began on May
#: 5, 2020 ... Six weeks later, on the night of June 15, ...").
CARRY_YEAR_DAYS: int = 183

_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")


#: "that July", "that December": a month of the year the story is telling.
_THAT_BEFORE_RE = re.compile(r"\bthat\s+$", re.IGNORECASE)

#: "On 19 August that year", "on 3 May of the same year": a day of the year the story is telling.
_THAT_YEAR_AFTER_RE = re.compile(r",?\s+(?:of\s+)?(?:that|the\s+same)\s+year\b", re.IGNORECASE)


def _carry_years(
    hits: list[DateHit], told: date | None, published: date | None, text: str = ""
) -> list[DateHit]:
    """The date phrases of a sentence (``text``), a day or month without a year moved into the
    year of the full date its paragraph stated before (``told``), or that the sentence states
    before it, when that date lies in an earlier year than the report's and the day (or the
    month's end) follows it within :data:`CARRY_YEAR_DAYS`; a month told as "that July", or a day
    "that year", is in that year whatever its order."""
    out = []
    for h in hits:
        if h.value is None and told is not None and THAT_MONTH_RE.fullmatch(h.text):
            # "that month", after a paragraph that told one ("In October 2025 ... agreed that month")
            h = dataclasses.replace(h, value=f"{told:%Y-%m}", precision="month", explicit_year=True)
        elif (
            told is not None
            and published is not None
            and told.year < published.year
            and h.kind == "absolute"
            and h.precision in ("day", "month")
            and h.value
            and not h.explicit_year
        ):
            moved = _in_year(h, told)
            if moved is not None and (
                0 <= (moved - told).days <= CARRY_YEAR_DAYS
                or (h.precision == "month" and _THAT_BEFORE_RE.search(text, max(0, h.start - 6), h.start))
                or _THAT_YEAR_AFTER_RE.match(text, h.end)
            ):
                h = dataclasses.replace(h, value=moved.isoformat()[: len(h.value)])
        elif h.kind == "absolute" and h.value and h.explicit_year:
            # "in October 2025 before agreeing to a ceasefire on October 19": a day or a month
            # the sentence states with its year
            told = date.fromisoformat(h.value if h.precision == "day" else h.value[:7] + "-01")
        out.append(h)
    return out


def _told_time(text: str) -> date | None:
    """The latest full date a sentence states, else the month with its year it opens on ("In
    December 2022 the town was hit directly."), else the first day of the latest month it names
    with its year ("The first closure was August 2015."), else the last day of the latest year it
    names: the time its paragraph goes on telling of."""
    if (full := latest_full_date(text) or opening_month(text)) is not None:
        return full
    # "The first, for her, was August 2015.": its month's first day; not a month that bounds a
    # state ("relations have collapsed since the uprising began in March 2011")
    told = _SINCE_PHRASE_RE.sub("", text)
    if (end := latest_month_end(told)) is not None:
        return end.replace(day=1)
    # a year alone ("The worst year was 2015."): its last day, so that only a day told "that
    # year" goes into it (:data:`_THAT_YEAR_AFTER_RE`), none by nearness
    years = [int(y) for y in _YEAR_RE.findall(told)]
    return date(max(years), 12, 31) if years else None


#: A phrase of "since" up to the clause's end: the start of a state, not a time the story tells.
_SINCE_PHRASE_RE = re.compile(r"\bsince\b[^,;:.]*", re.IGNORECASE)


def _in_year(hit: DateHit, told: date) -> date | None:
    """A day of ``hit`` in the year of ``told``: its own day, or the last of its month."""
    month = int(hit.value[5:7]) if hit.value else 0
    try:
        if hit.precision == "day" and hit.value:
            return date(told.year, month, int(hit.value[8:10]))
        return date(told.year, month, calendar.monthrange(told.year, month)[1])
    except ValueError:
        return None


def _follows_unplaced_fight(sent: Sentence, story: Story, prev: Event | None) -> bool:
    """Whether a toll sentence comes right after a strike or clash the story dated, on another
    day than the last fight's, but could not place ("These events echo the attack of 5 August
    2024, when drones struck families on the shore. The organisation verified at least 39
    deaths."): the toll is that fight's, not the last one's, and no fight of its own."""
    held = story.unplaced
    if held is None or not 0 <= sent.start - held[2] <= 3:
        return False
    return prev is None or not _same_time(held[1].value, prev.date)


#: A toll told of a fight it names ("23 soldiers were martyred in those clashes", "killed in the
#: air strike"): the noun after "in"/"during" and a determiner, up to two words on.
_TOLL_OF_RE = re.compile(
    r"\b(?:in|during|by)\s+(?:the|those|that|these|this|its|their|[\w’']+['’]s)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>air\s*strikes?|strikes?|raids?|bombings?|bombardments?|shelling|drone\s+attacks?|"
    r"clash(?:es)?|fighting|firefights?|gunfights?|skirmish(?:es)?|exchanges?\s+of\s+fire|ambush(?:es)?)\b",
    re.IGNORECASE,
)
_FIGHT_NOUN_RE = re.compile(r"clash|fighting|firefight|gunfight|skirmish|exchange|ambush", re.IGNORECASE)


#: Nouns of one-sided fire, which name a strike.
_STRIKE_NOUN_RE = re.compile(r"shelling|bombardment|strike|bomb|raid|missile|rocket|drone", re.IGNORECASE)
#: Nouns of fire from guns and mortars, which name a strike of the shelling sub-type.
_SHELLING_NOUN_RE = re.compile(r"shelling|bombardment", re.IGNORECASE)


def _names_fight(noun: str, ev: Event) -> bool:
    """Whether a noun of armed violence may name the event: "clashes" a clash, "the shelling" a
    strike by shelling, "the raid" a strike, "the attack" or "the violence" either."""
    if _FIGHT_NOUN_RE.match(noun):
        return ev.event_type == "clash"
    if _SHELLING_NOUN_RE.match(noun):
        return ev.event_type == "strike" and "shelling" in ev.sub_event_type
    if _STRIKE_NOUN_RE.match(noun):
        return ev.event_type == "strike"
    return ev.event_type in _FORCE_TYPES


def _previous_force_event(out: list[tuple[Sentence, Event]], sent: Sentence) -> Event | None:
    """The strike or clash a toll sentence tells the toll of: the last told at most three
    sentences before, or the last of the type the sentence names ("in those clashes")."""
    m = _TOLL_OF_RE.search(sent.text)
    wanted = None if m is None else "clash" if _FIGHT_NOUN_RE.match(m["noun"]) else "strike"
    last = None
    for s, ev in reversed(out):
        if sent.index - s.index > 3:
            break
        if ev.event_type in _FORCE_TYPES:
            if wanted is None or ev.event_type == wanted:
                return ev
            last = last or ev
    return last


_T = TypeVar("_T")


def _unique(items: Iterable[_T]) -> list[_T]:
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _sentence_claims(sentence: str, article_name: str) -> list[dict[str, Any]]:
    actors = _actors_in(sentence)
    claims = []
    for c in find_casualties(sentence):
        claim = {
            "killed": c["killed"],
            "wounded": c["wounded"],
            "text": c["text"],
            "claimed_by": _claimed_by(sentence, c["start"], actors),
            "article": article_name,
            "_start": c["start"],
        }
        for flag in ("increment", "revised", "unharmed"):
            if c.get(flag):
                claim[flag] = True
        claims.append(claim)
    return claims


def _set_tolls(ev: Event) -> None:
    """killed / wounded of an event: the lowest stated figure among its claims (as ACLED codes)."""
    ev.claims = fold_increments(ev.claims)
    rivals = rival_sides(ev.event_type)
    ev.killed = toll_range(ev.claims, "killed", rivals)[0]
    ev.wounded = toll_range(ev.claims, "wounded", rivals)[0]
    for c in ev.claims:
        c.pop("_start", None)


def _mentions_in(sent: Sentence, mentions: list[Mention], starts: list[int]) -> list[Mention]:
    """The mentions inside a sentence (``mentions`` sorted by start, ``starts`` their starts):
    a binary search, so long articles cost time in proportion to their length."""
    lo = bisect.bisect_left(starts, sent.start)
    hi = bisect.bisect_left(starts, sent.end)
    return [m for m in mentions[lo:hi] if m.end <= sent.end]


def _sentence_place(sent: Sentence, mentions: list[Mention]) -> tuple[Place | None, str | None]:
    """The most specific governed place of a sentence (for toll sentences without a trigger)."""
    best = None
    for m in mentions:
        if not (sent.start <= m.start and m.end <= sent.end) or m.role == "actor":
            continue
        kind = m.place.kind
        rel = m.start - sent.start
        if kind == "country" or not _governed(sent.text, rel, m.end - sent.start):
            continue  # a toll sentence's country is too coarse a guess
        if _where_said(sent.text, rel, m.end - sent.start, m.place):
            continue  # "the State Border Service, in Baku, said": where it was said
        if _toll_told_from(sent.text, rel, m.end - sent.start):
            continue  # "died of their wounds at the military hospital in Parachinar"
        rank = _KIND_RANK.get(kind, 3)
        if best is None or rank < best[0]:
            best = (rank, m.place, kind)
    return (best[1], best[2]) if best else (None, None)


_WEEKDAY_WORD_RE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.IGNORECASE
)


def _make_event(
    article: Article,
    published: date | None,
    etype: str,
    sub: str,
    place: Place,
    kind: str | None,
    sent: Sentence,
    hit: DateHit | None,
) -> Event:
    ev = Event(
        article=article.name,
        published=published,
        event_type=etype,
        sub_event_type=sub,
        place=place,
        geo_precision=geo_precision(place, kind),
        lon=place.lon,
        lat=place.lat,
        evidence=sent.text,
        start=sent.start,
        end=sent.end,
    )
    ev.geo_uncertainty_km = place_extent_km(place)
    if hit is not None and hit.value:
        ev.date, ev.date_precision = hit.value, hit.precision
        if hit.kind == "absolute" and hit.explicit_year:
            ev.date_basis = "stated"
    elif hit is not None and hit.kind == "relative" and (wd := _WEEKDAY_WORD_RE.search(hit.text)):
        ev.day_hint = wd.group(0).lower()
    return ev


# A sentence can state a toll only with one of these words (a cheap screen before number parsing).
_TOLL_WORD_RE = re.compile(
    # the numbers' own verbs, their other forms ("kills", "martyrdom"), and toll nouns
    rf"\b(?:{TOLL_VERBS}|kill\w*|death\w*|wound\w*|injur\w*|martyr\w*|casualt\w*|toll|lives|bodies|"
    r"perish\w*|fatalit\w*|left|leaving|loss\s+of\s+life|neutrali[sz]\w*|liquidat\w*|eliminat\w*|"
    r"supreme\s+price|ultimate\s+(?:price|sacrifice)|shahadat)\b",
    re.IGNORECASE,
)

# A toll with no event word is an incident only among words of armed violence.
_VIOLENCE_RE = re.compile(
    r"\b(?:attack\w*|fight\w*|clash\w*|fire|firing|fired|gunfire|shell\w*|strikes?|struck|bomb\w*|blasts?|"
    r"explosions?|militants?|insurgents?|terrorists?|troops|forces|soldiers|personnel|gunmen|martyred|"
    r"offensive|retaliat\w*|violence|hostilities|combat|operations?)\b",
    re.IGNORECASE,
)


def _worth_parsing(sentence: str, found: tuple[Trigger, ...]) -> bool:
    """Whether a sentence may report an event: a trigger matches in a clause no cue voids (only
    such sentences are parsed; most trigger words of mixed news sit in sport, disasters, history)."""
    found = _triggers_kept(found, _sentence_cues(sentence)) if found else found
    if not found:
        return False
    return next(_reported_matches(sentence, found), None) is not None


def _reported_matches(sentence: str, found: Iterable[Trigger]) -> Iterator[tuple[Trigger, re.Match[str]]]:
    """The matches of triggers ``found`` in ``sentence`` whose clause no cue voids."""
    plain = _unquoted(sentence)
    for t in found:
        for m in t.regex.finditer(plain):
            if not _rejected(_cue_hits(sentence, m.start(), m.end()), t, t.sub_event_type == "talks planned"):
                yield t, m


def _only_rejected_triggers(sentence: str) -> bool:
    """Whether the sentence names events only in clauses that report none ("clashes killed 20
    soldiers in 2020", "if fighting resumes"): its tolls belong to no incident either."""
    plain = _unquoted(sentence)
    hits = [
        (m.start(), m.end(), t)
        for t in candidate_triggers(sentence)
        if t.frame is None  # (a word a frame must confirm names no event by itself)
        for m in t.regex.finditer(plain)
    ]
    return bool(hits) and all(_rejected(_cue_hits(sentence, a, b), t, False) for a, b, t in hits)


#: Deaths or wounds told among words of armed violence: people hurt in an attack, whatever the
#: sentence says of sport or tourists ("a rocket slammed into a football pitch, killing 12
#: children", "artillery shells hit a hill resort, killing nine tourists").
_LETHAL_RE = re.compile(
    r"\b(?:kill(?:ed|ing|s)|dead|died|deaths?|martyred|wounded|wounding)\b", re.IGNORECASE
)

#: Sentence-wide cues that people hurt by violence overrule (:data:`_LETHAL_RE`).
_LEISURE_CUES = frozenset({"sport", "tourism"})


def _leisure_overruled(sentence: str, cues: set[str]) -> set[str]:
    """``cues`` without sport and tourism when the sentence tells people killed or wounded by
    armed violence: the tourists or the football pitch are its victims, no match or holiday."""
    if cues & _LEISURE_CUES and _LETHAL_RE.search(sentence) and _VIOLENCE_RE.search(sentence):
        return cues - _LEISURE_CUES
    return cues


def _sentence_cues(sentence: str) -> set[str]:
    """The sentence-wide cues (sport, briefing, tourism, disaster) a sentence holds."""
    found = {cue for cue, scope, regex in _cues() if scope == "sentence" and _cue_search(regex, sentence)}
    return _leisure_overruled(sentence, found)


def _sentence_rejected(sentence: str) -> bool:
    """A sentence-wide cue (sport, briefing, tourism, disaster) says it reports no incident."""
    return bool(_sentence_cues(sentence))


def _triggers_kept(found: tuple[Trigger, ...], cues: set[str]) -> tuple[Trigger, ...]:
    """The triggers a sentence may report events by, after its sentence-wide ``cues``: none in
    sport, briefings and tourism; in a sentence that names a disaster only its crossings, for a
    crossing shut by a storm is still shut ("the crossing was closed for 20 hours because of a
    dust storm"), while people moved by a flood are no incident of conflict."""
    cues = cues - {"tally"}  # judged trigger by trigger: "the calm since the ceasefire agreed in Doha"
    if not cues:
        return found
    if cues == {"disaster"}:
        return tuple(t for t in found if t.event_type == "crossing")
    return ()


def _same_kind(a: str, b: str) -> bool:
    """Event types that one phrase cannot report twice: the same type, or strike and clash,
    between which words of armed violence are ambiguous (the earlier trigger row decides)."""
    return a == b or {a, b} == {"strike", "clash"}


@lru_cache(maxsize=1)
def _trigger_keys() -> tuple[str, ...]:
    """Word beginnings one of which every trigger holds (``geodata/event_trigger_keys.csv``)."""
    return tuple(row["key"].strip() for row in _rows("event_trigger_keys.csv") if row["key"].strip())


_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")


@lru_cache(maxsize=1)
def _triggers_by_key() -> tuple[dict[str, tuple[Trigger, ...]], frozenset[str]]:
    """For each key, the triggers whose pattern names it (in lexicon order), and every beginning
    of a key (to stop looking along a word as soon as no key can start so)."""
    keys = _trigger_keys()
    out: dict[str, list[Trigger]] = {k: [] for k in keys}
    for t in triggers():
        text = t.regex.pattern.lower()
        for k in keys:
            if k in text:
                out[k].append(t)
    starts = frozenset(k[:n] for k in keys for n in range(1, len(k) + 1))
    return {k: tuple(v) for k, v in out.items()}, starts


def candidate_triggers(sentence: str) -> tuple[Trigger, ...]:
    """The triggers worth running on a sentence: those whose pattern names a key that one of its
    words starts with (in lexicon order; most sentences of mixed news get none)."""
    by_key, starts = _triggers_by_key()
    found: dict[int, Trigger] = {}
    for w in _WORD_RE.findall(sentence.lower()):
        n = 2
        while n <= len(w) and w[:n] in starts:
            for t in by_key.get(w[:n], ()):
                found[t.order] = t
            n += 1
    return tuple(found[k] for k in sorted(found))


#: Quotation marks, which a trigger phrase reads through ('is "likely to take place in Istanbul"').
_QUOTES = str.maketrans({c: " " for c in '"“”„«»'})


def _unquoted(sentence: str) -> str:
    """The sentence with its quotation marks as spaces (offsets unchanged)."""
    return sentence.translate(_QUOTES)


def _matching_triggers(sentence: str) -> tuple[Trigger, ...]:
    """The candidate triggers that match somewhere in the sentence."""
    plain = _unquoted(sentence)
    return tuple(t for t in candidate_triggers(sentence) if t.regex.search(plain))


@dataclass(slots=True)
class _SentenceState:
    """What the event rules of one sentence read and write, made afresh for every sentence."""

    article: Article
    sent: Sentence
    mentions: list[Mention]  # the sentence's own place mentions
    published: date | None
    precision: str | None
    anchor: date | None
    story: Story
    body_index: int
    found: tuple[Trigger, ...]
    dates: list[DateHit] = field(default_factory=list)
    refs: list[DateHit] = field(default_factory=list)
    cands: list[_Cand] = field(default_factory=list)
    tree: Tree | None = None
    pair: str | None = None
    extent: dict[int, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.sent.text


def _sentence_events(
    article: Article,
    sent: Sentence,
    mentions: list[Mention],
    ref: _Reference,
    story: Story,
    body_index: int,
) -> tuple[list[Event], list[tuple[Event, DateHit]]]:
    """The events one sentence reports, and those of them whose date is another event's ("hours
    before the talks collapsed"): the rules of :data:`_SENTENCE_RULES` in order, each narrowing
    or completing the sentence's candidate events, then one event per (type, place)."""
    s = sent.text
    found = story.matching[s] if s in story.matching else _matching_triggers(s)
    if not found and not any(_VENUE_AFTER_RE.match(s, m.end - sent.start) for m in mentions):
        return [], []  # most sentences report nothing: skip the date and number parsing
    if (cues := _sentence_cues(s)) and not (found := _triggers_kept(found, cues)):
        return [], []  # sentence-wide rejections (sport, briefing, tourism, disaster)
    st = _SentenceState(
        article,
        sent,
        [m for m in mentions if sent.start <= m.start and m.end <= sent.end],
        ref.published,
        ref.precision,
        ref.anchor,
        story,
        body_index,
        found,
    )
    st.dates = _carry_years(
        ref.find_dates(blank_dateline(s)),
        story.told_year,
        ref.published or ref.anchor,  # with no date line, the latest time the story tells of
        s,
    )
    st.refs = [h for h in st.dates if h.kind in {"ref", "sequel"}]
    for rule in _SENTENCE_RULES:
        rule(st)
        if not st.cands:
            return [], []
    return _events_of(st)


def _candidates(st: _SentenceState) -> None:
    """The sentence's candidate events: its trigger matches, and venues named before talks."""
    _trigger_candidates(st)
    _venue_candidates(st)


def _trigger_candidates(st: _SentenceState) -> None:
    """Every trigger match, once per stretch of words and kind of event, outside phrases that
    date by another event ("hours before the talks collapsed")."""
    s = st.text
    ref_spans = [(h.start, h.end) for h in st.refs]
    crossing_named = any(m.place.kind == "crossing" for m in st.mentions)
    for trig in st.found:
        # "Pakistan kept Torkham closed": a crossing named stands for the crossing words
        lacks = trig.requires is not None and not trig.requires.search(s)
        if lacks and trig.event_type == "negotiation" and st.story.fight_told:
            # "A jirga of elders was expected to meet at Torkham on Thursday", after the story
            # told the fighting or the closing: the story gives the talks their subject
            lacks = False
        told_before = None
        if (
            lacks
            and trig.event_type == "crossing"
            and not crossing_named  # "Brnjak reopens": the crossing it names
            and st.story.crossing_just_told is not None
        ):
            # "... closed the bridge linking Gamboru and Fotokol. The bridge reopened at noon": the
            # sentence before told of the crossing
            lacks, told_before = False, st.story.crossing_just_told
        if lacks and trig.event_type != "crossing":
            continue
        tree = _sentence_tree(st) if trig.frame is not None else None
        if trig.frame is not None and tree is None:
            continue  # (no parse: a frame cannot be confirmed)
        for m in trig.regex.finditer(_unquoted(s)):
            if any(a <= m.start() < b for a, b in ref_spans):
                continue
            if (
                trig.frame is not None
                and tree is not None
                and not _frame_holds(st, tree, trig.frame, m.start())
            ):
                continue
            if (
                lacks
                and not crossing_named
                and not any(c.trigger.event_type == "crossing" for c in st.cands)  # "... and reopened"
                and not _crossing_town_closed(st, m.start(), m.end())
            ):
                continue
            if any(
                c.start <= m.start() < c.end or m.start() <= c.start < m.end()
                for c in st.cands
                if _same_kind(c.trigger.event_type, trig.event_type)
            ):
                continue  # the same words already name this event ("cross-border shelling": one strike)
            st.cands.append(
                _Cand(
                    trig,
                    m.start(),
                    m.end(),
                    planned=trig.sub_event_type == "talks planned",
                    told_before=told_before,
                )
            )


def _sentence_tree(st: _SentenceState) -> Tree | None:
    """The sentence's parse (from the story's batch, else parsed now), kept on the state so that
    the frames of its triggers and the grammar rules read one parse."""
    if st.tree is None:
        st.tree = st.story.trees.get(st.text) or parse(st.text)
    return st.tree


#: Dependency labels of an argument "^role" reaches through: the word completes a verb whose
#: subject it is ("the crossing remained closed", "was closed and sealed").
_COMPLETES = frozenset({"acomp", "xcomp", "oprd", "conj", "advcl"})


def _frame_holds(st: _SentenceState, tree: Tree, frame: Frame, start: int) -> bool:
    """Whether the trigger word at ``start`` holds an argument its frame names (and governs one
    of its directions, when it names any)."""
    i = next((k for k, a in enumerate(tree.starts) if a == start), None)
    if i is None or tree.pos[i] not in ("VERB", "ADJ", "NOUN"):
        return False
    kids = [k for k, h in enumerate(tree.heads) if h == i and k != i]
    if frame.directions and not any(tree.lemmas[k] in frame.directions for k in kids):
        return False
    args = [k for k in kids if tree.deps[k] in frame.roles]
    head = tree.heads[i]
    if head != i and tree.deps[i] in _COMPLETES:
        args += [
            k for k, h in enumerate(tree.heads) if h == head and k != i and "^" + tree.deps[k] in frame.roles
        ]
    if any(_frame_noun(st, tree, frame, k) for k in args):
        return True
    if not frame.carriers or not any(tree.lemmas[k] in frame.carriers for k in args):
        return False
    # "suspended operations at the customs post": the carrier's (or the word's) preposition
    carried = [k for k in args if tree.lemmas[k] in frame.carriers] + [i]
    return any(
        tree.heads[p] in carried
        and tree.deps[p] == "prep"
        and tree.lemmas[p] in frame.via
        and any(tree.heads[o] == p and _frame_noun(st, tree, frame, o) for o in range(len(tree.heads)))
        for p in range(len(tree.heads))
    )


def _frame_noun(st: _SentenceState, tree: Tree, frame: Frame, k: int) -> bool:
    """Whether token ``k`` is a noun the frame names: by its lemma, by a qualified lemma with one
    of its modifiers, or (for a frame of crossings) a crossing the sentence names."""
    lemma = tree.lemmas[k]
    if lemma in frame.nouns:
        return True
    mods = frame.qualified.get(lemma)
    if mods and any(tree.heads[j] == k and tree.lemmas[j] in mods for j in range(len(tree.heads))):
        return True
    if "crossing" in frame.nouns and tree.pos[k] == "PROPN":
        a, b = tree.starts[k] + st.sent.start, tree.ends[k] + st.sent.start
        return any(m.place.kind == "crossing" and m.start < b and a < m.end for m in st.mentions)
    return False


def _crossing_town_closed(st: _SentenceState, start: int, end: int) -> bool:
    """Whether the trigger words from ``start`` to ``end`` hold, or have for subject, a town a
    known crossing is at ("Islam Qala was closed to returnees", "Chaman was closed to
    pedestrians"): the town stands for the crossing words."""
    base = st.sent.start
    for m in st.mentions:
        rs, re_ = m.start - base, m.end - base
        if not (rs < end and re_ > start) and not (
            re_ <= start and _SUBJECT_NAMES_RE.fullmatch(st.text, re_, start)
        ):
            continue
        if m.role == "location" and m.place.kind in ("city", "town", "village") and _known_crossing(m.place):
            return True
    return False


def _venue_candidates(st: _SentenceState) -> None:
    """ "the Istanbul talks", "the Doha round": a venue named right before the talks."""
    for men in st.mentions:
        if men.role == "actor" or men.place.kind not in {"city", "town", "village", "landmark"}:
            continue
        rel_end = men.end - st.sent.start
        if vm := _VENUE_AFTER_RE.match(st.text, rel_end):
            trig = next(t for t in triggers() if t.sub_event_type == "talks held")
            if not any(
                c.start <= rel_end < c.end + 1 and c.trigger.event_type == "negotiation" for c in st.cands
            ):
                st.cands.append(_Cand(trig, men.start - st.sent.start, vm.end()))
    st.cands.sort(key=lambda c: c.start)


def _reject_by_cues(st: _SentenceState) -> None:
    """Candidates whose clause says they are no incident (sport, history, denial, ...). An event
    years after which something is told is another event, unless a date of its own follows it."""
    kept = []
    for c in st.cands:
        cues = _cue_hits(st.text, c.start, c.end)
        if "anchor_year" in cues:
            cues.discard("anchor_year")
            if not any(h.kind == "absolute" and c.end <= h.start <= c.end + 60 for h in st.dates):
                cues.add("anchor")
        if not _rejected(cues, c.trigger, c.planned):
            kept.append(c)
    st.cands = kept


def _reject_past_years(st: _SentenceState) -> None:
    """An event word a past year names ("the 2022 fighting", "the 2021 border clashes", "the
    skirmish of 2020"): an earlier year's event that the story recalls, no incident of its own."""
    ref = st.published or st.anchor
    if ref is None:
        return
    kept = []
    for c in st.cands:
        m = _YEAR_NAMES_RE.search(st.text, max(0, c.start - 40), c.start) or _YEAR_AFTER_RE.match(
            st.text, c.end
        )
        if m is None or int(m["year"]) >= ref.year:
            kept.append(c)
    st.cands = kept


#: A year right after the event word, with nothing of a month or day: "the Galwan Valley
#: skirmish of 2020", "clashes in 2021".
_YEAR_AFTER_RE = re.compile(r"\s+(?:of|in)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*[-–/]\s*\d)")
#: A year naming the event word that follows it: "the 2022 fighting", "its 2021 border clashes".
_YEAR_NAMES_RE = re.compile(
    r"\b(?:the|its|their|his|her|our)\s+(?P<year>(?:19|20)\d\d)(?:[’']s)?\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


#: An event dated more than this many days before the report is one it recalls ("In April,
#: gunfire wounded people near Kilis" in an October story): kept, with its own date, only when
#: told with a place of its own (:func:`_told_with_where`).
RECALL_AFTER_DAYS: int = 60


def _told_with_where(ev: Event) -> bool:
    """A recalled event told with its own place and day or month ("the Galwan clash of 15 June
    2020"): background the story gives what and where of, kept (the evaluation rules annotate
    it); one placed only in a country is a summary, dropped."""
    return ev.date_precision in {"day", "month"} and ev.place.kind != "country"


def _recalled(value: str | None, published: date | None) -> bool:
    """Whether a date (a day, or the whole of a month: ``YYYY-MM-DD``, ``YYYY-MM``) ends more
    than :data:`RECALL_AFTER_DAYS` before the publication: an event the story recalls."""
    if not value or published is None:
        return False
    year, month = int(value[:4]), int(value[5:7])
    if len(value) >= 10:
        last = date(year, month, int(value[8:10]))
    else:  # the month's last day
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return (published - last).days > RECALL_AFTER_DAYS


def _reject_long_past(st: _SentenceState) -> None:
    """Events with no date of their own in a sentence that a recalled date opens: background the
    story recalls ("In May 2017, a row ... led to a clash" gives the clash its date; what the date
    does not reach stays undated, and is dropped). Dated background is judged once placed
    (:func:`_finish`)."""
    opening = next(
        (
            h
            for h in st.dates
            if h.kind in {"absolute", "relative", "history"} and _FRAME_HEAD_RE.fullmatch(st.text, 0, h.start)
        ),
        None,
    )
    framed_past = opening is not None and _recalled(opening.value, st.published)
    st.cands = [c for c in st.cands if not (framed_past and c.date is None)]


def _reject_by_grammar(st: _SentenceState) -> None:
    """The sentence's parse: armed men taking refuge are no displacement; a closed road is no
    crossing; the fighting people flee is no incident of its own; nor is "It was the first deadly
    clash since 1975", which says what the last event was."""
    tree = _sentence_tree(st)
    if tree is not None:
        # (a sentence that names a place may still be the only one to place the event it restates:
        # "It was the second cross-border attack in Bajaur this month")
        unplaced = not any(m.role == "location" and m.place.kind != "country" for m in st.mentions)
        st.cands = [
            c
            for c in st.cands
            if not _armed_flight(tree, c)
            and not _closed_is_not_a_crossing(tree, c)
            and not _crossing_sought(tree, c)
            and not _fled_from(tree, c)
            and not (unplaced and _said_of_it(tree, c))
        ]


#: A clause that a date before it times: "in September 2022, when ... fled".
_WHEN_AFTER_RE = re.compile(r",?\s+when\b[^.;:]*", re.IGNORECASE)
#: Words that put an event before the report that mentions it: the day it is told is not its day.
_EARLIER_RE = re.compile(r"\b(?:previous|earlier|prior|former)\b", re.IGNORECASE)


#: A verb of speech (and its listener) right before a date: the day a source spoke ("sources
#: told AFP on Thursday", "the army said late Sunday").
_SPOKE_BEFORE_RE = re.compile(
    r"\b(?:said|says|told|tells|announced|stated|confirmed|reported|added|claimed|wrote|tweeted|posted)"
    r"(?:\s+(?:the\s+)?(?:[A-Z][\w.&-]*|reporters|journalists|media|parliament))?"
    r"\s+(?:on\s+|late\s+(?:on\s+)?|early\s+(?:on\s+)?)?$"
    # the day a statement bears: "said in a communiqué dated 21 January 2026"
    r"|\b(?:communiqu[eé]|statement|press\s+release|release|letter|report|bulletin)\s+(?:dated|issued\s+on|of)\s+$"
)

#: What may stand between an event word and its date right after it ("resumed on 16 April",
#: "reopened on the morning of 5 March").
_DATE_RIGHT_AFTER_RE = re.compile(
    r"\s+(?:on|in|since|from|late|early|(?:late|early)\s+on)?\s*"
    r"(?:(?:the\s+)?(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?",
    re.IGNORECASE,
)


def _closed_state(c: _Cand) -> bool:
    """Whether a candidate closes a crossing or halts its trade (a state that lasts from its
    first day: "suspended since April 2019")."""
    return c.trigger.event_type == "crossing" and "reopen" not in c.trigger.sub_event_type


def _bounds_another_time(s: str, h: DateHit) -> bool:
    """Whether a date only bounds the time of an event: "opened for the first time since the war
    began on October 7", "closed for two weeks until 13 December", "days before the March 31
    deadline" (not the event's day)."""
    return bool(
        _FIRST_SINCE_RE.search(s, max(0, h.start - 60), h.start)
        or UNTIL_BEFORE_RE.search(s, max(0, h.start - 24), h.start)
        or deadline_at(s, h.start, h.end)
    )


def _date_by_when_clause(st: _SentenceState) -> None:
    """An undated event in a when-clause is of the time before it: "most seriously in September
    2022, when 140,000 people fled"."""
    for c in st.cands:
        if c.date is None:
            when = next(
                (
                    h
                    for h in st.dates
                    if h.kind in {"absolute", "relative", "history"}
                    and _WHEN_AFTER_RE.fullmatch(st.text, h.end, c.start)
                ),
                None,
            )
            if when is not None:
                c.date = when


def _date_by_opening(st: _SentenceState) -> None:
    """ "Earlier on Wednesday, the crossing was closed after guards traded fire there": the one
    time the sentence tells, opening it, is the time of all it tells up to its next time ("On 6
    September 2023, Torkham was closed after forces exchanged fire; it reopened on 15
    September": the fire was on the 6th)."""
    s = st.text
    opening = next(
        (
            h
            for h in st.dates
            if h.kind in {"absolute", "relative"} and h.value and _FRAME_HEAD_RE.fullmatch(s, 0, h.start)
        ),
        None,
    )
    if opening is None:
        return
    reach = min(
        (h.start for h in st.dates if h.kind in {"absolute", "relative"} and h.start > opening.start),
        default=len(s),
    )
    for c in st.cands:
        if c.date is None and not c.planned and c.end <= reach:
            c.date = opening


def _attach_dates(st: _SentenceState) -> None:
    """Each date phrase to its own event word through the parse (else the nearest); a date far
    from every event word is the day of the report, the date of an event the report states."""
    s, tree = st.text, st.tree
    _time_of_day_on_told_day(st)
    report_days: list[DateHit] = []
    earlier = _dated_days_before(st)
    cands = [c for c in st.cands if id(c) not in earlier]
    for h in st.dates:
        if h.kind not in {"absolute", "relative", "since"} or _bounds_another_time(s, h) or not cands:
            continue
        # "... and resumed on 16 April": a date right after an event word is its own
        right_after = [c for c in cands if _DATE_RIGHT_AFTER_RE.fullmatch(s, c.end, h.start)]
        if h.kind == "since":
            # "trade has been suspended since April 2019": the day a closure began (else "since"
            # only bounds a time: "clashes since 2021")
            right_after = [c for c in right_after if _closed_state(c)]
            if not right_after or h.value is None:
                continue
        best = (
            right_after[0]
            if right_after
            else min(cands, key=lambda c: _span_distance(s, tree, (c.start, c.end), (h.start, h.end)))
        )
        if _span_distance(s, tree, (best.start, best.end), (h.start, h.end)) >= UNRELATED or (
            not right_after and _SPOKE_BEFORE_RE.search(s, max(0, h.start - 48), h.start)
        ):
            # "On Friday, officials accused ... of starting the firefight", "sources told AFP on
            # Thursday": the day of the report, the event's date only when it has none of its own
            report_days.append(h)
            continue
        if best.date is None or _date_rank(h) > _date_rank(best.date):
            best.date = h
    _date_by_when_clause(st)
    _date_by_opening(st)
    _date_by_fight_fled(st)
    _date_by_fight_told(st)
    _date_by_flight_caused(st)
    _date_by_closing_caused(st)
    for h in report_days:
        for c in st.cands:
            if (
                c.date is None
                and not c.planned  # talks announced on Thursday are not held on Thursday
                and not _EARLIER_RE.search(s, max(0, c.start - 25), c.end)  # "the previous talks"
                and tree is not None
                and _edges(tree, (c.start, c.end), (h.start, h.end)) <= 4
            ):
                # "Seoul's military said Sunday [that] North Korea fired ...": the event it reports
                c.date = h if h.value else None
                st.story.report_hits.add((h.start, h.end))


#: What stands between a word of flight and the fight it names: "fleeing fighting", "fled from
#: the clashes".
_FLED_FIGHT_GAP_RE = re.compile(r"\s+(?:from\s+)?(?:the\s+|renewed\s+|heavy\s+|fresh\s+){0,2}", re.IGNORECASE)


def _fight_fled(st: _SentenceState, c: _Cand) -> _Cand | None:
    """The strike or clash candidate right after a word of flight, the fight people flee."""
    return next(
        (
            f
            for f in st.cands
            if f.trigger.event_type in _FORCE_TYPES and _FLED_FIGHT_GAP_RE.fullmatch(st.text, c.end, f.start)
        ),
        None,
    )


def _one_flight(st: _SentenceState) -> None:
    """Words of one flight told twice in a sentence ("left their homes in Chaman and moved to
    relatives in Quetta") are one flight, at the place fled: a flight word placed only where
    people went goes when another flight word of the sentence is placed otherwise."""
    flights = [c for c in st.cands if c.trigger.event_type == "displacement" and c.place is not None]
    if not any(c.flight_end != "destination" for c in flights):
        return
    gone = {id(c) for c in flights if c.flight_end == "destination"}
    st.cands = [c for c in st.cands if id(c) not in gone]


def _flight_at_fight_fled(st: _SentenceState) -> None:
    """People fleeing a fight the sentence places, with no place of their own, fled from there:
    "They were fleeing fighting ... for control of Rihkhawdar"."""
    for c in st.cands:
        if c.place is None and c.trigger.event_type == "displacement":
            fight = _fight_fled(st, c)
            if fight is not None and fight.place is not None:
                c.place, c.place_kind = fight.place, fight.place_kind
                if id(fight) in st.extent:
                    st.extent[id(c)] = st.extent[id(fight)]


def _date_by_fight_fled(st: _SentenceState) -> None:
    """People fleeing a fight the sentence dates, with no date of their own, fled that day:
    "They were fleeing fighting that erupted on 3 July"."""
    for c in st.cands:
        if c.date is not None or c.trigger.event_type != "displacement":
            continue
        fight = _fight_fled(st, c)
        if fight is not None and fight.date is not None:
            c.date = fight.date


#: A fight the story told before, named by a determiner and its noun ("the clash", "Wednesday's
#: shelling").
_FIGHT_TOLD = (
    r"(?:the|this|that|these|those|(?:last\s+)?\w+day[’']s)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>clash(?:es)?|fighting|exchanges?|firing|gunfire|shelling|attacks?|strikes?|bombing"
    r"|bombardment|violence|battle|hostilities|raids?|assault|offensive|incident)\b"
)
#: That fight named as what people fled: "Following the clash, around 300 families ... left their
#: homes", "fled during the fighting", "The fighting forced hundreds of families to move".
_FIGHT_TOLD_RES = (
    re.compile(
        r"\b(?:after|following|during|amid|in\s+the\s+wake\s+of|because\s+of|due\s+to|fearing)\s+"
        + _FIGHT_TOLD,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b"
        + _FIGHT_TOLD
        + r"\s+(?:has\s+|had\s+)?(?:forced|drove|driven|sent|prompted|displaced|uprooted)\b",
        re.IGNORECASE,
    ),
)


def _fight_told(text: str) -> re.Match[str] | None:
    """Where ``text`` names a fight told before as what people fled (:data:`_FIGHT_TOLD_RES`)."""
    return next((m for m in (r.search(text) for r in _FIGHT_TOLD_RES) if m is not None), None)


def _date_by_fight_told(st: _SentenceState) -> None:
    """People who fled "following the clash" the story told before, with no date of their own,
    fled on that fight's day: a reference the story resolves when it has dated its fights
    (:func:`_resolve_refs`)."""
    m = _fight_told(st.text)
    if m is None or not any(c.date is None and c.trigger.event_type == "displacement" for c in st.cands):
        return
    st.refs.append(
        DateHit(m.start(), m.end(), m.group(), "ref", None, None, ref_what=m["noun"].lower(), ref_rel="fight")
    )


#: A flight told as what a fight caused: "clashes around La Victoria forced 5,000 people to cross".
_CAUSED_FLIGHT_RE = re.compile(
    r"(?:forced|forcing|forces|drove|driving|drives|sent|sending|sends|pushed|pushing|compelled|prompted)\b",
    re.IGNORECASE,
)
#: What may stand between the fight and the flight it caused (no new clause).
_CAUSE_GAP_RE = re.compile(r"[^;:.!?]{0,120}")


def _date_by_flight_caused(st: _SentenceState) -> None:
    """A fight with no date of its own that caused a flight the sentence dates was that day: "in
    March 2021, clashes around La Victoria forced 5,000 people to cross into Arauquita"."""
    _date_by_what_a_fight_caused(
        st,
        lambda c: c.trigger.event_type == "displacement" and bool(_CAUSED_FLIGHT_RE.match(st.text, c.start)),
        _CAUSE_GAP_RE,
        fight_first=True,
    )


#: What joins a closing to the fight that caused it: "closed in September 2023 after border
#: guards exchanged fire there".
_CLOSED_AFTER_RE = re.compile(r"[^;:.!?]{0,80}?\b(?:after|following|because\s+of|due\s+to)\s+[^;:.!?]{0,60}")


def _date_by_closing_caused(st: _SentenceState) -> None:
    """A fight with no date of its own that a closing the sentence dates followed was then too:
    "Torkham was last closed in September 2023 after border guards exchanged fire there"."""
    _date_by_what_a_fight_caused(st, _closed_state, _CLOSED_AFTER_RE, fight_first=False)


def _date_by_what_a_fight_caused(
    st: _SentenceState, caused: Callable[[_Cand], bool], gap: re.Pattern[str], fight_first: bool
) -> None:
    """Each undated strike or clash joined by ``gap`` to a dated candidate that ``caused`` says it
    caused (told after the fight when ``fight_first``, else before it) takes that date."""
    for c in st.cands:
        if c.date is None or not caused(c):
            continue
        for f in st.cands:
            if f.date is not None or f.trigger.event_type not in _FORCE_TYPES:
                continue
            a, b = (f.end, c.start) if fight_first else (c.end, f.start)
            if a <= b and gap.fullmatch(st.text, a, b):
                f.date = c.date


def _time_of_day_on_told_day(st: _SentenceState) -> None:
    """A time of day is of the day the sentence opens with, or else the day its paragraph has
    reached, rather than the report's: "12 October 2025 – Pakistan closes its crossings after
    overnight attacks" (the night before the 12th), "On 24 September 2023 the sounds were
    gunfire. About 30 men ambushed a patrol before dawn" (the 24th)."""
    opening = next(
        (
            h
            for h in st.dates
            if h.kind in {"absolute", "relative"} and _FRAME_HEAD_RE.fullmatch(st.text, 0, h.start)
        ),
        None,
    )
    told = opening if opening is not None and opening.value and opening.precision == "day" else None
    told = told or st.story.paragraph_day
    if told is None or told.value is None:
        return
    st.dates = [
        dataclasses.replace(h, value=told.value, precision=told.precision)
        if h.kind == "relative" and h is not opening and TIME_OF_DAY_RE.fullmatch(h.text.strip())
        else h
        for h in st.dates
    ]


#: "on Tuesday, a day after", "on 3 May, two days after": what the clause after it tells came
#: that long before the date.
_DAYS_AFTER_RE = re.compile(
    r",?\s+(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})\s+"
    r"(?P<unit>days?|weeks?)\s+after\s+",
    re.IGNORECASE,
)
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
#: How far into the clause after "a day after" its event word may start.
DAYS_AFTER_REACH = 80
#: What ends the clause after "a day after" before an event word of its own.
_CLAUSE_BREAK_RE = re.compile(r"[,;:()—–]|\b(?:when|while|as|where|which)\b", re.IGNORECASE)


def _dated_days_before(st: _SentenceState) -> set[int]:
    """ "An uneasy calm prevailed on Tuesday, a day after jets struck hideouts": the event word
    of the clause after "a day after" is dated that long before the day told (the strike on
    Monday). Returns the ids of the candidates so dated."""
    done: set[int] = set()
    for h in st.dates:
        if h.kind not in {"absolute", "relative"} or h.precision != "day" or not h.value:
            continue
        m = _DAYS_AFTER_RE.match(st.text, h.end)
        if m is None:
            continue
        after = next((c for c in st.cands if c.start >= m.end()), None)
        if (
            after is None
            or after.start - m.end() > DAYS_AFTER_REACH
            or _CLAUSE_BREAK_RE.search(
                st.text, m.end(), after.start
            )  # "a week after the reopening, when ..."
            or id(after) in done
        ):
            continue
        n = int(m["n"]) if m["n"].isdigit() else _SMALL_NUMBERS[m["n"].lower()]
        days = n * (7 if m["unit"].lower().startswith("week") else 1)
        value = (date.fromisoformat(h.value) - timedelta(days=days)).isoformat()
        after.date = dataclasses.replace(
            h, start=m.start(), end=m.end(), text=m.group(0).strip(" ,"), value=value
        )
        done.add(id(after))
    return done


#: The words before the day a first time is counted from, which is not the event's own.
_FIRST_SINCE_RE = re.compile(r"\bfirst\s+time\s+(?:in\s+\w+\s+)?since\b[^,.;]{0,40}$", re.IGNORECASE)

#: "remained closed for the fifth consecutive day on Monday": the day counted, of a state that
#: began that many days before.
_NTH_DAY_RE = re.compile(
    r"\bfor\s+(?:(?:a|the)\s+)?(?P<n>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|\d{1,2}(?:st|nd|rd|th))\s+(?:(?:consecutive|straight|successive|running)\s+)?days?\b",
    re.IGNORECASE,
)
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip


def _counted_days_back(st: _SentenceState) -> None:
    """ "The crossing remained closed for the fifth consecutive day on Monday": a closing dated by
    the day it is still counted on (else the report's day) began that many days before (on the
    Thursday)."""
    m = _NTH_DAY_RE.search(st.text)
    if m is None:
        return
    word = m["n"].lower()
    n = _ORDINALS.get(word) or int(re.sub(r"\D", "", word))
    for c in st.cands:
        d = c.date
        if not _closed_state(c):
            continue
        if d is None and st.published is not None and st.precision == "day":
            # "trade remains suspended for sixth day": counted on the day of the report
            d = DateHit(m.start(), m.end(), m.group(0), "relative", st.published.isoformat(), "day")
        if d is None or d.precision != "day" or not d.value:
            continue
        start = date.fromisoformat(d.value) - timedelta(days=n - 1)
        c.date = DateHit(d.start, d.end, d.text, d.kind, start.isoformat(), "day")


def _date_planned_ahead(st: _SentenceState) -> None:
    """Planned talks may be dated a month ahead of publication; a weekday they are planned for
    is the next one, not the last ("were due to meet Monday at the checkpoint")."""
    for c in st.cands:
        d = c.date
        if (
            c.planned
            and d is not None
            and d.kind == "relative"
            and d.precision == "day"
            and d.value
            and st.published is not None
            and st.precision == "day"
            and _WEEKDAY_WORD_RE.search(d.text)
            and date.fromisoformat(d.value) < st.published
        ):
            ahead = date.fromisoformat(d.value) + timedelta(days=7)
            c.date = dataclasses.replace(d, value=ahead.isoformat())
        if c.planned and c.date is not None and c.date.kind == "absolute":
            d = c.date
            redo = find_dates(
                st.text[d.start : d.end], st.published, st.precision, st.anchor, allow_next_month=True
            )
            if redo:
                c.date = DateHit(d.start, d.end, d.text, d.kind, redo[0].value, redo[0].precision)


#: The nouns of a crossing both patterns below know ("gate" is added to each in its own number).
_CROSSING_NOUNS = r"crossing(?:\s+point)?|checkpoint|border\s+post|bridge|terminal|corridor"

#: A crossing word: a sentence with it and the town of a curated crossing tells of that crossing.
_CROSSING_WORD_RE = re.compile(rf"\b(?:{_CROSSING_NOUNS}|gates?)\b", re.IGNORECASE)

#: A crossing named by what it is, not by its name: the one the story has reported on.
_THE_CROSSING_RE = re.compile(
    r"\b(?:the|this|that|their|its)\s+(?:(?:same|main|busiest|only|principal|key)\s+)?(?:border\s+)?"
    rf"(?:{_CROSSING_NOUNS}|gates?)\b",
    re.IGNORECASE,
)

#: "near the crossing", "at the zero point": an event placed at the crossing a story is about.
_AT_THE_CROSSING_RE = re.compile(
    r"\b(?:at|near|around|close\s+to|outside|by|on|overlooking|through|via)\s+(?:the|this|that)\s+"
    r"(?:(?:main|busy|busiest|customs|immigration|cargo|passenger)\s+)?"
    r"(?:(?-i:[A-Z])[a-z]+(?:an|ian|ese|i|ish)\s+)?"  # (a side's: "near the Palestinian terminal")
    rf"(?:(?:border\s+)?(?:{_CROSSING_NOUNS}|gate)|zero\s+(?:point|line))\b"
    # "on the Afghan side of the crossing"
    r"|\b(?:on|at)\s+(?:the|its|their)\s+(?:(?-i:[A-Z])[a-z]+\s+)?side\s+of\s+the\s+(?:border\s+)?"
    rf"(?:{_CROSSING_NOUNS}|gate)\b",
    re.IGNORECASE,
)


#: A crossing event told of "it" or "which" (:func:`_crossing_it_is`).
_IT_RE = re.compile(r"(?:it|which)\b", re.IGNORECASE)

#: "it" or "which" the subject right before a crossing event's words ("It had been closed to all
#: movement since 12 October").
_IT_BEFORE_RE = re.compile(
    r"\b(?:it|which)\s+(?:(?:was|were|is|has|have|had)\s+)?(?:been\s+)?(?:(?:only|again|then|later|also|\w+ly)\s+)?$",
    re.IGNORECASE,
)

#: "there" right after an event's words: the place the sentence named before them.
_THERE_RE = re.compile(r"(?:\s+[\w’'-]+){0,2}?\s+there\b", re.IGNORECASE)


def _placed_roughly(c: _Cand) -> bool:
    """Whether a candidate has no place of its own, or only the whole border."""
    return c.place is None or (c.place_kind == "border" and c.line is None)


def _there(c: _Cand, s: str, sent: Sentence, mentions: list[Mention]) -> Place | None:
    """The place "there" stands for after an event with no place of its own (or only the whole
    border): the finest place the sentence names before the event's words (the last of those)."""
    if not _placed_roughly(c):
        return None
    if not _THERE_RE.match(s, c.end):
        return None
    before = [
        m
        for m in mentions
        if m.end - sent.start <= c.start and m.role != "actor" and m.place.kind not in ("country", "province")
    ]
    if not before:
        return None
    # the finest of them ("the Torkham crossing in Khyber district ... there": the crossing)
    return min(reversed(before), key=lambda m: _KIND_RANK.get(m.place.kind, 3)).place


def _crossing_it_is(c: _Cand, st: _SentenceState) -> Place | None:
    """The crossing a crossing event told of "it" or "which" is ("it reopened on 15 September"):
    the one the sentence names or has placed an event at before it, else the one the sentence
    just before told of. None when the event has a place of its own (but a country) or is not so
    told."""
    if c.trigger.event_type != "crossing" or not (_placed_roughly(c) or c.place_kind == "country"):
        return None  # (a country is no crossing: "reopened to traffic from Serbia ... after it was shut")
    if not _IT_RE.match(st.text, c.start) and not _IT_BEFORE_RE.search(
        st.text, max(0, c.start - 40), c.start
    ):
        return None
    return _crossing_here(c, st) or st.story.crossing_just_told


def _crossing_here(c: _Cand, st: _SentenceState) -> Place | None:
    """The crossing the sentence places another event at, else the last it names (a crossing,
    or a town a curated crossing is at: "Islam Qala was closed after an exchange of fire near the
    crossing"), if any."""
    placed = [o.place for o in st.cands if o is not c and o.place is not None and o.place_kind == "crossing"]
    if placed:
        return placed[-1]
    for m in reversed(st.mentions):
        if m.role != "location":
            continue
        if m.place.kind == "crossing":
            return m.place
        if m.place.kind in _TOWN_KINDS and (known := _known_crossing(m.place)) is not None:
            return known
    return None


def _at_the_crossing(c: _Cand, s: str, sent: Sentence, mentions: list[Mention]) -> bool:
    """Whether an event with no place of its own, or only the whole border, is at the crossing
    the story is about: a crossing event that says "the crossing", any other that happened "near
    the crossing" or "at the zero point" (which its own words say even when a place named before
    them is not where it happened: "an official of the Kandahar administration said border
    officials held a meeting at the zero point")."""
    if _placed_roughly(c):
        if c.trigger.event_type == "crossing":
            return _THE_CROSSING_RE.search(s) is not None
        return _AT_THE_CROSSING_RE.search(s) is not None
    if (
        c.trigger.event_type == "crossing"
        and c.place is not None
        and c.place.kind in _BORDER_AREA_KINDS | {"country"}
        and (subject := _THE_CROSSING_RE.match(s)) is not None
        and not any(m.place is c.place for m in mentions if m.start - sent.start < subject.end())
    ):
        # "The crossing, the most direct route from eastern Chad into West Darfur, had been
        # closed": the crossing told before, not the province its route leads to
        return True
    after = _AT_THE_CROSSING_RE.search(s, c.end, c.end + 40) is not None
    if after and c.trigger.event_type == "displacement":
        # "1,140 Afghans were sent back from Pakistan through the crossing on Saturday, most of
        # them families who had lived in Quetta": where they crossed, not where they lived
        return True
    before = any(m.place is c.place and m.end - sent.start <= c.start for m in mentions) and not any(
        m.place is c.place and m.start - sent.start >= c.start for m in mentions
    )
    return before and after


#: "near the temple", "across the pass": a landmark named by its head noun alone.
_AT_THE_HEAD_RE = re.compile(
    r"\b(?:at|near|around|close\s+to|outside|inside|by|on|across|along|over|towards?)\s+the\s+"
    r"(?:(?:ancient|disputed|main|old|hilltop|mountain|border|strategic)\s+)?(?P<head>[a-z]+)\b"
)
#: How far from an event's words (characters) the head noun of its landmark may stand.
HEAD_REACH = 60
#: The kinds of place that a story may go on to call by their head noun ("the Preah Vihear
#: temple ... positions near the temple"): not areas or towns, whose nouns are generic.
_HEADED_KINDS = frozenset({"landmark", "pass", "river", "disputed-area"})


def _the_named_landmark(c: _Cand, s: str, sent: Sentence, story: Story) -> Place | None:
    """The landmark an event with no place of its own (or only the whole border) happened at when
    its words name it by its head noun alone, within :data:`HEAD_REACH` ("Thai artillery had
    shelled positions near the temple"): the one place of a landmark kind the story named
    before, whose name ends in that noun ("the Preah Vihear temple"). Talks are held at no
    landmark so named."""
    if not _placed_roughly(c) or c.trigger.event_type == "negotiation":
        return None
    for m in _AT_THE_HEAD_RE.finditer(s, max(0, c.start - HEAD_REACH), c.end + HEAD_REACH):
        head = m["head"]
        named = {
            prior.place.place_id: prior.place
            for prior in story.located
            if prior.start < sent.start
            and prior.place.kind in _HEADED_KINDS
            and any(
                len(words := name.lower().split()) > 1 and words[-1] in (head, head + "s")
                for name in (prior.mention, prior.place.name)
            )
        }
        if len(named) == 1:
            return next(iter(named.values()))
    return None


#: How far from the story's crossing a town may be where its traffic waits ("trucks are waiting
#: in the Wana area" of the Angoor Adda crossing, 28 km away).
QUEUE_TOWN_KM: float = 40.0


def _queue_at_the_crossing(c: _Cand, story: Story) -> Place | None:
    """The crossing whose traffic waits at the town a halted-trade event is placed at: the
    crossing the story is about, when the town lies near it in the same country."""
    place = c.place
    if c.trigger.sub_event_type != "trade halted" or place is None or place.kind not in _TOWN_KINDS:
        return None
    crossing = story.the_crossing
    if crossing is None or crossing.country != place.country:
        return None
    return (
        crossing if geodesic_km(place.lat, place.lon, crossing.lat, crossing.lon) <= QUEUE_TOWN_KM else None
    )


#: Words that place an event where the story's last one was.
_SAME_PLACE_RE = re.compile(
    r"\b(?:in|at|near|around|along|on)\s+the\s+same\s+(?:general\s+)?(?:region|area|place|district|"
    r"province|sector|village|town|spot|locality|stretch|border\s+(?:area|region|post|crossing))\b",
    re.IGNORECASE,
)


def _linked_crossing(c: _Cand, st: _SentenceState) -> Place | None:
    """The curated crossing at the town a crossing event is placed at for the crossing links it
    ("the bridge linking Gamboru and Fotokol"), if any."""
    place = c.place
    if c.trigger.event_type != "crossing" or place is None or place.kind not in _TOWN_KINDS:
        return None
    base = st.sent.start
    linked = any(
        m.place is place and _LINKING_RE.search(st.text, max(0, m.start - base - 20), m.start - base)
        for m in st.mentions
    )
    return _known_crossing(place) if linked else None


def _namesake_town(c: _Cand, st: _SentenceState) -> Place | None:
    """The town of the same name as the county an event was placed at, when the story names that
    town as one ("Mandera town") and the event's sentence names the county by its name alone
    ("streamed into Mandera"): the article reads the bare name as the county it also names, but
    an event is at the town."""
    area = c.place
    if area is None or area.kind not in ("province", "district"):
        return None
    base = st.sent.start
    if not any(
        m.place is area
        and not _PLACE_NOUN_END_RE.search(m.mention)  # "Mandera County"
        and not _PLACE_NOUN_AFTER_RE.match(st.text[m.end - base : m.end - base + 30])  # "Mandera district"
        for m in st.mentions
    ):
        return None
    return next(
        (
            m.place
            for m in st.story.located
            if m.place.kind in _TOWN_KINDS and m.place.country == area.country and m.place.name == area.name
        ),
        None,
    )


def _pointed_place(c: _Cand, st: _SentenceState) -> tuple[Place, str] | None:
    """The place an event's words point to rather than name, and its kind: "the crossing",
    "it", "there", "near the temple", a queue of trucks."""
    s, sent, mentions = st.text, st.sent, st.mentions
    if c.told_before is not None:
        # "The closure came a week after the governors met in Pakse": the crossing just told
        return c.told_before, "crossing"
    if (
        _at_the_crossing(c, s, sent, mentions)
        and (crossing := _crossing_here(c, st) or st.story.the_crossing) is not None
    ):
        # "reopened their main border crossing", "the crossing was shut", "exchanged fire near
        # the crossing", "a flag meeting at the zero point": the crossing the story is about,
        # not a point of the whole border
        return crossing, "crossing"
    if (it := _crossing_it_is(c, st)) is not None:
        # "Torkham was closed on 6 September; it reopened on 15 September"
        return it, "crossing"
    if (there := _there(c, s, sent, mentions)) is not None:
        # "the Torkham crossing was closed after guards exchanged fire there"
        return there, there.kind
    if (landmark := _the_named_landmark(c, s, sent, st.story)) is not None:
        # "the Preah Vihear temple ... shelled positions near the temple"
        return landmark, landmark.kind
    if (queue := _queue_at_the_crossing(c, st.story)) is not None:
        # "150 trucks are waiting ... in the Wana area": the queue of the crossing closed
        return queue, "crossing"
    return None


def _attach_places(st: _SentenceState) -> None:
    """Each event's own place; "the border" (or fighting or shelling between the two sides, or a
    ceasefire with no venue) on the line of the story's pair; people fleeing with no place of their own at
    the story's one border town."""
    s, sent, mentions = st.text, st.sent, st.mentions
    # the countries the sentence names, not where it was filed ("PUTRAJAYA, Malaysia — ...")
    filed = _dateline_end(s)
    named = _countries_named(
        " " * filed + s[filed:], sent.start, [m for m in mentions if m.start >= sent.start + filed]
    )
    st.pair = pair = st.story.pair_for(named)
    for c in st.cands:
        _choose_place(c, st.cands, s, sent, mentions, st.tree, st.story.dateline)
        if (town := _namesake_town(c, st)) is not None:
            c.place, c.place_kind = town, town.kind
        if (pointed := _pointed_place(c, st)) is not None:
            c.place, c.place_kind = pointed
        elif (linked := _linked_crossing(c, st)) is not None:
            # "closed the bridge linking Gamboru and Fotokol": the crossing curated at the town
            c.place, c.place_kind = linked, "crossing"
        elif (
            c.place is None
            and c.trigger.event_type == "displacement"
            and (fight := st.story.fight_just_told) is not None
            and fight.place.kind not in ("country", "line")
            and _PEOPLE_RE.search(s) is not None
        ):
            # "Troops seize Abyei town. More than 100,000 people flee south.": the fight just told
            c.place, c.place_kind = fight.place, fight.place.kind
        if c.place is None and c.trigger.event_type == "negotiation":
            _host_venue(st, c, named)
        if c.place is None and c.trigger.event_type == "negotiation":
            _host_country(st, c)
        on_line = (
            c.place_kind == "border"
            or _part_toward(c, pair)
            or (
                c.place is None
                and (
                    (
                        (
                            c.trigger.event_type == "clash"
                            or (  # one side shelling the other's positions, not an exchange of fire
                                c.trigger.sub_event_type == "shelling/artillery"
                                and not any(o.trigger.event_type == "clash" for o in st.cands)
                            )
                        )
                        and _two_sides(_countries_named(s, sent.start, mentions, parties=True), pair)
                    )
                    or (  # a ceasefire or a call with no venue: between the two sides
                        (
                            c.trigger.sub_event_type in ("ceasefire agreed", "talks by telephone")
                            or (c.trigger.event_type == "negotiation" and _BY_CALL_RE.search(s) is not None)
                        )
                        and pair is not None
                    )
                    or (  # "talks at the Chushul-Moldo border meeting point", a flag meeting: at the border
                        c.trigger.event_type == "negotiation"
                        and pair is not None
                        and (_AT_THE_BORDER_RE.search(s) or _BORDER_MEETING_RE.search(s, c.start, c.end))
                    )
                    or (  # "Thailand closed all land crossings with Cambodia": the whole border,
                        # which the map reports on each crossing of it
                        c.trigger.event_type == "crossing"
                        and pair is not None
                        and _ALL_CROSSINGS_RE.search(s) is not None
                    )
                    or (  # "260,000 displaced on both sides": along the border of the two
                        c.trigger.event_type == "displacement"
                        and pair is not None
                        and _BOTH_SIDES_RE.search(s)
                    )
                )
            )
        )
        between = None if on_line else _between_two_sides(st, c)
        if between is not None:
            c.place, st.extent[id(c)] = between
            c.place_kind = "border"
        elif on_line:
            c.place, ext = _on_line(st.story, c.line, pair, mentions)
            c.place_kind = "border" if c.place is not None else None
            if ext is not None:
                st.extent[id(c)] = ext
        elif c.place is None and c.trigger.event_type == "displacement" and st.story.home is not None:
            c.place, c.place_kind = st.story.home, st.story.home.kind
        elif (
            c.trigger.event_type == "displacement"
            and c.place is not None
            and c.place.kind == "country"
            and (town := st.story.border_dateline) is not None
            and town.country == c.place.country
        ):
            # "ARAUCA, Colombia - 2,300 people have fled across the river into Colombia": into the
            # country, at the border town the story is filed from
            c.place, c.place_kind = town, town.kind
        elif (
            c.place is None
            and c.trigger.event_type == "clash"  # a fight (an explosion alone may be no attack)
            and not mentions
            and (prior := _one_finest(st.story.prior)) is not None
            and not _QUOTE_OPEN_RE.match(s)  # "Every night we hear the fighting ...": a witness
            and not _DEFINITE_BEFORE_RE.search(s, max(0, c.start - 24), c.start)  # "the fighting": told
        ):
            # "Forces detected infiltrators in the Sambaza area of Zhob. Own troops engaged and
            # thwarted the attempt.": a clash told with no place, right after the one finest place
            # the paragraph's last sentence (which told no event) put things at
            c.place, c.place_kind = prior, prior.kind
        elif c.place is None and st.story.last_force is not None and _SAME_PLACE_RE.search(s):
            # "More serious clashes took place in the same region Sunday": the last fight's place
            _take_place_of(st, c, st.story.last_force)
        _place_fight_told(st, c)
        _place_at_unlisted(st, c, pair)


def _place_at_unlisted(st: _SentenceState, c: _Cand, pair: str | None) -> None:
    """An event with no place, told at a place the gazetteer lacks (:func:`_at_unlisted_place`):
    at the point of the border of ``pair`` nearest the sentence's places there, else the story's,
    with that stretch's extent ("armed men attacked Kumarakapay on Friday" in a story of the
    Venezuela–Brazil border)."""
    if c.place is not None or not _at_unlisted_place(st, c, pair):
        return
    # nearest the sentence's own places by that border ("jets bombed Khawmawi, villagers who fled
    # to Zokhawthar said"), else the story's
    c.place, ext = _on_line(st.story, None, pair, st.mentions)
    c.place_kind = "border" if c.place is not None else None
    if ext is not None:
        st.extent[id(c)] = ext


#: How far (characters) from an event's words the name of a place the gazetteer lacks may stand.
UNLISTED_EVENT_REACH = 80


def _at_unlisted_place(st: _SentenceState, c: _Cand, pair: str | None) -> bool:
    """Whether an event with no place is told at a place the gazetteer lacks
    (:func:`unlisted_in_slot`) near its words, in a story that names places near the border of
    ``pair``: a talk's venue may lie anywhere, so not for talks."""
    if c.trigger.event_type == "negotiation" or pair is None:
        return False
    if _near_line(st.story.located, pair, close_only=True) is None:
        return False  # no place the story names lies near that border: no point on it to take
    taken = [(m.start - st.sent.start, m.end - st.sent.start) for m in st.mentions]
    return any(
        start < c.end + UNLISTED_EVENT_REACH and end > c.start - UNLISTED_EVENT_REACH
        for start, end in unlisted_in_slot(st.text, taken)
    )


def _place_fight_told(st: _SentenceState, c: _Cand) -> None:
    """A fight the story told already, told again (:func:`_fight_told_again`) or named again
    (:func:`_fight_referred_to`): where it was, and, named again with no day of its own, when."""
    if (fight := _fight_told_again(st, c)) is not None:
        _take_place_of(st, c, fight)
    elif (fight := _fight_referred_to(st, c)) is not None:
        _take_place_of(st, c, fight)
        if fight.date is not None:
            c.date = DateHit(c.start, c.start, "", "relative", fight.date, fight.date_precision)


#: Words that open the telling of another fight: "In a separate incident", "Meanwhile", "Elsewhere".
_ANOTHER_FIGHT_RE = re.compile(
    r"\b(?:separate(?:ly)?|meanwhile|elsewhere|another|second|also|earlier|later|previous|last\s+(?:week|month|year))\b",
    re.IGNORECASE,
)


def _fight_told_again(st: _SentenceState, c: _Cand) -> Event | None:
    """The fight of its type the sentence just before told, when this sentence tells a fight
    again with no place of its own (only the border, or none) and no day of its own: "... opened
    fire on posts in the Kharlachi area late on Tuesday night. [new paragraph] According to
    security sources, the Afghan side resorted to heavy firing at around 11pm, targeting posts
    near the border"."""
    if c.trigger.event_type not in _FORCE_TYPES or not _placed_roughly(c):
        return None
    fight = next(
        (ev for ev in reversed(st.story.fights_before) if ev.event_type == c.trigger.event_type), None
    )
    if fight is None:
        return None
    if fight.place.kind not in _SPOT_KINDS and fight.place.kind != "district":
        return None  # a fight placed no finer than a province gives no place worth taking
    if c.date is not None and c.date.value != fight.date:
        return None
    if any(m.role == "location" and m.place.kind not in ("country", "line") for m in st.mentions):
        return None  # a place of its own, which the rules above did not take
    if _ANOTHER_FIGHT_RE.search(st.text):
        return None
    if _DEFINITE_BEFORE_RE.search(st.text, max(0, c.start - 24), c.start):
        return None  # "seven people were killed in the shelling": the told fight's toll
    return fight


#: A fight the story has told, named again by its noun: "a stray shell from the exchange".
_FIGHT_REFERENCE_RE = re.compile(
    r"\b(?:from|during|in|after)\s+(?:the|that|this)\s+(?:(?:overnight|night's|same|cross-border)\s+)?"
    r"(?:exchange|fighting|clash(?:es)?|gun-?battle|firefight|skirmish(?:es)?)\b",
    re.IGNORECASE,
)
#: How far from the fight the story told a place may be for the fight told again there: the
#: spots of one exchange (a pass beside the crossing, the nearest town).
FIGHT_REFERENCE_KM: float = 30.0


def _fight_referred_to(st: _SentenceState, c: _Cand) -> Event | None:
    """The story's last fight, when a fight with no day of its own names it ("heavy firing echoed
    through the Khyber Pass ... and one stray shell from the exchange landed in an orchard") at a
    place near it: the same fight, told by other witnesses."""
    last = st.story.last_force
    if (
        last is None
        or c.trigger.event_type not in _FORCE_TYPES
        or c.date is not None
        or c.place is None
        or last.place.kind not in _SPOT_KINDS
        or _ANOTHER_FIGHT_RE.search(st.text)
    ):
        return None
    if c.place.place_id == last.place.place_id:
        # one side's shelling in the fight at the same spot, in a sentence with no time at all
        # ("... said three border guards were killed when Pakistani mortar rounds struck shops
        # near the customs terminal")
        untimed = not any(h.kind in {"absolute", "relative"} for h in st.dates)
        return last if untimed and c.trigger.event_type == "strike" and last.event_type == "clash" else None
    if not _FIGHT_REFERENCE_RE.search(st.text):
        return None
    km = geodesic_km(c.place.lat, c.place.lon, last.place.lat, last.place.lon)
    return last if km <= FIGHT_REFERENCE_KM else None


def _closing_shares_place(st: _SentenceState) -> None:
    """ "Islam Qala was closed on 4 March, and reopened on 5 March": a crossing's reopening with
    no place of its own is where the sentence's closing is (and the other way round)."""
    for c in st.cands:
        if c.place is not None or c.trigger.event_type != "crossing":
            continue
        reopening = "reopen" in c.trigger.sub_event_type
        other = next(
            (
                o
                for o in st.cands
                if o.trigger.event_type == "crossing"
                and o.place is not None
                and ("reopen" in o.trigger.sub_event_type) != reopening
            ),
            None,
        )
        if other is not None:
            c.place, c.place_kind = other.place, other.place_kind


def _take_place_of(st: _SentenceState, c: _Cand, last: Event) -> None:
    """Put candidate ``c`` where the event ``last`` is."""
    c.place = last.place
    c.place_kind = "border" if last.place.place_id.startswith(BORDER_LINE_PREFIX) else last.place.kind
    if last.geo_uncertainty_km is not None:
        st.extent[id(c)] = last.geo_uncertainty_km


#: "all land crossings", "every border crossing", "the entire border": the whole of a border.
_ALL_CROSSINGS_RE = re.compile(
    r"\b(?:all|every)\s+(?:(?:the|its|their|official|land|border|formal)\s+)*(?:crossings?|crossing\s+points?|"
    r"border\s+(?:crossings?|posts?|points?|gates?|checkpoints?))\b|\b(?:the\s+)?(?:entire|whole)\s+border\b",
    re.IGNORECASE,
)

#: A sentence that opens a quotation: a witness's words, no report of its own.
_QUOTE_OPEN_RE = re.compile(r"\s*[\"“‘']")
#: "the", "this" right before an event's words: an event the story has told already.
_DEFINITE_BEFORE_RE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:[\w’'-]+\s+)?$", re.IGNORECASE)

#: Kinds of place too wide to locate a fight told in the next sentence.
_NOT_PRIOR_KINDS = frozenset({"country", "region", "sea", "line", "river"})


#: Talks held at the border itself (a border meeting point, a flag meeting at the frontier).
_AT_THE_BORDER_RE = re.compile(
    r"\bat\s+(?:the|a)\s+(?:[\w’'-]+\s+){0,3}?(?:border|frontier)\b(?!\s+(?:dispute|issue|question|row))",
    re.IGNORECASE,
)
#: Meetings held at a border by their kind: flag meetings, border personnel meetings.
_BORDER_MEETING_RE = re.compile(r"(?:flag|border\s+personnel)\s+(?:meetings?|talks)\b", re.IGNORECASE)
#: Talks told as held over a line, not in a room ("held telephone talks", "spoke twice by phone",
#: "in a video call"): no venue, so between the two sides.
_BY_CALL_RE = re.compile(r"\b(?:tele)?phone\b|\bhotline\b|\bvideo\s*(?:call|link|conference)", re.IGNORECASE)
#: People or places on the two sides of a border, which the story names.
_BOTH_SIDES_RE = re.compile(r"\b(?:on|from|along)\s+both\s+sides\b", re.IGNORECASE)


def _host_venue(st: _SentenceState, c: _Cand, named: Counter[str]) -> None:
    """Talks or a ceasefire with no venue named, told by a story filed from a third country
    that the sentence names as a party (``named``: the countries it names outside its dateline;
    "PUTRAJAYA, Malaysia — ... the Malaysian Prime Minister said after hosting talks",
    "WASHINGTON — ... signed a U.S.-brokered agreement, American officials said"): that city,
    where the host or mediator is."""
    venue = st.story.dateline
    if venue is None or not venue.country:
        return
    sides = set((st.pair or "").split("-"))
    if venue.country in sides:
        return  # filed from one side's capital: no venue of the talks
    if named[venue.country] == 0:
        return  # the dateline's own country names no party
    c.place, c.place_kind = venue, venue.kind


#: "in Malaysia" right before a country's name: where talks were held.
_IN_BEFORE_RE = re.compile(r"\b(?:in|hosted\s+by|brokered\s+by|mediated\s+by)\s+$", re.IGNORECASE)


def _host_country(st: _SentenceState, c: _Cand) -> None:
    """Talks or a ceasefire with no city named, agreed "in" a third country ("a ceasefire was
    agreed in Malaysia on July 28"): at its capital, where the host or mediator is (a city is
    named where one is known, the two sides' own countries are no venue, and of several
    mediators named together none is known to have hosted)."""
    sides = set((st.pair or "").split("-"))
    countries = [m for m in st.mentions if m.place.kind == "country"]
    for k, m in enumerate(countries):
        rs = m.start - st.sent.start
        listed = k + 1 < len(countries) and LIST_GAP.fullmatch(
            st.text, m.end - st.sent.start, countries[k + 1].start - st.sent.start
        )
        if (
            m.place.country
            and m.place.country not in sides
            and not listed  # "brokered by Qatar and Türkiye": which of them hosted is not said
            and _IN_BEFORE_RE.search(st.text, max(0, rs - 16), rs)
            and (capital := default_gazetteer().capital_of(m.place.country)) is not None
        ):
            c.place, c.place_kind = capital, capital.kind
            return


#: Words that tie people's flight to a border: they cross one ("refugees", "fled into", "asylum").
_ACROSS_RE = re.compile(
    r"\b(?:refugees?|asylum|across|neighbou?ring\s+countr(?:y|ies)|abroad|exile)\b", re.IGNORECASE
)
#: Kinds of place that lie on a border by what they are.
_BORDER_KINDS = frozenset({"crossing", "line", "river", "pass", "disputed-area"})


def _near_a_border(place: Place) -> bool:
    """Whether a place may lie within :data:`geomap.border.NEAR_BORDER_KM` of a land border: a
    border place, or a point (or an area's edge) that close; a country or a wider area cannot
    say where in it something happened, so it does not."""
    if place.kind in _BORDER_KINDS or place.place_id.startswith(BORDER_LINE_PREFIX):
        return True
    if place.kind == "country" or not place.country:  # a country, a continent
        return False
    km = border.nearest_border(place.lon, place.lat)[1]
    return km is not None and km - (place_extent_km(place) or 0.0) <= border.NEAR_BORDER_KM


def _border_incident(
    sent: Sentence, mentions: list[Mention], place: Place, event_type: str, sub_event_type: str
) -> bool:
    """Whether an event at ``place`` told by ``sent`` is a border incident: a strike or talks
    (one side's strikes reach deep into the other's country), or a place near a land border, or a
    sentence that ties the event to one: a border word or a named line, the people of two
    neighbouring countries (or one and a place in the other), or, for people fleeing, the
    crossing itself ("refugees", "fled across"). Else a clash or a flight is internal (a
    civil-war battle, a riot, a building evacuated)."""
    if event_type not in ("clash", "displacement") or _near_a_border(place):
        return True
    if _BORDER_RE.search(sent.text) or any(m.place.kind == "line" for m in mentions):
        return True
    named = _countries_named(sent.text, sent.start, mentions)
    if place.country:
        named[place.country] += 1
    if _choose_pair(named) is not None:
        return True
    return event_type == "displacement" and (
        sub_event_type != "people fled" or _ACROSS_RE.search(sent.text) is not None
    )


def _drop_internal(st: _SentenceState) -> None:
    """Candidates that are no border incident (:func:`_border_incident`)."""
    st.cands = [
        c
        for c in st.cands
        if c.place is None
        or _border_incident(st.sent, st.mentions, c.place, c.trigger.event_type, c.trigger.sub_event_type)
    ]


#: Kinds of area whose stretch of a border a sentence may name ("the border area dividing Kurram
#: from Paktia", "the Kunar–Bajaur border").
_BORDER_AREA_KINDS = frozenset({"district", "province", "region"})


def _between_two_sides(st: _SentenceState, c: _Cand) -> tuple[Place, float] | None:
    """An event placed at an area, in a sentence that speaks of the border and names an area on
    its other side ("along the border area dividing Pakistan's Kurram Agency from Afghanistan's
    Paktia province"), lies on the line between the two: the point of it nearest their middle,
    known to twice that middle's distance from the line."""
    if c.place is None or c.place.kind not in _BORDER_AREA_KINDS or not _BORDER_RE.search(st.text):
        return None
    here = c.place
    for m in st.mentions:
        other = m.place
        if (
            m.role == "actor"
            or other.kind not in _BORDER_AREA_KINDS
            or not other.country
            or not here.country
            or other.country == here.country
        ):
            continue
        pair = border.pair_key(here.country, other.country)
        if pair not in border.pairs():
            continue
        middle = ((here.lon + other.lon) / 2, (here.lat + other.lat) / 2)
        return border_line_place(pair, middle)
    return None


#: How far a compass word's bearing and the bearing to the border may differ (degrees).
PART_TOWARD_DEG: float = 67.5


def _part_toward(c: _Cand, pair: str | None) -> bool:
    """The event's place is the part of a country on the story's border: "shelled positions in
    southern Lebanon" in a story of the Israel–Lebanon border (the line lies south of Lebanon's
    point). "Northern Lebanon" in that story stays the country."""
    place = c.place
    if c.toward is None or place is None or pair is None or place.country not in pair.split("-"):
        return False
    lon, lat, _ext = border.point_on_border(pair, (place.lon, place.lat))
    azimuth = float(geod().inv(place.lon, place.lat, lon, lat)[0])
    return abs((azimuth - c.toward + 180.0) % 360.0 - 180.0) <= PART_TOWARD_DEG


def _on_line(
    story: Story, line: Place | None, pair: str | None, mentions: Sequence[Mention] = ()
) -> tuple[Place | None, float | None]:
    """The point of "the border" (of ``pair``, or of the demarcation line ``line`` named): nearest
    the sentence's own located places near that border (``mentions``: "police in Chaman said both
    sides traded fire across the frontier"), else the story's places; with none, a named line's
    own point and extent (the Line of Control is shorter than the whole India–Pakistan border)."""
    if line is not None:
        pair = line_pair(line)
        assert pair is not None
    if pair is None:
        return None, None
    own = _near_line([m for m in mentions if m.role != "actor"], pair, close_only=True)
    if line is None or own is not None or story.near(pair) is not None:
        return story.border_place(pair, own)
    extent = line.extent_km or _own_extents().get(line.place_id)
    if extent is None:
        return border_line_place(pair, None)  # the whole border: half its length
    place, _ext = border_line_place(pair, (line.lon, line.lat))
    return place, extent


def _attach_claims(st: _SentenceState) -> None:
    """Each casualty claim to its nearest strike or clash (through the parse)."""
    force = [c for c in st.cands if c.trigger.event_type in _FORCE_TYPES]
    if not force:
        return
    for claim in _sentence_claims(st.text, st.article.name):
        span = (claim["_start"], claim["_start"] + len(claim["text"]))
        best = min(force, key=lambda c: _span_distance(st.text, st.tree, (c.start, c.end), span))
        best.claims.append(claim)


def _known_fight_tolls(st: _SentenceState) -> None:
    """ "One soldier was killed and three guards were injured in the clash": a fight named as
    already told, with no place or day of its own and no place told since, is the story's last
    fight: its claims are that fight's (as a toll sentence's are), and it is no new incident."""
    last = st.story.last_force
    if last is None or st.story.prior:
        return  # (a place told since, with no event: "troops intercepted militants near Ghulam Khan")
    if any(
        h.kind in {"absolute", "relative"}
        and h.value
        and h.value != last.date
        and not _SPOKE_BEFORE_RE.search(st.text, max(0, h.start - 48), h.start)  # "said on Monday"
        for h in st.dates
    ):
        return  # "the clashes, which began on Sunday afternoon": a day of its own
    for c in list(st.cands):
        if (
            c.trigger.event_type == last.event_type
            and c.date is None
            and (c.place is None or c.place_kind == "border")
            and not any(m.role == "location" and m.place.kind != "country" for m in st.mentions)
            and _DEFINITE_BEFORE_RE.search(st.text, max(0, c.start - 24), c.start)
            and not any(o is not c and o.trigger.event_type in _FORCE_TYPES for o in st.cands)
        ):
            if c.claims:
                _carry(last, c.claims)
            st.cands.remove(c)


#: A plural word for crossings after a list of places: "the Torkham and Chaman crossings".
_CROSSINGS = r"(?:crossings|crossing\s+points|border\s+posts|checkpoints|check-?posts|gates)"
_CROSSINGS_AFTER_RE = re.compile(rf"\s*(?:border\s+)?{_CROSSINGS}\b", re.IGNORECASE)
_LIST_JOIN_RE = re.compile(r"\s*(?:,\s*and|,|and|&)\s*", re.IGNORECASE)
#: Crossings named in the plural, then listed in an apposition or after "at": "shut the four busiest
#: crossings in the south-east - Vaalimaa, Nuijamaa, Imatra and Niirala -", "the crossings (Torkham,
#: Chaman)", "the crossings at Torkham and Chaman", "its two crossings with Afghanistan, at Torkham
#: and Chaman".
_PLURAL_CROSSINGS_RE = re.compile(
    rf"\b{_CROSSINGS}\b"
    r"(?:[^.;:()\[\]—–]{0,40}?(?:\s[-–—]\s*|\s*\(|:\s*|\s*[—–]\s*)|(?:[^.;:()\[\]—–]{0,40}?,)?\s+(?:at|of)\s+(?:the\s+)?"
    r"|[^.;:()\[\]—–,]{0,40}?,\s*)$",
    re.IGNORECASE,
)


def _listed_crossings(st: _SentenceState) -> None:
    """ "Pakistan closes the Torkham and Chaman crossings", "Torkham, Chaman stay shut": one
    crossing event for each place of the list, each at its own crossing (the list is not one
    place)."""
    spots = [m for m in st.mentions if m.place.kind in ("crossing", "town", "village", "city", "district")]
    if len(spots) < 2:
        return
    base = st.sent.start
    _apposed_crossings(st, spots)
    for i, last in enumerate(spots):
        if not (
            _CROSSINGS_AFTER_RE.match(st.text, last.end - base)
            or any(  # the names a closing verb has for subject: "Torkham, Chaman stay shut"
                c.trigger.event_type == "crossing"
                and c.start >= last.end - base
                and _SUBJECT_NAMES_RE.fullmatch(st.text, last.end - base, c.start)
                for c in st.cands
            )
        ):
            continue
        listed = [last]
        for prev in reversed(spots[:i]):
            gap = st.text[prev.end - base : listed[0].start - base]
            if not _LIST_JOIN_RE.fullmatch(gap):
                break
            listed.insert(0, prev)
        if len(listed) < 2:
            continue
        places = _crossings_of(listed)
        ids = {p.place_id for p in places}
        for c in [c for c in st.cands if c.trigger.event_type == "crossing"]:
            own = c.place.place_id if c.place is not None else None
            if own not in ids:
                continue
            for place in places:
                if place.place_id != own:
                    st.cands.append(dataclasses.replace(c, place=place, place_kind="crossing", claims=[]))


def _crossings_of(listed: list[Mention]) -> list[Place]:
    """The crossing each listed place is or has (the curated one at a town), where known."""
    found = [m.place if m.place.kind == "crossing" else _derived_crossing(m.place) for m in listed]
    return [p for p in found if p is not None]


def _apposed_crossings(st: _SentenceState, spots: list[Mention]) -> None:
    """A closing of crossings named in the plural and listed right after, in dashes, brackets or
    after a colon: one crossing event for each listed place that is or has a crossing."""
    base = st.sent.start
    for c in [c for c in st.cands if c.trigger.event_type == "crossing"]:
        # (the list may lie inside the trigger's words: "Both crossings, Torkham and Chaman, were closed")
        first = next((m for m in spots if m.start - base > c.start), None)
        opened = _PLURAL_CROSSINGS_RE.search(st.text, c.start, first.start - base) if first else None
        if first is None or opened is None:
            continue
        listed = [first]
        for nxt in spots[spots.index(first) + 1 :]:
            if not _LIST_JOIN_RE.fullmatch(st.text, listed[-1].end - base, nxt.start - base):
                break
            listed.append(nxt)
        inside = _apposition(st, spots, listed, opened.group().rstrip()[-1:])
        listed += [
            m for m in inside if _ITEM_START_RE.search(st.text, 0, m.start - base) and _crossings_of([m])
        ]
        known = list({p.place_id: p for p in _crossings_of(listed)}.values())
        # the trigger's own place: none yet, the border or country of "all crossings", or one listed
        # (or a town an item names on the way: "Torkham, on the highway from Peshawar")
        own = (
            c.place is None
            or c.place.kind in ("line", "country", "province")
            or c.place in known
            or c.place in [m.place for m in inside]
        )
        if len(listed) < 2 or not known or not own:
            continue
        st.cands.remove(c)
        st.cands.extend(dataclasses.replace(c, place=p, place_kind="crossing", claims=[]) for p in known)


#: What closes an apposition that lists crossings, by what opened it.
_APPOSITION_CLOSE_RES: dict[str, re.Pattern[str]] = {
    "(": re.compile(r"\)"),
    ":": re.compile(r"$"),
    ",": re.compile(r",(?!\s*(?:and|as\s+well\s+as)\b)", re.IGNORECASE),
    **{dash: re.compile(r"\s[-–—]\s|[–—]") for dash in "-–—"},
}
#: The end of the text before a later item of a list: a comma or an "and".
_ITEM_START_RE = re.compile(r"(?:,|\band|\bas well as|&)\s*$", re.IGNORECASE)


def _apposition(
    st: _SentenceState, spots: list[Mention], listed: list[Mention], opener: str
) -> list[Mention]:
    """The places after ``listed`` in an apposition that lists crossings, up to where it closes:
    its items may carry words of their own ("two crossings - Torkham, on the highway between
    Peshawar and Jalalabad, and Chaman in Balochistan -"), so a later item is a place after a
    comma or an "and" that is or has a crossing (the towns an item names on the way have none)."""
    close_re = _APPOSITION_CLOSE_RES.get(opener)
    if close_re is None:
        return []
    base = st.sent.start
    closed = close_re.search(st.text, listed[-1].end - base)
    end = closed.start() if closed else len(st.text)
    return [m for m in spots[spots.index(listed[-1]) + 1 :] if m.end - base <= end]


#: A list of at most this many places of a fight names its fronts, each its own incident; a
#: longer one sums up an area's day of shelling.
MAX_LISTED_FRONTS: int = 3
#: Kinds of place a fight is listed at, each its own incident ("posts in Bajaur, Dir and Chitral").
_LISTED_SPOTS = frozenset({"district", "town", "village", "city", "landmark", "crossing", "pass", "region"})


def _listed_spots(st: _SentenceState) -> list[Mention]:
    """The sentence's mentions of places an event may be listed at (:data:`_LISTED_SPOTS`), not
    actors, in text order."""
    return [m for m in st.mentions if m.place.kind in _LISTED_SPOTS and m.role != "actor"]


def _own_spot(spots: list[Mention], c: _Cand) -> int | None:
    """The index in ``spots`` of the candidate's own place, if it is one of them."""
    own = c.place.place_id if c.place is not None else None
    return next((k for k, m in enumerate(spots) if m.place.place_id == own), None)


def _listed_places(st: _SentenceState) -> None:
    """ "Afghan forces opened fire on posts in Bajaur, Dir and Chitral": a strike or clash at each
    place of the list its own place is in (places joined by commas and an "and"), not only at the
    first."""
    spots = _listed_spots(st)
    if len(spots) < 2:
        return
    base = st.sent.start
    for c in [c for c in st.cands if c.trigger.event_type in _FORCE_TYPES]:
        at = _own_spot(spots, c)
        if at is None:
            continue
        own = spots[at].place.place_id
        listed = [spots[at]]
        for m in spots[at + 1 :]:
            if not _LIST_JOIN_RE.fullmatch(st.text, listed[-1].end - base, m.start - base):
                break
            listed.append(m)
        for m in reversed(spots[:at]):
            if not _LIST_JOIN_RE.fullmatch(st.text, m.end - base, listed[0].start - base):
                break
            listed.insert(0, m)
        joins = [st.text[a.end - base : b.start - base] for a, b in itertools.pairwise(listed)]
        if not 2 <= len(listed) <= MAX_LISTED_FRONTS or not any(re.search(r"\band\b|&", j) for j in joins):
            # "Landi Kotal, Khyber": a place and its area, no list; six villages shelled over a
            # day: a round-up of an area's shelling, told as one
            continue
        if _LINKING_RE.search(st.text, max(0, listed[0].start - base - 20), listed[0].start - base):
            continue  # "on the road between Beni and Kasindi": one stretch, not two fronts
        for m in listed:
            if m.place.place_id != own:
                st.cands.append(dataclasses.replace(c, place=m.place, place_kind=m.place.kind, claims=[]))


#: "41,320 crossed through Torkham (Nangarhar) and 24,830 through Spin Boldak": a second count
#: and the same preposition before another place, its verb left out.
_GAPPED_JOIN_RE = re.compile(
    r"\s*(?:\([^()]{0,60}\))?(?:\s+in\s+(?:[A-Z][\w’'-]+\s+){1,3}(?:province|district|region|state|county))?"
    r"\s*,?\s+and\s+(?:(?:another|some|about|around|nearly|over|more\s+than)\s+)?"
    r"\d[\d,.]*(?:\s+(?:million|thousand))?\s+(?:[\w-]+\s+){0,2}?(?:through|via|at|to|into|from|in)\s+(?:the\s+)?",
    re.IGNORECASE,
)


def _gapped_places(st: _SentenceState) -> None:
    """ "41,320 people crossed back through Torkham and 24,830 through Spin Boldak": people moving
    through each place of such a pair of counts, each its own report (the verb is said once)."""
    spots = _listed_spots(st)
    if len(spots) < 2:
        return
    base = st.sent.start
    for c in [c for c in st.cands if c.trigger.event_type == "displacement"]:
        at = _own_spot(spots, c)
        if at is None:
            continue
        last = spots[at]
        for m in spots[at + 1 : at + MAX_LISTED_FRONTS]:
            if not _GAPPED_JOIN_RE.fullmatch(st.text, last.end - base, m.start - base):
                break
            st.cands.append(dataclasses.replace(c, place=m.place, place_kind=m.place.kind, claims=[]))
            last = m


#: Between the first and the last day of a closing: "closed from 21 February to 21 March".
_UNTIL_RE = re.compile(r"\s*(?:to|until|till|through|[-–])\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _reopening_trigger() -> Trigger:
    return next(
        t for t in triggers() if t.event_type == "crossing" and t.sub_event_type == "crossing reopened"
    )


def _closed_until(st: _SentenceState) -> None:
    """ "The crossing was closed from 21 February to 21 March": a closing on the first day and a
    reopening on the last, at the same crossing (the map's status of the crossing over time),
    planned when the last day is after the report's."""
    days = [h for h in st.dates if h.kind == "absolute" and h.value and h.precision == "day"]
    for c in list(st.cands):
        if c.trigger.event_type != "crossing" or "reopen" in c.trigger.sub_event_type or c.date is None:
            continue
        last = next(
            (h for h in days if h.start > c.date.end and _UNTIL_RE.fullmatch(st.text, c.date.end, h.start)),
            None,
        )
        if last is not None and last.value != c.date.value:
            # a reopening after the day of the report is planned ("closed on Monday until 30 August")
            ahead = bool(st.published and last.value and last.value > st.published.isoformat())
            st.cands.append(
                dataclasses.replace(
                    c, trigger=_reopening_trigger(), date=last, claims=[], planned=c.planned or ahead
                )
            )


#: The sentence rules, in order: each reads and narrows or completes the candidates of
#: :class:`_SentenceState`; a sentence with no candidate left after a rule reports nothing.
_SENTENCE_RULES: tuple[Callable[[_SentenceState], None], ...] = (
    _candidates,
    _reject_by_cues,
    _reject_past_years,
    _reject_by_grammar,
    _attach_dates,
    _counted_days_back,
    _reject_long_past,
    _date_planned_ahead,
    _attach_places,
    _one_flight,
    _flight_at_fight_fled,
    _closing_shares_place,
    _listed_crossings,
    _listed_places,
    _gapped_places,
    _closed_until,
    _drop_internal,
    _attach_claims,
    _known_fight_tolls,
)


def _closing_and_reopening(cs: list[_Cand]) -> tuple[list[_Cand], list[_Cand]]:
    """A crossing's candidates split into its closing and its reopening when the sentence dates
    them to different days; else ([], [])."""
    opened = [c for c in cs if "reopen" in c.trigger.sub_event_type]
    shut = [c for c in cs if "reopen" not in c.trigger.sub_event_type]
    days = {c.date.value for c in cs if c.date is not None and c.date.precision == "day" and c.date.value}
    if not opened or not shut or len(days) < 2:
        return [], []
    first = {c.date.value for c in shut if c.date is not None}
    second = {c.date.value for c in opened if c.date is not None}
    return (shut, opened) if first and second and not first & second else ([], [])


def _events_of(st: _SentenceState) -> tuple[list[Event], list[tuple[Event, DateHit]]]:
    """One event per (type, place) of the sentence: the earliest lexicon row names the sub-type,
    the finest place and the best date of its candidates are its own; candidates with no place
    give none."""
    groups: dict[tuple[str, str], list[_Cand]] = {}
    for c in st.cands:
        if c.place is not None:
            groups.setdefault((c.trigger.event_type, c.place.place_id), []).append(c)
    for key in [k for k in groups if k[0] == "crossing"]:
        # "was suspended on 12 April ... and resumed on 16 April": a closing and a reopening, each
        # on its own day (a crossing "closed since Monday, reopened on Friday" is told as one)
        shut, opened = _closing_and_reopening(groups[key])
        if shut and opened:
            groups[key], groups[(key[0], key[1] + "#reopened")] = shut, opened
    held, st.story.unplaced = _held_date(st), None
    if not groups:
        dated = [
            (c.trigger.event_type, c.date)
            for c in st.cands
            if c.trigger.event_type in _FORCE_TYPES and c.date is not None and c.date.precision == "day"
        ]
        if dated:
            st.story.unplaced = (*dated[0], st.sent.end)
            _date_the_fight_told(st)
    events: list[Event] = []
    ref_out: list[tuple[Event, DateHit]] = []
    actors = _unique(a[0] for a in _actors_in(st.text))
    for (etype, _pid), cs in groups.items():
        ev = _event_of_group(st, etype, cs)
        if (
            ev.date is None
            and held is not None
            and held[1].value
            and (_same_kind(held[0], etype) or (etype == "displacement" and _fight_told(st.text)))
        ):
            # the fight just dated, or people who fled "during the fighting" it was
            ev.date, ev.date_precision = held[1].value, held[1].precision
        own_ref = _own_ref(st, cs)
        if ev.date is None and own_ref is not None and (etype != "negotiation" or own_ref.kind == "sequel"):
            ref_out.append((ev, own_ref))
        ev.claims = [cl for c in cs for cl in c.claims]
        ev.actors = actors
        _set_tolls(ev)
        ev.confidence = round(
            min(
                0.95,
                max(
                    0.1,
                    ev.confidence
                    + (0.15 if ev.geo_precision == 1 else 0.0)
                    + (0.15 if ev.date_precision == "day" else 0.0),
                ),
            ),
            3,
        )
        events.append(ev)
    return events, ref_out


def _date_the_fight_told(st: _SentenceState) -> None:
    """A sentence that dates, but does not place, "the shooting" (or "the clash", "this attack")
    dates the last fight the story told with no full date of its own ("soldiers exchanged fire
    on the disputed border, our top story tonight ... The shooting took place on Sunday, 17
    August, near a village the gazetteer lacks")."""
    last = _fight_to_date(st.story)
    if last is None:
        return
    for c in st.cands:
        d = c.date
        if (
            d is not None
            and d.precision == "day"
            and d.value
            # a day the sentence states ("on Sunday, 17 August"), or any day for a fight told with
            # none; not the report's day a time of day stands for ("came at dawn")
            and (d.kind == "absolute" or last.date is None)
            and _same_kind(c.trigger.event_type, last.event_type)
            and _DEFINITE_BEFORE_RE.search(st.text, max(0, c.start - 24), c.start)
        ):
            _redate(last, d)
            return


def _fight_to_date(story: Story) -> Event | None:
    """The last fight the story told, while it has no full date of its own (which a later
    sentence may then give it)."""
    last = story.last_force
    return None if last is None or last.date_basis == "stated" else last


def _redate(fight: Event, hit: DateHit) -> None:
    """The day ``hit`` tells, for the fight just told; its date "stated" when told with its year."""
    fight.date, fight.date_precision = hit.value, "day"
    if hit.kind == "absolute" and hit.explicit_year:
        fight.date_basis = "stated"


#: "The incident took place on", "the attack happened": a sentence telling when the fight just
#: told was, in words no event is found by.
_INCIDENT_DATED_RE = re.compile(
    r"\b(?:the|this|that)\s+(?:[\w-]+\s+)?(?:incident|attack|clash(?:es)?|shooting|firing|exchange|"
    r"skirmish|face-?off|fighting|ambush|encounter|confrontation|scuffle|brawl)\s+"
    r"(?:took\s+place|happened|occurred|unfolded|broke\s+out|erupted)\b",
    re.IGNORECASE,
)


def _date_the_incident_told(text: str, story: Story, ref: _Reference) -> None:
    """A sentence that reports nothing but tells the day of the fight just told ("The incident
    took place on Friday, December 9, when troops ..."): that fight's day, when it has no day
    stated in full."""
    last = _fight_to_date(story)
    if last is None:
        return
    m = _INCIDENT_DATED_RE.search(text)
    if m is None:
        return
    plain = blank_dateline(text)
    for h in ref.find_dates(plain):
        if h.start >= m.end() and h.kind == "absolute" and h.precision == "day" and h.value:
            _redate(last, h)
            return


def _own_ref(st: _SentenceState, cs: list[_Cand]) -> DateHit | None:
    """The sentence's reference to another time ("two days later", "after the talks") nearest
    the event's words: "A truce was announced that evening, but two days later strikes hit
    Urgun" dates the truce by the evening and the strikes by the two days."""
    if len(st.refs) < 2:
        return st.refs[0] if st.refs else None
    return min(
        st.refs,
        key=lambda h: min(_span_distance(st.text, st.tree, (c.start, c.end), (h.start, h.end)) for c in cs),
    )


#: How many sentences (of no event) may stand between a fight dated but not placed and the
#: sentence that places it, in one paragraph ("Tensions peaked on March 3, when the two sides
#: exchanged heavy fire. An Afghan border guard was killed. Dozens of families living near the
#: Torkham bazaar left their homes during the fighting.").
HELD_FIGHT_SENTENCES = 1
#: The end of a sentence, for counting the sentences of a stretch of text.
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’)]?(?=\s|$)")


def _held_date(st: _SentenceState) -> tuple[str, DateHit, int] | None:
    """The strike or clash a sentence just before this one dated but could not place (see
    :attr:`Story.unplaced`), if this sentence follows it directly, or after at most
    :data:`HELD_FIGHT_SENTENCES` sentences of its paragraph that told no event."""
    held = st.story.unplaced
    if held is None or st.sent.start < held[2]:
        return None
    if st.sent.start - held[2] <= 3:
        return held
    gap = (st.article.clean or st.article.text)[held[2] : st.sent.start]
    if "\n\n" in gap or len(_SENTENCE_END_RE.findall(gap)) > HELD_FIGHT_SENTENCES:
        return None
    return held


def _event_of_group(st: _SentenceState, etype: str, cs: list[_Cand]) -> Event:
    """The event of one (type, place) group of candidates, with its date."""
    main = min(cs, key=lambda c: c.trigger.order)
    place_c = min(cs, key=lambda c: (_KIND_RANK.get(c.place_kind or "", 3), c.place_dist))
    date_c = max((c.date for c in cs if c.date is not None), key=_date_rank, default=None)
    assert place_c.place is not None
    ev = _make_event(
        st.article,
        st.published,
        etype,
        main.trigger.sub_event_type,
        place_c.place,
        place_c.place_kind,
        st.sent,
        date_c,
    )
    if date_c is not None and (date_c.start, date_c.end) in st.story.report_hits:
        st.story.report_dated.add(id(ev))
    ev.border = border_line_pair(place_c.place.place_id) or st.pair
    if id(place_c) in st.extent:
        ev.geo_uncertainty_km = st.extent[id(place_c)]
    ev.planned = main.planned or (
        any(c.planned for c in cs) and main.trigger.sub_event_type == "talks planned"
    )
    published, precision = st.published, st.precision
    if (
        date_c is not None
        and not date_c.value
        and published is not None
        and precision == "month"
        and date_c.kind == "relative"
    ):
        ev.date, ev.date_precision = f"{published.year:04d}-{published.month:02d}", "month"
    if (
        ev.date is None
        and date_c is None
        and not ev.planned
        and etype == "negotiation"
        and st.body_index < 2
        and published is not None
        and precision == "day"
        and not st.dates
    ):
        # A story's lead reports today's news: "talks have collapsed".
        ev.date, ev.date_precision = published.isoformat(), "day"
        ev.confidence -= 0.1
    return ev


def _two_sides(named: Counter[str], pair: str | None) -> bool:
    """Whether a sentence names both countries of ``pair`` (fighting between the two sides)."""
    return pair is not None and all(named[c] > 0 for c in pair.split("-"))


def _date_rank(h: DateHit) -> tuple[int, int, int]:
    """Which of two date phrases of one trigger is better: resolved, absolute, day-precise."""
    return (1 if h.value else 0, 1 if h.precision == "day" else 0, 1 if h.kind == "absolute" else 0)


def _between_other_type(c: _Cand, kept: list[_Cand], a: int, b: int) -> bool:
    """Whether a trigger of another event type lies between offsets a and b."""
    lo, hi = min(a, b), max(a, b)
    return any(
        o is not c and o.trigger.event_type != c.trigger.event_type and lo <= o.start and o.end <= hi
        for o in kept
    )


_LOCATIVE_RE = re.compile(
    r"\b(?i:in|at|near|on|from|to|into|inside|outside|across|around|of|over|toward|towards|through|via|opposite|"
    r"targeted|targeting|struck|striking|hit|hitting|bombed|bombing|pounded|shelled|shelling|attacked|attacking|raided|reached|"
    r"shook|shaking|rocked|rocking|"
    r"fled|fleeing|leaving|left|evacuated|evacuating|abandoned|abandoning|"
    # a headline's present ("Drone strike hits Heglig oil facility", "Thousands flee Sudzha")
    r"targets|strikes|hits|bombs|pounds|shells|attacks|raids|reaches|shakes|rocks|flee|flees|leave|leaves|"
    r"evacuate|evacuates|abandon|abandons|"
    # a stretch of road between two towns ("ambushed vehicles on the road between Beni and Kasindi")
    r"(?:road|highway|route|stretch|track)\s+between)"
    # up to four modifiers between: determiners, names, adjectives ("in the restive northwestern
    # Kurram district", "near the closed Torkham crossing", "near the ancient Ta Muen Thom temple");
    # not verbs ("to pressure Kabul").
    r"[\s,]+(?:(?:(?i:the|a|an|its|their|his|her|this|these|those)|[A-Z][\w’'-]*|[a-z-]+(?:ern|al|ed|ic|an|ese|ive|ing|ful|ous|ent|ant)"
    r"|(?:old|main|remote|holy|sacred|small|tiny|large|busy|key|major|big|new|vast|sprawling)"
    r"|[a-z]+['’]s)[\s,]+){0,4}$"
)
_PLACE_NOUN_AFTER_RE = re.compile(
    r"^[\s-]*(?:border\s+)?(?:crossings?|border|talks|negotiations|round|session|district|province|area|region|"
    r"city|town|village|valley|sector|tehsil|explosions?|blasts?|strikes?|attacks?|clash(?:es)?|fighting)\b",
    re.IGNORECASE,
)


_PLACE_NOUN_END_RE = re.compile(
    r"\s(?:district|province|tehsil|agency|valley|county|region|state|governorate)$", re.IGNORECASE
)


#: Talks set or scheduled "for" a venue right after: "talks are set for Doha".
_VENUE_FOR_RE = re.compile(
    r".*\b(?:set|scheduled|planned|slated)\s+for\s+(?:the\s+)?", re.IGNORECASE | re.DOTALL
)


#: A possessor's area after it: "Cabo Delgado's Palma district", "Sumy region's border villages".
_OWNED_AREA_RE = re.compile(
    r"[’']s\s+(?:(?-i:[A-Z])[\w-]*\s+){0,3}(?:border\s+)?(?:districts?|provinces?|regions?|count(?:y|ies)|"
    r"towns?|villages?|areas?|states?|governorates?|sub-districts?|tehsils?|upazilas?)\b",
    re.IGNORECASE,
)


def _governed(s: str, rs: int, re_: int) -> bool:
    """Whether a place mention at rs:re_ is where something is: after a locative preposition or a
    verb of attack ("in Kabul", "targeted Kabul"), or naming a thing ("Torkham crossing")."""
    if re.match(r"[’']s\b", s[re_ : re_ + 3]):
        return False  # "Kabul's reluctance": a possessor, not a place where something happens
    left = s[max(0, rs - 45) : rs]
    cut = max((m.end() for m in re.finditer(r"[;:()—–\"“”]", left)), default=0)
    if _LOCATIVE_RE.search(left[cut:]):
        return True
    if _PLACE_NOUN_END_RE.search(s[rs:re_]):
        return True  # the mention itself names an area: "Barmal district", "Kandahar province"
    return bool(_PLACE_NOUN_AFTER_RE.match(s[re_ : re_ + 30]))


@lru_cache(maxsize=1)
def _armed_nouns() -> frozenset[str]:
    return frozenset(row["lemma"].strip() for row in _rows("armed_nouns.csv"))


def _armed_flight(tree: Tree, c: _Cand) -> bool:
    """A verb of flight or refuge whose subject is an armed actor ("insurgents have taken refuge",
    "the gunships crossed into Afghan territory"), or a participle of flight describing one ("the
    fleeing terrorists"): no displacement of people."""
    if c.trigger.event_type != "displacement":
        return False
    t = tree.token_of(c.start, c.end)
    if t is None:
        return False
    armed = _armed_nouns()
    if tree.deps[t] in ("amod", "acl") and _armed_noun(tree, tree.heads[t], armed):
        return True  # "the fleeing terrorists", "militants fleeing the operation"
    if _armed_noun(tree, t, armed):
        return True  # "armed men who crossed from Sudan": the trigger's own people are armed
    if any(
        h == t and tree.deps[i] == "dobj" and _PEOPLE_RE.fullmatch(tree.lemmas[i])
        for i, h in enumerate(tree.heads)
    ):
        return False  # "the army relocated 300 families": the armed subject moves people, it flees nothing
    for head in (t, tree.heads[t]):
        for i, h in enumerate(tree.heads):
            if h != head or i == head or tree.deps[i] not in ("nsubj", "nsubjpass"):
                continue
            subject = i
            if tree.lemmas[i] in _RELATIVE_PRONOUNS and tree.deps[head] == "relcl":
                subject = tree.heads[head]  # "the gunmen, who fled towards the border"
            if _armed_noun(tree, subject, armed):
                return True
    return False


def _armed_noun(tree: Tree, i: int, armed: frozenset[str]) -> bool:
    """Whether token i names an armed actor: an armed noun ("gunmen"), or a noun it qualifies
    ("armed men", "militia fighters"); a verb is none ("people were forced to leave")."""
    if tree.pos[i] not in ("NOUN", "PROPN", "PRON"):
        return False
    if tree.lemmas[i] in armed:
        return True
    return any(
        h == i
        and tree.deps[k] in ("amod", "compound")
        and (tree.lemmas[k] == "armed" or tree.lemmas[k] in armed)
        for k, h in enumerate(tree.heads)
    )


_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})


#: Lemmas of verbs of flight: what people flee ("fleeing the clashes in Libya") is the cause of a
#: displacement the sentence reports, not an incident it reports.
_FLIGHT_LEMMAS = frozenset({"flee", "escape"})


def _fled_from(tree: Tree, c: _Cand) -> bool:
    """A strike or clash word that is what people flee ("fleeing the clashes", "fled from the
    fighting"): the cause of their flight, no incident of its own, unless a clause of its own
    tells it as it began ("fleeing fighting that erupted on 3 July")."""
    if c.trigger.event_type not in _FORCE_TYPES:
        return False
    t = tree.token_of(c.start, c.end)
    if t is None:
        return False
    head = tree.heads[t]
    if tree.deps[t] == "pobj" and tree.lemmas[head] == "from":
        head = tree.heads[head]
    elif tree.deps[t] != "dobj":
        return False
    # "fleeing fighting that erupted on 3 July ... for control of Rihkhawdar": told as it began
    began = any(
        tree.heads[k] == t and tree.deps[k] == "relcl" and tree.lemmas[k] in _OUTBREAK_LEMMAS
        for k in range(len(tree.heads))
    )
    return not began and tree.lemmas[head] in _FLIGHT_LEMMAS


#: Verbs that tell a fight as it began, in a clause of its own ("fighting that erupted on 3 July").
_OUTBREAK_LEMMAS = frozenset({"erupt", "break", "begin", "start", "flare", "escalate"})


def _edges(tree: Tree, a: tuple[int, int], b: tuple[int, int]) -> int:
    """Edges of the parse between the heads of two spans (a large number when unknown)."""
    i, j = tree.token_of(*a), tree.token_of(*b)
    found = tree.path(i, j) if i is not None and j is not None else None
    return found[0] if found else 99


#: Lemmas of what a crossing event closes or opens: a border, its crossings, gates and roads, trade.
_CROSSING_THINGS = frozenset(
    {
        "border",
        "crossing",
        "cross",
        "gate",
        "point",
        "post",
        "checkpoint",
        "route",
        "road",
        "highway",
        "bridge",
        "trade",
        "transit",
        "frontier",
        "passage",
        "corridor",
        "traffic",
        "supply",
        "commerce",
        "export",
        "import",
        "truck",
        "lorry",
        "vehicle",
        "container",
        "good",
        "it",
        "they",
        "which",
        "that",
        "boundary",
        "port",
        "terminal",
        "movement",
        # what a crossing is called in apposition: "the main pedestrian link between the towns"
        "link",
        "lifeline",
        "gateway",
        "artery",
    }
)
_CLOSING_LEMMAS = frozenset(
    {"close", "seal", "shut", "reopen", "open", "suspend", "block", "halt", "resume"}
    # participles the parser reads as adjectives ("remain closed") keep their own lemma
    | {"closed", "sealed", "suspended", "blocked", "halted", "reopened", "opened"}
)


#: Words whose object is an opening or closing sought or foreseen, not done: "talks on reopening
#: the crossing", "traders demanded the reopening of Torkham", "hopes the border reopens",
#: "traders expect the crossing to reopen on Friday", "failed to agree on a way to reopen it".
_SOUGHT_LEMMAS = frozenset(
    "talk negotiation discussion discuss demand call plea appeal plan effort bid hope urge seek want "
    "wish aim proposal propose push request ask expect anticipate try attempt way means".split()
)
#: Nouns of opening or closing a crossing ("the reopening of Torkham").
_OPENING_NOUNS = frozenset({"reopening", "opening", "closure", "closing"})


def _crossing_sought(tree: Tree, c: _Cand) -> bool:
    """A crossing opened or closed only as what talks, a demand or a hope are about ("talks on
    reopening the crossing are expected to continue"): no crossing event yet."""
    if c.trigger.event_type != "crossing":
        return False
    verbs = [
        i
        for i, (a, b) in enumerate(zip(tree.starts, tree.ends))
        if a >= c.start and b <= c.end and tree.lemmas[i] in _CLOSING_LEMMAS | _OPENING_NOUNS
    ]
    for v in verbs:
        for up in tree.ancestors(v)[1:4]:
            if c.start <= tree.starts[up] < c.end:
                continue
            if tree.lemmas[up].lower() in _SOUGHT_LEMMAS:
                return True
            if tree.pos[up] == "VERB" and tree.deps[up] not in ("xcomp", "pcomp", "acl", "ccomp"):
                break  # a verb of its own clause: "talks ended and the crossing reopened"
    return False


def _said_of_it(tree: Tree, c: _Cand) -> bool:
    """An event word that only says what the event just told was ("It was the first deadly clash
    on the border since 1975", "This was the worst attack in years"): the attribute of "be" whose
    subject is "it", "this" or "that", no event of its own (asked only of a sentence that names
    no place)."""
    for i, (a, b) in enumerate(zip(tree.starts, tree.ends)):
        if a < c.start or b > c.end or tree.deps[i] != "attr" or tree.pos[i] != "NOUN":
            continue
        be = tree.heads[i]
        if tree.lemmas[be] == "be" and any(
            tree.heads[j] == be
            and tree.deps[j] == "nsubj"
            and tree.lemmas[j].lower() in ("it", "this", "that")
            for j in range(len(tree.heads))
        ):
            return True
    return False


#: Verbs that make someone do what the infinitive after them says ("prompting officials to
#: suspend traffic": the traffic was suspended), unlike a decision or a plan ("decided to close").
_CAUSE_LEMMAS = frozenset({"prompt", "force", "compel", "oblige", "cause", "lead", "drive", "push"})


def _caused(tree: Tree, v: int) -> bool:
    """Whether the verb at ``v`` is a to-infinitive that its head makes happen ("prompting the
    administration to suspend")."""
    return tree.lemmas[tree.heads[v]] in _CAUSE_LEMMAS and any(
        tree.heads[i] == v and tree.deps[i] == "aux" and tree.lemmas[i] == "to"
        for i in range(max(0, v - 3), v)
    )


#: Gatherings that open and close ("the trade fair closed on Sunday"): no crossing.
_GATHERING_LEMMAS = frozenset(
    {
        "fair",
        "festival",
        "exhibition",
        "expo",
        "conference",
        "tournament",
        "match",
        "ceremony",
        "carnival",
        "mela",
    }
)


def _closed_is_not_a_crossing(tree: Tree, c: _Cand) -> bool:
    """A crossing trigger whose verb of closing closes something else ("villages along the border
    remain empty and schools closed"): no crossing event."""
    if c.trigger.event_type != "crossing":
        return False
    verbs = [
        i
        for i, (a, b) in enumerate(zip(tree.starts, tree.ends))
        if a >= c.start
        and b <= c.end
        and tree.lemmas[i] in _CLOSING_LEMMAS
        and tree.pos[i] in ("VERB", "AUX", "ADJ", "NOUN")  # ("stay shut": a noun to the parser)
    ]
    if not verbs:
        return False
    for v in verbs:
        if tree.deps[v] in ("acomp", "xcomp", "oprd") and tree.heads[v] != v and not _caused(tree, v):
            # "schools remain closed": what remains closed is the subject of "remain" (but "prompting
            # officials to suspend traffic" suspends traffic)
            v = tree.heads[v]
        args = [
            i
            for i, h in enumerate(tree.heads)
            if h == v and i != v and tree.deps[i] in ("nsubj", "nsubjpass", "dobj", "attr", "dep")
        ]
        if tree.deps[v] == "relcl" and any(tree.lemmas[i] in ("that", "which") for i in args):
            args.append(tree.heads[v])  # "a trade fair that closed on Sunday": what "that" stands for
        if any(tree.lemmas[i] in _GATHERING_LEMMAS for i in args):
            continue  # a fair or a festival closed: no crossing by this verb
        if not args or any(
            tree.lemmas[i] in _CROSSING_THINGS or _compound_of(tree, i) or tree.pos[i] == "PROPN"
            for i in args
        ):
            return False  # (a name closed: "Torkham, Chaman stay shut", the trigger's words say a crossing)
    return True


def _compound_of(tree: Tree, i: int) -> bool:
    """Whether a crossing word modifies token ``i`` ("the Torkham border crossing", "border posts")."""
    return any(
        h == i and tree.deps[k] in ("compound", "amod") and tree.lemmas[k] in _CROSSING_THINGS
        for k, h in enumerate(tree.heads)
    )


def _held_by_other_event(tree: Tree, c: _Cand, kept: list[_Cand], span: tuple[int, int]) -> bool:
    """Whether the phrase at ``span`` hangs, in the parse, from the word of another event of another
    type on its way to ``c``'s word ("talks in Istanbul had failed ... border clashes": Istanbul
    is where the talks were)."""
    found = tree.link((c.start, c.end), span)
    if found is None:
        return False
    mine, _edges, _top, path = found
    branch = set(path) - {mine}
    for o in kept:
        if o is c or o.trigger.event_type == c.trigger.event_type:
            continue
        other = tree.token_of(o.start, o.end)
        if other is not None and other in branch:
            return True
    return False


def _subject_of(tree: Tree, word: tuple[int, int], trigger: tuple[int, int]) -> bool:
    """Whether ``word`` is the subject of the trigger's verb, or owns it ("Pakistan deported",
    "Pakistan's deportation of"; not "amid Russia's invasion, people fled")."""
    i, t = tree.token_of(*word), tree.token_of(*trigger)
    if i is None or t is None:
        return False
    heads = {t, tree.heads[t]}
    return (tree.heads[i] in heads and tree.deps[i] in ("nsubj", "nsubjpass", "poss", "agent")) or (
        tree.deps[i] == "pobj" and tree.heads[tree.heads[i]] in heads and tree.deps[tree.heads[i]] == "agent"
    )


def _modifies(tree: Tree | None, word: tuple[int, int], trigger: tuple[int, int]) -> bool:
    """Whether ``word`` directly modifies the trigger's head ("border" in "border clashes")."""
    if tree is None:
        return False
    i, t = tree.token_of(*word), tree.token_of(*trigger)
    return (
        i is not None
        and t is not None
        and tree.heads[i] == t
        and tree.deps[i] in ("compound", "amod", "nmod")
    )


_CROSSING_AFTER_RE = re.compile(
    r"\s*(?:[-–]\s*[A-Z][\w’'-]+\s+)?(?:border\s+)?(?:crossing(?:\s+point)?|border\s+post|check-?post|checkpoint|"
    r"frontier\s+post|border\s+gate|gate|bridge)\b",
    re.IGNORECASE,
)


#: A known crossing this close to a town is the one a story names after it.
KNOWN_CROSSING_KM = 15.0


#: Kinds of place a crossing may be named after (its town).
_TOWN_KINDS = frozenset({"city", "town", "village"})

#: "Chaman border reopens": a town's border, for a crossing event, is the crossing there.
_BORDER_AFTER_RE = re.compile(
    r"\s*(?:[-–]\s*[A-Z][\w’'-]+\s+)?border\b(?!\s+(?:areas?|regions?|districts?|villages?|towns?))",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _known_crossing_near(lat: float, lon: float) -> dict[str, Any] | None:
    """The record of the curated crossing within :data:`KNOWN_CROSSING_KM` of a point, the
    nearest, if any (crossings more than a degree of latitude away are not measured)."""
    near = [r for r in border.crossing_records() if abs(r["lat"] - lat) < 1.0]
    best = min(near, key=lambda r: geodesic_km(lat, lon, r["lat"], r["lon"]), default=None)
    if best is None or geodesic_km(lat, lon, best["lat"], best["lon"]) > KNOWN_CROSSING_KM:
        return None
    return best


def _known_crossing(town: Place) -> Place | None:
    """The curated crossing within :data:`KNOWN_CROSSING_KM` of a town, the nearest, if any."""
    near = _known_crossing_near(town.lat, town.lon)
    if near is None:
        return None
    return Place(
        near["place_id"], near["name"], near["lat"], near["lon"], "crossing", near["country"] or town.country
    )


def _derived_crossing(town: Place) -> Place | None:
    """The crossing a story names after a town near a border ("the Kork Mon checkpoint", "the
    Sadqi crossing") that no table lists: at the border point nearest the town, its uncertainty
    the town's distance to the line."""
    known = _known_crossing(town)
    if known is not None:
        return known  # the crossing the tables know by the town ("the Chaman border crossing")
    found = border.crossing_near(town.lon, town.lat)
    if found is None:
        return None
    pair, lon, lat, km = found
    side = border.side_of(lon, lat) or town.country
    return Place(
        f"gm:crossing-near:{town.place_id}",
        f"{town.name} crossing",
        lat,
        lon,
        "crossing",
        side,
        town.admin1,
        0,
        f"geomap: the point of the {pair} line nearest {town.name} ({km} km)",
        within="crossing-near",
        extent_km=max(2.0, km),
    )


#: A compass direction in words, to an eighth of the compass ("north", "south-east", "northwest").
_DIRECTION = r"(?:north|south)(?:-?(?:east|west))?|east|west"
#: "55 km west of", "10 miles north-east of", "a town north of": a place given by its bearing (and
#: distance) from the place named after it.
_RELATIVE_RE = re.compile(
    r"(?:(?P<n>\d{1,3}(?:[.,]\d+)?)\s*-?\s*(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|mi)\b\.?\s+"
    r"(?:\([^)]{1,25}\)\s+)?)?(?:to\s+the\s+)?(?:just\s+|some\s+|about\s+)?"
    rf"(?P<dir>{_DIRECTION})\s+of\s+"
    r"(?:the\s+)?(?:(?:town|city|village|district|province|region|state)\s+of\s+"
    r"|(?:(?:provincial|regional|district|state|national)\s+)?capital\s+(?:city\s+)?(?:of\s+)?)?$",
    re.IGNORECASE,
)
#: The words before a landmark across the border from a place named just before ("the Chaman
#: crossing, opposite Afghanistan's Spin Boldak"): the place is where the event is.
_OPPOSITE_RE = re.compile(
    r"\b(?:opposite|across\s+(?:the\s+(?:border|river|frontier)\s+)?from|facing)\s+(?:the\s+)?"
    r"(?:(?-i:[A-Z])[\w-]+['’]s\s+)?$",
    re.IGNORECASE,
)
_BEARINGS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
             "southwest": 225.0, "west": 270.0, "northwest": 315.0}  # fmt: skip
#: A compass word before a country: "southern Lebanon", "north-western Pakistan".
_COUNTRY_PART_RE = re.compile(rf"\b(?:far\s+)?(?P<dir>{_DIRECTION})(?:ern)?\s+$", re.IGNORECASE)
#: How far from a place "north of X" lies when the text gives no distance (km): the reach of a
#: day's report from a town; its uncertainty is the named place's extent plus this.
RELATIVE_REACH_KM: float = 30.0
#: A bearing in words is good to an eighth of the compass: the sideways error, per km of distance.
BEARING_SPREAD: float = 0.4


def _relative_place(place: Place, s: str, start: int) -> Place | None:
    """The place "55 km west of Peshawar" names: the named place's point moved that far on that
    bearing, known to within the place's extent plus the bearing's spread; with no distance ("a
    town north of Goma"), the named point, known to within its extent plus
    :data:`RELATIVE_REACH_KM`. None when the place is named plainly."""
    m = _RELATIVE_RE.search(s, max(0, start - 60), start)
    if m is None or m.end() != start:
        return None
    direction = m.group("dir").lower().replace("-", "")
    extent = place_extent_km(place) or 0.0
    if m.group("n") is None:
        return dataclasses.replace(
            place,
            place_id=f"gm:relative:{place.place_id}:{direction}",
            name=f"{direction} of {place.name}",
            within="relative",
            extent_km=round(extent + RELATIVE_REACH_KM, 1),
        )
    km = float(m.group("n").replace(",", "."))
    if m.group("unit").lower().startswith("mi"):
        km *= 1.609344
    if not 0 < km <= 500:
        return None
    lon, lat, _back = geod().fwd(place.lon, place.lat, _BEARINGS[direction], km * 1000.0)
    return dataclasses.replace(
        place,
        place_id=f"gm:relative:{place.place_id}:{direction}:{km:.0f}",
        name=f"{km:.0f} km {direction} of {place.name}",
        lat=round(lat, 6),
        lon=round(lon, 6),
        within="relative",
        extent_km=round(max(2.0, extent + BEARING_SPREAD * km), 1),
    )


#: A place option chosen for a candidate: (rank key, place, kind, distance, start, end).
_Option = tuple[tuple[float, float], Place | None, str, float, int, int]


def _choose_place(
    c: _Cand,
    kept: list[_Cand],
    s: str,
    sent: Sentence,
    mentions: list[Mention],
    tree: Tree | None = None,
    here: Place | None = None,
) -> None:
    """The candidate's own place among the sentence's mentions and border words (and "this
    town", the town ``here`` the story was filed from): the finest one its event word governs,
    nearest through the parse, not held by another event's word."""
    best: _Option | None = None
    options = _place_options(c, kept, s, sent, mentions, here)
    for rs, re_, place, role in options:
        kind = _option_kind(c, s, tree, rs, re_, place, role)
        if kind is None or _describes(s, rs, options) or _talks_venue(c, kept, place):
            continue
        # a crossing's closing may share the crossing another event of the sentence took place at
        # ("fighting at the Torkham crossing ..., as trucks stood stranded")
        shared = kind == "crossing" and c.trigger.event_type == "crossing"
        if not shared and _option_blocked(c, kept, s, tree, rs, re_):
            continue
        dist = _span_distance(s, tree, (c.start, c.end), (rs, re_))
        if dist > 160:
            continue
        key = _option_key(c, s, tree, kind, rs, re_, dist)
        if best is None or key < best[0]:
            best = (key, place, kind, dist, rs, re_)
    if best is None:
        best = _possessor_option(c, kept, s, tree, options)
    if best is None and c.trigger.event_type == "displacement":
        best = _destination_option(c, kept, s, tree, options)
    if best is not None:
        _, place, kind, dist, start, end = best
        if c.trigger.event_type == "displacement":
            c.flight_end = _flight_end(tree, (start, end), (c.start, c.end))
        _set_place(c, s, place, kind, dist, end)
        if c.place is not None and c.place is place and kind != "country":
            c.place = _relative_place(place, s, start) or place
        elif kind == "country":
            qualifier = _COUNTRY_PART_RE.search(s, max(0, start - 20), start)
            if qualifier is not None and qualifier.end() == start:
                c.toward = _BEARINGS[qualifier.group("dir").lower().replace("-", "")]


def _possessor_option(
    c: _Cand,
    kept: list[_Cand],
    s: str,
    tree: Tree | None,
    options: list[tuple[int, int, Place | None, str]],
) -> _Option | None:
    """For an event in an area the gazetteer does not know, named after the area that holds it
    ("clashed near Pundanhar, in Cabo Delgado's Palma district"), the holding area, nearest the
    event's word."""

    def fits(rs: int, re_: int, place: Place) -> bool:
        # (not when the area held is named too: "Khost's Sabari district" is Sabari)
        return (
            place.kind != "country"
            and _OWNED_AREA_RE.match(s, re_) is not None
            and not any(re_ < o_rs <= re_ + 40 for o_rs, _e, _p, _r in options)
        )

    return _nearest_option(c, kept, s, tree, options, fits)


#: Words that name people as a population, not as a few men ("two others fled back").
_PEOPLE_RE = re.compile(
    r"\b(?:people|residents?|villagers?|famil(?:y|ies)|civilians?|households?|inhabitants?|refugees?"
    r"|migrants?|thousands?|hundreds?|wom[ae]n|child(?:ren)?)\b",
    re.IGNORECASE,
)

#: Words before the place people went to ("fled Qasr for Hermel", "moved into Mashkel town").
_WENT_TO_RE = re.compile(
    r"\b(?:for|to|towards?|into)\s+(?:the\s+)?(?:(?:town|city|village|district|camps?)\s+of\s+)?$",
    re.IGNORECASE,
)


def _destination_option(
    c: _Cand,
    kept: list[_Cand],
    s: str,
    tree: Tree | None,
    options: list[tuple[int, int, Place | None, str]],
) -> _Option | None:
    """For people who fled from a place the gazetteer does not know ("fled Qasr for Hermel"),
    the place they went to, nearest their flight's word: near where they fled from, and better
    than no place at all (which drops the event)."""

    def fits(rs: int, re_: int, place: Place) -> bool:
        return (
            place.kind not in ("country", "province")
            and _WENT_TO_RE.search(s, max(0, rs - 30), rs) is not None
            and not _where_said(s, rs, re_, place)
        )

    return _nearest_option(c, kept, s, tree, options, fits)


def _nearest_option(
    c: _Cand,
    kept: list[_Cand],
    s: str,
    tree: Tree | None,
    options: list[tuple[int, int, Place | None, str]],
    fits: Callable[[int, int, Place], bool],
) -> _Option | None:
    """The located place among ``options`` that ``fits`` and no other event's words hold,
    nearest the candidate's word through the parse (within reach), if any."""
    best: _Option | None = None
    for rs, re_, place, role in options:
        if place is None or role != "location" or not fits(rs, re_, place):
            continue
        if _option_blocked(c, kept, s, tree, rs, re_):
            continue
        dist = _span_distance(s, tree, (c.start, c.end), (rs, re_))
        if dist <= 160 and (best is None or dist < best[3]):
            best = ((dist, 0.0), place, place.kind, dist, rs, re_)
    return best


_KIND_WORDS = r"(?:region|area|district|province|county|state|valley|town|village|city|camp|post|base)"
#: What may stand between a place and an apposition that gives its bearing from another ("the
#: Sinjar region, west of Mosul", "Akcakale, a border town north of Raqqa"): the place's kind
#: word, a comma, and a kind word of the apposition.
_APPOSITION_RE = re.compile(
    rf"(?:\s+{_KIND_WORDS})?\s*,\s*(?:(?:an?|the)\s+(?:[\w-]+\s+)?{_KIND_WORDS}\s+)?$", re.IGNORECASE
)


def _describes(s: str, start: int, options: list[tuple[int, int, Place | None, str]]) -> bool:
    """Whether the place at ``start`` only gives the bearing of a place named just before it ("the
    Sinjar region, west of Mosul", "Tsorona, 30 km south of Asmara", "the Chaman crossing,
    opposite Spin Boldak"): the named place is where the event is, the other its landmark."""
    m = _RELATIVE_RE.search(s, max(0, start - 60), start) or _OPPOSITE_RE.search(s, max(0, start - 60), start)
    if m is None or m.end() != start:
        return False
    return any(
        place is not None and b <= m.start() and _APPOSITION_RE.fullmatch(s, b, m.start())
        for _a, b, place, _role in options
    )


def _place_options(
    c: _Cand, kept: list[_Cand], s: str, sent: Sentence, mentions: list[Mention], here: Place | None = None
) -> list[tuple[int, int, Place | None, str]]:
    """(start, end, place, role) of every place the candidate may be at: the sentence's mentions,
    "this town" (the town ``here`` the story was filed from), and for events other than talks
    its border words ("the border", "on the Thai side")."""
    options: list[tuple[int, int, Place | None, str]] = [
        (m.start - sent.start, m.end - sent.start, m.place, m.role) for m in mentions
    ]
    here_spans = (
        [hm.span() for hm in _HERE_RE.finditer(s)] if here is not None and here.kind in _HERE_KINDS else []
    )
    options += [(a, b, here, "location") for a, b in here_spans]
    options += _capitals_named(s)
    if c.trigger.event_type != "negotiation":
        for bm in _BORDER_RE.finditer(s):
            if any(o is not c and o.start <= bm.start() < o.end for o in kept):
                continue  # the border word of another trigger ("border offensive")
            if any(a <= bm.start() < b for a, b in here_spans):
                continue  # "this border town": the town
            options.append((bm.start(), bm.end(), None, "border"))
        words = demonym_countries()
        for sm in _SIDE_RE.finditer(s):
            if sm.group(1) in words:  # "on the Thai side": one side of the border
                options.append((sm.start(), sm.end(), None, "border"))
    return options


#: Words before the place people flee to ("heading for relatives in Gardez", "fled to Quetta").
_DESTINATION_RE = re.compile(
    r"\b(?:head(?:ing|ed|s)?\s+(?:for|to(?:wards?)?)|(?:fled|flee|fleeing|moved|evacuated|relocated)\s+to"
    # where forces go on to ("retook Kidal ... before pushing north towards Tessalit")
    r"|(?:push(?:ing|ed|es)?|advanc(?:ing|ed|es)|march(?:ing|ed|es)?|driv(?:ing|es)|mov(?:ing|ed|es))"
    r"\s+(?:(?:north|south|east|west)\w*\s+|on\s+|further\s+)?towards?"
    r"|(?:relatives|refuge|shelter|sheltering)\s+in|bound\s+for"
    # where envoys go ("South Sudan sends delegation to Port Sudan")
    r"|(?:delegations?|envoys?|ministers?|officials|mission|team)\s+(?:will\s+)?(?:to|travels?\s+to|travell?ed\s+to|visits?|visited)"
    # where the wounded were taken, not where they were hit ("taken to a hospital in Mosul")
    r"|(?:hospitals?|clinics?|medical\s+(?:centres?|centers?|facilit(?:y|ies)))(?:\s+(?:in|at))?"
    # a camp of people who fled, not a force's ("stormed a police camp in Lafey")
    r"|(?<!police\s)(?<!army\s)(?<!military\s)(?<!militant\s)(?<!security\s)(?<!training\s)(?<!rebel\s)"
    r"(?<!patrol\s)(?<!border\s)(?<!unit\s)(?<!base\s)camps?\s+in)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?$",
    re.IGNORECASE,
)
#: What may stand between a name and the closing verb it is the subject of: more names, and the
#: verb's auxiliary ("Chaman was closed to pedestrians").
_SUBJECT_NAMES_RE = re.compile(
    r"(?:\s*(?:,|and|&)\s*(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)*\s*,?\s*"
    r"(?:(?:was|were|is|are|has\s+been|have\s+been|had\s+been|remains?|remained|stays?|stayed)\s+"
    r"(?:\w+ly\s+)?)?"
)

#: "The Qatari capital", "the Afghan capital": a country's capital named by its people's word.
_CAPITAL_REF_RE = re.compile(r"\bthe\s+(?P<who>[A-Z][\w’'-]+)\s+capital\b")


def _capitals_named(s: str) -> list[tuple[int, int, Place | None, str]]:
    """Options for the capitals a sentence names by their country's people ("met in the Qatari
    capital"): the capital city of that country."""
    if "capital" not in s:
        return []
    words = demonym_countries()
    out: list[tuple[int, int, Place | None, str]] = []
    for m in _CAPITAL_REF_RE.finditer(s):
        code = words.get(m["who"])
        place = default_gazetteer().capital_of(code) if code else None
        if place is not None:
            out.append((m.start(), m.end(), place, "location"))
    return out


#: "This border town", "this city": the place the story was filed from.
_HERE_RE = re.compile(
    r"\bthis\s+(?:[\w-]+\s+){0,2}?(?:town|city|village|border\s+post|crossing)\b", re.IGNORECASE
)
_HERE_KINDS = frozenset({"city", "town", "village", "crossing"})


def _own_named_place(c: _Cand, s: str, rs: int, re_: int) -> bool:
    """Whether a place other than a country at rs:re_ is the candidate's own: governed by a
    locative ("in Kabul"), inside the trigger or sharing words with it ("the Friendship Gate
    remained closed"), the venue talks are set for ("talks are set for Doha"), a name a closing
    verb has for subject ("Torkham, Chaman stay shut") or a town the closed crossing links ("the
    bridge that links Dolow with Dollo Ado")."""
    if _governed(s, rs, re_) or (rs < c.end and re_ > c.start):
        return True
    if c.trigger.event_type == "negotiation":
        return _VENUE_FOR_RE.fullmatch(s, c.start, rs) is not None
    return c.trigger.event_type == "crossing" and (
        (re_ <= c.start and bool(_SUBJECT_NAMES_RE.fullmatch(s, re_, c.start)))
        or (rs >= c.end and _LINKING_RE.search(s, max(0, rs - 20), rs) is not None)
    )


#: A city that hosts talks, named before its verb: "Kampala will host a meeting".
_HOSTS_AFTER_RE = re.compile(
    r"\s+(?:will\s+|would\s+|is\s+(?:to|due\s+to|set\s+to|expected\s+to)\s+|(?:has\s+)?offered\s+to\s+)?"
    r"host(?:s|ed|ing)?\b",
    re.IGNORECASE,
)

#: A place named as where a unit or an office is based: "the Cooch Behar-based battalion".
_BASED_AFTER_RE = re.compile(r"[-\s](?:based|headquartered)\b", re.IGNORECASE)


def _within_words_of(tree: Tree | None, span: tuple[int, int], c: _Cand) -> bool:
    """Whether the place at ``span`` hangs, in the parse, from the candidate's own words through
    a locative preposition, no verb of speech and no subject ("Talks between ... officials in
    Santo Domingo broke down", "the declaration signed by the two leaders in Asmara"; not
    "officials in Kabul held phone talks")."""
    if tree is None:
        return False
    i, t = tree.token_of(*span), tree.token_of(c.start, c.end)
    if i is None or t is None or i == t:
        return False
    up = tree.ancestors(i)
    if t not in up:
        return False
    branch = up[1 : up.index(t)]
    return (
        bool(branch)
        and tree.deps[branch[0]] == "prep"
        and tree.lemmas[branch[0]] in ("in", "at")
        and not any(tree.lemmas[k] in SPEECH_LEMMAS for k in branch)
        # (not the seat of the talks' subject: "officials in Kabul held phone talks")
        and not any(
            tree.deps[k] in ("nsubj", "nsubjpass") and not c.start <= tree.starts[k] < c.end for k in branch
        )
    )


def _option_kind(
    c: _Cand, s: str, tree: Tree | None, rs: int, re_: int, place: Place | None, role: str
) -> str | None:
    """The kind of place an option gives the candidate, or None when it is not the event's place
    (an actor, where something was said, a place the event word does not govern)."""
    if role == "border" or place is None:
        return "border"
    kind = place.kind
    if c.trigger.event_type == "negotiation" and kind != "country" and _HOSTS_AFTER_RE.match(s, re_):
        return kind  # "Kampala will host a meeting of the joint commission": the city hosting it
    if role == "actor" and not (c.trigger.event_type == "displacement" and kind == "country"):
        return None
    if c.trigger.event_type == "negotiation" and kind != "country" and _within_words_of(tree, (rs, re_), c):
        return kind  # "talks between Haitian and Dominican officials in Santo Domingo": the talks' venue
    if _where_said(s, rs, re_, place) or _BASED_AFTER_RE.match(s, re_):
        return None  # "the Cooch Behar-based battalion opened fire": where it is based, not the fire
    if c.trigger.event_type in _FORCE_TYPES and _DESTINATION_RE.search(s, max(0, rs - 40), rs):
        return None  # "heading for relatives in Gardez": where people fled to, not where fire fell
    if (
        c.trigger.event_type == "crossing"
        and kind != "crossing"
        and _BOUND_FOR_RE.search(s, max(0, rs - 30), rs) is not None
    ):
        return None  # "trucks waiting on the road to Juba": where the road leads, not the crossing
    if kind == "line" and line_pair(place) is not None:
        return "border"  # "along the Line of Control": on that line, where the story is
    if kind == "river":
        # "on the banks of the Niger river": somewhere along a river hundreds of kilometres
        # long, so on the story's border (a border river is one), never at the river's middle
        return "border"
    if kind != "country":
        return kind if _own_named_place(c, s, rs, re_) else None
    governed = bool(_GOVERN_COUNTRY_RE.search(s[max(0, rs - 30) : rs]))
    if re.search(r"\b(?:into|inside|within)\s+(?:the\s+)?$", s[max(0, rs - 15) : rs], re.IGNORECASE):
        kind = "country-inside"  # "raids into Afghanistan": inside it, not on its border
    if c.trigger.event_type == "displacement" and not governed:
        # "Pakistan deported ...": the deporting country, when it is the subject.
        if rs > c.start or (tree is not None and not _subject_of(tree, (rs, re_), (c.start, c.end))):
            return None
    elif not governed or c.trigger.event_type == "negotiation":
        return None  # talks "in Qatar": the city is named; a country is too coarse
    return kind


def _talks_venue(c: _Cand, kept: list[_Cand], place: Place | None) -> bool:
    """Whether ``place`` is where talks of the sentence were placed, which a strike or clash does
    not share ("a ceasefire brokered in Doha, which ended a week of clashes along the border")."""
    return (
        place is not None
        and c.trigger.event_type in _FORCE_TYPES
        and any(
            o is not c
            and o.trigger.event_type == "negotiation"
            and o.place is not None
            and o.place.place_id == place.place_id
            for o in kept
        )
    )


def _option_blocked(c: _Cand, kept: list[_Cand], s: str, tree: Tree | None, rs: int, re_: int) -> bool:
    """Another event's word stands between, another proposition starts between, or the parse
    gives the place to another event word."""
    if _between_other_type(c, kept, c.start if rs < c.start else c.end, rs if rs < c.start else re_):
        return True
    lo, hi = (re_, c.start) if re_ <= c.start else (c.end, rs)
    if (tree is None or rs >= c.end) and hi > lo and _HARD_BOUNDARY_RE.search(s, lo, hi):
        # "but", "because" ... start another proposition; a place before the event word may
        # be the subject both share ("the town of Adre was ... but now hosts 200,000 refugees")
        return True
    return tree is not None and _held_by_other_event(tree, c, kept, (rs, re_))


def _option_key(
    c: _Cand, s: str, tree: Tree | None, kind: str, rs: int, re_: int, dist: float
) -> tuple[float, float]:
    """How good a place is for the candidate (lower is better): its kind's rank, adjusted for how
    the sentence ties it to the event word, then the distance."""
    rank = float(_KIND_RANK.get(kind, 3))
    if kind == "border" and (
        c.start <= rs < c.end
        or (_modifies(tree, (rs, re_), (c.start, c.end)) and not s[rs:re_].lower().startswith("cross"))
    ):
        rank = 0.5  # "cross-border fire", "border clashes": the trigger itself says where
    elif rs >= c.end and _RIGHT_AFTER_RE.fullmatch(s, c.end, rs) and s[re_ : re_ + 2] not in ("'s", "’s"):
        # "strikes on southern Lebanon": the event word's own complement ("Afghanistan's" in
        # "strikes in Afghanistan's Paktika province" only says whose the complement is), finer
        # than a border word inside the event words ("left border villages in Dand-e-Patan")
        rank = 0.4
    elif rs >= c.end and dist <= 25:
        rank -= 1  # "clashes in Kurram district", "talks in Istanbul"
    end = (
        _flight_end(tree, (rs, re_), (c.start, c.end)) if c.trigger.sub_event_type == "people fled" else None
    )
    if end is not None and kind not in ("country", "country-inside", "border"):
        # "people from Poonch town moved to relatives' homes in Jammu": people flee a place (its
        # town, not where they find shelter); across a border, the place they crossed into
        rank += _FLIGHT_END_RANK[end]
    elif c.trigger.event_type in ("displacement", "strike", "negotiation") and re.search(
        r"\bfrom\s+(?:the\s+)?(?:(?:far\s+)?(?:north|south|east|west)[\w-]*\s+)?$",
        s[max(0, rs - 30) : rs],
        re.IGNORECASE,
    ):
        # "deported from Pakistan", "rockets fired from southern Lebanon", "a committee travelled
        # from Quetta and held talks": where people or fire come from, not where it happens
        rank += 3
    if c.trigger.event_type == "crossing":
        if kind == "crossing" or _LINKING_RE.search(s, max(0, rs - 20), rs):
            # "trucks stranded at the Torkham crossing on the road to Jalalabad"; "the bridge
            # that links Dolow with Dollo Ado": the towns a crossing links are where it is
            rank -= 1
        elif _BOUND_FOR_RE.search(s, max(0, rs - 30), rs):
            rank += 3  # where the road or the trucks go, not where they stand
    return (rank + (0 if dist < 40 else 1 if dist < 80 else 2), dist)


#: How a place's part in a flight moves its rank for the flight (:func:`_flight_end`): the
#: place fled is where the flight happened, a place crossed into is where it is counted, a place
#: people went to within their country is only where they found shelter.
_FLIGHT_END_RANK = {"origin": -1.0, "crossed": -1.5, "destination": 1.5}
#: Verbs of going somewhere, whose place "in" or "at" is where people went.
_GOING_LEMMAS = frozenset({"move", "shift", "relocate", "head", "go", "take", "bring"})
#: Prepositions that tell a flight's ends, by the end they introduce.
_FLIGHT_PREPS = {
    "from": "origin",
    "of": "origin",  # "residents of Tari Mengal shifted to Parachinar"
    "out": "origin",
    "to": "destination",
    "towards": "destination",
    "toward": "destination",
    "for": "destination",
    "into": "crossed",
    "across": "crossed",
}


def _flight_end(tree: Tree | None, place: tuple[int, int], trigger: tuple[int, int]) -> str | None:
    """Which end of the flight its word governs a place as: "origin" (people "from Poonch",
    "residents of Wesh", "fled villages near Chaman"), "destination" ("moved to Jammu", "left
    for Quetta") or "crossed" ("fled into Mandera"); None when the parse does not tell (or the
    place hangs from another clause)."""
    if tree is None:
        return None
    i, t = tree.token_of(*place), tree.token_of(*trigger)
    if i is None or t is None:
        return None
    up = tree.ancestors(i)
    if t not in up or t == i:
        return None
    branch = up[: up.index(t)]  # the place's tokens up to (not including) the flight's word
    for k in reversed(branch):  # the preposition nearest the flight's word says which end
        if tree.pos[k] == "ADP" and tree.lemmas[k] in _FLIGHT_PREPS:
            return _FLIGHT_PREPS[tree.lemmas[k]]
        if tree.pos[k] == "ADP" and tree.lemmas[k] in ("in", "at") and tree.lemmas[t] in _GOING_LEMMAS:
            return "destination"  # "moved to relatives in Quetta": where they went
    if tree.deps[branch[-1]] in ("nsubj", "nsubjpass", "dobj"):
        return "origin"  # "families living near the bazaar left", "fled villages near Chaman"
    return None


#: The words before the towns a crossing links: "the bridge that links Dolow with Dollo Ado".
_LINKING_RE = re.compile(r"\b(?:linking|links|linked|connecting|connects|between)\s+$", re.IGNORECASE)
#: The words before where a road leads or traffic is bound: "on the road to Jalalabad".
_BOUND_FOR_RE = re.compile(
    r"\b(?:(?:road|roads|highway|route|way)\s+(?:to|towards)|bound\s+for|towards|headed\s+(?:for|to))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


#: What stands between an event word and the place that completes it: "strikes on southern
#: Lebanon", "shelling of the town of", "raids into".
_RIGHT_AFTER_RE = re.compile(
    rf"\s+(?:on|in|into|at|against|inside|of)\s+(?:the\s+)?(?:(?:far\s+)?(?:{_DIRECTION})(?:ern)?\s+)?",
    re.IGNORECASE,
)


def _set_place(c: _Cand, s: str, place: Place | None, kind: str, dist: float, end: int) -> None:
    """The chosen place on the candidate ("the X crossing" after a town: the crossing near it;
    a border word: resolved to the border point by the caller)."""
    c.place_kind, c.place_dist = ("country" if kind == "country-inside" else kind), dist
    c.place = place
    if (
        place is not None
        and kind in ("town", "village", "city")
        and (
            _CROSSING_AFTER_RE.match(s, end)
            or (c.trigger.event_type == "crossing" and _BORDER_AFTER_RE.match(s, end))
        )
    ):
        derived = _derived_crossing(place)
        if derived is not None:
            c.place, c.place_kind = derived, "crossing"
    if kind == "border":
        c.line = place if place is not None and line_pair(place) is not None else None
        c.place = None
        c.place_kind = "border"
