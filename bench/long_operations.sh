#!/usr/bin/env bash
# Another workspace's writes during a long operation, on the embedded default (SQLite): a
# workspace of LEADS leads (200,000 by default, imported from CSV) has its scoring rules
# replaced, which re-scores every lead in batches of 500, each its own transaction; meanwhile a
# second workspace creates leads one after another, as fast as they are answered. Prints the
# re-score's wall time and the other workspace's write latencies and refusals during it.
#
#   bash bench/long_operations.sh
#   LEADS=200000 SKIP_BUILD=1 bash bench/long_operations.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LEADS="${LEADS:-200000}"
PORT="${PORT:-18093}"
WORK="$(mktemp -d)"
trap 'stop_server; rm -rf "$WORK"' EXIT

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz
export KARIZ_DATA_DIR="$WORK/data" KARIZ_DEMO=false KARIZ_BIND="127.0.0.1:$PORT" RUST_LOG=warn \
  KARIZ_JWT_SECRET="bench-secret-bench-secret-bench-secret" KARIZ_WEBHOOKS_DISPATCH=false
unset DATABASE_URL
export KARIZ_RATE_LIMIT_USER=off KARIZ_RATE_LIMIT_API_KEY=off
"${KARIZ_BIN:-./target/release/kariz}" serve &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

signup() {
  curl -fs "$BASE/api/v1/auth/signup" -H 'content-type: application/json' \
    -d "{\"workspace_name\":\"$1\",\"name\":\"Bench\",\"email\":\"$2\",\"password\":\"bench-password-1\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
BIG="$(signup Big big@kariz.local)"
OTHER="$(signup Other other@kariz.local)"

python3 - "$LEADS" "$WORK/leads.csv" <<'PY'
import sys
rows, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    f.write("name,email,company,phone\n")
    for n in range(rows):
        company = "Pars Trading" if n % 3 == 0 else f"Company {n % 5000}"
        phone = f"0912{n:07d}" if n % 5 == 0 else ""
        f.write(f"Lead {n},lead{n}@example.com,{company},{phone}\n")
PY
START=$(date +%s.%N)
curl -fs "$BASE/api/v1/leads/import" -H "authorization: Bearer $BIG" -H 'content-type: text/csv' \
  --data-binary "@$WORK/leads.csv" -o "$WORK/import.json"
echo "imported: $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["created"], "leads")' "$WORK/import.json")" \
  "in $(python3 -c "print(f'{$(date +%s.%N) - $START:.1f}')") s"

python3 - "$BASE" "$BIG" "$OTHER" <<'PY'
import http.client, json, sys, threading, time
base, big, other = sys.argv[1], sys.argv[2], sys.argv[3]
host, port = base.removeprefix("http://").split(":")

def call(conn, method, path, token, body):
    conn.request(method, path, json.dumps(body), {"authorization": f"Bearer {token}", "content-type": "application/json"})
    reply = conn.getresponse()
    return reply.status, reply.read()

done = threading.Event()
samples = []  # (started, seconds, status)

def other_tenant():
    conn = http.client.HTTPConnection(host, int(port))
    n = 0
    while not done.is_set():
        n += 1
        started = time.monotonic()
        status, _ = call(conn, "POST", "/api/v1/leads", other, {"name": f"Walk-in {n}", "company": "Pars"})
        samples.append((started, time.monotonic() - started, status))

writer = threading.Thread(target=other_tenant)
writer.start()
time.sleep(2)  # the other workspace's latency alone first
rules = {"rules": [
    {"name": "Pars", "condition": {"kind": "field_contains", "field": "company", "value": "Pars"}, "points": 10},
    {"name": "Callable", "condition": {"kind": "field_present", "field": "phone"}, "points": 4}]}
conn = http.client.HTTPConnection(host, int(port), timeout=3600)
began = time.monotonic()
status, body = call(conn, "PUT", "/api/v1/scoring-rules", big, rules)
ended = time.monotonic()
time.sleep(1)
done.set()
writer.join()

def summary(label, rows):
    if not rows:
        print(f"{label}: no writes"); return
    lat = sorted(s[1] * 1000 for s in rows)
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    refused = sum(1 for s in rows if not 200 <= s[2] < 300)
    print(f"{label}: {len(rows)} writes, p50 {pick(0.5):.1f} ms, p90 {pick(0.9):.1f} ms, p99 {pick(0.99):.1f} ms, "
          f"max {lat[-1]:.1f} ms, non-2xx {refused}")

print(f"re-score: HTTP {status}, {json.loads(body).get('rescored')} scores changed, {ended - began:.2f} s")
summary("other workspace before", [s for s in samples if s[0] < began])
summary("other workspace during the re-score", [s for s in samples if began <= s[0] < ended])
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
