#!/usr/bin/env bash
# Start a throwaway PostgreSQL server with PostGIS on 127.0.0.1 for the tests of the team store
# (Debian's postgresql and postgresql-*-postgis-3 packages), and print its connection URL.
#
#   scripts/pg_server.sh start DIR   # initdb DIR (once), start it, create database geomap_test
#   scripts/pg_server.sh stop DIR
#
# The server listens on 127.0.0.1 only, at the port in $GEOMAP_PG_PORT (default 54329), trusts
# local connections (a test server: nothing else runs on it) and runs as the postgres user when
# started by root (PostgreSQL refuses to run as root).
set -euo pipefail
ACTION="${1:?start or stop}"
DIR="${2:?data directory}"
PORT="${GEOMAP_PG_PORT:-54329}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$BIN" ] || { echo "pg_server: PostgreSQL server binaries not found" >&2; exit 2; }
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$ACTION" in
  start)
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
    if [ ! -f "$DIR/PG_VERSION" ]; then
      as_pg "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$DIR" -w -t 60 -l "$DIR/server.log" \
        -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=60" start >/dev/null
    fi
    URL="postgresql://postgres@127.0.0.1:$PORT/geomap_test"
    if ! psql "postgresql://postgres@127.0.0.1:$PORT/postgres" -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'geomap_test'" | grep -q 1; then
      psql -q "postgresql://postgres@127.0.0.1:$PORT/postgres" -c "CREATE DATABASE geomap_test"
    fi
    psql -q "$URL" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
    echo "$URL"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$DIR" -w -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "pg_server: start or stop" >&2
    exit 2
    ;;
esac
