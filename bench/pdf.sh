#!/usr/bin/env bash
# PDF rendering time of quotes and invoices (kariz-documents): 1-page and 3-page invoices in
# Persian and English, each rendered RUNS times in one process after a warm-up; mean, p50, p99
# and max per document and the mean per page, then the process's resident memory. No server and
# no database: the typesetter alone, on one thread.
#
#   bash bench/pdf.sh
#   RUNS=200 bash bench/pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export RUNS="${RUNS:-100}"
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p')"
echo "== load before: $(uptime | sed 's/.*load average: //')"
cargo run --release -q -p kariz-documents --example render_bench
echo "== load after: $(uptime | sed 's/.*load average: //')"
