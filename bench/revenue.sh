#!/usr/bin/env bash
# Revenue and RFM report latency on PostgreSQL at 100,000 invoices: the demo workspace plus 5,000
# customer organizations, 100,000 deals (70% won), one invoice each over two years (80% paid in
# full, 10% partly paid, 5% issued unpaid, 5% void) with about 117,000 payments, and two years of
# monthly exchange rates, inserted in bulk with generate_series; then each report requested RUNS
# times one after another (all time, and the last 90 days), median and p95 from curl's timings,
# while the server's resident memory is sampled. Loopback only; every loop is bounded.
#
#   bash bench/revenue.sh                 # builds the release binary first
#   SKIP_BUILD=1 RUNS=20 bash bench/revenue.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-20}"
PORT="${PORT:-18091}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
DB=kariz_revenue_bench
KARIZ_BIN="${KARIZ_BIN:-./target/release/kariz}"
WORK="$(mktemp -d)"
stop_server() { if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; }
trap 'kill "${SAMPLER_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT

bash .ci/ensure-postgres
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz

psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
export DATABASE_URL="$PG/$DB" KARIZ_DEMO=false KARIZ_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
  KARIZ_JWT_SECRET="bench-secret-bench-secret-bench-secret" KARIZ_ACCESS_TOKEN_TTL_SECONDS=3600 KARIZ_DATA_DIR="$WORK"
"$KARIZ_BIN" seed --demo --deals 0 >/dev/null

echo "== seeding (bulk SQL)"
SEED_START=$(date +%s)
psql "$PG/$DB" -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TEMP TABLE ctx AS
  SELECT w.id AS ws, u.id AS admin, p.id AS pipeline, s.id AS stage
  FROM workspaces w JOIN users u ON u.workspace_id = w.id JOIN pipelines p ON p.workspace_id = w.id
  JOIN stages s ON s.pipeline_id = p.id ORDER BY s.position LIMIT 1;

CREATE TEMP TABLE orgs AS SELECT i, gen_random_uuid() AS id FROM generate_series(0, 4999) i;
INSERT INTO organizations (id, workspace_id, name, name_key, tags, custom_fields, version, created_at, updated_at, search_text)
  SELECT o.id, ctx.ws, 'Customer ' || o.i, 'customer ' || o.i, '[]', '{}', 1, now(), now(), 'customer ' || o.i FROM orgs o, ctx;

-- One deal per invoice: its customer (a skewed choice, so that some customers buy often), when it
-- was invoiced, and how it was paid.
CREATE TEMP TABLE seed AS
  SELECT i, gen_random_uuid() AS deal, gen_random_uuid() AS invoice,
         (floor(power(random(), 2) * 5000))::int AS customer,
         (now() - random() * interval '730 days') AS issued,
         (1 + i % 400) * 1000000::bigint AS total,
         CASE WHEN i % 20 < 16 THEN 'paid' WHEN i % 20 < 18 THEN 'partially_paid' WHEN i % 20 = 18 THEN 'issued' ELSE 'void' END AS status
  FROM generate_series(1, 100000) i;

INSERT INTO deals (id, workspace_id, pipeline_id, stage_id, title, amount_minor, currency, owner_id, status, closed_at, position,
                   stage_entered_at, version, created_at, updated_at, organization_id)
  SELECT s.deal, ctx.ws, ctx.pipeline, ctx.stage, 'Deal ' || s.i, s.total, 'IRR', ctx.admin,
         CASE WHEN s.i % 10 < 7 THEN 'won' ELSE 'open' END, CASE WHEN s.i % 10 < 7 THEN s.issued END,
         'c' || lpad(to_hex(s.i), 8, '0'), s.issued, 1, s.issued - interval '20 days', now(), o.id
  FROM seed s CROSS JOIN ctx JOIN orgs o ON o.i = s.customer;

INSERT INTO invoices (id, workspace_id, deal_id, number, sequence, period, status, currency, issued_on, due_on, lines,
                      subtotal_minor, discount_minor, tax_minor, total_minor, paid_minor, buyer, seller, created_by, voided_at,
                      version, created_at, updated_at)
  SELECT s.invoice, ctx.ws, s.deal, 'INV-' || s.i, s.i, '', s.status, 'IRR', s.issued::date, (s.issued + interval '30 days')::date,
         '[]', s.total, 0, 0, s.total,
         CASE s.status WHEN 'paid' THEN s.total WHEN 'partially_paid' THEN s.total / 2 ELSE 0 END,
         '{"name": "Customer"}', '{"name": "Seller"}', ctx.admin, CASE WHEN s.status = 'void' THEN s.issued END, 2, s.issued, s.issued
  FROM seed s CROSS JOIN ctx;

-- Paid invoices in two payments for one in three, else one; partly paid ones half.
INSERT INTO payments (id, workspace_id, invoice_id, amount_minor, paid_at, method, recorded_by, created_at)
  SELECT gen_random_uuid(), ctx.ws, s.invoice,
         CASE WHEN s.status = 'partially_paid' THEN s.total / 2 WHEN s.i % 3 = 0 THEN s.total / 2 ELSE s.total END,
         s.issued + interval '5 days', 'bank_transfer', ctx.admin, s.issued + interval '5 days'
  FROM seed s CROSS JOIN ctx WHERE s.status IN ('paid', 'partially_paid');
INSERT INTO payments (id, workspace_id, invoice_id, amount_minor, paid_at, method, recorded_by, created_at)
  SELECT gen_random_uuid(), ctx.ws, s.invoice, s.total - s.total / 2, s.issued + interval '20 days', 'cash', ctx.admin,
         s.issued + interval '20 days'
  FROM seed s CROSS JOIN ctx WHERE s.status = 'paid' AND s.i % 3 = 0;

INSERT INTO exchange_rates (id, workspace_id, currency, rate_date, rate, created_by, created_at)
  SELECT gen_random_uuid(), ctx.ws, c.currency, (date_trunc('month', now()) - m * interval '1 month')::date,
         (c.base + m * 100)::text, ctx.admin, now()
  FROM ctx, generate_series(0, 23) m, (VALUES ('USD', 420000), ('EUR', 450000)) c(currency, base);
SQL
psql "$PG/$DB" -q -c "VACUUM ANALYZE"
echo "seeded in $(( $(date +%s) - SEED_START )) s: $(psql "$PG/$DB" -Atc "SELECT (SELECT COUNT(*) FROM invoices) || ' invoices, ' || (SELECT COUNT(*) FROM payments) || ' payments, ' || (SELECT COUNT(*) FROM deals) || ' deals, ' || (SELECT COUNT(*) FROM organizations) || ' organizations'")"

export KARIZ_RATE_LIMIT_USER=off KARIZ_RATE_LIMIT_API_KEY=off
"$KARIZ_BIN" repair --rollups --quiet
"$KARIZ_BIN" serve &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT/api/v1"
TOKEN="$(curl -fs "$BASE/auth/login" -H 'content-type: application/json' \
  -d '{"email":"demo@kariz.local","password":"kariz-demo-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
FROM="$(date -u -d '90 days ago' +%F)"
TO="$(date -u +%F)"

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

echo "== $RUNS requests each; load: $(cut -d' ' -f1-3 /proc/loadavg); period of the last 90 days: $FROM … $TO"
echo "| report | median | p95 | response |"
echo "| --- | --- | --- | --- |"
for scope in "all time|" "90 days|from=$FROM&to=$TO&"; do
  label="${scope%%|*}"; q="${scope#*|}"
  time_report "revenue by month ($label)" "reports/revenue?${q}"
  time_report "revenue by Jalali quarter ($label)" "reports/revenue?${q}calendar=jalali&interval=quarter"
  time_report "rfm, paid invoices ($label)" "reports/rfm?${q}"
  time_report "rfm, won deals ($label)" "reports/rfm?${q}source=won_deals"
done
RSS_AFTER="$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")"
echo "== server resident memory: $RSS_BEFORE KiB before, max $(sort -n "$WORK/rss.txt" | tail -1) KiB over $(wc -l < "$WORK/rss.txt") samples, $RSS_AFTER KiB after"
