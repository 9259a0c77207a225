-- 0011 (issue 17): ListDisputes' deadline filter and sort, and its updated-time range. The
-- MySQL/MariaDB twin of Migrations/Sqlite/0011_dispute_list_filters.sql. Shipped: never edit.
--
-- next_deadline_at (Unix ms) is the deadline the dispute waits on (Core/Disputes/NextDeadline.cs):
-- the merchant's first response or the end of negotiation, the regulator's acceptance or the end
-- of mediation; NULL when none runs (closed disputes, cases refused or transferred without one).
-- Disputes stored before this migration are filled in by code after the script (DeadlineBackfill).
-- The indexes serve the queries ListDisputes sends (EXPLAIN figures in tools/README.md):
-- the deadline order for everyone (admin, region ranges), the same within one merchant, and the
-- updated-time range. Opened and closed ranges use ix_disputes_created and ix_disputes_closed (0003).
-- One ALTER (atomic in InnoDB).
ALTER TABLE disputes
    ADD COLUMN next_deadline_at BIGINT NULL,
    ADD KEY ix_disputes_deadline (next_deadline_at, dispute_id),
    ADD KEY ix_disputes_merchant_deadline (merchant_id, next_deadline_at, dispute_id),
    ADD KEY ix_disputes_updated (updated_at);
