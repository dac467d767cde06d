# Kariz: `make run` builds everything and serves on SQLite with demo data;
# `make test` installs what the tests need and runs every test.

CARGO ?= cargo
NPM ?= npm
WEB := web

.PHONY: run build build-web test test-rust test-web test-fuzz deps deps-web postgres openapi bench lint fmt clean

## Build the SPA and the server (release), then serve on http://127.0.0.1:8080
run: build
	./target/release/kariz serve

build: build-web
	$(CARGO) build --release -p kariz

build-web: deps-web
	cd $(WEB) && $(NPM) run build

## Every test: Rust unit and integration tests on SQLite and PostgreSQL, the SPA's unit and browser
## tests, then the schema-driven fuzz run against the server
test: deps postgres test-rust test-web test-fuzz

test-rust:
	$(CARGO) fmt --all -- --check
	$(CARGO) build -p kariz
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --workspace --no-fail-fast; \
	else \
		$(CARGO) test --workspace; \
	fi

test-web: deps-web
	cd $(WEB) && $(NPM) test
	cd $(WEB) && $(NPM) run build
	$(CARGO) build -p kariz
	cd $(WEB) && KARIZ_BIN=../target/debug/kariz $(NPM) run e2e

## Schemathesis against the running server on PostgreSQL: no 5xx, every answer as documented
test-fuzz: postgres
	bash tests/fuzz/run.sh

## System packages the tests need: Debian's Chromium for the browser tests; sqlite3, with which a
## test back-dates a deal; poppler-utils, whose pdftotext, pdfinfo and pdftoppm read the PDF documents back
deps:
	@command -v chromium >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
		echo "installing chromium, sqlite3 and poppler-utils (browser and document tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium sqlite3 poppler-utils >/dev/null; \
	}

deps-web:
	@if [ ! -d $(WEB)/node_modules ] || [ $(WEB)/package-lock.json -nt $(WEB)/node_modules/.package-lock.json ]; then \
		cd $(WEB) && $(NPM) ci --no-audit --no-fund; \
	fi

## Start the local PostgreSQL cluster (and Redis, for the shared-limit tests) if not answering
postgres:
	@bash .ci/ensure-postgres
	@bash .ci/ensure-redis

## Regenerate openapi/openapi.json from the code, and the SPA's typed client from it
openapi:
	$(CARGO) run -q -p kariz -- openapi > openapi/openapi.json
	@if [ -d $(WEB)/node_modules ]; then cd $(WEB) && $(NPM) run gen:api; fi

## Benchmarks: load, soak and faults on PostgreSQL, CSV import on SQLite, PDF rendering (see bench/RESULTS.md)
bench:
	bash bench/run.sh
	SKIP_BUILD=1 bash bench/soak.sh
	SKIP_BUILD=1 bash bench/faults.sh
	SKIP_BUILD=1 bash bench/webhooks.sh
	SKIP_BUILD=1 bash bench/webhook_fairness.sh
	SKIP_BUILD=1 bash bench/csv_import.sh
	SKIP_BUILD=1 bash bench/reports.sh
	SKIP_BUILD=1 bash bench/million.sh
	SKIP_BUILD=1 bash bench/revenue.sh
	SKIP_BUILD=1 bash bench/plans.sh || echo "bench/plans.sh: some lists are not served by an index (table above)"
	bash bench/pdf.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf $(WEB)/dist $(WEB)/node_modules data
