/* html.c: the HTML report writer (html.h).
 *
 * Layout: a header naming the run; a summary with counts by verdict and by maker as inline SVG bar
 * charts; the FAR 52.204-25(d) section, one item per product (maker, brand, model) judged covered or
 * white-label, with the fields unmask cannot know left blank for the user; the device table (sorted
 * and filtered by a small inline script; it works without it too); and each device's evidence chain
 * with the sources of every rule and the lists that name its maker, with their dates.
 *
 * The writer streams: begin() writes the head, device() appends the device's table row and evidence
 * section to two temporary files and counts, end() writes the summary and the FAR items (known only
 * at the end) and then copies the temporary files in. Memory is bounded whatever the number of
 * devices: the FAR items are capped (HTML_MAX_FAR_ITEMS) and long values are cut for display.
 *
 * Escaping is one function, html_escape, used for every string from outside (devices, files,
 * knowledge) in text and in double-quoted attributes; nothing from outside is ever placed in a
 * script, a style, a URL other than an http(s) source link, or an unquoted attribute. The page's
 * Content-Security-Policy allows only its own style and script, by SHA-256, as a second wall. */
#include "html.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/utf8.h"
#include "../core/xalloc.h"

#define HTML_MAX_FAR_ITEMS 512   /* distinct covered products itemised; more are counted */
#define HTML_FAR_UNITS_NAMED 12  /* devices named per FAR item */
#define HTML_CELL_CHARS 48       /* a table cell */
#define HTML_VALUE_CHARS 600     /* an evidence value */
#define HTML_FIELD_CHARS 200     /* names, models, firmware in the evidence and FAR sections */
#define HTML_TITLE_CHARS 1000    /* the tooltip of a cut table cell */
#define HTML_DEVICE_CAP (4u << 20) /* one device's markup */
#define HTML_MAKER_BARS 8        /* makers drawn in the chart; the rest are summed */
#define HTML_OBS_SHOWN 64        /* observations listed per device */

/* ---- escaping --------------------------------------------------------------------------------- */

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Appends piece[0..len) whole, or nothing (marking b truncated) if it would pass the cap. */
static bool put_whole(struct sbuf *b, const char *piece, size_t len)
{
    if (len > b->cap - b->len) {
        b->truncated = true;
        return false;
    }
    sbuf_add(b, piece, len);
    return true;
}

/* Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629 table), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    return len && len <= n && utf8_valid((const char *)s, len) ? len : 0;
}

size_t html_escape(struct sbuf *b, const char *s, size_t n, size_t max_chars)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, chars = 0;
    while (i < n) {
        if (max_chars && chars == max_chars) {
            put_whole(b, "\xE2\x80\xA6", 3); /* U+2026 */
            break;
        }
        unsigned char c = u[i];
        const char *piece;
        size_t len, used = 1;
        char one[1];
        if (c < 0x80) {
            switch (c) {
            case '&': piece = "&amp;"; break;
            case '<': piece = "&lt;"; break;
            case '>': piece = "&gt;"; break;
            case '"': piece = "&quot;"; break;
            case '\'': piece = "&#39;"; break;
            default:
                if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
                    piece = REPLACEMENT;
                } else {
                    one[0] = (char)c;
                    piece = one;
                    len = 1;
                    goto add;
                }
            }
            len = strlen(piece);
        } else if ((used = utf8_seq(u + i, n - i)) == 0) {
            used = 1; /* one ill-formed byte, one replacement (WHATWG "maximal subpart" is finer) */
            piece = REPLACEMENT;
            len = 3;
        } else if (c == 0xC2 && u[i + 1] < 0xA0) {
            piece = REPLACEMENT; /* a C1 control, U+0080..U+009F */
            len = 3;
        } else {
            piece = s + i;
            len = used;
        }
    add:
        if (!put_whole(b, piece, len))
            break;
        i += used;
        chars++;
    }
    return n - i;
}

static void esc(struct sbuf *b, const char *s)
{
    if (s)
        html_escape(b, s, strlen(s), 0);
}

static void escn(struct sbuf *b, const char *s, size_t max_chars)
{
    if (s)
        html_escape(b, s, strlen(s), max_chars);
}

/* A value cut for display, with its full text (up to a limit) in a title attribute. */
static void esc_cell(struct sbuf *b, const char *s, size_t max_chars)
{
    if (!s || !*s) {
        sbuf_adds(b, "<span class=\"none\">-</span>");
        return;
    }
    size_t n = strlen(s);
    struct sbuf probe;
    sbuf_init(&probe, 16 * 1024);
    size_t left = html_escape(&probe, s, n, max_chars);
    if (left) {
        sbuf_adds(b, "<span class=\"v\" title=\"");
        html_escape(b, s, n, HTML_TITLE_CHARS);
        sbuf_adds(b, "\">");
    } else {
        sbuf_adds(b, "<span class=\"v\">");
    }
    sbuf_add(b, probe.p, probe.len);
    sbuf_adds(b, "</span>");
    sbuf_deinit(&probe);
}

/* ---- the fixed parts of the page ------------------------------------------------------------- */

static const char *const CSS[] = {
    ":root{--fg:#1f2933;--mute:#616e7c;--line:#d9dee4;--bg:#fff;--soft:#f5f7fa;"
    "--covered:#b42318;--white-label:#a0235f;--suspect:#b54708;--clear:#2e7d32;--unknown:#69727d}"
    "*{box-sizing:border-box}"
    "body{margin:0;color:var(--fg);background:var(--bg);font:14px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'DejaVu Sans',sans-serif}"
    "main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 10px;padding-bottom:6px;"
    "border-bottom:2px solid var(--fg)}h3{font-size:15px;margin:0 0 8px}h4{font-size:13px;margin:12px 0 4px}"
    ".meta{color:var(--mute);margin:0}.meta b{color:var(--fg);font-weight:600}"
    ".toc{margin-top:10px;display:flex;gap:18px;font-size:13px}"
    "code,.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12.5px}"
    ".v{unicode-bidi:isolate;overflow-wrap:anywhere}"
    ".none{color:#9aa5b1}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:18px 0}"
    ".card{flex:1 1 120px;border:1px solid var(--line);border-radius:8px;padding:10px 14px;"
    "border-top:4px solid var(--mute)}"
    ".card .n{font-size:28px;font-weight:700;line-height:1.1}.card .l{color:var(--mute);font-size:12px;"
    "text-transform:uppercase;letter-spacing:.04em}"
    ".card.covered{border-top-color:var(--covered)}.card.white-label{border-top-color:var(--white-label)}"
    ".card.suspect{border-top-color:var(--suspect)}.card.clear{border-top-color:var(--clear)}"
    ".card.unknown{border-top-color:var(--unknown)}"
    ".charts{display:flex;flex-wrap:wrap;gap:24px}.charts figure{margin:0;flex:1 1 420px}"
    ".charts figcaption{font-weight:600;margin-bottom:6px}svg text{font:12px system-ui,'DejaVu Sans',"
    "sans-serif;fill:#1f2933}"
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;"
    "color:#fff;background:var(--unknown);white-space:nowrap}"
    ".b-covered{background:var(--covered)}.b-white-label{background:var(--white-label)}"
    ".b-suspect{background:var(--suspect)}.b-clear{background:var(--clear)}"
    ".b-unknown{background:var(--unknown)}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}"
    "thead th{background:var(--soft);font-size:12px;text-transform:uppercase;letter-spacing:.03em;"
    "color:var(--mute)}"
    "th button{all:unset;cursor:pointer}th button:focus-visible{outline:2px solid #2563eb}"
    "th[aria-sort=ascending] button::after{content:' \\25B2'}"
    "th[aria-sort=descending] button::after{content:' \\25BC'}"
    "#devices td{font-size:13px}#devices tbody tr:hover{background:var(--soft)}"
    "#devices{table-layout:fixed}#devices td.mono{font-size:12px}th .pl{display:none}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}"
    ".controls{display:flex;gap:12px;align-items:center;margin:8px 0 10px;flex-wrap:wrap}"
    ".controls input,.controls select{font:inherit;padding:5px 8px;border:1px solid var(--line);"
    "border-radius:6px}.controls input{min-width:280px}"
    ".note{background:#fffbea;border:1px solid #f0d98c;border-radius:8px;padding:10px 14px;margin:10px 0}"
    ".far-item{border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:12px 0}",
    ".far th{width:17%;font-weight:600;color:var(--fg);background:none;font-size:12.5px}"
    ".far td{width:33%}"
    ".far td.blank{background:#fffdf0;min-height:26px;border-bottom:1px dashed #c9a227}"
    ".far td.blank:empty::before{content:'to be completed';color:#a68b2c;font-style:italic}"
    ".far td.tall{height:64px}"
    ".dev{border-top:1px solid var(--line);padding:14px 0 6px}"
    ".dev h3 .idx{color:var(--mute);font-weight:400;margin-right:6px}"
    ".expl{margin:4px 0 8px}"
    ".kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0 10px;font-size:13px}"
    ".kv dt{color:var(--mute)}.kv dd{margin:0}"
    ".ev td{font-size:12.5px}.ev tr.conflict td{background:#fff4f2}"
    "details.obs{margin:8px 0}details.obs summary{cursor:pointer;color:var(--mute);font-size:12.5px}"
    ".obs td{font-size:12px}"
    ".ev ul.src{margin:0;padding-left:16px}.src li{overflow-wrap:anywhere}"
    ".lists{font-size:13px;margin:6px 0}.list ul{margin:2px 0 14px;padding-left:18px}"
    ".list li{margin:3px 0}.q{color:var(--mute);font-size:12px}"
    "footer{margin-top:40px;color:var(--mute);font-size:12px;border-top:1px solid var(--line);"
    "padding-top:10px}"
    "a{color:#1d4ed8}"
    "@media print{@page{size:A4;margin:14mm 12mm}"
    "body{font-size:9.5pt}main{max-width:none;padding:0}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".controls,.toc,th button{display:none}th .pl{display:inline}#devices td{font-size:8pt}"
    "h2{break-after:avoid;margin-top:18pt}.far-item,.card,.charts figure{break-inside:avoid}"
    ".dev h3,.dev .expl{break-after:avoid}"
    "tr{break-inside:avoid}thead{display:table-header-group}"
    ".far td.blank{background:none;border-bottom:1px solid #555}"
    ".far td.blank:empty::before{color:#777}"
    "#devices tbody tr[hidden]{display:table-row}"
    "a{color:inherit;text-decoration:none}}",
    NULL,
};

/* Sorting and filtering of the device table. It reads the cells, never parses markup from data. */
static const char *const JS[] = {
    "(function(){'use strict';"
    "var t=document.getElementById('devices');if(!t)return;"
    "var body=t.tBodies[0],q=document.getElementById('q'),vf=document.getElementById('vf'),"
    "shown=document.getElementById('shown');"
    "function filter(){var s=q.value.trim().toLowerCase(),v=vf.value,n=0;"
    "for(var i=0;i<body.rows.length;i++){var r=body.rows[i];"
    "var ok=(!v||r.getAttribute('data-v')===v)&&(!s||r.textContent.toLowerCase().indexOf(s)>=0);"
    "r.hidden=!ok;if(ok)n++;}shown.textContent=String(n);}"
    "q.addEventListener('input',filter);vf.addEventListener('change',filter);"
    "var heads=t.tHead.rows[0].cells;"
    "function key(r,i,num){var c=r.cells[i],k=c.getAttribute('data-k'),x=k!==null?k:c.textContent;"
    "return num?(parseFloat(x)||0):x.toLowerCase();}"
    "Array.prototype.forEach.call(heads,function(th,i){var b=th.querySelector('button');if(!b)return;"
    "b.addEventListener('click',function(){"
    "var dir=th.getAttribute('aria-sort')==='ascending'?-1:1,num=th.hasAttribute('data-num');"
    "Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',dir>0?'ascending':'descending');"
    "var rows=Array.prototype.map.call(body.rows,function(r,j){return[key(r,i,num),j,r];});"
    "rows.sort(function(a,b){return a[0]<b[0]?-dir:a[0]>b[0]?dir:a[1]-b[1];});"
    "rows.forEach(function(x){body.appendChild(x[2]);});});});"
    "document.documentElement.setAttribute('data-js','ready');})();",
    NULL,
};

/* Verdicts from the most to the least severe, with the labels the page uses. */
static const enum verdict_kind order[] = { V_COVERED, V_WHITE_LABEL, V_SUSPECT, V_CLEAR, V_UNKNOWN };
static const char *const colour[V_N_KIND] = {
    [V_COVERED] = "#b42318", [V_WHITE_LABEL] = "#a0235f", [V_SUSPECT] = "#b54708",
    [V_CLEAR] = "#2e7d32", [V_UNKNOWN] = "#69727d",
};

/* ---- state ------------------------------------------------------------------------------------ */

/* The FAR 52.204-25(d)(2)(i) fields an item can carry from a purchase record (report_far). */
enum far_field { FAR_CONTRACT, FAR_ORDER, FAR_SUPPLIER, FAR_UEI, FAR_CAGE, FAR_BRAND, FAR_MODEL,
                 FAR_DESCRIPTION, FAR_N };

/* One product to report: devices of one maker, brand and model (and, from records, one contract,
 * order and supplier). */
struct far_item {
    int maker, brand;
    char *model;             /* the judged model, else the record's; NULL when unknown */
    char *rec[FAR_N];        /* from the record (or inventory.* observations), first seen */
    enum verdict_kind kind;  /* the most severe among its units */
    long units;
    char *names[HTML_FAR_UNITS_NAMED];
    long anchors[HTML_FAR_UNITS_NAMED];
    size_t n_names;
};

struct html_state {
    const struct html_meta *meta;
    FILE *rows, *ev;         /* temporary: table rows, evidence sections */
    struct sbuf b;           /* one device's markup */
    long *per_maker;         /* devices per maker index; [n_makers]: no maker */
    bool *lists_used;        /* per maker index: its lists are referenced (the appendix shows them) */
    struct far_item *far;
    size_t n_far;
    long far_overflow;       /* covered devices beyond HTML_MAX_FAR_ITEMS products */
    long n;                  /* devices so far */
    char generated[24];
};

static void state_free(struct html_state *s);

void html_set_meta(struct report_ctx *ctx, const struct html_meta *m)
{
    ctx->priv = (void *)m;
}

/* 'sha256-BASE64' of the concatenated parts, for the Content-Security-Policy. */
static void csp_hash(const char *const *parts, char out[64])
{
    unsigned char md[32];
    unsigned int len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (; ok && *parts; parts++)
        ok = EVP_DigestUpdate(ctx, *parts, strlen(*parts));
    ok = ok && EVP_DigestFinal_ex(ctx, md, &len) && len == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        strcpy(out, "'none'"); /* the page still renders; its script and style are refused */
        return;
    }
    strcpy(out, "'sha256-");
    int n = EVP_EncodeBlock((unsigned char *)out + 8, md, 32); /* 44 characters */
    strcpy(out + 8 + n, "'");
}

static void add_parts(struct sbuf *b, const char *const *parts)
{
    for (; *parts; parts++)
        sbuf_adds(b, *parts);
}

static void now_iso(char out[24])
{
    time_t t = time(NULL);
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);
        if (!*end && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int flush_to(struct sbuf *b, FILE *f)
{
    size_t len = b->len;
    size_t w = fwrite(b->p, 1, len, f);
    sbuf_reset(b);
    return w == len ? 0 : -1;
}

/* ---- begin ------------------------------------------------------------------------------------ */

static void meta_line(struct sbuf *b, const struct html_meta *m, const char *generated)
{
    sbuf_adds(b, "<p class=\"meta\">");
    if (m && m->run_id > 0) {
        sbuf_printf(b, "<b>Run %lld</b>", m->run_id);
        if (m->source) {
            sbuf_adds(b, " &middot; ");
            esc(b, m->source);
        }
        if (m->input) {
            sbuf_adds(b, " of <span class=\"v mono\">");
            escn(b, m->input, HTML_FIELD_CHARS);
            sbuf_adds(b, "</span>");
        }
        if (m->started) {
            sbuf_adds(b, " &middot; started ");
            esc(b, m->started);
        }
        sbuf_adds(b, " &middot; ");
        if (m->finished) {
            sbuf_adds(b, "finished ");
            esc(b, m->finished);
        } else {
            sbuf_adds(b, "<b>incomplete</b> (the run did not finish)");
        }
        if (m->host) {
            sbuf_adds(b, " &middot; on ");
            escn(b, m->host, HTML_FIELD_CHARS);
        }
        sbuf_adds(b, "<br>");
    }
    if (m && m->as_of) {
        sbuf_adds(b, "Judged as of ");
        esc(b, m->as_of);
        sbuf_adds(b, " &middot; ");
    }
    sbuf_adds(b, "Report generated ");
    esc(b, generated);
    sbuf_adds(b, " by unmask</p>\n");
}

static int html_begin(struct report_ctx *ctx)
{
    struct html_state *s = xcalloc(1, sizeof *s);
    s->meta = ctx->priv;
    ctx->priv = s;
    s->rows = tmpfile();
    s->ev = tmpfile();
    s->per_maker = xcalloc(ctx->kb->n_makers + 1, sizeof *s->per_maker);
    s->lists_used = xcalloc(ctx->kb->n_makers + 1, sizeof *s->lists_used);
    s->far = xcalloc(HTML_MAX_FAR_ITEMS, sizeof *s->far);
    sbuf_init(&s->b, HTML_DEVICE_CAP);
    now_iso(s->generated);
    if (!s->rows || !s->ev) {
        state_free(s);
        ctx->priv = NULL;
        return -1;
    }
    char css_h[64], js_h[64];
    csp_hash(CSS, css_h);
    csp_hash(JS, js_h);
    struct sbuf *b = &s->b;
    const struct html_meta *m = s->meta;
    sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ");
    sbuf_printf(b, "style-src %s; script-src %s; ", css_h, js_h);
    sbuf_adds(b, "img-src data:; base-uri 'none'; form-action 'none'\">\n"
                 "<meta name=\"referrer\" content=\"no-referrer\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"unmask\">\n<title>");
    if (m && m->run_id > 0)
        sbuf_printf(b, "unmask report: run %lld", m->run_id);
    else
        sbuf_adds(b, "unmask report");
    sbuf_adds(b, "</title>\n<style>");
    add_parts(b, CSS);
    sbuf_adds(b, "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>Covered equipment report</h1>\n");
    meta_line(b, m, s->generated);
    sbuf_adds(b, "<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#far\">FAR "
                 "52.204-25(d) report</a><a href=\"#list\">Devices</a><a href=\"#evidence\">"
                 "Evidence</a><a href=\"#lists\">Lists</a></nav>\n</header>\n");
    return flush_to(b, ctx->out);
}

/* ---- device ----------------------------------------------------------------------------------- */

static const char *obs_value(const struct device *d, const char *name)
{
    for (size_t i = 0; i < d->n_obs; i++)
        if (!strcmp(d->obs[i].name, name) && d->obs[i].value_len)
            return d->obs[i].value;
    return NULL;
}

static char *copy_capped(const char *s)
{
    if (!s)
        return NULL;
    return xstrndup(s, utf8_prefix(s, strlen(s), 4 * HTML_FIELD_CHARS));
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The record's FAR fields, by enum far_field; NULL members when there is no record. */
static void far_fields(const struct device *d, const struct report_extra *x, const char *out[FAR_N])
{
    const struct report_far *r = x ? x->far : NULL;
    const char *v[FAR_N] = {
        [FAR_CONTRACT] = r ? r->contract : NULL, [FAR_ORDER] = r ? r->order : NULL,
        [FAR_SUPPLIER] = r ? r->supplier : NULL, [FAR_UEI] = r ? r->supplier_uei : NULL,
        [FAR_CAGE] = r ? r->cage : NULL,         [FAR_BRAND] = r ? r->brand : NULL,
        [FAR_MODEL] = r ? r->model : NULL,       [FAR_DESCRIPTION] = r ? r->description : NULL,
    };
    if (!v[FAR_SUPPLIER] || !*v[FAR_SUPPLIER])
        v[FAR_SUPPLIER] = obs_value(d, "inventory.supplier");
    if (!v[FAR_DESCRIPTION] || !*v[FAR_DESCRIPTION])
        v[FAR_DESCRIPTION] = obs_value(d, "inventory.description");
    for (int i = 0; i < FAR_N; i++)
        out[i] = v[i] && *v[i] ? v[i] : NULL;
}

/* Adds a covered or white-label device to its FAR item: one per maker, brand and model, and per
 * contract, order and supplier when a record names them. */
static void far_add(struct html_state *s, const struct device *d, const struct verdict *v,
                    const struct report_extra *x)
{
    const char *rec[FAR_N];
    far_fields(d, x, rec);
    const char *model = v->model ? v->model : rec[FAR_MODEL];
    size_t i = 0;
    for (; i < s->n_far; i++) {
        const struct far_item *f = &s->far[i];
        if (f->maker == v->maker && f->brand == v->brand && same(f->model, model) &&
            same(f->rec[FAR_CONTRACT], rec[FAR_CONTRACT]) && same(f->rec[FAR_ORDER], rec[FAR_ORDER]) &&
            same(f->rec[FAR_SUPPLIER], rec[FAR_SUPPLIER]))
            break;
    }
    if (i == s->n_far) {
        if (s->n_far == HTML_MAX_FAR_ITEMS) {
            s->far_overflow++;
            return;
        }
        struct far_item *f = &s->far[s->n_far++];
        f->maker = v->maker;
        f->brand = v->brand;
        f->model = copy_capped(model);
        f->kind = v->kind;
    }
    struct far_item *f = &s->far[i];
    f->units++;
    if (v->kind > f->kind)
        f->kind = v->kind;
    for (int k = 0; k < FAR_N; k++)
        if (!f->rec[k])
            f->rec[k] = copy_capped(rec[k]);
    if (f->n_names < HTML_FAR_UNITS_NAMED) {
        f->names[f->n_names] = copy_capped(d->id);
        f->anchors[f->n_names++] = s->n;
    }
}

static void source_list(struct sbuf *b, const struct kb_strv *src)
{
    sbuf_adds(b, "<ul class=\"src\">");
    for (size_t k = 0; k < src->n; k++) {
        const char *u = src->v[k];
        sbuf_adds(b, "<li>");
        /* Only plain web links become links; anything else stays text. */
        if (!strncmp(u, "https://", 8) || !strncmp(u, "http://", 7)) {
            size_t end = strcspn(u, " \t\"'<>`\\"); /* where a plain URL would end */
            sbuf_adds(b, "<a rel=\"noreferrer noopener\" href=\"");
            html_escape(b, u, end, 0);
            sbuf_adds(b, "\">");
            html_escape(b, u, end, 0);
            sbuf_adds(b, "</a>");
            html_escape(b, u + end, strlen(u + end), 0);
        } else {
            esc(b, u);
        }
        sbuf_adds(b, "</li>");
    }
    sbuf_adds(b, "</ul>");
}

static void observation_cell(struct sbuf *b, const struct device *d, const struct observation *o)
{
    sbuf_adds(b, "<td><code>");
    esc(b, o->name);
    sbuf_adds(b, "</code>");
    if (o->port >= 0 || o->path) {
        sbuf_adds(b, "<br><span class=\"q\">");
        if (o->port >= 0)
            sbuf_printf(b, "port %d ", o->port);
        if (o->path)
            escn(b, o->path, HTML_CELL_CHARS);
        sbuf_adds(b, "</span>");
    }
    sbuf_adds(b, "</td><td class=\"mono\"><span class=\"v\">");
    size_t left = html_escape(b, o->value, o->value_len, HTML_VALUE_CHARS);
    sbuf_adds(b, "</span>");
    if (left || o->truncated)
        sbuf_printf(b, " <span class=\"q\">(%zu more bytes%s)</span>", left,
                    o->truncated ? "; cut by the reader at 64 KiB" : "");
    if (o->derived_from >= 0 && (size_t)o->derived_from < d->n_obs) {
        const struct observation *src = &d->obs[o->derived_from];
        sbuf_adds(b, "<br><span class=\"q\">registrant of ");
        escn(b, o->path, HTML_CELL_CHARS);
        sbuf_adds(b, ", from <code>");
        esc(b, src->name);
        sbuf_adds(b, "</code> ");
        html_escape(b, src->value, src->value_len, HTML_CELL_CHARS);
        sbuf_adds(b, "</span>");
    }
    sbuf_adds(b, "</td>");
}

static void evidence_table(struct sbuf *b, const struct kb *kb, const struct device *d,
                           const struct verdict *v)
{
    if (!v->n_ev) {
        sbuf_adds(b, "<p class=\"q\">No rule matched any of its ");
        sbuf_printf(b, "%zu observations.</p>", d->n_obs);
        return;
    }
    sbuf_adds(b, "<table class=\"ev\"><thead><tr><th>Observation</th><th>Value</th><th>Rule</th>"
                 "<th>Points to</th><th>Strength</th><th>Sources</th></tr></thead><tbody>");
    for (size_t i = 0; i < v->n_ev; i++) {
        const struct evidence *ev = &v->ev[i];
        sbuf_adds(b, ev->conflicting ? "<tr class=\"conflict\">" : "<tr>");
        if (ev->rule == EV_RULE_RELATIONSHIP) {
            const struct kb_brand *br = &kb->brands[ev->brand];
            const struct kb_rel *r = &br->oems[ev->rel];
            sbuf_adds(b, "<td colspan=\"2\">Declared brand <b>");
            esc(b, br->name);
            sbuf_adds(b, "</b>: reported OEM relationship with ");
            esc(b, kb->makers[r->maker].name);
            sbuf_adds(b, " (grade ");
            html_escape(b, &r->grade, 1, 0);
            sbuf_adds(b, ", ");
            esc(b, r->from_text);
            sbuf_adds(b, " to ");
            esc(b, r->to_text);
            sbuf_adds(b, ")</td><td><code>brand-relationship</code></td><td>");
            esc(b, kb->makers[r->maker].slug);
            sbuf_adds(b, " (maker)</td><td>");
            esc(b, kb_strength_name(ev->strength));
            sbuf_adds(b, "</td><td>");
            source_list(b, &br->sources);
        } else {
            const struct kb_rule *r = &kb->rules[ev->rule];
            observation_cell(b, d, &d->obs[ev->obs]);
            sbuf_adds(b, "<td><code>");
            esc(b, r->id);
            sbuf_adds(b, "</code></td><td>");
            if (r->maker >= 0) {
                esc(b, kb->makers[r->maker].slug);
                sbuf_adds(b, " (maker)");
            } else {
                esc(b, kb->brands[r->brand].name);
                sbuf_adds(b, " (brand)");
            }
            sbuf_adds(b, "</td><td>");
            esc(b, kb_strength_name(r->strength));
            if (r->strength >= KB_STRONG)
                sbuf_adds(b, "<br><span class=\"q\">survives relabelling</span>");
            sbuf_adds(b, "</td><td>");
            source_list(b, &r->sources);
        }
        if (ev->conflicting)
            sbuf_adds(b, "<span class=\"q\">conflicting: points to another maker</span>");
        sbuf_adds(b, "</td></tr>");
    }
    sbuf_adds(b, "</tbody></table>");
}

/* Everything the device said, evidence or not (an unknown device's observations explain why it
 * is unknown), folded away by default; at most HTML_OBS_SHOWN of them. */
static void all_observations(struct sbuf *b, const struct device *d)
{
    if (!d->n_obs)
        return;
    sbuf_printf(b, "<details class=\"obs\"><summary>All %zu observations</summary>"
                   "<table class=\"obs\"><thead><tr><th>Observation</th><th>Value</th></tr></thead>"
                   "<tbody>", d->n_obs);
    for (size_t i = 0; i < d->n_obs && i < HTML_OBS_SHOWN; i++) {
        sbuf_adds(b, "<tr>");
        observation_cell(b, d, &d->obs[i]);
        sbuf_adds(b, "</tr>");
    }
    sbuf_adds(b, "</tbody></table>");
    if (d->n_obs > HTML_OBS_SHOWN)
        sbuf_printf(b, "<p class=\"q\">and %zu more</p>",
                    d->n_obs - HTML_OBS_SHOWN);
    sbuf_adds(b, "</details>");
}

/* The lists that name the maker, with their dates, in one line; each links to the appendix that
 * gives the list's full name, authority and the purpose it names the maker for. */
static void maker_lists(struct sbuf *b, const struct kb *kb, int maker, bool *used)
{
    const struct kb_maker *m = &kb->makers[maker];
    if (!m->covered || !m->n_on)
        return;
    used[maker] = true;
    sbuf_adds(b, "<p class=\"lists\">");
    esc(b, m->name);
    sbuf_adds(b, " is named by ");
    for (size_t i = 0; i < m->n_on; i++) {
        const struct kb_on *on = &m->on[i];
        const struct kb_list *l = on->list >= 0 ? &kb->lists[on->list] : NULL;
        sbuf_adds(b, i ? (i + 1 == m->n_on ? " and " : ", ") : "");
        if (l) {
            sbuf_adds(b, "<a href=\"#list-");
            esc(b, l->id);
            sbuf_adds(b, "\">");
            esc(b, l->short_name ? l->short_name : l->name);
            sbuf_adds(b, "</a>");
        } else {
            esc(b, on->list_id);
        }
        sbuf_adds(b, " (since ");
        esc(b, on->date_text);
        sbuf_adds(b, ")");
    }
    sbuf_adds(b, ".</p>");
}

/* The appendix: each list that names a maker of this report, once, with what it says of each. */
static void lists_appendix(struct sbuf *b, const struct kb *kb, const bool *used)
{
    bool any = false;
    for (size_t m = 0; m < kb->n_makers; m++)
        any |= used[m];
    if (!any)
        return;
    sbuf_adds(b, "<section id=\"lists\"><h2>The lists</h2><p class=\"q\">Each list that names a "
                 "maker found in this report, and the purpose it names the maker for.</p>");
    for (size_t i = 0; i < kb->n_lists; i++) {
        const struct kb_list *l = &kb->lists[i];
        bool named = false;
        for (size_t m = 0; m < kb->n_makers && !named; m++)
            for (size_t k = 0; used[m] && k < kb->makers[m].n_on; k++)
                named |= kb->makers[m].on[k].list == (int)i;
        if (!named)
            continue;
        sbuf_adds(b, "<div class=\"list\" id=\"list-");
        esc(b, l->id);
        sbuf_adds(b, "\"><h3>");
        esc(b, l->name);
        sbuf_adds(b, "</h3><p class=\"q\">");
        if (l->authority) {
            esc(b, l->authority);
            sbuf_adds(b, ". ");
        }
        if (l->url && (!strncmp(l->url, "https://", 8) || !strncmp(l->url, "http://", 7))) {
            size_t end = strcspn(l->url, " \t\"'<>`\\");
            sbuf_adds(b, "<a rel=\"noreferrer noopener\" href=\"");
            html_escape(b, l->url, end, 0);
            sbuf_adds(b, "\">");
            html_escape(b, l->url, end, 0);
            sbuf_adds(b, "</a>");
        }
        sbuf_adds(b, "</p><ul>");
        for (size_t m = 0; m < kb->n_makers; m++)
            for (size_t k = 0; used[m] && k < kb->makers[m].n_on; k++) {
                const struct kb_on *on = &kb->makers[m].on[k];
                if (on->list != (int)i)
                    continue;
                sbuf_adds(b, "<li><b>");
                esc(b, kb->makers[m].name);
                sbuf_adds(b, "</b> since ");
                esc(b, on->date_text);
                if (on->qualifier) {
                    sbuf_adds(b, ": ");
                    esc(b, on->qualifier);
                }
                sbuf_adds(b, "</li>");
            }
        sbuf_adds(b, "</ul></div>");
    }
    sbuf_adds(b, "</section>\n");
}

static void kv(struct sbuf *b, const char *k, const char *v, size_t max_chars)
{
    if (!v || !*v)
        return;
    sbuf_adds(b, "<dt>");
    sbuf_adds(b, k);
    sbuf_adds(b, "</dt><dd><span class=\"v\">");
    escn(b, v, max_chars);
    sbuf_adds(b, "</span></dd>");
}

static void badge(struct sbuf *b, enum verdict_kind k)
{
    const char *name = verdict_kind_name(k);
    sbuf_printf(b, "<span class=\"badge b-%s\">%s</span>", name, name);
}

static int html_device(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                       const struct report_extra *x)
{
    struct html_state *s = ctx->priv;
    const struct kb *kb = ctx->kb;
    struct sbuf *b = &s->b;
    long n = ++s->n;
    const struct kb_maker *m = v->maker >= 0 ? &kb->makers[v->maker] : NULL;
    const char *brand = v->brand >= 0 ? kb->brands[v->brand].name : NULL;
    s->per_maker[v->maker >= 0 ? (size_t)v->maker : kb->n_makers]++;
    if (v->kind == V_COVERED || v->kind == V_WHITE_LABEL)
        far_add(s, d, v, x);

    /* The table row. */
    sbuf_printf(b, "<tr data-v=\"%s\"><td class=\"num\">%ld</td><td><a href=\"#d-%ld\">",
                verdict_kind_name(v->kind), n, n);
    esc_cell(b, d->id, HTML_CELL_CHARS);
    sbuf_adds(b, "</a></td><td class=\"mono\">");
    const char *where = x && x->address ? x->address : x && x->mac ? x->mac : NULL;
    esc_cell(b, where ? where : obs_value(d, "mac.address"), HTML_CELL_CHARS);
    sbuf_printf(b, "</td><td data-k=\"%d\">", V_COVERED - (int)v->kind);
    badge(b, v->kind);
    sbuf_adds(b, "</td><td>");
    esc_cell(b, m ? m->name : NULL, HTML_CELL_CHARS);
    sbuf_adds(b, "</td><td>");
    esc_cell(b, brand, HTML_CELL_CHARS);
    sbuf_adds(b, "</td><td>");
    esc_cell(b, v->model, HTML_CELL_CHARS);
    sbuf_adds(b, "</td><td>");
    esc_cell(b, v->firmware, HTML_CELL_CHARS);
    sbuf_printf(b, "</td><td class=\"num\">%.2f</td><td>", v->confidence);
    int top = -1;
    for (size_t i = 0; i < v->n_ev; i++)
        if (!v->ev[i].conflicting && (top < 0 || v->ev[i].strength > v->ev[top].strength))
            top = (int)i;
    if (top >= 0 && v->ev[top].rule >= 0) {
        sbuf_adds(b, "<code>");
        esc(b, kb->rules[v->ev[top].rule].id);
        sbuf_adds(b, "</code> ");
        esc(b, kb_strength_name(v->ev[top].strength));
    } else {
        sbuf_adds(b, top >= 0 ? "brand relationship" : "<span class=\"none\">-</span>");
    }
    sbuf_adds(b, "</td></tr>\n");
    if (flush_to(b, s->rows) < 0)
        return -1;

    /* The evidence section. */
    sbuf_printf(b, "<section class=\"dev\" id=\"d-%ld\"><h3><span class=\"idx\">%ld</span>", n, n);
    sbuf_adds(b, "<span class=\"v\">");
    escn(b, d->id, HTML_FIELD_CHARS);
    sbuf_adds(b, "</span> ");
    badge(b, v->kind);
    sbuf_adds(b, "</h3><p class=\"expl\">");
    esc(b, v->explanation);
    sbuf_adds(b, "</p><dl class=\"kv\">");
    if (m) {
        sbuf_adds(b, "<dt>Maker</dt><dd>");
        esc(b, m->name);
        sbuf_printf(b, " <span class=\"q\">confidence %.2f%s</span></dd>", v->confidence,
                    m->covered ? ", a covered maker" : "");
    }
    kv(b, "Declared brand", brand, HTML_FIELD_CHARS);
    kv(b, "Model", v->model, HTML_FIELD_CHARS);
    kv(b, "Firmware", v->firmware, HTML_FIELD_CHARS);
    kv(b, "Serial", v->serial, HTML_FIELD_CHARS);
    if (x) {
        kv(b, "Address", x->address, HTML_FIELD_CHARS);
        kv(b, "MAC", x->mac, HTML_FIELD_CHARS);
        if (x->n_ports) {
            sbuf_adds(b, "<dt>Open ports</dt><dd class=\"mono\">");
            for (size_t i = 0; i < x->n_ports; i++) {
                sbuf_printf(b, "%s%d/", i ? ", " : "", x->ports[i].port);
                escn(b, x->ports[i].proto ? x->ports[i].proto : "tcp", HTML_CELL_CHARS);
                sbuf_adds(b, " ");
                escn(b, x->ports[i].service ? x->ports[i].service : "unknown", HTML_CELL_CHARS);
            }
            sbuf_adds(b, "</dd>");
        }
        kv(b, "From file", x->file, HTML_FIELD_CHARS);
        if (x->row > 0)
            sbuf_printf(b, "<dt>Row</dt><dd>%ld</dd>", x->row);
    }
    sbuf_printf(b, "<dt>Observations</dt><dd>%zu", d->n_obs);
    if (d->n_dropped)
        sbuf_printf(b, " <span class=\"q\">(%zu more dropped at the per-device cap)</span>",
                    d->n_dropped);
    sbuf_adds(b, "</dd></dl>");
    evidence_table(b, kb, d, v);
    all_observations(b, d);
    if (v->maker >= 0 && v->kind != V_CLEAR)
        maker_lists(b, kb, v->maker, s->lists_used);
    if (v->conflict_maker >= 0 && v->conflict_maker != v->maker)
        maker_lists(b, kb, v->conflict_maker, s->lists_used);
    sbuf_adds(b, "</section>\n");
    return flush_to(b, s->ev);
}

/* ---- end -------------------------------------------------------------------------------------- */

/* A horizontal bar chart: labels[i] (escaped here), values[i], colours[i]. */
static void bar_chart(struct sbuf *b, const char *title, const char *const *labels,
                      const long *values, const char *const *colours, size_t n)
{
    const int label_w = 150, bar_w = 250, row_h = 24, width = label_w + bar_w + 60;
    long max = 1;
    for (size_t i = 0; i < n; i++)
        if (values[i] > max)
            max = values[i];
    int height = (int)n * row_h + 8;
    sbuf_printf(b, "<svg role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" ", width, height);
    sbuf_printf(b, "preserveAspectRatio=\"xMinYMin meet\" xmlns=\"http://www.w3.org/2000/svg\">");
    sbuf_adds(b, "<title>");
    esc(b, title);
    sbuf_adds(b, "</title>");
    for (size_t i = 0; i < n; i++) {
        int y = (int)i * row_h + 4;
        int w = values[i] ? (int)((double)values[i] / (double)max * bar_w + 0.5) : 0;
        if (values[i] && w < 2)
            w = 2;
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 8, y + 15);
        escn(b, labels[i], 22);
        sbuf_adds(b, "</text>");
        sbuf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/>",
                    label_w, y + 2, w, row_h - 8, colours[i]);
        sbuf_printf(b, "<text x=\"%d\" y=\"%d\">%ld</text>", label_w + w + 6, y + 15, values[i]);
    }
    sbuf_adds(b, "</svg>");
}

static void summary(struct sbuf *b, const struct report_ctx *ctx, const struct html_state *s)
{
    const struct kb *kb = ctx->kb;
    sbuf_adds(b, "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    sbuf_printf(b, "<div class=\"card\"><div class=\"n\">%ld</div><div class=\"l\">devices</div></div>",
                ctx->n_devices);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *k = verdict_kind_name(order[i]);
        sbuf_printf(b, "<div class=\"card %s\"><div class=\"n\">%ld</div><div class=\"l\">%s</div></div>",
                    k, ctx->counts[order[i]], k);
    }
    sbuf_adds(b, "</div><div class=\"charts\"><figure><figcaption>Devices by verdict</figcaption>");
    const char *labels[HTML_MAKER_BARS + 2];
    long values[HTML_MAKER_BARS + 2];
    const char *colours[HTML_MAKER_BARS + 2];
    for (size_t i = 0; i < 5; i++) {
        labels[i] = verdict_kind_name(order[i]);
        values[i] = ctx->counts[order[i]];
        colours[i] = colour[order[i]];
    }
    bar_chart(b, "Devices by verdict", labels, values, colours, 5);
    sbuf_adds(b, "</figure><figure><figcaption>Devices by maker</figcaption>");
    /* The makers with the most devices, then the others summed, then devices with no maker. */
    size_t n = 0;
    bool *used = xcalloc(kb->n_makers + 1, sizeof *used);
    while (n < HTML_MAKER_BARS) {
        size_t best = kb->n_makers;
        for (size_t i = 0; i < kb->n_makers; i++)
            if (!used[i] && s->per_maker[i] && (best == kb->n_makers ||
                                                s->per_maker[i] > s->per_maker[best]))
                best = i;
        if (best == kb->n_makers)
            break;
        used[best] = true;
        labels[n] = kb->makers[best].name;
        values[n] = s->per_maker[best];
        colours[n] = kb->makers[best].covered ? colour[V_COVERED] : "#3b6ea8";
        n++;
    }
    long others = 0;
    for (size_t i = 0; i < kb->n_makers; i++)
        if (!used[i])
            others += s->per_maker[i];
    free(used);
    if (others) {
        labels[n] = "other makers";
        values[n] = others;
        colours[n++] = "#8aa4c8";
    }
    labels[n] = "no maker found";
    values[n] = s->per_maker[kb->n_makers];
    colours[n++] = colour[V_UNKNOWN];
    bar_chart(b, "Devices by maker", labels, values, colours, n);
    sbuf_adds(b, "</figure></div><p class=\"q\">Red: makers on a covered list. Covered: made by a "
                 "covered maker and sold under its own name; white-label: made by a covered maker "
                 "and sold under another brand; suspect: weaker evidence that needs review.</p>"
                 "</section>\n");
}

/* One field of a FAR item: the label and either value (markup, already escaped) or a blank cell
 * the user fills in. A wide field spans the row. */
static void far_field(struct sbuf *b, const char *label, const char *value, bool wide, bool tall)
{
    sbuf_adds(b, "<th>");
    sbuf_adds(b, label);
    sbuf_adds(b, "</th>");
    const char *span = wide ? " colspan=\"3\"" : "";
    if (value && *value)
        sbuf_printf(b, "<td%s>%s</td>", span, value);
    else
        sbuf_printf(b, "<td%s class=\"blank%s\" contenteditable=\"true\"></td>", span,
                    tall ? " tall" : "");
}

static void far_section(struct sbuf *b, const struct report_ctx *ctx, struct html_state *s)
{
    const struct kb *kb = ctx->kb;
    long n_flagged = ctx->counts[V_COVERED] + ctx->counts[V_WHITE_LABEL];
    sbuf_adds(b, "<section id=\"far\"><h2>FAR 52.204-25(d) report</h2>");
    if (!n_flagged) {
        sbuf_adds(b, "<p>No device was judged covered or white-label: there is nothing to report "
                     "under paragraph (d) from this run.</p>");
    } else {
        sbuf_adds(b,
            "<p>A contractor that identifies covered telecommunications equipment must report it "
            "to the Contracting Officer (DoD: through DIBNet) <b>within one business day</b>: "
            "contract number, order number(s), supplier name, supplier unique entity identifier "
            "and CAGE code (if known), brand, model number (original equipment manufacturer "
            "number, manufacturer part number or wholesaler number), item description and any "
            "readily available information about mitigation (paragraph (d)(2)(i)); and <b>within "
            "10 business days</b> any further mitigation and the efforts to prevent use or "
            "submission ((d)(2)(ii)).</p>"
            "<p class=\"note\"><b>Fields left blank.</b> unmask fills in what it observed on the "
            "devices: brand, model number and an item description. It cannot know the contract "
            "and order numbers, the supplier and its identifiers, or the mitigation: those fields "
            "are left blank for you to complete. On screen you can type into them before printing "
            "(the text is not saved). This report is evidence, not legal advice; whether the "
            "equipment is used for the purposes the lists qualify is for you to establish.</p>");
    }
    /* Covered items first, then white-label, each by units. */
    for (size_t i = 1; i < s->n_far; i++)
        for (size_t j = i; j > 0; j--) {
            struct far_item *p = &s->far[j - 1], *q = &s->far[j];
            if (p->kind > q->kind || (p->kind == q->kind && p->units >= q->units))
                break;
            struct far_item t = *p;
            *p = *q;
            *q = t;
        }
    for (size_t i = 0; i < s->n_far; i++) {
        const struct far_item *f = &s->far[i];
        const struct kb_maker *m = &kb->makers[f->maker];
        const char *label = f->brand >= 0 ? kb->brands[f->brand].name : NULL;
        const char *brand = f->rec[FAR_BRAND] ? f->rec[FAR_BRAND] : label ? label : m->name;
        sbuf_printf(b, "<article class=\"far-item\"><h3>Item %zu ", i + 1);
        badge(b, f->kind);
        sbuf_adds(b, " <span class=\"v\">");
        escn(b, brand, HTML_FIELD_CHARS);
        sbuf_adds(b, " ");
        escn(b, f->model ? f->model : "(model unknown)", HTML_FIELD_CHARS);
        sbuf_printf(b, "</span> &middot; %ld unit%s</h3><table class=\"far\"><tbody>", f->units,
                    f->units == 1 ? "" : "s");
        /* The cells, rendered first, then laid out two fields a row. */
        enum { C_CONTRACT, C_ORDER, C_SUPPLIER, C_UEI, C_CAGE, C_BRAND, C_MODEL, C_DESC, C_DATE,
               C_N };
        struct sbuf cells[C_N];
        for (int k = 0; k < C_N; k++)
            sbuf_init(&cells[k], 64 * 1024);
        static const enum far_field from_record[] = { FAR_CONTRACT, FAR_ORDER, FAR_SUPPLIER,
                                                      FAR_UEI, FAR_CAGE };
        for (int k = 0; k < 5; k++) {
            const char *val = f->rec[from_record[k]];
            if (!val)
                continue;
            sbuf_adds(&cells[k], "<span class=\"v\">");
            escn(&cells[k], val, HTML_FIELD_CHARS);
            sbuf_adds(&cells[k], "</span> <span class=\"q\">(from the record; check it)</span>");
        }
        struct sbuf *c = &cells[C_BRAND];
        sbuf_adds(c, "<span class=\"v\">");
        escn(c, brand, HTML_FIELD_CHARS);
        sbuf_adds(c, "</span>");
        /* Say where the brand comes from unless it is simply the maker's own name. */
        bool own = label && kb->brands[f->brand].implicit_maker == f->maker && brand == label;
        if (!own && (f->rec[FAR_BRAND] || label || brand != m->name)) {
            sbuf_adds(c, " <span class=\"q\">(");
            if (f->rec[FAR_BRAND])
                sbuf_adds(c, "from the record; ");
            if (label && brand != label) {
                sbuf_adds(c, "label ");
                esc(c, label);
                sbuf_adds(c, "; ");
            } else if (label) {
                sbuf_adds(c, "the label; ");
            }
            sbuf_adds(c, "made by ");
            esc(c, m->name);
            sbuf_adds(c, ")</span>");
        }
        if (f->model) {
            c = &cells[C_MODEL];
            sbuf_adds(c, "<span class=\"v mono\">");
            escn(c, f->model, HTML_FIELD_CHARS);
            sbuf_adds(c, "</span> <span class=\"q\">(as reported)</span>");
        }
        c = &cells[C_DESC];
        if (f->rec[FAR_DESCRIPTION]) {
            sbuf_adds(c, "<span class=\"v\">");
            escn(c, f->rec[FAR_DESCRIPTION], HTML_FIELD_CHARS);
            sbuf_adds(c, "</span><br>");
        }
        sbuf_adds(c, "Equipment made by ");
        esc(c, m->name);
        if (label && f->kind == V_WHITE_LABEL) {
            sbuf_adds(c, ", sold under the ");
            esc(c, label);
            sbuf_adds(c, " label");
        }
        sbuf_printf(c, ", identified by unmask from network or record evidence. Unit%s: ",
                    f->units == 1 ? "" : "s");
        for (size_t k = 0; k < f->n_names; k++) {
            sbuf_printf(c, "%s<a href=\"#d-%ld\"><span class=\"v\">", k ? ", " : "", f->anchors[k]);
            escn(c, f->names[k] ? f->names[k] : "(unnamed)", HTML_CELL_CHARS);
            sbuf_adds(c, "</span></a>");
        }
        if (f->units > (long)f->n_names)
            sbuf_printf(c, " and %ld more (see the device table)", f->units - (long)f->n_names);
        sbuf_adds(c, ".");
        const char *when = s->meta && s->meta->started ? s->meta->started : s->generated;
        html_escape(&cells[C_DATE], when, strnlen(when, 10), 0);
        sbuf_adds(&cells[C_DATE], " <span class=\"q\">(the run that found it)</span>");

        sbuf_adds(b, "<tr>");
        far_field(b, "Contract number", cells[C_CONTRACT].p, false, false);
        far_field(b, "Order number(s)", cells[C_ORDER].p, false, false);
        sbuf_adds(b, "</tr><tr>");
        far_field(b, "Supplier name", cells[C_SUPPLIER].p, false, false);
        far_field(b, "Date identified", cells[C_DATE].p, false, false);
        sbuf_adds(b, "</tr><tr>");
        far_field(b, "Supplier unique entity identifier (if known)", cells[C_UEI].p, false, false);
        far_field(b, "Supplier CAGE code (if known)", cells[C_CAGE].p, false, false);
        sbuf_adds(b, "</tr><tr>");
        far_field(b, "Brand", cells[C_BRAND].p, false, false);
        far_field(b, "Model number", cells[C_MODEL].p, false, false);
        sbuf_adds(b, "</tr><tr>");
        far_field(b, "Item description", cells[C_DESC].p, true, false);
        sbuf_adds(b, "</tr><tr>");
        far_field(b, "Mitigation actions undertaken or recommended", NULL, true, true);
        sbuf_adds(b, "</tr>");
        for (int k = 0; k < C_N; k++)
            sbuf_deinit(&cells[k]);
        sbuf_adds(b, "</tbody></table></article>\n");
    }
    if (s->far_overflow)
        sbuf_printf(b, "<p class=\"note\">%ld more covered devices belong to products beyond the "
                       "first %d itemised here; see the device table.</p>", s->far_overflow,
                    HTML_MAX_FAR_ITEMS);
    if (ctx->counts[V_SUSPECT])
        sbuf_printf(b, "<p>%ld suspect device%s %s not itemised: the evidence is weaker and needs "
                       "review first (see the device table).</p>", ctx->counts[V_SUSPECT],
                    ctx->counts[V_SUSPECT] == 1 ? "" : "s", ctx->counts[V_SUSPECT] == 1 ? "is" : "are");
    sbuf_adds(b, "</section>\n");
}

static int copy_file(FILE *from, FILE *to)
{
    char buf[65536];
    size_t n;
    if (fflush(from) != 0 || fseek(from, 0, SEEK_SET) != 0)
        return -1;
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return -1;
    return ferror(from) ? -1 : 0;
}

static void state_free(struct html_state *s)
{
    for (size_t i = 0; i < s->n_far; i++) {
        struct far_item *f = &s->far[i];
        free(f->model);
        for (int k = 0; k < FAR_N; k++)
            free(f->rec[k]);
        for (size_t k = 0; k < f->n_names; k++)
            free(f->names[k]);
    }
    free(s->far);
    free(s->per_maker);
    free(s->lists_used);
    if (s->rows)
        fclose(s->rows);
    if (s->ev)
        fclose(s->ev);
    sbuf_deinit(&s->b);
    free(s);
}

static int html_end(struct report_ctx *ctx)
{
    struct html_state *s = ctx->priv;
    struct sbuf *b = &s->b;
    FILE *out = ctx->out;
    int rc = 0;
    summary(b, ctx, s);
    far_section(b, ctx, s);
    sbuf_adds(b, "<section id=\"list\"><h2>Devices</h2><div class=\"controls\">"
                 "<input id=\"q\" type=\"search\" placeholder=\"Filter: any text in a row\" "
                 "aria-label=\"Filter devices\"><select id=\"vf\" aria-label=\"Verdict\">"
                 "<option value=\"\">all verdicts</option>");
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        sbuf_printf(b, "<option>%s</option>", verdict_kind_name(order[i]));
    sbuf_printf(b, "</select><span class=\"q\">showing <span id=\"shown\">%ld</span> of %ld</span>"
                   "</div>", ctx->n_devices, ctx->n_devices);
    /* Each header is a button on screen (sorting) and plain text on paper (Chromium leaves a
     * button out of a table header it repeats on the next page). */
    static const struct {
        const char *label, *attrs;
        int width; /* percent: the layout is fixed, so no device string can widen a column */
    } heads[] = {
        { "#", " class=\"num\" data-num=\"\"", 4 }, { "Device", "", 14 }, { "Address / MAC", "", 13 },
        { "Verdict", " data-num=\"\"", 10 }, { "Maker", "", 9 }, { "Brand", "", 8 }, { "Model", "", 12 },
        { "Firmware", "", 9 }, { "Conf.", " class=\"num\" data-num=\"\"", 7 },
        { "Strongest evidence", "", 14 },
    };
    sbuf_adds(b, "<table id=\"devices\"><colgroup>");
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        sbuf_printf(b, "<col width=\"%d%%\">", heads[i].width);
    sbuf_adds(b, "</colgroup><thead><tr>");
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        sbuf_printf(b, "<th%s><button>%s</button><span class=\"pl\">%s</span></th>", heads[i].attrs,
                    heads[i].label, heads[i].label);
    sbuf_adds(b, "</tr></thead><tbody>\n");
    if (flush_to(b, out) < 0 || copy_file(s->rows, out) < 0)
        rc = -1;
    sbuf_adds(b, "</tbody></table></section>\n<section id=\"evidence\"><h2>Evidence, device by "
                 "device</h2><p class=\"q\">Each verdict with the observations that decided it, the "
                 "rule that read each one and that rule's public sources.</p>\n");
    if (flush_to(b, out) < 0 || copy_file(s->ev, out) < 0)
        rc = -1;
    sbuf_adds(b, "</section>\n");
    lists_appendix(b, ctx->kb, s->lists_used);
    sbuf_adds(b, "<footer><p>Generated by unmask on ");
    esc(b, s->generated);
    if (s->meta && s->meta->rules) {
        sbuf_adds(b, " with the knowledge in <span class=\"v mono\">");
        escn(b, s->meta->rules, HTML_FIELD_CHARS);
        sbuf_adds(b, "</span>");
    }
    sbuf_adds(b, ". This file is self-contained: it loads nothing from the network. Every string "
                 "that came from a device or a file is shown as text.</p></footer>\n</main>\n"
                 "<script>");
    add_parts(b, JS);
    sbuf_adds(b, "</script>\n</body>\n</html>\n");
    if (flush_to(b, out) < 0)
        rc = -1;
    state_free(s);
    ctx->priv = NULL;
    if (fflush(out) != 0)
        rc = -1;
    return rc;
}

const struct report_writer writer_html = {
    .name = "html",
    .extension = ".html",
    .begin = html_begin,
    .device = html_device,
    .end = html_end,
};
