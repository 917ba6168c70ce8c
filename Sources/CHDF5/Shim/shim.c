#include "CHDF5.h"
#include <stdio.h>
#include <string.h>

hid_t chdf5_default(void) { return H5P_DEFAULT; }
hsize_t chdf5_unlimited(void) { return H5S_UNLIMITED; }
size_t chdf5_variable(void) { return H5T_VARIABLE; }

unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
unsigned chdf5_acc_rdwr(void) { return H5F_ACC_RDWR; }
unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
unsigned chdf5_acc_excl(void) { return H5F_ACC_EXCL; }
unsigned chdf5_acc_swmr_write(void) { return H5F_ACC_SWMR_WRITE; }
unsigned chdf5_acc_swmr_read(void) { return H5F_ACC_SWMR_READ; }
H5F_libver_t chdf5_libver_latest(void) { return H5F_LIBVER_LATEST; }

hid_t chdf5_native_int8(void) { return H5T_NATIVE_INT8; }
hid_t chdf5_native_uint8(void) { return H5T_NATIVE_UINT8; }
hid_t chdf5_native_int32(void) { return H5T_NATIVE_INT32; }
hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
hid_t chdf5_native_uint64(void) { return H5T_NATIVE_UINT64; }
hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
hid_t chdf5_c_s1(void) { return H5T_C_S1; }

hid_t chdf5_plist_file_access(void) { return H5P_FILE_ACCESS; }
hid_t chdf5_plist_dataset_create(void) { return H5P_DATASET_CREATE; }
hid_t chdf5_plist_dataset_access(void) { return H5P_DATASET_ACCESS; }
hid_t chdf5_plist_link_create(void) { return H5P_LINK_CREATE; }

/* Debian builds libhdf5 thread-safe, which makes the automatic error printing a per-thread
   setting: turn it off once on every thread that calls into the library. */
static __thread int errors_silenced;

herr_t chdf5_silence_errors(void) {
    if (errors_silenced) return 0;
    herr_t status = H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (status >= 0) errors_silenced = 1;
    return status;
}

struct message_buffer {
    char *buffer;
    size_t capacity;
    size_t needed;
};

static void append(struct message_buffer *out, const char *text) {
    size_t length = strlen(text);
    if (out->needed + 1 < out->capacity) {
        size_t room = out->capacity - 1 - out->needed;
        size_t copied = length < room ? length : room;
        memcpy(out->buffer + out->needed, text, copied);
        out->buffer[out->needed + copied] = '\0';
    }
    out->needed += length;
}

static herr_t collect(unsigned n, const H5E_error2_t *error, void *context) {
    struct message_buffer *out = context;
    if (n > 0) append(out, "; ");
    append(out, error->func_name ? error->func_name : "?");
    append(out, ": ");
    append(out, error->desc ? error->desc : "(no description)");
    char minor[128] = {0};
    if (H5Eget_msg(error->min_num, NULL, minor, sizeof minor) > 0) {
        append(out, " (");
        append(out, minor);
        append(out, ")");
    }
    return 0;
}

size_t chdf5_error_message(char *buffer, size_t capacity) {
    struct message_buffer out = { buffer, capacity, 0 };
    if (capacity > 0) buffer[0] = '\0';
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &out);
    return out.needed + 1;
}
