#!/usr/bin/env bash
# A customer's timeline and summary on PostgreSQL among 100,000 contacts: each contact with a
# deal (moved once) and an activity, and one large customer with 300 deals (each moved twice) and
# 1,000 activities and notes, inserted in bulk. Then `GET /contacts/{id}/timeline` (first page of
# 50) for a random contact and for the large one, the large one's second page, and
# `GET /contacts/{id}/summary`, each at CONNECTIONS connections for DURATION. Loopback only; every
# loop is bounded.
#
#   bash bench/timeline.sh                 # builds the release binary first
#   DURATION=10s SKIP_BUILD=1 bash bench/timeline.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
ROWS="${ROWS:-100000}"
PORT="${PORT:-18092}"
BENCH_DB=kariz_timeline_bench
WORK="$(mktemp -d)"
trap 'stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh

bench_prerequisites
echo "== $(date -u '+%F %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
seed_database 0

echo "== seeding $ROWS contacts with a deal and an activity each, and one large customer"
SEED_START=$(date +%s)
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -v rows="$ROWS" <<'SQL'
CREATE TEMP TABLE ctx AS
  SELECT w.id AS ws, u.id AS admin, p.id AS pipeline,
         (SELECT s.id FROM stages s WHERE s.pipeline_id = p.id ORDER BY s.position LIMIT 1) AS first_stage,
         (SELECT s.id FROM stages s WHERE s.pipeline_id = p.id ORDER BY s.position OFFSET 1 LIMIT 1) AS second_stage
  FROM workspaces w JOIN users u ON u.workspace_id = w.id JOIN pipelines p ON p.workspace_id = w.id LIMIT 1;
-- Contact 1 is the large customer: it owns the rows numbered above :rows.
CREATE TEMP TABLE people AS
  SELECT i, gen_random_uuid() AS contact, now() - random() * interval '730 days' AS at FROM generate_series(1, :rows) i;
CREATE TEMP TABLE deal_rows AS
  SELECT gen_random_uuid() AS id, CASE WHEN n > :rows THEN 1 ELSE n END AS person, n,
         now() - random() * interval '700 days' AS at
  FROM generate_series(1, :rows + 300) n;

INSERT INTO contacts (id, workspace_id, name, email, tags, custom_fields, owner_id, version, created_at, updated_at, search_text)
  SELECT p.contact, ctx.ws, 'Customer ' || p.i, 'customer' || p.i || '@example.org', '[]', '{}', ctx.admin, 1, p.at, p.at,
         '| customer ' || p.i || ' |'
  FROM people p CROSS JOIN ctx;

INSERT INTO deals (id, workspace_id, pipeline_id, stage_id, title, amount_minor, currency, owner_id, status, position,
                   stage_entered_at, version, created_at, updated_at, search_text, contact_id)
  SELECT d.id, ctx.ws, ctx.pipeline, ctx.second_stage, 'Deal ' || d.n, 1000 * d.n, 'IRR', ctx.admin, 'open', 'c' || lpad(d.n::text, 8, '0'),
         d.at + interval '1 day', 3, d.at, d.at + interval '1 day', '| deal ' || d.n || ' |', p.contact
  FROM deal_rows d JOIN people p ON p.i = d.person CROSS JOIN ctx;

-- Every deal was opened in the first stage and moved once; the large customer's moved back and forth.
INSERT INTO stage_history (id, workspace_id, deal_id, pipeline_id, from_stage_id, to_stage_id, actor_id, entered_at, from_entered_at)
  SELECT gen_random_uuid(), ctx.ws, d.id, ctx.pipeline, NULL, ctx.first_stage, ctx.admin, d.at, NULL FROM deal_rows d CROSS JOIN ctx
  UNION ALL
  SELECT gen_random_uuid(), ctx.ws, d.id, ctx.pipeline, ctx.first_stage, ctx.second_stage, ctx.admin, d.at + interval '1 day', d.at
  FROM deal_rows d CROSS JOIN ctx
  UNION ALL
  SELECT gen_random_uuid(), ctx.ws, d.id, ctx.pipeline, ctx.second_stage, ctx.second_stage, ctx.admin, d.at + interval '2 days', d.at
  FROM deal_rows d CROSS JOIN ctx WHERE d.person = 1;

INSERT INTO activities (id, workspace_id, kind, subject, body, contact_id, owner_id, priority, done_at, version, created_at, updated_at)
  SELECT gen_random_uuid(), ctx.ws, CASE WHEN n % 3 = 0 THEN 'note' ELSE 'call' END, 'Talked ' || n, NULL,
         CASE WHEN n > :rows THEN (SELECT contact FROM people WHERE i = 1) ELSE (SELECT contact FROM people WHERE i = n) END,
         ctx.admin, 'normal', now() - random() * interval '700 days', 1, now() - interval '701 days', now()
  FROM generate_series(1, :rows + 1000) n CROSS JOIN ctx;
SQL
psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"
echo "seeded in $(( $(date +%s) - SEED_START )) s: $(psql "$DATABASE_URL" -Atc "SELECT (SELECT COUNT(*) FROM contacts) || ' contacts, ' || (SELECT COUNT(*) FROM deals) || ' deals, ' || (SELECT COUNT(*) FROM stage_history) || ' stage changes, ' || (SELECT COUNT(*) FROM activities) || ' activities'")"

# Deals were written in SQL: count the board's kept figures again, as after any SQL load.
"$KARIZ_BIN" repair --rollups --quiet
start_server
sign_in
export KARIZ_CONTACTS_FILE="$WORK/contacts.txt" KARIZ_TIMELINE_PATH
psql "$DATABASE_URL" -Atc "SELECT id FROM contacts WHERE name <> 'Customer 1'" > "$KARIZ_CONTACTS_FILE"
LARGE="$(psql "$DATABASE_URL" -Atc "SELECT id FROM contacts WHERE name = 'Customer 1'")"
AUTH=(-H "authorization: Bearer $KARIZ_TOKEN")
entries() { curl -fs "$BASE$1" "${AUTH[@]}" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["data"]), "entries; next:", "yes" if d.get("next_cursor") else "no")'; }
echo "large customer, first page: $(entries "/api/v1/contacts/$LARGE/timeline?limit=50")"
CURSOR="$(curl -fs "$BASE/api/v1/contacts/$LARGE/timeline?limit=50" "${AUTH[@]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')"

TABLE="$WORK/table.md"
echo "| request | requests/s | p50 | p90 | p99 | non-2xx | socket errors |" > "$TABLE"
echo "| --- | --- | --- | --- | --- | --- | --- |" >> "$TABLE"
load() {
  local name="$1"
  KARIZ_TIMELINE_PATH="$2"
  echo "== $name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/wrk/timeline.lua"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk/timeline.lua "$BASE" | tee "$WORK/wrk.txt" \
    | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in|Socket errors"
  python3 bench/wrk_row.py "$name" < "$WORK/wrk.txt" >> "$TABLE"
}
load "GET /contacts/{id}/timeline (a random contact)" "/api/v1/contacts/{contact}/timeline?limit=50"
load "GET /contacts/{id}/timeline (the large customer)" "/api/v1/contacts/$LARGE/timeline?limit=50"
load "GET /contacts/{id}/timeline (the large customer, page 2)" "/api/v1/contacts/$LARGE/timeline?limit=50&cursor=$CURSOR"
load "GET /contacts/{id}/summary (the large customer)" "/api/v1/contacts/$LARGE/summary"
echo
cat "$TABLE"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
