#!/usr/bin/env bash
# Stage change → webhook received, on PostgreSQL: moves at a steady rate (default ~500/s for
# 30 s, 32 connections) while one subscription delivers every `deal.stage_changed` to a local
# endpoint that records each message's latency from the change. Reports p50/p99 and checks that
# every committed stage change arrived. Loopback only; bounded in time.
#
#   bash bench/webhooks.sh     MOVE_RATE=500 DURATION=30s bash bench/webhooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-30s}"
CONNECTIONS="${CONNECTIONS:-32}"
MOVE_RATE="${MOVE_RATE:-500}"
DEALS="${DEALS:-2000}"
PORT="${PORT:-18090}"
RECEIVER_PORT="${RECEIVER_PORT:-18091}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
WORK="$(mktemp -d)"
stop_server() { [ -z "${SERVER_PID:-}" ] || kill "$SERVER_PID" 2>/dev/null || true; }
trap 'kill "${RECEIVER_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT

bash .ci/ensure-postgres
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz
KARIZ_BIN="${KARIZ_BIN:-./target/release/kariz}"   # or another build, for an A/B run

psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS kariz_bench_webhooks WITH (FORCE)" -c "CREATE DATABASE kariz_bench_webhooks"
export DATABASE_URL="$PG/kariz_bench_webhooks" KARIZ_DEMO=false KARIZ_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
  KARIZ_JWT_SECRET="bench-secret-bench-secret-bench-secret" KARIZ_ACCESS_TOKEN_TTL_SECONDS=3600 KARIZ_DATA_DIR="$WORK" \
  KARIZ_WEBHOOKS_ALLOW_PRIVATE=true
"$KARIZ_BIN" seed --demo --deals "$DEALS" >/dev/null
psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"
python3 bench/webhook_receiver.py "$RECEIVER_PORT" "$WORK/latencies.txt" &
RECEIVER_PID=$!
# A load test sends faster than any person: the per-user rate limit would only measure itself.
export KARIZ_RATE_LIMIT_USER=off KARIZ_RATE_LIMIT_API_KEY=off
"$KARIZ_BIN" serve &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

BASE="http://127.0.0.1:$PORT"
export KARIZ_TOKEN KARIZ_DEALS_FILE="$WORK/deals.txt" KARIZ_STAGES_FILE="$WORK/stages.txt"
KARIZ_TOKEN="$(curl -fs "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"demo@kariz.local","password":"kariz-demo-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
curl -fs "$BASE/api/v1/webhooks" -H "authorization: Bearer $KARIZ_TOKEN" -H 'content-type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"event_types\":[\"deal.stage_changed\"]}" >/dev/null
curl -fs "$BASE/api/v1/pipelines" -H "authorization: Bearer $KARIZ_TOKEN" | python3 -c '
import json, sys
open(sys.argv[1], "w").write("\n".join(s["id"] for s in json.load(sys.stdin)["data"][0]["stages"]) + "\n")' "$KARIZ_STAGES_FILE"
psql "$DATABASE_URL" -Atc "SELECT id FROM deals" > "$KARIZ_DEALS_FILE"

PAUSE=$(( CONNECTIONS * 1000 / MOVE_RATE ))
echo "== moves at ~$MOVE_RATE/s for $DURATION ($CONNECTIONS connections, ${PAUSE} ms apart each) with a webhook per stage change"
KARIZ_DELAY_MS="$PAUSE" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk/move.lua "$BASE" | grep -E "Requests/sec|Non-2xx|50%|99%|requests in"

# Let the queue drain (bounded), then stop the receiver so it writes its record.
for _ in $(seq 1 300); do
  pending="$(psql "$DATABASE_URL" -Atc "SELECT (SELECT COUNT(*) FROM events WHERE dispatched_at IS NULL) + (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending')")"
  [ "$pending" = "0" ] && break
  sleep 0.1
done
kill -TERM "$RECEIVER_PID"; wait "$RECEIVER_PID" || true
committed="$(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM events WHERE event_type = 'deal.stage_changed'")"
python3 - "$WORK/latencies.txt" "$committed" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
committed = int(sys.argv[2])
ids = {r[0] for r in rows}
values = sorted(float(r[1]) for r in rows)
def pct(p):
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
print(f"== stage change → received: {len(values)} messages, {len(ids)} distinct of {committed} committed stage changes; lost: {committed - len(ids)}")
print(f"   p50 {pct(50):.1f} ms, p90 {pct(90):.1f} ms, p99 {pct(99):.1f} ms, max {values[-1]:.1f} ms")
PY
echo "== server resident memory at the end: $(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status") KiB"
