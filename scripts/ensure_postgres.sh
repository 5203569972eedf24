#!/usr/bin/env bash
# Makes sure the PostgreSQL tests have a real server with PostGIS, from the package registry only:
#   1. a PostgreSQL server answers at $SOCIALMAP_TEST_DATABASE_URL (default: user postgres on 127.0.0.1:5432);
#      when none is installed or running and we are root on Debian, install and start one;
#   2. the PostGIS package matching the server's major version is installed
#      (postgresql-<major>-postgis-3, with apt-get as root; otherwise the command is printed);
#   3. the database socialmap_test exists with CREATE EXTENSION postgis (the tests make a fresh
#      database per session next to it and drop it afterwards).
set -euo pipefail
URL="${SOCIALMAP_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
BASE="${URL%/*}"
export PGOPTIONS="--client-min-messages=warning"
is_root() { [ "$(id -u)" = "0" ]; }
apt_install() {
  echo "Installing $* for the PostgreSQL tests ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
sql() { psql "$URL" -v ON_ERROR_STOP=1 -tAqc "$1"; }

if ! command -v psql >/dev/null 2>&1; then
  if is_root && command -v apt-get >/dev/null 2>&1; then
    apt_install postgresql postgresql-client
    # A server installed here, for the tests only: user postgres may connect from 127.0.0.1 without a password.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      [ -f "$hba" ] || continue
      sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
      version="$(basename "$(dirname "$(dirname "$hba")")")"
      pg_ctlcluster "$version" main restart || pg_ctlcluster "$version" main start || true
    done
  else
    echo "PostgreSQL is missing: run 'sudo apt-get install postgresql postgresql-client' (Debian), or set SOCIALMAP_TEST_DATABASE_URL" >&2
    exit 1
  fi
fi
if ! sql "SELECT 1" >/dev/null 2>&1; then
  if is_root && command -v pg_ctlcluster >/dev/null 2>&1; then
    for cluster in /etc/postgresql/*/main; do
      [ -d "$cluster" ] || continue
      version="$(basename "$(dirname "$cluster")")"
      echo "Starting the PostgreSQL $version cluster ..."
      pg_ctlcluster "$version" main start || true
    done
    for _ in $(seq 1 30); do sql "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
  fi
  if ! sql "SELECT 1" >/dev/null 2>&1; then
    echo "No PostgreSQL server answers at $URL: start one, allow user postgres without a password on 127.0.0.1" >&2
    echo "(pg_hba.conf: 'host all postgres 127.0.0.1/32 trust'), or set SOCIALMAP_TEST_DATABASE_URL" >&2
    exit 1
  fi
fi
MAJOR="$(sql "SHOW server_version_num")"
MAJOR="$((MAJOR / 10000))"
if [ -z "$(sql "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")" ]; then
  if is_root && command -v apt-get >/dev/null 2>&1; then
    apt_install "postgresql-$MAJOR-postgis-3"
  else
    echo "PostGIS is missing: run 'sudo apt-get install postgresql-$MAJOR-postgis-3' (Debian)" >&2
    exit 1
  fi
fi
if [ -z "$(sql "SELECT 1 FROM pg_database WHERE datname = 'socialmap_test'")" ]; then
  sql "CREATE DATABASE socialmap_test" >/dev/null
fi
psql "$BASE/socialmap_test" -v ON_ERROR_STOP=1 -tAqc "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
echo "PostgreSQL $MAJOR with PostGIS $(psql "$BASE/socialmap_test" -tAqc "SELECT postgis_lib_version()") is ready for the tests"
