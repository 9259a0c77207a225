#!/usr/bin/env bash
# cluster.sh — the no-single-point-of-failure topology on loopback, as plain processes:
#   - 3 MariaDB Galera nodes (galera-4, state transfer by mariabackup, which works as root),
#   - Redis primary + replica + 3 Sentinels (service name "rgprimary"),
#   - 3 gateway nodes (a built ResolutionGateway.dll),
#   - HAProxy: an h2c (gRPC) frontend over the gateways, health-checked on grpc.health.v1, and a TCP
#     frontend over Galera that sends every connection to ONE node (single writer, see below).
# Each process has its own folder under $RG_CLUSTER_DIR; ports are chosen free at the first start and
# kept in $RG_CLUSTER_DIR/ports.env.
#
# Usage: cluster.sh start|stop|status|env|kill NAME|freeze NAME|thaw NAME|restart NAME|wait NAME|writer|redis-primary
#   NAME: galera1..3, redis1 (first primary), redis2 (first replica), sentinel1..3, gw1..3, haproxy;
#   kill/freeze/thaw also take "writer" (the Galera node taking writes) and "redis-primary".
#   eval "$(tools/cluster/cluster.sh start)"   # exports RG_CLUSTER_GRPC, RG_CLUSTER_MYSQL, RG_CLUSTER_REDIS, RG_CLUSTER_ADMIN_KEY
#
# Environment: RG_CLUSTER_DIR (default /tmp/rg-cluster), RG_GATEWAY_DLL (default: the Release build,
# built when missing), RG_CLUSTER_TIMEOUT (seconds per wait, default 120), RG_CLUSTER_WRITERS (one, the
# default, or all: HAProxy spreads MySQL connections over every Galera node; measured in tools/README.md).
# Only the export lines go to stdout; progress goes to stderr.
#
# Why one writer at a time: every gateway connects to HAProxy's MySQL port, which sends every new
# connection to the first healthy Galera node and sticks there (stick table) until that node fails, so
# a node that rejoins does not take writes while it catches up. On one writer the service's
# GET_LOCK (migrations) and SELECT … FOR UPDATE SKIP LOCKED (row claims) keep their meaning, which on
# several writers they lose (both are local to one node), and certification conflicts (1213 at
# COMMIT) happen only in the second of a failover; they are retried like deadlocks. The open
# throughput of this choice against one plain MariaDB is measured by chaos.sh (tools/README.md).
# wsrep_sync_wait=1 on every node makes a read wait for what the cluster committed before it, so a
# read is never older than a write acknowledged through another gateway, even right after a failover.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${RG_CLUSTER_DIR:-/tmp/rg-cluster}"
TIMEOUT="${RG_CLUSTER_TIMEOUT:-120}"
GATEWAY_DLL="${RG_GATEWAY_DLL:-$root/src/ResolutionGateway/bin/Release/net10.0/ResolutionGateway.dll}"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
PROVIDER=/usr/lib/galera/libgalera_smm.so
SERVICE=rgprimary
DB_USER=rg DB_PASSWORD=rg DB_NAME=resolution
WRITERS="${RG_CLUSTER_WRITERS:-one}"
[[ $WRITERS == one || $WRITERS == all ]] || { printf '[cluster] ERROR: RG_CLUSTER_WRITERS is one or all, not %s\n' "$WRITERS" >&2; exit 1; }

log() { printf '[cluster] %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

# ---------------------------------------------------------------------------- packages and ports
ensure_packages() {
    local missing=()
    [[ -f $PROVIDER ]] || missing+=(galera-4)
    command -v mariadbd >/dev/null || missing+=(mariadb-server mariadb-client)
    command -v mariabackup >/dev/null || missing+=(mariadb-backup)
    command -v socat >/dev/null || missing+=(socat)
    command -v rsync >/dev/null || missing+=(rsync)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v curl >/dev/null || missing+=(curl)
    command -v python3 >/dev/null || missing+=(python3)
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) -eq 0 ]] || die "missing ${missing[*]} and not root: install them first"
    log "installing ${missing[*]} (apt-get)"
    # policy-rc.d 101: the packages' postinst must not start system services on the default ports.
    local created=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && created=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 || true
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >&2 || die "apt-get install failed"
    [[ -n $created ]] && rm -f /usr/sbin/policy-rc.d
    return 0
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free port from the kernel (bind to 0), then checked against the ones already taken by this file.
free_port() {
    local p
    while :; do
        p="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
        grep -qw "$p" "$DIR/ports.env" 2>/dev/null || { echo "$p"; return; }
    done
}

load_ports() {
    mkdir -p "$DIR"
    if [[ ! -s $DIR/ports.env ]]; then
        : >"$DIR/ports.env"
        local name
        for name in GALERA1 GALERA2 GALERA3 GCOMM1 GCOMM2 GCOMM3 IST1 IST2 IST3 SST1 SST2 SST3 \
            REDIS1 REDIS2 SENTINEL1 SENTINEL2 SENTINEL3 GW1 GW2 GW3 LB_GRPC LB_MYSQL LB_STATS; do
            echo "$name=$(free_port)" >>"$DIR/ports.env"
        done
    fi
    # shellcheck disable=SC1091
    source "$DIR/ports.env"
}

print_env() {
    local key=""
    [[ -s $DIR/gw1/admin-key ]] && key="$(cat "$DIR/gw1/admin-key")"
    printf 'export RG_CLUSTER_GRPC="http://127.0.0.1:%s"\n' "$LB_GRPC"
    printf 'export RG_CLUSTER_MYSQL="Server=127.0.0.1;Port=%s;User ID=%s;Password=%s;Database=%s"\n' "$LB_MYSQL" "$DB_USER" "$DB_PASSWORD" "$DB_NAME"
    printf 'export RG_CLUSTER_REDIS="%s"\n' "$(redis_configuration)"
    printf 'export RG_CLUSTER_ADMIN_KEY="%s"\n' "$key"
    printf 'export RG_CLUSTER_DIR="%s"\n' "$DIR"
}

redis_configuration() { printf '127.0.0.1:%s,127.0.0.1:%s,127.0.0.1:%s,serviceName=%s' "$SENTINEL1" "$SENTINEL2" "$SENTINEL3" "$SERVICE"; }

# ---------------------------------------------------------------------------- processes
pid_of() { [[ -s $DIR/$1/pid ]] && tr -dc 0-9 <"$DIR/$1/pid"; }
alive() {
    local pid
    pid="$(pid_of "$1")" || return 1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]]
}

wait_for() {
    local what="$1" i
    shift
    for ((i = 0; i < TIMEOUT * 4; i++)); do
        "$@" && return 0
        sleep 0.25
    done
    die "$what did not come up in ${TIMEOUT}s (logs in $DIR)"
}

# Runs a command detached (own session, no inherited stdio) and records its pid.
spawn() {
    local name="$1"
    shift
    mkdir -p "$DIR/$name"
    setsid "$@" </dev/null >>"$DIR/$name/log" 2>&1 &
    echo $! >"$DIR/$name/pid"
}

# ---------------------------------------------------------------------------- Galera
galera_cnf() {
    local n="$1" port gcomm ist sst
    port="GALERA$n" gcomm="GCOMM$n" ist="IST$n" sst="SST$n"
    cat >"$DIR/galera$n/my.cnf" <<EOF
# Generated by cluster.sh, rewritten on every start.
[mysqld]
user                     = $(id -un)
datadir                  = $DIR/galera$n/data
socket                   = $DIR/galera$n/mysqld.sock
pid-file                 = $DIR/galera$n/mysqld.pid
port                     = ${!port}
bind-address             = 127.0.0.1
skip-name-resolve
character-set-server     = utf8mb4
collation-server         = utf8mb4_unicode_ci
# Small machine: three nodes share 2 cores.
innodb_buffer_pool_size  = 64M
innodb_log_file_size     = 48M
max_connections          = 300
performance_schema       = OFF
binlog_format            = ROW
innodb_autoinc_lock_mode = 2
innodb_flush_log_at_trx_commit = 1
wsrep_on                 = ON
wsrep_provider           = $PROVIDER
wsrep_cluster_name       = rg-cluster
wsrep_cluster_address    = gcomm://127.0.0.1:$GCOMM1,127.0.0.1:$GCOMM2,127.0.0.1:$GCOMM3
wsrep_node_name          = galera$n
wsrep_node_address       = 127.0.0.1:${!gcomm}
wsrep_node_incoming_address = 127.0.0.1:${!port}
wsrep_sst_receive_address = 127.0.0.1:${!sst}
# A frozen or dead node is suspected after 1 s and evicted from the view after 2 s, so the others
# stop waiting for it (the defaults, 5 s and 15 s, stall every commit longer than the 5 s target;
# at 2 s and 3 s a killed writer still cost 6.2 s without writes, see tools/README.md).
wsrep_provider_options   = "gmcast.listen_addr=tcp://127.0.0.1:${!gcomm};ist.recv_addr=127.0.0.1:${!ist};gcache.size=64M;evs.keepalive_period=PT0.3S;evs.inactive_check_period=PT0.3S;evs.suspect_timeout=PT1S;evs.inactive_timeout=PT2S;evs.install_timeout=PT2S;pc.wait_prim_timeout=PT30S"
# mariabackup copies a donor while it keeps running and works when the servers run as root (the
# rsync method's daemon does not); it logs in to the donor over its socket as root (unix_socket).
wsrep_sst_method         = mariabackup
wsrep_sst_auth           = root:
wsrep_slave_threads      = 2
# Reads wait until this node has applied everything committed before them in the cluster.
wsrep_sync_wait          = 1

[sst]
sst-syslog               = -1
EOF
}

# Run once on the bootstrap node (as root, over its socket); Galera replicates it to the others.
bootstrap_sql() {
    mariadb --no-defaults -S "$DIR/galera$1/mysqld.sock" -uroot <<EOF
CREATE USER IF NOT EXISTS 'haproxy'@'127.0.0.1';
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
EOF
}

galera_answers() {
    local n="$1"
    [[ "$(mariadb --no-defaults -S "$DIR/galera$n/mysqld.sock" -uroot --connect-timeout=2 -N -B -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | awk '{print $2}')" == Synced ]]
}

# Recovers the last committed position of a node that was killed (grastate.dat says -1), so it
# rejoins by incremental state transfer (IST) instead of a full copy.
galera_start_position() {
    local n="$1" data="$DIR/galera$1/data" pos
    grep -q '^seqno: *-1' "$data/grastate.dat" 2>/dev/null || return 0
    pos="$(mariadbd --defaults-file="$DIR/galera$n/my.cnf" --wsrep-recover --log-error="$DIR/galera$n/recover.log" >/dev/null 2>&1;
        grep -o 'Recovered position: [^ ]*' "$DIR/galera$n/recover.log" | tail -1 | awk '{print $3}')" || true
    rm -f "$DIR/galera$n/recover.log"
    [[ -n $pos ]] && printf -- '--wsrep-start-position=%s' "$pos"
}

start_galera() {
    local n="$1" bootstrap="${2:-}" data="$DIR/galera$1/data" extra=()
    alive "galera$n" && return 0
    mkdir -p "$data"
    galera_cnf "$n"
    if [[ $bootstrap == new ]]; then
        # A node that joined by state transfer has a datadir too: initialise only an empty one.
        if [[ ! -d $data/mysql ]]; then
            rm -rf "$data" && mkdir -p "$data"
            mariadb-install-db --defaults-file="$DIR/galera$n/my.cnf" --user="$(id -un)" --skip-test-db \
                >>"$DIR/galera$n/log" 2>&1 || die "mariadb-install-db failed ($DIR/galera$n/log)"
        fi
        sed -i 's/^safe_to_bootstrap: *0/safe_to_bootstrap: 1/' "$data/grastate.dat" 2>/dev/null || true
        extra+=(--wsrep-new-cluster)
    fi
    local pos
    pos="$(galera_start_position "$n")"
    [[ -n $pos ]] && extra+=("$pos")
    log "galera$n: starting on 127.0.0.1:$(eval echo "\$GALERA$n") ${extra[*]}"
    spawn "galera$n" mariadbd --defaults-file="$DIR/galera$n/my.cnf" "${extra[@]}"
}

# ---------------------------------------------------------------------------- Redis and Sentinel
start_redis() {
    local n="$1" port="REDIS$1" replica=""
    alive "redis$n" && return 0
    mkdir -p "$DIR/redis$n"
    # A node that restarts comes back as a replica of whoever the Sentinels made primary.
    if [[ -s $DIR/sentinel1/sentinel.conf ]] && master="$(redis-cli -p "$SENTINEL1" sentinel get-master-addr-by-name "$SERVICE" 2>/dev/null | tail -1)" && [[ -n $master && $master != "${!port}" ]]; then
        replica="replicaof 127.0.0.1 $master"
    elif [[ $n != 1 ]]; then
        replica="replicaof 127.0.0.1 $REDIS1"
    fi
    cat >"$DIR/redis$n/redis.conf" <<EOF
bind 127.0.0.1
port ${!port}
dir $DIR/redis$n
save ""
appendonly no
$replica
EOF
    log "redis$n: starting on 127.0.0.1:${!port} ${replica}"
    spawn "redis$n" redis-server "$DIR/redis$n/redis.conf"
}

start_sentinel() {
    local n="$1" port="SENTINEL$1"
    alive "sentinel$n" && return 0
    mkdir -p "$DIR/sentinel$n"
    # Sentinel rewrites its file with what it learns; write it only once.
    if [[ ! -s $DIR/sentinel$n/sentinel.conf ]]; then
        cat >"$DIR/sentinel$n/sentinel.conf" <<EOF
bind 127.0.0.1
port ${!port}
dir $DIR/sentinel$n
sentinel monitor $SERVICE 127.0.0.1 $REDIS1 2
sentinel down-after-milliseconds $SERVICE 1000
sentinel failover-timeout $SERVICE 5000
sentinel parallel-syncs $SERVICE 1
EOF
    fi
    log "sentinel$n: starting on 127.0.0.1:${!port}"
    spawn "sentinel$n" redis-sentinel "$DIR/sentinel$n/sentinel.conf"
}

redis_answers() { [[ "$(redis-cli -p "$1" ping 2>/dev/null)" == PONG ]]; }

# ---------------------------------------------------------------------------- gateways
# The key-encryption key every gateway of the cluster shares (they read each other's sealed personal
# data), made once per cluster folder and kept private.
cluster_kek() {
    if [[ ! -s "$DIR/kek" ]]; then
        (umask 077 && head -c 32 /dev/urandom | base64 >"$DIR/kek")
    fi
    cat "$DIR/kek"
}

start_gateway() {
    local n="$1" port="GW$1"
    alive "gw$n" && return 0
    [[ -f $GATEWAY_DLL ]] || die "no gateway build at $GATEWAY_DLL (dotnet build -c Release src/ResolutionGateway, or set RG_GATEWAY_DLL)"
    mkdir -p "$DIR/gw$n"
    log "gw$n: starting on 127.0.0.1:${!port}"
    RG_DATA_DIR="$DIR/gw$n" Storage__Provider=MySql \
        Storage__MySql__ConnectionString="Server=127.0.0.1;Port=$LB_MYSQL;User ID=$DB_USER;Password=$DB_PASSWORD;Database=$DB_NAME" \
        Redis__Configuration="$(redis_configuration)" Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:${!port}" \
        Logging__LogLevel__Default=Warning Webhooks__AllowHttp=true Webhooks__Lease=00:00:10 \
        Kestrel__Endpoints__Http__Url="http://127.0.0.1:0" Metrics__Url="http://127.0.0.1:0" \
        PersonalData__Kek="$(cluster_kek)" \
        spawn "gw$n" dotnet "$GATEWAY_DLL"
}

# The readiness probe the balancer uses too: grpc.health.v1.Health/Check for "" (storage included).
gateway_serving() {
    local port="GW$1"
    "$root/tools/cluster/grpc-health-check.sh" x x 127.0.0.1 "${!port}" 2>/dev/null
}

# ---------------------------------------------------------------------------- HAProxy
write_haproxy_cfg() {
    cat >"$DIR/haproxy/haproxy.cfg" <<EOF
# Generated by cluster.sh, rewritten on every start.
global
    maxconn 4000
    external-check
    insecure-fork-wanted
    pidfile $DIR/haproxy/pid

defaults
    timeout connect 2s
    timeout check 1s
    # Watch streams stay open for as long as the client wants.
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h

# gRPC over h2c. HAProxy 2.6 can send an HTTP/2 check (check-proto h2), but a gRPC health request
# needs a 5-byte binary body (a NUL-filled frame) that its config strings cannot hold, and the answer
# (SERVING) is in a protobuf body with the status in trailers; so the check is an external command,
# grpc-health-check.sh, which asks grpc.health.v1 over h2c with curl. A dead, frozen or NOT_SERVING
# gateway leaves the pool after 2 failed checks (1 s apart).
frontend grpc
    mode http
    bind 127.0.0.1:$LB_GRPC proto h2
    default_backend gateways

backend gateways
    mode http
    balance roundrobin
    option external-check
    external-check path "/usr/bin:/bin"
    external-check command $root/tools/cluster/grpc-health-check.sh
    retry-on conn-failure empty-response
    option redispatch
    server gw1 127.0.0.1:$GW1 proto h2 check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
    server gw2 127.0.0.1:$GW2 proto h2 check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
    server gw3 127.0.0.1:$GW3 proto h2 check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions

$(mysql_balance)
listen mysql
    mode tcp
    bind 127.0.0.1:$LB_MYSQL
$(mysql_balance rules)
    option mysql-check user haproxy post-41
    server galera1 127.0.0.1:$GALERA1 check inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions
    server galera2 127.0.0.1:$GALERA2 check inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions
    server galera3 127.0.0.1:$GALERA3 check inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions

listen stats
    mode http
    bind 127.0.0.1:$LB_STATS
    stats enable
    stats uri /
EOF
}

# How HAProxy spreads MySQL connections: RG_CLUSTER_WRITERS=one (default) or all. With no argument the
# comment for the config, with "rules" its lines.
mysql_balance() {
    if [[ $WRITERS == all ]]; then
        [[ -z ${1:-} ]] && printf '%s\n' "# MySQL: every node takes writes (RG_CLUSTER_WRITERS=all): connections are spread over the" \
            "# healthy nodes (leastconn), so concurrent writes certify against each other (1213 at COMMIT)." \
            "# mysql-check logs in as 'haproxy' (no password, no grants), so a frozen node fails it."
        [[ ${1:-} == rules ]] && printf '    balance leastconn\n'
    else
        [[ -z ${1:-} ]] && printf '%s\n' "# MySQL: one writer at a time. balance first + a one-entry stick table: every connection goes to the" \
            "# node the first one went to, until that node fails its check; a node that comes back does not take" \
            "# the writes back. mysql-check logs in as 'haproxy' (no password, no grants), so a frozen node fails it."
        [[ ${1:-} == rules ]] && printf '%s\n' "    balance first" "    stick-table type integer size 1 expire 1d" "    stick on int(1)"
    fi
    return 0
}

start_haproxy() {
    alive haproxy && return 0
    mkdir -p "$DIR/haproxy"
    write_haproxy_cfg
    haproxy -c -q -f "$DIR/haproxy/haproxy.cfg" >&2 || die "haproxy config invalid"
    log "haproxy: gRPC on 127.0.0.1:$LB_GRPC, MySQL on 127.0.0.1:$LB_MYSQL, stats on 127.0.0.1:$LB_STATS, writers: $WRITERS"
    # -db: stay in the foreground (no daemon), so the recorded pid is HAProxy's.
    spawn haproxy haproxy -db -f "$DIR/haproxy/haproxy.cfg"
}

# The Galera node HAProxy sends connections to now.
writer() {
    curl -s "http://127.0.0.1:$LB_STATS/;csv" | awk -F, '$1=="mysql" && $2 ~ /^galera/ && $5 > 0 {print $2}' | head -1
}

# The Redis node the Sentinels report as primary now (redis1 or redis2).
redis_primary() {
    local port
    port="$(redis-cli -p "$SENTINEL1" sentinel get-master-addr-by-name "$SERVICE" 2>/dev/null | tail -1)"
    [[ $port == "$REDIS1" ]] && echo redis1
    [[ $port == "$REDIS2" ]] && echo redis2
    return 0
}

# ---------------------------------------------------------------------------- commands
start_one() {
    case "$1" in
        galera[1-3]) start_galera "${1#galera}" ;;
        redis[1-2]) start_redis "${1#redis}" ;;
        sentinel[1-3]) start_sentinel "${1#sentinel}" ;;
        gw[1-3]) start_gateway "${1#gw}" ;;
        haproxy) start_haproxy ;;
        *) die "unknown NAME $1" ;;
    esac
}

all_names=(gw1 gw2 gw3 haproxy sentinel1 sentinel2 sentinel3 redis2 redis1 galera3 galera2 galera1)

cmd_start() {
    ensure_packages
    load_ports
    # Bootstrap from the node the last clean stop marked safe (or node 1), then join the others.
    local first=1 n
    for n in 1 2 3; do
        grep -q '^safe_to_bootstrap: *1' "$DIR/galera$n/data/grastate.dat" 2>/dev/null && first=$n
    done
    if ! alive galera1 && ! alive galera2 && ! alive galera3; then
        start_galera "$first" new
        wait_for "galera$first" galera_answers "$first"
        bootstrap_sql "$first" || die "bootstrap SQL failed"
    fi
    # One joiner at a time: a donor serving two state transfers at once failed them here.
    for n in 1 2 3; do
        start_galera "$n"
        wait_for "galera$n" galera_answers "$n"
    done
    start_redis 1 && start_redis 2
    wait_for redis1 redis_answers "$REDIS1" && wait_for redis2 redis_answers "$REDIS2"
    for n in 1 2 3; do start_sentinel "$n"; done
    start_haproxy
    wait_for "haproxy (MySQL)" port_open "$LB_MYSQL"
    [[ -f $GATEWAY_DLL ]] || { log "building the gateway (Release)"; dotnet build -c Release "$root/src/ResolutionGateway" >&2 || die "build failed"; }
    # The first gateway creates the schema and the admin key; the others then find both.
    start_gateway 1
    wait_for gw1 gateway_serving 1
    start_gateway 2 && start_gateway 3
    wait_for gw2 gateway_serving 2 && wait_for gw3 gateway_serving 3
    log "ready: clients use http://127.0.0.1:$LB_GRPC"
    print_env
}

stop_one() {
    local name="$1" pid
    pid="$(pid_of "$name")" || return 0
    alive "$name" || return 0
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do alive "$name" || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
    load_ports
    local name
    for name in "${all_names[@]}"; do stop_one "$name"; done
    log "stopped"
}

cmd_status() {
    load_ports
    local name rc=0
    for name in "${all_names[@]}"; do
        if alive "$name"; then
            [[ "$(awk '{print $3}' "/proc/$(pid_of "$name")/stat")" == T ]] && echo "$name: frozen" || echo "$name: up"
        else
            echo "$name: DOWN"
            rc=1
        fi
    done
    echo "writer: $(writer)"
    echo "redis primary: $(redis-cli -p "$SENTINEL1" sentinel get-master-addr-by-name "$SERVICE" 2>/dev/null | tr '\n' ':' | sed 's/:$//')"
    return "$rc"
}

signal_one() {
    local sig="$1" name="$2" pid
    load_ports
    [[ $name == writer ]] && name="$(writer)"
    [[ $name == redis-primary ]] && name="$(redis_primary)"
    pid="$(pid_of "$name")" || die "$name is not running"
    alive "$name" || die "$name is not running"
    log "$name: SIG$sig (pid $pid)"
    kill "-$sig" "$pid"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) load_ports && print_env ;;
    writer) load_ports && writer ;;
    redis-primary) load_ports && redis_primary ;;
    wait)
        load_ports
        case "${2:?NAME}" in
            galera*) wait_for "$2" galera_answers "${2#galera}" ;;
            gw*) wait_for "$2" gateway_serving "${2#gw}" ;;
            redis*) port="REDIS${2#redis}" && wait_for "$2" redis_answers "${!port}" ;;
        esac
        ;;
    kill) signal_one KILL "${2:?NAME}" ;;
    freeze) signal_one STOP "${2:?NAME}" ;;
    thaw) signal_one CONT "${2:?NAME}" ;;
    restart)
        load_ports
            stop_one "${2:?NAME}"
        start_one "$2"
        case "$2" in
            galera*) wait_for "$2" galera_answers "${2#galera}" ;;
            gw*) wait_for "$2" gateway_serving "${2#gw}" ;;
        esac
        ;;
    *)
        sed -n '2,14p' "$0" >&2
        exit 2
        ;;
esac
