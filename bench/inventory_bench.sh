#!/bin/sh
# inventory_bench.sh [UNMASK]: `unmask inventory` throughput on one core, in rows per second.
# Goal (issue 6): at least 500,000 rows a second.
# Generates a 1,000,000-row asset register (bench/gen_inventory.py; N=... to change), then times three
# runs of `unmask inventory` pinned to one CPU for each output format, output to /dev/null, and prints
# the best of each. Startup (knowledge files and IEEE registry) is measured apart.
set -eu
UNMASK=${1:-build/release/unmask}
N=${N:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_inventory.py" "$N" 7 >"$tmp/assets.csv"
rows=$(($(wc -l <"$tmp/assets.csv") - 1))
bytes=$(wc -c <"$tmp/assets.csv")
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
s=$(date +%s.%N); printf 'Brand\n' | $pin "$UNMASK" inventory --format json - >/dev/null; e=$(date +%s.%N)
start=$(awk "BEGIN{print $e - $s}")
for fmt in json csv; do
    best=""
    for i in 1 2 3; do
        s=$(date +%s.%N)
        $pin "$UNMASK" inventory --format "$fmt" --as-of 2026-11-27 "$tmp/assets.csv" >/dev/null
        e=$(date +%s.%N)
        t=$(awk "BEGIN{print $e - $s}")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    printf 'inventory --format %s: %d rows (%d MB), best of 3: %.3f s (startup %.3f s)\n' \
        "$fmt" "$rows" "$((bytes / 1000000))" "$best" "$start"
    printf 'inventory --format %s: %.0f rows/s on one core (%.0f excluding startup); goal 500000\n' \
        "$fmt" "$(awk "BEGIN{print $rows / $best}")" "$(awk "BEGIN{print $rows / ($best - $start)}")"
done
