#!/bin/sh
# demo.sh UNMASK: the main job. Starts a lab of 300 simulated devices (genuine and white-labelled
# Hikvision and Dahua cameras and recorders, Huawei and ZTE network gear, non-covered controls; see
# `unmask lab --list`) in a network namespace of its own, scans it, prints the table with its
# summary, records the scan in the store and writes the HTML report, then stops the lab.
#
# Everything stays on this machine: the lab serves loopback addresses inside a namespace the demo
# creates (unshare: a plain network namespace as root, a user namespace too for anyone else, so no
# privileges are needed), and the scanner only ever talks to the addresses it is given.
set -eu
UNMASK=${1:-build/release/unmask}
here=$(cd "$(dirname "$0")/.." && pwd)
UNMASK=$(cd "$(dirname "$UNMASK")" && pwd)/$(basename "$UNMASK")
out=${DEMO_DIR:-$here/build/demo}
HOSTS=${DEMO_HOSTS:-300}

if [ -z "${DEMO_IN_NS:-}" ]; then
    mkdir -p "$out"
    rm -f "$out/unmask.db" "$out/unmask.db-wal" "$out/unmask.db-shm"
    if [ "$(id -u)" -eq 0 ]; then
        DEMO_IN_NS=1 exec unshare -n sh "$0" "$UNMASK"
    fi
    if ! unshare -rn true 2>/dev/null; then
        echo "unmask demo: network namespaces are not available here (unshare -rn failed);" >&2
        echo "unmask demo: hint: run 'make demo' as root, or enable unprivileged user namespaces" >&2
        exit 1
    fi
    DEMO_IN_NS=1 exec unshare -rn sh "$0" "$UNMASK"
fi
ip link set lo up
tmp=$(mktemp -d)
trap 'kill $LAB 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$UNMASK" lab --hosts "$HOSTS" --seed 1 --truth "$out/truth.jsonl" --ready-file "$tmp/ready" \
    >"$tmp/lab.out" 2>"$tmp/lab.err" &
LAB=$!
i=0
while [ ! -s "$tmp/ready" ]; do
    i=$((i + 1))
    if [ $i -gt 200 ] || ! kill -0 $LAB 2>/dev/null; then
        echo "unmask demo: the lab did not start" >&2
        cat "$tmp/lab.err" >&2
        exit 1
    fi
    sleep 0.05
done
last=$(sed -n 's/.*devices \(.*\)-\(.*\)$/\2/p' "$tmp/ready")
echo "unmask demo: $(cat "$tmp/ready" | sed 's/^unmask lab: //') (the lab, in a network namespace of its own)"
echo "unmask demo: unmask scan 127.77.0.1-$last"
echo
start=$(date +%s.%N)
"$UNMASK" scan --db "$out/unmask.db" --format table --rate 0 "127.77.0.1-$last" && rc=0 || rc=$?
secs=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
kill -TERM $LAB
wait $LAB 2>/dev/null || true
LAB=
[ "$rc" -le 1 ] || exit "$rc"
echo
echo "unmask demo: scanned $HOSTS devices in $secs s"
"$UNMASK" report --db "$out/unmask.db" -o "$out/report.html"
echo "unmask demo: recorded in $out/unmask.db ($UNMASK history --db $out/unmask.db)"
echo "unmask demo: HTML report $out/report.html"
echo "unmask demo: the lab's ground truth: $out/truth.jsonl; evidence chains: add --json to the scan"
