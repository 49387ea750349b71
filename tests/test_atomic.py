"""Atomic outputs (issue 8): an interrupted run (SIGINT, SIGTERM) or a full disk leaves the previous
output intact and no temporary files behind."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEED = next((Path(__file__).parent.parent / "seeds").glob("004_*.txt"))
PREVIOUS = '{"type": "FeatureCollection", "features": [], "previous": true}\n'


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory) -> Path:
    """300 copies of a seed article: enough work to interrupt in the middle."""
    folder = tmp_path_factory.mktemp("many")
    text = SEED.read_text(encoding="utf-8")
    for i in range(300):
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def _start(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "geomap", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _interrupt_when_working(proc: subprocess.Popen, sig: int, wait: float = 4.0) -> tuple[int, str]:
    """Let the command get into its work (imports done, articles being read), then signal it."""
    time.sleep(wait)
    assert proc.poll() is None, "the command finished before it could be interrupted"
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, err


@pytest.mark.parametrize(
    "sig,code,word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_signal_during_extract_keeps_previous_output(many_articles, tmp_path, sig, code, word):
    out = tmp_path / "incidents.geojson"
    out.write_text(PREVIOUS, encoding="utf-8")
    proc = _start(["extract", str(many_articles), "-o", str(out)])
    returncode, err = _interrupt_when_working(proc, sig)
    assert returncode == code, err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.strip()][-1] in (f"geomap: {word}", "geomap: aborted")
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["incidents.geojson"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_build_keeps_previous_outputs(many_articles, tmp_path, sig):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("map.html", "incidents.geojson", "mentions.geojson"):
        (out / name).write_text(PREVIOUS, encoding="utf-8")
    proc = _start(["build", str(many_articles), "--out", str(out)])
    returncode, err = _interrupt_when_working(proc, sig)
    assert returncode in (130, 143), err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["incidents.geojson", "map.html", "mentions.geojson"]
    assert all(
        (out / n).read_text(encoding="utf-8") == PREVIOUS
        for n in ("map.html", "incidents.geojson", "mentions.geojson")
    )


def test_signal_while_writing_removes_the_temporary_file(tmp_path):
    """SIGTERM arriving inside atomic_text (mid-write) still removes the temporary file."""
    code = f"""
import os, signal, sys
from geomap import cli, frames
real = frames.atomic_text
import contextlib
@contextlib.contextmanager
def slow(path, encoding="utf-8"):
    with real(path, encoding=encoding) as fh:
        fh.write("partial")
        fh.flush()
        print("writing", flush=True)
        signal.pause()
        yield fh
frames.atomic_text = slow
sys.argv = ["geomap", "extract", {str(SEED)!r}, "-o", {str(tmp_path / "i.geojson")!r}]
cli.main()
"""
    (tmp_path / "i.geojson").write_text(PREVIOUS, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    assert len(list(tmp_path.glob(".i.geojson.*.tmp"))) == 1  # the temporary file exists mid-write
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert (tmp_path / "i.geojson").read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i.geojson"]


# -- a full disk ---------------------------------------------------------------------------------


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("verb", ["extract", "places", "build"])
def test_full_disk_on_rename_is_exit_2_and_keeps_previous(verb, tmp_path, monkeypatch, capsys):
    from geomap import _io
    from geomap.cli import main

    target = tmp_path / "out"
    target.mkdir()
    if verb == "build":
        files = [target / n for n in ("map.html", "incidents.geojson", "mentions.geojson")]
        args = ["build", str(SEED), "--out", str(target)]
    else:
        files = [target / "x.geojson"]
        args = [verb, str(SEED), "-o", str(files[0])]
    for f in files:
        f.write_text(PREVIOUS, encoding="utf-8")
    monkeypatch.setattr(_io.os, "replace", _enospc)
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and "No space left on device" in lines[0] and "cannot write" in lines[0], lines
    assert all(f.read_text(encoding="utf-8") == PREVIOUS for f in files)
    assert sorted(p.name for p in target.iterdir()) == sorted(f.name for f in files)


@pytest.mark.parametrize("fmt", ["csv", "kml", "gpkg", "geojson"])
def test_full_disk_on_export_is_exit_2_and_keeps_previous(fmt, tmp_path, monkeypatch, capsys):
    from geomap import _io
    from geomap.cli import main

    src = Path(__file__).parent / "data" / "export" / "incidents.geojson"
    out = tmp_path / f"x.{fmt}"
    out.write_text("previous", encoding="utf-8")
    monkeypatch.setattr(_io.os, "replace", _enospc)
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(src), "--format", fmt, "-o", str(out)])
    assert exit_info.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and "No space left on device" in lines[0] and out.name in lines[0], lines
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_full_disk_while_writing_is_exit_2(tmp_path):
    """A real write failure in a subprocess: the file-size limit (EFBIG) stands in for a full disk."""
    resource = pytest.importorskip("resource")
    out = tmp_path / "m.geojson"
    out.write_text(PREVIOUS, encoding="utf-8")

    def limit() -> None:  # runs in the child: no file may grow past 2 kB
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "geomap", "places", str(SEED), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limit,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "m.geojson" in lines[0] and "cannot write" in lines[0], lines
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.geojson"]


def test_cannot_create_temporary_file_is_exit_2(tmp_path, monkeypatch, capsys):
    from geomap import _io
    from geomap.cli import main

    out = tmp_path / "x.geojson"
    out.write_text(PREVIOUS, encoding="utf-8")
    monkeypatch.setattr(_io.tempfile, "mkstemp", _enospc)
    with pytest.raises(SystemExit) as exit_info:
        main(["places", str(SEED), "-o", str(out)])
    assert exit_info.value.code == 2
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == PREVIOUS


def test_sigterm_handler_is_restored_after_main(tmp_path):
    from geomap.cli import main

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit):
        main(["places", str(SEED), "-o", str(tmp_path / "x.geojson")])
    assert signal.getsignal(signal.SIGTERM) is before
