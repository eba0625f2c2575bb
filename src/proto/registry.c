/* registry.c: every probe, in the order they run on a port (STYLE R6). On port 80 the HTTP probe
 * runs before ONVIF, so ONVIF only adds to what GET / and its follow-ups found. */
#include "banner.h"
#include "dahua.h"
#include "dhip.h"
#include "http.h"
#include "mdns.h"
#include "onvif.h"
#include "proto.h"
#include "rtsp.h"
#include "sadp.h"
#include "snmp.h"
#include "ssdp.h"

const struct probe *const probe_registry[] = {
    &probe_http, &probe_onvif, &probe_https, &probe_rtsp, &probe_hiksdk, &probe_dvrip,
    &probe_ssh,  &probe_telnet, &probe_ftp,  &probe_sadp, &probe_dhip,   &probe_wsd,
    &probe_ssdp, &probe_snmp,  &probe_mdns, &probe_upnp, NULL,
};
