-- The shard column of the MySQL schema (see Migrations/MySql/0004_rollup_shards.sql), so both
-- stores share their SQL. The embedded store has one writer at a time and nothing to spread, so it
-- always writes shard 0 and its key (the conflict target of its upserts) stays as it was.
ALTER TABLE report_rollups ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
