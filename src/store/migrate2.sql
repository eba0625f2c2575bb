-- migrate2.sql: schema version 1 to 2 (docs/STORE.md). Applied by store.c under the write lock,
-- followed by PRAGMA user_version = 2. Never edited once released.
--
-- A scan knows which ports answered and what spoke there; keep it with each record, compactly:
-- space-separated PORT/PROTO:SERVICE items, e.g. '80/tcp:http 554/tcp:rtsp 37020/udp:sadp'.

ALTER TABLE records ADD COLUMN ports TEXT;
