#ifndef CMOSQUITTO_H
#define CMOSQUITTO_H

// libmosquitto's types and constants come from its headers (Debian libmosquitto-dev); its functions are not
// linked but resolved from libmosquitto.so.1 when the first MQTT client is made, so that a `mosquito` that never
// speaks MQTT (`record`, `--version`) never maps libmosquitto, nor the libssl and libcrypto it needs.
#include <mosquitto.h>
#include <mqtt_protocol.h>

// Every libmosquitto function the MQTT module calls: one list, so the table below and its loader cannot disagree.
#define CMOSQUITTO_FUNCTIONS(F) \
    F(lib_init) F(strerror) F(reason_string) F(new) F(destroy) F(int_option) F(username_pw_set) F(tls_set) \
    F(will_set) F(reconnect_delay_set) F(connect_async) F(connect_bind_v5) F(property_add_int32) \
    F(property_free_all) F(loop_start) F(loop_stop) F(disconnect) F(publish) \
    F(subscribe) F(connect_v5_callback_set) F(disconnect_v5_callback_set) F(publish_v5_callback_set) \
    F(message_v5_callback_set) F(subscribe_v5_callback_set) F(log_callback_set)

// `mosquitto_NAME` as a field `NAME` of exactly its declared type: the compiler checks every signature against
// the header, which a hand-written Swift function type could not.
struct cmosquitto_functions {
#define CMOSQUITTO_FIELD(name) __typeof__(mosquitto_##name) *_Nonnull name;
    CMOSQUITTO_FUNCTIONS(CMOSQUITTO_FIELD)
#undef CMOSQUITTO_FIELD
};

// Loads libmosquitto.so.1, resolves the functions above and calls mosquitto_lib_init, once per process (later
// calls, from any thread, get the first answer). NULL if the library or one of its functions is missing; `*why`
// then says which, in the dynamic loader's words.
const struct cmosquitto_functions *_Nullable cmosquitto_load(const char *_Nullable *_Nonnull why);

#endif
