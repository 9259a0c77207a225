-- 0012 (issue 18): the audit log and the retention job's indexes; the SQLite twin of
-- Migrations/MySql/0012_audit_and_retention.sql (TEXT has no length, so sealed webhook secrets need
-- no change here). Shipped: never edit, add the next number.
CREATE TABLE audit_events (
    audit_id    TEXT    NOT NULL PRIMARY KEY,
    occurred_at INTEGER NOT NULL,
    key_id      TEXT    NOT NULL,
    role        INTEGER NOT NULL,
    rpc         TEXT    NOT NULL,
    dispute_id  TEXT    NOT NULL,
    object_id   TEXT    NOT NULL,
    kind        INTEGER NOT NULL
);
CREATE INDEX ix_audit_events_key ON audit_events (key_id, audit_id);
CREATE INDEX ix_audit_events_dispute ON audit_events (dispute_id, audit_id);
CREATE INDEX ix_idempotency_records_created ON idempotency_records (created_at);
CREATE INDEX ix_webhook_deliveries_retention ON webhook_deliveries (status, created_at);
