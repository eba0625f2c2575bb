/* test_nmapxml.c: the nmap XML importer (src/importer/): the service fingerprint decoder, the raw
 * response reader (banner.c) and whole documents: the real loopback scans made with Debian's nmap
 * (tests/fixtures/nmap/), the hand-written script shapes, and hostile documents (entity bombs,
 * truncation, other XML). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/importer/banner.h"
#include "../../src/importer/nmapxml.h"
#include "../../src/importer/servicefp.h"
#include "../harness.h"

/* ---- servicefp ------------------------------------------------------------------------------ */

TEST(servicefp_decode)
{
    static const char fp[] =
        "SF-Port18080-TCP:V=7.93%I=7%D=11/27%Time=6B095A5A%P=x86_64-pc-linux-gnu%r(GetRequest,1C,"
        "\"HTTP/1\\.1\\x20200\\x20OK\\r\\nA:\\x20\\\"q\\\"\")%r(NULL,3,\"\\0\\xffz\");";
    size_t pos = 0, len;
    char probe[SERVICEFP_MAX_PROBE], out[256];
    CHECK_EQ_INT(servicefp_next(fp, strlen(fp), &pos, probe, out, sizeof out, &len), 1);
    CHECK_EQ_STR(probe, "GetRequest");
    CHECK_EQ_MEM(out, len, "HTTP/1.1 200 OK\r\nA: \"q\"", 23);
    CHECK_EQ_INT(servicefp_next(fp, strlen(fp), &pos, probe, out, sizeof out, &len), 1);
    CHECK_EQ_STR(probe, "NULL");
    CHECK_EQ_MEM(out, len, "\0\xffz", 3);
    CHECK_EQ_INT(servicefp_next(fp, strlen(fp), &pos, probe, out, sizeof out, &len), 0);
}

TEST(servicefp_bad)
{
    static const char *const bad[] = {
        "%r(GetRequest", "%r(GetRequest,zz,\"a\")", "%r(X,1,\"abc", "%r(X,1,\"a\"", "%r(X,1,a)",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("bad[%zu] %s", i, bad[i]);
        size_t pos = 0, len;
        char probe[SERVICEFP_MAX_PROBE], out[16];
        CHECK_EQ_INT(servicefp_next(bad[i], strlen(bad[i]), &pos, probe, out, sizeof out, &len),
                     UNMASK_EPARSE);
        CHECK(pos > 0 && pos <= strlen(bad[i]));
    }
    /* Data longer than the output is cut, not overflowed. */
    static const char fp[] = "%r(X,8,\"abcdefgh\")";
    size_t pos = 0, len;
    char probe[SERVICEFP_MAX_PROBE], out[4];
    CHECK_EQ_INT(servicefp_next(fp, strlen(fp), &pos, probe, out, sizeof out, &len), 1);
    CHECK_EQ_INT(len, 4);
}

/* ---- banner --------------------------------------------------------------------------------- */

static const char *obs_of(const struct device *d, const char *name)
{
    for (size_t i = 0; i < d->n_obs; i++)
        if (!strcmp(d->obs[i].name, name))
            return d->obs[i].value;
    return NULL;
}

TEST(banner_protocols)
{
    struct device d;
    obs_device_init(&d);
    static const char http[] = "HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\nWWW-Authenticate: "
                               "Digest realm=\"IP Camera(C2875)\"\r\n\r\n<html><TITLE> Login </TITLE>";
    CHECK_EQ_INT(banner_observe(&d, http, sizeof http - 1, 80, "http", "/"), 5);
    CHECK_EQ_STR(obs_of(&d, "http.server"), "App-webs/");
    CHECK_EQ_STR(obs_of(&d, "http.www_authenticate"), "Digest realm=\"IP Camera(C2875)\"");
    CHECK_EQ_STR(obs_of(&d, "http.title"), "Login");
    CHECK_EQ_STR(d.obs[0].path, "/");
    CHECK_EQ_INT(d.obs[0].port, 80);
    /* The same response again adds nothing. */
    CHECK_EQ_INT(banner_observe(&d, http, sizeof http - 1, 80, "http", "/"), 0);
    obs_device_reset(&d);

    static const char rtsp[] = "RTSP/1.0 200 OK\r\nServer: Dahua Rtsp Server\r\n\r\n";
    banner_observe(&d, rtsp, sizeof rtsp - 1, 554, NULL, NULL);
    CHECK_EQ_STR(obs_of(&d, "rtsp.server"), "Dahua Rtsp Server");
    obs_device_reset(&d);

    static const char ssh[] = "SSH-2.0-HUAWEI-1.5\r\nmore";
    banner_observe(&d, ssh, sizeof ssh - 1, 22, NULL, NULL);
    CHECK_EQ_STR(obs_of(&d, "ssh.banner"), "SSH-2.0-HUAWEI-1.5");
    obs_device_reset(&d);

    static const char telnet[] = "\xff\xfd\x01\xff\xfa\x18\x01\xff\xf0" "192.0.0.64 login: ";
    banner_observe(&d, telnet, sizeof telnet - 1, 23, NULL, NULL);
    CHECK_EQ_STR(obs_of(&d, "telnet.banner"), "192.0.0.64 login:");
    obs_device_reset(&d);

    static const char ftp[] = "220 DVR FTP server ready\r\n";
    banner_observe(&d, ftp, sizeof ftp - 1, 21, NULL, NULL);
    CHECK_EQ_STR(obs_of(&d, "ftp.banner"), "220 DVR FTP server ready");
    obs_device_reset(&d);

    /* Unknown bytes, and truncated protocol heads, give nothing and read nothing past len. */
    CHECK_EQ_INT(banner_observe(&d, "\x16\x03\x01", 3, 443, NULL, NULL), 0);
    CHECK_EQ_INT(banner_observe(&d, "HTTP/1.1 200", 12, 80, NULL, NULL), 0);
    CHECK_EQ_INT(banner_observe(&d, "SSH-", 4, 22, NULL, NULL), 1);
    obs_device_deinit(&d);
}

/* ---- whole documents ------------------------------------------------------------------------ */

#define MAX_HOSTS 16

struct seen {
    size_t n;
    struct {
        long line;
        char address[64], mac[64];
        char obs[2048]; /* "name=value\n" for each observation */
    } host[MAX_HOSTS];
    size_t problems;
    long problem_line;
    char problem[256];
};

static int on_host(void *ctx, const struct nmap_host *h)
{
    struct seen *s = ctx;
    if (s->n >= MAX_HOSTS)
        return 1;
    s->host[s->n].line = h->line;
    snprintf(s->host[s->n].address, 64, "%s", h->address ? h->address : "");
    snprintf(s->host[s->n].mac, 64, "%s", h->mac ? h->mac : "");
    char *o = s->host[s->n].obs;
    size_t used = 0;
    o[0] = '\0';
    for (size_t i = 0; i < h->d->n_obs; i++) {
        int k = snprintf(o + used, 2048 - used, "%s=%s\n", h->d->obs[i].name, h->d->obs[i].value);
        if (k < 0 || (size_t)k >= 2048 - used)
            break;
        used += (size_t)k;
    }
    s->n++;
    return 0;
}

static void on_problem(void *ctx, long line, const char *msg)
{
    struct seen *s = ctx;
    if (!s->problems++) {
        s->problem_line = line;
        snprintf(s->problem, sizeof s->problem, "%s", msg);
    }
}

static int read_doc(const char *buf, size_t len, struct seen *s)
{
    memset(s, 0, sizeof *s);
    struct nmapxml_sink sink = { .host = on_host, .problem = on_problem, .ctx = s };
    return nmapxml_read_buf(buf, len, &sink);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

TEST(doc_loopback_sV)
{
    size_t len;
    char *doc = slurp("tests/fixtures/nmap/loopback-sV.xml", &len);
    REQUIRE(doc);
    static struct seen s;
    CHECK_EQ_INT(read_doc(doc, len, &s), UNMASK_OK);
    CHECK_EQ_INT(s.problems, 0);
    REQUIRE(s.n == 4);
    CHECK_EQ_STR(s.host[0].address, "127.0.0.2");
    CHECK_EQ_INT(s.host[0].line, 9);
    /* nmap did not name the service: the server comes from the raw responses. */
    CHECK_CONTAINS(s.host[0].obs, "http.server=DNVRS-Webs\n");
    CHECK_CONTAINS(s.host[0].obs, "http.title=Index\n");
    CHECK_CONTAINS(s.host[1].obs, "rtsp.server=Dahua Rtsp Server\n");
    CHECK_CONTAINS(s.host[1].obs, "rtsp.header=Public: OPTIONS, DESCRIBE");
    CHECK_CONTAINS(s.host[2].obs, "ssh.banner=SSH-2.0-HUAWEI-1.5\n");
    CHECK_CONTAINS(s.host[2].obs, "nmap.product=Huawei WAP sshd\n");
    CHECK_CONTAINS(s.host[3].obs, "http.server=Apache/2.4.57 (Debian)\n");
    CHECK_CONTAINS(s.host[3].obs, "http.title=Welcome\n");
    CHECK_CONTAINS(s.host[3].obs, "nmap.cpe=cpe:/a:apache:http_server:2.4.57\n");
    /* Closed ports give nothing. */
    CHECK(!strstr(s.host[2].obs, "nmap.service=unknown"));
    free(doc);
}

TEST(doc_loopback_scripts)
{
    size_t len;
    char *doc = slurp("tests/fixtures/nmap/loopback-scripts.xml", &len);
    REQUIRE(doc);
    static struct seen s;
    CHECK_EQ_INT(read_doc(doc, len, &s), UNMASK_OK);
    REQUIRE(s.n == 2);
    CHECK_CONTAINS(s.host[0].obs, "tls.subject=CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,"
                                  "L=HangZhou,ST=ZheJiang,C=CN\n");
    CHECK_CONTAINS(s.host[1].obs, "telnet.banner=192.0.0.64 login:\n");
    free(doc);
}

TEST(doc_synthetic)
{
    size_t len;
    char *doc = slurp("tests/fixtures/nmap/synthetic.xml", &len);
    REQUIRE(doc);
    static struct seen s;
    CHECK_EQ_INT(read_doc(doc, len, &s), UNMASK_OK);
    REQUIRE(s.n == 3); /* the host that is down is not judged */
    CHECK_EQ_STR(s.host[0].mac, "44:19:B6:12:34:56");
    CHECK_CONTAINS(s.host[0].obs, "mac.org=Hangzhou Hikvision Digital Technology\n");
    CHECK_CONTAINS(s.host[0].obs, "snmp.sysdescr=Hikvision company products\n");
    CHECK_CONTAINS(s.host[0].obs, "http.favicon_md5=89b932fcc47cf4ca3faadb0cfdef89cf\n");
    CHECK(!strstr(s.host[0].obs, "ignored"));
    CHECK_CONTAINS(s.host[1].obs, "tls.subject=CN=NVR,OU=NVR,O=ZheJiang Dahua Technology CO.\\,LTD.,"
                                  "L=Hangzhou,ST=Zhejiang,C=CN\n");
    CHECK_CONTAINS(s.host[2].obs, "upnp.manufacturer=Lorex\n");
    CHECK_CONTAINS(s.host[2].obs, "upnp.model=LNB8005\n");
    CHECK_CONTAINS(s.host[2].obs, "ssh.banner=SSH-2.0-HUAWEI-1.5\n"); /* a host script */
    free(doc);
}

TEST(doc_hostile)
{
    static struct seen s;
    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun [\n <!ENTITY a \"aaaaaaaaaa\">\n"
        " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<nmaprun>&b;</nmaprun>\n";
    CHECK_EQ_INT(read_doc(bomb, sizeof bomb - 1, &s), UNMASK_EPARSE);
    CHECK_EQ_INT(s.problem_line, 3);
    CHECK_CONTAINS(s.problem, "declares XML entities");

    /* The declaration across the reader's input chunks is still seen. */
    for (size_t pad = 4060; pad < 4110; pad += 3) {
        CONTEXT("pad %zu", pad);
        char *doc = malloc(pad + 200);
        size_t n = (size_t)snprintf(doc, 64, "<?xml version=\"1.0\"?>\n<!-- ");
        memset(doc + n, 'x', pad - n);
        n = pad;
        n += (size_t)snprintf(doc + n, 200, " -->\n<!DOCTYPE r [<!ENTITY e \"x\">]><nmaprun/>");
        CHECK_EQ_INT(read_doc(doc, n, &s), UNMASK_EPARSE);
        CHECK_CONTAINS(s.problem, "entities");
        free(doc);
    }

    static const char trunc[] = "<nmaprun><host><address addr=\"10.0.0.1\" addrtype=\"ipv4\"/></host>"
                                "<host><address addr=\"10.0.0.2\" addr";
    CHECK_EQ_INT(read_doc(trunc, sizeof trunc - 1, &s), UNMASK_EPARSE);
    CHECK_EQ_INT(s.n, 1); /* the complete host before the cut is delivered */
    CHECK_CONTAINS(s.problem, "truncated file");

    static const char other[] = "<html><body/></html>";
    CHECK_EQ_INT(read_doc(other, sizeof other - 1, &s), UNMASK_EPARSE);
    CHECK_CONTAINS(s.problem, "not nmap XML output");

    CHECK_EQ_INT(read_doc("", 0, &s), UNMASK_EPARSE);
    CHECK_CONTAINS(s.problem, "empty file");

    /* An external entity or DTD is never fetched: no DTD loading, no network. */
    static const char ext[] = "<!DOCTYPE nmaprun SYSTEM \"http://192.0.2.1/nmap.dtd\"><nmaprun>"
                              "<host><address addr=\"10.0.0.3\" addrtype=\"ipv4\"/></host></nmaprun>";
    CHECK_EQ_INT(read_doc(ext, sizeof ext - 1, &s), UNMASK_OK);
    CHECK_EQ_INT(s.n, 1);
}

HARNESS_MAIN(T(servicefp_decode), T(servicefp_bad), T(banner_protocols), T(doc_loopback_sV),
             T(doc_loopback_scripts), T(doc_synthetic), T(doc_hostile))
