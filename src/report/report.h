/* report.h: writers, the only code that knows output formats (STYLE R6: plug-ins in one registry).
 *
 * Every writer escapes what came from outside for its format: JSON by yajl, CSV by libcsv quoting
 * plus a guard against spreadsheet formulas, the terminal table by replacing control characters (a
 * device banner must not be able to move the cursor or change colours). */
#ifndef UNMASK_REPORT_H
#define UNMASK_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../engine/engine.h"
#include "../core/sbuf.h"
#include "../kb/kb.h"
#include "../obs/obs.h"

/* The FAR 52.204-25(d)(2)(i) report fields a purchase record or asset register provides (inventory).
 * Writers show them for covered and white-label verdicts, with mitigation left blank for the user.
 * All optional (NULL: the record has no such column); valid UTF-8. */
struct report_far {
    const char *contract;     /* contract number */
    const char *order;        /* order number(s) */
    const char *supplier;     /* supplier name */
    const char *supplier_uei; /* supplier unique entity identifier */
    const char *cage;         /* supplier CAGE code */
    const char *brand;        /* brand */
    const char *model;        /* model number (OEM number, manufacturer part number, wholesaler number) */
    const char *description;  /* item description */
};

/* scan: one open port and the service found on it. */
struct report_port {
    int port;
    const char *proto;   /* "tcp" or "udp" */
    const char *service; /* "http", "rtsp", "sadp", ...; "unknown" when nothing spoke */
};

/* Facts about a device that come from its source rather than from the judgement. All optional. */
struct report_extra {
    const char *file;    /* inventory / import: the file it came from */
    long row;            /* inventory: line number in that file (header is line 1); import: line of
                          * the nmap <host> element; 0 when absent */
    const char *address; /* scan, import, inventory: IP address */
    const char *mac;     /* scan, import, inventory: MAC address */
    const struct report_far *far; /* inventory: the record's FAR 52.204-25(d) fields, or NULL */
    const struct report_port *ports; /* scan: the open ports and what spoke there */
    size_t n_ports;
};

struct report_cache;

struct report_ctx {
    const struct kb *kb;  /* borrowed */
    const struct report_cache *cache; /* borrowed: pre-rendered knowledge, see report_cache_new */
    FILE *out;            /* borrowed */
    bool color;           /* table only: ANSI colours (a terminal without NO_COLOR) */
    bool far;             /* records carry FAR 52.204-25(d) fields (inventory): CSV adds their
                           * columns, the table prints them under flagged rows */
    long counts[V_N_KIND];
    long n_devices;
    void *priv;           /* writer state */
};

struct report_writer {
    const char *name;      /* "json", "table", "csv" */
    const char *extension; /* ".jsonl", "", ".csv" */
    bool incremental;      /* writes each device as it comes (json, table, csv); html writes its page
                            * at the end */
    int (*begin)(struct report_ctx *ctx);
    int (*device)(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                  const struct report_extra *x);
    int (*end)(struct report_ctx *ctx);
};

/* Looks a writer up by name ("json", "table", "csv"); NULL if unknown. */
const struct report_writer *report_find(const char *name);
/* Looks a writer up by a file name's extension; NULL if none fits. */
const struct report_writer *report_for_path(const char *path);
/* Renders once what every verdict repeats: each rule's evidence members with its sources, each maker's
 * lists. Build one per knowledge base (kb borrowed; it must outlive the cache). */
struct report_cache *report_cache_new(const struct kb *kb);
void report_cache_free(struct report_cache *c);
/* For the writers that build each record in one buffer (JSON Lines, CSV): the buffer, capped at cap,
 * is ctx->priv between report_line_begin and report_line_end. report_line_write ends the record with
 * a newline and writes it in one call; a record cut at the cap is never written (returns -1). */
void report_line_begin(struct report_ctx *ctx, size_t cap);
int report_line_write(struct report_ctx *ctx);
int report_line_end(struct report_ctx *ctx);
/* Appends the verdict object of docs/VERDICT.md to out as one line of JSON (no newline). */
void report_verdict_json(struct sbuf *out, const struct report_cache *c, const struct device *d,
                         const struct verdict *v, const struct report_extra *x);

#endif
