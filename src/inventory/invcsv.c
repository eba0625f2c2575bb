/* invcsv.c: the CSV and TSV inventory readers, on libcsv (Debian libcsv3).
 *
 * libcsv does the quoting (RFC 4180 plus the leniency real exports need: a stray quote inside an
 * unquoted cell is kept as text). Around it this file adds what libcsv does not know:
 *
 *  - line numbers: input is fed to libcsv one physical line at a time (long lines in pieces), so a
 *    record's first line is known: the line at whose start the parser was between records;
 *  - the delimiter: the "csv" reader picks comma, semicolon (European Excel) or tab from the first
 *    line; "tsv" always uses tab;
 *  - caps: a cell keeps INV_MAX_CELL bytes (cut on a UTF-8 boundary and reported), a record
 *    INV_MAX_CELLS cells and INV_MAX_RECORD raw bytes (libcsv's own buffer is capped through its
 *    realloc hook, so a 10 GB cell costs INV_MAX_RECORD of memory, not 10 GB);
 *  - recovery from an unbalanced quote: a quoted cell that is still open after INV_MAX_RECORD_LINES
 *    lines, or at the end of the input, swallowed the records after it. The raw bytes of the current
 *    record are kept (bounded by the caps above), so the reader reports the record on its first line,
 *    skips that line and feeds the lines after it again to a fresh parser: every later good record
 *    is still delivered, also from a pipe. A file of nothing but unbalanced quotes costs at most
 *    INV_MAX_RECORD_LINES passes over each line;
 *  - encodings: a UTF-8 byte order mark is skipped; UTF-16 (Excel's "Unicode text") is refused with
 *    a hint. Other bytes that are not UTF-8 pass through and are repaired to U+FFFD when they
 *    become observations (obs_add).
 *
 * It relies on one documented field of libcsv's public struct csv_parser: pstate is 0 (libcsv.c
 * ROW_NOT_BEGUN) between records, and non-zero after a newline only inside a quoted cell. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"
#include "inv-int.h"
#include "inv.h"

#define BLOCK (64 * 1024)
#define STR_(x) #x
#define STR(x) STR_(x)

struct cellref {
    size_t off, len;
    bool cut;
};

struct rd {
    struct csv_parser p;
    const struct inv_sink *sink;
    unsigned char delim;
    char eol;           /* the line terminator: '\n', or '\r' for CR-only files */
    bool fast;          /* split simple lines without libcsv (fast_line) */
    bool stop;          /* the sink asked to stop */

    long line;          /* physical line being fed (1-based) */
    bool at_line_start;
    long rec_line;      /* first line of the current record */
    int rec_lines;      /* lines the current record spans so far, beyond its first */
    bool skip_to_eol;   /* discard input up to the next newline */

    char *text;         /* cell text of the current record, each NUL-terminated */
    size_t text_len, text_cap;
    struct cellref *cells;
    size_t n_cells, cap_cells, n_dropped;
    struct inv_cell *out; /* the array handed to the sink */
    size_t cap_out;

    size_t rec_bytes;   /* raw bytes of the current record so far */
    char *raw;          /* raw bytes of the current record after its first line (for recovery) */
    size_t raw_len, raw_cap;

    char *scratch;      /* a quoted cell without its quotes (fast_line) */
    size_t scratch_cap;
    char *replay;       /* bytes to feed again before reading on (after a recovery) */
    size_t replay_len, replay_pos;
};

/* libcsv's buffer of the current cell grows through this: a cell beyond the record cap fails
 * with CSV_ENOMEM instead of taking the memory. */
static void *capped_realloc(void *p, size_t n)
{
    if (n > INV_MAX_RECORD + BLOCK)
        return NULL;
    return realloc(p, n);
}

static int space_only(unsigned char c) { return c == ' '; }

static void problem(struct rd *r, long line, const char *msg)
{
    if (r->sink->problem)
        r->sink->problem(r->sink->ctx, line, msg);
}

static void parser_init(struct rd *r)
{
    csv_init(&r->p, CSV_APPEND_NULL | CSV_STRICT_FINI);
    csv_set_delim(&r->p, r->delim);
    if (r->delim == '\t') /* a tab is the delimiter, not a blank to trim */
        csv_set_space_func(&r->p, space_only);
    csv_set_realloc_func(&r->p, capped_realloc);
    csv_set_blk_size(&r->p, 4096);
}

static void clear_record(struct rd *r)
{
    r->text_len = 0;
    r->n_cells = 0;
    r->n_dropped = 0;
}

/* libcsv: one cell has ended. */
static void on_cell(void *s, size_t len, void *data)
{
    struct rd *r = data;
    if (r->n_cells >= INV_MAX_CELLS) {
        r->n_dropped++;
        return;
    }
    bool cut = false;
    if (len > INV_MAX_CELL) {
        len = utf8_prefix(s, len, INV_MAX_CELL);
        cut = true;
    }
    xgrow((void **)&r->text, &r->text_cap, r->text_len + len + 1, 1);
    if (len)
        memcpy(r->text + r->text_len, s, len);
    r->text[r->text_len + len] = '\0';
    xgrow((void **)&r->cells, &r->cap_cells, r->n_cells + 1, sizeof *r->cells);
    r->cells[r->n_cells++] = (struct cellref){ .off = r->text_len, .len = len, .cut = cut };
    r->text_len += len + 1;
}

/* libcsv: one record has ended. */
static void on_record(int c, void *data)
{
    (void)c;
    struct rd *r = data;
    if (r->stop) {
        clear_record(r);
        return;
    }
    char msg[160];
    for (size_t i = 0; i < r->n_cells; i++)
        if (r->cells[i].cut) {
            snprintf(msg, sizeof msg, "cell %zu is longer than %d KiB; only its first %d KiB are read",
                     i + 1, INV_MAX_CELL / 1024, INV_MAX_CELL / 1024);
            problem(r, r->rec_line, msg);
        }
    if (r->n_dropped) {
        snprintf(msg, sizeof msg, "%zu cells beyond the first %d are ignored", r->n_dropped,
                 INV_MAX_CELLS);
        problem(r, r->rec_line, msg);
    }
    xgrow((void **)&r->out, &r->cap_out, r->n_cells + 1, sizeof *r->out);
    for (size_t i = 0; i < r->n_cells; i++)
        r->out[i] = (struct inv_cell){ .s = r->text + r->cells[i].off, .len = r->cells[i].len,
                                       .cut = r->cells[i].cut };
    if (r->sink->record(r->sink->ctx, r->rec_line, r->out, r->n_cells) != 0)
        r->stop = true;
    clear_record(r);
}

/* Throws the current record away and starts a fresh parser. */
static void reset_parser(struct rd *r)
{
    csv_free(&r->p);
    parser_init(r);
    clear_record(r);
    r->raw_len = 0;
    r->rec_bytes = 0;
    r->rec_lines = 0;
}

/* The record that started on rec_line has an unbalanced quote: report it, skip its first line and
 * feed everything after that line again. */
static void recover_unbalanced(struct rd *r, bool at_eof)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "unbalanced quote: a quoted cell opened here is still open %s; this line is skipped "
             "and reading resumes on line %ld",
             at_eof ? "at the end of the input" : "after " STR(INV_MAX_RECORD_LINES) " lines",
             r->rec_line + 1);
    problem(r, r->rec_line, msg);
    size_t keep = r->raw_len;
    size_t rest = r->replay_len - r->replay_pos;
    char *n = xmalloc(keep + rest + 1);
    if (keep)
        memcpy(n, r->raw, keep);
    if (rest)
        memcpy(n + keep, r->replay + r->replay_pos, rest);
    free(r->replay);
    r->replay = n;
    r->replay_len = keep + rest;
    r->replay_pos = 0;
    r->line = r->rec_line + 1;
    r->at_line_start = true;
    reset_parser(r);
}

static void too_long(struct rd *r, bool eol)
{
    char msg[160];
    snprintf(msg, sizeof msg, "record longer than %d MiB; skipped up to the end of line %ld",
             INV_MAX_RECORD / (1024 * 1024), r->line);
    problem(r, r->rec_line, msg);
    reset_parser(r);
    r->skip_to_eol = !eol;
    if (eol) {
        r->line++;
        r->at_line_start = true;
    }
}

/* libcsv's blanks: space and tab (its default), or only space when tab is the delimiter. */
static bool is_blank(const struct rd *r, char c) { return c == ' ' || (c == '\t' && r->delim != '\t'); }

/* A complete line between records, split here without libcsv: the common case, and the hot path of
 * a large file. It handles unquoted cells and cells quoted whole ("a, ""b""" with doubled quotes
 * inside), and gives what libcsv gives for them (tests/unit/test_inventory.c and the fuzz target
 * fuzz_csv compare the two): cells split at the delimiter, blanks trimmed around each (inside the
 * quotes they are kept), a final "\r\n" or "\n" ending the record, a blank line no record. Anything
 * else (a quoted cell that goes on to the next line, text after a closing quote, a quote inside an
 * unquoted cell, a '\r' line break) returns false with nothing delivered, and libcsv reads the line. */
static bool fast_line(struct rd *r, const char *s, size_t n)
{
    size_t len = n - 1; /* without the terminator */
    if (len && s[len - 1] == '\r')
        len--;
    if (memchr(s, '\r', len))
        return false;
    size_t i = 0;
    while (i < len && is_blank(r, s[i]))
        i++;
    if (i == len)
        return true; /* blank: libcsv delivers no record */
    for (size_t start = 0;;) {
        size_t a = start;
        while (a < len && is_blank(r, s[a]))
            a++;
        size_t next; /* where the next cell starts, or len + 1 after the last */
        if (a < len && s[a] == '"') {
            /* Quoted: up to the quote that is not doubled; "" inside stands for one quote. */
            size_t o = 0, j = a + 1;
            xgrow((void **)&r->scratch, &r->scratch_cap, len + 1, 1);
            for (;; j++) {
                if (j >= len)
                    goto slow; /* still open at the end of the line */
                if (s[j] == '"') {
                    if (j + 1 < len && s[j + 1] == '"') {
                        r->scratch[o++] = '"';
                        j++;
                        continue;
                    }
                    break;
                }
                r->scratch[o++] = s[j];
            }
            size_t k = j + 1;
            while (k < len && is_blank(r, s[k]))
                k++;
            if (k < len && s[k] != (char)r->delim)
                goto slow; /* text after the closing quote */
            on_cell(r->scratch, o, r);
            next = k + 1;
        } else {
            const char *d = memchr(s + a, r->delim, len - a);
            size_t end = d ? (size_t)(d - s) : len;
            if (memchr(s + a, '"', end - a))
                goto slow; /* a quote inside an unquoted cell */
            size_t b = end;
            while (b > a && is_blank(r, s[b - 1]))
                b--;
            on_cell((void *)(s + a), b - a, r);
            next = end + 1;
        }
        if (next > len)
            break;
        start = next;
    }
    on_record('\n', r);
    return true;
slow:
    clear_record(r);
    return false;
}

/* Feeds one physical line, or a piece of one (eol: the piece ends with its newline). */
static void feed(struct rd *r, const char *s, size_t n, bool eol)
{
    if (r->skip_to_eol) {
        if (eol) {
            r->skip_to_eol = false;
            r->line++;
            r->at_line_start = true;
        }
        return;
    }
    bool starts = r->at_line_start && r->p.pstate == 0;
    if (starts) {
        r->rec_line = r->line;
        r->raw_len = 0;
        r->rec_bytes = 0;
        r->rec_lines = 0;
        if (eol && r->fast && fast_line(r, s, n)) {
            r->line++;
            return;
        }
    }
    r->at_line_start = false;
    if (r->rec_bytes + n > INV_MAX_RECORD) {
        too_long(r, eol);
        return;
    }
    r->rec_bytes += n;
    /* Only the lines after the record's first are kept: a recovery skips the first line. */
    if (r->rec_lines > 0) {
        xgrow((void **)&r->raw, &r->raw_cap, r->raw_len + n, 1);
        memcpy(r->raw + r->raw_len, s, n);
        r->raw_len += n;
    }
    if (csv_parse(&r->p, s, n, on_cell, on_record, r) != n) {
        too_long(r, eol);
        return;
    }
    if (!eol)
        return;
    r->line++;
    r->at_line_start = true;
    if (r->p.pstate != 0 && ++r->rec_lines >= INV_MAX_RECORD_LINES)
        recover_unbalanced(r, false);
}

/* Picks the delimiter of a "csv" file from its first line: the most frequent of , ; and tab outside
 * quotes (comma on a tie). */
static unsigned char sniff_delim(const char *s, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool q = false;
    for (size_t i = 0; i < n && s[i] != '\n' && s[i] != '\r'; i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q)
            comma += s[i] == ',', semi += s[i] == ';', tab += s[i] == '\t';
    }
    if (tab > comma && tab >= semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

int invcsv_read(FILE *fp, const struct inv_sink *sink, int force_delim, bool fast)
{
    struct rd r = { .sink = sink, .line = 1, .at_line_start = true, .rec_line = 1, .fast = fast };
    char *blk = xmalloc(BLOCK);
    size_t len = fread(blk, 1, BLOCK, fp);
    size_t pos = 0;
    int rc = UNMASK_OK;
    if (len >= 2 && (((unsigned char)blk[0] == 0xFF && (unsigned char)blk[1] == 0xFE) ||
                     ((unsigned char)blk[0] == 0xFE && (unsigned char)blk[1] == 0xFF))) {
        problem(&r, 1, "UTF-16 text (Excel \"Unicode text\") is not read; save the sheet as CSV UTF-8 "
                       "or convert it: iconv -f UTF-16 -t UTF-8 FILE");
        free(blk);
        return UNMASK_EPARSE;
    }
    if (len >= 3 && !memcmp(blk, "\xEF\xBB\xBF", 3))
        pos = 3;
    r.delim = force_delim ? (unsigned char)force_delim : sniff_delim(blk + pos, len - pos);
    /* Lines end with '\n' ("\r\n" too), or with a lone '\r' in files that have no '\n' at all in
     * their first block (Excel for Mac's "Macintosh Comma Separated"). */
    r.eol = '\n';
    if (!memchr(blk, '\n', len) && memchr(blk, '\r', len))
        r.eol = '\r';
    parser_init(&r);
    for (;;) {
        if (r.stop)
            break;
        if (r.replay_pos < r.replay_len) {
            /* Bytes a recovery put back come before the rest of the block. The position moves on
             * before feed(), so that a recovery inside it keeps only what is still unfed. */
            const char *s = r.replay + r.replay_pos;
            size_t rem = r.replay_len - r.replay_pos;
            const char *nl = memchr(s, r.eol, rem);
            size_t k = nl ? (size_t)(nl - s) + 1 : rem;
            r.replay_pos += k;
            feed(&r, s, k, nl != NULL);
            continue;
        }
        if (pos < len) {
            const char *s = blk + pos;
            const char *nl = memchr(s, r.eol, len - pos);
            size_t k = nl ? (size_t)(nl - s) + 1 : len - pos;
            pos += k;
            feed(&r, s, k, nl != NULL);
            continue;
        }
        len = fread(blk, 1, BLOCK, fp);
        pos = 0;
        if (len > 0)
            continue;
        if (ferror(fp)) {
            rc = UNMASK_EIO;
            break;
        }
        /* End of input: an open quoted cell is an unbalanced quote; else flush the last record. */
        if (r.p.pstate != 0 && r.p.quoted) {
            recover_unbalanced(&r, true);
            if (r.replay_len)
                continue;
            break;
        }
        csv_fini(&r.p, on_cell, on_record, &r);
        break;
    }
    csv_free(&r.p);
    free(blk);
    free(r.text);
    free(r.cells);
    free(r.out);
    free(r.raw);
    free(r.scratch);
    free(r.replay);
    return rc;
}

static int read_csv(FILE *fp, const struct inv_sink *sink) { return invcsv_read(fp, sink, 0, true); }
static int read_tsv(FILE *fp, const struct inv_sink *sink) { return invcsv_read(fp, sink, '\t', true); }

const struct inv_reader inv_reader_csv = {
    .name = "csv",
    .extensions = ".csv .txt",
    .help = "comma-, semicolon- or tab-separated values (RFC 4180 quoting; delimiter from line 1)",
    .read = read_csv,
};

const struct inv_reader inv_reader_tsv = {
    .name = "tsv",
    .extensions = ".tsv .tab",
    .help = "tab-separated values",
    .read = read_tsv,
};
