"""Border fields checked against values computed independently (geopy over the border vertices)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from geopy.distance import geodesic

from geomap import border

GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def _border_vertices():
    data = json.loads((GEODATA / "border_af_pk.geojson").read_text(encoding="utf-8"))
    geom = data["features"][0]["geometry"]
    lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
    return [(lat, lon) for line in lines for lon, lat in line]


def _min_km_to_vertices(lat, lon):
    return min(geodesic((lat, lon), v).km for v in _border_vertices())


TORKHAM = (71.08472, 34.11472)
CHAMAN = (66.45259, 30.91769)       # GeoNames 1181611
SPIN_BOLDAK = (66.40001, 31.00575)  # GeoNames 1123906
KABUL = (69.17233, 34.52813)        # GeoNames 1138958
ISLAMABAD = (73.04329, 33.72148)    # GeoNames 1176615
DOHA = (51.53096, 25.28545)         # GeoNames 290030


def test_torkham():
    f = border.border_fields(*TORKHAM)
    assert f["border_km"] <= 2.5
    assert f["nearest_crossing"] == "Torkham"
    assert f["crossing_km"] < 1
    assert f["side"] in ("AF", "PK")


def test_chaman_and_spin_boldak_opposite_sides():
    c = border.border_fields(*CHAMAN)
    s = border.border_fields(*SPIN_BOLDAK)
    assert c["side"] == "PK" and s["side"] == "AF"
    assert c["border_km"] <= 10 and s["border_km"] <= 10


@pytest.mark.parametrize("point,side", [(KABUL, "AF"), (ISLAMABAD, "PK")])
def test_capitals_own_side_and_distance(point, side):
    f = border.border_fields(*point)
    assert f["side"] == side
    expected = _min_km_to_vertices(point[1], point[0])
    # vertex distance is an upper bound of the distance to the line; the line is dense (~600 vertices)
    assert 20 <= f["border_km"] <= 250
    assert f["border_km"] <= expected + 0.5
    assert f["border_km"] >= expected - 15


def test_doha_own_land_border():
    f = border.border_fields(*DOHA)
    assert f["side"] == "QA"
    # Qatar's only land border is with Saudi Arabia, roughly 60-90 km south-west of Doha
    expected_afpk = _min_km_to_vertices(DOHA[1], DOHA[0])
    assert expected_afpk > 1000
    assert 20 <= f["border_km"] <= 120


def test_sea_point_has_no_side():
    f = border.border_fields(65.0, 15.0)  # Arabian Sea
    assert f["side"] is None


def test_add_border_fields_matches_scalar():
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import Point

    pts = [TORKHAM, CHAMAN, SPIN_BOLDAK, KABUL, ISLAMABAD, DOHA, (65.0, 15.0)]
    gdf = gpd.GeoDataFrame({"n": range(len(pts))}, geometry=[Point(p) for p in pts], crs="EPSG:4326")
    out = border.add_border_fields(gdf)
    for p, (_, row) in zip(pts, out.iterrows()):
        one = border.border_fields(*p)
        assert row["side"] == one["side"]
        assert row["nearest_crossing"] == one["nearest_crossing"]
        assert row["border_km"] == pytest.approx(one["border_km"], abs=0.05)
        assert row["crossing_km"] == pytest.approx(one["crossing_km"], abs=0.05)


def test_representative_border_point_on_line():
    lon, lat = border.representative_border_point(None)
    assert _min_km_to_vertices(lat, lon) < 30
    lon, lat = border.representative_border_point(TORKHAM)
    assert geodesic((lat, lon), (TORKHAM[1], TORKHAM[0])).km < 3
