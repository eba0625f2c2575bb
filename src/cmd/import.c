/* import.c: `unmask import nmap FILE.xml...`: judges the hosts of existing nmap scans offline.
 *
 * Each <host> of nmap's XML output becomes one device (src/importer/nmapxml.h): its MAC address and
 * vendor, every open port's service, version and raw responses, and the output of the scripts that
 * carry device facts. The one engine judges it and the one writer prints it, with the file, the line
 * of the <host> element and the address. A malformed file is reported as "unmask: FILE:LINE:
 * message"; the hosts before the problem are still judged and the exit code is 1. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../importer/nmapxml.h"
#include "cmd.h"
#include "judge.h"
#include "record.h"

static const char usage[] =
    "usage: unmask import nmap [options] FILE.xml...\n"
    "Judges the hosts of nmap XML output (nmap -sV -oX FILE.xml; scripts such as http-title,\n"
    "http-headers, ssl-cert, snmp-sysdescr, upnp-info and banner add evidence) without touching a\n"
    "network (docs/INVENTORY.md).\n"
    "\n"
    JUDGE_USAGE
    RECORD_USAGE
    "\n"
    "Exit: 0 ok, 1 some files were malformed (the hosts before the problem were judged) or output\n"
    "failed, 2 usage, 3 knowledge errors, 4 --fail-on matched.\n";

struct imp {
    struct judge *j;
    struct recorder *rec;
    const char *file;
    long problems;
};

static void on_problem(void *ctx, long line, const char *msg)
{
    struct imp *m = ctx;
    m->problems++;
    if (line > 0)
        log_error("%s:%ld: %s", m->file, line, msg);
    else
        log_error("%s: %s", m->file, msg);
}

static int on_host(void *ctx, const struct nmap_host *h)
{
    struct imp *m = ctx;
    if (h->d->n_dropped)
        log_warn("%s:%ld: %zu observations beyond %d dropped", m->file, h->line, h->d->n_dropped,
                 OBS_MAX_PER_DEVICE);
    struct report_extra x = { .file = m->file, .row = h->line, .address = h->address, .mac = h->mac };
    struct verdict v;
    judge_verdict(m->j, h->d, &v);
    record_write(m->rec, m->j, h->d, &v, &x);
    return 0;
}

int cmd_import(int argc, char **argv)
{
    struct judge_opts jo;
    judge_opts_init(&jo, "import", usage);
    struct record_opts ro = { 0 };
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "nmap")) {
        log_error("import: expected the kind of file first: unmask import nmap FILE.xml");
        fputs("Try 'unmask import --help'.\n", stderr);
        return EXIT_USAGE;
    }
    argc--, argv++;
    int orc = record_judge_options(&jo, &ro, argc, argv);
    if (orc != EXIT_OK)
        return orc == JUDGE_HELP_SHOWN ? EXIT_OK : orc;
    if (optind >= argc) {
        log_error("import nmap: no input files (give FILE.xml..., or - for standard input)");
        fputs("Try 'unmask import --help'.\n", stderr);
        return EXIT_USAGE;
    }
    jo.stream = !record_all_regular(argv + optind, argc - optind);
    struct recorder rec;
    struct judge j;
    int rc = record_open(&rec, &ro);
    if (rc != EXIT_OK)
        return rc;
    if ((rc = judge_open(&j, &jo)) != EXIT_OK) {
        record_close(&rec, true);
        return rc;
    }
    if (record_begin_files(&rec, &j, "import", argv + optind, argc - optind,
                           knowledge_rules_path(jo.ko.rules)) != EXIT_OK) {
        record_close(&rec, true);
        return judge_close(&j, true);
    }
    long problems = 0;
    for (int i = optind; i < argc; i++) {
        struct imp m = { .j = &j, .rec = &rec, .file = strcmp(argv[i], "-") ? argv[i] : "<stdin>" };
        int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
        if (fd < 0) {
            log_error("%s: %s", argv[i], strerror(errno));
            problems++;
            continue;
        }
        struct nmapxml_sink sink = { .host = on_host, .problem = on_problem, .ctx = &m };
        nmapxml_read_fd(fd, &sink);
        if (fd != STDIN_FILENO)
            close(fd);
        problems += m.problems;
    }
    bool rec_failed = record_close(&rec, problems > 0);
    return judge_close(&j, problems > 0 || rec_failed);
}
