#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those that are missing.
# The list is scripts/system-packages.txt (the local CKAN manager reads it too).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

present() {  # probe: cmd:NAME | path:FILE | lib:NAME
  case "$1" in
    cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
    path:*) [ -x "${1#path:}" ] ;;
    lib:*) ldconfig -p 2>/dev/null | grep -q "lib${1#lib:}\.so" ;;
    *) echo "error: unknown probe '$1' in system-packages.txt" >&2; exit 1 ;;
  esac
}

need=()
while read -r package probe _groups; do
  case "$package" in ''|'#'*) continue ;; esac
  present "$probe" || need+=("$package")
done < "$here/system-packages.txt"

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
