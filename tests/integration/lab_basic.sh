#!/bin/sh
# lab_basic.sh: the lab in a network namespace of its own, checked with real clients (curl and plain
# sockets): ready line, pid and ready files, ground truth, HTTP, RTSP, the SDK port, refusal of addresses
# outside the lab, and a clean stop on SIGTERM.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab_common.inc"
if [ -z "${LAB_IN_NS:-}" ]; then
    # Outside any namespace of ours: --all-interfaces must be refused before anything is bound.
    rc=0
    timeout 5 "$UNMASK" lab --all-interfaces --hosts 2 --personality linux-web >/dev/null 2>&1 || rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "FAIL --all-interfaces outside a private network namespace: exit $rc, expected 2"
        exit 1
    fi
fi
lab_enter "$0" "$@"

lab_start --hosts 8 --seed 7 --personality hikvision-ipc --truth "$tmp/truth.jsonl" \
    --pidfile "$tmp/pid"
check "ready line" grep -qx 'unmask lab: ready 8 devices 127.77.0.1-127.77.0.8' "$tmp/lab.out"
check "ready file" grep -qx 'unmask lab: ready 8 devices 127.77.0.1-127.77.0.8' "$tmp/ready"
check "pidfile" [ "$(cat "$tmp/pid")" = "$LAB_PID" ]
check "truth has 8 lines" [ "$(wc -l <"$tmp/truth.jsonl")" -eq 8 ]
check "truth line" grep -q '^{"address":"127.77.0.3","personality":"hikvision-ipc","maker":"hikvision","brand":"Hikvision","verdict":"covered","mac":"44:19:b6:' "$tmp/truth.jsonl"

curl -si --max-time 2 http://127.77.0.3/ >"$tmp/root" || true
check "http root status" sh -c "head -1 '$tmp/root' | grep -q '^HTTP/1.1 200 OK'"
check "http Server App-webs" contains "$tmp/root" "Server: App-webs/"
curl -s --max-time 2 -o /dev/null -w '%{http_code}' http://127.77.0.3/ISAPI/System/deviceInfo >"$tmp/code" || true
check "isapi 401" grep -qx 401 "$tmp/code"
curl -si --max-time 2 http://127.77.0.3/ISAPI/System/deviceInfo >"$tmp/isapi" || true
check "isapi realm" grep -q 'WWW-Authenticate: Digest qop="auth", realm="IP Camera(C[0-9]\{4\})", nonce="[0-9a-f]\{48\}", stale="FALSE"' "$tmp/isapi"
check "isapi Content-Length 178" contains "$tmp/isapi" "Content-Length: 178"
curl -s --max-time 2 'http://127.77.0.4/ISAPI/Security/sessionLogin/capabilities?username=admin' >"$tmp/cap" || true
check "session login cap" grep -q '<SessionLoginCap version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"><sessionID>[0-9a-f]\{64\}</sessionID>' "$tmp/cap"
curl -s --max-time 2 http://127.77.0.4/nosuch >"$tmp/404" || true
check "404 page" contains "$tmp/404" "Can't locate document: /nosuch"

tcp 127.77.0.2 554 'OPTIONS rtsp://127.77.0.2/ RTSP/1.0\r\nCSeq: 5\r\n\r\nDESCRIBE rtsp://127.77.0.2/ RTSP/1.0\r\nCSeq: 6\r\n\r\n' >"$tmp/rtsp"
check "rtsp options" contains "$tmp/rtsp" "$(printf 'RTSP/1.0 200 OK\r\nCSeq: 5\r\nPublic: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\nDate:  ')"
check "rtsp describe 401" contains "$tmp/rtsp" "$(printf 'RTSP/1.0 401 Unauthorized\r\nCSeq: 6\r\nWWW-Authenticate: Digest realm="IP Camera(C')"
check "rtsp has no Server" sh -c "! grep -q '^Server' '$tmp/rtsp'"

tcp 127.77.0.2 8000 'x' | od -An -tx1 | tr -d ' \n' >"$tmp/sdk"
check "sdk port 16 bytes" grep -qx '000000100000001e0000001e00000000' "$tmp/sdk"

tcp 127.77.0.9 80 'GET / HTTP/1.0\r\n\r\n' >"$tmp/outside"
check "address outside the lab is reset" grep -qx '<RESET>' "$tmp/outside"
tcp 127.0.0.1 80 'GET / HTTP/1.0\r\n\r\n' >"$tmp/outside2"
check "127.0.0.1 is not a device" grep -qx '<RESET>' "$tmp/outside2"

udp 127.77.0.5 37020 '<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>7D5C2A1B-0000-4000-8000-00000000CAFE</Uuid><Types>inquiry</Types></Probe>' >"$tmp/sadp"
check "sadp echoes the Uuid" contains "$tmp/sadp" "<ProbeMatch><Uuid>7D5C2A1B-0000-4000-8000-00000000CAFE</Uuid>"
mac=$(sed -n 's/.*"address":"127.77.0.5".*"mac":"\([^"]*\)".*/\1/p' "$tmp/truth.jsonl" | tr : -)
check "sadp MAC matches the truth" contains "$tmp/sadp" "<MAC>$mac</MAC>"
udp 127.77.0.5 37020 'hello' >"$tmp/junk"
check "no answer to junk" [ ! -s "$tmp/junk" ]

lab_stop
check "pidfile removed" [ ! -e "$tmp/pid" ]
check "ready file removed" [ ! -e "$tmp/ready" ]

# Reproducible: the same seed gives the same truth, another seed other serials.
"$UNMASK" lab --check >/dev/null
check "lab --check" "$UNMASK" lab --check
"$UNMASK" lab --list >"$tmp/list"
check "lab --list names hikvision-ipc" grep -q '^hikvision-ipc ' "$tmp/list"
check "outside 127/8 refused" sh -c "! '$UNMASK' lab --base 10.0.0.1 --hosts 2 2>/dev/null"
finish
