"""The store's two databases behind one connection interface: SQLite (a GeoPackage file, the
embedded default) and PostgreSQL with PostGIS (``postgresql://...``, shared by a team).

The store and the merge write their SQL once, in the dialect the two share (``?`` and ``:name``
parameters, ``INSERT ... ON CONFLICT``, ``RETURNING``); :class:`PgConnection` gives psycopg the
interface of :class:`sqlite3.Connection` that they use (``execute``, ``executemany``,
``executescript``; cursors with ``fetchone``, ``fetchall``, iteration and ``rowcount``) and
translates what differs (:func:`translate`): parameter marks, column types, SQLite's JSON table
functions, ``IS NOT`` between values. Geometry goes through :class:`Dialect`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ._errors import InputError

#: How a store's address says it is a PostgreSQL database.
URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(path: object) -> bool:
    """Whether a store's address is a PostgreSQL URL (else it is a GeoPackage file's path)."""
    return isinstance(path, str) and path.startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """A URL as messages show it: without its password."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


# ---------------------------------------------------------------------------------------------
# SQL translation (SQLite's dialect as the store writes it → PostgreSQL)

_TYPES = (
    (re.compile(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b"), "BIGSERIAL PRIMARY KEY"),
    (re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGSERIAL PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bBOOLEAN\b"), "BIGINT"),
    (re.compile(r"\bDATETIME\b"), "TEXT"),  # the store writes ISO 8601 text
    (re.compile(r"\bgeom POINT\b"), "geom geometry(Point, 4326)"),
    # byte order, as SQLite compares text, whatever the server's locale
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
    (re.compile(r"\)\s*WITHOUT ROWID"), ")"),
)
_JSON = (
    # "x IN (SELECT CAST(value AS INTEGER) FROM json_each(?))": an array parameter of integers, as
    # an array the planner looks up in the column's index ("IN (SELECT ...)" would hash-join the
    # whole table, which makes a long merge quadratic)
    (
        re.compile(r"\bIN \(SELECT CAST\(value AS INTEGER\) FROM json_each\((\?|:\w+)\)\)"),
        r"= ANY(ARRAY(SELECT CAST(jsonb_array_elements_text(CAST(\1 AS jsonb)) AS BIGINT)))",
    ),
    # "x IN (SELECT value FROM json_each(?))": an array parameter of strings
    (
        re.compile(r"\bIN \(SELECT value FROM json_each\((\?|:\w+)\)\)"),
        r"= ANY(ARRAY(SELECT jsonb_array_elements_text(CAST(\1 AS jsonb))))",
    ),
    # the boxes of a long report, as a JSON list of [south, north, west, east]
    (
        re.compile(r"json_each\((:\w+)\) (\w+)"),
        r"jsonb_array_elements(CAST(\1 AS jsonb)) \2(value)",
    ),
    (re.compile(r"json_extract\((\w+)\.value, '\$\[(\d)\]'\)"), r"CAST(\1.value->>\2 AS DOUBLE PRECISION)"),
    # an incident's events, each report's JSON list unrolled in its order
    (
        re.compile(r"json_each\((\w+\.\w+)\) (\w+)"),
        r"jsonb_array_elements(CAST(\1 AS jsonb)) WITH ORDINALITY \2(value, key)",
    ),
    # (each element a JSON text of its own: an event)
    (
        re.compile(r"json_extract\((\w+)\.value, '\$\.(\w+)'\)"),
        r"CAST(CAST(\1.value #>> '{}' AS jsonb)->>'\2' AS BIGINT)",
    ),
    (re.compile(r"SELECT (\w+)\.value FROM"), r"SELECT \1.value #>> '{}' FROM"),
    # a value that may be null compared with one
    (re.compile(r"\bIS NOT (\?|:\w+)"), r"IS DISTINCT FROM \1"),
    (re.compile(r"\binstr\((\w+\.\w+), (:\w+)\) > 0"), r"strpos(\1, \2) > 0"),
)
_NAMED = re.compile(r"(?<![:\w]):(\w+)")


@lru_cache(maxsize=512)
def translate(sql: str, params: bool = True) -> str:
    """A statement of the store's SQL as PostgreSQL reads it (``params``: it is given
    parameters, so its own ``%`` are escaped for psycopg)."""
    if sql.lstrip().upper().startswith("CREATE TABLE"):
        for pattern, repl in _TYPES:
            sql = pattern.sub(repl, sql)
    for pattern, repl in _JSON:
        sql = pattern.sub(repl, sql)
    if not params:
        return sql
    sql = sql.replace("%", "%%").replace("?", "%s")
    return _NAMED.sub(r"%(\1)s", sql)


def _param(value: Any) -> Any:
    """A parameter as the PostgreSQL columns take it: SQLite's booleans are integers."""
    return int(value) if isinstance(value, bool) else value


def _params(params: Sequence[Any] | Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
    if isinstance(params, Mapping):
        return {k: _param(v) for k, v in params.items()}
    return [_param(v) for v in params]


class _Cursor:
    """The part of :class:`sqlite3.Cursor` the store uses, over a psycopg cursor."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    @property
    def rowcount(self) -> int:
        return int(self._cur.rowcount)

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description is not None else None

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall()) if self._cur.description is not None else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """A PostgreSQL connection with the interface of :class:`sqlite3.Connection` that the store
    uses, in autocommit mode (the store's own ``BEGIN`` ... ``COMMIT`` make its transactions)."""

    dialect = "postgresql"

    def __init__(self, url: str, *, timeout_s: float = 10.0) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - a dependency
            raise InputError("a PostgreSQL store needs the psycopg package") from exc
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout_s)))
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"cannot connect ({first})", redact(url)) from None

    def cursor(self) -> PgConnection:
        return self

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> _Cursor:
        cur = self._conn.cursor()
        values = _params(params)
        if values:
            cur.execute(translate(sql), values)
        else:
            cur.execute(translate(sql, False))
        return _Cursor(cur)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | Mapping[str, Any]]) -> _Cursor:
        rows = [_params(p) for p in seq]
        cur = self._conn.cursor()
        if rows:
            cur.executemany(translate(sql), rows)
        return _Cursor(cur)

    def executescript(self, script: str) -> None:
        for stmt in script.split(";"):
            if stmt.strip():
                self.execute(stmt)

    def close(self) -> None:
        self._conn.close()


# ---------------------------------------------------------------------------------------------
# Geometry


@dataclass(frozen=True)
class Dialect:
    """How a store writes and reads a point in its database."""

    name: str  # "sqlite" (a GeoPackage) or "postgresql" (PostGIS)

    @property
    def point_sql(self) -> str:
        """The SQL of a point from its parameters (:meth:`point_params`)."""
        return "?" if self.name == "sqlite" else "ST_SetSRID(ST_MakePoint(?, ?), 4326)"

    def point_params(self, lon: float, lat: float) -> tuple[Any, ...]:
        if self.name == "sqlite":
            from .store import gpkg_point

            return (gpkg_point(lon, lat),)
        return (lon, lat)

    @property
    def point_columns(self) -> str:
        """What to select to read a point back (:meth:`read_point`)."""
        return "geom" if self.name == "sqlite" else "ST_X(geom), ST_Y(geom)"

    def read_point(self, values: Sequence[Any]) -> tuple[tuple[float, float], Sequence[Any]]:
        """(lon, lat) and the rest, from a row that starts with :attr:`point_columns`."""
        if self.name == "sqlite":
            import struct

            lon, lat = struct.unpack("<dd", values[0][13:29])
            return (lon, lat), values[1:]
        return (float(values[0]), float(values[1])), values[2:]


SQLITE = Dialect("sqlite")
POSTGRESQL = Dialect("postgresql")
