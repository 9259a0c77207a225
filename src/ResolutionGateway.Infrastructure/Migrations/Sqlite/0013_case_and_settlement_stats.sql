-- 0013 (issue 17): case and settlement statistics; the SQLite twin of
-- Migrations/MySql/0013_case_and_settlement_stats.sql (the comments there). Shipped: never edit.
ALTER TABLE report_rollups ADD COLUMN case_pending           INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN case_accepted          INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN case_refused           INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN case_decided_late      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN mediation_concluded    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN mediation_on_time      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN mediation_resolved     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN settle_due             INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN settle_on_time         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN settle_late            INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN settle_recorded        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN settle_received        INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN settle_not_received    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN reopened               INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN closed_with_settlement INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN case_status           INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN case_accept_due_at    INTEGER NULL;
ALTER TABLE disputes ADD COLUMN case_accepted_at      INTEGER NULL;
ALTER TABLE disputes ADD COLUMN mediation_due_at      INTEGER NULL;
ALTER TABLE disputes ADD COLUMN execution_due_at      INTEGER NULL;
ALTER TABLE disputes ADD COLUMN execution_recorded_at INTEGER NULL;
ALTER TABLE disputes ADD COLUMN execution_overdue     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN settlement_receipt    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN reopen_count          INTEGER NOT NULL DEFAULT 0;
