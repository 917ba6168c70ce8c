#ifndef CMWPACCEL_H
#define CMWPACCEL_H

// Hardware CRC-32C for the MWP decoder. Swift cannot call compiler intrinsics, so this is the one seam to them.
// Everything here is pure computation: no I/O, no allocation, no global state beyond a CPU feature probe.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has CRC-32C instructions that mwp_accel_crc32c_update uses (x86-64 SSE4.2).
bool mwp_accel_crc32c_available(void);

/// Raw CRC-32C register update (reflected 0x82F63B78, no pre/post inversion) over `count` bytes at `bytes`.
/// Only call when mwp_accel_crc32c_available() returned true.
uint32_t mwp_accel_crc32c_update(uint32_t crc, const void *bytes, size_t count);

#endif
