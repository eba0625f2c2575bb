/* test_lab.c: the lab's pure parts: templates, the request parser (tables and every split), the SNMP
 * agent (byte-exact against protocols.md section 8), the discovery recognisers, the mDNS encoder, and
 * the personality reader's diagnostics. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/lab/lab-int.h"
#include "../../src/lab/lab_disc.h"
#include "../../src/lab/lab_req.h"
#include "../../src/lab/lab_snmp.h"
#include "../../src/lab/lab_tmpl.h"
#include "../harness.h"

/* ---- templates ---- */

static bool lookup(void *ctx, const char *name, size_t n, const char *arg, size_t al,
                   struct sbuf *out)
{
    (void)ctx;
    if (n == 5 && !memcmp(name, "model", 5)) {
        sbuf_adds(out, "DS-2CD2386G2-IU");
        return true;
    }
    if (n == 3 && !memcmp(name, "mac", 3)) {
        sbuf_adds(out, arg && al ? "44-19-B6-00-00-01" : "44:19:b6:00:00:01");
        return true;
    }
    return false;
}

static bool known(void *ctx, const char *name, size_t n)
{
    (void)ctx;
    return (n == 5 && !memcmp(name, "model", 5)) || (n == 3 && !memcmp(name, "mac", 3));
}

static const struct {
    const char *in, *out;
} tmpl_cases[] = {
    { "plain", "plain" },
    { "a$$b", "a$b" },
    { "cost $5", "cost $5" },
    { "${model}/x", "DS-2CD2386G2-IU/x" },
    { "<MAC>${mac:DASH}</MAC>", "<MAC>44-19-B6-00-00-01</MAC>" },
    { "a${crlf}b${lf}${tab}", "a\r\nb\n\t" },
    { "${x:fffb01}", "\xff\xfb\x01" },
    { "${repeat:3:ab\\r\\n}", "ab\r\nab\r\nab\r\n" },
    { "${date:%Y}", "1970" },
    { "${date_lc:%a %b}", "thu jan" },
    { "len=${len}", "len=42" },
    { "${unknown}", "" },
};

TEST(tmpl_expand_table)
{
    for (size_t i = 0; i < sizeof tmpl_cases / sizeof *tmpl_cases; i++) {
        CONTEXT("case %zu: %s", i, tmpl_cases[i].in);
        uint64_t rng = 1;
        struct lab_tmpl_env env = { .lookup = lookup, .rng = &rng, .now = 0, .body_len = 42 };
        struct sbuf out;
        sbuf_init(&out, 1024);
        lab_tmpl_expand(tmpl_cases[i].in, strlen(tmpl_cases[i].in), &env, &out);
        CHECK_EQ_MEM(out.p, out.len, tmpl_cases[i].out, strlen(tmpl_cases[i].out));
        sbuf_deinit(&out);
    }
}

TEST(tmpl_rand_and_cap)
{
    uint64_t rng = 7;
    struct lab_tmpl_env env = { .lookup = lookup, .rng = &rng };
    struct sbuf out;
    sbuf_init(&out, 1024);
    lab_tmpl_expand("${rand:x32}", 11, &env, &out);
    REQUIRE(out.len == 32);
    for (size_t i = 0; i < out.len; i++)
        CHECK(strchr("0123456789abcdef", out.p[i]) != NULL);
    sbuf_reset(&out);
    lab_tmpl_expand("${rand:d9}", 10, &env, &out);
    CHECK_EQ_INT(out.len, 9);
    sbuf_deinit(&out);
    /* A repeat larger than the buffer's cap stops at the cap. */
    sbuf_init(&out, 100);
    lab_tmpl_expand("${repeat:1000:abc}", 18, &env, &out);
    CHECK_EQ_INT(out.len, 100);
    CHECK(out.truncated);
    sbuf_deinit(&out);
}

TEST(tmpl_check)
{
    static const char *const good[] = { "x", "${model}", "$$", "${x:00ff}", "${rand:A12}",
                                        "${date:%Y}", "${repeat:2:a\\x41}", "$ {model}" };
    static const char *const bad[] = { "${nosuch}", "${model", "${}", "${x:0}", "${x:zz}",
                                       "${rand:q3}", "${rand:x0}", "${repeat:2:\\q}",
                                       "${date:}", "${MODEL}" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CONTEXT("good %s", good[i]);
        CHECK(lab_tmpl_check(good[i], strlen(good[i]), known, NULL, NULL) == NULL);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("bad %s", bad[i]);
        CHECK(lab_tmpl_check(bad[i], strlen(bad[i]), known, NULL, NULL) != NULL);
    }
}

/* ---- requests ---- */

static const struct {
    const char *in;
    int rc; /* > 0: consumed = strlen(in) */
    const char *method, *path, *cseq;
} req_cases[] = {
    { "GET / HTTP/1.0\r\n\r\n", 1, "GET", "/", NULL },
    { "GET /ISAPI/Security/sessionLogin/capabilities?username=admin HTTP/1.1\r\nHost: x\r\n\r\n", 1,
      "GET", "/ISAPI/Security/sessionLogin/capabilities", NULL },
    { "OPTIONS rtsp://127.77.0.1:554/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 2\r\n\r\n", 1,
      "OPTIONS", "/Streaming/Channels/101", "2" },
    { "OPTIONS / RTSP/1.0\r\n\r\n", 1, "OPTIONS", "/", NULL },
    { "OPTIONS sip:nm SIP/2.0\r\nCSeq: 42 OPTIONS\r\n\r\n", 1, "OPTIONS", "sip:nm", "42 OPTIONS" },
    { "DESCRIBE rtsp://h RTSP/1.0\ncseq:  7 \n\n", 1, "DESCRIBE", "/", "7" },
    { "POST /RPC2_Login HTTP/1.1\r\nContent-Length: 4\r\n\r\n{\"a\"", 1, "POST", "/RPC2_Login",
      NULL },
    { "GET / HTTP/1.0\r\n", UNMASK_EAGAIN, NULL, NULL, NULL },
    { "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", UNMASK_EAGAIN, NULL, NULL, NULL },
    { "\r\n\r\n", UNMASK_EPARSE, NULL, NULL, NULL },
    { "GET\x01 / HTTP/1.0\r\n\r\n", UNMASK_EPARSE, NULL, NULL, NULL },
    { "POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", UNMASK_EPARSE, NULL, NULL, NULL },
    { "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", UNMASK_EPARSE, NULL, NULL, NULL },
};

static bool span_is(struct lab_span s, const char *z)
{
    if (!z)
        return s.p == NULL;
    return s.p && s.n == strlen(z) && !memcmp(s.p, z, s.n);
}

TEST(req_table)
{
    for (size_t i = 0; i < sizeof req_cases / sizeof *req_cases; i++) {
        CONTEXT("case %zu", i);
        const char *in = req_cases[i].in;
        struct lab_req r;
        int rc = lab_req_parse((const uint8_t *)in, strlen(in), &r);
        if (req_cases[i].rc > 0) {
            CHECK_EQ_INT(rc, (int)strlen(in));
            CHECK(span_is(r.method, req_cases[i].method));
            CHECK(span_is(r.path, req_cases[i].path));
            CHECK(span_is(r.cseq, req_cases[i].cseq));
        } else {
            CHECK_EQ_INT(rc, req_cases[i].rc);
        }
    }
}

TEST(req_every_split)
{
    /* Fed one byte more at a time, a complete request is incomplete until its last byte. */
    for (size_t i = 0; i < sizeof req_cases / sizeof *req_cases; i++) {
        if (req_cases[i].rc <= 0)
            continue;
        const char *in = req_cases[i].in;
        size_t n = strlen(in);
        for (size_t k = 0; k < n; k++) {
            CONTEXT("case %zu, %zu bytes", i, k);
            struct lab_req r;
            CHECK_EQ_INT(lab_req_parse((const uint8_t *)in, k, &r), UNMASK_EAGAIN);
        }
    }
}

TEST(req_head_cap)
{
    size_t n = LAB_REQ_MAX_HEAD + 10;
    char *big = malloc(n);
    memset(big, 'a', n);
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    struct lab_req r;
    CHECK_EQ_INT(lab_req_parse((const uint8_t *)big, n, &r), UNMASK_EPARSE);
    free(big);
}

/* ---- SNMP ---- */

static void snmp_value(void *ctx, const struct lab_snmp_obj *o, struct sbuf *out)
{
    (void)ctx;
    sbuf_adds(out, o->value);
}

/* protocols.md section 8: GetRequest for sysDescr.0 and sysObjectID.0, and the 89-byte GetResponse a
 * Hikvision NVR sends (values of librenms tests/snmpsim/hikvision-nvr.snmprec). */
static const uint8_t get_req[] = {
    0x30, 0x35, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa0, 0x28, 0x02,
    0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x1c, 0x30, 0x0c, 0x06, 0x08,
    0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00, 0x30, 0x0c, 0x06, 0x08, 0x2b,
    0x06, 0x01, 0x02, 0x01, 0x01, 0x02, 0x00, 0x05, 0x00,
};
static const uint8_t get_resp[] = {
    0x30, 0x57, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa2, 0x4a, 0x02,
    0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x3e, 0x30, 0x26, 0x06, 0x08,
    0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x04, 0x1a, 'H', 'i', 'k', 'v', 'i', 's',
    'i', 'o', 'n', ' ', 'c', 'o', 'm', 'p', 'a', 'n', 'y', ' ', 'p', 'r', 'o', 'd', 'u', 'c',
    't', 's', 0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x02, 0x00, 0x06,
    0x08, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0x86, 0x51,
};

static struct lab_snmp_obj nvr_objs[] = {
    { { 1, 3, 6, 1, 2, 1, 1, 1, 0 }, 9, LAB_SNMP_STRING, (char *)"Hikvision company products" },
    { { 1, 3, 6, 1, 2, 1, 1, 2, 0 }, 9, LAB_SNMP_OID, (char *)"1.3.6.1.4.1.50001" },
    { { 1, 3, 6, 1, 4, 1, 50001, 1, 1, 0 }, 10, LAB_SNMP_IPADDR, (char *)"192.168.1.64" },
};
static const struct lab_snmp_obj *nvr_mib[] = { &nvr_objs[0], &nvr_objs[1], &nvr_objs[2] };

TEST(snmp_get_byte_exact)
{
    struct lab_snmp_req req;
    REQUIRE(lab_snmp_parse(get_req, sizeof get_req, &req) == 0);
    CHECK_EQ_INT(req.version, 1);
    CHECK_EQ_INT(req.pdu, LAB_SNMP_GET);
    CHECK_EQ_INT(req.request_id, 0x1234);
    CHECK_EQ_INT(req.n_vb, 2);
    uint8_t out[512];
    long n = lab_snmp_answer(&req, nvr_mib, 3, snmp_value, NULL, 0, out, sizeof out);
    CHECK_EQ_MEM(out, n > 0 ? (size_t)n : 0, get_resp, sizeof get_resp);
}

TEST(snmp_getnext_and_missing)
{
    /* GetNext of sysObjectID.0 gives the 50001 object; v2c GET of a missing OID gives noSuchObject. */
    static const uint8_t next_req[] = { 0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l',
                                        'i', 'c', 0xa1, 0x1c, 0x02, 0x01, 0x05, 0x02, 0x01, 0x00,
                                        0x02, 0x01, 0x00, 0x30, 0x11, 0x30, 0x0f, 0x06, 0x0b, 0x2b,
                                        0x06, 0x01, 0x04, 0x01, 0x82, 0xb1, 0x7d, 0x01, 0x01, 0x00,
                                        0x05, 0x00 };
    struct lab_snmp_req req;
    REQUIRE(lab_snmp_parse(next_req, sizeof next_req, &req) == 0);
    CHECK_EQ_INT(req.pdu, LAB_SNMP_GETNEXT);
    CHECK_EQ_INT(req.oid_len[0], 10);
    CHECK_EQ_INT(req.oid[0][6], 39165);
    uint8_t out[512];
    long n = lab_snmp_answer(&req, nvr_mib, 3, snmp_value, NULL, 0, out, sizeof out);
    REQUIRE(n > 0);
    /* 39165 < 50001: the next object is 1.3.6.1.4.1.50001.1.1.0, an IpAddress 192.168.1.64 */
    static const uint8_t ip[] = { 0x40, 0x04, 192, 168, 1, 64 };
    CHECK(memmem(out, (size_t)n, ip, sizeof ip) != NULL);
    req.pdu = LAB_SNMP_GET;
    n = lab_snmp_answer(&req, nvr_mib, 3, snmp_value, NULL, 0, out, sizeof out);
    REQUIRE(n > 2);
    CHECK(out[n - 2] == 0x80 && out[n - 1] == 0x00);
    /* v1: noSuchName, error-index 1 */
    req.version = 0;
    n = lab_snmp_answer(&req, nvr_mib, 3, snmp_value, NULL, 0, out, sizeof out);
    static const uint8_t err[] = { 0x02, 0x01, 0x02, 0x02, 0x01, 0x01 };
    CHECK(n > 0 && memmem(out, (size_t)n, err, sizeof err) != NULL);
}

TEST(snmp_rejects)
{
    static const struct {
        const char *hex;
    } bad[] = {
        { "307f020101" },                              /* length past the end */
        { "3080020101" },                              /* indefinite length */
        { "3084ffffffff020101" },                      /* absurd long form */
        { "300b020103040670756c6c6963" },              /* v3 */
        { "3011020101040670756c6963a304020100" },     /* SetRequest */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("bad %zu", i);
        uint8_t b[64];
        size_t n = strlen(bad[i].hex) / 2;
        for (size_t k = 0; k < n; k++) {
            unsigned v;
            sscanf(bad[i].hex + 2 * k, "%2x", &v);
            b[k] = (uint8_t)v;
        }
        struct lab_snmp_req req;
        CHECK_EQ_INT(lab_snmp_parse(b, n, &req), UNMASK_EPARSE);
    }
}

/* ---- discovery ---- */

TEST(disc_recognisers)
{
    static const char sadp[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>ABC-1</Uuid>"
                               "<Types>inquiry</Types></Probe>";
    struct lab_span s;
    REQUIRE(lab_sadp_match((const uint8_t *)sadp, strlen(sadp), &s));
    CHECK(span_is(s, "ABC-1"));
    CHECK(!lab_sadp_match((const uint8_t *)"<Probe><Types>reset</Types></Probe>", 35, &s));
    static const char wsd[] =
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Header><a:MessageID>"
        "uuid:1111</a:MessageID></s:Header><s:Body><wsd:Probe xmlns:wsd=\"http://schemas.xmlsoap.org/"
        "ws/2005/04/discovery\"/></s:Body></s:Envelope>";
    REQUIRE(lab_wsd_match((const uint8_t *)wsd, strlen(wsd), &s));
    CHECK(span_is(s, "uuid:1111"));
    static const char hello[] = "<s:Envelope><s:Body><d:Hello xmlns:d=\"http://schemas.xmlsoap.org/"
                                "ws/2005/04/discovery\"/></s:Body></s:Envelope>";
    CHECK(!lab_wsd_match((const uint8_t *)hello, strlen(hello), &s));
    static const char ssdp[] = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "
                               "\"ssdp:discover\"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n";
    REQUIRE(lab_ssdp_match((const uint8_t *)ssdp, strlen(ssdp), &s));
    CHECK(span_is(s, "upnp:rootdevice"));
    static const uint8_t dhip[] = "\x20\x00\x00\x00" "DHIP" "\0\0\0\0\0\0\0\0\x3a\0\0\0\0\0\0\0"
                                  "\x3a\0\0\0\0\0\0\0"
                                  "{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\",\"uni\":1}}";
    CHECK(lab_dhip_match(dhip, sizeof dhip - 1));
    CHECK(!lab_dhip_match(dhip, 31));
}

TEST(mdns_answer)
{
    /* A PTR question for _CGI._tcp.local from port 5353 (not legacy): PTR answer, SRV/TXT/A extra. */
    static const uint8_t q[] = { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, '_', 'C', 'G', 'I', 4,
                                 '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 12, 0, 1 };
    struct lab_mdns_rec rec = { "_CGI._tcp.local", "HIKVISION DS-2CD2722FWD-IZS - 733050075",
                                "DS-2CD2722FWD-IZS20170321BBWR733050075", 80, "path=/", 0x7f4d0001 };
    uint8_t out[1024];
    long n = lab_mdns_answer(q, sizeof q, &rec, false, out, sizeof out);
    REQUIRE(n > 12);
    CHECK_EQ_INT(out[0] << 8 | out[1], 0); /* multicast answers carry id 0 */
    CHECK_EQ_INT(out[2], 0x84);
    CHECK_EQ_INT(out[7], 1);  /* one answer */
    CHECK_EQ_INT(out[11], 3); /* SRV, TXT, A as additional records */
    CHECK(memmem(out, (size_t)n, "\x27HIKVISION DS-2CD2722FWD-IZS - 733050075", 40) != NULL);
    n = lab_mdns_answer(q, sizeof q, &rec, true, out, sizeof out);
    REQUIRE(n > 12);
    CHECK_EQ_INT(out[0] << 8 | out[1], 0x1234); /* legacy unicast echoes the id and question */
    CHECK_EQ_INT(out[5], 1);
    static const uint8_t other[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, '_', 'h', 't', 't', 'p',
                                     4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 12, 0, 1 };
    CHECK_EQ_INT(lab_mdns_answer(other, sizeof other, &rec, false, out, sizeof out), 0);
    static const uint8_t loop[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1 };
    CHECK_EQ_INT(lab_mdns_answer(loop, sizeof loop, &rec, false, out, sizeof out), -1);
}

/* ---- personality files ---- */

static void count_diag(void *ctx, const char *file, int line, const char *msg)
{
    (void)file;
    (void)line;
    (void)msg;
    ++*(int *)ctx;
}

TEST(dev_errors)
{
    static const struct {
        const char *text;
        int errors;
    } cases[] = {
        { "personality a\n  title A\n  verdict covered\n  source s\n  tcp 80 http\n"
          "reply http GET /\n  source s\n  head <<E\nHTTP/1.1 200 OK\nE\n",
          0 },
        { "personality a\n  title A\n  verdict nope\n  source s\n", 2 }, /* bad + missing verdict */
        { "personality a\n  title A\n  verdict covered\n  source s\n"
          "reply http GET /\n  source s\n  head <<E\nx\nE\n",
          1 }, /* a reply for a port the personality lacks */
        { "personality a\n  title A\n  verdict covered\n  source s\n  tcp 80 http\n"
          "reply http GET /\n  head <<E\n${nosuch}\nE\n",
          2 }, /* no source, unknown variable */
        { "personality a\n  title A\n  verdict covered\n  source s\n  base b\n", 1 },
        { "personality a\n  title A\n  verdict covered\n  source s\n  tcp 80 http\n"
          "reply http GET /\n  source s\n  head <<E\nnever closed\n",
          2 }, /* unclosed text, then no parts */
        { "reply udp 1\n", 1 },
        { "personality a\n  title A\n  verdict covered\n  source s\n  tcp 99999 http\n", 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CONTEXT("case %zu", i);
        int n = 0;
        struct lab_set set;
        lab_set_init(&set, count_diag, &n);
        lab_dev_parse(&set, "t.dev", cases[i].text, strlen(cases[i].text));
        lab_dev_finish(&set);
        CHECK_EQ_INT(set.n_errors, cases[i].errors);
        lab_set_deinit(&set);
    }
}

TEST(dev_base_and_build)
{
    static const char text[] =
        "personality base\n  title B\n  verdict covered\n  source s\n  mac 44:19:b6\n"
        "  set model M1\n  set serial ${model}X\n  tcp 80 http\n  udp 37020 sadp\n"
        "reply http GET /\n  source s\n  head <<E\nHTTP/1.1 200 OK\nContent-Length: ${len}\nE\n"
        "  body <<E\n${serial}\nE\n"
        "personality child\n  title C\n  base base\n  verdict white-label\n  source s\n"
        "  set model M2\n  udp 37020 closed\n";
    int n = 0;
    struct lab_set set;
    lab_set_init(&set, count_diag, &n);
    lab_dev_parse(&set, "t.dev", text, sizeof text - 1);
    REQUIRE(lab_dev_finish(&set) == 0);
    const struct lab_pers *child = lab_set_find(&set, "child");
    REQUIRE(child != NULL);
    CHECK_EQ_INT(lab_pers_svc(child, false, 80), LAB_SVC_HTTP);
    CHECK_EQ_INT(lab_pers_svc(child, true, 37020), LAB_SVC_NONE);
    struct lab_opts o = { .base = 0x7f4d0001, .n_hosts = 2, .seed = 3, .only = "child" };
    struct lab *lab;
    REQUIRE(lab_new(&set, &o, &lab) == 0);
    struct lab_req req = { .method = { "GET", 3 }, .path = { "/", 1 } };
    const struct lab_reply *r = lab_match_req(child, LAB_R_HTTP, &req, 80);
    REQUIRE(r != NULL);
    struct lab_rctx c = { .lab = lab, .dev = &lab->dev[0], .lport = 80, .req = &req };
    struct sbuf out;
    sbuf_init(&out, 4096);
    lab_reply_build(r, &c, &out);
    /* the base's serial sees the child's model; Content-Length counts "M2X\n" */
    static const char want[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nM2X\n";
    CHECK_EQ_MEM(out.p, out.len, want, sizeof want - 1);
    CHECK(lab->dev[0].has_mac && lab->dev[0].mac[0] == 0x44 && lab->dev[0].mac[2] == 0xb6);
    CHECK(memcmp(lab->dev[0].mac, lab->dev[1].mac, 6) != 0);
    sbuf_deinit(&out);
    lab_free(lab);
    lab_set_deinit(&set);
}

HARNESS_MAIN(T(tmpl_expand_table), T(tmpl_rand_and_cap), T(tmpl_check), T(req_table),
             T(req_every_split), T(req_head_cap), T(snmp_get_byte_exact), T(snmp_getnext_and_missing),
             T(snmp_rejects), T(disc_recognisers), T(mdns_answer), T(dev_errors),
             T(dev_base_and_build))
