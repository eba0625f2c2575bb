#!/bin/sh
# lab_hostile.sh: the hostile personalities behave as described (docs/LAB.md), and the lab survives
# them with bounded memory: tarpit, reset, slow drip, endless body, 1 MiB of headers, malformed
# framing, injection, entity bombs, malformed BER, a UDP reply flood.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab_common.inc"
lab_enter "$0" "$@"

hostile=$("$UNMASK" lab --list | awk 'NR > 1 && $0 ~ /\[hostile\]/ {print $1}' | paste -sd, -)
n=$(echo "$hostile" | tr , '\n' | wc -l)
lab_start --hosts "$n" --personality "$hostile" --truth "$tmp/truth.jsonl" --idle-ms 5000
check "hostile truth is unknown without maker" sh -c "! grep -v '\"maker\":null,\"brand\":null,\"verdict\":\"unknown\"' '$tmp/truth.jsonl'"

python3 - "$tmp/truth.jsonl" >"$tmp/report" <<'PY'
import json, socket, struct, sys, time
addr = {}
for l in open(sys.argv[1]):
    d = json.loads(l)
    addr[d["personality"]] = d["address"]
def conn(p, port):
    s = socket.create_connection((addr[p], port), timeout=3)
    return s
def read_for(s, secs, cap=1 << 30):
    s.settimeout(0.2); out = b""; end = time.time() + secs
    while time.time() < end and len(out) < cap:
        try:
            b = s.recv(65536)
            if not b: break
            out += b
        except socket.timeout: pass
        except ConnectionError: out += b"<RESET>"; break
    return out
res = {}
# tarpit: accepted, silent, still open
s = conn("hostile-tarpit", 80); s.sendall(b"GET / HTTP/1.0\r\n\r\n")
res["tarpit_silent"] = read_for(s, 1.5) == b""
s.close()
# reset right after accept
try:
    s = conn("hostile-reset", 80); s.sendall(b"GET / HTTP/1.0\r\n\r\n"); b = read_for(s, 1)
    res["reset"] = b in (b"", b"<RESET>")
except ConnectionError:
    res["reset"] = True
# drip: one byte a second
s = conn("hostile-drip", 80); s.sendall(b"GET / HTTP/1.0\r\n\r\n")
b = read_for(s, 2.6); res["drip"] = 2 <= len(b) <= 4 and b.startswith(b"HT")
s.close()
# endless body: 8 MiB and still coming
s = conn("hostile-endless", 80); s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
b = read_for(s, 10, 8 << 20); res["endless"] = len(b) >= 8 << 20 and b"Content-Length" not in b[:200]
s.close()
# 1 MiB of headers
s = conn("hostile-big-headers", 80); s.sendall(b"GET / HTTP/1.0\r\n\r\n")
b = read_for(s, 5); i = b.find(b"\r\n\r\n")
res["big_headers"] = i > (1 << 20) and b.endswith(b"ok")
s.close()
# malformed status line
s = conn("hostile-malformed", 80); s.sendall(b"GET / HTTP/1.0\r\n\r\n")
b = read_for(s, 2); res["malformed"] = b.startswith(b"HTTP/1.1 200000000000\x00")
s = conn("hostile-malformed", 37777); s.sendall(b"\xa0\x01" + bytes(30))
b = read_for(s, 1.5); res["dvrip_lies"] = b[:8] == b"\xb0\x01\x00\x00\xff\xff\xff\xff" and len(b) == 35
# injection
s = conn("hostile-injection", 80); s.sendall(b"GET / HTTP/1.0\r\n\r\n")
b = read_for(s, 2); res["injection"] = b"<script>alert(document.cookie)</script>" in b and b"\xc3\x28" in b and b"\x1b[31m" in b
# UDP: entity bomb, malformed BER, flood
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(0.5)
u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
def udp_all(p, port, data, wait=1.0):
    u.sendto(data, (addr[p], port)); out = []; end = time.time() + wait
    while time.time() < end:
        try: out.append(u.recvfrom(65536)[0])
        except socket.timeout: pass
    return out
sadp = b'<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>F1</Uuid><Types>inquiry</Types></Probe>'
d = udp_all("hostile-xmlbomb", 37020, sadp)
res["xmlbomb_sadp"] = len(d) == 1 and b"<!ENTITY i " in d[0]
get = bytes.fromhex("302602010104067075626c6963a019020101020100020100300e300c06082b060102010101000500")
d = udp_all("hostile-snmp", 161, get)
res["bad_ber"] = len(d) == 5
d = udp_all("hostile-flood", 37020, sadp, 2.0)
res["flood"] = len(d) >= 200  # 500 sent; a small receive buffer may drop some
for k, v in res.items():
    print(k, "ok" if v else "FAIL")
PY
for k in tarpit_silent reset drip endless big_headers malformed dvrip_lies injection xmlbomb_sadp bad_ber flood; do
    check "hostile $k" grep -qx "$k ok" "$tmp/report"
done
if command -v snmpget >/dev/null 2>&1; then
    a=$(addr_of hostile-snmp)
    snmpget -v2c -c public -t 1 -r 0 "$a" 1.3.6.1.2.1.1.1.0 >"$tmp/snmpbad" 2>&1 || true
    check "snmpget survives malformed BER" [ -s "$tmp/snmpbad" ]
fi
rss=$(awk '/^VmHWM/ {print $2}' "/proc/$LAB_PID/status")
check "lab peak memory under 64 MiB after the hostile round (${rss} kB)" [ "$rss" -lt 65536 ]
check "lab still alive" kill -0 "$LAB_PID"
lab_stop
finish
