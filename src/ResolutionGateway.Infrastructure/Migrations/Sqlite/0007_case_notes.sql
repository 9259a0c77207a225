-- 0007: the regulator's internal case notes; see Migrations/MySql/0007_case_notes.sql.
CREATE TABLE case_notes (
    dispute_id   TEXT    NOT NULL,
    note_id      TEXT    NOT NULL,
    party_key    TEXT    NOT NULL,
    request_id   TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    author       TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (dispute_id, note_id)
);
CREATE UNIQUE INDEX ux_case_notes_request ON case_notes (party_key, request_id);
