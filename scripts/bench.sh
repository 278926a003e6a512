#!/usr/bin/env bash
# Runs every benchmark in benchmarks/ in turn. Each prints ratios measured within
# its own run, so the figures compare like with like on a shared, noisy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for bench in benchmarks/bench_*.py; do
  echo
  echo "==> $bench"
  .venv/bin/python "$bench" || { echo "!! $bench failed"; status=1; }
done
exit $status
