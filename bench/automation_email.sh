#!/usr/bin/env bash
# Stage change → automation email accepted by the SMTP server, on PostgreSQL: one rule emails a
# template on every `deal.stage_changed` while moves are offered at MOVES a second for DURATION
# seconds; a local SMTP sink (bench/smtp_sink.py) records when each message arrives. Reports
# p50/p99 from the change (its event's time, the move's transaction time) to acceptance, and
# checks that every stage change got exactly one email.
#
#   bash bench/automation_email.sh      MOVES=100 DURATION=30 SKIP_BUILD=1 bash bench/automation_email.sh
set -euo pipefail
cd "$(dirname "$0")/.."

MOVES="${MOVES:-100}"
DURATION="${DURATION:-30}"
DEALS="${DEALS:-2000}"
PORT="${PORT:-18094}"
SMTP_PORT="${SMTP_PORT:-18095}"
BENCH_DB=kariz_bench_automation
WORK="$(mktemp -d)"
trap 'kill "${SINK_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh
export KARIZ_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" KARIZ_MAIL_FROM="Kariz <crm@kariz.test>"

python3 bench/smtp_sink.py "$SMTP_PORT" "$WORK/received.txt" &
SINK_PID=$!
prepare_run "$DEALS"
api() { curl -fs "$BASE/api/v1$1" -H "authorization: Bearer $KARIZ_TOKEN" -H 'content-type: application/json' "${@:2}"; }
TEMPLATE="$(api /email-templates -d '{"name":"Moved","locale":"fa","subject":"{{deal.title}} — {{stage.name}}","body":"{{deal.title}}: {{deal.amount}}"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
api /automations -d "{\"name\":\"Email every move\",\"trigger\":{\"type\":\"deal.stage_changed\"},\"actions\":[{\"type\":\"send_email\",\"to\":\"bench@kariz.test\",\"template_id\":\"$TEMPLATE\"}]}" >/dev/null
START="$(bench_sql "SELECT COALESCE(MAX(sequence), 0) FROM events")"
CONNECTIONS=10
echo "== moves: wrk -t1 -c$CONNECTIONS -d${DURATION}s, ~$MOVES/s offered; load average $(cut -d' ' -f1-3 /proc/loadavg)"
KARIZ_DELAY_MS=$(( CONNECTIONS * 1000 / MOVES )) wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/move.lua "$BASE" | grep -E "Requests/sec|Non-2xx|99%|50%"
# Let the last ones through, then stop the sink so that it writes what it received.
for _ in $(seq 1 60); do
  pending="$(bench_sql "SELECT COUNT(*) FROM emails WHERE status IN ('queued', 'sending')")"
  [ "$pending" = 0 ] && break
  sleep 1
done
sleep 1
kill "$SINK_PID"; wait "$SINK_PID" || true
bench_sql "SELECT r.id, EXTRACT(EPOCH FROM ev.occurred_at), r.outcomes FROM automation_runs r JOIN events ev ON ev.id = r.event_id \
  WHERE ev.sequence > $START" > "$WORK/runs.txt"
python3 - "$WORK/runs.txt" "$WORK/received.txt" "$(bench_sql "SELECT COUNT(*) FROM events WHERE event_type = 'deal.stage_changed' AND sequence > $START")" <<'PY'
import json, sys
changes = {}
for line in open(sys.argv[1]):
    _run, at, outcomes = line.rstrip("\n").split("|", 2)
    for o in json.loads(outcomes):
        if o.get("record_id"):
            changes[o["record_id"]] = float(at)
arrived = {}
duplicates = 0
for line in open(sys.argv[2]):
    at, message_id = line.split(" ", 1)
    email_id = message_id.strip().strip("<>").split("@")[0]
    if email_id in arrived:
        duplicates += 1
    arrived.setdefault(email_id, float(at))
latencies = sorted((arrived[e] - changes[e]) * 1000 for e in changes if e in arrived)
stage_changes = int(sys.argv[3])
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
print(f"== stage changes {stage_changes}, emails queued by the rule {len(changes)}, accepted {len(latencies)}, duplicates {duplicates}")
print(f"== change → accepted: p50 {pick(0.5):.1f} ms, p90 {pick(0.9):.1f} ms, p99 {pick(0.99):.1f} ms, max {latencies[-1] if latencies else float('nan'):.1f} ms")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
