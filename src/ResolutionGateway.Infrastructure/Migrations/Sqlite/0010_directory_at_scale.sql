-- 0010 (issue 17, the directory at scale); the SQLite twin of Migrations/MySql/0010_directory_at_scale.sql.
-- Shipped: never edit, add the next number.
CREATE TABLE store_imports (
    key_id      TEXT    NOT NULL,
    request_id  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    result      TEXT    NOT NULL,
    PRIMARY KEY (key_id, request_id)
);

ALTER TABLE merchants ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stores ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
CREATE INDEX ix_stores_region ON stores (region_code, merchant_id, store_id);
