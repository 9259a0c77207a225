-- 0011 (issue 17): ListDisputes' deadline filter and sort, and its updated-time range; the SQLite
-- twin of Migrations/MySql/0011_dispute_list_filters.sql (the comments there). Shipped: never edit.
ALTER TABLE disputes ADD COLUMN next_deadline_at INTEGER NULL;
CREATE INDEX ix_disputes_deadline ON disputes (next_deadline_at, dispute_id);
CREATE INDEX ix_disputes_merchant_deadline ON disputes (merchant_id, next_deadline_at, dispute_id);
CREATE INDEX ix_disputes_updated ON disputes (updated_at);
