"""A living incident store: one GeoPackage file that keeps articles, place mentions, events,
incidents and analysts' corrections across runs (``geomap build --store``, ``geomap watch``,
``geomap correct``).

The file is SQLite with the GeoPackage tables (``gpkg_contents``, ``gpkg_geometry_columns``,
``gpkg_spatial_ref_sys``), so GDAL and QGIS open its ``incidents`` and ``mentions`` layers and its
``articles``, ``events`` and ``corrections`` tables directly. The merge's own state (the tables of
:data:`geomap.incidents.STORED_MERGE_SCHEMA`) lives beside them, unregistered.

- An article is known by its URL when it has one (a fetched page), else by a hash of its text
  (``sha256:...``): one already in the store is not processed again, whatever file or feed it
  comes from. A file seen before (same path, size and modification time) is not even read.
- Each article is stored in one transaction: its row, mentions and events, its reports merged
  into the stored incidents (:func:`geomap.incidents.merge_into_stored`), and the incidents it
  touched rebuilt. A process killed at any moment (SIGKILL included) leaves the store as it was
  after the last whole article; the next pass resumes from there.
- An incident's id is given once, when it is made (the stable hash of a one-shot run, with a tag
  when that id is taken), and kept when later reports join it. Corrections are keyed by that id
  and applied again every time the incident is rebuilt, whatever the extractor says.
- Only one build or watch writes a store at a time (an exclusive lock on the file; a second one
  fails at once with one line, exit 2); ``correct`` waits for the current article's transaction.
- ``geomap_store.schema_version`` says which layout wrote the file; older layouts are migrated
  on opening (:data:`MIGRATIONS`), newer ones refused with a clear message.

A store given as ``postgresql://...`` keeps the same tables in a PostgreSQL database with
PostGIS (geometry columns of type ``geometry(Point, 4326)``), for a team: several builds,
watchers and analysts write to it at once. There each article's transaction holds a lock on the
article's key (two writers never store one article twice) and the merge, the rebuilding of
incidents and corrections hold one lock of the store (they take turns); nothing else waits.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import sqlite3
import stat
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _db
from ._errors import InputError
from ._version import __version__
from .models import EVENT_TYPES, Article, Event, Incident, Mention
from .schema import BORDER_COLUMNS, MENTION_COLUMNS, STORE_INCIDENT_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

#: The layout this version writes; :data:`MIGRATIONS` brings older files up to it.
SCHEMA_VERSION = 2
#: Seconds a command waits for another's transaction (an article, a merge) before giving up.
BUSY_TIMEOUT_S = 120.0
#: SQL that brings a store from the version of its key to the next one.
MIGRATIONS: dict[int, str] = {
    # 1 → 2: a mention's border fields in columns (no JSON copy of its row); an event's full
    # record only in the merge's reports (the events table keeps what a reader looks at)
    1: "ALTER TABLE mentions ADD COLUMN side TEXT; ALTER TABLE mentions ADD COLUMN border TEXT;"
    " ALTER TABLE mentions ADD COLUMN border_km REAL; ALTER TABLE mentions ADD COLUMN nearest_crossing TEXT;"
    " ALTER TABLE mentions ADD COLUMN crossing_km REAL;"
    " UPDATE mentions SET side = json_extract(properties, '$.side'),"
    " border = json_extract(properties, '$.border'), border_km = json_extract(properties, '$.border_km'),"
    " nearest_crossing = json_extract(properties, '$.nearest_crossing'),"
    " crossing_km = json_extract(properties, '$.crossing_km');"
    " ALTER TABLE mentions DROP COLUMN properties; ALTER TABLE events DROP COLUMN data",
}
#: A mention's columns, in the order of its properties (the schema's, then its border fields).
_MENTION_COLUMNS = MENTION_COLUMNS + BORDER_COLUMNS

_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_USER_VERSION = 10300  # GeoPackage 1.3
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

_GPKG_SCHEMA = f"""
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
  description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{_WGS84_WKT}',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
  identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"""

#: geomap's tables: (name, GeoPackage data type or None when unregistered, columns).
_TABLES: tuple[tuple[str, str | None, str], ...] = (
    ("geomap_store", None, "key TEXT PRIMARY KEY, value TEXT"),
    (
        "articles",
        "attributes",
        "fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, url TEXT,"
        " path TEXT, published TEXT, seen DATETIME NOT NULL, events INTEGER NOT NULL,"
        " text_hash TEXT NOT NULL, duplicate_of TEXT",
    ),
    (
        "files",
        None,
        "path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, key TEXT NOT NULL",
    ),
    (
        "fetches",
        "attributes",
        "fid INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL UNIQUE, source TEXT, status TEXT NOT NULL,"
        " attempts INTEGER NOT NULL DEFAULT 0, last_try DATETIME, error TEXT, published TEXT",
    ),
    ("feeds", None, "url TEXT PRIMARY KEY, etag TEXT, modified TEXT"),
    (
        "mentions",
        "features",
        "fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, article_key TEXT NOT NULL, article TEXT,"
        ' mention TEXT, start INTEGER, "end" INTEGER, name TEXT, place_id TEXT, kind TEXT, country TEXT,'
        " role TEXT, confidence REAL, side TEXT, border TEXT, border_km REAL, nearest_crossing TEXT,"
        " crossing_km REAL",
    ),
    (
        "events",
        "attributes",
        "fid INTEGER PRIMARY KEY AUTOINCREMENT, article_key TEXT NOT NULL, event_type TEXT,"
        " sub_event_type TEXT, date TEXT, place TEXT, place_id TEXT, evidence TEXT",
    ),
    (
        "incidents",
        "features",
        "fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, id TEXT NOT NULL UNIQUE, gid INTEGER UNIQUE,"
        " status TEXT NOT NULL DEFAULT 'active', corrected BOOLEAN NOT NULL DEFAULT 0, event_type TEXT,"
        " sub_event_type TEXT, date TEXT, place TEXT, country TEXT, killed INTEGER, wounded INTEGER,"
        " border TEXT, side TEXT, sources INTEGER, evidence TEXT, updated DATETIME,"
        " sort_null INTEGER, sort_type INTEGER, place_id TEXT, lon REAL, lat REAL,"
        " properties TEXT NOT NULL, raw TEXT NOT NULL",
    ),
    (
        "corrections",
        "attributes",
        "fid INTEGER PRIMARY KEY AUTOINCREMENT, incident_id TEXT NOT NULL, at DATETIME NOT NULL,"
        " by TEXT, note TEXT, type TEXT, place TEXT, lat REAL, lon REAL, date TEXT, killed INTEGER,"
        " wounded INTEGER, reject BOOLEAN, merge_into TEXT",
    ),
)

#: The columns of a correction, in the order of the CSV that exports and imports them.
CORRECTION_COLUMNS = (
    "incident_id",
    "at",
    "by",
    "note",
    "type",
    "place",
    "lat",
    "lon",
    "date",
    "killed",
    "wounded",
    "reject",
    "merge_into",
)


def gpkg_point(lon: float, lat: float) -> bytes:
    """A GeoPackage geometry blob of a WGS84 point (no envelope, little-endian WKB)."""
    return b"GP" + bytes([0, 1]) + struct.pack("<i", 4326) + struct.pack("<BIdd", 1, 1, lon, lat)


def utc_now() -> str:
    """The time now (UTC) as the store writes it: ``2026-12-05T01:58:54Z``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def text_key(text: str) -> str:
    """The key of an article known by its text only."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_store(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file that holds a geomap store (a GeoPackage with geomap's tables).
    Only a regular file is opened (a FIFO or a device would block or never end)."""
    if _db.is_url(path):
        try:
            pg = _db.PgConnection(str(path))
        except InputError:
            return False
        try:
            found = pg.execute("SELECT to_regclass('geomap_store')").fetchone()
        finally:
            pg.close()
        return found is not None and found[0] is not None
    p = Path(path)
    try:
        if not stat.S_ISREG(p.stat().st_mode):
            return False
        with open(p, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        db = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            found = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'geomap_store'").fetchone()
        finally:
            db.close()
    except (OSError, sqlite3.Error):
        return False
    return found is not None


@dataclass
class Correction:
    """One analyst's correction of one incident (one ``geomap correct``)."""

    incident_id: str
    at: str = ""
    by: str | None = None
    note: str | None = None
    type: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    date: str | None = None
    killed: int | None = None
    wounded: int | None = None
    reject: bool = False
    merge_into: str | None = None

    def changes(self) -> dict[str, Any]:
        """What it changes, as it was given."""
        out: dict[str, Any] = {}
        for key in ("type", "place", "date", "killed", "wounded", "merge_into"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.lat is not None and self.lon is not None:
            out["at"] = [self.lat, self.lon]
        if self.reject:
            out["reject"] = True
        return out

    def history(self) -> dict[str, Any]:
        """The entry of the incident's ``corrections`` property."""
        return {"at": self.at, "by": self.by, "note": self.note, "changes": self.changes()}


def check_correction(c: Correction) -> None:
    """Refuse a correction whose values cannot be applied (an :class:`InputError`)."""
    if c.type is not None:
        kind = c.type.split(":", 1)[0].strip().lower()
        if kind not in EVENT_TYPES:
            raise InputError(
                f"--type must be one of {', '.join(EVENT_TYPES)} (or TYPE:SUB-TYPE), not '{c.type}'"
            )
    if c.date is not None:
        try:
            if len(c.date) == 7:
                date.fromisoformat(c.date + "-01")
            else:
                date.fromisoformat(c.date)
                if len(c.date) != 10:
                    raise ValueError
        except ValueError:
            raise InputError(f"--date must be YYYY-MM-DD or YYYY-MM, not '{c.date}'") from None
    if c.lat is not None and c.lon is not None and (not -90 <= c.lat <= 90 or not -180 <= c.lon <= 180):
        raise InputError(f"--at {c.lat},{c.lon} is not a latitude,longitude")
    for key in ("killed", "wounded"):
        value = getattr(c, key)
        if value is not None and value < 0:
            raise InputError(f"--{key} must be a whole number ≥ 0")
    if c.place is not None and c.lat is not None:
        raise InputError("give --place or --at, not both")


def _resolve_place(name: str) -> Any:
    from .gazetteer import default_gazetteer

    found = default_gazetteer().lookup(name)
    if not found:
        raise InputError(f"--place '{name}' is not in the gazetteer; give --at LAT,LON instead")
    return found[0]


def apply_corrections(inc: Incident, corrections: list[Correction]) -> str:
    """Apply the corrections (oldest first) to ``inc`` in place; its status: ``active``,
    ``rejected`` or ``merged`` (into another incident)."""
    status = "active"
    moved = False
    for c in corrections:
        if c.type is not None:
            kind, _, sub = c.type.partition(":")
            inc.event_type = kind.strip().lower()
            if sub.strip():
                inc.sub_event_type = sub.strip()
        if c.place is not None:
            place = _resolve_place(c.place)
            inc.place, inc.place_id, inc.country, inc.admin1 = (
                place.name,
                place.place_id,
                place.country,
                place.admin1,
            )
            inc.lon, inc.lat, inc.geo_precision, inc.geo_uncertainty_km = place.lon, place.lat, 1, None
            moved = True
        if c.lat is not None and c.lon is not None:
            inc.lat, inc.lon, inc.geo_precision, inc.geo_uncertainty_km = c.lat, c.lon, 1, None
            moved = True
        if c.date is not None:
            inc.date = c.date
            inc.date_precision = "day" if len(c.date) == 10 else "month"
            inc.date_basis = "stated"
        if c.killed is not None:
            inc.killed = inc.killed_high = c.killed
        if c.wounded is not None:
            inc.wounded = inc.wounded_high = c.wounded
        if c.reject:
            status = "rejected"
        if c.merge_into is not None:
            status = "merged"
    if moved:
        from .pipeline import add_border_geometry

        inc.warnings = [w for w in inc.warnings if "but its point lies in" not in w]
        add_border_geometry([inc])
    return status


def _incident_json(inc: Incident) -> str:
    return json.dumps({f.name: getattr(inc, f.name) for f in fields(inc)}, ensure_ascii=False)


@dataclass
class PassStats:
    """What one pass did: articles new, known and failed; incidents new and updated."""

    new: int = 0
    known: int = 0
    failed: int = 0
    incidents_new: int = 0
    incidents_updated: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"articles {self.new} new, {self.known} known, {self.failed} failed; "
            f"incidents {self.incidents_new} new, {self.incidents_updated} updated"
        )


class Store:
    """An open store. ``writer=True`` (build, watch) takes the file's exclusive lock."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False, writer: bool = False) -> None:
        self._lock_fd: int | None = None
        self._merge: Any = None
        self.db: Any
        if _db.is_url(path):
            self._open_postgresql(str(path), create=create)
            return
        self.dialect = _db.SQLITE
        file = Path(path)
        #: The store's file, or its database's URL (without a password) for messages.
        self.path: Path | str = file
        if not file.exists():
            if not create:
                raise InputError("no such store", file)
            self._create(file)
        elif not is_store(file):
            raise InputError("is not a geomap store (a GeoPackage that geomap build --store wrote)", file)
        if writer:
            self._lock_fd = os.open(file, os.O_RDONLY)
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(self._lock_fd)
                self._lock_fd = None
                raise InputError(
                    "is in use by another geomap build or watch; try again when it has finished", file
                ) from None
        self.db = sqlite3.connect(file, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        self.db.execute("PRAGMA synchronous = FULL")
        self._migrate()

    def _open_postgresql(self, url: str, *, create: bool) -> None:
        """A store in a PostgreSQL database (with PostGIS): its tables made when ``create`` and
        missing, by one writer at a time."""
        self.dialect = _db.POSTGRESQL
        self.path = _db.redact(url)
        self.db = _db.PgConnection(url)
        try:
            with self.transaction():
                exists = self.db.execute("SELECT to_regclass('geomap_store')").fetchone()[0] is not None
                if not exists:
                    if not create:
                        raise InputError("holds no geomap store", self.path)
                    self._require_postgis()
                    self._create_tables(self.db)
            self._migrate()
        except BaseException:
            self.db.close()
            raise

    # -- life cycle ---------------------------------------------------------------------------

    def _require_postgis(self) -> None:
        """PostGIS in the store's database: there, or made (which takes the right to)."""
        if self.db.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
            return
        try:
            self.db.execute("SAVEPOINT postgis")
            self.db.execute("CREATE EXTENSION postgis")
        except Exception as exc:  # noqa: BLE001 - psycopg's errors: no such extension, no right
            self.db.execute("ROLLBACK TO SAVEPOINT postgis")
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(
                f"needs the PostGIS extension, which geomap could not add ({first});"
                " ask its administrator to run CREATE EXTENSION postgis",
                self.path,
            ) from None

    def _create(self, file: Path) -> None:
        """A new, empty store, made under a temporary name and renamed: never half made."""
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {_GPKG_USER_VERSION}")
            db.executescript(_GPKG_SCHEMA)
            self._create_tables(db)
        finally:
            db.close()
        os.replace(tmp, file)

    def _create_tables(self, db: Any) -> None:
        """geomap's tables, the merge's and their indexes, and the store's version (in a
        GeoPackage, the features and attributes tables registered in its contents)."""
        from .incidents import STORED_MERGE_SCHEMA

        gpkg = self.dialect is _db.SQLITE
        for name, kind, columns in _TABLES:
            db.execute(f"CREATE TABLE {name} ({columns})")
            if gpkg:
                if kind is not None:
                    db.execute(
                        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)"
                        " VALUES (?, ?, ?, ?)",
                        (name, kind, name, 4326 if kind == "features" else None),
                    )
                if kind == "features":
                    db.execute(
                        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (name,)
                    )
        db.executescript(STORED_MERGE_SCHEMA)
        db.executescript(
            "CREATE INDEX mentions_by_article ON mentions (article_key);"
            "CREATE INDEX articles_by_text ON articles (text_hash);"
            "CREATE INDEX events_by_article ON events (article_key);"
            "CREATE INDEX corrections_by_incident ON corrections (incident_id);"
            "CREATE INDEX incidents_order ON incidents (status, sort_null, date, sort_type, place);"
        )
        db.executemany(
            "INSERT INTO geomap_store VALUES (?, ?)",
            [
                ("schema_version", str(SCHEMA_VERSION)),
                ("created_by", f"geomap {__version__}"),
                ("created", utc_now()),
            ],
        )

    def _migrate(self) -> None:
        row = self.db.execute("SELECT value FROM geomap_store WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise InputError(
                f"was written by a newer geomap (store schema {version}; this geomap reads up to "
                f"{SCHEMA_VERSION}); upgrade geomap",
                self.path,
            )
        if version < 1:
            raise InputError("is not a geomap store this version can read (no schema version)", self.path)
        if version < SCHEMA_VERSION and self.dialect is not _db.SQLITE:
            raise InputError(
                f"was written by an older geomap (store schema {version}); export its corrections"
                " (geomap corrections --export) and build a new store",
                self.path,
            )
        while version < SCHEMA_VERSION:
            with self.transaction():
                for stmt in MIGRATIONS[version].split(";"):
                    if stmt.strip():
                        self.db.execute(stmt)
                version += 1
                self.db.execute(
                    "UPDATE geomap_store SET value = ? WHERE key = 'schema_version'", (str(version),)
                )

    def schema_version(self) -> int:
        return int(
            self.db.execute("SELECT value FROM geomap_store WHERE key = 'schema_version'").fetchone()[0]
        )

    def close(self) -> None:
        self.db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # after SQLite's own handle: closing it drops the lock
            self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self, *, article: str | None = None) -> _Transaction:
        """``with store.transaction():`` — BEGIN IMMEDIATE ... COMMIT, rolled back on any error.
        In PostgreSQL the transaction holds the lock of the store, or only that of ``article``
        (the key of the article it stores)."""
        return _Transaction(self.db, self.dialect, article)

    # -- articles -----------------------------------------------------------------------------

    def knows(self, key: str) -> bool:
        """An article stored under this key (a URL or a text hash), or with this text hash."""
        # two lookups, each by its index (an OR of the two would scan the table)
        if self.db.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone() is not None:
            return True
        return (
            key.startswith("sha256:")
            and self.db.execute("SELECT 1 FROM articles WHERE text_hash = ? LIMIT 1", (key,)).fetchone()
            is not None
        )

    def known_file(self, path: Path) -> bool:
        """A file read before, unchanged since (same size and modification time)."""
        try:
            st = path.stat()
        except OSError:
            return False
        row = self.db.execute(
            "SELECT size, mtime_ns, key FROM files WHERE path = ?", (str(path.resolve()),)
        ).fetchone()
        return row is not None and row[0] == st.st_size and row[1] == st.st_mtime_ns and self.knows(row[2])

    def remember_file(self, path: Path, key: str) -> None:
        try:
            st = path.stat()
        except OSError:
            return
        self.db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
            " size = excluded.size, mtime_ns = excluded.mtime_ns, key = excluded.key",
            (str(path.resolve()), st.st_size, st.st_mtime_ns, key),
        )

    def add_article(
        self,
        article: Article,
        key: str,
        mentions: list[dict[str, Any]],
        events: list[Event],
        *,
        url: str | None = None,
        path: Path | None = None,
        stats: PassStats | None = None,
        fetched: tuple[str, date | None] | None = None,
        duplicate: bool = False,
    ) -> None:
        """Store one processed article in one transaction: its row, mentions and events, its
        reports merged into the stored incidents, and the incidents it touched rebuilt."""
        from .incidents import store_reports

        with self.transaction(article=key):
            if self.knows(key):
                if stats:
                    stats.known += 1
                return
            db = self.db
            text_hash = text_key(article.text)
            original = None
            if duplicate:
                row = db.execute(
                    "SELECT key FROM articles WHERE text_hash = ? LIMIT 1", (text_hash,)
                ).fetchone()
                original = row[0] if row else None
            db.execute(
                "INSERT INTO articles (key, name, url, path, published, seen, events, text_hash,"
                " duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    article.name,
                    url,
                    str(path) if path else None,
                    article.published.isoformat() if article.published else None,
                    utc_now(),
                    len(events),
                    # a story stored twice keeps one text hash: the copy's key stands for it
                    text_hash if not duplicate else f"{text_hash}:{key}",
                    original,
                ),
            )
            if fetched is not None:
                source, when = fetched
                db.execute(
                    "INSERT INTO fetches (url, source, status, attempts, last_try, published)"
                    " VALUES (?, ?, 'done', 1, ?, ?) ON CONFLICT (url) DO UPDATE SET"
                    " status = 'done', attempts = fetches.attempts + 1, last_try = excluded.last_try,"
                    " error = NULL",
                    (url, source, utc_now(), when.isoformat() if when else None),
                )
            quoted = ", ".join(f'"{c}"' for c in _MENTION_COLUMNS)
            db.executemany(
                f"INSERT INTO mentions (geom, article_key, {quoted})"
                f" VALUES ({self.dialect.point_sql}, ?, {', '.join('?' * len(_MENTION_COLUMNS))})",
                [
                    (
                        *self.dialect.point_params(*feat["geometry"]["coordinates"][:2]),
                        key,
                        *(feat["properties"].get(c) for c in _MENTION_COLUMNS),
                    )
                    for feat in mentions
                ],
            )
            db.executemany(
                "INSERT INTO events (article_key, event_type, sub_event_type, date, place, place_id,"
                " evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        key,
                        ev.event_type,
                        ev.sub_event_type,
                        ev.date,
                        ev.place.name,
                        ev.place.place_id,
                        ev.evidence,
                    )
                    for ev in events
                ],
            )
            if path is not None:
                self.remember_file(path, key)
            if events:
                store_reports(db, events)
            if stats:
                stats.new += 1

    def merge(self, stats: PassStats | None = None) -> None:
        """Merge the reports of the articles stored since the last merge into the stored
        incidents and rebuild those they touched, in one transaction (a pass killed before or
        during it leaves them waiting for the next)."""
        from .incidents import merge_pending

        with self.transaction():
            touched, made = merge_pending(self.db)
            self._rebuild(touched, set(made))
        if stats:
            stats.incidents_new += len(made)
            stats.incidents_updated += len(touched) - len(made)

    # -- incidents ----------------------------------------------------------------------------

    def _rebuild(self, gids: Iterable[int], made: set[int]) -> None:
        """Rebuild the stored incidents ``gids`` from their events (ids given to those ``made``)."""
        from .incidents import _OnDisk, incident_id
        from .pipeline import add_border_geometry

        merge = _OnDisk(self.db, existing=True)
        ids: list[str] = []
        for gid in gids:
            inc = merge.incident_of(gid)
            add_border_geometry([inc])
            if gid in made:
                base = incident_id(inc.event_type, inc.place_id, inc.date)
                inc.id, n = base, 0
                while self.db.execute("SELECT 1 FROM incidents WHERE id = ?", (inc.id,)).fetchone():
                    n += 1
                    tag = hashlib.sha1(f"{gid}|{n}|{inc.evidence}".encode()).hexdigest()[:4]
                    inc.id = f"{base}-{tag}"
                self.db.execute(
                    "INSERT INTO incidents (id, gid, properties, raw) VALUES (?, ?, '{}', ?)",
                    (inc.id, gid, _incident_json(inc)),
                )
            else:
                inc.id = self.db.execute("SELECT id FROM incidents WHERE gid = ?", (gid,)).fetchone()[0]
                self.db.execute("UPDATE incidents SET raw = ? WHERE gid = ?", (_incident_json(inc), gid))
            ids.append(inc.id)
        self.render(ids)

    def corrections_of(self, incident_id: str) -> list[Correction]:
        cur = self.db.execute(
            f"SELECT {', '.join(CORRECTION_COLUMNS)} FROM corrections WHERE incident_id = ? ORDER BY at, fid",
            (incident_id,),
        )
        return [_correction_from_row(row) for row in cur]

    def _merge_target(self, incident_id: str) -> str | None:
        row = self.db.execute(
            "SELECT merge_into FROM corrections WHERE incident_id = ? AND merge_into IS NOT NULL"
            " ORDER BY at DESC, fid DESC LIMIT 1",
            (incident_id,),
        ).fetchone()
        return row[0] if row else None

    def _merged_into(self, incident_id: str) -> list[str]:
        """The incidents merged into this one, directly or through others merged into it."""
        found: list[str] = []
        todo = [incident_id]
        while todo:
            here = todo.pop()
            for (other,) in self.db.execute(
                "SELECT DISTINCT incident_id FROM corrections WHERE merge_into = ? ORDER BY incident_id",
                (here,),
            ).fetchall():
                if other not in found and other != incident_id and self._merge_target(other) == here:
                    found.append(other)
                    todo.append(other)
        return found

    def render(self, ids: Iterable[str]) -> None:
        """Work out the incidents' final records (their corrections applied, incidents merged
        into them folded in) and write them to the ``incidents`` layer; the merge targets of
        these incidents are brought up to date too. Runs in the caller's transaction."""
        todo = list(dict.fromkeys(ids))
        for i in todo:  # grows: the targets, and theirs (a merged incident merged on)
            target = self._merge_target(i)
            if target is not None and target not in todo:
                todo.append(target)
        for incident_id in todo:
            self._render_one(incident_id)

    def _render_one(self, incident_id: str) -> None:
        from ._numbers import rival_sides, toll_range
        from .incidents import _sort_key

        row = self.db.execute("SELECT raw FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        if row is None:
            return
        inc = Incident(**json.loads(row[0]))
        corrections = self.corrections_of(incident_id)
        status = apply_corrections(inc, corrections)
        history = [c.history() for c in corrections]
        # incidents an analyst merged into this one: their reports count here
        for other in self._merged_into(incident_id):
            raw = self.db.execute("SELECT raw FROM incidents WHERE id = ?", (other,)).fetchone()
            if raw is None:
                continue
            part = Incident(**json.loads(raw[0]))
            inc.sources += [s for s in part.sources if s not in inc.sources]
            inc.actors += [a for a in part.actors if a not in inc.actors]
            inc.claims += [c for c in part.claims if c not in inc.claims]
            rivals = rival_sides(inc.event_type)
            if not any(c.killed is not None for c in corrections):
                inc.killed, inc.killed_high = toll_range(inc.claims, "killed", rivals)
            if not any(c.wounded is not None for c in corrections):
                inc.wounded, inc.wounded_high = toll_range(inc.claims, "wounded", rivals)
            history.append({"merged": other})
        props = inc.properties()
        props["corrected"] = bool(corrections)
        props["corrections"] = history
        date_null, day, type_rank, place, place_id, evidence = _sort_key(inc)
        self.db.execute(
            f"UPDATE incidents SET geom = {self.dialect.point_sql}, status = ?, corrected = ?,"
            " event_type = ?, sub_event_type = ?, date = ?, place = ?, country = ?, killed = ?, wounded = ?,"
            " border = ?, side = ?, sources = ?, evidence = ?, updated = ?, sort_null = ?, sort_type = ?,"
            " place_id = ?, lon = ?, lat = ?,"
            " properties = ? WHERE id = ?",
            (
                *self.dialect.point_params(inc.lon, inc.lat),
                status,
                int(bool(corrections)),
                inc.event_type,
                inc.sub_event_type,
                inc.date,
                inc.place,
                inc.country,
                inc.killed,
                inc.wounded,
                inc.border,
                inc.side,
                len(inc.sources),
                evidence,
                utc_now(),
                int(date_null),
                type_rank,
                place_id,
                inc.lon,
                inc.lat,
                json.dumps(props, ensure_ascii=False),
                incident_id,
            ),
        )

    def incident_ids(self) -> set[str]:
        return {i for (i,) in self.db.execute("SELECT id FROM incidents")}

    def iter_incident_records(
        self, *, include_hidden: bool = False
    ) -> Iterator[tuple[dict[str, Any], float, float]]:
        """(properties, lon, lat) of the incidents on the map (all, with ``include_hidden``), in
        the order of a one-shot run: by date (undated last), type, place."""
        where = "" if include_hidden else "WHERE status = 'active'"
        for props, lon, lat in self.db.execute(
            f"SELECT properties, lon, lat FROM incidents {where}"
            " ORDER BY sort_null, date, sort_type, place, place_id, evidence, id"
        ):
            yield json.loads(props), lon, lat

    def incidents_gdf(self) -> gpd.GeoDataFrame:
        """The incidents on the map as a GeoDataFrame (the contract's columns, then ``corrected``
        and ``corrections``)."""
        from .frames import points_frame

        records, lons, lats = [], [], []
        for props, lon, lat in self.iter_incident_records():
            records.append(props)
            lons.append(lon)
            lats.append(lat)
        return points_frame(records, lons, lats, STORE_INCIDENT_COLUMNS)

    def mention_features(self) -> Iterator[dict[str, Any]]:
        """Every stored place mention as a GeoJSON Feature, article by article."""
        quoted = ", ".join(f'"{c}"' for c in _MENTION_COLUMNS)
        for row in self.db.execute(
            f"SELECT {self.dialect.point_columns}, {quoted} FROM mentions ORDER BY fid"
        ):
            (lon, lat), values = self.dialect.read_point(row)
            yield {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": dict(zip(_MENTION_COLUMNS, values)),
            }

    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "incidents": one("SELECT count(*) FROM incidents WHERE status = 'active'").fetchone()[0],
            "hidden": one("SELECT count(*) FROM incidents WHERE status != 'active'").fetchone()[0],
        }

    # -- corrections --------------------------------------------------------------------------

    def add_correction(self, c: Correction, *, known_only: bool = True) -> None:
        """Record a correction and apply it at once (in one transaction)."""
        check_correction(c)
        c.at = c.at or utc_now()
        with self.transaction():
            ids = self.incident_ids()
            if known_only and c.incident_id not in ids:
                raise InputError(f"no incident '{c.incident_id}' in this store", self.path)
            if c.merge_into is not None:
                if c.merge_into == c.incident_id:
                    raise InputError("--merge-into names the incident itself")
                if known_only and c.merge_into not in ids:
                    raise InputError(f"no incident '{c.merge_into}' in this store (--merge-into)", self.path)
            if c.place is not None:
                _resolve_place(c.place)
            self._insert_correction(c)
            self.render([c.incident_id])

    def _insert_correction(self, c: Correction) -> None:
        self.db.execute(
            f"INSERT INTO corrections ({', '.join(CORRECTION_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(CORRECTION_COLUMNS))})",
            tuple(getattr(c, k) for k in CORRECTION_COLUMNS),
        )

    def corrections(self) -> list[Correction]:
        cur = self.db.execute(f"SELECT {', '.join(CORRECTION_COLUMNS)} FROM corrections ORDER BY at, fid")
        return [_correction_from_row(row) for row in cur]

    def export_corrections(self, path: str | os.PathLike[str]) -> int:
        from ._io import atomic_text

        rows = self.corrections()
        with atomic_text(path) as fh:
            writer = csv.writer(fh)
            writer.writerow(CORRECTION_COLUMNS)
            for c in rows:
                writer.writerow(
                    [
                        "" if v is None else ("true" if v is True else "false" if v is False else v)
                        for v in (getattr(c, k) for k in CORRECTION_COLUMNS)
                    ]
                )
        return len(rows)

    def import_corrections(self, path: str | os.PathLike[str]) -> tuple[int, int]:
        """Add the corrections of a CSV that :meth:`export_corrections` wrote; those already here
        are skipped. Returns (added, skipped)."""
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror or exc})", path) from exc
        have = {tuple(getattr(c, k) for k in CORRECTION_COLUMNS) for c in self.corrections()}
        added = skipped = 0
        with self.transaction():
            touched = []
            for n, raw in enumerate(rows, start=2):
                if "incident_id" not in raw or not raw["incident_id"]:
                    raise InputError(f"line {n}: no incident_id", path)
                try:
                    c = _correction_from_csv(raw)
                    check_correction(c)
                except (ValueError, InputError) as exc:
                    raise InputError(f"line {n}: {exc}", path) from None
                if not c.at:
                    c.at = utc_now()
                if tuple(getattr(c, k) for k in CORRECTION_COLUMNS) in have:
                    skipped += 1
                    continue
                self._insert_correction(c)
                touched.append(c.incident_id)
                added += 1
            self.render(touched)
        return added, skipped


#: The advisory lock of a PostgreSQL store (its merge, rebuilds and corrections take turns).
PG_STORE_LOCK = 0x67656F6D  # "geom"


class _Transaction:
    def __init__(self, db: Any, dialect: _db.Dialect = _db.SQLITE, article: str | None = None) -> None:
        self.db = db
        self.dialect = dialect
        self.article = article

    def __enter__(self) -> None:
        if self.dialect is not _db.SQLITE:
            self.db.execute("BEGIN")
            try:
                if self.article is not None:
                    self.db.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (self.article,))
                else:
                    self.db.execute("SELECT pg_advisory_xact_lock(?)", (PG_STORE_LOCK,))
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            name = next((row[2] for row in self.db.execute("PRAGMA database_list") if row[1] == "main"), "")
            raise InputError(
                f"is busy (another geomap has been writing to it for over {BUSY_TIMEOUT_S:g} s); try again",
                name,
            ) from None

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def _correction_from_row(row: tuple[Any, ...]) -> Correction:
    c = Correction(*row)
    c.reject = bool(c.reject)
    return c


def _correction_from_csv(raw: dict[str, str]) -> Correction:
    def text(key: str) -> str | None:
        v = (raw.get(key) or "").strip()
        return v or None

    def num(key: str, kind: Callable[[str], Any]) -> Any:
        v = text(key)
        return None if v is None else kind(v)

    return Correction(
        incident_id=text("incident_id") or "",
        at=text("at") or "",
        by=text("by"),
        note=text("note"),
        type=text("type"),
        place=text("place"),
        lat=num("lat", float),
        lon=num("lon", float),
        date=text("date"),
        killed=num("killed", int),
        wounded=num("wounded", int),
        reject=(text("reject") or "").lower() in ("true", "1", "yes"),
        merge_into=text("merge_into"),
    )


# ---------------------------------------------------------------------------------------------
# Processing articles into a store


def process_article(article: Article, *, online: bool = False) -> tuple[list[dict[str, Any]], list[Event]]:
    """Place mentions (Features with border fields) and events of one article as read."""
    from .events import extract_events
    from .frames import mention_features
    from .geoparse import find_mentions
    from .pipeline import _finder, add_mention_border_fields

    mentions: list[Mention] = find_mentions(article, _finder(online))
    events = extract_events(article, mentions)
    features = mention_features(mentions)
    for feat in features:
        add_mention_border_fields(feat)
    return features, events


def add_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: date | None = None,
    online: bool = False,
    strict: bool = False,
    progress: Callable[[], None] | None = None,
    stop: Callable[[], bool] | None = None,
    stats: PassStats | None = None,
) -> PassStats:
    """Read the article files under ``paths`` into the store: those it knows are skipped (an
    unchanged file without being read), the others processed and stored one transaction each.
    A bad article in a folder is reported and skipped (``strict``: fatal); ``stop()`` is asked
    between articles."""
    from .articles import article_paths, read_article

    stats = stats or PassStats()
    named = {Path(p) for p in paths if not Path(p).is_dir()}
    for path in article_paths(paths):
        if stop is not None and stop():
            break
        if progress:
            progress()
        if store.known_file(path):
            stats.known += 1
            continue
        try:
            article = read_article(path, published)
        except InputError as exc:
            if strict or path in named:
                raise
            print(
                f"geomap: {path}: {str(exc).removeprefix(f'{path}: ')}; skipped", flush=True, file=_stderr()
            )
            stats.failed += 1
            continue
        key = text_key(article.text)
        if store.knows(key):
            with store.transaction():
                store.remember_file(path, key)
            stats.known += 1
            continue
        mentions, events = process_article(article, online=online)
        store.add_article(article, key, mentions, events, path=path, stats=stats)
    store.merge(stats)
    return stats


def _stderr() -> Any:
    import sys

    return sys.stderr
