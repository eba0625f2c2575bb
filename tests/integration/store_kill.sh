#!/bin/sh
# store_kill.sh: an `unmask identify` killed with SIGKILL while it records leaves a consistent
# database (PRAGMA integrity_check) that holds every device it printed, and the next run goes on
# using it. Each device is committed before its verdict is printed (docs/STORE.md): identify reads a
# regular file here, so it commits in batches and holds each batch's verdicts back until the commit.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db=$tmp/unmask.db

# A large input: far more devices than the process can record before it is killed.
python3 - "$tmp/in.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(200000):
        f.write(json.dumps({"id": f"dev-{i}", "observations": [
            {"proto": "http", "field": "server", "value": "App-webs/", "port": 80, "path": "/"},
            {"proto": "mac", "field": "address",
             "value": "44:19:b6:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)},
            {"proto": "isapi", "field": "firmware", "value": "V5.%d" % (i % 7)}]}) + "\n")
PY

: >"$tmp/out.jsonl"
"$UNMASK" identify --format json --db "$db" "$tmp/in.jsonl" >>"$tmp/out.jsonl" 2>"$tmp/err" &
pid=$!
# Kill it once it has printed a good number of verdicts (and so recorded at least as many).
i=0
while [ "$(wc -c <"$tmp/out.jsonl")" -lt 2000000 ]; do
    i=$((i + 1))
    if [ $i -gt 1200 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "store_kill: identify printed too little, or ended before it could be killed" >&2
        cat "$tmp/err" >&2
        exit 1
    fi
    sleep 0.05
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=

python3 - "$db" "$tmp/out.jsonl" <<'PY'
import json, sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
check = con.execute("PRAGMA integrity_check").fetchall()
assert check == [("ok",)], check
printed = []
with open(out, "rb") as f:
    for line in f:
        if line.endswith(b"\n"):  # the last line may have been cut by the kill
            printed.append(json.loads(line)["id"])
stored = {r[0] for r in con.execute("SELECT name FROM records WHERE run_id = 1")}
missing = [i for i in printed if i not in stored]
assert not missing, f"{len(missing)} printed devices are not stored, e.g. {missing[:3]}"
finished = con.execute("SELECT finished FROM runs WHERE id = 1").fetchone()[0]
assert finished is None, "a killed run must stay unfinished"
devices = con.execute("SELECT count(*) FROM devices").fetchone()[0]
assert devices == len(stored), (devices, len(stored))
print(f"store_kill: killed after {len(printed)} printed, {len(stored)} stored; integrity ok")
PY

# The database goes on working: history shows the run as incomplete, a new run records.
"$UNMASK" history --db "$db" | grep -q '^   1  identify .*incomplete' || {
    echo "store_kill: history does not show run 1 as incomplete" >&2
    "$UNMASK" history --db "$db" >&2
    exit 1
}
head -100 "$tmp/in.jsonl" | "$UNMASK" identify --format json --db "$db" >/dev/null
python3 - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
assert con.execute("SELECT count(*) FROM records WHERE run_id = 2").fetchone()[0] == 100
assert con.execute("SELECT status FROM runs WHERE id = 2").fetchone()[0] == "complete"
PY
echo "store_kill: ok"
