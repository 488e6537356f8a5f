#!/usr/bin/env bash
# The load runs of benchmarks/RESULTS.md, one after another, each appending one JSON line to OUT.
#
#   benchmarks/load_matrix.sh [OUT]      # default benchmarks/work/load-matrix.jsonl; about 25 minutes
#
# Run it on a quiet machine (nothing else running), from the repository root, with the demo built
# (`make demo`) and PostgreSQL reachable at $KOERS_TEST_POSTGRES_URL (an admin URL; `.ci/start-postgres`
# starts one). The replica runs use their own database, koers_load, built with the demo on first use.
# Each line is load.py's JSON with a "run" label in front; `jq -c '{run, p50_s, p95_s, errors}' OUT` reads it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
OUT=${1:-benchmarks/work/load-matrix.jsonl}
mkdir -p "$(dirname "$OUT")"
export KOERS_TEST_POSTGRES_URL=${KOERS_TEST_POSTGRES_URL:-$(.ci/start-postgres)}

run() {  # run LABEL load.py-options...
  local label=$1
  shift
  echo "$(date +%H:%M:%S) $label" >&2
  "$PY" benchmarks/load.py --json "$@" | "$PY" -c "$LABEL" "$label" >>"$OUT" ||
    echo "{\"run\": \"$label\", \"failed\": true}" >>"$OUT"  # the next runs still run
}
LABEL='import json, sys; print(json.dumps({"run": sys.argv[1], **json.load(sys.stdin)}))'

# The protocol client against the browser: same journey (target moves only), 5 users, one DuckDB server.
run "agreement: browser, 5 sessions" --sessions 5
run "agreement: protocol, 5 sessions" --protocol --hire-moves 0 --sessions 5
# The server's cost of a move, one user alone (not load.py: its own JSON, with the label added here).
"$PY" benchmarks/rerun_cost.py --moves 40 --json | "$PY" -c "$LABEL" "rerun cost, one user" >>"$OUT"

# One replica on PostgreSQL behind nginx, users thinking 5-15 s (a quarter of the moves change the hiring share).
run "1 replica, 25 sessions" --protocol --replicas 1 --sessions 25
run "1 replica, 50 sessions" --protocol --replicas 1 --sessions 50 --arrival 1
run "1 replica, 100 sessions" --protocol --replicas 1 --sessions 100 --arrival 1
# Two replicas.
run "2 replicas, 100 sessions" --protocol --replicas 2 --sessions 100 --arrival 1
run "2 replicas, 200 sessions" --protocol --replicas 2 --sessions 200 --arrival 0.5
# The burst: everyone moves at once, nobody thinks.
run "burst, 1 replica, 25 sessions" --protocol --replicas 1 --sessions 25 --think 0 0
run "burst, 1 replica, 50 sessions" --protocol --replicas 1 --sessions 50 --think 0 0 --arrival 1
run "burst, 2 replicas, 50 sessions" --protocol --replicas 2 --sessions 50 --think 0 0 --arrival 1
# Faults under load (benchmarks/faults.py): one of two replicas killed 30 s into the rounds, then PostgreSQL
# restarted 30 s into the rounds; each line's "drill" says how long the users took to come back and how many were lost.
run "drill: kill 1 of 2 replicas, 50 sessions" --protocol --replicas 2 --sessions 50 --arrival 0.5 --rounds 6 --kill-replica-at 30
run "drill: restart PostgreSQL, 50 sessions" --protocol --replicas 2 --sessions 50 --arrival 0.5 --rounds 6 --restart-postgres-at 30
echo "done: $OUT" >&2
