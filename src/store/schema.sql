-- schema.sql: version 1 of the unmask store (docs/STORE.md). Embedded into the program at build time
-- (xxd -i) and applied by store.c when PRAGMA user_version is 0. A later version adds a file
-- migrate-N.sql that upgrades N-1 to N; this file is never edited once released.
--
-- What the tables hold:
--   runs          one row per run of a source (scan, identify, inventory, import): when, what input,
--                 judged as of which date; finished is NULL while it runs or if the process died.
--   devices       one row per physical device, stable across runs: matched by MAC, then serial,
--                 then address, then the name the source gave it (store.c, device_find).
--   obs_sets      a set of observations, shared by every record that saw exactly the same facts
--                 (most devices say the same thing month after month).
--   observations  the facts themselves (docs/OBSERVATIONS.md), as the source gave them; derived ones
--                 (mac.org) are not kept: the engine derives them again.
--   records       one device in one run: where it came from and what the engine decided: verdict,
--                 maker, brand, model, firmware, the explanation and the evidence (rule ids pointing
--                 at the stored observations; the rules' text lives in the knowledge files).

CREATE TABLE runs (
    id       INTEGER PRIMARY KEY,
    source   TEXT NOT NULL CHECK (source IN ('scan', 'identify', 'inventory', 'import')),
    started  TEXT NOT NULL,          -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
    finished TEXT,                   -- NULL: running, or the process died (history: incomplete)
    status   TEXT,                   -- complete, partial (some input was rejected), failed
    input    TEXT,                   -- the file read or the targets scanned
    as_of    TEXT,                   -- the judgement date, 'YYYY-MM-DD'
    rules    TEXT,                   -- the knowledge path the run was judged with
    host     TEXT,                   -- the machine that ran it
    version  TEXT                    -- the unmask version that ran it
);

CREATE TABLE devices (
    id        INTEGER PRIMARY KEY,
    mac       TEXT UNIQUE,           -- 'aa:bb:cc:dd:ee:ff', or NULL
    serial    TEXT,
    address   TEXT,                  -- the last address seen
    name      TEXT,                  -- the last name a source gave it
    first_run INTEGER NOT NULL REFERENCES runs (id),
    last_run  INTEGER NOT NULL REFERENCES runs (id)
);
CREATE INDEX devices_serial ON devices (serial) WHERE serial IS NOT NULL;
CREATE INDEX devices_address ON devices (address) WHERE address IS NOT NULL;
CREATE INDEX devices_name ON devices (name) WHERE name IS NOT NULL;

CREATE TABLE obs_sets (
    id     INTEGER PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,     -- SHA-256 of the set's canonical encoding (store.c, obs_digest)
    n      INTEGER NOT NULL
);

CREATE TABLE observations (
    set_id    INTEGER NOT NULL REFERENCES obs_sets (id),
    seq       INTEGER NOT NULL,      -- order within the set, as the source gave it
    name      TEXT NOT NULL,         -- 'proto.field'
    value     TEXT NOT NULL,         -- UTF-8; may contain NUL
    port      INTEGER,
    path      TEXT,
    truncated INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (set_id, seq)
) WITHOUT ROWID;

CREATE TABLE records (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs (id),
    device_id    INTEGER NOT NULL REFERENCES devices (id),
    name         TEXT,               -- the id the source gave the device
    address      TEXT,               -- scan: the address it answered on
    mac          TEXT,
    file         TEXT,               -- inventory, import: the file it came from
    row          INTEGER,            -- inventory: the line in that file
    obs_set      INTEGER NOT NULL REFERENCES obs_sets (id),
    n_dropped    INTEGER NOT NULL DEFAULT 0,
    verdict      TEXT NOT NULL,      -- covered, white-label, suspect, clear, unknown
    maker        TEXT,               -- slug
    brand        TEXT,               -- name
    model        TEXT,
    firmware     TEXT,
    serial       TEXT,
    confidence   REAL NOT NULL,
    explanation  TEXT NOT NULL,      -- the verdict's sentence, as decided then
    evidence     TEXT NOT NULL,      -- what decided it, compactly (docs/STORE.md):
                                     --   RULE@N:STRENGTH     rule fired on stored observation N
                                     --   RULE@N.d:STRENGTH   on the value derived from N (mac.org)
                                     --   ~BRAND>MAKER:STRENGTH  a brand's OEM relationship
                                     --   a trailing ! marks conflicting evidence; space-separated
    -- FAR 52.204-25(d)(2)(i) fields a purchase record gave (inventory); NULL when absent
    far_contract TEXT,
    far_order    TEXT,
    far_supplier TEXT,
    far_uei      TEXT,
    far_cage     TEXT,
    far_brand    TEXT,
    far_model    TEXT,
    far_description TEXT
);
CREATE INDEX records_run ON records (run_id, id);
CREATE INDEX records_device ON records (device_id, run_id);
