/* lab_dev.h: personalities of the device lab, read from lab/personalities/NAME.dev (docs/LAB.md).
 *
 * A personality is one kind of simulated device: its ground truth (maker, brand, verdict), the ports it
 * serves and with which service, per-device variables (serial numbers, MAC addresses) and the replies it
 * gives, each a template quoted byte for byte from a cited capture or fixture. The parser is pure: text
 * in, structures out, diagnostics through a callback; nothing here touches the network. */
#ifndef UNMASK_LAB_DEV_H
#define UNMASK_LAB_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAB_MAX_PORTS 16     /* TCP or UDP services of one personality */
#define LAB_MAX_FILE (4 << 20)
#define LAB_MAX_PART (2 << 20) /* one head, body or hex part, as written */

/* What a port speaks. The server engine (lab_srv.c) has one handler per service. */
enum lab_svc {
    LAB_SVC_NONE = 0,
    /* TCP */
    LAB_SVC_HTTP,   /* HTTP/1.x requests routed to `reply http` blocks */
    LAB_SVC_HTTPS,  /* TLS (certificate from the tls-* attributes), then HTTP */
    LAB_SVC_RTSP,   /* RTSP (and anything with a request line) routed to `reply rtsp` blocks */
    LAB_SVC_BANNER, /* `reply banner PORT` sent on connect; client bytes may trigger `reply tcp PORT` */
    LAB_SVC_RAW,    /* client bytes trigger `reply tcp PORT` blocks (binary protocols) */
    LAB_SVC_TARPIT, /* accepts and never answers nor reads */
    LAB_SVC_RESET,  /* accepts and resets at once */
    /* UDP */
    LAB_SVC_SADP,   /* Hikvision SADP inquiry (protocols.md 1.1) */
    LAB_SVC_DHIP,   /* Dahua DHDiscover.search (2.1) */
    LAB_SVC_WSD,    /* WS-Discovery Probe (3.1) */
    LAB_SVC_SSDP,   /* SSDP M-SEARCH */
    LAB_SVC_MDNS,   /* mDNS / DNS-SD questions (RFC 6762, 6763) */
    LAB_SVC_SNMP,   /* SNMP v1/v2c GET/GETNEXT from the `snmp` attributes (RFC 3416) */
    LAB_SVC_UDPRAW, /* any datagram triggers `reply udp PORT` blocks */
};

enum lab_reply_kind { LAB_R_HTTP, LAB_R_RTSP, LAB_R_BANNER, LAB_R_TCP, LAB_R_UDP };

enum lab_part_kind {
    LAB_P_HEAD, /* lines joined with CRLF, then the empty line that ends a head */
    LAB_P_BODY, /* lines each ended by the reply's body-eol (the last one optionally not) */
    LAB_P_HEX,  /* raw bytes written as hex */
};

struct lab_part {
    enum lab_part_kind kind;
    char *text; /* template text (HEX: the bytes themselves) */
    size_t len;
};

enum lab_frame { LAB_FRAME_NONE, LAB_FRAME_DHIP, LAB_FRAME_DVRIP };

struct lab_reply {
    enum lab_reply_kind kind;
    char *method;      /* HTTP/RTSP: request method or "*" */
    char *path;        /* HTTP: exact path, "PREFIX*", or "*"; the query string is not part of it */
    uint16_t port;     /* BANNER/TCP/UDP: the port */
    uint8_t *prefix;   /* TCP/UDP: the request must start with these bytes (NULL: any) */
    size_t prefix_len;
    char *when_body;   /* the request (or datagram) must contain this text */
    uint16_t ports[LAB_MAX_PORTS]; /* HTTP/RTSP: only on these local ports (none: all) */
    size_t n_ports;
    struct lab_part *parts;
    size_t n_parts;
    bool body_crlf;       /* body-eol crlf */
    bool body_final_eol;  /* the last body line is ended too (default yes) */
    enum lab_frame frame; /* binary framing around the expanded parts */
    bool close;           /* then close: the server closes after this reply */
    unsigned drip_ms;     /* hostile: one byte every drip_ms milliseconds */
    bool endless;         /* hostile: after the parts, the last part again, forever */
    unsigned repeat;      /* UDP: send the datagram this many times (flood), at least 1 */
    int line;             /* where the block starts, for messages */
    char *source;         /* citation (required) */
};

struct lab_var {
    char *name;
    char *tmpl; /* expanded once per device when the lab starts */
};

enum lab_snmp_type {
    LAB_SNMP_STRING, LAB_SNMP_HEXSTRING, LAB_SNMP_INT, LAB_SNMP_OID, LAB_SNMP_TIMETICKS,
    LAB_SNMP_COUNTER, LAB_SNMP_GAUGE, LAB_SNMP_IPADDR, LAB_SNMP_NULL, LAB_SNMP_UPTIME,
};

struct lab_snmp_obj {
    uint32_t oid[32];
    size_t n_oid;
    enum lab_snmp_type type;
    char *value; /* template (STRING), number text, dotted OID, hex */
};

struct lab_mdns {
    char *service;  /* e.g. "_CGI._tcp.local"; NULL: no DNS-SD service */
    char *instance; /* template: instance label, e.g. "HIKVISION ${model} - ${serial_tail}" */
    char *target;   /* template: SRV target host label (without ".local") */
    uint16_t port;  /* SRV port */
    char *txt;      /* template: one TXT string, e.g. "path=/" */
};

struct lab_pers {
    char *name;
    char *title;
    char *maker;   /* slug, or NULL when the device should stay unknown */
    char *brand;   /* declared label, or NULL */
    char *verdict; /* docs/VERDICT.md vocabulary */
    char *base;    /* inherits from this personality (resolved by lab_dev_finish) */
    const struct lab_pers *base_p; /* resolved base, NULL if none: lookups walk this chain */
    unsigned weight;
    bool hostile;
    uint8_t oui[6];
    size_t oui_len; /* 0: no MAC exposed; 3..6 bytes fixed, the rest derived per device */
    uint16_t tcp_port[LAB_MAX_PORTS];
    enum lab_svc tcp_svc[LAB_MAX_PORTS];
    size_t n_tcp;
    uint16_t udp_port[LAB_MAX_PORTS];
    enum lab_svc udp_svc[LAB_MAX_PORTS];
    size_t n_udp;
    struct lab_var *vars;
    size_t n_vars;
    struct lab_reply *replies;
    size_t n_replies;
    char *tls_subject; /* OpenSSL one-line form "/C=CN/O=.../CN=...", in DER order; template */
    char *tls_issuer;  /* NULL: self-issued */
    char *snmp_community;
    struct lab_snmp_obj *snmp;
    size_t n_snmp;
    const struct lab_snmp_obj **mib; /* finish: own and inherited objects in OID order */
    size_t n_mib;
    struct lab_mdns mdns;
    char **sources;
    size_t n_sources;
    char *file;
    int line;
};

struct lab_set {
    struct lab_pers *pers;
    size_t n_pers;
    int n_errors;
    void (*diag)(void *ctx, const char *file, int line, const char *msg);
    void *diag_ctx;
};

void lab_set_init(struct lab_set *s, void (*diag)(void *, const char *, int, const char *),
                  void *ctx);
void lab_set_deinit(struct lab_set *s);
/* Parses one personality file's text (not NUL-terminated). Errors go to the diag callback and count in
 * s->n_errors; a broken block is skipped and parsing goes on. file names the text in messages. */
void lab_dev_parse(struct lab_set *s, const char *file, const char *text, size_t len);
/* Loads every *.dev file of a directory (in name order), or one file. Returns 0 or UNMASK_ENOENT /
 * UNMASK_EIO (reported through diag too). */
int lab_dev_load(struct lab_set *s, const char *path);
/* Resolves `base` inheritance and checks cross-references (replies for declared ports, template
 * variables that exist). Returns 0, or UNMASK_EPARSE if s->n_errors > 0 afterwards. */
int lab_dev_finish(struct lab_set *s);
const struct lab_pers *lab_set_find(const struct lab_set *s, const char *name);

const char *lab_svc_name(enum lab_svc svc);
bool lab_svc_is_udp(enum lab_svc svc);
/* The service of a personality on a TCP (udp=false) or UDP port, LAB_SVC_NONE if closed. */
enum lab_svc lab_pers_svc(const struct lab_pers *p, bool udp, uint16_t port);

/* Parses dotted OID text ("1.3.6.1.2.1.1.1.0", an optional leading dot). Returns the number of
 * sub-identifiers, or -1 if malformed or longer than cap. */
int lab_oid_parse(const char *s, size_t n, uint32_t *out, size_t cap);

#endif
