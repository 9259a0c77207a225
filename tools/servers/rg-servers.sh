#!/usr/bin/env bash
# rg-servers.sh — run real MariaDB and Redis servers for ResolutionGateway as
# plain background processes on 127.0.0.1 (no Docker, no systemd).
#
# Used by integration tests and for local production-like runs. Each server
# gets its own folder under $RG_SERVERS_DIR (config, data, pid, socket, log),
# so it never collides with a system-wide MariaDB/Redis on the default ports.
#
# Usage: rg-servers.sh {start|stop|status|env|reset|start-mariadb|stop-mariadb|start-redis|stop-redis}
#
#   eval "$(tools/servers/rg-servers.sh start)"   # RG_MYSQL / RG_REDIS exported
#
# Environment (all optional):
#   RG_SERVERS_DIR      state folder                    (default /tmp/rg-servers)
#   RG_MYSQL_PORT       MariaDB TCP port                (default 33306)
#   RG_REDIS_PORT       Redis TCP port                  (default 16379)
#   RG_SERVERS_TIMEOUT  seconds to wait for start/stop  (default 60)
#
# Only the final `export ...` lines go to stdout; all progress goes to stderr,
# which is what makes the `eval "$(...)"` form above safe.

set -euo pipefail

# ----------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------
SERVERS_DIR="${RG_SERVERS_DIR:-/tmp/rg-servers}"
MYSQL_PORT="${RG_MYSQL_PORT:-33306}"
REDIS_PORT="${RG_REDIS_PORT:-16379}"
TIMEOUT="${RG_SERVERS_TIMEOUT:-60}"

# Test credentials; intentionally fixed and documented (loopback-only servers).
DB_USER="rg"
DB_PASSWORD="rg"
DB_NAME="resolution"
DB_TEST_NAME="resolution_test"

MARIADB_DIR="$SERVERS_DIR/mariadb"
MARIADB_DATA="$MARIADB_DIR/data"
MARIADB_CNF="$MARIADB_DIR/my.cnf"
MARIADB_INIT_SQL="$MARIADB_DIR/init.sql"
MARIADB_SOCK="$MARIADB_DIR/mysqld.sock"
MARIADB_PID="$MARIADB_DIR/mysqld.pid"
MARIADB_LOG="$MARIADB_DIR/mariadb.log"
# Written only after mariadb-install-db succeeded, so a half-initialised
# datadir (e.g. interrupted first run) is detected and redone.
MARIADB_INIT_MARKER="$MARIADB_DATA/.rg-initialised"

REDIS_DIR="$SERVERS_DIR/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

# Fail early on typos: a bad port would otherwise surface as a confusing
# timeout (mariadbd silently clamps out-of-range ports).
check_number() {
    local name="$1" value="$2" min="$3" max="$4"
    if [[ ! "$value" =~ ^[0-9]+$ ]] || ((10#$value < min || 10#$value > max)); then
        printf '[rg-servers] ERROR: %s=%s is not a number in %s..%s\n' "$name" "$value" "$min" "$max" >&2
        exit 2
    fi
}
check_number RG_MYSQL_PORT "$MYSQL_PORT" 1 65535
check_number RG_REDIS_PORT "$REDIS_PORT" 1 65535
check_number RG_SERVERS_TIMEOUT "$TIMEOUT" 1 3600
if [[ "$MYSQL_PORT" == "$REDIS_PORT" ]]; then
    printf '[rg-servers] ERROR: RG_MYSQL_PORT and RG_REDIS_PORT are both %s\n' "$MYSQL_PORT" >&2
    exit 2
fi

# Server binaries live in /usr/sbin on Debian, which is not always on a
# non-root user's PATH.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

# mariadbd refuses to run as root unless told so explicitly; as non-root it
# simply runs as the current user.
RUN_USER="$(id -un)"

# Set by install_packages when it creates a temporary policy-rc.d, so the
# EXIT trap can remove it again.
CREATED_POLICY_RC_D=""

# ----------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------
log() { printf '[rg-servers] %s\n' "$*" >&2; }

die() {
    log "ERROR: $*"
    exit 1
}

# First of the given command names found on PATH (MariaDB ships both the new
# mariadb-* names and the legacy mysql* names depending on version).
find_cmd() {
    local c
    for c in "$@"; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

# True if the pid is a running process. A zombie counts as dead: our daemons
# are re-parented to pid 1, and a minimal init (containers, CI VMs) may take
# a while to reap them, during which `kill -0` still succeeds.
pid_alive() {
    local pid="$1" stat
    kill -0 "$pid" 2>/dev/null || return 1
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
    # Field 3 (after the parenthesised command name) is the state letter.
    stat="${stat##*) }"
    [[ "${stat:0:1}" != [ZX] ]]
}

# Prints the pid from a pid file if that process is alive and its name matches
# the pattern (guards against a stale pid file whose pid got reused).
live_pid() {
    local pidfile="$1" pattern="$2" pid comm
    [[ -s "$pidfile" ]] || return 1
    pid="$(tr -dc '0-9' <"$pidfile")"
    [[ -n "$pid" ]] || return 1
    pid_alive "$pid" || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    [[ "$comm" =~ $pattern ]] || return 1
    printf '%s\n' "$pid"
}

# True if something accepts TCP connections on 127.0.0.1:$1 (bash /dev/tcp,
# so no netcat/ss dependency).
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits until pid $1 is gone, at most $2 seconds.
wait_pid_gone() {
    local pid="$1" limit="$2" i
    for ((i = 0; i < limit * 10; i++)); do
        pid_alive "$pid" || return 0
        sleep 0.1
    done
    return 1
}

# SIGTERM, wait up to $2 seconds, then SIGKILL as the last resort.
terminate_pid() {
    local pid="$1" limit="$2" what="$3"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_pid_gone "$pid" "$limit"; then
        log "$what: pid $pid still alive after ${limit}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        wait_pid_gone "$pid" 10 || die "$what: pid $pid survived SIGKILL"
    fi
}

show_log_tail() {
    local file="$1"
    if [[ -f "$file" ]]; then
        log "---- last 40 lines of $file ----"
        tail -n 40 "$file" >&2 || true
        log "---- end of $file ----"
    fi
}

print_env() {
    printf 'export RG_MYSQL="Server=127.0.0.1;Port=%s;User ID=%s;Password=%s;Database=%s"\n' \
        "$MYSQL_PORT" "$DB_USER" "$DB_PASSWORD" "$DB_NAME"
    printf 'export RG_REDIS="127.0.0.1:%s"\n' "$REDIS_PORT"
}

# Serialise concurrent invocations (parallel test jobs calling start at the
# same time would otherwise race on install-db and on the ports). The lock fd
# is closed in the daemons' launch commands so they do not inherit the lock.
take_lock() {
    mkdir -p "$SERVERS_DIR"
    exec 9>"$SERVERS_DIR/.lock"
    if command -v flock >/dev/null 2>&1; then
        flock -w "$((TIMEOUT * 3))" 9 || die "could not get lock $SERVERS_DIR/.lock"
    fi
}

cleanup() {
    if [[ -n "$CREATED_POLICY_RC_D" ]]; then
        rm -f "$CREATED_POLICY_RC_D"
    fi
}
trap cleanup EXIT

# ----------------------------------------------------------------------------
# Binaries / installation
# ----------------------------------------------------------------------------
MARIADBD="" MARIADB_CLIENT="" MARIADB_INSTALL_DB="" REDIS_SERVER="" REDIS_CLI=""

locate_binaries() {
    MARIADBD="$(find_cmd mariadbd mysqld || true)"
    MARIADB_CLIENT="$(find_cmd mariadb mysql || true)"
    MARIADB_INSTALL_DB="$(find_cmd mariadb-install-db mysql_install_db || true)"
    REDIS_SERVER="$(find_cmd redis-server || true)"
    REDIS_CLI="$(find_cmd redis-cli || true)"
}

binaries_present() {
    [[ -n "$MARIADBD" && -n "$MARIADB_CLIENT" && -n "$MARIADB_INSTALL_DB" &&
        -n "$REDIS_SERVER" && -n "$REDIS_CLI" ]]
}

# Installs the Debian packages on a fresh machine (CI). Only runs as root and
# only when something is missing.
install_packages() {
    if [[ "$(id -u)" -ne 0 ]]; then
        die "mariadb/redis binaries missing and not root: install mariadb-server mariadb-client redis-server first"
    fi
    command -v apt-get >/dev/null 2>&1 || die "binaries missing and apt-get not available"

    # Debian's invoke-rc.d consults policy-rc.d; exit 101 = "do not start
    # services". This keeps the packages' postinst from launching a system
    # MariaDB/Redis on 3306/6379. Respect an existing policy file (Docker-style
    # images already ship one) and only remove the one we created.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\n# temporary, created by rg-servers.sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        CREATED_POLICY_RC_D=/usr/sbin/policy-rc.d
    fi

    log "installing mariadb-server mariadb-client redis-server (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    local apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    apt-get "${apt_opts[@]}" update -qq >&2 || die "apt-get update failed"
    apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends \
        mariadb-server mariadb-client redis-server >&2 || die "apt-get install failed"

    # Belt and braces: if a system service got started anyway (policy-rc.d was
    # present but permissive, or systemd is running), stop it so only our
    # instances run. Failures are fine: usually nothing is running.
    service mariadb stop >/dev/null 2>&1 || true
    service redis-server stop >/dev/null 2>&1 || true
    if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
        systemctl stop mariadb redis-server >/dev/null 2>&1 || true
    fi

    if [[ -n "$CREATED_POLICY_RC_D" ]]; then
        rm -f "$CREATED_POLICY_RC_D"
        CREATED_POLICY_RC_D=""
    fi
}

ensure_binaries() {
    locate_binaries
    if ! binaries_present; then
        install_packages
        locate_binaries
        binaries_present || die "packages installed but binaries still missing (mariadbd=$MARIADBD redis-server=$REDIS_SERVER)"
    fi
}

# ----------------------------------------------------------------------------
# MariaDB
# ----------------------------------------------------------------------------
mariadb_pid() { live_pid "$MARIADB_PID" '^(mariadbd|mysqld)$'; }

# SELECT 1 as the application user over TCP: proves the server is up, the
# port is right and the bootstrap (user/grants) happened.
mariadb_answers() {
    [[ -n "$MARIADB_CLIENT" ]] || locate_binaries
    [[ -n "$MARIADB_CLIENT" ]] || return 1
    # --no-defaults: ignore /etc/mysql client settings (e.g. a default socket).
    "$MARIADB_CLIENT" --no-defaults --protocol=TCP -h127.0.0.1 -P"$MYSQL_PORT" \
        -u"$DB_USER" --password="$DB_PASSWORD" --connect-timeout=2 \
        -N -B -e 'SELECT 1' >/dev/null 2>&1
}

# Our own option file; passed with --defaults-file so /etc/mysql/* (system
# datadir, socket, port 3306) is never read. Rewritten on every start so
# port/setting changes in this script take effect.
write_mariadb_config() {
    cat >"$MARIADB_CNF" <<EOF
# Generated by rg-servers.sh — do not edit, it is rewritten on every start.
[mysqld]
user                           = $RUN_USER
datadir                        = "$MARIADB_DATA"
socket                         = "$MARIADB_SOCK"
pid-file                       = "$MARIADB_PID"
# Temporary tables of large statements (a GROUP BY over millions of rows) in our own folder: a
# shared /tmp can be cleaned under a running statement.
tmpdir                         = "$MARIADB_DIR/tmp"
port                           = $MYSQL_PORT
bind-address                   = 127.0.0.1
skip-name-resolve
# Small-machine sizing (2 cores); tests open many pooled connections.
innodb_buffer_pool_size        = 256M
max_connections                = 500
# Durability matters: flush the redo log on every commit, like production.
innodb_flush_log_at_trx_commit = 1
character-set-server           = utf8mb4
collation-server               = utf8mb4_unicode_ci
max_allowed_packet             = 64M
# Bootstrap SQL (idempotent) executed at every start before connections are
# accepted, so the app user always exists without needing root auth.
init-file                      = "$MARIADB_INIT_SQL"

[client]
socket                         = "$MARIADB_SOCK"
port                           = $MYSQL_PORT
EOF
}

# One statement per line (init-file parsing is line based in older servers).
write_mariadb_init_sql() {
    cat >"$MARIADB_INIT_SQL" <<EOF
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`$DB_TEST_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'localhost';
EOF
}

# First-time datadir creation. A datadir without our marker is a leftover of
# an interrupted init and is recreated from scratch.
init_mariadb_datadir() {
    if [[ -f "$MARIADB_INIT_MARKER" ]]; then
        return 0
    fi
    if [[ -d "$MARIADB_DATA" ]]; then
        log "mariadb: datadir $MARIADB_DATA is incomplete, re-initialising"
        rm -rf "$MARIADB_DATA"
    fi
    mkdir -p "$MARIADB_DATA"
    log "mariadb: initialising datadir with $(basename "$MARIADB_INSTALL_DB")..."
    # --defaults-file must be the first option.
    if ! "$MARIADB_INSTALL_DB" --defaults-file="$MARIADB_CNF" \
        --user="$RUN_USER" --datadir="$MARIADB_DATA" \
        --skip-test-db --skip-name-resolve \
        >>"$MARIADB_LOG" 2>&1 9>&-; then
        show_log_tail "$MARIADB_LOG"
        die "mariadb: $MARIADB_INSTALL_DB failed"
    fi
    touch "$MARIADB_INIT_MARKER"
}

# Waits until MariaDB answers while pid $1 stays alive. Returns 0 when it
# answers, 1 if the process died, 2 on timeout.
wait_mariadb_up() {
    local pid="$1" i
    for ((i = 0; i < TIMEOUT * 4; i++)); do
        if mariadb_answers; then
            return 0
        fi
        pid_alive "$pid" || return 1
        sleep 0.25
    done
    return 2
}

start_mariadb() {
    local pid rc=0
    mkdir -p "$MARIADB_DIR" "$MARIADB_DIR/tmp"

    if pid="$(mariadb_pid)"; then
        if mariadb_answers; then
            log "mariadb: already running (pid $pid, port $MYSQL_PORT)"
            return 0
        fi
        # Alive but not answering (still booting, or busy shutting down): wait for
        # it rather than launching a second server on the same datadir.
        log "mariadb: pid $pid alive but not answering yet, waiting"
        wait_mariadb_up "$pid" || rc=$?
        case "$rc" in
            0)
                log "mariadb: up (pid $pid, port $MYSQL_PORT)"
                return 0
                ;;
            1) log "mariadb: pid $pid went away, starting a new server" ;;
            *)
                show_log_tail "$MARIADB_LOG"
                die "mariadb: pid $pid not answering on 127.0.0.1:$MYSQL_PORT after ${TIMEOUT}s"
                ;;
        esac
    fi

    if port_open "$MYSQL_PORT"; then
        die "mariadb: port $MYSQL_PORT on 127.0.0.1 is already in use by another process (set RG_MYSQL_PORT)"
    fi
    write_mariadb_config
    write_mariadb_init_sql
    init_mariadb_datadir
    rm -f "$MARIADB_PID"

    log "mariadb: starting on 127.0.0.1:$MYSQL_PORT (data $MARIADB_DATA)"
    # mariadbd does not daemonise itself. setsid detaches it from our session
    # and terminal (no SIGHUP when the CI step/shell ends); all stdio is
    # redirected so `$(rg-servers.sh start)` does not wait on an inherited
    # stdout; fd 9 (our lock) is closed so the daemon does not hold it.
    # No mysqld_safe on purpose: it would auto-restart a killed server, which
    # defeats failover tests.
    setsid "$MARIADBD" --defaults-file="$MARIADB_CNF" \
        </dev/null >>"$MARIADB_LOG" 2>&1 9>&- &
    pid=$!

    rc=0
    wait_mariadb_up "$pid" || rc=$?
    case "$rc" in
        0) log "mariadb: up (pid $pid, port $MYSQL_PORT)" ;;
        1)
            show_log_tail "$MARIADB_LOG"
            die "mariadb: server process exited during startup (log: $MARIADB_LOG)"
            ;;
        *)
            show_log_tail "$MARIADB_LOG"
            # Do not leave a half-working server behind that the next start would
            # mistake for ours.
            terminate_pid "$pid" 10 mariadb
            die "mariadb: not answering on 127.0.0.1:$MYSQL_PORT after ${TIMEOUT}s (log: $MARIADB_LOG)"
            ;;
    esac
}

stop_mariadb() {
    local pid
    if ! pid="$(mariadb_pid)"; then
        log "mariadb: not running"
        rm -f "$MARIADB_PID"
        return 0
    fi
    # SIGTERM is mariadbd's normal clean shutdown (same as mariadb-admin
    # shutdown) and needs no credentials.
    log "mariadb: stopping pid $pid"
    terminate_pid "$pid" "$TIMEOUT" mariadb
    rm -f "$MARIADB_PID"
    log "mariadb: stopped"
}

# ----------------------------------------------------------------------------
# Redis
# ----------------------------------------------------------------------------
redis_pid() { live_pid "$REDIS_PID" '^redis-server'; }

redis_answers() {
    [[ -n "$REDIS_CLI" ]] || locate_binaries
    [[ -n "$REDIS_CLI" ]] || return 1
    local reply
    reply="$("$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)"
    [[ "$reply" == "PONG" ]]
}

# Rewritten on every start, like the MariaDB one. Pure cache for tests:
# no RDB snapshots, no AOF.
write_redis_config() {
    cat >"$REDIS_CONF" <<EOF
# Generated by rg-servers.sh — do not edit, it is rewritten on every start.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
supervised no
pidfile "$REDIS_PID"
logfile "$REDIS_LOG"
dir "$REDIS_DIR"
appendonly no
save ""
always-show-logo no
EOF
}

# Waits until Redis answers. $1 is the pid if known; otherwise it is picked
# up from the pid file, which the daemonised child writes shortly after
# forking. Returns 0 when it answers, 1 if the process died, 2 on timeout.
wait_redis_up() {
    local pid="$1" i
    for ((i = 0; i < TIMEOUT * 4; i++)); do
        if redis_answers; then
            return 0
        fi
        if [[ -z "$pid" ]]; then
            pid="$(redis_pid || true)"
        elif ! pid_alive "$pid"; then
            return 1
        fi
        sleep 0.25
    done
    return 2
}

start_redis() {
    local pid rc=0
    mkdir -p "$REDIS_DIR"

    if pid="$(redis_pid)"; then
        if redis_answers; then
            log "redis: already running (pid $pid, port $REDIS_PORT)"
            return 0
        fi
        log "redis: pid $pid alive but not answering yet, waiting"
        wait_redis_up "$pid" || rc=$?
        case "$rc" in
            0)
                log "redis: up (pid $pid, port $REDIS_PORT)"
                return 0
                ;;
            1) log "redis: pid $pid went away, starting a new server" ;;
            *)
                show_log_tail "$REDIS_LOG"
                die "redis: pid $pid not answering on 127.0.0.1:$REDIS_PORT after ${TIMEOUT}s"
                ;;
        esac
    fi

    if port_open "$REDIS_PORT"; then
        die "redis: port $REDIS_PORT on 127.0.0.1 is already in use by another process (set RG_REDIS_PORT)"
    fi
    write_redis_config
    rm -f "$REDIS_PID"
    log "redis: starting on 127.0.0.1:$REDIS_PORT (dir $REDIS_DIR)"
    # daemonize yes: redis forks and the parent returns at once. Errors before
    # the logfile is opened (bad config) go to stderr, so append that to the
    # log; fd 9 (our lock) is closed so the daemon does not hold it.
    if ! "$REDIS_SERVER" "$REDIS_CONF" </dev/null >/dev/null 2>>"$REDIS_LOG" 9>&-; then
        show_log_tail "$REDIS_LOG"
        die "redis: redis-server failed to start (log: $REDIS_LOG)"
    fi

    rc=0
    wait_redis_up "" || rc=$?
    case "$rc" in
        0) log "redis: up (pid $(redis_pid || echo '?'), port $REDIS_PORT)" ;;
        1)
            show_log_tail "$REDIS_LOG"
            die "redis: server process exited during startup (log: $REDIS_LOG)"
            ;;
        *)
            show_log_tail "$REDIS_LOG"
            if pid="$(redis_pid)"; then
                terminate_pid "$pid" 10 redis
            fi
            die "redis: not answering on 127.0.0.1:$REDIS_PORT after ${TIMEOUT}s (log: $REDIS_LOG)"
            ;;
    esac
}

stop_redis() {
    local pid
    if ! pid="$(redis_pid)"; then
        log "redis: not running"
        rm -f "$REDIS_PID"
        return 0
    fi
    log "redis: stopping pid $pid"
    [[ -n "$REDIS_CLI" ]] || locate_binaries
    # SHUTDOWN NOSAVE: data is throw-away by design (save "" / appendonly no).
    # The connection drops during shutdown, so the exit code is meaningless.
    if [[ -n "$REDIS_CLI" ]]; then
        "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    if ! wait_pid_gone "$pid" 10; then
        terminate_pid "$pid" "$TIMEOUT" redis
    fi
    rm -f "$REDIS_PID"
    log "redis: stopped"
}

# ----------------------------------------------------------------------------
# Subcommands
# ----------------------------------------------------------------------------
cmd_status() {
    local rc=0 pid
    locate_binaries
    if mariadb_answers; then
        pid="$(mariadb_pid || echo '?')"
        echo "mariadb: up (127.0.0.1:$MYSQL_PORT, pid $pid)"
    else
        echo "mariadb: DOWN (127.0.0.1:$MYSQL_PORT)"
        rc=1
    fi
    if redis_answers; then
        pid="$(redis_pid || echo '?')"
        echo "redis: up (127.0.0.1:$REDIS_PORT, pid $pid)"
    else
        echo "redis: DOWN (127.0.0.1:$REDIS_PORT)"
        rc=1
    fi
    return "$rc"
}

# Removes only the folders this script creates, never the whole
# $RG_SERVERS_DIR blindly (it comes from the environment).
cmd_reset() {
    stop_mariadb
    stop_redis
    log "deleting $MARIADB_DIR and $REDIS_DIR"
    rm -rf -- "$MARIADB_DIR" "$REDIS_DIR"
    # The .lock file stays: deleting it while other invocations may be waiting
    # on it would let two of them proceed at once.
}

usage() {
    cat >&2 <<EOF
Usage: $(basename "$0") COMMAND

  start          install packages if missing, start MariaDB + Redis, print exports
  stop           stop both servers (data folders are kept)
  start-mariadb  start MariaDB only (reuses existing data)
  stop-mariadb   stop MariaDB only
  start-redis    start Redis only
  stop-redis     stop Redis only
  status         show whether each server answers; exit 0 if both are up
  env            print the export lines only
  reset          stop both and delete their data folders

  eval "\$($(basename "$0") start)"   # sets RG_MYSQL and RG_REDIS

Environment: RG_SERVERS_DIR (default /tmp/rg-servers), RG_MYSQL_PORT (33306),
             RG_REDIS_PORT (16379), RG_SERVERS_TIMEOUT (60 s)
Current:     dir=$SERVERS_DIR mysql=$MYSQL_PORT redis=$REDIS_PORT
EOF
}

main() {
    local cmd="${1:-}" t0=$SECONDS
    case "$cmd" in
        start)
            take_lock
            ensure_binaries
            start_mariadb
            start_redis
            log "ready in $((SECONDS - t0))s"
            print_env
            ;;
        start-mariadb)
            take_lock
            ensure_binaries
            start_mariadb
            print_env
            ;;
        start-redis)
            take_lock
            ensure_binaries
            start_redis
            print_env
            ;;
        stop)
            take_lock
            stop_mariadb
            stop_redis
            ;;
        stop-mariadb)
            take_lock
            stop_mariadb
            ;;
        stop-redis)
            take_lock
            stop_redis
            ;;
        status) cmd_status ;;
        env) print_env ;;
        reset)
            take_lock
            cmd_reset
            ;;
        -h | --help | help)
            usage
            ;;
        *)
            usage
            exit 2
            ;;
    esac
}

main "$@"
