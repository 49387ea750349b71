"""Border fields for every land border, checked against values computed independently (geopy over
the vertices of the pair's line in geodata/borders.geojson)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from geopy.distance import geodesic

from geomap import border

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def _vertices(pair):
    data = json.loads((GEODATA / "borders.geojson").read_text(encoding="utf-8"))
    feat = next(f for f in data["features"] if f["properties"]["pair"] == pair)
    geom = feat["geometry"]
    lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
    return [(lat, lon) for line in lines for lon, lat in line]


def _min_km_to_vertices(pair, lat, lon):
    return min(geodesic((lat, lon), v).km for v in _vertices(pair))


TORKHAM = (71.08472, 34.11472)
CHAMAN = (66.45259, 30.91769)  # GeoNames 1181611
SPIN_BOLDAK = (66.40001, 31.00575)  # GeoNames 1123906
KABUL = (69.17233, 34.52813)  # GeoNames 1138958
ISLAMABAD = (73.04329, 33.72148)  # GeoNames 1176615
DOHA = (51.53096, 25.28545)  # GeoNames 290030
POIPET = (102.56278, 13.65917)  # GeoNames 1822029, Cambodia at the Aranyaprathet crossing
ARANYAPRATHET = (102.50653, 13.68959)  # GeoNames 1621680, Thailand
PANMUNJOM = (126.6771, 37.9558)  # the Joint Security Area on the demarcation line
URI = (74.03, 34.08)  # Uri, Indian-administered Kashmir, near the Line of Control
MUZAFFARABAD = (73.47082, 34.37002)  # GeoNames 1169607, Pakistani-administered Kashmir
ADRE = (22.19659, 13.46695)  # Adré, Chad, on the Sudan border
METULA = (35.5797, 33.2786)  # Israel, on the Blue Line with Lebanon
BATKEN = (70.8194, 40.0625)  # Kyrgyzstan, near the Tajik border


def test_pair_key_is_sorted_and_parsed_in_any_form():
    assert border.pair_key("th", "KH") == "KH-TH"
    assert border.parse_pair("TH-KH") == border.parse_pair("kh–th") == border.parse_pair("KH/TH") == "KH-TH"
    assert border.parse_pair("Thailand") is None and border.parse_pair("KHM-THA") is None


def test_every_neighbouring_pair_has_a_line():
    pairs = border.pairs()
    assert len(pairs) > 250
    for pair in (
        "AF-PK",
        "IN-PK",
        "CN-IN",
        "KP-KR",
        "KH-TH",
        "IL-LB",
        "KG-TJ",
        "AM-AZ",
        "SD-TD",
        "CO-VE",
        "CD-RW",
        "SD-SS",
        "ER-ET",
        "PL-UA",
        "LY-TN",
        "IR-PK",
        "SS-UG",
        "GY-VE",
    ):
        assert pair in pairs, pair
        assert border.border_length_km(pair) > 10


@pytest.mark.parametrize(
    "point,side,pair,max_km",
    [
        (TORKHAM, None, "AF-PK", 2.5),
        (POIPET, "KH", "KH-TH", 6),
        (ARANYAPRATHET, "TH", "KH-TH", 10),
        (PANMUNJOM, None, "KP-KR", 3),
        (URI, "IN", "IN-PK", 15),
        (MUZAFFARABAD, "PK", "IN-PK", 40),
        (ADRE, "TD", "SD-TD", 5),
        (METULA, None, "IL-LB", 3),  # on the line: the simplified polygons may put it on either side
        (BATKEN, "KG", "KG-TJ", 30),
    ],
)
def test_nearest_border_of_points_on_many_borders(point, side, pair, max_km):
    f = border.border_fields(*point)
    if side is not None:
        assert f["side"] == side
    assert f["border"] == pair
    assert f["border_km"] <= max_km
    # the distance agrees with geopy over the line's vertices (an upper bound, the line is dense)
    assert f["border_km"] <= _min_km_to_vertices(pair, point[1], point[0]) + 0.5


def test_chaman_and_spin_boldak_opposite_sides():
    c = border.border_fields(*CHAMAN)
    s = border.border_fields(*SPIN_BOLDAK)
    assert c["side"] == "PK" and s["side"] == "AF"
    assert c["border"] == s["border"] == "AF-PK"
    assert c["border_km"] <= 10 and s["border_km"] <= 10


@pytest.mark.parametrize("point,side", [(KABUL, "AF"), (ISLAMABAD, "PK")])
def test_capitals_own_side_and_distance(point, side):
    f = border.border_fields(*point, pair="AF-PK")
    assert f["side"] == side and f["border"] == "AF-PK"
    expected = _min_km_to_vertices("AF-PK", point[1], point[0])
    assert 20 <= f["border_km"] <= 250
    assert expected - 15 <= f["border_km"] <= expected + 0.5


def test_an_involved_pair_is_measured_to_its_own_line():
    """Islamabad lies nearer the Line of Control (~87 km) than the Durand Line (~185 km): without
    a pair its border is the nearest; with one, the distance is to that pair's line."""
    free = border.border_fields(*ISLAMABAD)
    assert free["border"] == "IN-PK"
    assert border.border_fields(*ISLAMABAD, pair="AF-PK")["border"] == "AF-PK"
    assert (
        border.border_fields(*ISLAMABAD, pair="AF-PK")["border_km"]
        > border.border_fields(*ISLAMABAD, pair="IN-PK")["border_km"]
    )


def test_far_from_any_border_there_is_no_border():
    f = border.border_fields(*DOHA)
    assert f["side"] == "QA"
    assert 20 <= f["border_km"] <= 120  # Qatar's one land border, with Saudi Arabia
    assert f["border"] == "QA-SA"
    f = border.border_fields(65.0, 15.0)  # Arabian Sea
    assert f["side"] is None and f["border"] is None and f["border_km"] > 500


def test_add_border_fields_matches_scalar():
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import Point

    pts = [TORKHAM, CHAMAN, SPIN_BOLDAK, KABUL, ISLAMABAD, DOHA, POIPET, PANMUNJOM, (65.0, 15.0)]
    gdf = gpd.GeoDataFrame({"n": range(len(pts))}, geometry=[Point(p) for p in pts], crs="EPSG:4326")
    out = border.add_border_fields(gdf)
    for p, (_, row) in zip(pts, out.iterrows()):
        one = border.border_fields(*p)
        for key in ("side", "border", "nearest_crossing"):
            assert row[key] == one[key]
        assert row["border_km"] == pytest.approx(one["border_km"], abs=0.05)
        assert row["crossing_km"] == pytest.approx(one["crossing_km"], abs=0.05)


def test_point_on_border_near_a_place_and_without_one():
    lon, lat, extent = border.point_on_border("AF-PK", TORKHAM)
    assert geodesic((lat, lon), (TORKHAM[1], TORKHAM[0])).km < 3 and extent == 25.0
    lon, lat, extent = border.point_on_border("KH-TH", None)
    assert _min_km_to_vertices("KH-TH", lat, lon) < 5
    assert extent >= 200  # nothing places it along an 800 km border: the extent says so
    with pytest.raises(KeyError):
        border.point_on_border("AF-US")


def test_crossings_belong_to_their_border():
    on_afpk = {c["name"] for c in border.crossings_on(["AF-PK"])}
    assert {"Torkham", "Angoor Adda"} <= on_afpk
    assert all(c["pair"] for c in border.crossing_records())
    assert border.border_name("KH-TH") == "Cambodia–Thailand border"
    assert border.neighbours("AF") >= {"PK", "IR", "TJ", "TM", "UZ", "CN"}
