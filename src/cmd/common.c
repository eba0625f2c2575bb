/* common.c: see common.h. */
#include "common.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"

#ifndef UNMASK_DATADIR
#define UNMASK_DATADIR "/usr/local/share/unmask"
#endif

void knowledge_diag(void *ctx, const char *file, int line, const char *msg)
{
    (void)ctx;
    if (line > 0)
        fprintf(stderr, "%s:%d: %s\n", file, line, msg);
    else
        fprintf(stderr, "%s: %s\n", file, msg);
}

int today_yyyymmdd(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *data_path(const char *opt, const char *env_name, const char *sub)
{
    static char found[PATH_MAX];
    if (opt)
        return opt;
    const char *env = getenv(env_name);
    if (env && *env)
        return env;
    /* Next to the program: build/<variant>/unmask in the source tree, or PREFIX/bin/unmask. */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = { "/../..", "", "/../share/unmask" };
            for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
                int len = snprintf(found, sizeof found, "%s%s/%s", exe, rel[i], sub);
                if (len > 0 && (size_t)len < sizeof found && is_dir(found))
                    return found;
            }
        }
    }
    snprintf(found, sizeof found, "%s/%s", UNMASK_DATADIR, sub);
    return found;
}

const char *knowledge_rules_path(const char *opt) { return data_path(opt, "UNMASK_RULES", "rules"); }

int knowledge_load(const struct knowledge_opts *o, struct knowledge *k)
{
    memset(k, 0, sizeof *k);
    const char *as_of = o->as_of ? o->as_of : getenv("UNMASK_AS_OF");
    if (as_of && *as_of) {
        k->as_of = kb_parse_date(as_of, false);
        if (k->as_of <= 0 || strlen(as_of) != 10) {
            log_error("--as-of: '%s' is not a date (YYYY-MM-DD)", as_of);
            return EXIT_USAGE;
        }
    } else {
        k->as_of = today_yyyymmdd();
    }
    const char *rules = knowledge_rules_path(o->rules);
    k->kb = kb_new(knowledge_diag, NULL);
    int rc = kb_load_path(k->kb, rules);
    if (rc == UNMASK_ENOENT && !o->rules)
        log_error("no knowledge files at %s; hint: pass --rules DIR or set UNMASK_RULES", rules);
    if (rc < 0 || kb_finish(k->kb) < 0) {
        log_error("%s: the knowledge files have errors (see above); 'unmask rules check' lists them",
                  rules);
        knowledge_free(k);
        return EXIT_RULES;
    }
    if (!o->no_oui) {
        const char *dir = o->oui_dir ? o->oui_dir : getenv("UNMASK_OUI_DIR");
        if (!dir || !*dir)
            dir = OUI_DEFAULT_DIR;
        rc = oui_db_load(dir, &k->oui);
        if (rc < 0) {
            log_error("%s/oui.csv: cannot read the IEEE registry (%s); hint: apt-get install "
                      "ieee-data, or pass --oui-dir DIR, or --no-oui to judge without MAC "
                      "registrants", dir, err_str(rc));
            knowledge_free(k);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

void knowledge_free(struct knowledge *k)
{
    kb_free(k->kb);
    oui_db_free(k->oui);
    k->kb = NULL;
    k->oui = NULL;
}

int cmd_option_error(const char *cmd, int c, char *const *argv)
{
    log_error("%s: %s '%s'", cmd, c == ':' ? "missing value for" : "unrecognized option",
              argv[optind - 1]);
    fprintf(stderr, "Try 'unmask %s --help'.\n", cmd);
    return EXIT_USAGE;
}
