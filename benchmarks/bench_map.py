"""Map scale benchmark: build time, file size and time to interactive of synthetic incident maps.

    PYTHONPATH=. python benchmarks/bench_map.py [--sizes 1000,10000,100000] [--no-browser]

For each size: ``render_map`` + offline HTML (build), the file size, and in headless Chromium
(Debian's, or ``GEOMAP_CHROMIUM``) the time from navigation until every marker is in its layer
("interactive": markers are added in chunks, so this waits for the last chunk). Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geomap import mapping  # noqa: E402

TYPES = np.array(["strike", "clash", "crossing", "negotiation", "displacement"])
SUBTYPES = {
    "strike": "air/drone strike",
    "clash": "armed clash",
    "crossing": "crossing closed",
    "negotiation": "talks held",
    "displacement": "deportation",
}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def synthetic(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """n incidents scattered over the border region, with realistic text lengths."""
    rng = np.random.default_rng(seed)
    types = TYPES[rng.integers(0, 5, n)]
    days = rng.integers(0, 61, n)
    evidence = (
        "Pakistani and Afghan forces exchanged fire overnight near the border post, officials said, "
        "and several civilians were reported among the casualties."
    )
    killed = rng.integers(0, 30, n)
    return gpd.GeoDataFrame(
        {
            "id": [f"bench-{i:06d}" for i in range(n)],
            "event_type": types,
            "sub_event_type": [SUBTYPES[t] for t in types],
            "date": [(np.datetime64("2025-10-01") + int(d)).astype(str) for d in days],
            "date_precision": "day",
            "place": "Spin Boldak",
            "place_id": "1127110",
            "country": "AF",
            "admin1": "Kandahar",
            "geo_precision": rng.integers(1, 4, n),
            "killed": killed,
            "wounded": rng.integers(0, 50, n),
            "claims": [
                [
                    {"killed": int(k), "by": "Pakistan military", "article": "dawn.txt"},
                    {"killed": int(k) + 3, "by": "Taliban spokesman", "article": "tolo.html"},
                ]
                for k in killed
            ],
            "actors": [["Pakistan Army", "Afghan Taliban"]] * n,
            "evidence": evidence,
            "sources": [
                [
                    {"article": "dawn-2025-10-12.txt", "published": "2025-10-12", "evidence": evidence},
                    {"article": "tolonews-2025-10-12.html", "published": "2025-10-12", "evidence": evidence},
                ]
            ]
            * n,
            "confidence": rng.random(n).round(2),
            "side": np.where(rng.random(n) < 0.5, "AF", "PK"),
            "border_km": (rng.random(n) * 80).round(1),
            "nearest_crossing": "Chaman border crossing",
            "crossing_km": (rng.random(n) * 60).round(1),
            "warnings": [[]] * n,
            "geometry": gpd.points_from_xy(rng.uniform(61, 74, n), rng.uniform(29, 37, n)),
        },
        crs=4326,
    )


def chromium() -> str | None:
    for path in (os.environ.get("GEOMAP_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if path and os.path.isfile(path):
            return path
    return None


def time_to_interactive(path: Path, n: int, executable: str) -> tuple[float, float]:
    """Seconds until every marker is in its cluster, and the page's JS heap in MB."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="load", timeout=600_000)
            page.wait_for_function(
                "(n) => window.geomap && window.geomap.layers && "
                "window.geomap.layers.reduce((s, l) => s + l.cluster.getLayers().length, 0) === n",
                arg=n,
                timeout=600_000,
                polling=50,
            )
            elapsed = time.perf_counter() - start
            heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : 0") / 1e6
            if errors:
                raise RuntimeError(f"page errors: {errors[:3]}")
            return elapsed, heap
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    executable = None if args.no_browser else chromium()
    out = Path(tempfile.mkdtemp(prefix="geomap-bench-map-"))
    rows = []
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            gdf = synthetic(n)
            start = time.perf_counter()
            m = mapping.render_map(gdf, title=f"{n:,} synthetic incidents")
            built = time.perf_counter() - start
            path = out / f"map-{n}.html"
            mapping.save_map(m, path)
            total = time.perf_counter() - start
            size = path.stat().st_size / 1e6
            tti, heap = (
                time_to_interactive(path, n, executable) if executable else (float("nan"), float("nan"))
            )
            rows.append((n, built, total, size, tti, heap))
            print(
                f"{n:>8,} incidents: render {built:.2f} s, with HTML {total:.2f} s, {size:.1f} MB, "
                f"interactive {tti:.2f} s",
                file=sys.stderr,
            )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(
        "| incidents | render_map (s) | + offline HTML written (s) | file (MB) "
        "| interactive in Chromium (s) | JS heap (MB) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, built, total, size, tti, heap in rows:
        print(f"| {n:,} | {built:.2f} | {total:.2f} | {size:.1f} | {tti:.2f} | {heap:.0f} |")


if __name__ == "__main__":
    main()
