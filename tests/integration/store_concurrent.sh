#!/bin/sh
# store_concurrent.sh: two `unmask identify` processes recording into one database at the same time
# lose nothing: every record of both runs is stored, a device both saw is one device (the lookup
# and the insert share one write transaction), and the database is consistent.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/unmask.db
n=3000

# Two inputs that overlap by half: devices n/2 .. n-1 are in both.
python3 - "$tmp" "$n" <<'PY'
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
def dev(i):
    return json.dumps({"id": f"dev-{i}", "observations": [
        {"proto": "http", "field": "server", "value": "App-webs/", "port": 80, "path": "/"},
        {"proto": "mac", "field": "address",
         "value": "44:19:b6:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)}]})
with open(f"{tmp}/a.jsonl", "w") as f:
    f.writelines(dev(i) + "\n" for i in range(n))
with open(f"{tmp}/b.jsonl", "w") as f:
    f.writelines(dev(i) + "\n" for i in range(n // 2, n + n // 2))
PY

# Both processes start, load their knowledge and open their run, then wait on a FIFO for input; only
# when both runs exist is the input let through, so that they record at the same time.
mkfifo "$tmp/a.fifo" "$tmp/b.fifo"
exec 3<>"$tmp/a.fifo" 4<>"$tmp/b.fifo"
# (3>&- 4>&-: a reader must not hold the write ends, or it never sees the end of its input.)
"$UNMASK" identify --format json --db "$db" "$tmp/a.fifo" >"$tmp/a.out" 2>"$tmp/a.err" 3>&- 4>&- &
a=$!
"$UNMASK" identify --format json --db "$db" "$tmp/b.fifo" >"$tmp/b.out" 2>"$tmp/b.err" 3>&- 4>&- &
b=$!
python3 - "$db" 3>&- 4>&- <<'PY'
import os, sqlite3, sys, time
end = time.time() + 120
while time.time() < end:
    if os.path.exists(sys.argv[1]):
        try:
            if sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM runs").fetchone()[0] == 2:
                sys.exit(0)
        except sqlite3.Error:
            pass  # not created or migrated yet
    time.sleep(0.05)
sys.exit("store_concurrent: the two runs did not begin")
PY
cat "$tmp/a.jsonl" >&3 4>&- &
ca=$!
cat "$tmp/b.jsonl" >&4 3>&- &
cb=$!
wait $ca $cb
exec 3>&- 4>&-
ra=0 rb=0
wait $a || ra=$?
wait $b || rb=$?
if [ $ra -ne 0 ] || [ $rb -ne 0 ]; then
    echo "store_concurrent: identify exited $ra and $rb" >&2
    cat "$tmp/a.err" "$tmp/b.err" >&2
    exit 1
fi

python3 - "$db" "$n" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
n = int(sys.argv[2])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
runs = con.execute("SELECT id, status FROM runs ORDER BY id").fetchall()
assert runs == [(1, "complete"), (2, "complete")], runs
per_run = dict(con.execute("SELECT run_id, count(*) FROM records GROUP BY run_id"))
assert per_run == {1: n, 2: n}, per_run
devices = con.execute("SELECT count(*) FROM devices").fetchone()[0]
assert devices == n + n // 2, devices
dup = con.execute("SELECT count(*) FROM (SELECT mac FROM devices GROUP BY mac HAVING count(*) > 1)").fetchone()[0]
assert dup == 0
# Both runs were written at the same time: their records interleave.
(first_a, last_a), (first_b, last_b) = con.execute(
    "SELECT min(id), max(id) FROM records GROUP BY run_id ORDER BY run_id").fetchall()
assert first_b < last_a and first_a < last_b, f"the two runs did not write at the same time: {(first_a, last_a, first_b, last_b)}"
print(f"store_concurrent: {2 * n} records from two writers at once, {devices} devices")
PY
echo "store_concurrent: ok"
