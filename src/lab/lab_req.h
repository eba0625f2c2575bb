/* lab_req.h: the request-line protocols the lab answers (HTTP/1.x, RTSP/1.0, and anything shaped like
 * them, such as nmap's SIP OPTIONS probe sent to an RTSP port).
 *
 * Pure parser, picohttpparser style: bytes in, views out (valid while the buffer is unchanged), three-way
 * return. Lenient where devices are lenient (bare LF line ends, a missing version), strict about size. */
#ifndef UNMASK_LAB_REQ_H
#define UNMASK_LAB_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAB_REQ_MAX_HEAD (16 * 1024) /* request line and headers */
#define LAB_REQ_MAX_BODY (64 * 1024) /* Content-Length cap (SOAP, RPC2_Login bodies are small) */

struct lab_span {
    const char *p; /* NULL when absent */
    size_t n;
};

struct lab_req {
    struct lab_span method, uri, version;
    struct lab_span path;    /* uri without scheme://authority, query and fragment ("/" if empty) */
    struct lab_span cseq;    /* CSeq header value (RTSP, SIP) */
    struct lab_span host;    /* Host header value */
    struct lab_span connection; /* Connection header value */
    struct lab_span body;
    bool has_content_length;
};

/* Parses one request at the start of buf. Returns the number of bytes it occupies (head and body, > 0),
 * UNMASK_EAGAIN if incomplete, UNMASK_EPARSE if malformed or over the caps. */
int lab_req_parse(const uint8_t *buf, size_t len, struct lab_req *out);

/* Case-insensitive search of needle in the span. */
bool lab_span_icontains(struct lab_span s, const char *needle);

#endif
