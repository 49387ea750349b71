"""Incidents: events merged so that each real-world incident appears once, with every source.

Two events are the same incident when they have the same ``event_type``, the same place (the
same ``place_id`` or points within :data:`MERGE_KM` km) and compatible dates:

- two days: at most one day apart (:data:`MERGE_DAYS`) — different days of fighting, or two rounds
  of talks at one venue weeks apart, stay apart; a group never spans more than three days;
- a month and a day, or two months: the same month ("the October 2025 clashes" joins the clash of
  October 12). When a month fits several day-dated incidents, it joins the one with most sources
  (then the earliest);
- an unknown date (None): within one article, it joins the event of the same type and place that
  the article reports nearest in the text (a later sentence about "the talks" refers to the talks
  the article dated). Across articles, it joins the most recent incident of the same type and place
  dated on or before the article's publication date; without a publication date, only a dated
  incident that is the only one of its type at that place (two undated reports stay apart).
  "That place" is the same place id or within MERGE_KM here: an undated country-level report
  does not join a dated town's incident.
  Otherwise it stays an incident of its own.

Merging runs in two passes: first within each article (duplicate sentences, a headline and its
lead), then across articles, dated groups first (by day, then month), then undated ones.
:func:`merge_events` holds every event in memory; :class:`MergeOnDisk` does the same merge, with
the same result, for a corpus of any size (``geomap extract`` uses it when no filter is given).

The merged incident keeps every source ``{article, published, evidence}``; the most precise place
(lowest ``geo_precision``) and date (a day over a month; the day most sources give, then the
earliest); every casualty claim, and ``killed``/``wounded`` as the lowest stated figure (the ACLED
rule when sources disagree). Ids are stable — a hash of type, place and date, with a
disambiguator from the evidence when two incidents share those — and incidents come sorted by date
(undated last), type and place.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import math
import os
import re
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from ._dates import find_dates
from ._numbers import rival_sides, toll_range
from .border import nearest_border, neighbours
from .distance import haversine_km
from .gazetteer import area_base, default_gazetteer, normalize
from .models import EVENT_TYPES, SOURCE_KEYS, Event, Incident, Place, border_line_pair, geo_precision

#: Where a story's headline, date lines and lede end, at the latest (characters from its start).
LEDE_CHARS: int = 1000
#: How far from a district's point a spot told after it may lie and be where its restatement
#: happened (a district is at most some 60 km across, its point near its middle).
DISTRICT_SPOT_KM: float = 60.0
#: Events at most this far apart (km) can be one incident.
MERGE_KM: float = 25.0
#: Day-dated events at most this many days apart can be one incident.
MERGE_DAYS: int = 1


def _near(a: Event, b: Event) -> bool:
    """Same place id or points within MERGE_KM."""
    return a.place.place_id == b.place.place_id or haversine_km(a.lat, a.lon, b.lat, b.lon) <= MERGE_KM


def _same_place(a: Event, b: Event) -> bool:
    """Same place id, points within MERGE_KM, or a country and a place inside it ("strikes inside
    Afghanistan" and "strikes on Kabul" on the same day are one report at two precisions)."""
    if a.place.place_id == b.place.place_id:
        return True
    for x, y in ((a, b), (b, a)):
        if (
            x.place.kind == "country"
            and x.place.country
            and y.place.kind != "country"
            and y.place.country == x.place.country
        ):
            return True
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= MERGE_KM


#: Kinds of place that lie on a border rather than on one side of it.
_ON_THE_LINE = frozenset({"line", "river", "crossing", "disputed-area", "pass"})


def _other_sides(a: Place, b: Place) -> bool:
    """Places on two sides of a border: each in a country of its own, neither on the line."""
    return bool(
        a.country
        and b.country
        and a.country != b.country
        and a.kind not in _ON_THE_LINE
        and b.kind not in _ON_THE_LINE
        and not border_line_pair(a.place_id)
        and not border_line_pair(b.place_id)
    )


#: A crossing and a town this close are one spot (the Chaman crossing and Chaman).
CROSSING_TOWN_KM: float = 5.0
#: A spot this near a district's point may lie in it (districts are often 60-100 km across): the
#: lede's district and the body's spot that its sentence puts in the district are one report.
DISTRICT_REACH_KM: float = 50.0
#: A province across the border whose point lies this near a crossing holds its other side.
CROSSING_PROVINCE_KM: float = 150.0


def _two_accounts(a: Event, b: Event) -> bool:
    """Two names of one spot: a clash told from both sides (towns facing each other across the
    border, Chaman's and Spin Boldak's accounts of one exchange of fire), a district and a spot
    near its point in its own first-level area, or a crossing and the town at it ("the Chaman
    crossing" and "Chaman" closed; a closing and a reopening stay two incidents,
    ``Event.is_reopening``)."""
    if a.event_type == b.event_type == "clash" and _other_sides(a.place, b.place) and _same_place(a, b):
        return True
    if _district_and_spot(a.place, b.place) and (
        _same_place(a, b)
        or (haversine_km(a.lat, a.lon, b.lat, b.lon) <= DISTRICT_REACH_KM and _spot_told_in_district(a, b))
    ):
        return True  # the lede's "Zhob district" and the body's "the Sambaza area of Zhob"
    return (a.place.kind == "crossing") != (b.place.kind == "crossing") and haversine_km(
        a.lat, a.lon, b.lat, b.lon
    ) <= CROSSING_TOWN_KM


def _spot_told_in_district(a: Event, b: Event) -> bool:
    """Whether the report at a spot names, in its own sentence, the district the other report is
    at ("the Kharlachi area of Kurram district" below the headline's "Kurram")."""
    district, spot = (a, b) if a.place.kind == "district" else (b, a)
    name = area_base(district.place.name)
    return bool(name) and re.search(rf"\b{re.escape(name)}\b", normalize(spot.evidence)) is not None


def _district_and_spot(a: Place, b: Place) -> bool:
    """One place a district, the other finer, both in one country's same first-level area."""
    if (a.kind == "district") == (b.kind == "district") or a.country != b.country or not a.country:
        return False
    return bool(a.admin1 and b.admin1 and normalize(a.admin1) == normalize(b.admin1))


def _own_area(area: Place, place: Place) -> bool | None:
    """For a province and a place that both name their first-level area: False when they name
    different ones, True when the same one in the same country; else (no name, or one name in
    two countries) None: not known."""
    if area.kind != "province" or not area.admin1 or not place.admin1:
        return None
    if normalize(area.admin1) != normalize(place.admin1):
        return False
    return True if area.country == place.country else None


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _accepts_day(min_day: int | None, max_day: int | None, months: Collection[str], value: str) -> bool:
    """A day-dated event fits an incident: within MERGE_DAYS of every day of it (its first and
    last, as ordinals), or in its months when it has no day."""
    if min_day is not None:
        d = _day(value).toordinal()
        return abs(d - min_day) <= MERGE_DAYS and abs(d - max_day) <= MERGE_DAYS  # type: ignore[operator]
    return not months or value[:7] in months


def _best_date(days: Mapping[str, int], dated: Mapping[str, int]) -> tuple[str | None, str | None]:
    """The day most sources give (then the earliest); else the most given month."""
    for counts, precision in ((days, "day"), (dated, "month")):
        if counts:
            top = max(counts.values())
            return min(d for d, n in counts.items() if n == top), precision
    return None, None


def _box(ev: Event) -> tuple[float, float]:
    """Half-sides (degrees of latitude, of longitude) of a box around the event's point that holds
    every point within MERGE_KM of it, a little wider than exact: the box only screens."""
    dlat = 1.01 * MERGE_KM / 110.5
    dlon = 1.1 * MERGE_KM / (111.32 * max(0.01, math.cos(math.radians(min(89.0, abs(ev.lat) + 0.3)))))
    return dlat, dlon


class _Group:
    """Events taken for one incident, with what merging asks of them kept up to date as events
    join (so a question costs the same however many reports an incident has)."""

    __slots__ = (
        "events",
        "_type",
        "_reopening",
        "_articles",
        "_days",
        "_dated",
        "_months",
        "_min_day",
        "_max_day",
        "_place_ids",
        "_points",
        "_country_level",
        "_sub_countries",
        "_best",
    )

    def __init__(self, events: list[Event]) -> None:
        self._type = events[0].event_type
        self._reopening = events[0].is_reopening
        self.events: list[Event] = []
        self._articles: set[str] = set()
        self._days: Counter[str] = Counter()
        self._dated: Counter[str] = Counter()  # every date, day or month, for the month fallback
        self._months: set[str] = set()
        self._min_day: int | None = None  # ordinals of the first and last day
        self._max_day: int | None = None
        self._place_ids: set[str] = set()
        self._points: set[tuple[float, float]] = set()
        # countries named as the place of an event; countries of the places below country level
        # (most incidents have neither, so they start as an empty tuple)
        self._country_level: set[str] | tuple[()] = ()
        self._sub_countries: set[str] | tuple[()] = ()
        self._best: tuple[str | None, str | None] | None = None
        self.add(events)

    def add(self, events: list[Event]) -> None:
        for e in events:
            self.events.append(e)
            self._articles.add(e.article)
            if e.date:
                self._dated[e.date] += 1
                self._months.add(e.date[:7])
                if e.date_precision == "day":
                    self._days[e.date] += 1
                    d = _day(e.date).toordinal()
                    self._min_day = d if self._min_day is None else min(self._min_day, d)
                    self._max_day = d if self._max_day is None else max(self._max_day, d)
            self._place_ids.add(e.place.place_id)
            self._points.add((e.lat, e.lon))
            if e.place.country:
                if e.place.kind == "country":
                    self._country_level = {*self._country_level, e.place.country}
                else:
                    self._sub_countries = {*self._sub_countries, e.place.country}
        self._best = None

    @property
    def event_type(self) -> str:
        return self._type

    def n_articles(self) -> int:
        return len(self._articles)

    def best_date(self) -> tuple[str | None, str | None]:
        """The day most sources give (then the earliest); else the most given month."""
        if self._best is None:
            self._best = _best_date(self._days, self._dated)
        return self._best

    def joinable(self, report: _Report) -> bool:
        """The report may join, dates aside: compatible, at a matching place, and not only the
        report's own article (whose reports were kept apart in pass one)."""
        return (
            all(self.compatible(e) for e in report.events)
            and any(self.place_matches(e) for e in report.events)
            and self._articles != {report.first.article}
        )

    def near_any(self, report: _Report) -> bool:
        """:meth:`near` any event of the report."""
        return any(self.near(e) for e in report.events)

    def place_matches(self, ev: Event) -> bool:
        """:func:`_same_place` with any event of the group."""
        if ev.place.place_id in self._place_ids:
            return True
        country = ev.place.country
        if country:
            if ev.place.kind == "country" and country in self._sub_countries:
                return True
            if ev.place.kind != "country" and country in self._country_level:
                return True
        return self._point_within(ev)

    def near(self, ev: Event) -> bool:
        """:func:`_near` with any event of the group."""
        return ev.place.place_id in self._place_ids or self._point_within(ev)

    def _point_within(self, ev: Event) -> bool:
        """A point of the group within MERGE_KM of the event's (a degree box first, then the
        great circle)."""
        dlat, dlon = _box(ev)
        return any(
            abs(lat - ev.lat) <= dlat
            and abs(lon - ev.lon) <= dlon
            and haversine_km(lat, lon, ev.lat, ev.lon) <= MERGE_KM
            for lat, lon in self._points
        )

    def same_article_place_matches(self, ev: Event) -> bool:
        """Within one article two differently named towns (or districts) are two reports, even
        when near; and so are places on two sides of a border (a province in Lebanon, a town in
        Israel), except for a clash; fighting at a crossing and at the town beside it is one
        (:func:`_two_accounts`). A coarse restatement ("Lebanon") joins a town's group but is no
        bridge to another town, or to a province the town is not in."""
        if (
            ev.geo_precision <= 2
            and any(
                e.geo_precision == ev.geo_precision
                and e.place.place_id != ev.place.place_id
                and not _two_accounts(e, ev)
                for e in self.events
            )
            and not any(_two_accounts(e, ev) for e in self.events if e.geo_precision < ev.geo_precision)
        ):
            # two towns, or two districts (Poonch and Rajouri): two reports; but the other side's
            # account of the group's spot joins it, whatever district the group also names
            return False
        if any(
            _own_area(e.place, ev.place) is False for e in self.events if e.geo_precision > ev.geo_precision
        ):
            return False  # the group's province is not where this place is
        # a coarser report joins what the group places more finely, if it places anything finer
        finer = [e for e in self.events if e.geo_precision < ev.geo_precision]
        return any(
            e.place.place_id == ev.place.place_id
            or _two_accounts(e, ev)
            or (
                _same_place(e, ev)
                and (e.geo_precision > 1 or ev.geo_precision > 1)
                # (a clash is fought on both sides: Chaman's and Spin Boldak's accounts are one)
                and (ev.event_type == "clash" or not _other_sides(e.place, ev.place))
            )
            for e in finer or self.events
        )

    def accepts_day(self, value: str) -> bool:
        """A day-dated event fits: within MERGE_DAYS of every day of the group, in its months."""
        return _accepts_day(self._min_day, self._max_day, self._months, value)

    def compatible(self, ev: Event) -> bool:
        """A crossing reopened and a crossing closed are two incidents, whatever their dates
        (a group holds one or the other, never both); so are people who fled and people deported
        (sub-types "people fled" and "deportation"); so are undated events one story puts on
        different weekdays ("clashes on Thursday", "clashes on Sunday")."""
        if self._reopening != ev.is_reopening:
            return False
        if ev.event_type == "displacement" and any(
            {e.sub_event_type, ev.sub_event_type} == _FLIGHT_AND_EXPULSION for e in self.events
        ):
            return False  # families who fled the fighting are not the migrants a state deported
        if ev.day_hint and not ev.date:
            return not any(
                e.day_hint and e.day_hint != ev.day_hint and not e.date and e.article == ev.article
                for e in self.events
            )
        return True

    def accepts_month(self, value: str) -> bool:
        return not self._months or value[:7] in self._months


class _Report:
    """One article's account of an incident: its events after the merge within the article.
    Only this much is kept of every article until the merge across articles, which a large
    corpus has tens of thousands of: the events, the best date and nothing else."""

    __slots__ = ("events", "value", "precision", "rid")

    def __init__(self, events: list[Event], value: str | None, precision: str | None, rid: int = -1) -> None:
        self.events = events
        self.value, self.precision = value, precision
        self.rid = rid  # its row in the on-disk store, if any

    @classmethod
    def of(cls, group: _Group) -> _Report:
        return cls(group.events, *group.best_date())

    def rank(self) -> _Rank:
        """Order of the merge across articles: dated by day, then by month, then undated."""
        return _date_rank(self.precision, self.value, self.first.article, self.first.start)

    @property
    def first(self) -> Event:
        return self.events[0]

    @property
    def event_type(self) -> str:
        return self.events[0].event_type

    def days(self) -> list[str]:
        return [e.date for e in self.events if e.date and e.date_precision == "day"]


#: The order of the merge across articles: day-dated, month-dated, undated; then date, article, offset.
_Rank = tuple[int, str, str, int]


def _date_rank(precision: str | None, value: str | None, article: str, start: int) -> _Rank:
    """Day-dated first, then month-dated, then undated; by date, then by place in the text."""
    return (0 if precision == "day" else 1 if value else 2, value or "", article, start)


#: Places that are no one spot on the ground: they never stand for the border places a story names.
_NOT_A_SPOT = frozenset({"country", "region", "province", "line", "river", "disputed-area"})


def _dated_rank(ev: Event) -> _Rank:
    return _date_rank(ev.date_precision, ev.date, ev.article, ev.start)


#: Two kinds of displacement that are never one incident: a flight and an expulsion.
_FLIGHT_AND_EXPULSION = frozenset({"people fled", "deportation"})


def _merge_within_article(events: list[Event]) -> list[_Group]:
    """Duplicates inside one article: same type and place, compatible dates; undated events join
    the nearest (in the text) event of that type and place."""
    groups: list[_Group] = []
    index = _Index()  # a long article has thousands of events: look only at groups near each

    def grouped(ev: Event, target: _Group | None) -> None:
        if target is None:
            target = _Group([ev])
            groups.append(target)
        else:
            target.add([ev])
        index.add(target, [ev])

    for ev in sorted((e for e in events if e.date), key=_dated_rank):
        target = None
        for g in index.for_events([ev]):
            if g.event_type != ev.event_type or not g.same_article_place_matches(ev) or not g.compatible(ev):
                continue
            value = ev.date or ""
            ok = g.accepts_day(value) if ev.date_precision == "day" else g.accepts_month(value)
            if ok:
                target = g
                break
        grouped(ev, target)
    for ev in sorted((e for e in events if not e.date), key=lambda e: e.start):
        cands = [
            g
            for g in index.for_events([ev])
            if g.event_type == ev.event_type and g.same_article_place_matches(ev) and g.compatible(ev)
        ]
        line_pair = border_line_pair(ev.place.place_id)
        if not cands and line_pair is not None:
            # "the border has been closed" in an article that names the closed crossing: the
            # border line stands for the border places the article reports on its two sides.
            sides = set(line_pair.split("-"))
            cands = [
                g
                for g in groups
                if g.event_type == ev.event_type
                and g.compatible(ev)
                and any(e.place.country in sides and e.place.kind not in _NOT_A_SPOT for e in g.events)
            ]
        grouped(
            ev, min(cands, key=lambda g: min(abs(e.start - ev.start) for e in g.events)) if cands else None
        )
    return _fold_one_sides_fire(_fold_restatements(groups))


#: How coarse a place is, for folding restatements: a country, a border line, a province or region.
_COARSE_RANK = {"country": 3, "line": 2.5, "river": 2.5, "province": 2, "region": 2, "disputed-area": 2}


#: The rank of a town named like the area it lies in ("Kandahar" of Kandahar Province), which the
#: headline may name for the area: coarser than a spot, finer than any area; a town named like
#: its province is coarser than one named like its district (Spin Boldak).
_TOWN_AS_AREA_RANK = {"province": 1.5, "district": 1.0}


def _coarseness(g: _Group) -> float:
    """0 when any event of the group has a place below a province, else its finest coarse rank;
    "the border" of a story (no name of its own) is coarser than a named line or area on it, and
    a town named like its area is coarser than a spot."""
    ranks = [
        (2.7 if border_line_pair(e.place.place_id) else _COARSE_RANK.get(e.place.kind, 0))
        if e.geo_precision >= 3
        else _TOWN_AS_AREA_RANK[area.kind]
        if (area := _area_of_town(e.place)) is not None
        else _TOWN_AS_AREA_RANK["district"]
        if e.place.kind == "district"
        else 0
        for e in g.events
    ]
    return min(ranks)


@functools.lru_cache(maxsize=4096)
def _area_of_town(place: Place) -> Place | None:
    """The province or district a town shares its name with and lies in (see
    :meth:`~geomap.gazetteer.Gazetteer.area_named_like`)."""
    if place.kind not in ("city", "town"):
        return None
    return default_gazetteer().area_named_like(place)


def _as_area(ev: Event) -> Event:
    """A report at a town named like its area, put at the area it restates."""
    area = _area_of_town(ev.place)
    if area is None:
        return ev
    return dataclasses.replace(
        ev, place=area, lat=area.lat, lon=area.lon, geo_precision=geo_precision(area, area.kind)
    )


def _town_as_area(coarse: Event, fine: Event) -> bool:
    """Whether a town named like its area restates, as that area, an event told after it at a
    spot inside the area: the headline's "strike in Kandahar" over the body's "Shorabak district
    of Kandahar province". A toll of its own that the spot's event does not state is another
    incident ("two killed in Kandahar city", then "five in Shorabak")."""
    area = _area_of_town(coarse.place)
    if area is None or fine.start <= coarse.start or fine.place.place_id == coarse.place.place_id:
        return False
    if coarse.killed is not None and coarse.killed not in {c.get("killed") for c in fine.claims} | {
        fine.killed
    }:
        return False
    if area.kind == "province":
        return _own_area(area, fine.place) is True
    return (
        _district_and_spot(area, fine.place)
        and haversine_km(area.lat, area.lon, fine.lat, fine.lon) <= MERGE_KM
    )


def _pair_of(ev: Event) -> str | None:
    """The border a line-shaped place lies on: its own pair, or the line nearest its point."""
    pair = border_line_pair(ev.place.place_id)
    if pair is None and ev.place.kind in ("line", "river"):
        pair = nearest_border(ev.lon, ev.lat)[0]
    return pair


def _within_scope(coarse: Event, fine: Event) -> bool:
    """Whether ``fine`` lies inside what ``coarse`` names: the country, a country of the border
    line's pair, or (a province or region) the same country within 300 km (any country, for a
    region of several), and for a province the same first-level area where both places name
    theirs. People fleeing one country into a neighbour are one displacement, told from either
    side."""
    if fine.place.kind == "country" and coarse.place.kind != "country":
        return False  # a country is inside no province or border line
    if coarse.geo_precision < 3 and coarse.place.kind == "district":
        # the headline's or lede's "fighting in Kurram district" over the body's "checkposts in
        # the Teri Mangal area": a spot of the district the body tells
        return (
            coarse.start <= LEDE_CHARS
            and fine.start > coarse.start
            and _district_and_spot(coarse.place, fine.place)
            and haversine_km(coarse.lat, coarse.lon, fine.lat, fine.lon) <= DISTRICT_SPOT_KM
        )
    if coarse.geo_precision < 3:
        return _town_as_area(coarse, fine)
    pair = _pair_of(coarse)
    if pair is not None:
        sides = pair.split("-")
        if coarse.event_type == "negotiation":
            return True  # a ceasefire "on the border" of a story whose talks have a venue abroad
        return fine.place.country in sides or _pair_of(fine) == pair
    if coarse.place.kind == "country":
        country = coarse.place.country
        fine_pair = _pair_of(fine)
        if fine.place.country == country or bool(fine_pair and country in fine_pair.split("-")):
            return True
        return bool(
            coarse.event_type == "displacement"
            and country
            and fine.place.country
            and fine.place.country in neighbours(country)
        )
    if (
        fine.place.kind == "crossing"
        and coarse.place.kind == "province"
        and coarse.place.country in neighbours(fine.place.country or "")
    ):
        # a crossing is in the provinces of both its sides: "officials in Nangarhar" tell of
        # the clash at Torkham, which the tables put on the Pakistani side
        return haversine_km(coarse.lat, coarse.lon, fine.lat, fine.lon) <= CROSSING_PROVINCE_KM
    own = _own_area(coarse.place, fine.place)
    if own is not None:
        # a province holds the places of its own area, however large it is ("Texas" in the
        # headline, Laredo in the body), and no other: "Nabatieh" (the province) is not the
        # restatement of a strike at a crossing in the Bekaa
        return own
    # a region of several countries ("Kurdistan", "the Sahel") holds what lies near its point
    same = fine.place.country == coarse.place.country and fine.place.country is not None
    shared = coarse.place.country is None and coarse.place.kind == "region"
    return (same or shared) and haversine_km(coarse.lat, coarse.lon, fine.lat, fine.lon) <= 300


def _dates_fit(coarse: _Group, target: _Group) -> bool:
    """The restatement's dates fit the target's; one dated only to a month needs a dated target
    ("In August, shelling killed three" is not known to be the undated attack of the lede)."""
    dated = [e for e in coarse.events if e.date]
    if dated and all(e.date_precision != "day" for e in dated) and not any(e.date for e in target.events):
        return False
    return all(
        not e.date
        or (target.accepts_day(e.date) if e.date_precision == "day" else target.accepts_month(e.date))
        for e in coarse.events
    )


def _fold_restatements(groups: list[_Group]) -> list[_Group]:
    """One article restates an incident at a coarser place: the headline's "Afghanistan" or "the
    border", the lede's province. A group placed only at a country, a border line or a province
    folds into the group of the same type (and fitting dates) that it contains, the nearest in the
    text; the coarsest fold first, so a country folds into its border line and both into a town."""
    order = sorted(range(len(groups)), key=lambda i: -_coarseness(groups[i]))
    gone: set[int] = set()
    for i in order:
        g = groups[i]
        rank = _coarseness(g)
        if rank == 0:
            continue
        cands = [
            t
            for j, t in enumerate(groups)
            if j != i
            and j not in gone
            and t.event_type == g.event_type
            and _coarseness(t) < rank
            and all(t.compatible(e) for e in g.events)
            and _dates_fit(g, t)
            and all(any(_within_scope(c, f) for f in t.events) for c in g.events)
        ]
        if not cands:
            continue
        target = min(cands, key=lambda t: min(abs(e.start - c.start) for e in t.events for c in g.events))
        target.add([_as_area(e) for e in g.events] if rank < min(_COARSE_RANK.values()) else g.events)
        gone.add(i)
    return [g for i, g in enumerate(groups) if i not in gone]


#: How far across the border from a fight one side's undated account of shelling may be placed
#: and still tell that fight ("Pakistani shells struck Spin Boldak", across the gate from the
#: fight at the Chaman crossing).
ACROSS_KM: float = 20.0


def _across_from(shelling: _Group, fight: _Group) -> bool:
    """Whether a shelling that the story gives no time of its own lies just across the border
    from the fight: in the other country of the two, within ACROSS_KM of it."""
    if any(e.date for e in shelling.events):
        return False
    return any(
        s.place.country
        and f.place.country
        and s.place.country != f.place.country
        and haversine_km(s.lat, s.lon, f.lat, f.lon) <= ACROSS_KM
        for s in shelling.events
        for f in fight.events
    )


def _at_fight(shelling: _Group, fight: _Group) -> bool:
    """Whether shelling lies at the spot of a fight: at its very place, or, when its sentence
    gives the shelling no day of its own, within MERGE_KM of it or in the district it names ("mortar
    shells landed near villages", told by residents of Parachinar, of the exchange of fire in
    Kurram), on the fight's side of the border; never at a country, a province or a border
    line."""
    spots = [
        e
        for e in shelling.events
        if e.place.kind not in _NOT_A_SPOT and border_line_pair(e.place.place_id) is None
    ]
    if {e.place.place_id for e in spots} & {e.place.place_id for e in fight.events}:
        return True
    if any(_own_day(e) for e in shelling.events):
        return False  # shelling its sentence dates to a day, elsewhere, is an incident of its own
    # (across the border, only an account with no time at all: :func:`_across_from`)
    return any(
        (_near(s, f) or _two_accounts(s, f)) and not _other_sides(s.place, f.place)
        for s in spots
        for f in fight.events
    )


def _own_day(ev: Event) -> bool:
    """Whether the event's own sentence tells its day (not a day it took from the story)."""
    return ev.date_precision == "day" and any(
        h.kind in ("absolute", "relative") and h.precision != "month"  # (None: a day of no year known)
        for h in find_dates(ev.evidence, ev.published)
    )


def _fold_one_sides_fire(groups: list[_Group]) -> list[_Group]:
    """One side's account of an exchange of fire that the article reports ("soldiers exchanged
    fire near the temple on Sunday ... Thai artillery had shelled positions near the temple"):
    shelling at the spot of a fight the story dates to its day (:func:`_at_fight`; not merely
    on the same border), on no other day, is that fight, not a second incident; so is shelling given no time
    of its own just across the border from the fight (:func:`_across_from`).
    Each such shelling group folds into the fight's group that it shares a place with, the
    nearest in the text."""
    fights = [g for g in groups if g.event_type == "clash"]
    if not fights:
        return groups
    gone: set[int] = set()
    for i, g in enumerate(groups):
        if g.event_type != "strike" or any(e.sub_event_type != "shelling/artillery" for e in g.events):
            continue
        cands = [
            t
            for t in fights
            if (_at_fight(g, t) or _across_from(g, t))
            and any(e.date_precision == "day" for e in t.events)  # a fight the story dates
            # (a sentence that tells both was read as telling two)
            and not {e.start for e in g.events} & {e.start for e in t.events}
            and all(t.compatible(e) for e in g.events)
            and _dates_fit(g, t)
        ]
        if cands:
            min(cands, key=lambda t: min(abs(e.start - c.start) for e in t.events for c in g.events)).add(
                g.events
            )
            gone.add(i)
    return [g for i, g in enumerate(groups) if i not in gone]


#: Grid cell (degrees) of the spatial index: larger than MERGE_KM, so neighbours are enough.
_CELL_DEG = 0.5


def _cell(ev: Event) -> tuple[int, int]:
    return int(math.floor(ev.lat / _CELL_DEG)), int(math.floor(ev.lon / _CELL_DEG))


def _cells_around(ev: Event) -> list[tuple[int, int]]:
    """The event's cell and those around it that may hold a point within MERGE_KM."""
    cy, cx = _cell(ev)
    # Cells are narrower in kilometres away from the equator: look as far as MERGE_KM.
    km_per_cell = 111.32 * _CELL_DEG * max(0.05, math.cos(math.radians(ev.lat)))
    reach = max(1, math.ceil(MERGE_KM / km_per_cell))
    return [(cy + dy, cx + dx) for dy in (-1, 0, 1) for dx in range(-reach, reach + 1)]


class _Index:
    """Finds the merged incidents an event may join without looking at every incident: by place
    id, by grid cell (points within MERGE_KM lie in neighbouring cells), and by country for the
    country-level reports that join places inside their country."""

    def __init__(self) -> None:
        self.order: dict[int, int] = {}
        self.by_place: dict[tuple[str, str], dict[int, _Group]] = {}
        self.by_cell: dict[tuple[str, int, int], dict[int, _Group]] = {}
        self.by_country: dict[tuple[str, str], dict[int, _Group]] = {}
        self.country_level: dict[tuple[str, str], dict[int, _Group]] = {}

    @staticmethod
    def _put(table: dict[Any, dict[int, _Group]], key: tuple[Any, ...], g: _Group) -> None:
        table.setdefault(key, {})[id(g)] = g

    def add(self, g: _Group, events: list[Event]) -> None:
        self.order.setdefault(id(g), len(self.order))
        for e in events:
            t = e.event_type
            self._put(self.by_place, (t, e.place.place_id), g)
            self._put(self.by_cell, (t, *_cell(e)), g)
            if e.place.country:
                self._put(self.by_country, (t, e.place.country), g)
                if e.place.kind == "country":
                    self._put(self.country_level, (t, e.place.country), g)

    def candidates(self, g: _Group | _Report) -> list[_Group]:
        """Merged incidents that may share a place with g, in the order they were made."""
        return self.for_events(g.events)

    def for_events(self, events: Iterable[Event]) -> list[_Group]:
        """Groups that may share a place with any of ``events``, in the order they were made."""
        found: dict[int, _Group] = {}
        for e in events:
            t = e.event_type
            buckets = [self.by_place.get((t, e.place.place_id), {})]
            buckets += [self.by_cell.get((t, cy, cx), {}) for cy, cx in _cells_around(e)]
            if e.place.country:
                table = self.by_country if e.place.kind == "country" else self.country_level
                buckets.append(table.get((t, e.place.country), {}))
            for bucket in buckets:
                found.update(bucket)
        return sorted(found.values(), key=lambda m: self.order[id(m)])


class _Merged(Protocol):
    """What the merge across articles asks of an incident it may join (a :class:`_Group` in
    memory, a :class:`_StoredIncident` on disk)."""

    def accepts_day(self, value: str) -> bool: ...
    def accepts_month(self, value: str) -> bool: ...
    def joinable(self, report: _Report) -> bool: ...
    def near_any(self, report: _Report) -> bool: ...
    def best_date(self) -> tuple[str | None, str | None]: ...
    def n_articles(self) -> int: ...


class _Incidents(Protocol):
    """The incidents of a merge across articles, wherever they are kept."""

    def candidates(self, report: _Report) -> Sequence[_Merged]: ...
    def take(self, report: _Report, target: _Merged | None) -> None: ...


class _InMemory:
    """The merge's incidents as groups of events in memory, found through an :class:`_Index`."""

    def __init__(self) -> None:
        self.groups: list[_Group] = []
        self._index = _Index()

    def candidates(self, report: _Report) -> list[_Group]:
        """Incidents of the report's type that may share a place with it, oldest first."""
        return [m for m in self._index.candidates(report) if m.event_type == report.event_type]

    def take(self, report: _Report, target: _Merged | None) -> None:
        """The report joins ``target``, or makes a new incident."""
        if target is None:
            group = _Group(report.events)
            self.groups.append(group)
        else:
            group = target  # type: ignore[assignment]
            group.add(report.events)
        self._index.add(group, report.events)


def _choose(report: _Report, cands: Sequence[_Merged]) -> _Merged | None:
    """The incident a report joins among the candidates (oldest first), or None for a new one.
    Candidates the date or the place rules out may be missing from ``cands``; none may be added."""
    value, precision = report.value, report.precision
    if precision == "day":
        days = report.days()
        # The cheap date test first, the place test only for incidents the date allows.
        return next((m for m in cands if all(m.accepts_day(d) for d in days) and m.joinable(report)), None)
    if precision == "month":
        fits = [m for m in cands if m.accepts_month(value) and m.joinable(report)]  # type: ignore[arg-type]
        return max(fits, key=lambda m: (m.n_articles(), -_order_key(m))) if fits else None
    # Undated: only at the very place (a country does not stand for a town here; that would be a
    # guess on both the date and the place).
    same = [m for m in cands if m.joinable(report) and m.near_any(report)]
    published = [e.published for e in report.events if e.published]
    if published:
        limit = _undated_limit(max(published))
        fits = [m for m in same if (m.best_date()[0] or "9999") <= limit]
        return max(fits, key=lambda m: (m.best_date()[0] or "", m.n_articles())) if fits else None
    # Neither report nor incident dated: nothing says they are one (two undated clashes on one
    # border, years apart); only an incident a date was found for may take it.
    return same[0] if len(same) == 1 and same[0].best_date()[0] is not None else None


def _undated_limit(published: date) -> str:
    """The latest date an undated report published then can refer to: the publication day, or
    the whole month of a publication date known to the month only (read as its 1st)."""
    return published.isoformat() if published.day != 1 else f"{published.year:04d}-{published.month:02d}-31"


def _merge_across(reports: Iterable[_Report], incidents: _Incidents) -> None:
    """Reports (in :meth:`_Report.rank` order) merged into ``incidents``."""
    for report in reports:
        incidents.take(report, _choose(report, incidents.candidates(report)))


def _order_key(g: _Merged) -> float:
    value, _ = g.best_date()
    if not value:
        return 0.0
    return float(_day(value if len(value) == 10 else value + "-01").toordinal())


class _AtPlace:
    """What building an incident keeps of its events at one place id: how many there are, the
    one that may give the incident its place and the one that may lead it, with their sort keys
    (which end with the join order, so that ties go to the first event, as min() and max() over
    the events would)."""

    __slots__ = ("lead", "lead_event", "n", "spot", "spot_event")

    def __init__(self, spot: tuple[Any, ...], lead: tuple[Any, ...], event: Event) -> None:
        self.n = 1
        self.spot, self.spot_event = spot, event
        self.lead, self.lead_event = lead, event

    def add(self, spot: tuple[Any, ...], lead: tuple[Any, ...], event: Event) -> None:
        self.n += 1
        if spot < self.spot:
            self.spot, self.spot_event = spot, event
        if lead > self.lead:
            self.lead, self.lead_event = lead, event


def _incident(g: _Group) -> Incident:
    """The incident of a group of events in memory."""
    return _incident_from(*g.best_date(), g.events, sorted(g.events, key=lambda e: (e.article, e.start)))


_WORDING_RE = re.compile(r"[\W_]+")


def _wording_key(evidence: str) -> int:
    """One key for the copies of one wording: the syndicated copies of a wire story (the same
    sentence in several outlets) corroborate an incident once, not once per outlet."""
    return hash(_WORDING_RE.sub(" ", evidence.casefold()).strip())


def _incident_from(
    value: str | None, precision: str | None, joined: Iterable[Event], by_source: Iterable[Event]
) -> Incident:
    """The incident of a group's events, given its best date and its events twice: in the order
    they joined (for its place, lead event, actors and confidence), then by article and place in
    the text, ties in that order (for its claims and sources). Only a few events of each place and
    the outputs are held, so an incident with thousands of reports need not be in memory at once.

    The place is the most precise event's (then the place most events name, then the narrowest
    extent: of the reports put on one border line, the one nearest a named place; then the first
    by article and position); the lead event (dated as the incident, not planned, at its place, most
    confident, earliest in the text, then the first to join) gives the evidence and sub-type."""
    at: dict[str, _AtPlace] = {}  # by place id
    actors: dict[str, None] = {}
    told: set[str] = set()  # the days the stories tell its undated reports in
    borders: Counter[str] = Counter()
    bases: set[str] = set()
    planned, event_type = True, ""
    stories: dict[int, float] = {}  # best confidence per distinct wording (wire copies: one)
    for seq, e in enumerate(joined):
        event_type = event_type or e.event_type
        spot = (e.geo_precision, e.geo_uncertainty_km or 0.0, e.article, e.start, seq)
        lead = (e.date == value, not e.planned, e.confidence, -e.start, -seq)
        here = at.get(e.place.place_id)
        if here is None:
            at[e.place.place_id] = _AtPlace(spot, lead, e)
        else:
            here.add(spot, lead, e)
        actors.update(dict.fromkeys(e.actors))
        if e.border:
            borders[e.border] += 1
        if e.date_basis and e.date and value and e.date[: len(value)] == value:
            bases.add(e.date_basis)
        wording = _wording_key(e.evidence)
        stories[wording] = max(stories.get(wording, 0.0), e.confidence)
        planned = planned and e.planned
        if e.day_told and e.date_precision != "day":
            told.add(e.day_told)
    if precision != "day":
        value, precision = _day_told(value, precision, told)
    best_place = min(at.values(), key=lambda a: (a.spot[0], -a.n, *a.spot[1:])).spot_event
    best_id = best_place.place.place_id
    lead_event = max(at.items(), key=lambda kv: (*kv[1].lead[:2], kv[0] == best_id, *kv[1].lead[2:]))[
        1
    ].lead_event
    claims: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    sources = []
    seen_src = set()
    for e in by_source:
        for c in e.claims:
            key = (c.get("killed"), c.get("wounded"), c.get("text"), c.get("article"))
            if key not in seen:
                seen.add(key)
                claims.append(dict(c))
        src = (e.article, e.evidence)
        if src not in seen_src:
            seen_src.add(src)
            sources.append(
                {
                    "article": e.article,
                    "published": e.published.isoformat() if e.published else None,
                    "evidence": e.evidence,
                    **{key: e.source.get(key) for key in SOURCE_KEYS},
                }
            )
    conf = 1.0
    for best in stories.values():
        conf *= 1.0 - max(0.0, min(0.99, best))
    killed, killed_high = toll_range(claims, "killed", rival_sides(event_type))
    wounded, wounded_high = toll_range(claims, "wounded", rival_sides(event_type))
    place = best_place.place
    return Incident(
        id="",
        event_type=event_type,
        sub_event_type=lead_event.sub_event_type,
        place=place.name,
        place_id=place.place_id,
        country=place.country,
        admin1=place.admin1,
        geo_precision=best_place.geo_precision,
        lon=best_place.lon,
        lat=best_place.lat,
        date=value,
        date_precision=precision,
        killed=killed,
        wounded=wounded,
        killed_high=killed_high,
        wounded_high=wounded_high,
        claims=claims,
        actors=list(actors),
        evidence=lead_event.evidence,
        sources=sources,
        confidence=round(min(0.99, 1.0 - conf), 3),
        planned=planned,
        border=min(borders, key=lambda k: (-borders[k], k)) if borders else None,
        geo_uncertainty_km=best_place.geo_uncertainty_km,
        date_basis=next((b for b in ("stated", "published", "inferred") if b in bases), None)
        if value
        else None,
    )


def _day_told(value: str | None, precision: str | None, told: set[str]) -> tuple[str | None, str | None]:
    """An incident no report dates to the day takes the day its stories tell it in
    (:attr:`Event.day_told`), when all that tell one agree and the day falls in its month."""
    if len(told) != 1:
        return value, precision
    (day,) = told
    if value is not None and day[:7] != value:
        return value, precision
    return day, "day"


def _sort_key(inc: Incident) -> tuple[bool, str, int, str, str, str]:
    type_rank = EVENT_TYPES.index(inc.event_type) if inc.event_type in EVENT_TYPES else 99
    return (inc.date is None, inc.date or "", type_rank, inc.place, inc.place_id, inc.evidence)


def incident_id(event_type: str, place_id: str, value: str | None) -> str:
    """The stable id of an incident: a hash of its type, place and date."""
    raw = f"{event_type}|{place_id}|{value or ''}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def merge_events(events: list[Event]) -> list[Incident]:
    """Merge events (of one or many articles) into incidents, in a deterministic order."""
    by_article: dict[str, list[Event]] = {}
    for ev in events:
        by_article.setdefault(ev.article, []).append(ev)
    reports: list[_Report] = []
    for name in sorted(by_article):
        reports.extend(_Report.of(g) for g in _merge_within_article(by_article.pop(name)))
    reports.sort(key=_Report.rank)
    merged = _InMemory()
    _merge_across(reports, merged)
    incidents = [_incident(g) for g in merged.groups]
    incidents.sort(key=_sort_key)
    used: Counter[str] = Counter()
    for inc in incidents:
        _assign_id(inc, used)
    return incidents


def _assign_id(inc: Incident, used: Counter[str]) -> None:
    """Give ``inc`` its stable id; ``used`` counts the ids given so far, in the incidents' order."""
    base = incident_id(inc.event_type, inc.place_id, inc.date)
    used[base] += 1
    if used[base] == 1:
        inc.id = base
    else:
        tag = hashlib.sha1(
            "|".join(s["article"] + s["evidence"] for s in inc.sources).encode("utf-8")
        ).hexdigest()[:4]
        inc.id = f"{base}-{tag}"


# ---------------------------------------------------------------------------------------------
# The same merge for a corpus of any size: events on disk


def _event_json(ev: Event) -> str:
    d = {f: getattr(ev, f) for f in Event.__dataclass_fields__}
    d["place"] = {f: getattr(ev.place, f) for f in Place.__dataclass_fields__}
    d["published"] = ev.published.isoformat() if ev.published else None
    return json.dumps(d, ensure_ascii=False, allow_nan=False)


def _event_from_json(text: str) -> Event:
    d = json.loads(text)
    d["place"] = Place(**d["place"])
    d["published"] = date.fromisoformat(d["published"]) if d["published"] else None
    return Event(**d)


def _incident_json(inc: Incident) -> str:
    return json.dumps(
        {f: getattr(inc, f) for f in Incident.__dataclass_fields__}, ensure_ascii=False, allow_nan=False
    )


class _StoredIncident:
    """An incident of the merge on disk as a candidate query returns it: what the merge asks of
    it, and what the query found of its place (the same place id, a country and a place inside
    it, a point in the box around an event of the report)."""

    __slots__ = (
        "_store",
        "gid",
        "reopening",
        "articles",
        "sole",
        "min_day",
        "max_day",
        "months",
        "dates",
        "best",
        "_at_place",
        "_in_country",
        "_in_box",
        "_near_point",
    )

    def __init__(self, store: _OnDisk, row: tuple[Any, ...]) -> None:
        self._store = store
        (
            self.gid,
            reopening,
            self.articles,
            self.sole,
            self.min_day,
            self.max_day,
            months,
            self.dates,
            value,
            precision,
            self._at_place,
            self._in_country,
            self._in_box,
        ) = row
        self.reopening = bool(reopening)
        self.months = set(months.split(",")) if months else set()
        self.best: tuple[str | None, str | None] = (value, precision)
        self._near_point: bool | None = None

    def accepts_day(self, value: str) -> bool:
        return _accepts_day(self.min_day, self.max_day, self.months, value)

    def accepts_month(self, value: str) -> bool:
        return not self.months or value[:7] in self.months

    def joinable(self, report: _Report) -> bool:
        """:meth:`_Group.joinable`."""
        return (
            all(self.reopening == e.is_reopening for e in report.events)
            and (self._at_place or self._in_country or self._point_within(report))
            and not (self.articles == 1 and self.sole == report.first.article)
        )

    def near_any(self, report: _Report) -> bool:
        """:meth:`_Group.near_any`."""
        return bool(self._at_place) or self._point_within(report)

    def _point_within(self, report: _Report) -> bool:
        """A point of the incident within MERGE_KM of an event of the report (asked of the file
        only when one lies in the box around an event)."""
        if self._near_point is None:
            self._near_point = bool(self._in_box) and self._store.point_within(self.gid, report)
        return self._near_point

    def best_date(self) -> tuple[str | None, str | None]:
        return self.best

    def n_articles(self) -> int:
        return int(self.articles)


#: Degrees added around an event's box in SQL, so that rounding there never drops a point that the
#: exact test in Python takes.
_SLACK_DEG = 1e-6

_KEYS_IN = "SELECT gid FROM group_keys WHERE key IN (SELECT value FROM json_each(:{}))"
#: (The screen reads the inner query's columns by name: a WHERE of the same query may not name
#: its own SELECT's columns in PostgreSQL.)
_CANDIDATES = (
    "SELECT gid, reopening, articles, sole, min_day, max_day, months, dates, best_value, best_precision,"
    " at_place, in_country, in_box FROM ("
    "SELECT g.gid, g.reopening, g.articles, g.sole, g.min_day, g.max_day, g.months, g.dates, g.best_value,"
    f" g.best_precision, g.gid IN ({_KEYS_IN.format('at')}) AS at_place,"
    f" g.gid IN ({_KEYS_IN.format('country')}) AS in_country, {{in_box}} AS in_box"
    f" FROM groups g WHERE g.gid IN ({_KEYS_IN.format('keys')})"
    " AND g.reopening = :reopening AND (g.articles > 1 OR g.sole IS NOT :article)"
    ") c WHERE 1 = 1{screen} ORDER BY gid"
)
#: Screens by date and place that drop only incidents the exact tests of _choose refuse.
_SCREENS = {
    "day": " AND (min_day IS NULL OR (min_day >= :lo AND max_day <= :hi))",
    "month": " AND (months = '' OR instr(c.months, :month) > 0)",
    None: " AND (at_place OR in_box)",
    # undated, published
    "published": " AND (at_place OR in_box) AND coalesce(best_value, '9999') <= :limit",
}


#: Reports with more events than this give their events' boxes to SQL as one JSON parameter
#: (``:boxes``) instead of an ``OR`` of one test per box: the parse tree of an ``OR`` grows a
#: level per box (SQLite refuses more than 1,000) and each box takes four of SQLite's at most
#: 32,766 parameters, so a long repetitive article made the query fail.
_BOX_TERMS_MAX = 32

_IN_ANY_BOX = (
    "EXISTS (SELECT 1 FROM group_points p, json_each(:boxes) b WHERE p.gid = g.gid"
    " AND p.lat BETWEEN json_extract(b.value, '$[0]') AND json_extract(b.value, '$[1]')"
    " AND p.lon BETWEEN json_extract(b.value, '$[2]') AND json_extract(b.value, '$[3]'))"
)


@functools.lru_cache(maxsize=64)
def _candidate_sql(screen: str | None, n_events: int) -> str:
    """The query of a report's candidates (screened as :data:`_SCREENS` says), with a box for each
    of its events: one test per box (parameters ``:s0``, ``:n0``, ``:w0``, ``:e0``, ...) up to
    :data:`_BOX_TERMS_MAX` events, else one test over the boxes in ``:boxes`` (a JSON list of
    ``[south, north, west, east]``), whose size does not grow with the number of events."""
    if n_events > _BOX_TERMS_MAX:
        return _CANDIDATES.format(in_box=f"({_IN_ANY_BOX})", screen=_SCREENS[screen])
    in_box = " OR ".join(
        f"EXISTS (SELECT 1 FROM group_points p WHERE p.gid = g.gid AND p.lat BETWEEN :s{k} AND :n{k}"
        f" AND p.lon BETWEEN :w{k} AND :e{k})"
        for k in range(n_events)
    )
    return _CANDIDATES.format(in_box=f"({in_box})", screen=_SCREENS[screen])


def _box_params(boxes: list[list[float]]) -> dict[str, object]:
    """The parameters of :func:`_candidate_sql`'s box test for these boxes."""
    if len(boxes) > _BOX_TERMS_MAX:
        return {"boxes": json.dumps(boxes)}
    params: dict[str, object] = {}
    for k, box in enumerate(boxes):
        params.update(zip((f"s{k}", f"n{k}", f"w{k}", f"e{k}"), box))
    return params


class _OnDisk:
    """The merge's incidents in the SQLite file of a :class:`MergeOnDisk`: one row of what merging
    asks of each (articles, days, months, best date), and tables that find them by place id, grid
    cell, country and point, as :class:`_Index` does in memory. Memory holds none of them, so it
    does not grow with the number of incidents: a report's candidates come from one query,
    screened by date and place in SQL."""

    SCHEMA = (
        "CREATE TABLE groups (gid INTEGER PRIMARY KEY, reopening INTEGER NOT NULL, articles INTEGER NOT NULL,"
        " sole TEXT, min_day INTEGER, max_day INTEGER, months TEXT NOT NULL, dates TEXT NOT NULL,"
        " best_value TEXT, best_precision TEXT);"
        # keys: 'p TYPE PLACE_ID', 'c TYPE ROW COLUMN' (grid cell), 'l TYPE COUNTRY' (the country is
        # an event's place), 's TYPE COUNTRY' (an event's place lies inside the country)
        "CREATE TABLE group_keys (key TEXT NOT NULL, gid INTEGER NOT NULL, PRIMARY KEY (key, gid))"
        " WITHOUT ROWID;"
        "CREATE TABLE group_points (gid INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,"
        " PRIMARY KEY (gid, lat, lon)) WITHOUT ROWID;"
        "CREATE TABLE group_articles (gid INTEGER NOT NULL, article TEXT NOT NULL,"
        " PRIMARY KEY (gid, article))"
        " WITHOUT ROWID;"
        "CREATE TABLE taken (seq INTEGER PRIMARY KEY, gid INTEGER NOT NULL, rid INTEGER NOT NULL);"
    )

    def __init__(self, db: sqlite3.Connection, *, existing: bool = False) -> None:
        self._db = db
        if existing:  # a store's tables (geomap.store), kept across runs: new incidents come after
            self._next = 1 + (db.execute("SELECT max(gid) FROM groups").fetchone()[0] or -1)
            return
        self._db.executescript(self.SCHEMA)
        self._next = 0

    def point_within(self, gid: int, report: _Report) -> bool:
        """:meth:`_Group._point_within` for some event of the report, on the stored points."""
        for ev in report.events:
            dlat, dlon = _box(ev)
            for lat, lon in self._db.execute(
                "SELECT lat, lon FROM group_points"
                " WHERE gid = ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                (gid, *_slack_box(ev, dlat, dlon)),
            ):
                if (
                    abs(lat - ev.lat) <= dlat
                    and abs(lon - ev.lon) <= dlon
                    and haversine_km(lat, lon, ev.lat, ev.lon) <= MERGE_KM
                ):
                    return True
        return False

    def candidates(self, report: _Report) -> list[_StoredIncident]:
        """The incidents :class:`_Index` would offer for the report, less some its date or place
        rules out, oldest first."""
        events = report.events
        reopening = {e.is_reopening for e in events}
        if len(reopening) > 1:
            return []  # no incident is compatible with both
        t = report.event_type
        keys: set[str] = set()  # where the candidates are
        at: set[str] = set()  # the same place id
        country: set[str] = set()  # a country and a place inside it
        boxes: list[list[float]] = []
        for e in events:
            place = e.place
            at.add(f"p {t} {place.place_id}")
            keys.update(f"c {t} {cy} {cx}" for cy, cx in _cells_around(e))
            if place.country:
                keys.add(f"l {t} {place.country}")
                if place.kind == "country":
                    keys.add(f"s {t} {place.country}")
                    country.add(f"s {t} {place.country}")
                else:
                    country.add(f"l {t} {place.country}")
            boxes.append(_slack_box(e, *_box(e)))
        keys |= at
        params = _box_params(boxes)
        params.update(
            keys=json.dumps(sorted(keys)),
            at=json.dumps(sorted(at)),
            country=json.dumps(sorted(country)),
            reopening=int(reopening.pop()),
            article=report.first.article,
        )
        if report.precision == "day":
            days = [_day(d).toordinal() for d in report.days()]
            params["lo"], params["hi"] = max(days) - MERGE_DAYS, min(days) + MERGE_DAYS
        elif report.precision == "month":
            params["month"] = report.value[:7]  # type: ignore[index]
        screen = report.precision
        published = [e.published for e in events if e.published]
        if screen is None and published:
            screen, params["limit"] = "published", _undated_limit(max(published))
        return [
            _StoredIncident(self, row)
            for row in self._db.execute(_candidate_sql(screen, len(events)), params)
        ]

    def take(self, report: _Report, target: _Merged | None) -> None:
        """The report joins ``target`` (one of its candidates), or makes a new incident: its row,
        keys, points and articles are brought up to date on disk."""
        events = report.events
        if target is None:
            gid, self._next = self._next, self._next + 1
            articles, sole, lo, hi = 0, None, None, None
            months: set[str] = set()
            days: dict[str, int] = {}
            dated: dict[str, int] = {}
        else:
            stored: _StoredIncident = target  # type: ignore[assignment]
            gid, articles, sole, lo, hi = (
                stored.gid,
                stored.articles,
                stored.sole,
                stored.min_day,
                stored.max_day,
            )
            months = stored.months
            days, dated = json.loads(stored.dates)
        db = self._db
        for article in dict.fromkeys(e.article for e in events):
            if db.execute(
                "INSERT INTO group_articles VALUES (?, ?) ON CONFLICT DO NOTHING", (gid, article)
            ).rowcount:
                articles += 1
                if articles == 1:
                    sole = article
        if articles > 1:
            sole = None
        keys: dict[str, None] = {}
        for e in events:
            if e.date:
                dated[e.date] = dated.get(e.date, 0) + 1
                months.add(e.date[:7])
                if e.date_precision == "day":
                    days[e.date] = days.get(e.date, 0) + 1
                    d = _day(e.date).toordinal()
                    lo = d if lo is None else min(lo, d)
                    hi = d if hi is None else max(hi, d)
            place, t = e.place, e.event_type
            keys[f"p {t} {place.place_id}"] = None
            keys["c {} {} {}".format(t, *_cell(e))] = None
            if place.country:
                keys[f"{'l' if place.kind == 'country' else 's'} {t} {place.country}"] = None
        value, precision = _best_date(days, dated)
        row = (
            articles,
            sole,
            lo,
            hi,
            ",".join(sorted(months)),
            json.dumps([days, dated]),
            value,
            precision,
            gid,
        )
        if target is None:
            db.execute(
                "INSERT INTO groups (articles, sole, min_day, max_day, months, dates, best_value,"
                " best_precision, gid, reopening) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*row, int(events[0].is_reopening)),
            )
        else:
            db.execute(
                "UPDATE groups SET articles = ?, sole = ?, min_day = ?, max_day = ?, months = ?, dates = ?,"
                " best_value = ?, best_precision = ? WHERE gid = ?",
                row,
            )
        db.executemany(
            "INSERT INTO group_keys VALUES (?, ?) ON CONFLICT DO NOTHING", ((key, gid) for key in keys)
        )
        db.executemany(
            "INSERT INTO group_points VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            {(gid, e.lat, e.lon): None for e in events},
        )
        db.execute("INSERT INTO taken (gid, rid) VALUES (?, ?)", (gid, report.rid))

    def built(self) -> Iterator[Incident]:
        """The incidents, in the order they were made, each built from its stored events as
        :func:`_incident` builds a group's (read twice from the file, never all in memory)."""
        db = self._db
        db.execute("CREATE INDEX taken_by_group ON taken (gid, seq)")
        for gid, value, precision in db.execute(
            "SELECT gid, best_value, best_precision FROM groups ORDER BY gid"
        ):
            joined = (
                _event_from_json(text) for (data,) in db.execute(_JOINED, (gid,)) for text in json.loads(data)
            )
            by_source = (_event_from_json(text) for (text,) in db.execute(_BY_SOURCE, (gid,)))
            yield _incident_from(value, precision, joined, by_source)

    def incident_of(self, gid: int) -> Incident:
        """The incident ``gid`` built from its stored events, as :meth:`built` builds each (for
        a store, which rebuilds only the incidents a new article touched)."""
        db = self._db
        value, precision = db.execute(
            "SELECT best_value, best_precision FROM groups WHERE gid = ?", (gid,)
        ).fetchone()
        joined = (
            _event_from_json(text) for (data,) in db.execute(_JOINED, (gid,)) for text in json.loads(data)
        )
        by_source = (_event_from_json(text) for (text,) in db.execute(_BY_SOURCE, (gid,)))
        return _incident_from(value, precision, joined, by_source)


#: The merge's tables in a store that keeps them across runs (:mod:`geomap.store`): those of
#: :class:`_OnDisk` and the reports they point to.
STORED_MERGE_SCHEMA = (
    _OnDisk.SCHEMA + "CREATE TABLE reports (rid INTEGER PRIMARY KEY, prank INTEGER, value TEXT, article TEXT,"
    " start INTEGER, data TEXT NOT NULL);"
    "CREATE INDEX taken_by_group ON taken (gid, seq);"
    "CREATE INDEX taken_by_report ON taken (rid);"
    "CREATE TABLE pending (rid INTEGER PRIMARY KEY);"
)


def store_reports(db: sqlite3.Connection, events: list[Event]) -> int:
    """Pass one of the merge for one article's events, into a store (its tables made with
    :data:`STORED_MERGE_SCHEMA`): its reports, waiting for :func:`merge_pending`. Runs in the
    caller's transaction; returns how many reports it made."""
    reports = [_Report.of(g) for g in _merge_within_article(events)]
    for report in reports:
        prank, value, article, start = report.rank()
        rid = db.execute(
            "INSERT INTO reports (prank, value, article, start, data) VALUES (?, ?, ?, ?, ?) RETURNING rid",
            (prank, value, article, start, json.dumps([_event_json(ev) for ev in report.events])),
        ).fetchone()[0]
        db.execute("INSERT INTO pending VALUES (?)", (rid,))
    return len(reports)


def merge_pending(db: sqlite3.Connection) -> tuple[list[int], list[int]]:
    """Pass two for the reports waiting in a store: in rank order, as :class:`MergeOnDisk` takes
    them, each joins a stored incident or makes a new one (so a fresh store merges a batch as a
    one-shot run does, and later reports join what is stored). Runs in the caller's
    transaction. Returns the incidents (``gid``) touched and those made."""
    merged = _OnDisk(db, existing=True)
    first_new = merged._next
    precision = {0: "day", 1: "month", 2: None}
    rows = db.execute(
        "SELECT r.rid, r.prank, r.value, r.data FROM reports r JOIN pending p ON p.rid = r.rid"
        " ORDER BY r.prank, r.value, r.article, r.start, r.rid"
    ).fetchall()
    reports = [
        _Report([_event_from_json(t) for t in json.loads(data)], value or None, precision[prank], rid)
        for rid, prank, value, data in rows
    ]
    _merge_across(reports, merged)
    # the reports read here, not those another writer may have stored since (PostgreSQL)
    rids = json.dumps([rid for rid, *_rest in rows])
    touched = [
        gid
        for (gid,) in db.execute(
            "SELECT DISTINCT gid FROM taken WHERE rid IN (SELECT CAST(value AS INTEGER) FROM json_each(?))"
            " ORDER BY gid",
            (rids,),
        )
    ]
    db.execute("DELETE FROM pending WHERE rid IN (SELECT CAST(value AS INTEGER) FROM json_each(?))", (rids,))
    return touched, [gid for gid in touched if gid >= first_new]


#: An incident's stored reports in the order they joined it (its events in that order).
_JOINED = "SELECT r.data FROM taken t JOIN reports r ON r.rid = t.rid WHERE t.gid = ? ORDER BY t.seq"
#: An incident's events by article and place in the text, ties in the order they joined (the
#: events of a report share its article).
_BY_SOURCE = (
    "SELECT e.value FROM taken t JOIN reports r ON r.rid = t.rid, json_each(r.data) e WHERE t.gid = ?"
    " ORDER BY r.article, json_extract(e.value, '$.start'), t.seq, e.key"
)


def _slack_box(ev: Event, dlat: float, dlon: float) -> list[float]:
    """[south, north, west, east] of the event's box, widened by _SLACK_DEG."""
    return [
        ev.lat - dlat - _SLACK_DEG,
        ev.lat + dlat + _SLACK_DEG,
        ev.lon - dlon - _SLACK_DEG,
        ev.lon + dlon + _SLACK_DEG,
    ]


class MergeOnDisk:
    """:func:`merge_events` for a corpus of any size, without holding its events in memory.

    Articles' events go to a temporary SQLite file as they come (:meth:`add`); :meth:`incidents`
    then merges them within each article and across articles in the same order as
    :func:`merge_events`, and yields the incidents in the same order with the same ids. What
    merging asks of each incident (its places, dates and articles) lives in the same file
    (:class:`_OnDisk`), so memory holds one article's reports at a time and the incident being
    built, not the corpus. The file lives in a private temporary folder, removed by
    :meth:`close` (or the ``with`` block).
    """

    def __init__(self, folder: str | None = None) -> None:
        self._dir = tempfile.mkdtemp(prefix="geomap-merge-", dir=folder)
        self._db = sqlite3.connect(os.path.join(self._dir, "merge.sqlite"))
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;"
            "CREATE TABLE events (seq INTEGER PRIMARY KEY, article TEXT NOT NULL, data TEXT NOT NULL);"
            "CREATE TABLE reports (rid INTEGER PRIMARY KEY, prank INTEGER, value TEXT, article TEXT,"
            " start INTEGER, data TEXT NOT NULL);"
            "CREATE TABLE incidents (iid INTEGER PRIMARY KEY, date_null INTEGER, date TEXT,"
            " type_rank INTEGER, place TEXT, place_id TEXT, evidence TEXT, data TEXT NOT NULL);"
        )

    def __enter__(self) -> MergeOnDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def add(self, events: Iterable[Event]) -> None:
        """Store events (of one article or several)."""
        self._db.executemany(
            "INSERT INTO events (article, data) VALUES (?, ?)",
            ((ev.article, _event_json(ev)) for ev in events),
        )

    def _store_reports(self) -> None:
        """Pass one: the merge within each article (articles in name order, as merge_events)."""
        read = self._db.execute("SELECT article, data FROM events ORDER BY article, seq")
        write = self._db.cursor()
        for _article, rows in itertools.groupby(read, key=lambda row: row[0]):
            for group in _merge_within_article([_event_from_json(data) for _, data in rows]):
                report = _Report.of(group)
                prank, value, article, start = report.rank()
                write.execute(
                    "INSERT INTO reports (prank, value, article, start, data) VALUES (?, ?, ?, ?, ?)",
                    (prank, value, article, start, json.dumps([_event_json(ev) for ev in report.events])),
                )
        self._db.execute("DELETE FROM events")

    def _reports(self) -> Iterator[_Report]:
        """The stored reports in rank order (ties in the order they were made)."""
        precision = {0: "day", 1: "month", 2: None}
        for rid, prank, value, data in self._db.execute(
            "SELECT rid, prank, value, data FROM reports ORDER BY prank, value, article, start, rid"
        ):
            events = [_event_from_json(text) for text in json.loads(data)]
            yield _Report(events, value or None, precision[prank], rid)

    def incidents(self, finish: Callable[[Incident], None] | None = None) -> Iterator[Incident]:
        """The merged incidents, sorted and with their ids, one at a time. ``finish`` is called on
        each incident before it is stored (for fields that depend on nothing else, such as where
        it lies against the border)."""
        self._store_reports()
        merged = _OnDisk(self._db)
        _merge_across(self._reports(), merged)
        write = self._db.cursor()
        for inc in merged.built():
            if finish is not None:
                finish(inc)
            date_null, day, type_rank, place, place_id, evidence = _sort_key(inc)
            write.execute(
                "INSERT INTO incidents (date_null, date, type_rank, place, place_id, evidence, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (int(date_null), day, type_rank, place, place_id, evidence, _incident_json(inc)),
            )
        used: Counter[str] = Counter()
        for (data,) in self._db.execute(
            "SELECT data FROM incidents ORDER BY date_null, date, type_rank, place, place_id, evidence, iid"
        ):
            inc = Incident(**json.loads(data))
            _assign_id(inc, used)
            yield inc
