-- 0014 (issue 17): the region whose regulator handles a dispute's case, the officer named on a
-- regulator key; the SQLite twin of
-- Migrations/MySql/0014_case_handling_region.sql (the comments there). Shipped: never edit.
ALTER TABLE disputes ADD COLUMN handling_region TEXT NOT NULL DEFAULT '';
CREATE INDEX ix_disputes_handling ON disputes (handling_region, dispute_id);
ALTER TABLE dispute_events ADD COLUMN handling_region TEXT NOT NULL DEFAULT '';
UPDATE disputes
SET handling_region = COALESCE(NULLIF(json_extract(state_json, '$.case_region_prefix'), ''), region_code);
ALTER TABLE api_keys ADD COLUMN officer_name TEXT NOT NULL DEFAULT '';
