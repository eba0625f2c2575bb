#!/bin/bash
# inventory_bench.sh [UNMASK]: `unmask inventory` throughput on one core, in rows per second.
# Goal (issue 6): at least 500,000 rows a second.
# Generates a 1,000,000-row asset register (bench/gen_inventory.py; N=... to change), then times three
# runs of `unmask inventory` pinned to one CPU for each output mode, output to /dev/null, and prints the
# best of each: wall-clock time and CPU time (user + system; on a shared machine the wall clock also
# counts other processes' turns). Startup (knowledge files and IEEE registry) is measured apart.
# Screening runs with --no-db; recording into the store (SQLite) is timed once, on 100,000 rows.
# The peer is what a compliance team does without unmask: grep the register for the covered makers'
# names. Both run on the same file; the script prints the time ratio and what each flags (grep cannot
# see white labels, own brands without the maker's name, or the MAC registrant).
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

# Side by side with the peer: grep for the covered makers' names (case-insensitive), one pinned core.
pattern='hikvision|dahua|huawei|zte|hytera'
TIMEFORMAT='%R'
g_t=$( { time "${pin[@]}" grep -ciE "$pattern" "$tmp/assets.csv" >"$tmp/grep.count"; } 2>&1 | tail -1)
g_rows=$(cat "$tmp/grep.count")
u_t=$( { time "${pin[@]}" "$UNMASK" inventory --no-db --format csv --only white-label --as-of 2026-11-27 \
    "$tmp/assets.csv" >"$tmp/flagged.csv"; } 2>&1 | tail -1)
u_rows=$(($(wc -l <"$tmp/flagged.csv") - 1))
read -r missed grep_only < <(python3 - "$tmp/flagged.csv" "$tmp/assets.csv" "$pattern" <<'PY'
import csv, re, sys
pat = re.compile(sys.argv[3], re.I)
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
flagged = {int(r["row"]) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
grep = {i + 1 for i, l in enumerate(lines) if pat.search(l)}
# Rows unmask flags whose line grep does not match, and the other way round (the bench's records
# have no multi-line cells, so a row is a line).
print(len(flagged - grep), len(grep - flagged))
PY
)
printf 'peer grep -ciE %s: %s rows in %.2f s; unmask (covered + white-label): %s rows in %.2f s\n' \
    "'$pattern'" "$g_rows" "$g_t" "$u_rows" "$u_t"
printf 'ratio: unmask takes %.1fx grep'"'"'s time; it flags %s rows grep misses (white labels, own brands,\n' \
    "$(awk "BEGIN{print $u_t / $g_t}")" "$missed"
printf '       unbranded items), and grep flags %s rows unmask does not (a name inside a serial number,\n' "$grep_only"
printf '       or a label with no other evidence, which unmask calls suspect)\n'
