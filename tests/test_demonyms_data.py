"""``geodata/demonyms.csv``: well formed, one row per country, no word under two countries, and the
nationality words of border news resolve to the right ISO code."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pytest

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def _rows(name: str) -> list[dict[str, str]]:
    with open(GEODATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@lru_cache(maxsize=1)
def demonym_rows() -> list[dict[str, str]]:
    return _rows("demonyms.csv")


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(r["iso2"] for r in _rows("countries.csv"))


def _words(row: dict[str, str]) -> list[str]:
    return [w.strip() for w in row["demonyms"].split("|") if w.strip()]


@lru_cache(maxsize=1)
def iso_of() -> dict[str, str]:
    """Each word (case-folded) -> its iso2 ("" for a people without a country)."""
    return {w.casefold(): r["iso2"] for r in demonym_rows() for w in _words(r)}


def test_file_parses():
    with open(GEODATA / "demonyms.csv", encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    assert lines[0].strip() == "iso2,demonyms"
    rows = list(csv.reader(lines))
    assert len(rows) > 1
    for row in rows[1:]:
        assert len(row) == 2, row
        assert row[0] == "" or (len(row[0]) == 2 and row[0].isupper()), row
        assert _words({"demonyms": row[1]}), row
        assert row[1] == row[1].strip() and "||" not in row[1], row


def test_codes_are_countries_and_unique():
    codes = [r["iso2"] for r in demonym_rows() if r["iso2"]]
    assert not set(codes) - country_codes()
    assert len(codes) == len(set(codes)), "one row per iso2"


def test_peoples_without_country_kept():
    peoples = {w for r in demonym_rows() if not r["iso2"] for w in _words(r)}
    assert {"Pashtun", "Baloch", "Kurd", "Uyghur"} <= peoples


def test_no_word_under_two_codes():
    seen: dict[str, str] = {}
    for r in demonym_rows():
        for w in _words(r):
            key = w.casefold()
            assert key not in seen or seen[key] == r["iso2"], f"{w!r}: {seen.get(key)} and {r['iso2']}"
            seen[key] = r["iso2"]


def test_coverage():
    assert len({r["iso2"] for r in demonym_rows() if r["iso2"]}) >= 180


SPOT_CHECKS = [
    ("Eritrean", "ER"),
    ("Eritreans", "ER"),
    ("Thai", "TH"),
    ("Cambodian", "KH"),
    ("North Korean", "KP"),
    ("South Korean", "KR"),
    ("Korean", "KR"),
    ("South Sudanese", "SS"),
    ("Sudanese", "SD"),
    ("Armenian", "AM"),
    ("Azerbaijani", "AZ"),
    ("Kyrgyz", "KG"),
    ("Tajik", "TJ"),
    ("Venezuelan", "VE"),
    ("Guyanese", "GY"),
    ("Israeli", "IL"),
    ("Palestinian", "PS"),
    ("Lebanese", "LB"),
    ("Syrian", "SY"),
    ("Chadian", "TD"),
    ("Rwandan", "RW"),
    ("Burundian", "BI"),
    ("Congolese", "CD"),
    ("Ethiopian", "ET"),
    ("Somali", "SO"),
    ("Kenyan", "KE"),
    ("Indian", "IN"),
    ("Nepali", "NP"),
    ("Bangladeshi", "BD"),
    ("Burmese", "MM"),
    ("Georgian", "GE"),
    ("Russian", "RU"),
    ("Moldovan", "MD"),
    ("Serbian", "RS"),
    ("Nigerien", "NE"),
    ("Nigerian", "NG"),
    ("Guinean", "GN"),
    ("Dominican", "DO"),
    ("Emirati", "AE"),
    ("Sahrawi", "EH"),
    ("Taiwanese", "TW"),
]


@pytest.mark.parametrize(("word", "iso2"), SPOT_CHECKS)
def test_spot_checks(word, iso2):
    assert iso_of().get(word.casefold()) == iso2


def test_kosovar():
    if "XK" not in country_codes():
        pytest.skip("Kosovo (XK) is not in geodata/countries.csv")
    assert iso_of().get("kosovar") == "XK"


@pytest.mark.parametrize("word", ["Jersey", "Guinea", "Monaco", "Chad", "Niger", "Brits"])
def test_place_names_are_not_demonyms(word):
    """A demonym is never a place mention, so a country's, a city's or a region's name must not be one."""
    assert word.casefold() not in iso_of()
