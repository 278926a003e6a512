#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those that are missing.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# The load balancer of `make cluster-demo`, tests/cluster and the site bench.
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v npm >/dev/null 2>&1 || need+=(npm)

if [ ${#need[@]} -eq 0 ]; then
  echo "==> System packages present"
  exit 0
fi
echo "==> Installing system packages: ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: installing ${need[*]} needs root (apt-get). Install them and re-run." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts a default PostgreSQL cluster and Redis on install; the project runs
# its own on free ports (HAProxy too), so the packaged services are not needed.
(command -v systemctl >/dev/null && systemctl disable --now redis-server postgresql haproxy) >/dev/null 2>&1 || true
echo "==> System packages installed"
