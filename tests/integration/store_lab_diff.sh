#!/bin/sh
# store_lab_diff.sh: two scans of a lab that changes in between (a device added, one removed, one with
# new firmware); `unmask diff` must show exactly those three changes.
#
# Both labs serve the same four devices (same mix, count and seed, so every device keeps its index, its
# MAC and serial, and so its identity in the store). What changes is what the network lets through and
# one personality file: in this test's own network namespace, loopback routes only the addresses of the
# devices that are "there" (the first run lacks the fourth device, the second lacks the second one), and
# the second lab reads a copy of the personalities in which the Hikvision IPC's firmware is newer.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/tests/integration/lab_common.inc"
lab_enter "$0" "$@"
db=$tmp/unmask.db
mix=hikvision-ipc,dahua-ipc,axis-camera,zte-ont
cp -r "$here/lab/personalities" "$tmp/p2"
sed -i 's/^  set firmware    V5\.7\.18$/  set firmware    V5.8.2/' "$tmp/p2/10-hikvision-ipc.dev"
check "the second lab's firmware differs" grep -q 'V5.8.2' "$tmp/p2/10-hikvision-ipc.dev"

# Only these loopback addresses are local: the others are unreachable, as a device that is gone.
addr_of_in() { sed -n "s/.*\"address\":\"\([0-9.]*\)\",\"personality\":\"$2\".*/\1/p" "$1" | head -1; }

present() {
    ip route flush table local dev lo 2>/dev/null || true
    ip route add local 127.0.0.1 dev lo table local
    for a in "$@"; do ip route add local "$a" dev lo table local; done
}

run() { # run N PERSONALITIES-DIR ADDRESSES...
    n=$1 dir=$2
    shift 2
    present "$@"
    lab_start --personalities "$dir" --personality "$mix" --hosts 4 --seed 5 --truth "$tmp/truth$n.jsonl"
    "$UNMASK" scan --db "$db" --json --timeout 1500 --no-progress 127.77.0.1-127.77.0.4 \
        >"$tmp/scan$n.jsonl" 2>"$tmp/scan$n.err" || true
    lab_stop
}
# Where the lab puts each personality (the mix is shuffled by the seed): ask it for the truth only.
"$UNMASK" lab --truth-only --personality "$mix" --hosts 4 --seed 5 --truth "$tmp/truth0.jsonl"
hik=$(addr_of_in "$tmp/truth0.jsonl" hikvision-ipc)   # upgraded between the runs
dahua=$(addr_of_in "$tmp/truth0.jsonl" dahua-ipc)     # removed
axis=$(addr_of_in "$tmp/truth0.jsonl" axis-camera)    # unchanged
zte=$(addr_of_in "$tmp/truth0.jsonl" zte-ont)         # added
run 1 "$here/lab/personalities" "$hik" "$dahua" "$axis"
run 2 "$tmp/p2" "$hik" "$axis" "$zte"
check "the same devices in both labs" cmp -s "$tmp/truth1.jsonl" "$tmp/truth2.jsonl"
check "the first scan saw three devices" [ "$(grep -c . "$tmp/scan1.jsonl")" -eq 3 ]
check "the second scan saw three devices" [ "$(grep -c . "$tmp/scan2.jsonl")" -eq 3 ]

"$UNMASK" diff --db "$db" --format json >"$tmp/diff.jsonl"
"$UNMASK" diff --db "$db" >"$tmp/diff.txt"
cat "$tmp/diff.txt"
# The truth names which device sits where; the expected three changes follow from it.
python3 - "$tmp/truth0.jsonl" "$tmp/diff.jsonl" >"$tmp/verdict.txt" <<'PY'
import json, sys
truth = {d["address"]: d["personality"] for d in map(json.loads, open(sys.argv[1]))}
rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
got = sorted((r["change"], truth.get((r.get("after") or r.get("before"))["address"], "?")) for r in rows)
want = [("changed", "hikvision-ipc"), ("gone", "dahua-ipc"), ("new", "zte-ont")]
print("ok" if got == want else "got %s, want %s" % (got, want))
for r in rows:
    if r["change"] == "changed":
        print("fields:", ",".join(r.get("fields", [])))
PY
cat "$tmp/verdict.txt"
check "diff shows exactly the added, the removed and the upgraded device" grep -qx ok "$tmp/verdict.txt"
check "the upgraded device changed its firmware only" grep -qx "fields: firmware" "$tmp/verdict.txt"
finish
