# Signal ring under ThreadSanitizer (included by the top-level Makefile: `include mk/*.mk`).
# Own scratch path so the instrumented build never mixes with the normal one (and stays incremental
# between runs). SwiftPM links one test bundle for the whole package, so this instruments every target
# the tests link, not only Signal; it runs only the ring suites.
.PHONY: tsan
tsan:
	swift test --sanitize=thread --scratch-path .build-tsan --filter 'RingStressTests|RingLayoutTests'
