"""Store benchmark: a pass over N new articles with K articles already in the store.

    PYTHONPATH=. python benchmarks/bench_store.py [--known 10000] [--new 10] [--work /tmp/bench_store]
        [--pg postgresql://USER@127.0.0.1:PORT]   # the store in PostgreSQL (a database per store)

Writes the synthetic corpus (``benchmarks/synth.py``: article *i* is always the same) of K + N
articles, fills a store with the first K (``geomap build DIR --store``, timed: the store's own
throughput), then adds the N new files to the folder and times, each as a user runs it (a
subprocess, start-up included):

- ``build DIR --store`` over all K + N files (the K known skipped, the N processed and merged
  into the stored incidents), with the map and exports of every stored incident rewritten;
- the same pass broken down in one process: the pass itself (walk, skip, process, merge) and
  writing the outputs;
- for comparison, a one-shot ``build`` of the N new articles alone.

Not part of the test suite; prints a Markdown table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synth import article  # noqa: E402


def timed(cmd: list[str]) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    lines = proc.stderr.strip().splitlines()
    if lines:
        print(lines[-1], file=sys.stderr)
    return elapsed


def render(n: int, work: Path) -> None:
    """``geomap map STORE`` of a store holding ``n`` incidents (those of bench_map's synthetic
    frame, written straight into the store's incidents layer)."""
    from benchmarks.bench_map import synthetic
    from geomap.frames import iter_gdf_features
    from geomap.store import Store

    work.mkdir(parents=True, exist_ok=True)
    path = work / f"render{n}.gpkg"
    path.unlink(missing_ok=True)
    with Store(path, create=True, writer=True) as store, store.transaction():
        for gid, feat in enumerate(iter_gdf_features(synthetic(n))):
            props = dict(feat["properties"], corrected=False, corrections=[])
            lon, lat = feat["geometry"]["coordinates"]
            store.db.execute(
                "INSERT INTO incidents (geom, id, gid, status, event_type, date, place, lon, lat, sort_null,"
                f" sort_type, place_id, evidence, properties, raw) VALUES ({store.dialect.point_sql}, ?, ?,"
                " 'active', ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, '{}')",
                (
                    *store.dialect.point_params(lon, lat),
                    props["id"],
                    gid,
                    props["event_type"],
                    props["date"],
                    props["place"],
                    lon,
                    lat,
                    props["place_id"],
                    props["evidence"],
                    json.dumps(props),
                ),
            )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = (
        "import time; from geomap.store import Store\n"
        f"t = time.perf_counter(); st = Store({str(path)!r}); g = st.incidents_gdf()\n"
        "print(round(time.perf_counter() - t, 2), len(g))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    read_s, rows = out.stdout.split()
    total = timed([sys.executable, "-m", "geomap", "map", str(path), "-o", str(work / f"map{n}.html")])
    size = (work / f"map{n}.html").stat().st_size / 1e6
    print("| incidents in the store | read into a frame (s) | `geomap map STORE` (s) | map.html MB |")
    print("| --- | --- | --- | --- |")
    print(f"| {int(rows):,} | {read_s} | {total:.1f} | {size:.1f} |")
    print(
        json.dumps({"render": n, "read_s": float(read_s), "map_s": round(total, 2), "map_mb": round(size, 1)})
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--known", type=int, default=10_000)
    ap.add_argument("--new", type=int, default=10)
    ap.add_argument("--work", default="/tmp/bench_store")
    ap.add_argument("--keep", action="store_true", help="reuse a filled store from an earlier run")
    ap.add_argument("--render", type=int, help="only time `geomap map` of a store of this many incidents")
    ap.add_argument("--pg", help="keep the stores in this PostgreSQL server (postgresql://USER@HOST:PORT)")
    args = ap.parse_args(argv)
    work = Path(args.work)
    if args.pg:
        pg_main(args, work)
        return
    if args.render:
        render(args.render, work)
        return
    corpus, fresh = work / "corpus", work / "new"
    store = work / f"store{args.known}.gpkg"
    py = [sys.executable, "-m", "geomap"]
    result: dict[str, object] = {"known": args.known, "new": args.new}
    if not (args.keep and store.exists()):
        shutil.rmtree(work, ignore_errors=True)
        corpus.mkdir(parents=True)
        fresh.mkdir()
        for i in range(args.known + args.new):
            folder = corpus if i < args.known else fresh
            (folder / f"synth_{i:06d}.txt").write_text(article(i), encoding="utf-8")
        result["fill_s"] = round(
            timed([*py, "build", str(corpus), "--store", str(store), "--out", str(work / "o")]), 1
        )
        for file in sorted(fresh.iterdir()):
            shutil.copy(file, corpus / file.name)
    timed([*py, "build", str(fresh), "--out", str(work / "warm")])  # caches warm
    result["oneshot_new_s"] = round(timed([*py, "build", str(fresh), "--out", str(work / "oneshot")]), 2)
    trial = work / "trial.gpkg"
    shutil.copy(store, trial)
    result["store_pass_s"] = round(
        timed([*py, "build", str(corpus), "--store", str(trial), "--out", str(work / "pass")]), 2
    )
    # the same pass in one process, split into the pass and the outputs
    shutil.copy(store, trial)
    code = (
        "import time, sys; from pathlib import Path\n"
        "from geomap.store import Store, add_paths\n"
        "from geomap.cli import write_store_outputs\n"
        f"st = Store({str(trial)!r}, writer=True)\n"
        "t = time.perf_counter()\n"
        f"stats = add_paths(st, [{str(corpus)!r}])\n"
        "t1 = time.perf_counter()\n"
        f"n = write_store_outputs(st, Path({str(work / 'pass2')!r}), [])\n"
        "t2 = time.perf_counter()\n"
        "print(round(t1 - t, 2), round(t2 - t1, 2), n, stats.line())\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    pass_s, outputs_s, n, line = out.stdout.split(" ", 3)
    result.update(pass_only_s=float(pass_s), outputs_s=float(outputs_s), incidents=int(n), stats=line.strip())
    result["store_mb"] = round(store.stat().st_size / 1e6, 1)
    print(
        "| known | new | fill (s) | one-shot build of the new (s) | store pass, CLI (s) | pass alone (s) "
        "| outputs (s) | incidents | store MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {args.known:,} | {args.new} | {result.get('fill_s', '-')} | {result['oneshot_new_s']} |"
        f" {result['store_pass_s']} | {pass_s} | {outputs_s} | {int(n):,} | {result['store_mb']} |"
    )
    print(json.dumps(result))


def _pg(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_main(args: argparse.Namespace, work: Path) -> None:
    """The same pass with the store in PostgreSQL: the filled store is database ``bench_K``,
    each trial a copy of it (``CREATE DATABASE ... TEMPLATE``)."""
    corpus, fresh = work / "corpus", work / "new"
    py = [sys.executable, "-m", "geomap"]
    filled, trial = f"bench_{args.known}", "bench_trial"
    result: dict[str, object] = {"known": args.known, "new": args.new, "store": "postgresql"}
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        corpus.mkdir(parents=True)
        fresh.mkdir()
        for i in range(args.known + args.new):
            folder = corpus if i < args.known else fresh
            (folder / f"synth_{i:06d}.txt").write_text(article(i), encoding="utf-8")
        _pg(args.pg, f"DROP DATABASE IF EXISTS {filled} WITH (FORCE)")
        _pg(args.pg, f"CREATE DATABASE {filled}")
        _pg_extension(f"{args.pg}/{filled}")
        result["fill_s"] = round(
            timed([*py, "build", str(corpus), "--store", f"{args.pg}/{filled}", "--out", str(work / "o")]), 1
        )
        for file in sorted(fresh.iterdir()):
            shutil.copy(file, corpus / file.name)
    _pg(args.pg, f"DROP DATABASE IF EXISTS {trial} WITH (FORCE)")
    _pg(args.pg, f"CREATE DATABASE {trial} TEMPLATE {filled}")
    result["store_pass_s"] = round(
        timed([*py, "build", str(corpus), "--store", f"{args.pg}/{trial}", "--out", str(work / "pass")]), 2
    )
    print("| store | known | new | fill (s) | store pass, CLI (s) |")
    print("| --- | --- | --- | --- | --- |")
    print(
        f"| PostgreSQL | {args.known:,} | {args.new} | {result.get('fill_s', '-')} |"
        f" {result['store_pass_s']} |"
    )
    print(json.dumps(result))


def _pg_extension(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


if __name__ == "__main__":
    main()
