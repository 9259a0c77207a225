#!/usr/bin/env bash
# A production-like local run: starts MariaDB and Redis on loopback (installing them when missing,
# see rg-servers.sh) and runs the gateway against them. Extra arguments go to the gateway, e.g.
#   tools/servers/run-gateway.sh --Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:50052 --Kestrel:Endpoints:Http:Url=http://127.0.0.1:8081 --Metrics:Url=http://127.0.0.1:9465
# A second node: run it again with other gRPC, HTTP and metrics URLs; both share the database and Redis.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
eval "$("$root/tools/servers/rg-servers.sh" start)"
exec dotnet run --project "$root/src/ResolutionGateway" -- \
    --Storage:Provider=MySql \
    "--Storage:MySql:ConnectionString=$RG_MYSQL" \
    "--Redis:Configuration=$RG_REDIS" \
    "$@"
