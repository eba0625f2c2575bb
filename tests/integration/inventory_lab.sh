#!/bin/sh
# inventory_lab.sh: `nmap -sV -oX` against `unmask lab`, imported with `unmask import nmap`, compared
# with the lab's ground truth (--truth).
#
# Runs in a network namespace of its own (unshare -rn: works as root and as an ordinary user), so
# every packet stays on that namespace's loopback. Needs nmap; runs in the release build only (nmap
# takes about a minute, and the sanitizer build of the importer is exercised by the other tests).
#
# nmap's script results depend on timing, so this live run fails only on a wrong attribution: a host
# judged to be another maker than its true one, or judged covered/white-label when it is not. What was
# identified, what was weaker than the truth, and what nmap named only in its own service names
# (nmap.product, which no rule reads yet) is printed. The deterministic comparison is
# inventory_nmap.sh, on the XML of such a run kept in tests/fixtures/nmap/lab-sV.xml.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
if [ "${BUILD:-release}" != release ]; then
    echo "SKIP: inventory_lab.sh runs in the release build only"
    exit 0
fi
if ! command -v nmap >/dev/null 2>&1; then
    echo "SKIP: inventory_lab.sh: nmap is not installed (apt-get install nmap)"
    exit 0
fi
if [ -z "${INVLAB_IN_NS:-}" ]; then
    if ! unshare -rn true 2>/dev/null; then
        echo "SKIP: inventory_lab.sh: network namespaces are not available (unshare -rn)"
        exit 0
    fi
    INVLAB_IN_NS=1 exec unshare -rn sh "$0" "$@"
fi
ip link set lo up
tmp=$(mktemp -d)
lab=
trap '[ -n "$lab" ] && kill "$lab" 2>/dev/null; rm -rf "$tmp"' EXIT
"$UNMASK" lab --hosts 12 --seed 3 --truth "$tmp/truth.jsonl" --ready-file "$tmp/ready" \
    >"$tmp/lab.out" 2>"$tmp/lab.err" &
lab=$!
i=0
while [ ! -s "$tmp/ready" ]; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$lab" 2>/dev/null; then
        echo "FAIL: the lab did not become ready"
        cat "$tmp/lab.err"
        exit 1
    fi
    sleep 0.1
done
first=$(awk -F'"' 'NR == 1 {print $4}' "$tmp/truth.jsonl")
base=${first%.*}
nmap -sV -Pn -n -T5 --version-light --script-timeout 10s -p 22,23,80,443,554,8000 \
    --script http-title,http-headers,http-server-header,banner,rtsp-methods,ssl-cert \
    -oX "$tmp/lab.xml" "$base.1-12" >"$tmp/nmap.out" 2>&1
"$UNMASK" import nmap --no-db --format json --as-of 2026-11-27 "$tmp/lab.xml" >"$tmp/out.jsonl"
python3 - "$tmp/truth.jsonl" "$tmp/out.jsonl" "$tmp/lab.xml" <<'PY'
import json, re, sys
truth = {t["address"]: t for t in map(json.loads, open(sys.argv[1]))}
got = [json.loads(l) for l in open(sys.argv[2])]
xml = open(sys.argv[3]).read()
products = {}
for h in re.findall(r"<host .*?</host>", xml, re.S):
    a = re.search(r'<address addr="([^"]+)" addrtype="ipv', h).group(1)
    products[a] = re.findall(r'product="([^"]*)"', h)
flag = {"covered", "white-label"}
wrong = found = 0
for g in got:
    t = truth[g["address"]]
    if g["maker"] is None:
        named = [p for p in products.get(g["address"], []) if t["maker"] in p.lower()]
        note = f"; nmap named it: {named[0]!r} (nmap.product, no rule yet)" if named else ""
        print(f"gap {g['address']} {t['personality']}: not identified{note}")
        continue
    if g["maker"] != t["maker"] or (g["verdict"] in flag and t["verdict"] not in flag):
        wrong += 1
        print(f"FAIL {g['address']} {t['personality']}: truth {t['verdict']} {t['maker']}, "
              f"import {g['verdict']} {g['maker']}: {g['explanation']}")
        continue
    found += 1
    print(f"ok {g['address']} {t['personality']}: {g['verdict']} {g['maker']}"
          + ("" if g["verdict"] == t["verdict"] else f" (truth {t['verdict']})"))
missing = len(truth) - len(got)
print(f"inventory_lab: {found} of {len(truth)} hosts identified, {wrong} wrong, {missing} not in the XML")
print(f"inventory_lab: {len(got) - wrong} passed, {wrong + missing} failed")
sys.exit(1 if wrong or missing else 0)
PY
