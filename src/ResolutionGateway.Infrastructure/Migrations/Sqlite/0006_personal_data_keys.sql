-- Personal data encrypted at rest: see Migrations/MySql/0006_personal_data_keys.sql.
CREATE TABLE consumer_keys (
    key_id             TEXT    NOT NULL PRIMARY KEY,
    owner_channel_id   TEXT    NOT NULL,
    owner_consumer_ref TEXT    NOT NULL,
    algorithm          TEXT    NOT NULL,
    kek_id             TEXT    NOT NULL,
    wrapped_key        BLOB    NULL,
    key_created_at     INTEGER NOT NULL,
    erased_at          INTEGER NULL
);
CREATE INDEX ix_consumer_keys_owner ON consumer_keys (owner_channel_id, owner_consumer_ref);
CREATE INDEX ix_consumer_keys_kek ON consumer_keys (kek_id);
ALTER TABLE disputes ADD COLUMN data_key_id TEXT NULL;
CREATE INDEX ix_disputes_data_key ON disputes (data_key_id);
ALTER TABLE dispute_events ADD COLUMN data_key_id TEXT NULL;
