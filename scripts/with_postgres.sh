#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL 15 cluster
# on a free loopback port, then removes the cluster. initdb refuses to run as
# root, so the cluster belongs to the `postgres` user.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/concertem-pg.XXXXXX)
chmod 755 "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

run_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"

cleanup() {
  run_pg "$PGBIN/pg_ctl -D '$dir/data' -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

echo "==> Throwaway PostgreSQL on 127.0.0.1:$port"
run_pg "$PGBIN/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
run_pg "$PGBIN/pg_ctl -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
run_pg "$PGBIN/createdb -h 127.0.0.1 -p $port -U postgres concertem"

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/concertem"
"$@"
