/* test_proto_http.c: the HTTP/RTSP response parser and framing (src/proto/http.c), with real device
 * responses from protocols.md (4.2, 4.3, 4.7, 5.2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/proto/http.h"
#include "../../src/proto/rtsp.h"
#include "../harness.h"

/* Hikvision NVR 401 (protocols.md 4.3 item 2, hikvision_next issue 50). */
static const char nvr401[] =
    "HTTP/1.1 401 Unauthorized\r\n"
    "Date: Sun, 28 May 2023 09:56:24 GMT\r\n"
    "Server: DNVRS-Webs\r\n"
    "Cache-Control: no-cache\r\n"
    "Content-Length: 138\r\n"
    "Content-Type: application/xml; charset=\"UTF-8\"\r\n"
    "Connection: keep-alive\r\n"
    "Keep-Alive: timeout=60, max=99\r\n"
    "WWW-Authenticate: Digest realm=\"fe12f37bdXXXXXbccbbd35f1\", domain=\"::\", qop=\"auth\", "
    "nonce=\"300b7e88f3d69ebfXXXXXf3e2f04218a:1685XXXXX4756\", opaque=\"\", algorithm=\"MD5\", stale=\"FALSE\"\r\n"
    "\r\n"
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<userCheck>\n<statusValue>401</statusValue>\n"
    "<statusString>Unauthorized</statusString>\n</userCheck>\n";

/* Dahua 200 with upper-case header names (protocols.md 5.2, rroller/dahua issue 101). */
static const char dahua200[] = "HTTP/1.1 200 OK\r\n"
                               "X-XSS-Protection: 1;mode=block\r\n"
                               "Content-type: text/plain;charset=utf-8\r\n"
                               "CONNECTION: close\r\n"
                               "CONTENT-LENGTH: 5\r\n"
                               "\r\n"
                               "hello";

/* Hikvision RTSP OPTIONS (protocols.md 4.7): no Server, two spaces after "Date:". */
static const char hikrtsp[] = "RTSP/1.0 200 OK\r\n"
                              "CSeq: 1\r\n"
                              "Public: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\n"
                              "Date:  Thu, May 14 2020 16:45:35 GMT\r\n"
                              "\r\n";

static const char chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";

TEST(head_nvr_401)
{
    struct http_response r;
    int n = http_parse_head((const uint8_t *)nvr401, strlen(nvr401), "HTTP/", &r);
    REQUIRE(n > 0);
    CHECK_EQ_INT(r.status, 401);
    CHECK_EQ_INT(r.minor, 1);
    CHECK_EQ_INT(r.content_length, 138);
    CHECK_EQ_INT(r.n_headers, 8);
    const struct http_header *h = http_header_find(&r, "server");
    REQUIRE(h);
    CHECK_EQ_MEM(h->value, h->value_len, "DNVRS-Webs", 10);
    h = http_header_find(&r, "WWW-Authenticate");
    REQUIRE(h);
    CHECK(h->value_len > 20 && !memcmp(h->value, "Digest realm=", 13));
    CHECK_EQ_INT(http_frame_message((const uint8_t *)nvr401, strlen(nvr401), "HTTP/", false),
                 (long long)strlen(nvr401));
}

TEST(head_case_and_spacing_kept)
{
    struct http_response r;
    REQUIRE(http_parse_head((const uint8_t *)dahua200, strlen(dahua200), "HTTP/", &r) > 0);
    CHECK_EQ_INT(r.content_length, 5);
    CHECK_EQ_MEM(r.headers[3].line, r.headers[3].line_len, "CONTENT-LENGTH: 5", 17);
    REQUIRE(http_parse_head((const uint8_t *)hikrtsp, strlen(hikrtsp), "RTSP/", &r) > 0);
    const struct http_header *d = http_header_find(&r, "Date");
    REQUIRE(d);
    CHECK_EQ_MEM(d->line, d->line_len, "Date:  Thu, May 14 2020 16:45:35 GMT", 36);
    CHECK(!http_header_find(&r, "Server"));
    /* RTSP without Content-Length has no body: complete at the blank line. */
    CHECK_EQ_INT(http_frame_message((const uint8_t *)hikrtsp, strlen(hikrtsp), "RTSP/", false),
                 (long long)strlen(hikrtsp));
}

TEST(bad_status_lines)
{
    static const char *const bad[] = {
        "HTTP/1.1 20 OK\r\n\r\n", "HTTP/x.1 200 OK\r\n\r\n", "SSH-2.0-OpenSSH\r\n", "HTTP/1.1 abc\r\n\r\n",
        "RTSP/1.0 200 OK\r\n\r\n", /* asked as HTTP */ "<html>", "HTTP/1.1 099 Low\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("case %zu", i);
        struct http_response r;
        CHECK_EQ_INT(http_parse_head((const uint8_t *)bad[i], strlen(bad[i]), "HTTP/", &r), UNMASK_EPARSE);
    }
}

TEST(every_split_gives_the_same_result)
{
    static const char *const msgs[] = { nvr401, dahua200, chunked };
    for (size_t m = 0; m < sizeof msgs / sizeof *msgs; m++) {
        size_t len = strlen(msgs[m]);
        for (size_t cut = 0; cut < len; cut++) {
            CONTEXT("message %zu cut at %zu", m, cut);
            int r = http_frame_message((const uint8_t *)msgs[m], cut, "HTTP/", false);
            if (r != UNMASK_EAGAIN)
                CHECK_EQ_INT(r, UNMASK_EAGAIN);
        }
        CHECK_EQ_INT(http_frame_message((const uint8_t *)msgs[m], len, "HTTP/", false), (long long)len);
    }
}

TEST(chunked_body)
{
    struct http_response r;
    REQUIRE(http_parse_head((const uint8_t *)chunked, strlen(chunked), "HTTP/", &r) > 0);
    CHECK(r.chunked);
    uint8_t out[64];
    size_t n;
    const uint8_t *b = http_body((const uint8_t *)chunked, strlen(chunked), &r, out, sizeof out, &n);
    CHECK_EQ_MEM(b, n, "hello, world", 12);
    /* A cut chunk ends the body; a tiny output buffer cuts it. */
    CHECK_EQ_INT(http_dechunk((const uint8_t *)"5\r\nhel", 6, out, sizeof out), 3);
    CHECK_EQ_INT(http_dechunk((const uint8_t *)"5\r\nhello\r\n0\r\n\r\n", 15, out, 2), 2);
    CHECK_EQ_INT(http_frame_message((const uint8_t *)"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                                    51, "HTTP/", false),
                 51);
}

TEST(body_until_close)
{
    static const char m[] = "HTTP/1.0 200 OK\r\nServer: App-webs/\r\n\r\n<html>";
    CHECK_EQ_INT(http_frame_message((const uint8_t *)m, strlen(m), "HTTP/", false), UNMASK_EAGAIN);
    CHECK_EQ_INT(http_frame_message((const uint8_t *)m, strlen(m), "HTTP/", true), (long long)strlen(m));
    static const char nobody[] = "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n";
    CHECK_EQ_INT(http_frame_message((const uint8_t *)nobody, strlen(nobody), "HTTP/", false),
                 (long long)strlen(nobody));
}

TEST(huge_head_is_refused)
{
    size_t len = HTTP_MAX_HEAD + 4096;
    char *big = malloc(len);
    memcpy(big, "HTTP/1.1 200 OK\r\n", 17);
    for (size_t i = 17; i < len; i += 16)
        memcpy(big + i, "X-Pad: aaaaaaa\r\n", i + 16 <= len ? 16 : len - i);
    struct http_response r;
    CHECK_EQ_INT(http_parse_head((const uint8_t *)big, len, "HTTP/", &r), UNMASK_ELIMIT);
    CHECK_EQ_INT(http_frame_message((const uint8_t *)big, len, "HTTP/", false), UNMASK_EPARSE);
    free(big);
}

TEST(titles)
{
    static const struct {
        const char *body, *title;
    } cases[] = {
        { "<html><head><title>WEB SERVICE</title>", "WEB SERVICE" },
        { "<TITLE lang=en>\n  Document Error: Unauthorized \n</TITLE>", "Document Error: Unauthorized" },
        { "<title></title>", "" },
        { "<title>no end", NULL },
        { "no title", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CONTEXT("case %zu", i);
        size_t n;
        const char *t = http_title((const uint8_t *)cases[i].body, strlen(cases[i].body), &n);
        if (!cases[i].title) {
            CHECK(t == NULL);
        } else {
            REQUIRE(t);
            CHECK_EQ_MEM(t, n, cases[i].title, strlen(cases[i].title));
        }
    }
}

static size_t n_sdp;
static void count_sdp(void *ctx, const char *line, size_t n)
{
    (void)ctx;
    CHECK(n >= 2 && line[0] == 'a' && line[1] == '=');
    n_sdp++;
}

TEST(sdp_attributes)
{
    static const char sdp[] = "v=0\r\ns=Media Presentation\r\na=appversion:1.0\r\nm=video 0 RTP/AVP 96\r\n"
                              "a=Media_header:MEDIAINFO=494D4B48010200000400000101200110803E0000803E0000;\r\n"
                              "a=";
    n_sdp = 0;
    CHECK_EQ_INT(rtsp_sdp_attributes((const uint8_t *)sdp, strlen(sdp), count_sdp, NULL), 3);
    CHECK_EQ_INT(n_sdp, 3);
}

HARNESS_MAIN(T(head_nvr_401), T(head_case_and_spacing_kept), T(bad_status_lines),
             T(every_split_gives_the_same_result), T(chunked_body), T(body_until_close),
             T(huge_head_is_refused), T(titles), T(sdp_attributes))
