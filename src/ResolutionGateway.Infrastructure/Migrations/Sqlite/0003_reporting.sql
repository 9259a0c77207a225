-- 0003: reporting rollups, exported outcome records and typed outcome columns on disputes; the
-- SQLite twin of Migrations/MySql/0003_reporting.sql, which explains each table.
-- Shipped: never edit, add 0004_*.sql.

CREATE TABLE report_rollups (
    cuboid                  INTEGER NOT NULL,
    basis                   INTEGER NOT NULL,
    grain                   INTEGER NOT NULL,
    period_day              INTEGER NOT NULL,
    region_code             TEXT    NOT NULL,
    channel_id              TEXT    NOT NULL,
    category                INTEGER NOT NULL,
    merchant_id             TEXT    NOT NULL,
    week_day                INTEGER NOT NULL,
    month_day               INTEGER NOT NULL,
    opened                  INTEGER NOT NULL DEFAULT 0,
    still_open              INTEGER NOT NULL DEFAULT 0,
    resolved_negotiation    INTEGER NOT NULL DEFAULT 0,
    resolved_mediation      INTEGER NOT NULL DEFAULT 0,
    unresolved              INTEGER NOT NULL DEFAULT 0,
    withdrawn               INTEGER NOT NULL DEFAULT 0,
    escalated               INTEGER NOT NULL DEFAULT 0,
    auto_escalated          INTEGER NOT NULL DEFAULT 0,
    routed_to_merchant      INTEGER NOT NULL DEFAULT 0,
    fr_on_time              INTEGER NOT NULL DEFAULT 0,
    fr_late                 INTEGER NOT NULL DEFAULT 0,
    answered_same_day       INTEGER NOT NULL DEFAULT 0,
    closed_on_time          INTEGER NOT NULL DEFAULT 0,
    rated                   INTEGER NOT NULL DEFAULT 0,
    rating_sum              INTEGER NOT NULL DEFAULT 0,
    agreed_fen              INTEGER NOT NULL DEFAULT 0,
    agreed_refund_fen       INTEGER NOT NULL DEFAULT 0,
    agreed_comp_fen         INTEGER NOT NULL DEFAULT 0,
    settled_with_amount     INTEGER NOT NULL DEFAULT 0,
    settled_other_currency  INTEGER NOT NULL DEFAULT 0,
    fr_count                INTEGER NOT NULL DEFAULT 0,
    fr_b00                  INTEGER NOT NULL DEFAULT 0,
    fr_b01                  INTEGER NOT NULL DEFAULT 0,
    fr_b02                  INTEGER NOT NULL DEFAULT 0,
    fr_b03                  INTEGER NOT NULL DEFAULT 0,
    fr_b04                  INTEGER NOT NULL DEFAULT 0,
    fr_b05                  INTEGER NOT NULL DEFAULT 0,
    fr_b06                  INTEGER NOT NULL DEFAULT 0,
    fr_b07                  INTEGER NOT NULL DEFAULT 0,
    fr_b08                  INTEGER NOT NULL DEFAULT 0,
    fr_b09                  INTEGER NOT NULL DEFAULT 0,
    fr_b10                  INTEGER NOT NULL DEFAULT 0,
    fr_b11                  INTEGER NOT NULL DEFAULT 0,
    fr_b12                  INTEGER NOT NULL DEFAULT 0,
    fr_b13                  INTEGER NOT NULL DEFAULT 0,
    fr_b14                  INTEGER NOT NULL DEFAULT 0,
    fr_b15                  INTEGER NOT NULL DEFAULT 0,
    fr_b16                  INTEGER NOT NULL DEFAULT 0,
    fr_b17                  INTEGER NOT NULL DEFAULT 0,
    fr_b18                  INTEGER NOT NULL DEFAULT 0,
    fr_b19                  INTEGER NOT NULL DEFAULT 0,
    fr_b20                  INTEGER NOT NULL DEFAULT 0,
    fr_b21                  INTEGER NOT NULL DEFAULT 0,
    ttc_b00                 INTEGER NOT NULL DEFAULT 0,
    ttc_b01                 INTEGER NOT NULL DEFAULT 0,
    ttc_b02                 INTEGER NOT NULL DEFAULT 0,
    ttc_b03                 INTEGER NOT NULL DEFAULT 0,
    ttc_b04                 INTEGER NOT NULL DEFAULT 0,
    ttc_b05                 INTEGER NOT NULL DEFAULT 0,
    ttc_b06                 INTEGER NOT NULL DEFAULT 0,
    ttc_b07                 INTEGER NOT NULL DEFAULT 0,
    ttc_b08                 INTEGER NOT NULL DEFAULT 0,
    ttc_b09                 INTEGER NOT NULL DEFAULT 0,
    ttc_b10                 INTEGER NOT NULL DEFAULT 0,
    ttc_b11                 INTEGER NOT NULL DEFAULT 0,
    ttc_b12                 INTEGER NOT NULL DEFAULT 0,
    ttc_b13                 INTEGER NOT NULL DEFAULT 0,
    ttc_b14                 INTEGER NOT NULL DEFAULT 0,
    ttc_b15                 INTEGER NOT NULL DEFAULT 0,
    ttc_b16                 INTEGER NOT NULL DEFAULT 0,
    ttc_b17                 INTEGER NOT NULL DEFAULT 0,
    ttc_b18                 INTEGER NOT NULL DEFAULT 0,
    ttc_b19                 INTEGER NOT NULL DEFAULT 0,
    ttc_b20                 INTEGER NOT NULL DEFAULT 0,
    ttc_b21                 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cuboid, basis, grain, period_day, region_code, channel_id, category, merchant_id)
) WITHOUT ROWID;
CREATE INDEX ix_report_rollups_merchant ON report_rollups (merchant_id, cuboid, basis, grain, period_day);

CREATE TABLE dispute_outcomes (
    feed_partition INTEGER NOT NULL,
    feed_position  INTEGER NOT NULL,
    dispute_id     TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    closed_day     INTEGER NOT NULL,
    region_code    TEXT    NOT NULL,
    channel_id     TEXT    NOT NULL,
    merchant_id    TEXT    NOT NULL,
    category       INTEGER NOT NULL,
    record_json    TEXT    NOT NULL,
    PRIMARY KEY (feed_partition, feed_position)
) WITHOUT ROWID;

ALTER TABLE disputes ADD COLUMN merchant_enrolled     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN outcome               INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN escalation_reason     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN first_response_due_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN negotiation_due_at    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN first_response_at     INTEGER NULL;
ALTER TABLE disputes ADD COLUMN escalated_at          INTEGER NULL;
ALTER TABLE disputes ADD COLUMN closed_at             INTEGER NULL;
ALTER TABLE disputes ADD COLUMN satisfaction          INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN settlement_remedy     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE disputes ADD COLUMN settlement_currency   TEXT    NOT NULL DEFAULT '';
ALTER TABLE disputes ADD COLUMN settlement_minor      INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_disputes_created ON disputes (created_at);
CREATE INDEX ix_disputes_closed ON disputes (closed_at);
