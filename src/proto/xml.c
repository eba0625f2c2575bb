/* xml.c: see xml.h. libxml2 builds a tree (xmlReadMemory); we walk it iteratively. */
#include "xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "../core/err.h"

static int leaf_text(xmlNode *n, const char **text, size_t *len, xmlChar **owned)
{
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return 0;
    xmlChar *t = xmlNodeGetContent(n);
    *owned = t;
    const char *s = t ? (const char *)t : "";
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r' || s[l - 1] == '\n'))
        l--;
    while (l && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
        s++;
        l--;
    }
    *text = s;
    *len = l;
    return 1;
}

int xml_each(const uint8_t *buf, size_t len, void (*fn)(void *ctx, const struct xml_elem *e), void *ctx)
{
    if (len > XML_MAX_INPUT)
        len = XML_MAX_INPUT;
    if (len > INT32_MAX)
        return UNMASK_EPARSE;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_RECOVER |
               XML_PARSE_NOCDATA;
    xmlDoc *doc = xmlReadMemory((const char *)buf, (int)len, NULL, NULL, opts);
    if (!doc)
        return UNMASK_EPARSE;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        xmlFreeDoc(doc);
        return UNMASK_EPARSE;
    }
    int visited = 0, depth = 0;
    xmlNode *n = root;
    while (n && visited < XML_MAX_ELEMENTS) {
        if (n->type == XML_ELEMENT_NODE) {
            struct xml_elem e = { .name = (const char *)n->name,
                                  .ns = n->ns && n->ns->href ? (const char *)n->ns->href : NULL,
                                  .depth = depth };
            xmlChar *owned = NULL;
            leaf_text(n, &e.text, &e.text_len, &owned);
            fn(ctx, &e);
            xmlFree(owned);
            visited++;
            if (n->children) {
                n = n->children;
                depth++;
                continue;
            }
        }
        while (n && !n->next && n != root) {
            n = n->parent;
            depth--;
        }
        if (!n || n == root)
            break;
        n = n->next;
    }
    xmlFreeDoc(doc);
    return visited;
}

char *xml_field_dst(const struct xml_field *table, size_t n, const struct xml_elem *e, void *base)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(e->name, table[i].element))
            return (char *)base + table[i].offset;
    return NULL;
}
