#!/usr/bin/env bash
# Report latency on PostgreSQL: the demo workspace plus 100,000 deals with 1,000,000 stage-history
# rows, 50,000 leads, 20,000 opportunities, 200,000 activities and two years of monthly exchange
# rates, all inserted in bulk with generate_series; then every report endpoint requested 20 times
# one after another (all time, and the last 90 days), median and p95 from curl's timings, while
# the server's resident memory is sampled. Loopback only; every loop is bounded. DEALS scales the
# deals (ten stage-history rows each on average) and PIPELINES spreads them over that many copies of
# the demo pipeline (4:3:3 for three); the rest stays as it is.
#
#   bash bench/reports.sh                 # builds the release binary first
#   SKIP_BUILD=1 RUNS=20 bash bench/reports.sh
#   SKIP_BUILD=1 DEALS=1000000 bash bench/reports.sh   # 10,000,000 stage-history rows
#   SKIP_BUILD=1 BUSY=2 bash bench/reports.sh           # with two processes spinning on the cores meanwhile
#   SKIP_BUILD=1 SKIP_SEED=1 bash bench/reports.sh      # the database the last run seeded, as it is
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-20}"
DEALS="${DEALS:-100000}"
PIPELINES="${PIPELINES:-1}"
PORT="${PORT:-18090}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
DB=kariz_reports_bench
WORK="$(mktemp -d)"
stop_server() { [ -z "${SERVER_PID:-}" ] || kill "$SERVER_PID" 2>/dev/null || true; }
trap 'kill "${SAMPLER_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT

bash .ci/ensure-postgres
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz
KARIZ_BIN="${KARIZ_BIN:-./target/release/kariz}"   # or another build, for an A/B run

export DATABASE_URL="$PG/$DB" KARIZ_DEMO=false KARIZ_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
  KARIZ_JWT_SECRET="bench-secret-bench-secret-bench-secret" KARIZ_ACCESS_TOKEN_TTL_SECONDS=3600 KARIZ_DATA_DIR="$WORK"
if [ -z "${SKIP_SEED:-}" ]; then
psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
"$KARIZ_BIN" seed --demo --deals 0 >/dev/null

echo "== seeding (bulk SQL)"
SEED_START=$(date +%s)
psql "$PG/$DB" -q -v ON_ERROR_STOP=1 -v deals="$DEALS" -v pipelines="$PIPELINES" <<'SQL'
-- The demo workspace, its admin and its pipeline.
CREATE TEMP TABLE ctx AS
  SELECT w.id AS ws, u.id AS admin, p.id AS pipeline
  FROM workspaces w JOIN users u ON u.workspace_id = w.id JOIN pipelines p ON p.workspace_id = w.id LIMIT 1;
-- PIPELINES - 1 copies of it with the same stages, named "… 2", "… 3" (after it by name).
CREATE TEMP TABLE p2 AS SELECT p.*, g AS copy FROM pipelines p JOIN ctx ON p.id = ctx.pipeline CROSS JOIN generate_series(1, :pipelines - 1) g;
CREATE TEMP TABLE s2 AS SELECT s.*, g AS copy FROM stages s JOIN ctx ON s.pipeline_id = ctx.pipeline CROSS JOIN generate_series(1, :pipelines - 1) g;
UPDATE p2 SET id = gen_random_uuid(), name = name || ' ' || (copy + 1);
UPDATE s2 SET id = gen_random_uuid(), pipeline_id = p2.id FROM p2 WHERE p2.copy = s2.copy;
ALTER TABLE p2 DROP COLUMN copy;
ALTER TABLE s2 DROP COLUMN copy;
INSERT INTO pipelines SELECT * FROM p2;
INSERT INTO stages SELECT * FROM s2;
-- Every pipeline (numbered by name from 0, the demo's first) and its stages by position.
CREATE TEMP TABLE pl AS
  SELECT row_number() OVER (ORDER BY p.name) - 1 AS n, p.id FROM pipelines p JOIN ctx ON p.workspace_id = ctx.ws;
CREATE TEMP TABLE st AS SELECT pl.n AS pl, s.position AS pos, s.id FROM stages s JOIN pl ON s.pipeline_id = pl.id;
CREATE TEMP TABLE nst AS SELECT COUNT(*)::int AS n FROM st WHERE pl = 0;

-- 20 owners: the admin and 19 members.
INSERT INTO users (id, workspace_id, email, name, role, locale, password_hash, active, created_at, updated_at)
  SELECT gen_random_uuid(), ctx.ws, 'rep' || i || '@bench.test', 'Rep ' || i, 'member', 'en', 'x', true, now(), now()
  FROM ctx, generate_series(1, 19) i;
CREATE TEMP TABLE owners AS
  SELECT row_number() OVER (ORDER BY u.id) - 1 AS n, u.id FROM users u JOIN ctx ON u.workspace_id = ctx.ws;

-- One row per deal: its pipeline, when it was created, how many stage visits it makes (5–15, 10
-- on average) and how far apart, so that the last visit is before now.
CREATE TEMP TABLE seed AS
  SELECT i, gen_random_uuid() AS id, ((i / 10) % 10) * :pipelines / 10 AS pl, created, 5 + i % 11 AS visits,
         (random() * extract(epoch FROM now() - created) / (5 + i % 11)) * interval '1 second' AS step
  FROM (SELECT i, now() - random() * interval '730 days' AS created FROM generate_series(1, :deals) i) t;

-- Opportunities of the first 20,000 deals, each with its qualified lead; 30,000 more leads.
CREATE TEMP TABLE opps AS SELECT i, gen_random_uuid() AS id, gen_random_uuid() AS lead_id FROM generate_series(1, 20000) i;
INSERT INTO opportunities (id, workspace_id, lead_id, title, owner_id, created_at, updated_at)
  SELECT o.id, ctx.ws, o.lead_id, 'Opportunity ' || o.i, ctx.admin, now(), now() FROM opps o, ctx;

INSERT INTO deals (id, workspace_id, pipeline_id, stage_id, title, amount_minor, currency, probability, expected_close_date,
                   owner_id, status, lost_reason, closed_at, position, stage_entered_at, version, created_at, updated_at, opportunity_id,
                   search_text)
  SELECT s.id, ctx.ws, pl.id, st.id, 'Deal ' || s.i,
         CASE WHEN s.i % 10 < 7 THEN (1 + s.i % 500) * 1000000 ELSE (1 + s.i % 900) * 10000 END,
         CASE WHEN s.i % 10 < 7 THEN 'IRR' WHEN s.i % 10 < 9 THEN 'USD' ELSE 'EUR' END,
         CASE WHEN s.i % 7 = 0 THEN (s.i % 100)::smallint END,
         CASE WHEN s.i % 10 >= 7 AND s.i % 13 <> 0 THEN (now() + (s.i % 210 - 30) * interval '1 day')::date END,
         ow.id,
         CASE WHEN s.i % 10 < 4 THEN 'won' WHEN s.i % 10 < 7 THEN 'lost' ELSE 'open' END,
         CASE WHEN s.i % 10 BETWEEN 4 AND 6 THEN (ARRAY['Price', 'Timing', 'Competitor', 'No budget', 'No decision',
              'Lost contact', 'Features', 'Other'])[1 + s.i % 8] END,
         CASE WHEN s.i % 10 < 7 THEN s.created + s.step * (s.visits - 1)
              + random() * (now() - (s.created + s.step * (s.visits - 1))) END,
         'd' || substr(d.digits, 1 + s.i / 238328, 1) || substr(d.digits, 1 + (s.i / 3844) % 62, 1)  -- position: 'd' and four base-62 digits, an integer key
           || substr(d.digits, 1 + (s.i / 62) % 62, 1) || substr(d.digits, 1 + s.i % 62, 1),
         s.created + s.step * (s.visits - 1), 1, s.created, now(), o.id,
         '| deal ' || s.i || ' |'
  FROM seed s CROSS JOIN ctx CROSS JOIN nst
  CROSS JOIN (SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'::text AS digits) d
  JOIN pl ON pl.n = s.pl
  JOIN st ON st.pl = s.pl AND st.pos = (s.visits - 1) % nst.n
  JOIN owners ow ON ow.n = s.i % 20
  LEFT JOIN opps o ON o.i = s.i;

-- Visit k of a deal enters stage k mod (number of stages): forward, and round again. The
-- triggers that keep stage conversion's moves are off for this statement (the replica role):
-- `kariz repair --rollups` below counts them from the rows at once, faster than row by row.
SET session_replication_role = replica;
INSERT INTO stage_history (id, workspace_id, deal_id, pipeline_id, from_stage_id, to_stage_id, actor_id, entered_at, from_entered_at)
  SELECT gen_random_uuid(), ctx.ws, s.id, pl.id, prev.id, cur.id, NULL,
         s.created + s.step * k, CASE WHEN k > 0 THEN s.created + s.step * (k - 1) END
  FROM seed s CROSS JOIN ctx CROSS JOIN nst
  CROSS JOIN LATERAL generate_series(0, s.visits - 1) k
  JOIN pl ON pl.n = s.pl
  JOIN st cur ON cur.pl = s.pl AND cur.pos = k % nst.n
  LEFT JOIN st prev ON k > 0 AND prev.pl = s.pl AND prev.pos = (k - 1) % nst.n;
SET session_replication_role = DEFAULT;

INSERT INTO leads (id, workspace_id, name, source, owner_id, status, disqualify_reason, closed_at, score, tags, custom_fields,
                   submissions, opportunity_id, version, created_at, updated_at)
  SELECT COALESCE(o.lead_id, gen_random_uuid()), ctx.ws, 'Lead ' || t.i, 'website', ow.id,
         CASE WHEN o.id IS NOT NULL THEN 'qualified' WHEN t.i % 3 = 0 THEN 'disqualified' ELSE 'new' END,
         CASE WHEN o.id IS NULL AND t.i % 3 = 0 THEN (ARRAY['no_budget', 'no_need', 'bad_timing', 'competitor'])[1 + t.i % 4] END,
         CASE WHEN o.id IS NOT NULL OR t.i % 3 = 0 THEN t.created + interval '3 days' END,
         0, '[]', '{}', 1, o.id, 1, t.created, now()
  FROM (SELECT i, now() - random() * interval '730 days' AS created FROM generate_series(1, 50000) i) AS t CROSS JOIN ctx
  LEFT JOIN opps o ON o.i = t.i
  JOIN owners ow ON ow.n = t.i % 20;

INSERT INTO activities (id, workspace_id, kind, subject, owner_id, priority, version, created_at, updated_at)
  SELECT gen_random_uuid(), ctx.ws, (ARRAY['call', 'meeting', 'email', 'note'])[1 + t.i % 4], 'Activity ' || t.i, ow.id, 'normal', 1,
         t.at, t.at
  FROM (SELECT i, now() - random() * interval '730 days' AS at FROM generate_series(1, 200000) i) AS t CROSS JOIN ctx
  JOIN owners ow ON ow.n = t.i % 20;

INSERT INTO exchange_rates (id, workspace_id, currency, rate_date, rate, created_by, created_at)
  SELECT gen_random_uuid(), ctx.ws, c.currency, (date_trunc('month', now()) - m * interval '1 month')::date,
         (c.base + m * 100)::text, ctx.admin, now()
  FROM ctx, generate_series(0, 23) m, (VALUES ('USD', 420000), ('EUR', 450000)) c(currency, base);
SQL
# Fresh planner statistics, as autovacuum would have gathered on a live database.
psql "$PG/$DB" -q -c "VACUUM ANALYZE"
echo "seeded in $(( $(date +%s) - SEED_START )) s: $(psql "$PG/$DB" -Atc "SELECT (SELECT COUNT(*) FROM deals) || ' deals, ' || (SELECT COUNT(*) FROM stage_history) || ' stage-history rows, ' || (SELECT COUNT(*) FROM leads) || ' leads, ' || (SELECT COUNT(*) FROM activities) || ' activities'")"
fi

# A load test sends faster than any person: the per-user rate limit would only measure itself.
export KARIZ_RATE_LIMIT_USER=off KARIZ_RATE_LIMIT_API_KEY=off
# Deals were written in SQL: count the board's kept figures and stage conversion's moves again,
# as after any SQL load.
# A recount of millions of rows takes longer than the server's default statement timeout (15 s).
KARIZ_DB_STATEMENT_TIMEOUT_MS=3600000 "$KARIZ_BIN" repair --rollups --quiet
"$KARIZ_BIN" serve &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT/api/v1"
TOKEN="$(curl -fs "$BASE/auth/login" -H 'content-type: application/json' \
  -d '{"email":"demo@kariz.local","password":"kariz-demo-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
PIPELINE="$(psql "$PG/$DB" -Atc "SELECT id FROM pipelines ORDER BY name LIMIT 1")"
OWNER="$(psql "$PG/$DB" -Atc "SELECT id FROM users WHERE email = 'rep1@bench.test'")"
FROM="$(date -u -d '90 days ago' +%F)"
TO="$(date -u +%F)"

# Resident memory of the server, sampled every 200 ms while the reports run.
( while kill -0 "$SERVER_PID" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; sleep 0.2; done ) > "$WORK/rss.txt" &
SAMPLER_PID=$!
RSS_BEFORE="$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")"

# RUNS sequential requests of one URL; prints median and p95 in ms, and the response size.
time_report() {
  local name="$1" url="$2" times="$WORK/times.txt"
  : > "$times"
  for _ in $(seq 1 "$RUNS"); do
    curl -fsS -o "$WORK/body.json" -w '%{time_total}\n' -H "authorization: Bearer $TOKEN" "$BASE/$url" >> "$times"
  done
  python3 - "$name" "$times" "$(wc -c < "$WORK/body.json")" <<'PY'
import sys
name, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
ms = sorted(float(line) * 1000 for line in open(path) if line.strip())
n = len(ms)
median = (ms[(n - 1) // 2] + ms[n // 2]) / 2
p95 = ms[min(n - 1, -(-95 * n // 100) - 1)]
print(f"| `{name}` | {median:.1f} ms | {p95:.1f} ms | {size:,} B |")
PY
}

# BUSY=N: N processes spin on the CPU while the reports are timed (a machine busy elsewhere).
for _ in $(seq 1 "${BUSY:-0}"); do sha256sum /dev/zero & BUSY_PIDS="${BUSY_PIDS:-} $!"; done
trap 'kill ${BUSY_PIDS:-} "${SAMPLER_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT
echo "== $RUNS requests each; period of the last 90 days: $FROM … $TO${BUSY:+; $BUSY processes spinning}"
echo "| report | median | p95 | response |"
echo "| --- | --- | --- | --- |"
for scope in "all time|" "90 days|from=$FROM&to=$TO&"; do
  label="${scope%%|*}"; q="${scope#*|}"
  time_report "win-rate ($label)" "reports/win-rate?${q}"
  time_report "stage-conversion ($label)" "reports/stage-conversion?${q}pipeline_id=$PIPELINE"
  time_report "stage-conversion, one owner ($label)" "reports/stage-conversion?${q}pipeline_id=$PIPELINE&owner_id=$OWNER"
  time_report "funnel ($label)" "reports/funnel?${q}"
  time_report "forecast ($label)" "reports/forecast?${q}"
  time_report "lost-reasons ($label)" "reports/lost-reasons?${q}"
  time_report "leaderboard ($label)" "reports/leaderboard?${q}"
  time_report "rotting ($label)" "reports/rotting?${q}limit=50"
  time_report "cohorts ($label)" "reports/cohorts?${q}"
done
RSS_AFTER="$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")"
echo "== server resident memory: $RSS_BEFORE KiB before, max $(sort -n "$WORK/rss.txt" | tail -1) KiB over $(wc -l < "$WORK/rss.txt") samples, $RSS_AFTER KiB after"
