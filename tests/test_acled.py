"""geomap.acled: the type table, ACLED export CSVs read into the incident schema."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import geomap.acled as acled
import geomap.exporters as ex
import geomap.frames as frames
from geomap._errors import InputError
from geomap.exporters import read_incidents
from geomap.models import EVENT_TYPES

FIXTURE = Path(__file__).parent / "data" / "acled" / "acled_afpak_2025.csv"


@pytest.fixture(scope="module")
def gdf():
    return acled.read_acled(FIXTURE)


def _rows() -> list[dict[str, str]]:
    with open(FIXTURE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_fixture_is_acled_format():
    with open(FIXTURE, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == acled.ACLED_COLUMNS and len(header) == 31
    rows = _rows()
    assert 12 <= len(rows) <= 16
    assert {r["country"] for r in rows} == {"Afghanistan", "Pakistan"}
    assert {r["year"] for r in rows} == {"2025"}
    for r in rows:
        assert all(k in r for k in acled.ACLED_COLUMNS)
        assert r["event_id_cnty"][:3] in ("AFG", "PAK")
        assert r["iso"] == {"Afghanistan": "4", "Pakistan": "586"}[r["country"]]


# --------------------------------------------------------------------------------------------
# the type table


def test_type_table_covers_every_event_type():
    for event_type in EVENT_TYPES:
        row = acled.to_acled_type(event_type, "something new")
        assert row is not None and row.acled_event_type, event_type
    assert acled.to_acled_type("riot", "x") is None


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (
            ("strike", "air/drone strike"),
            ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
        ),
        (
            ("strike", "shelling"),
            ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        (
            ("strike", "shelling/artillery"),
            ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        (
            ("strike", "bombing/explosion"),
            ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ),
        (("clash", "armed clash"), ("Political violence", "Battles", "Armed clash")),
        (("clash", "cross-border fire"), ("Political violence", "Battles", "Armed clash")),
        (("crossing", "crossing closed"), ("Strategic developments", "Strategic developments", "Other")),
        (
            ("negotiation", "ceasefire agreed"),
            ("Strategic developments", "Strategic developments", "Agreement"),
        ),
        (("negotiation", "talks held"), ("Strategic developments", "Strategic developments", "Other")),
        (("displacement", "deportation"), ("Strategic developments", "Strategic developments", "Other")),
    ],
)
def test_to_acled(ours, theirs):
    row = acled.to_acled_type(*ours)
    assert (row.disorder_type, row.acled_event_type, row.acled_sub_event_type) == theirs


def test_both_rows_round_trip():
    for row in acled.type_table():
        if row.direction == "both":
            back = acled.from_acled_type(row.acled_event_type, row.acled_sub_event_type)
            assert (back.event_type, back.sub_event_type) == (row.event_type, row.sub_event_type)


@pytest.mark.parametrize(
    "event_type, sub, notes, expected",
    [
        ("Battles", "Government regains territory", "", ("clash", "armed clash")),
        ("Explosions/Remote violence", "Suicide bomb", "", ("strike", "bombing/explosion")),
        ("Explosions/Remote violence", "Grenade", "", ("strike", "bombing/explosion")),
        (
            "Strategic developments",
            "Other",
            "Authorities reopened the Torkham crossing for trade.",
            ("crossing", "crossing reopened"),
        ),
        (
            "Strategic developments",
            "Other",
            "The Chaman border was closed to all traffic.",
            ("crossing", "crossing closed"),
        ),
        (
            "Strategic developments",
            "Other",
            "Police deported 300 Afghan nationals.",
            ("displacement", "deportation"),
        ),
        (
            "Strategic developments",
            "Other",
            "Delegations met for talks in Doha.",
            ("negotiation", "talks held"),
        ),
        ("Strategic developments", "Other", "A new party office was opened.", None),
        ("Strategic developments", "Arrests", "Police arrested five men.", None),
        ("Protests", "Peaceful protest", "", None),
        ("Riots", "Mob violence", "", None),
        ("Violence against civilians", "Attack", "", None),
        ("battles", "armed clash", "", ("clash", "armed clash")),  # case-insensitive
    ],
)
def test_from_acled(event_type, sub, notes, expected):
    row = acled.from_acled_type(event_type, sub, notes)
    assert ((row.event_type, row.sub_event_type) if row else None) == expected


def test_countries_and_regions():
    assert acled.iso2_of("4", "") == "AF" and acled.iso2_of(586, None) == "PK"
    assert acled.iso2_of("", "Pakistan") == "PK" and acled.iso2_of(None, "afghanistan") == "AF"
    assert acled.iso2_of("999", "Nowhere") is None
    assert acled.acled_region("AF") == acled.acled_region("PK") == "South Asia"
    assert (
        acled.acled_region("IR") == "Middle East" and acled.acled_region("TJ") == "Caucasus and Central Asia"
    )
    assert acled.acled_region("DE") == "Europe" and acled.acled_region(None) == ""
    assert acled.country("QA").numeric == 634 and acled.country("PK").iso3 == "PAK"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-10-12", "2025-10-12"),
        ("12 October 2025", "2025-10-12"),
        ("12-October-2025", "2025-10-12"),
        ("12 Oct 2025", "2025-10-12"),
        ("12/10/2025", "2025-10-12"),
        ("yesterday", None),
    ],
)
def test_parse_acled_date(text, expected):
    d = acled.parse_acled_date(text)
    assert (d.isoformat() if d else None) == expected


# --------------------------------------------------------------------------------------------
# reading


def test_read_acled_schema(gdf):
    for col in frames.INCIDENT_COLUMNS:
        assert col in gdf.columns, col
    assert set(gdf["layer"]) == {"ACLED"}
    assert set(gdf["event_type"]) <= set(EVENT_TYPES)
    assert gdf.crs.to_epsg() == 4326
    for col in frames.LIST_COLUMNS:
        assert all(isinstance(v, list) for v in gdf[col]), col


def test_read_acled_skips_types_without_equivalent(capsys):
    g = acled.read_acled(FIXTURE)
    assert len(g) == len(_rows()) - 2
    err = capsys.readouterr().err
    assert "skipped 2 ACLED row(s)" in err and "Protests/Peaceful protest 1" in err
    assert str(FIXTURE) in err


def test_read_acled_values(gdf):
    rows = {r["id"]: r for r in frames.gdf_to_featurecollection(gdf)["features"] for r in [r["properties"]]}
    strike = rows["acled:AFG90106"]
    assert (strike["event_type"], strike["sub_event_type"]) == ("strike", "air/drone strike")
    assert strike["date"] == "2025-10-15" and strike["date_precision"] == "day"
    assert strike["killed"] == 15 and strike["wounded"] is None
    assert strike["place"] == "Spin Boldak" and strike["country"] == "AF" and strike["admin1"] == "Kandahar"
    assert strike["geo_precision"] == 1
    assert strike["actors"] == ["Military Forces of Pakistan (2024-) Air Force", "Civilians (Afghanistan)"]
    assert [s["article"] for s in strike["sources"]] == ["Tolo News", "Ariana News", "BBC"]
    assert strike["evidence"].startswith("On 15 October 2025, Pakistani aircraft struck")
    assert strike["acled_event_type"] == "Explosions/Remote violence"
    assert strike["event_id_cnty"] == "AFG90106"
    assert (
        strike["side"] == "AF"
        and strike["border_km"] < 15
        and strike["nearest_crossing"] == "Chaman border crossing"
    )

    assert rows["acled:PAK90105"]["event_type"] == "crossing"
    assert rows["acled:PAK90105"]["sub_event_type"] == "crossing closed"
    assert rows["acled:PAK90109"]["sub_event_type"] == "ceasefire agreed"
    month = rows["acled:PAK90110"]
    assert (month["event_type"], month["date"], month["date_precision"]) == (
        "displacement",
        "2025-10",
        "month",
    )
    week = rows["acled:AFG90113"]
    assert week["event_type"] == "negotiation" and week["date"] == "2025-11-06"
    assert any("time precision 2" in w for w in week["warnings"])
    assert rows["acled:PAK90111"]["sub_event_type"] == "bombing/explosion"
    assert rows["acled:AFG90104"]["side"] == "AF"
    assert rows["acled:AFG90101"]["killed"] == 0


def test_read_acled_uppercase_headers_and_names_only(tmp_path):
    rows = _rows()[:3]
    path = tmp_path / "upper.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c.upper() for c in acled.ACLED_COLUMNS])
        for r in rows:
            r = dict(r, iso="", event_date="11 October 2025")
            w.writerow([r[c] for c in acled.ACLED_COLUMNS])
    g = read_incidents(path)
    assert list(g["country"]) == ["AF", "PK", "AF"]
    assert set(g["date"]) == {"2025-10-11"}


@pytest.mark.parametrize(
    "column, value, problem",
    [
        ("latitude", "abc", "latitude 'abc' is not a number"),
        ("longitude", "200", "longitude '200' out of range"),
        ("latitude", "nan", "latitude 'nan' out of range"),
        ("event_date", "sometime", "event_date 'sometime' is not a date"),
        ("fatalities", "-3", "fatalities '-3' is not a whole number"),
    ],
)
def test_read_acled_bad_values(tmp_path, column, value, problem):
    rows = _rows()[:2]
    rows[1][column] = value
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=acled.ACLED_COLUMNS)
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(InputError) as err:
        acled.read_acled(path)
    msg = str(err.value)
    assert problem in msg and "line 3" in msg and str(path) in msg and "\n" not in msg


def test_read_acled_ragged_and_empty(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(",".join(acled.ACLED_COLUMNS) + "\nAFG1,2025-10-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: 2 fields, the header has 31"):
        acled.read_acled(path)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty file"):
        read_incidents(empty)


def test_header_only_gives_empty_frame(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(",".join(acled.ACLED_COLUMNS) + "\n", encoding="utf-8")
    g = acled.read_acled(path)
    assert len(g) == 0 and "event_type" in g.columns


def test_acled_through_export(gdf, tmp_path):
    """ACLED rows exported again keep their ACLED types (modulo the table) and layer."""
    out = tmp_path / "again.csv"
    ex.export(gdf, out, "csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    row = rows["acled:AFG90106"]
    assert (row["event_type"], row["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert row["layer"] == "ACLED" and row["acled_event_type"] == "Explosions/Remote violence"
    assert row["country"] == "Afghanistan" and row["iso"] == "4" and row["fatalities"] == "15"
    for name in ("geojson", "gpkg", "kml"):
        ex.export(gdf, tmp_path / f"acled.{name}", name)
        assert (tmp_path / f"acled.{name}").stat().st_size > 0
