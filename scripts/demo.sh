#!/bin/sh
# demo.sh UNMASK: the main job, as far as it exists today.
# Until the device lab (issue 3) and the scanner (issue 4) land, the demo judges bundled observations
# of real devices (examples/devices.jsonl, each line citing the published responses it reproduces):
# genuine and white-labelled Hikvision and Dahua gear, Huawei and ZTE network equipment, and
# non-covered controls, and prints the table with its summary.
set -eu
UNMASK=${1:-build/release/unmask}
here=$(cd "$(dirname "$0")/.." && pwd)
echo "unmask demo: judging $(wc -l <"$here/examples/devices.jsonl") devices from examples/devices.jsonl"
echo
"$UNMASK" identify --format table "$here/examples/devices.jsonl"
echo
echo "Evidence chains: $UNMASK identify --format json examples/devices.jsonl"
