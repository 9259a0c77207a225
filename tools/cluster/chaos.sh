#!/usr/bin/env bash
# chaos.sh [--short] [--only TEXT] [--repeat N] — the chaos test of issue 15, end to end:
#   1. starts the cluster (cluster.sh) in a fresh state folder, and one gateway with the same settings
#      on the plain MariaDB of rg-servers.sh (the baseline of the throughput ratio; skipped when
#      $RG_MYSQL is not set),
#   2. runs the chaos driver (tools/chaos): open throughput on one cluster gateway and on the baseline,
#      then, under a steady mixed load through HAProxy with 1,000 watchers and a webhook receiver,
#      kill -9 a gateway, kill -9 the Galera writer, kill -9 the Redis primary, freeze the Galera
#      writer for 10 s, each followed by its restart or thaw,
#   3. writes tools/cluster/results/latest.json (one object per fault) and throughput.json, prints
#      the table, exits 1 when a target is missed,
#   4. stops everything it started (also on Ctrl-C) and deletes the state folder.
# --short: shorter phases (235 s measured alone, the cluster's start included); the test command runs it.
# --only TEXT, --repeat N: only the faults whose name contains TEXT, N times over (to reproduce one).
# Environment: RG_MYSQL, RG_REDIS (the baseline's servers), RG_GATEWAY_DLL and RG_CHAOS_DLL (builds;
# default the Release builds, built when missing), RG_CLUSTER_DIR (default a new temporary folder),
# RG_CHAOS_OUT (the results file; default tools/cluster/results/latest.json, throughput.json beside it),
# RG_CLUSTER_WRITERS (one or all, see cluster.sh).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
short=""
[[ ${1:-} == --short ]] && { short=--short; shift; }
# Anything else goes to the driver (--only, --repeat).
driver_args=("$@")
cluster="$root/tools/cluster/cluster.sh"
export RG_GATEWAY_DLL="${RG_GATEWAY_DLL:-$root/src/ResolutionGateway/bin/Release/net10.0/ResolutionGateway.dll}"
chaos_dll="${RG_CHAOS_DLL:-$root/tools/chaos/bin/Release/net10.0/chaos.dll}"
own_state=""
if [[ -z ${RG_CLUSTER_DIR:-} ]]; then
    RG_CLUSTER_DIR="$(mktemp -d /tmp/rg-chaos.XXXXXX)"
    own_state=1
fi
export RG_CLUSTER_DIR
single_pid=""

cleanup() {
    [[ -n $single_pid ]] && kill "$single_pid" 2>/dev/null
    bash "$cluster" stop
    [[ -n $own_state ]] && rm -rf "$RG_CLUSTER_DIR"
    [[ -n ${single_dir:-} ]] && rm -rf "$single_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -f $RG_GATEWAY_DLL ]] || dotnet build -c Release "$root/src/ResolutionGateway" >&2 || exit 1
[[ -f $chaos_dll ]] || dotnet build -c Release "$root/tools/chaos" >&2 || exit 1

exports="$(bash "$cluster" start)" || { echo "chaos.sh: the cluster did not start" >&2; exit 1; }
eval "$exports"
# shellcheck disable=SC1091
source "$RG_CLUSTER_DIR/ports.env"

compare=()
if [[ -n ${RG_MYSQL:-} ]]; then
    # The baseline gateway: same build and settings, on one plain MariaDB, in a database of its own.
    field() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$RG_MYSQL"; }
    mariadb --no-defaults --protocol=TCP -h"$(field Server)" -P"$(field Port)" -u"$(field 'User ID')" -p"$(field Password)" \
        -e 'DROP DATABASE IF EXISTS rg_chaos_single; CREATE DATABASE rg_chaos_single CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci' \
        || { echo "chaos.sh: could not create the baseline database" >&2; exit 1; }
    single_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    single_dir="$(mktemp -d /tmp/rg-chaos-single.XXXXXX)"
    RG_DATA_DIR="$single_dir" Storage__Provider=MySql \
        Storage__MySql__ConnectionString="$(sed 's/Database=[^;]*/Database=rg_chaos_single/' <<<"$RG_MYSQL")" \
        Redis__Configuration="${RG_REDIS:-}" Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$single_port" \
        Logging__LogLevel__Default=Warning Webhooks__AllowHttp=true Webhooks__Lease=00:00:10 \
        Kestrel__Endpoints__Http__Url="http://127.0.0.1:0" Metrics__Url="http://127.0.0.1:0" \
        setsid dotnet "$RG_GATEWAY_DLL" </dev/null >"$single_dir/log" 2>&1 &
    single_pid=$!
    for ((i = 0; i < 240; i++)); do
        "$root/tools/cluster/grpc-health-check.sh" x x 127.0.0.1 "$single_port" && break
        sleep 0.25
    done
    compare=(--direct "http://127.0.0.1:$GW1" --single "http://127.0.0.1:$single_port" --single-key "$(cat "$single_dir/admin-key")")
fi

dotnet "$chaos_dll" --grpc "$RG_CLUSTER_GRPC" --admin-key "$RG_CLUSTER_ADMIN_KEY" --cluster "$cluster" \
    --out "${RG_CHAOS_OUT:-$root/tools/cluster/results/latest.json}" "${compare[@]}" $short "${driver_args[@]}"
rc=$?
# Certification conflicts the gateways met and retried (a store retry after error 1213; with one
# writer they happen only around a failover).
echo "chaos.sh: writers ${RG_CLUSTER_WRITERS:-one}; store retries after error 1213 logged by the gateways:" \
    "$(cat "$RG_CLUSTER_DIR"/gw*/log 2>/dev/null | grep -c 'MySqlException 1213')" >&2
exit $rc
