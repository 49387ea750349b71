"""Kill `geomap build` at random moments and check what it leaves (issue 25).

Each trial builds into a folder that holds a complete earlier set, sends SIGKILL or SIGTERM at a
random moment of the build, lets the next run's first step tidy the folder
(:func:`geomap._io.recover_output_set`), and checks that the folder then holds one run's complete
set, old or new, as its manifest names it (every file there, with its SHA-256), and no temporary
file.

    python scripts/kill_trials.py [--trials 100] [--seed 1] [ARTICLES...]

Exit status 0 when every trial passes; one line per failed trial otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = {
    "map.html",
    "incidents.geojson",
    "mentions.geojson",
    "incidents.csv",
    "incidents.gpkg",
    "incidents.kml",
}
TEMPORARY = re.compile(r"\..*\.\d+\.[A-Za-z0-9_]{8}\.tmp.*|\.geomap-commit\.json")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def build_args(articles: list[str], out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "geomap",
        "build",
        *articles,
        "--out",
        str(out),
        "--formats",
        "csv,gpkg,kml",
    ]


def check_folder(out: Path) -> str | None:
    """None when ``out`` holds one complete set as its manifest names it, else the problem."""
    sys.path.insert(0, str(ROOT))
    from geomap._io import MANIFEST, recover_output_set

    recover_output_set(out)
    names = set(os.listdir(out))
    stray = sorted(n for n in names if TEMPORARY.fullmatch(n))
    if stray:
        return f"temporary files left: {stray}"
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"no readable manifest ({exc})"
    files = manifest["files"]
    if set(files) != SET:
        return f"the manifest names {sorted(files)}, not the whole set"
    for name, meta in files.items():
        digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
        if digest != meta["sha256"]:
            return f"{name} is not the file the manifest names"
    return None


def trial(articles: list[str], out: Path, rnd: random.Random, duration: float) -> str | None:
    sig = rnd.choice([signal.SIGKILL, signal.SIGTERM])
    proc = subprocess.Popen(
        build_args(articles, out), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    time.sleep(rnd.uniform(0.0, duration * 1.1))
    if proc.poll() is None:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=600)
    # (-SIGTERM: killed before geomap had installed its handler, while Python was starting)
    if proc.returncode not in (0, -signal.SIGKILL, -signal.SIGTERM, 143, 130):
        return f"exit {proc.returncode}: {err.decode(errors='replace').strip()[-300:]}"
    problem = check_folder(out)
    return None if problem is None else f"{signal.Signals(sig).name}: {problem}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", default=[str(ROOT / "seeds")])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        start = time.monotonic()
        subprocess.run(build_args(args.articles, out), env=_env(), check=True, capture_output=True)
        duration = time.monotonic() - start
        failed = 0
        for i in range(args.trials):
            problem = trial(args.articles, out, rnd, duration)
            if problem:
                failed += 1
                print(f"trial {i}: {problem}", flush=True)
        print(f"{args.trials - failed}/{args.trials} trials left one complete set and no temporary file")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
