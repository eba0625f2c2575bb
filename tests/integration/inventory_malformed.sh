#!/bin/sh
# inventory_malformed.sh: hostile and broken input to `unmask inventory` and `unmask import nmap`.
#
# Each case must give a clear error naming the file and line on stderr, still screen the good rows or
# hosts, exit 1 (never a crash: no exit code above 4, no sanitizer report under BUILD=asan), and stay
# within time and memory. Cases: unbalanced quotes, mixed encodings, a 10 MB cell, no header row,
# UTF-16, an XML entity bomb (billion laughs), a truncated XML file, XML that is not nmap output.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export UNMASK_AS_OF=2026-11-27 UNMASK_DB="$tmp/unmask.db"
passed=0
failed=0

# expect NAME WANT_RC STDERR_PATTERN WANT_ROWS -- COMMAND...: runs COMMAND (JSON Lines to stdout);
# the pattern NONE wants an empty stderr.
expect() {
    name=$1 want_rc=$2 pattern=$3 rows=$4
    shift 5
    rc=0
    "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    got_rows=$(wc -l <"$tmp/out")
    if [ "$pattern" = NONE ]; then ok_err=$([ -s "$tmp/err" ] && echo no || echo yes)
    else ok_err=$(grep -q -- "$pattern" "$tmp/err" && echo yes || echo no); fi
    if [ "$rc" -eq "$want_rc" ] && [ "$ok_err" = yes ] && [ "$got_rows" -eq "$rows" ]; then
        echo "ok $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name: exit $rc (want $want_rc), $got_rows rows (want $rows), stderr:"
        sed 's/^/    /' "$tmp/err" | head -5
        failed=$((failed + 1))
    fi
}

inv() { "$UNMASK" inventory --format json "$@"; }
imp() { "$UNMASK" import nmap --format json "$@"; }

printf 'Manufacturer,Model,Serial\nHikvision,DS-2CD2042WD-I,X1\n"Dahua,IPC-HFW2431S,X2\nAxis,P3245-V,X3\n' >"$tmp/unbalanced.csv"
expect "unbalanced quote: reported at its line, the rows after it screened" 1 \
    "unbalanced.csv:3: unbalanced quote" 2 -- inv "$tmp/unbalanced.csv"

printf 'Manufacturer,Model,Description\nHikvision,DS-2CD2042WD-I,Kamera \334berwachung\nDahua,IPC-HFW2431S,ok\n' >"$tmp/latin1.csv"
expect "mixed encodings: named, repaired, every row screened" 1 \
    "latin1.csv:2: cell 3 holds bytes that are not UTF-8" 2 -- inv "$tmp/latin1.csv"
inv "$tmp/latin1.csv" 2>/dev/null | python3 -c '
import json, sys
v = [json.loads(l) for l in sys.stdin]
assert all(x["verdict"] == "covered" for x in v), v' && echo "ok repaired rows judged" &&
    passed=$((passed + 1)) || { echo "FAIL repaired rows judged"; failed=$((failed + 1)); }

python3 -c '
import sys
sys.stdout.write("Manufacturer,Model,Description\nHikvision,DS-2CD2042WD-I,\"" + "A" * (10 * 1024 * 1024) + "\"\nDahua,IPC-HFW2431S,ok\n")' >"$tmp/bigcell.csv"
expect "10 MB cell: cut at 64 KiB and said so, both rows screened" 1 \
    "bigcell.csv:2: cell 3 is longer than 64 KiB" 2 -- inv "$tmp/bigcell.csv"

printf 'Hikvision,DS-2CD2042WD-I,X1\nDahua,IPC-HFW2431S,X2\n' >"$tmp/noheader.csv"
expect "no header row: said so, every row screened" 1 "noheader.csv:1: no header row" 2 -- \
    inv "$tmp/noheader.csv"
expect "no header row with --no-header and numbered columns: no error" 0 NONE 2 -- \
    inv --no-header --column brand=1 --column model=2 "$tmp/noheader.csv"

printf '\377\376B\000r\000a\000n\000d\000\n\000' >"$tmp/utf16.csv"
expect "UTF-16: refused with a hint" 1 "utf16.csv:1: UTF-16" 0 -- inv "$tmp/utf16.csv"

expect "a missing file among good ones: named, the others screened" 1 "nosuch.csv: No such file" 2 -- \
    inv "$tmp/nosuch.csv" "$tmp/noheader.csv"

cat >"$tmp/bomb.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE nmaprun [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<nmaprun><host><address addr="192.0.2.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="80"><state state="open"/><service name="http" product="&lol9;"/></port></ports></host></nmaprun>
XML
s=$(date +%s)
expect "entity bomb: refused at the declaration" 1 "bomb.xml:3: the document declares XML entities" 0 -- \
    imp "$tmp/bomb.xml"
[ $(($(date +%s) - s)) -le 5 ] && echo "ok entity bomb refused quickly" && passed=$((passed + 1)) ||
    { echo "FAIL entity bomb took too long"; failed=$((failed + 1)); }

here=$(cd "$(dirname "$0")/.." && pwd)
head -c 6000 "$here/fixtures/nmap/loopback-sV.xml" >"$tmp/truncated.xml"
expect "truncated XML: the line named, the complete host judged" 1 \
    "truncated.xml:[0-9]*: the document ends inside the <host>" 1 -- imp "$tmp/truncated.xml"

printf '<html><body>not a scan</body></html>\n' >"$tmp/page.xml"
expect "XML that is not nmap output: said so" 1 "page.xml:1: not nmap XML output" 0 -- imp "$tmp/page.xml"

: >"$tmp/empty.xml"
expect "empty file: said so" 1 "empty.xml: empty file" 0 -- imp "$tmp/empty.xml"

echo "inventory_malformed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
