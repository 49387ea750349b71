"""The command line end to end: every verb, exit codes, one-line errors, atomic outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.settings import SEEDS_DIR

DATA = Path(__file__).parent / "data"


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m geomap`` as a user would, in a subprocess."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "geomap", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """``geomap build`` with no argument, from a folder that is not the repository."""
    cwd = tmp_path_factory.mktemp("user")
    proc = run(["build"], cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return cwd / "out"


def test_build_with_no_argument_writes_the_three_outputs(built):
    for name in ("map.html", "incidents.geojson", "mentions.geojson"):
        assert (built / name).stat().st_size > 0
    incidents = json.loads((built / "incidents.geojson").read_text(encoding="utf-8"))
    mentions = json.loads((built / "mentions.geojson").read_text(encoding="utf-8"))
    assert incidents["type"] == mentions["type"] == "FeatureCollection"
    assert "crs" not in incidents
    types = {f["properties"]["event_type"] for f in incidents["features"]}
    assert {"strike", "clash", "crossing", "negotiation", "displacement"} <= types
    names = {f["properties"]["name"] for f in mentions["features"]}
    assert {"Kabul", "Doha", "Istanbul", "Chaman", "Spin Boldak"} <= names
    assert not list(built.glob(".*tmp"))


def test_build_extra_formats(tmp_path):
    proc = run(["build", str(SEEDS_DIR), "--out", str(tmp_path / "o"), "--formats", "csv,kml"])
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / "incidents.csv").exists() and (tmp_path / "o" / "incidents.kml").exists()


def test_places_to_stdout_and_file(tmp_path):
    seed = next(SEEDS_DIR.glob("004_*.txt"))
    proc = run(["places", str(seed)])
    assert proc.returncode == 0, proc.stderr
    fc = json.loads(proc.stdout)
    props = fc["features"][0]["properties"]
    assert set(props) >= {
        "article",
        "mention",
        "start",
        "end",
        "name",
        "place_id",
        "kind",
        "country",
        "role",
        "confidence",
    }
    out = tmp_path / "m.geojson"
    assert run(["places", str(seed), "-o", str(out)]).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8")) == fc


def test_extract_with_filters(tmp_path):
    out = tmp_path / "i.geojson"
    proc = run(["extract", str(SEEDS_DIR), "--types", "negotiation", "--country", "QA,TR", "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feats and all(f["properties"]["event_type"] == "negotiation" for f in feats)


def test_map_and_export_from_incidents(built, tmp_path):
    html = tmp_path / "m.html"
    assert run(["map", str(built / "incidents.geojson"), "-o", str(html)]).returncode == 0
    assert "leaflet" in html.read_text(encoding="utf-8").lower()
    proc = run(["export", str(built / "incidents.geojson"), "--format", "csv"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("event_id_cnty,event_date,year")


def test_eval_prints_a_table_and_json():
    gold = DATA / "eval"
    golds = sorted(gold.glob("*.json"))
    assert golds
    proc = run(["eval", "--help"])
    assert proc.returncode == 0 and "Example" in proc.stdout


@pytest.mark.parametrize("verb", ["build", "places", "extract", "map", "export", "eval"])
def test_help_has_an_example_per_verb(verb):
    proc = run([verb, "--help"])
    assert proc.returncode == 0
    assert "Example" in proc.stdout and "geomap " in proc.stdout


def test_python_dash_m_and_version():
    proc = run(["--version"])
    assert proc.returncode == 0 and "geomap" in proc.stdout


# -- errors -----------------------------------------------------------------------------


def test_missing_path(tmp_path):
    one_line_error(run(["places", str(tmp_path / "nope.txt")]), "nope.txt", "no such file")


def test_empty_folder(tmp_path):
    one_line_error(run(["extract", str(tmp_path)]), str(tmp_path), "no articles")


def test_unreadable_file(tmp_path):
    bad = DATA / "articles" / "fake_pdf.txt"
    one_line_error(run(["places", str(bad)]), "fake_pdf.txt", "PDF")


def test_folder_given_to_output(tmp_path):
    seed = next(SEEDS_DIR.glob("001_*.txt"))
    one_line_error(run(["places", str(seed), "-o", str(tmp_path)]), str(tmp_path), "folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    seed = next(SEEDS_DIR.glob("001_*.txt"))
    one_line_error(run(["places", str(seed), "-o", str(locked / "x.geojson")]), "locked")


def test_unwritable_output_folder_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    seed = next(SEEDS_DIR.glob("001_*.txt"))
    one_line_error(run(["places", str(seed), "-o", str(blocker / "x.geojson")]), "file")


def test_bad_filter_values_are_clear():
    proc = run(["extract", str(SEEDS_DIR), "--types", "strikes"])
    one_line_error(proc, "unknown event type 'strikes'", "strike, clash, crossing, negotiation, displacement")
    one_line_error(run(["extract", str(SEEDS_DIR), "--since", "yesterday"]), "since")


def test_unknown_option_is_usage_error():
    proc = run(["places", "--frobnicate", "x"])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_named_file_of_another_kind(tmp_path):
    one_line_error(run(["places", str(DATA / "articles" / "notes.csv")]), "notes.csv", "not an article file")


def test_debug_shows_the_traceback(tmp_path):
    proc = run(["places", str(tmp_path / "nope.txt"), "--debug"])
    assert proc.returncode == 2 and "Traceback" in proc.stderr


def test_failed_command_leaves_previous_output_intact(tmp_path):
    out = tmp_path / "m.geojson"
    out.write_text("previous", encoding="utf-8")
    proc = run(["places", str(DATA / "articles" / "fake_pdf.txt"), "-o", str(out)])
    assert proc.returncode == 2
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.geojson"]


def test_internal_errors_exit_1(monkeypatch, capsys):
    import geomap.pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(geomap.pipeline, "iter_place_features", boom)
    with pytest.raises(SystemExit) as exit_info:
        main(["places", str(next(SEEDS_DIR.glob("001_*.txt")))])
    assert exit_info.value.code == 1
    assert "internal error" in capsys.readouterr().err


def test_atomic_write_helper_cleans_up_on_failure(tmp_path):
    from geomap._io import atomic_text

    target = tmp_path / "x.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_text(target) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_extract_streams_the_same_bytes_as_the_in_memory_path(tmp_path):
    # No filter: incidents merged on disk and written one by one. A filter that keeps every type
    # takes the GeoDataFrame path. Both files must be the same, byte for byte.
    streamed, framed = tmp_path / "streamed.geojson", tmp_path / "framed.geojson"
    assert run(["extract", str(SEEDS_DIR), str(DATA / "news"), "-o", str(streamed)]).returncode == 0
    every = "strike,clash,crossing,negotiation,displacement"
    assert (
        run(["extract", str(SEEDS_DIR), str(DATA / "news"), "--types", every, "-o", str(framed)]).returncode
        == 0
    )
    assert streamed.read_bytes() == framed.read_bytes()
    assert len(json.loads(streamed.read_text(encoding="utf-8"))["features"]) > 10
