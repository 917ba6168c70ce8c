/*
 * mwp.h: portable C99 reference codec for MWP/1, the Mosquito wire protocol.
 *
 * The normative specification is firmware-protocol/PROTOCOL.md; this header
 * only restates what a caller needs. No function allocates, blocks, or calls
 * the OS: every buffer is provided by the caller, and every function that can
 * fail returns an mwp_result (MWP_OK on success) and writes its outputs only
 * on success.
 *
 * Layering:
 *   CRC-32C        mwp_crc32c
 *   COBS           mwp_cobs_encode / mwp_cobs_decode
 *   frames         mwp_frame_encode / mwp_frame_decode / mwp_receiver_*
 *   messages       mwp_encode_* / mwp_decode_* (payload bytes only)
 */
#ifndef MWP_H
#define MWP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Sizes -------------------------------------------------------------- */

#define MWP_PROTOCOL_VERSION 1u

/* Decoded frame: version u8 | type u8 | seq u16 | payload | crc u32. */
#define MWP_HEADER_LEN 4u
#define MWP_CRC_LEN 4u
#define MWP_FRAME_OVERHEAD (MWP_HEADER_LEN + MWP_CRC_LEN)
#define MWP_MAX_FRAME_LEN 4096u
#define MWP_MAX_PAYLOAD_LEN (MWP_MAX_FRAME_LEN - MWP_FRAME_OVERHEAD)

/* Worst-case COBS output for n input bytes (one code byte per started
 * 254-byte block, plus the first). */
#define MWP_COBS_MAX_ENCODED_LEN(n) ((n) + (n) / 254u + 1u)
/* Worst-case bytes on the wire for one frame, delimiter included:
 * MWP_COBS_MAX_ENCODED_LEN(4096) + 1, spelled out so Swift imports it. */
#define MWP_MAX_WIRE_LEN 4114u

#define MWP_SERIAL_LEN 16u
#define MWP_DESIGN_LEN 16u
#define MWP_UNIT_LEN 8u
#define MWP_CHANNEL_NAME_LEN 16u
#define MWP_TECHNICIAN_LEN 16u

/* channel_mask is 32 bits wide, so no device can offer more channels. */
#define MWP_MAX_CHANNELS 32u

#define MWP_IDENTITY_FIXED_LEN 42u  /* identity record without channels */
#define MWP_CHANNEL_RECORD_LEN 34u
#define MWP_CALIBRATION_RECORD_LEN 58u
#define MWP_SAMPLES_HEADER_LEN 22u
#define MWP_STATUS_LEN 10u
/* count x popcount(channel_mask) may not exceed this many i32 values:
 * (4096 - 8 - 22) / 4. */
#define MWP_MAX_SAMPLE_VALUES 1016u
#define MWP_MAX_LOG_TEXT_LEN (MWP_MAX_PAYLOAD_LEN - 1u)

/* ---- Message types, status codes, channel kinds ------------------------- */

enum mwp_type {
    MWP_HELLO = 0x01,
    MWP_CONFIGURE = 0x02,
    MWP_START = 0x03,
    MWP_STOP = 0x04,
    MWP_GET_CALIBRATION = 0x05,
    MWP_SET_CALIBRATION = 0x06,
    MWP_PING = 0x07,

    MWP_REPLY_FLAG = 0x80,
    MWP_IDENTITY = 0x81,
    MWP_CONFIGURE_REPLY = 0x82,
    MWP_START_REPLY = 0x83,
    MWP_STOP_REPLY = 0x84,
    MWP_CALIBRATION = 0x85,
    MWP_SET_CALIBRATION_REPLY = 0x86,
    MWP_PONG = 0x87,

    MWP_SAMPLES = 0x40,
    MWP_STATUS = 0x41,
    MWP_LOG = 0x42
};

enum mwp_status {
    MWP_STATUS_OK = 0,
    MWP_STATUS_UNKNOWN_TYPE = 1,
    MWP_STATUS_BAD_LENGTH = 2,
    MWP_STATUS_BAD_ARGUMENT = 3,
    MWP_STATUS_BUSY = 4,
    MWP_STATUS_STORAGE_FAILED = 5,
    MWP_STATUS_UNSUPPORTED_VERSION = 6,
    MWP_STATUS_NOT_CONFIGURED = 7
};

enum mwp_channel_kind {
    MWP_KIND_VOLTAGE = 0,
    MWP_KIND_FORCE = 1,
    MWP_KIND_DISPLACEMENT = 2,
    MWP_KIND_TEMPERATURE = 3,
    MWP_KIND_OPTICAL_POWER = 4,
    MWP_KIND_PRESSURE = 5,
    MWP_KIND_ACCELERATION = 6,
    MWP_KIND_OTHER = 255
};

/* STATUS flags. */
#define MWP_FLAG_OVERRUN 0x1u
#define MWP_FLAG_SENSOR_FAULT 0x2u
#define MWP_FLAG_CALIBRATION_INVALID 0x4u

/* LOG levels; receivers accept any other value and show it as a number. */
enum mwp_log_level {
    MWP_LOG_ERROR = 0,
    MWP_LOG_WARNING = 1,
    MWP_LOG_INFO = 2,
    MWP_LOG_DEBUG = 3
};

/* ---- Results ------------------------------------------------------------ */

typedef enum mwp_result {
    MWP_OK = 0,
    /* Frame errors (what a receiver reports before resynchronising). */
    MWP_ERR_CRC = 1,       /* CRC-32C mismatch */
    MWP_ERR_VERSION = 2,   /* version byte is not 1 */
    MWP_ERR_LENGTH = 3,    /* decoded frame shorter than 8 bytes */
    MWP_ERR_COBS = 4,      /* a COBS block runs past the delimiter */
    MWP_ERR_OVERSIZE = 5,  /* decoded frame longer than 4096 bytes */
    /* Message errors (payload of a valid frame). */
    MWP_ERR_PAYLOAD_LENGTH = 6, /* payload length wrong for its type */
    MWP_ERR_FIELD = 7,          /* a field holds a value the spec forbids */
    MWP_ERR_TYPE = 8,           /* frame type is not the one asked for */
    /* Caller errors. */
    MWP_ERR_BUFFER = 9     /* caller's output buffer is too small */
} mwp_result;

/* Short lowercase name ("crc", "version", ...) for logs and tests. */
const char *mwp_result_name(mwp_result result);

/* ---- CRC-32C ------------------------------------------------------------ */

/* CRC-32C (Castagnoli, reflected, init and xorout 0xFFFFFFFF).
 * mwp_crc32c("123456789", 9) == 0xE3069283. */
uint32_t mwp_crc32c(const uint8_t *data, size_t len);

/* Incremental form: state = MWP_CRC32C_INIT; state = update(state, ...)...;
 * crc = state ^ 0xFFFFFFFF. */
#define MWP_CRC32C_INIT 0xFFFFFFFFu
uint32_t mwp_crc32c_update(uint32_t state, const uint8_t *data, size_t len);

/* ---- COBS --------------------------------------------------------------- */

/* Encodes len bytes into dst (no delimiter), exactly as Cheshire and
 * Baker's reference code: data ending on a full 254-byte block gets a final
 * 0x01 code byte. */
mwp_result mwp_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst,
                           size_t cap, size_t *out_len);

/* Decodes one COBS-encoded frame (delimiter excluded; a 0x00 inside src is
 * MWP_ERR_COBS). Accepts a final full block with or without the trailing
 * 0x01. MWP_ERR_BUFFER when the result would exceed cap. */
mwp_result mwp_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst,
                           size_t cap, size_t *out_len);

/* ---- Frames ------------------------------------------------------------- */

typedef struct mwp_frame {
    uint8_t type;
    uint16_t seq;
    const uint8_t *payload; /* points into the buffer the frame came from */
    size_t payload_len;
} mwp_frame;

/* Builds version|type|seq|payload|crc, COBS-encodes it and appends 0x00.
 * payload may be NULL when payload_len is 0. payload_len above
 * MWP_MAX_PAYLOAD_LEN is MWP_ERR_OVERSIZE. */
mwp_result mwp_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload,
                            size_t payload_len, uint8_t *wire, size_t cap,
                            size_t *wire_len);

/* Checks one decoded frame (length, CRC, version, in that order) and points
 * out->payload into it. */
mwp_result mwp_frame_parse(const uint8_t *decoded, size_t len, mwp_frame *out);

/* Streaming receiver: COBS-decodes on the fly into its own 4096-byte
 * buffer, so it needs no other memory. Feed it bytes in any chunking; the
 * sequence of events is the same for every chunking of the same stream. */
typedef struct mwp_receiver {
    uint8_t buf[MWP_MAX_FRAME_LEN];
    size_t len;          /* decoded bytes so far */
    uint8_t remaining;   /* data bytes left in the current COBS block */
    uint8_t pending_zero;/* the current block ends in an implicit 0x00 */
    uint8_t started;     /* at least one byte of this frame was seen */
    uint8_t discarding;  /* error reported; skip to the next 0x00 */
} mwp_receiver;

typedef enum mwp_event_kind {
    MWP_EVENT_NONE = 0,  /* all bytes consumed, nothing to report */
    MWP_EVENT_FRAME = 1, /* event.frame is valid until the next feed */
    MWP_EVENT_ERROR = 2  /* event.error says why a frame was dropped */
} mwp_event_kind;

typedef struct mwp_event {
    mwp_event_kind kind;
    mwp_result error;
    mwp_frame frame;
} mwp_event;

void mwp_receiver_init(mwp_receiver *rx);

/* Consumes bytes up to and including the first one that completes an
 * event, and returns how many it consumed; *event says what happened.
 * Call again with the rest until it returns MWP_EVENT_NONE. */
size_t mwp_receiver_feed(mwp_receiver *rx, const uint8_t *data, size_t len,
                         mwp_event *event);

/* ---- Messages ----------------------------------------------------------- */
/*
 * Encoders write a payload (not a frame) into buf and set *len; decoders
 * check the payload length exactly and every field the spec constrains.
 * Strings are C strings on the API side (NUL-terminated, one byte longer
 * than the wire width) and printable ASCII (0x20..0x7E) on the wire.
 * Replies with a status other than OK carry only the status byte: encoders
 * then ignore the record argument (it may be NULL) and decoders leave it
 * untouched.
 */

typedef struct mwp_channel {
    uint8_t kind;
    uint8_t adc_bits;
    char unit[MWP_UNIT_LEN + 1];
    char name[MWP_CHANNEL_NAME_LEN + 1];
    int32_t raw_min;
    int32_t raw_max;
} mwp_channel;

typedef struct mwp_identity {
    char serial[MWP_SERIAL_LEN + 1];
    char design[MWP_DESIGN_LEN + 1];
    uint16_t hardware_revision;
    uint8_t fw_major;
    uint8_t fw_minor;
    uint8_t fw_patch;
    uint8_t channel_count; /* 0..MWP_MAX_CHANNELS */
    uint32_t max_rate_hz;
    mwp_channel channels[MWP_MAX_CHANNELS];
} mwp_identity;

typedef struct mwp_calibration {
    uint8_t channel;
    uint8_t degree; /* 0..3 */
    double coefficients[4]; /* finite; value = c0 + c1 r + c2 r^2 + c3 r^3 */
    uint64_t calibrated_at; /* Unix seconds, UTC */
    char technician[MWP_TECHNICIAN_LEN + 1];
} mwp_calibration;

typedef struct mwp_configure {
    uint32_t rate_hz;
    uint32_t channel_mask;
} mwp_configure;

typedef struct mwp_pong {
    uint64_t host_time_ns;
    uint64_t device_time_us;
} mwp_pong;

typedef struct mwp_samples_header {
    uint64_t first_index;
    uint64_t device_time_us;
    uint32_t channel_mask; /* non-zero */
    uint16_t count;        /* >= 1; count * popcount(mask) <= 1016 */
} mwp_samples_header;

typedef struct mwp_device_status {
    uint32_t flags;
    uint32_t dropped_total;
    int16_t temperature_centi_c;
} mwp_device_status;

unsigned mwp_popcount32(uint32_t mask);

/* HELLO (0x01) */
mwp_result mwp_encode_hello(uint8_t host_version, uint8_t *buf, size_t cap,
                            size_t *len);
mwp_result mwp_decode_hello(const uint8_t *p, size_t len,
                            uint8_t *host_version);

/* CONFIGURE (0x02) */
mwp_result mwp_encode_configure(const mwp_configure *c, uint8_t *buf,
                                size_t cap, size_t *len);
mwp_result mwp_decode_configure(const uint8_t *p, size_t len,
                                mwp_configure *c);

/* START (0x03), STOP (0x04): empty payloads. */
mwp_result mwp_decode_empty(const uint8_t *p, size_t len);

/* GET_CALIBRATION (0x05) */
mwp_result mwp_encode_get_calibration(uint8_t channel, uint8_t *buf,
                                      size_t cap, size_t *len);
mwp_result mwp_decode_get_calibration(const uint8_t *p, size_t len,
                                      uint8_t *channel);

/* SET_CALIBRATION (0x06): the calibration record alone. */
mwp_result mwp_encode_set_calibration(const mwp_calibration *cal,
                                      uint8_t *buf, size_t cap, size_t *len);
mwp_result mwp_decode_set_calibration(const uint8_t *p, size_t len,
                                      mwp_calibration *cal);

/* PING (0x07) */
mwp_result mwp_encode_ping(uint64_t host_time_ns, uint8_t *buf, size_t cap,
                           size_t *len);
mwp_result mwp_decode_ping(const uint8_t *p, size_t len,
                           uint64_t *host_time_ns);

/* Status-only replies (0x82, 0x83, 0x84, 0x86) and the error form of every
 * reply. */
mwp_result mwp_encode_status_reply(uint8_t status, uint8_t *buf, size_t cap,
                                   size_t *len);
mwp_result mwp_decode_status_reply(const uint8_t *p, size_t len,
                                   uint8_t *status);

/* IDENTITY (0x81) */
mwp_result mwp_encode_identity(uint8_t status, const mwp_identity *id,
                               uint8_t *buf, size_t cap, size_t *len);
mwp_result mwp_decode_identity(const uint8_t *p, size_t len, uint8_t *status,
                               mwp_identity *id);

/* CALIBRATION (0x85) */
mwp_result mwp_encode_calibration_reply(uint8_t status,
                                        const mwp_calibration *cal,
                                        uint8_t *buf, size_t cap, size_t *len);
mwp_result mwp_decode_calibration_reply(const uint8_t *p, size_t len,
                                        uint8_t *status, mwp_calibration *cal);

/* PONG (0x87) */
mwp_result mwp_encode_pong(uint8_t status, const mwp_pong *pong, uint8_t *buf,
                           size_t cap, size_t *len);
mwp_result mwp_decode_pong(const uint8_t *p, size_t len, uint8_t *status,
                           mwp_pong *pong);

/* SAMPLES (0x40): values are count x popcount(mask) i32, sample-major. */
mwp_result mwp_encode_samples(const mwp_samples_header *h,
                              const int32_t *values, size_t value_count,
                              uint8_t *buf, size_t cap, size_t *len);
/* values may be NULL to validate the header only; otherwise it receives
 * every value and values_cap must be at least count x popcount(mask). */
mwp_result mwp_decode_samples(const uint8_t *p, size_t len,
                              mwp_samples_header *h, int32_t *values,
                              size_t values_cap);

/* STATUS (0x41) */
mwp_result mwp_encode_device_status(const mwp_device_status *s, uint8_t *buf,
                                    size_t cap, size_t *len);
mwp_result mwp_decode_device_status(const uint8_t *p, size_t len,
                                    mwp_device_status *s);

/* LOG (0x42): text is UTF-8 without terminator; decode points *text into p
 * and rejects malformed UTF-8. */
mwp_result mwp_encode_log(uint8_t level, const char *text, size_t text_len,
                          uint8_t *buf, size_t cap, size_t *len);
mwp_result mwp_decode_log(const uint8_t *p, size_t len, uint8_t *level,
                          const char **text, size_t *text_len);

#ifdef __cplusplus
}
#endif

#endif /* MWP_H */
