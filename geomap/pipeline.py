"""The pipeline, end to end: articles → place mentions → events → incidents (with border fields)
→ the incidents frame, filtered.

The stages are composed here once. Per article, :func:`article_stages` reads the file, finds its
places and extracts its events; the functions shipped to the workers (:func:`process_places`,
:func:`process_events`, :func:`process_article`, :func:`process_eval`) are views of it, top-level
so that they pickle by reference. Over the corpus, :func:`incidents_from_events` merges the
events and places the incidents against the border, and :func:`incidents_frame` makes them a
GeoDataFrame and applies the filters. The Python API (:mod:`geomap`) and the command line call
these compositions; :mod:`geomap.parallel` runs the per-article one article by article (streamed)
in this process, over local processes (``jobs``) or on a Dask cluster (``scheduler``) with
identical output.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from . import articles
from .border import border_fields, fields_for_points
from .events import extract_events
from .filters import filter_incidents
from .frames import incidents_to_gdf, mention_features
from .gazetteer import default_gazetteer
from .geoparse import PlaceFinder, default_finder, find_mentions, online_finder
from .incidents import MergeOnDisk, merge_events
from .models import Event, Incident, Mention
from .parallel import PerArticle, map_articles
from .schema import BORDER_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

PathLike = str | os.PathLike[str]
#: Called once per article read (a progress bar's ``advance``).
Progress = Callable[[], None]

# ---------------------------------------------------------------------------------------------
# Per article: the one composition of the stages, and the views of it the workers run


def _finder(online: bool) -> PlaceFinder:
    """The place finder of this process: offline, or also asking the online geocoder."""

    return online_finder() if online else default_finder()


def article_stages(
    path: str, published: date | None = None, *, online: bool = False, events: bool = True
) -> tuple[str, list[Mention], list[Event]]:
    """Read one article file, find its place mentions and extract its (unmerged) events: its
    name, mentions and events. ``events=False`` extracts none and leaves the article's dates
    unread (finding places needs neither, and a corpus reads faster without)."""

    article = articles.read_article(path, published, dates=events)
    mentions = find_mentions(article, _finder(online))
    return article.name, mentions, extract_events(article, mentions) if events else []


def process_places(path: str, published: date | None = None, *, online: bool = False) -> list[dict[str, Any]]:
    """Place mentions of one article file as GeoJSON Point Features (contract properties, border
    fields included: worked out where the article is read, on the workers of a cluster).
    ``online`` also asks the online geocoder (bind it with functools.partial for the runners)."""

    return _with_border_fields(
        mention_features(article_stages(path, published, online=online, events=False)[1])
    )


def process_events(path: str, published: date | None = None, *, online: bool = False) -> list[Event]:
    """Events (:class:`~geomap.models.Event`) of one article file, not yet merged."""

    return article_stages(path, published, online=online)[2]


def process_article(path: str, published: date | None = None, *, online: bool = False) -> dict[str, Any]:
    """Both at once (one read, one place pass): ``{"article", "places": Features, "events": [Event]}``."""

    name, mentions, events = article_stages(path, published, online=online)
    return {"article": name, "places": _with_border_fields(mention_features(mentions)), "events": events}


def process_eval(path: str, published: date | None = None) -> dict[str, Any]:
    """What the scorer needs for one article: its place Features and the incidents extracted and
    merged from this article alone (properties plus ``lon``/``lat``)."""

    name, mentions, events = article_stages(path, published)
    return {
        "article": name,
        "places": mention_features(mentions),
        "incidents": [dict(i.properties(), lon=i.lon, lat=i.lat) for i in merge_events(events)],
    }


def _worker(func: Callable[..., Any], online: bool) -> PerArticle:
    """A per-article function for the runners, asking the online geocoder too when ``online``."""
    return functools.partial(func, online=True) if online else func


# ---------------------------------------------------------------------------------------------
# Over the corpus


def iter_place_features(
    paths: Iterable[PathLike],
    *,
    published: date | None = None,
    jobs: int = 1,
    scheduler: Any = None,
    online: bool = False,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """Place mentions of every article as GeoJSON Point Features, article by article."""

    func = _worker(process_places, online)
    for features in map_articles(func, list(paths), jobs=jobs, scheduler=scheduler, published=published):
        if progress:
            progress()
        yield from features


@functools.lru_cache(maxsize=65536)
def _point_border_fields(lon: float, lat: float, pair: str | None = None) -> dict[str, Any]:
    """:func:`geomap.border.border_fields` of a point, remembered (places recur across articles;
    the answers are shared, never changed)."""
    return border_fields(lon, lat, pair)


def _with_border_fields(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for feature in features:
        add_mention_border_fields(feature)
    return features


def add_mention_border_fields(feature: dict[str, Any]) -> None:
    """Border fields (``side``, ``border``, ``border_km``, ``nearest_crossing``, ``crossing_km``)
    for a place mention below country level (null for a country, which has no one point)."""
    props = feature["properties"]
    fields: dict[str, Any] = dict.fromkeys(BORDER_COLUMNS)
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
    progress: Progress | None = None,
) -> Iterator[list[Event]]:
    """The (unmerged) events of each article, article by article; only events come back from
    the workers."""

    func = _worker(process_events, online)
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
    progress: Progress | None = None,
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
    func = _worker(process_article, online)
    for result in map_articles(func, list(paths), jobs=jobs, scheduler=scheduler, published=published):
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
    progress: Progress | None = None,
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
        yield store.incidents(finish=_add_point_border_geometry)


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
        _set_border_geometry(inc, fields)


def _add_point_border_geometry(inc: Incident) -> None:
    """:func:`add_border_geometry` of one incident, its point's fields remembered: merged on
    disk, incidents come one at a time, and many at the same few places."""
    _set_border_geometry(inc, _point_border_fields(inc.lon, inc.lat, inc.border))


def _set_border_geometry(inc: Incident, fields: Mapping[str, Any]) -> None:
    inc.side = fields["side"]
    inc.border = fields["border"]
    inc.border_km = fields["border_km"]
    inc.nearest_crossing = fields["nearest_crossing"]
    inc.crossing_km = fields["crossing_km"]
    at_crossing = inc.crossing_km is not None and inc.crossing_km < 1.0
    if at_crossing and (inc.border_km or 0.0) <= 5.0:
        return  # a crossing sits on the line: either side within 5 km is consistent
    if inc.country and inc.side and inc.country != inc.side and inc.geo_precision < 3:
        message = f"the place '{inc.place}' is in {inc.country} but its point lies in {inc.side}"
        if message not in inc.warnings:
            inc.warnings.append(message)


def incidents_frame(incidents: Iterable[Incident], filters: Mapping[str, Any]) -> gpd.GeoDataFrame:
    """The incidents as a GeoDataFrame, keeping those that pass the filter options
    (:func:`geomap.filters.filter_incidents`)."""
    return filter_incidents(incidents_to_gdf(incidents), filters)


def extract_incidents(
    paths: Iterable[PathLike],
    filters: Mapping[str, Any],
    *,
    published: date | None = None,
    jobs: int = 1,
    scheduler: Any = None,
    online: bool = False,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """The incidents of every article under ``paths``, merged across articles and filtered."""
    _, events = run_articles(
        paths,
        published=published,
        jobs=jobs,
        scheduler=scheduler,
        online=online,
        progress=progress,
        keep_places=False,
    )
    return _frame_of_events(events, filters)


def places_and_incidents(
    paths: Iterable[PathLike],
    filters: Mapping[str, Any],
    *,
    published: date | None = None,
    jobs: int = 1,
    scheduler: Any = None,
    online: bool = False,
    progress: Progress | None = None,
) -> tuple[list[dict[str, Any]], gpd.GeoDataFrame]:
    """The place Features and the filtered incidents frame of every article under ``paths``,
    in one pass over the files."""
    places, events = run_articles(
        paths, published=published, jobs=jobs, scheduler=scheduler, online=online, progress=progress
    )
    return places, _frame_of_events(events, filters)


def _frame_of_events(events: list[Event], filters: Mapping[str, Any]) -> gpd.GeoDataFrame:
    """The merged, filtered incidents frame of the events; the caller must hold no other
    reference to ``events``, which are freed as soon as the incidents are merged."""
    merged = incidents_from_events(events)
    events.clear()  # the incidents hold what the output needs; free the events before the frame
    return incidents_frame(merged, filters)
