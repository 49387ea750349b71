"""Regenerate the README's picture, ``docs/map.png``, from the map ``geomap build`` makes.

    python scripts/map_picture.py [--out docs/map.png] [--size 1400x900]

Builds the bundled seed articles with ``geomap build`` (the same command a user runs) into a
temporary folder, opens its ``map.html`` from disk in headless Chromium (Debian's ``chromium``, or
``GEOMAP_CHROMIUM``) with the network blocked, waits for the map to settle and saves a screenshot
of the page as it opens. Needs the test extras (Playwright).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Afghanistan–Pakistan border incidents, Oct–Nov 2025"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def chromium() -> str:
    for path in (os.environ.get("GEOMAP_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if path and os.path.isfile(path):
            return path
    sys.exit("no Chromium found: apt-get install chromium, or set GEOMAP_CHROMIUM")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "map.png"))
    parser.add_argument("--size", default="1400x900", help="viewport, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="geomap-picture-"))
    try:
        subprocess.run(
            [sys.executable, "-m", "geomap", "build", "--out", str(folder), "--title", TITLE],
            check=True,
            cwd=ROOT,
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), headless=True, args=ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((folder / "map.html").resolve().as_uri(), wait_until="load")
                page.wait_for_function("() => window.geomap && window.geomap.started", timeout=60_000)
                page.wait_for_timeout(1000)
                Path(args.out).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=args.out)
            finally:
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
