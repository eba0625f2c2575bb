/* devices.c: `unmask devices`: every device ever recorded, with its latest verdict (docs/STORE.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../kb/kb.h"
#include "../store/store.h"
#include "cmd.h"
#include "record.h"

static const char usage[] =
    "usage: unmask devices [options]\n"
    "Lists every device the recorded runs have seen, with its latest verdict. A device keeps its\n"
    "identity across runs by MAC address, then serial number, then address, then name.\n"
    "\n"
    "      --verdict LIST  only these verdicts (comma-separated: covered, white-label, suspect,\n"
    "                      clear, unknown)\n"
    "      --maker SLUG    only devices judged to be made by SLUG (e.g. hikvision)\n"
    "      --since DATE    only devices seen on or after DATE (YYYY-MM-DD)\n"
    "  -f, --format FMT    table (default) or json (one object per device)\n"
    "      --db PATH       the database (default $UNMASK_DB, else\n"
    "                      $XDG_DATA_HOME/unmask/unmask.db or ~/.local/share/unmask/unmask.db)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit: 0 ok, 1 the database cannot be read, 2 usage.\n";

struct out {
    unsigned verdicts; /* bit per enum verdict_kind; 0: all */
    yajl_gen g;        /* json, or NULL for the table */
    long n;
};

static int print_device(void *ctx, const struct store_row *r)
{
    struct out *o = ctx;
    int kind = r->verdict ? verdict_kind_parse(r->verdict) : -1;
    if (o->verdicts && (kind < 0 || !(o->verdicts & 1u << kind)))
        return 0;
    o->n++;
    if (!o->g) {
        record_cell(stdout, r->name, 22, false);
        record_cell(stdout, r->address ? r->address : r->mac, 17, false);
        record_cell(stdout, r->verdict, 11, false);
        record_cell(stdout, r->maker, 11, false);
        record_cell(stdout, r->brand, 12, false);
        record_cell(stdout, r->model, 18, false);
        record_cell(stdout, r->firmware, 14, false);
        char first[16], last[16];
        snprintf(first, sizeof first, "%.10s", r->first_seen ? r->first_seen : "-");
        snprintf(last, sizeof last, "%.10s", r->seen ? r->seen : "-");
        record_cell(stdout, first, 10, false);
        record_cell(stdout, last, 10, true);
        fputc('\n', stdout);
        return 0;
    }
    yajl_gen g = o->g;
    yajl_gen_map_open(g);
    record_kint(g, "device", r->device_id);
    record_kv(g, "name", r->name);
    record_kv(g, "address", r->address);
    record_kv(g, "mac", r->mac);
    record_kv(g, "verdict", r->verdict);
    record_kv(g, "maker", r->maker);
    record_kv(g, "brand", r->brand);
    record_kv(g, "model", r->model);
    record_kv(g, "firmware", r->firmware);
    record_kv(g, "serial", r->serial);
    record_kv(g, "first_seen", r->first_seen);
    record_kv(g, "last_seen", r->seen);
    record_kint(g, "first_run", r->first_run);
    record_kint(g, "last_run", r->run_id);
    yajl_gen_map_close(g);
    record_json_line(g);
    return 0;
}

/* Parses "covered,white-label" into a bit set; 0 on error. */
static unsigned parse_verdicts(const char *s)
{
    unsigned set = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int k = verdict_kind_parse(t);
        if (k < 0)
            return 0;
        set |= 1u << k;
    }
    return set;
}

int cmd_devices(int argc, char **argv)
{
    static const struct option opts[] = {
        { "verdict", required_argument, NULL, 'V' }, { "maker", required_argument, NULL, 'M' },
        { "since", required_argument, NULL, 'S' },   { "format", required_argument, NULL, 'f' },
        { "db", required_argument, NULL, 'D' },      { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL, *format = "table";
    struct store_filter f = { 0 };
    struct out o = { 0 };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'V':
            if (!(o.verdicts = parse_verdicts(optarg))) {
                log_error("--verdict: expected covered, white-label, suspect, clear or unknown "
                          "(comma-separated), not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'M': f.maker = optarg; break;
        case 'S':
            if (strlen(optarg) != 10 || kb_parse_date(optarg, false) <= 0) {
                log_error("--since: '%s' is not a date (YYYY-MM-DD)", optarg);
                return EXIT_USAGE;
            }
            f.since = optarg;
            break;
        case 'f': format = optarg; break;
        case 'D': db = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default:
            return cmd_option_error("devices", c, argv);
        }
    }
    bool json;
    if (record_format_only("devices", format, argc, argv, &json) != EXIT_OK)
        return EXIT_USAGE;
    struct store *st;
    int rc = record_open_existing(db, &st);
    if (rc != EXIT_OK)
        return rc;
    if (json)
        o.g = yajl_gen_alloc(NULL);
    else
        printf("%-22s  %-17s  %-11s  %-11s  %-12s  %-18s  %-14s  %-10s  %s\n", "DEVICE",
               "ADDRESS/MAC", "VERDICT", "MAKER", "BRAND", "MODEL", "FIRMWARE", "FIRST SEEN",
               "LAST SEEN");
    rc = store_devices(st, &f, print_device, &o);
    if (rc < 0)
        log_error("devices: %s", store_errmsg(st));
    else if (!json)
        printf("\n%ld device%s\n", o.n, o.n == 1 ? "" : "s");
    if (o.g)
        yajl_gen_free(o.g);
    store_close(st);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}
