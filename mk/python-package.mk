# The Python package (python/: distribution mosquito-daq, import mosquito) and its pytest suite. Included by the
# top-level Makefile; uses the checkout's .venv from mk/python.mk and the built binary ($(BIN)).
#
#   make python-test                             # after `swift build`: installs ./python into .venv, runs pytest
#   make python-test MOSQUITO_BIN=/path/to/mosquito PYTEST_ARGS="-k live -x"
#
# The INSTALLED package is tested: a regular (non-editable) install into .venv, so a file missing from the wheel
# or a wrong import path fails here as it would for a user. --no-deps: pip cannot see Debian's h5py (its
# distribution is named h5py._debian_h5py_serial) and would put a PyPI h5py over it in the venv every other test
# uses; numpy and h5py are already there (mk/python.mk), and the extras' packages come pinned from
# requirements-test.txt. test_package.py checks the declared dependencies and extras.
# pytest exits 5 when it collected no tests; that fails the target like any other failure, said in one line.

PYTHON_PACKAGE_EXTRAS := pandas,xarray,mne,live,plot
MOSQUITO_BIN ?= $(abspath $(BIN))
PYTEST_ARGS ?=

.PHONY: python-test
python-test:
	@$(MAKE) --no-print-directory venv
	$(VENV)/bin/python3 -m pip install -q --disable-pip-version-check --no-deps --force-reinstall \
		"./python[$(PYTHON_PACKAGE_EXTRAS)]"
	@cd python && MOSQUITO_BIN="$(MOSQUITO_BIN)" \
		$(abspath $(VENV))/bin/python3 -m pytest -p no:cacheprovider tests $(PYTEST_ARGS); \
	status=$$?; \
	if [ $$status -eq 5 ]; then echo "Error: pytest collected no tests in python/tests" >&2; fi; \
	exit $$status
