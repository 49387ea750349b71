"""Scale-out on a real Dask cluster shaped like users' (issue 26): ``dask scheduler`` and ``dask
worker ADDRESS --nthreads 4`` processes on 127.0.0.1, started by these tests (random free ports,
torn down afterwards), give byte-identical outputs to one process; faults (a worker or the
scheduler killed mid-run, no scheduler at all) end in the same output or one line and exit 2,
never a hang; workers that run another geomap, or cannot see the client's files, are refused
with one line (``--send-articles`` sends the articles instead).

The workers import the geomap these tests import (its folder is put first on their
``PYTHONPATH``) and share the client's gazetteer cache unless a test gives them their own.
The corpora are made from the repository's own files (the seeds, ``tests/data`` and
``benchmarks/synth.py`` over the seeds alone), never from ``shared/``. The 2,000-article runs, the
fault trials and the deployment trials are ``slow`` (``--slow``; ``scripts/test.sh`` runs them);
one small cluster test runs in the default suite.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import geomap
from geomap import pipeline
from geomap.parallel import Cluster

distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")

PACKAGE_ROOT = Path(geomap.__file__).resolve().parent.parent  # the geomap the workers must import
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
#: Real articles of the repository (every format and a few distractors), copied many times over.
REAL_ARTICLES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((DATA / "news").iterdir()),
    *sorted((DATA / "eval" / "articles").glob("*.txt")),
    *sorted((DATA / "events").glob("*.txt")),
]
#: Bad files found in a folder: skipped with a note, the same note in every mode.
BAD_ARTICLES = [
    DATA / "bad" / "binary_junk.txt",
    DATA / "bad" / "pdf_renamed.txt",
    DATA / "bad" / "empty.txt",
]


# ---------------------------------------------------------------------------------------------
# Corpora


def _synth() -> Any:
    """benchmarks/synth.py, reading the seeds only (never shared/): the same corpus anywhere."""
    spec = importlib.util.spec_from_file_location("_geomap_synth", ROOT / "benchmarks" / "synth.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.GEOVIRUS = module.SEEDS_GOLD = ROOT / "no-such-folder"
    module.sources.cache_clear()
    return module


def make_corpus(root: Path, synthetic: int, copies: int) -> Path:
    """``synthetic`` articles of benchmarks/synth.py, ``copies`` copies of the real articles
    (in folders of their own, the same names in each) and the bad files, under ``root``."""
    if synthetic:
        _synth().write_corpus(synthetic, root / "synth")
    for k in range(copies):
        folder = root / f"real_{k:02d}"
        folder.mkdir(parents=True)
        for path in REAL_ARTICLES:
            shutil.copy(path, folder / path.name)
    bad = root / "zz_bad"
    bad.mkdir(parents=True)
    for path in BAD_ARTICLES:
        shutil.copy(path, bad / path.name)
    (bad / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return root


def n_articles(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.suffix in (".txt", ".md", ".html", ".htm"))


# ---------------------------------------------------------------------------------------------
# A loopback cluster of real processes


def _env(**extra: str) -> dict[str, str]:
    """The environment of the cluster's processes and of the CLI runs: this geomap first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("GEOMAP_DASK_TIMEOUT", None)
    env.update(extra)
    return env


class LoopbackCluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, each in a session of its
    own (so that a worker's nanny and worker process die together), on random free ports."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.address = ""

    def _spawn(
        self, name: str, args: list[str], env: dict[str, str], prefix: list[str] | None = None
    ) -> None:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        cmd = [*(prefix or []), sys.executable, "-m", "dask", *args]
        self.procs[name] = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        log.close()

    def start_scheduler(self) -> str:
        file = self.root / "scheduler.json"
        self._spawn(
            "scheduler",
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(file),
            ],
            _env(),
        )
        deadline = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip():
            if self.procs["scheduler"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the scheduler did not start: {self.log('scheduler')}")
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written whole, but let the writer finish
        self.address = json.loads(file.read_text())["address"]
        return self.address

    def add_worker(
        self,
        name: str,
        nthreads: int = 4,
        *,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        prefix: list[str] | None = None,
    ) -> None:
        self._spawn(
            name,
            [
                "worker",
                self.address,
                "--name",
                name,
                "--nthreads",
                str(nthreads),
                "--host",
                "127.0.0.1",
                "--no-dashboard",
                "--local-directory",
                str(self.root / name),
                *args,
            ],
            env or _env(),
            prefix,
        )

    def wait_for_workers(self, n: int, timeout: float = 120) -> None:
        with distributed.Client(self.address, set_as_default=False, timeout=30) as client:
            client.wait_for_workers(n, timeout=timeout)

    def worker_address(self, name: str) -> str:
        with distributed.Client(self.address, set_as_default=False, timeout=30) as client:
            for address, info in client.scheduler_info()["workers"].items():
                if info.get("name") == name:
                    return str(address)
        raise KeyError(name)

    def kill(self, name: str) -> None:
        """SIGKILL a process and everything it started (a worker's nanny and worker process)."""
        proc = self.procs[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def close(self) -> None:
        for name in list(self.procs):
            proc = self.procs[name]
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for name in list(self.procs):
            proc = self.procs.pop(name)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)


@contextlib.contextmanager
def loopback_cluster(root: Path, workers: int = 2, nthreads: int = 4) -> Iterator[LoopbackCluster]:
    """A scheduler and ``workers`` workers of ``nthreads`` threads (none: add them yourself)."""
    root.mkdir(parents=True, exist_ok=True)
    cluster = LoopbackCluster(root)
    try:
        cluster.start_scheduler()
        for k in range(workers):
            cluster.add_worker(f"w{k + 1}", nthreads)
        if workers:
            cluster.wait_for_workers(workers)
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackCluster]:
    """A scheduler and two workers of four threads each, as users start them."""
    with loopback_cluster(tmp_path_factory.mktemp("cluster")) as c:
        yield c


# ---------------------------------------------------------------------------------------------
# The command line


def geomap_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geomap", *args],
        capture_output=True,
        text=True,
        env=env or _env(),
        timeout=timeout,
        check=False,
    )


def run_verb(verb: str, corpus: Path, out: Path, *mode: str) -> tuple[dict[str, bytes], str]:
    """Run ``geomap VERB CORPUS`` into ``out``: the output files' bytes and stderr (``out``
    written OUT in it)."""
    out.mkdir(parents=True)
    if verb == "build":
        args = ["build", str(corpus), "--out", str(out), "--formats", "csv"]
    else:
        args = [verb, str(corpus), "-o", str(out / f"{verb}.geojson")]
    done = geomap_cli(*args, *mode)
    assert done.returncode == 0, done.stderr[-3000:]
    # build's last line names the output folder, which differs from run to run
    return {p.name: _comparable(p) for p in sorted(out.iterdir())}, done.stderr.replace(str(out), "OUT")


def _comparable(path: Path) -> bytes:
    """A file's bytes; for the map, with folium's element ids (random hex, different in every
    run, even of one process) numbered in order of appearance instead; for build's manifest,
    without the map's SHA-256 (which those ids change: the map itself is compared above)."""
    data = path.read_bytes()
    if path.name == "geomap-manifest.json":
        manifest = json.loads(data)
        manifest["files"].get("map.html", {}).pop("sha256", None)
        return json.dumps(manifest, sort_keys=True).encode()
    if path.suffix != ".html":
        return data
    ids: dict[bytes, bytes] = {}
    return re.sub(rb"(?<=_)[0-9a-f]{32}(?![0-9a-f])", lambda m: ids.setdefault(m[0], b"%d" % len(ids)), data)


# ---------------------------------------------------------------------------------------------
# The default suite: a few dozen articles on the real cluster


def _as_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def test_small_cluster_equals_single_process(tmp_path: Path, cluster: LoopbackCluster, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus", synthetic=0, copies=2)
    one_places, one_events = pipeline.run_articles([corpus])
    one_err = capsys.readouterr().err
    assert len(one_places) > 100 and len(one_events) > 20
    for scheduler in (cluster.address, Cluster(cluster.address, send_articles=True)):
        places, events = pipeline.run_articles([corpus], scheduler=scheduler)
        assert _as_json(places) == _as_json(one_places)
        assert repr(events) == repr(one_events)
        assert capsys.readouterr().err == one_err  # the skipped files' notes, naming the same paths


# ---------------------------------------------------------------------------------------------
# Slow: 2,000+ articles, the three verbs, byte for byte


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = make_corpus(tmp_path_factory.mktemp("big") / "corpus", synthetic=2000, copies=8)
    assert n_articles(corpus) >= 2000
    return corpus


class Baseline:
    """Each verb's outputs and stderr in one process, run when first asked for."""

    def __init__(self, corpus: Path, root: Path) -> None:
        self.corpus, self.root = corpus, root
        self.runs: dict[str, tuple[dict[str, bytes], str]] = {}

    def __getitem__(self, verb: str) -> tuple[dict[str, bytes], str]:
        if verb not in self.runs:
            self.runs[verb] = run_verb(verb, self.corpus, self.root / verb)
        return self.runs[verb]


@pytest.fixture(scope="module")
def single_process(big_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    return Baseline(big_corpus, tmp_path_factory.mktemp("one"))


@pytest.mark.slow
@pytest.mark.parametrize("verb", ["places", "extract", "build"])
def test_cluster_outputs_are_byte_identical(verb: str, big_corpus, single_process, cluster, tmp_path) -> None:
    files, err = single_process[verb]
    got, got_err = run_verb(verb, big_corpus, tmp_path / "out", "--scheduler", cluster.address)
    assert sorted(got) == sorted(files)
    for name in files:
        assert got[name] == files[name], name
    assert got_err == err  # the same notes of skipped files, in the same order
    assert "binary_junk.txt" in err


@pytest.mark.slow
@pytest.mark.parametrize("verb", ["places", "extract", "build"])
def test_jobs_outputs_are_byte_identical(verb: str, big_corpus, single_process, tmp_path) -> None:
    files, err = single_process[verb]
    got, got_err = run_verb(verb, big_corpus, tmp_path / "out", "--jobs", "2")
    assert got == files
    assert got_err == err


# ---------------------------------------------------------------------------------------------
# Slow: faults


def _wait_busy(cluster: LoopbackCluster, worker: str | None = None, timeout: float = 300) -> None:
    """Wait until the cluster runs batches (on ``worker``, if named)."""
    deadline = time.monotonic() + timeout
    with distributed.Client(cluster.address, set_as_default=False, timeout=30) as client:
        address = cluster.worker_address(worker) if worker else None
        while time.monotonic() < deadline:
            busy = client.processing()
            if any(busy.get(address, ())) if address else any(busy.values()):
                return
            time.sleep(0.05)
    raise AssertionError("the cluster never got busy")


def _start_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "geomap", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or _env(),
    )


@pytest.mark.slow
def test_worker_killed_mid_run_same_output(big_corpus, single_process, tmp_path) -> None:
    """SIGKILL a whole worker (nanny and worker) while it runs batches: the scheduler runs them
    again on the other worker and the output is byte for byte the single-process output."""
    files, err = single_process["places"]
    out = tmp_path / "out"
    out.mkdir()
    with loopback_cluster(tmp_path / "cluster", workers=2, nthreads=3) as cluster:
        run = _start_cli(
            "places", str(big_corpus), "-o", str(out / "places.geojson"), "--scheduler", cluster.address
        )
        _wait_busy(cluster, "w1")
        time.sleep(1.0)
        cluster.kill("w1")
        stdout, stderr = run.communicate(timeout=900)
    assert run.returncode == 0, stderr[-3000:]
    assert (out / "places.geojson").read_bytes() == files["places.geojson"]
    assert stderr == err


def _one_line_exit_2(run: subprocess.Popen[str], out: Path, timeout: float) -> str:
    start = time.monotonic()
    _, stderr = run.communicate(timeout=timeout)
    assert run.returncode == 2, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("geomap: error: "), stderr[-3000:]
    assert list(out.iterdir()) == []  # no output, no temporary file
    assert time.monotonic() - start < timeout
    return lines[0]


@pytest.mark.slow
def test_scheduler_killed_mid_run_one_line_exit_2(big_corpus, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with loopback_cluster(tmp_path / "cluster", workers=1, nthreads=2) as cluster:
        run = _start_cli(
            "places",
            str(big_corpus),
            "-o",
            str(out / "places.geojson"),
            "--scheduler",
            cluster.address,
            env=_env(GEOMAP_DASK_TIMEOUT="10"),
        )
        _wait_busy(cluster)
        cluster.kill("scheduler")
        line = _one_line_exit_2(run, out, timeout=120)
    assert "Dask scheduler" in line


@pytest.mark.slow
def test_every_worker_lost_one_line_exit_2(big_corpus, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with loopback_cluster(tmp_path / "cluster", workers=1, nthreads=2) as cluster:
        run = _start_cli(
            "places",
            str(big_corpus),
            "-o",
            str(out / "places.geojson"),
            "--scheduler",
            cluster.address,
            env=_env(GEOMAP_DASK_TIMEOUT="8"),
        )
        _wait_busy(cluster, "w1")
        cluster.kill("w1")
        line = _one_line_exit_2(run, out, timeout=120)
    assert "no Dask worker left" in line


def test_unreachable_scheduler_one_line_exit_2(tmp_path) -> None:
    import socket

    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "out"
    out.mkdir()
    run = _start_cli(
        "places",
        str(ROOT / "seeds"),
        "-o",
        str(out / "p.geojson"),
        "--scheduler",
        f"tcp://127.0.0.1:{port}",
        env=_env(GEOMAP_DASK_CONNECT_TIMEOUT="3"),
    )
    line = _one_line_exit_2(run, out, timeout=60)
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in line


def test_send_articles_needs_a_scheduler() -> None:
    done = geomap_cli("places", str(ROOT / "seeds"), "--send-articles")
    assert done.returncode == 2
    assert done.stderr.strip() == "geomap: error: --send-articles goes with --scheduler"


# ---------------------------------------------------------------------------------------------
# Slow: deployment


@pytest.mark.slow
def test_worker_with_another_geomap_is_refused(tmp_path) -> None:
    """A worker whose geomap (here its version, patched at start-up) differs from the client's:
    the run stops before any work with one line naming the worker."""
    preload = tmp_path / "other_geomap.py"
    preload.write_text(
        "import geomap._version\ngeomap._version.__version__ = '0.0.0-other'\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    with loopback_cluster(tmp_path / "cluster", workers=0) as cluster:
        cluster.add_worker("w1", 2)
        cluster.add_worker("other", 2, args=("--preload", str(preload)))
        cluster.wait_for_workers(2)
        run = _start_cli(
            "places", str(ROOT / "seeds"), "-o", str(out / "p.geojson"), "--scheduler", cluster.address
        )
        line = _one_line_exit_2(run, out, timeout=120)
    assert "runs geomap 0.0.0-other" in line and "install the same geomap on every worker" in line


def _unshare_works() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    done = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    return done.returncode == 0


@pytest.mark.slow
def test_workers_that_cannot_see_the_files(tmp_path) -> None:
    """Workers in a mount namespace of their own, where the client's corpus folder is an empty
    tmpfs: without --send-articles the run stops with one line saying so; with it the output is
    the single-process output, byte for byte (error notes naming the client's paths)."""
    if not _unshare_works():
        pytest.skip("needs unshare -m (a private mount namespace) to hide files from the workers")
    corpus = make_corpus(tmp_path / "corpus", synthetic=50, copies=2)
    hide = ["unshare", "-m", "sh", "-c", f'mount -t tmpfs none "{corpus}" && exec "$0" "$@"']
    one, one_err = run_verb("extract", corpus, tmp_path / "one")
    out = tmp_path / "out"
    out.mkdir()
    with loopback_cluster(tmp_path / "cluster", workers=0) as cluster:
        cluster.add_worker("blind", 4, prefix=hide)
        cluster.wait_for_workers(1)
        run = _start_cli(
            "extract", str(corpus), "-o", str(out / "extract.geojson"), "--scheduler", cluster.address
        )
        line = _one_line_exit_2(run, out, timeout=120)
        assert "cannot read" in line and "--send-articles" in line
        got, err = run_verb(
            "extract", corpus, tmp_path / "sent", "--scheduler", cluster.address, "--send-articles"
        )
    assert got == one
    assert err == one_err and str(corpus / "zz_bad" / "binary_junk.txt") in err


@pytest.mark.slow
def test_index_built_once_per_worker_cache(tmp_path) -> None:
    """Two workers with an empty gazetteer cache of their own (shared by both): the index is
    built there once, by one of them, while the other waits; nothing else is left behind."""
    cache = tmp_path / "worker-cache"
    env = _env(GEOMAP_CACHE_DIR=str(cache))
    corpus = make_corpus(tmp_path / "corpus", synthetic=0, copies=1)
    one, _ = run_verb("places", corpus, tmp_path / "one")
    with loopback_cluster(tmp_path / "cluster", workers=0) as cluster:
        cluster.add_worker("w1", 2, env=env)
        cluster.add_worker("w2", 2, env=env)
        cluster.wait_for_workers(2)
        got, _ = run_verb("places", corpus, tmp_path / "out", "--scheduler", cluster.address)
        cloudpickle.register_pickle_by_value(sys.modules[__name__])
        try:
            with distributed.Client(cluster.address, set_as_default=False) as client:
                opened = client.run(_opened_index)
        finally:
            cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert got == one
    files = sorted(p.name for p in cache.iterdir())
    assert len(files) == 2 and files[0].endswith(".sqlite") and files[1] == files[0] + ".lock"
    index = cache / files[0]
    # Both workers read the one index built, still in place (a second build would have replaced
    # the file the first worker opened, leaving it reading a deleted one).
    assert set(opened.values()) == {(str(index), index.stat().st_ino)}


def _opened_index() -> tuple[str, int] | None:
    """(path, inode) of the gazetteer index this worker process has open."""
    path = str(pipeline.default_gazetteer().path)
    for fd in os.listdir("/proc/self/fd"):
        link = f"/proc/self/fd/{fd}"
        with contextlib.suppress(OSError):
            if os.readlink(link).startswith(path):
                return os.readlink(link), os.stat(link).st_ino
    return None
