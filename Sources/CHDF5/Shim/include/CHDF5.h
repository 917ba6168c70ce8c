// Values the HDF5 C API exposes only as macros (most call H5open() and read a
// library global), which Swift cannot import, plus a bridge that renders the
// current error stack as one string for typed Swift errors.
#ifndef CHDF5_H
#define CHDF5_H

#include <hdf5/serial/hdf5.h>
#include <stddef.h>

hid_t chdf5_default(void);            /* H5P_DEFAULT, H5S_ALL, H5E_DEFAULT are all 0 */
hsize_t chdf5_unlimited(void);        /* H5S_UNLIMITED */
size_t chdf5_variable(void);          /* H5T_VARIABLE */

unsigned chdf5_acc_rdonly(void);
unsigned chdf5_acc_rdwr(void);
unsigned chdf5_acc_trunc(void);
unsigned chdf5_acc_excl(void);
unsigned chdf5_acc_swmr_write(void);
unsigned chdf5_acc_swmr_read(void);
H5F_libver_t chdf5_libver_latest(void);

hid_t chdf5_native_int32(void);
hid_t chdf5_native_int64(void);
hid_t chdf5_native_uint64(void);
hid_t chdf5_native_double(void);
hid_t chdf5_c_s1(void);

hid_t chdf5_plist_file_access(void);
hid_t chdf5_plist_dataset_create(void);
hid_t chdf5_plist_dataset_access(void);
hid_t chdf5_plist_link_create(void);

/* Stops HDF5 printing its error stack to stderr on the calling thread (cheap after the first
   call per thread); errors surface as Swift errors instead. */
herr_t chdf5_silence_errors(void);

/* Writes the current default error stack (innermost first, "; "-separated) into
   buffer, always NUL-terminated; returns the number of bytes the full message needs. */
size_t chdf5_error_message(char *buffer, size_t capacity);

#endif
