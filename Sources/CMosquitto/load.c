#include "CMosquitto.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct cmosquitto_functions table;
static const struct cmosquitto_functions *loaded;
static char reason[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    // RTLD_LOCAL: its symbols (and OpenSSL's) stay out of the global namespace the rest of the process resolves in.
    void *library = dlopen("libmosquitto.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *error = dlerror();
        snprintf(reason, sizeof reason, "%s", error ? error : "libmosquitto.so.1 cannot be loaded");
        return;
    }
#define CMOSQUITTO_RESOLVE(name)                                                                              \
    {                                                                                                         \
        void *symbol = dlsym(library, "mosquitto_" #name);                                                    \
        if (!symbol) {                                                                                        \
            snprintf(reason, sizeof reason, "libmosquitto.so.1 lacks mosquitto_" #name " (version 2 is needed)"); \
            return;                                                                                           \
        }                                                                                                     \
        *(void **)&table.name = symbol;                                                                       \
    }
    CMOSQUITTO_FUNCTIONS(CMOSQUITTO_RESOLVE)
#undef CMOSQUITTO_RESOLVE
    table.lib_init();
    loaded = &table;
}

const struct cmosquitto_functions *cmosquitto_load(const char **why) {
    pthread_once(&once, load);
    *why = loaded ? NULL : reason;
    return loaded;
}
