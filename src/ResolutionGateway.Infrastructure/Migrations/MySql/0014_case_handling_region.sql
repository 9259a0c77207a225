-- 0014 (issue 17): the region whose regulator handles a dispute's case, beside the store's region;
-- the officer named on a regulator key.
-- The MySQL/MariaDB twin of Migrations/Sqlite/0014_case_handling_region.sql. Shipped: never edit.
--
-- handling_region is Dispute.CaseRegion: the region prefix a case was transferred to (TransferCase),
-- else the store's region code. A regulator's queue is by handling region: ListDisputes' scope and
-- region filter for regulators, WatchDisputes' regulator feed and regulator webhooks. Statistics and
-- reports stay by region_code (the consumer's and store's region), which never changes.
-- ix_disputes_handling serves the regulator's list (a range on its leading column, newest first
-- by dispute_id), as ix_disputes_region (0001) served it before.
-- dispute_events.handling_region is the handling region when the event was stored; '' for events
-- stored before this migration, which the feed reads as their region_code (no event is rewritten).
-- Disputes stored before this migration are filled in below from their state (case_region_prefix).
ALTER TABLE disputes
    ADD COLUMN handling_region VARCHAR(16) NOT NULL DEFAULT '',
    ADD KEY ix_disputes_handling (handling_region, dispute_id);
ALTER TABLE dispute_events
    ADD COLUMN handling_region VARCHAR(16) NOT NULL DEFAULT '';
UPDATE disputes
SET handling_region = COALESCE(NULLIF(JSON_VALUE(state_json, '$.case_region_prefix'), ''), region_code);
-- The officer a regulator key stands for (CreateApiKey's officer_name): AssignCase names one of
-- them. '' for every other key. Keys are few (one per officer and party), so no index.
ALTER TABLE api_keys
    ADD COLUMN officer_name VARCHAR(100) NOT NULL DEFAULT '';
