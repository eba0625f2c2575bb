#!/bin/sh
# identify_bench.sh [UNMASK]: identify throughput on one core, in observations per second.
# Goal (issue 2): at least 1,000,000 observations a second with PCRE2 JIT and rules compiled once.
# Generates about 1,000,000 observations (bench/gen_observations.py), then times three runs of
# `unmask identify --format json --no-db` pinned to one CPU, output to /dev/null, and prints the best
# (the judgement alone); then one run that also records every device in a fresh SQLite store.
set -eu
UNMASK=${1:-build/release/unmask}
N=${N:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_observations.py" "$N" 7 >"$tmp/in.jsonl"
obs=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['observations']) for l in open(sys.argv[1])))" "$tmp/in.jsonl")
devs=$(wc -l <"$tmp/in.jsonl")
best=""
for fmt in json; do
    for i in 1 2 3; do
        s=$(date +%s.%N)
        taskset -c 0 "$UNMASK" identify --no-db --format "$fmt" --as-of 2026-11-27 "$tmp/in.jsonl" >/dev/null
        e=$(date +%s.%N)
        t=$(awk "BEGIN{print $e - $s}")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
done
# Startup alone (knowledge files + IEEE registry), to separate fixed cost from throughput.
s=$(date +%s.%N); echo '' | "$UNMASK" identify --no-db --format json >/dev/null; e=$(date +%s.%N)
start=$(awk "BEGIN{print $e - $s}")
printf 'identify: %d devices, %d observations, best of 3: %.3f s (startup %.3f s)\n' "$devs" "$obs" "$best" "$start"
printf 'identify: %.0f observations/s on one core (%.0f excluding startup); goal 1000000\n' \
    "$(awk "BEGIN{print $obs / $best}")" "$(awk "BEGIN{print $obs / ($best - $start)}")"
# With the store: every device recorded (docs/STORE.md), as `unmask identify` does by default.
s=$(date +%s.%N)
taskset -c 0 "$UNMASK" identify --db "$tmp/bench.db" --format json --as-of 2026-11-27 "$tmp/in.jsonl" >/dev/null
e=$(date +%s.%N)
t=$(awk "BEGIN{print $e - $s}")
printf 'identify with the store: %.3f s, %.0f observations/s (%s)\n' "$t" "$(awk "BEGIN{print $obs / $t}")" \
    "$(du -h "$tmp/bench.db" | cut -f1) database"
