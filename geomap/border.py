"""Every land border: which side a point is on, the nearest border pair, how far, which crossing.

Data (bundled in ``geodata/``, loaded lazily once per process):

- ``world_countries.geojson``: Natural Earth 10m admin-0 polygons, for point-in-polygon ``side``;
- ``borders.geojson``: the boundary line of every pair of neighbouring countries, derived from the
  same Natural Earth edition by ``geodata/build_borders.py`` (the Line of Control, the Line of
  Actual Control and the Korean demarcation line are the lines it draws between those pairs);
- ``crossings.csv`` and the ``crossing`` rows of ``regional.csv``: the known border crossings.

A pair is written as its two ISO 3166-1 alpha-2 codes, sorted and joined by "-" ("AF-PK",
"KH-TH"): :func:`pair_key`. Distances are geodesic (WGS84, pyproj ``Geod.inv``) between the point
and the nearest point of the line found in degree space, which is within metres of the geodesic
nearest point at the scale of a border stretch.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from .distance import geod, geodesic_km
from .schema import BORDER_COLUMNS
from .settings import geodata_path, read_geodata_csv

if TYPE_CHECKING:  # numpy, shapely and geopandas are imported where used: start-up stays fast
    import numpy as np
    from geopandas import GeoDataFrame
    from numpy.typing import ArrayLike, NDArray
    from shapely import STRtree
    from shapely.geometry.base import BaseGeometry

    #: Shapely geometries in a numpy array.
    GeoArray = NDArray[np.object_]

#: An incident further than this from every line belongs to no border (``border`` is null).
NEAR_BORDER_KM = 100.0


def pair_key(a: str, b: str) -> str:
    """The key of the border between two countries: sorted ISO codes joined by "-"."""
    x, y = sorted((a.upper(), b.upper()))
    return f"{x}-{y}"


def parse_pair(text: str) -> str | None:
    """A pair key from "KH-TH", "th-kh", "TH–KH" or "KH/TH" (None when it is not two codes)."""
    parts = [p for p in text.replace("–", "-").replace("/", "-").replace("_", "-").split("-") if p]
    if len(parts) != 2 or not all(len(p) == 2 and p.isalpha() for p in parts):
        return None
    return pair_key(parts[0], parts[1])


@lru_cache(maxsize=1)
def _countries() -> tuple[list[BaseGeometry], list[str | None], STRtree]:
    """(geometries, iso2 codes, STRtree) from world_countries.geojson."""
    import shapely
    from shapely.geometry import shape

    data = json.loads(geodata_path("world_countries.geojson").read_text(encoding="utf-8"))
    geoms: list[BaseGeometry] = []
    codes: list[str | None] = []
    for feat in data["features"]:
        geom = shape(feat["geometry"])
        if not geom.is_valid:
            geom = geom.buffer(0)
        shapely.prepare(geom)
        geoms.append(geom)
        codes.append(feat["properties"].get("iso2"))
    return geoms, codes, shapely.STRtree(geoms)


@cache
def country_radius_km(iso2: str) -> float | None:
    """The radius (km) of a disc of the country's area (its Natural Earth 10m polygons, on the
    WGS84 ellipsoid): how far an event known only to lie in it may be from its point."""
    geoms, codes, _tree = _countries()
    area = sum(abs(geod().geometry_area_perimeter(g)[0]) for g, c in zip(geoms, codes) if c == iso2)
    return round(math.sqrt(area / math.pi) / 1000.0, 1) if area else None


@lru_cache(maxsize=1)
def lines() -> tuple[tuple[str, ...], tuple[BaseGeometry, ...], STRtree, dict[str, dict[str, Any]]]:
    """(pair keys, line geometries, STRtree over them, properties by pair) of borders.geojson."""
    import shapely
    from shapely.geometry import shape

    data = json.loads(geodata_path("borders.geojson").read_text(encoding="utf-8"))
    keys: list[str] = []
    geoms: list[BaseGeometry] = []
    props: dict[str, dict[str, Any]] = {}
    for feat in data["features"]:
        p = feat["properties"]
        geom = shape(feat["geometry"])
        shapely.prepare(geom)
        keys.append(p["pair"])
        geoms.append(geom)
        props[p["pair"]] = p
    return tuple(keys), tuple(geoms), shapely.STRtree(list(geoms)), props


@lru_cache(maxsize=1)
def pairs() -> frozenset[str]:
    """Every pair of neighbouring countries that has a land border line."""
    return frozenset(_neighbour_pairs())


def _neighbour_pairs() -> list[str]:
    """The pair keys of borders.geojson, read without building the lines."""
    return sorted(
        {
            border_pair
            for code, others in _neighbour_table().items()
            for border_pair in (pair_key(code, other) for other in others)
        }
    )


def involved_pairs(values: Iterable[Any]) -> list[str]:
    """The known land borders among ``values`` (an incident column of pairs such as "KH-TH", in
    any form; others ignored), those given most first."""
    known = pairs()
    counts: dict[str, int] = {}
    for value in values:
        pair = parse_pair(value) if isinstance(value, str) else None
        if pair in known:
            counts[pair] = counts.get(pair, 0) + 1
    return sorted(counts, key=lambda p: (-counts[p], p))


def pair_line(pair: str) -> BaseGeometry | None:
    """The line of one pair (a shapely MultiLineString in lon/lat), or None."""
    keys, geoms, _tree, _props = lines()
    try:
        return geoms[keys.index(pair)]
    except ValueError:
        return None


def border_name(pair: str) -> str:
    """ "Cambodia–Thailand border" for "KH-TH" (the pair's own name in borders.geojson)."""
    props = lines()[3].get(pair)
    return str(props["name"]) if props else f"{pair} border"


def border_length_km(pair: str) -> float | None:
    props = lines()[3].get(pair)
    return float(props["length_km"]) if props else None


@lru_cache(maxsize=1)
def _neighbour_table() -> dict[str, frozenset[str]]:
    """Each country's land neighbours, from the pairs of borders.geojson (no geometry built)."""
    data = json.loads(geodata_path("borders.geojson").read_text(encoding="utf-8"))
    table: dict[str, set[str]] = {}
    for feat in data["features"]:
        a, b = feat["properties"]["a"], feat["properties"]["b"]
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


def neighbours(code: str) -> frozenset[str]:
    """The countries that share a land border line with ``code``."""
    return _neighbour_table().get(code.upper(), frozenset())


def _crossing_rows() -> list[dict[str, str]]:
    """The crossing rows of ``regional.csv`` and ``crossings.csv``."""
    return [
        row
        for table in ("regional.csv", "crossings.csv")
        for row in read_geodata_csv(table)
        if row.get("kind") == "crossing"
    ]


@lru_cache(maxsize=1)
def crossings() -> tuple[tuple[str, float, float], ...]:
    """(name, lon, lat) of every known crossing: ``crossings.csv`` and the crossing rows of
    ``regional.csv``."""
    return tuple((row["name"], float(row["lon"]), float(row["lat"])) for row in _crossing_rows())


@lru_cache(maxsize=1)
def _crossing_arrays() -> tuple[GeoArray, GeoArray, STRtree]:
    """(names, points, STRtree) of the known crossings."""
    import numpy as np
    import shapely

    cr = crossings()
    pts = _points(np.array([c[1] for c in cr], dtype=float), np.array([c[2] for c in cr], dtype=float))
    return np.array([c[0] for c in cr], dtype=object), pts, shapely.STRtree(pts)


def _points(lons: ArrayLike, lats: ArrayLike) -> GeoArray:
    """Shapely points of arrays of coordinates, as an array (the stubs also allow one point)."""
    import numpy as np
    import shapely

    pts = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    if not isinstance(pts, np.ndarray):  # pragma: no cover - arrays in, an array out
        raise TypeError("expected an array of points")
    return pts


def _nearest_geodesic(
    pts: GeoArray, lats: NDArray[np.float64], tree: STRtree, geoms: GeoArray
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """For each point, (index of the geodesically nearest geometry of ``tree``, km), or -1/nan:
    the planar nearest in degrees first, then every geometry it could hide away from the equator
    (within its distance over the cosine of the latitude), measured geodesically."""
    import numpy as np

    n = len(pts)
    best_i: NDArray[np.int64] = np.full(n, -1, dtype=np.int64)
    best_km: NDArray[np.float64] = np.full(n, np.nan)
    if n == 0 or len(geoms) == 0:
        return best_i, best_km
    (pi, gi), planar = tree.query_nearest(pts, return_distance=True, all_matches=False)
    first = np.full(n, np.nan)
    first[pi] = planar
    reach = first / np.maximum(0.05, np.cos(np.radians(np.minimum(89.0, np.abs(lats))))) + 1e-9
    qi, qg = tree.query(pts, predicate="dwithin", distance=reach)
    qi = np.concatenate([qi, pi])
    qg = np.concatenate([qg, gi])
    d = _geodesic_to(pts[qi], geoms[qg])
    order = np.lexsort((qg, d, qi))  # by point, then distance, then index
    qi, qg, d = qi[order], qg[order], d[order]
    firsts = np.unique(qi, return_index=True)[1]
    best_i[qi[firsts]] = qg[firsts]
    best_km[qi[firsts]] = d[firsts]
    return best_i, best_km


def _nearest_on(geom: BaseGeometry, lon: float, lat: float) -> tuple[float, float, float]:
    """(km, lon, lat) of the point of ``geom`` nearest to (lon, lat)."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    q = nearest_points(geom, Point(lon, lat))[0]
    return geodesic_km(lat, lon, q.y, q.x), q.x, q.y


def sides(lons: ArrayLike, lats: ArrayLike) -> GeoArray:
    """ISO2 of the country polygon holding each point (None at sea), as a numpy object array."""
    import numpy as np

    _geoms, codes, tree = _countries()
    pts = _points(lons, lats)
    out: GeoArray = np.full(len(pts), None, dtype=np.object_)
    pi, gi = tree.query(pts, predicate="intersects")
    order = np.lexsort((gi, pi))
    for p, g in zip(pi[order][::-1], gi[order][::-1]):  # the lowest polygon index wins
        if codes[g]:
            out[p] = codes[g]
    return out


def side_of(lon: float, lat: float) -> str | None:
    """ISO2 of the country polygon containing the point (None at sea)."""
    code = sides([lon], [lat])[0]
    return None if code is None else str(code)


def _geodesic_to(points: GeoArray, geoms: GeoArray) -> NDArray[np.float64]:
    """Geodesic km from each point to the nearest point of the matching geometry."""
    import numpy as np
    import shapely

    ends = shapely.get_coordinates(shapely.shortest_line(points, geoms)).reshape(-1, 2, 2)
    d = geod().inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])[2]
    km: NDArray[np.float64] = np.abs(np.asarray(d, dtype=float)) / 1000.0
    return km


def nearest_borders(lons: ArrayLike, lats: ArrayLike) -> tuple[GeoArray, NDArray[np.float64]]:
    """(pair keys, km) of the border line nearest to each point, as numpy arrays."""
    import numpy as np

    keys, geoms, tree, _props = lines()
    ys = np.asarray(lats, dtype=float)
    pts = _points(lons, ys)
    idx, dist = _nearest_geodesic(pts, ys, tree, np.asarray(geoms, dtype=object))
    out_keys: GeoArray = np.full(len(pts), None, dtype=np.object_)
    out_keys[idx >= 0] = np.asarray(keys, dtype=object)[idx[idx >= 0]]
    return out_keys, dist


def distance_to_pair(lon: float, lat: float, pair: str) -> float | None:
    """Geodesic km from a point to the line of ``pair`` (None for a pair with no line)."""
    line = pair_line(pair)
    return None if line is None else _nearest_on(line, lon, lat)[0]


def nearest_border(
    lon: float, lat: float, candidates: Iterable[str] | None = None
) -> tuple[str | None, float | None]:
    """(pair, km) of the border line nearest to a point, among ``candidates`` when given."""
    if candidates is not None:
        best: tuple[str | None, float | None] = (None, None)
        for pair in candidates:
            d = distance_to_pair(lon, lat, pair)
            if d is not None and (best[1] is None or d < best[1]):
                best = (pair, d)
        return best
    keys, dist = nearest_borders([lon], [lat])
    return keys[0], (None if math.isnan(dist[0]) else float(dist[0]))


def nearest_crossings(lons: ArrayLike, lats: ArrayLike) -> tuple[GeoArray, NDArray[np.float64]]:
    """(names, km) of the known crossing nearest to each point, as numpy arrays."""
    import numpy as np

    names, cpts, tree = _crossing_arrays()
    ys = np.asarray(lats, dtype=float)
    pts = _points(lons, ys)
    idx, dist = _nearest_geodesic(pts, ys, tree, cpts)
    out: GeoArray = np.full(len(pts), None, dtype=np.object_)
    out[idx >= 0] = names[idx[idx >= 0]]
    return out, dist


def nearest_crossing(lon: float, lat: float) -> tuple[str | None, float | None]:
    """The nearest known crossing and its distance in km."""
    names, dist = nearest_crossings([lon], [lat])
    return (None, None) if names[0] is None else (str(names[0]), round(float(dist[0]), 2))


def fields_for_points(
    lons: ArrayLike, lats: ArrayLike, involved: Iterable[str | None] | None = None
) -> list[dict[str, Any]]:
    """:data:`BORDER_COLUMNS` of many points at once (see :func:`border_fields`)."""
    import numpy as np

    xs = np.asarray(lons, dtype=float)
    ys = np.asarray(lats, dtype=float)
    n = len(xs)
    given = list(involved) if involved is not None else [None] * n
    side = sides(xs, ys)
    near_keys, near_km = nearest_borders(xs, ys)
    cr_names, cr_km = nearest_crossings(xs, ys)
    known = lines()[3]
    out = []
    for i in range(n):
        here = given[i]
        pair = here if isinstance(here, str) and here in known else None
        d: float | None
        if pair is not None:
            d = distance_to_pair(float(xs[i]), float(ys[i]), pair)
        else:
            d = None if math.isnan(near_km[i]) else float(near_km[i])
            pair = near_keys[i] if d is not None and d <= NEAR_BORDER_KM else None
        out.append(
            {
                "side": side[i],
                "border": pair,
                "border_km": None if d is None else round(d, 2),
                "nearest_crossing": cr_names[i],
                "crossing_km": None if cr_names[i] is None else round(float(cr_km[i]), 2),
            }
        )
    return out


def border_fields(lon: float, lat: float, pair: str | None = None) -> dict[str, Any]:
    """``side``, ``border``, ``border_km``, ``nearest_crossing`` and ``crossing_km`` of a point.

    ``pair`` is the border the incident involves (its two countries), when known: ``border`` is
    then that pair and ``border_km`` the distance to *its* line. Otherwise ``border`` is the
    nearest pair within :data:`NEAR_BORDER_KM` (null further away) and ``border_km`` the distance
    to the nearest line, however far.
    """
    return fields_for_points([lon], [lat], [pair])[0]


def add_border_fields(gdf: GeoDataFrame, pairs: Iterable[str | None] | None = None) -> GeoDataFrame:
    """A copy of a GeoDataFrame of points (WGS84) with the :data:`BORDER_COLUMNS` added.

    ``pairs`` gives each row's involved border (or None), as :func:`border_fields` takes it; by
    default a ``border`` column already in the frame is used.
    """
    import numpy as np
    import pandas as pd
    import shapely

    out = gdf.copy()
    if len(out) == 0:
        for c in BORDER_COLUMNS:
            out[c] = []
        return out
    geom = out.geometry
    if getattr(geom, "crs", None) is not None and not geom.crs.equals("EPSG:4326"):
        geom = geom.to_crs("EPSG:4326")
    pts = np.asarray(geom.values, dtype=object)
    xs = shapely.get_x(pts)
    ys = shapely.get_y(pts)
    valid = ~(np.isnan(xs) | np.isnan(ys))
    if pairs is None:
        pairs = out["border"].tolist() if "border" in out.columns else [None] * len(out)
    pairs = list(pairs)
    rows: list[dict[str, Any]] = [dict.fromkeys(BORDER_COLUMNS) for _ in range(len(out))]
    idx = np.nonzero(valid)[0]
    for i, f in zip(idx, fields_for_points(xs[idx], ys[idx], [pairs[i] for i in idx])):
        rows[i] = f
    for c in BORDER_COLUMNS:
        out[c] = pd.Series([r[c] for r in rows], index=out.index, dtype=object)
    return out


#: A named place this close to a border line can give its name to a crossing there.
DERIVED_CROSSING_KM = 30.0


def crossing_near(lon: float, lat: float) -> tuple[str, float, float, float] | None:
    """(pair, lon, lat, km) of the border point nearest a place within
    :data:`DERIVED_CROSSING_KM` of a land border line ("the Kork Mon checkpoint": the crossing is
    where the border passes the village), or None for a place further from every border."""
    pair, dist = nearest_border(lon, lat)
    if pair is None or dist is None or dist > DERIVED_CROSSING_KM:
        return None
    line = pair_line(pair)
    if line is None:  # pragma: no cover - the nearest pair is one with a line
        return None
    _d, x, y = _nearest_on(line, lon, lat)
    return pair, round(x, 6), round(y, 6), round(dist, 2)


#: The least extent of a point put on a border line near a story's places (km).
BORDER_POINT_MIN_KM: float = 25.0


def point_on_border(pair: str, near: tuple[float, float] | None = None) -> tuple[float, float, float]:
    """(lon, lat, uncertainty km) of a point on the line of ``pair``: the point nearest to
    ``near`` (lon, lat), or the middle of the line's longest part when ``near`` is None.

    The uncertainty is an honest extent for an event known only to lie "on the border": the
    line's points no farther from ``near`` than twice its distance d to the line are about as
    likely (they reach about 1.7 d along the line either way), so 2 d, at least
    :data:`BORDER_POINT_MIN_KM`; or half the border's length (at most 500 km) when nothing
    locates it along the line.
    """
    line = pair_line(pair)
    if line is None:
        raise KeyError(pair)
    if near is None:
        part = max(getattr(line, "geoms", [line]), key=lambda g: g.length)
        p = part.interpolate(0.5, normalized=True)
        extent = min(500.0, (border_length_km(pair) or 1000.0) / 2)
        return round(p.x, 6), round(p.y, 6), round(extent, 1)
    d, x, y = _nearest_on(line, near[0], near[1])
    return round(x, 6), round(y, 6), round(max(BORDER_POINT_MIN_KM, 2.0 * d), 1)


@lru_cache(maxsize=1)
def crossing_records() -> tuple[dict[str, Any], ...]:
    """Every known crossing as a dict: ``name``, ``place_id``, ``country``, ``lat``, ``lon`` and
    ``pair`` (the border it lies on: the table's own ``pair`` column, else the nearest line)."""
    rows: list[dict[str, Any]] = [
        {
            "name": row["name"].strip(),
            "place_id": row["place_id"].strip(),
            "country": (row.get("country") or "").strip(),
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "pair": parse_pair(row.get("pair") or "") or None,
        }
        for row in _crossing_rows()
    ]
    missing = [r for r in rows if r["pair"] is None]
    if missing:
        keys, _dist = nearest_borders([r["lon"] for r in missing], [r["lat"] for r in missing])
        for r, k in zip(missing, keys):
            r["pair"] = k
    return tuple(rows)


def crossings_on(pairs: Iterable[str] | None) -> list[dict[str, Any]]:
    """The known crossings of the given borders (all of them for None)."""
    if pairs is None:
        return [dict(r) for r in crossing_records()]
    wanted = set(pairs)
    return [dict(r) for r in crossing_records() if r["pair"] in wanted]


def lines_geojson(pairs: Iterable[str]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the lines of the given borders (``pair``, ``name``)."""
    from shapely.geometry import mapping

    feats = []
    for pair in sorted(set(pairs)):
        line = pair_line(pair)
        if line is None:
            continue
        feats.append(
            {
                "type": "Feature",
                "properties": {"pair": pair, "name": border_name(pair)},
                "geometry": mapping(line),
            }
        )
    return {"type": "FeatureCollection", "features": feats}
