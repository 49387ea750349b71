"""The pipeline glue: border fields and the consistency warning on incidents and mentions."""

from __future__ import annotations

from geomap.models import Incident
from geomap.pipeline import add_border_geometry, add_mention_border_fields


def incident(place: str, country: str, lon: float, lat: float, precision: int = 1) -> Incident:
    return Incident(
        id="x",
        event_type="clash",
        sub_event_type="armed clash",
        place=place,
        place_id="p",
        country=country,
        admin1=None,
        geo_precision=precision,
        lon=lon,
        lat=lat,
        date=None,
        date_precision=None,
        killed=None,
        wounded=None,
        claims=[],
        actors=[],
        evidence="",
        sources=[],
        confidence=0.5,
    )


def test_a_point_on_the_wrong_side_is_flagged():
    # A place said to be in Pakistan whose point lies deep in Afghanistan (Kandahar city).
    inc = incident("Somewhere", "PK", 65.71, 31.61)
    add_border_geometry([inc])
    assert inc.side == "AF"
    assert inc.warnings and "PK" in inc.warnings[0] and "AF" in inc.warnings[0]


def test_consistent_points_and_coarse_places_are_not_flagged():
    kabul = incident("Kabul", "AF", 69.17, 34.53)
    border = incident("Afghanistan–Pakistan border", "PK", 69.5, 32.5, precision=3)
    add_border_geometry([kabul, border])
    assert kabul.warnings == [] and border.warnings == []
    assert kabul.side == "AF" and 50 < kabul.border_km < 150


def test_a_crossing_within_5_km_of_the_line_is_consistent_on_either_side():
    torkham = incident("Torkham", "AF", 71.0847, 34.1147)  # curated point, on the PK side of the line
    add_border_geometry([torkham])
    assert torkham.nearest_crossing == "Torkham" and torkham.warnings == []


def test_mentions_get_the_fields_of_their_own_border_and_countries_none():
    chaman = {
        "geometry": {"coordinates": [66.4526, 30.9177]},
        "properties": {"country": "PK", "kind": "town"},
    }
    poipet = {
        "geometry": {"coordinates": [102.5628, 13.6592]},
        "properties": {"country": "KH", "kind": "town"},
    }
    doha = {"geometry": {"coordinates": [51.53, 25.29]}, "properties": {"country": "QA", "kind": "city"}}
    qatar = {"geometry": {"coordinates": [51.25, 25.5]}, "properties": {"country": "QA", "kind": "country"}}
    for feature in (chaman, poipet, doha, qatar):
        add_mention_border_fields(feature)
    assert chaman["properties"]["side"] == "PK" and chaman["properties"]["border"] == "AF-PK"
    assert chaman["properties"]["border_km"] < 10
    assert poipet["properties"]["border"] == "KH-TH" and poipet["properties"]["border_km"] < 10
    assert doha["properties"]["side"] == "QA" and doha["properties"]["border_km"] > 20
    assert qatar["properties"]["side"] is None and qatar["properties"]["border"] is None


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    """Same input, same bytes: ids, order and every float, whatever Python's hash seed."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    data = Path(__file__).parent / "data"
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"i{seed}.geojson"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "geomap",
                "extract",
                str(data / "news"),
                str(data / "events"),
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
