"""``geomap watch``: follow folders, RSS/Atom feeds and files of URLs into a store.

A pass reads every SOURCE: a folder's (or an article file's) new articles, as ``build --store``
does; a feed's items (fetched with a conditional request, parsed with feedparser) and a URL list's
lines, each item's page fetched once. A page is fetched only while its URL is not done in the
store (``fetches``); a failed fetch is recorded and tried again on a later pass, and never stops
the others. Each article is stored in its own transaction, with its fetch marked done in the same
one, so a pass killed at any moment loses nothing and the next resumes. After each pass the
reports are merged and the outputs rewritten (by the caller's ``write``).

HTTP: a descriptive user agent (:data:`geomap.settings.USER_AGENT`), a timeout, retries with
exponential backoff on timeouts, connection errors, 429 and 5xx, and at most one request per
``GEOMAP_FETCH_INTERVAL`` seconds (default 1) to any one host.

SIGINT and SIGTERM end the watch between articles: the article being processed is finished (a
second Ctrl-C stops at once, rolling the article back), the pass's reports merged and the outputs
written.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import settings
from ._errors import InputError
from .store import PassStats, Store, add_paths, process_article, text_key, utc_now

#: Seconds between two requests to one host (at most one a second by default).
FETCH_INTERVAL = float(os.environ.get("GEOMAP_FETCH_INTERVAL", "1.0"))
#: Seconds a request may take.
FETCH_TIMEOUT = 20.0
#: Tries per page in one pass, with a backoff of 1, 2, 4... seconds between them.
FETCH_TRIES = 3
#: Largest page read (bytes).
MAX_PAGE_BYTES = 20_000_000

_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """A page or feed could not be fetched (after the retries)."""


@dataclass
class Page:
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    modified: str | None = None


class Fetcher:
    """An HTTP client for feeds and pages: user agent, timeout, retries with backoff, and a
    minimum interval between requests to one host."""

    def __init__(
        self, *, interval: float = FETCH_INTERVAL, timeout: float = FETCH_TIMEOUT, tries: int = FETCH_TRIES
    ) -> None:
        self.interval, self.timeout, self.tries = interval, timeout, tries
        self._last: dict[str, float] = {}
        self.requests = 0

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = last + self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last[host] = time.monotonic()

    def get(self, url: str, *, etag: str | None = None, modified: str | None = None) -> Page:
        host = urllib.parse.urlsplit(url).netloc.lower()
        headers = {"User-Agent": settings.USER_AGENT, "Accept": "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        problem = ""
        for attempt in range(self.tries):
            if attempt:
                time.sleep(2.0 ** (attempt - 1))
            self._wait_turn(host)
            self.requests += 1
            try:
                with urllib.request.urlopen(
                    urllib.request.Request(url, headers=headers), timeout=self.timeout
                ) as r:
                    body = r.read(MAX_PAGE_BYTES + 1)
                    if len(body) > MAX_PAGE_BYTES:
                        raise FetchError(f"over {MAX_PAGE_BYTES // 1_000_000} MB")
                    return Page(
                        r.status,
                        body,
                        r.headers.get("Content-Type", ""),
                        r.headers.get("ETag"),
                        r.headers.get("Last-Modified"),
                    )
            except urllib.error.HTTPError as exc:
                if exc.code == 304:
                    return Page(304, b"", "")
                problem = f"HTTP {exc.code} {exc.reason}"
                if exc.code not in _RETRY_STATUS:
                    break
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                problem = f"cannot fetch ({reason})"
        raise FetchError(problem)


def page_name(url: str) -> str:
    """An article's name for a fetched page: the last part of its URL's path (else its host)."""
    parts = urllib.parse.urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return urllib.parse.unquote(last) or parts.netloc


def article_from_page(url: str, page: Page, published: date | None, fallback: date | None) -> Any:
    """The article of a fetched page (HTML through trafilatura, else text), named after its URL.
    ``fallback`` (the feed's date of the item) dates it when the page itself says nothing."""
    from .articles import read_article

    is_html = "html" in page.content_type.lower() or page.body.lstrip()[:1] == b"<"
    with tempfile.TemporaryDirectory(prefix="geomap-page-") as tmp:
        file = Path(tmp) / ("page.html" if is_html else "page.txt")
        file.write_bytes(page.body)
        article = read_article(file, published, url=url)
        if article.published is None and fallback is not None:
            article = read_article(file, fallback, url=url)
    article.name = page_name(url)
    article.path = url
    return article


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def source_kind(source: str) -> str:
    """``feed`` (a URL, or a file holding RSS/Atom), ``urls`` (a file of URLs, one a line) or
    ``articles`` (a folder or an article file)."""
    if _is_url(source):
        return "feed"
    path = Path(source)
    if not path.exists():
        raise InputError("no such file, folder or URL", path)
    if path.is_dir():
        return "articles"
    try:
        head = path.read_bytes()[:4096]
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path) from exc
    text = head.decode("utf-8", "replace").lstrip("\ufeff").lstrip()
    if text.startswith("<") and ("<rss" in text or "<feed" in text or "<rdf" in text.lower()):
        return "feed"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if lines and all(_is_url(ln) for ln in lines):
        return "urls"
    return "articles"


def _feed_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                return None
    return None


def queue_items(
    store: Store, source: str, items: list[tuple[str, date | None]], feed: Page | None = None
) -> None:
    """Queue items' pages to fetch (those not seen before), and remember the feed's validators,
    in one transaction: a pass killed after this fetches them on the next, unchanged feed or not."""
    with store.transaction():
        store.db.executemany(
            "INSERT INTO fetches (url, source, status, published) VALUES (?, ?, 'new', ?)"
            " ON CONFLICT DO NOTHING",
            [(url, source, when.isoformat() if when else None) for url, when in items],
        )
        if feed is not None:
            store.db.execute(
                "INSERT INTO feeds VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                " modified = excluded.modified",
                (source, feed.etag, feed.modified),
            )


def feed_items(store: Store, source: str, fetcher: Fetcher) -> list[str]:
    """Queue a feed's items and return their URLs; a feed URL is asked with its last
    ETag/Last-Modified (an unchanged feed costs one small answer and gives no items)."""
    import feedparser

    page = None
    if _is_url(source):
        row = store.db.execute("SELECT etag, modified FROM feeds WHERE url = ?", (source,)).fetchone()
        page = fetcher.get(source, etag=row[0] if row else None, modified=row[1] if row else None)
        if page.status == 304:
            return []
        data = page.body
    else:
        data = Path(source).read_bytes()
    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        raise FetchError(f"not an RSS or Atom feed ({parsed.get('bozo_exception')})")
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if _is_url(entry.get("id") or "") else None)
        if link:
            items.append((urllib.parse.urljoin(source if _is_url(source) else "", link), _feed_date(entry)))
    queue_items(store, source, items, page)
    return [url for url, _ in items]


def url_items(source: str) -> list[tuple[str, date | None]]:
    lines = Path(source).read_text(encoding="utf-8-sig").splitlines()
    return [(ln.strip(), None) for ln in lines if _is_url(ln.strip())]


def _say(message: str) -> None:
    print(f"geomap: {message}", file=sys.stderr, flush=True)


def one_pass(
    store: Store,
    sources: list[str],
    fetcher: Fetcher,
    *,
    stop: Callable[[], bool],
    published: date | None = None,
    online: bool = False,
) -> PassStats:
    """One pass over the sources into the store; the reports merged at its end."""
    stats = PassStats()
    kinds: dict[str, str] = {}
    for source in sources:
        try:
            kinds[source] = source_kind(source)
        except InputError as exc:  # a folder gone since the watch began: the others go on
            _say(f"{exc}; tried again on the next pass")
            stats.failed += 1
    for folder in (s for s, k in kinds.items() if k == "articles"):
        try:
            add_paths(store, [folder], published=published, online=online, stop=stop, stats=stats)
        except InputError as exc:
            if "no articles" not in str(exc):  # an empty inbox is no news
                _say(f"{exc}; tried again on the next pass")
                stats.failed += 1
    listed: set[str] = set()
    for source, kind in kinds.items():
        if kind == "articles" or stop():
            continue
        try:
            if kind == "feed":
                listed.update(feed_items(store, source, fetcher))
            else:
                found = url_items(source)
                listed.update(url for url, _ in found)
                queue_items(store, source, found)
        except (FetchError, OSError) as exc:
            _say(f"{source}: {exc}; tried again on the next pass")
            stats.failed += 1
    # pages listed again that were fetched before count as known
    stats.known += store.db.execute(
        "SELECT count(*) FROM fetches WHERE status = 'done' AND url IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(listed)),),
    ).fetchone()[0]
    # every page not fetched yet: new items, and those that failed on an earlier pass
    queue = store.db.execute(
        "SELECT url, source, published FROM fetches WHERE status != 'done' ORDER BY fid"
    ).fetchall()
    for url, source, published_text in queue:
        if stop():
            break
        when = date.fromisoformat(published_text) if published_text else None
        if store.knows(url):
            stats.known += 1
            continue
        try:
            page = fetcher.get(url)
            article = article_from_page(url, page, published, when)
        except (FetchError, InputError) as exc:
            with store.transaction():
                store.db.execute(
                    "INSERT INTO fetches (url, source, status, attempts, last_try, error, published)"
                    " VALUES (?, ?, 'failed', 1, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                    " status = 'failed', attempts = fetches.attempts + 1, last_try = excluded.last_try,"
                    " error = excluded.error",
                    (url, source, utc_now(), str(exc), when.isoformat() if when else None),
                )
            _say(f"{url}: {exc}; tried again on the next pass")
            stats.failed += 1
            continue
        if store.knows(text_key(article.text)):  # the same story under another URL or in a file
            store.add_article(
                article, url, [], [], url=url, stats=None, fetched=(source, when), duplicate=True
            )
            stats.known += 1
            continue
        mentions, events = process_article(article, online=online)
        store.add_article(article, url, mentions, events, url=url, stats=stats, fetched=(source, when))
    store.merge(stats)
    return stats


def run_watch(
    sources: list[str],
    store_path: str,
    write: Callable[[Store], int],
    *,
    every_minutes: float = 60.0,
    once: bool = False,
    published: date | None = None,
    online: bool = False,
) -> int:
    """Watch until stopped (``once``: one pass). Returns the signal that stopped it, or 0."""
    for source in sources:
        source_kind(source)  # bad sources are refused before anything is done
    stopped: list[int] = []

    def on_signal(signum: int, frame: Any) -> None:
        if stopped:  # a second signal: stop at once
            raise KeyboardInterrupt
        stopped.append(signum)
        _say("stopping after the current article (Ctrl-C again to stop at once)")

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    fetcher = Fetcher()
    try:
        with Store(store_path, create=True, writer=True) as store:
            while True:
                stats = one_pass(
                    store, sources, fetcher, stop=lambda: bool(stopped), published=published, online=online
                )
                n = write(store)
                _say(f"pass done: {stats.line()}; {n} incidents on the map")
                if once or stopped:
                    break
                deadline = time.monotonic() + every_minutes * 60
                while not stopped and time.monotonic() < deadline:
                    time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
                if stopped:
                    break
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return stopped[0] if stopped else 0
