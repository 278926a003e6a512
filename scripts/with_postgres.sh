#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL 15 cluster on a
# free loopback port, then removes the cluster. The cluster logic is the local CKAN
# manager's (ckanlocal/postgres.py): one way to make, start and stop a cluster.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=$repo/.venv/bin/python
[ -x "$python" ] || python=python3
# The repository goes on the cluster manager's own sys.path, not into PYTHONPATH: the command
# it runs must see the environment as it is (with the repository in PYTHONPATH, its
# concertem.egg-info reads as a second, non-editable install of the project).
exec "$python" -c 'import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); runpy.run_module("ckanlocal.postgres", run_name="__main__", alter_sys=True)' "$repo" "$@"
