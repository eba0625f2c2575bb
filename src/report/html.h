/* html.h: the HTML report (writer_html, registered in report.c): one self-contained file an auditor
 * can open, filter, print and file.
 *
 * The page fetches nothing: styles, the small sorting and filtering script and the SVG charts are
 * inline, and a Content-Security-Policy allows only that style and that script (by their SHA-256),
 * so even a string that escaped its escaping could neither run code nor load anything. Every string
 * that came from a device, an input file or a knowledge file goes through html_escape. */
#ifndef UNMASK_HTML_H
#define UNMASK_HTML_H

#include <stddef.h>

#include "../core/sbuf.h"
#include "report.h"

/* What the page says about the run it shows; every member may be NULL (or 0). */
struct html_meta {
    long long run_id;  /* the stored run, 0 when not from the store */
    const char *source;   /* scan, identify, inventory, import */
    const char *input;    /* the file read or the targets scanned */
    const char *started, *finished; /* 'YYYY-MM-DDTHH:MM:SSZ' */
    const char *as_of;    /* judgement date */
    const char *host;
    const char *rules;    /* knowledge path */
};

/* Makes writer_html show m: call after setting up ctx and before writer_html.begin; m is borrowed
 * until end returns. Other writers ignore it. */
void html_set_meta(struct report_ctx *ctx, const struct html_meta *m);

/* Appends s[0..n) to b, safe in HTML text and in a quoted attribute value: & < > " ' become
 * character references; bytes that are not well-formed UTF-8, NUL and the C0/C1 control characters
 * other than tab and newline become U+FFFD. At most max_chars characters of s are copied (0: all);
 * a cut is marked with an ellipsis. Returns the number of bytes of s left out. Never splits a
 * character or a reference, even when b reaches its cap. */
size_t html_escape(struct sbuf *b, const char *s, size_t n, size_t max_chars);

#endif
