/* jsonl.c: see jsonl.h.
 *
 * yajl (Debian libyajl-dev) parses the line as a stream of events, so no tree is built: a device line
 * costs one pass and a few copies, which keeps identify above a million observations a second. yajl
 * validates UTF-8 (RFC 8259) and passes lengths, so a value may carry NUL bytes. The state machine below
 * knows the one shape docs/OBSERVATIONS.md defines and skips every member it does not know. */
#include "jsonl.h"

#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../core/err.h"

enum top_key { K_OTHER, K_ID, K_OBS };
enum obs_key { O_OTHER, O_PROTO, O_FIELD, O_VALUE, O_PORT, O_PATH };

struct scratch {
    char buf[OBS_MAX_VALUE + 8]; /* one byte past the cap lets obs_add see and mark a cut */
    size_t len;
    bool set;
};

struct state {
    struct device *d;
    int depth;            /* 0 outside, 1 in the device object, 2 in observations, 3 in one */
    int skip;             /* depth of an unknown member being skipped, 0 if none */
    enum top_key top;
    enum obs_key okey;
    bool have_obs, in_obs_array, id_set;
    long index;           /* observation index, for messages */
    char proto[OBS_MAX_NAME + 1], field[OBS_MAX_NAME + 1];
    size_t proto_len, field_len;
    bool proto_set, field_set, value_bad;
    struct scratch value, path;
    int port;
    char *err;
    size_t errlen;
};

static int fail(struct state *s, const char *msg)
{
    if (s->index >= 0 && s->depth >= 2) /* depth 2: the element that is not an object */
        snprintf(s->err, s->errlen, "observation %ld: %s", s->index, msg);
    else
        snprintf(s->err, s->errlen, "%s", msg);
    return 0; /* cancels the parse */
}

static void keep(struct scratch *sc, const unsigned char *v, size_t n)
{
    if (n > sizeof sc->buf)
        n = sizeof sc->buf;
    memcpy(sc->buf, v, n);
    sc->len = n;
    sc->set = true;
}

/* A scalar arrived. kind: 's' string, 'i' integer, 'o' other (bool, null, double). */
static int scalar(struct state *s, char kind, const unsigned char *v, size_t n, long long iv)
{
    if (s->skip)
        return 1;
    switch (s->depth) {
    case 0: return fail(s, "a device line must be a JSON object");
    case 1:
        if (s->top == K_ID && kind != 'o') {
            obs_device_set_id(s->d, (const char *)v, n);
            s->id_set = true;
        } else if (s->top == K_OBS) {
            return fail(s, "\"observations\" must be an array");
        }
        return 1;
    case 2: s->index++; return fail(s, "must be an object");
    case 3:
        switch (s->okey) {
        case O_PROTO:
        case O_FIELD: {
            if (kind != 's')
                return fail(s, "\"proto\" and \"field\" must be strings");
            bool p = s->okey == O_PROTO;
            if (n > OBS_MAX_NAME)
                return fail(s, "proto.field name too long");
            memcpy(p ? s->proto : s->field, v, n);
            *(p ? &s->proto_len : &s->field_len) = n;
            *(p ? &s->proto_set : &s->field_set) = true;
            return 1;
        }
        case O_VALUE:
            if (kind == 'o') {
                s->value_bad = true;
                return 1;
            }
            keep(&s->value, v, n);
            return 1;
        case O_PORT:
            s->port = kind == 'i' && iv >= 0 && iv <= 65535 ? (int)iv : -1;
            return 1;
        case O_PATH:
            if (kind == 's')
                keep(&s->path, v, n);
            return 1;
        case O_OTHER: return 1;
        }
    }
    return 1;
}

static int cb_null(void *c) { return scalar(c, 'o', NULL, 0, 0); }
static int cb_bool(void *c, int b) { (void)b; return scalar(c, 'o', NULL, 0, 0); }
/* Numbers arrive as their text (yajl's number callback), so a number too big for 64 bits is data,
 * not a parse error. Where text is wanted (an id, a value) an integer's text is used as it stands (any
 * length); a fraction or exponent there is not text. Elsewhere only an integer in range means
 * anything (a port). */
static int cb_number(void *c, const char *v, size_t n)
{
    struct state *s = c;
    bool integer = !memchr(v, '.', n) && !memchr(v, 'e', n) && !memchr(v, 'E', n);
    if (!integer)
        return scalar(c, 'o', NULL, 0, 0);
    if (!s->skip && ((s->depth == 1 && s->top == K_ID) || (s->depth == 3 && s->okey == O_VALUE)))
        return scalar(c, 's', (const unsigned char *)v, n, 0);
    char buf[32];
    if (n >= sizeof buf)
        return scalar(c, 'o', NULL, 0, 0);
    memcpy(buf, v, n);
    buf[n] = '\0';
    errno = 0;
    char *end;
    long long iv = strtoll(buf, &end, 10);
    if (errno || *end)
        return scalar(c, 'o', NULL, 0, 0);
    return scalar(c, 'i', NULL, 0, iv);
}
static int cb_string(void *c, const unsigned char *v, size_t n) { return scalar(c, 's', v, n, 0); }

static int cb_start_map(void *c)
{
    struct state *s = c;
    if (s->skip) {
        s->skip++;
        return 1;
    }
    switch (s->depth) {
    case 0: s->depth = 1; return 1;
    case 1:
        if (s->top == K_OBS)
            return fail(s, "\"observations\" must be an array");
        s->skip = 1;
        return 1;
    case 2:
        s->index++;
        s->depth = 3;
        s->proto_set = s->field_set = s->value_bad = false;
        s->value.set = s->path.set = false;
        s->port = -1;
        s->okey = O_OTHER;
        return 1;
    default:
        if (s->okey == O_PROTO || s->okey == O_FIELD)
            return fail(s, "\"proto\" and \"field\" must be strings");
        if (s->okey == O_VALUE)
            s->value_bad = true;
        s->skip = 1;
        return 1;
    }
}

static int cb_map_key(void *c, const unsigned char *k, size_t n)
{
    struct state *s = c;
    if (s->skip)
        return 1;
#define IS(lit) (n == sizeof lit - 1 && !memcmp(k, lit, n))
    if (s->depth == 1)
        s->top = IS("id") ? K_ID : IS("observations") ? K_OBS : K_OTHER;
    else if (s->depth == 3)
        s->okey = IS("proto") ? O_PROTO : IS("field") ? O_FIELD : IS("value") ? O_VALUE
                  : IS("port") ? O_PORT : IS("path") ? O_PATH : O_OTHER;
#undef IS
    return 1;
}

static int cb_end_map(void *c)
{
    struct state *s = c;
    if (s->skip) {
        s->skip--;
        return 1;
    }
    if (s->depth == 3) {
        if (!s->proto_set || !s->field_set)
            return fail(s, "\"proto\" and \"field\" must be strings");
        if (!s->value.set || s->value_bad)
            return fail(s, "\"value\" must be a string");
        char name[2 * OBS_MAX_NAME + 2];
        size_t nl = s->proto_len + 1 + s->field_len;
        if (nl > OBS_MAX_NAME)
            return fail(s, "proto.field name too long");
        memcpy(name, s->proto, s->proto_len);
        name[s->proto_len] = '.';
        memcpy(name + s->proto_len + 1, s->field, s->field_len);
        int r = obs_add(s->d, name, nl, s->value.buf, s->value.len, s->path.set ? s->path.buf : NULL,
                        s->path.len, s->port);
        if (r == UNMASK_EPARSE)
            return fail(s, "\"proto\" and \"field\" must be identifiers");
        /* UNMASK_ELIMIT: dropped and counted in d->n_dropped; the device is still judged. */
        s->depth = 2;
        return 1;
    }
    if (s->depth == 1)
        s->depth = 0;
    return 1;
}

static int cb_start_array(void *c)
{
    struct state *s = c;
    if (s->skip) {
        s->skip++;
        return 1;
    }
    if (s->depth == 0)
        return fail(s, "a device line must be a JSON object");
    if (s->depth == 1 && s->top == K_OBS) {
        if (s->have_obs)
            return fail(s, "\"observations\" appears twice");
        s->have_obs = true;
        s->depth = 2;
        return 1;
    }
    if (s->depth == 2) {
        s->index++;
        return fail(s, "must be an object");
    }
    if (s->depth == 3 && (s->okey == O_PROTO || s->okey == O_FIELD))
        return fail(s, "\"proto\" and \"field\" must be strings");
    if (s->depth == 3 && s->okey == O_VALUE)
        s->value_bad = true;
    s->skip = 1;
    return 1;
}

static int cb_end_array(void *c)
{
    struct state *s = c;
    if (s->skip) {
        s->skip--;
        return 1;
    }
    if (s->depth == 2)
        s->depth = 1;
    return 1;
}

static const yajl_callbacks callbacks = {
    cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array,
};

int jsonl_parse_device(const char *line, size_t len, long lineno, struct device *d, char *err,
                       size_t errlen)
{
    obs_device_reset(d);
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    if (i == len)
        return 1;
    /* The state holds two 64 KiB scratch buffers: static per thread rather than on the stack. */
    static _Thread_local struct state s;
    memset(&s, 0, offsetof(struct state, value));
    s.value.set = s.path.set = false;
    s.d = d;
    s.index = -1;
    s.err = err;
    s.errlen = errlen;
    err[0] = '\0';
    yajl_handle h = yajl_alloc(&callbacks, NULL, &s);
    yajl_status st = yajl_parse(h, (const unsigned char *)line, len);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    int rc = UNMASK_OK;
    if (st != yajl_status_ok) {
        if (!err[0]) {
            unsigned char *m = yajl_get_error(h, 0, (const unsigned char *)line, len);
            size_t at = yajl_get_bytes_consumed(h);
            /* yajl's message ends with a newline; keep the first line only. */
            snprintf(err, errlen, "invalid JSON at byte %zu: %.*s", at + 1,
                     (int)strcspn((const char *)m, "\n"), (const char *)m);
            yajl_free_error(h, m);
        }
        rc = UNMASK_EPARSE;
    } else if (!s.have_obs) {
        snprintf(err, errlen, "missing \"observations\" array");
        rc = UNMASK_EPARSE;
    }
    yajl_free(h);
    if (rc == UNMASK_OK && !s.id_set) {
        char idbuf[32];
        snprintf(idbuf, sizeof idbuf, "line-%ld", lineno);
        obs_device_set_id(d, idbuf, strlen(idbuf));
    }
    return rc;
}
