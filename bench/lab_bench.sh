#!/bin/sh
# lab_bench.sh [UNMASK]: TCP exchanges per second the lab serves on one core.
#
# Runs in a network namespace of its own (unshare -rn: any user). The lab is pinned to CPU 0 and serves
# 4096 devices; bench/lab_load.c (built here with cc) is pinned to CPU 1 and keeps 64 connections busy,
# each exchange a whole TCP connection (connect, GET / HTTP/1.0, the device's reply, close) to the next
# device. Goal (issue 3): at least 20,000 exchanges a second on one core, so the lab is never what a
# scanner benchmark measures. Prints the figures; asserts nothing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
UNMASK=${1:-${UNMASK:-$here/../build/release/unmask}}
UNMASK=$(cd "$(dirname "$UNMASK")" && pwd)/$(basename "$UNMASK")
HOSTS=${HOSTS:-4096}
SECONDS_RUN=${SECONDS_RUN:-10}
CONC=${CONC:-64}
if [ -z "${LAB_IN_NS:-}" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    cc -O2 -o "$tmp/lab_load" "$here/lab_load.c"
    LAB_IN_NS=1 LOAD="$tmp/lab_load" exec unshare -rn sh "$0" "$UNMASK"
fi
ip link set lo up
tmp=$(dirname "$LOAD")
cpus=$(nproc)
pin_lab="taskset -c 0"
pin_load="taskset -c $((cpus > 1 ? 1 : 0))"
command -v taskset >/dev/null 2>&1 || { pin_lab=; pin_load=; }
# run NAME PERSONALITY [PATH]: one measurement with a fresh lab
run() {
    rm -f "$tmp/ready"
    $pin_lab "$UNMASK" lab --hosts "$HOSTS" --personality "$2" --ready-file "$tmp/ready" >/dev/null &
    pid=$!
    while [ ! -s "$tmp/ready" ]; do sleep 0.05; done
    t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    out=$($pin_load "$LOAD" 127.77.0.1 "$HOSTS" 80 "$CONC" "$SECONDS_RUN" ${3:-})
    t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
    rss=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status)
    kill $pid
    wait $pid
    lab_cpu=$(( (t1 - t0) * 100 / $(getconf CLK_TCK) / SECONDS_RUN ))
    rate=$(echo "$out" | sed -n 's/.*s: \([0-9]*\)\/s.*/\1/p')
    printf '%-34s %-15s %9s/s  lab CPU %3s%%  %8s/s per lab core  RSS %6s kB   (%s)\n' "$1" "$2" "$rate" \
        "$lab_cpu" "$(( lab_cpu > 0 ? rate * 100 / lab_cpu : 0 ))" "$rss" \
        "$(echo "$out" | sed 's/.*errors; //')"
}
echo "lab_bench: $HOSTS devices, $CONC concurrent connections, ${SECONDS_RUN} s each, lab on CPU 0, load on CPU 1 ($cpus CPUs)"
for p in hikvision-ipc dahua-ipc linux-web; do
    run "connection per exchange (HTTP/1.0)" $p
done
run "keep-alive (HTTP/1.1, 401 ISAPI)" hikvision-ipc /ISAPI/System/deviceInfo
run "keep-alive (HTTP/1.1, nginx page)" linux-web /
