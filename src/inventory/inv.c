/* inv.c: the inventory reader registry (see inv.h). */
#include "inv.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

extern const struct inv_reader inv_reader_csv, inv_reader_tsv;

static const struct inv_reader *const readers[] = { &inv_reader_csv, &inv_reader_tsv };

const struct inv_reader *inv_reader_find(const char *name)
{
    for (size_t i = 0; i < sizeof readers / sizeof *readers; i++)
        if (!strcmp(readers[i]->name, name))
            return readers[i];
    return NULL;
}

/* True if the space-separated list exts holds ext (case-insensitive). */
static bool ext_listed(const char *exts, const char *ext)
{
    size_t n = strlen(ext);
    for (const char *p = exts; *p;) {
        size_t w = strcspn(p, " ");
        if (w == n && !strncasecmp(p, ext, n))
            return true;
        p += w;
        p += strspn(p, " ");
    }
    return false;
}

const struct inv_reader *inv_reader_for_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof readers / sizeof *readers; i++)
            if (ext_listed(readers[i]->extensions, dot))
                return readers[i];
    return &inv_reader_csv;
}

const char *inv_reader_names(void)
{
    static char names[128];
    if (!names[0])
        for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", i ? ", " : "", readers[i]->name);
        }
    return names;
}
