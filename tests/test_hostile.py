"""The hostile-input corpus (``tests/data/hostile/``) over every verb, and generated inputs
(hypothesis): each case ends in exit 0 or in exit 2 with one line on stderr, never a crash, and a
failed command writes no output (issue 25).

The default suite runs a few hundred generated cases; the tests marked ``slow`` run more than
10,000 (``pytest --slow``; ``scripts/test.sh`` runs them).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geomap.exporters as ex
from geomap._errors import InputError

HOSTILE = Path(__file__).parent / "data" / "hostile"
ARTICLES = sorted((HOSTILE / "articles").iterdir())
INCIDENT_FILES = sorted((HOSTILE / "incidents").iterdir())
INCIDENTS = Path(__file__).parent / "data" / "export" / "incidents.geojson"


def _run(args, capsys) -> tuple[int, str]:
    from geomap.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    return int(exit_.value.code or 0), capsys.readouterr().err


def _ok_or_one_line(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        errors = [line for line in err.splitlines() if line.startswith("geomap: error:")]
        assert len(errors) == 1, err


def test_corpus_is_there():
    assert len(ARTICLES) >= 12 and len(INCIDENT_FILES) >= 15


@pytest.mark.parametrize("verb", ["places", "extract"])
@pytest.mark.parametrize("article", ARTICLES, ids=[p.name for p in ARTICLES])
def test_article_verbs_over_the_corpus(tmp_path, capsys, article, verb):
    out = tmp_path / "o.geojson"
    code, err = _run([verb, article, "-o", out], capsys)
    _ok_or_one_line(code, err)
    if code == 0:
        json.loads(out.read_text(encoding="utf-8"))
    else:
        assert not out.exists()


def test_build_over_the_corpus(tmp_path, capsys):
    from lxml import etree

    out = tmp_path / "out"
    code, err = _run(["build", HOSTILE / "articles", "--out", out, "--formats", "csv,gpkg,kml"], capsys)
    assert code == 0, err
    etree.parse(str(out / "incidents.kml"))
    assert ex.read_incidents(out / "incidents.csv") is not None
    manifest = json.loads((out / "geomap-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {"geomap-manifest.json"}


@pytest.mark.parametrize("verb", ["map", "geojson", "csv", "gpkg", "kml", "eval"])
@pytest.mark.parametrize("src", INCIDENT_FILES, ids=[p.name for p in INCIDENT_FILES])
def test_incident_verbs_over_the_corpus(tmp_path, capsys, src, verb):
    out = tmp_path / f"o.{verb}"
    if verb == "map":
        args = ["map", src, "-o", out]
    elif verb == "eval":
        args, out = ["eval", src, ARTICLES[0]], None
    else:
        args = ["export", src, "--format", verb, "-o", out]
    code, err = _run(args, capsys)
    _ok_or_one_line(code, err)
    if out is not None:
        assert out.exists() == (code == 0)


# --------------------------------------------------------------------------------------------
# generated cases

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("&<>=+-@\t\r\n\x00\x0b'\"")
)
_wild_text = st.text()  # lone surrogates too
_numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([2**63, 2**63 - 1, 10**400, -1, 0, 10**9, 10**9 + 1]),
)
_json = st.recursive(
    st.none() | st.booleans() | _numbers | _wild_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_text, children, max_size=3),
    max_leaves=8,
)
_KEYS = [
    "id",
    "event_type",
    "date",
    "place",
    "killed",
    "wounded",
    "killed_high",
    "claims",
    "actors",
    "sources",
    "evidence",
    "confidence",
    "border_km",
    "geo_precision",
    "planned",
    "warnings",
    "x&<",
    "=f",
]
_props = st.dictionaries(st.sampled_from(_KEYS) | _text, _json, max_size=6)


def _feature_collection(props: dict, lon: object, lat: object) -> dict:
    base = {"event_type": "strike", "date": "2025-10-09", "place": "Kabul", "killed": 3}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {**base, **props},
            }
        ],
    }


def _check_document(doc: dict, tmp: Path) -> None:
    """Validation refuses the document with InputError, or every writer writes it."""
    from lxml import etree

    from geomap.frames import features_to_gdf, validate_incident_collection
    from geomap.schema import INCIDENT_COLUMNS

    try:
        fc = validate_incident_collection(doc, "generated")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    gdf = features_to_gdf(fc, INCIDENT_COLUMNS)
    ex.export(gdf, tmp / "o.geojson", "geojson")
    json.loads((tmp / "o.geojson").read_text(encoding="utf-8"), parse_constant=pytest.fail)
    ex.export(gdf, tmp / "o.kml", "kml")
    etree.parse(str(tmp / "o.kml"))
    ex.export(gdf, tmp / "o.csv", "csv")
    back = ex.read_incidents(tmp / "o.csv")
    assert len(back) == 1


_coord = st.one_of(st.floats(-200, 200), st.integers(-(2**70), 2**70), st.just(math.inf), _text)


@given(_props, _coord, _coord)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_incident_files(tmp_path_factory, props, lon, lat):
    _check_document(_feature_collection(props, lon, lat), tmp_path_factory.mktemp("g"))


@pytest.mark.slow
@given(_props, _coord, _coord)
@settings(max_examples=4000, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_incident_files_long(tmp_path_factory, props, lon, lat):
    _check_document(_feature_collection(props, lon, lat), tmp_path_factory.mktemp("g"))


_CELL = st.one_of(
    _text, _numbers.map(str), st.sampled_from(["", "-33.5", "=1+1", "9" * 400, "2025-02-30", "nan"])
)


def _check_csv(cells: dict, tmp: Path) -> None:
    import csv

    rows = list(
        csv.DictReader(
            open(Path(__file__).parent / "data" / "acled" / "acled_afpak_2025.csv", encoding="utf-8-sig")
        )
    )[:2]
    rows[0].update(cells)
    path = tmp / "a.csv"
    with open(path, "w", encoding="utf-8", newline="", errors="surrogatepass") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[1]), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    try:
        gdf = ex.read_incidents(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    ex.export(gdf, tmp / "o.csv", "csv")
    ex.read_incidents(tmp / "o.csv")


_ACLED_KEYS = [
    "event_date",
    "latitude",
    "longitude",
    "fatalities",
    "notes",
    "location",
    "actor1",
    "event_type",
    "sub_event_type",
    "time_precision",
    "geo_precision",
    "iso",
    "country",
    "source",
]
_cells = st.dictionaries(st.sampled_from(_ACLED_KEYS), _CELL, max_size=5)


@given(_cells)
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_acled_rows(tmp_path_factory, cells):
    _check_csv(cells, tmp_path_factory.mktemp("c"))


@pytest.mark.slow
@given(_cells)
@settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_acled_rows_long(tmp_path_factory, cells):
    _check_csv(cells, tmp_path_factory.mktemp("c"))


@pytest.mark.slow
@given(_wild_text)
@settings(max_examples=3000, deadline=None)
def test_xml_text_is_always_well_formed(text):
    from lxml import etree

    el = etree.Element("value")
    el.text = ex.xml_text(text)  # lxml refuses what XML forbids: it must not see any
    assert etree.fromstring(etree.tostring(el)).text in (None, ex.xml_text(text))


@pytest.mark.slow
@given(_wild_text)
@settings(max_examples=3000, deadline=None)
def test_spreadsheet_safe_round_trips_long(text):
    from geomap.acled import spreadsheet_safe, spreadsheet_unsafe

    assert spreadsheet_unsafe(spreadsheet_safe(text)) == text


_article = st.lists(
    st.sampled_from(list("abc XYZ.,\n\t&<>=@-+0123456789\x00\x0b\u202e\ufeff"))
    | st.sampled_from(
        [
            "Kabul",
            "Torkham",
            "October 9, 2025",
            "killed",
            "strike",
            " drone strikes hit ",
            "\n\n\n",
            "<div>",
            "</p>",
        ]
    ),
    max_size=120,
).map("".join)


def _check_article(text: str, suffix: str, tmp: Path) -> None:
    from geomap.articles import read_article
    from geomap.pipeline import extract_incidents

    path = tmp / f"a{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_article(path)
        gdf = extract_incidents([path], {})
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    if len(gdf):
        ex.export(gdf, tmp / "o.kml", "kml")
        ex.export(gdf, tmp / "o.csv", "csv")


@given(_article, st.sampled_from([".txt", ".html", ".md"]))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_articles(tmp_path_factory, text, suffix):
    _check_article(text, suffix, tmp_path_factory.mktemp("a"))


@pytest.mark.slow
@given(_article, st.sampled_from([".txt", ".html", ".md"]))
@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_articles_long(tmp_path_factory, text, suffix):
    _check_article(text, suffix, tmp_path_factory.mktemp("a"))
