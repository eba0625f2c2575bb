#!/bin/sh
# deps.sh PURPOSE...: make sure the Debian packages a make target needs are installed.
# As root it installs what is missing with apt-get; as anyone else it prints the exact apt-get line
# and fails, so nobody is surprised by a sudo prompt. PURPOSE is build, check or demo.
set -eu

pkgs_build="gcc make pkg-config xxd libpcre2-dev libyajl-dev libcsv-dev libsqlite3-dev libxml2-dev libssl-dev ieee-data"
pkgs_check="python3-cram clang chromium nmap curl openssl snmp iproute2 tcpdump python3"
pkgs_demo=""

want=""
for purpose in "$@"; do
    case "$purpose" in
        build) want="$want $pkgs_build" ;;
        check) want="$want $pkgs_build $pkgs_check" ;;
        demo) want="$want $pkgs_build $pkgs_demo" ;;
        *) echo "deps.sh: unknown purpose '$purpose'" >&2; exit 2 ;;
    esac
done

missing=""
for p in $want; do
    case " $missing " in *" $p "*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "deps.sh: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || apt-get update
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null || \
        apt-get install -y --no-install-recommends $missing
    exit 0
fi
echo "unmask: missing Debian packages:$missing" >&2
echo "unmask: hint: run as root: apt-get install -y$missing" >&2
exit 1
