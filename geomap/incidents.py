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
  dated on or before the article's publication date; without a publication date, only an incident
  that is the only one of its type at that place. "That place" is the same place id or within
  MERGE_KM here: an undated country-level report does not join a dated town's incident.
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

import hashlib
import itertools
import json
import math
import os
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from ._dates import date_compatible
from .models import EVENT_TYPES, Event, Incident, Place

BORDER_PLACE_ID = "geomap:border-af-pk"  # the place id events.py gives the border line

#: Events at most this far apart (km) can be one incident.
MERGE_KM: float = 25.0
#: Day-dated events at most this many days apart can be one incident.
MERGE_DAYS: int = 1


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _near(a: Event, b: Event) -> bool:
    """Same place id or points within MERGE_KM."""
    return a.place.place_id == b.place.place_id or _km(a.lat, a.lon, b.lat, b.lon) <= MERGE_KM


def _same_place(a: Event, b: Event) -> bool:
    """Same place id, points within MERGE_KM, or a country and a place inside it ("strikes inside
    Afghanistan" and "strikes on Kabul" on the same day are one report at two precisions)."""
    if a.place.place_id == b.place.place_id:
        return True
    for x, y in ((a, b), (b, a)):
        if x.place.kind == "country" and x.place.country and y.place.kind != "country" and y.place.country == x.place.country:
            return True
    return _km(a.lat, a.lon, b.lat, b.lon) <= MERGE_KM


def _reopening(ev: Event) -> bool:
    return ev.event_type == "crossing" and "reopen" in ev.sub_event_type


def _day(value: str) -> date:
    return date.fromisoformat(value)


class _Group:
    """Events taken for one incident, with what merging asks of them kept up to date as events
    join (so a question costs the same however many reports an incident has)."""

    __slots__ = ("_keep", "events", "reports", "_type", "_reopening", "_articles", "_days", "_dated", "_months",
                 "_min_day", "_max_day", "_place_ids", "_points", "_country_level", "_sub_countries", "_best")

    def __init__(self, events: list[Event], keep_events: bool = True) -> None:
        # Without keep_events (the merge on disk) no event stays in memory, only what merging asks
        # of them, and ``reports`` lists the stored reports the group took, in the order it took them.
        self._keep = keep_events
        self._type = events[0].event_type
        self._reopening = _reopening(events[0])
        self.events: list[Event] = []
        self.reports: list[int] = []
        self._articles: set[str] = set()
        self._days: Counter[str] = Counter()
        self._dated: Counter[str] = Counter()  # every date, day or month, for the month fallback
        self._months: set[str] = set()
        self._min_day: date | None = None
        self._max_day: date | None = None
        self._place_ids: set[str] = set()
        self._points: set[tuple[float, float]] = set()
        # countries named as the place of an event; countries of the places below country level
        # (most incidents have neither, so they start as an empty tuple)
        self._country_level: set[str] | tuple = ()
        self._sub_countries: set[str] | tuple = ()
        self._best: tuple[str | None, str | None] | None = None
        self.add(events)

    def add(self, events: list[Event]) -> None:
        for e in events:
            if self._keep:
                self.events.append(e)
            self._articles.add(e.article)
            if e.date:
                self._dated[e.date] += 1
                self._months.add(e.date[:7])
                if e.date_precision == "day":
                    self._days[e.date] += 1
                    d = _day(e.date)
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

    def months(self) -> set[str]:
        return self._months

    def articles(self) -> set[str]:
        return self._articles

    def best_date(self) -> tuple[str | None, str | None]:
        """The day most sources give (then the earliest); else the most given month."""
        if self._best is None:
            for counts, precision in ((self._days, "day"), (self._dated, "month")):
                if counts:
                    top = max(counts.values())
                    self._best = (min(d for d, n in counts.items() if n == top), precision)
                    break
            else:
                self._best = (None, None)
        return self._best

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
        dlat = 1.01 * MERGE_KM / 110.5  # a little wider than exact: the box only screens
        dlon = 1.1 * MERGE_KM / (111.32 * max(0.01, math.cos(math.radians(min(89.0, abs(ev.lat) + 0.3)))))
        return any(
            abs(lat - ev.lat) <= dlat and abs(lon - ev.lon) <= dlon and _km(lat, lon, ev.lat, ev.lon) <= MERGE_KM
            for lat, lon in self._points
        )

    def same_article_place_matches(self, ev: Event) -> bool:
        """Within one article two differently named towns are two reports, even when near."""
        return any(
            e.place.place_id == ev.place.place_id or (_same_place(e, ev) and (e.geo_precision > 1 or ev.geo_precision > 1))
            for e in self.events
        )

    def accepts_day(self, value: str) -> bool:
        """A day-dated event fits: within MERGE_DAYS of every day of the group, in its months."""
        if self._min_day is not None:
            d = _day(value)
            return abs((d - self._min_day).days) <= MERGE_DAYS and abs((d - self._max_day).days) <= MERGE_DAYS
        return not self._months or value[:7] in self._months

    def compatible(self, ev: Event) -> bool:
        """A crossing reopened and a crossing closed are two incidents, whatever their dates
        (a group holds one or the other, never both)."""
        return self._reopening == _reopening(ev)

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
    def of(cls, group: _Group) -> "_Report":
        return cls(group.events, *group.best_date())

    def rank(self) -> tuple:
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


def _date_rank(precision: str | None, value: str | None, article: str, start: int) -> tuple:
    """Day-dated first, then month-dated, then undated; by date, then by place in the text."""
    return (0 if precision == "day" else 1 if value else 2, value or "", article, start)


def _dated_rank(ev: Event) -> tuple:
    return _date_rank(ev.date_precision, ev.date, ev.article, ev.start)


def _merge_within_article(events: list[Event]) -> list[_Group]:
    """Duplicates inside one article: same type and place, compatible dates; undated events join
    the nearest (in the text) event of that type and place."""
    groups: list[_Group] = []
    for ev in sorted((e for e in events if e.date), key=_dated_rank):
        target = None
        for g in groups:
            if g.event_type != ev.event_type or not g.same_article_place_matches(ev) or not g.compatible(ev):
                continue
            ok = g.accepts_day(ev.date) if ev.date_precision == "day" else g.accepts_month(ev.date)
            if ok:
                target = g
                break
        if target is None:
            groups.append(_Group([ev]))
        else:
            target.add([ev])
    for ev in sorted((e for e in events if not e.date), key=lambda e: e.start):
        cands = [g for g in groups if g.event_type == ev.event_type and g.same_article_place_matches(ev) and g.compatible(ev)]
        if not cands and ev.place.place_id == BORDER_PLACE_ID:
            # "the border has been closed" in an article that names the closed crossing: the
            # border line stands for the border places the article reports.
            cands = [
                g for g in groups
                if g.event_type == ev.event_type and g.compatible(ev)
                and any(e.place.country in {"AF", "PK"} and e.place.kind not in {"country", "region", "province"} for e in g.events)
            ]
        if cands:
            target = min(cands, key=lambda g: min(abs(e.start - ev.start) for e in g.events))
            target.add([ev])
        else:
            groups.append(_Group([ev]))
    return groups


#: Grid cell (degrees) of the spatial index: larger than MERGE_KM, so neighbours are enough.
_CELL_DEG = 0.5


class _Index:
    """Finds the merged incidents an event may join without looking at every incident: by place
    id, by grid cell (points within MERGE_KM lie in neighbouring cells), and by country for the
    country-level reports that join places inside their country."""

    def __init__(self) -> None:
        self.order: dict[int, int] = {}
        self.by_place: dict[tuple, dict[int, _Group]] = {}
        self.by_cell: dict[tuple, dict[int, _Group]] = {}
        self.by_country: dict[tuple, dict[int, _Group]] = {}
        self.country_level: dict[tuple, dict[int, _Group]] = {}

    @staticmethod
    def _cell(ev: Event) -> tuple[int, int]:
        return int(math.floor(ev.lat / _CELL_DEG)), int(math.floor(ev.lon / _CELL_DEG))

    @staticmethod
    def _put(table: dict, key: tuple, g: _Group) -> None:
        table.setdefault(key, {})[id(g)] = g

    def add(self, g: _Group, events: list[Event]) -> None:
        self.order.setdefault(id(g), len(self.order))
        for e in events:
            t = e.event_type
            self._put(self.by_place, (t, e.place.place_id), g)
            self._put(self.by_cell, (t, *self._cell(e)), g)
            if e.place.country:
                self._put(self.by_country, (t, e.place.country), g)
                if e.place.kind == "country":
                    self._put(self.country_level, (t, e.place.country), g)

    def candidates(self, g: "_Group | _Report") -> list[_Group]:
        """Merged incidents that may share a place with g, in the order they were made."""
        found: dict[int, _Group] = {}
        for e in g.events:
            t = e.event_type
            buckets = [self.by_place.get((t, e.place.place_id), {})]
            cy, cx = self._cell(e)
            # Cells are narrower in kilometres away from the equator: look as far as MERGE_KM.
            km_per_cell = 111.32 * _CELL_DEG * max(0.05, math.cos(math.radians(e.lat)))
            reach = max(1, math.ceil(MERGE_KM / km_per_cell))
            buckets += [
                self.by_cell.get((t, cy + dy, cx + dx), {}) for dy in (-1, 0, 1) for dx in range(-reach, reach + 1)
            ]
            if e.place.country:
                table = self.by_country if e.place.kind == "country" else self.country_level
                buckets.append(table.get((t, e.place.country), {}))
            for bucket in buckets:
                found.update(bucket)
        return sorted(found.values(), key=lambda m: self.order[id(m)])


def _merge_across(reports: Iterable[_Report], keep_events: bool = True) -> list[_Group]:
    """Reports (in :meth:`_Report.rank` order) merged into incidents' groups."""
    merged: list[_Group] = []
    index = _Index()
    for g in reports:
        value, precision = g.value, g.precision
        own = {g.first.article}

        def joinable(m: _Group) -> bool:
            return (
                all(m.compatible(e) for e in g.events)
                and any(m.place_matches(e) for e in g.events)
                and m.articles() != own  # the same article's reports were kept apart in pass one
            )

        # The cheap date test first, the place test only for incidents the date allows.
        cands = [m for m in index.candidates(g) if m.event_type == g.event_type]
        target = None
        if precision == "day":
            days = g.days()
            target = next((m for m in cands if all(m.accepts_day(d) for d in days) and joinable(m)), None)
        elif precision == "month":
            fits = [m for m in cands if m.accepts_month(value) and joinable(m)]
            if fits:
                target = max(fits, key=lambda m: (len(m.articles()), -_order_key(m)))
        else:
            # Undated: only at the very place (a country does not stand for a town here; that
            # would be a guess on both the date and the place).
            same = [m for m in cands if joinable(m) and any(m.near(e) for e in g.events)]
            published = [e.published for e in g.events if e.published]
            if published:
                last = max(published)
                # a publication date known to the month only (read as its 1st) allows that month
                limit = last.isoformat() if last.day != 1 else f"{last.year:04d}-{last.month:02d}-31"
                fits = [m for m in same if (m.best_date()[0] or "9999") <= limit]
                if fits:
                    target = max(fits, key=lambda m: (m.best_date()[0] or "", len(m.articles())))
            elif len(same) == 1:
                target = same[0]
        if target is None:
            target = _Group(g.events, keep_events)
            merged.append(target)
        else:
            target.add(g.events)
        target.reports.append(g.rid)
        index.add(target, g.events)
    return merged


def _order_key(g: _Group) -> float:
    value, _ = g.best_date()
    if not value:
        return 0.0
    return float(_day(value if len(value) == 10 else value + "-01").toordinal())


def _incident(g: _Group) -> Incident:
    evs = g.events
    best_place = min(evs, key=lambda e: (e.geo_precision, -sum(1 for x in evs if x.place.place_id == e.place.place_id), e.article, e.start))
    value, precision = g.best_date()
    claims: list[dict] = []
    seen = set()
    for e in sorted(evs, key=lambda e: (e.article, e.start)):
        for c in e.claims:
            key = (c.get("killed"), c.get("wounded"), c.get("text"), c.get("article"))
            if key not in seen:
                seen.add(key)
                claims.append(dict(c))
    killed = [c["killed"] for c in claims if c.get("killed") is not None]
    wounded = [c["wounded"] for c in claims if c.get("wounded") is not None]
    actors: list[str] = []
    for e in evs:
        for a in e.actors:
            if a not in actors:
                actors.append(a)
    sources = []
    seen_src = set()
    for e in sorted(evs, key=lambda e: (e.article, e.start)):
        key = (e.article, e.evidence)
        if key in seen_src:
            continue
        seen_src.add(key)
        sources.append({
            "article": e.article,
            "published": e.published.isoformat() if e.published else None,
            "evidence": e.evidence,
        })
    # The lead event (dated as the incident, at its place) gives the evidence and sub-type.
    lead = max(evs, key=lambda e: (e.date == value, not e.planned, e.place.place_id == best_place.place.place_id, e.confidence, -e.start))
    sub = lead.sub_event_type
    conf = 1.0
    for e in evs:
        conf *= 1.0 - max(0.0, min(0.99, e.confidence))
    place = best_place.place
    return Incident(
        id="",
        event_type=g.event_type,
        sub_event_type=sub,
        place=place.name,
        place_id=place.place_id,
        country=place.country,
        admin1=place.admin1,
        geo_precision=best_place.geo_precision,
        lon=best_place.lon,
        lat=best_place.lat,
        date=value,
        date_precision=precision,
        killed=min(killed) if killed else None,
        wounded=min(wounded) if wounded else None,
        claims=claims,
        actors=actors,
        evidence=lead.evidence,
        sources=sources,
        confidence=round(min(0.99, 1.0 - conf), 3),
        planned=all(e.planned for e in evs),
    )


def _sort_key(inc: Incident) -> tuple:
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
    incidents = [_incident(g) for g in _merge_across(reports)]
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
        tag = hashlib.sha1("|".join(s["article"] + s["evidence"] for s in inc.sources).encode("utf-8")).hexdigest()[:4]
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
    return json.dumps({f: getattr(inc, f) for f in Incident.__dataclass_fields__}, ensure_ascii=False, allow_nan=False)


class MergeOnDisk:
    """:func:`merge_events` for a corpus of any size, without holding its events in memory.

    Articles' events go to a temporary SQLite file as they come (:meth:`add`); :meth:`incidents`
    then merges them within each article and across articles in the same order as
    :func:`merge_events`, holding in memory only what merging asks of each incident (its places,
    dates and articles), and yields the incidents in the same order with the same ids. The file
    lives in a private temporary folder, removed by :meth:`close` (or the ``with`` block).
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

    def __enter__(self) -> "MergeOnDisk":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def add(self, events: Iterable[Event]) -> None:
        """Store events (of one article or several)."""
        self._db.executemany("INSERT INTO events (article, data) VALUES (?, ?)",
                             ((ev.article, _event_json(ev)) for ev in events))

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

    def _report_events(self, rid: int) -> list[Event]:
        (data,) = self._db.execute("SELECT data FROM reports WHERE rid = ?", (rid,)).fetchone()
        return [_event_from_json(text) for text in json.loads(data)]

    def incidents(self, finish: Callable[[Incident], None] | None = None) -> Iterator[Incident]:
        """The merged incidents, sorted and with their ids, one at a time. ``finish`` is called on
        each incident before it is stored (for fields that depend on nothing else, such as where
        it lies against the border)."""
        self._store_reports()
        groups = _merge_across(self._reports(), keep_events=False)
        write = self._db.cursor()
        for k, group in enumerate(groups):
            inc = _incident(_Group([ev for rid in group.reports for ev in self._report_events(rid)]))
            groups[k] = None  # type: ignore[call-overload]  # done with it: let it go
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
