# Signal ring under ThreadSanitizer (included by the top-level Makefile: `include mk/*.mk`).
# Own scratch path so the instrumented build never mixes with the normal one (and stays incremental
# between runs). SwiftPM links one test bundle for the whole package, so this instruments every target
# the tests link, not only Signal; it runs the ring suites and one whole acquisition (recorder, a live
# subscriber and a reconnect, all threads at once).
.PHONY: tsan
tsan:
	swift test --sanitize=thread --scratch-path .build-tsan --filter 'RingStressTests|RingLayoutTests|liveIndicesEqualRecordedIndicesAcrossAReconnect|StreamHubTests|PointCaptureIndexTests|HubCaptureTests'

# Signal benchmarks and their peers, side by side (brief runs; figures go in the README table).
# Needs libboost-dev (installed by run_boost.sh if missing) and `pip install brainflow pylsl`.
.PHONY: bench-signal
bench-signal:
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --target SignalBenchmarks
	Benchmarks/peers/run_boost.sh
	python3 -c 'import brainflow, pylsl' 2>/dev/null || python3 -m pip install brainflow pylsl
	python3 Benchmarks/peers/peers.py

# The whole record path for ten minutes at 16 ch × 100 kS/s on a release build: RSS at minute 1 and 10,
# peak, CPU share (the issue's memory figure). Not part of CI: it takes eleven minutes plus the build.
.PHONY: soak-record
soak-record:
	swift build -c release --product mosquito
	python3 Benchmarks/soak/record_soak.py --binary .build/release/mosquito --minutes $${SOAK_MINUTES:-10}
