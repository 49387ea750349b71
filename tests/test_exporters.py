"""geomap.export: GeoJSON, CSV (ACLED columns first), GeoPackage and KML, read back by other tools."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import geomap.exporters as ex
import geomap.frames as frames
from geomap._errors import InputError
from geomap.acled import ACLED_COLUMNS
from geomap.models import Mention, Place

DATA = Path(__file__).parent / "data"
INCIDENTS = DATA / "export" / "incidents.geojson"


@pytest.fixture(scope="module")
def gdf():
    return ex.read_incidents(INCIDENTS)


@pytest.fixture(scope="module")
def doc():
    return json.loads(INCIDENTS.read_text(encoding="utf-8"))


def _same(a, b, path="") -> None:
    """Deep equality with floats compared to 1e-9."""
    if hasattr(a, "tolist"):
        a = a.tolist()
    if isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, abs=1e-9), path
    elif isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


def test_unknown_format(gdf, tmp_path):
    with pytest.raises(InputError, match="unknown format 'shp'; choose from geojson, csv, gpkg, kml"):
        ex.export(gdf, tmp_path / "x.shp", "shp")


# --------------------------------------------------------------------------------------------
# GeoJSON


def test_geojson_schema_and_gdal_readback(gdf, doc, tmp_path):
    import pyogrio
    from geojson_pydantic import FeatureCollection

    out = tmp_path / "incidents.geojson"
    ex.export(gdf, out, "geojson")
    written = json.loads(out.read_text(encoding="utf-8"))
    FeatureCollection.model_validate(written)  # RFC 7946 structure
    assert "crs" not in written
    _same(written, doc)

    # GDAL (pyogrio) reads every feature and property back
    back = pyogrio.read_dataframe(out)
    assert back.crs.to_epsg() == 4326
    assert len(back) == len(doc["features"])
    for (_, row), feat in zip(back.iterrows(), doc["features"]):
        lon, lat = feat["geometry"]["coordinates"]
        assert row.geometry.x == pytest.approx(lon) and row.geometry.y == pytest.approx(lat)
        for key, value in feat["properties"].items():
            got = row[key]
            if isinstance(value, (list, dict)):
                got = json.loads(got) if isinstance(got, str) else got
                _same(got, value, key)
            elif value is None:
                assert got is None or got != got, key  # None or NaN
            elif isinstance(value, bool):
                assert bool(got) is value, key
            elif isinstance(value, (int, float)):
                assert float(got) == pytest.approx(value), key
            else:
                assert got == value, key


def test_geojson_stdout(gdf, capsys):
    ex.export(gdf, "-", "geojson")
    assert len(json.loads(capsys.readouterr().out)["features"]) == len(gdf)


# --------------------------------------------------------------------------------------------
# CSV


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_columns_in_acled_order_then_geomap(gdf, tmp_path):
    out = tmp_path / "incidents.csv"
    ex.export(gdf, out, "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(ACLED_COLUMNS) == 31
    assert header[:31] == list(ACLED_COLUMNS)
    assert header[31 : 31 + len(ex.GEOMAP_CSV_COLUMNS)] == list(ex.GEOMAP_CSV_COLUMNS)
    for col in (
        "id",
        "geomap_event_type",
        "claims",
        "actors",
        "sources",
        "side",
        "border_km",
        "nearest_crossing",
        "crossing_km",
        "warnings",
    ):
        assert col in header


def test_csv_values(gdf, tmp_path):
    out = tmp_path / "incidents.csv"
    ex.export(gdf, out, "csv")
    rows = {r["id"]: r for r in _read_csv(out)}
    strike, clash, crossing = rows["inc-0001"], rows["inc-0002"], rows["inc-0003"]
    negotiation, displacement, planned = rows["inc-0004"], rows["inc-0005"], rows["inc-0006"]

    assert strike["event_type"] == "Explosions/Remote violence"
    assert strike["sub_event_type"] == "Air/drone strike"
    assert strike["disorder_type"] == "Political violence"
    assert (
        strike["event_date"] == "2025-10-15" and strike["year"] == "2025" and strike["time_precision"] == "1"
    )
    assert strike["iso"] == "4" and strike["country"] == "Afghanistan" and strike["region"] == "South Asia"
    assert strike["latitude"] == "31.0067" and strike["longitude"] == "66.3956"
    assert strike["location"] == "Spin Boldak" and strike["admin1"] == "Kandahar"
    assert strike["fatalities"] == "15" and strike["geo_precision"] == "1"
    assert strike["actor1"] == "Pakistan military" and strike["actor2"] == "Afghan Taliban"
    assert strike["inter1"] == "State forces"
    assert strike["source"] == "002.txt; 004.txt"
    assert strike["notes"].startswith("Pakistani jets struck Spin Boldak (سپین بولدک)")
    assert strike["event_id_cnty"] == "AFG-inc-0001"
    assert strike["timestamp"] == "1760572800"  # 2025-10-16 UTC, the latest source
    assert strike["geomap_event_type"] == "strike" and strike["geomap_sub_event_type"] == "air/drone strike"
    assert strike["actors"] == "Pakistan military; Afghan Taliban"
    assert strike["sources"] == "002.txt (2025-10-15); 004.txt (2025-10-16)"
    assert strike["claims"] == (
        "15 killed, 80 wounded (Afghan Taliban, 002.txt); 40 killed (Pakistan military, 004.txt)"
    )

    assert clash["event_type"] == "Battles" and clash["sub_event_type"] == "Armed clash"
    assert (
        clash["claims"]
        == "58 killed (Afghan Taliban, 002.txt); 23 killed, 29 wounded (Pakistan military, 004.txt)"
    )
    assert clash["iso"] == "586" and clash["country"] == "Pakistan"
    assert clash["warnings"] == "the named place's country differs from side"

    assert crossing["disorder_type"] == "Strategic developments"
    assert (crossing["event_type"], crossing["sub_event_type"]) == ("Strategic developments", "Other")
    assert crossing["time_precision"] == "3" and crossing["event_date"].startswith("2025-10-")
    assert crossing["date"] == "2025-10" and crossing["date_precision"] == "month"
    assert crossing["fatalities"] == "0" and crossing["killed"] == ""  # ACLED: 0 when unknown

    assert negotiation["sub_event_type"] == "Agreement" and negotiation["region"] == "Middle East"
    assert negotiation["country"] == "Qatar" and negotiation["iso"] == "634"
    assert displacement["event_date"] == "" and displacement["time_precision"] == ""
    assert displacement["event_type"] == "Strategic developments"
    assert planned["tags"] == "planned" and planned["planned"] == "true"
    assert planned["border_km"] == ""


def test_csv_reads_in_pandas(gdf, tmp_path):
    import pandas as pd

    out = tmp_path / "incidents.csv"
    ex.export(gdf, out, "csv")
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame.columns[0] == "event_id_cnty"  # BOM not glued onto the first name
    assert len(frame) == len(gdf)


def test_csv_stdout_has_no_bom(gdf, capsys):
    ex.export(gdf, None, "csv")
    out = capsys.readouterr().out
    assert out.startswith("event_id_cnty,")


def test_csv_keeps_extra_columns(gdf, tmp_path):
    frame = gdf.copy()
    frame["layer"] = "mine"
    out = tmp_path / "x.csv"
    ex.export(frame, out, "csv")
    assert all(r["layer"] == "mine" for r in _read_csv(out))


def test_csv_roundtrip_through_read_incidents(gdf, tmp_path):
    out = tmp_path / "incidents.csv"
    ex.export(gdf, out, "csv")
    back = ex.read_incidents(out)
    assert list(back["id"]) == list(gdf["id"])
    for col in (
        "event_type",
        "sub_event_type",
        "date",
        "date_precision",
        "country",
        "killed",
        "wounded",
        "actors",
        "warnings",
        "side",
        "nearest_crossing",
    ):
        assert list(back[col]) == list(gdf[col]), col
    assert "layer" not in back.columns


def test_format_claim_variants():
    assert ex.format_claim({"killed": 5}) == "5 killed"
    assert ex.format_claim({"wounded": 3, "source": "a.txt"}) == "3 wounded (a.txt)"
    assert ex.format_claim({"injured": 2, "claimant": "police"}) == "2 wounded (police)"
    assert ex.format_claim({"text": "dozens killed"}) == "dozens killed"


# --------------------------------------------------------------------------------------------
# GeoPackage


def _mentions() -> list[Mention]:
    kabul = Place("1138958", "Kabul", 34.52813, 69.17233, "city", "AF", "Kabul", 4434550)
    torkham = Place("gm:crossing:torkham", "Torkham", 34.11472, 71.08472, "crossing", "PK")
    return [
        Mention("001.txt", "Kabul", 0, 5, kabul, role="actor"),
        Mention("001.txt", "طورخم", 20, 25, torkham, confidence=0.9),
    ]


def test_gpkg_layers_and_readback(gdf, tmp_path):
    import pyogrio

    out = tmp_path / "incidents.gpkg"
    ex.export(gdf, out, "gpkg", mentions=_mentions())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents.gpkg"]
    layers = {name: kind for name, kind in pyogrio.list_layers(out)}
    assert layers == {
        "incidents": "Point",
        "mentions": "Point",
        "crossings": "Point",
        "border": "MultiLineString",
    }

    back = pyogrio.read_dataframe(out, layer="incidents")
    assert back.crs.to_epsg() == 4326
    assert list(back["id"]) == list(gdf["id"])
    assert json.loads(back.loc[0, "claims"]) == gdf.loc[0, "claims"]
    assert json.loads(back.loc[0, "actors"]) == ["Pakistan military", "Afghan Taliban"]
    assert int(back.loc[0, "killed"]) == 15
    assert back.loc[1, "border_km"] == pytest.approx(12.3)
    info = pyogrio.read_info(out, layer="incidents")
    types = dict(zip(info["fields"], info["dtypes"]))
    assert types["killed"].startswith("int") and types["border_km"] == "float64"

    mentions = pyogrio.read_dataframe(out, layer="mentions")
    assert list(mentions["mention"]) == ["Kabul", "طورخم"]
    crossings = pyogrio.read_dataframe(out, layer="crossings")
    assert "Torkham" in set(crossings["name"]) and len(crossings) >= 3
    border = pyogrio.read_dataframe(out, layer="border")
    assert len(border) == 1 and border.geometry.iloc[0].length > 10


def test_gpkg_without_mentions_and_empty(gdf, tmp_path):
    import pyogrio

    out = tmp_path / "empty.gpkg"
    ex.export(gdf.iloc[0:0], out, "gpkg")
    names = [n for n, _ in pyogrio.list_layers(out)]
    assert names == ["incidents"]  # no incident, no border to draw
    assert len(pyogrio.read_dataframe(out, layer="incidents")) == 0


def test_gpkg_mentions_as_featurecollection(gdf, tmp_path):
    import pyogrio

    out = tmp_path / "m.gpkg"
    ex.export(gdf, out, "gpkg", mentions=frames.mentions_to_features(_mentions()))
    assert len(pyogrio.read_dataframe(out, layer="mentions")) == 2


def test_gpkg_refuses_stdout(gdf):
    with pytest.raises(InputError, match="standard output"):
        ex.export(gdf, "-", "gpkg")


def test_gpkg_failure_keeps_previous_file(gdf, tmp_path, monkeypatch):
    out = tmp_path / "x.gpkg"
    out.write_bytes(b"previous")

    def boom(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ex, "border_gdf", boom)
    with pytest.raises(RuntimeError):
        ex.export(gdf, out, "gpkg")
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["x.gpkg"]


def test_gpkg_ogrinfo(gdf, tmp_path):
    # GDAL's own tool (Debian's gdal-bin, which scripts/test.sh installs) reads the file back.
    if shutil.which("ogrinfo") is None:
        from conftest import _in_ci

        if _in_ci():
            pytest.fail("ogrinfo (gdal-bin) must be installed in CI", pytrace=False)
        pytest.skip("ogrinfo not on PATH")
    out = tmp_path / "incidents.gpkg"
    ex.export(gdf, out, "gpkg")
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(out), "incidents"], capture_output=True, text=True, check=True
    )
    assert "Feature Count: 6" in result.stdout


# --------------------------------------------------------------------------------------------
# KML


KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


def test_kml_structure_lxml(gdf, tmp_path):
    from lxml import etree

    out = tmp_path / "incidents.kml"
    frame = gdf.copy()
    frame.loc[0, "evidence"] = 'Jets struck <script>alert("x")</script> & more'
    ex.export(frame, out, "kml")
    root = etree.parse(str(out)).getroot()
    folders = root.findall(".//k:Folder", KML_NS)
    names = [f.findtext("k:name", namespaces=KML_NS) for f in folders]
    assert names == ["strike", "clash", "crossing", "negotiation", "displacement"]
    styles = root.findall(".//k:Style", KML_NS)
    assert len({s.get("id") for s in styles}) == len(styles) >= 5
    placemarks = root.findall(".//k:Placemark", KML_NS)
    assert len(placemarks) == len(gdf)
    first = placemarks[0]
    assert first.findtext("k:name", namespaces=KML_NS) == "air/drone strike, Spin Boldak (2025-10-15)"
    desc = first.findtext("k:description", namespaces=KML_NS)
    assert "&lt;script&gt;" in desc and "<script>" not in desc  # input escaped inside the HTML
    assert "<b>Killed</b>: 15" in desc
    assert first.findtext(".//k:TimeStamp/k:when", namespaces=KML_NS) == "2025-10-15"
    coords = first.findtext(".//k:Point/k:coordinates", namespaces=KML_NS).strip()
    assert coords.split(",")[:2] == ["66.3956", "31.0067"]
    data = {
        d.get("name"): d.findtext("k:value", namespaces=KML_NS) for d in first.findall(".//k:Data", KML_NS)
    }
    assert data["id"] == "inc-0001" and json.loads(data["actors"]) == ["Pakistan military", "Afghan Taliban"]
    # every placemark uses the style of its folder's type
    for folder in folders:
        urls = {p.findtext("k:styleUrl", namespaces=KML_NS) for p in folder.findall("k:Placemark", KML_NS)}
        assert len(urls) == 1


def test_kml_parses_with_fastkml(gdf, tmp_path):
    from fastkml import kml

    out = tmp_path / "incidents.kml"
    ex.export(gdf, out, "kml")
    doc = kml.KML.parse(str(out))
    (document,) = doc.features
    folders = list(document.features)
    assert [f.name for f in folders] == ["strike", "clash", "crossing", "negotiation", "displacement"]
    assert sum(len(list(f.features)) for f in folders) == len(gdf)


def test_kml_skips_incidents_without_a_point_and_groups_by_first_appearance(gdf, tmp_path):
    """The streamed writer groups each type's placemarks in a folder of its own, the types in the
    order they first appear, whatever order the rows interleave them in."""
    from lxml import etree
    from shapely.geometry import Point

    frame = gdf.iloc[[2, 0, 3, 1, 4]].reset_index(drop=True)
    frame.loc[1, "geometry"] = Point()  # an empty point: no placemark
    out = tmp_path / "incidents.kml"
    ex.export(frame, out, "kml")
    root = etree.parse(str(out)).getroot()
    folders = root.findall(".//k:Folder", KML_NS)
    expected = list(dict.fromkeys(t for i, t in enumerate(frame["event_type"]) if i != 1))
    assert [f.findtext("k:name", namespaces=KML_NS) for f in folders] == expected
    ids = [
        d.findtext("k:value", namespaces=KML_NS)
        for d in root.findall(".//k:Placemark/k:ExtendedData/k:Data[@name='id']", KML_NS)
    ]
    assert sorted(ids) == sorted(frame["id"][i] for i in (0, 2, 3, 4))


def test_kml_stdout(gdf, capsys):
    ex.export(gdf, "-", "kml")
    assert capsys.readouterr().out.lstrip().startswith("<?xml")


# --------------------------------------------------------------------------------------------
# atomicity and the command line


@pytest.mark.parametrize("fmt", ["csv", "kml", "geojson"])
def test_interrupted_write_keeps_previous_output(gdf, tmp_path, monkeypatch, fmt):
    out = tmp_path / f"incidents.{fmt}"
    out.write_text("previous")

    real = ex.atomic_text if fmt != "geojson" else frames.atomic_text

    import contextlib

    @contextlib.contextmanager
    def failing(path, encoding="utf-8"):
        with real(path, encoding=encoding) as fh:
            fh.write("partial")
            raise KeyboardInterrupt

    monkeypatch.setattr(ex if fmt != "geojson" else frames, "atomic_text", failing)

    @contextlib.contextmanager
    def failing_path(path):  # KML is serialised straight into the temporary file
        with ex._io_atomic_path(path) as tmp:
            tmp.write_text("partial")
            raise KeyboardInterrupt
            yield tmp

    monkeypatch.setattr(ex, "_io_atomic_path", ex.atomic_path, raising=False)
    monkeypatch.setattr(ex, "atomic_path", failing_path)
    with pytest.raises(KeyboardInterrupt):
        ex.export(gdf, out, fmt)
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def _geomap(*args: str) -> subprocess.CompletedProcess:
    import os
    import sys

    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [sys.executable, "-m", "geomap", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_cli_export_and_bad_input(tmp_path):
    out = tmp_path / "x.csv"
    result = _geomap(
        "export",
        str(INCIDENTS),
        "--format",
        "csv",
        "-o",
        str(out),
        "--types",
        "strike,clash",
        "--country",
        "AF",
    )
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in _read_csv(out)] == ["inc-0001"]

    bad = DATA / "export" / "bad" / "lon_out_of_range.geojson"
    result = _geomap("export", str(bad), "--format", "kml", "-o", str(tmp_path / "y.kml"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "longitude 190.5 out of range" in result.stderr
    assert str(bad) in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "y.kml").exists()

    result = _geomap("export", str(INCIDENTS), "--format", "csv", "--types", "strikes")
    assert result.returncode == 2 and "unknown event type 'strikes'" in result.stderr

    acled_csv = DATA / "acled" / "acled_afpak_2025.csv"
    result = _geomap(
        "export",
        str(acled_csv),
        "--format",
        "geojson",
        "-o",
        str(tmp_path / "a.geojson"),
        "--side",
        "PK",
        "--near-border",
        "50",
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "a.geojson").read_text(encoding="utf-8"))
    assert doc["features"] and all(f["properties"]["side"] == "PK" for f in doc["features"])
    assert all(f["properties"]["layer"] == "ACLED" for f in doc["features"])
