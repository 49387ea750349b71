"""Border geometry for points: which side, how far from the Afghanistan–Pakistan line, which crossing.

Data (all bundled in ``geodata/``, loaded lazily once): ``world_countries.geojson`` for
point-in-polygon ``side``, ``border_af_pk.geojson`` for the Afghanistan–Pakistan line and
``regional.csv`` (``kind == crossing``) for the crossings. Distances are geodesic (WGS84, pyproj
``Geod.inv``) between the point and the nearest point of the geometry found in degree space —
at these latitudes the planar nearest point is within metres of the geodesic one.
"""

from __future__ import annotations

import csv
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Countries whose distance is measured to the Afghanistan–Pakistan line.
AF_PK = ("AF", "PK")


def _geodata(name: str) -> Path:
    try:
        from .settings import geodata_path

        path = geodata_path(name)
        if path.exists():
            return path
    except Exception:  # geomap.geodata not installed (plain source checkout)
        pass
    return Path(__file__).resolve().parent.parent / "geodata" / name


@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


@lru_cache(maxsize=1)
def _countries():
    """(geometries, iso2 codes, STRtree, land-border lines by iso2) from world_countries.geojson."""
    import shapely
    from shapely.geometry import shape

    data = json.loads(_geodata("world_countries.geojson").read_text(encoding="utf-8"))
    geoms, codes = [], []
    for feat in data["features"]:
        geom = shape(feat["geometry"])
        if not geom.is_valid:
            geom = geom.buffer(0)
        shapely.prepare(geom)
        geoms.append(geom)
        codes.append(feat["properties"].get("iso2"))
    tree = shapely.STRtree(geoms)
    return geoms, codes, tree


@lru_cache(maxsize=1)
def border_line():
    """The Afghanistan–Pakistan border as a shapely (Multi)LineString (lon/lat)."""
    import shapely
    from shapely.geometry import shape

    data = json.loads(_geodata("border_af_pk.geojson").read_text(encoding="utf-8"))
    line = shape(data["features"][0]["geometry"])
    shapely.prepare(line)
    return line


@lru_cache(maxsize=1)
def crossings() -> tuple[tuple[str, float, float], ...]:
    """(name, lon, lat) of every crossing in regional.csv."""
    out = []
    with open(_geodata("regional.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "crossing":
                out.append((row["name"], float(row["lon"]), float(row["lat"])))
    return tuple(out)


@lru_cache(maxsize=512)
def _land_border(iso2: str):
    """The land borders of one country: the stretches of its boundary that run within ~0.06° of
    another country's polygon (simplified polygons do not share edges exactly)."""
    import numpy as np
    import shapely
    from shapely.ops import unary_union

    geoms, codes, tree = _countries()
    own = [g for g, c in zip(geoms, codes) if c == iso2]
    if not own:
        return None
    mine = unary_union(own)
    others = [geoms[i] for i in tree.query(mine.buffer(0.1)) if codes[i] != iso2]
    if not others:
        return None
    near_tree = shapely.STRtree(others)
    pieces = []
    rings = shapely.get_parts(mine.boundary)
    for ring in rings:
        coords = shapely.get_coordinates(ring)
        if len(coords) < 2:
            continue
        points = shapely.points(coords)
        hit = np.zeros(len(coords), dtype=bool)
        idx, _ = near_tree.query(points, predicate="dwithin", distance=0.06)
        hit[idx] = True
        # keep each segment whose two ends lie near a neighbour; join consecutive ones into lines
        keep = hit[:-1] & hit[1:]
        start = None
        for k, flag in enumerate(np.append(keep, False)):
            if flag and start is None:
                start = k
            elif not flag and start is not None:
                pieces.append(shapely.linestrings(coords[start : k + 1]))
                start = None
    if not pieces:
        return None
    edge = shapely.multilinestrings(pieces)
    shapely.prepare(edge)
    return edge


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return abs(_geod().inv(lon1, lat1, lon2, lat2)[2]) / 1000.0


def _distance_to(geom, lon: float, lat: float) -> float:
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    q = nearest_points(geom, Point(lon, lat))[0]
    return _km(lon, lat, q.x, q.y)


def side_of(lon: float, lat: float) -> str | None:
    """ISO2 of the country polygon containing the point (None at sea)."""
    from shapely.geometry import Point

    geoms, codes, tree = _countries()
    idx = tree.query(Point(lon, lat), predicate="intersects")
    for i in sorted(idx):
        if codes[i]:
            return codes[i]
    return None


def nearest_crossing(lon: float, lat: float) -> tuple[str | None, float | None]:
    best, best_km = None, math.inf
    for name, clon, clat in crossings():
        d = _km(lon, lat, clon, clat)
        if d < best_km:
            best, best_km = name, d
    return (best, round(best_km, 2)) if best else (None, None)


def border_fields(lon: float, lat: float) -> dict[str, Any]:
    """``side``, ``border_km``, ``nearest_crossing`` and ``crossing_km`` for one point."""
    side = side_of(lon, lat)
    if side in AF_PK or side is None:
        border_km = _distance_to(border_line(), lon, lat)
    else:
        edge = _land_border(side)
        border_km = _distance_to(edge, lon, lat) if edge is not None else None
    name, ckm = nearest_crossing(lon, lat)
    return {
        "side": side,
        "border_km": None if border_km is None else round(border_km, 2),
        "nearest_crossing": name,
        "crossing_km": ckm,
    }


def add_border_fields(gdf):
    """Add ``side``, ``border_km``, ``nearest_crossing``, ``crossing_km`` columns to a copy of a
    GeoDataFrame of points (WGS84). Vectorised: one STRtree query for the sides, shapely's
    vectorised nearest points for the border, numpy for the crossings."""
    import numpy as np
    import shapely

    out = gdf.copy()
    n = len(out)
    cols = ("side", "border_km", "nearest_crossing", "crossing_km")
    if n == 0:
        for c in cols:
            out[c] = []
        return out
    geom = out.geometry
    if getattr(geom, "crs", None) is not None and not geom.crs.equals("EPSG:4326"):
        geom = geom.to_crs("EPSG:4326")
    pts = np.asarray(geom.values, dtype=object)
    xs = shapely.get_x(pts)
    ys = shapely.get_y(pts)
    valid = ~(np.isnan(xs) | np.isnan(ys))

    geoms, codes, tree = _countries()
    side = np.full(n, None, dtype=object)
    pi, gi = tree.query(pts[valid], predicate="intersects")
    vidx = np.nonzero(valid)[0]
    order = np.lexsort((gi, pi))
    for p, g in zip(pi[order][::-1], gi[order][::-1]):  # lowest geometry index wins
        if codes[g]:
            side[vidx[p]] = codes[g]

    geod = _geod()
    border_km = np.full(n, np.nan)
    line = border_line()
    use_line = valid & np.array([s in AF_PK or s is None for s in side])
    if use_line.any():
        lines = shapely.shortest_line(pts[use_line], line)
        ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
        d = geod.inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])[2]
        border_km[use_line] = np.abs(d) / 1000.0
    for code in {s for s in side[valid & ~use_line]}:
        edge = _land_border(code)
        if edge is None:
            continue
        mask = valid & (side == code)
        lines = shapely.shortest_line(pts[mask], edge)
        ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
        d = geod.inv(ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1])[2]
        border_km[mask] = np.abs(d) / 1000.0

    cr = crossings()
    names = np.array([c[0] for c in cr], dtype=object)
    clon = np.array([c[1] for c in cr])
    clat = np.array([c[2] for c in cr])
    nearest = np.full(n, None, dtype=object)
    ckm = np.full(n, np.nan)
    if len(cr) and valid.any():
        vx, vy = xs[valid], ys[valid]
        m, k = len(vx), len(cr)
        d = geod.inv(np.repeat(vx, k), np.repeat(vy, k), np.tile(clon, m), np.tile(clat, m))[2]
        d = np.abs(np.asarray(d)).reshape(m, k) / 1000.0
        j = d.argmin(axis=1)
        nearest[valid] = names[j]
        ckm[valid] = d[np.arange(m), j]

    import pandas as pd

    def col(values):
        return pd.Series(list(values), index=out.index, dtype=object)

    out["side"] = col(side)
    out["border_km"] = col(None if np.isnan(v) else round(float(v), 2) for v in border_km)
    out["nearest_crossing"] = col(nearest)
    out["crossing_km"] = col(None if np.isnan(v) else round(float(v), 2) for v in ckm)
    return out


def representative_border_point(near: tuple[float, float] | None = None) -> tuple[float, float]:
    """(lon, lat) on the Afghanistan–Pakistan line: nearest to ``near`` (lon, lat), or the midpoint
    along the line when ``near`` is None."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    line = border_line()
    if near is None:
        p = line.interpolate(0.5, normalized=True)
    else:
        p = nearest_points(line, Point(near[0], near[1]))[0]
    return (round(p.x, 6), round(p.y, 6))
