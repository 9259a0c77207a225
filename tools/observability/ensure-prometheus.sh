#!/usr/bin/env bash
# ensure-prometheus.sh — makes sure Prometheus and promtool (Debian's `prometheus` package) are
# installed, for the Prometheus test and the alert-rule check of tools/test.sh. Installs the
# package with apt-get when missing (root), without starting its system service: the tests start
# their own Prometheus on a free loopback port with a data folder of their own.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
    exit 0
fi
if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-prometheus.sh: prometheus/promtool missing; install Debian's prometheus package (as root: apt-get install prometheus)" >&2
    exit 1
fi
created_policy=""
# exit 101 in policy-rc.d = "do not start services": the package's postinst must not start a
# system Prometheus on :9090 (see tools/servers/rg-servers.sh for the same for MariaDB/Redis).
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, created by ensure-prometheus.sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=/usr/sbin/policy-rc.d
fi
trap '[[ -n "$created_policy" ]] && rm -f "$created_policy"' EXIT
echo "ensure-prometheus.sh: installing prometheus (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
apt-get "${apt_opts[@]}" update -qq >&2
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends prometheus >&2
service prometheus stop >/dev/null 2>&1 || true
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1
