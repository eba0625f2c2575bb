/* kb_pieces.h: a knowledge base from rules text given in pieces, for unit tests and fuzz targets.
 * Test knowledge is split into several string literals because C only requires compilers to take
 * literals of up to 4095 bytes; the pieces are joined and loaded as one file. */
#ifndef UNMASK_TEST_KB_PIECES_H
#define UNMASK_TEST_KB_PIECES_H

#include <stdlib.h>
#include <string.h>

#include "../src/core/err.h"
#include "../src/kb/kb.h"

/* Joins piece[0..n), loads it as the file `name`, finishes the knowledge base and checks every
 * rule's examples. Returns it, or NULL if anything failed (load, finish, examples, any error). */
static inline struct kb *kb_from_pieces(const char *const *piece, size_t n, const char *name)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(piece[i]);
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    text[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(text, piece[i]);
    struct kb *kb = kb_new(NULL, NULL);
    int rc = kb_load_buf(kb, name, text, len);
    free(text);
    if (rc != UNMASK_OK || kb_finish(kb) != UNMASK_OK || kb_check_examples(kb) != 0 ||
        kb->n_errors != 0) {
        kb_free(kb);
        return NULL;
    }
    return kb;
}

#endif
