#include "CMWPAccel.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

// cpuid rather than __builtin_cpu_supports: the latter needs libgcc's / compiler-rt's __cpu_model, which the
// Swift toolchain does not promise to link on every platform.
bool mwp_accel_crc32c_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    return (ecx & bit_SSE4_2) != 0;
}

__attribute__((target("sse4.2")))
uint32_t mwp_accel_crc32c_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint64_t c = crc;
    // One crc32q per 8 bytes: 3-cycle latency, so ~2.6 bytes/cycle, several times what the decoder needs.
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        count -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (count > 0) {
        c32 = __builtin_ia32_crc32qi(c32, *p);
        p += 1;
        count -= 1;
    }
    return c32;
}

#else

bool mwp_accel_crc32c_available(void) { return false; }

// Never called when unavailable (the Swift side dispatches); kept bitwise-correct rather than trapping so a
// mistaken call is slow, not wrong.
uint32_t mwp_accel_crc32c_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    while (count-- > 0) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
    }
    return crc;
}

#endif
