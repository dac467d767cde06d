#!/usr/bin/env bash
# Issue 18's run at a million deals on PostgreSQL: 1,000,000 deals over three pipelines and 20
# owners with 10,000,000 stage-history rows (bench/reports.sh's bulk seed, scaled), every report
# timed on them, then bench/run.sh's loads on the same database (GET one deal, the lists, the
# board of the demo pipeline, moves among its open deals, intake, global search) with the
# server's memory, `pgbench` in the same run and where the cores went. About 25 minutes here,
# 10 of them seeding. Loopback only; every loop is bounded.
#
#   bash bench/million.sh                  # builds the release binary first
#   SKIP_BUILD=1 KARIZ_BIN=<build> bash bench/million.sh
#   SKIP_BUILD=1 SKIP_SEED=1 bash bench/million.sh   # the database the last run seeded, as it is
set -euo pipefail
cd "$(dirname "$0")/.."

[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p kariz
export SKIP_BUILD=1
echo "== reports (bench/reports.sh)"
DEALS="${DEALS:-1000000}" PIPELINES="${PIPELINES:-3}" RUNS="${RUNS:-5}" bash bench/reports.sh
echo "== loads (bench/run.sh)"
# "deal 4242" matches every deal by its first word and a few by the number's prefix; "eal 42"
# only inside words.
SKIP_SEED=1 BENCH_DB=kariz_reports_bench KARIZ_SEARCH_QUERIES="${KARIZ_SEARCH_QUERIES:-deal%204242,eal%2042}" bash bench/run.sh
