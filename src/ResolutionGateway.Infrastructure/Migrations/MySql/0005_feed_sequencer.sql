-- Feed positions given after the commit (issue 12). A change used to take its events' positions
-- from its feed partition's counter row and hold that row's lock until COMMIT, so every commit of a
-- partition waited for the previous one's. Now a change stores its events (and its outcome record)
-- without a position, and the feed sequencer (FeedSequencer) gives positions to everything
-- committed since its last pass, many changes per transaction, under the counter locks. Readers
-- are unchanged: a position up to a partition's committed counter is committed and visible.
-- Positions already given stay as they are, so cursors issued before this migration keep working.
--
-- The feed index is no longer UNIQUE: InnoDB checks a unique key's new value under a next-key lock
-- even in READ COMMITTED, and a pass that positions the last events of partition p locked the gap
-- where the new, unpositioned events of partition p+1 are inserted (NULL sorts first), so such
-- writers could queue behind a pass's commit.
-- Positions are unique because only a pass gives them, under the counter locks.
ALTER TABLE dispute_events
    MODIFY feed_position BIGINT NULL,
    DROP INDEX ux_dispute_events_feed,
    ADD KEY ix_dispute_events_feed (feed_partition, feed_position);

-- An outcome record gets the position of its change's last event, whose seq is the record's
-- revision: (dispute_id, revision) is its key now (its position, once given, is unique as the
-- event's is).
ALTER TABLE dispute_outcomes
    MODIFY feed_position BIGINT NULL,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (dispute_id, revision),
    ADD KEY ix_dispute_outcomes_feed (feed_partition, feed_position);
