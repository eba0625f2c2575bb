/* onvif.c: ONVIF device service and WS-Discovery.
 *
 * Device service (ONVIF Core 8.1, 8.3): GetSystemDateAndTime is PRE_AUTH and answers without
 * credentials; only if it does is GetDeviceInformation asked, which most devices refuse without a
 * login (the 401 is evidence too: Dahua's realm "Login to <32 hex>", Hikvision's "Document Error"
 * HTML, protocols.md 3.2). WS-Discovery (protocols.md 3.1): the ONVIF-typed Probe of
 * julienblitte/UniversalScanner Wsdiscovery.cs first; a retry sends the untyped Probe of nmap's
 * wsdd.lua, because some devices answer only one of the two. Scopes become onvif.scope, one each. */
#include "onvif.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/str.h"
#include "http.h"
#include "xml.h"

#define ONVIF_MAX_REPLY (64 * 1024)
#define DEVICE_SERVICE "/onvif/device_service"


static void onvif_elem(void *ctx, const struct xml_elem *e)
{
    struct onvif_info *o = ctx;
    if (!strcmp(e->name, "GetSystemDateAndTimeResponse"))
        o->datetime = true;
    else if (!strcmp(e->name, "Fault"))
        o->fault = true;
    if (!e->text)
        return;
    static const struct xml_field f[] = {
        { "Manufacturer", offsetof(struct onvif_info, manufacturer) },
        { "Model", offsetof(struct onvif_info, model) },
        { "FirmwareVersion", offsetof(struct onvif_info, firmware) },
        { "SerialNumber", offsetof(struct onvif_info, serial) },
        { "HardwareId", offsetof(struct onvif_info, hardware_id) },
    };
    char *dst = xml_field_dst(f, sizeof f / sizeof *f, e, o);
    if (dst)
        str_copy(dst, ONVIF_MAX_VALUE, e->text, e->text_len);
}

int onvif_parse(const uint8_t *body, size_t len, struct onvif_info *out)
{
    memset(out, 0, sizeof *out);
    return xml_each(body, len, onvif_elem, out) < 0 ? UNMASK_EPARSE : UNMASK_OK;
}

static void wsd_elem(void *ctx, const struct xml_elem *e)
{
    struct wsd_match *m = ctx;
    if (!strcmp(e->name, "Fault"))
        m->fault = true;
    if (!e->text)
        return;
    if (!strcmp(e->name, "Scopes") && !m->scopes[0])
        str_copy(m->scopes, sizeof m->scopes, e->text, e->text_len);
    else if (!strcmp(e->name, "XAddrs") && !m->xaddrs[0])
        str_copy(m->xaddrs, sizeof m->xaddrs, e->text, e->text_len);
    else if (!strcmp(e->name, "Types") && !m->types[0])
        str_copy(m->types, sizeof m->types, e->text, e->text_len);
}

int wsd_parse(const uint8_t *buf, size_t len, struct wsd_match *out)
{
    memset(out, 0, sizeof *out);
    return xml_each(buf, len, wsd_elem, out) < 0 ? UNMASK_EPARSE : UNMASK_OK;
}

bool onvif_split_url(const char *url, size_t n, char *host, size_t hcap, int *port, char *path,
                     size_t pcap)
{
    if (n < 8 || strncasecmp(url, "http://", 7))
        return false;
    const char *p = url + 7, *end = url + n;
    const char *h = p, *he;
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(end - p));
        if (!rb)
            return false;
        h = p + 1;
        he = rb;
        p = rb + 1;
    } else {
        while (p < end && *p != ':' && *p != '/')
            p++;
        he = p;
    }
    if (he == h || (size_t)(he - h) >= hcap)
        return false;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    *port = 80;
    if (p < end && *p == ':') {
        int v = 0;
        p++;
        if (p >= end || !isdigit((unsigned char)*p))
            return false;
        while (p < end && isdigit((unsigned char)*p) && v <= 65535)
            v = v * 10 + (*p++ - '0');
        if (v < 1 || v > 65535)
            return false;
        *port = v;
    }
    size_t plen = (size_t)(end - p);
    if (plen == 0) {
        str_copy(path, pcap, "/", 1);
        return true;
    }
    if (*p != '/' || plen >= pcap)
        return false;
    for (size_t i = 0; i < plen; i++)
        if ((unsigned char)p[i] <= ' ')
            return false;
    str_copy(path, pcap, p, plen);
    return true;
}

/* Device service. */

static const char soap_datetime[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope "
    "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><GetSystemDateAndTime "
    "xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>";
static const char soap_devinfo[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope "
    "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><GetDeviceInformation "
    "xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/></s:Body></s:Envelope>";

static const char *service_path(const struct probe_exchange *x)
{
    return x->text[0] == '/' ? x->text : DEVICE_SERVICE;
}

static int onvif_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    char host[64];
    size_t pos = 0;
    probe_host_for_url(h, host, sizeof host);
    const char *op = x->step == 0 ? "GetSystemDateAndTime" : "GetDeviceInformation";
    const char *body = x->step == 0 ? soap_datetime : soap_devinfo;
    int r = probe_printf(buf, cap, &pos,
                         "POST %s HTTP/1.1\r\nHost: %s%s%.0d\r\nUser-Agent: unmask\r\n"
                         "Content-Type: application/soap+xml; charset=utf-8; "
                         "action=\"http://www.onvif.org/ver10/device/wsdl/%s\"\r\n"
                         "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                         service_path(x), host, x->port == 80 ? "" : ":", x->port == 80 ? 0 : x->port,
                         op, strlen(body), body);
    return r < 0 ? UNMASK_ELIMIT : (int)pos;
}

static int onvif_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    return http_frame_message(buf, len, "HTTP/", x->eof);
}

static int onvif_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct http_response r;
    if (http_parse_head(buf, len, "HTTP/", &r) <= 0)
        return PROBE_DONE;
    static uint8_t scratch[ONVIF_MAX_REPLY];
    size_t body_len;
    const uint8_t *body = http_body(buf, len, &r, scratch, sizeof scratch, &body_len);
    const char *path = service_path(x);
    struct onvif_info in;
    bool xml = body_len && onvif_parse(body, body_len, &in) == UNMASK_OK;
    if (x->step == 0) {
        h->hints |= PH_ONVIF_DONE;
        if (r.status == 200 && xml && in.datetime) {
            probe_obss(h, "http.path", path, NULL, x->port);
            x->step = 1;
            return PROBE_NEXT;
        }
        return PROBE_DONE;
    }
    if (r.status == 200 && xml) {
        static const struct {
            const char *name;
            size_t offset;
        } f[] = {
            { "onvif.manufacturer", offsetof(struct onvif_info, manufacturer) },
            { "onvif.model", offsetof(struct onvif_info, model) },
            { "onvif.firmware", offsetof(struct onvif_info, firmware) },
            { "onvif.serial", offsetof(struct onvif_info, serial) },
            { "onvif.hardware_id", offsetof(struct onvif_info, hardware_id) },
        };
        for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
            const char *v = (const char *)&in + f[i].offset;
            if (*v)
                probe_obss(h, f[i].name, v, NULL, x->port);
        }
    } else {
        /* The refusal has a shape of its own. */
        http_observe_response(h, x->port, path, buf, len, &r, body, body_len);
    }
    return PROBE_DONE;
}

static const uint16_t onvif_ports[] = { 80, 8080, 0 };

static const struct probe_field onvif_fields[] = {
    { "onvif.manufacturer", "GetDeviceInformation Manufacturer (a label)" },
    { "onvif.model", "GetDeviceInformation Model" },
    { "onvif.firmware", "GetDeviceInformation FirmwareVersion" },
    { "onvif.serial", "GetDeviceInformation SerialNumber" },
    { "onvif.hardware_id", "GetDeviceInformation HardwareId" },
    { "http.www_authenticate", "the 401 to GetDeviceInformation (path /onvif/device_service)" },
    { NULL, NULL },
};

const struct probe probe_onvif = {
    .name = "onvif",
    .service = "http",
    .transport = PROBE_TCP,
    .ports = onvif_ports,
    .max_reply = ONVIF_MAX_REPLY,
    .request = onvif_request,
    .frame = onvif_frame,
    .observe = onvif_observe,
    .fields = onvif_fields,
    .help = "ONVIF GetSystemDateAndTime, then GetDeviceInformation where it answers",
};

/* WS-Discovery. */

static const char wsd_typed[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"><s:Header>"
    "<a:Action s:mustUnderstand=\"1\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>"
    "<a:MessageID>uuid:%s</a:MessageID><a:ReplyTo><a:Address>"
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
    "<a:To s:mustUnderstand=\"1\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>"
    "<s:Body><Probe xmlns=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
    "<d:Types xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" "
    "xmlns:dp0=\"http://www.onvif.org/ver10/network/wsdl\">dp0:NetworkVideoTransmitter</d:Types>"
    "</Probe></s:Body></s:Envelope>";
static const char wsd_untyped[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
    "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:wsa=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
    "xmlns:wsd=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><soap:Header>"
    "<wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>"
    "<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>"
    "<wsa:MessageID>urn:uuid:%s</wsa:MessageID></soap:Header><soap:Body><wsd:Probe/></soap:Body>"
    "</soap:Envelope>";

/* A version-4-shaped UUID from the host address and a counter (no randomness needed: it only has
 * to be unique per message). */
static void make_uuid(const struct probe_host *h, uint32_t n, char out[37])
{
    uint64_t a = 1469598103934665603ULL, b;
    for (const char *s = h->addr; *s; s++)
        a = (a ^ (unsigned char)*s) * 1099511628211ULL;
    b = (a ^ n) * 0x9e3779b97f4a7c15ULL;
    snprintf(out, 37, "%08x-%04x-4%03x-a%03x-%012llx", (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
             (unsigned)a & 0xfff, (unsigned)(b >> 52) & 0xfff, (unsigned long long)(b & 0xffffffffffffULL));
}

static int wsd_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    char uuid[37];
    size_t pos = 0;
    make_uuid(h, x->state[0], uuid);
    const char *fmt = x->state[0]++ % 2 == 0 ? wsd_typed : wsd_untyped;
    return probe_printf(buf, cap, &pos, fmt, uuid) < 0 ? UNMASK_ELIMIT : (int)pos;
}

static int datagram_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    (void)x;
    (void)buf;
    return len ? (int)len : UNMASK_EAGAIN;
}

static int wsd_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct wsd_match m;
    if (wsd_parse(buf, len, &m) < 0)
        return PROBE_DONE;
    const char *s = m.scopes;
    for (int n = 0; *s && n < ONVIF_MAX_SCOPES; n++) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        const char *e = s;
        while (*e && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n')
            e++;
        if (e > s)
            probe_obs(h, "onvif.scope", s, (size_t)(e - s), NULL, x->port);
        s = e;
    }
    if (m.types[0])
        probe_obss(h, "onvif.types", m.types, NULL, x->port);
    /* The device service on another port of this same host: ask there too. */
    const char *u = m.xaddrs;
    while (*u == ' ')
        u++;
    size_t ul = strcspn(u, " \t\r\n");
    char host[64], path[256];
    int port;
    if (ul && onvif_split_url(u, ul, host, sizeof host, &port, path, sizeof path) &&
        !strcmp(host, h->addr) && (port != 80 || strcmp(path, DEVICE_SERVICE)) && port != 8080)
        probe_followup(h, &probe_onvif, port, path);
    return PROBE_DONE;
}

static const uint16_t wsd_ports[] = { 3702, 0 };

static const struct probe_field wsd_fields[] = {
    { "onvif.scope", "one WS-Discovery scope URI" },
    { "onvif.types", "the ProbeMatch Types" },
    { NULL, NULL },
};

const struct probe probe_wsd = {
    .name = "wsd",
    .service = "ws-discovery",
    .transport = PROBE_UDP,
    .ports = wsd_ports,
    .max_reply = 16 * 1024,
    .request = wsd_request,
    .frame = datagram_frame,
    .observe = wsd_observe,
    .fields = wsd_fields,
    .help = "WS-Discovery Probe (typed, then untyped on a retry), unicast to the host",
};
