#!/bin/sh
# inventory_nmap.sh: `unmask import nmap` end to end.
#
# 1. The XML files Debian's nmap 7.93 wrote against loopback_services.py (tests/fixtures/nmap/, made
#    by make_loopback.sh) and the hand-written script shapes (synthetic.xml) yield the expected maker
#    and verdict for every host, with the file, the <host> line and the address.
# 2. If nmap is installed: a live run of nmap (scripts ssl-cert and banner, no -sV, about ten seconds)
#    against loopback_services.py on ports the kernel picks, on 127.0.0.6 and 127.0.0.7 only,
#    imported the same way.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")/.." && pwd)
fx=$here/fixtures/nmap
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
export UNMASK_AS_OF=2026-11-27 UNMASK_DB="$tmp/unmask.db"
status=0

# check FILE EXPECT...: EXPECT is ADDRESS=VERDICT:MAKER for each host, in order.
check() {
    file=$1
    shift
    "$UNMASK" import nmap --format json "$file" >"$tmp/out.jsonl"
    python3 - "$tmp/out.jsonl" "$file" "$@" <<'PY' || status=1
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
want = [w.split("=") for w in sys.argv[3:]]
name = sys.argv[2].rsplit("/", 1)[-1]
bad = 0
if len(got) != len(want):
    print(f"FAIL {name}: {len(got)} hosts, expected {len(want)}")
    sys.exit(1)
for g, (addr, vm) in zip(got, want):
    verdict, maker = vm.split(":")
    ok = g["address"] == addr and g["verdict"] == verdict and (g["maker"] or "-") == maker \
        and g["file"] == sys.argv[2] and g["row"] > 0
    if not ok:
        bad += 1
        print(f"FAIL {name} {addr}: got {g['address']} {g['verdict']} {g['maker']}: {g['explanation']}")
print(f"import {name}: {len(got) - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
}

check "$fx/loopback-sV.xml" 127.0.0.2=covered:hikvision 127.0.0.3=covered:dahua \
    127.0.0.4=covered:huawei 127.0.0.5=unknown:-
check "$fx/loopback-scripts.xml" 127.0.0.6=covered:hikvision 127.0.0.7=covered:hikvision
check "$fx/synthetic.xml" 192.0.2.10=covered:hikvision 192.0.2.11=covered:dahua \
    192.0.2.12=white-label:huawei

# nmap -sV -T4 against `unmask lab --hosts 12 --seed 3` (lab-truth.jsonl is the lab's --truth): every
# host gets its true maker, the EZVIZ camera through nmap's own product string "Hikvision 7513 POE IP
# camera rtspd" (rules/25-nmap.rules: nmap.product); white labels whose label lives in SADP/DHIP/ONVIF
# import as covered by the right maker.
check "$fx/lab-sV.xml" 127.77.0.1=covered:hikvision 127.77.0.2=covered:hikvision \
    127.77.0.3=covered:dahua 127.77.0.4=covered:dahua 127.77.0.5=covered:huawei \
    127.77.0.6=white-label:hikvision 127.77.0.7=covered:huawei 127.77.0.8=covered:dahua \
    127.77.0.9=covered:hikvision 127.77.0.10=covered:dahua 127.77.0.11=covered:hikvision \
    127.77.0.12=covered:zte
python3 - "$fx/lab-truth.jsonl" "$tmp/out.jsonl" <<'PY' || status=1
import json, sys
truth = {t["address"]: t for t in map(json.loads, open(sys.argv[1]))}
got = [json.loads(l) for l in open(sys.argv[2])]
wrong = [g["address"] for g in got if g["maker"] and g["maker"] != truth[g["address"]]["maker"]]
print(f"lab-sV.xml against the lab's truth: {len(got) - len(wrong)} passed, {len(wrong)} failed")
sys.exit(1 if wrong else 0)
PY

if ! command -v nmap >/dev/null 2>&1; then
    echo "SKIP: live nmap run: nmap is not installed (apt-get install nmap)"
    exit $status
fi
python3 "$fx/loopback_services.py" "$tmp/ports" --any-port 2>"$tmp/svc.err" &
pid=$!
i=0
while [ ! -s "$tmp/ports" ]; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then echo "FAIL: loopback services did not start"; cat "$tmp/svc.err"; exit 1; fi
    sleep 0.1
done
tls=$(awk '$1 == "127.0.0.6" {print $2}' "$tmp/ports")
tel=$(awk '$1 == "127.0.0.7" {print $2}' "$tmp/ports")
nmap -Pn -n -p "$tls,$tel" --script ssl-cert,banner -oX "$tmp/live.xml" 127.0.0.6-7 >/dev/null 2>&1
check "$tmp/live.xml" 127.0.0.6=covered:hikvision 127.0.0.7=covered:hikvision
exit $status
