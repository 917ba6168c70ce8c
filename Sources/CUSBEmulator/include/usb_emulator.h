#ifndef MOSQUITO_USB_EMULATOR_H
#define MOSQUITO_USB_EMULATOR_H

/* A USB device emulated behind umockdev's ioctl-handler API, for tests only.
 *
 * It answers the usbdevfs ioctls libusb issues (capabilities, claim/release, control transfers for string
 * descriptors, bulk URBs, discard, reap, clear-halt) and hands the bulk bytes to the caller: OUT data through a
 * callback, IN data through mq_emulator_fill_in. The device node is one end of a pseudo-terminal, whose output
 * flow control stands in for "an URB is ready to reap" (POLLOUT) and whose hang-up stands in for an unplug
 * (POLLERR): a plain file would always poll ready and never report an error. */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mq_emulator mq_emulator;

/* Called on umockdev's handler thread with the bytes of each bulk OUT URB. */
typedef void (*mq_emulator_out_fn)(void *context, const uint8_t *bytes, size_t length);

/* Creates the testbed. Must happen before any libusb context is created (libusb reads the testbed at init). */
mq_emulator *mq_emulator_new(void);
void mq_emulator_free(mq_emulator *emulator);
/* The testbed's root directory: /dev and /sys as the emulated program sees them live below it. */
const char *mq_emulator_root(const mq_emulator *emulator);

/* Plugs a device in: `description` is umockdev text for it, `sysfs_path` its P: line with /sys in front,
 * `devnode` its DEVNAME. `strings` are string descriptors 1..count (manufacturer, product, serial).
 * Returns 0, or -1 with a message in `error` (at most error_size bytes). */
int mq_emulator_plug(mq_emulator *emulator, const char *description, const char *sysfs_path, const char *devnode,
                     const char *const *strings, int string_count, mq_emulator_out_fn on_out, void *context,
                     char *error, size_t error_size);

/* Pulls the plug: in-flight URBs fail as on a real disconnect, the node hangs up, udev sees "remove". */
void mq_emulator_unplug(mq_emulator *emulator);

/* Completes the oldest pending bulk IN URB with up to `length` bytes (one short packet's worth of data).
 * Returns how many bytes it took: 0 when no IN URB is waiting, the endpoint is halted, or the device is gone. */
size_t mq_emulator_fill_in(mq_emulator *emulator, const uint8_t *bytes, size_t length);

/* Halts bulk IN: the oldest pending IN URB fails with EPIPE (a STALL) and IN stays halted until the host
 * clears the halt. */
void mq_emulator_stall_in(mq_emulator *emulator);

/* While set, bulk OUT URBs are accepted but never completed (the device NAKs), so the host's transfer times out. */
void mq_emulator_set_out_naks(mq_emulator *emulator, int naking);

/* Counters the tests assert on. */
unsigned mq_emulator_clear_halts(mq_emulator *emulator);
unsigned mq_emulator_pending_in(mq_emulator *emulator);
unsigned mq_emulator_in_urbs_submitted(mq_emulator *emulator);
unsigned mq_emulator_max_in_flight(mq_emulator *emulator);
unsigned mq_emulator_discarded(mq_emulator *emulator);
unsigned mq_emulator_claimed(mq_emulator *emulator);
int mq_emulator_last_in_length(mq_emulator *emulator);

/* Filesystem identity of the calling thread only (Linux setfsuid): lets a root test open a node as an
 * unprivileged user would. Returns the previous fsuid. */
unsigned mq_set_thread_fsuid(unsigned uid);

#ifdef __cplusplus
}
#endif

#endif
