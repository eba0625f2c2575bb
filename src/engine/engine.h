/* engine.h: the verdict engine: observations of one device in, one verdict out.
 *
 * Pure: no I/O. It reads a finished knowledge base (kb.h) and, optionally, the IEEE registry (oui.h);
 * both are shared read-only, so one engine per thread. The judgement (docs/VERDICT.md):
 *   1. derive mac.org from mac.oui / mac.address through the registry;
 *   2. run every rule indexed under each observation's field (and its path and `also` conditions);
 *   3. weigh the evidence per maker (noisy-or of rule strengths); brand evidence counts for the
 *      brand's owner at the judgement date; a reported OEM relationship alone gives at most `suspect`;
 *   4. pick the maker, lower the confidence for conflicting makers, and decide covered, white-label,
 *      suspect, clear or unknown; write one explanatory sentence. */
#ifndef UNMASK_ENGINE_H
#define UNMASK_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "../kb/kb.h"
#include "../kb/oui.h"
#include "../obs/obs.h"

enum verdict_kind { V_UNKNOWN = 0, V_CLEAR, V_SUSPECT, V_WHITE_LABEL, V_COVERED, V_N_KIND };

/* The pseudo-rule of an OEM relationship (no fingerprint rule fired for it). */
#define EV_RULE_RELATIONSHIP (-1)

struct evidence {
    int obs;          /* index into the device's observations (-1 for a relationship) */
    int rule;         /* index into kb->rules, or EV_RULE_RELATIONSHIP */
    int maker;        /* maker this evidence counts for (-1 if none) */
    int brand;        /* brand it declares (-1 if none) */
    int rel;          /* for relationships: index into the brand's oems (-1 otherwise) */
    enum kb_strength strength;
    bool conflicting; /* counts for a maker other than the verdict's */
};

struct verdict {
    enum verdict_kind kind;
    int maker;         /* index into kb->makers, or -1 */
    int brand;         /* the declared brand (index into kb->brands), or -1 */
    double confidence; /* 0..1 */
    bool covered;      /* the maker is on a covered list */
    const char *model, *firmware, *serial; /* views into the device arena, or NULL */
    struct evidence *ev; /* owned by the engine; valid until the next engine_judge */
    size_t n_ev;
    int conflict_maker;  /* strongest competing maker, or -1 */
    bool records_only;   /* every observation came from records (inventory.*, with mac.*): no device
                            was observed; the explanation says so */
    char explanation[1024];
};

struct engine;

/* Creates an engine over kb (must be finished) and ouidb (may be NULL: no mac.org derivation).
 * as_of is the judgement date (yyyymmdd) for ownership periods. Both are borrowed. */
struct engine *engine_new(const struct kb *kb, const struct oui_db *ouidb, int as_of);
void engine_free(struct engine *e);
/* Judges d. Derived observations (mac.org) are appended to d. out's pointers stay valid until the
 * next call or until d is reset. */
void engine_judge(struct engine *e, struct device *d, struct verdict *out);

const char *verdict_kind_name(enum verdict_kind k);
/* Parses a kind name; -1 if unknown. */
int verdict_kind_parse(const char *s);

#endif
