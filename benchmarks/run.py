"""geomap's benchmark suite: one command, one table (not part of the test suite).

    python benchmarks/run.py                 # everything, results into docs/benchmarks.md
    python benchmarks/run.py --quick         # small sizes, a smoke test of the suite itself
    python benchmarks/run.py --only throughput,dense,scaling,jobs,quality --no-write

Sections:

throughput  geomap ``places`` and ``extract`` and geotext (benchmarks/geotext_adapter.py) on the
            same texts in one run, in this process after start-up (models and gazetteer loaded
            by a warm-up run): GeoVirus (229 articles) and GeoVirus copied ten times (2,290).
            Articles/s and MB/s (file bytes). Also the command line's wall time, start-up included.
scaling     ``python -m geomap extract`` on synthetic corpora (benchmarks/synth.py) of 100, 1,000
            and 10,000 articles as a subprocess: wall time, articles/s, per-article cost after
            start-up, peak resident memory of the process (wait4 rusage).
jobs        ``extract --jobs 2`` against ``--jobs 1`` on the 10,000 articles.
dense       ``extract`` in this process after a warm-up on 1,000 synthetic articles dense with
            event sentences (benchmarks/synth.py): issue 21's floor of 50 articles/s per core.
quality     the scorer (geomap.evaluate) on the seeds and GeoVirus, geomap beside geotext.

Results are printed as Markdown and written between the markers of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import geotext_adapter  # noqa: E402
import synth  # noqa: E402

GEOVIRUS = synth.GEOVIRUS
SEEDS_GOLD = synth.SEEDS_GOLD
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


# ---------------------------------------------------------------------------------------------
# Helpers


def load() -> str:
    try:
        return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return ""


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(
            next(
                ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
            ).split()[1]
        )
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    from geomap import geoparse

    tokeniser = (
        "compiled tokeniser"
        if geoparse._ctokens is not None
        else "tokeniser in Python (geomap._ctokens not built)"
    )
    return (
        f"{cpu}, {cores} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; geomap's {tokeniser}"
    )


def corpus_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


#: Runs a command from a small process and reports the command's own peak RSS. Linux carries a
#: process's high-water RSS across fork and exec, so a command started straight from this
#: (large) benchmark process would report at least this process's size.
_MEASURE = (
    "import os, sys\n"
    "pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_cmd(args: list[str], log: Path) -> tuple[float, float, int]:
    """Run a command: (wall seconds, peak RSS MiB of the process, return code)."""
    rss_file = log.with_suffix(".rss")
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(rss_file), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=ENV,
            cwd=ROOT,
        )
        wall = time.perf_counter() - t0
    rss_kib = int(rss_file.read_text()) if rss_file.exists() else 0
    return wall, rss_kib / 1024, proc.returncode


def geomap_cmd(command: str, path: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "geomap", command, str(path), "-o", str(out), *extra]


def table(headers: list[str], rows: Iterable[Iterable[object]]) -> str:
    rows = [[str(c) for c in r] for r in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def copy_times(src: Path, dst: Path, times: int) -> Path:
    """``times`` copies of every article of ``src`` under ``dst`` (distinct names)."""
    for k in range(times):
        sub = dst / f"copy{k:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        for f in sorted(src.iterdir()):
            if f.is_file():
                shutil.copyfile(f, sub / f"{k:02d}_{f.name}")
    return dst


def _fmt_s(x: float) -> str:
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


# ---------------------------------------------------------------------------------------------
# In-process workers


def _geomap_places(folder: Path) -> int:
    from geomap.parallel import map_articles
    from geomap.pipeline import process_places

    return sum(1 for _ in map_articles(process_places, [folder]))


def _geomap_extract(folder: Path) -> int:
    from geomap.pipeline import incidents_from_events, run_articles

    _, events = run_articles([folder])
    return len(incidents_from_events(events))


def _geotext(folder: Path) -> int:
    from geomap.parallel import map_articles

    return sum(1 for _ in map_articles(geotext_adapter.run, [folder]))


def _timed(func: Callable[[Path], int], folder: Path) -> float:
    t0 = time.perf_counter()
    func(folder)
    return time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------
# Sections


#: How many times each command-line row is run (the fastest counts).
CLI_REPEATS = 3


def section_throughput(work: Path, quick: bool) -> str:
    originals = GEOVIRUS / "articles"
    if not originals.is_dir():
        return "GeoVirus not found at " + str(originals) + "; throughput skipped."
    corpora = [("GeoVirus", originals, len(list(originals.glob("*.txt"))))]
    times = 2 if quick else 10
    tenfold = copy_times(originals, work / f"geovirus_x{times}", times)
    corpora.append((f"GeoVirus ×{times}", tenfold, corpora[0][2] * times))
    warm = synth.SEEDS
    run_cmd(geomap_cmd("extract", warm, work / "warm.geojson"), work / "warm.log")  # build caches first
    runners = [("geomap places", _geomap_places), ("geomap extract", _geomap_extract), ("geotext", _geotext)]
    for _, f in runners:
        f(warm)  # start-up: gazetteer, models, regexes
    rows = []
    for label, folder, n in corpora:
        mb = corpus_bytes(folder) / 1e6
        for name, func in runners:
            secs = min(_timed(func, folder) for _ in range(1 if n > 1000 else 2))
            rows.append([label, n, f"{mb:.2f}", name, _fmt_s(secs), f"{n / secs:.0f}", f"{mb / secs:.2f}"])
    cli_rows = []
    ratios: list[str] = []
    for label, folder, n in corpora:
        commands = [
            ("geomap places", geomap_cmd("places", folder, work / "cli_places.geojson")),
            (
                "geomap places --jobs 2",
                geomap_cmd("places", folder, work / "cli_places2.geojson", "--jobs", "2"),
            ),
            ("geomap extract", geomap_cmd("extract", folder, work / "cli_extract.geojson")),
            (
                "geotext (`benchmarks/geotext_adapter.py`)",
                [
                    sys.executable,
                    str(HERE / "geotext_adapter.py"),
                    str(folder),
                    "-o",
                    str(work / "cli_geotext.jsonl"),
                ],
            ),
        ]
        # Each command CLI_REPEATS times, the commands taking turns (so a busy moment of the
        # machine falls on all of them alike); the fastest run of each counts.
        best: dict[str, tuple[float, float, int]] = {}
        for _ in range(1 if quick else CLI_REPEATS):
            for name, cmd in commands:
                wall, rss, rc = run_cmd(cmd, work / "cli.log")
                if name not in best or (rc == 0 and wall < best[name][0]):
                    best[name] = (wall, rss, rc)
        for name, _cmd in commands:
            wall, rss, rc = best[name]
            cli_rows.append(
                [
                    label,
                    n,
                    name,
                    _fmt_s(wall) if rc == 0 else f"failed (rc {rc})",
                    f"{n / wall:.0f}" if rc == 0 else "",
                    f"{rss:.0f}",
                ]
            )
        places, geotext = best["geomap places"][0], best[commands[-1][0]][0]
        ratios.append(f"{label}: geomap places takes {places / geotext:.2f}× geotext's wall time")
    return (
        "In this process after start-up (one core):\n\n"
        + table(["corpus", "articles", "MB", "tool", "seconds", "articles/s", "MB/s"], rows)
        + "\n\nThe command line, start-up included (`python -m geomap COMMAND DIR -o FILE`; geotext through"
        f" its adapter's command line, reading the same files; the fastest of {CLI_REPEATS} runs taken in"
        " turns):\n\n"
        + table(["corpus", "articles", "command", "wall s", "articles/s", "peak MiB"], cli_rows)
        + "\n\n"
        + "; ".join(ratios)
        + "."
    )


def section_dense(work: Path, quick: bool) -> str:
    n = 200 if quick else 1000
    folder = work / f"dense{n}"
    if not folder.is_dir():
        synth.write_corpus(n, folder)
    _geomap_extract(synth.SEEDS)  # start-up: gazetteer, parsing model, regexes
    runs = [_timed(_geomap_extract, folder) for _ in range(1 if quick else 3)]
    return (
        f"`extract` in this process after a warm-up, {n} synthetic articles (`benchmarks/synth.py`,"
        " every sentence from the seeds or GeoVirus, most of them event sentences), one core:"
        f" {', '.join(f'{n / t:.1f}' for t in runs)} articles/s over {len(runs)} runs"
        f" (best {n / min(runs):.1f}/s)."
    )


def section_scaling(work: Path, sizes: list[int], jobs_n: int | None) -> str:
    one = work / "one"
    synth.write_corpus(1, one)
    run_cmd(geomap_cmd("extract", one, work / "one.geojson"), work / "warm.log")  # build caches first
    startup, startup_rss, rc = run_cmd(geomap_cmd("extract", one, work / "one.geojson"), work / "one.log")
    if rc != 0:
        return (
            f"`geomap extract` failed (rc {rc}); see {work / 'one.log'}:\n\n    "
            + (work / "one.log").read_text()[-800:]
        )
    rows = [["1", "", _fmt_s(startup), "", "", f"{startup_rss:.0f}"]]
    results: dict[int, float] = {}
    for n in sizes:
        folder = work / f"synth_{n}"
        synth.write_corpus(n, folder)
        wall, rss, rc = run_cmd(
            geomap_cmd("extract", folder, work / f"synth_{n}.geojson"), work / f"synth_{n}.log"
        )
        if rc != 0:
            rows.append([f"{n:,}", "", f"failed (rc {rc})", "", "", ""])
            continue
        results[n] = wall
        per = (wall - startup) / n * 1000
        rows.append(
            [
                f"{n:,}",
                f"{corpus_bytes(folder) / 1e6:.1f}",
                _fmt_s(wall),
                f"{n / wall:.0f}",
                f"{per:.2f}",
                f"{rss:.0f}",
            ]
        )
    text = (
        f"`python -m geomap extract DIR -o FILE` on synthetic corpora (start-up, measured on one article: "
        f"{startup:.2f} s):\n\n"
        + table(["articles", "MB", "wall s", "articles/s", "ms/article after start-up", "peak MiB"], rows)
    )
    if jobs_n:
        folder = work / f"synth_{jobs_n}"
        if not folder.exists():
            synth.write_corpus(jobs_n, folder)
        walls = {}
        jrows = []
        for jobs in (1, 2):
            if jobs == 1 and jobs_n in results:
                walls[1] = results[jobs_n]
                rss = None
            else:
                wall, rss, rc = run_cmd(
                    geomap_cmd("extract", folder, work / f"jobs{jobs}.geojson", "--jobs", str(jobs)),
                    work / f"jobs{jobs}.log",
                )
                if rc != 0:
                    jrows.append([jobs, f"failed (rc {rc})", "", ""])
                    continue
                walls[jobs] = wall
            jrows.append(
                [
                    jobs,
                    _fmt_s(walls[jobs]),
                    f"{jobs_n / walls[jobs]:.0f}",
                    f"{walls[1] / walls[jobs]:.2f}×" if 1 in walls else "",
                ]
            )
        same = ""
        if (work / "jobs2.geojson").exists() and (work / f"synth_{jobs_n}.geojson").exists():
            a = json.loads((work / f"synth_{jobs_n}.geojson").read_text(encoding="utf-8"))
            b = json.loads((work / "jobs2.geojson").read_text(encoding="utf-8"))
            same = f"\n\nOutput of `--jobs 2` identical to `--jobs 1`: {'yes' if a == b else 'NO'}."
        text += (
            f"\n\n`extract --jobs N` on {jobs_n:,} synthetic articles:\n\n"
            + table(["jobs", "wall s", "articles/s", "speed-up"], jrows)
            + same
        )
    return text


def _metric(result: dict[str, Any], key: str) -> str:
    """One metric of an evaluation as table text."""
    v = result.get(key)
    return "n/a" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def section_quality() -> str:
    from geomap.evaluate import evaluate

    sets = [("seeds", SEEDS_GOLD, synth.SEEDS), ("GeoVirus", GEOVIRUS / "gold.json", GEOVIRUS / "articles")]
    rows = []
    for label, gold, path in sets:
        if not Path(gold).is_file():
            continue
        for tool, runner in (("geomap", None), ("geotext", geotext_adapter.run)):
            try:
                r = evaluate(gold, [path], runner=runner)
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, never stops
                rows.append([label, tool, f"failed: {type(exc).__name__}: {exc}"] + [""] * 7)
                continue
            keys = (
                "place_P",
                "place_R",
                "place_F1",
                "acc161",
                "acc161_subnational",
                "median_km",
                "event_F1",
                "distractor_incidents",
            )
            rows.append([label, tool, *(_metric(r, k) for k in keys)])
    return table(
        [
            "set",
            "tool",
            "place P",
            "place R",
            "place F1",
            "acc@161",
            "acc@161 sub-nat.",
            "median km",
            "event F1",
            "distractor inc.",
        ],
        rows,
    )


# ---------------------------------------------------------------------------------------------


def write_doc(text: str) -> None:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in doc or END not in doc:
        doc = doc.rstrip() + f"\n\n{START}\n{END}\n"
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{text.strip()}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="geomap benchmarks (one table)")
    ap.add_argument("--quick", action="store_true", help="small sizes: 50, 200 articles; GeoVirus ×2")
    ap.add_argument(
        "--sizes", default=None, help="comma-separated synthetic corpus sizes (default 100,1000,10000)"
    )
    ap.add_argument("--only", default="throughput,dense,scaling,jobs,quality")
    ap.add_argument("--work", default=None, help="working folder (default: a temporary one, removed)")
    ap.add_argument("--no-write", action="store_true", help=f"do not update {DOC.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    # Byte-compile geomap's sources first, as installing a package does (pip compiled geotext's):
    # with PYTHONDONTWRITEBYTECODE set, every command line run would compile them again.
    compileall.compile_dir(str(ROOT / "geomap"), quiet=1)
    only = set(args.only.split(","))
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([50, 200] if args.quick else [100, 1000, 10000])
    )
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    parts = [
        f"Machine: {machine()}. Run on {time.strftime('%Y-%m-%d %H:%M')} with `python benchmarks/run.py"
        f"{' --quick' if args.quick else ''}` ({load()} at the start)."
    ]
    try:
        if "throughput" in only:
            t = time.perf_counter()
            parts.append("### Throughput\n\n" + section_throughput(work, args.quick))
            print(f"[throughput done in {time.perf_counter() - t:.0f} s]", file=sys.stderr)
        if "dense" in only:
            t = time.perf_counter()
            parts.append("### Dense corpus\n\n" + section_dense(work, args.quick))
            print(f"[dense done in {time.perf_counter() - t:.0f} s]", file=sys.stderr)
        if "scaling" in only or "jobs" in only:
            t = time.perf_counter()
            parts.append(
                "### Scaling and --jobs\n\n"
                + section_scaling(
                    work, sizes if "scaling" in only else [], max(sizes) if "jobs" in only else None
                )
            )
            print(f"[scaling done in {time.perf_counter() - t:.0f} s]", file=sys.stderr)
        if "quality" in only:
            parts.append(
                "### Quality (geomap.evaluate, rules of shared/eval/README.md)\n\n" + section_quality()
            )
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    parts.append(f"({load()} at the end.)")
    text = "\n\n".join(parts)
    print(text)
    if not args.no_write:
        write_doc(text)
        print(f"\n(written to {DOC.relative_to(ROOT)})", file=sys.stderr)


if __name__ == "__main__":
    main()
