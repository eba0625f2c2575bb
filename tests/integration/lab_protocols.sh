#!/bin/sh
# lab_protocols.sh: every faithful personality of the lab, checked with real clients in a network
# namespace of its own: snmpget/snmpwalk (net-snmp) for SNMP, openssl s_client for certificates, curl
# for HTTP, plain sockets (python3) for banners, DVRIP, SADP, DHIP, WS-Discovery, SSDP and mDNS.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab_common.inc"
lab_enter "$0" "$@"
for tool in snmpget snmpwalk openssl curl python3; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "SKIP: lab_protocols: $tool is missing (scripts/deps.sh check installs it)"
        exit 0
    fi
done

all=$("$UNMASK" lab --list | awk 'NR > 1 && $4 > 0 {print $1}' | paste -sd, -)
n=$(echo "$all" | tr , '\n' | wc -l)
lab_start --hosts "$n" --personality "$all" --truth "$tmp/truth.jsonl"
check "every faithful personality served once" [ "$(wc -l <"$tmp/truth.jsonl")" -eq "$n" ]
for p in $(echo "$all" | tr , ' '); do
    check "truth has $p" [ -n "$(addr_of "$p")" ]
done

# -- SNMP (net-snmp clients) --
a=$(addr_of hikvision-nvr)
snmpget -v2c -c public -t 1 -r 1 -On "$a" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.2.0 >"$tmp/snmp" 2>&1 || true
check "snmp hik nvr sysDescr" grep -q '^.1.3.6.1.2.1.1.1.0 = STRING: "Hikvision company products"' "$tmp/snmp"
check "snmp hik nvr sysObjectID" grep -q '^.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.50001$' "$tmp/snmp"
snmpget -v1 -c public -t 1 -r 1 -On "$a" 1.3.6.1.2.1.1.1.0 >"$tmp/snmp1" 2>&1 || true
check "snmp v1 get" grep -q 'Hikvision company products' "$tmp/snmp1"
snmpget -v2c -c wrong -t 1 -r 0 "$a" 1.3.6.1.2.1.1.1.0 >"$tmp/snmpw" 2>&1 || true
check "snmp wrong community: no answer" grep -q 'Timeout' "$tmp/snmpw"
a=$(addr_of huawei-vrp)
snmpget -v2c -c public -t 1 -r 1 -On "$a" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.2.0 >"$tmp/snmp" 2>&1 || true
check "snmp huawei VRP sysDescr (two spaces)" grep -qF 'Huawei Versatile Routing Platform Software  VRP (R) software,Version 5.120 (AR1220 V200R003C01SPC900)' "$tmp/snmp"
check "snmp huawei sysObjectID" grep -q '= OID: .1.3.6.1.4.1.2011.2.224.1$' "$tmp/snmp"
a=$(addr_of zte-zxr10)
snmpget -v2c -c public -t 1 -r 1 -On "$a" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.2.0 >"$tmp/snmp" 2>&1 || true
check "snmp zte sysDescr" grep -qF 'STRING: "ZTE Ethernet Switch  ZXR10 5250-52TM-H, Version: V2.05.11B23"' "$tmp/snmp"
check "snmp zte unpublished sysObjectID absent" grep -q 'No Such Object' "$tmp/snmp"
a=$(addr_of dahua-nvr)
snmpwalk -v2c -c public -t 1 -r 1 -On "$a" 1.3.6.1.4.1.1004849 >"$tmp/walk" 2>&1 || true
check "snmpwalk dahua 1004849 subtree (GETBULK)" grep -q '^.1.3.6.1.4.1.1004849.2.1.2.6.0 = STRING: "DHI-NVR4108HS-8P-4KS2"' "$tmp/walk"
snmpwalk -v1 -c public -t 1 -r 1 -On "$a" 1.3.6.1.4.1.1004849 >"$tmp/walk1" 2>&1 || true
check "snmpwalk v1 (GETNEXT) ends cleanly" grep -q '1004849.2.1.2.9.0' "$tmp/walk1"

# -- TLS (openssl s_client) --
a=$(addr_of hikvision-ipc)
echo | openssl s_client -connect "$a:443" 2>/dev/null | openssl x509 -noout -subject -issuer -nameopt RFC2253 >"$tmp/cert" 2>&1 || true
check "tls hikvision subject" grep -qx 'subject=CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN' "$tmp/cert"
a=$(addr_of dahua-nvr)
echo | openssl s_client -connect "$a:443" 2>/dev/null | openssl x509 -noout -subject -issuer -nameopt RFC2253 >"$tmp/cert" 2>&1 || true
check "tls dahua subject is the address" grep -qx "subject=C=CN,CN=$a" "$tmp/cert"
check "tls dahua issuer" grep -qx 'issuer=OU=NVR,O=ZheJiang Dahua Technology CO.\\,LTD.,L=Hangzhou,ST=Zhejiang,C=CN,CN=NVR' "$tmp/cert"
echo | openssl s_client -tls1 -cipher 'DEFAULT:@SECLEVEL=0' -connect "$a:443" >"$tmp/tls10" 2>&1 || true
check "tls 1.0 accepted, as on old devices" grep -q 'Protocol  *: TLSv1$' "$tmp/tls10"
curl -sk --max-time 2 -o /dev/null -w '%{http_code}' "https://$a/RPC2_Login" -d '{"method":"global.login","id":3}' >"$tmp/code" || true
check "https carries HTTP" grep -qx 200 "$tmp/code"

# -- Dahua: HTTP, RPC2_Login, DVRIP, DHIP, RTSP --
a=$(addr_of dahua-ipc)
curl -si --max-time 2 "http://$a/" >"$tmp/root" || true
check "dahua root has no Server" sh -c "! grep -qi '^Server:' '$tmp/root'"
check "dahua upper-case CONNECTION" contains "$tmp/root" "CONNECTION: close"
check "dahua BOM and title" contains "$tmp/root" "$(printf '\357\273\277<!DOCTYPE html PUBLIC')"
check "dahua WEB SERVICE" contains "$tmp/root" "<title>WEB SERVICE</title>"
curl -s --max-time 2 "http://$a/RPC2_Login" -d '{"method":"global.login","params":{"userName":"admin","password":"","clientType":"Dahua3.0-Web3.0"},"id":9}' >"$tmp/rpc" || true
check "rpc2 challenge is JSON" python3 -c "import json,sys; d=json.load(open('$tmp/rpc')); assert d['error']['code']==268632079 and d['id']==9 and d['params']['realm'].startswith('Login to ')"
mac=$(mac_of "$a" | tr -d : | tr a-f A-F)
check "rpc2 mac is the device MAC" contains "$tmp/rpc" "\"mac\":\"$mac\""
tcp "$a" 37777 '\xa0\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x02\x01\x01\x00\x00\xa1\xaa' >"$tmp/dvrip"
check "dvrip realm" python3 -c "d=open('$tmp/dvrip','rb').read(); import struct; assert d[:2]==b'\xb0\x01' and struct.unpack('<I',d[4:8])[0]==len(d)-32 and d[32:].startswith(b'Realm:Login to ')"
python3 - "$a" >"$tmp/dhip" <<'PY'
import json, socket, struct, sys
b = json.dumps({"method": "DHDiscover.search", "params": {"mac": "", "uni": 1}}).encode() + b"\n"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
s.sendto(struct.pack("<I", 32) + b"DHIP" + bytes(8) + struct.pack("<IIII", len(b), 0, len(b), 0) + b, (sys.argv[1], 37810))
d = s.recvfrom(65536)[0]
assert d[:8] == b"\x20\x00\x00\x00DHIP" and struct.unpack("<I", d[16:20])[0] == len(d) - 32
j = json.loads(d[32:])
print(j["method"], j["params"]["deviceInfo"]["Vendor"], j["params"]["deviceInfo"]["Port"], j["mac"])
PY
check "dhip reply" grep -q "^client.notifyDevInfo Dahua 37777 $(mac_of "$a")$" "$tmp/dhip"
tcp "$a" 554 'DESCRIBE rtsp://x/cam/realmonitor?channel=1&subtype=0 RTSP/1.0\r\nCSeq: 3\r\n\r\n' >"$tmp/rtsp"
check "dahua rtsp 401 realm" contains "$tmp/rtsp" "$(printf 'RTSP/1.0 401 Unauthorized\r\nCSeq: 3\r\nWWW-Authenticate: Digest realm="Login to ')"
tcp "$a" 554 'GET / HTTP/1.0\r\n\r\n' >"$tmp/rtsp405"
check "dahua rtsp 405 (nmap 11363)" contains "$tmp/rtsp405" "$(printf 'RTSP/1.0 405 Method Not Allowed\r\nServer: Dahua Rtsp Server\r\nContent-Length: 0\r\nCSeq: 0\r\n\r\n')"
a=$(addr_of amcrest-camera)
udp "$a" 37810 '\x20\x00\x00\x00DHIP\x00\x00\x00\x00\x00\x00\x00\x00\x3a\x00\x00\x00\x00\x00\x00\x00\x3a\x00\x00\x00\x00\x00\x00\x00{"method":"DHDiscover.search","params":{"mac":"","uni":0}}' >"$tmp/amcrest"
check "amcrest DHIP vendor label" contains "$tmp/amcrest" '"Vendor":"Amcrest"'
a=$(addr_of lorex-nvr)
tcp "$a" 554 'OPTIONS sip:nm SIP/2.0\r\nCSeq: 42 OPTIONS\r\n\r\n' >"$tmp/lorex"
check "lorex realm ND serial, numeric CSeq (nmap 14561)" contains "$tmp/lorex" "$(printf 'RTSP/1.0 401 Unauthorized\r\nCSeq: 42\r\nWWW-Authenticate: Digest realm="Login to ND')"

# -- Hikvision discovery: SADP, WS-Discovery, mDNS --
a=$(addr_of hikvision-nvr)
udp "$a" 37020 '<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>A1</Uuid><Types>inquiry</Types></Probe>' >"$tmp/sadp"
check "sadp nvr channels" contains "$tmp/sadp" "<DigitalChannelNum>8</DigitalChannelNum>"
check "sadp is well-formed XML" python3 -c "import xml.dom.minidom as m; m.parse('$tmp/sadp')"
a=$(addr_of hikvision-ipc)
udp "$a" 3702 '<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Header><w:MessageID>uuid:0a6dc791-2be6-4991-9af1-454778a1917a</w:MessageID><w:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To><w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header><e:Body><d:Probe/></e:Body></e:Envelope>' >"$tmp/wsd"
check "wsd relates to the probe" contains "$tmp/wsd" "<wsadis:RelatesTo>uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsadis:RelatesTo>"
check "wsd hikvision name scope" contains "$tmp/wsd" "onvif://www.onvif.org/name/HIKVISION%20DS-2CD2386G2-IU"
check "wsd is well-formed XML" python3 -c "import xml.dom.minidom as m; m.parse('$tmp/wsd')"
python3 - "$a" >"$tmp/mdns" <<'PY'
import socket, struct, sys
def name(n): return b"".join(bytes([len(x)]) + x.encode() for x in n.split(".")) + b"\0"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
s.sendto(struct.pack(">6H", 0x4242, 0, 1, 0, 0, 0) + name("_CGI._tcp.local") + struct.pack(">HH", 12, 1), (sys.argv[1], 5353))
d = s.recvfrom(4096)[0]
assert d[:2] == b"\x42\x42" and d[2] == 0x84
print(d.decode("latin-1"))
PY
check "mdns HIKVISION instance" grep -q 'HIKVISION DS-2CD2386G2-IU - [0-9]\{9\}' "$tmp/mdns"

# -- Huawei and ZTE banners, HTTP --
a=$(addr_of huawei-vrp)
tcp "$a" 22 '' >"$tmp/ssh"
check "huawei ssh banner" grep -qx "$(printf 'SSH-2.0-HUAWEI-1.5\r')" "$tmp/ssh"
tcp "$a" 23 '' | od -An -c | tr -s ' \n' ' ' >"$tmp/telnet"
check "huawei telnet (nmap 4810)" grep -qF '377 373 001 377 373 001 377 373 001 377 373 003 377 375 030 377 375 037 \r \n W a r n i n g' "$tmp/telnet"
curl -si --max-time 2 "http://$a/" >"$tmp/sw" || true
check "huawei Server: switch, lower-case date" grep -q '^Date: [a-z]\{3\}, [0-9][0-9] [a-z]\{3\} ' "$tmp/sw"
a=$(addr_of huawei-home-gateway)
curl -si --max-time 2 "http://$a:7547/" >"$tmp/tr069" || true
check "huawei TR-069 realm (nmap 9943)" contains "$tmp/tr069" 'WWW-Authenticate: Basic realm="HuaweiHomeGateway"'
udp "$a" 1900 'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n' >"$tmp/ssdp"
check "ssdp SERVER Huawei-ATP-IGD" contains "$tmp/ssdp" "SERVER: Linux UPnP/1.0 Huawei-ATP-IGD"
loc=$(sed -n 's/^LOCATION: \(.*\)\r$/\1/p' "$tmp/ssdp")
curl -s --max-time 2 "$loc" >"$tmp/desc" || true
check "upnp description manufacturer" contains "$tmp/desc" "<manufacturer>Huawei Technologies Co., Ltd.</manufacturer>"
a=$(addr_of zte-zxr10)
tcp "$a" 22 '' >"$tmp/zssh"
check "zte ssh banner ends in a bare LF (nmap 3735)" sh -c "[ \"\$(od -An -tx1 '$tmp/zssh' | tr -d ' \n')\" = 5353482d322e302d5a54455f5353482e322e300a ]"
a=$(addr_of zte-ont)
curl -si --max-time 2 "http://$a:7547/" >"$tmp/ztr" || true
check "zte cpe@zte.com (nmap 10082)" contains "$tmp/ztr" 'Digest realm="cpe@zte.com", qop="auth", nonce="'
tcp "$a" 23 '' >"$tmp/ztel"
check "zte F668 telnet" contains "$tmp/ztel" "$(printf 'F668\r\n\rLogin: ')"

# -- controls --
a=$(addr_of axis-camera)
curl -si --max-time 2 "http://$a/" >"$tmp/axis" || true
mac=$(mac_of "$a" | tr -d : | tr a-f A-F)
check "axis realm carries the MAC" contains "$tmp/axis" "realm=\"AXIS_$mac\""
a=$(addr_of hp-printer)
curl -si --max-time 2 "http://$a/" >"$tmp/hp" || true
check "hp ChaiSOE head with its typo" contains "$tmp/hp" "-ONNECTION: Keep-Alive"
a=$(addr_of linux-web)
curl -s --max-time 2 "http://$a/" >"$tmp/nginx" || true
check "nginx page of 615 bytes" [ "$(wc -c <"$tmp/nginx")" -eq 615 ]
a=$(addr_of ezviz-camera)
tcp "$a" 80 'GET / HTTP/1.0\r\n\r\n' >"$tmp/ezviz"
check "a closed port resets" grep -qx '<RESET>' "$tmp/ezviz"

lab_stop
finish
