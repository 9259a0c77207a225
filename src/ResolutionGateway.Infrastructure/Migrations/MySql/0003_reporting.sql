-- 0003: reporting. Rollups of every dispute's figures, kept by each change's own transaction; the
-- closed-dispute records ExportOutcomes streams; and typed outcome columns on disputes, so the raw
-- GROUP BY (the benchmark's baseline and the tests' reference) reads columns, not JSON.
-- The MySQL/MariaDB twin of Migrations/Sqlite/0003_reporting.sql. Shipped: never edit, add 0004_*.sql.
--
-- Existing disputes are filled in by code after this script (ReportingBackfill, in the same
-- migration step); nodes of the previous version must be stopped while it runs.

-- One row per (cuboid, basis, grain, period, region, channel, category, merchant): the sum of the
-- measure vectors (Core/Reporting/Measures.cs, one column each, same order) of the disputes it
-- counts. cuboid 1 keeps merchant_id = '' (region × channel × category views), cuboid 2 the merchant
-- (scorecards), cuboid 3 only the region (channel_id = '', category = 0, merchant_id = ''; overviews).
-- basis 1 counts a dispute under its opening day, 2 under its closing day; grain 1 is a day
-- (period_day = the day), 2 a month (period_day = its first day). Days are Beijing-time days since
-- 1970-01-01. week_day (Monday of the week, day rows only) and month_day are derived, for GROUP BY.
-- Writers lock rows in primary-key order (sorted by the application), after the feed counter.
CREATE TABLE IF NOT EXISTS report_rollups (
    cuboid                  INT         NOT NULL,
    basis                   INT         NOT NULL,
    grain                   INT         NOT NULL,
    period_day              INT         NOT NULL,
    region_code             VARCHAR(16) NOT NULL,
    channel_id              VARCHAR(64) NOT NULL,
    category                INT         NOT NULL,
    merchant_id             VARCHAR(64) NOT NULL,
    week_day                INT         NOT NULL,
    month_day               INT         NOT NULL,
    opened                  BIGINT      NOT NULL DEFAULT 0,
    still_open              BIGINT      NOT NULL DEFAULT 0,
    resolved_negotiation    BIGINT      NOT NULL DEFAULT 0,
    resolved_mediation      BIGINT      NOT NULL DEFAULT 0,
    unresolved              BIGINT      NOT NULL DEFAULT 0,
    withdrawn               BIGINT      NOT NULL DEFAULT 0,
    escalated               BIGINT      NOT NULL DEFAULT 0,
    auto_escalated          BIGINT      NOT NULL DEFAULT 0,
    routed_to_merchant      BIGINT      NOT NULL DEFAULT 0,
    fr_on_time              BIGINT      NOT NULL DEFAULT 0,
    fr_late                 BIGINT      NOT NULL DEFAULT 0,
    answered_same_day       BIGINT      NOT NULL DEFAULT 0,
    closed_on_time          BIGINT      NOT NULL DEFAULT 0,
    rated                   BIGINT      NOT NULL DEFAULT 0,
    rating_sum              BIGINT      NOT NULL DEFAULT 0,
    agreed_fen              BIGINT      NOT NULL DEFAULT 0,
    agreed_refund_fen       BIGINT      NOT NULL DEFAULT 0,
    agreed_comp_fen         BIGINT      NOT NULL DEFAULT 0,
    settled_with_amount     BIGINT      NOT NULL DEFAULT 0,
    settled_other_currency  BIGINT      NOT NULL DEFAULT 0,
    fr_count                BIGINT      NOT NULL DEFAULT 0,
    fr_b00                  BIGINT      NOT NULL DEFAULT 0,
    fr_b01                  BIGINT      NOT NULL DEFAULT 0,
    fr_b02                  BIGINT      NOT NULL DEFAULT 0,
    fr_b03                  BIGINT      NOT NULL DEFAULT 0,
    fr_b04                  BIGINT      NOT NULL DEFAULT 0,
    fr_b05                  BIGINT      NOT NULL DEFAULT 0,
    fr_b06                  BIGINT      NOT NULL DEFAULT 0,
    fr_b07                  BIGINT      NOT NULL DEFAULT 0,
    fr_b08                  BIGINT      NOT NULL DEFAULT 0,
    fr_b09                  BIGINT      NOT NULL DEFAULT 0,
    fr_b10                  BIGINT      NOT NULL DEFAULT 0,
    fr_b11                  BIGINT      NOT NULL DEFAULT 0,
    fr_b12                  BIGINT      NOT NULL DEFAULT 0,
    fr_b13                  BIGINT      NOT NULL DEFAULT 0,
    fr_b14                  BIGINT      NOT NULL DEFAULT 0,
    fr_b15                  BIGINT      NOT NULL DEFAULT 0,
    fr_b16                  BIGINT      NOT NULL DEFAULT 0,
    fr_b17                  BIGINT      NOT NULL DEFAULT 0,
    fr_b18                  BIGINT      NOT NULL DEFAULT 0,
    fr_b19                  BIGINT      NOT NULL DEFAULT 0,
    fr_b20                  BIGINT      NOT NULL DEFAULT 0,
    fr_b21                  BIGINT      NOT NULL DEFAULT 0,
    ttc_b00                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b01                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b02                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b03                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b04                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b05                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b06                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b07                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b08                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b09                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b10                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b11                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b12                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b13                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b14                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b15                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b16                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b17                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b18                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b19                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b20                 BIGINT      NOT NULL DEFAULT 0,
    ttc_b21                 BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (cuboid, basis, grain, period_day, region_code, channel_id, category, merchant_id),
    KEY ix_report_rollups_merchant (merchant_id, cuboid, basis, grain, period_day)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per closing of a dispute and per later rating change, at the feed position of the event
-- that caused it (so rows commit in position order per partition, as the feed does). record_json
-- is the OutcomeRecord (no personal data). closed_day is the Beijing-time closing day.
CREATE TABLE IF NOT EXISTS dispute_outcomes (
    feed_partition INT         NOT NULL,
    feed_position  BIGINT      NOT NULL,
    dispute_id     VARCHAR(64) NOT NULL,
    revision       BIGINT      NOT NULL,
    closed_day     INT         NOT NULL,
    region_code    VARCHAR(16) NOT NULL,
    channel_id     VARCHAR(64) NOT NULL,
    merchant_id    VARCHAR(64) NOT NULL,
    category       INT         NOT NULL,
    record_json    LONGTEXT    NOT NULL,
    PRIMARY KEY (feed_partition, feed_position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One ALTER (atomic in InnoDB), last in the file: if anything above failed, running the migration
-- again repeats only re-runnable statements. Times are Unix ms; settlement_currency is '' when the
-- settlement carries no amount.
ALTER TABLE disputes
    ADD COLUMN merchant_enrolled     INT        NOT NULL DEFAULT 0,
    ADD COLUMN outcome               INT        NOT NULL DEFAULT 0,
    ADD COLUMN escalation_reason     INT        NOT NULL DEFAULT 0,
    ADD COLUMN first_response_due_at BIGINT     NOT NULL DEFAULT 0,
    ADD COLUMN negotiation_due_at    BIGINT     NOT NULL DEFAULT 0,
    ADD COLUMN first_response_at     BIGINT     NULL,
    ADD COLUMN escalated_at          BIGINT     NULL,
    ADD COLUMN closed_at             BIGINT     NULL,
    ADD COLUMN satisfaction          INT        NOT NULL DEFAULT 0,
    ADD COLUMN settlement_remedy     INT        NOT NULL DEFAULT 0,
    ADD COLUMN settlement_currency   VARCHAR(3) NOT NULL DEFAULT '',
    ADD COLUMN settlement_minor      BIGINT     NOT NULL DEFAULT 0,
    ADD KEY ix_disputes_created (created_at),
    ADD KEY ix_disputes_closed (closed_at);
