"""geomap.frames: records ↔ GeoJSON ↔ GeoDataFrames, writing GeoJSON, reading incidents back."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import geomap.frames as frames
from geomap._errors import InputError
from geomap.exporters import read_incidents
from geomap.models import Incident, Mention, Place

DATA = Path(__file__).parent / "data"
INCIDENTS = DATA / "export" / "incidents.geojson"
BAD = DATA / "export" / "bad"
ACLED = DATA / "acled" / "acled_afpak_2025.csv"
ROOT = Path(__file__).resolve().parent.parent


def _incident(**kw) -> Incident:
    base = dict(
        id="t1",
        event_type="strike",
        sub_event_type="air/drone strike",
        place="Spin Boldak",
        place_id="1128265",
        country="AF",
        admin1="Kandahar",
        geo_precision=1,
        lon=66.39561234567,
        lat=31.00671234567,
        date="2025-10-15",
        date_precision="day",
        killed=15,
        wounded=None,
        claims=[{"killed": 15, "by": "Afghan Taliban", "article": "002.txt"}],
        actors=["Pakistan military", "Afghan Taliban"],
        evidence="Jets struck سپین بولدک.",
        sources=[{"article": "002.txt", "published": "2025-10-15", "evidence": "Jets struck"}],
        confidence=0.91234,
        side="AF",
        border_km=6.7,
        nearest_crossing="Chaman border crossing",
        crossing_km=10.4,
        warnings=[],
    )
    base.update(kw)
    return Incident(**base)


def _mention() -> Mention:
    place = Place("1138958", "Kabul", 34.52813, 69.17233, "city", "AF", "Kabul", 4434550)
    return Mention("001.txt", "کابل", 10, 14, place, role="actor", confidence=0.8)


# --------------------------------------------------------------------------------------------
# records → GeoJSON / GeoDataFrame


def test_mentions_to_features_is_contract_geojson():
    fc = frames.mentions_to_features([_mention()])
    assert fc["type"] == "FeatureCollection"
    (feat,) = fc["features"]
    assert feat["geometry"] == {"type": "Point", "coordinates": [69.17233, 34.52813]}  # lon first
    assert feat["properties"]["mention"] == "کابل"
    assert list(feat["properties"]) == list(frames.MENTION_COLUMNS)


def test_places_path_does_not_import_geopandas(tmp_path):
    code = (
        "import sys, geomap.frames as f\n"
        "from geomap.models import Mention, Place\n"
        "p = Place('1', 'Kabul', 34.5, 69.2, 'city', 'AF')\n"
        "f.write_geojson(f.mentions_to_features([Mention('a.txt', 'Kabul', 0, 5, p)]), "
        f"{str(tmp_path / 'm.geojson')!r})\n"
        "assert 'geopandas' not in sys.modules, 'geopandas imported'\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)})
    assert json.loads((tmp_path / "m.geojson").read_text())["features"][0]["properties"]["name"] == "Kabul"


def test_incidents_to_featurecollection_and_gdf_agree():
    incs = [_incident(), _incident(id="t2", killed=None, date=None, date_precision=None, claims=[])]
    fc = frames.incidents_to_featurecollection(incs)
    gdf = frames.incidents_to_gdf(incs)
    assert list(gdf.columns) == [*frames.INCIDENT_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    # lists stay Python lists and missing values stay None
    assert gdf.loc[0, "actors"] == ["Pakistan military", "Afghan Taliban"]
    assert isinstance(gdf.loc[0, "claims"], list) and isinstance(gdf.loc[0, "sources"][0], dict)
    assert gdf.loc[1, "killed"] is None and gdf.loc[1, "date"] is None
    assert frames.gdf_to_featurecollection(gdf) == fc


def test_empty_inputs():
    assert frames.incidents_to_featurecollection([]) == {"type": "FeatureCollection", "features": []}
    gdf = frames.incidents_to_gdf([])
    assert len(gdf) == 0 and "event_type" in gdf.columns
    assert frames.gdf_to_featurecollection(gdf)["features"] == []
    assert len(frames.mentions_to_gdf([])) == 0


def test_mentions_to_gdf():
    gdf = frames.mentions_to_gdf([_mention()])
    assert gdf.loc[0, "name"] == "Kabul" and gdf.geometry.iloc[0].x == pytest.approx(69.17233)


def test_gdf_to_featurecollection_reprojects_and_cleans_nan():
    gdf = frames.incidents_to_gdf([_incident()])
    gdf["border_km"] = [float("nan")]
    projected = gdf.to_crs("EPSG:3857")
    fc = frames.gdf_to_featurecollection(projected)
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(66.39561234567, abs=1e-7) and lat == pytest.approx(31.00671234567, abs=1e-7)
    assert fc["features"][0]["properties"]["border_km"] is None


# --------------------------------------------------------------------------------------------
# write_geojson


def test_write_geojson_rfc7946(tmp_path):
    out = tmp_path / "i.geojson"
    fc = frames.incidents_to_featurecollection([_incident()])
    fc["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    frames.write_geojson(fc, out)
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "سپین بولدک" in text  # no \u escapes
    doc = json.loads(text)
    assert "crs" not in doc
    assert doc["features"][0]["geometry"]["coordinates"] == [66.395612, 31.006712]
    assert list(tmp_path.iterdir()) == [out]  # no temporary files left


def test_write_geojson_stdout(capsys):
    frames.write_geojson(frames.incidents_to_featurecollection([_incident()]), "-")
    assert json.loads(capsys.readouterr().out)["features"][0]["properties"]["id"] == "t1"
    frames.write_geojson({"type": "FeatureCollection", "features": []}, None)
    assert json.loads(capsys.readouterr().out)["features"] == []


def test_write_geojson_is_atomic(tmp_path):
    out = tmp_path / "i.geojson"
    out.write_text("previous")
    bad = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": None, "properties": {"x": object()}}],
    }
    with pytest.raises(TypeError):
        frames.write_geojson(bad, out)
    assert out.read_text() == "previous"
    assert list(tmp_path.iterdir()) == [out]


def test_write_geojson_refuses_folder(tmp_path):
    with pytest.raises(InputError, match="folder"):
        frames.write_geojson({"type": "FeatureCollection", "features": []}, tmp_path)


# --------------------------------------------------------------------------------------------
# read_incidents


def test_read_incidents_geojson_roundtrip():
    gdf = read_incidents(INCIDENTS)
    doc = json.loads(INCIDENTS.read_text(encoding="utf-8"))
    assert len(gdf) == len(doc["features"]) == 6
    assert frames.gdf_to_featurecollection(gdf) == doc
    for col in frames.LIST_COLUMNS:
        assert all(isinstance(v, list) for v in gdf[col]), col


def test_read_incidents_fills_missing_optional_properties(tmp_path):
    path = tmp_path / "min.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [70.5, 33.5]},
                        "properties": {"event_type": "clash", "killed": 3.0, "layer": "mine"},
                    }
                ],
            }
        )
    )
    gdf = read_incidents(path)
    row = gdf.iloc[0]
    assert row["id"] == "feature-0" and row["killed"] == 3 and isinstance(row["killed"], int)
    assert row["actors"] == [] and row["date"] is None and row["layer"] == "mine"


def test_read_incidents_accepts_bom(tmp_path):
    path = tmp_path / "bom.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + INCIDENTS.read_bytes())
    assert len(read_incidents(path)) == 6


@pytest.mark.parametrize(
    "name, problem",
    [
        ("broken.geojson", "broken JSON"),
        ("empty.geojson", "empty file"),
        ("binary.geojson", "not UTF-8"),
        ("not_collection.geojson", "not a GeoJSON FeatureCollection"),
        ("polygon.geojson", "not a Point"),
        ("null_geometry.geojson", "no geometry"),
        ("lon_out_of_range.geojson", "longitude 190.5 out of range"),
        ("lat_out_of_range.geojson", "latitude -95 out of range"),
        ("missing_event_type.geojson", "missing property 'event_type'"),
        ("unknown_event_type.geojson", "'event_type' must be one of strike"),
        ("killed_not_int.geojson", "'killed' must be a whole number"),
        ("actors_not_list.geojson", "'actors' must be a list"),
        ("nan_coordinate.geojson", "broken JSON"),
        ("nan_property.geojson", "NaN is not valid JSON"),
        ("bad_date.geojson", "'date' must be YYYY-MM-DD"),
    ],
)
def test_read_incidents_rejects_bad_input(name, problem):
    path = BAD / name
    with pytest.raises(InputError) as err:
        read_incidents(path)
    message = str(err.value)
    assert problem in message
    assert str(path) in message
    assert "\n" not in message


def test_read_incidents_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_incidents(tmp_path / "nope.geojson")
    with pytest.raises(InputError, match="is a folder"):
        read_incidents(tmp_path)


def test_read_incidents_detects_acled_csv(tmp_path):
    gdf = read_incidents(ACLED)
    assert set(gdf["layer"]) == {"ACLED"}
    # detected by content too, whatever the extension
    copy = tmp_path / "acled.data"
    copy.write_bytes(ACLED.read_bytes())
    assert len(read_incidents(copy)) == len(gdf)


def test_read_incidents_csv_that_is_not_acled(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="not an ACLED export"):
        read_incidents(path)


def test_plain_converts_numpy_values():
    import numpy as np

    assert frames.plain({"a": np.int64(3), "b": [np.float32(1.5), np.nan], "c": np.bool_(True)}) == {
        "a": 3,
        "b": [1.5, None],
        "c": True,
    }
    assert frames.plain(float("inf")) is None and not math.isnan(frames.plain(1.0))


# --------------------------------------------------------------------------------------------
# property-based: anything incidents_to_featurecollection makes, write_geojson + read_incidents keep

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_opt_int = st.none() | st.integers(min_value=0, max_value=10**6)
_opt_km = st.none() | st.floats(min_value=0, max_value=5000, allow_nan=False).map(lambda v: round(v, 2))


@st.composite
def incidents(draw):
    day = draw(st.none() | st.dates(min_value=__import__("datetime").date(2000, 1, 1)))
    month = draw(st.booleans())
    return _incident(
        id=draw(st.text("abcdef0123456789", min_size=1, max_size=12)),
        event_type=draw(st.sampled_from(["strike", "clash", "crossing", "negotiation", "displacement"])),
        sub_event_type=draw(_text),
        place=draw(_text),
        evidence=draw(_text),
        lon=draw(st.floats(min_value=-180, max_value=180)),
        lat=draw(st.floats(min_value=-90, max_value=90)),
        date=None if day is None else (day.strftime("%Y-%m") if month else day.isoformat()),
        date_precision=None if day is None else ("month" if month else "day"),
        killed=draw(_opt_int),
        wounded=draw(_opt_int),
        actors=draw(st.lists(_text, max_size=3)),
        warnings=draw(st.lists(_text, max_size=2)),
        claims=draw(st.lists(st.fixed_dictionaries({"killed": _opt_int, "claimed_by": _text}), max_size=2)),
        confidence=draw(st.floats(min_value=0, max_value=1)),
        border_km=draw(_opt_km),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(incidents(), max_size=4))
def test_write_read_roundtrip_property(tmp_path, items):
    path = tmp_path / "p.geojson"
    fc = frames.incidents_to_featurecollection(items)
    frames.write_geojson(fc, path)
    back = frames.gdf_to_featurecollection(read_incidents(path))
    assert len(back["features"]) == len(items)
    for got, want in zip(back["features"], fc["features"]):
        assert got["properties"] == want["properties"]
        for g, w in zip(got["geometry"]["coordinates"], want["geometry"]["coordinates"]):
            assert g == pytest.approx(w, abs=5e-7)


def test_write_geojson_streams_features_with_the_same_bytes(tmp_path):
    incs = [_incident(), _incident(id="t2", killed=None, date=None, date_precision=None, claims=[])]
    fc = frames.incidents_to_featurecollection(incs)
    whole = json.dumps(frames._rfc7946(fc), ensure_ascii=False, allow_nan=False) + "\n"
    frames.write_geojson(fc, tmp_path / "list.geojson")
    frames.write_geojson(
        {"type": "FeatureCollection", "features": iter(fc["features"])}, tmp_path / "gen.geojson"
    )
    gdf = frames.incidents_to_gdf(incs)
    frames.write_geojson(
        {"type": "FeatureCollection", "features": frames.iter_gdf_features(gdf)}, tmp_path / "gdf.geojson"
    )
    frames.write_geojson(frames.gdf_to_featurecollection(gdf), tmp_path / "gdf_list.geojson")
    assert (tmp_path / "list.geojson").read_text(encoding="utf-8") == whole
    assert (tmp_path / "gen.geojson").read_text(encoding="utf-8") == whole
    assert (tmp_path / "gdf.geojson").read_bytes() == (tmp_path / "gdf_list.geojson").read_bytes()
    assert (
        json.loads((tmp_path / "gdf.geojson").read_text(encoding="utf-8"))["features"][1]["properties"]["id"]
        == "t2"
    )


_plain = st.none() | st.booleans() | st.integers() | _text | st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(min_value=-180, max_value=180),
    st.floats(min_value=-90, max_value=90),
    st.dictionaries(_text, _plain, max_size=6),
)
def test_point_feature_json_is_what_json_dumps_gives(lon, lat, props):
    doc = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": props,
    }
    assert frames.point_feature_json(lon, lat, props) == json.dumps(doc, ensure_ascii=False, allow_nan=False)


def test_point_feature_json_refuses_coordinates_that_are_not_numbers():
    with pytest.raises(ValueError):
        frames.point_feature_json(float("nan"), 0.0, {})


def test_write_point_features_writes_every_batch(tmp_path):
    n = frames.WRITE_BATCH * 2 + 3
    features = (
        {"geometry": {"coordinates": [i / 7, -i / 9]}, "properties": {"n": i, "name": f"Ṗlace {i}"}}
        for i in range(n)
    )
    assert frames.write_point_features(features, tmp_path / "m.geojson") == n
    back = json.loads((tmp_path / "m.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["n"] for f in back["features"]] == list(range(n))
    assert back["features"][-1]["geometry"]["coordinates"] == [round((n - 1) / 7, 6), round(-(n - 1) / 9, 6)]
