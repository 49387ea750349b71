"""geomap: news reports of border incidents to a verifiable, layered incident map and open geodata.

The Python API mirrors the command line and returns GeoDataFrames::

    import geomap
    mentions = geomap.places(["seeds/"])          # one row per place mention
    incidents = geomap.extract(["seeds/"])        # one row per incident, merged across articles
    m = geomap.render_map(incidents)              # a folium.Map (shows inline in Jupyter)
    geomap.save_map(m, "map.html")                # one HTML file that opens offline
    geomap.export(incidents, "incidents.gpkg", "gpkg")

Each function is a thin call into the module that does the work (:mod:`geomap.pipeline`,
:mod:`geomap.exporters`, :mod:`geomap.mapping`), imported by the function itself: importing any
``geomap`` module runs this one first, which must stay free of the pipeline's tables and of
geopandas and folium.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import GeomapError, InputError
from ._version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable
    from datetime import date
    from os import PathLike

    import folium
    import geopandas as gpd

    Paths = str | PathLike[str] | Iterable[str | PathLike[str]]

__all__ = [
    "places",
    "extract",
    "render_map",
    "save_map",
    "export",
    "read_incidents",
    "GeomapError",
    "InputError",
    "__version__",
]


def _paths(paths: Paths) -> list[str | PathLike[str]]:
    from os import PathLike

    return [paths] if isinstance(paths, (str, PathLike)) else list(paths)


def places(
    paths: Paths,
    *,
    published: date | None = None,
    online: bool = False,
    jobs: int = 1,
    scheduler: Any = None,
) -> gpd.GeoDataFrame:
    """Place mentions of the articles under ``paths`` (files or folders), one row each, WGS84 points."""
    import geopandas as gpd

    from .pipeline import iter_place_features

    features = list(
        iter_place_features(_paths(paths), published=published, online=online, jobs=jobs, scheduler=scheduler)
    )
    columns = [
        "article",
        "mention",
        "start",
        "end",
        "name",
        "place_id",
        "kind",
        "country",
        "role",
        "confidence",
    ]
    if not features:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs="EPSG:4326")
    return gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")[[*columns, "geometry"]]


def extract(
    paths: Paths,
    *,
    published: date | None = None,
    online: bool = False,
    jobs: int = 1,
    scheduler: Any = None,
    **filters: Any,
) -> gpd.GeoDataFrame:
    """Incidents reported by the articles under ``paths``, merged across articles, one row each.

    Keyword filters are those of :func:`geomap.filters.parse_filters` (``types="strike,clash"``,
    ``since="2025-10-01"``, ``country="AF"``, ``bbox="60,29,75,38"``, ...).
    """
    from .pipeline import extract_incidents

    return extract_incidents(
        _paths(paths), filters, published=published, online=online, jobs=jobs, scheduler=scheduler
    )


def read_incidents(path: str | PathLike[str]) -> gpd.GeoDataFrame:
    """Incidents from a geomap GeoJSON file or an ACLED export CSV."""
    from .exporters import read_incidents as _read

    return _read(path)


def render_map(gdf: gpd.GeoDataFrame, **options: Any) -> folium.Map:
    """A layered folium map of incidents (one layer per event type, legend, time control, ...)."""
    from .mapping import render_map as _render

    return _render(gdf, **options)


def save_map(m: folium.Map, path: str | PathLike[str], offline: bool = True) -> None:
    """Write a map as one HTML file that opens offline: Leaflet and its plugins inlined (the
    default; ``offline=False`` links them from CDNs). ``m.save(path)`` on a geomap map does the same."""
    from .mapping import save_map as _save

    _save(m, path, offline=offline)


def export(gdf: gpd.GeoDataFrame, path: str | PathLike[str], format: str = "geojson", **options: Any) -> None:
    """Write incidents as ``geojson``, ``csv`` (ACLED columns first), ``gpkg`` or ``kml``, atomically."""
    from .exporters import export as _export

    _export(gdf, path, format, **options)
