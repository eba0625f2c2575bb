#!/bin/sh
# report_browser.sh: the HTML report in a real browser (Debian's chromium, headless, no network).
#
# Devices whose every string is hostile (script elements, event-handler attributes, payloads that
# would change document.title or add an element, broken UTF-8, NUL, bidi overrides, values of
# 100 KB) are recorded by `unmask identify`, written out by `unmask report`, and opened in
# chromium driven over the DevTools protocol (a small client of RFC 6455 below, on loopback). The
# test fails if any script from device data ran, if any element or attribute came from data, if
# the page's own script did not run (its Content-Security-Policy hash would be wrong), or if the
# table does not sort and filter. It saves a screenshot and a printed PDF under build/.
set -eu
UNMASK=${UNMASK:-build/release/unmask}
here=$(cd "$(dirname "$0")/../.." && pwd)
out_dir=$here/build/${BUILD:-release}
if ! command -v chromium >/dev/null 2>&1; then
    echo "SKIP: report_browser: chromium is not installed (scripts/deps.sh check installs it as root)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out_dir"

python3 - "$tmp/hostile.jsonl" <<'PY'
import json, sys
title = "document.title='PWNED'"
add = "document.body.appendChild(document.createElement('div')).id='pwned'"
payloads = [
    f"<script>{title};{add}</script>",
    f"\"><img src=x onerror=\"{title};{add}\">",
    f"'><svg onload=\"{title}\"><script>{add}</script>",
    "</textarea></title></style></script><script>window.__pwned=1</script>",
    f"<a href=\"javascript:{title}\">click</a><iframe src=\"javascript:{title}\"></iframe>",
    "<!-- <style>body{display:none}</style> --><math><mi xlink:href=\"javascript:alert(1)\">",
    "\ud800\udfff broken \u0000 nul \u0085 c1 \u202e evil bidi \u202c",
    "&lt;script&gt; already escaped &amp;lt; &#x3c;b&#x3e;",
]
hik = "http://www.hikvision.com/ver20/XMLSchema"
with open(sys.argv[1], "w") as f:
    for i, p in enumerate(payloads):
        f.write(json.dumps({"id": p, "observations": [
            {"proto": "http", "field": "server", "value": "App-webs/", "port": 80, "path": p},
            {"proto": "isapi", "field": "namespace", "value": hik},
            {"proto": "isapi", "field": "model", "value": "DS-" + p},
            {"proto": "isapi", "field": "firmware", "value": p},
            {"proto": "onvif", "field": "manufacturer", "value": p},
            {"proto": "http", "field": "title", "value": p},
            {"proto": "inventory", "field": "supplier", "value": p},
            {"proto": "mac", "field": "address", "value": "44:19:b6:00:00:%02x" % i}]}) + "\n")
    # a Dahua white label and clear/unknown devices with hostile names, for the charts
    f.write(json.dumps({"id": payloads[1] + " lorex", "observations": [
        {"proto": "dahua", "field": "update_serial", "value": "DHI-NVR4108HS-8P-4KS2"},
        {"proto": "http", "field": "www_authenticate", "port": 80, "path": "/cgi-bin/magicBox.cgi",
         "value": "Digest realm=\"Login to ND021911000000\", nonce=\"ec3682ef24b2cd9cedefe5cc2611\""},
        {"proto": "inventory", "field": "brand", "value": "Lorex"},
        {"proto": "inventory", "field": "description", "value": payloads[0]}]}) + "\n")
    f.write(json.dumps({"id": "axis " + payloads[2], "observations": [
        {"proto": "http", "field": "title", "value": "AXIS M3106-L Mk II Network Camera"}]}) + "\n")
    f.write(json.dumps({"id": "long " + "A" * 100000, "observations": [
        {"proto": "http", "field": "server", "value": "App-webs/" + "<b>" * 40000},
        {"proto": "isapi", "field": "model", "value": "DS-" + "X" * 100000}]}) + "\n")
PY
"$UNMASK" identify --format json --db "$tmp/unmask.db" "$tmp/hostile.jsonl" >/dev/null
"$UNMASK" report --db "$tmp/unmask.db" -o "$out_dir/report_browser.html"

# The browser check, as a file: run on the page above, then on a scan of the lab (below).
cat >"$tmp/check.py" <<'PY'
import base64, json, os, socket, struct, subprocess, sys, time, urllib.request


class WS:
    """The client side of RFC 6455, enough for the DevTools protocol on loopback."""

    def __init__(self, url):
        hostport, path = url[len("ws://"):].split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.s = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.s.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            c = self.s.recv(1)
            if not c:
                raise EOFError("handshake")
            head += c
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.decode(errors="replace"))
        self.buf = b""

    def send(self, text, op=1):
        data = text.encode() if isinstance(text, str) else text
        n = len(data)
        hdr = bytearray([0x80 | op])
        if n < 126:
            hdr.append(0x80 | n)
        elif n < 65536:
            hdr.append(0x80 | 126)
            hdr += struct.pack(">H", n)
        else:
            hdr.append(0x80 | 127)
            hdr += struct.pack(">Q", n)
        mask = os.urandom(4)
        m = (mask * (n // 4 + 1))[:n]
        body = (int.from_bytes(data, "big") ^ int.from_bytes(m, "big")).to_bytes(n, "big") if n else b""
        self.s.sendall(bytes(hdr) + mask + body)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise EOFError("closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        msg = b""
        while True:
            b0, b1 = self._read(2)
            op, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if op == 9:
                self.send(payload, op=10)
                continue
            if op == 8:
                raise EOFError("close frame")
            msg += payload
            if b0 & 0x80:
                return msg.decode()


class CDP:
    def __init__(self, ws):
        self.ws, self.n, self.events = ws, 0, []

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get("id") == self.n:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait(self, method, seconds):
        end = time.time() + seconds
        while time.time() < end:
            for e in self.events:
                if e.get("method") == method:
                    return e
            self.ws.s.settimeout(max(0.1, end - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except socket.timeout:
                break
            finally:
                self.ws.s.settimeout(60)
        return None

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(json.dumps(r["exceptionDetails"]))
        return r["result"].get("value")


def launch(profile):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
             f"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", "--window-size=1280,900", "about:blank"]
    p = subprocess.Popen(["chromium"] + flags, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
            break
        time.sleep(0.1)
    port = int(open(port_file).read().split("\n")[0])
    for _ in range(100):
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        pages = [t for t in targets if t.get("type") == "page"]
        if pages:
            return p, CDP(WS(pages[0]["webSocketDebuggerUrl"]))
        time.sleep(0.1)
    raise RuntimeError("no page target")


page, png, pdf, profile = sys.argv[1:5]
want_rows = int(sys.argv[5])          # device rows, or -1: at least one
interact = sys.argv[6] == "interact"  # check filtering and sorting on the known device set
os.makedirs(profile)
proc, c = launch(profile)
failures = []
try:
    c.call("Page.enable")
    c.call("Runtime.enable")
    c.call("Log.enable")
    c.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1,
           mobile=False)
    c.call("Page.navigate", url="file://" + page)
    if not c.wait("Page.loadEventFired", 30):
        failures.append("the page did not load")
    time.sleep(1.0)  # let any onerror/onload from injected elements fire
    c.wait("Never.arrives", 0.5)
    state = c.eval("""(() => {
        const on = [];
        for (const e of document.querySelectorAll('*'))
            for (const a of e.attributes)
                if (a.name.toLowerCase().startsWith('on')) on.push(e.tagName + ' ' + a.name);
        return {
            title: document.title,
            pwned: !!document.getElementById('pwned') || window.__pwned !== undefined,
            scripts: document.scripts.length,
            js: document.documentElement.getAttribute('data-js'),
            handlers: on,
            foreign: document.querySelectorAll('img, iframe, object, embed, math, form, body script ~ script, svg script').length,
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                .filter(h => !h.startsWith('#') && !h.startsWith('https://') && !h.startsWith('http://')),
            rows: document.querySelectorAll('#devices tbody tr').length,
            text: document.body.innerText.includes("<script>document.title='PWNED'"),
            blank: document.querySelectorAll('td.blank').length,
            far: document.querySelectorAll('article.far-item').length,
        };
    })()""")
    if state["title"] != "unmask report: run 1":
        failures.append(f"document.title changed: {state['title']!r}")
    if state["pwned"]:
        failures.append("a script from device data ran (element #pwned or window.__pwned)")
    if state["scripts"] != 1:
        failures.append(f"{state['scripts']} script elements (want only the page's own)")
    if state["js"] != "ready":
        failures.append("the page's own script did not run (Content-Security-Policy hash?)")
    if state["handlers"]:
        failures.append(f"event-handler attributes: {state['handlers'][:5]}")
    if state["foreign"]:
        failures.append(f"{state['foreign']} elements that the report never writes")
    if state["links"]:
        failures.append(f"links that are neither anchors nor http(s): {state['links'][:5]}")
    if interact and not state["text"]:
        failures.append("the hostile strings are not shown as text")
    if (want_rows >= 0 and state["rows"] != want_rows) or state["rows"] < 1:
        failures.append(f"{state['rows']} table rows, want {want_rows}")
    if state["far"] < 1 or state["blank"] < 4:
        failures.append("the FAR 52.204-25(d) section lacks its items or blank fields")
    for e in c.events:
        m = e.get("method")
        if m == "Page.javascriptDialogOpening":
            failures.append(f"a dialog opened: {e['params'].get('message')!r}")
        elif m == "Runtime.exceptionThrown":
            failures.append(f"script error: {e['params']['exceptionDetails'].get('text')}")
        elif m == "Log.entryAdded" and "Content Security Policy" in e["params"]["entry"].get("text", ""):
            failures.append("the policy blocked something, so markup came from data: "
                            + e["params"]["entry"]["text"][:160])
    # The table filters and sorts.
    shown = {"n": 1, "label": "1", "wl": 1, "asc": True, "desc": True} if not interact else c.eval("""(() => {
        const q = document.getElementById('q');
        q.value = 'axis'; q.dispatchEvent(new Event('input'));
        const n = [...document.querySelectorAll('#devices tbody tr')].filter(r => !r.hidden).length;
        const label = document.getElementById('shown').textContent;
        q.value = ''; q.dispatchEvent(new Event('input'));
        const vf = document.getElementById('vf');
        vf.value = 'white-label'; vf.dispatchEvent(new Event('change'));
        const wl = [...document.querySelectorAll('#devices tbody tr')].filter(r => !r.hidden).length;
        vf.value = ''; vf.dispatchEvent(new Event('change'));
        const head = [...document.querySelectorAll('#devices thead th')];
        const conf = head.findIndex(th => th.textContent.startsWith('Conf'));
        head[conf].querySelector('button').click();
        const vals = [...document.querySelectorAll('#devices tbody tr')].map(r => parseFloat(r.cells[conf].textContent));
        const asc = vals.every((v, i) => i == 0 || vals[i - 1] <= v);
        head[conf].querySelector('button').click();
        const vals2 = [...document.querySelectorAll('#devices tbody tr')].map(r => parseFloat(r.cells[conf].textContent));
        const desc = vals2.every((v, i) => i == 0 || vals2[i - 1] >= v);
        head[0].querySelector('button').click();
        return {n, label, wl, asc, desc};
    })()""")
    if shown != {"n": 1, "label": "1", "wl": 1, "asc": True, "desc": True}:
        failures.append(f"filtering or sorting failed: {shown}")
    # What a person sees: the top of the page (summary, charts, FAR items) and the printout.
    m = c.call("Page.getLayoutMetrics")["cssContentSize"]
    shot = c.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                  clip={"x": 0, "y": 0, "width": 1280, "height": min(m["height"], 2400), "scale": 1})
    with open(png, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    printed = c.call("Page.printToPDF", printBackground=True, preferCSSPageSize=True)
    with open(pdf, "wb") as f:
        f.write(base64.b64decode(printed["data"]))
finally:
    proc.terminate()
    proc.wait()
if failures:
    for f in failures:
        print("report_browser: FAIL:", f)
    sys.exit(1)
print(f"report_browser: {os.path.basename(page)}: no script from device data ran"
      f"{'; table sorts and filters' if interact else ''}; screenshot {png}, printout {pdf}")
PY
python3 "$tmp/check.py" "$out_dir/report_browser.html" "$out_dir/report_browser.png" \
    "$out_dir/report_browser.pdf" "$tmp/profile" 11 interact

# The same from a scan of the lab's hostile personalities (markup, script, escapes and invalid
# UTF-8 in banners, titles and discovery replies; malformed framing; XML bombs; huge headers)
# among genuine and white-label devices, in a network namespace of the test's own.
if ! unshare -rn true 2>/dev/null; then
    echo "SKIP: report_browser: lab scan: network namespaces are not available (unshare -rn)"
    exit 0
fi
unshare -rn sh -s "$UNMASK" "$tmp" <<'EOF_NS'
set -eu
UNMASK=$1 tmp=$2
ip link set lo up
"$UNMASK" lab --hosts 8 --seed 3 --ready-file "$tmp/ready" \
    --personality hostile-injection,hostile-malformed,hostile-xmlbomb,hostile-big-headers,hikvision-ipc,lorex-nvr,hikvision-truvision,axis-camera \
    >"$tmp/lab.out" 2>"$tmp/lab.err" &
lab=$!
i=0
while [ ! -s "$tmp/ready" ]; do
    i=$((i + 1))
    if [ $i -gt 200 ] || ! kill -0 $lab 2>/dev/null; then
        echo "report_browser: the lab did not start" >&2
        cat "$tmp/lab.err" >&2
        exit 1
    fi
    sleep 0.05
done
rc=0
"$UNMASK" scan --db "$tmp/lab.db" --json --no-oui --timeout 1000 127.77.0.1-127.77.0.8 \
    >"$tmp/scan.jsonl" 2>"$tmp/scan.err" || rc=$?
kill $lab
wait $lab || true
[ $rc -eq 0 ] || { echo "report_browser: scan exited $rc" >&2; cat "$tmp/scan.err" >&2; exit 1; }
EOF_NS
"$UNMASK" report --db "$tmp/lab.db" -o "$out_dir/report_lab.html"
python3 "$tmp/check.py" "$out_dir/report_lab.html" "$out_dir/report_lab.png" \
    "$out_dir/report_lab.pdf" "$tmp/profile-lab" 8 lab
