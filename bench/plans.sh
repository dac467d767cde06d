#!/usr/bin/env bash
# Is every list served by an index? On PostgreSQL with ROWS open deals (the demo seed) and ROWS
# contacts, organizations, leads and activities (inserted in bulk, spread over five owners, some
# tagged `vip`), every documented sort and filter of `GET /deals`, `/leads`, `/contacts`,
# `/organizations` and `/activities` is requested — a first page and the page after it — while
# PostgreSQL's auto_explain writes each query's analyzed plan to its log; `bench/plans.py` counts
# the rows each page read and names every request that read more than ROWS_READ_LIMIT (1,000)
# for a page of 50. Exits 1 when there is one. Plans do not depend on the machine's load or the
# server's build, so this may run beside other work (KARIZ_BIN=./target/debug/kariz works too).
#
#   bash bench/plans.sh
#   ROWS=100000 SKIP_BUILD=1 PG_LOG=/var/log/postgresql/postgresql-15-main.log bash bench/plans.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-100000}"
PORT="${PORT:-18094}"
PG_LOG="${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log | head -n 1)}"
BENCH_DB=kariz_plans
WORK="$(mktemp -d)"
trap '[ -n "${KEEP_LOG:-}" ] && cp "$WORK/server.log" /tmp/plans-server.log; stop_server; psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/lib.sh

bench_prerequisites
echo "== $(date -u '+%F %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
seed_database "$ROWS"

echo "== seeding $ROWS contacts, organizations, leads and activities; five owners"
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -v rows="$ROWS" <<'SQL'
CREATE TEMP TABLE ctx AS
  SELECT w.id AS ws, u.id AS admin FROM workspaces w JOIN users u ON u.workspace_id = w.id AND u.role = 'admin'
  ORDER BY w.created_at LIMIT 1;
-- Four more members, copies of the admin with their own address.
CREATE TEMP TABLE members AS SELECT * FROM users WHERE id = (SELECT admin FROM ctx);
INSERT INTO members SELECT * FROM members;
INSERT INTO members SELECT * FROM members;
UPDATE members SET id = gen_random_uuid(), role = 'member', email = 'member-' || md5(random()::text) || '@kariz.local';
INSERT INTO users SELECT * FROM members;
CREATE TEMP TABLE owners AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM (SELECT admin AS id FROM ctx UNION ALL SELECT id FROM members) o;

INSERT INTO organizations (id, workspace_id, name, name_key, industry, city, country, tags, custom_fields, owner_id, search_text,
                           version, created_at, updated_at)
  SELECT gen_random_uuid(), ctx.ws, 'Company ' || i, 'company ' || i, CASE WHEN i % 10 = 0 THEN 'Retail' ELSE 'Software' END,
         CASE WHEN i % 5 = 0 THEN 'Tehran' ELSE 'Shiraz' END, 'IR', CASE WHEN i % 100 = 0 THEN '["vip"]' ELSE '[]' END, '{}',
         o.id, '| company ' || i || ' |', 1, now() - i * interval '1 minute', now()
  FROM generate_series(1, :rows) i CROSS JOIN ctx JOIN owners o ON o.n = i % 5;
CREATE TEMP TABLE orgs AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM organizations;

INSERT INTO contacts (id, workspace_id, organization_id, name, email, city, country, tags, custom_fields, owner_id, version,
                      created_at, updated_at, search_text)
  SELECT gen_random_uuid(), ctx.ws, g.id, 'Customer ' || i, 'customer' || i || '@example.org',
         CASE WHEN i % 5 = 0 THEN 'Tehran' ELSE 'Shiraz' END, 'IR', CASE WHEN i % 100 = 0 THEN '["vip"]' ELSE '[]' END, '{}',
         o.id, 1, now() - i * interval '1 minute', now(), '| customer ' || i || ' |'
  FROM generate_series(1, :rows) i CROSS JOIN ctx JOIN orgs g ON g.n = 1 + i % :rows JOIN owners o ON o.n = i % 5;
CREATE TEMP TABLE people AS SELECT row_number() OVER (ORDER BY id) AS n, id, organization_id FROM contacts;

-- Every deal gets one of five owners, and half of them a customer.
UPDATE deals d SET owner_id = o.id FROM owners o WHERE o.n = abs(hashtext(d.id::text)) % 5;
UPDATE deals d SET contact_id = p.id, organization_id = p.organization_id
  FROM people p WHERE p.n = 1 + abs(hashtext(d.id::text)) % :rows AND abs(hashtext(d.id::text || 'c')) % 2 = 0;
UPDATE deals SET tags = '["vip"]' WHERE abs(hashtext(id::text || 't')) % 100 = 0;

INSERT INTO leads (id, workspace_id, name, email, company, source, owner_id, status, score, tags, custom_fields, submissions,
                   search_text, version, created_at, updated_at)
  SELECT gen_random_uuid(), ctx.ws, 'Lead ' || i, 'lead' || i || '@example.org', 'Company ' || i,
         (ARRAY['website', 'social', 'exhibition', 'event', 'email_campaign', 'phone'])[1 + i % 6],
         o.id, (ARRAY['new', 'working', 'working', 'disqualified'])[1 + i % 4], i % 100,
         CASE WHEN i % 100 = 0 THEN '["vip"]' ELSE '[]' END, '{}', 1, '| lead ' || i || ' |', 1, now() - i * interval '1 minute', now()
  FROM generate_series(1, :rows) i CROSS JOIN ctx JOIN owners o ON o.n = i % 5;
UPDATE leads SET disqualify_reason = 'no_budget', closed_at = updated_at WHERE status = 'disqualified';

CREATE TEMP TABLE some_deals AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM (SELECT id FROM deals ORDER BY id LIMIT 1000) d;
INSERT INTO activities (id, workspace_id, kind, subject, deal_id, contact_id, owner_id, priority, due_at, done_at, version,
                        created_at, updated_at)
  SELECT gen_random_uuid(), ctx.ws, (ARRAY['call', 'meeting', 'task', 'email', 'note'])[1 + i % 5], 'Activity ' || i,
         sd.id, p.id, o.id, 'normal', now() + (i % 400 - 200) * interval '1 day',
         CASE WHEN i % 3 = 0 THEN now() - interval '1 day' END, 1, now() - i * interval '1 minute', now()
  FROM generate_series(1, :rows) i CROSS JOIN ctx JOIN some_deals sd ON sd.n = 1 + i % 1000
       JOIN people p ON p.n = 1 + i % :rows JOIN owners o ON o.n = i % 5;
SQL
# The owners changed underneath the kept board figures: count them again, as after any SQL load.
"$KARIZ_BIN" repair --rollups --quiet
psql "$DATABASE_URL" -q -c "VACUUM ANALYZE"
echo "seeded: $(psql "$DATABASE_URL" -Atc "SELECT (SELECT COUNT(*) FROM deals) || ' deals, ' || (SELECT COUNT(*) FROM contacts) || ' contacts, ' || (SELECT COUNT(*) FROM organizations) || ' organizations, ' || (SELECT COUNT(*) FROM leads) || ' leads, ' || (SELECT COUNT(*) FROM activities) || ' activities'")"

# Every plan of the server's sessions, analyzed, into PostgreSQL's log (this database only).
psql "$PG/postgres" -q -v ON_ERROR_STOP=1 \
  -c "ALTER DATABASE $BENCH_DB SET session_preload_libraries = 'auto_explain'" \
  -c "ALTER DATABASE $BENCH_DB SET auto_explain.log_min_duration = 0" \
  -c "ALTER DATABASE $BENCH_DB SET auto_explain.log_analyze = on" \
  -c "ALTER DATABASE $BENCH_DB SET auto_explain.log_format = 'json'"
# One connection for requests (and one for the event relay's LISTEN): see plans.py.
KARIZ_DB_MAX_CONNECTIONS=2 start_server
sign_in
python3 bench/plans.py "$BASE" "$KARIZ_TOKEN" "$PG_LOG" "$DATABASE_URL"
