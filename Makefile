# Two commands a newcomer needs on a fresh Debian 12 machine with Swift 6: `make run` and `make test`.
# Both install the system packages they need (only those missing), so nothing else must be set up by hand.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/debug/mosquito

# Debian packages: building (HDF5, libusb, SQLite headers), running tests (h5py, umockdev, PostgreSQL, the venv).
# libsqlite3-dev: GRDB builds against sqlite3.h (Swift's own Debian dependencies bring only the library).
BUILD_PACKAGES := pkg-config libhdf5-dev libusb-1.0-0-dev libsqlite3-dev
TEST_PACKAGES := hdf5-tools python3-venv python3-h5py python3-numpy umockdev libumockdev-dev gir1.2-umockdev-1.0 postgresql chromium nginx-light openssl iproute2

.PHONY: all build run test deps test-deps swift-test ci clean

all: build

# Installs only what `dpkg -s` says is missing; apt-get update runs once, and only when something is.
define install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_PACKAGES))

test-deps: deps
	$(call install_missing,$(TEST_PACKAGES))
	@$(MAKE) --no-print-directory venv

build: deps
	$(SWIFT) build --product mosquito

# The main job, no hardware: 10 s from the built-in simulated Mosquito into an HDF5 file with live stats,
# then the demo contribution ledger (embedded SQLite) selling three units, then the web dashboard over both
# (`mosquito serve`, http://127.0.0.1:8080/, until Ctrl-C).
RUN_DIR ?= run
run: build
	@mkdir -p $(RUN_DIR)
	$(BIN) record --device sim --duration 10 --rate 1000 --output $(RUN_DIR)/mosquito-$$(date +%Y%m%dT%H%M%S).h5
	rm -f $(RUN_DIR)/demo-ledger.sqlite
	$(BIN) ledger demo --ledger $(RUN_DIR)/demo-ledger.sqlite
	$(BIN) serve --device sim --ledger $(RUN_DIR)/demo-ledger.sqlite --recordings $(RUN_DIR)

# Every test: unit, end to end (simulator on a pty), HDF5 read back by h5py, the ledger on SQLite and on a
# local PostgreSQL server, the USB driver under umockdev, the web dashboard in headless Chromium, and the
# Python package (python/, pytest) against recordings and a server made in the same run.
test: test-deps postgres-up
	$(SWIFT) build --build-tests
	$(MAKE) swift-test
	$(MAKE) python-test

swift-test:
	MOSQUITO_TEST_PYTHON=$(TEST_PYTHON) MOSQUITO_TEST_POSTGRES_URL=$(LEDGER_PG_URL) $(SWIFT) test --skip-build --skip USBTests
	umockdev-wrapper $(SWIFT) test --skip-build --filter USBTests --skip hotplugMonitor
	# libusb's hotplug monitor is process-global and stays bound to the first umockdev testbed a process
	# made, so the hotplug test gets a process of its own.
	umockdev-wrapper $(SWIFT) test --skip-build --filter hotplugMonitor

# What CI runs: every test, the ring under ThreadSanitizer, and 60 s of fuzzing.
ci: test
	$(MAKE) tsan
	$(MAKE) fuzz FUZZ_SECONDS=60

clean:
	rm -rf .build .build-*

-include mk/*.mk
