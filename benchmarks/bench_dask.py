"""geomap on a Dask cluster on this machine (loopback): throughput, scaling efficiency, peak
memory of the client and the workers, and the client's own cost per article.

    PYTHONPATH=. python benchmarks/bench_dask.py 10000 --workers 1,2 [--verbs extract,places]

For each worker count N a fresh ``dask scheduler`` and N ``dask worker ADDRESS --nthreads T``
processes are started on 127.0.0.1 (``--nthreads``, default 1: on a machine of few cores the
processes are what scale, the threads of one process share its interpreter lock), warmed up on 64
articles, then a client process (``geomap.pipeline`` with ``scheduler=ADDRESS``, as ``geomap
places|extract --scheduler`` runs it) reads the synthetic corpus of ``benchmarks/synth.py``
(written once under ``--corpus-dir``, default a temporary folder) and writes the output. Each
output is compared byte for byte with the first configuration's.

Measured: wall time of the client process, articles/s, efficiency ``T(1) / (N × T(N))``, the
client's CPU seconds (user + system, its Dask client thread included) per article, the workers'
CPU seconds per article (their rusage growth over the run), and the peak resident memory of the
client and of each worker (``ru_maxrss``). The client saturates when N workers ask of it more
CPU than one core has: at about ``worker CPU per article / client CPU per article`` workers.
Results are printed as Markdown; nothing is written to docs/ by this script.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


class Cluster:
    """A scheduler and ``n`` workers on 127.0.0.1 (random ports), stopped by :meth:`close`."""

    def __init__(self, n: int, nthreads: int, root: Path) -> None:
        self.root = root
        self.procs: list[subprocess.Popen[bytes]] = []
        file = root / "scheduler.json"
        self._spawn(
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(file),
            ]
        )
        deadline = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("the scheduler did not start")
            time.sleep(0.1)
        time.sleep(0.2)
        self.address = json.loads(file.read_text())["address"]
        for k in range(n):
            self._spawn(
                [
                    "worker",
                    self.address,
                    "--nthreads",
                    str(nthreads),
                    "--host",
                    "127.0.0.1",
                    "--no-dashboard",
                    "--local-directory",
                    str(root / f"w{k}"),
                    "--name",
                    f"w{k}",
                ]
            )
        from distributed import Client

        with Client(self.address, set_as_default=False, timeout=30) as client:
            client.wait_for_workers(n, timeout=120)

    def _spawn(self, args: list[str]) -> None:
        log = open(self.root / f"{len(self.procs)}.log", "wb")  # noqa: SIM115
        self.procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "dask", *args], stdout=log, stderr=subprocess.STDOUT, env=_env()
            )
        )
        log.close()

    def workers_usage(self) -> dict[str, dict[str, float]]:
        """Each worker's CPU seconds so far and peak resident MiB."""
        from distributed import Client

        with Client(self.address, set_as_default=False, timeout=30) as client:
            return dict(client.run(_usage))

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _usage() -> dict[str, float]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": r.ru_utime + r.ru_stime, "peak_mib": r.ru_maxrss / 1024}


def client_run(verb: str, corpus: str, address: str, output: str) -> dict[str, Any]:
    """In a client process: run ``verb`` over ``corpus`` on the cluster, as the command line does."""
    from geomap import frames, pipeline

    start = time.perf_counter()
    if verb == "places":
        features = pipeline.iter_place_features([corpus], scheduler=address)
        frames.write_point_features(features, output)
    else:
        with pipeline.incidents_on_disk([corpus], scheduler=address) as incidents:
            frames.write_geojson(
                {"type": "FeatureCollection", "features": frames.incident_features(incidents)}, output
            )
    wall = time.perf_counter() - start
    usage = _usage()
    return {"wall": wall, "cpu": usage["cpu"], "peak_mib": usage["peak_mib"]}


def _run_client(verb: str, corpus: Path, address: str, output: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--client", verb, str(corpus), address, str(output)],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"the client failed ({done.returncode}): {done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _loadavg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of synthetic articles")
    ap.add_argument("--workers", default="1,2", help="worker process counts, e.g. 1,2,4")
    ap.add_argument("--nthreads", type=int, default=1, help="threads per worker process")
    ap.add_argument("--verbs", default="extract,places")
    ap.add_argument("--corpus-dir", help="where the corpus is written (kept); default a temporary folder")
    ap.add_argument(
        "--shared", help="the shared/ folder synth.py takes GeoVirus from (default: its own guess)"
    )
    args = ap.parse_args(argv)
    import synth

    if args.shared:
        synth.SEEDS_GOLD = Path(args.shared) / "eval" / "seeds_gold.json"
        synth.GEOVIRUS = Path(args.shared) / "benchmarks" / "geovirus"

    tmp = Path(tempfile.mkdtemp(prefix="geomap-bench-dask-"))
    try:
        corpus = Path(args.corpus_dir or tmp / "corpus")
        if not (corpus / f"{(args.n - 1) // 1000:04d}" / f"synth_{args.n - 1:07d}.txt").exists():
            synth.write_corpus(args.n, corpus)
        warm = tmp / "warm"
        synth.write_corpus(64, warm)
        mb = sum(p.stat().st_size for p in corpus.rglob("*.txt")) / 1e6
        print(f"{args.n} articles ({mb:.1f} MB); load average at start {_loadavg()}", flush=True)
        rows: list[dict[str, Any]] = []
        for verb in args.verbs.split(","):
            first: bytes | None = None
            base_wall: float | None = None
            for n in [int(w) for w in args.workers.split(",")]:
                root = tmp / f"{verb}-{n}"
                root.mkdir()
                cluster = Cluster(n, args.nthreads, root)
                try:
                    _run_client(verb, warm, cluster.address, root / "warm.geojson")
                    before = cluster.workers_usage()
                    load = _loadavg()
                    got = _run_client(verb, corpus, cluster.address, root / "out.geojson")
                    after = cluster.workers_usage()
                finally:
                    cluster.close()
                data = (root / "out.geojson").read_bytes()
                first = first if first is not None else data
                base_wall = base_wall or got["wall"] * n
                worker_cpu = sum(after[w]["cpu"] - before[w]["cpu"] for w in after)
                row = {
                    "verb": verb,
                    "workers": n,
                    "threads": args.nthreads,
                    "wall": got["wall"],
                    "rate": args.n / got["wall"],
                    "efficiency": base_wall / (n * got["wall"]),
                    "client_ms": 1000 * got["cpu"] / args.n,
                    "worker_ms": 1000 * worker_cpu / args.n,
                    "client_mib": got["peak_mib"],
                    "worker_mib": max(a["peak_mib"] for a in after.values()),
                    "same": data == first,
                    "load": f"{load} → {_loadavg()}",
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
        print()
        print(
            "| verb | workers × threads | wall s | articles/s | efficiency | client CPU ms/article | "
            "workers' CPU ms/article | client peak MiB | worker peak MiB | output identical | load avg |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in rows:
            print(
                f"| {r['verb']} | {r['workers']} × {r['threads']} | {r['wall']:.1f} | {r['rate']:.0f} | "
                f"{r['efficiency']:.2f} | {r['client_ms']:.2f} | {r['worker_ms']:.1f} | "
                f"{r['client_mib']:.0f} | {r['worker_mib']:.0f} | {'yes' if r['same'] else 'NO'} | "
                f"{r['load']} |"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        print(json.dumps(client_run(*sys.argv[2:6])))
    else:
        main()
