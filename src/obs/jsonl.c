/* jsonl.c: see jsonl.h.
 *
 * jansson (Debian libjansson-dev) parses the line; we walk the tree. JSON_ALLOW_NUL lets a value carry
 * NUL bytes, which devices do send; jansson rejects invalid UTF-8 as RFC 8259 requires, so such a line is
 * reported as an error rather than guessed at. */
#include "jsonl.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../core/err.h"

static int fail(char *err, size_t errlen, const char *msg, long idx)
{
    if (idx >= 0)
        snprintf(err, errlen, "observation %ld: %s", idx, msg);
    else
        snprintf(err, errlen, "%s", msg);
    return UNMASK_EPARSE;
}

int jsonl_parse_device(const char *line, size_t len, long lineno, struct device *d, char *err,
                       size_t errlen)
{
    obs_device_reset(d);
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
        i++;
    if (i == len)
        return 1;

    json_error_t je;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &je);
    if (!root) {
        snprintf(err, errlen, "invalid JSON at column %d: %s", je.column, je.text);
        return UNMASK_EPARSE;
    }
    int rc = UNMASK_OK;
    if (!json_is_object(root)) {
        rc = fail(err, errlen, "a device line must be a JSON object", -1);
        goto out;
    }
    json_t *id = json_object_get(root, "id");
    char idbuf[32];
    if (json_is_string(id)) {
        obs_device_set_id(d, json_string_value(id), json_string_length(id));
    } else if (json_is_integer(id)) {
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(id));
        obs_device_set_id(d, idbuf, strlen(idbuf));
    } else {
        snprintf(idbuf, sizeof idbuf, "line-%ld", lineno);
        obs_device_set_id(d, idbuf, strlen(idbuf));
    }
    json_t *arr = json_object_get(root, "observations");
    if (!arr) {
        rc = fail(err, errlen, "missing \"observations\" array", -1);
        goto out;
    }
    if (!json_is_array(arr)) {
        rc = fail(err, errlen, "\"observations\" must be an array", -1);
        goto out;
    }
    size_t k;
    json_t *o;
    json_array_foreach(arr, k, o) {
        if (!json_is_object(o)) {
            rc = fail(err, errlen, "must be an object", (long)k);
            goto out;
        }
        json_t *proto = json_object_get(o, "proto");
        json_t *field = json_object_get(o, "field");
        json_t *value = json_object_get(o, "value");
        if (!json_is_string(proto) || !json_is_string(field)) {
            rc = fail(err, errlen, "\"proto\" and \"field\" must be strings", (long)k);
            goto out;
        }
        const char *vs;
        size_t vl;
        char num[64];
        if (json_is_string(value)) {
            vs = json_string_value(value);
            vl = json_string_length(value);
        } else if (json_is_integer(value)) {
            /* Tolerated: ports and counters sometimes arrive as numbers. */
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(value));
            vs = num;
            vl = strlen(num);
        } else {
            rc = fail(err, errlen, "\"value\" must be a string", (long)k);
            goto out;
        }
        char name[OBS_MAX_NAME + 1];
        size_t pl = json_string_length(proto), fl = json_string_length(field);
        if (pl + fl + 1 > OBS_MAX_NAME) {
            rc = fail(err, errlen, "proto.field name too long", (long)k);
            goto out;
        }
        memcpy(name, json_string_value(proto), pl);
        name[pl] = '.';
        memcpy(name + pl + 1, json_string_value(field), fl);
        json_t *path = json_object_get(o, "path");
        json_t *port = json_object_get(o, "port");
        int portv = json_is_integer(port) ? (int)json_integer_value(port) : -1;
        if (json_is_integer(port) &&
            (json_integer_value(port) < 0 || json_integer_value(port) > 65535))
            portv = -1;
        int r = obs_add(d, name, pl + 1 + fl, vs, vl,
                        json_is_string(path) ? json_string_value(path) : NULL,
                        json_is_string(path) ? json_string_length(path) : 0, portv);
        if (r == UNMASK_EPARSE) {
            rc = fail(err, errlen, "\"proto\" and \"field\" must be identifiers", (long)k);
            goto out;
        }
        /* UNMASK_ELIMIT: dropped and counted in d->n_dropped; the device is still judged. */
    }
out:
    json_decref(root);
    return rc;
}
