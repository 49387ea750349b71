"""The records that flow through the pipeline: articles → place mentions → events → incidents.

Plain dataclasses, so the stages stay cheap to run in worker processes and easy to test; the
public API turns lists of them into GeoDataFrames (``geomap.frames``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .schema import EVENT_TYPES, PLACE_KINDS

__all__ = ["EVENT_TYPES", "PLACE_KINDS", "Article", "Piece", "Place", "Mention", "Event", "Incident"]


#: Id prefix of a place the gazetteer lacks, put at the point of the area holding it:
#: ``gm:unlisted:<name>:<the holding area's id>``.
UNLISTED_PREFIX = "gm:unlisted:"


#: Id prefix of the place "the border" of two countries: ``gm:border-line:KH-TH``.
BORDER_LINE_PREFIX = "gm:border-line:"


def border_line_pair(place_id: str) -> str | None:
    """The pair ("KH-TH") of a border-line place id, or None for any other id."""
    return place_id[len(BORDER_LINE_PREFIX) :] if place_id.startswith(BORDER_LINE_PREFIX) else None


def holder_id(place_id: str) -> str | None:
    """The id of the area whose point an unlisted place takes, or None for any other id."""
    if not place_id.startswith(UNLISTED_PREFIX):
        return None
    parts = place_id[len(UNLISTED_PREFIX) :].split(":", 1)
    return parts[1] if len(parts) == 2 else None


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    place_id: str
    name: str
    lat: float
    lon: float
    kind: str
    country: str | None = None
    admin1: str | None = None
    population: int = 0
    source: str = ""
    #: For a place the gazetteer lacks, put at the point of the area that holds it: that area's
    #: kind ("" for the gazetteer's own places, which have their own point); "crossing-near" for a
    #: crossing named after a town near a border, put at the border point nearest the town;
    #: "relative" for a place given by bearing and distance from a named one ("55 km west of
    #: Peshawar"); "story" for a story's one border town standing for where its people fled.
    within: str = ""
    #: A radius (km) that holds the place when its point is derived (0 for the gazetteer's own).
    extent_km: float = 0.0


#: ACLED's geo-precision of each kind of place an event is put at.
_GEO_PRECISION = {
    "crossing": 1,
    "village": 1,
    "town": 1,
    "city": 1,
    "landmark": 1,
    "pass": 1,
    "district": 2,
    "region": 3,
    "province": 3,
    "sea": 3,
    "country": 3,
    "line": 3,
    "river": 3,
    "disputed-area": 3,
    "relative": 2,
}


def geo_precision(place: Place, kind: str | None) -> int:
    """ACLED's geo-precision of an event placed at ``place``: 1 a point, 2 part of a district (or
    a place known only by the area holding it), 3 a province or wider."""
    if kind == "border":
        return 3
    if place.within in ("crossing-near", "story"):
        return 2  # near the named town, on the border; the story's own town for what it leaves unplaced
    if place.within:
        return max(2, _GEO_PRECISION.get(place.within, 3))
    return _GEO_PRECISION.get(kind or "", 3)


@dataclass(frozen=True, slots=True)
class Piece:
    """A separately published story inside one article file (pages sometimes append another)."""

    start: int
    end: int
    published: date | None = None
    published_precision: str | None = None  # "day", "month" or None


@dataclass(slots=True)
class Article:
    """An article as read.

    ``text`` is the text as read (offsets of mentions slice it); ``clean`` is the same text, the
    same length, with recognised page noise (menus, repeated captions) blanked out, which is what
    later stages read. ``pieces`` are the separately published stories in the file.
    """

    name: str
    text: str
    published: date | None = None
    published_precision: str | None = None  # "day", "month" or None
    published_source: str | None = None  # "option", "header", "dateline", "html", "url" or None
    path: str | None = None
    clean: str = ""
    pieces: list[Piece] = field(default_factory=list)
    #: Where the article says it comes from: ``url``, ``title``, ``outlet`` (those it states).
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.clean:
            self.clean = self.text
        if not self.pieces:
            self.pieces = [Piece(0, len(self.text), self.published, self.published_precision)]


@dataclass(slots=True)
class Mention:
    """A place name found in an article and the gazetteer entry it resolves to."""

    article: str
    mention: str
    start: int
    end: int
    place: Place
    role: str = "location"  # location | actor | other
    confidence: float = 1.0

    def properties(self) -> dict[str, Any]:
        """Properties of the contract's place-mention Feature."""
        return {
            "article": self.article,
            "mention": self.mention,
            "start": self.start,
            "end": self.end,
            "name": self.place.name,
            "place_id": self.place.place_id,
            "kind": self.place.kind,
            "country": self.place.country,
            "role": self.role,
            "confidence": round(self.confidence, 3),
        }


@dataclass(slots=True)
class Event:
    """One incident as one sentence of one article reports it."""

    article: str
    published: date | None
    event_type: str
    sub_event_type: str
    place: Place
    geo_precision: int
    lon: float
    lat: float
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    date_precision: str | None = None  # day | month | None
    killed: int | None = None
    wounded: int | None = None
    claims: list[dict[str, Any]] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    evidence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.5
    planned: bool = False
    #: How the date was found: "stated" (a full date in the text), "published" (relative to the
    #: publication date), "inferred" (relative to the latest full date the text states), or None.
    date_basis: str | None = None
    #: The weekday a story names for an event it cannot date ("thursday"): two such events of one
    #: story on different weekdays are two incidents.
    day_hint: str | None = None
    #: The day of the story an event with no time of its own is told in (the day of the events
    #: the story dated around it, the report's or the day before): its incident's day when no
    #: report gives one. The event itself stays dated to the report's month, so it joins an
    #: incident of any day of it.
    day_told: str | None = None
    #: The land border the event involves (sorted ISO codes, "KH-TH"), when its story says.
    border: str | None = None
    #: A radius (km) that honestly holds the place, when wider than the place's own point.
    geo_uncertainty_km: float | None = None
    #: Where its article says it comes from: ``url``, ``title``, ``outlet`` (those it states).
    source: dict[str, str] = field(default_factory=dict)

    @property
    def is_reopening(self) -> bool:
        """Whether the event is a crossing's reopening (never one incident with its closing)."""
        return self.event_type == "crossing" and "reopen" in self.sub_event_type


#: What an incident's ``sources`` tell of each article besides its name, date and evidence.
SOURCE_KEYS = ("url", "title", "outlet")


@dataclass(slots=True)
class Incident:
    """A real-world incident: one or more events from one or more articles, merged."""

    id: str
    event_type: str
    sub_event_type: str
    place: str
    place_id: str
    country: str | None
    admin1: str | None
    geo_precision: int
    lon: float
    lat: float
    date: str | None
    date_precision: str | None
    killed: int | None
    wounded: int | None
    claims: list[dict[str, Any]]
    actors: list[str]
    evidence: str
    sources: list[dict[str, Any]]
    confidence: float
    planned: bool = False
    side: str | None = None
    border: str | None = None
    border_km: float | None = None
    nearest_crossing: str | None = None
    crossing_km: float | None = None
    warnings: list[str] = field(default_factory=list)
    geo_uncertainty_km: float | None = None
    date_basis: str | None = None
    killed_high: int | None = None
    wounded_high: int | None = None

    def properties(self) -> dict[str, Any]:
        """Properties of the contract's incident Feature."""
        return {
            "id": self.id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "place": self.place,
            "place_id": self.place_id,
            "country": self.country,
            "admin1": self.admin1,
            "geo_precision": self.geo_precision,
            "geo_uncertainty_km": self.geo_uncertainty_km,
            "killed": self.killed,
            "wounded": self.wounded,
            "killed_high": self.killed_high,
            "wounded_high": self.wounded_high,
            "claims": self.claims,
            "actors": self.actors,
            "evidence": self.evidence,
            "sources": self.sources,
            "confidence": round(self.confidence, 3),
            "planned": self.planned,
            "side": self.side,
            "border": self.border,
            "border_km": self.border_km,
            "nearest_crossing": self.nearest_crossing,
            "crossing_km": self.crossing_km,
            "warnings": self.warnings,
        }
