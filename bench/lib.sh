# Shared by the load, soak and fault benchmarks (sourced, not run): a seeded PostgreSQL
# database, the release server on it, a signed-in token, an intake API key, and the ids the
# wrk scripts pick from. Callers set PORT and BENCH_DB before sourcing, and WORK (a scratch
# folder they remove on exit).

PG="${PG:-postgres://postgres@127.0.0.1:5432}"
KARIZ_BIN="${KARIZ_BIN:-./target/release/kariz}"
BASE="http://127.0.0.1:$PORT"
# ENGINE=sqlite runs on a SQLite file in WORK instead (the embedded default); scripts that seed
# with their own SQL say whether they support it.
ENGINE="${ENGINE:-postgres}"
if [ "$ENGINE" = sqlite ]; then BENCH_URL="sqlite://$WORK/bench.db?mode=rwc"; else BENCH_URL="$PG/$BENCH_DB"; fi
export DATABASE_URL="$BENCH_URL" KARIZ_DEMO=false KARIZ_BIND="127.0.0.1:$PORT" RUST_LOG="${RUST_LOG:-warn}" \
  KARIZ_JWT_SECRET="bench-secret-bench-secret-bench-secret" KARIZ_ACCESS_TOKEN_TTL_SECONDS=86400 KARIZ_DATA_DIR="$WORK"
# The load comes from one user, one API key and one address: request rate limits are off.
export KARIZ_RATE_LIMIT_USER=off KARIZ_RATE_LIMIT_API_KEY=off KARIZ_RATE_LIMIT_INTAKE=off

bench_prerequisites() {
  bash .ci/ensure-postgres
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  [ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz
}

# A fresh database with the demo workspace and `$1` open deals, and fresh planner statistics
# (as autovacuum would have gathered on a live database).
seed_database() {
  local deals="$1" start
  if [ "$ENGINE" = sqlite ]; then
    rm -f "$WORK/bench.db"
  else
    psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"
  fi
  start="$(date +%s%N)"
  "$KARIZ_BIN" seed --demo --deals "$deals" >/dev/null
  echo "seeded $deals deals in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  bench_analyze
}

# Fresh planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would keep them.
bench_analyze() {
  if [ "$ENGINE" = sqlite ]; then bench_sql "ANALYZE" >/dev/null; else psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"; fi
}

# One query's rows, one per line, columns separated by `|` (UUIDs written out as text on SQLite,
# which stores them as 16 bytes).
bench_sql() {
  if [ "$ENGINE" = sqlite ]; then
    python3 - "$WORK/bench.db" "$1" <<'PY'
import sqlite3, sys, uuid
show = lambda v: str(uuid.UUID(bytes=v)) if isinstance(v, bytes) and len(v) == 16 else str(v)
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print("|".join(show(v) for v in row))
db.commit()
PY
  else
    psql "$DATABASE_URL" -Atc "$1"
  fi
}

# Stops the server and waits until it has exited, killing it after 10 s: a server still draining
# its connections would share the machine, and the next run's fresh database, with that run.
stop_server() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
}

# Starts the server in the background (SERVER_PID) and waits until it is ready.
start_server() {
  "$KARIZ_BIN" serve >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do curl -fs "$BASE/readyz" >/dev/null && return 0; sleep 0.05; done
  echo "the server did not become ready" >&2
  return 1
}

# Signs in as the demo admin and exports what the wrk scripts read: a token, the demo pipeline
# (first by name: a seed may add copies named after it), its stages, the ids of its open deals,
# and an API key with the intake scope.
sign_in() {
  export KARIZ_TOKEN KARIZ_PIPELINE KARIZ_API_KEY KARIZ_DEALS_FILE="$WORK/deals.txt" KARIZ_STAGES_FILE="$WORK/stages.txt"
  KARIZ_TOKEN="$(curl -fs "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"demo@kariz.local","password":"kariz-demo-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
  KARIZ_PIPELINE="$(bench_sql "SELECT id FROM pipelines ORDER BY name LIMIT 1")"
  bench_sql "SELECT s.id FROM stages s WHERE s.pipeline_id = (SELECT id FROM pipelines ORDER BY name LIMIT 1) ORDER BY s.position" > "$KARIZ_STAGES_FILE"
  bench_sql "SELECT id FROM deals WHERE status = 'open' AND pipeline_id = (SELECT id FROM pipelines ORDER BY name LIMIT 1)" > "$KARIZ_DEALS_FILE"
  KARIZ_API_KEY="$(curl -fs "$BASE/api/v1/api-keys" -H "authorization: Bearer $KARIZ_TOKEN" -H 'content-type: application/json' \
    -d '{"name":"Load benchmark","scopes":["intake"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
}

# Everything a run needs before its load: the build, a database with `$1` deals (SKIP_SEED: the
# database BENCH_DB as it is), the server, a token and a key; with the machine's state first,
# since other work on it skews the figures.
prepare_run() {
  bench_prerequisites
  echo "== $(date -u '+%F %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  [ -n "${SKIP_SEED:-}" ] || seed_database "$1"
  start_server
  sign_in
}

# Resident memory of the server in KiB, one line per sample, every `$2` seconds into `$1`.
sample_rss() {
  local out="$1" every="$2"
  ( while kill -0 "$SERVER_PID" 2>/dev/null; do
      echo "$(date +%s) $(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")"
      sleep "$every"
    done ) >"$out" &
  SAMPLER_PID=$!
}
