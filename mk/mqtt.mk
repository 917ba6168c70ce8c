# MQTT publishing (`--publish`) and its tests: libmosquitto to build against, a real `mosquitto` broker and its
# clients for the tests, paho-mqtt (requirements-test.txt) as the independent subscriber. Included by the
# top-level Makefile; `test-deps` gains these packages, so `make test` installs them (only those missing).
#
# The tests start their own broker per suite (Tests/MQTTTests/Support/TestBroker.swift): a generated config with a
# password file (`mosquitto_passwd -b`) and a TLS listener whose throwaway CA `openssl` makes in the test, on
# free loopback ports; no system broker is used or needed. Debian's package enables a system `mosquitto`
# service on 1883; the tests never touch it.

MQTT_BUILD_PACKAGES := libmosquitto-dev
MQTT_TEST_PACKAGES := mosquitto mosquitto-clients openssl

.PHONY: mqtt-deps mqtt-test-deps

mqtt-deps:
	$(call install_missing,$(MQTT_BUILD_PACKAGES))

mqtt-test-deps: mqtt-deps
	$(call install_missing,$(MQTT_TEST_PACKAGES))

deps: mqtt-deps
test-deps: mqtt-test-deps

# An archive's lossless throughput against mosquitto_sub's on the same broker, and edge→subscriber latency at 1 kHz
# (Benchmarks/README.md, "MQTT"). Release build; BENCH_MQTT_DEVICES and BENCH_MQTT_SECONDS choose the ladder.
.PHONY: bench-mqtt
bench-mqtt: mqtt-test-deps
	swift build -c release --product mosquito
	.venv/bin/python3 Benchmarks/mqtt/mqtt_bench.py --binary .build/release/mosquito \
		--devices $${BENCH_MQTT_DEVICES:-1,2,4,8,12} --seconds $${BENCH_MQTT_SECONDS:-10}
