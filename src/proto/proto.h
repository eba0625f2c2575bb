/* proto.h: the probe plug-in interface (STYLE R6) and the registry of probes.
 *
 * A probe is one protocol's conversation with one port of one host, as a short script of exchanges.
 * The scan engine (src/net/scanner.c) owns sockets, timers, rate and politeness; a probe only says
 * what to send, when a reply is complete, and what the reply means. Each exchange:
 *
 *   1. request(): build the bytes of step x->step into a caller buffer (0 bytes: just read, for
 *      protocols where the server speaks first);
 *   2. frame(): pure, three-way (STYLE R3): > 0 the reply is complete and that long, UNMASK_EAGAIN
 *      need more bytes, UNMASK_EPARSE not this protocol (the exchange ends, what arrived is kept);
 *   3. observe(): turn the complete reply into observations (docs/OBSERVATIONS.md) through the pure
 *      parser of the protocol file, set hints for other probes, and say whether a next step follows.
 *
 * Every protocol file holds a pure parser (bytes in, fields out, no I/O: unit-tested and fuzzed) and
 * its `const struct probe` descriptor at the bottom. A probe never decides who made a device: the
 * verdict engine does (docs/VERDICT.md). Probes send no credentials, ever. */
#ifndef UNMASK_PROTO_H
#define UNMASK_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../obs/obs.h"

enum probe_transport { PROBE_TCP = 0, PROBE_TLS, PROBE_UDP };

/* observe() results. */
enum probe_next {
    PROBE_DONE = 0,      /* the probe is finished on this port */
    PROBE_NEXT = 1,      /* run step x->step on a new connection (or a new datagram) */
    PROBE_NEXT_SAME = 2, /* run step x->step on the same connection (keep-alive protocols) */
};

/* Hints probes leave for each other on one host (struct probe_host.hints). */
#define PH_HTTP_FOLLOWED (1u << 0) /* HTTP follow-ups already ran on some port */
#define PH_HIK_WEB (1u << 1)       /* an HTTP answer looked like the Hikvision web stack */
#define PH_DAHUA_WEB (1u << 2)     /* an HTTP answer looked like the Dahua web stack */
#define PH_HTTP_SEEN (1u << 3)     /* some port answered HTTP */
#define PH_ONVIF_DONE (1u << 4)    /* ONVIF device service already asked */

struct probe;

#define PROBE_MAX_FOLLOWUPS 4

/* A probe asked for by another probe on the same host (an SSDP reply names the port and path of its
 * UPnP description). Only ever the same address: a reply never widens the scan. */
struct probe_followup {
    const struct probe *probe;
    uint16_t port;
    char text[256]; /* given to the new exchange as x->text */
};

/* What a probe sees of the host it talks to. */
struct probe_host {
    const char *addr;      /* the address as text: "192.0.2.7" or "2001:db8::7" */
    bool ipv6;
    unsigned hints;        /* PH_* bits, shared by all probes of this host */
    const char *community; /* SNMP community (default "public") */
    struct device *dev;    /* where observations go */
    struct probe_followup followups[PROBE_MAX_FOLLOWUPS]; /* asked for; the engine runs them */
    size_t n_followups;
};

/* One exchange's context; the engine zeroes it when a probe starts on a port. */
struct probe_exchange {
    int port;          /* the port being talked to */
    int step;          /* the probe's own step number, set by observe() for the next step */
    bool eof;          /* frame(): the peer closed the connection (read-until-close protocols) */
    bool partial;      /* observe(): the reply was cut by the cap, the deadline or the peer */
    uint32_t state[4]; /* scratch kept across steps (follow-up plans, counters) */
    char text[256];    /* scratch text kept across steps (a URL path learned from a reply) */
};

struct probe_field {
    const char *name; /* observation name, "proto.field" */
    const char *help;
};

struct probe {
    const char *name;    /* "http", "rtsp", ... */
    const char *service; /* service name in reports ("http", "https", "rtsp", "ssh", ...) */
    enum probe_transport transport;
    const uint16_t *ports; /* default ports, 0-terminated */
    size_t max_reply;      /* cap on one reply; beyond it the reply is cut and observed as partial */
    unsigned idle_ms;      /* > 0: a reply that stops for this long is complete (banners) */
    unsigned silence_ms;   /* > 0: when a step sent nothing and nothing came for this long, observe()
                            * is called with no bytes (it may then send something on the same
                            * connection: PROBE_NEXT_SAME) */
    /* Builds the request of step x->step into buf (capacity cap). Returns its length (0: send
     * nothing and read), or UNMASK_ELIMIT/UNMASK_EPARSE when the step cannot be built (the probe
     * ends). */
    int (*request)(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap);
    /* Pure: is buf[0..len) a complete reply? > 0 its length, UNMASK_EAGAIN, UNMASK_EPARSE. */
    int (*frame)(const struct probe_exchange *x, const uint8_t *buf, size_t len);
    /* Reads a complete (or partial, x->partial) reply into observations and hints; returns
     * enum probe_next. */
    int (*observe)(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len);
    /* Optional: bytes to answer with while a reply is still arriving (telnet option negotiation).
     * Called with everything received so far; returns the number of bytes written to out. */
    size_t (*interim)(struct probe_exchange *x, const uint8_t *buf, size_t len, uint8_t *out,
                      size_t cap);
    const struct probe_field *fields; /* observation names this probe emits, NULL-terminated */
    const char *help;
};

/* The registry (registry.c), in the order probes run on a port. NULL-terminated. */
extern const struct probe *const probe_registry[];

/* Looks a probe up by name; NULL if unknown. */
const struct probe *probe_find(const char *name);
/* True if p runs on port by default. */
bool probe_has_port(const struct probe *p, int port);

/* Helpers for probe files (proto.c). */

/* Adds an observation "name" with value v[0..n) (repaired to UTF-8, capped by obs_add), path may be
 * NULL, port -1 when absent. Drops silently when the device is full (obs_add counts it). */
void probe_obs(struct probe_host *h, const char *name, const char *v, size_t n, const char *path,
               int port);
/* The same with a NUL-terminated value. */
void probe_obss(struct probe_host *h, const char *name, const char *v, const char *path, int port);
/* Case-insensitive search for needle in buf[0..len) (bounded, no NUL needed). */
const uint8_t *probe_memcasemem(const uint8_t *buf, size_t len, const char *needle);
/* Appends printf output to buf at *pos (capacity cap); returns UNMASK_ELIMIT if it did not fit. */
int probe_printf(uint8_t *buf, size_t cap, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Asks the engine to run p on port of the same host, with x->text set to text (cut at 255 bytes).
 * Ignored beyond PROBE_MAX_FOLLOWUPS or for a port outside 1..65535. */
void probe_followup(struct probe_host *h, const struct probe *p, int port, const char *text);
/* Converts a CamelCase element or key name to snake_case ("DeviceSN" -> "device_sn",
 * "IPv4Address" -> "ipv4_address", "DSPVersion" -> "dsp_version"); other characters than letters and
 * digits become '_'. Writes at most cap-1 bytes and a NUL; returns the length. */
size_t probe_snake(const char *in, size_t n, char *out, size_t cap);
/* Normalises a MAC address in any notation to "aa:bb:cc:dd:ee:ff"; false if s is not one. */
bool probe_mac(const char *s, size_t n, char out[18]);
/* Writes "host" or "[host]" (IPv6) into out. */
void probe_host_for_url(const struct probe_host *h, char *out, size_t cap);

#endif
