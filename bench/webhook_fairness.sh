#!/usr/bin/env bash
# One tenant's slow webhooks against another's, on PostgreSQL: the demo workspace (the noisy one)
# has SLOW_SUBSCRIPTIONS (70) subscriptions to `deal.stage_changed` whose endpoint answers only
# after SLOW_SECONDS (5 s, within the 15 s timeout), and moves NOISY_RATE deals a second; a second
# workspace (the quiet one) has one subscription to a prompt endpoint and moves its one deal once
# a second. Reports the quiet workspace's latency from each stage change (`data.changed_at`) to
# its arrival, p50/p99, and how many of its changes had not arrived GRACE seconds after the load.
# Loopback only; bounded in time.
#
#   bash bench/webhook_fairness.sh
#   KARIZ_BIN=/tmp/kariz-old SKIP_BUILD=1 DURATION=60 bash bench/webhook_fairness.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-60}"
SLOW_SUBSCRIPTIONS="${SLOW_SUBSCRIPTIONS:-70}"
SLOW_SECONDS="${SLOW_SECONDS:-5}"
NOISY_RATE="${NOISY_RATE:-2}"
GRACE="${GRACE:-20}"
DEALS="${DEALS:-2000}"
PORT="${PORT:-18092}"
RECEIVER_PORT="${RECEIVER_PORT:-18093}"
BENCH_DB=kariz_bench_fairness
WORK="$(mktemp -d)"
trap 'kill "${RECEIVER_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh
export KARIZ_WEBHOOKS_ALLOW_PRIVATE=true KARIZ_RATE_LIMIT_SIGNUP=off

python3 bench/webhook_receiver.py "$RECEIVER_PORT" "$WORK/latencies.txt" "$SLOW_SECONDS" &
RECEIVER_PID=$!
prepare_run "$DEALS"
HOOKS="http://127.0.0.1:$RECEIVER_PORT"

echo "== $SLOW_SUBSCRIPTIONS slow subscriptions (${SLOW_SECONDS} s each) in the noisy workspace, $NOISY_RATE moves/s there, one move/s in the quiet one, for ${DURATION} s"
python3 - "$BASE" "$KARIZ_TOKEN" "$HOOKS" "$SLOW_SUBSCRIPTIONS" "$NOISY_RATE" "$DURATION" "$KARIZ_DEALS_FILE" "$KARIZ_STAGES_FILE" <<'PY'
import json, random, sys, threading, time, urllib.request

base, token, hooks, slow, rate, duration, deals_file, stages_file = sys.argv[1:9]
api = base + "/api/v1"

def call(method, path, body=None, bearer=token, version=None):
    request = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if bearer:
        request.add_header("authorization", "Bearer " + bearer)
    if version is not None:
        request.add_header("if-match", f'"{version}"')
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None

for n in range(int(slow)):
    call("POST", "/webhooks", {"url": f"{hooks}/slow/{n}", "event_types": ["deal.stage_changed"]})
quiet = call("POST", "/auth/signup", {"workspace_name": "Quiet", "name": "Quiet Admin", "email": "quiet@kariz.local",
                                      "password": "quiet-bench-password", "default_currency": "IRR"}, bearer=None)
quiet_token = quiet["access_token"]
call("POST", "/webhooks", {"url": f"{hooks}/quiet", "event_types": ["deal.stage_changed"]}, bearer=quiet_token)
pipeline = call("POST", "/pipelines", {"name": "Quiet", "stages": [{"name": "One", "probability": 10}, {"name": "Two", "probability": 50}]},
                bearer=quiet_token)
stages = [s["id"] for s in pipeline["stages"]]
deal = call("POST", "/deals", {"title": "Quiet deal", "pipeline_id": pipeline["id"]}, bearer=quiet_token)

noisy_deals = [line.strip() for line in open(deals_file) if line.strip()]
noisy_stages = [line.strip() for line in open(stages_file) if line.strip()]
end = time.monotonic() + float(duration)
moved = {"noisy": 0, "quiet": 0, "failed": 0}

def noisy_load():
    pause = 1.0 / float(rate)
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            current = call("GET", f"/deals/{random.choice(noisy_deals)}")
            target = random.choice([s for s in noisy_stages if s != current["stage_id"]])
            call("POST", f"/deals/{current['id']}/move", {"stage_id": target}, version=current["version"])
            moved["noisy"] += 1
        except Exception:
            moved["failed"] += 1
        time.sleep(max(0.0, pause - (time.monotonic() - started)))

thread = threading.Thread(target=noisy_load)
thread.start()
version, hop = deal["version"], 1
while time.monotonic() < end:
    started = time.monotonic()
    version = call("POST", f"/deals/{deal['id']}/move", {"stage_id": stages[hop]}, bearer=quiet_token, version=version)["version"]
    moved["quiet"] += 1
    hop = 1 - hop
    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
thread.join()
print(f"   moves: noisy {moved['noisy']}, quiet {moved['quiet']}, failed {moved['failed']}")
PY

sleep "$GRACE"
backlog="$(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")"
kill -TERM "$RECEIVER_PID"; wait "$RECEIVER_PID" || true
quiet_changes="$(psql "$DATABASE_URL" -Atc "SELECT COUNT(*) FROM events e JOIN workspaces w ON w.id = e.workspace_id WHERE w.name = 'Quiet' AND e.event_type = 'deal.stage_changed'")"
python3 - "$WORK/latencies.txt" "$quiet_changes" "$backlog" "$GRACE" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
changes, backlog, grace = int(sys.argv[2]), sys.argv[3], sys.argv[4]
values = sorted(float(r[1]) for r in rows)
def pct(p):
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")
print(f"== quiet workspace: {len(values)} of {changes} stage changes arrived ({changes - len(values)} not within {grace} s of the load's end); "
      f"noisy backlog then: {backlog} pending deliveries")
print(f"   stage change → received: p50 {pct(50):.0f} ms, p99 {pct(99):.0f} ms, max {values[-1] if values else float('nan'):.0f} ms")
PY
