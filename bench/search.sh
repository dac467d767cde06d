#!/usr/bin/env bash
# Global search on PostgreSQL (or SQLite with ENGINE=sqlite) at 100,000 records per kind: the demo workspace plus 100,000 deals,
# leads, contacts and organizations (names from English and Persian first and last names, an
# email and an Iranian mobile number each), inserted in bulk with generate_series and their
# search keys written as the store writes them. Then `GET /search` at CONNECTIONS connections for
# DURATION with a word-prefix query and with a query inside words (each one of four, English and
# Persian, picked at random per request). Loopback only; every loop is bounded.
#
#   bash bench/search.sh                   # builds the release binary first
#   DURATION=10s SKIP_BUILD=1 bash bench/search.sh
#   ENGINE=sqlite bash bench/search.sh      # the same records in the embedded SQLite file
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
ROWS="${ROWS:-100000}"
PORT="${PORT:-18091}"
BENCH_DB=kariz_search_bench
WORK="$(mktemp -d)"
trap 'stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh

bench_prerequisites
echo "== $(date -u '+%F %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
seed_database 0

echo "== seeding $ROWS records per kind (bulk SQL)"
SEED_START=$(date +%s)
if [ "$ENGINE" = sqlite ]; then
  python3 bench/seed_search_sqlite.py "$WORK/bench.db" "$ROWS"
else
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -v rows="$ROWS" <<'SQL'
CREATE TEMP TABLE ctx AS
  SELECT w.id AS ws, u.id AS admin, p.id AS pipeline, (SELECT s.id FROM stages s WHERE s.pipeline_id = p.id ORDER BY s.position LIMIT 1) AS stage
  FROM workspaces w JOIN users u ON u.workspace_id = w.id JOIN pipelines p ON p.workspace_id = w.id LIMIT 1;
-- Each record's name, as the store's normalization leaves it (lower-case, Persian letter forms).
CREATE TEMP TABLE people AS
  SELECT i,
         (ARRAY['ali', 'sara', 'reza', 'maryam', 'karim', 'کریم', 'نیما', 'سارا', 'مریم', 'علی'])[1 + i % 10] || ' ' ||
         (ARRAY['ahmadi', 'karimi', 'rezaei', 'mohammadi', 'hosseini', 'کریمی', 'احمدی', 'نیکو', 'رضایی', 'حسینی', 'tehrani'])[1 + i % 11]
           || ' ' || i AS name,
         'user' || i AS mailbox,
         lpad(i::text, 7, '0') AS line,
         now() - random() * interval '730 days' AS at
  FROM generate_series(1, :rows) i;

INSERT INTO deals (id, workspace_id, pipeline_id, stage_id, title, amount_minor, currency, owner_id, status, position,
                   stage_entered_at, version, created_at, updated_at, search_text)
  SELECT gen_random_uuid(), ctx.ws, ctx.pipeline, ctx.stage, 'Deal ' || p.name, 1000, 'IRR', ctx.admin, 'open',
         -- position: 'd' and four base-62 digits, an integer key (a fraction may not end in 0)
         'd' || substr(d.digits, 1 + p.i / 238328 % 62, 1) || substr(d.digits, 1 + (p.i / 3844) % 62, 1)
           || substr(d.digits, 1 + (p.i / 62) % 62, 1) || substr(d.digits, 1 + p.i % 62, 1),
         p.at, 1, p.at, p.at, '| deal ' || p.name || ' |'
  FROM people p CROSS JOIN ctx
  CROSS JOIN (SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'::text AS digits) d;

INSERT INTO leads (id, workspace_id, name, email, phone, source, owner_id, status, score, tags, custom_fields, submissions, version,
                   created_at, updated_at, search_text)
  SELECT gen_random_uuid(), ctx.ws, p.name, p.mailbox || '@example.com', '+98912' || p.line, 'website', ctx.admin, 'new', 0, '[]', '{}',
         1, 1, p.at, p.at,
         '| ' || p.name || ' | ' || p.mailbox || ' example com | 0912' || p.line || ' | 98912' || p.line || ' |'
  FROM people p CROSS JOIN ctx;

INSERT INTO contacts (id, workspace_id, name, email, phone, tags, custom_fields, owner_id, version, created_at, updated_at, search_text)
  SELECT gen_random_uuid(), ctx.ws, p.name, p.mailbox || '@example.org', '+98935' || p.line, '[]', '{}', ctx.admin, 1, p.at, p.at,
         '| ' || p.name || ' | ' || p.mailbox || ' example org | 0935' || p.line || ' | 98935' || p.line || ' |'
  FROM people p CROSS JOIN ctx;

INSERT INTO organizations (id, workspace_id, name, name_key, domain, tags, custom_fields, owner_id, version, created_at, updated_at,
                           search_text)
  SELECT gen_random_uuid(), ctx.ws, 'Org ' || p.name, 'org ' || p.name, 'org' || p.i || '.ir', '[]', '{}', ctx.admin, 1, p.at, p.at,
         '| org ' || p.name || ' | org' || p.i || ' ir |'
  FROM people p CROSS JOIN ctx;
SQL
fi
bench_analyze
echo "seeded in $(( $(date +%s) - SEED_START )) s: $(bench_sql "SELECT (SELECT COUNT(*) FROM deals) || ' deals, ' || (SELECT COUNT(*) FROM leads) || ' leads, ' || (SELECT COUNT(*) FROM contacts) || ' contacts, ' || (SELECT COUNT(*) FROM organizations) || ' organizations'")"

# Deals were written in SQL: count the board's kept figures again, as after any SQL load.
"$KARIZ_BIN" repair --rollups --quiet
start_server
sign_in

urlencode() { python3 -c 'import sys, urllib.parse; print(",".join(urllib.parse.quote(q) for q in sys.argv[1:]))' "$@"; }
TABLE="$WORK/table.md"
echo "| request | requests/s | p50 | p90 | p99 | non-2xx | socket errors |" > "$TABLE"
echo "| --- | --- | --- | --- | --- | --- | --- |" >> "$TABLE"
load() {
  local name="$1"
  shift
  export KARIZ_SEARCH_QUERIES
  KARIZ_SEARCH_QUERIES="$(urlencode "$@")"
  echo "== $name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/wrk/search.lua ($*)"
  curl -fs "$BASE/api/v1/search?q=$(urlencode "$1")" -H "authorization: Bearer $KARIZ_TOKEN" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(len(d), "hits; first:", (d[0]["type"] + " " + d[0]["title"]) if d else "none")'
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk/search.lua "$BASE" | tee "$WORK/wrk.txt" \
    | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in|Socket errors"
  python3 bench/wrk_row.py "$name" < "$WORK/wrk.txt" >> "$TABLE"
}
# A word prefix ("kari" starts "karim" and "karimi"): about one record in five of each kind matches.
load "GET /search (word prefix)" kari ahma کری نیک
# Inside words only: as many matches, every one ranked "contains".
load "GET /search (inside words)" rimi hmad ریم یکو
# A rare word prefix: a phone number's digits typed in Persian.
load "GET /search (phone digits, Persian)" ۰۹۱۲۰۰۰۱۲ ۰۹۳۵۰۰۰۴۵ ۰۹۱۲۰۰۹۹۹ ۰۹۳۵۰۰۸۸۸
echo
cat "$TABLE"
