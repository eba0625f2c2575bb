#!/usr/bin/env python3
"""scan_responders.py: tiny device responders for the scanner's integration tests.

Run inside a network namespace the test made (never on a shared network). Each mode serves one kind
of host on the addresses given:

  hostile BASE     hostile personalities on BASE+0 .. BASE+11 (127.88.0.1 ...), all default ports:
                   tarpit, slow drip, endless body, 1 MB of headers, malformed status lines, invalid
                   UTF-8 and script injection, XML entity bombs (SOAP, SADP), truncated BER, reset
                   after accept, a UDP reply flood, garbage everywhere, and one well-behaved Dahua
                   camera (so the test can see that the scan still finds it).
  http ADDR...     a plain HTTP server on port 80 of each ADDR (exclusion capture test).
  discover IFADDR  SADP, DHIP and WS-Discovery responders joined to their multicast groups on the
                   interface that has IFADDR (discovery test).
  count FILE ADDR... every TCP port of each ADDR accepts and holds the connection 300 ms before a
                   404; the most connections open at once to one address, and the times of the
                   connections, go to FILE as JSON on SIGTERM (politeness and rate tests).

Replies reuse published bytes (../shared/research/protocols.md); hostile ones are built to break
parsers and timers. Prints "ready" on stdout when every socket is bound; stops on SIGTERM.
"""
import asyncio
import os
import signal
import socket
import struct
import sys

TCP_PORTS = [80, 443, 554, 8000, 37777, 22, 23, 21, 7547]
UDP_PORTS = [37020, 37810, 3702, 1900, 161, 5353]

MODES = ["tarpit", "drip", "endless", "bigheaders", "badstatus", "injection", "xmlbomb",
         "badber", "reset", "flood", "garbage", "dahua"]

BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 '
        '"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;'
        '&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
        '&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'
        '&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
        '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>')
INJECT = b'<script>document.title="pwned"</script>\xff\xfe\x1b[31m\x00'

DAHUA_RPC2 = (b'{"error":{"code":268632079,"message":"Component error: login challenge!"},"id":1,'
              b'"params":{"authorization":"3339eaa9152eebff56a720c2f4dd0a62203a51dc","encryption":'
              b'"Default","mac":"3CEF8C6101C0","random":"3734299","realm":"Login to 4C045ADPAG60CD"},'
              b'"result":false,"session":1005027323}')


def http(status, headers, body):
    head = b"HTTP/1.1 " + status + b"\r\n" + b"".join(h + b"\r\n" for h in headers)
    return head + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


def mode_of(local, base):
    b = struct.unpack("!I", socket.inet_aton(base))[0]
    a = struct.unpack("!I", socket.inet_aton(local))[0]
    i = a - b
    return MODES[i] if 0 <= i < len(MODES) else None


class Hostile:
    def __init__(self, base):
        self.base = base

    async def tcp(self, reader, writer):
        sock = writer.get_extra_info("socket")
        local, port = sock.getsockname()[:2]
        mode = mode_of(local, self.base)
        try:
            if mode == "reset":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.close()
                return
            if mode == "tarpit":
                await asyncio.sleep(3600)
                return
            req = b""
            if port not in (22, 23, 21, 8000):
                try:
                    req = await asyncio.wait_for(reader.read(4096), 2)
                except asyncio.TimeoutError:
                    pass
            if mode == "drip":
                for _ in range(600):
                    writer.write(b"H")
                    await writer.drain()
                    await asyncio.sleep(1)
            elif mode == "endless":
                writer.write(b"HTTP/1.1 200 OK\r\nServer: endless\r\n\r\n")
                chunk = b"<p>" + b"a" * 65536
                for _ in range(20000):
                    writer.write(chunk)
                    await writer.drain()
            elif mode == "bigheaders":
                writer.write(b"HTTP/1.1 200 OK\r\n")
                for i in range(16000):
                    writer.write(b"X-Pad-%05d: %s\r\n" % (i, b"b" * 60))
                    await writer.drain()
                writer.write(b"\r\n")
            elif mode == "badstatus":
                writer.write(b"HTTP/1.1 2OO OK\r\nServer: x\r\n\r\nRTSP/1.0 abc\r\n\xff\r\n")
            elif mode == "injection":
                body = b"<html><title>" + INJECT + b"</title>" + INJECT + b"</html>"
                if port in (22, 23, 21):
                    writer.write(b"SSH-2.0-" + INJECT + b"\r\n" if port == 22 else INJECT + b"\r\nlogin: ")
                else:
                    writer.write(http(b"200 OK", [b"Server: " + INJECT, b"WWW-Authenticate: Basic realm=\"" +
                                                  INJECT + b"\""], body))
            elif mode == "xmlbomb":
                body = (BOMB + "<ProbeMatch><DeviceSN>&lol6;</DeviceSN></ProbeMatch>").encode()
                writer.write(http(b"200 OK", [b"Content-Type: application/soap+xml"], body))
            elif mode == "garbage":
                writer.write(os.urandom(3000))
            elif mode == "dahua":
                if port == 80 and b"RPC2_Login" in req:
                    writer.write(http(b"200 OK", [b"CONNECTION: close"], DAHUA_RPC2))
                elif port == 80:
                    writer.write(http(b"200 OK", [b"CONNECTION: close", b"X-Frame-Options: SAMEORIGIN"],
                                      b"<html><title>WEB SERVICE</title><div class=ui-dialog-content>"
                                      b"</div></html>"))
                elif port == 554:
                    writer.write(b'RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest '
                                 b'realm="Login to 4C045ADPAG60CD", nonce="203c8d27b595204504dfa65fd22586bd"\r\n\r\n')
                else:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                writer.write(http(b"404 Not Found", [], b""))
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass




class HostileUdpAt(asyncio.DatagramProtocol):
    def __init__(self, mode, port):
        self.mode, self.port = mode, port

    def connection_made(self, transport):
        self.t = transport

    def datagram_received(self, data, addr):
        m, p = self.mode, self.port
        if m == "xmlbomb":
            self.t.sendto((BOMB + "<ProbeMatch><DeviceSN>&lol6;</DeviceSN></ProbeMatch>").encode(), addr)
        elif m == "badber" and p == 161:
            for cut in (5, 20, 40):
                self.t.sendto(bytes([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01, 0x04, 0x06]) +
                              b"public" + bytes([0xa2, 0x82, 0x7f])[:cut], addr)
        elif m == "flood":
            for _ in range(2000):
                self.t.sendto(os.urandom(1200), addr)
        elif m == "garbage":
            self.t.sendto(os.urandom(600), addr)
        elif m == "injection":
            self.t.sendto(b"<ProbeMatch><DeviceSN>" + INJECT + b"</DeviceSN><MAC>zz</MAC></ProbeMatch>", addr)
        elif m == "dahua" and p == 37810:
            js = (b'{"mac":"3c:ef:8c:61:01:c0","method":"client.notifyDevInfo","params":{"deviceInfo":'
                  b'{"DeviceType":"IPC-HDW5831R-ZE","SerialNo":"4X7C5A1ZAG21L3F","Vendor":"Dahua",'
                  b'"Version":"2.800.0000016.0.R","Port":37777}}}')
            self.t.sendto(struct.pack("<I4sIIIIII", 32, b"DHIP", 0, 0, len(js), 0, len(js), 0) + js, addr)


async def serve_hostile(base):
    b = struct.unpack("!I", socket.inet_aton(base))[0]
    servers = []
    h = Hostile(base)
    loop = asyncio.get_running_loop()
    for i, mode in enumerate(MODES):
        addr = socket.inet_ntoa(struct.pack("!I", b + i))
        for port in TCP_PORTS:
            servers.append(await asyncio.start_server(h.tcp, addr, port, reuse_address=True))
        for port in UDP_PORTS:
            await loop.create_datagram_endpoint(lambda m=mode, p=port: HostileUdpAt(m, p), local_addr=(addr, port))
    return servers


async def serve_http(addrs):
    async def handle(reader, writer):
        try:
            await asyncio.wait_for(reader.read(4096), 2)
            writer.write(http(b"200 OK", [b"Server: App-webs/"], b"<html><title>cam</title></html>"))
            await writer.drain()
        except Exception:
            pass
        writer.close()
    return [await asyncio.start_server(handle, a, 80, reuse_address=True) for a in addrs]


class Disc(asyncio.DatagramProtocol):
    def __init__(self, kind, ifaddr):
        self.kind, self.ifaddr = kind, ifaddr

    def connection_made(self, transport):
        self.t = transport

    def datagram_received(self, data, addr):
        if self.kind == "sadp" and b"<Types>inquiry</Types>" in data:
            self.t.sendto(b'<?xml version="1.0" encoding="UTF-8"?><ProbeMatch><Uuid>x</Uuid>'
                          b'<DeviceDescription>DS-2CD2386G2-IU</DeviceDescription>'
                          b'<DeviceSN>DS-2CD2386G2-IU20240801AAWR123456789</DeviceSN>'
                          b'<MAC>44-19-b6-01-02-03</MAC></ProbeMatch>', addr)
        elif self.kind == "dhip" and data[4:8] == b"DHIP":
            js = b'{"mac":"3c:ef:8c:61:01:c0","method":"client.notifyDevInfo","params":{"deviceInfo":{"Vendor":"Dahua","Port":37777}}}'
            self.t.sendto(struct.pack("<I4sIIIIII", 32, b"DHIP", 0, 0, len(js), 0, len(js), 0) + js, addr)
        elif self.kind == "wsd" and b"Probe" in data:
            self.t.sendto(b'<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
                          b'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:ProbeMatches>'
                          b'<d:ProbeMatch><d:Scopes>onvif://www.onvif.org/name/Dahua</d:Scopes></d:ProbeMatch>'
                          b'</d:ProbeMatches></s:Body></s:Envelope>', addr)


async def serve_discover(ifaddrs):
    loop = asyncio.get_running_loop()
    groups = {"sadp": ("239.255.255.250", 37020), "dhip": ("239.255.255.251", 37810),
              "wsd": ("239.255.255.250", 3702)}
    for kind, (group, port) in groups.items():
        ifaddr = ifaddrs[list(groups).index(kind) % len(ifaddrs)]
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton(group) + socket.inet_aton(ifaddr))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(ifaddr))
        # Answer from the device's own address and the service port, like a device would; the same
        # socket takes the unicast requests of the scan that follows discovery.
        out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        out.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        out.bind((ifaddr, port))

        class Reply(Disc):
            def __init__(self, k, o):
                super().__init__(k, None)
                self.o = o

            def connection_made(self, transport):
                self.t = self  # replies go out through the device's own socket

            def sendto(self, data, addr):
                self.o.sendto(data, addr)
        await loop.create_datagram_endpoint(lambda k=kind, o=out: Reply(k, o), sock=s)
        await loop.create_datagram_endpoint(lambda k=kind, o=out: Reply(k, o), sock=out)


class Counter:
    def __init__(self, path):
        self.path, self.open, self.peak, self.times = path, {}, {}, []

    async def tcp(self, reader, writer):
        local = writer.get_extra_info("socket").getsockname()[0]
        self.open[local] = self.open.get(local, 0) + 1
        self.peak[local] = max(self.peak.get(local, 0), self.open[local])
        self.times.append(asyncio.get_running_loop().time())
        try:
            await asyncio.sleep(0.3)
            writer.write(http(b"404 Not Found", [], b""))
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self.open[local] -= 1
            writer.close()

    def save(self):
        import json
        with open(self.path, "w") as f:
            json.dump({"peak": self.peak, "times": self.times}, f)


async def serve_count(path, addrs):
    c = Counter(path)
    servers = [await asyncio.start_server(c.tcp, a, p, reuse_address=True) for a in addrs for p in TCP_PORTS]
    return c, servers


async def main():
    mode = sys.argv[1]
    if mode == "hostile":
        keep = await serve_hostile(sys.argv[2])
    elif mode == "http":
        keep = await serve_http(sys.argv[2:])
    elif mode == "discover":
        keep = await serve_discover(sys.argv[2:])
    elif mode == "count":
        keep = await serve_count(sys.argv[2], sys.argv[3:])
    else:
        sys.exit("usage: scan_responders.py hostile BASE | http ADDR... | discover IFADDR... | count FILE ADDR...")
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    if mode == "count":
        keep[0].save()
    del keep


if __name__ == "__main__":
    asyncio.run(main())
