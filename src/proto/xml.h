/* xml.h: walking small XML replies (SOAP, SADP, UPnP, ISAPI) with libxml2, safely.
 *
 * Device XML is hostile input: libxml2 parses without network access, without loading DTDs and
 * without substituting entities (an entity bomb stays unexpanded), in recovery mode so that the
 * sloppy XML of real firmware still yields its elements. Input is capped at XML_MAX_INPUT. */
#ifndef UNMASK_XML_H
#define UNMASK_XML_H

#include <stddef.h>
#include <stdint.h>

#define XML_MAX_INPUT (256 * 1024)
#define XML_MAX_ELEMENTS 2048 /* elements visited per document */

struct xml_elem {
    const char *name; /* local name */
    const char *ns;   /* namespace URI, or NULL */
    const char *text; /* trimmed text of a leaf element; NULL for an element with child elements */
    size_t text_len;
    int depth;        /* 0 for the root */
};

/* Calls fn for every element in document order (at most XML_MAX_ELEMENTS). Returns the number of
 * elements visited, or UNMASK_EPARSE when there is no root element. */
int xml_each(const uint8_t *buf, size_t len, void (*fn)(void *ctx, const struct xml_elem *e), void *ctx);

/* A leaf element whose text goes into a fixed-size char array of a parser's result struct. */
struct xml_field {
    const char *element; /* local name */
    size_t offset;       /* offsetof the destination array */
};

/* The destination in base of the field table[0..n) that names element e, or NULL. */
char *xml_field_dst(const struct xml_field *table, size_t n, const struct xml_elem *e, void *base);

#endif
