"""``geomap watch`` against an RSS feed and pages served by a real HTTP server on 127.0.0.1
(started here, no mocks): each page fetched once, nothing fetched again, a new item fetched
alone, failed fetches retried on a later pass, corrections in the next export, a kill loses
nothing."""

from __future__ import annotations

import hashlib
import html
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geomap import InputError
from geomap.cli import main
from geomap.settings import SEEDS_DIR
from geomap.store import Store

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))


def page_of(text: str, title: str) -> bytes:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><nav>Home | World | Sport</nav><article><h1>{html.escape(title)}</h1>{paras}</article>"
        "</body></html>"
    ).encode()


class Site:
    """A news site on 127.0.0.1: pages, an RSS feed of them, and a log of every request."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self.broken: set[str] = set()
        self.log: list[tuple[float, str, str]] = []  # (time, path, user agent)
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                with site.lock:
                    site.log.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
                if self.path == "/feed.xml":
                    body = site.feed()
                    etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("ETag", etag)
                elif self.path in site.pages and self.path not in site.broken:
                    body = site.pages[self.path]
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                else:
                    body = b"not found"
                    self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, path: str, seed: Path) -> None:
        self.pages[path] = page_of(seed.read_text(encoding="utf-8"), seed.stem)

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>{p}</title><link>{self.url}{p}</link><guid>{self.url}{p}</guid>"
            "<pubDate>Mon, 20 Oct 2025 08:00:00 GMT</pubDate></item>"
            for p in sorted(self.pages)
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Border news</title>'
            f"<link>{self.url}/</link><description>test</description>{items}</channel></rss>"
        ).encode()

    def fetched(self) -> list[str]:
        """Pages asked for (not the feed), in order."""
        with self.lock:
            return [path for _, path, _ in self.log if path != "/feed.xml"]

    def reset(self) -> None:
        with self.lock:
            self.log.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def feature_ids(path: Path) -> list[str]:
    return [f["properties"]["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


def test_watch_fetches_each_page_once(site, tmp_path, capsys, new_store):
    site.add("/news/kabul-strikes.html", SEEDS[1])
    site.add("/news/doha-talks.html", SEEDS[2])
    store, out = new_store(), tmp_path / "out"
    args = ["watch", f"{site.url}/feed.xml", "--store", str(store), "--out", str(out), "--once"]

    code, _, err = cli(args, capsys)
    assert code == 0, err
    assert sorted(site.fetched()) == ["/news/doha-talks.html", "/news/kabul-strikes.html"]
    assert "articles 2 new, 0 known, 0 failed" in err
    assert all("geomap/" in agent for _, _, agent in site.log)  # a descriptive user agent
    times = sorted(t for t, _, _ in site.log)
    assert all(b - a >= 0.9 for a, b in zip(times, times[1:]))  # at most one request a second
    first = feature_ids(out / "incidents.geojson")
    assert first and (out / "map.html").exists()
    props = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))["features"][0]["properties"]
    assert {s["article"] for s in props["sources"]} <= {"kabul-strikes.html", "doha-talks.html"}
    with Store(store) as st:
        urls = {u for (u,) in st.db.execute("SELECT key FROM articles")}
    assert urls == {f"{site.url}/news/kabul-strikes.html", f"{site.url}/news/doha-talks.html"}

    # a second pass: the feed is unchanged (304), no page is fetched
    site.reset()
    code, _, err = cli(args, capsys)
    assert code == 0 and site.fetched() == [], err
    assert feature_ids(out / "incidents.geojson") == first

    # an analyst's correction between passes is in the next pass's export
    target = first[0]
    assert cli(["correct", str(store), target, "--killed", "99", "--by", "desk"], capsys)[0] == 0
    # a new item: fetched alone
    site.add("/news/torkham.html", SEEDS[0])
    site.reset()
    code, _, err = cli(args, capsys)
    assert code == 0, err
    assert site.fetched() == ["/news/torkham.html"]
    assert "articles 1 new, 2 known, 0 failed" in err
    feats = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    }
    assert set(first) <= set(feats)
    assert feats[target]["killed"] == 99 and feats[target]["corrected"] is True


def test_a_failed_fetch_is_retried_on_a_later_pass_and_stops_nothing(site, tmp_path, capsys, new_store):
    site.add("/a.html", SEEDS[1])
    site.add("/b.html", SEEDS[2])
    site.broken.add("/a.html")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# my list\n{site.url}/a.html\n{site.url}/b.html\n", encoding="utf-8")
    store, out = new_store(), tmp_path / "out"
    args = ["watch", str(urls), "--store", str(store), "--out", str(out), "--once"]
    code, _, err = cli(args, capsys)
    assert code == 0, err
    assert "articles 1 new, 0 known, 1 failed" in err and "a.html: HTTP 404" in err
    site.broken.clear()
    site.reset()
    code, _, err = cli(args, capsys)
    assert code == 0 and site.fetched() == ["/a.html"], err
    assert "articles 1 new, 1 known, 0 failed" in err
    with Store(store) as st:
        assert st.db.execute("SELECT status, attempts FROM fetches WHERE url LIKE '%/a.html'").fetchone() == (
            "done",
            2,
        )


def test_watch_reads_folders_and_feed_files_and_skips_a_story_seen_elsewhere(
    site, tmp_path, capsys, new_store
):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "kabul.txt").write_text(SEEDS[1].read_text(encoding="utf-8"), encoding="utf-8")
    site.add("/x.html", SEEDS[2])
    feed = tmp_path / "feed.xml"
    feed.write_bytes(site.feed())
    store, out = new_store(), tmp_path / "out"
    code, _, err = cli(
        ["watch", str(folder), str(feed), "--store", str(store), "--out", str(out), "--once"], capsys
    )
    assert code == 0 and "articles 2 new, 0 known" in err, err
    assert site.fetched() == ["/x.html"]
    # the same story arriving as a file: known by its text
    (folder / "kabul-again.txt").write_text(SEEDS[1].read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = cli(["watch", str(folder), "--store", str(store), "--out", str(out), "--once"], capsys)
    assert code == 0 and "articles 0 new, 2 known" in err, err


def test_bad_sources_are_one_line_errors(tmp_path, capsys):
    code, _, err = cli(
        ["watch", str(tmp_path / "nope"), "--store", str(tmp_path / "s.gpkg"), "--once"], capsys
    )
    assert code == 2 and "no such file, folder or URL" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_sigkill_during_a_watch_pass_loses_nothing(site, tmp_path, new_store):
    for i in range(12):
        seed = SEEDS[i % len(SEEDS)]
        text = seed.read_text(encoding="utf-8") + f"\n\nEdition {i}."
        site.pages[f"/p{i:02d}.html"] = page_of(text, f"{seed.stem} {i}")
    store, out = new_store(), tmp_path / "out"
    cmd = [sys.executable, "-m", "geomap", "watch", f"{site.url}/feed.xml", "--store", str(store)]
    cmd += ["--out", str(out), "--once"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    for delay in (4.0, 7.0):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if "://" in store or Path(store).exists():
            try:
                st = Store(store)
            except InputError:
                continue  # killed before it made the store
            with st:
                if st.dialect.name == "sqlite":
                    assert st.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                # a page marked done is a stored article, and the other way round
                done = {u for (u,) in st.db.execute("SELECT url FROM fetches WHERE status = 'done'")}
                stored = {u for (u,) in st.db.execute("SELECT key FROM articles")}
                assert done == stored
    site.reset()
    final = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    with Store(store) as st:
        assert st.counts()["articles"] == 12
        assert not st.db.execute("SELECT 1 FROM pending").fetchall()
    # nothing stored before the kills was fetched again
    fetched = site.fetched()
    assert len(fetched) == len(set(fetched)) and len(fetched) <= 12


@pytest.mark.slow
def test_ctrl_c_ends_a_watch_between_articles(site, tmp_path):
    for i in range(8):
        seed = SEEDS[i % len(SEEDS)]
        site.pages[f"/q{i}.html"] = page_of(seed.read_text(encoding="utf-8") + f"\n\nEdition {i}.", seed.stem)
    store, out = tmp_path / "s.gpkg", tmp_path / "out"
    cmd = [sys.executable, "-m", "geomap", "watch", f"{site.url}/feed.xml", "--store", str(store)]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen(
        [*cmd, "--out", str(out), "--every", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "stopping after the current article" in err and "Traceback" not in err
    assert (out / "map.html").exists()  # the pass's outputs were written before it ended
    with Store(store) as st:
        done = st.counts()["articles"]
        assert 0 < done < 8
        assert not st.db.execute("SELECT 1 FROM pending").fetchall()
    site.reset()
    final = subprocess.run(
        [*cmd, "--out", str(out), "--once"], env=env, capture_output=True, text=True, timeout=600
    )
    assert final.returncode == 0, final.stderr
    assert len(site.fetched()) == 8 - done


def test_an_empty_inbox_is_no_news(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    store, out = tmp_path / "s.gpkg", tmp_path / "out"
    code, _, err = cli(["watch", str(inbox), "--store", str(store), "--out", str(out), "--once"], capsys)
    assert code == 0 and "articles 0 new, 0 known, 0 failed" in err, err
    assert (out / "map.html").exists()
