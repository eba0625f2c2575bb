unmask identify: verdicts, formats, errors and exit codes, against a small fixed knowledge base.

  $ export UNMASK_RULES=$TESTDIR/data/rules UNMASK_OUI_DIR=$TESTDIR/data/oui UNMASK_AS_OF=2026-11-27 UNMASK_DB=$CRAMTMP/unmask.db
  $ D=$TESTDIR/data/devices.jsonl

The table: a genuine covered device, a relabelled one (label ReLabel, MAC of CovCo), paper evidence only
(a brand whose OEM relationship explains but does not decide), a clear one, and an unknown whose title
carries terminal escapes (shown as '?'). Bad lines are reported with their line number; exit 1.

  $ $UNMASK identify --format table $D 2>&1 >/dev/null
  unmask: */devices.jsonl:6: invalid JSON at byte 2: lexical error: invalid string in json text. (glob)
  unmask: */devices.jsonl:7: observation 0: "value" must be a string (glob)
  [1]

  $ $UNMASK identify --format table $D 2>/dev/null
  DEVICE                  VERDICT      MAKER         BRAND             CONF  MODEL               STRONGEST EVIDENCE
  genuine                 covered      covco         -                 0.95  -                   covco-server (stack)
  relabelled              white-label  covco         ReLabel           0.85  -                   covco-org (strong)
  paper-only              suspect      covco         ReLabel           0.20  -                   brand relationship
  free                    clear        freeco        -                 0.60  -                   freeco-title (medium)
  line-5                  unknown      -             -                 0.00  -                   -
  
  5 devices: 1 covered, 1 white-label, 1 suspect, 1 clear, 1 unknown
  [1]

JSON Lines carry the evidence chain; the firmware comes from the rule's named group.

  $ head -1 $D | $UNMASK identify --format json
  {"id":"genuine","maker":"covco","maker_name":"CovCo","confidence":0.950,"brand":null,"model":null,"firmware":"1.2","serial":null,"verdict":"covered","covered":true,"lists":[{"id":"test-list","name":"Test list","since":"2021-03-12","qualifier":"for the purpose of testing"}],"evidence":[{"observation":{"proto":"http","field":"server","value":"CovCo-Webs/1.2","port":80,"path":"/"},"rule":"covco-server","indicates":"covco","kind":"maker","strength":"stack","survives_relabelling":true,"source":["tests"]}],"explanation":"Made by CovCo: 1 piece of evidence, strongest http.server \"CovCo-Webs/1.2\" (rule covco-server, stack); named by the test list (since 2021-03-12)."}

The MAC registrant is derived evidence and says where it came from.

  $ sed -n 2p $D | $UNMASK identify --format json | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["verdict"], v["evidence"][1]["observation"])'
  white-label {'proto': 'mac', 'field': 'org', 'value': 'CovCo Ltd.', 'path': '0C:BB:CC', 'derived_from': {'name': 'mac.address', 'value': '0c:bb:cc:01:02:03'}}

Ownership is judged at a date: while CovCo owned ReLabel, the relabelled device was covered.

  $ sed -n 2p $D | $UNMASK identify --format json --as-of 2020-01-01 | python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])'
  covered

--fail-on sets exit 4 for CI pipelines.

  $ head -1 $D | $UNMASK identify --format json --fail-on covered >/dev/null
  [4]
  $ sed -n 4p $D | $UNMASK identify --format json --fail-on suspect >/dev/null

CSV quotes fields and defuses formulas.

  $ echo '{"id": "=cmd|calc", "observations": []}' | $UNMASK identify --format csv
  id,file,row,address,mac,verdict,covered,maker,maker_name,brand,model,firmware,serial,confidence,rules,explanation
  "'=cmd|calc",,,,,"unknown","false",,,,,,,"0.000",,"No rule identifies a maker from the 0 observations."

Usage errors exit 2; a missing registry says how to fix it.

  $ $UNMASK identify --format xml < /dev/null
  unmask: --format: unknown format 'xml' (json, table, csv)
  [2]
  $ $UNMASK identify --fail-on clear < /dev/null
  unmask: --fail-on: expected covered, white-label or suspect, not 'clear'
  [2]
  $ $UNMASK identify --oui-dir /nonexistent < /dev/null
  unmask: /nonexistent/oui.csv: cannot read the IEEE registry (no such file); hint: apt-get install ieee-data, or pass --oui-dir DIR, or --no-oui to judge without MAC registrants
  [2]
  $ $UNMASK identify --as-of yesterday < /dev/null
  unmask: --as-of: 'yesterday' is not a date (YYYY-MM-DD)
  [2]
  $ $UNMASK identify a b
  unmask: identify: one input at most (FILE or -)
  Try 'unmask identify --help'.
  [2]
