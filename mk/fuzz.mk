# libFuzzer over the MWP/1 Swift codec: the streaming decoder and every message parser (included by the top-level
# Makefile through `-include mk/*.mk`).
#
#   make fuzz                   # 60 s
#   make fuzz FUZZ_SECONDS=600  # longer
#
# SwiftPM executables rename `main`, which libFuzzer supplies, so the harness is compiled with swiftc directly over
# the MWP sources as one module. The seed corpus is regenerated from firmware-protocol/vectors/vectors.json; inputs
# libFuzzer finds are kept in $(FUZZ_DIR)/corpus between runs. A failure leaves its input in
# $(FUZZ_DIR)/artifacts/: copy it to Fuzz/regressions/ so `swift test` replays it (FuzzRegressionTests).
# SWIFT_BACKTRACE=enable=no: Swift's own crash backtracer would otherwise hold the crashing process (and `make`)
# instead of letting libFuzzer record the input and exit.

SWIFTC ?= swiftc
PYTHON3 ?= python3
FUZZ_SECONDS ?= 60
FUZZ_DIR ?= .build-fuzz
FUZZ_BIN := $(FUZZ_DIR)/mwp-fuzzer
FUZZ_SOURCES := $(wildcard Sources/MWP/*.swift) $(wildcard Sources/MosquitoModel/*.swift) Tests/CodecCrossCheckTests/FuzzChecks.swift Fuzz/MWPFuzzer.swift
# MWP imports CMWPAccel (hardware CRC-32C): compiled here as one object, its module map found through -I.
CLANG ?= clang
FUZZ_ACCEL := $(FUZZ_DIR)/cmwpaccel.o
# Frames are at most 4114 bytes on the wire; longer inputs let the fuzzer reach oversize runs and resync.
FUZZ_MAX_LEN ?= 12000

.PHONY: fuzz fuzz-build fuzz-seeds

fuzz-build: $(FUZZ_BIN)

$(FUZZ_ACCEL): Sources/CMWPAccel/crc32c.c Sources/CMWPAccel/include/CMWPAccel.h mk/fuzz.mk
	@mkdir -p $(FUZZ_DIR)
	$(CLANG) -c -O2 -g -fsanitize=fuzzer-no-link,address -I Sources/CMWPAccel/include $< -o $@

$(FUZZ_BIN): $(FUZZ_SOURCES) $(FUZZ_ACCEL) mk/fuzz.mk
	@mkdir -p $(FUZZ_DIR)
	$(SWIFTC) -parse-as-library -module-name MWPFuzz -package-name mosquito -D MWP_FUZZ_SINGLE_MODULE \
		-sanitize=fuzzer,address -O -g -use-ld=lld -I Sources/CMWPAccel/include $(FUZZ_SOURCES) $(FUZZ_ACCEL) -o $@

fuzz-seeds:
	@rm -rf $(FUZZ_DIR)/seeds
	$(PYTHON3) Fuzz/seed-corpus.py firmware-protocol/vectors/vectors.json $(FUZZ_DIR)/seeds

fuzz: $(FUZZ_BIN) fuzz-seeds
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	SWIFT_BACKTRACE=enable=no $(FUZZ_BIN) $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds Fuzz/regressions \
		-max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -timeout=10 \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/ -print_final_stats=1
