/* obs.c: see obs.h. */
#include "obs.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"

void obs_device_init(struct device *d)
{
    memset(d, 0, sizeof *d);
    arena_init(&d->arena, 16384);
    d->id = "";
}

void obs_device_deinit(struct device *d)
{
    free(d->obs);
    arena_deinit(&d->arena);
    memset(d, 0, sizeof *d);
}

void obs_device_reset(struct device *d)
{
    d->n_obs = 0;
    d->n_dropped = 0;
    d->id = "";
    arena_reset(&d->arena);
}

void obs_device_set_id(struct device *d, const char *id, size_t len)
{
    if (len > OBS_MAX_PATH)
        len = utf8_prefix(id, len, OBS_MAX_PATH);
    if (utf8_valid(id, len)) {
        d->id = arena_strndup(&d->arena, id, len);
    } else {
        char *o = arena_alloc(&d->arena, 3 * len + 1);
        utf8_repair(id, len, o);
        d->id = o;
    }
}

bool obs_name_valid(const char *s, size_t n)
{
    if (n == 0 || n > OBS_MAX_NAME || s[0] == '.' || s[n - 1] == '.')
        return false;
    bool dot = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (s[i - 1] == '.')
                return false;
            dot = true;
        } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '-')) {
            return false;
        }
    }
    return dot;
}

/* Copies untrusted text into the arena as valid UTF-8, at most max bytes. */
static const char *copy_text(struct arena *a, const char *s, size_t n, size_t max, size_t *out_len,
                             bool *cut)
{
    *cut = false;
    if (n > max) {
        n = utf8_prefix(s, n, max);
        *cut = true;
    }
    if (utf8_valid(s, n)) {
        *out_len = n;
        return arena_strndup(a, s, n);
    }
    char *o = arena_alloc(a, 3 * n + 1);
    size_t l = utf8_repair(s, n, o);
    if (l > max) { /* repair grew it: cut again on a boundary */
        l = utf8_prefix(o, l, max);
        o[l] = '\0';
        *cut = true;
    }
    *out_len = l;
    return o;
}

/* The body of obs_add and obs_add_static: name is already checked and lives long enough. */
static int add(struct device *d, const char *name, bool name_static, const char *value,
               size_t value_len, const char *path, size_t path_len, int port)
{
    if (d->n_obs >= OBS_MAX_PER_DEVICE) {
        d->n_dropped++;
        return UNMASK_ELIMIT;
    }
    xgrow((void **)&d->obs, &d->cap_obs, d->n_obs + 1, sizeof *d->obs);
    struct observation *o = &d->obs[d->n_obs];
    o->name = name;
    o->name_static = name_static;
    o->value = copy_text(&d->arena, value, value_len, OBS_MAX_VALUE, &o->value_len, &o->truncated);
    o->path = NULL;
    if (path) {
        size_t pl;
        bool cut;
        o->path = copy_text(&d->arena, path, path_len, OBS_MAX_PATH, &pl, &cut);
    }
    o->port = port >= 0 && port <= 65535 ? port : -1;
    o->derived_from = -1;
    o->field_id = -1;
    return (int)d->n_obs++;
}

int obs_add(struct device *d, const char *name, size_t name_len, const char *value, size_t value_len,
            const char *path, size_t path_len, int port)
{
    if (!obs_name_valid(name, name_len))
        return UNMASK_EPARSE;
    if (d->n_obs >= OBS_MAX_PER_DEVICE) { /* before the copy below */
        d->n_dropped++;
        return UNMASK_ELIMIT;
    }
    return add(d, arena_strndup(&d->arena, name, name_len), false, value, value_len, path, path_len,
               port);
}

int obs_add_static(struct device *d, const char *name, const char *value, size_t value_len,
                   const char *path, size_t path_len, int port)
{
    assert(obs_name_valid(name, strlen(name)));
    return add(d, name, true, value, value_len, path, path_len, port);
}
