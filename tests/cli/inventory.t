unmask inventory: asset registers and purchase records, against the small fixed knowledge base.

  $ export UNMASK_RULES=$TESTDIR/data/rules UNMASK_OUI_DIR=$TESTDIR/data/oui UNMASK_AS_OF=2026-11-27 UNMASK_DB=$PWD/unmask.db
  $ D=$TESTDIR/data/inventory

Columns are found by their headers (Manufacturer, Model No., Item Description, MAC Address, ...). A
relabelled camera bought from a reseller (ReLabel label, CovCo MAC), a record with the label alone
(paper evidence: suspect, and the explanation says no device evidence confirms it), a bare MAC of the
covered maker, and an unrelated laptop.

  $ $UNMASK inventory --format table $D/register.csv
  DEVICE                  VERDICT      MAKER         BRAND             CONF  MODEL               STRONGEST EVIDENCE
  A-1                     white-label  covco         ReLabel           0.85  RL-100              covco-org (strong)
    FAR 52.204-25(d): contract GS-07F-0001X, order PO-17, supplier Acme Integrators, UEI -, CAGE -, brand ReLabel, model RL-100, item Dome camera, 4 MP
  A-2                     suspect      covco         ReLabel           0.20  RL-200              brand relationship
  A-3                     covered      covco         -                 0.85  -                   covco-org (strong)
    FAR 52.204-25(d): contract -, order -, supplier -, UEI -, CAGE -, brand CovCo, model -, item Switch
  A-4                     unknown      -             -                 0.00  X1                  -
  
  4 devices: 1 covered, 1 white-label, 1 suspect, 0 clear, 1 unknown

Each result carries the file and the row's line (the header is line 1); a flagged row carries the FAR
52.204-25(d) fields from the record, with mitigation left for the user.

  $ $UNMASK inventory --format json $D/register.csv | python3 -c '
  > import json, sys
  > for l in sys.stdin:
  >     v = json.loads(l)
  >     print(v["id"], v["row"], v["verdict"], v["file"].rsplit("/", 1)[-1], json.dumps(v.get("far_52_204_25_d")))'
  A-1 2 white-label register.csv {"contract_number": "GS-07F-0001X", "order_number": "PO-17", "supplier_name": "Acme Integrators", "supplier_uei": null, "cage_code": null, "brand": "ReLabel", "model_number": "RL-100", "item_description": "Dome camera, 4 MP", "mitigation": ""}
  A-2 3 suspect register.csv null
  A-3 4 covered register.csv {"contract_number": null, "order_number": null, "supplier_name": null, "supplier_uei": null, "cage_code": null, "brand": "CovCo", "model_number": null, "item_description": "Switch", "mitigation": ""}
  A-4 5 unknown register.csv null

CSV carries the same FAR 52.204-25(d) fields in nine more columns, filled for covered and white-label
rows (mitigation present and empty); the table prints them under those rows.

  $ $UNMASK inventory --format csv $D/register.csv | python3 -c '
  > import csv, sys
  > for r in csv.DictReader(sys.stdin):
  >     print(r["id"], r["verdict"], "|".join(r[k] for k in r if k.startswith("far_")))'
  A-1 white-label GS-07F-0001X|PO-17|Acme Integrators|||ReLabel|RL-100|Dome camera, 4 MP|
  A-2 suspect ||||||||
  A-3 covered |||||CovCo||Switch|
  A-4 unknown ||||||||
  $ $UNMASK inventory --format json $D/register.csv | sed -n 2p | python3 -c 'import json,sys; print(json.load(sys.stdin)["explanation"])'
  Declared brand ReLabel only: ReLabel is reported as built by CovCo (- to -, evidence grade M), but no device evidence confirms CovCo made it.

TSV (by extension) and semicolon-separated CSV (detected); "Vendor" is the brand when no other column
names one; --only KIND prints the rows judged KIND or worse and still counts all.

  $ $UNMASK inventory --format csv $D/register.tsv | cut -d, -f1-7
  id,file,row,address,mac,verdict,covered
  "register.tsv:2","*/register.tsv","2",,,"suspect","false" (glob)
  $ $UNMASK inventory --format table --only white-label $D/register.csv $D/semicolon.csv
  DEVICE                  VERDICT      MAKER         BRAND             CONF  MODEL               STRONGEST EVIDENCE
  A-1                     white-label  covco         ReLabel           0.85  RL-100              covco-org (strong)
    FAR 52.204-25(d): contract GS-07F-0001X, order PO-17, supplier Acme Integrators, UEI -, CAGE -, brand ReLabel, model RL-100, item Dome camera, 4 MP
  A-3                     covered      covco         -                 0.85  -                   covco-org (strong)
    FAR 52.204-25(d): contract -, order -, supplier -, UEI -, CAGE -, brand CovCo, model -, item Switch
  
  5 devices: 1 covered, 1 white-label, 2 suspect, 0 clear, 1 unknown

--column names a column the synonyms miss (or turns one off); a file without a header row says so on
stderr and is still screened; exit 1 tells that something needs a look.

  $ printf 'Qty,Label,Part Code\n2,ReLabel,RL-1\n' > odd.csv
  $ $UNMASK inventory --format table odd.csv
  unmask: odd.csv:1: no header row: no cell of the first 5 records names a column (brand, manufacturer, vendor, model, part number, SKU, description, MAC, serial, supplier); every cell is screened as a model number, description and serial; hint: add a header row, or --no-header --column model=N
  DEVICE                  VERDICT      MAKER         BRAND             CONF  MODEL               STRONGEST EVIDENCE
  odd.csv:1               unknown      -             -                 0.00  Qty                 -
  odd.csv:2               unknown      -             -                 0.00  2                   -
  
  2 devices: 0 covered, 0 white-label, 0 suspect, 0 clear, 2 unknown
  [1]
  $ $UNMASK inventory --format table --column brand=label --column model='part code' odd.csv
  DEVICE                  VERDICT      MAKER         BRAND             CONF  MODEL               STRONGEST EVIDENCE
  odd.csv:2               suspect      covco         ReLabel           0.20  RL-1                brand relationship
  
  1 device: 0 covered, 0 white-label, 1 suspect, 0 clear, 0 unknown

Usage errors exit 2.

  $ $UNMASK inventory
  unmask: inventory: no input files (give FILE..., or - for standard input)
  Try 'unmask inventory --help'.
  [2]
  $ $UNMASK inventory --column colour=Paint x.csv
  unmask: --column: 'colour=Paint': expected ROLE=HEADER with ROLE one of brand, model, description, mac, serial, supplier, id, address, contract, order, uei, cage
  [2]
  $ $UNMASK inventory --type xlsx x.csv
  unmask: --type: unknown type 'xlsx' (csv, tsv)
  [2]
  $ $UNMASK inventory --only clear x.csv
  unmask: --only: expected covered, white-label or suspect, not 'clear'
  [2]
  $ $UNMASK inventory --help | head -2
  usage: unmask inventory [options] FILE...
  Screens asset registers and purchase records (CSV, TSV) without touching a network: every row
