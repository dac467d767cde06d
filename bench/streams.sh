#!/usr/bin/env bash
# The event stream under load on PostgreSQL: STREAMS open streams on one server (the demo admin,
# who reads every event) while moves are offered at MOVES a second for DURATION seconds; reports
# the latency from each change (its event's timestamp, the change's transaction time) to its
# arrival on every stream, p50/p90/p99, and the server's resident memory before and under load.
#
#   bash bench/streams.sh
#   STREAMS=1000 MOVES=100 DURATION=30 DEALS=10000 SKIP_BUILD=1 bash bench/streams.sh
#
# The client is `bench/stream_client.rs` (Rust, one thread, frames scanned, not parsed);
# CLIENT=node runs the earlier `bench/streams.mjs` instead, which takes about a core to parse
# 1,000 streams' frames and so competes with the server it measures.
set -euo pipefail
cd "$(dirname "$0")/.."

STREAMS="${STREAMS:-1000}"
MOVES="${MOVES:-100}"
DURATION="${DURATION:-30}"
DEALS="${DEALS:-10000}"
PORT="${PORT:-18093}"
BENCH_DB=kariz_bench_streams
WORK="$(mktemp -d)"
trap 'kill "${SAMPLER_PID:-}" "${CLIENT_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh

CLIENT="${CLIENT:-rust}"
if [ "$CLIENT" = rust ]; then
  cargo build --release -q -p kariz --example stream_client
  STREAM_CLIENT=(./target/release/examples/stream_client)
else
  STREAM_CLIENT=(node bench/streams.mjs)
fi
prepare_run "$DEALS"
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
echo "server RSS before streams: $(( $(rss) / 1024 )) MiB"
"${STREAM_CLIENT[@]}" "$BASE" "$KARIZ_TOKEN" "$STREAMS" "$(( DURATION + 4 ))" "$WORK/ready" >"$WORK/client.json" &
CLIENT_PID=$!
for _ in $(seq 1 600); do [ -f "$WORK/ready" ] && break; sleep 0.1; done
[ -f "$WORK/ready" ] || { echo "the streams did not open" >&2; exit 1; }
echo "server RSS with $STREAMS idle streams: $(( $(rss) / 1024 )) MiB"
sample_rss "$WORK/rss.txt" 0.5
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
TICKS_BEFORE="$(cpu_ticks)"
CONNECTIONS=10
echo "== moves: wrk -t1 -c$CONNECTIONS -d${DURATION}s -s bench/wrk/move.lua, $(( CONNECTIONS * 1000 / (CONNECTIONS * 1000 / MOVES) ))/s offered"
KARIZ_DELAY_MS=$(( CONNECTIONS * 1000 / MOVES )) wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/move.lua "$BASE" | tee "$WORK/wrk.txt"
TICKS_AFTER="$(cpu_ticks)"
wait "$CLIENT_PID"
echo "server CPU during the moves: $(( (TICKS_AFTER - TICKS_BEFORE) / $(getconf CLK_TCK) )) s of ${DURATION} s (2 cores: $(( 2 * DURATION )) s in all)"
echo "== streams: $(cat "$WORK/client.json")"
echo "server RSS under load: peak $(( $(sort -k2 -n "$WORK/rss.txt" | tail -n 1 | cut -d' ' -f2) / 1024 )) MiB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
