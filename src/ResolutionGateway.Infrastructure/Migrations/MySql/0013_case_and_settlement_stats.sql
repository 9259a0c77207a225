-- 0013 (issue 17): case and settlement statistics. The MySQL/MariaDB twin of
-- Migrations/Sqlite/0013_case_and_settlement_stats.sql. Shipped: never edit, add 0014_*.sql.
--
-- report_rollups gains one column per new measure (Core/Reporting/Measures.cs, the definitions
-- are on resolution.v1.StatsRow fields 36-56): the regulator's case (pending, accepted, refused,
-- decided late, mediation concluded, on time, resolved), the settlement's execution (due, on time,
-- late, recorded, received, not received) and reopening (reopened, closed with a settlement).
-- disputes gains the typed columns the raw GROUP BY (the rollups' reference) restates them from:
-- Unix ms, NULL when unset; case_status, settlement_receipt as resolution.v1's enum numbers;
-- execution_overdue 0/1. Disputes stored before this migration are filled in by code after the
-- script (CaseStatsBackfill: their typed columns, and their contribution to the new rollup columns).
-- One ALTER per table (atomic in InnoDB).
ALTER TABLE report_rollups
    ADD COLUMN case_pending           BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN case_accepted          BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN case_refused           BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN case_decided_late      BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN mediation_concluded    BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN mediation_on_time      BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN mediation_resolved     BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN settle_due             BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN settle_on_time         BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN settle_late            BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN settle_recorded        BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN settle_received        BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN settle_not_received    BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN reopened               BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN closed_with_settlement BIGINT NOT NULL DEFAULT 0;

ALTER TABLE disputes
    ADD COLUMN case_status           INT    NOT NULL DEFAULT 0,
    ADD COLUMN case_accept_due_at    BIGINT NULL,
    ADD COLUMN case_accepted_at      BIGINT NULL,
    ADD COLUMN mediation_due_at      BIGINT NULL,
    ADD COLUMN execution_due_at      BIGINT NULL,
    ADD COLUMN execution_recorded_at BIGINT NULL,
    ADD COLUMN execution_overdue     INT    NOT NULL DEFAULT 0,
    ADD COLUMN settlement_receipt    INT    NOT NULL DEFAULT 0,
    ADD COLUMN reopen_count          INT    NOT NULL DEFAULT 0;
