"""Shared fixtures.

Browser fixtures (``@pytest.mark.browser`` tests): Playwright driving Debian's Chromium
(``/usr/lib/chromium/chromium`` or ``/usr/bin/chromium``), ``GEOMAP_CHROMIUM`` if set, or
Playwright's own Chromium when it is installed. Headless, no network (every host name resolves to
nothing but 127.0.0.1) and a fresh profile. In CI (``CI`` set) a missing browser fails the tests;
locally it skips them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_chromium() -> str | None:
    """Path of a Chromium to drive: GEOMAP_CHROMIUM, Debian's, or Playwright's own."""
    candidates = [
        os.environ.get("GEOMAP_CHROMIUM"),
        "/usr/lib/chromium/chromium",
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
        if path and os.path.isfile(path):
            return path
    except Exception:  # noqa: BLE001 - no Playwright browser installed
        pass
    return None


def _no_browser(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        _no_browser("no Chromium found (apt-get install chromium, or set GEOMAP_CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A headless Chromium with no network and a fresh profile (one per session)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed")
    profile = tempfile.mkdtemp(prefix="geomap-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


class OpenedPage:
    """A page with its errors, console errors and requests recorded."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("request", lambda req: self.requests.append(req.url))


@pytest.fixture
def open_page(browser):
    """Open a local HTML file in a new tab: ``open_page(path) -> OpenedPage``; closed afterwards."""
    pages = []

    def opener(path: Path, wait_ms: int = 300) -> OpenedPage:
        page = browser.new_page()
        opened = OpenedPage(page)
        pages.append(page)
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.geomap && window.geomap.layers", timeout=30000)
        page.wait_for_timeout(wait_ms)
        return opened

    yield opener
    for page in pages:
        page.close()


# ------------------------------------------------------------------------------------ map data


@pytest.fixture(scope="session")
def map_features() -> list[dict]:
    """The map fixture: 12 incidents of all five types (Kabul, Kurram, Torkham, Chaman, Spin
    Boldak, Paktika, Doha, Istanbul) with claims and sources."""
    with open(DATA / "map" / "incidents.geojson", encoding="utf-8") as fh:
        return json.load(fh)["features"]


@pytest.fixture
def map_incidents(map_features):
    """The map fixture as a GeoDataFrame (list columns kept as lists)."""
    import copy

    import geopandas as gpd

    return gpd.GeoDataFrame.from_features(copy.deepcopy(map_features), crs=4326)


#: XSS payloads that must stay inert wherever article text reaches the map.
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "</script><script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    "javascript:window.__xss=1",
    "${window.__xss=1}`;window.__xss=1;`",
    "</title><script>window.__xss=1</script>",
]


def _hostile_incidents():
    """Incidents whose every text field carries an XSS payload."""
    import geopandas as gpd
    from shapely.geometry import Point

    rows = []
    for i, p in enumerate(PAYLOADS):
        rows.append(
            {
                "id": f"x{i}{p}",
                "event_type": ["strike", "clash", "crossing", "negotiation", "displacement"][i % 5],
                "sub_event_type": p,
                "date": "2025-10-1" + str(i % 9),
                "date_precision": "day",
                "place": p,
                "place_id": p,
                "country": "AF",
                "admin1": p,
                "geo_precision": 1 + i % 3,
                "killed": i,
                "wounded": None,
                "claims": [{"killed": i, "by": p, "article": p}, {"killed": i + 1, "by": p, p: p}],
                "actors": [p, "Pakistan Army"],
                "evidence": f"Evidence {p} here.",
                "sources": [{"article": p, "published": p, "evidence": p}],
                "confidence": 0.5,
                "side": "PK",
                "border_km": 3.0,
                "nearest_crossing": p,
                "crossing_km": 1.0,
                "warnings": [p],
                "geometry": Point(69.0 + i * 0.3, 33.0 + i * 0.2),
            }
        )
    return gpd.GeoDataFrame(rows, crs=4326)


def synthetic(n: int, seed: int = 1):
    """n synthetic incidents in the border region (for scale tests and benchmarks)."""
    import geopandas as gpd
    import numpy as np

    rng = np.random.default_rng(seed)
    types = np.array(["strike", "clash", "crossing", "negotiation", "displacement"])
    days = rng.integers(0, 60, n)
    return gpd.GeoDataFrame(
        {
            "id": [f"s{i}" for i in range(n)],
            "event_type": types[rng.integers(0, 5, n)],
            "sub_event_type": "armed clash",
            "date": [f"2025-{10 + d // 31:02d}-{d % 31 + 1:02d}" if d % 31 < 28 else None for d in days],
            "date_precision": "day",
            "place": "Somewhere",
            "geo_precision": rng.integers(1, 4, n),
            "killed": rng.integers(0, 20, n),
            "wounded": None,
            "actors": [["Pakistan Army", "Afghan Taliban"]] * n,
            "evidence": "Officials said fighting broke out near the border.",
            "sources": [[{"article": "a.txt", "published": "2025-10-10", "evidence": "Fighting broke out."}]]
            * n,
            "border_km": rng.random(n) * 80,
            "geometry": gpd.points_from_xy(rng.uniform(61, 74, n), rng.uniform(29, 37, n)),
        },
        crs=4326,
    )


@pytest.fixture
def xss_payloads() -> list[str]:
    return list(PAYLOADS)


@pytest.fixture
def hostile_incidents():
    """Incidents whose every text field carries one of ``PAYLOADS``."""
    return _hostile_incidents()


@pytest.fixture
def synthetic_incidents():
    """``synthetic_incidents(n)``: n synthetic incidents of all types."""
    return synthetic


# -- hypothesis profiles (issue 8: property-based tests over the pipeline) -----------------------
# "ci" (the default) runs the example counts written on each test (≥ 2,000 in all); "long" runs
# ten times as many: GEOMAP_HYPOTHESIS_PROFILE=long pytest tests/test_properties.py
try:
    from hypothesis import HealthCheck as _HealthCheck
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("ci", deadline=None, suppress_health_check=[_HealthCheck.too_slow])
    _hyp_settings.register_profile(
        "long", deadline=None, suppress_health_check=[_HealthCheck.too_slow], max_examples=10 * 800
    )
    _hyp_settings.load_profile(os.environ.get("GEOMAP_HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover - hypothesis is a test extra
    pass


# --------------------------------------------------------------------------------------------- slow
# Tests marked ``slow`` (long fuzzing runs, clusters, servers, kill trials) run only with --slow
# (or GEOMAP_SLOW_TESTS=1): scripts/test.sh runs the default suite, then ``--slow -m slow``.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", default=False, help="also run the tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow") or os.environ.get("GEOMAP_SLOW_TESTS"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (scripts/test.sh does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# ---------------------------------------------------------------------------------------------
# Stores: a GeoPackage file, or a database on the PostgreSQL/PostGIS test server that
# scripts/test.sh starts (scripts/pg_server.sh) and names in GEOMAP_TEST_PG. In CI a missing
# server fails the PostGIS tests; locally they skip.

STORE_BACKENDS = ("gpkg", "postgis")


def _pg_admin_url() -> str | None:
    url = os.environ.get("GEOMAP_TEST_PG", "").strip()
    if not url:
        if _in_ci():
            pytest.fail("the PostGIS store tests must run in CI: GEOMAP_TEST_PG is not set", pytrace=False)
        pytest.skip("no PostgreSQL test server (scripts/pg_server.sh start DIR; set GEOMAP_TEST_PG)")
    return url


@pytest.fixture(params=STORE_BACKENDS)
def new_store(request, tmp_path):
    """A factory of addresses of new, empty stores of one kind (a test may want several): a
    GeoPackage path, or the URL of a fresh database (a copy of the test server's PostGIS
    template database, dropped after the test)."""
    if request.param == "gpkg":
        names = iter(range(1_000))
        yield lambda: str(tmp_path / f"store{next(names)}.gpkg")
        return
    import uuid

    import psycopg

    template = _pg_admin_url()
    base, _, template_db = template.rpartition("/")
    made: list[str] = []

    def make() -> str:
        name = f"geomap_t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
        made.append(name)
        return f"{base}/{name}"

    yield make
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
