/* fuzz_html.c: the HTML report writer and its one escaping function, fed hostile strings.
 *
 * The input is split at newlines into fields: the device id, observation values (server strings,
 * models, firmware, titles, MACs, inventory columns), FAR record fields and the run's input name.
 * Two devices are built from them (the second with the fields in reverse order), judged against a
 * small fixed knowledge base and written as a page.
 *
 * Oracles (abort on violation):
 *   - html_escape of the whole input: valid UTF-8, none of < > " ' and every & starts one of the
 *     five references it writes;
 *   - the page: valid UTF-8 without NUL; exactly one <script> and one <style> element; outside
 *     them every tag is one the writer writes, with only attributes the writer writes, so no
 *     string from the input became an element or an attribute. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/core/sbuf.h"
#include "../../src/core/utf8.h"
#include "../../src/engine/engine.h"
#include "../../src/report/html.h"
#include "../../src/report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "fuzz_kb.inc"

static const char *const names[] = { "http.server", "isapi.model", "isapi.firmware", "http.title",
                                     "mac.address", "onvif.manufacturer", "inventory.supplier",
                                     "inventory.description", "onvif.serial", "http.body" };

static void check_escape(const uint8_t *data, size_t size)
{
    struct sbuf b;
    sbuf_init(&b, 8 * size + 64);
    html_escape(&b, (const char *)data, size, size % 7 ? 0 : size / 3);
    if (!utf8_valid(b.p, b.len) || strlen(b.p) != b.len || strpbrk(b.p, "<>\"'"))
        abort();
    static const char *const refs[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
    for (const char *p = strchr(b.p, '&'); p; p = strchr(p + 1, '&')) {
        bool ok = false;
        for (size_t i = 0; i < 5; i++)
            ok |= !strncmp(p, refs[i], strlen(refs[i]));
        if (!ok)
            abort();
    }
    sbuf_deinit(&b);
}

static bool in_list(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && !memcmp(*list, s, n))
            return true;
    return false;
}

static const char *const tags[] = {
    "!DOCTYPE", "html", "head", "meta", "title", "body", "main", "header", "nav", "h1", "h2", "h3",
    "h4", "p", "b", "br", "a", "section", "div", "svg", "rect", "text", "figure", "figcaption",
    "span", "article", "table", "tbody", "thead", "tr", "th", "td", "code", "dl", "dt", "dd", "ul",
    "li", "input", "select", "option", "button", "footer", "colgroup", "col", "details", "summary", NULL,
};
static const char *const attrs[] = {
    "class", "id", "href", "rel", "title", "data-v", "data-k", "data-num", "colspan",
    "contenteditable", "type", "placeholder", "aria-label", "content", "charset", "http-equiv",
    "name", "lang", "role", "viewBox", "width", "height", "x", "y", "rx", "fill", "text-anchor",
    "preserveAspectRatio", "xmlns", "value", "html", NULL, /* html: in <!DOCTYPE html> */
};

/* Checks one tag at p ('<'), returns the position after its '>'. */
static const char *check_tag(const char *p)
{
    p++;
    if (*p == '/')
        p++;
    size_t n = strcspn(p, " >/");
    if (!in_list(p, n, tags))
        abort();
    p += n;
    for (;;) {
        while (*p == ' ' || *p == '/')
            p++;
        if (*p == '>')
            return p + 1;
        if (!*p)
            abort();
        n = strcspn(p, "= >");
        if (!in_list(p, n, attrs))
            abort();
        p += n;
        if (*p == '=') {
            if (p[1] != '"')
                abort();
            const char *end = strchr(p + 2, '"');
            if (!end)
                abort();
            p = end + 1;
        }
    }
}

static void check_page(const char *page, size_t len)
{
    if (!utf8_valid(page, len) || strlen(page) != len)
        abort();
    const char *script = strstr(page, "<script>"), *style = strstr(page, "<style>");
    if (!script || !style || strstr(script + 1, "<script") || strstr(style + 1, "<style"))
        abort();
    const char *script_end = strstr(script, "</script>"), *style_end = strstr(style, "</style>");
    if (!script_end || !style_end)
        abort();
    for (const char *p = page; (p = strchr(p, '<')) != NULL;) {
        if (p == script)
            p = script_end + 9;
        else if (p == style)
            p = style_end + 8;
        else
            p = check_tag(p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!kb)
        init_kb();
    if (size > 64 * 1024)
        return 0;
    check_escape(data, size);

    /* Fields: split at '\n', at most 24. */
    const char *f[24];
    size_t fl[24], nf = 0;
    const char *s = (const char *)data, *end = s + size;
    while (nf < 24 && s <= end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        f[nf] = s;
        fl[nf++] = (size_t)((nl ? nl : end) - s);
        if (!nl)
            break;
        s = nl + 1;
    }
    char *page = NULL;
    size_t page_len = 0;
    FILE *out = open_memstream(&page, &page_len);
    if (!out)
        return 0;
    struct report_ctx ctx = { .kb = kb, .cache = cache, .out = out };
    char *input = strndup(f[nf - 1], fl[nf - 1]);
    struct html_meta meta = { .run_id = 3, .source = "scan", .input = input,
                              .started = "2026-11-27T10:00:00Z", .host = input };
    const struct report_writer *w = report_find("html");
    if (size % 2)
        html_set_meta(&ctx, &meta);
    if (w->begin(&ctx) != 0)
        abort();
    struct device d;
    obs_device_init(&d);
    for (int round = 0; round < 2; round++) {
        obs_device_reset(&d);
        size_t id = round ? nf - 1 : 0;
        obs_device_set_id(&d, f[id], fl[id]);
        for (size_t i = 1; i < nf; i++) {
            size_t k = round ? nf - 1 - i : i;
            const char *name = names[i % (sizeof names / sizeof *names)];
            obs_add(&d, name, strlen(name), f[k], fl[k], i % 3 ? NULL : f[k], i % 3 ? 0 : fl[k],
                    i % 4 ? -1 : 80);
        }
        struct verdict v;
        engine_judge(eng, &d, &v);
        char *far_text[4];
        for (int i = 0; i < 4; i++)
            far_text[i] = strndup(f[(size_t)i % nf], fl[(size_t)i % nf]);
        struct report_far far = { .contract = far_text[0], .order = far_text[1],
                                  .supplier = far_text[2], .model = far_text[3] };
        struct report_extra x = { .address = far_text[1], .mac = far_text[2], .file = far_text[3],
                                  .row = 7, .far = round ? &far : NULL };
        ctx.counts[v.kind]++;
        ctx.n_devices++;
        if (w->device(&ctx, &d, &v, &x) != 0)
            abort();
        for (int i = 0; i < 4; i++)
            free(far_text[i]);
    }
    if (w->end(&ctx) != 0)
        abort();
    fclose(out);
    check_page(page, page_len);
    free(page);
    free(input);
    obs_device_deinit(&d);
    return 0;
}
