"""The store's two databases behind one interface (``geomap._db``): the translation of the
store's SQL for PostgreSQL, and a server that cannot be reached."""

from __future__ import annotations

import pytest

from geomap import InputError
from geomap._db import PgConnection, is_url, redact, translate
from geomap.cli import main


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("SELECT 1 FROM articles WHERE key = ?", "SELECT 1 FROM articles WHERE key = %s"),
        (
            "SELECT * FROM g WHERE a = :lo AND b IS NOT :article",
            "SELECT * FROM g WHERE a = %(lo)s AND b IS DISTINCT FROM %(article)s",
        ),
        ("SELECT 1 WHERE url LIKE '%/a.html' AND x = ?", "SELECT 1 WHERE url LIKE '%%/a.html' AND x = %s"),
        (
            "SELECT gid FROM k WHERE key IN (SELECT value FROM json_each(:keys))",
            "SELECT gid FROM k WHERE key = ANY(ARRAY(SELECT jsonb_array_elements_text(CAST(%(keys)s"
            " AS jsonb))))",
        ),
        (
            "DELETE FROM pending WHERE rid IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
            "DELETE FROM pending WHERE rid = ANY(ARRAY(SELECT CAST(jsonb_array_elements_text(CAST(%s AS"
            " jsonb)) AS BIGINT)))",
        ),
        (
            "EXISTS (SELECT 1 FROM p, json_each(:boxes) b WHERE p.lat BETWEEN json_extract(b.value, '$[0]')"
            " AND json_extract(b.value, '$[1]'))",
            "EXISTS (SELECT 1 FROM p, jsonb_array_elements(CAST(%(boxes)s AS jsonb)) b(value) WHERE p.lat"
            " BETWEEN CAST(b.value->>0 AS DOUBLE PRECISION) AND CAST(b.value->>1 AS DOUBLE PRECISION))",
        ),
        (
            "SELECT e.value FROM t JOIN r ON r.rid = t.rid, json_each(r.data) e WHERE t.gid = ?"
            " ORDER BY r.article, json_extract(e.value, '$.start'), t.seq, e.key",
            "SELECT e.value #>> '{}' FROM t JOIN r ON r.rid = t.rid, jsonb_array_elements(CAST(r.data AS"
            " jsonb)) WITH ORDINALITY e(value, key) WHERE t.gid = %s ORDER BY r.article,"
            " CAST(CAST(e.value #>> '{}' AS jsonb)->>'start' AS BIGINT), t.seq, e.key",
        ),
        (
            "AND (months = '' OR instr(c.months, :month) > 0)",
            "AND (months = '' OR strpos(c.months, %(month)s) > 0)",
        ),
    ],
)
def test_statements(sql, expected):
    assert translate(sql) == expected


def test_table_types():
    sql = translate(
        "CREATE TABLE t (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, n INTEGER, x REAL,"
        " seen DATETIME NOT NULL, ok BOOLEAN NOT NULL DEFAULT 0, name TEXT, PRIMARY KEY (n, x))"
        " WITHOUT ROWID",
        False,
    )
    assert sql == (
        "CREATE TABLE t (fid BIGSERIAL PRIMARY KEY, geom geometry(Point, 4326), n BIGINT, x DOUBLE PRECISION,"
        ' seen TEXT COLLATE "C" NOT NULL, ok BIGINT NOT NULL DEFAULT 0, name TEXT COLLATE "C",'
        " PRIMARY KEY (n, x))"
    )


def test_a_statement_without_parameters_keeps_its_percent_signs():
    assert translate("SELECT 1 WHERE url LIKE '%/a.html'", False) == "SELECT 1 WHERE url LIKE '%/a.html'"


def test_urls():
    assert is_url("postgresql://desk@db/border") and is_url("postgres://db/x")
    assert not is_url("incidents.gpkg") and not is_url(None)
    assert redact("postgresql://desk:s3cret@db:5432/border") == "postgresql://desk:***@db:5432/border"
    assert redact("postgresql://desk@db/border") == "postgresql://desk@db/border"


def test_an_unreachable_server_is_one_line_and_exit_2(capsys):
    url = "postgresql://nobody:s3cret@127.0.0.1:9/none"  # the discard port: nothing listens
    with pytest.raises(InputError) as exc:
        PgConnection(url, timeout_s=2)
    assert "s3cret" not in str(exc.value) and "cannot connect" in str(exc.value)
    with pytest.raises(SystemExit) as code:
        main(["export", url, "--format", "geojson"])
    err = capsys.readouterr().err
    assert code.value.code == 2 and len(err.strip().splitlines()) == 1 and "s3cret" not in err, err
