"""Border fields for many incidents at once (issue 9): side, distance to the Afghanistan–Pakistan
line and the nearest crossing, vectorised with an STRtree and pyproj's Geod.

    python benchmarks/bench_border.py [--sizes 1000,10000,100000]

Points are drawn uniformly over Afghanistan, Pakistan and their neighbours (seeded, repeatable).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np

from geomap.border import add_border_fields, border_line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    border_line()  # load the geometry once, as a long-running process would
    add_border_fields(gpd.GeoDataFrame(geometry=gpd.points_from_xy([69.0], [33.0]), crs="EPSG:4326"))
    rng = np.random.default_rng(9)
    print("| points | seconds | points/s |")
    print("| ---: | ---: | ---: |")
    for n in (int(s) for s in args.sizes.split(",")):
        lon = rng.uniform(60.0, 78.0, n)
        lat = rng.uniform(24.0, 38.0, n)
        gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        start = time.perf_counter()
        out = add_border_fields(gdf)
        elapsed = time.perf_counter() - start
        assert out["border_km"].notna().sum() > 0
        print(f"| {n:,} | {elapsed:.2f} | {n / elapsed:,.0f} |")


if __name__ == "__main__":
    main()
