/* test_proto_disc.c: the pure parsers of the discovery and device protocols (src/proto/): SNMP, SADP,
 * DHIP, WS-Discovery, ONVIF, UPnP, mDNS, Dahua RPC2 and DVRIP, ISAPI, Telnet, SSH, FTP, TLS names and
 * the small helpers. Byte layouts and sample replies are the published ones of protocols.md. */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/proto/banner.h"
#include "../../src/proto/dahua.h"
#include "../../src/proto/dhip.h"
#include "../../src/proto/isapi.h"
#include "../../src/proto/mdns.h"
#include "../../src/proto/onvif.h"
#include "../../src/proto/sadp.h"
#include "../../src/proto/snmp.h"
#include "../../src/proto/ssdp.h"
#include "../../src/proto/tls.h"
#include "../harness.h"

/* protocols.md 8: the 55-byte GetRequest for sysDescr.0 and sysObjectID.0 (request id 0x1234). */
static const uint8_t snmp_get[] = {
    0x30, 0x35, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',  'l',  'i',  'c',  0xa0,
    0x28, 0x02, 0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x1c, 0x30,
    0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00, 0x30,
    0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x02, 0x00, 0x05, 0x00,
};

/* protocols.md 8: the 89-byte Hikvision NVR GetResponse. */
static const uint8_t snmp_resp[] = {
    0x30, 0x57, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',  'l',  'i',  'c',  0xa2, 0x4a, 0x02,
    0x02, 0x12, 0x34, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x3e, 0x30, 0x26, 0x06, 0x08, 0x2b,
    0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x04, 0x1a, 'H',  'i',  'k',  'v',  'i',  's',  'i',
    'o',  'n',  ' ',  'c',  'o',  'm',  'p',  'a',  'n',  'y',  ' ',  'p',  'r',  'o',  'd',  'u',
    'c',  't',  's',  0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x02, 0x00, 0x06,
    0x08, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0x86, 0x51,
};

TEST(snmp_request_bytes)
{
    static const char *const oids[] = { "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0" };
    uint8_t buf[128];
    int n = snmp_build_get(buf, sizeof buf, "public", 0x1234, oids, 2);
    REQUIRE(n > 0);
    /* The research's request id is two bytes; ours is always four: compare around it. */
    CHECK_EQ_INT(n, sizeof snmp_get + 2);
    struct snmp_msg m;
    REQUIRE(snmp_parse(buf, (size_t)n, &m) == UNMASK_OK);
    CHECK_EQ_INT(m.version, 1);
    CHECK_EQ_INT(m.pdu, 0xa0);
    CHECK_EQ_INT(m.request_id, 0x1234);
    CHECK_EQ_INT(m.n_vb, 2);
    CHECK_EQ_STR(m.vb[1].oid, "1.3.6.1.2.1.1.2.0");
    CHECK_EQ_MEM(buf + n - 28, 28, snmp_get + sizeof snmp_get - 28, 28);
    static const char *const vendor[] = { "1.3.6.1.4.1.1004849.2.1.2.4.0" };
    n = snmp_build_get(buf, sizeof buf, "public", 7, vendor, 1);
    REQUIRE(snmp_parse(buf, (size_t)n, &m) == UNMASK_OK);
    CHECK_EQ_STR(m.vb[0].oid, "1.3.6.1.4.1.1004849.2.1.2.4.0");
    static const char *const bad[] = { "1.3.x" };
    CHECK_EQ_INT(snmp_build_get(buf, sizeof buf, "public", 7, bad, 1), UNMASK_EPARSE);
}

TEST(snmp_response)
{
    struct snmp_msg m;
    REQUIRE(snmp_parse(snmp_resp, sizeof snmp_resp, &m) == UNMASK_OK);
    CHECK_EQ_INT(m.pdu, 0xa2);
    REQUIRE(m.n_vb == 2);
    char text[128];
    snmp_value_text(&m.vb[0], text, sizeof text);
    CHECK_EQ_STR(text, "Hikvision company products");
    snmp_value_text(&m.vb[1], text, sizeof text);
    CHECK_EQ_STR(text, "1.3.6.1.4.1.50001");
    /* Every truncation is malformed, never an over-read. */
    for (size_t cut = 0; cut < sizeof snmp_resp; cut++) {
        CONTEXT("cut at %zu", cut);
        CHECK_EQ_INT(snmp_parse(snmp_resp, cut, &m), UNMASK_EPARSE);
    }
    /* noSuchObject (protocols.md 8). */
    struct snmp_varbind vb = { .tag = 0x80 };
    CHECK(snmp_is_exception(&vb));
}

static const char sadp_reply[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProbeMatch><Uuid>11223344-5566-7788-9900-112233445566</Uuid>\n"
    "<Types>inquiry</Types>\n<DeviceType>123456</DeviceType>\n<DeviceDescription>Virtual</DeviceDescription>\n"
    "<DeviceSN>Virtual-123456789</DeviceSN>\n<CommandPort>8000</CommandPort>\n<HttpPort>80</HttpPort>\n"
    "<MAC>00-11-22-33-44-55</MAC>\n<IPv4Address>240.0.5.0</IPv4Address>\n<IPv4SubnetMask>255.0.0.0</IPv4SubnetMask>\n"
    "<SoftwareVersion>V1.0build 200101</SoftwareVersion>\n<DSPVersion>V1.0build 200101</DSPVersion>\n"
    "<OEMInfo>X</OEMInfo><Activated>true</Activated>\n</ProbeMatch>";

static const char *field(const struct sadp_match *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->f[i].name, name))
            return m->f[i].value;
    return NULL;
}

TEST(sadp)
{
    struct sadp_match m;
    REQUIRE(sadp_parse((const uint8_t *)sadp_reply, strlen(sadp_reply), &m) == UNMASK_OK);
    CHECK(m.probe_match);
    CHECK_EQ_STR(field(&m, "device_sn"), "Virtual-123456789");
    CHECK_EQ_STR(field(&m, "device_description"), "Virtual");
    CHECK_EQ_STR(field(&m, "mac"), "00-11-22-33-44-55");
    CHECK_EQ_STR(field(&m, "ipv4_address"), "240.0.5.0");
    CHECK_EQ_STR(field(&m, "dsp_version"), "V1.0build 200101");
    CHECK_EQ_STR(field(&m, "oem_info"), "X");
    CHECK(!field(&m, "uuid"));
    CHECK(!field(&m, "ipv4_subnet_mask"));
    uint8_t buf[256];
    int n = sadp_build_inquiry(buf, sizeof buf, "ABC");
    CHECK_EQ_MEM(buf, (size_t)n,
                 "<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>ABC</Uuid><Types>inquiry</Types></Probe>",
                 (size_t)n);
    /* Other XML is not a match; an entity bomb stays unexpanded and bounded. */
    static const char bomb[] = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
                               "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                               "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><ProbeMatch><DeviceSN>&d;&d;&d;</DeviceSN></ProbeMatch>";
    CHECK_EQ_INT(sadp_parse((const uint8_t *)bomb, strlen(bomb), &m), UNMASK_OK);
    CHECK(m.n <= 1);
    CHECK(!field(&m, "device_sn") || strlen(field(&m, "device_sn")) < SADP_MAX_VALUE);
    CHECK_EQ_INT(sadp_parse((const uint8_t *)"garbage", 7, &m), UNMASK_EPARSE);
}

/* protocols.md 2.1: the Intelbras capture, after a 32-byte header. */
static const char dhip_json[] =
    "{\"mac\":\"b4:4c:3b:f4:e3:01\",\"method\":\"client.notifyDevInfo\",\"params\":{\"deviceInfo\":{"
    "\"AlarmInputChannels\":1,\"DeviceClass\":\"BSC\",\"DeviceID\":\"\",\"DeviceType\":\"SS 3530 MF FACE W\","
    "\"HttpPort\":80,\"IPv4Address\":{\"DefaultGateway\":\"192.168.3.1\",\"DhcpEnable\":true,"
    "\"IPAddress\":\"192.168.3.175\",\"SubnetMask\":\"255.255.255.0\"},\"MachineName\":\"K3LJ3400209RH\","
    "\"Manufacturer\":\"Intelbras\",\"Port\":37777,\"SerialNo\":\"K3LJ3400209RH\",\"Vendor\":\"Intelbras\","
    "\"Version\":\"2.000.00IB004.0.R\"}}}";

static size_t dhip_datagram(uint8_t *buf, size_t cap, const char *json, size_t pad)
{
    size_t n = strlen(json);
    memset(buf, 0, cap);
    buf[0] = 0x20;
    memcpy(buf + 4, "DHIP", 4);
    size_t body = n + pad;
    buf[16] = (uint8_t)body;
    buf[17] = (uint8_t)(body >> 8);
    buf[24] = buf[16];
    buf[25] = buf[17];
    memcpy(buf + 32, json, n);
    return 32 + body;
}

static const char *dfield(const struct dhip_reply *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->f[i].name, name))
            return r->f[i].value;
    return NULL;
}

TEST(dhip)
{
    uint8_t buf[2048];
    size_t n = dhip_datagram(buf, sizeof buf, dhip_json, 3);
    struct dhip_reply r;
    REQUIRE(dhip_parse(buf, n, &r) == UNMASK_OK);
    CHECK_EQ_STR(r.method, "client.notifyDevInfo");
    CHECK_EQ_STR(r.mac, "b4:4c:3b:f4:e3:01");
    CHECK_EQ_STR(dfield(&r, "vendor"), "Intelbras");
    CHECK_EQ_STR(dfield(&r, "serial_no"), "K3LJ3400209RH");
    CHECK_EQ_STR(dfield(&r, "port"), "37777");
    CHECK_EQ_STR(dfield(&r, "ipv4_address"), "192.168.3.175");
    CHECK_EQ_STR(dfield(&r, "device_id"), "");
    CHECK_EQ_STR(dfield(&r, "version"), "2.000.00IB004.0.R");
    CHECK_EQ_INT(dhip_parse(buf, n - 4, &r), UNMASK_EAGAIN);
    buf[4] = 'X';
    CHECK_EQ_INT(dhip_parse(buf, n, &r), UNMASK_EPARSE);
    uint8_t req[256];
    int len = dhip_build_search(req, sizeof req);
    REQUIRE(len > 32);
    static const uint8_t head[8] = { 0x20, 0, 0, 0, 'D', 'H', 'I', 'P' };
    CHECK_EQ_MEM(req, 8, head, 8);
    CHECK_EQ_INT(req[16] | req[17] << 8, len - 32);
    CHECK(probe_memcasemem(req, (size_t)len, "DHDiscover.search") != NULL);
}

TEST(wsd_and_onvif)
{
    static const char pm[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"><SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>"
        "<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>onvif://www.onvif.org/name/Dahua "
        "onvif://www.onvif.org/hardware/IPC-HFW2228M-I1-V2\n onvif://www.onvif.org/type/Network_Video_Transmitter</d:Scopes>"
        "<d:XAddrs>http://192.0.2.7/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>";
    struct wsd_match m;
    REQUIRE(wsd_parse((const uint8_t *)pm, strlen(pm), &m) == UNMASK_OK);
    CHECK(strstr(m.scopes, "hardware/IPC-HFW2228M-I1-V2") != NULL);
    CHECK_EQ_STR(m.xaddrs, "http://192.0.2.7/onvif/device_service");
    CHECK_EQ_STR(m.types, "dn:NetworkVideoTransmitter tds:Device");
    static const char di[] =
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><s:Body><tds:GetDeviceInformationResponse>"
        "<tds:Manufacturer>HIKVISION</tds:Manufacturer><tds:Model>DS-2DF7286-A</tds:Model>"
        "<tds:FirmwareVersion>V5.1.8 build 140616</tds:FirmwareVersion>"
        "<tds:SerialNumber>DS-2DF7286-A20140705CCWR471699220B</tds:SerialNumber><tds:HardwareId>88</tds:HardwareId>"
        "</tds:GetDeviceInformationResponse></s:Body></s:Envelope>";
    struct onvif_info in;
    REQUIRE(onvif_parse((const uint8_t *)di, strlen(di), &in) == UNMASK_OK);
    CHECK_EQ_STR(in.manufacturer, "HIKVISION");
    CHECK_EQ_STR(in.firmware, "V5.1.8 build 140616");
    CHECK_EQ_STR(in.hardware_id, "88");
    CHECK(!in.datetime);
    static const char dt[] = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>"
                             "<GetSystemDateAndTimeResponse xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>"
                             "</s:Body></s:Envelope>";
    REQUIRE(onvif_parse((const uint8_t *)dt, strlen(dt), &in) == UNMASK_OK);
    CHECK(in.datetime);
}

TEST(urls)
{
    static const struct {
        const char *url, *host, *path;
        int port;
    } good[] = {
        { "http://192.0.2.7/onvif/device_service", "192.0.2.7", "/onvif/device_service", 80 },
        { "http://192.0.2.7:49152/rootDesc.xml", "192.0.2.7", "/rootDesc.xml", 49152 },
        { "http://[2001:db8::7]:8080/x", "2001:db8::7", "/x", 8080 },
        { "HTTP://cam", "cam", "/", 80 },
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CONTEXT("%s", good[i].url);
        char host[64], path[64];
        int port;
        REQUIRE(onvif_split_url(good[i].url, strlen(good[i].url), host, sizeof host, &port, path, sizeof path));
        CHECK_EQ_STR(host, good[i].host);
        CHECK_EQ_STR(path, good[i].path);
        CHECK_EQ_INT(port, good[i].port);
    }
    static const char *const bad[] = { "https://x/", "http://:80/", "http://x:0/", "http://x:70000/",
                                       "http://x/a b", "http://[::1/", "ftp://x" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char host[64], path[64];
        int port;
        CONTEXT("%s", bad[i]);
        CHECK(!onvif_split_url(bad[i], strlen(bad[i]), host, sizeof host, &port, path, sizeof path));
    }
}

TEST(upnp)
{
    static const char d[] = "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
                            "<friendlyName>HG8245H</friendlyName><manufacturer>Huawei Technologies Co., Ltd.</manufacturer>"
                            "<modelName>HG8245H</modelName><modelNumber>V3R017</modelNumber><deviceList><device>"
                            "<manufacturer>Other</manufacturer></device></deviceList></device></root>";
    struct upnp_description u;
    REQUIRE(upnp_parse((const uint8_t *)d, strlen(d), &u) == UNMASK_OK);
    CHECK_EQ_STR(u.manufacturer, "Huawei Technologies Co., Ltd.");
    CHECK_EQ_STR(u.model_name, "HG8245H");
    CHECK_EQ_STR(u.model_number, "V3R017");
}

TEST(mdns)
{
    /* A response: PTR _CGI._tcp.local -> "HIKVISION DS-2CD2722FWD-IZS - 733050075._CGI._tcp.local"
     * (compressed), SRV -> DS-2CD2722FWD-IZS20170321BBWR733050075.local (protocols.md 4.6). */
    uint8_t m[512];
    size_t w = 0;
    static const uint8_t head[12] = { 0x12, 0x34, 0x84, 0x00, 0, 0, 0, 2, 0, 0, 0, 0 };
    memcpy(m, head, 12);
    w = 12;
    size_t svc = w; /* _CGI._tcp.local */
    static const uint8_t name[] = "\x04_CGI\x04_tcp\x05local";
    memcpy(m + w, name, sizeof name);
    w += sizeof name;
    static const uint8_t ptr_fixed[] = { 0, 12, 0, 1, 0, 0, 0x11, 0x94 };
    memcpy(m + w, ptr_fixed, sizeof ptr_fixed);
    w += sizeof ptr_fixed;
    static const char inst[] = "HIKVISION DS-2CD2722FWD-IZS - 733050075";
    size_t rdlen = 1 + strlen(inst) + 2;
    m[w++] = 0;
    m[w++] = (uint8_t)rdlen;
    size_t inst_at = w;
    m[w++] = (uint8_t)strlen(inst);
    memcpy(m + w, inst, strlen(inst));
    w += strlen(inst);
    m[w++] = 0xc0;
    m[w++] = (uint8_t)svc;
    /* SRV record for the instance. */
    m[w++] = 0xc0;
    m[w++] = (uint8_t)inst_at;
    static const uint8_t srv_fixed[] = { 0, 33, 0x80, 1, 0, 0, 0, 120 };
    memcpy(m + w, srv_fixed, sizeof srv_fixed);
    w += sizeof srv_fixed;
    static const char host[] = "DS-2CD2722FWD-IZS20170321BBWR733050075";
    size_t srd = 6 + 1 + strlen(host) + 1 + 5 + 1;
    m[w++] = 0;
    m[w++] = (uint8_t)srd;
    static const uint8_t srv_head[6] = { 0, 0, 0, 0, 0, 80 };
    memcpy(m + w, srv_head, 6);
    w += 6;
    m[w++] = (uint8_t)strlen(host);
    memcpy(m + w, host, strlen(host));
    w += strlen(host);
    memcpy(m + w, "\x05local", 7);
    w += 7;
    struct mdns_msg msg;
    REQUIRE(mdns_parse(m, w, &msg) == UNMASK_OK);
    REQUIRE(msg.n_rr == 2);
    CHECK_EQ_STR(msg.rr[0].name, "_CGI._tcp.local");
    CHECK_EQ_STR(msg.rr[0].target, "HIKVISION DS-2CD2722FWD-IZS - 733050075._CGI._tcp.local");
    CHECK_EQ_STR(msg.rr[1].target, "DS-2CD2722FWD-IZS20170321BBWR733050075.local");
    CHECK_EQ_INT(msg.rr[1].port, 80);
    for (size_t cut = 0; cut < w; cut++) {
        CONTEXT("cut at %zu", cut);
        CHECK_EQ_INT(mdns_parse(m, cut, &msg), UNMASK_EPARSE);
    }
    /* A pointer loop ends. */
    static const uint8_t loop[] = { 0, 0, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12 };
    CHECK_EQ_INT(mdns_parse(loop, sizeof loop, &msg), UNMASK_EPARSE);
    uint8_t q[256];
    static const char *const names[] = { "_CGI._tcp.local" };
    int n = mdns_build_query(q, sizeof q, 7, names, 1);
    CHECK_EQ_INT(n, 12 + (int)sizeof name + 4);
}

TEST(dahua_rpc2_and_dvrip)
{
    static const char rpc2[] =
        "{\"error\":{\"code\":268632079,\"message\":\"Component error: login challenge!\"},\"id\":1,\"params\":"
        "{\"authorization\":\"3339eaa9152eebff56a720c2f4dd0a62203a51dc\",\"encryption\":\"Default\",\"mac\":"
        "\"3CEF8C6101C0\",\"random\":\"3734299\",\"realm\":\"Login to 4C045ADPAG60CD\"},\"result\":false,"
        "\"session\":1005027323}";
    struct dahua_challenge ch;
    REQUIRE(dahua_rpc2_parse((const uint8_t *)rpc2, strlen(rpc2), &ch) == UNMASK_OK);
    CHECK_EQ_STR(ch.realm, "Login to 4C045ADPAG60CD");
    CHECK_EQ_STR(ch.mac, "3CEF8C6101C0");
    CHECK_EQ_INT(ch.code, 268632079);
    CHECK_EQ_INT(dahua_rpc2_parse((const uint8_t *)"<html>", 6, &ch), UNMASK_EPARSE);
    CHECK_EQ_INT(dahua_rpc2_parse((const uint8_t *)"[1]", 3, &ch), UNMASK_EPARSE);
    uint8_t d[128] = { 0xb0, 0x01 };
    static const char text[] = "Realm:Login to 4K01FD2PAJ6E3FF\r\nRandom:123456\r\n";
    d[4] = (uint8_t)strlen(text);
    memcpy(d + 32, text, strlen(text));
    size_t n = 32 + strlen(text);
    REQUIRE(dahua_dvrip_parse(d, n, &ch) == UNMASK_OK);
    CHECK_EQ_STR(ch.realm, "Login to 4K01FD2PAJ6E3FF");
    CHECK_EQ_STR(ch.random, "123456");
    CHECK_EQ_INT(dahua_dvrip_parse(d, n - 1, &ch), UNMASK_EAGAIN);
    CHECK_EQ_INT(dahua_dvrip_parse((const uint8_t *)"HTTP/1.1", 8, &ch), UNMASK_EPARSE);
}

TEST(isapi)
{
    static const char cap[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SessionLoginCap version=\"2.0\" "
                              "xmlns=\"http://www.std-cgi.com/ver20/XMLSchema\"><sessionID>ab</sessionID>"
                              "<challenge>cd</challenge><iterations>100</iterations></SessionLoginCap>";
    struct isapi_info in;
    REQUIRE(isapi_parse((const uint8_t *)cap, strlen(cap), &in) == UNMASK_OK);
    CHECK_EQ_INT(in.kind, ISAPI_SESSION_CAP);
    CHECK_EQ_STR(in.ns, "http://www.std-cgi.com/ver20/XMLSchema");
    static const char info[] = "<DeviceInfo version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">"
                               "<deviceName>yard</deviceName><model>DS-2CD2386G2-IU</model>"
                               "<serialNumber>DS-2CD2386G2-IU00000000AAWRJ00000000</serialNumber>"
                               "<macAddress>a6:63:9e:f8:01:09</macAddress><firmwareVersion>V5.7.18</firmwareVersion>"
                               "<telecontrolID>88</telecontrolID><manufacturer>hikvision</manufacturer>"
                               "<OEMCode>1</OEMCode></DeviceInfo>";
    REQUIRE(isapi_parse((const uint8_t *)info, strlen(info), &in) == UNMASK_OK);
    CHECK_EQ_INT(in.kind, ISAPI_DEVICE_INFO);
    CHECK_EQ_STR(in.model, "DS-2CD2386G2-IU");
    CHECK_EQ_STR(in.oem_code, "1");
    CHECK_EQ_STR(in.telecontrol_id, "88");
    CHECK_EQ_STR(in.mac, "a6:63:9e:f8:01:09");
}

TEST(telnet)
{
    /* IAC DO ECHO, IAC WILL SGA, an escaped 255, a subnegotiation, then the Huawei home gateway banner. */
    static const uint8_t in[] = { 255, 253, 1,   255, 251, 3,   'W', 255, 255, 255, 250, 24,
                                  1,   255, 240, 'e', 'l', 'c', 'o', 'm', 'e', '\r', '\n', 'L',
                                  'o', 'g', 'i', 'n', ':', ' ' };
    uint8_t text[64], reply[64];
    size_t rl = 0, answered = 0;
    size_t n = telnet_strip(in, sizeof in, text, sizeof text, reply, sizeof reply, &rl, &answered);
    static const uint8_t want_text[] = { 'W', 255, 'e', 'l', 'c', 'o', 'm', 'e', '\r', '\n',
                                         'L', 'o', 'g', 'i', 'n', ':', ' ' };
    CHECK_EQ_MEM(text, n, want_text, sizeof want_text);
    static const uint8_t want_reply[] = { 255, 252, 1, 255, 254, 3 };
    CHECK_EQ_MEM(reply, rl, want_reply, sizeof want_reply);
    CHECK(telnet_prompt(text, n));
    /* Answered once only. */
    telnet_strip(in, sizeof in, text, sizeof text, reply, sizeof reply, &rl, &answered);
    CHECK_EQ_INT(rl, 0);
    CHECK(telnet_prompt((const uint8_t *)"F668\r\n\rLogin: ", 14));
    CHECK(telnet_prompt((const uint8_t *)"Username:", 9));
    CHECK(!telnet_prompt((const uint8_t *)"Welcome", 7));
    /* A cut sequence at the end is not text. */
    n = telnet_strip((const uint8_t *)"\xff\xfd", 2, text, sizeof text, NULL, 0, NULL, NULL);
    CHECK_EQ_INT(n, 0);
}

TEST(ssh_and_ftp)
{
    const uint8_t *line;
    size_t n;
    static const char s1[] = "SSH-2.0-HUAWEI-1.5\r\n";
    CHECK_EQ_INT(ssh_parse_banner((const uint8_t *)s1, strlen(s1), &line, &n), (long long)strlen(s1));
    CHECK_EQ_MEM(line, n, "SSH-2.0-HUAWEI-1.5", 18);
    static const char s2[] = "Hello\r\nSSH-2.0--\n";
    CHECK(ssh_parse_banner((const uint8_t *)s2, strlen(s2), &line, &n) > 0);
    CHECK_EQ_MEM(line, n, "SSH-2.0--", 9);
    CHECK_EQ_INT(ssh_parse_banner((const uint8_t *)"SSH-2.0-x", 9, &line, &n), UNMASK_EAGAIN);
    static const char f1[] = "220 ProFTPD Server ready.\r\n";
    CHECK_EQ_INT(ftp_parse_greeting((const uint8_t *)f1, strlen(f1)), (long long)strlen(f1));
    static const char f2[] = "220-Welcome\r\n220-to the box\r\n220 ready\r\n";
    CHECK_EQ_INT(ftp_parse_greeting((const uint8_t *)f2, strlen(f2)), (long long)strlen(f2));
    CHECK_EQ_INT(ftp_parse_greeting((const uint8_t *)f2, 20), UNMASK_EAGAIN);
    CHECK_EQ_INT(ftp_parse_greeting((const uint8_t *)"SSH-2.0\r\n", 9), UNMASK_EPARSE);
}

TEST(helpers)
{
    static const struct {
        const char *in, *out;
    } snake[] = {
        { "DeviceSN", "device_sn" },       { "IPv4Address", "ipv4_address" }, { "DSPVersion", "dsp_version" },
        { "OEMInfo", "oem_info" },         { "HttpPort", "http_port" },       { "DeviceID", "device_id" },
        { "supportIPv6", "support_ipv6" }, { "MAC", "mac" },                  { "Ipv4SubnetMask", "ipv4_subnet_mask" },
        { "HCPlatformEnable", "hc_platform_enable" }, { "a-b c", "a_b_c" },
    };
    for (size_t i = 0; i < sizeof snake / sizeof *snake; i++) {
        char out[64];
        CONTEXT("%s", snake[i].in);
        probe_snake(snake[i].in, strlen(snake[i].in), out, sizeof out);
        CHECK_EQ_STR(out, snake[i].out);
    }
    char mac[18];
    CHECK(probe_mac("3CEF8C6101C0", 12, mac));
    CHECK_EQ_STR(mac, "3c:ef:8c:61:01:c0");
    CHECK(probe_mac("00-11-22-33-44-55", 17, mac));
    CHECK_EQ_STR(mac, "00:11:22:33:44:55");
    CHECK(!probe_mac("00:11:22", 8, mac));
    CHECK(!probe_mac("zz:11:22:33:44:55", 17, mac));
}

TEST(tls_names)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    REQUIRE(key);
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    static const char *const rdn[][2] = { { "C", "CN" },      { "ST", "Zhejiang" },
                                          { "L", "Hangzhou" }, { "O", "ZheJiang Dahua Technology CO.,LTD." },
                                          { "OU", "NVR" },     { "CN", "NVR" } };
    for (size_t i = 0; i < 6; i++)
        X509_NAME_add_entry_by_txt(n, rdn[i][0], MBSTRING_UTF8, (const unsigned char *)rdn[i][1], -1, -1, 0);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, n);
    X509_set_pubkey(x, key);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_sign(x, key, EVP_sha256());
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    REQUIRE(len > 0);
    char subject[256], issuer[256];
    CHECK_EQ_INT(tls_cert_names(der, (size_t)len, subject, sizeof subject, issuer, sizeof issuer), UNMASK_OK);
    CHECK_EQ_STR(subject, "CN=NVR,OU=NVR,O=ZheJiang Dahua Technology CO.\\,LTD.,L=Hangzhou,ST=Zhejiang,C=CN");
    CHECK_EQ_STR(issuer, subject);
    CHECK_EQ_INT(tls_cert_names(der, (size_t)len / 2, subject, sizeof subject, issuer, sizeof issuer),
                 UNMASK_EPARSE);
    OPENSSL_free(der);
    X509_NAME_free(n);
    X509_free(x);
    EVP_PKEY_free(key);
}

HARNESS_MAIN(T(snmp_request_bytes), T(snmp_response), T(sadp), T(dhip), T(wsd_and_onvif), T(urls), T(upnp),
             T(mdns), T(dahua_rpc2_and_dvrip), T(isapi), T(telnet), T(ssh_and_ftp), T(helpers), T(tls_names))
