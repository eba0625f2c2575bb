#!/bin/bash
# inventory_bench.sh [UNMASK]: `unmask inventory` throughput on one core, in rows per second.
# Goal (issue 6): at least 500,000 rows a second.
# Generates a 1,000,000-row asset register (bench/gen_inventory.py; N=... to change), then times three
# runs of `unmask inventory` pinned to one CPU for each output mode, output to /dev/null, and prints the
# best of each: wall-clock time and CPU time (user + system; on a shared machine the wall clock also
# counts other processes' turns). Startup (knowledge files and IEEE registry) is measured apart.
set -eu
UNMASK=${1:-build/release/unmask}
N=${N:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_inventory.py" "$N" 7 >"$tmp/assets.csv"
rows=$(($(wc -l <"$tmp/assets.csv") - 1))
bytes=$(wc -c <"$tmp/assets.csv")
pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)
TIMEFORMAT='%R %U %S'
start=$( { time printf 'Brand\n' | "${pin[@]}" "$UNMASK" inventory --format json - >/dev/null; } 2>&1 | awk '{print $1}')
echo "inventory: $rows rows, $((bytes / 1000000)) MB of CSV; startup ${start} s"
run() { # label, options...
    label=$1
    shift
    best_w="" best_c=""
    for i in 1 2 3; do
        t=$( { time "${pin[@]}" "$UNMASK" inventory "$@" --as-of 2026-11-27 "$tmp/assets.csv" >/dev/null; } 2>&1 | tail -1)
        w=$(echo "$t" | awk '{print $1}')
        c=$(echo "$t" | awk '{print $2 + $3}')
        if [ -z "$best_w" ] || awk "BEGIN{exit !($w < $best_w)}"; then best_w=$w; fi
        if [ -z "$best_c" ] || awk "BEGIN{exit !($c < $best_c)}"; then best_c=$c; fi
    done
    printf 'inventory %-28s %8.0f rows/s wall (%.2f s), %8.0f rows/s CPU (%.2f s); goal 500000\n' \
        "$label:" "$(awk "BEGIN{print $rows / $best_w}")" "$best_w" \
        "$(awk "BEGIN{print $rows / $best_c}")" "$best_c"
}
run "--format json" --format json
run "--format csv" --format csv
run "--format json --only suspect" --format json --only suspect
