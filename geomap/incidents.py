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

The merged incident keeps every source ``{article, published, evidence}``; the most precise place
(lowest ``geo_precision``) and date (a day over a month; the day most sources give, then the
earliest); every casualty claim, and ``killed``/``wounded`` as the lowest stated figure (the ACLED
rule when sources disagree). Ids are stable — a hash of type, place and date, with a
disambiguator from the evidence when two incidents share those — and incidents come sorted by date
(undated last), type and place.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ._dates import date_compatible
from .models import EVENT_TYPES, Event, Incident

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


@dataclass
class _Group:
    events: list[Event] = field(default_factory=list)

    @property
    def first(self) -> Event:
        return self.events[0]

    @property
    def event_type(self) -> str:
        return self.first.event_type

    def days(self) -> list[str]:
        return [e.date for e in self.events if e.date and e.date_precision == "day"]

    def months(self) -> set[str]:
        return {e.date[:7] for e in self.events if e.date}

    def articles(self) -> set[str]:
        return {e.article for e in self.events}

    def best_date(self) -> tuple[str | None, str | None]:
        days = self.days()
        if days:
            counts = Counter(days)
            top = max(counts.values())
            return min(d for d, n in counts.items() if n == top), "day"
        months = [e.date for e in self.events if e.date]
        if months:
            counts = Counter(months)
            top = max(counts.values())
            return min(d for d, n in counts.items() if n == top), "month"
        return None, None

    def place_matches(self, ev: Event) -> bool:
        return any(_same_place(e, ev) for e in self.events)

    def same_article_place_matches(self, ev: Event) -> bool:
        """Within one article two differently named towns are two reports, even when near."""
        return any(
            e.place.place_id == ev.place.place_id or (_same_place(e, ev) and (e.geo_precision > 1 or ev.geo_precision > 1))
            for e in self.events
        )

    def accepts_day(self, value: str) -> bool:
        """A day-dated event fits: within MERGE_DAYS of every day of the group, in its months."""
        d = _day(value)
        days = [_day(x) for x in self.days()]
        if days:
            return all(abs((d - x).days) <= MERGE_DAYS for x in days)
        months = self.months()
        return not months or value[:7] in months

    def compatible(self, ev: Event) -> bool:
        """A crossing reopened and a crossing closed are two incidents, whatever their dates."""
        return all(_reopening(e) == _reopening(ev) for e in self.events)

    def accepts_month(self, value: str) -> bool:
        months = self.months()
        return not months or value[:7] in months


def _dated_rank(ev: Event) -> tuple:
    return (0 if ev.date_precision == "day" else 1 if ev.date else 2, ev.date or "", ev.article, ev.start)


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
            target.events.append(ev)
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
            target.events.append(ev)
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

    def candidates(self, g: _Group) -> list[_Group]:
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


def _merge_across(groups: list[_Group]) -> list[_Group]:
    def rank(g: _Group) -> tuple:
        value, precision = g.best_date()
        return (0 if precision == "day" else 1 if value else 2, value or "", g.first.article, g.first.start)

    merged: list[_Group] = []
    index = _Index()
    for g in sorted(groups, key=rank):
        value, precision = g.best_date()
        same = [
            m for m in index.candidates(g)
            if m.event_type == g.event_type
            and all(m.compatible(e) for e in g.events)
            and any(m.place_matches(e) for e in g.events)
            and not (m.articles() == g.articles() and len(g.articles()) == 1)  # kept apart in pass one
        ]
        target = None
        if precision == "day":
            fits = [m for m in same if all(m.accepts_day(d) for d in g.days())]
            target = fits[0] if fits else None
        elif precision == "month":
            fits = [m for m in same if m.accepts_month(value)]
            if fits:
                target = max(fits, key=lambda m: (len(m.articles()), -_order_key(m)))
        else:
            # Undated: only at the very place (a country does not stand for a town here; that
            # would be a guess on both the date and the place).
            same = [m for m in same if any(_near(x, e) for x in m.events for e in g.events)]
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
            target = _Group(list(g.events))
            merged.append(target)
        else:
            target.events.extend(g.events)
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
    groups: list[_Group] = []
    for name in sorted(by_article):
        groups.extend(_merge_within_article(by_article[name]))
    incidents = [_incident(g) for g in _merge_across(groups)]
    incidents.sort(key=_sort_key)
    used: Counter[str] = Counter()
    for inc in incidents:
        base = incident_id(inc.event_type, inc.place_id, inc.date)
        used[base] += 1
        if used[base] == 1:
            inc.id = base
        else:
            tag = hashlib.sha1("|".join(s["article"] + s["evidence"] for s in inc.sources).encode("utf-8")).hexdigest()[:4]
            inc.id = f"{base}-{tag}"
    return incidents
