#!/usr/bin/env bash
# EXPLAIN (ANALYZE) of the queries ListDisputes sends, on a synthetic table of N disputes (default
# 200,000) in a database of its own on the MariaDB of tools/servers/rg-servers.sh. Loads the schema
# from the migrations, fills disputes with the SEQUENCE engine (a year of openings, 5,000 merchants
# skewed, 10 regions, 5 % still open, 2 % escalated), then prints per query the plan's access type,
# index, estimated and read rows, and the time the server spent executing it (ANALYZE FORMAT=JSON, query_block). Usage:
#   eval "$(bash tools/servers/rg-servers.sh start)" && bash tools/explain/dispute-lists.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200000}
port=${RG_MYSQL_PORT:-33306}
db=rg_explain
m() { mariadb -h127.0.0.1 -P"$port" -urg -prg "$@"; }
m -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
for f in src/ResolutionGateway.Infrastructure/Migrations/MySql/0*.sql; do m "$db" < "$f"; done
now=$(($(date +%s) * 1000))
open=$((n * 385 / 10000))
m "$db" -e "
SET @now = $now, @span = 365*86400000;
INSERT INTO disputes (dispute_id, channel_id, consumer_ref, merchant_id, store_id, region_code, category, status, active_order_key,
  feed_partition, created_at, updated_at, last_seq, state_json, first_response_due_at, negotiation_due_at, closed_at, next_deadline_at)
SELECT CONCAT('dsp_', LPAD(seq, 26, '0')), CONCAT('ch', seq % 8), CONCAT('c', seq % 150000),
  CONCAT('m', FLOOR(POW(RAND(seq), 3) * 5000)), 's1',
  CASE seq % 10 WHEN 0 THEN '330102' WHEN 1 THEN CONCAT('3301', LPAD(seq % 13 + 1, 2, '0')) WHEN 2 THEN CONCAT('3301', LPAD(seq % 7 + 5, 2, '0'))
    WHEN 3 THEN CONCAT('4201', LPAD(seq % 13 + 1, 2, '0')) WHEN 4 THEN CONCAT('3201', LPAD(seq % 11 + 1, 2, '0'))
    WHEN 5 THEN CONCAT('4403', LPAD(seq % 9 + 1, 2, '0')) WHEN 6 THEN CONCAT('3302', LPAD(seq % 12 + 1, 2, '0'))
    WHEN 7 THEN CONCAT('3101', LPAD(seq % 16 + 1, 2, '0')) WHEN 8 THEN CONCAT('4401', LPAD(seq % 11 + 1, 2, '0')) ELSE CONCAT('5101', LPAD(seq % 15 + 1, 2, '0')) END,
  seq % 10 + 1, st, NULL, seq % 16, created, COALESCE(closed, created + 3600000), 3, REPEAT('x', 800),
  created + 96*3600000, created + 7*86400000, closed,
  CASE st WHEN 1 THEN created + 96*3600000 WHEN 2 THEN created + 7*86400000 WHEN 3 THEN created + (9 + seq % 50) * 86400000 ELSE NULL END
FROM (SELECT seq, created, st, CASE WHEN st >= 4 THEN created + (seq % 240) * 3600000 END AS closed
      FROM (SELECT seq, @now - @span + FLOOR(seq * @span / $n) AS created,
              CASE WHEN seq > $n - $open THEN 1 + seq % 3 WHEN seq % 50 = 0 THEN 3 ELSE 4 + seq % 3 END AS st
            FROM seq_1_to_$n) g) h;
-- Every case with its store region's regulator (none transferred): handling_region = region_code (0014).
UPDATE disputes SET handling_region = region_code;
ANALYZE TABLE disputes;" > /dev/null
# The statement DisputeRepository.ListAsync builds (its key columns left out), with the filters appended.
base="SELECT state_json, data_key_id FROM disputes LEFT JOIN consumer_keys k ON k.key_id = data_key_id WHERE 1 = 1"
day=86400000
run() {
  echo "== $1"
  m "$db" -e "ANALYZE $base $2" | awk -F'\t' 'NR > 1 && $3 == "disputes" { print "   type=" $4, "key=" $6, "rows=" $9, "r_rows=" $10, "extra=" $NF }'
  m "$db" -N -e "ANALYZE FORMAT=JSON $base $2" | grep -o '"r_total_time_ms": [0-9.]*' | sed -n 2p | sed 's/^/   query /'
}
run "admin, next-deadline order, first page" "AND next_deadline_at IS NOT NULL ORDER BY next_deadline_at, dispute_id LIMIT 51"
run "admin, next-deadline order, a later page" "AND next_deadline_at >= $((now + day)) AND (next_deadline_at > $((now + day)) OR dispute_id > 'dsp_0') ORDER BY next_deadline_at, dispute_id LIMIT 51"
run "admin, deadline within 24 h, newest first" "AND next_deadline_at <= $((now + day)) ORDER BY dispute_id DESC LIMIT 51"
run "admin, deadline passed, newest first" "AND next_deadline_at <= $now ORDER BY dispute_id DESC LIMIT 51"
run "regulator 3301, next-deadline order" "AND handling_region >= '3301' AND handling_region < '3302' AND next_deadline_at IS NOT NULL ORDER BY next_deadline_at, dispute_id LIMIT 51"
run "regulator 3301, deadline passed, newest first" "AND handling_region >= '3301' AND handling_region < '3302' AND next_deadline_at <= $now ORDER BY dispute_id DESC LIMIT 51"
run "merchant, next-deadline order" "AND merchant_id = 'm1' AND next_deadline_at IS NOT NULL ORDER BY next_deadline_at, dispute_id LIMIT 51"
run "regulator 3301, opened last week, awaiting the merchant" "AND handling_region >= '3301' AND handling_region < '3302' AND status IN (1) AND created_at >= $((now - 7 * day)) AND created_at < $now ORDER BY dispute_id DESC LIMIT 51"
run "regulator 33, updated in the last day" "AND handling_region >= '33' AND handling_region < '34' AND updated_at >= $((now - day)) ORDER BY dispute_id DESC LIMIT 51"
run "regulator 3301, closed on one day a month ago" "AND handling_region >= '3301' AND handling_region < '3302' AND closed_at >= $((now - 30 * day)) AND closed_at < $((now - 29 * day)) ORDER BY dispute_id DESC LIMIT 51"
run "regulator 3301, category, newest first" "AND handling_region >= '3301' AND handling_region < '3302' AND category = 2 ORDER BY dispute_id DESC LIMIT 51"
