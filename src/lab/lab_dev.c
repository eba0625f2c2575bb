/* lab_dev.c: the personality file reader (grammar: docs/LAB.md).
 *
 * Line-oriented like the knowledge files (src/kb/kb.c): a line in column 0 opens a block
 * (`personality NAME` or `reply KIND ...`), indented lines are `key value` attributes of the open block.
 * `head <<TAG` and `body <<TAG` take the following lines verbatim up to a line that is exactly TAG, so a
 * captured response can be pasted as it was published. Cross-references (`base`, ports that replies
 * need, template variable names) are checked by lab_dev_finish once every file is read. */
#include "lab_dev.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/err.h"
#include "../core/str.h"
#include "../core/xalloc.h"
#include "lab_tmpl.h"

static const struct {
    const char *name;
    enum lab_svc svc;
    bool udp;
} svc_names[] = {
    { "http", LAB_SVC_HTTP, false },     { "https", LAB_SVC_HTTPS, false },
    { "rtsp", LAB_SVC_RTSP, false },     { "banner", LAB_SVC_BANNER, false },
    { "raw", LAB_SVC_RAW, false },       { "tarpit", LAB_SVC_TARPIT, false },
    { "reset", LAB_SVC_RESET, false },   { "sadp", LAB_SVC_SADP, true },
    { "dhip", LAB_SVC_DHIP, true },      { "wsd", LAB_SVC_WSD, true },
    { "ssdp", LAB_SVC_SSDP, true },      { "mdns", LAB_SVC_MDNS, true },
    { "snmp", LAB_SVC_SNMP, true },      { "raw", LAB_SVC_UDPRAW, true },
    { "closed", LAB_SVC_NONE, false },   { "closed", LAB_SVC_NONE, true },
};

const char *lab_svc_name(enum lab_svc svc)
{
    for (size_t i = 0; i < sizeof svc_names / sizeof *svc_names; i++)
        if (svc_names[i].svc == svc)
            return svc_names[i].name;
    return "none";
}

bool lab_svc_is_udp(enum lab_svc svc) { return svc >= LAB_SVC_SADP; }

static const char *const verdicts[] = { "covered", "white-label", "suspect", "clear", "unknown" };

/* Context variables every template may use besides the personality's own `set` variables. */
static const char *const context_vars[] = { "ip", "port", "mac", "index", "name", "cseq", "version",
                                            "method", "path", "uri", "host", "uuid", "msgid", "cseq_num",
                                            "st", "reqid", "peer" };

struct parser {
    struct lab_set *s;
    const char *file;
    int line;
    enum { B_NONE, B_PERS, B_REPLY } kind;
    bool skip; /* the open block was rejected */
    bool pers_ok; /* the last `personality` line opened one: replies attach to it */
    const char *text;
    size_t len, pos;
};

static void diag(struct lab_set *s, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void diag(struct lab_set *s, const char *file, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->n_errors++;
    if (s->diag)
        s->diag(s->diag_ctx, file, line, msg);
}

#define PERR(p, ...) diag((p)->s, (p)->file, (p)->line, __VA_ARGS__)

void lab_set_init(struct lab_set *s, void (*d)(void *, const char *, int, const char *), void *ctx)
{
    memset(s, 0, sizeof *s);
    s->diag = d;
    s->diag_ctx = ctx;
}

static void reply_free(struct lab_reply *r)
{
    free(r->method);
    free(r->path);
    free(r->prefix);
    free(r->when_body);
    for (size_t i = 0; i < r->n_parts; i++)
        free(r->parts[i].text);
    free(r->parts);
    free(r->source);
}

static void pers_free(struct lab_pers *p)
{
    free(p->name);
    free(p->title);
    free(p->maker);
    free(p->brand);
    free(p->verdict);
    free(p->base);
    for (size_t i = 0; i < p->n_vars; i++) {
        free(p->vars[i].name);
        free(p->vars[i].tmpl);
    }
    free(p->vars);
    for (size_t i = 0; i < p->n_replies; i++)
        reply_free(&p->replies[i]);
    free(p->replies);
    free(p->tls_subject);
    free(p->tls_issuer);
    free(p->snmp_community);
    for (size_t i = 0; i < p->n_snmp; i++)
        free(p->snmp[i].value);
    free(p->snmp);
    free(p->mib);
    free(p->mdns.service);
    free(p->mdns.instance);
    free(p->mdns.target);
    free(p->mdns.txt);
    for (size_t i = 0; i < p->n_sources; i++)
        free(p->sources[i]);
    free(p->sources);
    free(p->file);
}

void lab_set_deinit(struct lab_set *s)
{
    for (size_t i = 0; i < s->n_pers; i++)
        pers_free(&s->pers[i]);
    free(s->pers);
    s->pers = NULL;
    s->n_pers = 0;
}

const struct lab_pers *lab_set_find(const struct lab_set *s, const char *name)
{
    for (size_t i = 0; i < s->n_pers; i++)
        if (!strcmp(s->pers[i].name, name))
            return &s->pers[i];
    return NULL;
}

enum lab_svc lab_pers_svc(const struct lab_pers *p, bool udp, uint16_t port)
{
    for (; p; p = p->base_p) {
        size_t n = udp ? p->n_udp : p->n_tcp;
        for (size_t i = 0; i < n; i++)
            if ((udp ? p->udp_port[i] : p->tcp_port[i]) == port)
                return udp ? p->udp_svc[i] : p->tcp_svc[i];
    }
    return LAB_SVC_NONE;
}

int lab_oid_parse(const char *s, size_t n, uint32_t *out, size_t cap)
{
    size_t i = 0, k = 0;
    if (i < n && s[i] == '.')
        i++;
    if (i >= n)
        return -1;
    while (i < n) {
        if (s[i] < '0' || s[i] > '9' || k >= cap)
            return -1;
        unsigned long long v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (unsigned)(s[i] - '0');
            if (v > 0xffffffffull)
                return -1;
            i++;
        }
        out[k++] = (uint32_t)v;
        if (i < n) {
            if (s[i] != '.' || i + 1 >= n)
                return -1;
            i++;
        }
    }
    return k >= 2 ? (int)k : -1;
}

/* ---- lexical helpers ---- */

static bool next_line(struct parser *p, const char **line, size_t *len)
{
    if (p->pos >= p->len)
        return false;
    const char *s = p->text + p->pos;
    const char *nl = memchr(s, '\n', p->len - p->pos);
    size_t l = nl ? (size_t)(nl - s) : p->len - p->pos;
    p->pos += l + (nl ? 1 : 0);
    if (l && s[l - 1] == '\r')
        l--;
    *line = s;
    *len = l;
    p->line++;
    return true;
}

static bool is_ident(const char *s, size_t n)
{
    if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_' || s[i] == '.'))
            return false;
    return true;
}

/* Splits off the first blank-separated word of [*s, *s+*n); returns its length, advances past it. */
static size_t word(const char **s, size_t *n, const char **w)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    *w = *s;
    size_t l = 0;
    while (l < *n && (*s)[l] != ' ' && (*s)[l] != '\t')
        l++;
    *s += l;
    *n -= l;
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    return l;
}

static bool parse_uint(const char *s, size_t n, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* Hex bytes separated by blanks or colons ("44:19:b6", "00 00 00 10", "a0010000"). Returns the count or
 * -1. */
static long parse_hex(const char *s, size_t n, uint8_t *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == ':' || s[i] == '-') {
            i++;
            continue;
        }
        if (i + 1 >= n || k >= cap)
            return -1;
        int hi = str_hexval((unsigned char)s[i]), lo = str_hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[k++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    return (long)k;
}

static struct lab_pers *cur_pers(struct parser *p)
{
    return p->s->n_pers ? &p->s->pers[p->s->n_pers - 1] : NULL;
}

static struct lab_reply *cur_reply(struct parser *p)
{
    struct lab_pers *ps = cur_pers(p);
    return ps && ps->n_replies ? &ps->replies[ps->n_replies - 1] : NULL;
}

/* Reads heredoc lines up to TAG and returns them as one text with '\n' between lines (the part kind
 * decides the real line ends at expansion time). */
static char *heredoc(struct parser *p, const char *tag, size_t tag_len, size_t *out_len)
{
    int start = p->line;
    size_t cap = 256, len = 0;
    char *buf = xmalloc(cap);
    const char *l;
    size_t ll;
    bool first = true;
    while (next_line(p, &l, &ll)) {
        if (ll == tag_len && !memcmp(l, tag, tag_len)) {
            buf[len] = '\0';
            *out_len = len;
            return buf;
        }
        if (len + ll + 2 > LAB_MAX_PART) {
            PERR(p, "text block longer than %d bytes", LAB_MAX_PART);
            free(buf);
            return NULL;
        }
        if (len + ll + 2 > cap) {
            while (len + ll + 2 > cap)
                cap *= 2;
            buf = xrealloc(buf, cap);
        }
        if (!first)
            buf[len++] = '\n';
        memcpy(buf + len, l, ll);
        len += ll;
        first = false;
    }
    diag(p->s, p->file, start, "text block not closed by a line '%.*s'", (int)tag_len, tag);
    free(buf);
    return NULL;
}

static void add_part(struct lab_reply *r, enum lab_part_kind kind, char *text, size_t len)
{
    r->parts = xrealloc(r->parts, (r->n_parts + 1) * sizeof *r->parts);
    r->parts[r->n_parts++] = (struct lab_part){ .kind = kind, .text = text, .len = len };
}

static void open_personality(struct parser *p, const char *rest, size_t n)
{
    const char *w;
    size_t wl = word(&rest, &n, &w);
    p->kind = B_PERS;
    p->skip = false;
    p->pers_ok = false;
    if (!is_ident(w, wl) || n) {
        PERR(p, "personality: expected one name [a-z0-9][a-z0-9._-]*");
        p->skip = true;
        return;
    }
    for (size_t i = 0; i < p->s->n_pers; i++)
        if (strlen(p->s->pers[i].name) == wl && !memcmp(p->s->pers[i].name, w, wl)) {
            PERR(p, "personality '%.*s' is defined twice (also %s:%d)", (int)wl, w,
                 p->s->pers[i].file, p->s->pers[i].line);
            p->skip = true;
            return;
        }
    p->s->pers = xrealloc(p->s->pers, (p->s->n_pers + 1) * sizeof *p->s->pers);
    struct lab_pers *ps = &p->s->pers[p->s->n_pers++];
    memset(ps, 0, sizeof *ps);
    ps->name = xstrndup(w, wl);
    ps->file = xstrdup(p->file);
    ps->line = p->line;
    ps->weight = 1;
    p->pers_ok = true;
}

static void open_reply(struct parser *p, const char *rest, size_t n)
{
    struct lab_pers *ps = cur_pers(p);
    p->kind = B_REPLY;
    p->skip = true;
    if (!ps)
        return;
    const char *k, *a, *b;
    size_t kl = word(&rest, &n, &k);
    struct lab_reply r = { .repeat = 1, .body_final_eol = true, .line = p->line };
    if (kl == 4 && !memcmp(k, "http", 4)) {
        size_t al = word(&rest, &n, &a), bl = word(&rest, &n, &b);
        if (!al || !bl || n || (b[0] != '/' && !(bl == 1 && b[0] == '*'))) {
            PERR(p, "reply http: expected METHOD PATH (PATH: /exact, /prefix*, or *)");
            return;
        }
        r.kind = LAB_R_HTTP;
        r.method = xstrndup(a, al);
        r.path = xstrndup(b, bl);
    } else if (kl == 4 && !memcmp(k, "rtsp", 4)) {
        size_t al = word(&rest, &n, &a);
        if (!al || n) {
            PERR(p, "reply rtsp: expected METHOD (or *)");
            return;
        }
        r.kind = LAB_R_RTSP;
        r.method = xstrndup(a, al);
    } else if ((kl == 6 && !memcmp(k, "banner", 6)) || (kl == 3 && !memcmp(k, "tcp", 3)) ||
               (kl == 3 && !memcmp(k, "udp", 3))) {
        size_t al = word(&rest, &n, &a);
        unsigned long port;
        if (!parse_uint(a, al, 65535, &port) || port == 0 || n) {
            PERR(p, "reply %.*s: expected PORT", (int)kl, k);
            return;
        }
        r.kind = k[0] == 'b' ? LAB_R_BANNER : k[0] == 't' ? LAB_R_TCP : LAB_R_UDP;
        r.port = (uint16_t)port;
    } else {
        PERR(p, "reply: expected http, rtsp, banner, tcp or udp");
        return;
    }
    ps->replies = xrealloc(ps->replies, (ps->n_replies + 1) * sizeof *ps->replies);
    ps->replies[ps->n_replies++] = r;
    p->skip = false;
}

static void set_str(struct parser *p, char **dst, const char *key, const char *v, size_t n)
{
    if (*dst) {
        PERR(p, "%s given twice", key);
        return;
    }
    *dst = xstrndup(v, n);
}

static void pers_attr(struct parser *p, const char *key, size_t kl, const char *v, size_t n)
{
    struct lab_pers *ps = cur_pers(p);
#define KEY(s) (kl == sizeof(s) - 1 && !memcmp(key, s, kl))
    if (KEY("title"))
        set_str(p, &ps->title, "title", v, n);
    else if (KEY("maker")) {
        if (n == 1 && v[0] == '-')
            return;
        if (!is_ident(v, n))
            PERR(p, "maker: a slug of rules/00-makers.rules, or -");
        else
            set_str(p, &ps->maker, "maker", v, n);
    } else if (KEY("brand")) {
        if (!(n == 1 && v[0] == '-'))
            set_str(p, &ps->brand, "brand", v, n);
    } else if (KEY("verdict")) {
        for (size_t i = 0; i < sizeof verdicts / sizeof *verdicts; i++)
            if (strlen(verdicts[i]) == n && !memcmp(verdicts[i], v, n)) {
                set_str(p, &ps->verdict, "verdict", v, n);
                return;
            }
        PERR(p, "verdict: one of covered, white-label, suspect, clear, unknown");
    } else if (KEY("base")) {
        if (!is_ident(v, n))
            PERR(p, "base: a personality name");
        else
            set_str(p, &ps->base, "base", v, n);
    } else if (KEY("weight")) {
        unsigned long w;
        if (!parse_uint(v, n, 1000000, &w))
            PERR(p, "weight: a number 0..1000000");
        else
            ps->weight = (unsigned)w;
    } else if (KEY("hostile")) {
        ps->hostile = n == 3 && !memcmp(v, "yes", 3);
    } else if (KEY("mac")) {
        long k = parse_hex(v, n, ps->oui, sizeof ps->oui);
        if (k < 3)
            PERR(p, "mac: 3 to 6 hex bytes (the OUI, then optional fixed bytes)");
        else
            ps->oui_len = (size_t)k;
    } else if (KEY("set")) {
        const char *w;
        size_t wl = word(&v, &n, &w);
        if (!wl || !n) {
            PERR(p, "set: expected NAME VALUE");
            return;
        }
        for (size_t i = 0; i < wl; i++)
            if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9') || w[i] == '_')) {
                PERR(p, "set: NAME is [a-z0-9_]+");
                return;
            }
        for (size_t i = 0; i < sizeof context_vars / sizeof *context_vars; i++)
            if (strlen(context_vars[i]) == wl && !memcmp(context_vars[i], w, wl)) {
                PERR(p, "set: '%.*s' is a context variable", (int)wl, w);
                return;
            }
        ps->vars = xrealloc(ps->vars, (ps->n_vars + 1) * sizeof *ps->vars);
        ps->vars[ps->n_vars++] = (struct lab_var){ xstrndup(w, wl), xstrndup(v, n) };
    } else if (KEY("tcp") || KEY("udp")) {
        bool udp = key[0] == 'u';
        const char *a;
        size_t al = word(&v, &n, &a);
        unsigned long port;
        if (!parse_uint(a, al, 65535, &port) || port == 0) {
            PERR(p, "%.*s: expected PORT SERVICE", (int)kl, key);
            return;
        }
        for (size_t i = 0; i < sizeof svc_names / sizeof *svc_names; i++) {
            if (svc_names[i].udp != udp || strlen(svc_names[i].name) != n ||
                memcmp(svc_names[i].name, v, n))
                continue;
            size_t *cnt = udp ? &ps->n_udp : &ps->n_tcp;
            uint16_t *ports = udp ? ps->udp_port : ps->tcp_port;
            enum lab_svc *svcs = udp ? ps->udp_svc : ps->tcp_svc;
            for (size_t j = 0; j < *cnt; j++)
                if (ports[j] == port) {
                    PERR(p, "%.*s port %lu declared twice", (int)kl, key, port);
                    return;
                }
            if (*cnt >= LAB_MAX_PORTS) {
                PERR(p, "more than %d %.*s ports", LAB_MAX_PORTS, (int)kl, key);
                return;
            }
            ports[*cnt] = (uint16_t)port;
            svcs[(*cnt)++] = svc_names[i].svc;
            return;
        }
        PERR(p, "%.*s %lu: unknown service '%.*s'", (int)kl, key, port, (int)n, v);
    } else if (KEY("tls-subject"))
        set_str(p, &ps->tls_subject, "tls-subject", v, n);
    else if (KEY("tls-issuer"))
        set_str(p, &ps->tls_issuer, "tls-issuer", v, n);
    else if (KEY("snmp-community"))
        set_str(p, &ps->snmp_community, "snmp-community", v, n);
    else if (KEY("snmp")) {
        static const char *const types[] = { "string", "hex", "int", "oid", "timeticks",
                                             "counter", "gauge", "ip", "null", "uptime" };
        const char *o, *t;
        size_t ol = word(&v, &n, &o), tl = word(&v, &n, &t);
        struct lab_snmp_obj obj = { 0 };
        int k = lab_oid_parse(o, ol, obj.oid, sizeof obj.oid / sizeof *obj.oid);
        if (k < 0) {
            PERR(p, "snmp: expected OID TYPE VALUE (OID dotted, at most 32 arcs)");
            return;
        }
        obj.n_oid = (size_t)k;
        size_t ti = 0;
        for (; ti < sizeof types / sizeof *types; ti++)
            if (strlen(types[ti]) == tl && !memcmp(types[ti], t, tl))
                break;
        if (ti == sizeof types / sizeof *types) {
            PERR(p, "snmp: TYPE is one of string hex int oid timeticks counter gauge ip null uptime");
            return;
        }
        obj.type = (enum lab_snmp_type)ti;
        obj.value = xstrndup(v, n);
        ps->snmp = xrealloc(ps->snmp, (ps->n_snmp + 1) * sizeof *ps->snmp);
        ps->snmp[ps->n_snmp++] = obj;
    } else if (KEY("mdns-service"))
        set_str(p, &ps->mdns.service, "mdns-service", v, n);
    else if (KEY("mdns-instance"))
        set_str(p, &ps->mdns.instance, "mdns-instance", v, n);
    else if (KEY("mdns-target"))
        set_str(p, &ps->mdns.target, "mdns-target", v, n);
    else if (KEY("mdns-txt"))
        set_str(p, &ps->mdns.txt, "mdns-txt", v, n);
    else if (KEY("mdns-port")) {
        unsigned long port;
        if (!parse_uint(v, n, 65535, &port))
            PERR(p, "mdns-port: a port number");
        else
            ps->mdns.port = (uint16_t)port;
    } else if (KEY("source")) {
        ps->sources = xrealloc(ps->sources, (ps->n_sources + 1) * sizeof *ps->sources);
        ps->sources[ps->n_sources++] = xstrndup(v, n);
    } else if (KEY("date") || KEY("note")) {
        /* documentation only */
    } else {
        PERR(p, "unknown personality attribute '%.*s'", (int)kl, key);
    }
}

static void reply_attr(struct parser *p, const char *key, size_t kl, const char *v, size_t n)
{
    struct lab_reply *r = cur_reply(p);
    if (KEY("head") || KEY("body")) {
        if (n < 3 || v[0] != '<' || v[1] != '<') {
            PERR(p, "%.*s: expected <<TAG and the text on the following lines", (int)kl, key);
            return;
        }
        size_t len;
        char *t = heredoc(p, v + 2, n - 2, &len);
        if (t)
            add_part(r, key[0] == 'h' ? LAB_P_HEAD : LAB_P_BODY, t, len);
    } else if (KEY("hex")) {
        uint8_t *buf = xmalloc(n / 2 + 1);
        long k = parse_hex(v, n, buf, n / 2 + 1);
        if (k <= 0) {
            PERR(p, "hex: pairs of hex digits");
            free(buf);
            return;
        }
        add_part(r, LAB_P_HEX, (char *)buf, (size_t)k);
    } else if (KEY("port")) {
        while (n) {
            const char *a;
            size_t al = word(&v, &n, &a);
            unsigned long port;
            if (!parse_uint(a, al, 65535, &port) || port == 0 || r->n_ports >= LAB_MAX_PORTS) {
                PERR(p, "port: up to %d port numbers", LAB_MAX_PORTS);
                return;
            }
            r->ports[r->n_ports++] = (uint16_t)port;
        }
    } else if (KEY("prefix")) {
        uint8_t buf[256];
        long k = parse_hex(v, n, buf, sizeof buf);
        if (k <= 0) {
            PERR(p, "prefix: 1..256 hex bytes");
            return;
        }
        free(r->prefix);
        r->prefix = xmalloc((size_t)k);
        memcpy(r->prefix, buf, (size_t)k);
        r->prefix_len = (size_t)k;
    } else if (KEY("when-body")) {
        char *buf = xmalloc(n + 1);
        long k = lab_unescape(v, n, buf);
        if (k <= 0) {
            PERR(p, "when-body: text with valid escapes");
            free(buf);
            return;
        }
        buf[k] = '\0';
        free(r->when_body);
        r->when_body = buf;
    } else if (KEY("body-eol")) {
        if (n == 4 && !memcmp(v, "crlf", 4))
            r->body_crlf = true;
        else if (n == 2 && !memcmp(v, "lf", 2))
            r->body_crlf = false;
        else
            PERR(p, "body-eol: crlf or lf");
    } else if (KEY("body-final-eol")) {
        r->body_final_eol = !(n == 2 && !memcmp(v, "no", 2));
    } else if (KEY("frame")) {
        if (n == 4 && !memcmp(v, "dhip", 4))
            r->frame = LAB_FRAME_DHIP;
        else if (n == 5 && !memcmp(v, "dvrip", 5))
            r->frame = LAB_FRAME_DVRIP;
        else
            PERR(p, "frame: dhip or dvrip");
    } else if (KEY("then")) {
        if (n == 5 && !memcmp(v, "close", 5))
            r->close = true;
        else if (n == 4 && !memcmp(v, "keep", 4))
            r->close = false;
        else
            PERR(p, "then: close or keep");
    } else if (KEY("drip")) {
        unsigned long ms;
        if (!parse_uint(v, n, 600000, &ms) || !ms)
            PERR(p, "drip: milliseconds between bytes, 1..600000");
        else
            r->drip_ms = (unsigned)ms;
    } else if (KEY("endless")) {
        r->endless = n == 3 && !memcmp(v, "yes", 3);
    } else if (KEY("repeat")) {
        unsigned long k;
        if (!parse_uint(v, n, 10000, &k) || !k)
            PERR(p, "repeat: 1..10000");
        else
            r->repeat = (unsigned)k;
    } else if (KEY("source")) {
        if (r->source) {
            size_t ol = strlen(r->source);
            r->source = xrealloc(r->source, ol + n + 3);
            memcpy(r->source + ol, "; ", 2);
            memcpy(r->source + ol + 2, v, n);
            r->source[ol + 2 + n] = '\0';
        } else {
            r->source = xstrndup(v, n);
        }
    } else if (KEY("note")) {
        /* documentation only */
    } else {
        PERR(p, "unknown reply attribute '%.*s'", (int)kl, key);
    }
#undef KEY
}

void lab_dev_parse(struct lab_set *s, const char *file, const char *text, size_t len)
{
    struct parser p = { .s = s, .file = file, .text = text, .len = len };
    const char *l;
    size_t n;
    while (next_line(&p, &l, &n)) {
        size_t i = 0;
        while (i < n && (l[i] == ' ' || l[i] == '\t'))
            i++;
        if (i == n || l[i] == '#')
            continue;
        if (memchr(l, '\0', n)) {
            PERR(&p, "NUL byte in line");
            continue;
        }
        const char *rest = l + i, *key;
        size_t rn = n - i;
        size_t kl = word(&rest, &rn, &key);
        while (rn && (rest[rn - 1] == ' ' || rest[rn - 1] == '\t'))
            rn--;
        if (i == 0) {
            if (kl == 11 && !memcmp(key, "personality", 11))
                open_personality(&p, rest, rn);
            else if (kl == 5 && !memcmp(key, "reply", 5)) {
                if (!p.pers_ok) {
                    PERR(&p, "reply outside a personality");
                    p.kind = B_REPLY;
                    p.skip = true;
                } else {
                    open_reply(&p, rest, rn);
                }
            } else {
                PERR(&p, "expected 'personality NAME' or 'reply ...' in column 0");
                p.kind = B_NONE;
                p.skip = true;
            }
            continue;
        }
        if (p.kind == B_NONE) {
            PERR(&p, "attribute outside a block");
            continue;
        }
        if (p.skip) {
            /* still consume a heredoc so its lines are not read as attributes */
            if (rn >= 3 && rest[0] == '<' && rest[1] == '<') {
                size_t hl;
                free(heredoc(&p, rest + 2, rn - 2, &hl));
            }
            continue;
        }
        if (p.kind == B_PERS)
            pers_attr(&p, key, kl, rest, rn);
        else
            reply_attr(&p, key, kl, rest, rn);
    }
}

int lab_dev_load(struct lab_set *s, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag(s, path, 0, "%s", strerror(errno));
        return UNMASK_ENOENT;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **names;
        int n = scandir(path, &names, NULL, alphasort);
        if (n < 0) {
            diag(s, path, 0, "%s", strerror(errno));
            return UNMASK_EIO;
        }
        int rc = 0;
        for (int i = 0; i < n; i++) {
            size_t l = strlen(names[i]->d_name);
            if (l > 4 && !strcmp(names[i]->d_name + l - 4, ".dev") && names[i]->d_name[0] != '.') {
                char full[4096];
                snprintf(full, sizeof full, "%s/%s", path, names[i]->d_name);
                int r = lab_dev_load(s, full);
                if (r && !rc)
                    rc = r;
            }
            free(names[i]);
        }
        free(names);
        return rc;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag(s, path, 0, "%s", strerror(errno));
        return UNMASK_EIO;
    }
    char *buf = xmalloc(LAB_MAX_FILE + 1);
    size_t len = fread(buf, 1, LAB_MAX_FILE + 1, f);
    bool err = ferror(f);
    fclose(f);
    if (err || len > LAB_MAX_FILE) {
        diag(s, path, 0, err ? "read error" : "file larger than 4 MiB");
        free(buf);
        return UNMASK_EIO;
    }
    lab_dev_parse(s, path, buf, len);
    free(buf);
    return 0;
}

/* ---- finishing: inheritance and cross-checks ---- */

struct known_ctx {
    const struct lab_pers *p;
};

static bool known_var(void *ctx, const char *name, size_t n)
{
    const struct known_ctx *k = ctx;
    for (size_t i = 0; i < sizeof context_vars / sizeof *context_vars; i++)
        if (strlen(context_vars[i]) == n && !memcmp(context_vars[i], name, n))
            return true;
    for (const struct lab_pers *p = k->p; p; p = p->base_p)
        for (size_t i = 0; i < p->n_vars; i++)
            if (strlen(p->vars[i].name) == n && !memcmp(p->vars[i].name, name, n))
                return true;
    return false;
}

static void check_tmpl(struct lab_set *s, const struct lab_pers *p, int line, const char *what,
                       const char *t, size_t n)
{
    struct known_ctx k = { p };
    size_t bad = 0;
    const char *msg = lab_tmpl_check(t, n, known_var, &k, &bad);
    if (msg) {
        size_t show = n - bad < 40 ? n - bad : 40;
        diag(s, p->file, line, "%s: %s at '%.*s'", what, msg, (int)show, t + bad);
    }
}

static int oid_cmp(const struct lab_snmp_obj *a, const struct lab_snmp_obj *b)
{
    size_t n = a->n_oid < b->n_oid ? a->n_oid : b->n_oid;
    for (size_t i = 0; i < n; i++)
        if (a->oid[i] != b->oid[i])
            return a->oid[i] < b->oid[i] ? -1 : 1;
    return a->n_oid < b->n_oid ? -1 : a->n_oid > b->n_oid;
}

static int mib_sort(const void *a, const void *b)
{
    return oid_cmp(*(const struct lab_snmp_obj *const *)a, *(const struct lab_snmp_obj *const *)b);
}

static void build_mib(struct lab_pers *p)
{
    size_t total = 0;
    for (const struct lab_pers *q = p; q; q = q->base_p)
        total += q->n_snmp;
    free(p->mib);
    p->mib = xcalloc(total ? total : 1, sizeof *p->mib);
    p->n_mib = 0;
    for (const struct lab_pers *q = p; q; q = q->base_p)
        for (size_t i = 0; i < q->n_snmp; i++) {
            bool dup = false;
            for (size_t j = 0; j < p->n_mib && !dup; j++)
                dup = oid_cmp(p->mib[j], &q->snmp[i]) == 0;
            if (!dup)
                p->mib[p->n_mib++] = &q->snmp[i];
        }
    qsort(p->mib, p->n_mib, sizeof *p->mib, mib_sort);
}

static bool reply_port_ok(const struct lab_pers *p, const struct lab_reply *r)
{
    switch (r->kind) {
    case LAB_R_HTTP:
    case LAB_R_RTSP:
        for (const struct lab_pers *q = p; q; q = q->base_p)
            for (size_t i = 0; i < q->n_tcp; i++) {
                enum lab_svc s = q->tcp_svc[i];
                if (r->kind == LAB_R_HTTP ? (s == LAB_SVC_HTTP || s == LAB_SVC_HTTPS)
                                          : s == LAB_SVC_RTSP)
                    return true;
            }
        return false;
    case LAB_R_BANNER: return lab_pers_svc(p, false, r->port) == LAB_SVC_BANNER;
    case LAB_R_TCP: {
        enum lab_svc s = lab_pers_svc(p, false, r->port);
        return s == LAB_SVC_BANNER || s == LAB_SVC_RAW;
    }
    case LAB_R_UDP: return lab_svc_is_udp(lab_pers_svc(p, true, r->port));
    }
    return false;
}

int lab_dev_finish(struct lab_set *s)
{
    /* resolve bases */
    for (size_t i = 0; i < s->n_pers; i++) {
        struct lab_pers *p = &s->pers[i];
        p->base_p = NULL;
        if (!p->base)
            continue;
        p->base_p = lab_set_find(s, p->base);
        if (!p->base_p)
            diag(s, p->file, p->line, "base '%s' is not a personality", p->base);
    }
    for (size_t i = 0; i < s->n_pers; i++) {
        struct lab_pers *p = &s->pers[i];
        size_t depth = 0;
        for (const struct lab_pers *q = p->base_p; q; q = q->base_p)
            if (++depth > s->n_pers) {
                diag(s, p->file, p->line, "base chain of '%s' loops", p->name);
                p->base_p = NULL;
                break;
            }
    }
    for (size_t i = 0; i < s->n_pers; i++) {
        struct lab_pers *p = &s->pers[i];
        if (!p->verdict)
            diag(s, p->file, p->line, "personality %s: verdict is required", p->name);
        if (!p->n_sources)
            diag(s, p->file, p->line, "personality %s: at least one source is required", p->name);
        if (!p->title)
            diag(s, p->file, p->line, "personality %s: title is required", p->name);
        for (size_t j = 0; j < p->n_vars; j++)
            check_tmpl(s, p, p->line, "set", p->vars[j].tmpl, strlen(p->vars[j].tmpl));
        for (size_t j = 0; j < p->n_replies; j++) {
            const struct lab_reply *r = &p->replies[j];
            if (!r->source)
                diag(s, p->file, r->line, "reply: source is required (where the bytes come from)");
            if (!r->n_parts && r->kind != LAB_R_UDP)
                diag(s, p->file, r->line, "reply: no head, body or hex");
            if (!reply_port_ok(p, r))
                diag(s, p->file, r->line, "reply: the personality has no port with a service "
                                          "that uses this reply");
            for (size_t k = 0; k < r->n_parts; k++)
                if (r->parts[k].kind != LAB_P_HEX)
                    check_tmpl(s, p, r->line, "reply", r->parts[k].text, r->parts[k].len);
        }
        for (size_t j = 0; j < p->n_snmp; j++)
            if (p->snmp[j].type == LAB_SNMP_STRING)
                check_tmpl(s, p, p->line, "snmp", p->snmp[j].value, strlen(p->snmp[j].value));
        const char *mt[] = { p->mdns.instance, p->mdns.target, p->mdns.txt, p->tls_subject,
                             p->tls_issuer };
        for (size_t j = 0; j < sizeof mt / sizeof *mt; j++)
            if (mt[j])
                check_tmpl(s, p, p->line, "attribute", mt[j], strlen(mt[j]));
        if (p->mdns.service && (!p->mdns.instance || !p->mdns.target || !p->mdns.port))
            diag(s, p->file, p->line, "mdns-service needs mdns-instance, mdns-target, mdns-port");
        build_mib(p);
    }
    return s->n_errors ? UNMASK_EPARSE : 0;
}
