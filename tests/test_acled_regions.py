"""geodata/acled_regions.csv: an ACLED region for every country of geodata/countries.csv."""

from __future__ import annotations

import csv

import pytest

from geomap import acled
from geomap.settings import geodata_path

ACLED_REGION_NAMES = frozenset(
    {
        "Western Africa",
        "Middle Africa",
        "Eastern Africa",
        "Southern Africa",
        "Northern Africa",
        "South Asia",
        "Southeast Asia",
        "East Asia",
        "Middle East",
        "Europe",
        "Caucasus and Central Asia",
        "Central America",
        "South America",
        "Caribbean",
        "North America",
        "Oceania",
        "Antarctica",
    }
)


def _rows(name: str) -> list[dict[str, str]]:
    with open(geodata_path(name), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def test_header_and_sources():
    rows = _rows("acled_regions.csv")
    assert rows and list(rows[0]) == ["iso2", "region", "source"]
    codes = [r["iso2"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate iso2 rows"
    for r in rows:
        assert r["source"].strip(), r


def test_every_country_has_a_region():
    table = {r["iso2"] for r in _rows("acled_regions.csv")}
    countries = {r["iso2"].strip().upper() for r in _rows("countries.csv") if r["iso2"].strip()}
    assert not countries - table, sorted(countries - table)
    for code in countries:
        assert acled.acled_region(code) in ACLED_REGION_NAMES, code
        assert acled.acled_region(code.lower()) == acled.acled_region(code)


def test_regions_are_acled_names():
    for r in _rows("acled_regions.csv"):
        assert r["region"] in ACLED_REGION_NAMES, r


@pytest.mark.parametrize(
    ("iso2", "region"),
    [
        ("AF", "South Asia"),
        ("PK", "South Asia"),
        ("KH", "Southeast Asia"),
        ("TH", "Southeast Asia"),
        ("SD", "Northern Africa"),
        ("SS", "Eastern Africa"),
        ("TD", "Middle Africa"),
        ("KP", "East Asia"),
        ("VE", "South America"),
        ("GY", "South America"),
        ("IL", "Middle East"),
        ("LB", "Middle East"),
        ("KG", "Caucasus and Central Asia"),
        ("AM", "Caucasus and Central Asia"),
        ("UA", "Europe"),
        ("PL", "Europe"),
        ("MX", "Central America"),
        ("HT", "Caribbean"),
        ("US", "North America"),
        ("PG", "Oceania"),
        ("ER", "Eastern Africa"),
        ("CD", "Middle Africa"),
        ("RW", "Eastern Africa"),
        ("ZA", "Southern Africa"),
        ("NG", "Western Africa"),
    ],
)
def test_spot_checks(iso2, region):
    assert acled.acled_region(iso2) == region


def test_unknown_codes():
    assert acled.acled_region(None) == "" and acled.acled_region("") == ""
    assert acled.acled_region("QQ") == ""  # no table row, no GeoNames continent
