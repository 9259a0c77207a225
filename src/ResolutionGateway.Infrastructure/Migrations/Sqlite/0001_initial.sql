-- 0001: channels, merchants, stores, API keys, disputes, their event log, the feed counters and
-- idempotency records. Times are Unix milliseconds (UTC). Shipped: never edit, add 0002_*.sql.

CREATE TABLE channels (
    channel_id   TEXT    NOT NULL PRIMARY KEY,
    display_name TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE merchants (
    merchant_id  TEXT    NOT NULL PRIMARY KEY,
    display_name TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE stores (
    merchant_id  TEXT    NOT NULL,
    store_id     TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    region_code  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (merchant_id, store_id)
);

CREATE TABLE api_keys (
    key_id      TEXT    NOT NULL PRIMARY KEY,
    secret_hash TEXT    NOT NULL,
    role        INTEGER NOT NULL,
    scope       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER NULL
);

-- Current state of each dispute (a cache of its event log) plus the columns lists filter on.
CREATE TABLE disputes (
    dispute_id       TEXT    NOT NULL PRIMARY KEY,
    channel_id       TEXT    NOT NULL,
    consumer_ref     TEXT    NOT NULL,
    merchant_id      TEXT    NOT NULL,
    store_id         TEXT    NOT NULL,
    region_code      TEXT    NOT NULL,
    category         INTEGER NOT NULL,
    status           INTEGER NOT NULL,
    -- "<len>:channel:order" while active, NULL once closed: one active dispute per order.
    active_order_key TEXT    NULL UNIQUE,
    feed_partition   INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    last_seq         INTEGER NOT NULL,
    state_json       TEXT    NOT NULL
);
CREATE INDEX ix_disputes_channel_consumer ON disputes (channel_id, consumer_ref, dispute_id);
CREATE INDEX ix_disputes_merchant ON disputes (merchant_id, dispute_id);
CREATE INDEX ix_disputes_region ON disputes (region_code, dispute_id);

-- The append-only log. (feed_partition, feed_position) is the global feed order.
CREATE TABLE dispute_events (
    dispute_id     TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    event_type     TEXT    NOT NULL,
    occurred_at    INTEGER NOT NULL,
    actor_role     INTEGER NOT NULL,
    actor_id       TEXT    NOT NULL,
    status_after   INTEGER NOT NULL,
    feed_partition INTEGER NOT NULL,
    feed_position  INTEGER NOT NULL,
    channel_id     TEXT    NOT NULL,
    merchant_id    TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    payload_json   TEXT    NOT NULL,
    PRIMARY KEY (dispute_id, seq)
);
CREATE UNIQUE INDEX ux_dispute_events_feed ON dispute_events (feed_partition, feed_position);
CREATE INDEX ix_dispute_events_merchant_feed ON dispute_events (merchant_id, feed_partition, feed_position);
CREATE INDEX ix_dispute_events_channel_feed ON dispute_events (channel_id, feed_partition, feed_position);

-- One gap-free position counter per feed partition (see FeedCursor).
CREATE TABLE feed_partitions (
    partition_no  INTEGER NOT NULL PRIMARY KEY,
    last_position INTEGER NOT NULL
);
INSERT INTO feed_partitions (partition_no, last_position) VALUES
    (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0),
    (8, 0), (9, 0), (10, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0);

-- Mutating requests by (party, request id), pointing at the log position of their result.
CREATE TABLE idempotency_records (
    party_key    TEXT    NOT NULL,
    request_id   TEXT    NOT NULL,
    method       TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    dispute_id   TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (party_key, request_id)
);
