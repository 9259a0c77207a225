-- 0006: personal data encrypted at rest (issue 18). A consumer's name and mobile number are stored
-- only as AES-256-GCM (or SM4-GCM) ciphertext under a data key of that consumer (channel_id +
-- consumer_ref), each field bound to its dispute as associated data; the data keys are stored only
-- wrapped by the key-encryption key (KEK) of the configuration. Erasing a consumer destroys their
-- keys (wrapped_key NULL, erased_at set): the rows, their copies in backups and replicas, keep
-- ciphertext nobody can open. The twin of Migrations/Sqlite/0006_personal_data_keys.sql.
--
-- consumer_keys: one or more rows per consumer (two racing first opens may each make one; both
-- stay valid). kek_id names the KEK that wrapped the key ('' once erased); rotation rewraps rows
-- whose kek_id is not the current one. Column names do not repeat those of disputes or
-- dispute_events, so the joins of the read queries need no table prefixes in their filters.
CREATE TABLE IF NOT EXISTS consumer_keys (
    key_id             VARCHAR(40)   NOT NULL,
    owner_channel_id   VARCHAR(64)   NOT NULL,
    owner_consumer_ref VARCHAR(64)   NOT NULL,
    algorithm          VARCHAR(16)   NOT NULL,
    kek_id             VARCHAR(64)   NOT NULL,
    wrapped_key        VARBINARY(128) NULL,
    key_created_at     BIGINT        NOT NULL,
    erased_at          BIGINT        NULL,
    PRIMARY KEY (key_id),
    KEY ix_consumer_keys_owner (owner_channel_id, owner_consumer_ref),
    KEY ix_consumer_keys_kek (kek_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- data_key_id: the key the row's personal fields are sealed under; NULL on rows written before
-- this migration (plain text), which the re-encryption worker (PersonalDataMigrationWorker) seals
-- in the background. Only the opening event of a dispute holds personal data. Each ALTER is atomic
-- in InnoDB (and portable: no MariaDB-only IF NOT EXISTS); they are last in the file.
ALTER TABLE disputes
    ADD COLUMN data_key_id VARCHAR(40) NULL,
    ADD KEY ix_disputes_data_key (data_key_id);
ALTER TABLE dispute_events
    ADD COLUMN data_key_id VARCHAR(40) NULL;
