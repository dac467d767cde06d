#!/usr/bin/env bash
# Schema-driven fuzz run: Schemathesis generates requests from the committed
# openapi/openapi.json and sends them to the real server on a fresh PostgreSQL database. It fails
# on any 5xx and on any response the document does not describe (status, content type, headers,
# body schema), and runs every other check Schemathesis has: schema-violating requests must be
# refused, undeclared methods answer 405 with `Allow`, a missing required header or credential
# is refused, a deleted object is gone. One is left out: `positive_data_acceptance` (every
# schema-valid request must succeed) cannot hold, because some rules are not JSON Schema — ids
# that must name existing objects, cross-field rules, phone and country validity, reused
# idempotency keys — and those answers are documented 4xx.
# Loopback only; the run is bounded by a fixed seed and a number of cases per operation.
#
#   bash tests/fuzz/run.sh                     # or: make test-fuzz
#   FUZZ_MAX_EXAMPLES=50 FUZZ_SEED=7 bash tests/fuzz/run.sh
#   SKIP_BUILD=1 bash tests/fuzz/run.sh        # reuse target/debug/kariz
#   bash tests/fuzz/run.sh --include-path-regex '/leads' --continue-on-failure   # extra `st run` options
set -euo pipefail
cd "$(dirname "$0")/../.."

FUZZ_DIR=tests/fuzz
VENV="$FUZZ_DIR/.venv"
SEED="${FUZZ_SEED:-20260701}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-75}"
WORKERS="${FUZZ_WORKERS:-2}"
PG="${FUZZ_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
REPORT_DIR="${FUZZ_REPORT_DIR:-tests/artifacts/fuzz}"
DB="kariz_fuzz_$$_$(date +%s)"
WORK="$(mktemp -d)"

cleanup() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Schemathesis and its dependencies, pinned, in a virtual environment of their own; reinstalled
# when requirements.txt changes.
if [ ! -x "$VENV/bin/st" ] || [ "$FUZZ_DIR/requirements.txt" -nt "$VENV/.installed" ]; then
  echo "fuzz: installing schemathesis into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$FUZZ_DIR/requirements.txt"
  touch "$VENV/.installed"
fi

bash .ci/ensure-postgres
[ -n "${SKIP_BUILD:-}" ] || cargo build -q -p kariz

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
psql "$PG/postgres" -q -c "CREATE DATABASE $DB"

# The server sends nothing off the machine: no webhook dispatcher, and webhook URLs are not
# resolved (the SSRF guard's DNS look-up is skipped when private targets are allowed). Rate
# limits stay on, so their headers are checked against the document, but too high to be reached.
LIMIT="1000000/1s"
KARIZ_RATE_LIMIT_USER="$LIMIT" KARIZ_RATE_LIMIT_API_KEY="$LIMIT" KARIZ_RATE_LIMIT_SIGN_IN="$LIMIT" \
  KARIZ_RATE_LIMIT_SIGNUP="$LIMIT" KARIZ_RATE_LIMIT_REFRESH="$LIMIT" KARIZ_RATE_LIMIT_INTAKE="$LIMIT" \
  DATABASE_URL="$PG/$DB" KARIZ_BIND="127.0.0.1:$PORT" KARIZ_DATA_DIR="$WORK" KARIZ_DEMO=false \
  KARIZ_JWT_SECRET="fuzz-secret-fuzz-secret-fuzz-secret-fuzz" KARIZ_ACCESS_TOKEN_TTL_SECONDS=86400 \
  KARIZ_WEBHOOKS_DISPATCH=false KARIZ_WEBHOOKS_ALLOW_PRIVATE=true KARIZ_WEB_DIR="$WORK/no-spa" RUST_LOG=warn \
  ./target/debug/kariz serve 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 200); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.1; done
curl -fs "$BASE/readyz" >/dev/null || { echo "fuzz: the server did not become ready"; cat "$WORK/server.log"; exit 1; }

# A workspace admin's access token for the API, and an intake key for `POST /intake/leads`.
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
export KARIZ_FUZZ_TOKEN KARIZ_FUZZ_API_KEY
KARIZ_FUZZ_TOKEN="$(curl -fs "$BASE/api/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"workspace_name":"Fuzz","name":"Fuzz Admin","email":"fuzz@kariz.test","password":"fuzz-password-1234"}' | json_field access_token)"
KARIZ_FUZZ_API_KEY="$(curl -fs "$BASE/api/v1/api-keys" -H "authorization: Bearer $KARIZ_FUZZ_TOKEN" \
  -H 'content-type: application/json' -d '{"name":"Fuzz intake"}' | json_field key)"

mkdir -p "$REPORT_DIR"
start=$(date +%s)
status=0
"$VENV/bin/st" --config-file "$FUZZ_DIR/schemathesis.toml" run openapi/openapi.json \
  --url "$BASE" \
  --checks all --exclude-checks positive_data_acceptance \
  --seed "$SEED" --max-examples "$MAX_EXAMPLES" --workers "$WORKERS" \
  --generation-database none --no-color \
  --report junit --report-dir "$REPORT_DIR" "$@" || status=$?
echo "fuzz: $(( $(date +%s) - start )) s against $BASE (seed $SEED, at most $MAX_EXAMPLES cases per operation and phase)"

# A 5xx is caught above; a panic or a failed request the client never saw is caught here.
if grep -q -E "panicked|request failed" "$WORK/server.log"; then
  echo "fuzz: the server logged errors:"
  grep -E "panicked|request failed" "$WORK/server.log" | head -20
  status=1
fi
exit "$status"
