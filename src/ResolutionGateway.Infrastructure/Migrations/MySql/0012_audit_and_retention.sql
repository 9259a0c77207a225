-- 0012 (issue 18): the audit log, indexes for the retention job, and room for sealed webhook
-- secrets. The twin of Migrations/Sqlite/0012_audit_and_retention.sql. Shipped: never edit, add
-- the next number.
--
-- audit_events: one row per AdminService call of an admin key and per read of disputes by a key
-- that sees mobile numbers unmasked (channel, regulator). Ids only, never a name or a number.
-- audit_id is "aud_" + ULID (time-ordered), the page order of ListAuditEvents (newest first).
-- kind: 1 admin action, 2 personal data read. dispute_id and object_id are '' when none.
CREATE TABLE IF NOT EXISTS audit_events (
    audit_id    VARCHAR(40)  NOT NULL,
    occurred_at BIGINT       NOT NULL,
    key_id      VARCHAR(64)  NOT NULL,
    role        INT          NOT NULL,
    rpc         VARCHAR(128) NOT NULL,
    dispute_id  VARCHAR(64)  NOT NULL,
    object_id   VARCHAR(200) NOT NULL,
    kind        INT          NOT NULL,
    PRIMARY KEY (audit_id),
    KEY ix_audit_events_key (key_id, audit_id),
    KEY ix_audit_events_dispute (dispute_id, audit_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Webhook secrets are stored sealed under the KEK ("ws1." + KEK id + "." + base64), longer than
-- the plain "whsec_" form. MODIFY is re-runnable; the two ADD KEYs (the retention job's scans:
-- oldest idempotency records, oldest delivered or dead-lettered deliveries) are last.
ALTER TABLE webhook_endpoints
    MODIFY secret VARCHAR(400) NOT NULL,
    MODIFY previous_secret VARCHAR(400) NULL;
ALTER TABLE idempotency_records
    ADD KEY ix_idempotency_records_created (created_at);
ALTER TABLE webhook_deliveries
    ADD KEY ix_webhook_deliveries_retention (status, created_at);
