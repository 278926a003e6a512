#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL 15 cluster on a
# free loopback port, then removes the cluster. The cluster logic is the local CKAN
# manager's (ckanlocal/postgres.py): one way to make, start and stop a cluster.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=$repo/.venv/bin/python
[ -x "$python" ] || python=python3
PYTHONPATH="$repo${PYTHONPATH:+:$PYTHONPATH}" exec "$python" -m ckanlocal.postgres "$@"
