# Two commands a newcomer needs on a fresh Debian 12 machine with Swift 6: `make run` and `make test`.
# Both install the system packages they need (only those missing), so nothing else must be set up by hand.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/debug/mosquito

# Debian packages: building (HDF5, libusb), running tests (h5py, umockdev, PostgreSQL).
BUILD_PACKAGES := pkg-config libhdf5-dev libusb-1.0-0-dev
TEST_PACKAGES := hdf5-tools python3-h5py python3-numpy umockdev libumockdev-dev gir1.2-umockdev-1.0 postgresql

.PHONY: all build run test deps test-deps swift-test clean

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

build: deps
	$(SWIFT) build

run: build
	$(BIN) record --device sim --duration 10 --rate 1000 --output mosquito-run.h5

test: test-deps
	$(SWIFT) build --build-tests
	$(MAKE) swift-test

swift-test:
	$(SWIFT) test --skip-build

clean:
	rm -rf .build .build-*

-include mk/*.mk
