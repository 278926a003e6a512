#!/usr/bin/env bash
# Serves the demo: the web site plus the background-task worker, stopped together.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
manage=".venv/bin/python site/manage.py"

$manage db_worker --queue-name '*' --no-reload >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT

cat <<MSG

  Concertem is running:
    Site (Català):   http://$host:$port/ca/
    Site (Español):  http://$host:$port/es/
    Site (English):  http://$host:$port/en/
    Editors' admin:  http://$host:$port/admin/   editor / concertem-editor
    Officials log in: http://$host:$port/ca/accounts/login/   (see the debates section below)
MSG
[ -f var/demo-logins.txt ] && sed 's/^/    /' var/demo-logins.txt
[ -f var/ckan/server.json ] && python3 -c 'import json; d=json.load(open("var/ckan/server.json")); print("    Local CKAN:       " + d["url"])'
echo "  Press Ctrl+C to stop."
echo
exec $manage runserver "$host:$port" --noreload
