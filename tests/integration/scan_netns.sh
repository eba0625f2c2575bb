#!/bin/sh
# scan_netns.sh: two network namespaces joined by a veth pair, made by the test itself (unshare -rn:
# works as root and as an ordinary user; nothing leaves them). On the far side, eight device
# addresses on an interface with a Hikvision OUI, a capture (tcpdump), plain HTTP responders and
# SADP/DHIP/WS-Discovery responders joined to their multicast groups. Checks:
#   - excluded addresses receive nothing at all (not even an ARP request);
#   - the MAC address comes from the kernel's neighbour table, and its OUI counts as evidence;
#   - --discover finds the devices by SADP, DHIP and WS-Discovery multicast.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab_common.inc"
# Root gets plain network namespaces (tcpdump then runs as usual); anyone else a user namespace too,
# where tcpdump cannot drop its privileges, so the capture there is a packet socket (capture() below).
if [ -z "${LAB_IN_NS:-}" ] && [ "$(id -u)" -eq 0 ]; then
    LAB_IN_NS=1 exec unshare -n sh "$0" "$@"
fi
lab_enter "$0" "$@"
if [ "$(id -u)" -ne 0 ] || ! grep -q '^ *0 *0 *4294967295' /proc/self/uid_map || ! command -v tcpdump >/dev/null 2>&1; then
    CAPTURE=packet
else
    CAPTURE=tcpdump
fi

unshare -n sleep 600 &
FAR=$!
trap 'kill $FAR 2>/dev/null; [ -n "${CAP:-}" ] && kill $CAP 2>/dev/null; [ -n "${RESP:-}" ] && kill $RESP 2>/dev/null; lab_cleanup' EXIT
sleep 0.2
# In the far namespace. Background jobs call nsenter directly (not through this function, which would
# run in a subshell whose pid is not the process's), so that $! can be killed.
far() { nsenter -t "$FAR" -n "$@"; }
ip link add v0 type veth peer name v1 netns "$FAR"
ip addr add 10.77.0.1/24 dev v0
ip link set v0 up
far ip link set lo up
far ip link set v1 address 44:19:b6:00:00:01
for i in 2 3 4 5 6 7 8 9; do far ip addr add 10.77.0.$i/24 dev v1; done
far ip link set v1 up
sleep 0.5

if [ "$CAPTURE" = tcpdump ]; then
    nsenter -t "$FAR" -n tcpdump -i v1 -n -l >"$tmp/cap.txt" 2>"$tmp/tcpdump.err" &
else
    # tcpdump's text format for the lines checked below, from an AF_PACKET socket on v1.
    nsenter -t "$FAR" -n python3 - >"$tmp/cap.txt" 2>"$tmp/tcpdump.err" <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
s.bind(("v1", 0))
print("listening on v1 (packet socket)", file=sys.stderr, flush=True)
while True:
    f = s.recv(65536)
    t = struct.unpack("!H", f[12:14])[0]
    if t == 0x0806 and len(f) >= 42:
        print("ARP, Request who-has %s tell %s" % (socket.inet_ntoa(f[38:42]), socket.inet_ntoa(f[28:32])), flush=True)
    elif t == 0x0800 and len(f) >= 34:
        ihl = (f[14] & 15) * 4
        src, dst = socket.inet_ntoa(f[26:30]), socket.inet_ntoa(f[30:34])
        sp, dp = struct.unpack("!HH", f[14 + ihl:18 + ihl]) if f[23] in (6, 17) else (0, 0)
        print("IP %s.%d > %s.%d: proto %d" % (src, sp, dst, dp, f[23]), flush=True)
PY
fi
CAP=$!
nsenter -t "$FAR" -n python3 "$here/scan_responders.py" http 10.77.0.2 10.77.0.3 10.77.0.4 10.77.0.5 10.77.0.6 10.77.0.7 \
    10.77.0.8 10.77.0.9 >"$tmp/resp.out" 2>"$tmp/resp.err" &
RESP=$!
i=0
until grep -q ready "$tmp/resp.out" 2>/dev/null && grep -q listening "$tmp/tcpdump.err" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 200 ] && { echo "FAIL: responders or capture did not start"; cat "$tmp/resp.err" "$tmp/tcpdump.err"; exit 1; }
    sleep 0.05
done

echo "capture: $CAPTURE"
echo 10.77.0.8 >"$tmp/exclude"
"$UNMASK" scan --no-db --json --no-progress --timeout 800 10.77.0.2-10.77.0.9 --exclude 10.77.0.3,10.77.0.5-10.77.0.6 \
    --exclude-file "$tmp/exclude" >"$tmp/scan.jsonl" 2>"$tmp/scan.err" && rc=0 || rc=$?
sleep 0.3
kill $CAP
wait $CAP 2>/dev/null || true
CAP=
check "scan exits 0" [ "$rc" -eq 0 ]
for a in 10.77.0.3 10.77.0.5 10.77.0.6 10.77.0.8; do
    check "excluded $a receives nothing" sh -c "! grep -E '(> $a\.| $a: |who-has $a )' '$tmp/cap.txt'"
done
for a in 10.77.0.2 10.77.0.4 10.77.0.7 10.77.0.9; do
    check "target $a was probed" grep -q "> $a\." "$tmp/cap.txt"
done
check "excluded hosts are not reported" sh -c "! grep -E '\"10\.77\.0\.(3|5|6|8)\"' '$tmp/scan.jsonl'"
check "four hosts reported" [ "$(wc -l <"$tmp/scan.jsonl")" -eq 4 ]
check "MAC from the neighbour table" grep -q '"mac":"44:19:b6:00:00:01"' "$tmp/scan.jsonl"
check "the OUI is evidence" grep -q '"field":"org"' "$tmp/scan.jsonl"
kill $RESP
wait $RESP 2>/dev/null || true

nsenter -t "$FAR" -n python3 "$here/scan_responders.py" discover 10.77.0.2 10.77.0.3 10.77.0.4 >"$tmp/disc.out" 2>"$tmp/disc.err" &
RESP=$!
i=0
until grep -q ready "$tmp/disc.out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 200 ] && { echo "FAIL: discovery responders did not start"; cat "$tmp/disc.err"; exit 1; }
    sleep 0.05
done
"$UNMASK" -v scan --no-db --json --no-progress --timeout 800 --discover v0 --discover-wait 1500 \
    >"$tmp/disc.jsonl" 2>"$tmp/disc.log" && rc=0 || rc=$?
cat "$tmp/disc.log" | grep 'discover:' || true
check "discover scan exits 0" [ "$rc" -eq 0 ]
check "found by SADP" grep -q 'answered sadp' "$tmp/disc.log"
check "found by DHIP" grep -q 'answered dhip' "$tmp/disc.log"
check "found by WS-Discovery" grep -q 'answered ws-discovery' "$tmp/disc.log"
check "discovered hosts are scanned" [ "$(wc -l <"$tmp/disc.jsonl")" -ge 3 ]
"$UNMASK" -v scan --no-db --json --no-progress --timeout 800 --discover v0 --discover-wait 1500 \
    --exclude 10.77.0.3 >"$tmp/disc2.jsonl" 2>"$tmp/disc2.log" || true
check "an excluded host found by discovery is not scanned" sh -c "! grep -q '\"10.77.0.3\"' '$tmp/disc2.jsonl'"
check "unknown interface is a usage error" sh -c "'$UNMASK' scan --no-db --discover nosuch0 >/dev/null 2>&1; [ \$? -eq 1 ] || [ \$? -eq 2 ]"
finish
