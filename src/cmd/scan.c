/* scan.c: `unmask scan TARGET...`: probe hosts, judge each one, print and record the verdicts.
 *
 * Targets and exclusions (src/net/targets.c) are fixed before anything is sent; the scanner
 * (src/net/scanner.c) walks them in a random order and hands over each host that answered; this file
 * judges it (the verdict engine, through judge.c), records it in the store (record.c) before printing
 * it, and keeps a progress line on stderr when that is a terminal. SIGINT and SIGTERM stop the scan:
 * exchanges in flight are abandoned, hosts in flight are judged on what they gave, the output is
 * closed properly. docs/SCAN.md is the user's page. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/xalloc.h"
#include "../net/discover.h"
#include "../net/loop.h"
#include "../net/scanner.h"
#include "../net/targets.h"
#include "../proto/proto.h"
#include "cmd.h"
#include "judge.h"
#include "record.h"

static const char usage[] =
    "usage: unmask scan [options] TARGET...\n"
    "Probes the targets, judges every host that answers and prints one verdict each.\n"
    "TARGET: an address (192.0.2.7, 2001:db8::7), a block (192.0.2.0/24), a range (192.0.2.1-192.0.2.9\n"
    "or 192.0.2.1-9) or a host name. Nothing else is ever sent a packet.\n"
    "\n"
    "Targets:\n"
    "  -iL FILE             read targets from FILE ('-' for stdin), whitespace separated, '#' comments\n"
    "      --exclude LIST   never touch these (comma-separated targets)\n"
    "      --exclude-file FILE\n"
    "      --allow-broadcast  also scan multicast, 255.255.255.255 and a block's first and last address\n"
    "      --discover IFACE find hosts by SADP, DHIP, WS-Discovery and SSDP multicast on IFACE too\n"
    "      --discover-wait MS  how long to listen for discovery answers (default 2000)\n"
    "      --seed N         the random order (same seed, same order; required with --shard)\n"
    "      --shard I/N      scan only the I-th of N disjoint parts (1-based)\n"
    "Probes and limits:\n"
    "  -p, --ports LIST     TCP ports (default 80,443,554,8000,37777,22,23,21,7547; ranges a-b)\n"
    "  -U, --udp-ports LIST UDP ports (default 37020,37810,3702,1900,161,5353; 'none' for none)\n"
    "      --probes LIST    only these probes (see --list-probes)\n"
    "      --community S    SNMP community (default public)\n"
    "      --rate N         new connections and datagrams per second (default 2000; 0: no limit)\n"
    "      --concurrency N  sockets open at once (default 1024)\n"
    "      --max-hosts N    hosts in flight (default 1024)\n"
    "      --host-conns N   TCP connections at once per host (default 2)\n"
    "      --timeout MS     connect and reply deadline (default 2000)\n"
    "      --retries N      tries after a timeout or reset (default 1)\n"
    "Output:\n"
    "      --json           JSON Lines (same as -f json)\n" JUDGE_USAGE RECORD_USAGE
    "      --no-progress    no progress line on stderr\n"
    "      --dry-run        print the plan and send nothing\n"
    "      --list-probes    list the probes and the observations they make\n"
    "\n"
    "Exit: 0 ok, 1 runtime failure or interrupted, 2 usage, 3 knowledge errors, 4 --fail-on matched.\n";

enum {
    OPT_EXCLUDE = 0x2000, OPT_EXCLUDE_FILE, OPT_ALLOW_BCAST, OPT_DISCOVER, OPT_DISCOVER_WAIT, OPT_SEED,
    OPT_SHARD, OPT_PROBES, OPT_COMMUNITY, OPT_RATE, OPT_CONC, OPT_MAX_HOSTS, OPT_HOST_CONNS,
    OPT_TIMEOUT, OPT_RETRIES, OPT_JSON, OPT_NO_PROGRESS, OPT_DRY_RUN, OPT_LIST_PROBES,
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

struct scan_cmd {
    struct judge j;
    struct recorder rec;
    bool progress;     /* a progress line is on stderr */
    bool line_shown;   /* it is currently drawn */
    uint64_t total;    /* hosts planned */
    uint64_t flagged;  /* covered and white-label so far */
    uint64_t start_ms;
};

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void progress_clear(struct scan_cmd *sc)
{
    if (sc->line_shown) {
        fputs("\r\033[K", stderr);
        sc->line_shown = false;
    }
}

static void on_tick(void *ctx, const struct scan_stats *st)
{
    struct scan_cmd *sc = ctx;
    if (!sc->progress)
        return;
    double secs = (double)(mono_ms() - sc->start_ms) / 1000.0;
    double rate = secs > 0 ? (double)st->exchanges / secs : 0;
    char eta[32] = "-";
    if (st->hosts_done > 0 && sc->total > st->hosts_done) {
        double left = (double)(sc->total - st->hosts_done) * secs / (double)st->hosts_done;
        snprintf(eta, sizeof eta, "%d:%02d", (int)left / 60, (int)left % 60);
    } else if (sc->total <= st->hosts_done) {
        snprintf(eta, sizeof eta, "0:00");
    }
    fprintf(stderr, "\r\033[Kscan: %llu/%llu hosts, %llu answered, %llu covered or white-label, "
                    "%.0f exchanges/s, ETA %s",
            (unsigned long long)st->hosts_done, (unsigned long long)sc->total,
            (unsigned long long)st->hosts_found, (unsigned long long)sc->flagged, rate, eta);
    fflush(stderr);
    sc->line_shown = true;
}

static void on_host(void *ctx, const struct scan_result *r)
{
    struct scan_cmd *sc = ctx;
    struct report_port ports[2 * SCAN_MAX_PORTS + PROBE_MAX_FOLLOWUPS];
    size_t n = r->n_ports < sizeof ports / sizeof *ports ? r->n_ports : sizeof ports / sizeof *ports;
    for (size_t i = 0; i < n; i++)
        ports[i] = (struct report_port){ r->ports[i].port, r->ports[i].udp ? "udp" : "tcp",
                                         r->ports[i].service };
    /* The neighbour table's MAC, else the one the device itself gave (SADP, DHIP, RPC2, ISAPI). */
    const char *mac = r->mac;
    for (size_t i = 0; !mac && i < r->dev->n_obs; i++)
        if (!strcmp(r->dev->obs[i].name, "mac.address"))
            mac = r->dev->obs[i].value;
    struct report_extra x = { .address = r->address, .mac = mac, .ports = ports, .n_ports = n };
    struct verdict v;
    judge_verdict(&sc->j, r->dev, &v);
    if (v.kind == V_COVERED || v.kind == V_WHITE_LABEL)
        sc->flagged++;
    record_device(&sc->rec, r->dev, &v, &x);
    if (sc->j.out == stdout)
        progress_clear(sc);
    judge_write(&sc->j, r->dev, &v, &x);
}

/* "80,443,8000-8010" into ports; "none" for an empty list. */
static int parse_ports(const char *s, uint16_t *ports, size_t *n, const char *opt)
{
    *n = 0;
    if (!strcmp(s, "none"))
        return 0;
    char *copy = xstrdup(s), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *end;
        long a = strtol(tok, &end, 10), b = a;
        if (*end == '-')
            b = strtol(end + 1, &end, 10);
        if (*end || a < 1 || b > 65535 || b < a) {
            log_error("%s: '%s' is not a port or a range of ports", opt, tok);
            free(copy);
            return -1;
        }
        for (long p = a; p <= b; p++) {
            bool dup = false;
            for (size_t i = 0; i < *n; i++)
                dup |= ports[i] == p;
            if (dup)
                continue;
            if (*n >= SCAN_MAX_PORTS) {
                log_error("%s: at most %d ports", opt, SCAN_MAX_PORTS);
                free(copy);
                return -1;
            }
            ports[(*n)++] = (uint16_t)p;
        }
    }
    free(copy);
    return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out, const char *opt)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || !*s || s[0] == '-' || v > max) {
        log_error("%s: '%s' is not a number from 0 to %lu", opt, s, max);
        return -1;
    }
    *out = v;
    return 0;
}

static void list_probes(void)
{
    for (size_t i = 0; probe_registry[i]; i++) {
        const struct probe *p = probe_registry[i];
        printf("%-8s %-4s ports", p->name, p->transport == PROBE_UDP ? "udp" : p->transport == PROBE_TLS ? "tls" : "tcp");
        if (!p->ports || !p->ports[0])
            printf(" (follow-up only)");
        for (const uint16_t *q = p->ports; q && *q; q++)
            printf("%s%u", q == p->ports ? " " : ",", *q);
        printf("  %s\n", p->help);
        for (const struct probe_field *f = p->fields; f && f->name; f++)
            printf("           %-22s %s\n", f->name, f->help);
    }
}

static void print_plan(const struct targets *t, const struct scan_opts *o, uint64_t seed, uint32_t shard,
                       uint32_t n_shards, uint64_t planned, const char *discover)
{
    char a[64], b[64];
    printf("unmask scan plan (dry run: nothing is sent)\n");
    printf("targets: %llu address%s in %zu range%s\n", (unsigned long long)targets_count(t),
           targets_count(t) == 1 ? "" : "es", targets_n_ranges(t), targets_n_ranges(t) == 1 ? "" : "s");
    for (size_t i = 0; i < targets_n_ranges(t) && i < 20; i++) {
        struct target_addr f, l;
        uint64_t c;
        targets_range(t, i, &f, &l, &c);
        target_addr_str(&f, a, sizeof a);
        target_addr_str(&l, b, sizeof b);
        if (c == 1)
            printf("  %s\n", a);
        else
            printf("  %s - %s (%llu)\n", a, b, (unsigned long long)c);
    }
    if (targets_n_ranges(t) > 20)
        printf("  ... %zu more ranges\n", targets_n_ranges(t) - 20);
    if (discover)
        printf("discovery: SADP, DHIP, WS-Discovery and SSDP multicast on %s, then the hosts that answer\n",
               discover);
    printf("order: random (cyclic group), seed %llu, shard %u/%u: %llu host%s\n", (unsigned long long)seed,
           shard + 1, n_shards, (unsigned long long)planned, planned == 1 ? "" : "s");
    for (int udp = 0; udp < 2; udp++) {
        const uint16_t *ports = udp ? o->udp_ports : o->tcp_ports;
        size_t n = udp ? o->n_udp : o->n_tcp;
        printf("%s ports:", udp ? "udp" : "tcp");
        if (!n)
            printf(" none");
        for (size_t i = 0; i < n; i++) {
            printf(" %u", ports[i]);
            const char *sep = " (";
            for (size_t k = 0; probe_registry[k]; k++) {
                const struct probe *p = probe_registry[k];
                bool allowed = !o->probes;
                for (size_t m = 0; o->probes && o->probes[m]; m++)
                    allowed |= o->probes[m] == p;
                if (allowed && (p->transport == PROBE_UDP) == (udp == 1) && probe_has_port(p, ports[i])) {
                    printf("%s%s", sep, p->name);
                    sep = ",";
                }
            }
            printf("%s", strcmp(sep, " (") ? ")" : udp ? " (none)" : " (connect only)");
        }
        printf("\n");
    }
    printf("limits: rate %u/s%s, %u sockets, %u hosts in flight, %u connections per host, timeout %u ms, "
           "%u retr%s\n",
           o->rate, o->rate ? "" : " (no limit)", o->max_conns, o->max_hosts, o->host_conns, o->timeout_ms,
           o->retries, o->retries == 1 ? "y" : "ies");
    printf("snmp community: %s\n", o->community);
    struct target_iter it;
    targets_iter_init(&it, t, seed, shard, n_shards);
    struct target_addr x;
    printf("first hosts in order:");
    for (int i = 0; i < 8 && targets_iter_next(&it, &x); i++) {
        target_addr_str(&x, a, sizeof a);
        printf(" %s", a);
    }
    printf("\n");
}

int cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {
        JUDGE_LONGOPTS,
        RECORD_LONGOPTS,
        { "ports", required_argument, NULL, 'p' },
        { "udp-ports", required_argument, NULL, 'U' },
        { "exclude", required_argument, NULL, OPT_EXCLUDE },
        { "exclude-file", required_argument, NULL, OPT_EXCLUDE_FILE },
        { "input-list", required_argument, NULL, 'I' },
        { "allow-broadcast", no_argument, NULL, OPT_ALLOW_BCAST },
        { "discover", required_argument, NULL, OPT_DISCOVER },
        { "discover-wait", required_argument, NULL, OPT_DISCOVER_WAIT },
        { "seed", required_argument, NULL, OPT_SEED },
        { "shard", required_argument, NULL, OPT_SHARD },
        { "probes", required_argument, NULL, OPT_PROBES },
        { "community", required_argument, NULL, OPT_COMMUNITY },
        { "rate", required_argument, NULL, OPT_RATE },
        { "concurrency", required_argument, NULL, OPT_CONC },
        { "max-hosts", required_argument, NULL, OPT_MAX_HOSTS },
        { "host-conns", required_argument, NULL, OPT_HOST_CONNS },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "retries", required_argument, NULL, OPT_RETRIES },
        { "json", no_argument, NULL, OPT_JSON },
        { "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
        { "dry-run", no_argument, NULL, OPT_DRY_RUN },
        { "list-probes", no_argument, NULL, OPT_LIST_PROBES },
        { NULL, 0, NULL, 0 },
    };
    struct scan_opts so;
    scan_opts_default(&so);
    struct record_opts ro = { 0 };
    struct judge_opts jo;
    judge_opts_init(&jo, "scan", usage);
    jo.stream = true;
    const char *input_lists[16], *exclude_files[16], *excludes[64], *discover = NULL;
    size_t n_lists = 0, n_exfiles = 0, n_excludes = 0;
    unsigned long discover_wait = 2000, v;
    bool allow_bcast = false, no_progress = false, dry_run = false, have_seed = false;
    uint64_t seed = 0;
    uint32_t shard = 0, n_shards = 1;
    const struct probe *probes[32];
    size_t n_probes = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, JUDGE_SHORTOPTS "p:U:i:", opts, NULL)) != -1) {
        if (record_opt(&ro, c, optarg))
            continue;
        switch (c) {
        case 'p':
            if (parse_ports(optarg, so.tcp_ports, &so.n_tcp, "--ports") < 0)
                return EXIT_USAGE;
            continue;
        case 'U':
            if (parse_ports(optarg, so.udp_ports, &so.n_udp, "--udp-ports") < 0)
                return EXIT_USAGE;
            continue;
        case 'i': /* -iL FILE, nmap's spelling */
        case 'I': {
            const char *file = optarg;
            if (c == 'i') {
                if (optarg[0] != 'L') {
                    log_error("scan: unrecognized option '-i%s' (did you mean -iL FILE?)", optarg);
                    return EXIT_USAGE;
                }
                file = optarg[1] ? optarg + 1 : optind < argc ? argv[optind++] : NULL;
                if (!file) {
                    log_error("scan: -iL needs a file");
                    return EXIT_USAGE;
                }
            }
            if (n_lists == sizeof input_lists / sizeof *input_lists) {
                log_error("scan: too many -iL files");
                return EXIT_USAGE;
            }
            input_lists[n_lists++] = file;
            continue;
        }
        case OPT_EXCLUDE:
            if (n_excludes == sizeof excludes / sizeof *excludes) {
                log_error("scan: too many --exclude options (use --exclude-file)");
                return EXIT_USAGE;
            }
            excludes[n_excludes++] = optarg;
            continue;
        case OPT_EXCLUDE_FILE:
            if (n_exfiles == sizeof exclude_files / sizeof *exclude_files) {
                log_error("scan: too many --exclude-file options");
                return EXIT_USAGE;
            }
            exclude_files[n_exfiles++] = optarg;
            continue;
        case OPT_ALLOW_BCAST: allow_bcast = true; continue;
        case OPT_DISCOVER: discover = optarg; continue;
        case OPT_DISCOVER_WAIT:
            if (parse_uint(optarg, 60000, &discover_wait, "--discover-wait") < 0)
                return EXIT_USAGE;
            continue;
        case OPT_SEED: {
            char *end;
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg) {
                log_error("--seed: '%s' is not a number", optarg);
                return EXIT_USAGE;
            }
            have_seed = true;
            continue;
        }
        case OPT_SHARD: {
            unsigned a, b;
            char tail;
            if (sscanf(optarg, "%u/%u%c", &a, &b, &tail) != 2 || a < 1 || b < 1 || a > b || b > 65535) {
                log_error("--shard: expected I/N with 1 <= I <= N, not '%s'", optarg);
                return EXIT_USAGE;
            }
            shard = a - 1;
            n_shards = b;
            continue;
        }
        case OPT_PROBES: {
            char *copy = xstrdup(optarg), *save = NULL;
            for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                const struct probe *p = probe_find(tok);
                if (!p || n_probes + 1 >= sizeof probes / sizeof *probes) {
                    log_error("--probes: unknown probe '%s' (see --list-probes)", tok);
                    free(copy);
                    return EXIT_USAGE;
                }
                probes[n_probes++] = p;
            }
            free(copy);
            probes[n_probes] = NULL;
            so.probes = probes;
            continue;
        }
        case OPT_COMMUNITY: so.community = optarg; continue;
        case OPT_RATE:
            if (parse_uint(optarg, 10000000, &v, "--rate") < 0)
                return EXIT_USAGE;
            so.rate = (unsigned)v;
            continue;
        case OPT_CONC:
            if (parse_uint(optarg, 1000000, &v, "--concurrency") < 0 || v == 0)
                return EXIT_USAGE;
            so.max_conns = (unsigned)v;
            continue;
        case OPT_MAX_HOSTS:
            if (parse_uint(optarg, 1000000, &v, "--max-hosts") < 0 || v == 0)
                return EXIT_USAGE;
            so.max_hosts = (unsigned)v;
            continue;
        case OPT_HOST_CONNS:
            if (parse_uint(optarg, 64, &v, "--host-conns") < 0 || v == 0)
                return EXIT_USAGE;
            so.host_conns = (unsigned)v;
            continue;
        case OPT_TIMEOUT:
            if (parse_uint(optarg, 600000, &v, "--timeout") < 0 || v == 0)
                return EXIT_USAGE;
            so.timeout_ms = (unsigned)v;
            continue;
        case OPT_RETRIES:
            if (parse_uint(optarg, 10, &v, "--retries") < 0)
                return EXIT_USAGE;
            so.retries = (unsigned)v;
            continue;
        case OPT_JSON: jo.format = "json"; continue;
        case OPT_NO_PROGRESS: no_progress = true; continue;
        case OPT_DRY_RUN: dry_run = true; continue;
        case OPT_LIST_PROBES: list_probes(); return EXIT_OK;
        default: break;
        }
        int rc = judge_opt(&jo, c, optarg, argv);
        if (rc == JUDGE_HELP_SHOWN)
            return EXIT_OK;
        if (rc != EXIT_OK)
            return rc < 0 ? EXIT_USAGE : rc;
    }
    if (n_shards > 1 && !have_seed) {
        log_error("--shard: every sensor must walk the same order; give the same --seed to all of them");
        return EXIT_USAGE;
    }
    if (optind >= argc && !n_lists && !discover) {
        log_error("scan: no targets (give addresses, blocks, ranges or host names, -iL FILE, or --discover IFACE)");
        fputs("Try 'unmask scan --help'.\n", stderr);
        return EXIT_USAGE;
    }

    /* The targets, fixed before anything is sent. */
    struct targets *t = targets_new();
    char err[512];
    int rc = EXIT_OK;
    for (int i = optind; i < argc && rc == EXIT_OK; i++)
        if (targets_add(t, argv[i], false, true, allow_bcast, err, sizeof err) < 0)
            rc = EXIT_USAGE;
    for (size_t i = 0; i < n_lists && rc == EXIT_OK; i++) {
        FILE *f = strcmp(input_lists[i], "-") ? fopen(input_lists[i], "r") : stdin;
        if (!f) {
            snprintf(err, sizeof err, "%s: %s", input_lists[i], strerror(errno));
            rc = EXIT_USAGE;
            break;
        }
        if (targets_add_file(t, f, f == stdin ? "<stdin>" : input_lists[i], false, true, allow_bcast, err,
                             sizeof err) < 0)
            rc = EXIT_USAGE;
        if (f != stdin)
            fclose(f);
    }
    for (size_t i = 0; i < n_excludes && rc == EXIT_OK; i++) {
        char *copy = xstrdup(excludes[i]), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok && rc == EXIT_OK; tok = strtok_r(NULL, ",", &save))
            if (targets_add(t, tok, true, true, allow_bcast, err, sizeof err) < 0)
                rc = EXIT_USAGE;
        free(copy);
    }
    for (size_t i = 0; i < n_exfiles && rc == EXIT_OK; i++) {
        FILE *f = fopen(exclude_files[i], "r");
        if (!f) {
            snprintf(err, sizeof err, "%s: %s", exclude_files[i], strerror(errno));
            rc = EXIT_USAGE;
            break;
        }
        if (targets_add_file(t, f, exclude_files[i], true, true, allow_bcast, err, sizeof err) < 0)
            rc = EXIT_USAGE;
        fclose(f);
    }
    if (rc == EXIT_OK && targets_finish(t, err, sizeof err) < 0)
        rc = EXIT_USAGE;
    if (rc != EXIT_OK) {
        log_error("scan: %s", err);
        targets_free(t);
        return rc;
    }
    if (!have_seed) {
        if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed)
            seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
    }
    uint64_t planned = targets_shard_count(targets_count(t), shard, n_shards, seed);
    if (dry_run) {
        print_plan(t, &so, seed, shard, n_shards, planned, discover);
        targets_free(t);
        return EXIT_OK;
    }
    if (planned == 0 && !discover) {
        log_error("scan: nothing to scan (every target is excluded, or is a multicast or broadcast "
                  "address; --allow-broadcast permits those)");
        targets_free(t);
        return EXIT_USAGE;
    }

    struct scan_cmd sc = { .total = planned };
    rc = record_open(&sc.rec, &ro);
    if (rc == EXIT_OK && (rc = judge_open(&sc.j, &jo)) != EXIT_OK)
        record_close(&sc.rec, true);
    if (rc != EXIT_OK) {
        targets_free(t);
        return rc;
    }
    char input[256];
    snprintf(input, sizeof input, "%s%s", optind < argc ? argv[optind] : n_lists ? input_lists[0] : discover,
             argc - optind > 1 || n_lists ? " ..." : "");
    if (record_begin(&sc.rec, "scan", input, &sc.j.k, knowledge_rules_path(jo.ko.rules)) != EXIT_OK) {
        targets_free(t);
        return judge_close(&sc.j, true);
    }

    struct loop *l = loop_new();
    if (!l) {
        log_error("scan: epoll: %s", strerror(errno));
        record_close(&sc.rec, true);
        targets_free(t);
        return judge_close(&sc.j, true);
    }
    struct target_iter it;
    targets_iter_init(&it, t, seed, shard, n_shards);
    sc.progress = !no_progress && isatty(STDERR_FILENO) && log_get_level() < LOG_INFO;
    struct scanner *s = scanner_new(l, &so, &it, on_host, on_tick, &sc);

    struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    signal(SIGPIPE, SIG_IGN);

    bool failed = false;
    if (discover) {
        struct discover_hit *hits;
        int n = discover_run(discover, (unsigned)discover_wait, t, &hits, err, sizeof err);
        if (n < 0) {
            log_error("%s", err);
            failed = true;
        } else {
            unsigned by[DISC_N] = { 0 };
            for (int i = 0; i < n; i++) {
                scanner_add_host(s, &hits[i].addr);
                for (int p = 0; p < DISC_N; p++)
                    by[p] += (hits[i].protos >> p) & 1;
                char a[64];
                target_addr_str(&hits[i].addr, a, sizeof a);
                for (int p = 0; p < DISC_N; p++)
                    if (hits[i].protos >> p & 1)
                        log_info("discover: %s answered %s", a, discover_proto_name((enum discover_proto)p));
            }
            fprintf(stderr, "unmask: discover: %d host%s on %s (sadp %u, dhip %u, ws-discovery %u, ssdp %u)\n", n,
                    n == 1 ? "" : "s", discover, by[DISC_SADP], by[DISC_DHIP], by[DISC_WSD], by[DISC_SSDP]);
            sc.total += (uint64_t)n;
            free(hits);
        }
    }
    sc.start_ms = mono_ms();
    if (!failed && scanner_run(s, &stop_flag) < 0) {
        log_error("scan: event loop failed: %s", strerror(errno));
        failed = true;
    }
    struct scan_stats st;
    scanner_stats(s, &st);
    progress_clear(&sc);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    double secs = (double)(mono_ms() - sc.start_ms) / 1000.0;
    if (stop_flag)
        log_error("scan: interrupted after %llu of %llu hosts; the verdicts so far are kept",
                  (unsigned long long)st.hosts_done, (unsigned long long)sc.total);
    log_info("scan: %llu hosts, %llu answered, %llu exchanges (%llu refused, %llu timeouts, %llu resets) "
             "in %.1f s",
             (unsigned long long)st.hosts_done, (unsigned long long)st.hosts_found,
             (unsigned long long)st.exchanges, (unsigned long long)st.refused,
             (unsigned long long)st.timeouts, (unsigned long long)st.resets, secs);
    scanner_free(s);
    loop_free(l);
    targets_free(t);
    bool interrupted = stop_flag != 0;
    stop_flag = 0;
    bool rec_failed = record_close(&sc.rec, interrupted || failed);
    rc = judge_close(&sc.j, failed || rec_failed);
    if (rc == EXIT_OK && interrupted)
        rc = EXIT_RUNTIME;
    return rc;
}
