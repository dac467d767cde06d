#!/usr/bin/env bash
# Load benchmark of the API on PostgreSQL: GET one deal, the board (8 stages, 2,000 open deals,
# first 50 per column) and moves, each at 32 connections for a bounded time, beside `pgbench -S`
# with the same client count in the same run. Loopback only; every loop is bounded.
#
#   bash bench/run.sh            # or: make bench
#   DURATION=30s CONNECTIONS=32 DEALS=2000 bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
DEALS="${DEALS:-2000}"
PORT="${PORT:-18089}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
WORK="$(mktemp -d)"
trap 'kill "${SERVER_PID:-}" "${SAMPLER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

bash .ci/ensure-postgres
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz

psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS kariz_bench WITH (FORCE)" -c "CREATE DATABASE kariz_bench"
export DATABASE_URL="$PG/kariz_bench" KARIZ_DEMO=false KARIZ_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
  KARIZ_JWT_SECRET="bench-secret-bench-secret-bench-secret" KARIZ_ACCESS_TOKEN_TTL_SECONDS=3600 KARIZ_DATA_DIR="$WORK"
./target/release/kariz seed --demo --deals "$DEALS" >/dev/null
# Fresh planner statistics, as autovacuum would have gathered on a live database.
psql "$PG/kariz_bench" -q -c "VACUUM ANALYZE"
# A load test sends faster than any person: the per-user rate limit would only measure itself.
export KARIZ_RATE_LIMIT_USER=off KARIZ_RATE_LIMIT_API_KEY=off
./target/release/kariz serve &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

BASE="http://127.0.0.1:$PORT"
export KARIZ_TOKEN
KARIZ_TOKEN="$(curl -fs "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"demo@kariz.local","password":"kariz-demo-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
export KARIZ_PIPELINE KARIZ_DEALS_FILE="$WORK/deals.txt" KARIZ_STAGES_FILE="$WORK/stages.txt"
KARIZ_PIPELINE="$(curl -fs "$BASE/api/v1/pipelines" -H "authorization: Bearer $KARIZ_TOKEN" | python3 -c '
import json, sys
pipeline = json.load(sys.stdin)["data"][0]
open(sys.argv[1], "w").write("\n".join(s["id"] for s in pipeline["stages"]) + "\n")
print(pipeline["id"])' "$KARIZ_STAGES_FILE")"
python3 - "$BASE" "$KARIZ_TOKEN" "$KARIZ_DEALS_FILE" <<'PY'
import json, sys, urllib.request
base, token, out = sys.argv[1:4]
ids, cursor = [], None
for _ in range(1000):
    url = f"{base}/api/v1/deals?limit=200" + (f"&cursor={cursor}" if cursor else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"authorization": f"Bearer {token}"})))
    ids += [d["id"] for d in page["data"]]
    cursor = page["next_cursor"]
    if not cursor:
        break
open(out, "w").write("\n".join(ids) + "\n")
PY
echo "seeded: $(wc -l < "$KARIZ_DEALS_FILE") deals in $(wc -l < "$KARIZ_STAGES_FILE") stages"

# Resident memory of the server, sampled every 200 ms while the load runs.
( while kill -0 "$SERVER_PID" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; sleep 0.2; done ) > "$WORK/rss.txt" &
SAMPLER_PID=$!

run() {
  local name="$1" script="$2"
  echo "== $name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "bench/wrk/$script" "$BASE" | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in|Socket errors"
}
# Closed loop: 32 connections each sending its next request as soon as the last one answers,
# so this measures the most the server can do, and latency at saturation.
run "GET /deals/{id}" get_deal.lua
run "GET /pipelines/{id}/board" board.lua
run "POST /deals/{id}/move" move.lua

# Steady rate: the same 32 connections, each pausing between requests, for latency below
# saturation (board at ~100/s, moves at ~500/s).
steady() {
  local name="$1" script="$2" per_second="$3"
  local pause=$(( CONNECTIONS * 1000 / per_second ))
  echo "== $name at ~$per_second req/s: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, ${pause} ms between requests per connection"
  KARIZ_DELAY_MS="$pause" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "bench/wrk/$script" "$BASE" \
    | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in|Socket errors"
}
steady "GET /pipelines/{id}/board" board.lua "${BOARD_RATE:-100}"
steady "POST /deals/{id}/move" move.lua "${MOVE_RATE:-500}"
steady "GET /deals/{id}" get_deal.lua "${GET_RATE:-1000}"
echo "== server resident memory: max $(sort -n "$WORK/rss.txt" | tail -1) KiB over $(wc -l < "$WORK/rss.txt") samples"

echo "== pgbench -S -c$CONNECTIONS -j$THREADS -T${DURATION%s} (same machine, same run)"
psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS kariz_pgbench WITH (FORCE)" -c "CREATE DATABASE kariz_pgbench"
pgbench -q -i -s 10 "$PG/kariz_pgbench" >/dev/null 2>&1
pgbench -S -c "$CONNECTIONS" -j "$THREADS" -T "${DURATION%s}" "$PG/kariz_pgbench" 2>/dev/null | grep -E "^tps|latency average"
echo "== moves recorded: $(psql "$PG/kariz_bench" -Atc "SELECT COUNT(*) FROM stage_history WHERE from_stage_id IS NOT NULL") stage changes, $(psql "$PG/kariz_bench" -Atc "SELECT COUNT(*) FROM events WHERE event_type = 'deal.stage_changed'") events"
