#!/bin/sh
# nmap_vs_lab.sh [UNMASK]: what Debian's nmap -sV names each lab personality, next to the lab's truth.
#
# One device per faithful personality, in a network namespace of its own (unshare -rn: any user). For
# each device nmap -sT -sV probes only the TCP ports the personality serves (and -sU -sV UDP 161 where
# it has an SNMP agent), all personalities in parallel. The table says, port by port, whether nmap's
# match line names the true maker, only the label (a white label such as Lorex), something else, or
# has no match line at all ("no match line": nmap's database has nothing for these bytes, which is
# said rather than bending the personality to fit). Takes a few minutes: nmap waits on every port
# that does not answer its probes (DVRIP 37777, the SDK port 8000 of some firmware).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
UNMASK=${1:-${UNMASK:-$here/../build/release/unmask}}
UNMASK=$(cd "$(dirname "$UNMASK")" && pwd)/$(basename "$UNMASK")
command -v nmap >/dev/null 2>&1 || { echo "nmap_vs_lab: nmap is missing (apt-get install nmap)"; exit 1; }
if [ -z "${LAB_IN_NS:-}" ]; then
    LAB_IN_NS=1 exec unshare -rn sh "$0" "$UNMASK"
fi
ip link set lo up
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$UNMASK" lab --list | awk 'NR > 1 && $4 > 0 {print $1, $5, $6}' >"$tmp/pers"
all=$(cut -d' ' -f1 "$tmp/pers" | paste -sd, -)
n=$(wc -l <"$tmp/pers")
"$UNMASK" lab --hosts "$n" --personality "$all" --truth "$tmp/truth.jsonl" --ready-file "$tmp/ready" \
    >/dev/null &
pid=$!
while [ ! -s "$tmp/ready" ]; do sleep 0.1; done
echo "nmap_vs_lab: $(nmap --version | head -1), $n personalities, one device each" >&2
scans=
while read -r name tcp udp; do
    addr=$(sed -n "s/.*\"address\":\"\([0-9.]*\)\",\"personality\":\"$name\".*/\1/p" "$tmp/truth.jsonl")
    (
        [ "$tcp" != "-" ] && nmap -n -Pn -sT -sV -p "$tcp" "$addr" -oX "$tmp/$name.tcp.xml" >/dev/null 2>&1
        case ",$udp," in *,161,*) nmap -n -Pn -sU -sV -p 161 "$addr" -oX "$tmp/$name.udp.xml" \
            >/dev/null 2>&1 ;; esac
        true
    ) &
    scans="$scans $!"
done <"$tmp/pers"
for j in $scans; do wait "$j" || true; done
python3 - "$tmp" <<'PY'
import glob, json, os, sys, xml.etree.ElementTree as ET
tmp = sys.argv[1]
truth = {}
for l in open(os.path.join(tmp, "truth.jsonl")):
    d = json.loads(l)
    truth[d["personality"]] = d
# How each maker and label is written in nmap's match lines.
names = {"hikvision": ["hikvision", "ezviz"], "dahua": ["dahua"], "huawei": ["huawei"], "zte": ["zte"],
         "axis": ["axis"], "hanwha-vision": ["samsung", "hanwha", "wisenet"], "bosch": ["bosch"],
         "uniview": ["uniview"], "ubiquiti": ["ubiquiti", "unifi"], "hp-inc": ["hp ", "laserjet", "jetdirect"]}
labels = {"Lorex": ["lorex"], "Amcrest": ["amcrest"], "TruVision (Interlogix)": ["truvision", "interlogix"],
          "LTS": ["lts"], "IC Realtime": ["ic realtime"]}
rows = []
for p in sorted(truth, key=lambda k: list(truth).index(k)):
    t = truth[p]
    for f in sorted(glob.glob(os.path.join(tmp, p + ".*.xml"))):
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError:
            continue
        for port in root.iter("port"):
            svc = port.find("service")
            state = port.find("state").get("state")
            sname = svc.get("name", "") if svc is not None else ""
            tunnel = svc.get("tunnel", "") if svc is not None else ""
            prod = " ".join(x for x in [svc.get("product", ""), svc.get("version", ""), svc.get("extrainfo", "")] if x) if svc is not None else ""
            low = prod.lower()
            if not prod:
                verdict = "no match line" if state == "open" else state
            elif t["maker"] and any(n in low for n in names.get(t["maker"], [])):
                verdict = "names the maker"
            elif t["brand"] and any(n in low for n in labels.get(t["brand"], [])):
                verdict = "names the label only"
            else:
                verdict = "names something else" if t["maker"] else "generic (no maker to find)"
            rows.append((p, (t["maker"] or "-") + "/" + t["verdict"], port.get("portid") + "/" + port.get("protocol"),
                         (tunnel + "/" if tunnel else "") + sname, prod or "-", verdict))
w = [max(len(r[i]) for r in rows + [("PERSONALITY", "TRUTH", "PORT", "NMAP SERVICE", "NMAP PRODUCT", "")]) for i in range(5)]
fmt = "  ".join("%%-%ds" % x for x in w) + "  %s"
print(fmt % ("PERSONALITY", "TRUTH", "PORT", "NMAP SERVICE", "NMAP PRODUCT", "NMAP VS TRUTH"))
for r in rows:
    print(fmt % r)
from collections import Counter
c = Counter(r[5] for r in rows)
print("\n" + ", ".join("%d %s" % (v, k) for k, v in c.most_common()) + " (ports)")
PY
