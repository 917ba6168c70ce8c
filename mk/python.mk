# The project's one Python home: a virtual environment inside the checkout (.venv/, ignored by git), made from
# the machine's own `python3` with --system-site-packages, so Debian's python3-h5py and python3-numpy serve and
# pip never touches an externally managed system Python (PEP 668). Included by the top-level Makefile.
#
#   make venv                                # made once, re-made when VENV_PYTHON changes
#   make venv VENV_PYTHON=/usr/bin/python3   # from Debian's interpreter (what .ci/run does)
#
# Tests find its interpreter through MOSQUITO_TEST_PYTHON (Tests/TestSupport/TestEnvironment.swift).

VENV ?= .venv
VENV_PYTHON ?= python3
TEST_PYTHON := $(abspath $(VENV))/bin/python3
# For a venv made from a Python without Debian's dist-packages (pyenv, a non-Debian machine).
H5PY_FALLBACK := h5py==3.16.0 numpy==2.4.6

.PHONY: venv
venv:
	@made_from=$$($(VENV_PYTHON) -c 'import sys; print(sys.executable)') || { echo "Error: $(VENV_PYTHON) not found" >&2; exit 1; }; \
	if [ ! -x $(VENV)/bin/python3 ] || [ "$$(cat $(VENV)/made-from 2>/dev/null)" != "$$made_from" ]; then \
		echo "making $(VENV) from $$made_from"; \
		rm -rf $(VENV) && $(VENV_PYTHON) -m venv --system-site-packages $(VENV) && echo "$$made_from" > $(VENV)/made-from; \
	fi; \
	if [ ! -f $(VENV)/installed ] || [ requirements-test.txt -nt $(VENV)/installed ]; then \
		$(VENV)/bin/python3 -m pip install -q --disable-pip-version-check -r requirements-test.txt && \
		{ $(VENV)/bin/python3 -c 'import h5py, numpy' 2>/dev/null || \
		  $(VENV)/bin/python3 -m pip install -q --disable-pip-version-check $(H5PY_FALLBACK); } && \
		touch $(VENV)/installed; \
	fi
