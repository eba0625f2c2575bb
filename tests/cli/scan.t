unmask scan: usage errors, the plan of --dry-run (nothing is sent), the probe list. Scans that send
packets are in tests/integration/scan_*.sh, inside network namespaces of their own.

  $ $UNMASK scan
  unmask: scan: no targets (give addresses, blocks, ranges or host names, -iL FILE, or --discover IFACE)
  Try 'unmask scan --help'.
  [2]

  $ $UNMASK scan --help | head -2
  usage: unmask scan [options] TARGET...
  Probes the targets, judges every host that answers and prints one verdict each.

The plan: exclusions are subtracted before anything is counted, the order is random but fixed by the
seed, and each port lists the probes that will run there.

  $ $UNMASK scan --dry-run --seed 7 192.0.2.0/29 --exclude 192.0.2.3 -p 80,554 -U 37020
  unmask scan plan (dry run: nothing is sent)
  targets: 5 addresses in 2 ranges
    192.0.2.1 - 192.0.2.2 (2)
    192.0.2.4 - 192.0.2.6 (3)
  order: random (cyclic group), seed 7, shard 1/1: 5 hosts
  tcp ports: 80 (http,onvif) 554 (rtsp)
  udp ports: 37020 (sadp)
  limits: rate 2000/s, 1024 sockets, 1024 hosts in flight, 2 connections per host, timeout 2000 ms, 1 retry
  snmp community: public
  first hosts in order: 192.0.2.5 192.0.2.6 192.0.2.1 192.0.2.4 192.0.2.2

A block's network and broadcast addresses, multicast groups and 255.255.255.255 are never targets unless
asked; a port no probe speaks gets a bare connect.

  $ $UNMASK scan --dry-run --seed 1 -p 9999 -U none 10.0.0.0/30 224.0.0.251 255.255.255.255 | sed -n '2,6p'
  targets: 2 addresses in 1 range
    10.0.0.1 - 10.0.0.2 (2)
  order: random (cyclic group), seed 1, shard 1/1: 2 hosts
  tcp ports: 9999 (connect only)
  udp ports: none

  $ $UNMASK scan --dry-run --seed 1 -p 9999 -U none --allow-broadcast 10.0.0.0/30 224.0.0.251 | sed -n 2p
  targets: 5 addresses in 2 ranges

Shards split one walk: every sensor must use the same seed.

  $ $UNMASK scan --dry-run --seed 5 --shard 2/2 -U none -p 22 10.0.0.0/28 | sed -n 4p
  order: random (cyclic group), seed 5, shard 2/2: 8 hosts

  $ $UNMASK scan --shard 2/3 192.0.2.0/24
  unmask: --shard: every sensor must walk the same order; give the same --seed to all of them
  [2]

  $ $UNMASK scan --shard 4/3 --seed 1 192.0.2.1
  unmask: --shard: expected I/N with 1 <= I <= N, not '4/3'
  [2]

Targets from a file, with comments.

  $ printf '# cameras\n192.0.2.10 192.0.2.11\n192.0.2.20-22  # NVRs\n' > list.txt
  $ $UNMASK scan --dry-run --seed 3 -iL list.txt | sed -n 2p
  targets: 5 addresses in 2 ranges

Errors.

  $ $UNMASK scan --no-db 192.0.2.1 --exclude 192.0.2.0/24
  unmask: scan: nothing to scan (every target is excluded, or is a multicast or broadcast address; --allow-broadcast permits those)
  [2]

  $ $UNMASK scan -p 0 192.0.2.1
  unmask: --ports: '0' is not a port or a range of ports
  [2]

  $ $UNMASK scan -p 80-70 192.0.2.1
  unmask: --ports: '80-70' is not a port or a range of ports
  [2]

  $ $UNMASK scan 'not a host!'
  unmask: scan: 'not a host!' is not an address, block (a.b.c.d/n), range (a-b) or host name
  [2]

  $ $UNMASK scan --probes http,bogus 192.0.2.1
  unmask: --probes: unknown probe 'bogus' (see --list-probes)
  [2]

  $ $UNMASK scan -iX 192.0.2.1
  unmask: scan: unrecognized option '-iX' (did you mean -iL FILE?)
  [2]

  $ $UNMASK scan --rate fast 192.0.2.1
  unmask: --rate: 'fast' is not a number from 0 to 10000000
  [2]

The probes and what they observe.

  $ $UNMASK scan --list-probes | awk '$1 ~ /^[a-z]+$/ && NF > 3 {print $1, $2}'
  http tcp
  onvif tcp
  https tls
  rtsp tcp
  hiksdk tcp
  dvrip tcp
  ssh tcp
  telnet tcp
  ftp tcp
  sadp udp
  dhip udp
  wsd udp
  ssdp udp
  snmp udp
  mdns udp
  upnp tcp

A closed port is no finding: nothing is printed, and the exit code is 0.

  $ $UNMASK scan --no-db --json -p 1 -U none --timeout 300 127.0.0.1
