#!/usr/bin/env bash
# The benchmark command (issue 6; see BENCHMARKS.md). From a fresh clone:
#   tools/bench.sh                         # every scenario (row-floor and message-half too), ~5 minutes
#   tools/bench.sh --scenarios open,read   # some of them; any tools/loadgen option may follow
#   tools/bench.sh --smoke                 # a few seconds per scenario (what CI runs)
# It installs (when missing) and starts MariaDB and Redis on loopback (tools/servers/rg-servers.sh),
# builds the gateway and the load generator in Release, and runs tools/loadgen, which starts its
# own gateway processes on free loopback ports, drops and creates the database rg_loadgen, and
# writes tools/loadgen/results/latest.json and latest.md. Servers this script started are stopped
# at the end (RG_KEEP_SERVERS=1 keeps them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
servers="$root/tools/servers/rg-servers.sh"
started=0
if ! "$servers" status >/dev/null 2>&1; then
    started=1
fi
eval "$("$servers" start)"
export RG_MYSQL RG_REDIS
stop_servers() {
    if [[ $started == 1 && "${RG_KEEP_SERVERS:-0}" != 1 ]]; then
        "$servers" stop >/dev/null 2>&1 || true
    fi
}
trap stop_servers EXIT
dotnet build -c Release src/ResolutionGateway >&2
dotnet build -c Release tools/loadgen >&2
mkdir -p tools/loadgen/results
dotnet tools/loadgen/bin/Release/net10.0/loadgen.dll \
    --gateway-dll src/ResolutionGateway/bin/Release/net10.0/ResolutionGateway.dll \
    --out tools/loadgen/results/latest.json --markdown tools/loadgen/results/latest.md "$@"
