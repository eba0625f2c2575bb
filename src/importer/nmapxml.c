/* nmapxml.c: see nmapxml.h.
 *
 * The document is walked node by node with xmlTextReaderRead; only the current host's facts are
 * kept. Context comes from element names and depths of nmap.dtd: <nmaprun> (0) > <host> (1) >
 * <address>, <status>, <ports>, <hostscript> (2) > <port> (3) > <state>, <service>, <script> (4) >
 * <elem>, <table> (5, deeper inside tables). Host scripts sit at depth 3 and have no port.
 *
 * Two defences against entity tricks, in this order: the input callback refuses a document whose
 * bytes contain "<!ENTITY" before libxml2 sees the declaration (XML keywords are case-sensitive and
 * the encoding is forced to UTF-8, which nmap always writes), and a DOCTYPE that nevertheless holds
 * entities is refused when the reader reaches it. */
#include "nmapxml.h"

#include <errno.h>
#include <libxml/xmlreader.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/sbuf.h"
#include "banner.h"
#include "servicefp.h"

#define MAX_DN_PARTS 16

struct dn {
    struct {
        char key[32];
        char *val;
    } part[MAX_DN_PARTS];
    size_t n;
};

struct nx {
    xmlTextReaderPtr r;
    const struct nmapxml_sink *sink;
    struct device d;
    char address[64], mac[64];
    long host_line;
    bool in_host, host_down, stop, root_seen, not_nmap;
    bool eof;          /* the input callback reached the end */
    long host_closes;  /* "</host>" tags in the input so far */
    long last_host_line; /* line of the last "<host" tag in the input so far */
    long long last_close_end; /* input offset just after the last "</host>" */
    bool pass2;        /* reading again up to last_close_end, then SUFFIX (see run) */
    long skip_hosts;   /* pass 2: hosts handled in the first pass */
    long host_ends;    /* hosts the reader has closed so far */
    bool host_dropped; /* a host without its closing tag (truncation) was not judged */
    int port;          /* current port number, -1 for host scripts */
    bool port_open;
    char service[32];  /* nmap's name of the current port's service */
    char script[48];   /* id of the script being read, "" outside */
    int script_depth;
    char table[16];    /* key of the table directly under the script (ssl-cert) */
    struct dn subject, issuer;

    /* input */
    int fd;
    const char *mem;
    size_t mem_len, mem_pos;
    long long consumed;
    long lines;        /* newlines handed to libxml2 so far */
    char tail[8];      /* last bytes of the previous chunk, for "<!ENTITY" across chunks */
    size_t tail_len;
    int refused;       /* 0, UNMASK_ELIMIT (too large), UNMASK_EPARSE (entities), UNMASK_EIO */
    long refused_line;

    /* first libxml2 error */
    bool have_err;
    long err_line;
    char err_msg[200];
};

static void problem(struct nx *x, long line, const char *msg)
{
    if (x->sink->problem && !x->pass2)
        x->sink->problem(x->sink->ctx, line, msg);
}

/* ---- input -------------------------------------------------------------------------------------- */

static int io_read(void *ctx, char *buf, int len)
{
    struct nx *x = ctx;
    if (x->refused)
        return -1;
    int n;
    if (x->pass2) { /* the input up to the last complete host, then the closing root tag */
        static const char suffix[] = "\n</nmaprun>\n";
        if (x->consumed >= x->last_close_end) {
            size_t at = (size_t)(x->consumed - x->last_close_end);
            size_t k = sizeof suffix - 1 > at ? sizeof suffix - 1 - at : 0;
            if (k > (size_t)len)
                k = (size_t)len;
            memcpy(buf, suffix + at, k);
            x->consumed += (long long)k;
            return (int)k;
        }
        if (x->last_close_end - x->consumed < len)
            len = (int)(x->last_close_end - x->consumed);
    }
    if (x->mem) {
        size_t left = x->mem_len - x->mem_pos;
        n = (int)(left < (size_t)len ? left : (size_t)len);
        memcpy(buf, x->mem + x->mem_pos, (size_t)n);
        x->mem_pos += (size_t)n;
    } else {
        ssize_t k;
        do
            k = read(x->fd, buf, (size_t)len);
        while (k < 0 && errno == EINTR);
        if (k < 0) {
            x->refused = UNMASK_EIO;
            return -1;
        }
        n = (int)k;
    }
    if (x->consumed + n > NMAPXML_MAX_BYTES) {
        x->refused = UNMASK_ELIMIT;
        x->refused_line = x->lines + 1;
        return -1;
    }
    /* "<!ENTITY" in this chunk, or across its start. */
    char win[16 + 8];
    size_t w = x->tail_len;
    memcpy(win, x->tail, w);
    size_t head = (size_t)n < 16 ? (size_t)n : 16;
    memcpy(win + w, buf, head);
    long at = -1; /* offset in buf of the line holding the match */
    for (size_t i = 0; i + 8 <= w + head && at < 0; i++)
        if (!memcmp(win + i, "<!ENTITY", 8))
            at = 0;
    for (int i = 0; at < 0 && i + 8 <= n; i++)
        if (buf[i] == '<' && !memcmp(buf + i, "<!ENTITY", 8))
            at = i;
    if (at >= 0) {
        x->refused = UNMASK_EPARSE;
        x->refused_line = x->lines + 1;
        for (long i = 0; i < at; i++)
            x->refused_line += buf[i] == '\n';
        return -1;
    }
    if (n == 0)
        x->eof = true;
    /* Closing tags of hosts that are really in the input (across the chunk start too): a host the
     * parser closed itself when it recovered at a truncation has none. */
    for (size_t i = 0; i < w && i + 7 <= w + head; i++)
        if (!memcmp(win + i, "</host>", 7)) {
            x->host_closes++;
            x->last_close_end = x->consumed - (long long)w + (long long)i + 7;
        }
    for (int i = 0; i + 7 <= n; i++)
        if (buf[i] == '<' && !memcmp(buf + i, "</host>", 7)) {
            x->host_closes++;
            x->last_close_end = x->consumed + i + 7;
        }
    for (int i = 0; i < n; i++) {
        x->lines += buf[i] == '\n';
        if (buf[i] == '<' && i + 6 <= n && !memcmp(buf + i, "<host", 5) &&
            (buf[i + 5] == ' ' || buf[i + 5] == '>'))
            x->last_host_line = x->lines + 1;
    }
    x->consumed += n;
    x->tail_len = (size_t)n < 7 ? (size_t)n : 7;
    memcpy(x->tail, buf + n - (int)x->tail_len, x->tail_len);
    return n;
}

static int io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct nx *x = ctx;
    if (x->have_err || !e || e->level < XML_ERR_ERROR)
        return;
    x->have_err = true;
    x->err_line = e->line;
    const char *m = e->message ? e->message : "malformed XML";
    size_t l = strlen(m);
    while (l && (m[l - 1] == '\n' || m[l - 1] == ' '))
        l--;
    snprintf(x->err_msg, sizeof x->err_msg, "%.*s", (int)(l > 180 ? 180 : l), m);
}

/* ---- helpers ------------------------------------------------------------------------------------ */

/* Copies attribute `name` of the current element into out (cut to cap - 1); false if absent. */
static bool attr(struct nx *x, const char *name, char *out, size_t cap)
{
    xmlChar *v = xmlTextReaderGetAttribute(x->r, (const xmlChar *)name);
    if (!v)
        return false;
    snprintf(out, cap, "%s", (const char *)v);
    xmlFree(v);
    return true;
}

static void add(struct nx *x, const char *name, const char *v, size_t n, const char *path)
{
    while (n && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t'))
        v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\n' || v[n - 1] == '\r' || v[n - 1] == '\t'))
        n--;
    if (n)
        banner_add(&x->d, name, v, n, x->port, path);
}

/* Adds an attribute's value as observation `name` (empty values add nothing). */
static void add_attr(struct nx *x, const char *attrname, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(x->r, (const xmlChar *)attrname);
    if (!v)
        return;
    add(x, name, (const char *)v, strlen((const char *)v), NULL);
    xmlFree(v);
}

static void dn_clear(struct dn *dn)
{
    for (size_t i = 0; i < dn->n; i++)
        free(dn->part[i].val);
    dn->n = 0;
}

/* RFC 4514 section 2.4: escape , + " \ < > ; and a leading # or space, trailing space. */
static void dn_escape(struct sbuf *b, const char *v)
{
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (strchr(",+\"\\<>;", c) || (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' '))
            sbuf_addc(b, '\\');
        sbuf_addc(b, c);
    }
}

/* nmap keys subject and issuer attributes by long name and loses their order; unmask writes them
 * CN first, then OU, O, L, ST, C, then the rest in document order (docs/OBSERVATIONS.md tls.*). */
static void dn_emit(struct nx *x, struct dn *dn, const char *name)
{
    static const struct {
        const char *long_name, *short_name;
    } order[] = {
        { "commonName", "CN" },          { "organizationalUnitName", "OU" },
        { "organizationName", "O" },     { "localityName", "L" },
        { "stateOrProvinceName", "ST" }, { "countryName", "C" },
    };
    if (!dn->n)
        return;
    struct sbuf b;
    sbuf_init(&b, OBS_MAX_VALUE);
    bool used[MAX_DN_PARTS] = { 0 };
    for (size_t k = 0; k <= sizeof order / sizeof *order; k++)
        for (size_t i = 0; i < dn->n; i++) {
            if (used[i])
                continue;
            const char *key = dn->part[i].key;
            if (k < sizeof order / sizeof *order) {
                if (strcmp(key, order[k].long_name))
                    continue;
                key = order[k].short_name;
            }
            used[i] = true;
            if (b.len)
                sbuf_addc(&b, ',');
            sbuf_adds(&b, key);
            sbuf_addc(&b, '=');
            dn_escape(&b, dn->part[i].val);
        }
    add(x, name, b.p, b.len, NULL);
    sbuf_deinit(&b);
    dn_clear(dn);
}

/* Each "Key: value" line of a script output (upnp-info, http-headers) through fn. */
static void each_line(struct nx *x, const char *out,
                      void (*fn)(struct nx *x, const char *k, size_t kl, const char *v, size_t vl))
{
    for (const char *p = out; *p;) {
        size_t ll = strcspn(p, "\n");
        const char *s = p;
        size_t n = ll;
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
            n--;
        const char *colon = memchr(s, ':', n);
        if (colon && colon > s && colon + 1 < s + n && colon[1] == ' ')
            fn(x, s, (size_t)(colon - s), colon + 2, n - (size_t)(colon - s) - 2);
        p += ll;
        if (*p)
            p++;
    }
}

static bool key_is(const char *k, size_t kl, const char *want)
{
    return strlen(want) == kl && !strncasecmp(k, want, kl);
}

static void upnp_line(struct nx *x, const char *k, size_t kl, const char *v, size_t vl)
{
    if (key_is(k, kl, "Server"))
        add(x, "upnp.server", v, vl, NULL);
    else if (key_is(k, kl, "Manufacturer"))
        add(x, "upnp.manufacturer", v, vl, NULL);
    else if (key_is(k, kl, "Model Name"))
        add(x, "upnp.model", v, vl, NULL);
}

static void header_line(struct nx *x, const char *k, size_t kl, const char *v, size_t vl)
{
    static const struct {
        const char *header, *field;
    } known[] = {
        { "Server", "http.server" },
        { "WWW-Authenticate", "http.www_authenticate" },
        { "Location", "http.location" },
        { "Set-Cookie", "http.set_cookie" },
    };
    if (key_is(k, kl, "Request type")) /* nmap's "(Request type: GET)" note */
        return;
    add(x, "http.header", k, kl + 2 + vl, NULL);
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (key_is(k, kl, known[i].header))
            add(x, known[i].field, v, vl, NULL);
}

/* A script's `output` attribute, for the scripts read from it. */
static void script_output(struct nx *x, const char *id, const char *out)
{
    size_t n = strlen(out);
    if (!strcmp(id, "http-server-header")) {
        for (const char *p = out; *p;) {
            size_t ll = strcspn(p, "\n");
            add(x, "http.server", p, ll, NULL);
            p += ll + (p[ll] != 0);
        }
    } else if (!strcmp(id, "http-headers")) {
        each_line(x, out, header_line);
    } else if (!strcmp(id, "rtsp-methods")) {
        char buf[1024];
        int k = snprintf(buf, sizeof buf, "Public: %s", out);
        if (k > 0)
            add(x, "rtsp.header", buf, strlen(buf), NULL);
    } else if (!strcmp(id, "snmp-sysdescr")) {
        const char *s = out;
        while (*s == '\n' || *s == ' ')
            s++;
        const char *up = strstr(s, "\n  System uptime:");
        add(x, "snmp.sysdescr", s, up ? (size_t)(up - s) : strlen(s), NULL);
    } else if (!strcmp(id, "upnp-info")) {
        each_line(x, out, upnp_line);
    } else if (!strcmp(id, "banner")) {
        char *raw = malloc(n + 1);
        if (!raw)
            return;
        size_t rl = servicefp_unescape(out, n, raw);
        banner_observe(&x->d, raw, rl, x->port, x->service[0] ? x->service : NULL, NULL);
        free(raw);
    } else if (!strcmp(id, "http-favicon")) {
        const char *m = strstr(out, "MD5: ");
        if (m && strspn(m + 5, "0123456789abcdefABCDEF") >= 32) {
            char md5[33];
            for (int i = 0; i < 32; i++)
                md5[i] = (char)(m[5 + i] >= 'A' && m[5 + i] <= 'F' ? m[5 + i] + 32 : m[5 + i]);
            add(x, "http.favicon_md5", md5, 32, NULL);
        } else if (!m) { /* a name from nmap's favicon-db ("Hikvision DVR") */
            add(x, "nmap.favicon", out, n, NULL);
        }
    }
}

static void service_fp(struct nx *x, const char *fp)
{
    size_t n = strlen(fp), pos = 0;
    char probe[SERVICEFP_MAX_PROBE];
    char *buf = malloc(BANNER_MAX);
    if (!buf)
        return;
    for (int i = 0; i < 64; i++) {
        size_t len;
        int rc = servicefp_next(fp, n, &pos, probe, buf, BANNER_MAX, &len);
        if (rc == 0)
            break;
        if (rc < 0)
            continue;
        const char *path = !strcmp(probe, "GetRequest") || !strcmp(probe, "HTTPOptions") ? "/" : NULL;
        banner_observe(&x->d, buf, len, x->port, x->service[0] ? x->service : NULL, path);
    }
    free(buf);
}

/* ---- the walk ----------------------------------------------------------------------------------- */

/* The line of the current node (libxml2 records it when it builds the node; the parser itself may
 * have read ahead). */
static long node_line(struct nx *x)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(x->r);
    long l = n ? xmlGetLineNo(n) : -1;
    return l > 0 ? l : xmlTextReaderGetParserLineNumber(x->r);
}

static void host_begin(struct nx *x)
{
    obs_device_reset(&x->d);
    x->in_host = true;
    x->host_down = false;
    x->address[0] = x->mac[0] = '\0';
    x->host_line = node_line(x);
    x->port = -1;
    x->port_open = false;
    x->script[0] = '\0';
}

static void host_end(struct nx *x)
{
    x->in_host = false;
    long idx = x->host_ends++;
    if (idx >= x->host_closes) { /* closed by libxml2's recovery, not by the file */
        x->host_dropped = true;
        return;
    }
    if ((x->pass2 && idx < x->skip_hosts) || x->host_down)
        return;
    char id[80];
    if (x->address[0])
        snprintf(id, sizeof id, "%s", x->address);
    else
        snprintf(id, sizeof id, "host-%ld", x->host_line);
    obs_device_set_id(&x->d, id, strlen(id));
    struct nmap_host h = { .line = x->host_line,
                           .address = x->address[0] ? x->address : NULL,
                           .mac = x->mac[0] ? x->mac : NULL,
                           .d = &x->d };
    if (x->sink->host(x->sink->ctx, &h) != 0)
        x->stop = true;
}

static void script_end(struct nx *x)
{
    if (!strcmp(x->script, "ssl-cert")) {
        dn_emit(x, &x->subject, "tls.subject");
        dn_emit(x, &x->issuer, "tls.issuer");
    }
    x->script[0] = '\0';
}

static void element(struct nx *x, const char *name, int depth, bool empty)
{
    if (depth == 0) {
        x->root_seen = true;
        if (strcmp(name, "nmaprun")) {
            char msg[120];
            snprintf(msg, sizeof msg, "not nmap XML output: the root element is <%.40s>, not <nmaprun>",
                     name);
            problem(x, node_line(x), msg);
            x->stop = x->not_nmap = true;
        }
        return;
    }
    if (depth == 1) {
        if (!strcmp(name, "host")) {
            if (!empty) /* <host/> holds nothing (nmap never writes it) */
                host_begin(x);
        }
        return;
    }
    if (!x->in_host)
        return;
    if (depth == 2) {
        char type[16], addr[64];
        if (!strcmp(name, "status")) {
            char st[16];
            x->host_down = attr(x, "state", st, sizeof st) && strcmp(st, "up");
        } else if (!strcmp(name, "address") && attr(x, "addrtype", type, sizeof type) &&
                   attr(x, "addr", addr, sizeof addr)) {
            if (!strcmp(type, "mac")) {
                if (!x->mac[0]) {
                    snprintf(x->mac, sizeof x->mac, "%s", addr);
                    add(x, "mac.address", addr, strlen(addr), NULL);
                    xmlChar *vendor = xmlTextReaderGetAttribute(x->r, (const xmlChar *)"vendor");
                    if (vendor) {
                        const char *v = (const char *)vendor;
                        obs_add(&x->d, "mac.org", 7, v, strlen(v), "nmap", 4, -1);
                        xmlFree(vendor);
                    }
                }
            } else if (!x->address[0]) {
                snprintf(x->address, sizeof x->address, "%s", addr);
            }
        } else if (!strcmp(name, "hostscript")) {
            x->port = -1;
            x->port_open = true;
            x->service[0] = '\0';
        }
        return;
    }
    if (depth == 3 && !strcmp(name, "port")) {
        char num[16];
        x->port = attr(x, "portid", num, sizeof num) ? atoi(num) : -1;
        x->port_open = false;
        x->service[0] = '\0';
        return;
    }
    bool port_child = depth == 4 && x->port >= 0;
    bool host_script = depth == 3 && x->port < 0 && x->port_open;
    if (port_child && !strcmp(name, "state")) {
        char st[24];
        x->port_open = attr(x, "state", st, sizeof st) && !strncmp(st, "open", 4);
        return;
    }
    if (!x->port_open)
        return;
    if (port_child && !strcmp(name, "service")) {
        attr(x, "name", x->service, sizeof x->service);
        add_attr(x, "name", "nmap.service");
        add_attr(x, "product", "nmap.product");
        add_attr(x, "version", "nmap.version");
        add_attr(x, "extrainfo", "nmap.extrainfo");
        add_attr(x, "devicetype", "nmap.devicetype");
        xmlChar *fp = xmlTextReaderGetAttribute(x->r, (const xmlChar *)"servicefp");
        if (fp) {
            service_fp(x, (const char *)fp);
            xmlFree(fp);
        }
        return;
    }
    if (depth == 5 && !strcmp(name, "cpe") && x->port >= 0 && !x->script[0]) {
        xmlChar *t = xmlTextReaderReadString(x->r);
        if (t) {
            add(x, "nmap.cpe", (const char *)t, strlen((const char *)t), NULL);
            xmlFree(t);
        }
        return;
    }
    if ((port_child || host_script) && !strcmp(name, "script")) {
        if (!attr(x, "id", x->script, sizeof x->script))
            return;
        x->script_depth = depth;
        x->table[0] = '\0';
        xmlChar *out = xmlTextReaderGetAttribute(x->r, (const xmlChar *)"output");
        if (out) {
            script_output(x, x->script, (const char *)out);
            xmlFree(out);
        }
        if (empty)
            script_end(x);
        return;
    }
    if (!x->script[0] || depth <= x->script_depth)
        return;
    if (!strcmp(name, "table") && depth == x->script_depth + 1) {
        if (!attr(x, "key", x->table, sizeof x->table))
            x->table[0] = '\0';
        return;
    }
    if (strcmp(name, "elem") || empty)
        return;
    char key[32];
    if (!attr(x, "key", key, sizeof key))
        key[0] = '\0';
    bool title = !strcmp(x->script, "http-title") && depth == x->script_depth + 1 &&
                 !strcmp(key, "title");
    struct dn *dn = NULL;
    if (!strcmp(x->script, "ssl-cert") && depth == x->script_depth + 2 && key[0])
        dn = !strcmp(x->table, "subject") ? &x->subject : !strcmp(x->table, "issuer") ? &x->issuer
                                                                                      : NULL;
    if (!title && !dn)
        return;
    xmlChar *t = xmlTextReaderReadString(x->r);
    if (!t)
        return;
    if (title) {
        add(x, "http.title", (const char *)t, strlen((const char *)t), NULL);
    } else if (dn->n < MAX_DN_PARTS) {
        snprintf(dn->part[dn->n].key, sizeof dn->part[dn->n].key, "%s", key);
        size_t l = strlen((const char *)t);
        if (l > 4096)
            l = 4096;
        dn->part[dn->n].val = malloc(l + 1);
        if (dn->part[dn->n].val) {
            memcpy(dn->part[dn->n].val, t, l);
            dn->part[dn->n].val[l] = '\0';
            dn->n++;
        }
    }
    xmlFree(t);
}

static void element_end(struct nx *x, const char *name, int depth)
{
    if (depth == 1 && !strcmp(name, "host") && x->in_host)
        host_end(x);
    else if (x->script[0] && depth == x->script_depth && !strcmp(name, "script"))
        script_end(x);
    else if (x->script[0] && depth == x->script_depth + 1 && !strcmp(name, "table"))
        x->table[0] = '\0';
    else if (depth == 2 && !strcmp(name, "hostscript"))
        x->port_open = false;
    else if (depth == 3 && !strcmp(name, "port"))
        x->port_open = false;
}

static bool declares_entities(struct nx *x)
{
    /* Not xmlTextReaderCurrentDoc: that would make the reader keep (and leak) the document. */
    xmlNodePtr n = xmlTextReaderCurrentNode(x->r);
    if (!n || n->type != XML_DTD_NODE)
        return false;
    xmlDtdPtr dtd = (xmlDtdPtr)n;
    return dtd->entities || dtd->pentities;
}

/* One pass over the input: creates the reader and walks the document. Returns UNMASK_OK, or
 * UNMASK_EPARSE when the document declares entities or is not nmap output (both reported), or
 * UNMASK_EIO when the reader cannot start; other problems are left in x for run(). */
static int walk(struct nx *x, int *k)
{
    /* No NOENT (no entity substitution), no DTDLOAD/DTDATTR/DTDVALID (nothing loaded), no HUGE
     * (libxml2's limits on text and names stay on), NONET (no network even if asked). */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    x->r = xmlReaderForIO(io_read, io_close, x, "nmap.xml", "UTF-8", options);
    if (!x->r) {
        problem(x, 0, "cannot start the XML reader");
        return UNMASK_EIO;
    }
    xmlTextReaderSetStructuredErrorHandler(x->r, on_xml_error, x);
    int rc = UNMASK_OK;
    while (!x->stop && (*k = xmlTextReaderRead(x->r)) == 1) {
        int type = xmlTextReaderNodeType(x->r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE && declares_entities(x)) {
            problem(x, node_line(x),
                    "the document declares XML entities; nmap never does, so it is refused "
                    "(entity expansion is off)");
            rc = UNMASK_EPARSE;
            break;
        }
        if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
            continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(x->r);
        int depth = xmlTextReaderDepth(x->r);
        if (!name || depth < 0)
            continue;
        if (type == XML_READER_TYPE_ELEMENT)
            element(x, name, depth, xmlTextReaderIsEmptyElement(x->r) == 1);
        else
            element_end(x, name, depth);
    }
    xmlFreeTextReader(x->r);
    x->r = NULL;
    if (x->not_nmap)
        rc = UNMASK_EPARSE;
    return rc;
}

/* Reads the document. libxml2's reader stops handing over nodes at the first error, and it parses
 * ahead of them, so at a truncation the complete hosts of the last chunk it read would be lost. The
 * "</host>" tags counted in io_read tell: if some complete hosts were not handed over, the input is
 * read a second time (from memory, or a file that can seek) up to the last "</host>" with the root
 * closed after it, and the hosts not yet delivered are. */
static int run(struct nx *x)
{
    xmlInitParser();
    obs_device_init(&x->d);
    int k = 0;
    int rc = walk(x, &k);
    if (rc == UNMASK_OK && !x->stop && (k < 0 || x->have_err || x->refused)) {
        char msg[320];
        if (x->refused == UNMASK_ELIMIT) {
            snprintf(msg, sizeof msg, "larger than %ld MiB; the rest is not read",
                     (long)(NMAPXML_MAX_BYTES / (1024 * 1024)));
            problem(x, x->refused_line, msg);
            rc = UNMASK_ELIMIT;
        } else if (x->refused == UNMASK_EPARSE) {
            problem(x, x->refused_line,
                    "the document declares XML entities (<!ENTITY); nmap never does, so it is "
                    "refused (entity expansion is off)");
            rc = UNMASK_EPARSE;
        } else if (x->refused == UNMASK_EIO) {
            problem(x, 0, "read error");
            rc = UNMASK_EIO;
        } else if (x->consumed == 0) {
            problem(x, 0, "empty file: no XML document");
            rc = UNMASK_EPARSE;
        } else {
            bool cut = x->in_host || x->host_dropped;
            if (x->eof && cut) {
                snprintf(msg, sizeof msg,
                         "the document ends inside the <host> that starts here (truncated file?); "
                         "that host is not judged, the hosts before it are");
                problem(x, x->last_host_line ? x->last_host_line : x->host_line, msg);
            } else {
                snprintf(msg, sizeof msg, "malformed XML%s%s%s", x->have_err ? ": " : "",
                         x->have_err ? x->err_msg : "",
                         cut ? "; the host being read is not judged" : "");
                problem(x, x->have_err ? x->err_line : x->lines + 1, msg);
            }
            rc = UNMASK_EPARSE;
        }
    } else if (rc == UNMASK_OK && !x->stop && !x->root_seen) {
        problem(x, 0, "empty file: no XML document");
        rc = UNMASK_EPARSE;
    }
    if (rc == UNMASK_EPARSE && !x->refused && !x->not_nmap && !x->stop &&
        x->host_closes > x->host_ends && x->last_close_end > 0 &&
        (x->mem || lseek(x->fd, 0, SEEK_SET) == 0)) {
        struct nx y = { .sink = x->sink, .fd = x->fd, .mem = x->mem, .mem_len = x->mem_len,
                        .port = -1, .pass2 = true, .last_close_end = x->last_close_end,
                        .skip_hosts = x->host_ends };
        y.d = x->d; /* reuse the device */
        int k2 = 0;
        walk(&y, &k2);
        x->d = y.d;
        dn_clear(&y.subject);
        dn_clear(&y.issuer);
    }
    dn_clear(&x->subject);
    dn_clear(&x->issuer);
    obs_device_deinit(&x->d);
    return rc;
}

int nmapxml_read_fd(int fd, const struct nmapxml_sink *sink)
{
    struct nx x = { .sink = sink, .fd = fd, .port = -1 };
    return run(&x);
}

int nmapxml_read_buf(const char *buf, size_t len, const struct nmapxml_sink *sink)
{
    static const char empty[1] = "";
    struct nx x = { .sink = sink, .mem = buf ? buf : empty, .mem_len = buf ? len : 0, .port = -1 };
    return run(&x);
}
