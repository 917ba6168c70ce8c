# Ledger: a local PostgreSQL server for the ledger's test suite.
#
#   make postgres-up
#
# Installs Debian's `postgresql` if missing, starts the first cluster (creating one if needed),
# and creates the role and database the tests use. Idempotent: run it as often as you like.
# It exports nothing; point the tests at it with
#
#   MOSQUITO_TEST_POSTGRES_URL=postgres://mosquito:mosquito@127.0.0.1:5432/mosquito_test swift test   (the port postgres-up prints)
#
# Under CI (CI set) the ledger tests fail if MOSQUITO_TEST_POSTGRES_URL is missing.
# `cd /` first: the postgres user cannot enter a checkout under /root, and psql says so on every call.

LEDGER_PG_USER ?= mosquito
LEDGER_PG_PASSWORD ?= mosquito
LEDGER_PG_DATABASE ?= mosquito_test
# The port of the cluster postgres-up uses: Debian's installer takes the next free one (5433…) when another
# server already holds 5432.
LEDGER_PG_PORT = $(or $(shell pg_lsclusters -h 2>/dev/null | awk 'NR == 1 { print $$3 }'),5432)
LEDGER_PG_URL = postgres://$(LEDGER_PG_USER):$(LEDGER_PG_PASSWORD)@127.0.0.1:$(LEDGER_PG_PORT)/$(LEDGER_PG_DATABASE)

.PHONY: postgres-up
postgres-up:
	@command -v pg_lsclusters >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; }
	@if [ -z "$$(pg_lsclusters -h)" ]; then \
	    pg_createcluster "$$(ls /usr/lib/postgresql | sort -n | tail -1)" main; \
	fi
	@set -- $$(pg_lsclusters -h | head -1); \
	    if [ "$$4" != "online" ]; then pg_ctlcluster "$$1" "$$2" start; fi
	@for i in 1 2 3 4 5 6 7 8 9 10; do \
	    (cd / && su postgres -c "psql -qAtc 'SELECT 1'") >/dev/null 2>&1 && break; sleep 1; \
	done
	@(cd / && su postgres -c "psql -qAtc \"SELECT 1 FROM pg_roles WHERE rolname = '$(LEDGER_PG_USER)'\"") | grep -q 1 || \
	    (cd / && su postgres -c "psql -qc \"CREATE ROLE $(LEDGER_PG_USER) LOGIN PASSWORD '$(LEDGER_PG_PASSWORD)'\"")
	@(cd / && su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname = '$(LEDGER_PG_DATABASE)'\"") | grep -q 1 || \
	    (cd / && su postgres -c "createdb -O $(LEDGER_PG_USER) $(LEDGER_PG_DATABASE)")
	@echo "PostgreSQL is up: MOSQUITO_TEST_POSTGRES_URL=$(LEDGER_PG_URL)"
