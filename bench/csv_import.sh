#!/usr/bin/env bash
# CSV import benchmark on the embedded default (SQLite): a 100,000-row lead file (1% bad rows,
# 2% repeats of earlier rows) is posted to `POST /leads/import` with a column mapping and two
# custom fields; prints the wall time, the report and the server's peak resident memory.
#
#   bash bench/csv_import.sh            # or: make bench
#   ROWS=100000 bash bench/csv_import.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-100000}"
PORT="${PORT:-18091}"
WORK="$(mktemp -d)"
trap 'stop_server; rm -rf "$WORK"' EXIT

[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz
export KARIZ_DATA_DIR="$WORK/data" KARIZ_DEMO=false KARIZ_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
  KARIZ_JWT_SECRET="bench-secret-bench-secret-bench-secret" KARIZ_WEBHOOKS_DISPATCH=false
unset DATABASE_URL
# A load test sends faster than any person: the per-user rate limit would only measure itself.
export KARIZ_RATE_LIMIT_USER=off KARIZ_RATE_LIMIT_API_KEY=off
./target/release/kariz serve &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

TOKEN="$(curl -fs "$BASE/api/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"workspace_name":"Bench","name":"Bench","email":"bench@kariz.local","password":"bench-password-1"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
auth=(-H "authorization: Bearer $TOKEN" -H 'content-type: application/json')
curl -fs "$BASE/api/v1/custom-fields" "${auth[@]}" -d '{"entity":"lead","key":"fleet_size","label":"Fleet size","kind":"number"}' >/dev/null
curl -fs "$BASE/api/v1/custom-fields" "${auth[@]}" \
  -d '{"entity":"lead","key":"industry","label":"Industry","kind":"select","options":["logistics","retail","energy"]}' >/dev/null
curl -fs -X PUT "$BASE/api/v1/scoring-rules" "${auth[@]}" -d '{"rules":[
  {"name":"Has email","condition":{"kind":"field_present","field":"email"},"points":10},
  {"name":"CEO","condition":{"kind":"field_contains","field":"job_title","value":"ceo"},"points":25},
  {"name":"Fairs","condition":{"kind":"source_in","sources":["exhibition","event"]},"points":15},
  {"name":"Big fleet","condition":{"kind":"custom_field","key":"fleet_size","comparison":"at_least","value":50},"points":20}]}' >/dev/null

python3 - "$ROWS" "$WORK/leads.csv" <<'PY'
import csv, random, sys
rows, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
first = ["Sara", "Reza", "Maryam", "Ali", "Nima", "Leila", "Kian", "سارا", "رضا", "مریم"]
last = ["Ahmadi", "Karimi", "Hosseini", "Rezaei", "Moradi", "Jafari", "احمدی", "کریمی"]
sources = ["website", "social", "exhibition", "event", "email_campaign", "phone", "referral", "other"]
titles = ["CEO", "Sales manager", "Engineer", "Owner", "Procurement lead", "مدیرعامل"]
digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["Full name", "E-mail", "Mobile", "Company", "Job title", "Source", "Tags", "Fleet", "Industry", "Notes"])
    for i in range(rows):
        n = i
        if i % 50 == 49:          # 2%: the same person again, phone in Persian digits
            n = i - 40
        phone = f"0912{n:07d}"
        if i % 50 == 49:
            phone = phone.translate(digits)
        email = f"lead{n}@example.com"
        if i % 100 == 7:          # 1%: an invalid email
            email = "not-an-email"
        w.writerow([f"{random.choice(first)} {random.choice(last)}", email, phone, f"Company {n % 5000}",
                    random.choice(titles), random.choice(sources), "fair,2026" if n % 3 == 0 else "",
                    str(n % 120), random.choice(["logistics", "retail", "energy", ""]), "Imported from the fair list"])
PY
echo "file: $ROWS rows, $(du -h "$WORK/leads.csv" | cut -f1)"

( while kill -0 "$SERVER_PID" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null; sleep 0.1; done ) > "$WORK/rss.txt" &
MAPPING='%7B%22Full%20name%22%3A%22name%22%2C%22Mobile%22%3A%22phone%22%2C%22Fleet%22%3A%22cf.fleet_size%22%2C%22Industry%22%3A%22cf.industry%22%7D'
START=$(date +%s.%N)
curl -fs "$BASE/api/v1/leads/import?mapping=$MAPPING" -H "authorization: Bearer $TOKEN" -H 'content-type: text/csv' \
  --data-binary "@$WORK/leads.csv" -o "$WORK/report.json"
END=$(date +%s.%N)
python3 - "$WORK/report.json" "$START" "$END" "$WORK/rss.txt" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
seconds = float(sys.argv[3]) - float(sys.argv[2])
rss = [int(x) for x in open(sys.argv[4]).read().split() if x.strip()]
print(f"import: {seconds:.2f} s for {report['rows']} rows ({report['rows'] / seconds:,.0f} rows/s)")
print(f"report: created {report['created']}, attached {report['attached']}, failed {report['failed']}, "
      f"first errors {[(e['line'], e['field']) for e in report['errors'][:3]]}")
print(f"server peak RSS: {max(rss) / 1024:.1f} MB")
PY
LEADS="$(curl -fs "$BASE/api/v1/leads?limit=1&q=lead9%40example.com" -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d[0]["submissions"] if d else 0)')"
echo "lead 9 was submitted $LEADS times (attached repeats)"
