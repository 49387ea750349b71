"""The opt-in online fallback against a real Nominatim-compatible HTTP server on 127.0.0.1.

No mock objects and no network beyond the loopback: the tests start a small ``http.server`` that
answers ``/search`` like Nominatim (from ``tests/data/online/nominatim_search.json``), counts the
requests and records their headers, and point :class:`geomap.online.OnlineGeocoder` at it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from geomap import settings
from geomap.models import PLACE_KINDS, Place
from geomap.online import SOURCE, OnlineGeocoder, cache_file_name, cache_key

DATA = Path(__file__).parent / "data" / "online" / "nominatim_search.json"
ANSWERS: dict[str, list] = {
    k: v for k, v in json.loads(DATA.read_text(encoding="utf-8")).items() if not k.startswith("_")
}

FAST = 0.05  # min_delay in tests


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"  # ok | error | slow | garbage
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def count(self, q: str | None = None) -> int:
        with self.lock:
            return sum(1 for r in self.requests if q is None or r["params"].get("q") == q)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self.server.lock:
            self.server.requests.append({"path": url.path, "params": params, "headers": dict(self.headers)})
        mode = self.server.mode
        if mode == "slow":
            time.sleep(3)
        if mode == "error":
            self._send(503, b'{"error": "Service Unavailable"}')
            return
        if url.path != "/search":
            self._send(404, b"[]")
            return
        if mode == "garbage":
            self._send(200, b"<html>not json</html>", "text/html")
            return
        answer = ANSWERS.get(" ".join(params.get("q", "").split()).casefold(), [])
        limit = int(params.get("limit", "10"))
        self._send(200, json.dumps(answer[:limit]).encode("utf-8"))

    def _send(self, status: int, body: bytes, ctype: str = "application/json; charset=utf-8") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out
            pass


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Nothing may route the loopback requests elsewhere."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache" / "nominatim-test.json"


def _geocoder(server: _Server, cache: Path, **kw) -> OnlineGeocoder:
    kw.setdefault("min_delay", FAST)
    return OnlineGeocoder(domain=f"127.0.0.1:{server.port}", scheme="http", cache_path=cache, **kw)


def _entries(cache: Path) -> dict:
    return json.loads(cache.read_text(encoding="utf-8"))["entries"]


# -- answers ---------------------------------------------------------------------------------------


def test_known_name_gives_place(server, cache):
    place = _geocoder(server, cache).lookup("Torkham")
    assert isinstance(place, Place)
    assert place.place_id == "osm:node:1834567890"
    assert place.name == "Torkham"
    assert place.lat == pytest.approx(34.1152) and place.lon == pytest.approx(71.0939)
    assert place.kind == "village"
    assert place.country == "PK"
    assert place.source == SOURCE == "Nominatim (OpenStreetMap, ODbL)"
    assert server.count() == 1
    request = server.requests[0]
    assert request["path"] == "/search"
    params = request["params"]
    assert params["q"] == "Torkham"
    assert params["format"] == "json"
    assert params["addressdetails"] == "1"
    assert params["accept-language"] == "en"
    assert params["limit"] == "1"


@pytest.mark.parametrize(
    "name, kind, country, place_id",
    [
        ("Kabul", "city", "AF", "osm:relation:6278091"),
        ("Jalalabad", "city", "AF", "osm:node:287654321"),
        ("Nangarhar", "province", "AF", "osm:relation:6278086"),
        ("Kurram", "district", "PK", "osm:relation:2746342"),
        ("Afghanistan", "country", "AF", "osm:relation:303427"),
        ("Arabian Sea", "sea", None, "osm:node:305640328"),
        ("Bala Hissar", "landmark", "AF", "osm:way:123456789"),
    ],
)
def test_kinds_and_ids(server, cache, name, kind, country, place_id):
    place = _geocoder(server, cache).lookup(name)
    assert place is not None
    assert place.kind == kind and place.kind in PLACE_KINDS
    assert place.country == country
    assert place.place_id == place_id
    raw = ANSWERS[name.casefold()][0]
    assert place.lat == pytest.approx(float(raw["lat"])) and place.lon == pytest.approx(float(raw["lon"]))
    assert place.name == raw["display_name"].split(",")[0]


def test_user_agent_is_settings_user_agent(server, cache):
    _geocoder(server, cache).lookup("Kabul")
    assert server.count() == 1
    headers = {k.lower(): v for k, v in server.requests[0]["headers"].items()}
    assert headers["user-agent"] == settings.USER_AGENT
    assert settings.USER_AGENT.startswith("geomap/")


def test_unknown_name_is_none_and_cached_as_miss(server, cache):
    geo = _geocoder(server, cache)
    assert geo.lookup("Atlantis Nowhere") is None
    assert server.count() == 1
    assert geo.lookup("Atlantis Nowhere") is None
    assert server.count() == 1
    assert _entries(cache) == {"atlantis nowhere": None}
    again = _geocoder(server, cache)
    assert again.cached("Atlantis Nowhere")
    assert again.lookup("Atlantis Nowhere") is None
    assert server.count() == 1


# -- cache -----------------------------------------------------------------------------------------


def test_cached_in_memory_on_disk_and_across_instances(server, cache):
    geo = _geocoder(server, cache)
    first = geo.lookup("Kabul")
    assert server.count() == 1
    assert geo.lookup("Kabul") == first
    assert geo.lookup("  KABUL ") == first  # same question, other spelling of white space and case
    assert server.count() == 1
    assert "kabul" in _entries(cache)
    fresh = _geocoder(server, cache)
    assert fresh.lookup("Kabul") == first
    assert server.count() == 1
    # only the cache file (and its lock) in the folder: no temporary files left behind
    assert sorted(p.name for p in cache.parent.iterdir()) == sorted([cache.name, cache.name + ".lock"])


def test_cache_is_shared_across_processes(server, cache):
    geo = _geocoder(server, cache)
    kabul = geo.lookup("Kabul")
    assert geo.lookup("Nowhere At All") is None
    assert server.count() == 2
    code = (
        "import json, sys\n"
        "from geomap.online import OnlineGeocoder\n"
        "g = OnlineGeocoder(domain=sys.argv[1], scheme='http', min_delay=0.05, cache_path=sys.argv[2])\n"
        "out = {}\n"
        "for n in ('Kabul', 'Nowhere At All', 'Torkham'):\n"
        "    p = g.lookup(n)\n"
        "    out[n] = None if p is None else [p.place_id, p.lat, p.lon, p.kind]\n"
        "print(json.dumps(out))\n"
    )
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    proc = subprocess.run(
        [sys.executable, "-c", code, f"127.0.0.1:{server.port}", str(cache)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["Kabul"] == [kabul.place_id, kabul.lat, kabul.lon, kabul.kind]
    assert out["Nowhere At All"] is None
    assert out["Torkham"][0] == "osm:node:1834567890"
    # the other process asked only for the name it did not find in the cache ...
    assert server.count() == 3 and server.count("Torkham") == 1
    # ... and this process sees its answer without asking (it reads the file before any request)
    assert geo.lookup("Torkham").place_id == "osm:node:1834567890"
    assert server.count() == 3


def test_default_cache_path_is_safe_name_in_user_cache_dir(server, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "user-cache"))
    geo = OnlineGeocoder(domain=f"127.0.0.1:{server.port}", scheme="http", min_delay=FAST)
    assert geo.cache_path.parent == tmp_path / "user-cache"
    assert re.fullmatch(r"nominatim-[0-9a-f]{16}\.json", geo.cache_path.name)
    assert geo.lookup("Kabul") is not None
    assert geo.cache_path.is_file()
    assert json.loads(geo.cache_path.read_text(encoding="utf-8"))["version"] == 1
    # another service, another file; a hostile domain cannot steer the path
    assert cache_file_name("example.org", "https") != cache_file_name(f"127.0.0.1:{server.port}", "http")
    evil = OnlineGeocoder(domain="../../etc/passwd", scheme="http", min_delay=FAST)
    assert evil.cache_path.parent == tmp_path / "user-cache"
    assert re.fullmatch(r"nominatim-[0-9a-f]{16}\.json", evil.cache_path.name)


def test_defaults_come_from_settings(server, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(settings, "NOMINATIM_DOMAIN", f"127.0.0.1:{server.port}")
    monkeypatch.setattr(settings, "NOMINATIM_SCHEME", "http")
    monkeypatch.setattr(settings, "NOMINATIM_MIN_DELAY", 0.01)
    geo = OnlineGeocoder()
    assert (geo.domain, geo.scheme, geo.min_delay) == (f"127.0.0.1:{server.port}", "http", 0.01)
    assert geo.cache_path == tmp_path / cache_file_name(f"127.0.0.1:{server.port}", "http")
    assert geo.lookup("Torkham").kind == "village"
    assert server.count() == 1


def test_production_defaults():
    assert settings.NOMINATIM_MIN_DELAY >= 1.0 or "GEOMAP_NOMINATIM_MIN_DELAY" in os.environ
    assert "geomap" in settings.USER_AGENT and "(" in settings.USER_AGENT  # descriptive


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json at all",
        b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00.",  # a pickle is data, never unpickled
        b"[1, 2, 3]",
        b'{"version": 99, "entries": {"kabul": null}}',
        b'{"version": 1, "entries": {"kabul": {"place_id": 5, "lat": "x"}}}',
        b'{"version": 1, "entries": {"kabul": {"place_id": "osm:node:1", "name": "K", '
        b'"lat": 999, "lon": 0, "kind": "city", "country": null}}}',
        b'{"version": 1, "entries": {"kabul": {"place_id": "osm:node:1", "name": "K", '
        b'"lat": 1, "lon": 0, "kind": "palace", "country": null}}}',
    ],
)
def test_broken_or_hostile_cache_is_ignored(server, cache, content):
    cache.parent.mkdir(parents=True)
    cache.write_bytes(content)
    geo = _geocoder(server, cache)
    place = geo.lookup("Kabul")
    assert place is not None and place.place_id == "osm:relation:6278091"
    assert server.count() == 1
    assert _entries(cache)["kabul"]["place_id"] == "osm:relation:6278091"  # rewritten, valid


def test_valid_entries_survive_beside_bad_ones(server, cache):
    cache.parent.mkdir(parents=True)
    good = {
        "place_id": "osm:node:7",
        "name": "Cached Town",
        "lat": 30.5,
        "lon": 70.25,
        "kind": "town",
        "country": "PK",
    }
    cache.write_text(
        json.dumps({"version": 1, "entries": {"cached town": good, "bad": {"x": 1}, "miss": None}})
    )
    geo = _geocoder(server, cache)
    assert geo.lookup("Cached Town") == Place(
        "osm:node:7", "Cached Town", 30.5, 70.25, "town", "PK", source=SOURCE
    )
    assert geo.lookup("miss") is None
    assert server.count() == 0


def test_cache_key_and_blank_names(server, cache):
    assert cache_key("  Spin   Boldak ") == cache_key("spin boldak") == "spin boldak"
    geo = _geocoder(server, cache)
    assert geo.lookup("   ") is None and geo.lookup("") is None
    assert server.count() == 0


# -- failures --------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_down_returns_none_and_caches_nothing(cache, capsys):
    geo = OnlineGeocoder(
        domain=f"127.0.0.1:{_closed_port()}", scheme="http", min_delay=FAST, cache_path=cache
    )
    assert geo.lookup("Kabul") is None
    assert not geo.cached("Kabul")
    assert not cache.exists() or "kabul" not in _entries(cache)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Kabul" in err[0] and "not cached" in err[0]


def test_http_error_not_cached_and_retried(server, cache, capsys):
    geo = _geocoder(server, cache)
    server.mode = "error"
    assert geo.lookup("Kabul") is None
    assert server.count() == 1
    assert not cache.exists() or "kabul" not in _entries(cache)
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    server.mode = "ok"
    assert geo.lookup("Kabul").kind == "city"  # asked again, now answered
    assert server.count() == 2
    # a next run asks nothing
    assert _geocoder(server, cache).lookup("Kabul").kind == "city"
    assert server.count() == 2


def test_unparsable_answers_not_cached(server, cache, capsys):
    geo = _geocoder(server, cache)
    server.mode = "garbage"
    assert geo.lookup("Kabul") is None
    server.mode = "ok"
    assert geo.lookup("bad coordinates") is None  # a point off the globe is no answer
    assert not geo.cached("Kabul") and not geo.cached("bad coordinates")
    assert len(capsys.readouterr().err.strip().splitlines()) == 2


def test_timeout_returns_none(server, cache, capsys):
    server.mode = "slow"
    geo = _geocoder(server, cache, timeout=0.3)
    start = time.monotonic()
    assert geo.lookup("Kabul") is None
    assert time.monotonic() - start < 2.5  # the server answers after 3 s
    assert not geo.cached("Kabul")
    assert "timed out" in capsys.readouterr().err


def test_gives_up_after_failures_in_a_row(server, cache, capsys):
    server.mode = "error"
    geo = _geocoder(server, cache)
    names = ["Kabul", "Torkham", "Nangarhar", "Kurram", "Jalalabad"]
    assert [geo.lookup(n) for n in names] == [None] * 5
    assert server.count() == geo.max_failures == 3
    assert len(capsys.readouterr().err.strip().splitlines()) == 4  # three failures and the giving up
    server.mode = "ok"
    assert _geocoder(server, cache).lookup("Kurram").kind == "district"  # a new run tries again


# -- rate limit ------------------------------------------------------------------------------------


def test_rate_limit(server, cache):
    geo = _geocoder(server, cache, min_delay=0.3)
    start = time.monotonic()
    for name in ("Kabul", "Torkham", "Nangarhar"):
        assert geo.lookup(name) is not None
    elapsed = time.monotonic() - start
    assert server.count() == 3
    assert elapsed >= 0.6
    # cached answers do not wait
    start = time.monotonic()
    for name in ("Kabul", "Torkham", "Nangarhar"):
        geo.lookup(name)
    assert time.monotonic() - start < 0.25  # a wait would be 0.3 s
    assert server.count() == 3


def test_rate_limit_shared_by_geocoders_on_one_cache(server, cache):
    """Each worker process has its own geocoder; sharing the cache, they share the rate limit."""
    a, b = _geocoder(server, cache, min_delay=0.3), _geocoder(server, cache, min_delay=0.3)
    start = time.monotonic()
    for geo, name in ((a, "Kabul"), (b, "Torkham"), (a, "Nangarhar"), (b, "Kurram")):
        assert geo.lookup(name) is not None
    assert time.monotonic() - start >= 0.9
    assert server.count() == 4
    assert b.lookup("Kabul").kind == "city"  # b reads a's answer from the file
    assert server.count() == 4


def _share_the_gazetteer_index(cache_dir: Path) -> None:
    """Give a fresh cache folder a copy of the compiled gazetteer index, which other tests build
    (its own building is tested in test_gazetteer), so that a CLI run there does not build it."""
    import shutil

    from geomap.gazetteer import default_gazetteer, index_path

    built = default_gazetteer().path
    cache_dir.mkdir(parents=True, exist_ok=True)
    if built is not None and Path(built).is_file():
        shutil.copyfile(built, cache_dir / index_path().name)


def _cli_places(tmp_path: Path, server: _Server, *extra: str) -> dict:
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text("Fighting was reported in Bala Hissar and in Kabul on Monday.", encoding="utf-8")
    _share_the_gazetteer_index(tmp_path / "cache")
    env = dict(
        os.environ,
        GEOMAP_NOMINATIM_DOMAIN=f"127.0.0.1:{server.port}",
        GEOMAP_NOMINATIM_SCHEME="http",
        GEOMAP_NOMINATIM_MIN_DELAY="0.05",
        GEOMAP_CACHE_DIR=str(tmp_path / "cache"),
    )
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env.pop(var, None)
    proc = subprocess.run(
        [sys.executable, "-m", "geomap", "places", str(article), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return {f["properties"]["mention"]: f["properties"] for f in json.loads(proc.stdout)["features"]}


def test_cli_online_looks_up_what_the_gazetteer_lacks(server, tmp_path):
    """`geomap places --online` asks the loopback Nominatim for the unknown name after "in"; the
    known one comes from the gazetteer, and without --online nothing is asked."""
    offline = _cli_places(tmp_path, server)
    assert "Bala Hissar" not in offline and "Kabul" in offline
    assert server.count() == 0
    online = _cli_places(tmp_path, server, "--online")
    assert online["Bala Hissar"]["place_id"].startswith("osm:")
    assert online["Kabul"]["place_id"] == offline["Kabul"]["place_id"]
    assert server.count("Bala Hissar") == 1
