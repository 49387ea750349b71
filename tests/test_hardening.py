"""Hardening (issue 25): hostile text and numbers in inputs end in exit 0 or 2, never a crash;
outputs are well-formed whatever the text holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geomap.exporters as ex

DATA = Path(__file__).parent / "data"
INCIDENTS = DATA / "export" / "incidents.geojson"
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}

#: Text XML must escape, and characters XML 1.0 forbids (which the KML writer drops).
NASTY = "A & B <b>x</b> ]]> \"q\" 'a' \x0b\x00\x1f\ufffe\udc80 end"
NASTY_KEPT = "A & B <b>x</b> ]]> \"q\" 'a'  end"


@pytest.fixture(scope="module")
def gdf():
    return ex.read_incidents(INCIDENTS)


# --------------------------------------------------------------------------------------------
# 1. KML: an XML writer that escapes, and drops what XML 1.0 forbids


def _nasty_frame(gdf):
    frame = gdf.copy()
    frame.at[0, "place"] = NASTY
    frame.at[0, "evidence"] = NASTY
    frame.at[0, "actors"] = [NASTY, "Afghan Taliban"]
    frame.at[0, "sources"] = [{"article": "a&b<c>\x0b.txt", "published": "2025-10-12", "evidence": NASTY}]
    frame.at[0, "claims"] = [{"killed": 3, "by": NASTY, "article": "a&b.txt"}]
    frame["odd <key> & \x01"] = [NASTY] + [None] * (len(frame) - 1)
    return frame


def test_kml_escapes_and_drops_forbidden_characters(gdf, tmp_path):
    from fastkml import kml
    from lxml import etree

    out = tmp_path / "x.kml"
    ex.export(_nasty_frame(gdf), out, "kml")
    root = etree.parse(str(out)).getroot()  # well-formed XML
    first = root.find(".//k:Placemark", KML_NS)
    assert first.findtext("k:name", namespaces=KML_NS).endswith(NASTY_KEPT + " (2025-10-15)")
    data = {
        d.get("name"): d.findtext("k:value", namespaces=KML_NS) for d in first.findall(".//k:Data", KML_NS)
    }
    assert data["place"] == NASTY_KEPT
    # JSON text keeps control characters as \u escapes; what XML forbids as characters is dropped
    assert json.loads(data["actors"])[0] == NASTY.replace("\ufffe", "").replace("\udc80", "")
    assert data["odd <key> & "] == NASTY_KEPT
    desc = first.findtext("k:description", namespaces=KML_NS)
    assert "a&amp;b&lt;c&gt;.txt" in desc  # HTML-escaped inside the balloon, XML-escaped around it
    assert len(list(kml.KML.parse(str(out)).features)) == 1


def test_kml_of_hostile_article_builds(tmp_path):
    """The issue's reproduction: an '&' in an article's text made `build --formats kml` exit 1."""
    from geomap.cli import main

    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "amp & <x>.txt").write_text(
        "date 2025-10-20\nPakistani drone strikes hit Kabul on October 9, 2025, killing 10 people & "
        "wounding 3, officials said.\x0b\n",
        encoding="utf-8",
    )
    out = tmp_path / "D"
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(folder), "--out", str(out), "--formats", "kml"])
    assert exit_.value.code == 0
    from lxml import etree

    root = etree.parse(str(out / "incidents.kml")).getroot()
    assert root.findall(".//k:Placemark", KML_NS)
    assert (out / "map.html").exists()


# --------------------------------------------------------------------------------------------
# 2. CSV: spreadsheet-safe text cells (OWASP), numbers untouched, read back as they were

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "'=quoted", "''+two", "plain"]


def _formula_frame(gdf):
    from shapely.geometry import Point

    frame = gdf.copy()
    n = len(FORMULAS)
    frame = frame.iloc[[i % len(frame) for i in range(n)]].reset_index(drop=True)
    frame["id"] = [f"{f}-{i}" for i, f in enumerate(FORMULAS)]
    frame["place"] = FORMULAS
    frame["evidence"] = FORMULAS
    frame["admin1"] = FORMULAS
    frame["actors"] = [[f, "Afghan Taliban"] for f in FORMULAS]
    frame["warnings"] = [[f] for f in FORMULAS]
    frame["geometry"] = [Point(-70.25, -33.5)] * n
    frame["killed"] = [3] * n
    frame["=extra"] = FORMULAS
    return frame


def test_csv_text_cells_are_spreadsheet_safe(gdf, tmp_path):
    import csv

    out = tmp_path / "x.csv"
    ex.export(_formula_frame(gdf), out, "csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for key, value in row.items():
            if key in ("latitude", "longitude"):
                continue
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), (key, value)
        assert row["latitude"] == "-33.5" and row["longitude"] == "-70.25"  # numbers stay numbers
        assert row["fatalities"] == "3" and row["killed"] == "3"
    assert rows[0]["location"] == "'" + FORMULAS[0] and rows[0]["notes"] == "'" + FORMULAS[0]
    assert rows[0]["actor1"] == "'" + FORMULAS[0] and rows[0]["'=extra"] == "'" + FORMULAS[0]
    assert rows[-1]["location"] == "plain"


def test_csv_escaping_can_be_turned_off(gdf, tmp_path):
    import csv

    out = tmp_path / "x.csv"
    ex.export(_formula_frame(gdf), out, "csv", escape_formulas=False)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["location"] == FORMULAS[0] and "=extra" in rows[0]


def test_csv_round_trip_gives_the_same_incidents(gdf, tmp_path):
    frame = _formula_frame(gdf)
    out = tmp_path / "x.csv"
    ex.export(frame, out, "csv")
    back = ex.read_incidents(out)
    assert len(back) == len(frame)
    for key in ("id", "place", "admin1", "evidence", "actors", "warnings", "killed", "event_type"):
        # (the CSV reader strips the blanks around text and list items, with or without escaping)
        expected = [
            [x.strip() for x in v]
            if isinstance(v, list)
            else v.strip()
            if isinstance(v, str) and key != "evidence"
            else v
            for v in frame[key]
        ]
        assert list(back[key]) == expected, key
    assert list(back.geometry.x) == [-70.25] * len(frame) and list(back.geometry.y) == [-33.5] * len(frame)
    # and the normal incidents: the same as before escaping existed
    out2 = tmp_path / "y.csv"
    ex.export(gdf, out2, "csv")
    again = ex.read_incidents(out2)
    for key in ("id", "place", "evidence", "actors", "killed", "date"):
        assert list(again[key]) == list(gdf[key]), key


def test_cli_export_csv_escape_option(tmp_path):
    from geomap.cli import main

    src = tmp_path / "in.geojson"
    doc = json.loads(INCIDENTS.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["place"] = "=1+1"
    src.write_text(json.dumps(doc), encoding="utf-8")
    for flag, expected in (([], "'=1+1"), (["--no-escape-formulas"], "=1+1")):
        with pytest.raises(SystemExit) as exit_:
            main(["export", str(src), "--format", "csv", "-o", str(tmp_path / "o.csv"), *flag])
        assert exit_.value.code == 0
        assert f",{expected}," in (tmp_path / "o.csv").read_text(encoding="utf-8-sig")


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_spreadsheet_safe_round_trips(text):
    from geomap.acled import spreadsheet_safe, spreadsheet_unsafe

    safe = spreadsheet_safe(text)
    assert safe[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert spreadsheet_unsafe(safe) == text


# --------------------------------------------------------------------------------------------
# 3. Huge numbers: range-checked where incident files are read (exit 2, not OverflowError)


def _run(args, capsys) -> tuple[int, str]:
    from geomap.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    err = capsys.readouterr().err
    return int(exit_.value.code or 0), err


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("geomap: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


HUGE = [
    ("killed", 2**63),
    ("killed", 10**400),
    ("wounded_high", -1),
    ("geo_precision", 2**63),
    ("confidence", 10**400),
    ("border_km", 10**400),
    ("extra", 2**63),
    ("extra", -(2**70)),
    ("claims", [{"killed": 10**400, "by": "x"}]),
    ("claims", [{"wounded": 2**64}]),
]


@pytest.mark.parametrize("key,value", HUGE, ids=[f"{k}-{i}" for i, (k, _) in enumerate(HUGE)])
@pytest.mark.parametrize("verb", ["gpkg", "csv", "map"])
def test_huge_numbers_in_geojson_are_bad_input(tmp_path, capsys, key, value, verb):
    doc = json.loads(INCIDENTS.read_text(encoding="utf-8"))
    doc["features"][0]["properties"][key] = value
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / f"out.{'html' if verb == 'map' else verb}"
    args = ["map", src, "-o", out] if verb == "map" else ["export", src, "--format", verb, "-o", out]
    code, err = _run(args, capsys)
    assert code == 2, err
    line = _one_error_line(err)
    assert f"'{key}'" in line and len(line) < 300
    assert not out.exists()


@pytest.mark.parametrize(
    "column,value", [("fatalities", "9223372036854775808"), ("fatalities", "1" + "0" * 400)]
)
def test_huge_numbers_in_acled_csv_are_bad_input(tmp_path, capsys, column, value):
    import csv

    src_rows = list(csv.DictReader(open(DATA / "acled" / "acled_afpak_2025.csv", encoding="utf-8-sig")))
    src_rows[0][column] = value
    src = tmp_path / "a.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(src_rows[0]))
        writer.writeheader()
        writer.writerows(src_rows)
    code, err = _run(["export", src, "--format", "gpkg", "-o", tmp_path / "o.gpkg"], capsys)
    assert code == 2 and column in _one_error_line(err)


@pytest.mark.parametrize("column", ["killed", "wounded", "border_km", "confidence"])
def test_huge_numbers_in_geomap_csv_are_bad_input(gdf, tmp_path, capsys, column):
    import csv

    out = tmp_path / "x.csv"
    ex.export(gdf, out, "csv")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0][column] = "9223372036854775808"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, err = _run(["export", out, "--format", "gpkg", "-o", tmp_path / "o.gpkg"], capsys)
    assert code == 2 and column in _one_error_line(err)


# --------------------------------------------------------------------------------------------
# 4. map/export read only regular files, up to a size limit


@pytest.fixture
def fifo(tmp_path):
    import os

    path = tmp_path / "pipe.geojson"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("verb", ["map", "export"])
@pytest.mark.parametrize("source", ["/dev/zero", "fifo", "", "folder"])
def test_map_and_export_refuse_what_is_not_a_regular_file(tmp_path, capsys, fifo, verb, source):
    src = {"fifo": fifo, "folder": tmp_path}.get(source, source)
    out = tmp_path / "o.out"
    args = ["map", src, "-o", out] if verb == "map" else ["export", src, "--format", "csv", "-o", out]
    code, err = _run(args, capsys)  # returns at once: neither reads forever nor blocks on the FIFO
    assert code == 2
    line = _one_error_line(err)
    assert ("not a regular file" in line) or ("empty path" in line) or ("is a folder" in line)
    assert not out.exists()


def test_incident_files_over_the_limit_are_refused(tmp_path, capsys, monkeypatch):
    from geomap import settings

    monkeypatch.setattr(settings, "MAX_INCIDENT_BYTES", 1000)
    for src in (INCIDENTS, DATA / "acled" / "acled_afpak_2025.csv"):
        code, err = _run(["export", src, "--format", "csv", "-o", tmp_path / "o.csv"], capsys)
        assert code == 2
        assert "over the incidents limit of 1,000 bytes (set GEOMAP_MAX_INCIDENT_BYTES" in _one_error_line(
            err
        )


def test_read_input_bytes_never_reads_past_the_limit(tmp_path):
    from geomap._errors import InputError
    from geomap._io import read_input_bytes

    big = tmp_path / "big.geojson"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(InputError, match="over the incidents limit"):
        read_input_bytes(big, 4999, "GEOMAP_MAX_INCIDENT_BYTES", "incidents")
    assert read_input_bytes(big, 5000, "X", "incidents") == b"x" * 5000


# --------------------------------------------------------------------------------------------
# 5. -o onto a symbolic link writes through it; onto a device, a FIFO or a socket: refused


def test_output_through_symlinks(gdf, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to("real.csv")
    (tmp_path / "link2.csv").symlink_to(tmp_path / "link.csv")
    ex.export(gdf, tmp_path / "link2.csv", "csv")
    assert (tmp_path / "link2.csv").is_symlink() and (tmp_path / "link.csv").is_symlink()
    assert real.read_text(encoding="utf-8-sig").startswith("event_id_cnty,")
    # a dangling link: the file it names is created
    (tmp_path / "dangling.kml").symlink_to(tmp_path / "made.kml")
    ex.export(gdf, tmp_path / "dangling.kml", "kml")
    assert (tmp_path / "dangling.kml").is_symlink() and (tmp_path / "made.kml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dangling.kml",
        "link.csv",
        "link2.csv",
        "made.kml",
        "real.csv",
    ]


@pytest.mark.parametrize("target", ["/dev/null", "fifo", "link-to-null"])
def test_output_onto_a_device_is_refused(tmp_path, capsys, fifo, target):
    if target == "link-to-null":
        (tmp_path / "null.csv").symlink_to("/dev/null")
        target = tmp_path / "null.csv"
    out = {"fifo": fifo}.get(target, target)
    code, err = _run(["export", INCIDENTS, "--format", "csv", "-o", out], capsys)
    assert code == 2 and "not a regular file" in _one_error_line(err)
    import stat as stat_

    assert not stat_.S_ISREG(Path(out).stat().st_mode)  # the node itself is left as it was


def test_stale_temporaries_are_removed_by_the_next_run(gdf, tmp_path):
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)  # a process that has ended
    stale = [
        f".incidents.gpkg.{pid}.abcd_123.tmp",
        f".incidents.gpkg.{pid}.abcd_123.tmp.gpkg",
        f".incidents.gpkg.{pid}.abcd_123.tmp.gpkg-journal",
    ]
    kept = [
        ".incidents.gpkg.1.abcd_123.tmp",  # pid 1 is alive: it may be writing
        "notes.incidents.gpkg.tmp",  # not geomap's name
        f".other.csv.{pid}.abcd_123.tmp",  # another output's (removed when that is written)
    ]
    for name in stale + kept:
        (tmp_path / name).write_text("x", encoding="utf-8")
    ex.export(gdf, tmp_path / "incidents.gpkg", "gpkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept + ["incidents.gpkg"])


# --------------------------------------------------------------------------------------------
# 6. Date lines: linear in blank lines


def test_date_line_pattern_stays_on_its_line():
    """A date line's pattern starts and ends on its own line: from a line start it cannot run
    over the following blank lines (what made a run of blank lines quadratic)."""
    from geomap.articles import _DATE_LINE_RE, text_date

    assert _DATE_LINE_RE.match("\n\n\nOctober 12, 2025") is None
    m = _DATE_LINE_RE.search("\n\n\n\u00a0October 12, 2025 10:39 AM GMT+03:00  \n\n")
    assert m is not None and m.start() == 3 and m.group(0).count("\n") == 0
    text = "\n" * 20000 + "Sunday, October 12, 2025\n\nThe border crossing was closed."
    assert text_date(text[:3000]) is None  # (only the top of a text is looked at)
    assert str(text_date("\n" * 50 + "Sunday, October 12, 2025\n")[0]) == "2025-10-12"


def test_article_of_blank_lines_reads(tmp_path):
    from geomap.articles import read_article

    path = tmp_path / "blank.txt"
    path.write_text(
        "date 2025-10-20\n" + "\n" * 20000 + "Pakistani drone strikes hit Kabul.\n", encoding="utf-8"
    )
    art = read_article(path)
    assert "Kabul" in art.text


# --------------------------------------------------------------------------------------------
# 7. The merge's candidate query: bounded in size whatever the number of events in a report


def _candidate_rows(n_boxes: int, boxes_max: int, monkeypatch) -> list[tuple]:
    import random
    import sqlite3

    from geomap import incidents as inc

    monkeypatch.setattr(inc, "_BOX_TERMS_MAX", boxes_max)
    inc._candidate_sql.cache_clear()
    db = sqlite3.connect(":memory:")
    inc._OnDisk(db)
    rnd = random.Random(7)
    for gid in range(60):
        db.execute(
            "INSERT INTO groups VALUES (?, 0, 2, NULL, NULL, NULL, '', '[{}, {}]', NULL, NULL)", (gid,)
        )
        db.execute("INSERT INTO group_keys VALUES (?, ?)", ("l strike AF", gid))
        for _ in range(3):
            db.execute(
                "INSERT OR IGNORE INTO group_points VALUES (?, ?, ?)",
                (gid, rnd.uniform(29, 38), rnd.uniform(60, 75)),
            )
    boxes = []
    for _ in range(n_boxes):
        lat, lon = rnd.uniform(29, 38), rnd.uniform(60, 75)
        boxes.append([lat - 0.3, lat + 0.3, lon - 0.3, lon + 0.3])
    params = inc._box_params(boxes)
    params.update(keys='["l strike AF"]', at="[]", country="[]", reopening=0, article="x.txt")
    rows = db.execute(inc._candidate_sql(None, n_boxes), params).fetchall()
    inc._candidate_sql.cache_clear()
    return rows


def test_candidate_query_with_many_boxes_is_the_same_query(monkeypatch):
    # the JSON form gives the rows the OR form gives
    assert _candidate_rows(40, 10_000, monkeypatch) == _candidate_rows(40, 32, monkeypatch)
    assert _candidate_rows(5, 32, monkeypatch) == _candidate_rows(5, 0, monkeypatch)


def test_candidate_query_with_thousands_of_boxes_runs(monkeypatch):
    """Was "Expression tree is too large (maximum depth 1000)" (and SQLite's parameter limit)."""
    from geomap import incidents as inc

    rows = _candidate_rows(40_000, 32, monkeypatch)
    assert rows and len(inc._candidate_sql(None, 40_000)) == len(inc._candidate_sql(None, 33))


@pytest.mark.slow
def test_repetitive_article_extracts(tmp_path, capsys):
    """The issue's case in small: one report of more than 1,000 events."""
    src = tmp_path / "rep.txt"
    src.write_text(
        "date 2025-10-20\n"
        + "Pakistani drone strikes hit Kabul on October 9, 2025, killing 10 people. " * 1500,
        encoding="utf-8",
    )
    code, err = _run(["extract", src, "-o", tmp_path / "o.geojson"], capsys)
    assert code == 0, err
    assert json.loads((tmp_path / "o.geojson").read_text(encoding="utf-8"))["features"]


# --------------------------------------------------------------------------------------------
# 8. The outputs of one build as a set: staged, journaled, renamed, the manifest last; a lock


def _kill_trials():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "kill_trials", Path(__file__).parent.parent / "scripts" / "kill_trials.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SMALL = sorted((Path(__file__).parent.parent / "seeds").glob("00[34]_*.txt"))


def test_build_writes_a_manifest_last(tmp_path):
    import subprocess

    kt = _kill_trials()
    out = tmp_path / "out"
    (tmp_path / "out").mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # not geomap's: never touched
    subprocess.run(
        kt.build_args([str(p) for p in SMALL], out), env=kt._env(), check=True, capture_output=True
    )
    assert kt.check_folder(out) is None
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    manifest = json.loads((out / "geomap-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == kt.SET


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_killed_build_leaves_one_complete_set(tmp_path, seed):
    import random
    import subprocess
    import time

    kt = _kill_trials()
    out = tmp_path / "out"
    articles = [str(p) for p in SMALL]
    start = time.monotonic()
    subprocess.run(kt.build_args(articles, out), env=kt._env(), check=True, capture_output=True)
    duration = time.monotonic() - start
    assert kt.trial(articles, out, random.Random(seed), duration) is None


def test_interrupted_commit_is_finished_by_the_next_run(tmp_path):
    """A run killed between its journal and its manifest: the next one finishes the renames."""
    from geomap import _io

    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("old map", encoding="utf-8")
    (out / "incidents.geojson").write_text("old incidents", encoding="utf-8")
    staged = {
        "map.html": ".map.html.999999.abcdefgh.tmp",
        "incidents.geojson": ".incidents.geojson.999999.abcdefgh.tmp",
    }
    entries = []
    for name, tmp in staged.items():
        (out / tmp).write_text(f"new {name}", encoding="utf-8")
        digest = __import__("hashlib").sha256(f"new {name}".encode()).hexdigest()
        entries.append({"name": name, "temporary": tmp, "sha256": digest, "bytes": 4 + len(name)})
    os_replace = __import__("os").replace
    os_replace(out / staged["map.html"], out / "map.html")  # killed after the first rename
    (out / ".geomap-commit.json").write_text(json.dumps({"files": entries}), encoding="utf-8")
    _io.recover_output_set(out)
    assert (out / "map.html").read_text(encoding="utf-8") == "new map.html"
    assert (out / "incidents.geojson").read_text(encoding="utf-8") == "new incidents.geojson"
    manifest = json.loads((out / "geomap-manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"map.html", "incidents.geojson"}
    assert sorted(p.name for p in out.iterdir()) == [
        "geomap-manifest.json",
        "incidents.geojson",
        "map.html",
    ]


def test_a_second_run_waits_for_the_lock(tmp_path, monkeypatch):
    import fcntl
    import os

    from geomap import _io
    from geomap._errors import InputError

    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another run holds it
    monkeypatch.setattr(_io, "LOCK_WAIT_SECONDS", 0.3)
    try:
        with pytest.raises(InputError, match="another geomap run is writing to this folder"):
            with _io.output_set(out):
                pass
    finally:
        os.close(fd)
    with _io.output_set(out):  # free again
        (out / "x.txt").write_text("not staged: written directly", encoding="utf-8")


def test_a_failed_run_keeps_the_previous_set(tmp_path):
    from geomap import _io

    out = tmp_path / "out"
    with _io.output_set(out):
        with _io.atomic_text(out / "a.txt") as fh:
            fh.write("first")
    with pytest.raises(RuntimeError):
        with _io.output_set(out):
            with _io.atomic_text(out / "a.txt") as fh:
                fh.write("second")
            assert (out / "a.txt").read_text(encoding="utf-8") == "first"  # staged, not yet in place
            raise RuntimeError("the map failed")
    assert (out / "a.txt").read_text(encoding="utf-8") == "first"
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "geomap-manifest.json"]


# --------------------------------------------------------------------------------------------
# 9. Smaller findings


def test_impossible_dates_in_incident_files_are_bad_input(tmp_path, capsys):
    doc = json.loads(INCIDENTS.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["date"] = "2025-02-30"
    src = tmp_path / "in.geojson"
    src.write_text(json.dumps(doc), encoding="utf-8")
    code, err = _run(["export", src, "--format", "csv", "-o", tmp_path / "o.csv"], capsys)
    assert code == 2 and "'date' must be YYYY-MM-DD (a day of the calendar)" in _one_error_line(err)


def test_bad_nominatim_delay_setting_is_ignored():
    import subprocess
    import sys

    for value, expected in (("abc", "1.0"), ("nan", "1.0"), ("-3", "1.0"), ("0.25", "0.25")):
        result = subprocess.run(
            [sys.executable, "-c", "from geomap import settings; print(settings.NOMINATIM_MIN_DELAY)"],
            capture_output=True,
            text=True,
            env={
                **__import__("os").environ,
                "GEOMAP_NOMINATIM_MIN_DELAY": value,
                "PYTHONPATH": str(Path(__file__).parent.parent),
            },
        )
        assert result.returncode == 0 and result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize("verb", ["places", "extract", "build"])
def test_empty_path_is_refused(tmp_path, capsys, verb):
    args = [verb, ""] + (["--out", tmp_path / "o"] if verb == "build" else ["-o", tmp_path / "o.geojson"])
    code, err = _run(args, capsys)
    assert code == 2 and "empty path" in _one_error_line(err)


def test_newline_in_a_file_name_cannot_forge_an_error_line(tmp_path, capsys):
    name = "x.geojson\ngeomap: error: forged"
    src = tmp_path / name
    src.write_text("{not json", encoding="utf-8")
    code, err = _run(["export", src, "--format", "csv", "-o", tmp_path / "o.csv"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("geomap: error:")  # one line: nothing forged
    assert "x.geojson\\ngeomap: error: forged" in err


def test_csv_fields_longer_than_131072_characters_read_back(gdf, tmp_path):
    frame = gdf.copy()
    frame.at[0, "evidence"] = "Jets struck the border post. " * 10_000  # 290,000 characters
    out = tmp_path / "x.csv"
    ex.export(frame, out, "csv")
    back = ex.read_incidents(out)
    assert back["evidence"][0] == frame.at[0, "evidence"]
    import csv

    assert csv.field_size_limit() == 131072  # the module's limit is left as it was


def test_api_argument_errors(tmp_path):
    import geopandas as gpd

    import geomap
    from geomap._errors import InputError

    with pytest.raises(TypeError, match="paths must be a file or folder name"):
        geomap.extract(None)
    with pytest.raises(TypeError, match="paths must be a file or folder name"):
        geomap.places(123)
    with pytest.raises(TypeError, match="paths must be file or folder names, not int"):
        geomap.places([123])
    with pytest.raises(InputError, match="empty path"):
        geomap.places("")
    assert geomap.render_map(gpd.GeoDataFrame()) is not None  # an empty map
    with pytest.raises(TypeError, match="GeoDataFrame"):
        geomap.render_map(None)
    inc = geomap.read_incidents(INCIDENTS)
    with pytest.raises(InputError, match="cannot tell the format from the extension '.xlsx'"):
        geomap.export(inc, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    geomap.export(inc, tmp_path / "x.csv")  # the format its extension names
    assert (tmp_path / "x.csv").read_text(encoding="utf-8-sig").startswith("event_id_cnty,")
    geomap.export(inc, tmp_path / "x.data", "kml")
    assert (tmp_path / "x.data").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize("depth", [400, 5000])
def test_deeply_nested_html_keeps_its_text(depth):
    """Was an empty article, silently: libxml2 stops at 256 levels."""
    from geomap.articles import html_to_text

    page = "<html><body>" + "<div>" * depth + "<p>Strikes hit Kabul &amp; Khost.</p><script>x()</script>"
    page += "</div>" * depth + "</body></html>"
    assert html_to_text(page)[0] == "Strikes hit Kabul & Khost."


def test_csv_text_with_carriage_returns_reads_back(gdf, tmp_path, capsys):
    """Python's csv writer (before 3.12) left a field with a CR unquoted: its row split in two."""
    frame = gdf.copy()
    frame.at[0, "place"] = "Spin\rBoldak"
    frame["\rkey"] = ["x\ry"] + [None] * (len(frame) - 1)
    out = tmp_path / "x.csv"
    ex.export(frame, out, "csv")
    back = ex.read_incidents(out)
    assert back["place"][0] == "Spin\rBoldak" and len(back) == len(frame)
    src = tmp_path / "in.geojson"
    ex.export(frame, src, "geojson")
    from geomap.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["export", str(src), "--format", "csv"])
    captured = capsys.readouterr()
    assert exit_.value.code == 0, captured.err
    (tmp_path / "stdout.csv").write_bytes(captured.out.encode("utf-8"))
    assert ex.read_incidents(tmp_path / "stdout.csv")["place"][0] == "Spin\rBoldak"


def test_settle_removes_only_geomap_temporaries_of_ended_runs(tmp_path):
    import subprocess
    import sys

    from geomap import _io

    pid = int(
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        ).stdout
    )
    ours = [
        f".map.html.{pid}.abcd_123.tmp",
        f".incidents.gpkg.{pid}.abcdefgh.tmp.gpkg-wal",
        f".geomap-manifest.json.{pid}.abcdefgh.tmp",
    ]
    theirs = [
        f".backup.{pid}.abcdefgh.tmp",
        f".notes.txt.{pid}.abcdefgh.tmp",
        "map.html",
        ".map.html.1.abcdefgh.tmp",
    ]
    for name in ours + theirs:
        (tmp_path / name).write_text("x", encoding="utf-8")
    _io.recover_output_set(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(theirs)


def test_the_fuzzing_script_runs_every_target(tmp_path):
    """scripts/fuzz.py drives the hostile checks for longer runs; a few cases of each here."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--examples", "3", "--database", str(tmp_path / "db"), "--seed", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    done = [line.split(":")[0] for line in proc.stdout.splitlines()]
    assert done == ["incidents", "acled", "articles", "xml", "csv"]
    bad = subprocess.run(
        [sys.executable, str(script), "--targets", "nothing"], capture_output=True, text=True, timeout=300
    )
    assert bad.returncode == 2 and "unknown target" in bad.stderr
