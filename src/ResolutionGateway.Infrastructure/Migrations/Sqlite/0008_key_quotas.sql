-- 0008 (issue 13): per-key quota overrides; the SQLite twin of Migrations/MySql/0008_key_quotas.sql.
-- Shipped: never edit, add the next number.
CREATE TABLE key_quotas (
    key_id              TEXT    NOT NULL PRIMARY KEY,
    requests_per_second REAL    NOT NULL,
    burst               INTEGER NOT NULL,
    streams             INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
