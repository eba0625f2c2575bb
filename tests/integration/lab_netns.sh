#!/bin/sh
# lab_netns.sh: multicast discovery and MAC discovery against the lab across a virtual Ethernet link,
# in network namespaces this test builds (and nothing else sees):
#
#   netns "scan": scan0 10.77.0.254/24 ──veth── netns "lab": labup, and one macvlan per device
#                                                (the device's address and its maker's real OUI)
#
# The lab runs in "lab" with --all-interfaces (it joins the discovery groups). From "scan" the test
# sends SADP, DHIP, WS-Discovery and SSDP probes to their multicast groups and checks that exactly the
# devices that speak each protocol answer, from their own addresses, with their MACs; then it reads the
# kernel's neighbour table and checks every device's MAC against the ground truth.
#
# Runs as any user: an outer `unshare -rnm` gives a user, network and mount namespace of its own, in
# which `ip netns add` works on a private /run. As root in CI it is the same.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${LAB_NETNS_IN:-}" ]; then
    if ! unshare -rnm true 2>/dev/null || ! command -v ip >/dev/null 2>&1; then
        echo "SKIP: lab_netns: user, network and mount namespaces (unshare -rnm) or iproute2 missing"
        exit 0
    fi
    LAB_NETNS_IN=1 exec unshare -rnm sh "$0" "$@"
fi
. "$here/lab_common.inc"
tmp=$(mktemp -d)
passed=0
failed=0
LAB_PID=
trap 'if [ -n "$LAB_PID" ]; then kill $LAB_PID 2>/dev/null; wait 2>/dev/null; fi; rm -rf "$tmp"' EXIT

mount -t tmpfs tmpfs /run
mkdir -p /run/netns
ip netns add lab
ip netns add scan
ip link add labup type veth peer name scan0
ip link set labup netns lab
ip link set scan0 netns scan
ip -n scan link set lo up
ip -n scan addr add 10.77.0.254/24 dev scan0
ip -n scan link set scan0 up
ip -n scan route add 224.0.0.0/4 dev scan0
ip -n lab link set lo up
ip -n lab link set labup up
# One address per interface answers ARP (RFC 1122 leaves it open; Linux answers for any by default).
ip netns exec lab sh -c 'for k in all default; do
    echo 1 >/proc/sys/net/ipv4/conf/$k/arp_ignore; echo 2 >/proc/sys/net/ipv4/conf/$k/arp_announce; done'

set -- --base 10.77.0.1 --seed 5 \
    --personality hikvision-ipc,hikvision-nvr,dahua-ipc,amcrest-camera,axis-camera,huawei-home-gateway,zte-ont,linux-web
"$UNMASK" lab "$@" --hosts 8 --all-interfaces --truth "$tmp/truth.jsonl" --truth-only
i=0
while read -r line; do
    i=$((i + 1))
    addr=$(echo "$line" | sed 's/.*"address":"\([0-9.]*\)".*/\1/')
    mac=$(echo "$line" | sed -n 's/.*"mac":"\([0-9a-f:]*\)".*/\1/p')
    ip -n lab link add "d$i" link labup type macvlan mode bridge
    [ -n "$mac" ] && ip -n lab link set "d$i" address "$mac"
    ip -n lab addr add "$addr/24" dev "d$i"
    ip -n lab link set "d$i" up
done <"$tmp/truth.jsonl"

ip netns exec lab "$UNMASK" lab "$@" --hosts 8 --all-interfaces --ready-file "$tmp/ready" \
    >"$tmp/lab.out" 2>"$tmp/lab.err" &
LAB_PID=$!
n=0
while [ ! -s "$tmp/ready" ]; do
    n=$((n + 1))
    if [ $n -gt 100 ]; then
        echo "FAIL: the lab did not become ready"
        cat "$tmp/lab.err"
        exit 1
    fi
    sleep 0.05
done
check "ready on 10.77.0.1-8" grep -qx 'unmask lab: ready 8 devices 10.77.0.1-10.77.0.8' "$tmp/ready"

ip netns exec scan python3 - "$tmp/truth.jsonl" >"$tmp/report" <<'PY'
import json, socket, struct, sys, time
truth = [json.loads(l) for l in open(sys.argv[1])]
by_pers = {}
for d in truth:
    by_pers.setdefault(d["personality"], []).append(d)
def probe(group, port, payload, wait=1.5):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.77.0.254"))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
    s.bind(("10.77.0.254", 0))
    s.settimeout(0.2)
    s.sendto(payload, (group, port))
    got = {}
    end = time.time() + wait
    while time.time() < end:
        try:
            data, (ip, _) = s.recvfrom(65536)
            got.setdefault(ip, []).append(data)
        except socket.timeout:
            pass
    return got
def expect(name, got, personalities, check=None):
    want = sorted(d["address"] for p in personalities for d in by_pers.get(p, []))
    ok = sorted(got) == want and all(len(v) == 1 for v in got.values())
    if ok and check:
        ok = all(check(ip, v[0]) for ip, v in got.items())
    print(name, "ok" if ok else "FAIL", sorted(got), want)
mac = {d["address"]: d.get("mac", "") for d in truth}
sadp = b'<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>6A2E0F4C-0000-4000-8000-000000000001</Uuid><Types>inquiry</Types></Probe>'
expect("sadp", probe("239.255.255.250", 37020, sadp), ["hikvision-ipc", "hikvision-nvr"],
       lambda ip, d: ("<MAC>%s</MAC>" % mac[ip].replace(":", "-")).encode() in d)
body = json.dumps({"method": "DHDiscover.search", "params": {"mac": "", "uni": 1}}).encode()
dhip = struct.pack("<I", 32) + b"DHIP" + bytes(8) + struct.pack("<IIII", len(body), 0, len(body), 0) + body
expect("dhip", probe("239.255.255.251", 37810, dhip), ["dahua-ipc", "amcrest-camera"],
       lambda ip, d: json.loads(d[32:])["mac"] == mac[ip])
wsd = (b'<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
       b'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">'
       b'<e:Header><w:MessageID>uuid:9e0c3a26-0000-4000-8000-000000000002</w:MessageID><w:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>'
       b'<w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header><e:Body><d:Probe/></e:Body></e:Envelope>')
expect("wsd", probe("239.255.255.250", 3702, wsd),
       ["hikvision-ipc", "hikvision-nvr", "dahua-ipc", "amcrest-camera", "axis-camera"],
       lambda ip, d: b"uuid:9e0c3a26-0000-4000-8000-000000000002" in d and ("http://%s/onvif/device_service" % ip).encode() in d)
ssdp = b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n'
expect("ssdp", probe("239.255.255.250", 1900, ssdp), ["huawei-home-gateway", "zte-ont"],
       lambda ip, d: ("LOCATION: http://%s:80/" % ip).encode() in d)
# Unicast TCP to every device (the ARP that a scanner's probes cause), then the neighbour table.
for d in truth:
    try:
        socket.create_connection((d["address"], 80), timeout=1).close()
    except OSError:
        pass
print("done")
PY
for k in sadp dhip wsd ssdp; do
    check "multicast $k: the right devices answer, once, with their MACs" grep -q "^$k ok" "$tmp/report"
done
grep FAIL "$tmp/report" || true
ip -n scan neigh show dev scan0 >"$tmp/neigh"
while read -r line; do
    addr=$(echo "$line" | sed 's/.*"address":"\([0-9.]*\)".*/\1/')
    mac=$(echo "$line" | sed -n 's/.*"mac":"\([0-9a-f:]*\)".*/\1/p')
    [ -n "$mac" ] || continue
    check "neighbour $addr is $mac" grep -q "^$addr lladdr $mac " "$tmp/neigh"
done <"$tmp/truth.jsonl"
check "hikvision OUI seen on the link" grep -q 'lladdr 44:19:b6:' "$tmp/neigh"
check "dahua OUI seen on the link" grep -q 'lladdr 3c:ef:8c:' "$tmp/neigh"

kill -TERM "$LAB_PID"
rc=0
wait "$LAB_PID" || rc=$?
LAB_PID=
check "lab exits 0" [ "$rc" -eq 0 ]
finish
