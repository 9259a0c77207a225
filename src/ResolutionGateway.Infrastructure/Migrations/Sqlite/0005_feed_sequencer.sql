-- Feed positions given after the commit by the feed sequencer: see Migrations/MySql/0005. SQLite
-- cannot make a column nullable in place, so both tables are copied into their new shape.
CREATE TABLE dispute_events_new (
    dispute_id     TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    event_type     TEXT    NOT NULL,
    occurred_at    INTEGER NOT NULL,
    actor_role     INTEGER NOT NULL,
    actor_id       TEXT    NOT NULL,
    status_after   INTEGER NOT NULL,
    feed_partition INTEGER NOT NULL,
    feed_position  INTEGER NULL,
    channel_id     TEXT    NOT NULL,
    merchant_id    TEXT    NOT NULL,
    region_code    TEXT    NOT NULL,
    payload_json   TEXT    NOT NULL,
    PRIMARY KEY (dispute_id, seq)
);
INSERT INTO dispute_events_new (dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after,
                                feed_partition, feed_position, channel_id, merchant_id, region_code, payload_json)
SELECT dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after,
       feed_partition, feed_position, channel_id, merchant_id, region_code, payload_json
FROM dispute_events;
DROP TABLE dispute_events;
ALTER TABLE dispute_events_new RENAME TO dispute_events;
-- Not UNIQUE any more (see Migrations/MySql/0005): only a sequencer pass gives positions.
CREATE INDEX ix_dispute_events_feed ON dispute_events (feed_partition, feed_position);
CREATE INDEX ix_dispute_events_merchant_feed ON dispute_events (merchant_id, feed_partition, feed_position);
CREATE INDEX ix_dispute_events_channel_feed ON dispute_events (channel_id, feed_partition, feed_position);

CREATE TABLE dispute_outcomes_new (
    feed_partition INTEGER NOT NULL,
    feed_position  INTEGER NULL,
    dispute_id     TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    closed_day     INTEGER NOT NULL,
    region_code    TEXT    NOT NULL,
    channel_id     TEXT    NOT NULL,
    merchant_id    TEXT    NOT NULL,
    category       INTEGER NOT NULL,
    record_json    TEXT    NOT NULL,
    PRIMARY KEY (dispute_id, revision)
) WITHOUT ROWID;
INSERT INTO dispute_outcomes_new (feed_partition, feed_position, dispute_id, revision, closed_day, region_code, channel_id,
                                  merchant_id, category, record_json)
SELECT feed_partition, feed_position, dispute_id, revision, closed_day, region_code, channel_id,
       merchant_id, category, record_json
FROM dispute_outcomes;
DROP TABLE dispute_outcomes;
ALTER TABLE dispute_outcomes_new RENAME TO dispute_outcomes;
CREATE INDEX ix_dispute_outcomes_feed ON dispute_outcomes (feed_partition, feed_position);
