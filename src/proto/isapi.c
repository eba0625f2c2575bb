/* isapi.c: Hikvision ISAPI answers, read with xml.c (libxml2).
 *
 * SessionLoginCap (GET /ISAPI/Security/sessionLogin/capabilities, no credentials) proves the ISAPI
 * stack and carries the schema namespace (hikvision.com, std-cgi.com for OEM builds, isapi.org for new
 * firmware); DeviceInfo (normally behind a login; some DVRs serve it) names model, firmware, serial,
 * OEM code. Element names per maciej-or/hikvision_next fixtures (protocols.md 4.5). */
#include "isapi.h"

#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/str.h"
#include "xml.h"

static const struct xml_field info_fields[] = {
    { "model", offsetof(struct isapi_info, model) },
    { "firmwareVersion", offsetof(struct isapi_info, firmware) },
    { "deviceType", offsetof(struct isapi_info, device_type) },
    { "serialNumber", offsetof(struct isapi_info, serial) },
    { "manufacturer", offsetof(struct isapi_info, manufacturer) },
    { "deviceName", offsetof(struct isapi_info, device_name) },
    { "OEMCode", offsetof(struct isapi_info, oem_code) },
    { "systemContact", offsetof(struct isapi_info, system_contact) },
    { "telecontrolID", offsetof(struct isapi_info, telecontrol_id) },
    { "macAddress", offsetof(struct isapi_info, mac) },
};

/* The fields this parser fills are all ISAPI_MAX_VALUE bytes long. */
static void copy(char *dst, const char *s, size_t n) { str_copy(dst, ISAPI_MAX_VALUE, s, n); }

static void on_elem(void *ctx, const struct xml_elem *e)
{
    struct isapi_info *o = ctx;
    if (e->depth == 0) {
        if (!strcmp(e->name, "SessionLoginCap"))
            o->kind = ISAPI_SESSION_CAP;
        else if (!strcmp(e->name, "DeviceInfo"))
            o->kind = ISAPI_DEVICE_INFO;
        else if (!strcmp(e->name, "userCheck"))
            o->kind = ISAPI_USER_CHECK;
        if (e->ns)
            copy(o->ns, e->ns, strlen(e->ns));
        return;
    }
    if (e->depth != 1 || !e->text || o->kind != ISAPI_DEVICE_INFO)
        return;
    char *dst = xml_field_dst(info_fields, sizeof info_fields / sizeof *info_fields, e, o);
    if (dst)
        copy(dst, e->text, e->text_len);
}

int isapi_parse(const uint8_t *body, size_t len, struct isapi_info *out)
{
    memset(out, 0, sizeof *out);
    return xml_each(body, len, on_elem, out) < 0 ? UNMASK_EPARSE : UNMASK_OK;
}

int isapi_observe(struct probe_host *h, int port, const char *path, const uint8_t *body, size_t len)
{
    struct isapi_info in;
    if (isapi_parse(body, len, &in) < 0 || in.kind == ISAPI_NONE || in.kind == ISAPI_USER_CHECK)
        return 0;
    (void)path;
    if (in.ns[0])
        probe_obss(h, "isapi.namespace", in.ns, NULL, port);
    static const struct {
        const char *name;
        size_t offset;
    } obs[] = {
        { "isapi.model", offsetof(struct isapi_info, model) },
        { "isapi.firmware", offsetof(struct isapi_info, firmware) },
        { "isapi.device_type", offsetof(struct isapi_info, device_type) },
        { "isapi.serial", offsetof(struct isapi_info, serial) },
        { "isapi.manufacturer", offsetof(struct isapi_info, manufacturer) },
        { "isapi.device_name", offsetof(struct isapi_info, device_name) },
        { "isapi.oem_code", offsetof(struct isapi_info, oem_code) },
        { "isapi.system_contact", offsetof(struct isapi_info, system_contact) },
        { "isapi.telecontrol_id", offsetof(struct isapi_info, telecontrol_id) },
    };
    for (size_t i = 0; i < sizeof obs / sizeof *obs; i++) {
        const char *v = (const char *)&in + obs[i].offset;
        if (*v)
            probe_obss(h, obs[i].name, v, NULL, port);
    }
    char mac[18];
    if (in.mac[0] && probe_mac(in.mac, strlen(in.mac), mac))
        probe_obss(h, "mac.address", mac, NULL, -1);
    return 1;
}
