/* http.h: HTTP/1.x responses (RFC 9112): a pure, bounded parser shared by HTTP, RTSP (RFC 2326 uses
 * the same message syntax) and SSDP, and the HTTP probes.
 *
 * The parser keeps views into the caller's buffer (valid until the buffer changes) and is lenient in
 * what real devices do: bare "\n" line ends, header names in any case, odd spacing kept as received
 * (the spacing is evidence: Hikvision's RTSP "Date:  " has two spaces). */
#ifndef UNMASK_HTTP_H
#define UNMASK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define HTTP_MAX_HEADERS 64   /* kept; more are counted in n_dropped */
#define HTTP_MAX_HEAD (64 * 1024)

struct http_header {
    const char *name; /* as received */
    size_t name_len;
    const char *value; /* leading blanks skipped, trailing blanks removed */
    size_t value_len;
    const char *line; /* the whole line without its line end */
    size_t line_len;
};

struct http_response {
    int minor;       /* HTTP/1.<minor> */
    int status;      /* 100..999 */
    const char *reason;
    size_t reason_len;
    struct http_header headers[HTTP_MAX_HEADERS];
    size_t n_headers, n_dropped;
    size_t head_len;          /* status line, headers and the blank line */
    long long content_length; /* -1 when absent or invalid */
    bool chunked;
};

/* Parses the status line and headers of buf[0..len). proto is the version token ("HTTP/" or
 * "RTSP/"). Returns the head length (> 0), UNMASK_EAGAIN (incomplete), UNMASK_EPARSE (not such a
 * response) or UNMASK_ELIMIT (head longer than HTTP_MAX_HEAD). */
int http_parse_head(const uint8_t *buf, size_t len, const char *proto, struct http_response *out);
/* Finds a header by name (case-insensitive); NULL if absent. */
const struct http_header *http_header_find(const struct http_response *r, const char *name);
/* The length of the whole message in buf[0..len): head plus body by Content-Length, by chunked
 * framing, or (eof true) everything. Responses 1xx, 204 and 304 have no body. Returns > 0,
 * UNMASK_EAGAIN or UNMASK_EPARSE. */
int http_frame_message(const uint8_t *buf, size_t len, const char *proto, bool eof);
/* Decodes a chunked body into out (capacity cap; the rest is cut). Returns the decoded length;
 * a missing last chunk just ends the body. */
size_t http_dechunk(const uint8_t *body, size_t len, uint8_t *out, size_t cap);
/* Finds <title>...</title> (case-insensitive) in an HTML body; returns the trimmed text as a view
 * and its length, or NULL. */
const char *http_title(const uint8_t *body, size_t len, size_t *title_len);

/* The HTTP probes (GET / and the follow-ups it chooses) on plain TCP and over TLS. */
extern const struct probe probe_http, probe_https;
/* Shared by other HTTP-borne probes (ONVIF, UPnP): the http.* observations of one response to path
 * (server, headers, authenticate, location, cookies, title, body excerpt). */
void http_observe_response(struct probe_host *h, int port, const char *path, const uint8_t *buf,
                           size_t len, const struct http_response *r, const uint8_t *body,
                           size_t body_len);
/* The decoded body of a framed message in buf (into scratch of capacity cap when chunked). */
const uint8_t *http_body(const uint8_t *buf, size_t len, const struct http_response *r, uint8_t *scratch,
                         size_t cap, size_t *body_len);

#endif
