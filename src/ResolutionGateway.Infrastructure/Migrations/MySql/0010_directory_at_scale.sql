-- 0010 (issue 17, the directory at scale): merchants and stores can be disabled (a dispute against a
-- disabled one is routed as for an unenrolled merchant), stores are listed by region prefix, and
-- ImportStores remembers each finished import's answer by caller key and request id, so a retry
-- gets the first answer instead of a second import.
-- Shipped: never edit, add the next number.
CREATE TABLE IF NOT EXISTS store_imports (
    key_id      VARCHAR(64)  NOT NULL,
    request_id  VARCHAR(128) NOT NULL,
    created_at  BIGINT       NOT NULL,
    result      LONGTEXT     NOT NULL,
    PRIMARY KEY (key_id, request_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Each ALTER is atomic in InnoDB (and portable: no MariaDB-only IF NOT EXISTS); they are last.
ALTER TABLE merchants
    ADD COLUMN enabled INT NOT NULL DEFAULT 1;
ALTER TABLE stores
    ADD COLUMN enabled INT NOT NULL DEFAULT 1,
    ADD KEY ix_stores_region (region_code, merchant_id, store_id);
