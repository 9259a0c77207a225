-- Feed positions given after the commit (issue 12). A change used to take its events' positions
-- from its feed partition's counter row and hold that row's lock until COMMIT, so every commit of a
-- partition waited for the previous one's. Now a change stores its events (and its outcome record)
-- without a position, and the feed sequencer (FeedSequencer) gives positions to everything
-- committed since its last pass, many changes per transaction, under the counter locks. Readers
-- are unchanged: a position up to a partition's committed counter is committed and visible.
-- Positions already given stay as they are, so cursors issued before this migration keep working.
ALTER TABLE dispute_events MODIFY feed_position BIGINT NULL;

-- An outcome record gets the position of its change's last event, whose seq is the record's
-- revision: (dispute_id, revision) is its key now, and its position is unique once given.
ALTER TABLE dispute_outcomes
    MODIFY feed_position BIGINT NULL,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (dispute_id, revision),
    ADD UNIQUE KEY ux_dispute_outcomes_feed (feed_partition, feed_position);
