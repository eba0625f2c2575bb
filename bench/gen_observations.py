#!/usr/bin/env python3
"""gen_observations.py N_OBS [SEED]: writes identify input with about N_OBS observations to stdout.

The mix is shaped like a camera-heavy network: Hikvision, Dahua, white labels, telecom gear and
non-covered devices, each device with 4 to 12 observations. Values are the published strings the rules
cite (recog, nmap, IEEE registry, docs/OBSERVATIONS.md examples) with per-device serials and MACs, plus
values no rule knows, so the engine sees both hits and misses. Deterministic for a given seed."""
import json
import random
import sys

n_target = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)

def mac(oui):
    return oui + ":%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))

KINDS = [
    ("hik", [("http", "server", lambda: "App-webs/"),
             ("http", "www_authenticate", lambda: 'Digest qop="auth", realm="IP Camera(C%04d)", nonce="4e54", stale="FALSE"' % rng.randrange(10000)),
             ("mac", "address", lambda: mac("44:19:b6")),
             ("rtsp", "www_authenticate", lambda: 'Digest realm="IP Camera(C2875)", nonce="938032d91ffc30ca80b5da94c18887ac", stale="FALSE"'),
             ("onvif", "firmware", lambda: "V5.%d.%d build 2%05d" % (rng.randrange(8), rng.randrange(20), rng.randrange(100000))),
             ("onvif", "manufacturer", lambda: "HIKVISION"),
             ("tls", "subject", lambda: "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN")]),
    ("dahua", [("rtsp", "server", lambda: "Dahua Rtsp Server"),
               ("http", "www_authenticate", lambda: 'Digest realm="Login to %015X", qop="auth", nonce="1", opaque=""' % rng.randrange(16**15)),
               ("mac", "address", lambda: mac("3c:ef:8c")),
               ("dhip", "vendor", lambda: rng.choice(["Dahua", "General", "Intelbras", "Lorex"])),
               ("onvif", "firmware", lambda: "2.800.0000016.0.R, build: 2020-06-05"),
               ("http", "title", lambda: "WEB SERVICE")]),
    ("huawei", [("ssh", "banner", lambda: "SSH-2.0-HUAWEI-1.5"),
                ("snmp", "sysdescr", lambda: "Huawei Versatile Routing Platform Software VRP (R) software, Version 8.180 (CE6850 V200R005C10SPC800)"),
                ("snmp", "sysobjectid", lambda: "1.3.6.1.4.1.2011.2.239.%d" % rng.randrange(100)),
                ("mac", "address", lambda: mac("00:e0:fc"))]),
    ("zte", [("http", "server", lambda: "Mini web server 1.0 ZTE corp 2005."),
             ("telnet", "banner", lambda: "F668\r\nLogin: "),
             ("mac", "address", lambda: mac("00:15:eb"))]),
    ("axis", [("http", "title", lambda: "AXIS"),
              ("tls", "subject", lambda: "CN=axis-accc8e%06x,O=Axis Communications AB" % rng.randrange(16**6)),
              ("mac", "address", lambda: mac("ac:cc:8e")),
              ("ftp", "banner", lambda: "Axis 2100 Network Camera 2.43 Nov 04 2008 ready.")]),
    ("linux", [("http", "server", lambda: "nginx/1.%d.%d" % (rng.randrange(30), rng.randrange(10))),
               ("ssh", "banner", lambda: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"),
               ("http", "title", lambda: "Welcome to nginx!"),
               ("mac", "address", lambda: mac("52:54:00"))]),
]
FILLER = [("http", "header", lambda: "Content-Type: text/html"), ("http", "path", lambda: "/"),
          ("upnp", "server", lambda: "Linux/3.10 UPnP/1.0 Portable SDK for UPnP devices/1.6.%d" % rng.randrange(30)),
          ("snmp", "oid", lambda: "%d" % rng.randrange(10**6))]

total = 0
dev = 0
out = sys.stdout
while total < n_target:
    kind, sigs = rng.choice(KINDS)
    k = rng.randint(4, 12)
    obs = []
    for i in range(k):
        p, f, v = sigs[i % len(sigs)] if i < len(sigs) else rng.choice(FILLER)
        obs.append({"proto": p, "field": f, "value": v(), "port": 80})
    out.write(json.dumps({"id": "%s-%d" % (kind, dev), "observations": obs}, separators=(",", ":")))
    out.write("\n")
    total += k
    dev += 1
sys.stderr.write("gen_observations: %d devices, %d observations\n" % (dev, total))
