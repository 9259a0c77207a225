-- 0017 (issue 18): every open writes a consumer_keys row (a data key of the new dispute's own), so
-- each index of that table is paid on every open. ix_consumer_keys_kek served only the start-up
-- KEK check and rotation (ConsumerKeyRepository.CheckAsync, RewrapAsync), which now read the table
-- once per start instead (one scan, about a second per million keys, and rotation pages by key_id);
-- the two indexes left are the primary key (reads join on it) and ix_consumer_keys_owner (erasure
-- and retention find a consumer's keys by it). The twin of Migrations/Sqlite/0017_consumer_keys_fewer_indexes.sql.
ALTER TABLE consumer_keys DROP INDEX ix_consumer_keys_kek;
