#define _GNU_SOURCE
#include "usb_emulator.h"

#include <errno.h>
#include <pthread.h>
#include <pty.h>
#include <sys/fsuid.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>

/* One plugged-in instance. A replug makes a new one; the old stays alive until the emulator is freed because
 * libusb may still hold the old node open (and umockdev may still call its handler). */
typedef struct plug {
    UMockdevIoctlBase *handler;
    char *devnode;
    char *sysfs_path;
    char *strings[8];
    int string_count;
    mq_emulator_out_fn on_out;
    void *context;

    pthread_mutex_t lock;
    GQueue pending_in;   /* UMockdevIoctlData* of bulk IN URBs waiting for device data */
    GQueue pending_out;  /* bulk OUT URBs the device is NAKing */
    GQueue completed;    /* URBs ready to reap, status and length already set */
    GQueue discarded;    /* URBs the host cancelled, to be reaped with -ENOENT */
    int master_fd, slave_fd;
    int unplugged;
    int attached; /* its handler answers ioctls on devnode */
    int in_halted;
    int stall_owed; /* halted with no IN URB pending: the next one submitted is the one that stalls */
    int out_naks;
    unsigned clear_halts, in_submitted, max_in_flight, discards, claimed;
    int last_in_length;
} plug;

struct mq_emulator {
    UMockdevTestbed *testbed;
    char *root;
    GPtrArray *plugs;
    plug *current;
};

static struct usbdevfs_urb *urb_of(UMockdevIoctlData *d) { return (struct usbdevfs_urb *) d->data; }

/* The URB lives in the client's memory (same process); umockdev also keeps a resolved copy it writes back on
 * completion. Set both so the result holds whichever way umockdev syncs. */
static void finish_urb(UMockdevIoctlData *d, int status, int actual_length) {
    struct usbdevfs_urb *copy = urb_of(d);
    struct usbdevfs_urb *client = (struct usbdevfs_urb *) d->client_addr;
    copy->status = status;
    copy->actual_length = actual_length;
    client->status = status;
    client->actual_length = actual_length;
}

/* POLLOUT on the node means "something to reap"; a stopped tty has no write room, so it polls not-ready. */
static void update_readiness(plug *p) {
    if (p->unplugged || p->slave_fd < 0) return;
    int ready = !g_queue_is_empty(&p->completed) || !g_queue_is_empty(&p->discarded);
    tcflow(p->slave_fd, ready ? TCOON : TCOOFF);
}

static size_t string_descriptor(plug *p, int index, uint8_t *out, size_t room) {
    uint8_t d[2 + 2 * 126];
    size_t n;
    if (index == 0) {
        d[0] = 4; d[1] = 3; d[2] = 0x09; d[3] = 0x04;  /* English (US) */
        n = 4;
    } else if (index <= p->string_count) {
        const char *s = p->strings[index - 1];
        size_t len = strlen(s);
        if (len > 126) len = 126;
        n = 2 + 2 * len;
        d[0] = (uint8_t) n; d[1] = 3;
        for (size_t i = 0; i < len; i++) { d[2 + 2 * i] = (uint8_t) s[i]; d[3 + 2 * i] = 0; }
    } else {
        return (size_t) -1;
    }
    if (n > room) n = room;
    memcpy(out, d, n);
    return n;
}

static void submit_control(plug *p, UMockdevIoctlData *urb_data) {
    struct usbdevfs_urb *urb = urb_of(urb_data);
    uint8_t *buffer = (uint8_t *) urb->buffer;  /* client memory */
    uint8_t request_type = buffer[0], request = buffer[1];
    int value = buffer[2] | (buffer[3] << 8);
    int length = buffer[6] | (buffer[7] << 8);
    int room = urb->buffer_length - 8;
    if (length < room) room = length;
    if (request_type == 0x80 && request == 0x06 && (value >> 8) == 3) {
        size_t n = string_descriptor(p, value & 0xff, buffer + 8, (size_t) room);
        if (n != (size_t) -1) {
            finish_urb(urb_data, 0, (int) n);
            g_queue_push_tail(&p->completed, urb_data);
            return;
        }
    }
    finish_urb(urb_data, -EPIPE, 0);  /* anything else: the device stalls ep0, as firmware does */
    g_queue_push_tail(&p->completed, urb_data);
}

static gboolean handle_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user_data) {
    (void) handler;
    plug *p = user_data;
    gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);

    pthread_mutex_lock(&p->lock);
    if (p->unplugged) {
        pthread_mutex_unlock(&p->lock);
        umockdev_ioctl_client_complete(client, -1, ENODEV);
        return TRUE;
    }
    gboolean handled = TRUE;
    uint8_t *out_bytes = NULL;  /* a copy: the host may reap and free its buffer before on_out runs */
    size_t out_length = 0;

    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        *(guint32 *) d->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                               USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        g_object_unref(d);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_CLAIMINTERFACE:
        p->claimed++;
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_RELEASEINTERFACE:
        if (p->claimed) p->claimed--;
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_CLEAR_HALT:
        p->clear_halts++;
        p->in_halted = 0;
        p->stall_owed = 0;
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    case USBDEVFS_GETDRIVER:
        umockdev_ioctl_client_complete(client, -1, ENODATA);  /* no kernel driver bound: a vendor interface */
        break;
    case USBDEVFS_SUBMITURB: {
        UMockdevIoctlData *urb_data = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
        struct usbdevfs_urb *urb = urb_of(urb_data);
        /* Resolving the buffer makes umockdev track it as part of the URB. */
        UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(urb_data, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
                                                             (gsize) urb->buffer_length, NULL);
        umockdev_ioctl_data_ref(urb_data);
        if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
            submit_control(p, urb_data);
        } else if (urb->type == USBDEVFS_URB_TYPE_BULK && (urb->endpoint & 0x80)) {
            p->in_submitted++;
            p->last_in_length = urb->buffer_length;
            if (p->stall_owed) {
                p->stall_owed = 0;
                finish_urb(urb_data, -EPIPE, 0);
                g_queue_push_tail(&p->completed, urb_data);
                g_object_unref(buf);
                g_object_unref(urb_data);
                umockdev_ioctl_client_complete(client, 0, 0);
                break;
            }
            g_queue_push_tail(&p->pending_in, urb_data);
            if (g_queue_get_length(&p->pending_in) > p->max_in_flight)
                p->max_in_flight = g_queue_get_length(&p->pending_in);
        } else if (urb->type == USBDEVFS_URB_TYPE_BULK) {
            if (p->out_naks) {
                g_queue_push_tail(&p->pending_out, urb_data);
            } else {
                out_length = (size_t) urb->buffer_length;
                out_bytes = g_memdup2(urb->buffer, out_length);
                finish_urb(urb_data, 0, urb->buffer_length);
                g_queue_push_tail(&p->completed, urb_data);
            }
        } else {
            umockdev_ioctl_data_unref(urb_data);
            g_object_unref(buf);
            g_object_unref(urb_data);
            umockdev_ioctl_client_complete(client, -1, EINVAL);
            break;
        }
        g_object_unref(buf);
        g_object_unref(urb_data);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_DISCARDURB: {
        gulong target = *(gulong *) arg->data;
        GQueue *queues[] = { &p->pending_in, &p->pending_out };
        int found = 0;
        for (int q = 0; q < 2 && !found; q++) {
            for (GList *l = queues[q]->head; l; l = l->next) {
                UMockdevIoctlData *d = l->data;
                if (d->client_addr == target) {
                    g_queue_delete_link(queues[q], l);
                    finish_urb(d, -ENOENT, 0);
                    g_queue_push_tail(&p->discarded, d);
                    p->discards++;
                    found = 1;
                    break;
                }
            }
        }
        umockdev_ioctl_client_complete(client, found ? 0 : -1, found ? 0 : EINVAL);
        break;
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
        UMockdevIoctlData *done = g_queue_pop_head(&p->discarded);
        if (!done) done = g_queue_pop_head(&p->completed);
        if (done) {
            UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
            umockdev_ioctl_data_set_ptr(ptr, 0, done);
            g_object_unref(ptr);
            umockdev_ioctl_client_complete(client, 0, 0);
            umockdev_ioctl_data_unref(done);
        } else {
            umockdev_ioctl_client_complete(client, -1, EAGAIN);
        }
        break;
    }
    default:
        handled = FALSE;
        break;
    }
    update_readiness(p);
    pthread_mutex_unlock(&p->lock);
    /* Outside the lock: the firmware may answer at once through mq_emulator_fill_in. */
    if (out_bytes && p->on_out) p->on_out(p->context, out_bytes, out_length);
    g_free(out_bytes);
    return handled;
}

mq_emulator *mq_emulator_new(void) {
    mq_emulator *e = g_new0(mq_emulator, 1);
    e->testbed = umockdev_testbed_new();
    e->root = umockdev_testbed_get_root_dir(e->testbed);
    e->plugs = g_ptr_array_new();
    return e;
}

const char *mq_emulator_root(const mq_emulator *e) { return e->root; }

int mq_emulator_plug(mq_emulator *e, const char *description, const char *sysfs_path, const char *devnode,
                     const char *const *strings, int string_count, mq_emulator_out_fn on_out, void *context,
                     char *error, size_t error_size) {
    plug *p = g_new0(plug, 1);
    pthread_mutex_init(&p->lock, NULL);
    g_queue_init(&p->pending_in);
    g_queue_init(&p->pending_out);
    g_queue_init(&p->completed);
    g_queue_init(&p->discarded);
    p->devnode = g_strdup(devnode);
    p->sysfs_path = g_strdup(sysfs_path);
    p->string_count = string_count > 8 ? 8 : string_count;
    for (int i = 0; i < p->string_count; i++) p->strings[i] = g_strdup(strings[i]);
    p->on_out = on_out;
    p->context = context;
    p->master_fd = p->slave_fd = -1;

    char pts[128];
    if (openpty(&p->master_fd, &p->slave_fd, pts, NULL, NULL) != 0) {
        snprintf(error, error_size, "openpty: %s", strerror(errno));
        return -1;
    }
    struct termios t;
    tcgetattr(p->slave_fd, &t);
    cfmakeraw(&t);
    tcsetattr(p->slave_fd, TCSANOW, &t);
    tcflow(p->slave_fd, TCOOFF);

    /* A replug at the same address takes the node over: umockdev allows one handler per node. */
    for (guint i = 0; i < e->plugs->len; i++) {
        plug *old = g_ptr_array_index(e->plugs, i);
        if (old->attached && strcmp(old->devnode, devnode) == 0) {
            umockdev_testbed_detach_ioctl(e->testbed, old->devnode, NULL);
            old->attached = 0;
        }
    }

    GError *gerror = NULL;
    p->handler = umockdev_ioctl_base_new();
    g_signal_connect_data(p->handler, "handle-ioctl", G_CALLBACK(handle_ioctl), p, NULL, G_CONNECT_AFTER);
    if (!umockdev_testbed_attach_ioctl(e->testbed, devnode, p->handler, &gerror)) {
        snprintf(error, error_size, "attach_ioctl %s: %s", devnode, gerror ? gerror->message : "failed");
        g_clear_error(&gerror);
        return -1;
    }
    p->attached = 1;
    if (!umockdev_testbed_add_from_string(e->testbed, description, &gerror)) {
        snprintf(error, error_size, "add_from_string: %s", gerror ? gerror->message : "failed");
        g_clear_error(&gerror);
        return -1;
    }
    /* umockdev made the node a plain file; stand the pty slave in for it. */
    char *node = g_strconcat(e->root, devnode, NULL);
    unlink(node);
    int rc = symlink(pts, node);
    g_free(node);
    if (rc != 0) {
        snprintf(error, error_size, "symlink %s: %s", pts, strerror(errno));
        return -1;
    }
    g_ptr_array_add(e->plugs, p);
    e->current = p;
    return 0;
}

void mq_emulator_unplug(mq_emulator *e) {
    plug *p = e->current;
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->unplugged = 1;
    /* Closing the master hangs the slave up: libusb's poll sees POLLERR, as on a real disconnect. */
    close(p->master_fd);
    close(p->slave_fd);
    p->master_fd = p->slave_fd = -1;
    pthread_mutex_unlock(&p->lock);
    umockdev_testbed_uevent(e->testbed, p->sysfs_path, "remove");
    umockdev_testbed_remove_device(e->testbed, p->sysfs_path);
    e->current = NULL;
}

size_t mq_emulator_fill_in(mq_emulator *e, const uint8_t *bytes, size_t length) {
    plug *p = e->current;
    if (!p || length == 0) return 0;
    pthread_mutex_lock(&p->lock);
    size_t n = 0;
    if (!p->unplugged && !p->in_halted) {
        UMockdevIoctlData *d = g_queue_pop_head(&p->pending_in);
        if (d) {
            struct usbdevfs_urb *urb = urb_of(d);
            n = length < (size_t) urb->buffer_length ? length : (size_t) urb->buffer_length;
            memcpy(urb->buffer, bytes, n);  /* client memory */
            finish_urb(d, 0, (int) n);
            g_queue_push_tail(&p->completed, d);
            update_readiness(p);
        }
    }
    pthread_mutex_unlock(&p->lock);
    return n;
}

void mq_emulator_stall_in(mq_emulator *e) {
    plug *p = e->current;
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->in_halted = 1;
    /* The halted endpoint stalls the next IN transaction: the oldest URB waiting, or, when the host has none
     * waiting yet (a loaded host slow to resubmit), the next one it submits. */
    UMockdevIoctlData *d = g_queue_pop_head(&p->pending_in);
    if (d) {
        finish_urb(d, -EPIPE, 0);
        g_queue_push_tail(&p->completed, d);
        update_readiness(p);
    } else {
        p->stall_owed = 1;
    }
    pthread_mutex_unlock(&p->lock);
}

void mq_emulator_set_out_naks(mq_emulator *e, int naking) {
    plug *p = e->current;
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->out_naks = naking;
    pthread_mutex_unlock(&p->lock);
}

#define COUNTER(name, expr)                                \
    unsigned mq_emulator_##name(mq_emulator *e) {          \
        plug *p = e->current;                              \
        if (!p) return 0;                                  \
        pthread_mutex_lock(&p->lock);                      \
        unsigned v = (unsigned) (expr);                    \
        pthread_mutex_unlock(&p->lock);                    \
        return v;                                          \
    }
COUNTER(clear_halts, p->clear_halts)
COUNTER(pending_in, g_queue_get_length(&p->pending_in))
COUNTER(in_urbs_submitted, p->in_submitted)
COUNTER(max_in_flight, p->max_in_flight)
COUNTER(discarded, p->discards)
COUNTER(claimed, p->claimed)

int mq_emulator_last_in_length(mq_emulator *e) {
    plug *p = e->current;
    return p ? p->last_in_length : 0;
}

static void drop_queue(GQueue *q) {
    UMockdevIoctlData *d;
    while ((d = g_queue_pop_head(q))) umockdev_ioctl_data_unref(d);
}

void mq_emulator_free(mq_emulator *e) {
    for (guint i = 0; i < e->plugs->len; i++) {
        plug *p = g_ptr_array_index(e->plugs, i);
        if (p->attached) umockdev_testbed_detach_ioctl(e->testbed, p->devnode, NULL);
        g_object_unref(p->handler);
        drop_queue(&p->pending_in);
        drop_queue(&p->pending_out);
        drop_queue(&p->completed);
        drop_queue(&p->discarded);
        if (p->master_fd >= 0) close(p->master_fd);
        if (p->slave_fd >= 0) close(p->slave_fd);
        for (int s = 0; s < p->string_count; s++) g_free(p->strings[s]);
        g_free(p->devnode);
        g_free(p->sysfs_path);
        pthread_mutex_destroy(&p->lock);
        g_free(p);
    }
    g_ptr_array_free(e->plugs, TRUE);
    g_object_unref(e->testbed);
    g_free(e->root);
    g_free(e);
}

unsigned mq_set_thread_fsuid(unsigned uid) { return (unsigned) setfsuid((uid_t) uid); }
