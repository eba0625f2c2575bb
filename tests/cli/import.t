unmask import nmap: hosts of an nmap XML scan, against the small fixed knowledge base.

  $ export UNMASK_RULES=$TESTDIR/data/rules UNMASK_OUI_DIR=$TESTDIR/data/oui UNMASK_AS_OF=2026-11-27 UNMASK_DB=$PWD/unmask.db
  $ D=$TESTDIR/data/inventory

scan.xml is cut off inside its third host: the error names the line where that host starts, the two
complete hosts are judged (the second from the raw response in nmap's service fingerprint), exit 1.

  $ $UNMASK import nmap --format table $D/scan.xml
  unmask: */scan.xml:14: the document ends inside the <host> that starts here (truncated file?); that host is not judged, the hosts before it are (glob)
  DEVICE                  VERDICT      MAKER         BRAND             CONF  MODEL               STRONGEST EVIDENCE
  192.0.2.1               covered      covco         -                 0.99  -                   covco-server (stack)
  192.0.2.2               clear        freeco        -                 0.60  -                   freeco-title (medium)
  
  2 devices: 1 covered, 0 white-label, 0 suspect, 1 clear, 0 unknown
  [1]

Each result carries the file, the line of its <host> element and its address; nmap's MAC vendor is
kept as mac.org with path "nmap" (the registry's own registrant is derived from the address too).

  $ $UNMASK import nmap --format json $D/scan.xml 2>/dev/null | head -1 | python3 -c '
  > import json, sys
  > v = json.load(sys.stdin)
  > print(v["row"], v["address"], v["mac"], v["file"].rsplit("/", 1)[-1])'
  4 192.0.2.1 0C:BB:CC:00:00:01 scan.xml

Usage errors exit 2.

  $ $UNMASK import
  unmask: import: expected the kind of file first: unmask import nmap FILE.xml
  Try 'unmask import --help'.
  [2]
  $ $UNMASK import nessus x.nessus
  unmask: import: expected the kind of file first: unmask import nmap FILE.xml
  Try 'unmask import --help'.
  [2]
  $ $UNMASK import nmap
  unmask: import nmap: no input files (give FILE.xml..., or - for standard input)
  Try 'unmask import --help'.
  [2]
  $ $UNMASK import --help | head -1
  usage: unmask import nmap [options] FILE.xml...
