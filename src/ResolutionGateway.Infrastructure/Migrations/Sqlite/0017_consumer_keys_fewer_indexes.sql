-- 0017 (issue 18): the SQLite twin of Migrations/MySql/0017_consumer_keys_fewer_indexes.sql: every
-- open writes a consumer_keys row, and ix_consumer_keys_kek served only the start-up KEK check and
-- rotation, which now read the table once per start (rotation pages by key_id).
DROP INDEX IF EXISTS ix_consumer_keys_kek;
