/* oui.h: the IEEE MAC address registry (Debian's ieee-data package), read at run time.
 *
 * Reads MA-L (oui.csv), MA-M (mam.csv), MA-S (oui36.csv) and IAB (iab.csv) from a directory
 * (default /usr/share/ieee-data) and answers "who registered the longest prefix of this address".
 * The registry says who *bought* the block: turning an organisation into a maker or a brand is the job
 * of rules on the derived field mac.org (docs/RULES.md), never of this module. */
#ifndef UNMASK_OUI_H
#define UNMASK_OUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUI_DEFAULT_DIR "/usr/share/ieee-data"

struct oui_db;

struct oui_hit {
    const char *org;      /* registrant organisation, as in the registry; owned by the db */
    const char *registry; /* "MA-L", "MA-M", "MA-S" or "IAB" */
    char prefix[16];      /* the matched prefix, e.g. "44:19:B6" or "40:2C:76:1" */
};

/* Loads the registry files found in dir. At least oui.csv must exist: otherwise UNMASK_ENOENT. A
 * malformed row is skipped and counted (oui_db_bad_rows). */
int oui_db_load(const char *dir, struct oui_db **out);
/* Builds a registry from CSV text in memory (tests and fuzzing): registry names the file kind. */
int oui_db_load_buf(struct oui_db *db, const char *registry, const char *buf, size_t len);
struct oui_db *oui_db_new(void);
/* Sorts the entries; call after the last oui_db_load_buf. */
void oui_db_finish(struct oui_db *db);
void oui_db_free(struct oui_db *db);
size_t oui_db_size(const struct oui_db *db);
size_t oui_db_bad_rows(const struct oui_db *db);

/* Parses a MAC address or prefix in any common notation (aa:bb:cc, AA-BB-CC-D, aabb.ccdd.eeff,
 * aabbcc) into its hex digits. Returns the number of hex digits (6..12), or -1 if malformed. */
int oui_parse(const char *s, size_t n, uint64_t *value);
/* True when the address or prefix has the locally administered bit set (no registry owner). */
bool oui_is_local(uint64_t value, int nibbles);
/* Looks up the longest registered prefix of value (nibbles hex digits). Returns true on a hit. */
bool oui_lookup(const struct oui_db *db, uint64_t value, int nibbles, struct oui_hit *hit);

#endif
