#!/usr/bin/env bash
# Fault runs on PostgreSQL with 100,000 deals, under a steady write load (bench/fault_client.py:
# deals created, moved and intake leads, every acknowledged write recorded):
#   (a) PostgreSQL restarted mid-load: the server must recover on its own (readyz back to 200,
#       writes acknowledged again) without being restarted;
#   (b) the server SIGKILLed mid-load and started again.
# After each, every acknowledged write is looked up in the database (deals and moves with their
# outbox events, leads with theirs). Prints the counts, the failures during the fault and the
# recovery times; exits non-zero when an acknowledged write is missing or the server did not
# recover. Restarting PostgreSQL interrupts every other client of the machine's cluster.
#
#   bash bench/faults.sh
#   SKIP_BUILD=1 SECONDS_PER_RUN=40 FAULT_AFTER=15 THREADS=8 FAULTS="postgres kill" bash bench/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_SECONDS="${SECONDS_PER_RUN:-40}"
FAULT_AFTER="${FAULT_AFTER:-15}"
THREADS="${THREADS:-8}"
FAULTS="${FAULTS:-postgres kill}"
DEALS="${DEALS:-100000}"
PORT="${PORT:-18094}"
BENCH_DB=kariz_faults
WORK="$(mktemp -d)"
trap 'kill "${CLIENT_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh

prepare_run "$DEALS"

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
# Seconds from `$1` until /readyz answers 200 (at most 60 s; "never" otherwise).
ready_after() {
  for _ in $(seq 1 600); do
    if curl -fs -m 1 "$BASE/readyz" >/dev/null; then since "$1" "$(now)"; return 0; fi
    sleep 0.1
  done
  echo never
}

FAILED=0
# Runs the write load, applies the fault `$2` after FAULT_AFTER seconds, then checks.
fault_run() {
  local name="$1" fault="$2" out="$WORK/$1.jsonl"
  echo "== $name: $THREADS writer threads for ${RUN_SECONDS} s, fault after ${FAULT_AFTER} s"
  python3 bench/fault_client.py load "$BASE" "$KARIZ_TOKEN" "$KARIZ_API_KEY" "$KARIZ_PIPELINE" "$KARIZ_STAGES_FILE" \
    "$out" "$RUN_SECONDS" "$THREADS" &
  CLIENT_PID=$!
  sleep "$FAULT_AFTER"
  FAULT_AT="$(now)"
  "$fault"
  wait "$CLIENT_PID"
  python3 bench/fault_client.py check "$out" "$FAULT_AT" "$DATABASE_URL" || FAILED=1
}

restart_postgres() {
  local server_before="$SERVER_PID"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main restart
  echo "PostgreSQL restarted: accepting connections $(since "$FAULT_AT" "$(now)") s after the restart began"
  local ready
  ready="$(ready_after "$FAULT_AT")"
  echo "server /readyz 200 again $ready s after the restart began"
  if [ "$ready" = never ] || ! kill -0 "$server_before" 2>/dev/null; then
    echo "the server did not recover by itself" >&2
    FAILED=1
  fi
}

kill_server() {
  kill -KILL "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  sleep 1
  local restarted
  restarted="$(now)"
  "$KARIZ_BIN" serve >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  echo "server SIGKILLed, started again 1 s later; /readyz 200 $(ready_after "$restarted") s after the start"
}

for fault in $FAULTS; do
  case "$fault" in
    postgres) fault_run "PostgreSQL restarted under load" restart_postgres ;;
    kill) fault_run "server SIGKILLed under load and restarted" kill_server ;;
    *) echo "unknown fault $fault (postgres, kill)" >&2; exit 2 ;;
  esac
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$FAILED" = 0 ] && echo "faults: PASS (every acknowledged write is in the database; the server recovered)" || echo "faults: FAIL"
exit "$FAILED"
