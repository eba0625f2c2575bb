/* rules.c: `unmask rules check [PATH...]` and `unmask rules list`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../report/jsonw.h"
#include "../report/text.h"
#include "cmd.h"
#include "common.h"

static const char usage[] =
    "usage: unmask rules check [PATH...]    validate knowledge files and run every rule's examples\n"
    "       unmask rules list [--format table|json] [--maker SLUG]\n"
    "                                      list rules (id, field, indicates, strength, source)\n"
    "\n"
    "PATH is a directory of *.rules files or one file; default: the shipped rules.\n"
    "Errors print as file:line: message. Exit: 0 ok, 2 usage, 3 errors found.\n";

static int check(int argc, char **argv)
{
    struct kb *kb = kb_new(knowledge_diag, NULL);
    int rc = UNMASK_OK;
    if (argc == 0) {
        rc = kb_load_path(kb, knowledge_rules_path(NULL));
    } else {
        for (int i = 0; i < argc; i++) {
            int r = kb_load_path(kb, argv[i]);
            if (r < 0)
                rc = r;
        }
    }
    (void)kb_finish(kb);
    size_t fails = kb_check_examples(kb);
    size_t n_ex = 0;
    for (size_t i = 0; i < kb->n_rules; i++)
        n_ex += kb->rules[i].n_ex + kb->rules[i].n_nomatch;
    int out = kb->n_errors || rc < 0 ? EXIT_RULES : EXIT_OK;
    fprintf(out ? stderr : stdout,
            "%zu files, %zu lists, %zu makers, %zu brands, %zu rules, %zu examples: %zu error%s\n",
            kb->n_files, kb->n_lists, kb->n_makers, kb->n_brands - kb->n_makers, kb->n_rules, n_ex,
            kb->n_errors, kb->n_errors == 1 ? "" : "s");
    (void)fails;
    kb_free(kb);
    return out;
}

static int list(int argc, char **argv)
{
    static const struct option opts[] = { { "format", required_argument, NULL, 'f' },
                                          { "maker", required_argument, NULL, 'm' },
                                          { "rules", required_argument, NULL, 'r' },
                                          { NULL, 0, NULL, 0 } };
    const char *format = "table", *maker = NULL, *rules = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:m:", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'm': maker = optarg; break;
        case 'r': rules = optarg; break;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (strcmp(format, "table") && strcmp(format, "json")) {
        log_error("--format: table or json");
        return EXIT_USAGE;
    }
    struct kb *kb = kb_new(knowledge_diag, NULL);
    if (kb_load_path(kb, knowledge_rules_path(rules)) < 0 || kb_finish(kb) < 0) {
        kb_free(kb);
        return EXIT_RULES;
    }
    bool json = !strcmp(format, "json");
    if (!json)
        printf("%-34s %-24s %-22s %-7s %s\n", "RULE", "FIELD", "INDICATES", "STRENGTH", "SOURCE");
    for (size_t i = 0; i < kb->n_rules; i++) {
        const struct kb_rule *r = &kb->rules[i];
        const char *ind = r->maker >= 0 ? kb->makers[r->maker].slug : kb->brands[r->brand].slug;
        int owner = r->maker;
        if (owner < 0 && kb->brands[r->brand].n_owners)
            owner = kb->brands[r->brand].owners[0].maker;
        if (maker && (owner < 0 || strcmp(kb->makers[owner].slug, maker)))
            continue;
        if (json) {
            struct sbuf b;
            sbuf_init(&b, 1 << 20);
            sbuf_addc(&b, '{');
            jw_kv(&b, "id", r->id, 1);
            jw_kv(&b, "field", r->fields.v[0], 0);
            jw_kv(&b, "match", r->match_src, 0);
            jw_kv(&b, "indicates", ind, 0);
            jw_kv(&b, "kind", r->maker >= 0 ? "maker" : "brand", 0);
            jw_kv(&b, "strength", kb_strength_name(r->strength), 0);
            jw_key(&b, "source", 0);
            sbuf_addc(&b, '[');
            for (size_t k = 0; k < r->sources.n; k++) {
                if (k)
                    sbuf_addc(&b, ',');
                jw_cstr(&b, r->sources.v[k]);
            }
            sbuf_add(&b, "]}\n", 3);
            fwrite(b.p, 1, b.len, stdout);
            sbuf_deinit(&b);
        } else {
            char src[200];
            text_clean(r->sources.v[0], strlen(r->sources.v[0]), src, sizeof src, 60);
            printf("%-34s %-24s %-22s %-7s  %s\n", r->id, r->fields.v[0], ind,
                   kb_strength_name(r->strength), src);
        }
    }
    kb_free(kb);
    return EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "check"))
        return check(argc - 2, argv + 2);
    if (!strcmp(argv[1], "list"))
        return list(argc - 1, argv + 1);
    log_error("rules: unknown action '%s' (check or list)", argv[1]);
    fputs("Try 'unmask rules --help'.\n", stderr);
    return EXIT_USAGE;
}
