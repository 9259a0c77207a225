-- 0002: deadline timers, regional policies and calendars set through AdminService, webhook
-- endpoints and the webhook delivery queue (the outbox). Same conventions as 0001: portable,
-- re-runnable, times in Unix milliseconds, enums as INT. Shipped: never edit, add 0003_*.sql.

-- When the deadline worker must next look at a dispute (Dispute.NextTimerAt). One row per dispute
-- with a pending warning or deadline; written in the same transaction as the dispute's state.
CREATE TABLE IF NOT EXISTS dispute_timers (
    dispute_id VARCHAR(64) NOT NULL,
    due_at     BIGINT      NOT NULL,
    PRIMARY KEY (dispute_id),
    KEY ix_dispute_timers_due (due_at, dispute_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Disputes opened before this migration: due at once, so the worker derives their real timer
-- from their state on its first pass (it only rewrites the timer when nothing is due yet).
INSERT INTO dispute_timers (dispute_id, due_at)
SELECT dispute_id, 0 FROM disputes WHERE status IN (1, 2)
ON DUPLICATE KEY UPDATE due_at = dispute_timers.due_at;

-- Policies set through AdminService (configured ones live in the configuration file).
-- region_prefix '' is the national default.
CREATE TABLE IF NOT EXISTS region_policies (
    region_prefix VARCHAR(8) NOT NULL,
    policy_json   LONGTEXT   NOT NULL,
    updated_at    BIGINT     NOT NULL,
    PRIMARY KEY (region_prefix)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS working_calendars (
    calendar_id   VARCHAR(64) NOT NULL,
    calendar_json LONGTEXT    NOT NULL,
    updated_at    BIGINT      NOT NULL,
    PRIMARY KEY (calendar_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- owner_kind: 1 merchant (owner_id = merchant id), 2 channel (channel id), 3 regulator (region prefix).
-- The signing secrets are kept as they are (an HMAC needs the key itself).
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    endpoint_id                VARCHAR(64)   NOT NULL,
    owner_kind                 INT           NOT NULL,
    owner_id                   VARCHAR(64)   NOT NULL,
    url                        VARCHAR(2000) NOT NULL,
    description                VARCHAR(400)  NOT NULL,
    enabled                    INT           NOT NULL,
    disabled_reason            VARCHAR(400)  NOT NULL,
    secret                     VARCHAR(128)  NOT NULL,
    previous_secret            VARCHAR(128)  NULL,
    previous_secret_expires_at BIGINT        NULL,
    created_at                 BIGINT        NOT NULL,
    updated_at                 BIGINT        NOT NULL,
    PRIMARY KEY (endpoint_id),
    KEY ix_webhook_endpoints_owner (owner_kind, owner_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per (endpoint, event), queued in the transaction that commits the event.
-- status: 1 pending, 2 delivered, 3 dead-lettered. next_attempt_at is NULL unless pending; a
-- claimed row's next_attempt_at is its lease end, lease_token identifies the claim.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    endpoint_id        VARCHAR(64)  NOT NULL,
    dispute_id         VARCHAR(64)  NOT NULL,
    seq                BIGINT       NOT NULL,
    event_type         VARCHAR(64)  NOT NULL,
    status             INT          NOT NULL,
    attempts           INT          NOT NULL,
    created_at         BIGINT       NOT NULL,
    first_attempt_at   BIGINT       NULL,
    next_attempt_at    BIGINT       NULL,
    delivered_at       BIGINT       NULL,
    last_http_status   INT          NOT NULL,
    last_error         VARCHAR(600) NOT NULL,
    dead_letter_reason VARCHAR(400) NOT NULL,
    lease_token        VARCHAR(64)  NOT NULL,
    PRIMARY KEY (endpoint_id, dispute_id, seq),
    -- Serves both the due-endpoint scan (status = 1, GROUP BY endpoint_id, MIN(next_attempt_at):
    -- one index dive per endpoint) and an endpoint's claim (status, endpoint_id, range on time).
    KEY ix_webhook_deliveries_due (status, endpoint_id, next_attempt_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
