-- Rollup rows sharded by the writer's feed partition (issue 6). Every change upserts its rollup
-- rows in its own transaction; with one row per (cuboid, period, region, channel, category,
-- merchant), all disputes of a busy merchant or county on one day queued on the same row locks
-- until each commit (measured with tools/loadgen: row-lock waits on nearly every OpenDispute, and
-- OpenDispute capped at the rate one row can be committed). With the feed partition (0-15) in the
-- key, two writers of the same rollup row are always writers of the same partition, which already
-- queue on that partition's counter before they touch rollups, so rollup rows are never waited
-- on. Readers SUM over the shards as they already SUM over days; rows written before this
-- migration (and bulk loads) are shard 0.
ALTER TABLE report_rollups
    ADD COLUMN shard INT NOT NULL DEFAULT 0 AFTER merchant_id,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (cuboid, basis, grain, period_day, region_code, channel_id, category, merchant_id, shard);
