/* ssdp.c: SSDP and the UPnP description.
 *
 * The M-SEARCH goes to the host itself (never to the group 239.255.255.250 unless --discover): the
 * reply's SERVER header is upnp.server ("Linux UPnP/1.0 Huawei-ATP-IGD", "ZTE/1.0 UPnP/1.0
 * miniupnpd/x", protocols.md 7.3) and its LOCATION, when it points at this same address, is fetched:
 * the description names manufacturer and model (labels, which the rules treat as such). */
#include "ssdp.h"

#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/str.h"
#include "http.h"
#include "onvif.h"
#include "xml.h"

#define UPNP_MAX_REPLY (64 * 1024)

/* The fields this parser fills are all UPNP_MAX_VALUE bytes long. */
static void copy(char *dst, const char *s, size_t n) { str_copy(dst, UPNP_MAX_VALUE, s, n); }

static void upnp_elem(void *ctx, const struct xml_elem *e)
{
    struct upnp_description *d = ctx;
    if (!e->text)
        return;
    static const struct xml_field f[] = {
        { "manufacturer", offsetof(struct upnp_description, manufacturer) },
        { "modelName", offsetof(struct upnp_description, model_name) },
        { "modelNumber", offsetof(struct upnp_description, model_number) },
        { "friendlyName", offsetof(struct upnp_description, friendly_name) },
        { "serialNumber", offsetof(struct upnp_description, serial) },
    };
    char *dst = xml_field_dst(f, sizeof f / sizeof *f, e, d);
    if (dst && !dst[0]) /* the root device comes first */
        copy(dst, e->text, e->text_len);
}

int upnp_parse(const uint8_t *body, size_t len, struct upnp_description *out)
{
    memset(out, 0, sizeof *out);
    return xml_each(body, len, upnp_elem, out) < 0 ? UNMASK_EPARSE : UNMASK_OK;
}

static int ssdp_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    char host[64];
    size_t pos = 0;
    probe_host_for_url(h, host, sizeof host);
    return probe_printf(buf, cap, &pos,
                        "M-SEARCH * HTTP/1.1\r\nHOST: %s:%d\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
                        "ST: upnp:rootdevice\r\nUSER-AGENT: unmask\r\n\r\n",
                        host, x->port) < 0
               ? UNMASK_ELIMIT
               : (int)pos;
}

static int ssdp_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    (void)x;
    struct http_response r;
    int n = http_parse_head(buf, len, "HTTP/", &r);
    return n > 0 ? (int)len : n == UNMASK_EAGAIN ? UNMASK_EPARSE : n; /* a datagram is whole */
}

static int ssdp_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct http_response r;
    if (http_parse_head(buf, len, "HTTP/", &r) <= 0)
        return PROBE_DONE;
    const struct http_header *srv = http_header_find(&r, "SERVER");
    if (srv)
        probe_obs(h, "upnp.server", srv->value, srv->value_len, NULL, x->port);
    const struct http_header *loc = http_header_find(&r, "LOCATION");
    char host[64], path[256];
    int port;
    if (loc && onvif_split_url(loc->value, loc->value_len, host, sizeof host, &port, path, sizeof path) &&
        !strcmp(host, h->addr))
        probe_followup(h, &probe_upnp, port, path);
    return PROBE_DONE;
}

static int upnp_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    char host[64];
    size_t pos = 0;
    probe_host_for_url(h, host, sizeof host);
    const char *path = x->text[0] == '/' ? x->text : "/";
    return probe_printf(buf, cap, &pos,
                        "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: unmask\r\nAccept: */*\r\n"
                        "Connection: close\r\n\r\n",
                        path, host, x->port) < 0
               ? UNMASK_ELIMIT
               : (int)pos;
}

static int upnp_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    return http_frame_message(buf, len, "HTTP/", x->eof);
}

static int upnp_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct http_response r;
    if (http_parse_head(buf, len, "HTTP/", &r) <= 0 || r.status != 200)
        return PROBE_DONE;
    static uint8_t scratch[UPNP_MAX_REPLY];
    size_t body_len;
    const uint8_t *body = http_body(buf, len, &r, scratch, sizeof scratch, &body_len);
    struct upnp_description d;
    if (upnp_parse(body, body_len, &d) < 0)
        return PROBE_DONE;
    if (d.manufacturer[0])
        probe_obss(h, "upnp.manufacturer", d.manufacturer, NULL, x->port);
    if (d.model_name[0])
        probe_obss(h, "upnp.model", d.model_name, NULL, x->port);
    if (d.model_number[0] && strcmp(d.model_number, d.model_name))
        probe_obss(h, "upnp.model", d.model_number, NULL, x->port);
    if (d.friendly_name[0])
        probe_obss(h, "upnp.friendly_name", d.friendly_name, NULL, x->port);
    if (d.serial[0])
        probe_obss(h, "upnp.serial", d.serial, NULL, x->port);
    return PROBE_DONE;
}

static const uint16_t ssdp_ports[] = { 1900, 0 };

static const struct probe_field ssdp_fields[] = {
    { "upnp.server", "SSDP SERVER header" },
    { NULL, NULL },
};

static const struct probe_field upnp_fields[] = {
    { "upnp.manufacturer", "device description manufacturer (a label)" },
    { "upnp.model", "modelName and modelNumber" },
    { "upnp.friendly_name", "friendlyName" },
    { "upnp.serial", "serialNumber" },
    { NULL, NULL },
};

const struct probe probe_ssdp = {
    .name = "ssdp",
    .service = "ssdp",
    .transport = PROBE_UDP,
    .ports = ssdp_ports,
    .max_reply = 8192,
    .request = ssdp_request,
    .frame = ssdp_frame,
    .observe = ssdp_observe,
    .fields = ssdp_fields,
    .help = "SSDP M-SEARCH to the host; its LOCATION on the same host is fetched by upnp",
};

const struct probe probe_upnp = {
    .name = "upnp",
    .service = "upnp",
    .transport = PROBE_TCP,
    .ports = NULL, /* runs only where an SSDP reply points */
    .max_reply = UPNP_MAX_REPLY,
    .request = upnp_request,
    .frame = upnp_frame,
    .observe = upnp_observe,
    .fields = upnp_fields,
    .help = "the UPnP device description named by an SSDP reply (same host only)",
};
