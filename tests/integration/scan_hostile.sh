#!/bin/sh
# scan_hostile.sh: hostile devices never crash or stall the scan (bounded time and memory; run under
# ASan+UBSan by `make check`), and a well-behaved device among them is still identified.
#
# Runs in a network namespace of its own (tests/integration/lab_common.inc). The hostile hosts are
# tests/integration/scan_responders.py: tarpit, slow drip, endless body, 1 MB of headers, malformed
# status lines, invalid UTF-8 and script injection, XML entity bombs, truncated BER, reset after
# accept, a UDP reply flood, random bytes; when the lab offers hostile personalities they are
# scanned too.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
BUILD=${BUILD:-release}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab_common.inc"
lab_enter "$0" "$@"

# measure OUT CMD...: runs CMD, writes "peak-RSS-kB seconds exit-code" to OUT.
measure() {
    out=$1
    shift
    python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.run(sys.argv[2:]).returncode
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write("%d %.1f %d\n" % (rss, time.monotonic() - t, rc))
PY
}

python3 "$here/scan_responders.py" hostile 127.88.0.1 >"$tmp/resp.out" 2>"$tmp/resp.err" &
RESP=$!
i=0
until grep -q ready "$tmp/resp.out" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 200 ] || ! kill -0 $RESP 2>/dev/null; then
        echo "FAIL: the responders did not start"
        cat "$tmp/resp.err"
        exit 1
    fi
    sleep 0.05
done

measure "$tmp/m" "$UNMASK" scan --no-db --json --no-oui --timeout 1000 127.88.0.1-127.88.0.12 \
    >"$tmp/out.jsonl" 2>"$tmp/err"
read -r rss secs rc <"$tmp/m"
echo "hostile scan: exit $rc, ${secs} s, peak RSS ${rss} kB"
limit_kb=65536
[ "$BUILD" = asan ] && limit_kb=524288
check "scan exits 0 (no crash, no sanitizer report)" [ "$rc" -eq 0 ]
check "no sanitizer report" sh -c "! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' '$tmp/err'"
check "bounded time (< 40 s)" python3 -c "import sys; sys.exit(0 if $secs < 40 else 1)"
check "bounded memory (< $limit_kb kB)" [ "$rss" -lt "$limit_kb" ]
check "every line is JSON" python3 -c "
import json, sys
for l in open('$tmp/out.jsonl'): json.loads(l)"
check "the Dahua camera among them is found" python3 -c "
import json, sys
d = [json.loads(l) for l in open('$tmp/out.jsonl')]
sys.exit(0 if any(x['address'] == '127.88.0.12' and x['maker'] == 'dahua' and x['verdict'] == 'covered' for x in d) else 1)"
check "injected text is kept as data (JSON-escaped)" sh -c "! grep -q \"$(printf '\033')\" '$tmp/out.jsonl'"
"$UNMASK" scan --no-db --format table --no-oui --timeout 1000 127.88.0.9 127.88.0.6 >"$tmp/table" 2>/dev/null || true
check "terminal table carries no escape bytes" sh -c "! grep -q \"$(printf '\033')\" '$tmp/table'"
kill $RESP
wait $RESP 2>/dev/null || true

# The lab's own hostile personalities, when it has them.
hostile=$("$UNMASK" lab --list 2>/dev/null | awk 'NR > 1 && /hostile|tarpit|drip|flood|bomb/ {print $1}' | paste -sd, -)
if [ -n "$hostile" ]; then
    lab_start --hosts 24 --personality "$hostile"
    measure "$tmp/m2" "$UNMASK" scan --no-db --json --timeout 1000 127.77.0.1-127.77.0.24 >"$tmp/lab.jsonl" 2>"$tmp/err2"
    read -r rss secs rc <"$tmp/m2"
    echo "lab hostile personalities ($hostile): exit $rc, ${secs} s, peak RSS ${rss} kB"
    check "lab hostile: exit 0" [ "$rc" -eq 0 ]
    check "lab hostile: bounded time (< 40 s)" python3 -c "import sys; sys.exit(0 if $secs < 40 else 1)"
    check "lab hostile: bounded memory" [ "$rss" -lt "$limit_kb" ]
    lab_stop
else
    echo "note: the lab has no hostile personalities yet; the responders above stand in for them"
fi
[ -n "${KEEP_ERR:-}" ] && cat "$tmp/err" >&2
finish
