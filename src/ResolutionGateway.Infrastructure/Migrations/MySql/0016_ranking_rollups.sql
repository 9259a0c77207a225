-- 0016 (issue 17): the ranking rollup ListMerchantRankings reads (Core/Reporting/RankingRollups.cs).
-- The MySQL/MariaDB twin of Migrations/Sqlite/0016_ranking_rollups.sql. Shipped: never edit, add the next number.
--
-- One row per (grain, region level, region, period, merchant): the sums, over the disputes opened
-- in the period, of the measures a ranking line reads (named and defined as the report_rollups
-- columns). region_level is 0 (the whole country, region_code ''), 2 (province), 4 (city) or 6
-- (county): region_code is the dispute's region code cut to that many characters, so a ranking of
-- any prefix reads one row per merchant and period. grain 1 is a day (period_day = the day), 2 a
-- month (its first day); days are Beijing-time days since 1970-01-01, as in report_rollups.
-- Each change adds its deltas in its own transaction after its report_rollups rows, in key order.
-- shard spreads a busy merchant's rows over writers as in report_rollups (0004); readers sum over it.
--
-- Existing rows are rebuilt by code after this script (RankingSql.RebuildAsync, the migration's
-- data step) from the per-merchant report rollups; nodes of the previous version must be stopped.
CREATE TABLE IF NOT EXISTS ranking_rollups (
    grain                 INT     NOT NULL,
    region_level          INT     NOT NULL,
    region_code           VARCHAR(16) NOT NULL,
    period_day            INT     NOT NULL,
    merchant_id           VARCHAR(64) NOT NULL,
    shard                 INT     NOT NULL DEFAULT 0,
    opened                BIGINT  NOT NULL DEFAULT 0,
    resolved_negotiation  BIGINT  NOT NULL DEFAULT 0,
    resolved_mediation    BIGINT  NOT NULL DEFAULT 0,
    unresolved            BIGINT  NOT NULL DEFAULT 0,
    fr_on_time            BIGINT  NOT NULL DEFAULT 0,
    fr_late               BIGINT  NOT NULL DEFAULT 0,
    rated                 BIGINT  NOT NULL DEFAULT 0,
    rating_sum            BIGINT  NOT NULL DEFAULT 0,
    fr_count              BIGINT  NOT NULL DEFAULT 0,
    fr_b00                BIGINT  NOT NULL DEFAULT 0,
    fr_b01                BIGINT  NOT NULL DEFAULT 0,
    fr_b02                BIGINT  NOT NULL DEFAULT 0,
    fr_b03                BIGINT  NOT NULL DEFAULT 0,
    fr_b04                BIGINT  NOT NULL DEFAULT 0,
    fr_b05                BIGINT  NOT NULL DEFAULT 0,
    fr_b06                BIGINT  NOT NULL DEFAULT 0,
    fr_b07                BIGINT  NOT NULL DEFAULT 0,
    fr_b08                BIGINT  NOT NULL DEFAULT 0,
    fr_b09                BIGINT  NOT NULL DEFAULT 0,
    fr_b10                BIGINT  NOT NULL DEFAULT 0,
    fr_b11                BIGINT  NOT NULL DEFAULT 0,
    fr_b12                BIGINT  NOT NULL DEFAULT 0,
    fr_b13                BIGINT  NOT NULL DEFAULT 0,
    fr_b14                BIGINT  NOT NULL DEFAULT 0,
    fr_b15                BIGINT  NOT NULL DEFAULT 0,
    fr_b16                BIGINT  NOT NULL DEFAULT 0,
    fr_b17                BIGINT  NOT NULL DEFAULT 0,
    fr_b18                BIGINT  NOT NULL DEFAULT 0,
    fr_b19                BIGINT  NOT NULL DEFAULT 0,
    fr_b20                BIGINT  NOT NULL DEFAULT 0,
    fr_b21                BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, region_level, region_code, period_day, merchant_id, shard)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
