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
