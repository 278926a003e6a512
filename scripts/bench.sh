#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ in turn, then prints their tables together. Each
# prints ratios measured within its own run, so the figures compare like with like on a
# shared, noisy machine. Full outputs go to var/bench/.
#
#   bash scripts/bench.sh                 # all of them
#   bash scripts/bench.sh site portal     # only benchmarks/bench_site.py and bench_portal.py
set -uo pipefail
cd "$(dirname "$0")/.."
out=var/bench
mkdir -p "$out"
if [[ $# -gt 0 ]]; then
  benches=()
  for name in "$@"; do benches+=("benchmarks/bench_${name}.py"); done
else
  benches=(benchmarks/bench_*.py)
fi
started=$(date +%s)
failed=()
for bench in "${benches[@]}"; do
  name=$(basename "$bench" .py)
  echo
  echo "==> $bench (output: $out/$name.txt)"
  .venv/bin/python "$bench" 2>&1 | tee "$out/$name.txt"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || failed+=("$name")
done

echo
echo "================ make bench: every table, one run ($(( $(date +%s) - started )) s, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)) ================"
for bench in "${benches[@]}"; do
  name=$(basename "$bench" .py)
  echo
  echo "-- $name"
  grep -v -e '^==> ' -e '^\s*$' "$out/$name.txt" | sed 's/^/   /'
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo
  echo "BENCH: FAILED: ${failed[*]} (see their output above)"
  exit 1
fi
