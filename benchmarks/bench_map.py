"""Map scale benchmark: build time, file size and time to interactive of synthetic incident maps.

    PYTHONPATH=. python benchmarks/bench_map.py [--sizes 1000,10000,100000] [--no-browser]

For each size: ``render_map`` + offline HTML (build), the file size, and in headless Chromium
(Debian's, or ``GEOMAP_CHROMIUM``) the time from navigation until every marker is in the map's
cluster ("interactive"), then the time of a filter change as a user makes it: a new date range
from the timeline, a text search (each with the markers re-clustered, the counts, list and
histogram redrawn, measured until the page is done). Not part of the test suite.
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


FILTER = """async () => {
    const g = window.geomap, lo = Math.min(...g.rows.slice(0, 1000).map(r => r[6]));
    const drawn = () => new Promise(done => {
        const wait = () => (g.drawing() ? setTimeout(wait, 5) : done());
        wait();
    });
    const out = [];
    for (const change of [
        () => g.filterDates(lo + 10, lo + 20, true),
        () => { g.setText('torkham', ''); g.refresh(); },
        () => { g.setText('', ''); g.filterDates(null, null, true); },
    ]) {
        const t0 = performance.now();
        change();
        const t1 = performance.now();  // the counts, list and timeline are updated
        await drawn();
        out.push([(t1 - t0) / 1000, (performance.now() - t0) / 1000]);
    }
    return out;
}"""


def time_to_interactive(path: Path, n: int, executable: str) -> tuple[float, float, list[list[float]]]:
    """Seconds until every marker is in the cluster, the page's JS heap in MB, and for three
    filter changes (a 10-day range, a text search, back to everything) the seconds until the
    counts, list and timeline are updated and until the markers are re-clustered."""
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
                "(n) => window.geomap && window.geomap.started && "
                "window.geomap.cluster.getLayers().length === n",
                arg=n,
                timeout=600_000,
                polling=50,
            )
            elapsed = time.perf_counter() - start
            heap = page.evaluate("() => performance.memory ? performance.memory.usedJSHeapSize : 0") / 1e6
            changes = page.evaluate(FILTER)
            if errors:
                raise RuntimeError(f"page errors: {errors[:3]}")
            return elapsed, heap, changes
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
            nan = float("nan")
            tti, heap, changes = (
                time_to_interactive(path, n, executable) if executable else (nan, nan, [[nan, nan]] * 3)
            )
            counts = max(c[0] for c in changes)
            markers = max(c[1] for c in changes)
            rows.append((n, built, total, size, tti, heap, counts, markers))
            print(
                f"{n:>8,} incidents: render {built:.2f} s, with HTML {total:.2f} s, {size:.1f} MB, "
                f"interactive {tti:.2f} s, filter change: counts/list/timeline {counts:.3f} s, "
                f"markers {markers:.3f} s",
                file=sys.stderr,
            )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(
        "| incidents | render_map (s) | + offline HTML written (s) | file (MB) "
        "| interactive in Chromium (s) | JS heap (MB) | filter change: counts, list, timeline (s) "
        "| filter change: markers re-clustered (s) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, built, total, size, tti, heap, counts, markers in rows:
        print(
            f"| {n:,} | {built:.2f} | {total:.2f} | {size:.1f} | {tti:.2f} | {heap:.0f} "
            f"| {counts:.3f} | {markers:.3f} |"
        )


if __name__ == "__main__":
    main()
