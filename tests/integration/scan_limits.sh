#!/bin/sh
# scan_limits.sh: the scanner keeps its promises of politeness and pace, measured on the device side:
# at most --host-conns TCP connections open at once to one host (default 2), and no more than --rate
# new exchanges a second. The devices (tests/integration/scan_responders.py count) hold every
# connection 300 ms and record how many were open at once and when each came.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab_common.inc"
lab_enter "$0" "$@"

run_counted() { # OUT ARGS...: scan four hosts with the counting responders, stats in OUT
    out=$1
    shift
    python3 "$here/scan_responders.py" count "$out" 127.66.0.1 127.66.0.2 127.66.0.3 127.66.0.4 \
        >"$tmp/resp.out" 2>"$tmp/resp.err" &
    RESP=$!
    i=0
    until grep -q ready "$tmp/resp.out" 2>/dev/null; do
        i=$((i + 1))
        [ $i -gt 200 ] && { echo "FAIL: responders did not start"; cat "$tmp/resp.err"; exit 1; }
        sleep 0.05
    done
    "$UNMASK" scan --no-db --json --no-progress -U none --timeout 2000 "$@" 127.66.0.1-127.66.0.4 \
        >"$tmp/scan.jsonl" 2>"$tmp/scan.err" || true
    kill $RESP
    wait $RESP 2>/dev/null || true
}

peak() { python3 -c "import json; print(max(json.load(open('$1'))['peak'].values()))"; }

run_counted "$tmp/default.json" --rate 0
echo "default: at most $(peak "$tmp/default.json") connections at once to one host"
check "default: at most 2 connections at once per host" [ "$(peak "$tmp/default.json")" -le 2 ]
check "default: the limit is used (2 at once)" [ "$(peak "$tmp/default.json")" -eq 2 ]

run_counted "$tmp/one.json" --rate 0 --host-conns 1
check "--host-conns 1: one at a time" [ "$(peak "$tmp/one.json")" -eq 1 ]

run_counted "$tmp/rate.json" --rate 20 --host-conns 8
python3 - "$tmp/rate.json" >"$tmp/rate.txt" <<'PY'
import json, sys
t = sorted(json.load(open(sys.argv[1]))["times"])
# The most connections that arrived within any one second (a 10 ms bucket of slack at the edges).
worst = max(sum(1 for u in t if s <= u < s + 1.0) for s in t)
print(len(t), worst, "%.2f" % (t[-1] - t[0]))
PY
read -r n worst span <"$tmp/rate.txt"
echo "--rate 20: $n connections over $span s, at most $worst in one second"
check "--rate 20: no second with more than 20 (+1 burst) connections" [ "$worst" -le 21 ]
check "--rate 20: the scan took as long as the rate says" python3 -c "import sys; sys.exit(0 if $span >= ($n - 1) / 20.0 - 0.2 else 1)"
finish
