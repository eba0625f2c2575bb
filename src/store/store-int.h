/* store-int.h: what store.c (opening, migrating, writing) and storeq.c (queries) share. Nothing
 * outside src/store/ includes this file. */
#ifndef UNMASK_STORE_INT_H
#define UNMASK_STORE_INT_H

#include <sqlite3.h>

#include "../core/sbuf.h"
#include "store.h"

/* Prepared statements are cached by the address of their SQL text (a static string), so each
 * statement is compiled once per handle. */
#define STORE_MAX_STMT 48

struct store {
    sqlite3 *db;
    char errmsg[256];
    bool busy;    /* the last failure (store_fail) was SQLITE_BUSY or SQLITE_LOCKED */
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } stmts[STORE_MAX_STMT];
    size_t n_stmts;
    /* the open run */
    long long run;
    const struct kb *kb;
    struct sbuf evidence; /* one record's evidence text */
    struct sbuf ports;    /* one record's open ports */
    void *md;     /* EVP_MD_CTX for observation digests */
    /* the open batch (store_set_batch): records not yet committed */
    int batch_max, batch_ms;
    int batch_n;           /* records in the open transaction; 0: none open */
    long long batch_start; /* CLOCK_MONOTONIC milliseconds of its first record */
};

/* Returns the cached statement for sql (prepared on first use), reset and with its bindings
 * cleared; NULL on failure (the message is in st->errmsg). */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);
/* Copies the connection's last error message, prefixed with `what`; returns UNMASK_EDB. */
int store_fail(struct store *st, const char *what);
/* Binds s (NULL binds SQL NULL). */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);

#endif
