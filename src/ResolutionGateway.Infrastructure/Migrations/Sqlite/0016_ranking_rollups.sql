-- 0016 (issue 17): the ranking rollup ListMerchantRankings reads (Core/Reporting/RankingRollups.cs).
-- The embedded-store twin of Migrations/MySql/0016_ranking_rollups.sql. Shipped: never edit, add the next number.
--
-- One row per (grain, region level, region, period, merchant): the sums, over the disputes opened
-- in the period, of the measures a ranking line reads (named and defined as the report_rollups
-- columns). region_level is 0 (the whole country, region_code ''), 2 (province), 4 (city) or 6
-- (county): region_code is the dispute's region code cut to that many characters, so a ranking of
-- any prefix reads one row per merchant and period. grain 1 is a day (period_day = the day), 2 a
-- month (its first day); days are Beijing-time days since 1970-01-01, as in report_rollups.
-- Each change adds its deltas in its own transaction after its report_rollups rows, in key order.
-- The embedded store has one writer at a time: it writes shard 0 and its key has no shard.
--
-- Existing rows are rebuilt by code after this script (RankingSql.RebuildAsync, the migration's
-- data step) from the per-merchant report rollups; nodes of the previous version must be stopped.
CREATE TABLE ranking_rollups (
    grain                 INTEGER NOT NULL,
    region_level          INTEGER NOT NULL,
    region_code           TEXT    NOT NULL,
    period_day            INTEGER NOT NULL,
    merchant_id           TEXT    NOT NULL,
    shard                 INTEGER NOT NULL DEFAULT 0,
    opened                INTEGER NOT NULL DEFAULT 0,
    resolved_negotiation  INTEGER NOT NULL DEFAULT 0,
    resolved_mediation    INTEGER NOT NULL DEFAULT 0,
    unresolved            INTEGER NOT NULL DEFAULT 0,
    fr_on_time            INTEGER NOT NULL DEFAULT 0,
    fr_late               INTEGER NOT NULL DEFAULT 0,
    rated                 INTEGER NOT NULL DEFAULT 0,
    rating_sum            INTEGER NOT NULL DEFAULT 0,
    fr_count              INTEGER NOT NULL DEFAULT 0,
    fr_b00                INTEGER NOT NULL DEFAULT 0,
    fr_b01                INTEGER NOT NULL DEFAULT 0,
    fr_b02                INTEGER NOT NULL DEFAULT 0,
    fr_b03                INTEGER NOT NULL DEFAULT 0,
    fr_b04                INTEGER NOT NULL DEFAULT 0,
    fr_b05                INTEGER NOT NULL DEFAULT 0,
    fr_b06                INTEGER NOT NULL DEFAULT 0,
    fr_b07                INTEGER NOT NULL DEFAULT 0,
    fr_b08                INTEGER NOT NULL DEFAULT 0,
    fr_b09                INTEGER NOT NULL DEFAULT 0,
    fr_b10                INTEGER NOT NULL DEFAULT 0,
    fr_b11                INTEGER NOT NULL DEFAULT 0,
    fr_b12                INTEGER NOT NULL DEFAULT 0,
    fr_b13                INTEGER NOT NULL DEFAULT 0,
    fr_b14                INTEGER NOT NULL DEFAULT 0,
    fr_b15                INTEGER NOT NULL DEFAULT 0,
    fr_b16                INTEGER NOT NULL DEFAULT 0,
    fr_b17                INTEGER NOT NULL DEFAULT 0,
    fr_b18                INTEGER NOT NULL DEFAULT 0,
    fr_b19                INTEGER NOT NULL DEFAULT 0,
    fr_b20                INTEGER NOT NULL DEFAULT 0,
    fr_b21                INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, region_level, region_code, period_day, merchant_id)
);
