"""The pipeline, end to end: articles → place mentions → events → incidents (with border fields).

Each stage is a function of the one before, run article by article (streamed) in this process,
over local processes (``jobs``) or on a Dask cluster (``scheduler``) with identical output.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from .border import BORDER_COLUMNS, border_fields, fields_for_points
from .gazetteer import default_gazetteer
from .incidents import MergeOnDisk, merge_events
from .models import Event, Incident
from .parallel import map_articles, process_article, process_events, process_places

PathLike = str | os.PathLike[str]


def iter_place_features(
    paths: Iterable[PathLike],
    *,
    published: date | None = None,
    jobs: int = 1,
    scheduler: Any = None,
    online: bool = False,
    progress: Callable[[], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Place mentions of every article as GeoJSON Point Features, article by article."""

    func = functools.partial(process_places, online=True) if online else process_places
    for features in map_articles(func, list(paths), jobs=jobs, scheduler=scheduler, published=published):
        if progress:
            progress()
        for feature in features:
            add_mention_border_fields(feature)
            yield feature


@functools.lru_cache(maxsize=65536)
def _point_border_fields(lon: float, lat: float) -> dict[str, Any]:
    """:func:`geomap.border.border_fields` of a point, remembered (places recur across articles)."""
    return border_fields(lon, lat)


def add_mention_border_fields(feature: dict[str, Any]) -> None:
    """Border fields (``side``, ``border``, ``border_km``, ``nearest_crossing``, ``crossing_km``)
    for a place mention below country level (null for a country, which has no one point)."""
    props = feature["properties"]
    fields: dict[str, Any] | None = dict.fromkeys(BORDER_COLUMNS)
    if props.get("kind") != "country":
        # Gazetteer places carry them from the index; others (online answers) are worked out.
        known = default_gazetteer().border_of(props["place_id"]) if props.get("place_id") else None
        if known is None:
            lon, lat = feature["geometry"]["coordinates"][:2]
            known = _point_border_fields(float(lon), float(lat))
        fields = known
    props.update(fields)


def iter_article_events(
    paths: Iterable[PathLike],
    *,
    published: date | None = None,
    jobs: int = 1,
    scheduler: Any = None,
    online: bool = False,
    progress: Callable[[], None] | None = None,
) -> Iterator[list[Event]]:
    """The (unmerged) events of each article, article by article; only events come back from
    the workers."""

    func = functools.partial(process_events, online=True) if online else process_events
    for article_events in map_articles(
        func, list(paths), jobs=jobs, scheduler=scheduler, published=published
    ):
        yield article_events
        if progress:
            progress()


def run_articles(
    paths: Iterable[PathLike],
    *,
    published: date | None = None,
    jobs: int = 1,
    scheduler: Any = None,
    online: bool = False,
    progress: Callable[[], None] | None = None,
    keep_places: bool = True,
) -> tuple[list[dict[str, Any]], list[Event]]:
    """Place Features and (unmerged) events of every article, in one pass over the files.
    ``keep_places=False`` returns no place Features and never ships them from the workers
    (``extract`` needs only the events, which it must hold to merge incidents across articles)."""

    places: list[dict[str, Any]] = []
    events: list[Event] = []
    if not keep_places:
        for article_events in iter_article_events(
            paths, published=published, jobs=jobs, scheduler=scheduler, online=online, progress=progress
        ):
            events.extend(article_events)
        return places, events
    func = functools.partial(process_article, online=True) if online else process_article
    for result in map_articles(func, list(paths), jobs=jobs, scheduler=scheduler, published=published):
        for feature in result["places"]:
            add_mention_border_fields(feature)
        places.extend(result["places"])
        events.extend(result["events"])
        if progress:
            progress()
    return places, events


@contextmanager
def incidents_on_disk(
    paths: Iterable[PathLike],
    *,
    published: date | None = None,
    jobs: int = 1,
    scheduler: Any = None,
    online: bool = False,
    progress: Callable[[], None] | None = None,
) -> Iterator[Iterator[Incident]]:
    """Read every article, then give the merged incidents one at a time (sorted, with ids and
    border fields): the same incidents as :func:`incidents_from_events`, but the events wait in
    a temporary file (:class:`~geomap.incidents.MergeOnDisk`) instead of memory, which then
    holds only the merge's state of each incident. Use as
    ``with incidents_on_disk(paths) as incidents: ...``."""

    with MergeOnDisk() as store:
        for article_events in iter_article_events(
            paths, published=published, jobs=jobs, scheduler=scheduler, online=online, progress=progress
        ):
            store.add(article_events)
        yield store.incidents(finish=lambda inc: add_border_geometry([inc]))


def incidents_from_events(events: list[Event]) -> list[Incident]:
    """Merge events into incidents and add where each lies against the border."""

    incidents = merge_events(events)
    add_border_geometry(incidents)
    return incidents


def add_border_geometry(incidents: list[Incident]) -> None:
    """Fill ``side``, ``border_km``, ``nearest_crossing``, ``crossing_km`` and the consistency
    warning: the named place's country is not the country whose polygon holds the point (for a
    crossing, only when the point lies more than 5 km inside the other side) — a sign of a
    geocoding error an analyst should look at."""
    if not incidents:
        return
    fields_all = fields_for_points(
        [i.lon for i in incidents], [i.lat for i in incidents], [i.border for i in incidents]
    )
    for inc, fields in zip(incidents, fields_all):
        inc.side = fields["side"]
        inc.border = fields["border"]
        inc.border_km = fields["border_km"]
        inc.nearest_crossing = fields["nearest_crossing"]
        inc.crossing_km = fields["crossing_km"]
        at_crossing = inc.crossing_km is not None and inc.crossing_km < 1.0
        if at_crossing and (inc.border_km or 0.0) <= 5.0:
            continue  # a crossing sits on the line: either side within 5 km is consistent
        if inc.country and inc.side and inc.country != inc.side and inc.geo_precision < 3:
            message = f"the place '{inc.place}' is in {inc.country} but its point lies in {inc.side}"
            if message not in inc.warnings:
                inc.warnings.append(message)
