"""Opt-in online fallback: names the gazetteer lacks, looked up through a Nominatim service.

Used only with ``--online``. Requests go through geopy's :class:`~geopy.geocoders.Nominatim`
wrapped in a :class:`~geopy.extra.rate_limiter.RateLimiter` (one request per second by default,
as Nominatim's usage policy asks) and carry :data:`geomap.settings.USER_AGENT`.

Every answer, a place or "not found", is kept in a JSON file under the user cache folder
(``settings.cache_dir() / "nominatim-<hash of scheme and domain>.json"``) so that no name is asked
twice, in this run or any later one, by this process or another. The file is plain JSON (never a
pickle), read defensively (an entry of the wrong shape is ignored) and replaced atomically; the
processes sharing it take turns through an advisory lock beside it.

A network failure (refused, unreachable, timed out, an HTTP error, an answer that cannot be
parsed) is not an answer: the lookup returns ``None``, one line goes to stderr, and nothing is
remembered for that name, so a later run asks again. The lock file also keeps the time of the last
request, so worker processes sharing the cache keep to the rate limit together. After a few
failures in a row the geocoder stops asking for the rest of its life, so that a dead service does
not cost a timeout per name.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import settings
from .models import PLACE_KINDS, Place

SOURCE = "Nominatim (OpenStreetMap, ODbL)"
CACHE_VERSION = 1

# Nominatim's ``addresstype`` (or, for place=* and boundary=* objects, ``type``) → our kind.
_KIND_BY_TYPE: dict[str, str] = {
    "country": "country",
    "state": "province",
    "region": "province",
    "province": "province",
    "state_district": "district",
    "county": "district",
    "district": "district",
    "city": "city",
    "town": "town",
    "municipality": "town",
    "village": "village",
    "hamlet": "village",
    "isolated_dwelling": "village",
    "sea": "sea",
    "ocean": "sea",
    "bay": "sea",
    "strait": "sea",
}
# Classes whose ``type`` names the kind of settlement or area (elsewhere ``type`` is e.g. a shop).
_TYPED_CLASSES = frozenset({"place", "boundary"})
_WATER_TYPES = frozenset({"sea", "ocean", "bay", "strait"})


def cache_file_name(domain: str, scheme: str) -> str:
    """Safe file name of the cache of one service: a hash, never a name taken from the domain."""
    digest = hashlib.sha256(f"{scheme.lower()}://{domain.lower()}".encode()).hexdigest()
    return f"nominatim-{digest[:16]}.json"


def cache_key(name: str) -> str:
    """The cache key of a name: case and runs of white space do not make another question."""
    return " ".join(name.split()).casefold()


def _kind(raw: dict[str, Any]) -> str:
    """Our kind of a Nominatim result, from its class, type and addresstype."""
    cls = str(raw.get("class") or raw.get("category") or "").lower()
    typ = str(raw.get("type") or "").lower()
    addresstype = str(raw.get("addresstype") or "").lower()
    if cls in {"natural", "place", "water"} and typ in _WATER_TYPES:
        return "sea"
    if addresstype in _KIND_BY_TYPE:
        return _KIND_BY_TYPE[addresstype]
    if cls in _TYPED_CLASSES and typ in _KIND_BY_TYPE:
        return _KIND_BY_TYPE[typ]
    return "landmark"


def place_from_nominatim(raw: dict[str, Any], query: str = "") -> Place:
    """A :class:`Place` from one raw Nominatim result (format=json, addressdetails=1).

    Raises ``ValueError`` (or ``TypeError``) when the result lacks a usable point.
    """
    lat = float(raw["lat"])
    lon = float(raw["lon"])
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    osm_type, osm_id = raw.get("osm_type"), raw.get("osm_id")
    if osm_type and osm_id not in (None, ""):
        place_id = f"osm:{osm_type}:{osm_id}"
    elif raw.get("place_id") not in (None, ""):
        place_id = f"nominatim:{raw['place_id']}"
    else:
        raise ValueError("result has no identifier")
    display = str(raw.get("display_name") or "")
    name = display.split(",")[0].strip() or str(raw.get("name") or "").strip() or query.strip()
    address = raw.get("address")
    code = address.get("country_code") if isinstance(address, dict) else None
    country = code.upper() if isinstance(code, str) and code.strip() else None
    return Place(
        place_id=place_id, name=name, lat=lat, lon=lon, kind=_kind(raw), country=country, source=SOURCE
    )


def _place_to_json(place: Place) -> dict[str, Any]:
    return {
        "place_id": place.place_id,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "kind": place.kind,
        "country": place.country,
    }


def _place_from_json(data: Any) -> Place | None:
    """A cached place, or ``None`` when the entry does not have the expected shape."""
    if not isinstance(data, dict):
        return None
    pid, name, kind, country = data.get("place_id"), data.get("name"), data.get("kind"), data.get("country")
    lat, lon = data.get("lat"), data.get("lon")
    if not (isinstance(pid, str) and isinstance(name, str) and kind in PLACE_KINDS):
        return None
    if country is not None and not isinstance(country, str):
        return None
    if (
        isinstance(lat, bool)
        or isinstance(lon, bool)
        or not isinstance(lat, (int, float))
        or not isinstance(lon, (int, float))
    ):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Place(
        place_id=pid, name=name, lat=float(lat), lon=float(lon), kind=kind, country=country, source=SOURCE
    )


def _note(message: str) -> None:
    """One line on stderr."""
    print("geomap: " + " ".join(message.split()), file=sys.stderr)


class OnlineGeocoder:
    """Names to places through a Nominatim service, rate-limited and cached on disk.

    ``domain``, ``scheme`` and ``min_delay`` default to :data:`settings.NOMINATIM_DOMAIN`,
    :data:`settings.NOMINATIM_SCHEME` and :data:`settings.NOMINATIM_MIN_DELAY`; ``cache_path``
    defaults to a file named by :func:`cache_file_name` in :func:`settings.cache_dir`.
    """

    #: Failures in a row after which this geocoder stops asking (until a new one is made).
    max_failures: int = 3

    def __init__(
        self,
        domain: str | None = None,
        scheme: str | None = None,
        min_delay: float | None = None,
        cache_path: Path | None = None,
        *,
        timeout: float = 10,
    ) -> None:
        self.domain = domain if domain is not None else settings.NOMINATIM_DOMAIN
        self.scheme = scheme if scheme is not None else settings.NOMINATIM_SCHEME
        self.min_delay = float(min_delay if min_delay is not None else settings.NOMINATIM_MIN_DELAY)
        self.timeout = timeout
        self.cache_path = (
            Path(cache_path)
            if cache_path is not None
            else settings.cache_dir() / cache_file_name(self.domain, self.scheme)
        )
        self._entries: dict[str, Place | None] = {}
        self._geocode: Any = None
        self._failures = 0
        self._disabled = False
        self._lock = threading.RLock()
        self._load()

    # -- public ---------------------------------------------------------------------------------

    def lookup(self, name: str) -> Place | None:
        """The place Nominatim finds for ``name``, or ``None`` (not found, or the service failed)."""
        key = cache_key(name)
        if not key:
            return None
        with self._lock:
            if key in self._entries:
                return self._entries[key]
            if self._disabled:
                return None
            with self._file_lock() as fd:
                self._load()  # another process may have asked meanwhile
                if key in self._entries:
                    return self._entries[key]
                self._wait_turn(fd)
                try:
                    place = self._ask(name)
                except Exception as exc:  # noqa: BLE001 - network trouble must never end the run
                    self._failed(name, exc)
                    return None
                finally:
                    self._mark_turn(fd)
                self._failures = 0
                self._entries[key] = place
                self._save()
                return place

    def cached(self, name: str) -> bool:
        """True when the answer for ``name`` (a place or "not found") is known without asking."""
        return cache_key(name) in self._entries

    # -- network --------------------------------------------------------------------------------

    def _geocoder(self) -> Any:
        if self._geocode is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            nominatim = Nominatim(
                user_agent=settings.USER_AGENT, domain=self.domain, scheme=self.scheme, timeout=self.timeout
            )
            # No retries and no swallowed errors: a failure is reported and not remembered.
            self._geocode = RateLimiter(
                nominatim.geocode, min_delay_seconds=self.min_delay, max_retries=0, swallow_exceptions=False
            )
        return self._geocode

    def _ask(self, name: str) -> Place | None:
        """One request; ``None`` when the service finds nothing. Raises on any failure."""
        geocode = self._geocoder()
        with warnings.catch_warnings():  # geopy warns before it rejects a point off the globe
            warnings.simplefilter("ignore", UserWarning)
            location = geocode(" ".join(name.split()), exactly_one=True, addressdetails=True, language="en")
        if location is None:
            return None
        raw = getattr(location, "raw", None)
        if not isinstance(raw, dict):
            raise ValueError("unexpected answer")
        return place_from_nominatim(raw, name)

    def _failed(self, name: str, exc: BaseException) -> None:
        from geopy.exc import GeocoderTimedOut

        reason = "timed out" if isinstance(exc, GeocoderTimedOut) else (str(exc) or type(exc).__name__)
        _note(f"online lookup of {name!r} at {self.scheme}://{self.domain} failed ({reason}); not cached")
        self._failures += 1
        if self._failures >= self.max_failures:
            self._disabled = True
            _note(f"{self._failures} online lookups failed in a row; no more online lookups in this run")

    # -- cache file -----------------------------------------------------------------------------

    @contextmanager
    def _file_lock(self) -> Iterator[int | None]:
        """An advisory lock shared by the processes that use the same cache file (POSIX only).

        Yields the lock file's descriptor (``None`` without a lock); the file holds the time of the
        last request, so that processes sharing a cache also share the rate limit.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield None
            return
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(str(self.cache_path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield None
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield fd
        finally:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _wait_turn(self, fd: int | None) -> None:
        """Sleep until ``min_delay`` has passed since the last request of any process on this cache."""
        if fd is None or self.min_delay <= 0:
            return
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            last = float(os.read(fd, 64).decode("ascii").strip() or "nan")
        except (OSError, ValueError, UnicodeDecodeError):
            return
        wait = last + self.min_delay - time.time()
        if math.isfinite(wait) and wait > 0:
            time.sleep(min(wait, self.min_delay))  # never longer, whatever the file says

    def _mark_turn(self, fd: int | None) -> None:
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{time.time():.6f}".encode("ascii"), 0)
        except OSError:
            pass

    def _load(self) -> None:
        """Merge the entries of the cache file into memory; a missing or broken file adds nothing."""
        try:
            with open(self.cache_path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            _note(f"{self.cache_path}: unreadable online cache ignored ({exc})")
            return
        entries = (
            data.get("entries") if isinstance(data, dict) and data.get("version") == CACHE_VERSION else None
        )
        if not isinstance(entries, dict):
            _note(f"{self.cache_path}: online cache of an unknown format ignored")
            return
        for key, value in entries.items():
            if not isinstance(key, str):
                continue
            if value is None:
                self._entries[key] = None
            else:
                place = _place_from_json(value)
                if place is not None:
                    self._entries[key] = place

    def _save(self) -> None:
        """Write all entries to a temporary file beside the cache and rename it over the cache."""
        data = {
            "version": CACHE_VERSION,
            "service": f"{self.scheme}://{self.domain}",
            "source": SOURCE,
            "entries": {
                k: (None if v is None else _place_to_json(v)) for k, v in sorted(self._entries.items())
            },
        }
        folder = self.cache_path.parent
        tmp = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".nominatim-", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=0)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.cache_path)
            tmp = None
        except OSError as exc:
            _note(f"{self.cache_path}: online cache not written ({exc})")
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
