-- 0008 (issue 13): per-key quota overrides set through AdminService.SetKeyQuota. A key without a
-- row has its role's defaults (Quotas:Roles:<role> in the gateway's configuration). The counters
-- themselves live in Redis (or in each node's memory), never here.
-- Shipped: never edit, add the next number.
CREATE TABLE IF NOT EXISTS key_quotas (
    key_id              VARCHAR(64) NOT NULL,
    requests_per_second DOUBLE      NOT NULL,
    burst               INT         NOT NULL,
    streams             INT         NOT NULL,
    updated_at          BIGINT      NOT NULL,
    PRIMARY KEY (key_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
