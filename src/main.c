/* main.c: argv to subcommand. The only file that calls exit() (through main's return).
 *
 * unmask finds equipment of US-covered makers (Hikvision, Dahua, Huawei, ZTE, Hytera) and their white
 * labels. Every source becomes observations; one engine judges them (docs/ARCHITECTURE.md). */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/err.h"
#include "core/log.h"

#ifndef UNMASK_VERSION
#define UNMASK_VERSION "0.1.0"
#endif

static const char usage[] =
    "usage: unmask [-v|-q] COMMAND [ARGS]\n"
    "Finds the equipment of US-covered makers (Hikvision, Dahua, Huawei, ZTE, Hytera), whatever its label.\n"
    "\n"
    "Commands:\n"
    "  identify [FILE|-]   verdicts for devices described as observation JSON Lines\n"
    "  scan TARGET...      probe networks and judge every device that answers (docs/SCAN.md)\n"
    "  rules check|list    validate the knowledge files and their examples; list the rules\n"
    "  lab                 serve simulated devices on loopback (docs/LAB.md)\n"
    "  history             the recorded runs, with their counts by verdict\n"
    "  devices             every device recorded, with its latest verdict (--verdict, --maker, --since)\n"
    "  diff [A] [B]        devices new, gone or changed between two runs (default: the last two)\n"
    "  report -o FILE      a recorded run as an HTML report, CSV or JSON Lines (--scan ID)\n"
    "  inventory FILE...   screen asset registers and purchase records (CSV, TSV) offline\n"
    "  import nmap FILE    judge the hosts of an nmap XML scan (-oX) offline\n"
    "  version             print the version\n"
    "\n"
    "Run 'unmask COMMAND --help' for a command's options. Exit codes: 0 ok, 1 runtime failure,\n"
    "2 usage, 3 knowledge errors, 4 --fail-on matched.\n";

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    { "identify", cmd_identify },
    { "scan", cmd_scan },
    { "rules", cmd_rules },
    { "lab", cmd_lab },
    { "history", cmd_history },
    { "devices", cmd_devices },
    { "diff", cmd_diff },
    { "report", cmd_report },
    { "inventory", cmd_inventory },
    { "import", cmd_import },
};

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
            log_set_level(log_get_level() < LOG_DEBUG ? log_get_level() + 1 : LOG_DEBUG);
        else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
            log_set_level(LOG_ERROR);
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--version")) {
            printf("unmask %s\n", UNMASK_VERSION);
            return EXIT_OK;
        } else {
            log_error("unknown option '%s'", argv[i]);
            fputs("Try 'unmask --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[i], "version")) {
        printf("unmask %s\n", UNMASK_VERSION);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (!strcmp(argv[i], commands[k].name))
            return commands[k].fn(argc - i, argv + i);
    log_error("unknown command '%s'", argv[i]);
    fputs("Try 'unmask --help'.\n", stderr);
    return EXIT_USAGE;
}
