#!/bin/bash
# store_stream.sh: `unmask identify` reading a stream that stalls (a FIFO, as behind `tail -f`) prints
# and stores each device at once: the reader hands over the lines it has (read(2), not a full fread
# chunk), the recorder commits each device rather than a batch (docs/STORE.md), and the output is
# line-buffered, so a device sent before the stall is on stdout and in the database while the writer
# still waits. Once with the store, once with --no-db.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
tmp=$(mktemp -d)
pid=
trap 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db=$tmp/unmask.db

for mode in db no-db; do
    rm -f "$tmp/in" "$tmp/out.jsonl"
    mkfifo "$tmp/in"
    opt=(--db "$db")
    [ "$mode" = no-db ] && opt=(--no-db)
    "$UNMASK" identify --format json "${opt[@]}" <"$tmp/in" >"$tmp/out.jsonl" 2>"$tmp/err" &
    pid=$!
    exec 3>"$tmp/in"
    for i in 1 2 3; do
        printf '{"id":"%s-%d","observations":[{"proto":"http","field":"server","value":"App-webs/"}]}\n' \
            "$mode" "$i" >&3
    done
    # The writer stays open: the three verdicts must come out (and be stored) anyway.
    for _ in $(seq 100); do
        [ "$(wc -l <"$tmp/out.jsonl")" -ge 3 ] && break
        sleep 0.05
    done
    printed=$(wc -l <"$tmp/out.jsonl")
    stored=3
    [ "$mode" = db ] && stored=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM records").fetchone()[0])' "$db")
    if [ "$printed" -ne 3 ] || [ "$stored" -ne 3 ]; then
        echo "store_stream ($mode): with the stream stalled, $printed printed and $stored stored" \
            "(want 3 and 3)" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
    exec 3>&-
    wait "$pid"
    pid=
done
echo "store_stream: 3 devices printed (and stored) while the stream stalled, with and without the store; ok"
