"""Hostile and broken input (issue 8): never crash, never lose data, never run an article's script.

The small corpus lives in ``tests/data/bad/`` (articles) and ``tests/data/export/bad/`` (inputs to
``map``/``export``). Big inputs (50 MB of text, one 5 MB line, thousands of dates and numbers), a
symlink loop, a FIFO, a link to ``/dev/zero`` and a file that vanishes while the folder is read are
made at test time. Every case gives a correct result or exit code 2 with one line on stderr naming
the file and the problem; in a folder a bad article is reported and skipped (``--strict``: fatal).

What each corpus file gives:

=========================  =====================================================================
empty.txt                  no mentions, no incidents, exit 0
whitespace.txt             no mentions, no incidents, exit 0
binary_junk.txt            exit 2 "binary content, not a text article"
pdf_renamed.txt            exit 2 "looks like a PDF document"
png_renamed.txt            exit 2 "looks like a PNG image"
utf16_bom.txt              decoded; Spin Boldak, Chaman, Doha; a strike and a negotiation
utf16le/be_nobom.txt       the same as with a BOM
cp1252_smart_quotes.txt    curly quotes and dashes decoded; Islamabad, Kurram
mojibake.txt               read as UTF-8 as it is (not repaired); Islamabad, Kurram still found
invalid_utf8.txt           replacement characters, no crash; Doha found
nul_bytes.txt              NULs dropped; a strike in Kurram
mixed_scripts.txt          Latin, Arabic (کابل, قندهار), Cyrillic (Москва), CJK, emoji, bidi marks
hostile.html               scripts, iframes, handlers dropped; entities decoded; clash at Chaman
tag_soup.htm               unbalanced tags and bogus entities; Kabul, Khost
place_names_only.txt       many mentions, no incidents
broken_front_matter.md     impossible date ignored (unknown); a strike in Khost
=========================  =====================================================================
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.articles import read_article

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
EXPORT_BAD = DATA / "export" / "bad"
SEED = next((Path(__file__).parent.parent / "seeds").glob("004_*.txt"))


def run(
    args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """``python -m geomap`` in a subprocess, as a user runs it."""
    full = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "geomap", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full,
        timeout=timeout,
    )


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit 2, exactly one non-empty line on stderr, no traceback, every needle in that line."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def features(path: Path) -> list[dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    return doc["features"]


def check_offsets(path: Path, mentions: list[dict]) -> None:
    text = read_article(path).text
    for f in mentions:
        p = f["properties"]
        assert text[p["start"] : p["end"]] == p["mention"], p
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


# -- one bad article named on the command line ------------------------------------------------

REFUSED = {
    "binary_junk.txt": "binary content",
    "pdf_renamed.txt": "looks like a PDF document",
    "png_renamed.txt": "looks like a PNG image",
}

# name -> (place names that must be found, (event_type, place) pairs that must be among incidents)
READABLE = {
    "empty.txt": (set(), set()),
    "whitespace.txt": (set(), set()),
    "utf16_bom.txt": ({"Spin Boldak", "Chaman", "Doha"}, {("strike", "Spin Boldak")}),
    "utf16le_nobom.txt": ({"Spin Boldak", "Chaman", "Doha"}, {("strike", "Spin Boldak")}),
    "utf16be_nobom.txt": ({"Spin Boldak", "Chaman", "Doha"}, {("strike", "Spin Boldak")}),
    "cp1252_smart_quotes.txt": ({"Islamabad", "Kurram"}, set()),
    "mojibake.txt": ({"Islamabad", "Kurram"}, set()),
    "invalid_utf8.txt": ({"Doha"}, set()),
    "nul_bytes.txt": ({"Kurram"}, {("strike", "Kurram")}),
    "mixed_scripts.txt": ({"Kabul", "Torkham", "Moscow", "Spin Boldak", "Chaman"}, {("clash", "Torkham")}),
    "hostile.html": ({"Chaman", "Spin Boldak"}, {("clash", "Chaman border crossing")}),
    "tag_soup.htm": ({"Kabul", "Khōst"}, set()),
    "place_names_only.txt": ({"Kabul", "Peshawar", "Quetta", "Spin Boldak", "Torkham", "Doha"}, set()),
    "broken_front_matter.md": ({"Khōst"}, {("strike", "Khōst")}),
}


def test_corpus_is_complete_and_small():
    names = {p.name for p in BAD.iterdir()}
    assert names == set(REFUSED) | set(READABLE)
    assert sum(p.stat().st_size for p in BAD.iterdir()) < 64_000


@pytest.mark.parametrize("name,problem", sorted(REFUSED.items()))
def test_non_text_article_is_one_line_exit_2(name, problem, tmp_path):
    out = tmp_path / "x.geojson"
    one_line_error(run(["extract", str(BAD / name), "-o", str(out)]), name, problem)
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def readable_build(tmp_path_factory) -> tuple[list[dict], list[dict], Path]:
    """One ``geomap build`` over a folder of every readable corpus file (one process, not 14)."""
    tmp = tmp_path_factory.mktemp("readable")
    folder = tmp / "in"
    folder.mkdir()
    for name in READABLE:
        shutil.copy(BAD / name, folder / name)
    proc = run(["build", str(folder), "--out", str(tmp / "o")])
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "skipped" not in proc.stderr, proc.stderr
    assert (tmp / "o" / "map.html").stat().st_size > 0
    assert not list((tmp / "o").glob(".*"))
    return features(tmp / "o" / "mentions.geojson"), features(tmp / "o" / "incidents.geojson"), tmp


@pytest.mark.parametrize("name", sorted(READABLE))
def test_readable_bad_article_gives_a_correct_result(name, readable_build):
    all_mentions, all_incidents, _ = readable_build
    want_places, want_incidents = READABLE[name]
    mentions = [f for f in all_mentions if f["properties"]["article"] == name]
    incidents = [f for f in all_incidents if any(s["article"] == name for s in f["properties"]["sources"])]
    assert want_places <= {f["properties"]["name"] for f in mentions}
    assert want_incidents <= {(f["properties"]["event_type"], f["properties"]["place"]) for f in incidents}
    if not want_places:
        assert mentions == [] and incidents == []
    check_offsets(BAD / name, mentions)


def test_one_readable_bad_article_named_alone(tmp_path):
    proc = run(["extract", str(BAD / "hostile.html"), "-o", str(tmp_path / "i.geojson")])
    assert proc.returncode == 0, proc.stderr
    assert ("clash", "Chaman border crossing") in {
        (f["properties"]["event_type"], f["properties"]["place"]) for f in features(tmp_path / "i.geojson")
    }


def test_utf16_and_cp1252_decode_to_the_same_words():
    for name in ("utf16_bom.txt", "utf16le_nobom.txt", "utf16be_nobom.txt"):
        text = read_article(BAD / name).text
        assert text.startswith("Pakistani forces shelled the village of Spin Boldak")
        assert "\x00" not in text and "\ufffd" not in text
    smart = read_article(BAD / "cp1252_smart_quotes.txt").text
    assert "\u201cWe will respond,\u201d" in smart and "Pakistan\u2019s" in smart and "\u2026" in smart


def test_hostile_html_loses_every_script_and_handler():
    art = read_article(BAD / "hostile.html")
    text = art.text
    for bad in (
        "__xss",
        "javascript:",
        "onerror=window",
        "onload",
        "evil.example",
        "document.write",
        "srcdoc",
        "noscript text",
        "<iframe",
    ):
        assert bad not in text, bad
    # Entities are decoded to the characters they stand for: the text says what the page said.
    assert "Border clash & shelling near Chaman" in text
    assert "<script>alert(1)</script>" in text  # an escaped tag in the page is article text
    assert art.published is not None and art.published.isoformat() == "2025-10-20"


def test_mixed_scripts_offsets_slice_every_script():
    art = read_article(BAD / "mixed_scripts.txt")
    from geomap.geoparse import find_mentions

    found = {art.text[m.start : m.end] for m in find_mentions(art)}
    assert {"کابل", "Москва", "Torkham"} <= found


# -- malformed input to map and export ------------------------------------------------------

EXPORT_PROBLEMS = {
    "actors_not_list.geojson": "actors",
    "bad_date.geojson": "date",
    "binary.geojson": "",
    "broken.geojson": "broken JSON",
    "empty.geojson": "empty",
    "killed_not_int.geojson": "killed",
    "lat_out_of_range.geojson": "latitude",
    "lon_out_of_range.geojson": "longitude",
    "missing_event_type.geojson": "event_type",
    "nan_coordinate.geojson": "",
    "nan_property.geojson": "",
    "not_collection.geojson": "FeatureCollection",
    "null_geometry.geojson": "geometry",
    "polygon.geojson": "Point",
    "unknown_event_type.geojson": "event_type",
}


def test_export_bad_corpus_is_covered():
    assert {p.name for p in EXPORT_BAD.iterdir()} == set(EXPORT_PROBLEMS)


@pytest.mark.parametrize("name", sorted(EXPORT_PROBLEMS))
def test_malformed_map_input(name, tmp_path):
    out = tmp_path / "x.html"
    out.write_text("previous", encoding="utf-8")
    one_line_error(run(["map", str(EXPORT_BAD / name), "-o", str(out)]), name, EXPORT_PROBLEMS[name])
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("fmt", ["csv", "geojson", "kml", "gpkg"])
@pytest.mark.parametrize("name", sorted(EXPORT_PROBLEMS))
def test_malformed_export_input(name, fmt, tmp_path, capsys):
    """In-process (the subprocess path is covered by the map test): exit 2, one line, old file kept."""
    from geomap.cli import main

    out = tmp_path / f"x.{fmt}"
    out.write_text("previous", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(EXPORT_BAD / name), "--format", fmt, "-o", str(out)])
    assert exit_info.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and EXPORT_PROBLEMS[name] in lines[0], lines
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


# -- folders: skip and report, or --strict -----------------------------------------------------


@pytest.fixture
def mixed_folder(tmp_path) -> Path:
    """A folder with every corpus file, two good seed copies, a symlink loop, a FIFO and /dev/zero."""
    folder = tmp_path / "in"
    shutil.copytree(BAD, folder)
    (folder / "sub").mkdir()
    shutil.copy(SEED, folder / "sub" / "good.txt")
    os.symlink(folder, folder / "sub" / "loop")  # a symlink loop inside the input folder
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "sub" / "pipe.txt")  # reading it would block forever
    if os.path.exists("/dev/zero"):
        os.symlink("/dev/zero", folder / "sub" / "zero.txt")  # reading it would never end
    return folder


def test_folder_skips_and_reports_bad_articles_and_processes_the_rest(mixed_folder, tmp_path):
    out = tmp_path / "out"
    proc = run(["build", str(mixed_folder), "--out", str(out)], timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "skipped" in line]
    for name, problem in REFUSED.items():
        assert any(name in line and problem in line for line in lines), (name, proc.stderr)
    assert any("pipe.txt" in line and "not a regular file" in line for line in lines), proc.stderr
    assert any("zero.txt" in line and "not a regular file" in line for line in lines), proc.stderr
    assert "symlink loop" in proc.stderr
    articles = {f["properties"]["article"] for f in features(out / "mentions.geojson")}
    assert {"good.txt", "hostile.html", "utf16_bom.txt", "mixed_scripts.txt"} <= articles
    assert not set(REFUSED) & articles
    # The good article appears once, although the loop leads back into its folder.
    assert features(out / "incidents.geojson")
    good = [f for f in features(out / "mentions.geojson") if f["properties"]["article"] == "good.txt"]
    assert len({(f["properties"]["start"], f["properties"]["end"]) for f in good}) == len(good)


def test_strict_makes_a_bad_article_in_a_folder_fatal(mixed_folder, tmp_path):
    out = tmp_path / "out"
    proc = run(["build", str(mixed_folder), "--out", str(out), "--strict"], timeout=300)
    one_line_error(proc, "binary_junk.txt", "binary content")
    assert not out.exists()
    proc = run(["extract", str(mixed_folder), "--strict", "-o", str(tmp_path / "i.geojson")], timeout=300)
    one_line_error(proc, "binary_junk.txt")
    assert not (tmp_path / "i.geojson").exists()


def test_named_fifo_and_device_are_refused(tmp_path):
    if not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"):
        pytest.skip("needs FIFOs and /dev/zero")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    for name in ("pipe.txt", "zero.txt"):
        one_line_error(
            run(["places", str(tmp_path / name), "-o", str(tmp_path / "o.geojson")], timeout=60),
            name,
            "not a regular file",
        )


def test_file_that_disappears_while_the_folder_is_read(tmp_path, monkeypatch, capsys):
    """A file listed in the folder but removed before it is read: reported and skipped."""
    import geomap.articles as articles
    from geomap.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, folder / name)
    real = articles.article_paths

    def vanishing(paths, on_skip=articles._note):
        for path in real(paths, on_skip):
            if path.name == "b.txt":
                path.unlink()
            yield path

    monkeypatch.setattr(articles, "article_paths", vanishing)
    out = tmp_path / "m.geojson"
    with pytest.raises(SystemExit) as exit_info:
        main(["places", str(folder), "-o", str(out)])
    assert exit_info.value.code == 0
    err = capsys.readouterr().err
    assert "b.txt" in err and "removed" in err and "skipped" in err
    assert {f["properties"]["article"] for f in features(out)} == {"a.txt", "c.txt"}

    shutil.copy(SEED, folder / "b.txt")
    with pytest.raises(SystemExit) as exit_info:
        main(["places", str(folder), "-o", str(tmp_path / "strict.geojson"), "--strict"])
    assert exit_info.value.code == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "b.txt" in err[0] and "removed" in err[0]
    assert not (tmp_path / "strict.geojson").exists()


# -- size: refused with a clear, configurable limit; long lines processed ------------------------


def _big_file(path: Path, size: int, line: str) -> Path:
    chunk = (line * (1_000_000 // len(line) + 1))[:1_000_000].encode("utf-8")
    with open(path, "wb") as fh:
        for _ in range(size // len(chunk)):
            fh.write(chunk)
        fh.write(chunk[: size % len(chunk)])
    return path


def test_50_mb_article_is_refused_by_default_and_quickly(tmp_path):
    big = _big_file(tmp_path / "big.txt", 50_000_000, "Shelling near Chaman on October 12, 2025 killed 3.\n")
    env = {k: v for k, v in os.environ.items() if k != "GEOMAP_MAX_ARTICLE_BYTES"}
    # refused before it is read: the timeout only bounds a hang (its time is a benchmark's business)
    proc = subprocess.run(
        [sys.executable, "-m", "geomap", "extract", str(big), "-o", str(tmp_path / "i.geojson")],
        capture_output=True,
        text=True,
        env=dict(env, PYTHONIOENCODING="utf-8"),
        timeout=120,
    )
    one_line_error(proc, "big.txt", "50.0 MB", "20 MB article limit", "GEOMAP_MAX_ARTICLE_BYTES")
    assert not (tmp_path / "i.geojson").exists()


def test_size_limit_is_configurable(tmp_path):
    art = tmp_path / "a.txt"
    shutil.copy(SEED, art)
    one_line_error(
        run(
            ["places", str(art), "-o", str(tmp_path / "o.geojson")], env={"GEOMAP_MAX_ARTICLE_BYTES": "1000"}
        ),
        "a.txt",
        "article limit",
    )
    proc = run(
        ["places", str(art), "-o", str(tmp_path / "o.geojson")], env={"GEOMAP_MAX_ARTICLE_BYTES": "100000000"}
    )
    assert proc.returncode == 0, proc.stderr
    # A value that is not a number is ignored rather than crashing the program.
    proc = run(
        ["places", str(art), "-o", str(tmp_path / "o.geojson")], env={"GEOMAP_MAX_ARTICLE_BYTES": "lots"}
    )
    assert proc.returncode == 0, proc.stderr


def test_big_article_in_a_folder_is_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    _big_file(folder / "b.txt", 30_000, "Kabul. ")
    proc = run(
        ["places", str(folder), "-o", str(tmp_path / "o.geojson")], env={"GEOMAP_MAX_ARTICLE_BYTES": "20000"}
    )
    assert proc.returncode == 0, proc.stderr
    assert "b.txt" in proc.stderr and "limit" in proc.stderr and "skipped" in proc.stderr
    assert {f["properties"]["article"] for f in features(tmp_path / "o.geojson")} == {"a.txt"}


def _grow_when_opened(monkeypatch, path, extra: bytes) -> None:
    """Append ``extra`` to ``path`` the moment it is opened for binary reading, after stat()."""
    real_open = open

    def open_after_growth(file, mode="r", *args, **kwargs):
        if str(file) == str(path) and "b" in mode:
            with real_open(path, "ab") as fh:
                fh.write(extra)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", open_after_growth)


def test_growing_file_is_never_read_past_the_limit(tmp_path, monkeypatch):
    """The size is checked on what is read, not only on what stat() said before."""
    from geomap import settings
    from geomap._errors import InputError

    path = tmp_path / "grows.txt"
    path.write_text("Kabul. " * 10, encoding="utf-8")
    monkeypatch.setattr(settings, "MAX_ARTICLE_BYTES", 1000)
    _grow_when_opened(monkeypatch, path, b"x" * 5000)
    with pytest.raises(InputError, match="article limit"):
        read_article(path)


def test_file_that_grows_within_the_limit_is_read_whole(tmp_path, monkeypatch):
    """What was appended after stat() is read too, as long as the whole stays under the limit."""
    from geomap import settings
    from geomap.articles import read_text

    path = tmp_path / "grows.txt"
    path.write_text("Kabul. " * 10, encoding="utf-8")
    monkeypatch.setattr(settings, "MAX_ARTICLE_BYTES", 1000)
    _grow_when_opened(monkeypatch, path, b"Torkham. " * 20)
    assert read_text(path) == "Kabul. " * 10 + "Torkham. " * 20


def _one_line(size: int) -> str:
    seeds = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEED.parent.glob("*.txt")))
    flat = " ".join(seeds.split())
    return (flat * (size // len(flat) + 1))[:size]


def test_5_mb_single_line_reads_and_finds_places(tmp_path):
    """One 5 MB line: read and place mentions, offsets valid (its time: benchmarks/run.py)."""
    from geomap.geoparse import find_mentions

    path = tmp_path / "line.txt"
    path.write_text(_one_line(5_000_000), encoding="utf-8")
    art = read_article(path)
    mentions = find_mentions(art)
    assert len(mentions) > 10_000
    for m in mentions[::97]:
        assert art.text[m.start : m.end] and -90 <= m.place.lat <= 90 and -180 <= m.place.lon <= 180


def test_long_single_line_full_pipeline(tmp_path):
    """A 300 kB single line through the whole command (the full 5 MB case is in the slow test)."""
    path = tmp_path / "line.txt"
    path.write_text(_one_line(300_000), encoding="utf-8")
    proc = run(["build", str(path), "--out", str(tmp_path / "o")], timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert features(tmp_path / "o" / "incidents.geojson")


def test_thousands_of_dates_and_numbers(tmp_path):
    import random

    rnd = random.Random(8)
    words = [
        "Kabul",
        "on",
        "October",
        "12,",
        "2025",
        "killed",
        "17",
        "and",
        "wounded",
        "3,400",
        "strike",
        "in",
        "Khost",
        "1.5",
        "million",
        "Oct",
        "2025-10-03",
        "Tuesday",
        "clash",
        "near",
        "Chaman.",
        "99999999999999999999",
        "31/02/2025",
        "1e308",
        "-5",
        "0.0001",
        "Nov.",
        "30,",
        "1900",
        "9999",
    ]
    path = tmp_path / "numbers.txt"
    path.write_text(
        "\n".join(" ".join(rnd.choice(words) for _ in range(15)) for _ in range(1_000)), encoding="utf-8"
    )
    proc = run(["extract", str(path), "-o", str(tmp_path / "i.geojson")], timeout=300)
    assert proc.returncode == 0, proc.stderr
    for f in features(tmp_path / "i.geojson"):
        p = f["properties"]
        assert p["date"] is None or (len(p["date"]) in (7, 10) and "1900" <= p["date"][:4] <= "2100"), p[
            "date"
        ]
        for key in ("killed", "wounded"):
            assert p[key] is None or (isinstance(p[key], int) and 0 <= p[key] < 10**7), p[key]


def test_absurd_casualty_figures_are_not_taken():
    from geomap.articles import article_from_text
    from geomap.events import extract_events
    from geomap.geoparse import find_mentions

    art = article_from_text(
        "x.txt", "A drone strike in Khost on October 12, 2025 killed 99999999999999999999 people."
    )
    events = extract_events(art, find_mentions(art))
    assert all(e.killed is None or e.killed < 10**7 for e in events)


@pytest.mark.slow
def test_5_mb_single_line_full_pipeline_slow(tmp_path):
    # its time is a benchmark's business (benchmarks/run.py); here: it ends, and well
    path = tmp_path / "line.txt"
    path.write_text(_one_line(5_000_000), encoding="utf-8")
    proc = run(["extract", str(path), "-o", str(tmp_path / "i.geojson")], timeout=1800)
    assert proc.returncode == 0, proc.stderr


# -- security that needs no browser ------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parent.parent / "geomap"
SAFE_NAME = r"^[A-Za-z0-9._-]+$"


def test_no_eval_exec_or_unpickling_in_the_package():
    """No eval/exec of anything, and no deserialiser that runs code (pickle, marshal, shelve,
    yaml.load, joblib, numpy allow_pickle) on files a user could swap."""
    import ast

    banned_calls = {"eval", "exec", "compile", "__import__"}
    banned_attrs = {
        ("pickle", "load"),
        ("pickle", "loads"),
        ("marshal", "load"),
        ("marshal", "loads"),
        ("shelve", "open"),
        ("yaml", "load"),
        ("yaml", "unsafe_load"),
        ("joblib", "load"),
        ("dill", "load"),
        ("dill", "loads"),
        ("cloudpickle", "load"),
        ("cloudpickle", "loads"),
    }
    banned_modules = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib", "_pickle"}
    problems = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        for node in ast.walk(tree):
            where = f"{file.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in banned_calls:
                    problems.append(f"{where} {func.id}()")
                if (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and (func.value.id, func.attr) in banned_attrs
                ):
                    problems.append(f"{where} {func.value.id}.{func.attr}()")
                for kw in node.keywords:
                    if kw.arg == "allow_pickle" and not (
                        isinstance(kw.value, ast.Constant) and kw.value.value is False
                    ):
                        problems.append(f"{where} allow_pickle")
            if isinstance(node, ast.Import):
                problems += [
                    f"{where} import {a.name}" for a in node.names if a.name.split(".")[0] in banned_modules
                ]
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in banned_modules:
                problems.append(f"{where} from {node.module} import")
    assert problems == []


def test_caches_live_under_the_user_cache_folder_with_safe_names(tmp_path, monkeypatch):
    import re

    from geomap import settings

    monkeypatch.delenv("GEOMAP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    from platformdirs import user_cache_dir

    default = settings.cache_dir()
    assert default == Path(user_cache_dir("geomap", appauthor=False))
    assert default.is_relative_to(tmp_path / "xdg") and default.name == "geomap"

    from geomap import gazetteer, online

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "c"))
    index = gazetteer.index_path()
    assert index.parent == tmp_path / "c"
    assert re.match(SAFE_NAME, index.name), index.name
    for domain, scheme in [
        ("nominatim.openstreetmap.org", "https"),
        ("../../etc/passwd", "http"),
        ("evil.example/../../x", "https"),
        ("127.0.0.1:8080", "http"),
        ("ش/\x00", "ftp"),
    ]:
        name = online.cache_file_name(domain, scheme)
        assert re.match(SAFE_NAME, name) and not name.startswith("."), name
        assert "/" not in name and ".." not in name


def test_online_cache_is_not_read_as_code(tmp_path):
    """A swapped cache file of the wrong shape is ignored, never executed."""
    from geomap import online

    cache = tmp_path / "nominatim.json"
    marker = tmp_path / "pwned"
    cache.write_bytes(b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")  # a pickle payload
    geocoder = online.OnlineGeocoder(domain="127.0.0.1:9", scheme="http", cache_path=cache)
    assert not geocoder.cached("Kabul")
    assert not marker.exists()
    cache.write_text('{"kabul": {"lat": 999, "lon": "x"}, "doha": [1, 2]}', encoding="utf-8")
    geocoder = online.OnlineGeocoder(domain="127.0.0.1:9", scheme="http", cache_path=cache)
    assert not geocoder.cached("Kabul") or geocoder.lookup("Kabul") is None
