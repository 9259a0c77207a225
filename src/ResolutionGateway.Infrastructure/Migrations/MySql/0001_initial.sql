-- 0001: channels, merchants, stores, API keys, disputes, their event log, the feed counters and
-- idempotency records; the MySQL/MariaDB twin of Migrations/Sqlite/0001_initial.sql.
-- Shipped: never edit, add 0002_*.sql.
--
-- Portable on purpose (MariaDB 10.6+, MySQL 8, and later a distributed MySQL-compatible engine):
-- * No AUTO_INCREMENT: keys are ULIDs made by the application; feed positions come from the
--   feed_partitions counters.
-- * Times are BIGINT Unix milliseconds (UTC), never DATETIME/TIMESTAMP (no time-zone surprises).
-- * utf8mb4_bin everywhere: comparisons and ORDER BY are byte-wise like SQLite's, and ids are
--   exact-match keys. Not ascii_bin: a non-ASCII lookup value would then fail with "illegal mix
--   of collations" instead of simply not matching. (The _bin collations are PAD SPACE; the
--   application's ids and request ids never contain spaces.)
-- * Enums are INT (MySqlConnector reads TINYINT(1) as bool). JSON is LONGTEXT, not JSON: MySQL's
--   JSON type rewrites the text and MariaDB's is LONGTEXT anyway.
-- * Indexes are declared inside CREATE TABLE and every statement is re-runnable (IF NOT EXISTS,
--   ON DUPLICATE KEY UPDATE): DDL commits implicitly in MySQL, so a migration that stopped half
--   way cannot be rolled back, only run again. (CREATE INDEX IF NOT EXISTS is MariaDB-only.)

CREATE TABLE IF NOT EXISTS channels (
    channel_id   VARCHAR(64)  NOT NULL,
    display_name VARCHAR(400) NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    PRIMARY KEY (channel_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS merchants (
    merchant_id  VARCHAR(64)  NOT NULL,
    display_name VARCHAR(400) NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    PRIMARY KEY (merchant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS stores (
    merchant_id  VARCHAR(64)  NOT NULL,
    store_id     VARCHAR(64)  NOT NULL,
    display_name VARCHAR(400) NOT NULL,
    address      VARCHAR(600) NOT NULL,
    region_code  VARCHAR(16)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    PRIMARY KEY (merchant_id, store_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS api_keys (
    key_id      VARCHAR(64)  NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    role        INT          NOT NULL,
    scope       VARCHAR(64)  NOT NULL,
    description VARCHAR(400) NOT NULL,
    created_at  BIGINT       NOT NULL,
    revoked_at  BIGINT       NULL,
    PRIMARY KEY (key_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Current state of each dispute (a cache of its event log) plus the columns lists filter on.
-- active_order_key is "channel:order" while active, NULL once closed: one active dispute per
-- order (a UNIQUE index allows any number of NULLs).
CREATE TABLE IF NOT EXISTS disputes (
    dispute_id       VARCHAR(64)  NOT NULL,
    channel_id       VARCHAR(64)  NOT NULL,
    consumer_ref     VARCHAR(64)  NOT NULL,
    merchant_id      VARCHAR(64)  NOT NULL,
    store_id         VARCHAR(64)  NOT NULL,
    region_code      VARCHAR(16)  NOT NULL,
    category         INT          NOT NULL,
    status           INT          NOT NULL,
    active_order_key VARCHAR(160) NULL,
    feed_partition   INT          NOT NULL,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    last_seq         BIGINT       NOT NULL,
    state_json       LONGTEXT     NOT NULL,
    PRIMARY KEY (dispute_id),
    UNIQUE KEY ux_disputes_active_order (active_order_key),
    KEY ix_disputes_channel_consumer (channel_id, consumer_ref, dispute_id),
    KEY ix_disputes_merchant (merchant_id, dispute_id),
    KEY ix_disputes_region (region_code, dispute_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The append-only log. (feed_partition, feed_position) is the global feed order.
CREATE TABLE IF NOT EXISTS dispute_events (
    dispute_id     VARCHAR(64)  NOT NULL,
    seq            BIGINT       NOT NULL,
    event_type     VARCHAR(64)  NOT NULL,
    occurred_at    BIGINT       NOT NULL,
    actor_role     INT          NOT NULL,
    actor_id       VARCHAR(128) NOT NULL,
    status_after   INT          NOT NULL,
    feed_partition INT          NOT NULL,
    feed_position  BIGINT       NOT NULL,
    channel_id     VARCHAR(64)  NOT NULL,
    merchant_id    VARCHAR(64)  NOT NULL,
    region_code    VARCHAR(16)  NOT NULL,
    payload_json   LONGTEXT     NOT NULL,
    PRIMARY KEY (dispute_id, seq),
    UNIQUE KEY ux_dispute_events_feed (feed_partition, feed_position),
    KEY ix_dispute_events_merchant_feed (merchant_id, feed_partition, feed_position),
    KEY ix_dispute_events_channel_feed (channel_id, feed_partition, feed_position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One gap-free position counter per feed partition (see FeedCursor). Writers advance a row and
-- hold its lock until they commit, so positions commit in order within a partition.
CREATE TABLE IF NOT EXISTS feed_partitions (
    partition_no  INT    NOT NULL,
    last_position BIGINT NOT NULL,
    PRIMARY KEY (partition_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO feed_partitions (partition_no, last_position) VALUES
    (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0),
    (8, 0), (9, 0), (10, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0)
ON DUPLICATE KEY UPDATE partition_no = partition_no;

-- Mutating requests by (party, request id), pointing at the log position of their result.
-- party_key is "role:scope" (scope up to 64 characters).
CREATE TABLE IF NOT EXISTS idempotency_records (
    party_key    VARCHAR(128) NOT NULL,
    request_id   VARCHAR(64)  NOT NULL,
    method       VARCHAR(64)  NOT NULL,
    request_hash VARCHAR(128) NOT NULL,
    dispute_id   VARCHAR(64)  NOT NULL,
    seq          BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (party_key, request_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
