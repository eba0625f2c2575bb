/* oui.c: see oui.h. CSV is read with libcsv (Debian libcsv-dev): the registry quotes organisation
 * names that contain commas ("Hangzhou Hikvision Digital Technology Co.,Ltd."), so a naive split is
 * wrong. Entries are kept in three sorted arrays (24-, 28- and 36-bit prefixes) for binary search. */
#include "oui.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/str.h"
#include "../core/xalloc.h"

enum { LEN_L = 0, LEN_M, LEN_S, N_LEN };
#define SUB_BITS 65536
static unsigned sub_bit(uint64_t prefix24)
{
    return (unsigned)((prefix24 ^ prefix24 >> 16) & (SUB_BITS - 1));
}
static const int nibbles_of[N_LEN] = { 6, 7, 9 };

struct entry {
    uint64_t prefix;
    uint32_t org;      /* index into orgs */
    uint8_t registry;  /* index into registry_names */
};

static const char *const registry_names[] = { "MA-L", "MA-M", "MA-S", "IAB" };

struct oui_db {
    struct entry *e[N_LEN];
    size_t n[N_LEN], cap[N_LEN];
    char **orgs;
    size_t n_orgs, cap_orgs;
    size_t bad;
    /* A bit per hash of a 24-bit prefix that MA-M or MA-S blocks subdivide (the IEEE Registration
     * Authority's own OUIs): most addresses need only the MA-L search. */
    uint64_t sub[SUB_BITS / 64];
};

struct oui_db *oui_db_new(void) { return xcalloc(1, sizeof(struct oui_db)); }

void oui_db_free(struct oui_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < N_LEN; i++)
        free(db->e[i]);
    for (size_t i = 0; i < db->n_orgs; i++)
        free(db->orgs[i]);
    free(db->orgs);
    free(db);
}

size_t oui_db_size(const struct oui_db *db) { return db->n[0] + db->n[1] + db->n[2]; }
size_t oui_db_bad_rows(const struct oui_db *db) { return db->bad; }

int oui_parse(const char *s, size_t n, uint64_t *value)
{
    uint64_t v = 0;
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int d = str_hexval(c);
        if (d < 0) {
            if ((c == ':' || c == '-' || c == '.') && i > 0 && i + 1 < n && s[i - 1] != c &&
                s[i + 1] != ':' && s[i + 1] != '-' && s[i + 1] != '.')
                continue;
            return -1;
        }
        if (++digits > 12)
            return -1;
        v = v << 4 | (uint64_t)d;
    }
    if (digits < 6)
        return -1;
    *value = v;
    return digits;
}

bool oui_is_local(uint64_t value, int nibbles)
{
    uint64_t first_octet = value >> ((nibbles - 2) * 4);
    return (first_octet & 0x02) != 0;
}

struct row {
    struct oui_db *db;
    int registry;      /* index into registry_names */
    int col;
    char assignment[16];
    bool have_assignment;
    char *org;
    long rowno;
};

static void on_field(void *s, size_t len, void *ctx)
{
    struct row *r = ctx;
    if (r->col == 1) {
        r->have_assignment = len < sizeof r->assignment;
        if (r->have_assignment) {
            memcpy(r->assignment, s, len);
            r->assignment[len] = '\0';
        }
    } else if (r->col == 2) {
        free(r->org);
        r->org = xstrndup(s, len);
    }
    r->col++;
}

static uint32_t intern_org(struct oui_db *db, char *org)
{
    /* Consecutive rows often repeat an organisation; checking the last one saves most copies. */
    if (db->n_orgs && !strcmp(db->orgs[db->n_orgs - 1], org)) {
        free(org);
        return (uint32_t)(db->n_orgs - 1);
    }
    xgrow((void **)&db->orgs, &db->cap_orgs, db->n_orgs + 1, sizeof *db->orgs);
    db->orgs[db->n_orgs] = org;
    return (uint32_t)db->n_orgs++;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    struct row *r = ctx;
    struct oui_db *db = r->db;
    r->rowno++;
    bool header = r->rowno == 1;
    uint64_t v;
    int nib = r->have_assignment ? oui_parse(r->assignment, strlen(r->assignment), &v) : -1;
    int len = nib == 6 ? LEN_L : nib == 7 ? LEN_M : nib == 9 ? LEN_S : -1;
    if (!header) {
        if (len < 0 || r->col < 3 || !r->org) {
            db->bad++;
        } else {
            xgrow((void **)&db->e[len], &db->cap[len], db->n[len] + 1, sizeof *db->e[len]);
            db->e[len][db->n[len]++] = (struct entry){ v, intern_org(db, r->org), (uint8_t)r->registry };
            r->org = NULL;
        }
    }
    free(r->org);
    r->org = NULL;
    r->col = 0;
    r->have_assignment = false;
}

int oui_db_load_buf(struct oui_db *db, const char *registry, const char *buf, size_t len)
{
    int reg = 0;
    for (int i = 0; i < 4; i++)
        if (!strcmp(registry, registry_names[i]))
            reg = i;
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return UNMASK_EIO;
    struct row r = { .db = db, .registry = reg };
    csv_parse(&p, buf, len, on_field, on_row, &r);
    csv_fini(&p, on_field, on_row, &r);
    csv_free(&p);
    free(r.org);
    return UNMASK_OK;
}

static int cmp_entry(const void *a, const void *b)
{
    uint64_t x = ((const struct entry *)a)->prefix, y = ((const struct entry *)b)->prefix;
    return x < y ? -1 : x > y;
}

void oui_db_finish(struct oui_db *db)
{
    for (int i = 0; i < N_LEN; i++)
        if (db->n[i] > 1) /* qsort(NULL, 0, ...) is undefined behaviour */
            qsort(db->e[i], db->n[i], sizeof *db->e[i], cmp_entry);
    memset(db->sub, 0, sizeof db->sub);
    for (int len = LEN_M; len < N_LEN; len++)
        for (size_t i = 0; i < db->n[len]; i++) {
            unsigned b = sub_bit(db->e[len][i].prefix >> ((nibbles_of[len] - 6) * 4));
            db->sub[b / 64] |= 1ull << (b % 64);
        }
}

static int load_file(struct oui_db *db, const char *dir, const char *file, const char *registry)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? UNMASK_ENOENT : UNMASK_EIO;
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    int reg = 0;
    for (int i = 0; i < 4; i++)
        if (!strcmp(registry, registry_names[i]))
            reg = i;
    struct row r = { .db = db, .registry = reg };
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        csv_parse(&p, buf, n, on_field, on_row, &r);
    int err = ferror(f);
    fclose(f);
    csv_fini(&p, on_field, on_row, &r);
    csv_free(&p);
    free(r.org);
    return err ? UNMASK_EIO : UNMASK_OK;
}

int oui_db_load(const char *dir, struct oui_db **out)
{
    struct oui_db *db = oui_db_new();
    int rc = load_file(db, dir, "oui.csv", "MA-L");
    if (rc < 0) {
        oui_db_free(db);
        return rc;
    }
    /* The smaller registries are optional: older ieee-data releases lack some of them. */
    (void)load_file(db, dir, "mam.csv", "MA-M");
    (void)load_file(db, dir, "oui36.csv", "MA-S");
    (void)load_file(db, dir, "iab.csv", "IAB");
    oui_db_finish(db);
    *out = db;
    return UNMASK_OK;
}

static const struct entry *find(const struct oui_db *db, int len, uint64_t prefix)
{
    size_t lo = 0, hi = db->n[len];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t p = db->e[len][mid].prefix;
        if (p == prefix)
            return &db->e[len][mid];
        if (p < prefix)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void format_prefix(uint64_t prefix, int nib, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t j = 0;
    for (int i = 0; i < nib; i++) {
        if (i && i % 2 == 0)
            out[j++] = ':';
        out[j++] = hex[(prefix >> ((nib - 1 - i) * 4)) & 0xF];
    }
    out[j] = '\0';
}

bool oui_lookup(const struct oui_db *db, uint64_t value, int nibbles, struct oui_hit *hit)
{
    unsigned b = sub_bit(value >> ((nibbles - 6) * 4));
    bool sub = db->sub[b / 64] >> (b % 64) & 1;
    for (int len = sub ? LEN_S : LEN_L; len >= LEN_L; len--) {
        int nib = nibbles_of[len];
        if (nibbles < nib)
            continue;
        uint64_t prefix = value >> ((nibbles - nib) * 4);
        const struct entry *e = find(db, len, prefix);
        if (e) {
            hit->org = db->orgs[e->org];
            hit->registry = registry_names[e->registry];
            format_prefix(prefix, nib, hit->prefix);
            return true;
        }
    }
    return false;
}
