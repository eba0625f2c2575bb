Top-level usage and exit codes.

  $ $UNMASK
  usage: unmask [-v|-q] COMMAND [ARGS]
  Finds the equipment of US-covered makers (Hikvision, Dahua, Huawei, ZTE, Hytera), whatever its label.
  
  Commands:
    identify [FILE|-]   verdicts for devices described as observation JSON Lines
    scan TARGET...      probe networks and judge every device that answers (docs/SCAN.md)
    rules check|list    validate the knowledge files and their examples; list the rules
    lab                 serve simulated devices on loopback (docs/LAB.md)
    history             the recorded runs, with their counts by verdict
    devices             every device recorded, with its latest verdict (--verdict, --maker, --since)
    diff [A] [B]        devices new, gone or changed between two runs (default: the last two)
    report -o FILE      a recorded run as an HTML report, CSV or JSON Lines (--scan ID)
    inventory FILE...   screen asset registers and purchase records (CSV, TSV) offline
    import nmap FILE    judge the hosts of an nmap XML scan (-oX) offline
    version             print the version
  
  Run 'unmask COMMAND --help' for a command's options. Exit codes: 0 ok, 1 runtime failure,
  2 usage, 3 knowledge errors, 4 --fail-on matched.
  [2]

  $ $UNMASK --help | head -1
  usage: unmask [-v|-q] COMMAND [ARGS]

  $ $UNMASK version
  unmask 0.1.0

  $ $UNMASK frob
  unmask: unknown command 'frob'
  Try 'unmask --help'.
  [2]

  $ $UNMASK identify --help | head -2
  usage: unmask identify [options] [FILE|-]
  Reads devices as observation JSON Lines (docs/OBSERVATIONS.md) and prints one verdict each.

  $ $UNMASK identify --bogus < /dev/null
  unmask: identify: unrecognized option '--bogus'
  Try 'unmask identify --help'.
  [2]

  $ $UNMASK identify --format
  unmask: identify: missing value for '--format'
  Try 'unmask identify --help'.
  [2]
