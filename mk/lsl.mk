# LSL outlet benchmarks (included by the top-level Makefile): mosquito's outlet against liblsl's own (pylsl, from
# the .venv that `make test` makes), measured in the same run on release builds; figures go in Benchmarks/README.md.
# Not part of CI: about five minutes plus the build.
.PHONY: bench-lsl
bench-lsl: venv
	$(SWIFT) build -c release --product mosquito
	$(SWIFT) build -c release --product lsl-outlet-bench
	$(TEST_PYTHON) Benchmarks/lsl/lsl_bench.py --bin .build/release $(if $(BENCH_JSON),--json $(BENCH_JSON))
