unmask rules check: every problem as file:line: message, exit 3; the shipped rules pass.

  $ $UNMASK rules check $TESTDIR/data/rules
  1 files, 1 lists, 2 makers, 1 brands, 4 rules, 5 examples: 0 errors

  $ $UNMASK rules check $TESTDIR/data/bad
  */broken.rules:23: strength must be stack, strong, medium, label or weak (glob)
  */broken.rules:1: rule 'no-maker': needs exactly one of 'maker' or 'brand' (glob)
  */broken.rules:9: rule 'bad-example': unknown maker 'nobody' (glob)
  */broken.rules:19: rule 'bad-pattern': needs at least one 'source' (glob)
  */broken.rules:19: rule 'bad-pattern': needs a 'strength' (glob)
  */broken.rules:19: rule 'bad-pattern': unknown maker 'nobody' (glob)
  */broken.rules:19: match: pattern error at offset 10: missing closing parenthesis (glob)
  */broken.rules:16: rule 'bad-example': example does not match: GoAhead-Webs (glob)
  */broken.rules:17: rule 'bad-example': nomatch value matches: Webs (glob)
  1 files, 0 lists, 0 makers, 0 brands, 3 rules, 4 examples: 9 errors
  [3]

  $ $UNMASK rules check $TESTDIR/data/nonexistent
  */data/nonexistent: cannot open: No such file or directory (glob)
  0 files, 0 lists, 0 makers, 0 brands, 0 rules, 0 examples: 1 error
  [3]

The shipped knowledge passes its own examples.

  $ $UNMASK rules check > /dev/null

  $ $UNMASK rules list --rules $TESTDIR/data/rules
  RULE                               FIELD                    INDICATES              STRENGTH SOURCE
  covco-server                       http.server              covco                  stack    tests
  covco-org                          mac.org                  covco                  strong   tests
  freeco-title                       http.title               freeco                 medium   tests
  relabel-brand                      inventory.brand          relabel                label    tests

  $ $UNMASK rules list --rules $TESTDIR/data/rules --format json --maker freeco
  {"id":"freeco-title","field":"http.title","match":"^FreeCo Camera$","indicates":"freeco","kind":"maker","strength":"medium","source":["tests"]}

  $ $UNMASK rules frobnicate
  unmask: rules: unknown action 'frobnicate' (check or list)
  Try 'unmask rules --help'.
  [2]
