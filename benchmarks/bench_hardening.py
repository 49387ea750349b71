"""Cost limits of issue 25: time and peak memory of ``export`` (every format) and ``map`` against
the number of incidents, and of ``extract`` on the hostile articles that were quadratic or failed
(a run of blank lines, a long repetitive article). Each command runs as a subprocess; peak memory
is its maximum resident set (``wait4``). Not part of the test suite.

    python benchmarks/bench_hardening.py [--sizes 1000,10000,20000] [--formats kml,csv,gpkg,geojson,map]
        [--articles] [--texts 1,5,20] [--pages 1,5,19]

Prints a Markdown table (for docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "export" / "incidents.geojson"


def run(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and the exit code of ``python -m geomap ARGS``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode


def incidents_file(n: int, folder: Path) -> Path:
    """n incidents: the test incidents repeated, each with its own id and a nudged point."""
    doc = json.loads(SOURCE.read_text(encoding="utf-8"))
    base = doc["features"]
    features = []
    for i in range(n):
        f = copy.deepcopy(base[i % len(base)])
        f["properties"]["id"] = f"bench-{i}"
        lon, lat = f["geometry"]["coordinates"][:2]
        f["geometry"]["coordinates"] = [round(lon + (i % 97) * 1e-3, 6), round(lat + (i % 89) * 1e-3, 6)]
        features.append(f)
    path = folder / f"incidents_{n}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,20000")
    parser.add_argument("--formats", default="kml,csv,gpkg,geojson,map")
    parser.add_argument("--articles", action="store_true", help="also time extract on the hostile articles")
    parser.add_argument(
        "--texts", default="", help="also time places and extract on news-like articles of these sizes in MB"
    )
    parser.add_argument(
        "--pages", default="", help="also time places on tag-dense HTML pages of these sizes in MB (1,5,19)"
    )
    args = parser.parse_args()
    print("| command | incidents | wall s | peak MB | exit |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in (int(s) for s in args.sizes.split(",") if s):
            src = incidents_file(n, folder)
            for fmt in (f for f in args.formats.split(",") if f):
                out = folder / f"out.{'html' if fmt == 'map' else fmt}"
                cmd = (
                    ["map", str(src), "-o", str(out)]
                    if fmt == "map"
                    else ["export", str(src), "--format", fmt, "-o", str(out)]
                )
                wall, peak, code = run(cmd)
                label = " ".join(cmd[:1] + cmd[2:4] if fmt != "map" else cmd[:1])
                print(f"| `{label}` | {n:,} | {wall:.1f} | {peak:,.0f} | {code} |", flush=True)
        if args.articles:
            cases = {
                "20,000 blank lines": "date 2025-10-20\n"
                + "\n" * 20000
                + "Pakistani drone strikes hit Kabul.\n",
                "219 KB repetitive": "date 2025-10-20\n"
                + "Pakistani drone strikes hit Kabul on October 9, 2025, killing 10 people. " * 3000,
            }
            for label, text in cases.items():
                path = folder / "a.txt"
                path.write_text(text, encoding="utf-8")
                wall, peak, code = run(["extract", str(path), "-o", str(folder / "o.geojson")])
                print(f"| `extract` ({label}) | – | {wall:.1f} | {peak:,.0f} | {code} |", flush=True)
        for mb in (float(x) for x in args.texts.split(",") if x):
            path = text_article(mb, folder)
            for verb in ("places", "extract"):
                wall, peak, code = run([verb, str(path), "-o", str(folder / "o.geojson")])
                print(f"| `{verb}` ({mb:g} MB article) | – | {wall:.1f} | {peak:,.0f} | {code} |", flush=True)
        for mb in (float(x) for x in args.pages.split(",") if x):
            path = tag_page(mb, folder)
            wall, peak, code = run(["places", str(path), "-o", str(folder / "o.geojson")])
            print(
                f"| `places` ({mb:g} MB page of tags) | – | {wall:.1f} | {peak:,.0f} | {code} |", flush=True
            )
    return 0


PLACE_NAMES = ("Kabul", "Torkham", "Chaman", "Spin Boldak", "Doha", "Istanbul", "Peshawar", "Quetta")


#: Sentences of a long news-like article (a live blog of a border crisis): events, tolls, places.
NEWS_SENTENCES = (
    "Afghan and Pakistani forces exchanged heavy fire near {place} on Sunday, officials said.",
    "At least {n} soldiers were killed and {m} wounded, the military said in a statement.",
    "Traders said the crossing at {place} remained closed for a third day.",
    "Hundreds of families fled villages near {place} as shells landed in the area.",
    "Talks between the two sides are expected to resume in {venue} next week.",
    "The weather in {place} was cold and the roads were busy with trucks carrying fruit.",
)


def text_article(mb: float, folder: Path) -> Path:
    """A news-like article of ``mb`` MB: a dated live blog whose paragraphs tell clashes, tolls,
    closures, flight and talks at rotating places (every sentence a candidate for an event)."""
    path = folder / f"article_{mb:g}.txt"
    size, n = 0, 0
    venues = ("Doha", "Istanbul")
    with path.open("w", encoding="utf-8") as out:
        out.write("date 2025-10-20\n\nLive: border crisis\n\n")
        while size < mb * 1_000_000:
            line = NEWS_SENTENCES[n % len(NEWS_SENTENCES)].format(
                place=PLACE_NAMES[n % len(PLACE_NAMES)], n=n % 40 + 1, m=n % 30 + 2, venue=venues[n % 2]
            )
            line = line[:-1] + f" (update {n})."  # every sentence its own (no cached parse)
            line += "\n\n" if n % 3 == 2 else " "
            out.write(line)
            size += len(line)
            n += 1
    return path


def tag_page(mb: float, folder: Path) -> Path:
    """A page of ``mb`` MB of small blocks of tags, each naming a place (a hostile page: many
    elements, little text, hundreds of thousands of mentions)."""
    path = folder / f"tags_{mb:g}.html"
    size, n = 0, 0
    with path.open("w", encoding="utf-8") as out:
        out.write("<html><head><title>Tags</title></head><body>\n")
        while size < mb * 1_000_000:
            name = PLACE_NAMES[n % len(PLACE_NAMES)]
            line = f'<div class="t"><span>Reports from <a href="/t/{n}">{name}</a></span></div>\n'
            out.write(line)
            size += len(line)
            n += 1
        out.write("</body></html>\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
