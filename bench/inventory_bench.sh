#!/bin/bash
# inventory_bench.sh [UNMASK]: `unmask inventory` throughput on one core, in rows per second.
# Goal (issue 6): at least 500,000 rows a second.
# Generates a 1,000,000-row asset register (bench/gen_inventory.py; N=... to change), then times three
# runs of `unmask inventory` pinned to one CPU for each output mode, output to /dev/null, and prints the
# best of each: wall-clock time and CPU time (user + system; on a shared machine the wall clock also
# counts other processes' turns). Startup (knowledge files and IEEE registry) is measured apart.
# Screening runs with --no-db; recording into the store (SQLite) is timed once, on 100,000 rows.
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
start=$( { time printf 'Brand\n' | "${pin[@]}" "$UNMASK" inventory --no-db --format json - >/dev/null; } 2>&1 | awk '{print $1}')
echo "inventory: $rows rows, $((bytes / 1000000)) MB of CSV; startup ${start} s"
run() { # label, options...
    label=$1
    shift
    best_w="" best_c=""
    for i in 1 2 3; do
        t=$( { time "${pin[@]}" "$UNMASK" inventory "$@" --as-of 2026-11-27 "${input:-$tmp/assets.csv}" >/dev/null; } 2>&1 | tail -1)
        w=$(echo "$t" | awk '{print $1}')
        c=$(echo "$t" | awk '{print $2 + $3}')
        if [ -z "$best_w" ] || awk "BEGIN{exit !($w < $best_w)}"; then best_w=$w; fi
        if [ -z "$best_c" ] || awk "BEGIN{exit !($c < $best_c)}"; then best_c=$c; fi
    done
    printf 'inventory %-28s %8.0f rows/s wall (%.2f s), %8.0f rows/s CPU (%.2f s); goal 500000\n' \
        "$label:" "$(awk "BEGIN{print $rows / $best_w}")" "$best_w" \
        "$(awk "BEGIN{print $rows / $best_c}")" "$best_c"
}
run "--format json" --format json --no-db
run "--format csv" --format csv --no-db
run "--format json --only suspect" --format json --only suspect --no-db
head -100001 "$tmp/assets.csv" >"$tmp/head.csv"
rows=$(($(wc -l <"$tmp/head.csv") - 1))
input=$tmp/head.csv
t=$( { time "${pin[@]}" "$UNMASK" inventory --format json --only suspect --db "$tmp/bench.db" \
    --as-of 2026-11-27 "$input" >/dev/null; } 2>&1 | tail -1)
printf 'inventory %-28s %8.0f rows/s wall (%.2f s) recording every row into the store\n' \
    "--db (first 100,000 rows):" "$(awk "BEGIN{print $rows / $(echo "$t" | awk '{print $1}')}")" \
    "$(echo "$t" | awk '{print $1}')"
