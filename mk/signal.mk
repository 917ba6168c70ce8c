# Signal ring under ThreadSanitizer (included by the top-level Makefile: `include mk/*.mk`).
# Own scratch path so the instrumented build never mixes with the normal one (and stays incremental
# between runs). SwiftPM links one test bundle for the whole package, so this instruments every target
# the tests link, not only Signal; it runs only the ring suites.
.PHONY: tsan
tsan:
	swift test --sanitize=thread --scratch-path .build-tsan --filter 'RingStressTests|RingLayoutTests'

# Signal benchmarks and their peers, side by side (brief runs; figures go in the README table).
# Needs libboost-dev (installed by run_boost.sh if missing) and `pip install brainflow pylsl`.
.PHONY: bench-signal
bench-signal:
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --target SignalBenchmarks
	Benchmarks/peers/run_boost.sh
	python3 -c 'import brainflow, pylsl' 2>/dev/null || python3 -m pip install brainflow pylsl
	python3 Benchmarks/peers/peers.py
