/* obs.h: observations and devices, the one vocabulary every source produces (docs/OBSERVATIONS.md).
 *
 * A device owns its observations through its arena: obs_device_reset() releases them all at once.
 * Every string in an observation is valid UTF-8 (obs_add repairs what is not) and NUL-terminated; a
 * value may also contain NUL bytes, so its length is value_len. */
#ifndef UNMASK_OBS_H
#define UNMASK_OBS_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"

/* Caps on what one device may carry; beyond them data is dropped and counted, never grown. */
#define OBS_MAX_PER_DEVICE 4096
#define OBS_MAX_VALUE (64 * 1024)
#define OBS_MAX_NAME 64
#define OBS_MAX_PATH 4096

struct observation {
    const char *name;  /* "proto.field", e.g. "http.server" */
    const char *value; /* UTF-8, NUL-terminated, may contain NULs */
    size_t value_len;
    const char *path;  /* NULL when absent */
    int port;          /* -1 when absent */
    int derived_from;  /* index of the observation this one was derived from, or -1 */
    bool truncated;    /* value was cut at OBS_MAX_VALUE */
    bool name_static;  /* name has static storage (obs_add_static): lookups may key on its address */
    int field_id;      /* private to the engine: index of name in the knowledge base, or -1 */
};

struct device {
    const char *id;                /* in the arena */
    struct observation *obs;       /* private array; use n_obs */
    size_t n_obs, cap_obs;
    size_t n_dropped;              /* observations dropped at OBS_MAX_PER_DEVICE */
    struct arena arena;            /* owns every string above */
};

void obs_device_init(struct device *d);
void obs_device_deinit(struct device *d);
/* Forgets all observations and strings (keeps the allocations for reuse). */
void obs_device_reset(struct device *d);
/* Sets the id (copied). */
void obs_device_set_id(struct device *d, const char *id, size_t len);
/* Adds an observation, copying name, value and path. name must be "proto.field" (letters, digits,
 * '_' and one or more '.'), at most OBS_MAX_NAME bytes; value is repaired to UTF-8 and cut at
 * OBS_MAX_VALUE; path may be NULL; port -1 when absent. Returns the new index, UNMASK_EPARSE for a bad
 * name, or UNMASK_ELIMIT when the device is full (the observation is dropped and counted). */
int obs_add(struct device *d, const char *name, size_t name_len, const char *value, size_t value_len,
            const char *path, size_t path_len, int port);
/* obs_add for the sources' own vocabulary: name is a string literal (or other storage that outlives
 * every device) holding a well-formed name; it is borrowed, not copied, and checked only in builds
 * without NDEBUG. Saves a copy and a check per observation on the paths that add millions. */
int obs_add_static(struct device *d, const char *name, const char *value, size_t value_len,
                   const char *path, size_t path_len, int port);
/* True if s[0..n) is a well-formed observation name. */
bool obs_name_valid(const char *s, size_t n);

#endif
