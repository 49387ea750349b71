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
    """The paths as a list; a clear :class:`TypeError` for what names no files (``None``, ``123``)."""
    from collections.abc import Iterable
    from os import PathLike

    if isinstance(paths, (str, PathLike)):
        return [paths]
    if isinstance(paths, (bytes, bytearray)) or not isinstance(paths, Iterable):
        raise TypeError(
            f"paths must be a file or folder name or a list of them, not {type(paths).__name__} {paths!r:.60}"
        )
    items = list(paths)
    for item in items:
        if not isinstance(item, (str, PathLike)):
            raise TypeError(f"paths must be file or folder names, not {type(item).__name__} {item!r:.60}")
    return items


def _frame(gdf: Any, what: str) -> gpd.GeoDataFrame:
    """``gdf`` checked to be a GeoDataFrame of incidents; an empty one without a geometry column
    gets an empty one."""
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"{what} takes a GeoDataFrame of incidents, not {type(gdf).__name__}")
    if gdf._geometry_column_name not in gdf.columns:
        if len(gdf):
            from ._errors import InputError

            raise InputError(f"{what}: the incidents have no geometry column")
        return gpd.GeoDataFrame(gdf, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")
    return gdf


#: Export formats by file extension (for :func:`export` without a format).
_FORMAT_OF_SUFFIX = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg", ".kml": "kml"}


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
    from .schema import MENTION_COLUMNS

    features = list(
        iter_place_features(_paths(paths), published=published, online=online, jobs=jobs, scheduler=scheduler)
    )
    columns = list(MENTION_COLUMNS)
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

    return _render(_frame(gdf, "render_map"), **options)


def save_map(m: folium.Map, path: str | PathLike[str], offline: bool = True) -> None:
    """Write a map as one HTML file that opens offline: Leaflet and its plugins inlined (the
    default; ``offline=False`` links them from CDNs). ``m.save(path)`` on a geomap map does the same."""
    from .mapping import save_map as _save

    _save(m, path, offline=offline)


def export(
    gdf: gpd.GeoDataFrame, path: str | PathLike[str], format: str | None = None, **options: Any
) -> None:
    """Write incidents as ``geojson``, ``csv`` (ACLED columns first), ``gpkg`` or ``kml``, atomically.

    format: by default the one the file's extension names (``.geojson``/``.json``, ``.csv``,
        ``.gpkg``, ``.kml``; GeoJSON on standard output, ``"-"``); another extension with no format
        given is refused rather than written as GeoJSON.
    """
    from pathlib import Path

    from ._errors import InputError
    from .exporters import export as _export

    if format is None:
        if path is None or str(path) == "-":
            format = "geojson"
        else:
            suffix = Path(path).suffix.lower()
            if suffix not in _FORMAT_OF_SUFFIX:
                raise InputError(
                    f"cannot tell the format from the extension {suffix or '(none)'!r}; "
                    "give format='geojson', 'csv', 'gpkg' or 'kml'",
                    path,
                )
            format = _FORMAT_OF_SUFFIX[suffix]
    _export(_frame(gdf, "export"), path, format, **options)
