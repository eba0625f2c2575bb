/* columns.c: header synonyms and records as observations (see columns.h).
 *
 * The synonym table is vocabulary of asset registers and purchase records (ERP, CMDB, GSA Advantage
 * and spreadsheet exports), not vendor knowledge. Each entry gives a role and a rank (0 = the plain
 * name of the role; higher = a weaker reading of the header). A few headers are ambiguous: "Vendor"
 * is the brand in an asset register and the supplier in a purchase record, so it is the brand unless
 * another column already names the brand, and then the supplier. A header that matches no entry but
 * ends with a synonym of five or more letters ("Equipment Serial Number", "Vendor Part Number") takes
 * that synonym's role at a weaker rank. */
#include "columns.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "../kb/oui.h"

static const char *const role_names[COL_N] = {
    [COL_NONE] = "none",         [COL_BRAND] = "brand",       [COL_MODEL] = "model",
    [COL_DESCRIPTION] = "description", [COL_MAC] = "mac",     [COL_SERIAL] = "serial",
    [COL_SUPPLIER] = "supplier", [COL_ID] = "id",             [COL_ADDRESS] = "address",
    [COL_CONTRACT] = "contract", [COL_ORDER] = "order",       [COL_UEI] = "uei",
    [COL_CAGE] = "cage",
};

static const char *const role_obs[COL_N] = {
    [COL_BRAND] = "inventory.brand",     [COL_MODEL] = "inventory.model",
    [COL_DESCRIPTION] = "inventory.description", [COL_MAC] = "mac.address",
    [COL_SERIAL] = "inventory.serial",   [COL_SUPPLIER] = "inventory.supplier",
};

/* Header synonyms, normalised (lower case, letters and digits, '#' as "number"). */
static const struct synonym {
    const char *norm;
    unsigned char role, rank, alt; /* alt: the role taken when `role` is already named */
} synonyms[] = {
    /* brand: the declared label or maker of the item */
    { "brand", COL_BRAND, 0, 0 },            { "brandname", COL_BRAND, 0, 0 },
    { "manufacturer", COL_BRAND, 0, 0 },     { "manufacturername", COL_BRAND, 0, 0 },
    { "mfr", COL_BRAND, 0, 0 },              { "mfrname", COL_BRAND, 0, 0 },
    { "mfg", COL_BRAND, 0, 0 },              { "mfgname", COL_BRAND, 0, 0 },
    { "make", COL_BRAND, 1, 0 },             { "maker", COL_BRAND, 1, 0 },
    { "oem", COL_BRAND, 1, 0 },              { "oemname", COL_BRAND, 1, 0 },
    { "vendor", COL_BRAND, 2, COL_SUPPLIER },
    /* model: model number, OEM or manufacturer part number, wholesaler number (FAR 52.204-25(d)) */
    { "model", COL_MODEL, 0, 0 },            { "modelnumber", COL_MODEL, 0, 0 },
    { "modelno", COL_MODEL, 0, 0 },          { "modelnum", COL_MODEL, 0, 0 },
    { "modelname", COL_MODEL, 0, 0 },        { "mpn", COL_MODEL, 0, 0 },
    { "mfrpartnumber", COL_MODEL, 0, 0 },    { "mfrpartno", COL_MODEL, 0, 0 },
    { "mfgpartnumber", COL_MODEL, 0, 0 },    { "mfgpartno", COL_MODEL, 0, 0 },
    { "manufacturerpartnumber", COL_MODEL, 0, 0 }, { "manufacturerpartno", COL_MODEL, 0, 0 },
    { "oempartnumber", COL_MODEL, 0, 0 },    { "oemnumber", COL_MODEL, 0, 0 },
    { "partnumber", COL_MODEL, 1, 0 },       { "partno", COL_MODEL, 1, 0 },
    { "part", COL_MODEL, 1, 0 },             { "productnumber", COL_MODEL, 1, 0 },
    { "productcode", COL_MODEL, 1, 0 },      { "catalognumber", COL_MODEL, 1, 0 },
    { "catalogno", COL_MODEL, 1, 0 },        { "sku", COL_MODEL, 2, 0 },
    { "wholesalernumber", COL_MODEL, 2, 0 },
    /* description */
    { "description", COL_DESCRIPTION, 0, 0 },     { "itemdescription", COL_DESCRIPTION, 0, 0 },
    { "productdescription", COL_DESCRIPTION, 0, 0 }, { "desc", COL_DESCRIPTION, 0, 0 },
    { "descr", COL_DESCRIPTION, 0, 0 },           { "itemdesc", COL_DESCRIPTION, 0, 0 },
    { "productname", COL_DESCRIPTION, 1, 0 },     { "product", COL_DESCRIPTION, 1, 0 },
    { "itemname", COL_DESCRIPTION, 1, 0 },        { "item", COL_DESCRIPTION, 2, 0 },
    /* MAC address */
    { "mac", COL_MAC, 0, 0 },                { "macaddress", COL_MAC, 0, 0 },
    { "macaddr", COL_MAC, 0, 0 },            { "macid", COL_MAC, 0, 0 },
    { "ethernetaddress", COL_MAC, 0, 0 },    { "ethernetmac", COL_MAC, 0, 0 },
    { "hwaddress", COL_MAC, 0, 0 },          { "hardwareaddress", COL_MAC, 0, 0 },
    { "physicaladdress", COL_MAC, 0, 0 },    { "lanmac", COL_MAC, 1, 0 },
    { "wifimac", COL_MAC, 1, 0 },            { "wiredmac", COL_MAC, 1, 0 },
    /* serial number */
    { "serial", COL_SERIAL, 0, 0 },          { "serialnumber", COL_SERIAL, 0, 0 },
    { "serialno", COL_SERIAL, 0, 0 },        { "serialnum", COL_SERIAL, 0, 0 },
    { "sn", COL_SERIAL, 0, 0 },              { "servicetag", COL_SERIAL, 1, 0 },
    /* supplier: who sold it (FAR 52.204-25(d) "supplier name") */
    { "supplier", COL_SUPPLIER, 0, 0 },      { "suppliername", COL_SUPPLIER, 0, 0 },
    { "vendorname", COL_SUPPLIER, 1, 0 },    { "reseller", COL_SUPPLIER, 0, 0 },
    { "distributor", COL_SUPPLIER, 1, 0 },   { "seller", COL_SUPPLIER, 1, 0 },
    { "soldby", COL_SUPPLIER, 1, 0 },        { "dealer", COL_SUPPLIER, 1, 0 },
    { "contractor", COL_SUPPLIER, 2, 0 },
    /* carried to the report */
    { "assettag", COL_ID, 0, 0 },            { "assetid", COL_ID, 0, 0 },
    { "assetnumber", COL_ID, 0, 0 },         { "assetno", COL_ID, 0, 0 },
    { "asset", COL_ID, 1, 0 },               { "tag", COL_ID, 1, 0 },
    { "tagnumber", COL_ID, 1, 0 },           { "propertynumber", COL_ID, 1, 0 },
    { "inventorynumber", COL_ID, 1, 0 },     { "hostname", COL_ID, 2, 0 },
    { "devicename", COL_ID, 2, 0 },
    { "ip", COL_ADDRESS, 0, 0 },             { "ipaddress", COL_ADDRESS, 0, 0 },
    { "ipv4", COL_ADDRESS, 0, 0 },           { "ipv4address", COL_ADDRESS, 0, 0 },
    { "ipv6", COL_ADDRESS, 0, 0 },           { "ipv6address", COL_ADDRESS, 0, 0 },
    { "managementip", COL_ADDRESS, 1, 0 },   { "mgmtip", COL_ADDRESS, 1, 0 },
    { "contract", COL_CONTRACT, 0, 0 },      { "contractnumber", COL_CONTRACT, 0, 0 },
    { "contractno", COL_CONTRACT, 0, 0 },    { "contractid", COL_CONTRACT, 0, 0 },
    { "ordernumber", COL_ORDER, 0, 0 },      { "orderno", COL_ORDER, 0, 0 },
    { "order", COL_ORDER, 1, 0 },            { "po", COL_ORDER, 0, 0 },
    { "ponumber", COL_ORDER, 0, 0 },         { "pono", COL_ORDER, 0, 0 },
    { "purchaseorder", COL_ORDER, 0, 0 },    { "purchaseordernumber", COL_ORDER, 0, 0 },
    { "taskorder", COL_ORDER, 1, 0 },        { "deliveryorder", COL_ORDER, 1, 0 },
    { "uei", COL_UEI, 0, 0 },                { "supplieruei", COL_UEI, 0, 0 },
    { "vendoruei", COL_UEI, 0, 0 },          { "uniqueentityid", COL_UEI, 0, 0 },
    { "uniqueentityidentifier", COL_UEI, 0, 0 }, { "samuei", COL_UEI, 0, 0 },
    { "cage", COL_CAGE, 0, 0 },              { "cagecode", COL_CAGE, 0, 0 },
    { "suppliercage", COL_CAGE, 0, 0 },      { "vendorcage", COL_CAGE, 0, 0 },
};

#define NORM_MAX 64
#define SUFFIX_MIN 5  /* shortest synonym that may match as a suffix */
#define SUFFIX_RANK 3 /* rank added to a suffix match */

const char *columns_role_name(int role) { return role > 0 && role < COL_N ? role_names[role] : NULL; }
const char *columns_role_obs(int role) { return role > 0 && role < COL_N ? role_obs[role] : NULL; }

static int role_parse(const char *s, size_t n)
{
    for (int r = 1; r < COL_N; r++)
        if (strlen(role_names[r]) == n && !strncmp(role_names[r], s, n))
            return r;
    return -1;
}

/* Lower case letters and digits of s; '#' reads "number". Output capped at NORM_MAX - 1. */
static size_t normalise(const char *s, size_t n, char out[NORM_MAX])
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < NORM_MAX - 1; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '#') {
            for (const char *w = "number"; *w && o < NORM_MAX - 1; w++)
                out[o++] = *w;
        } else if (c < 0x80 && isalnum(c)) {
            out[o++] = (char)tolower(c);
        }
    }
    out[o] = '\0';
    return o;
}

static const struct synonym *synonym_find(const char *norm, size_t n, int *rank)
{
    for (size_t i = 0; i < sizeof synonyms / sizeof *synonyms; i++)
        if (!strcmp(synonyms[i].norm, norm)) {
            *rank = synonyms[i].rank;
            return &synonyms[i];
        }
    /* Longest synonym that ends the header. */
    const struct synonym *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof synonyms / sizeof *synonyms; i++) {
        size_t l = strlen(synonyms[i].norm);
        if (l >= SUFFIX_MIN && l < n && l > best_len && !strcmp(norm + n - l, synonyms[i].norm)) {
            best = &synonyms[i];
            best_len = l;
        }
    }
    if (best)
        *rank = best->rank + SUFFIX_RANK;
    return best;
}

void columns_init(struct columns *c)
{
    memset(c, 0, sizeof *c);
    for (int r = 0; r < COL_N; r++)
        c->first[r] = -1;
}

static void free_header(struct columns *c)
{
    if (c->header_text)
        for (size_t i = 0; i < c->n_cols; i++)
            free(c->header_text[i]);
    free(c->header_text);
    c->header_text = NULL;
}

void columns_deinit(struct columns *c)
{
    free_header(c);
    free(c->role);
    for (size_t i = 0; i < c->n_ov; i++)
        free(c->ov[i].header);
    memset(c, 0, sizeof *c);
}

int columns_override(struct columns *c, const char *spec, char *err, size_t errlen)
{
    const char *eq = strchr(spec, '=');
    int role = eq ? role_parse(spec, (size_t)(eq - spec)) : -1;
    if (role < 0) {
        snprintf(err, errlen,
                 "'%s': expected ROLE=HEADER with ROLE one of brand, model, description, mac, "
                 "serial, supplier, id, address, contract, order, uei, cage", spec);
        return -1;
    }
    if (c->n_ov >= COLUMNS_MAX_OVERRIDES) {
        snprintf(err, errlen, "at most %d --column overrides", COLUMNS_MAX_OVERRIDES);
        return -1;
    }
    for (size_t i = 0; i < c->n_ov; i++)
        if (c->ov[i].role == role) { /* the last one given wins */
            free(c->ov[i].header);
            c->ov[i].header = xstrdup(eq + 1);
            return 0;
        }
    c->ov[c->n_ov].role = role;
    c->ov[c->n_ov].header = xstrdup(eq + 1);
    c->n_ov++;
    return 0;
}

/* A 1-based column number, or 0 if s is not one. */
static size_t column_number(const char *s)
{
    if (!*s || strlen(s) > 6 || strspn(s, "0123456789") != strlen(s))
        return 0;
    return (size_t)strtoul(s, NULL, 10);
}

static void set_cols(struct columns *c, size_t n)
{
    free(c->role);
    c->role = xcalloc(n ? n : 1, sizeof *c->role);
    c->n_cols = n;
    for (int r = 0; r < COL_N; r++)
        c->first[r] = -1;
}

/* Applies the overrides; header cells may be NULL (no header: numbers only). Returns how many
 * matched a column. Sets `suppressed[role]` for overrides with an empty header. */
static size_t apply_overrides(struct columns *c, const struct inv_cell *cells, size_t n,
                              bool suppressed[COL_N])
{
    size_t hits = 0;
    for (size_t k = 0; k < c->n_ov; k++) {
        int role = c->ov[k].role;
        const char *h = c->ov[k].header;
        if (!*h) {
            suppressed[role] = true;
            continue;
        }
        char want[NORM_MAX], got[NORM_MAX];
        normalise(h, strlen(h), want);
        int col = -1;
        for (size_t i = 0; cells && i < n && col < 0 && want[0]; i++) {
            normalise(cells[i].s, cells[i].len, got);
            if (!strcmp(want, got))
                col = (int)i;
        }
        size_t num = column_number(h);
        if (col < 0 && num >= 1 && num <= n)
            col = (int)num - 1;
        if (col < 0 || c->role[col] != COL_NONE)
            continue;
        c->role[col] = role;
        if (c->first[role] < 0)
            c->first[role] = col;
        suppressed[role] = true; /* an override replaces the detection of its role */
        hits++;
    }
    return hits;
}

bool columns_header(struct columns *c, const struct inv_cell *cells, size_t n)
{
    struct cand {
        int col, role, alt, rank;
    } *cand = xmalloc((n ? n : 1) * sizeof *cand);
    size_t nc = 0;
    bool evidence = false;
    for (size_t i = 0; i < n; i++) {
        char norm[NORM_MAX];
        size_t l = normalise(cells[i].s, cells[i].len, norm);
        int rank;
        const struct synonym *s = l ? synonym_find(norm, l, &rank) : NULL;
        if (!s)
            continue;
        cand[nc++] = (struct cand){ (int)i, s->role, s->alt, rank };
        evidence |= s->role <= COL_SUPPLIER;
    }
    size_t saved_n = c->n_cols;
    int *saved_role = c->role;
    c->role = NULL;
    set_cols(c, n);
    bool suppressed[COL_N] = { 0 };
    size_t ov_hits = apply_overrides(c, cells, n, suppressed);
    if (!evidence && !ov_hits) {
        free(c->role);
        c->role = saved_role;
        c->n_cols = saved_n;
        free(cand);
        return false;
    }
    free(saved_role);
    /* Strongest readings first; on a tie, the leftmost column. */
    for (int rank = 0; rank <= 2 + SUFFIX_RANK; rank++)
        for (size_t k = 0; k < nc; k++) {
            struct cand *x = &cand[k];
            if (x->rank != rank || c->role[x->col] != COL_NONE)
                continue;
            int role = x->role;
            if (x->alt && c->first[role] >= 0)
                role = x->alt;
            if (suppressed[role])
                continue;
            /* Evidence roles may hold several columns; the others only one. */
            if (role > COL_SUPPLIER && c->first[role] >= 0)
                continue;
            c->role[x->col] = role;
            if (c->first[role] < 0)
                c->first[role] = x->col;
        }
    free(cand);
    free_header(c);
    c->header_text = xcalloc(n ? n : 1, sizeof *c->header_text);
    for (size_t i = 0; i < n; i++)
        c->header_text[i] = xstrndup(cells[i].s, cells[i].len);
    c->guessing = false;
    return true;
}

void columns_headerless(struct columns *c)
{
    set_cols(c, INV_MAX_CELLS);
    bool suppressed[COL_N] = { 0 };
    size_t hits = apply_overrides(c, NULL, INV_MAX_CELLS, suppressed);
    c->guessing = hits == 0;
}

bool columns_is_header_again(const struct columns *c, const struct inv_cell *cells, size_t n)
{
    if (!c->header_text || n != c->n_cols || n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strlen(c->header_text[i]) != cells[i].len ||
            memcmp(c->header_text[i], cells[i].s, cells[i].len))
            return false;
    return true;
}

void columns_describe(const struct columns *c, const struct inv_cell *hdr, size_t n, char *out,
                      size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && i < c->n_cols; i++) {
        if (c->role[i] == COL_NONE)
            continue;
        int w = snprintf(out + o, cap - o, "%s%s=%.*s", o ? ", " : "", role_names[c->role[i]],
                         (int)(hdr[i].len > 40 ? 40 : hdr[i].len), hdr[i].s);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
}

static bool blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

static const char *trim(const char *s, size_t n, size_t *out)
{
    while (n && blank(*s))
        s++, n--;
    while (n && blank(s[n - 1]))
        n--;
    *out = n;
    return s;
}

/* name is one of this file's literals. */
static void add(struct device *d, const char *name, const char *v, size_t n)
{
    obs_add_static(d, name, v, n, NULL, 0, -1);
}

size_t columns_observe(const struct columns *c, const struct inv_cell *cells, size_t n,
                       struct device *d, struct columns_values *vals)
{
    size_t before = d->n_obs;
    memset(vals, 0, sizeof *vals);
    if (c->guessing) {
        for (size_t i = 0; i < n; i++) {
            size_t l;
            const char *v = trim(cells[i].s, cells[i].len, &l);
            if (!l)
                continue;
            uint64_t mac;
            if (oui_parse(v, l, &mac) == 12) {
                add(d, "mac.address", v, l);
                continue;
            }
            add(d, "inventory.model", v, l);
            add(d, "inventory.description", v, l);
            add(d, "inventory.serial", v, l);
        }
        return d->n_obs - before;
    }
    size_t m = n < c->n_cols ? n : c->n_cols;
    for (size_t i = 0; i < m; i++) {
        int role = c->role[i];
        if (role == COL_NONE)
            continue;
        size_t l;
        const char *v = trim(cells[i].s, cells[i].len, &l);
        if (!l)
            continue;
        if (!vals->v[role]) {
            vals->v[role] = v;
            vals->len[role] = l;
        }
        if (role_obs[role])
            add(d, role_obs[role], v, l);
    }
    return d->n_obs - before;
}
