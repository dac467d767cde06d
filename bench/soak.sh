#!/usr/bin/env bash
# Soak: a steady mixed load (GET one deal, list pages, the board, moves, intake; see
# bench/wrk/mixed.lua) at a fixed offered rate for 10 minutes on PostgreSQL with 100,000 deals
# (default 150/s: on the busy two-core machine 400/s offered reached only 177/s), the server's
# resident memory sampled every 10 s into a table. Passes when memory stays under
# 100 MiB and does not trend upward: the last two minutes' mean is within 5 MiB of the
# mean of minutes 2–3 (after the caches and pools have warmed up). Loopback only; bounded.
#
#   bash bench/soak.sh
#   SKIP_BUILD=1 DURATION=600 RATE=150 DEALS=100000 bash bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-600}"
RATE="${RATE:-150}"
CONNECTIONS="${CONNECTIONS:-32}"
DEALS="${DEALS:-100000}"
PORT="${PORT:-18093}"
BENCH_DB=kariz_soak
WORK="$(mktemp -d)"
trap 'kill "${SAMPLER_PID:-}" 2>/dev/null || true; stop_server; rm -rf "$WORK"' EXIT
source bench/lib.sh

prepare_run "$DEALS"
sample_rss "$WORK/rss.txt" 10

PAUSE=$(( CONNECTIONS * 1000 / RATE ))
echo "== mixed load at ~$RATE req/s for ${DURATION} s: wrk -t2 -c$CONNECTIONS -d${DURATION}s, ${PAUSE} ms between requests per connection"
KARIZ_DELAY_MS="$PAUSE" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s bench/wrk/mixed.lua "$BASE" \
  | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in|Socket errors"
kill "$SAMPLER_PID"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK/rss.txt" <<'PY'
import sys

samples = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if len(line.split()) == 2]
start = samples[0][0]
print("| elapsed | resident memory |")
print("| --- | --- |")
for at, kib in samples:
    print(f"| {at - start:4d} s | {kib / 1024:6.1f} MiB |")
mib = [(at - start, kib / 1024) for at, kib in samples]
peak = max(m for _, m in mib)
warm = [m for t, m in mib if 120 <= t < 180]
last = [m for t, m in mib if t >= mib[-1][0] - 120]
growth = sum(last) / len(last) - sum(warm) / len(warm)
flat = peak < 100 and growth < 5
print(f"peak {peak:.1f} MiB; mean of the last two minutes minus mean of minutes 2-3: {growth:+.1f} MiB")
print("memory: FLAT (under 100 MiB, no upward trend)" if flat else "memory: NOT FLAT")
sys.exit(0 if flat else 1)
PY
