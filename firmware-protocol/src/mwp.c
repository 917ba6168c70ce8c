/*
 * mwp.c: portable C99 reference codec for MWP/1. See PROTOCOL.md.
 *
 * Deliberately plain: no allocation, no OS calls, no floating-point
 * arithmetic (doubles are moved as their IEEE 754 bit patterns), no
 * dependence on host byte order (every integer is assembled byte by byte).
 */
#include "mwp.h"

#include <string.h>

/* Compile-time check that the spelled-out constant matches its formula. */
typedef char mwp_max_wire_len_is_consistent
    [MWP_MAX_WIRE_LEN == MWP_COBS_MAX_ENCODED_LEN(MWP_MAX_FRAME_LEN) + 1u ? 1 : -1];

/* ---- Result names ------------------------------------------------------- */

const char *mwp_result_name(mwp_result result)
{
    switch (result) {
    case MWP_OK: return "ok";
    case MWP_ERR_CRC: return "crc";
    case MWP_ERR_VERSION: return "version";
    case MWP_ERR_LENGTH: return "length";
    case MWP_ERR_COBS: return "cobs";
    case MWP_ERR_OVERSIZE: return "oversize";
    case MWP_ERR_PAYLOAD_LENGTH: return "payload_length";
    case MWP_ERR_FIELD: return "field";
    case MWP_ERR_TYPE: return "type";
    case MWP_ERR_BUFFER: return "buffer";
    }
    return "unknown";
}

/* ---- CRC-32C ------------------------------------------------------------ */

/* Reflected polynomial 0x82F63B78, one entry per byte value. */
static const uint32_t crc32c_table[256] = {
    0x00000000u, 0xF26B8303u, 0xE13B70F7u, 0x1350F3F4u, 0xC79A971Fu, 0x35F1141Cu,
    0x26A1E7E8u, 0xD4CA64EBu, 0x8AD958CFu, 0x78B2DBCCu, 0x6BE22838u, 0x9989AB3Bu,
    0x4D43CFD0u, 0xBF284CD3u, 0xAC78BF27u, 0x5E133C24u, 0x105EC76Fu, 0xE235446Cu,
    0xF165B798u, 0x030E349Bu, 0xD7C45070u, 0x25AFD373u, 0x36FF2087u, 0xC494A384u,
    0x9A879FA0u, 0x68EC1CA3u, 0x7BBCEF57u, 0x89D76C54u, 0x5D1D08BFu, 0xAF768BBCu,
    0xBC267848u, 0x4E4DFB4Bu, 0x20BD8EDEu, 0xD2D60DDDu, 0xC186FE29u, 0x33ED7D2Au,
    0xE72719C1u, 0x154C9AC2u, 0x061C6936u, 0xF477EA35u, 0xAA64D611u, 0x580F5512u,
    0x4B5FA6E6u, 0xB93425E5u, 0x6DFE410Eu, 0x9F95C20Du, 0x8CC531F9u, 0x7EAEB2FAu,
    0x30E349B1u, 0xC288CAB2u, 0xD1D83946u, 0x23B3BA45u, 0xF779DEAEu, 0x05125DADu,
    0x1642AE59u, 0xE4292D5Au, 0xBA3A117Eu, 0x4851927Du, 0x5B016189u, 0xA96AE28Au,
    0x7DA08661u, 0x8FCB0562u, 0x9C9BF696u, 0x6EF07595u, 0x417B1DBCu, 0xB3109EBFu,
    0xA0406D4Bu, 0x522BEE48u, 0x86E18AA3u, 0x748A09A0u, 0x67DAFA54u, 0x95B17957u,
    0xCBA24573u, 0x39C9C670u, 0x2A993584u, 0xD8F2B687u, 0x0C38D26Cu, 0xFE53516Fu,
    0xED03A29Bu, 0x1F682198u, 0x5125DAD3u, 0xA34E59D0u, 0xB01EAA24u, 0x42752927u,
    0x96BF4DCCu, 0x64D4CECFu, 0x77843D3Bu, 0x85EFBE38u, 0xDBFC821Cu, 0x2997011Fu,
    0x3AC7F2EBu, 0xC8AC71E8u, 0x1C661503u, 0xEE0D9600u, 0xFD5D65F4u, 0x0F36E6F7u,
    0x61C69362u, 0x93AD1061u, 0x80FDE395u, 0x72966096u, 0xA65C047Du, 0x5437877Eu,
    0x4767748Au, 0xB50CF789u, 0xEB1FCBADu, 0x197448AEu, 0x0A24BB5Au, 0xF84F3859u,
    0x2C855CB2u, 0xDEEEDFB1u, 0xCDBE2C45u, 0x3FD5AF46u, 0x7198540Du, 0x83F3D70Eu,
    0x90A324FAu, 0x62C8A7F9u, 0xB602C312u, 0x44694011u, 0x5739B3E5u, 0xA55230E6u,
    0xFB410CC2u, 0x092A8FC1u, 0x1A7A7C35u, 0xE811FF36u, 0x3CDB9BDDu, 0xCEB018DEu,
    0xDDE0EB2Au, 0x2F8B6829u, 0x82F63B78u, 0x709DB87Bu, 0x63CD4B8Fu, 0x91A6C88Cu,
    0x456CAC67u, 0xB7072F64u, 0xA457DC90u, 0x563C5F93u, 0x082F63B7u, 0xFA44E0B4u,
    0xE9141340u, 0x1B7F9043u, 0xCFB5F4A8u, 0x3DDE77ABu, 0x2E8E845Fu, 0xDCE5075Cu,
    0x92A8FC17u, 0x60C37F14u, 0x73938CE0u, 0x81F80FE3u, 0x55326B08u, 0xA759E80Bu,
    0xB4091BFFu, 0x466298FCu, 0x1871A4D8u, 0xEA1A27DBu, 0xF94AD42Fu, 0x0B21572Cu,
    0xDFEB33C7u, 0x2D80B0C4u, 0x3ED04330u, 0xCCBBC033u, 0xA24BB5A6u, 0x502036A5u,
    0x4370C551u, 0xB11B4652u, 0x65D122B9u, 0x97BAA1BAu, 0x84EA524Eu, 0x7681D14Du,
    0x2892ED69u, 0xDAF96E6Au, 0xC9A99D9Eu, 0x3BC21E9Du, 0xEF087A76u, 0x1D63F975u,
    0x0E330A81u, 0xFC588982u, 0xB21572C9u, 0x407EF1CAu, 0x532E023Eu, 0xA145813Du,
    0x758FE5D6u, 0x87E466D5u, 0x94B49521u, 0x66DF1622u, 0x38CC2A06u, 0xCAA7A905u,
    0xD9F75AF1u, 0x2B9CD9F2u, 0xFF56BD19u, 0x0D3D3E1Au, 0x1E6DCDEEu, 0xEC064EEDu,
    0xC38D26C4u, 0x31E6A5C7u, 0x22B65633u, 0xD0DDD530u, 0x0417B1DBu, 0xF67C32D8u,
    0xE52CC12Cu, 0x1747422Fu, 0x49547E0Bu, 0xBB3FFD08u, 0xA86F0EFCu, 0x5A048DFFu,
    0x8ECEE914u, 0x7CA56A17u, 0x6FF599E3u, 0x9D9E1AE0u, 0xD3D3E1ABu, 0x21B862A8u,
    0x32E8915Cu, 0xC083125Fu, 0x144976B4u, 0xE622F5B7u, 0xF5720643u, 0x07198540u,
    0x590AB964u, 0xAB613A67u, 0xB831C993u, 0x4A5A4A90u, 0x9E902E7Bu, 0x6CFBAD78u,
    0x7FAB5E8Cu, 0x8DC0DD8Fu, 0xE330A81Au, 0x115B2B19u, 0x020BD8EDu, 0xF0605BEEu,
    0x24AA3F05u, 0xD6C1BC06u, 0xC5914FF2u, 0x37FACCF1u, 0x69E9F0D5u, 0x9B8273D6u,
    0x88D28022u, 0x7AB90321u, 0xAE7367CAu, 0x5C18E4C9u, 0x4F48173Du, 0xBD23943Eu,
    0xF36E6F75u, 0x0105EC76u, 0x12551F82u, 0xE03E9C81u, 0x34F4F86Au, 0xC69F7B69u,
    0xD5CF889Du, 0x27A40B9Eu, 0x79B737BAu, 0x8BDCB4B9u, 0x988C474Du, 0x6AE7C44Eu,
    0xBE2DA0A5u, 0x4C4623A6u, 0x5F16D052u, 0xAD7D5351u,
};

uint32_t mwp_crc32c_update(uint32_t state, const uint8_t *data, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        state = crc32c_table[(state ^ data[i]) & 0xFFu] ^ (state >> 8);
    }
    return state;
}

uint32_t mwp_crc32c(const uint8_t *data, size_t len)
{
    return mwp_crc32c_update(MWP_CRC32C_INIT, data, len) ^ 0xFFFFFFFFu;
}

/* ---- COBS encoder (incremental, so frames need no scratch buffer) ------- */

typedef struct cobs_writer {
    uint8_t *dst;
    size_t cap;
    size_t len;      /* bytes written, including the open block's code */
    size_t code_at;  /* where the open block's code byte goes */
    uint8_t code;    /* 1 + data bytes in the open block */
    int overflow;
} cobs_writer;

/* Reserves the code byte of a new block. */
static void cobs_open_block(cobs_writer *w)
{
    if (w->len >= w->cap) {
        w->overflow = 1;
        return;
    }
    w->code_at = w->len;
    w->len++;
    w->code = 1;
}

static void cobs_begin(cobs_writer *w, uint8_t *dst, size_t cap)
{
    w->dst = dst;
    w->cap = cap;
    w->len = 0;
    w->overflow = 0;
    cobs_open_block(w);
}

static void cobs_close_block(cobs_writer *w)
{
    w->dst[w->code_at] = w->code;
    cobs_open_block(w);
}

/* The algorithm of Cheshire and Baker's paper: a block closes at a zero
 * byte or at 254 data bytes, and a new one opens at once, so data ending
 * on a full block is followed by a 0x01 code byte (PROTOCOL.md, "COBS"). */
static void cobs_put(cobs_writer *w, uint8_t byte)
{
    if (w->overflow) {
        return;
    }
    if (byte == 0) {
        cobs_close_block(w);
        return;
    }
    if (w->len >= w->cap) {
        w->overflow = 1;
        return;
    }
    w->dst[w->len++] = byte;
    w->code++;
    if (w->code == 0xFF) {
        cobs_close_block(w);
    }
}

static void cobs_put_all(cobs_writer *w, const uint8_t *src, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        cobs_put(w, src[i]);
    }
}

static mwp_result cobs_finish(cobs_writer *w, size_t *out_len)
{
    if (w->overflow) {
        return MWP_ERR_BUFFER;
    }
    w->dst[w->code_at] = w->code;
    *out_len = w->len;
    return MWP_OK;
}

mwp_result mwp_cobs_encode(const uint8_t *src, size_t len, uint8_t *dst,
                           size_t cap, size_t *out_len)
{
    cobs_writer w;
    cobs_begin(&w, dst, cap);
    cobs_put_all(&w, src, len);
    return cobs_finish(&w, out_len);
}

mwp_result mwp_cobs_decode(const uint8_t *src, size_t len, uint8_t *dst,
                           size_t cap, size_t *out_len)
{
    size_t in = 0;
    size_t out = 0;
    while (in < len) {
        uint8_t code = src[in++];
        size_t n;
        if (code == 0) {
            return MWP_ERR_COBS;
        }
        n = (size_t)code - 1u;
        if (n > len - in) {
            return MWP_ERR_COBS;
        }
        if (n > cap - out) {
            return MWP_ERR_BUFFER;
        }
        while (n > 0) {
            uint8_t b = src[in++];
            if (b == 0) {
                return MWP_ERR_COBS;
            }
            dst[out++] = b;
            n--;
        }
        /* Every block but the last, and but 254-byte ones, ends in 0x00. */
        if (code != 0xFF && in < len) {
            if (out >= cap) {
                return MWP_ERR_BUFFER;
            }
            dst[out++] = 0;
        }
    }
    *out_len = out;
    return MWP_OK;
}

/* ---- Little-endian helpers ---------------------------------------------- */

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) | ((uint64_t)get_u32(p + 4) << 32);
}

/* Two's complement conversions without implementation-defined casts. */
static uint32_t from_i32(int32_t v)
{
    return v < 0 ? (uint32_t)(-(v + 1)) ^ 0xFFFFFFFFu : (uint32_t)v;
}

static int32_t to_i32(uint32_t v)
{
    return v & 0x80000000u ? -(int32_t)(v ^ 0xFFFFFFFFu) - 1 : (int32_t)v;
}

static uint16_t from_i16(int16_t v)
{
    return v < 0 ? (uint16_t)((uint16_t)(-(v + 1)) ^ 0xFFFFu) : (uint16_t)v;
}

static int16_t to_i16(uint16_t v)
{
    return v & 0x8000u ? (int16_t)(-(int16_t)(v ^ 0xFFFFu) - 1) : (int16_t)v;
}

static uint64_t double_bits(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

static double bits_double(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static int bits_finite(uint64_t bits)
{
    return ((bits >> 52) & 0x7FFu) != 0x7FFu;
}

/* ---- Frames ------------------------------------------------------------- */

mwp_result mwp_frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload,
                            size_t payload_len, uint8_t *wire, size_t cap,
                            size_t *wire_len)
{
    uint8_t header[MWP_HEADER_LEN];
    uint8_t trailer[MWP_CRC_LEN];
    uint32_t crc;
    cobs_writer w;
    size_t n;
    mwp_result r;

    if (payload_len > MWP_MAX_PAYLOAD_LEN) {
        return MWP_ERR_OVERSIZE;
    }
    header[0] = (uint8_t)MWP_PROTOCOL_VERSION;
    header[1] = type;
    put_u16(header + 2, seq);
    crc = mwp_crc32c_update(MWP_CRC32C_INIT, header, sizeof header);
    if (payload_len > 0) {
        crc = mwp_crc32c_update(crc, payload, payload_len);
    }
    put_u32(trailer, crc ^ 0xFFFFFFFFu);

    cobs_begin(&w, wire, cap);
    cobs_put_all(&w, header, sizeof header);
    if (payload_len > 0) {
        cobs_put_all(&w, payload, payload_len);
    }
    cobs_put_all(&w, trailer, sizeof trailer);
    r = cobs_finish(&w, &n);
    if (r != MWP_OK) {
        return r;
    }
    if (n >= cap) {
        return MWP_ERR_BUFFER;
    }
    wire[n] = 0x00;
    *wire_len = n + 1;
    return MWP_OK;
}

mwp_result mwp_frame_parse(const uint8_t *decoded, size_t len, mwp_frame *out)
{
    size_t body;
    if (len < MWP_FRAME_OVERHEAD) {
        return MWP_ERR_LENGTH;
    }
    if (len > MWP_MAX_FRAME_LEN) {
        return MWP_ERR_OVERSIZE;
    }
    body = len - MWP_CRC_LEN;
    if (mwp_crc32c(decoded, body) != get_u32(decoded + body)) {
        return MWP_ERR_CRC;
    }
    if (decoded[0] != MWP_PROTOCOL_VERSION) {
        return MWP_ERR_VERSION;
    }
    out->type = decoded[1];
    out->seq = get_u16(decoded + 2);
    out->payload = decoded + MWP_HEADER_LEN;
    out->payload_len = body - MWP_HEADER_LEN;
    return MWP_OK;
}

/* ---- Streaming receiver ------------------------------------------------- */

static void rx_reset(mwp_receiver *rx)
{
    rx->len = 0;
    rx->remaining = 0;
    rx->pending_zero = 0;
    rx->started = 0;
    rx->discarding = 0;
}

void mwp_receiver_init(mwp_receiver *rx)
{
    rx_reset(rx);
}

/* Returns 0 when the byte would make the frame oversize. */
static int rx_append(mwp_receiver *rx, uint8_t byte)
{
    if (rx->len >= MWP_MAX_FRAME_LEN) {
        return 0;
    }
    rx->buf[rx->len++] = byte;
    return 1;
}

/* One byte in; returns 1 and fills *event when the byte completes one. */
static int rx_byte(mwp_receiver *rx, uint8_t byte, mwp_event *event)
{
    if (byte == 0x00) {
        mwp_result r;
        if (rx->discarding || !rx->started) {
            /* End of a dropped frame, or an empty frame: nothing to say. */
            rx_reset(rx);
            return 0;
        }
        if (rx->remaining != 0) {
            r = MWP_ERR_COBS;
        } else {
            r = mwp_frame_parse(rx->buf, rx->len, &event->frame);
        }
        /* The frame stays in buf until the next byte is fed. */
        rx->remaining = 0;
        rx->pending_zero = 0;
        rx->started = 0;
        rx->len = 0;
        if (r == MWP_OK) {
            event->kind = MWP_EVENT_FRAME;
            event->error = MWP_OK;
        } else {
            event->kind = MWP_EVENT_ERROR;
            event->error = r;
        }
        return 1;
    }
    if (rx->discarding) {
        return 0;
    }
    rx->started = 1;
    if (rx->remaining == 0) {
        /* A code byte: the block before it (if any) ended in 0x00 unless it
         * was a full 254-byte block. */
        int ok = 1;
        if (rx->pending_zero) {
            ok = rx_append(rx, 0x00);
        }
        rx->remaining = (uint8_t)(byte - 1u);
        rx->pending_zero = byte != 0xFF;
        if (ok) {
            return 0;
        }
    } else {
        rx->remaining--;
        if (rx_append(rx, byte)) {
            return 0;
        }
    }
    rx->discarding = 1;
    event->kind = MWP_EVENT_ERROR;
    event->error = MWP_ERR_OVERSIZE;
    return 1;
}

size_t mwp_receiver_feed(mwp_receiver *rx, const uint8_t *data, size_t len,
                         mwp_event *event)
{
    size_t i;
    event->kind = MWP_EVENT_NONE;
    event->error = MWP_OK;
    for (i = 0; i < len; i++) {
        if (rx_byte(rx, data[i], event)) {
            return i + 1;
        }
    }
    return len;
}

/* ---- Field helpers ------------------------------------------------------ */

unsigned mwp_popcount32(uint32_t mask)
{
    unsigned n = 0;
    while (mask != 0) {
        mask &= mask - 1u;
        n++;
    }
    return n;
}

static int printable(uint8_t c) { return c >= 0x20 && c <= 0x7E; }

/* Writes a C string as a NUL-padded fixed-width field. The source array is
 * width + 1 bytes, so the string must end within it. */
static mwp_result put_string(uint8_t *p, const char *s, size_t width)
{
    size_t n = 0;
    while (n <= width && s[n] != '\0') {
        if (!printable((uint8_t)s[n])) {
            return MWP_ERR_FIELD;
        }
        n++;
    }
    if (n > width) {
        return MWP_ERR_FIELD;
    }
    memcpy(p, s, n);
    memset(p + n, 0, width - n);
    return MWP_OK;
}

/* Printable ASCII, then only NUL padding. */
static mwp_result get_string(const uint8_t *p, size_t width, char *s)
{
    size_t n = 0;
    size_t i;
    while (n < width && p[n] != 0) {
        if (!printable(p[n])) {
            return MWP_ERR_FIELD;
        }
        n++;
    }
    for (i = n; i < width; i++) {
        if (p[i] != 0) {
            return MWP_ERR_FIELD;
        }
    }
    memcpy(s, p, n);
    s[n] = '\0';
    return MWP_OK;
}

static mwp_result need(size_t cap, size_t n)
{
    return cap < n ? MWP_ERR_BUFFER : MWP_OK;
}

static int status_known(uint8_t status)
{
    return status <= MWP_STATUS_NOT_CONFIGURED;
}

static int kind_known(uint8_t kind)
{
    return kind <= MWP_KIND_ACCELERATION || kind == MWP_KIND_OTHER;
}

/* ---- Requests ----------------------------------------------------------- */

mwp_result mwp_encode_hello(uint8_t host_version, uint8_t *buf, size_t cap,
                            size_t *len)
{
    if (need(cap, 1) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    buf[0] = host_version;
    *len = 1;
    return MWP_OK;
}

mwp_result mwp_decode_hello(const uint8_t *p, size_t len,
                            uint8_t *host_version)
{
    if (len != 1) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    *host_version = p[0];
    return MWP_OK;
}

mwp_result mwp_encode_configure(const mwp_configure *c, uint8_t *buf,
                                size_t cap, size_t *len)
{
    if (need(cap, 8) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    put_u32(buf, c->rate_hz);
    put_u32(buf + 4, c->channel_mask);
    *len = 8;
    return MWP_OK;
}

mwp_result mwp_decode_configure(const uint8_t *p, size_t len,
                                mwp_configure *c)
{
    if (len != 8) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    c->rate_hz = get_u32(p);
    c->channel_mask = get_u32(p + 4);
    return MWP_OK;
}

mwp_result mwp_decode_empty(const uint8_t *p, size_t len)
{
    (void)p;
    return len == 0 ? MWP_OK : MWP_ERR_PAYLOAD_LENGTH;
}

mwp_result mwp_encode_get_calibration(uint8_t channel, uint8_t *buf,
                                      size_t cap, size_t *len)
{
    return mwp_encode_hello(channel, buf, cap, len);
}

mwp_result mwp_decode_get_calibration(const uint8_t *p, size_t len,
                                      uint8_t *channel)
{
    return mwp_decode_hello(p, len, channel);
}

/* Calibration record body, shared by SET_CALIBRATION and CALIBRATION. */
static mwp_result put_calibration(uint8_t *p, const mwp_calibration *cal)
{
    size_t i;
    if (cal->degree > 3) {
        return MWP_ERR_FIELD;
    }
    for (i = 0; i < 4; i++) {
        if (!bits_finite(double_bits(cal->coefficients[i]))) {
            return MWP_ERR_FIELD;
        }
    }
    if (put_string(p + 42, cal->technician, MWP_TECHNICIAN_LEN) != MWP_OK) {
        return MWP_ERR_FIELD;
    }
    p[0] = cal->channel;
    p[1] = cal->degree;
    for (i = 0; i < 4; i++) {
        put_u64(p + 2 + 8 * i, double_bits(cal->coefficients[i]));
    }
    put_u64(p + 34, cal->calibrated_at);
    return MWP_OK;
}

static mwp_result get_calibration(const uint8_t *p, mwp_calibration *cal)
{
    mwp_calibration c;
    size_t i;
    c.channel = p[0];
    c.degree = p[1];
    if (c.degree > 3) {
        return MWP_ERR_FIELD;
    }
    for (i = 0; i < 4; i++) {
        uint64_t bits = get_u64(p + 2 + 8 * i);
        if (!bits_finite(bits)) {
            return MWP_ERR_FIELD;
        }
        c.coefficients[i] = bits_double(bits);
    }
    c.calibrated_at = get_u64(p + 34);
    if (get_string(p + 42, MWP_TECHNICIAN_LEN, c.technician) != MWP_OK) {
        return MWP_ERR_FIELD;
    }
    *cal = c;
    return MWP_OK;
}

mwp_result mwp_encode_set_calibration(const mwp_calibration *cal,
                                      uint8_t *buf, size_t cap, size_t *len)
{
    mwp_result r;
    if (need(cap, MWP_CALIBRATION_RECORD_LEN) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    r = put_calibration(buf, cal);
    if (r == MWP_OK) {
        *len = MWP_CALIBRATION_RECORD_LEN;
    }
    return r;
}

mwp_result mwp_decode_set_calibration(const uint8_t *p, size_t len,
                                      mwp_calibration *cal)
{
    if (len != MWP_CALIBRATION_RECORD_LEN) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    return get_calibration(p, cal);
}

mwp_result mwp_encode_ping(uint64_t host_time_ns, uint8_t *buf, size_t cap,
                           size_t *len)
{
    if (need(cap, 8) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    put_u64(buf, host_time_ns);
    *len = 8;
    return MWP_OK;
}

mwp_result mwp_decode_ping(const uint8_t *p, size_t len,
                           uint64_t *host_time_ns)
{
    if (len != 8) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    *host_time_ns = get_u64(p);
    return MWP_OK;
}

/* ---- Replies ------------------------------------------------------------ */

mwp_result mwp_encode_status_reply(uint8_t status, uint8_t *buf, size_t cap,
                                   size_t *len)
{
    if (!status_known(status)) {
        return MWP_ERR_FIELD;
    }
    return mwp_encode_hello(status, buf, cap, len);
}

mwp_result mwp_decode_status_reply(const uint8_t *p, size_t len,
                                   uint8_t *status)
{
    if (len != 1) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    if (!status_known(p[0])) {
        return MWP_ERR_FIELD;
    }
    *status = p[0];
    return MWP_OK;
}

/* Common front of every reply: known status, and a lone status byte when it
 * is not OK. Returns MWP_OK with *done set when the reply is an error. */
static mwp_result reply_front(const uint8_t *p, size_t len, uint8_t *status,
                              int *done)
{
    *done = 0;
    if (len < 1) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    if (!status_known(p[0])) {
        return MWP_ERR_FIELD;
    }
    if (p[0] != MWP_STATUS_OK) {
        if (len != 1) {
            return MWP_ERR_PAYLOAD_LENGTH;
        }
        *status = p[0];
        *done = 1;
    }
    return MWP_OK;
}

static int channel_valid(const mwp_channel *ch)
{
    return kind_known(ch->kind) && ch->adc_bits >= 1 && ch->adc_bits <= 32 &&
           ch->raw_min <= ch->raw_max;
}

mwp_result mwp_encode_identity(uint8_t status, const mwp_identity *id,
                               uint8_t *buf, size_t cap, size_t *len)
{
    size_t total;
    size_t i;
    if (status != MWP_STATUS_OK) {
        return mwp_encode_status_reply(status, buf, cap, len);
    }
    if (id->channel_count > MWP_MAX_CHANNELS) {
        return MWP_ERR_FIELD;
    }
    total = 1u + MWP_IDENTITY_FIXED_LEN +
            (size_t)id->channel_count * MWP_CHANNEL_RECORD_LEN;
    if (need(cap, total) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    buf[0] = MWP_STATUS_OK;
    if (put_string(buf + 1, id->serial, MWP_SERIAL_LEN) != MWP_OK ||
        put_string(buf + 17, id->design, MWP_DESIGN_LEN) != MWP_OK) {
        return MWP_ERR_FIELD;
    }
    put_u16(buf + 33, id->hardware_revision);
    buf[35] = id->fw_major;
    buf[36] = id->fw_minor;
    buf[37] = id->fw_patch;
    buf[38] = id->channel_count;
    put_u32(buf + 39, id->max_rate_hz);
    for (i = 0; i < id->channel_count; i++) {
        const mwp_channel *ch = &id->channels[i];
        uint8_t *c = buf + 1 + MWP_IDENTITY_FIXED_LEN +
                     i * MWP_CHANNEL_RECORD_LEN;
        if (!channel_valid(ch) ||
            put_string(c + 2, ch->unit, MWP_UNIT_LEN) != MWP_OK ||
            put_string(c + 10, ch->name, MWP_CHANNEL_NAME_LEN) != MWP_OK) {
            return MWP_ERR_FIELD;
        }
        c[0] = ch->kind;
        c[1] = ch->adc_bits;
        put_u32(c + 26, from_i32(ch->raw_min));
        put_u32(c + 30, from_i32(ch->raw_max));
    }
    *len = total;
    return MWP_OK;
}

mwp_result mwp_decode_identity(const uint8_t *p, size_t len, uint8_t *status,
                               mwp_identity *id)
{
    int done;
    size_t count;
    size_t i;
    mwp_result r = reply_front(p, len, status, &done);
    if (r != MWP_OK || done) {
        return r;
    }
    if (len < 1u + MWP_IDENTITY_FIXED_LEN) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    count = p[38];
    if (count > MWP_MAX_CHANNELS) {
        return MWP_ERR_FIELD;
    }
    if (len != 1u + MWP_IDENTITY_FIXED_LEN + count * MWP_CHANNEL_RECORD_LEN) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    /* Validate everything before touching *id, so a rejected record leaves
     * the caller's copy as it was. */
    for (i = 0; i < count; i++) {
        const uint8_t *c = p + 1 + MWP_IDENTITY_FIXED_LEN +
                           i * MWP_CHANNEL_RECORD_LEN;
        mwp_channel ch;
        ch.kind = c[0];
        ch.adc_bits = c[1];
        ch.raw_min = to_i32(get_u32(c + 26));
        ch.raw_max = to_i32(get_u32(c + 30));
        if (!channel_valid(&ch) ||
            get_string(c + 2, MWP_UNIT_LEN, ch.unit) != MWP_OK ||
            get_string(c + 10, MWP_CHANNEL_NAME_LEN, ch.name) != MWP_OK) {
            return MWP_ERR_FIELD;
        }
    }
    {
        char serial[MWP_SERIAL_LEN + 1];
        char design[MWP_DESIGN_LEN + 1];
        if (get_string(p + 1, MWP_SERIAL_LEN, serial) != MWP_OK ||
            get_string(p + 17, MWP_DESIGN_LEN, design) != MWP_OK) {
            return MWP_ERR_FIELD;
        }
        memcpy(id->serial, serial, sizeof serial);
        memcpy(id->design, design, sizeof design);
    }
    id->hardware_revision = get_u16(p + 33);
    id->fw_major = p[35];
    id->fw_minor = p[36];
    id->fw_patch = p[37];
    id->channel_count = (uint8_t)count;
    id->max_rate_hz = get_u32(p + 39);
    for (i = 0; i < count; i++) {
        const uint8_t *c = p + 1 + MWP_IDENTITY_FIXED_LEN +
                           i * MWP_CHANNEL_RECORD_LEN;
        mwp_channel *ch = &id->channels[i];
        ch->kind = c[0];
        ch->adc_bits = c[1];
        (void)get_string(c + 2, MWP_UNIT_LEN, ch->unit);
        (void)get_string(c + 10, MWP_CHANNEL_NAME_LEN, ch->name);
        ch->raw_min = to_i32(get_u32(c + 26));
        ch->raw_max = to_i32(get_u32(c + 30));
    }
    *status = MWP_STATUS_OK;
    return MWP_OK;
}

mwp_result mwp_encode_calibration_reply(uint8_t status,
                                        const mwp_calibration *cal,
                                        uint8_t *buf, size_t cap, size_t *len)
{
    mwp_result r;
    if (status != MWP_STATUS_OK) {
        return mwp_encode_status_reply(status, buf, cap, len);
    }
    if (need(cap, 1u + MWP_CALIBRATION_RECORD_LEN) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    buf[0] = MWP_STATUS_OK;
    r = put_calibration(buf + 1, cal);
    if (r == MWP_OK) {
        *len = 1u + MWP_CALIBRATION_RECORD_LEN;
    }
    return r;
}

mwp_result mwp_decode_calibration_reply(const uint8_t *p, size_t len,
                                        uint8_t *status, mwp_calibration *cal)
{
    int done;
    mwp_result r = reply_front(p, len, status, &done);
    if (r != MWP_OK || done) {
        return r;
    }
    if (len != 1u + MWP_CALIBRATION_RECORD_LEN) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    r = get_calibration(p + 1, cal);
    if (r == MWP_OK) {
        *status = MWP_STATUS_OK;
    }
    return r;
}

mwp_result mwp_encode_pong(uint8_t status, const mwp_pong *pong, uint8_t *buf,
                           size_t cap, size_t *len)
{
    if (status != MWP_STATUS_OK) {
        return mwp_encode_status_reply(status, buf, cap, len);
    }
    if (need(cap, 17) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    buf[0] = MWP_STATUS_OK;
    put_u64(buf + 1, pong->host_time_ns);
    put_u64(buf + 9, pong->device_time_us);
    *len = 17;
    return MWP_OK;
}

mwp_result mwp_decode_pong(const uint8_t *p, size_t len, uint8_t *status,
                           mwp_pong *pong)
{
    int done;
    mwp_result r = reply_front(p, len, status, &done);
    if (r != MWP_OK || done) {
        return r;
    }
    if (len != 17) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    pong->host_time_ns = get_u64(p + 1);
    pong->device_time_us = get_u64(p + 9);
    *status = MWP_STATUS_OK;
    return MWP_OK;
}

/* ---- Unsolicited -------------------------------------------------------- */

/* Number of values the header announces, or 0 when the header is invalid. */
static size_t samples_value_count(const mwp_samples_header *h)
{
    size_t n = (size_t)h->count * mwp_popcount32(h->channel_mask);
    if (h->channel_mask == 0 || h->count == 0 || n > MWP_MAX_SAMPLE_VALUES) {
        return 0;
    }
    return n;
}

mwp_result mwp_encode_samples(const mwp_samples_header *h,
                              const int32_t *values, size_t value_count,
                              uint8_t *buf, size_t cap, size_t *len)
{
    size_t n = samples_value_count(h);
    size_t total;
    size_t i;
    if (n == 0 || value_count != n) {
        return MWP_ERR_FIELD;
    }
    total = MWP_SAMPLES_HEADER_LEN + 4u * n;
    if (need(cap, total) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    put_u64(buf, h->first_index);
    put_u64(buf + 8, h->device_time_us);
    put_u32(buf + 16, h->channel_mask);
    put_u16(buf + 20, h->count);
    for (i = 0; i < n; i++) {
        put_u32(buf + MWP_SAMPLES_HEADER_LEN + 4 * i, from_i32(values[i]));
    }
    *len = total;
    return MWP_OK;
}

mwp_result mwp_decode_samples(const uint8_t *p, size_t len,
                              mwp_samples_header *h, int32_t *values,
                              size_t values_cap)
{
    mwp_samples_header hd;
    size_t n;
    size_t i;
    if (len < MWP_SAMPLES_HEADER_LEN) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    hd.first_index = get_u64(p);
    hd.device_time_us = get_u64(p + 8);
    hd.channel_mask = get_u32(p + 16);
    hd.count = get_u16(p + 20);
    n = samples_value_count(&hd);
    if (n == 0) {
        return MWP_ERR_FIELD;
    }
    if (len != MWP_SAMPLES_HEADER_LEN + 4u * n) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    if (values != NULL) {
        if (values_cap < n) {
            return MWP_ERR_BUFFER;
        }
        for (i = 0; i < n; i++) {
            values[i] = to_i32(get_u32(p + MWP_SAMPLES_HEADER_LEN + 4 * i));
        }
    }
    *h = hd;
    return MWP_OK;
}

mwp_result mwp_encode_device_status(const mwp_device_status *s, uint8_t *buf,
                                    size_t cap, size_t *len)
{
    if (need(cap, MWP_STATUS_LEN) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    put_u32(buf, s->flags);
    put_u32(buf + 4, s->dropped_total);
    put_u16(buf + 8, from_i16(s->temperature_centi_c));
    *len = MWP_STATUS_LEN;
    return MWP_OK;
}

mwp_result mwp_decode_device_status(const uint8_t *p, size_t len,
                                    mwp_device_status *s)
{
    if (len != MWP_STATUS_LEN) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    s->flags = get_u32(p);
    s->dropped_total = get_u32(p + 4);
    s->temperature_centi_c = to_i16(get_u16(p + 8));
    return MWP_OK;
}

/* Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
 * above U+10FFFF. */
static int utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        size_t extra;
        uint8_t lo = 0x80;
        uint8_t hi = 0xBF;
        size_t k;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) {
                lo = 0xA0;
            } else if (c == 0xED) {
                hi = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) {
                lo = 0x90;
            } else if (c == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return 0;
        }
        if (extra > len - i - 1) {
            return 0;
        }
        for (k = 1; k <= extra; k++) {
            uint8_t b = s[i + k];
            if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
                return 0;
            }
        }
        i += extra + 1;
    }
    return 1;
}

mwp_result mwp_encode_log(uint8_t level, const char *text, size_t text_len,
                          uint8_t *buf, size_t cap, size_t *len)
{
    if (text_len > MWP_MAX_LOG_TEXT_LEN ||
        (text_len > 0 && !utf8_valid((const uint8_t *)text, text_len))) {
        return MWP_ERR_FIELD;
    }
    if (need(cap, 1u + text_len) != MWP_OK) {
        return MWP_ERR_BUFFER;
    }
    buf[0] = level;
    if (text_len > 0) {
        memcpy(buf + 1, text, text_len);
    }
    *len = 1u + text_len;
    return MWP_OK;
}

mwp_result mwp_decode_log(const uint8_t *p, size_t len, uint8_t *level,
                          const char **text, size_t *text_len)
{
    if (len < 1) {
        return MWP_ERR_PAYLOAD_LENGTH;
    }
    if (!utf8_valid(p + 1, len - 1)) {
        return MWP_ERR_FIELD;
    }
    *level = p[0];
    *text = (const char *)(p + 1);
    *text_len = len - 1;
    return MWP_OK;
}
