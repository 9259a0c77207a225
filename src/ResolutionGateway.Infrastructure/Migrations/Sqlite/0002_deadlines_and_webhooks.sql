-- 0002: deadline timers, regional policies and calendars set through AdminService, webhook
-- endpoints and the webhook delivery queue (the outbox); the SQLite twin of
-- Migrations/MySql/0002_deadlines_and_webhooks.sql, which explains each table.
-- Shipped: never edit, add 0003_*.sql.

CREATE TABLE dispute_timers (
    dispute_id TEXT    NOT NULL PRIMARY KEY,
    due_at     INTEGER NOT NULL
);
CREATE INDEX ix_dispute_timers_due ON dispute_timers (due_at, dispute_id);

INSERT INTO dispute_timers (dispute_id, due_at) SELECT dispute_id, 0 FROM disputes WHERE status IN (1, 2);

CREATE TABLE region_policies (
    region_prefix TEXT    NOT NULL PRIMARY KEY,
    policy_json   TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE working_calendars (
    calendar_id   TEXT    NOT NULL PRIMARY KEY,
    calendar_json TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE webhook_endpoints (
    endpoint_id                TEXT    NOT NULL PRIMARY KEY,
    owner_kind                 INTEGER NOT NULL,
    owner_id                   TEXT    NOT NULL,
    url                        TEXT    NOT NULL,
    description                TEXT    NOT NULL,
    enabled                    INTEGER NOT NULL,
    disabled_reason            TEXT    NOT NULL,
    secret                     TEXT    NOT NULL,
    previous_secret            TEXT    NULL,
    previous_secret_expires_at INTEGER NULL,
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL
);
CREATE INDEX ix_webhook_endpoints_owner ON webhook_endpoints (owner_kind, owner_id);

CREATE TABLE webhook_deliveries (
    endpoint_id        TEXT    NOT NULL,
    dispute_id         TEXT    NOT NULL,
    seq                INTEGER NOT NULL,
    event_type         TEXT    NOT NULL,
    status             INTEGER NOT NULL,
    attempts           INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    first_attempt_at   INTEGER NULL,
    next_attempt_at    INTEGER NULL,
    delivered_at       INTEGER NULL,
    last_http_status   INTEGER NOT NULL,
    last_error         TEXT    NOT NULL,
    dead_letter_reason TEXT    NOT NULL,
    lease_token        TEXT    NOT NULL,
    PRIMARY KEY (endpoint_id, dispute_id, seq)
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, endpoint_id, next_attempt_at);
