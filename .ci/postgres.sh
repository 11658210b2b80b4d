#!/usr/bin/env bash
# A local PostgreSQL for the ledger tests: installs it from Debian if missing, starts a cluster on
# 127.0.0.1, makes a user and a database, and prints the line to export:
#
#   eval "$(.ci/postgres.sh)"      # then: .venv/bin/pytest tests/test_ledger*.py
#
# Run as root (it uses apt-get and runs the server as the postgres user). Settings by env:
# PG_PORT (5433), PG_USER (reportedly), PG_PASSWORD (reportedly), PG_DB (reportedly_test).
# Everything but the final export line goes to stderr.
set -euo pipefail

PG_PORT="${PG_PORT:-5433}"
PG_USER="${PG_USER:-reportedly}"
PG_PASSWORD="${PG_PASSWORD:-reportedly}"
PG_DB="${PG_DB:-reportedly_test}"
CLUSTER="${PG_CLUSTER:-reportedly}"

log() { echo "postgres.sh: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  log "installing postgresql from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
BIN="/usr/lib/postgresql/${VERSION}/bin"

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

if command -v pg_ctlcluster >/dev/null 2>&1; then
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "${VERSION} ${CLUSTER}"; then
    log "creating cluster ${VERSION}/${CLUSTER} on port ${PG_PORT}"
    pg_createcluster -p "${PG_PORT}" "${VERSION}" "${CLUSTER}" -- --auth-local=peer --auth-host=scram-sha-256 >&2
  fi
  PG_PORT="$(pg_lsclusters -h | awk -v v="${VERSION}" -v c="${CLUSTER}" '$1==v && $2==c {print $3}')"
  if ! pg_lsclusters -h | awk -v v="${VERSION}" -v c="${CLUSTER}" '$1==v && $2==c {print $4}' | grep -q online; then
    log "starting cluster ${VERSION}/${CLUSTER} (127.0.0.1:${PG_PORT})"
    pg_ctlcluster -o "-c listen_addresses=127.0.0.1" "${VERSION}" "${CLUSTER}" start >&2
  fi
  SOCKDIR=/var/run/postgresql
else
  # no Debian wrappers: a data directory of our own, run with pg_ctl
  DATA="${PG_DATA:-/var/lib/postgresql/reportedly-data}"
  SOCKDIR="${DATA}"
  mkdir -p "${DATA}" && chown postgres:postgres "${DATA}"
  if [ ! -f "${DATA}/PG_VERSION" ]; then
    as_postgres "${BIN}/initdb" -D "${DATA}" --auth-local=trust --auth-host=scram-sha-256 >&2
  fi
  if ! as_postgres "${BIN}/pg_ctl" -D "${DATA}" status >/dev/null 2>&1; then
    as_postgres "${BIN}/pg_ctl" -D "${DATA}" -l "${DATA}/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p ${PG_PORT} -k ${DATA}" start >&2
  fi
fi

for _ in $(seq 1 30); do
  as_postgres "${BIN}/pg_isready" -h 127.0.0.1 -p "${PG_PORT}" >/dev/null 2>&1 && break
  sleep 1
done

psql_admin() { as_postgres psql -h "${SOCKDIR}" -p "${PG_PORT}" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='${PG_USER}'")" != "1" ]; then
  log "creating user ${PG_USER}"
  psql_admin -c "CREATE ROLE \"${PG_USER}\" LOGIN PASSWORD '${PG_PASSWORD}'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='${PG_DB}'")" != "1" ]; then
  log "creating database ${PG_DB}"
  psql_admin -c "CREATE DATABASE \"${PG_DB}\" OWNER \"${PG_USER}\"" >&2
fi

echo "export REPORTEDLY_TEST_PG_URL=postgresql+psycopg://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/${PG_DB}"
