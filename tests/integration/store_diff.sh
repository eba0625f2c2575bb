#!/bin/sh
# store_diff.sh: the lab changes between two runs (a device added, one removed, one with new
# firmware) and `unmask diff` shows exactly those three changes, with the shipped knowledge.
# The same code compares two scans of a changing lab.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/unmask.db

python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
def hik(name, mac, fw):
    return {"id": name, "observations": [
        {"proto": "http", "field": "server", "value": "App-webs/", "port": 80, "path": "/"},
        {"proto": "isapi", "field": "namespace", "value": "http://www.hikvision.com/ver20/XMLSchema"},
        {"proto": "isapi", "field": "model", "value": "DS-2CD2386G2-IU"},
        {"proto": "isapi", "field": "firmware", "value": fw},
        {"proto": "mac", "field": "address", "value": mac}]}
dahua = {"id": "cam-2", "observations": [
    {"proto": "dhip", "field": "vendor", "value": "Dahua"},
    {"proto": "dhip", "field": "device_type", "value": "IPC-HDW5831R-ZE"},
    {"proto": "dhip", "field": "version", "value": "2.800.0000016.0.R"},
    {"proto": "mac", "field": "address", "value": "3c:ef:8c:00:00:02"}]}
nvr = {"id": "nvr-3", "observations": [
    {"proto": "http", "field": "server", "value": "DNVRS-Webs", "port": 80, "path": "/"},
    {"proto": "mac", "field": "address", "value": "24:28:fd:00:00:03"}]}
other = {"id": "cam-5", "observations": [
    {"proto": "http", "field": "title", "value": "AXIS M3106-L Mk II Network Camera"},
    {"proto": "mac", "field": "address", "value": "ac:cc:8e:00:00:05"}]}
first = [hik("cam-1", "44:19:b6:00:00:01", "V5.5.0"), dahua, nvr, other]
# Second visit: cam-1 was upgraded, nvr-3 is gone, cam-4 is new; the rest say the same.
second = [other, hik("cam-1", "44:19:b6:00:00:01", "V5.7.18"), dahua,
          hik("cam-4", "44:19:b6:00:00:04", "V5.7.18")]
for name, devs in (("lab1", first), ("lab2", second)):
    with open(f"{tmp}/{name}.jsonl", "w") as f:
        f.writelines(json.dumps(d) + "\n" for d in devs)
PY

"$UNMASK" identify --format json --db "$db" "$tmp/lab1.jsonl" >/dev/null
"$UNMASK" identify --format json --db "$db" "$tmp/lab2.jsonl" >/dev/null
"$UNMASK" diff --db "$db" --format json >"$tmp/diff.jsonl"
"$UNMASK" diff --db "$db" >"$tmp/diff.txt"

python3 - "$tmp/diff.jsonl" <<'PY'
import json, sys
changes = [json.loads(l) for l in open(sys.argv[1])]
got = sorted((c["change"], c["name"], tuple(c.get("fields", []))) for c in changes)
want = [("changed", "cam-1", ("firmware",)), ("gone", "nvr-3", ()), ("new", "cam-4", ())]
assert got == want, f"diff: got {got}, want {want}"
fw = [c for c in changes if c["change"] == "changed"][0]
assert (fw["before"]["firmware"], fw["after"]["firmware"]) == ("5.5.0", "5.7.18"), fw
print("store_diff: exactly the three changes:", ", ".join(f"{c} {n}" for c, n, _ in got))
PY
grep -q '^3 changes: 1 new, 1 gone, 1 changed$' "$tmp/diff.txt" || { cat "$tmp/diff.txt" >&2; exit 1; }
grep -q '^~ changed  cam-1 .*firmware 5.5.0 -> 5.7.18$' "$tmp/diff.txt" || { cat "$tmp/diff.txt" >&2; exit 1; }
# Naming the runs gives the same answer; the reverse order swaps new and gone.
"$UNMASK" diff --db "$db" 1 2 | cmp -s - "$tmp/diff.txt" || { echo "diff 1 2 differs" >&2; exit 1; }
"$UNMASK" diff --db "$db" 2 1 >"$tmp/back.txt"
grep -q '^+ new      nvr-3 ' "$tmp/back.txt" && grep -q '^- gone     cam-4 ' "$tmp/back.txt" ||
    { cat "$tmp/back.txt" >&2; exit 1; }
echo "store_diff: ok"
