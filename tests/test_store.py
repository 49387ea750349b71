"""The incident store (``build --store``, ``map``/``export`` of a store, ``correct``,
``corrections``): known articles skipped, ids kept, corrections re-applied, GDAL reads it, one
writer at a time, a kill loses nothing, older stores migrated."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.settings import SEEDS_DIR
from geomap.store import SCHEMA_VERSION, Store

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "store" / "v1.gpkg"
SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "geomap", *args], capture_output=True, text=True, env=env, timeout=600, **kw
    )


def features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def ids(path: Path) -> list[str]:
    return [f["properties"]["id"] for f in features(path)]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two seed articles in a folder of their own."""
    d = tmp_path / "articles"
    d.mkdir()
    for seed in SEEDS[1:3]:
        shutil.copy(seed, d / seed.name)
    return d


def test_build_store_skips_known_articles_and_keeps_ids(folder, tmp_path, capsys, new_store):
    store, out = new_store(), tmp_path / "out"
    code, _, err = cli(["build", str(folder), "--store", str(store), "--out", str(out)], capsys)
    assert code == 0, err
    assert "articles 2 new, 0 known" in err
    # a fresh store gives what a one-shot run gives, ids included
    code, _, _ = cli(["build", str(folder), "--out", str(tmp_path / "oneshot")], capsys)
    assert code == 0
    first = ids(out / "incidents.geojson")
    assert first == ids(tmp_path / "oneshot" / "incidents.geojson")
    assert all(f["properties"]["corrected"] is False for f in features(out / "incidents.geojson"))
    assert (out / "map.html").exists()
    assert features(out / "mentions.geojson") == features(tmp_path / "oneshot" / "mentions.geojson")

    # the same articles again: nothing processed; a copy of one under another name: known by its text
    shutil.copy(folder / SEEDS[1].name, folder / "copy.txt")
    code, _, err = cli(["build", str(folder), "--store", str(store), "--out", str(out)], capsys)
    assert code == 0 and "articles 0 new, 3 known" in err, err
    assert ids(out / "incidents.geojson") == first

    # a new article: only it is processed; it joins stored incidents, whose ids are kept
    shutil.copy(SEEDS[0], folder / SEEDS[0].name)
    code, _, err = cli(["build", str(folder), "--store", str(store), "--out", str(out)], capsys)
    assert code == 0 and "articles 1 new, 3 known" in err, err
    after = ids(out / "incidents.geojson")
    assert set(first) <= set(after)
    assert "updated" in err and " 0 updated" not in err  # the new report joined stored incidents
    with Store(store) as st:
        assert st.counts()["articles"] == 3


def test_store_is_a_geopackage_gdal_opens(folder, tmp_path, capsys):
    store = tmp_path / "s.gpkg"
    assert cli(["build", str(folder), "--store", str(store), "--out", str(tmp_path / "o")], capsys)[0] == 0
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin) not installed")
    proc = subprocess.run(["ogrinfo", "-ro", "-q", str(store)], capture_output=True, text=True, check=True)
    for layer in ("incidents (Point)", "mentions (Point)", "articles", "events", "corrections"):
        assert layer in proc.stdout, proc.stdout
    assert "ERROR" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    proc = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(store), "incidents"], capture_output=True, text=True, check=True
    )
    n = len(ids(tmp_path / "o" / "incidents.geojson"))
    assert f"Feature Count: {n}" in proc.stdout
    assert "EPSG" in proc.stdout or "WGS 84" in proc.stdout


def test_map_and_export_read_a_store_with_filters(folder, tmp_path, capsys, new_store):
    store = new_store()
    assert cli(["build", str(folder), "--store", str(store), "--out", str(tmp_path / "o")], capsys)[0] == 0
    code, out, _ = cli(["export", str(store), "--format", "geojson", "--types", "negotiation"], capsys)
    assert code == 0
    got = json.loads(out)["features"]
    assert got and all(f["properties"]["event_type"] == "negotiation" for f in got)
    code, out, _ = cli(["export", str(store), "--format", "csv"], capsys)
    assert code == 0 and "corrected" in out.splitlines()[0]
    assert cli(["map", str(store), "-o", str(tmp_path / "m.html")], capsys)[0] == 0
    assert (tmp_path / "m.html").stat().st_size > 1000


def test_corrections_survive_rebuilds_and_show_in_exports(folder, tmp_path, capsys, new_store):
    store, out = new_store(), tmp_path / "out"
    assert cli(["build", str(folder), "--store", str(store), "--out", str(out)], capsys)[0] == 0
    feats = {f["properties"]["id"]: f for f in features(out / "incidents.geojson")}
    target, other, junk = list(feats)[:3]
    args = ["correct", str(store), target, "--type", "strike:shelling", "--killed", "7", "--at", "34.1,71.1"]
    code, _, err = cli([*args, "--by", "A. Analyst", "--note", "two sources"], capsys)
    assert code == 0, err
    assert cli(["correct", str(store), junk, "--reject", "--by", "B"], capsys)[0] == 0
    assert cli(["correct", str(store), other, "--merge-into", target], capsys)[0] == 0

    # a later build (with a new article) applies them again, whatever the extractor says
    shutil.copy(SEEDS[0], folder / SEEDS[0].name)
    assert (
        cli(["build", str(folder), "--store", str(store), "--out", str(out), "--formats", "csv"], capsys)[0]
        == 0
    )
    now = {f["properties"]["id"]: f for f in features(out / "incidents.geojson")}
    assert junk not in now and other not in now  # rejected, merged: off the map and exports
    fixed = now[target]
    props = fixed["properties"]
    assert props["corrected"] is True
    assert (props["event_type"], props["sub_event_type"], props["killed"]) == ("strike", "shelling", 7)
    assert fixed["geometry"]["coordinates"] == [71.1, 34.1]
    history = props["corrections"]
    assert history[0]["by"] == "A. Analyst" and history[0]["note"] == "two sources"
    assert {"merged": other} in history
    sources_of_other = feats[other]["properties"]["sources"]
    assert all(s in props["sources"] for s in sources_of_other)
    assert "corrected" in (out / "incidents.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "A. Analyst" in (out / "map.html").read_text(encoding="utf-8")
    with Store(store) as st:  # the rejected incident stays in the store
        hidden = {p["id"]: p for p, _, _ in st.iter_incident_records(include_hidden=True)}
        assert junk in hidden and other in hidden

    # listed, exported and imported by another team member's store
    code, listing, _ = cli(["corrections", str(store)], capsys)
    assert code == 0 and len(listing.strip().splitlines()) == 3 and "A. Analyst" in listing
    table = tmp_path / "fixes.csv"
    assert cli(["corrections", str(store), "--export", str(table)], capsys)[0] == 0
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 3 and rows[0]["incident_id"] == target
    mine = new_store()
    assert cli(["build", str(folder), "--store", str(mine), "--out", str(tmp_path / "o2")], capsys)[0] == 0
    code, _, err = cli(["corrections", str(mine), "--import", str(table)], capsys)
    assert code == 0 and "3 corrections imported" in err
    code, _, err = cli(["corrections", str(mine), "--import", str(table)], capsys)
    assert "0 corrections imported, 3 already there" in err
    code, out_json, _ = cli(["export", str(mine), "--format", "geojson"], capsys)
    theirs = {f["properties"]["id"]: f["properties"] for f in json.loads(out_json)["features"]}
    assert theirs[target]["corrected"] is True and junk not in theirs


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--type", "riot"], "--type must be one of"),
        (["--date", "12/10/2025"], "--date must be"),
        (["--at", "north"], "--at must be"),
        (["--place", "Nowhere-at-all-xyz"], "not in the gazetteer"),
        ([], "nothing to correct"),
        (["--merge-into", "000000000000"], "no incident"),
    ],
)
def test_bad_corrections_are_one_line_errors(args, needle, tmp_path, capsys):
    store = tmp_path / "s.gpkg"
    shutil.copy(FIXTURE, store)
    code, _, err = cli(["correct", str(store), "e640eb6b456b", *args], capsys)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1, err
    code, _, err = cli(["correct", str(store), "nope", "--reject"], capsys)
    assert code == 2 and "no incident 'nope'" in err


def test_an_older_store_is_migrated_and_keeps_everything(tmp_path, capsys):
    store = tmp_path / "old.gpkg"
    shutil.copy(FIXTURE, store)
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT value FROM geomap_store WHERE key = 'schema_version'").fetchone()[0] == "1"
    with Store(store, writer=True) as st:
        assert st.schema_version() == SCHEMA_VERSION > 1
        mentions = list(st.mention_features())
        assert mentions and all("border_km" in m["properties"] for m in mentions)
        assert st.counts() == {"articles": 2, "incidents": 4, "hidden": 1}
        assert len(st.corrections()) == 2
    code, out, _ = cli(["export", str(store), "--format", "geojson"], capsys)
    props = {f["properties"]["id"]: f["properties"] for f in json.loads(out)["features"]}
    assert (
        props["d387ac537cc3"]["sub_event_type"] == "ceasefire agreed" and props["d387ac537cc3"]["corrected"]
    )
    assert "109017dac733" not in props
    # new articles go into it, and the ids it had are kept
    code, _, err = cli(["build", str(SEEDS[0]), "--store", str(store), "--out", str(tmp_path / "o")], capsys)
    assert code == 0, err
    assert {"e640eb6b456b", "d387ac537cc3", "10661ebf6395"} <= set(ids(tmp_path / "o" / "incidents.geojson"))


def test_a_newer_or_foreign_store_is_refused(tmp_path, capsys):
    store = tmp_path / "new.gpkg"
    shutil.copy(FIXTURE, store)
    db = sqlite3.connect(store)
    db.execute("UPDATE geomap_store SET value = '999' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    code, _, err = cli(["export", str(store), "--format", "geojson"], capsys)
    assert code == 2 and "newer geomap" in err, err
    other = tmp_path / "other.gpkg"
    other.write_bytes(b"not a database at all")
    code, _, err = cli(["build", str(SEEDS[1]), "--store", str(other), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "not a geomap store" in err


def test_two_writers_on_one_store_the_second_fails_with_one_line(tmp_path):
    store = tmp_path / "s.gpkg"
    shutil.copy(FIXTURE, store)
    with Store(store, writer=True):  # a build or watch holds it
        proc = run(["build", str(SEEDS[1]), "--store", str(store), "--out", str(tmp_path / "o")])
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "in use by another geomap build or watch" in lines[0]
    with Store(store) as st:
        assert st.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _consistent(store: str) -> None:
    with Store(store) as st:
        db = st.db
        if st.dialect.name == "sqlite":
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every stored article has its events; every report waits or is merged; every incident has a row
        assert not db.execute(
            "SELECT 1 FROM articles a"
            " WHERE a.events != (SELECT count(*) FROM events e WHERE e.article_key = a.key)"
        ).fetchall()
        assert not db.execute(
            "SELECT 1 FROM reports r WHERE r.rid NOT IN (SELECT rid FROM pending)"
            " AND r.rid NOT IN (SELECT rid FROM taken)"
        ).fetchall()
        assert not db.execute(
            "SELECT 1 FROM groups g WHERE g.gid NOT IN (SELECT gid FROM incidents)"
        ).fetchall()
        # no article stored twice, no report taken twice
        assert not db.execute("SELECT key FROM articles GROUP BY key HAVING count(*) > 1").fetchall()
        assert not db.execute("SELECT rid FROM taken GROUP BY rid HAVING count(*) > 1").fetchall()


def _reported(s: Store) -> set[str]:
    """The articles the incidents on a store's map cite."""
    return {src["article"] for p, _, _ in s.iter_incident_records() for src in p["sources"]}


def _editions(folder: Path, n: int) -> None:
    """The seeds under n names each, with a line that makes their texts differ."""
    folder.mkdir()
    for i in range(n):
        for seed in SEEDS:
            (folder / f"{i}_{seed.name}").write_text(
                seed.read_text(encoding="utf-8") + f"\n\nEdition {i}.\n", encoding="utf-8"
            )


@pytest.mark.slow
def test_sigkill_during_a_build_loses_nothing(tmp_path, new_store):
    """Kill builds at several moments; the store stays consistent and the last pass ends with
    what one uninterrupted build gives."""
    folder = tmp_path / "articles"
    _editions(folder, 4)  # 20 articles
    clean = new_store()
    assert run(["build", str(folder), "--store", clean, "--out", str(tmp_path / "c")]).returncode == 0
    store = new_store()
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    for delay in (3.0, 4.5, 6.0, 8.0):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geomap",
                "build",
                str(folder),
                "--store",
                store,
                "--out",
                str(tmp_path / "o"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if "://" in store or Path(store).exists():
            try:
                _consistent(store)
            except Exception as exc:  # a database killed before it held a store
                assert "no such store" in str(exc) or "holds no geomap store" in str(exc), exc
    final = run(["build", str(folder), "--store", store, "--out", str(tmp_path / "o")])
    assert final.returncode == 0, final.stderr
    _consistent(store)
    with Store(store) as st, Store(clean) as ref:
        assert st.counts()["articles"] == ref.counts()["articles"] == 20
        assert _reported(st) == _reported(ref)


def test_two_writers_on_a_postgis_store_lose_and_duplicate_nothing(tmp_path, new_store):
    """A team's store: two builds over the same articles at once both succeed; every article is
    stored once, every report merged once, and the map cites what one build's map cites."""
    store = new_store()
    if "://" not in store:
        pytest.skip("a GeoPackage has one writer at a time (see the test of the second writer)")
    folder = tmp_path / "articles"
    _editions(folder, 2)  # 10 articles
    clean = new_store()
    assert run(["build", str(folder), "--store", clean, "--out", str(tmp_path / "c")]).returncode == 0
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geomap",
                "build",
                str(folder),
                "--store",
                store,
                "--out",
                str(tmp_path / n),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in ("a", "b")
    ]
    errs = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    _consistent(store)
    with Store(store) as st, Store(clean) as ref:
        assert st.counts() == ref.counts()
        assert _reported(st) == _reported(ref)
        assert not st.db.execute("SELECT 1 FROM pending").fetchall()


def test_a_correction_waits_for_a_writer_then_fails_with_one_line(tmp_path, capsys, monkeypatch):
    import geomap.store

    store = tmp_path / "s.gpkg"
    shutil.copy(FIXTURE, store)
    monkeypatch.setattr(geomap.store, "BUSY_TIMEOUT_S", 0.5)
    other = sqlite3.connect(store, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another geomap in the middle of an article
    try:
        code, _, err = cli(["correct", str(store), "e640eb6b456b", "--killed", "1"], capsys)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2 and "is busy" in err and len(err.strip().splitlines()) == 1, err
    assert cli(["correct", str(store), "e640eb6b456b", "--killed", "1"], capsys)[0] == 0


def test_a_postgresql_database_without_postgis_is_one_line(tmp_path, capsys, new_store):
    """A database where PostGIS is missing and the user may not add it: one line, exit 2."""
    url = new_store()
    if "://" not in url:
        pytest.skip("a PostgreSQL store only")
    import uuid

    import psycopg

    base = url.rpartition("/")[0]
    name, role = f"geomap_t_{uuid.uuid4().hex[:12]}", f"geomap_r_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # from template1: no PostGIS
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT ALL ON DATABASE "{name}" TO "{role}"')
    try:
        with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
            conn.execute(f'GRANT ALL ON SCHEMA public TO "{role}"')
        user_url = f"postgresql://{role}@{base.rpartition('@')[2]}/{name}"
        code, _, err = cli(
            ["build", str(SEEDS[1]), "--store", user_url, "--out", str(tmp_path / "o")], capsys
        )
        assert code == 2 and "needs the PostGIS extension" in err and len(err.strip().splitlines()) == 1, err
        assert not (tmp_path / "o" / "map.html").exists()
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_gdal_opens_a_postgis_store(folder, tmp_path, capsys, new_store):
    """QGIS and GDAL read a team store's layers from the server."""
    url = new_store()
    if "://" not in url:
        pytest.skip("the GeoPackage's own test reads it back")
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin) not installed")
    from urllib.parse import urlsplit

    assert cli(["build", str(folder), "--store", url, "--out", str(tmp_path / "o")], capsys)[0] == 0
    u = urlsplit(url)
    pg = f"PG:dbname={u.path.lstrip('/')} host={u.hostname} port={u.port} user={u.username}"
    proc = subprocess.run(
        ["ogrinfo", "-ro", "-so", pg, "incidents"], capture_output=True, text=True, check=True
    )
    n = len(ids(tmp_path / "o" / "incidents.geojson"))
    assert f"Feature Count: {n}" in proc.stdout and "Point" in proc.stdout, proc.stdout
    assert "EPSG" in proc.stdout or "WGS 84" in proc.stdout
