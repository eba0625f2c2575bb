#!/bin/sh
# fixtures.sh: judges the real-world fixture sets and checks every expectation.
#
# tests/fixtures/observations-dev.jsonl holds real strings (rapid7/recog, nmap, the IEEE registry), each
# with its expected maker and verdict class and its source (copied from the team's shared research,
# ../shared/fixtures). Rules are written from the sources, never as a lookup of these strings.
#   flagged      -> verdict covered or white-label, with the expected maker
#   suspect      -> verdict suspect, covered or white-label, with the expected maker
#   not-flagged  -> verdict neither covered nor white-label
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for f in "$here"/fixtures/observations-*.jsonl; do
    "$UNMASK" identify --no-db --format json --as-of 2026-11-27 "$f" >"$tmp/out.jsonl"
    python3 - "$f" "$tmp/out.jsonl" <<'PY' || status=1
import json, sys
exp = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
got = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert len(exp) == len(got), f"{len(exp)} devices in, {len(got)} verdicts out"
flag = {"covered", "white-label"}
bad = 0
for e, g in zip(exp, got):
    assert e["id"] == g["id"], (e["id"], g["id"])
    want, maker = e["expected_verdict"], e["expected_maker"]
    v, m = g["verdict"], g["maker"]
    ok = (want == "flagged" and v in flag and m == maker) or \
         (want == "suspect" and v in flag | {"suspect"} and m == maker) or \
         (want == "not-flagged" and v not in flag)
    if not ok:
        bad += 1
        print(f"FAIL {e['id']}: expected {want} {maker}, got {v} {m}: {g['explanation']}")
print(f"fixtures {sys.argv[1].rsplit('/', 1)[-1]}: {len(exp) - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
done
exit $status
