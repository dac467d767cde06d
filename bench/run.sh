#!/usr/bin/env bash
# Load benchmark of the API on PostgreSQL with 100,000 open deals (8 stages): GET one deal, the
# deals list (first page, and a filtered and sorted page), the board (first 50 cards per
# column), moves and intake submissions, each at 32 connections for a bounded time, then
# `pgbench -S` (read-only) and `pgbench -N` (one-row updates and an insert per transaction, no
# branch/teller hot spots) with the same client count in the same run, to set GET one deal and
# a move against what PostgreSQL itself does on this machine; the server's resident memory is
# sampled throughout. Loopback only; every loop is bounded.
#
#   bash bench/run.sh            # or: make bench
#   DURATION=30s CONNECTIONS=32 DEALS=100000 SKIP_BUILD=1 bash bench/run.sh
#   ONLY='^GET /deals/\{id\}$|^POST /deals/\{id\}/move$' bash bench/run.sh   # some loads only (a regex
#                                                    # on their names), for repeated A/B runs
#   SETUP_SQL='DROP INDEX ix_deals_amount' ONLY='^POST /deals' bash bench/run.sh   # SQL on the seeded
#                                                    # database before the loads (A/B of a schema change)
#   PROFILE=/tmp/profiles ONLY=board bash bench/run.sh   # where each load's time goes (perf)
#   SKIP_SEED=1 BENCH_DB=kariz_reports_bench KARIZ_SEARCH_QUERIES=deal%2012,eal%2099 bash bench/run.sh
#                                                    # another script's database as it is, and search
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
DEALS="${DEALS:-100000}"
PORT="${PORT:-18089}"
BENCH_DB="${BENCH_DB:-kariz_bench}"
WORK="$(mktemp -d)"
trap 'kill "${SAMPLER_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh

prepare_run "$DEALS"
# SETUP_SQL runs on the seeded database before the loads: an A/B run of a schema change (drop an
# index a migration added, say) with the same binary, seed and machine.
if [ -n "${SETUP_SQL:-}" ]; then
  echo "== setup: $SETUP_SQL"
  psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -c "$SETUP_SQL"
fi
sample_rss "$WORK/rss.txt" 0.2
echo "$(wc -l < "$KARIZ_DEALS_FILE") deals in $(wc -l < "$KARIZ_STAGES_FILE") stages"

TABLE="$WORK/table.md"
echo "| request | requests/s | p50 | p90 | p99 | non-2xx | socket errors |" > "$TABLE"
echo "| --- | --- | --- | --- | --- | --- | --- |" >> "$TABLE"
# Where the cores went during each load: CPU milliseconds per request (and share of the
# machine's time) of the server, PostgreSQL, the load generator and the rest (bench/cpu_split.py).
CPU_TABLE="$WORK/cpu.md"
echo "| load | server ms/request | PostgreSQL ms/request | load generator ms/request | other | idle |" > "$CPU_TABLE"
echo "| --- | --- | --- | --- | --- | --- |" >> "$CPU_TABLE"
# Runs a load generator command (`$2…`) for the load named `$1`, adding its row to CPU_TABLE;
# the command's output is in "$WORK/gen.txt", and REQUESTS_RE picks its request count.
measure_cpu() {
  local name="$1"; shift
  python3 bench/cpu_split.py snap "$SERVER_PID" > "$WORK/cpu-before.json"
  /usr/bin/time -f '%U %S' -o "$WORK/gen.time" "$@" > "$WORK/gen.txt"
  python3 bench/cpu_split.py snap "$SERVER_PID" > "$WORK/cpu-after.json"
  local requests gen_seconds
  requests="$(grep -oE "$REQUESTS_RE" "$WORK/gen.txt" | grep -oE '[0-9]+' | head -1)"
  gen_seconds="$(awk '{print $1 + $2}' "$WORK/gen.time")"
  echo "| $name $(python3 bench/cpu_split.py report "$WORK/cpu-before.json" "$WORK/cpu-after.json" "${requests:-1}" "$gen_seconds")" >> "$CPU_TABLE"
}
# One wrk run: its full report goes to the output, its summary row to the table.
load() {
  local name="$1" script="$2"
  if [ -n "${ONLY:-}" ] && ! [[ "$name" =~ $ONLY ]]; then return 0; fi
  echo "== $name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/wrk/$script${KARIZ_DELAY_MS:+ (${KARIZ_DELAY_MS} ms between requests per connection)}"
  [ -z "${PROFILE:-}" ] || profile_start "$name"
  REQUESTS_RE='[0-9]+ requests in' measure_cpu "$name" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "bench/wrk/$script" "$BASE"
  tee "$WORK/wrk.txt" < "$WORK/gen.txt" | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in|Socket errors"
  python3 bench/wrk_row.py "$name" < "$WORK/wrk.txt" >> "$TABLE"
  [ -z "${PROFILE:-}" ] || profile_report
}
# PROFILE=<folder>: each load is also sampled by `perf record` on every CPU (call graphs, 499 Hz,
# the load's duration less two seconds), kept in the folder, and summarized: the share of each
# program and library, then the hottest functions of the server and of PostgreSQL.
profile_start() {
  mkdir -p "$PROFILE"
  PROFILE_DATA="$PROFILE/$(echo "$1" | tr -c 'A-Za-z0-9' '_').perf"
  perf record -q -F 499 -a -g -o "$PROFILE_DATA" -- sleep "$(( ${DURATION%s} - 2 ))" 2>/dev/null &
  PERF_PID=$!
}
profile_report() {
  wait "$PERF_PID" || true
  echo "-- profile ($PROFILE_DATA): share by program and library"
  # `|| true`: head closing the pipe early is not a failure.
  perf report -i "$PROFILE_DATA" --no-children --sort comm,dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12 || true
  # The server's threads have names of their own: its functions are picked by process id.
  for program in "the server|--pid=$SERVER_PID" "PostgreSQL|--comms=postgres"; do
    echo "-- hottest functions of ${program%%|*}"
    perf report -i "$PROFILE_DATA" --no-children "${program#*|}" --sort sym --stdio -g none 2>/dev/null \
      | grep -E '^ +[0-9]' | head -25 || true
  done
}
# Closed loop: 32 connections each sending its next request as soon as the last one answers,
# so this measures the most the server can do, and latency at saturation.
load "GET /deals/{id}" get_deal.lua
load "GET /deals (first page)" list.lua
KARIZ_LIST_FILTERED=1 load "GET /deals (one stage, open, by amount)" list.lua
load "GET /pipelines/{id}/board" board.lua
load "POST /deals/{id}/move" move.lua
load "POST /intake/leads" intake.lua
# Global search, when the caller names queries that match its seed (comma-separated, URL-encoded).
if [ -n "${KARIZ_SEARCH_QUERIES:-}" ]; then
  for query in ${KARIZ_SEARCH_QUERIES//,/ }; do
    echo "search '$query': $(curl -fs "$BASE/api/v1/search?q=$query" -H "authorization: Bearer $KARIZ_TOKEN" \
      | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]), "hits")')"
  done
  load "GET /search" search.lua
fi

# Steady rate: the same 32 connections, each pausing between requests, for latency below
# saturation (board at ~100/s, moves at ~500/s, GET at ~1,000/s).
steady() {
  local name="$1" script="$2" per_second="$3"
  KARIZ_DELAY_MS=$(( CONNECTIONS * 1000 / per_second )) load "$name at ~$per_second/s" "$script"
}
steady "GET /pipelines/{id}/board" board.lua "${BOARD_RATE:-100}"
steady "POST /deals/{id}/move" move.lua "${MOVE_RATE:-500}"
steady "GET /deals/{id}" get_deal.lua "${GET_RATE:-1000}"
RSS_MAX="$(sort -n -k2 "$WORK/rss.txt" | tail -1 | cut -d' ' -f2)"

psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS kariz_pgbench WITH (FORCE)" -c "CREATE DATABASE kariz_pgbench"
pgbench -q -i -s 10 "$PG/kariz_pgbench" >/dev/null 2>&1
# One pgbench mode's tps, same clients and duration as the loads above.
pgbench_tps() {
  echo "== pgbench $1 -c$CONNECTIONS -j$THREADS -T${DURATION%s} (same machine, same run)" >&2
  REQUESTS_RE='processed: [0-9]+' measure_cpu "pgbench $1" pgbench "$1" -c "$CONNECTIONS" -j "$THREADS" -T "${DURATION%s}" "$PG/kariz_pgbench" 2>/dev/null
  tee "$WORK/pgbench.txt" < "$WORK/gen.txt" | grep -E "^tps|latency average" >&2
  awk '/^tps/ {printf "%.0f", $3}' "$WORK/pgbench.txt"
}
PGBENCH_S="$(pgbench_tps -S)"
PGBENCH_N="$(pgbench_tps -N)"
# A load's requests/s from the table, by its name (empty when ONLY left it out).
throughput() { awk -F'|' -v name=" $1 " '$2 == name {gsub(/[ ,]/, "", $3); print $3}' "$TABLE"; }
ratio() { if [ -n "$1" ]; then echo "$(( $1 * 100 / $2 ))%"; else echo "not run"; fi; }

echo "== summary"
cat "$TABLE"
echo "| \`pgbench -S\`, same client count, same run | $PGBENCH_S tps | | | | | |"
echo "| \`pgbench -N\`, same client count, same run | $PGBENCH_N tps | | | | | |"
echo "== where the cores went (CPU time per request or transaction; share of the machine's time)"
cat "$CPU_TABLE"
echo "GET one deal / pgbench -S: $(ratio "$(throughput 'GET /deals/{id}')" "$PGBENCH_S")"
echo "move / pgbench -N: $(ratio "$(throughput 'POST /deals/{id}/move')" "$PGBENCH_N")"
echo "server resident memory: max $(( RSS_MAX / 1024 )) MiB over $(wc -l < "$WORK/rss.txt") samples"
echo "moves recorded: $(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM stage_history WHERE from_stage_id IS NOT NULL") stage changes, $(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM events WHERE event_type = 'deal.stage_changed'") events; intake: $(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM leads WHERE email LIKE 'load-%'") leads"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
