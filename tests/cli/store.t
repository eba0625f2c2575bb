The store: identify records each run unless --no-db; history, devices, diff and report read it back.
Times come from SOURCE_DATE_EPOCH so that the transcript is stable.

  $ export UNMASK_RULES=$TESTDIR/data/rules UNMASK_OUI_DIR=$TESTDIR/data/oui UNMASK_AS_OF=2026-11-27
  $ export XDG_DATA_HOME=$CRAMTMP/xdg UNMASK_DB=
  $ D=$TESTDIR/data/devices.jsonl

Before anything is recorded, the reading commands say where the database would be and how it is made.

  $ $UNMASK history
  unmask: */xdg/unmask/unmask.db: no database yet; hint: 'unmask identify', 'scan', 'inventory' or 'import' record their runs there (or pass --db PATH) (glob)
  [1]

--no-db leaves no trace; a normal run creates the database (mode 0600, in a 0700 folder).

  $ head -4 $D | $UNMASK identify --format json --no-db > /dev/null
  $ test -e $XDG_DATA_HOME/unmask/unmask.db
  [1]
  $ head -4 $D | SOURCE_DATE_EPOCH=1793059200 $UNMASK identify --format json > /dev/null
  $ stat -c '%a' $XDG_DATA_HOME/unmask $XDG_DATA_HOME/unmask/unmask.db
  700
  600

A second run a week later, where the clear device is gone, the unknown one appears, and the genuine
device has new firmware. Input lines that are rejected make the run partial.

  $ cat > second.jsonl <<'JSON'
  > {"id": "genuine", "observations": [{"proto": "http", "field": "server", "value": "CovCo-Webs/1.3", "port": 80, "path": "/"}]}
  > {"id": "relabelled", "observations": [{"proto": "onvif", "field": "manufacturer", "value": "ReLabel"}, {"proto": "mac", "field": "address", "value": "0c:bb:cc:01:02:03"}]}
  > {"id": "paper-only", "observations": [{"proto": "inventory", "field": "brand", "value": "RELABEL"}]}
  > {"id": "newcomer", "observations": [{"proto": "http", "field": "title", "value": "\u001b[31mred\u001b[0m"}]}
  > this is not json
  > JSON
  $ SOURCE_DATE_EPOCH=1793664000 $UNMASK identify --format json second.jsonl > /dev/null
  unmask: second.jsonl:5: invalid JSON at byte 2: lexical error: invalid string in json text.
  [1]
  $ $UNMASK history
   RUN  SOURCE     STARTED               STATUS      DEVICES  COVERED  WHITE-LABEL  SUSPECT    CLEAR  UNKNOWN  INPUT
     1  identify   2026-10-27T00:00:00Z  complete          4        1            1        1        1        0  <stdin>
     2  identify   2026-11-03T00:00:00Z  partial           4        1            1        1        0        1  second.jsonl

  $ $UNMASK diff
  from run 1 (identify, 2026-10-27T00:00:00Z) <stdin>
  to   run 2 (identify, 2026-11-03T00:00:00Z) second.jsonl
  + new      newcomer                unknown      -            -                   -
  - gone     free                    clear        freeco       -                   -
  ~ changed  genuine                 firmware 1.2 -> 1.3
  3 changes: 1 new, 1 gone, 1 changed

  $ $UNMASK diff --format json 1 2 | head -1
  {"change":"new","device":5,"name":"newcomer","mac":null,"after":{"run":2,"verdict":"unknown","maker":null,"brand":null,"model":null,"firmware":null,"address":null}}

Devices keep their identity: five devices in all, each with its latest verdict; filters narrow them.

  $ $UNMASK devices
  DEVICE                  ADDRESS/MAC        VERDICT      MAKER        BRAND         MODEL               FIRMWARE        FIRST SEEN  LAST SEEN
  free                    -                  clear        freeco       -             -                   -               2026-10-27  2026-10-27
  genuine                 -                  covered      covco        -             -                   1.3             2026-10-27  2026-11-03
  newcomer                -                  unknown      -            -             -                   -               2026-11-03  2026-11-03
  paper-only              -                  suspect      covco        ReLabel       -                   -               2026-10-27  2026-11-03
  relabelled              0c:bb:cc:01:02:03  white-label  covco        ReLabel       -                   -               2026-10-27  2026-11-03
  
  5 devices
  $ $UNMASK devices --verdict covered,white-label --since 2026-11-01 | tail -n +2
  genuine                 -                  covered      covco        -             -                   1.3             2026-10-27  2026-11-03
  relabelled              0c:bb:cc:01:02:03  white-label  covco        ReLabel       -                   -               2026-10-27  2026-11-03
  
  2 devices
  $ $UNMASK devices --maker freeco --format json
  {"device":4,"name":"free","address":null,"mac":null,"verdict":"clear","maker":"freeco","brand":null,"model":null,"firmware":null,"serial":null,"first_seen":"2026-10-27T00:00:00Z","last_seen":"2026-10-27T00:00:00Z","first_run":1,"last_run":1}

Reports: the format comes from the extension; the stored observations are judged again.

  $ $UNMASK report --scan 1 -o one.csv
  $ cut -d, -f1,6,8 one.csv
  id,verdict,maker
  "genuine","covered","covco"
  "relabelled","white-label","covco"
  "paper-only","suspect","covco"
  "free","clear","freeco"
  $ $UNMASK report -o latest.jsonl && wc -l < latest.jsonl
  4
  $ SOURCE_DATE_EPOCH=1793664000 $UNMASK report -o latest.html
  $ grep -o '<title>unmask[^<]*</title>' latest.html
  <title>unmask report: run 2</title>
  $ grep -c '<script' latest.html
  1
  $ grep -o 'FAR 52.204-25(d) report</h2>' latest.html
  FAR 52.204-25(d) report</h2>

Judged as of another date (or with other knowledge), a device may change; the report says how many.

  $ $UNMASK -v report --scan 1 --as-of 2020-01-01 -o then.csv 2>&1 | grep -v 'devices written'
  unmask: relabelled: recorded white-label covco, judged now covered covco
  unmask: paper-only: recorded suspect covco, judged now covered covco
  unmask: warning: run 1: 2 devices are judged differently from the recorded verdict (other knowledge or judgement date); the report shows the new judgement (-v lists them)
  $ grep relabelled then.csv | cut -d, -f6
  "covered"

Usage errors exit 2; a missing run exits 1.

  $ $UNMASK report
  unmask: report: -o FILE (.html, .csv or .jsonl) or --format is required
  Try 'unmask report --help'.
  [2]
  $ $UNMASK report -o out.pdf
  unmask: report: cannot tell the format of 'out.pdf' from its extension (.html, .csv, .jsonl); hint: pass --format
  [2]
  $ $UNMASK report --scan 9 -o x.csv
  unmask: report: there is no run 9
  [1]
  $ $UNMASK diff 1 x
  unmask: diff: a run is a positive number (see 'unmask history')
  Try 'unmask diff --help'.
  [2]
  $ $UNMASK diff 1 9
  unmask: diff: there is no run 9
  [1]
  $ $UNMASK devices --verdict maybe
  unmask: --verdict: expected covered, white-label, suspect, clear or unknown (comma-separated), not 'maybe'
  [2]
  $ $UNMASK devices --since yesterday
  unmask: --since: 'yesterday' is not a date (YYYY-MM-DD)
  [2]
  $ $UNMASK identify --db /dev/null/x.db < /dev/null
  unmask: /dev/null/x.db: cannot record the run: * hint: pass --db PATH, or --no-db to run without recording (glob)
  [1]
  $ echo 'not a database, long enough to fill the hundred bytes of a header ....................................' > junk.db
  $ $UNMASK history --db junk.db
  unmask: junk.db: open: file is not a database
  [1]
