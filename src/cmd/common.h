/* common.h: what every subcommand shares: finding and loading the knowledge, opening outputs.
 *
 * Subcommands return exit codes (err.h enum unmask_exit); only main() calls exit(). */
#ifndef UNMASK_COMMON_H
#define UNMASK_COMMON_H

#include <stdbool.h>

#include "../kb/kb.h"
#include "../kb/oui.h"

struct knowledge {
    struct kb *kb;
    struct oui_db *oui; /* NULL with --no-oui */
    int as_of;          /* yyyymmdd */
};

struct knowledge_opts {
    const char *rules;   /* --rules PATH; NULL: $UNMASK_RULES, then the installed or source tree */
    const char *oui_dir; /* --oui-dir DIR; NULL: $UNMASK_OUI_DIR, then /usr/share/ieee-data */
    bool no_oui;         /* --no-oui */
    const char *as_of;   /* --as-of YYYY-MM-DD; NULL: today (or $UNMASK_AS_OF) */
};

/* Loads and finishes the knowledge; prints every problem as "unmask: file:line: message".
 * Returns EXIT_OK, EXIT_RULES (knowledge files) or EXIT_USAGE (missing registry, bad date). */
int knowledge_load(const struct knowledge_opts *o, struct knowledge *k);
void knowledge_free(struct knowledge *k);
/* A data directory of the project (sub: "rules", "lab/personalities"): opt if given, else $env_name,
 * else next to the program (the source tree's build/<variant>/ or PREFIX/bin), else under
 * UNMASK_DATADIR. Returns a static buffer or opt. */
const char *data_path(const char *opt, const char *env_name, const char *sub);
/* The rules path that knowledge_load would use. */
const char *knowledge_rules_path(const char *opt);
/* Prints "file:line: message" diagnostics (the kb_new callback). */
void knowledge_diag(void *ctx, const char *file, int line, const char *msg);

/* Reports what getopt_long found wrong (c is ':' for a missing value, else an unknown option, named
 * by argv[optind - 1]) as "unmask: CMD: ...", hints at --help, and returns EXIT_USAGE. Set
 * opterr = 0 and start the option string with ':' to use it. */
int cmd_option_error(const char *cmd, int c, char *const *argv);

/* Today's date as yyyymmdd (UTC). */
int today_yyyymmdd(void);

#endif
