-- 0007: the regulator's internal case notes (AddCaseNote, ListCaseNotes); the MySQL/MariaDB twin of
-- Migrations/Sqlite/0007_case_notes.sql. Kept out of dispute_events on purpose: the log is shown to
-- the parties and sent to their webhooks with seq numbers without gaps, and a note must never reach
-- them. (party_key, request_id) makes AddCaseNote idempotent. Shipped: never edit, add 0008_*.sql.
CREATE TABLE IF NOT EXISTS case_notes (
    dispute_id   VARCHAR(64)  NOT NULL,
    note_id      VARCHAR(64)  NOT NULL,
    party_key    VARCHAR(100) NOT NULL,
    request_id   VARCHAR(64)  NOT NULL,
    request_hash VARCHAR(64)  NOT NULL,
    author       VARCHAR(64)  NOT NULL,
    text         TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (dispute_id, note_id),
    UNIQUE KEY ux_case_notes_request (party_key, request_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
