#!/usr/bin/env bash
# The whole test suite, as the README and CI run it:
#   1. installs (when missing) and starts MariaDB and Redis on loopback (tools/servers/rg-servers.sh),
#   2. lints the public contract (buf lint protos) and checks the Prometheus alert rules (promtool),
#   3. runs every test project against the real servers and the real gRPC stack (the HTTP/JSON API
#      with HttpClient, the web console in headless chromium: installed when missing),
#   4. validates the OpenAPI document served at /openapi.json (Redocly CLI),
#   5. runs smokes of the reporting benchmark tool (tools/reportbench) and of the load generator
#      (tools/loadgen), and the short chaos test of the cluster (tools/cluster/chaos.sh --short),
#   6. ends with one line "N passed, N failed" summing all of it.
# Servers this script started are stopped at the end (RG_KEEP_SERVERS=1 keeps them).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

passed=0
failed=0
status=0

servers="$root/tools/servers/rg-servers.sh"
started_servers=0
if ! "$servers" status >/dev/null 2>&1; then
    started_servers=1
fi
if ! exports="$("$servers" start)"; then
    echo "test.sh: could not start MariaDB/Redis (see above)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
eval "$exports"
export RG_MYSQL RG_REDIS
stop_servers() {
    if [[ $started_servers == 1 && "${RG_KEEP_SERVERS:-0}" != 1 ]]; then
        "$servers" stop >/dev/null 2>&1 || true
    fi
}
trap stop_servers EXIT

echo "== buf lint protos" >&2
if npx --yes @bufbuild/buf lint protos; then
    passed=$((passed + 1))
else
    echo "buf lint failed" >&2
    failed=$((failed + 1))
    status=1
fi

# Prometheus and promtool (Debian's prometheus package, installed when missing): the alert rules
# must load and pass their unit tests, and the Grafana dashboard must be valid JSON. The
# integration tests start their own Prometheus from the same package.
echo "== promtool check rules" >&2
if bash tools/observability/ensure-prometheus.sh \
    && promtool check rules tools/observability/alerts.yml >&2 \
    && promtool test rules tools/observability/alerts.test.yml >&2 \
    && node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' tools/observability/dashboard.json; then
    passed=$((passed + 1))
else
    echo "alert rules or dashboard check failed" >&2
    failed=$((failed + 1))
    status=1
fi

# The console's browser tests (ConsoleBrowserTests) drive Debian's chromium through playwright-core
# (tests/console); install both when missing, and a CJK font so the screenshots show the Chinese UI.
echo "== chromium and playwright-core for the console tests" >&2
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
    { apt-get install -y chromium fonts-wqy-microhei || { apt-get update -qq && apt-get install -y chromium fonts-wqy-microhei; }; } >&2 || echo "test.sh: could not install chromium (the console tests will fail)" >&2
fi
if [[ ! -d tests/console/node_modules/playwright-core ]]; then
    npm ci --prefix tests/console --no-audit --no-fund >&2 || echo "test.sh: npm ci in tests/console failed (the console tests will fail)" >&2
fi

echo "== dotnet build" >&2
if ! dotnet build ResolutionGateway.sln; then
    echo "build failed" >&2
    echo "${passed} passed, $((failed + 1)) failed"
    exit 1
fi
# One project at a time: the failover tests stop and restart the shared MariaDB and Redis, which
# must not happen under another project's feet.
for project in tests/*/*.csproj; do
    echo "== dotnet test $project" >&2
    name="$(basename "$project" .csproj)"
    if ! dotnet test "$project" --no-build --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results"; then
        status=1
    fi
done

# The OpenAPI document the HTTP API tests fetched from /openapi.json, checked by a real validator
# (Redocly CLI, pinned: its next releases want Node.js 22). Errors fail it; warnings are listed.
echo "== openapi lint" >&2
if [[ -f "$results/openapi.json" ]] && npx --yes @redocly/cli@2.77.0 lint "$results/openapi.json" --format=summary >&2; then
    passed=$((passed + 1))
else
    echo "openapi lint failed (or TestResults/openapi.json is missing: HttpApiTests writes it)" >&2
    failed=$((failed + 1))
    status=1
fi

# Smoke of the reporting benchmark tool (issue 5), so it keeps working: a small synthetic history in
# a database of its own, then the rollups-versus-raw verification and a few timed calls through a
# real gateway process. No timing is asserted; a mismatch between rollups and raw fails it.
echo "== reportbench smoke" >&2
smoke_cs="$(sed 's/Database=[^;]*/Database=rg_reportbench_smoke/' <<<"$RG_MYSQL")"
bench="tools/reportbench/bin/Debug/net10.0/reportbench.dll"
if dotnet "$bench" generate --mysql "$smoke_cs" --disputes 3000 --merchants 200 --seed 7 >&2 \
    && dotnet "$bench" bench --mysql "$smoke_cs" --iterations 5 --raw-iterations 2 --grpc \
        --gateway-dll src/ResolutionGateway/bin/Debug/net10.0/ResolutionGateway.dll --out "$results/reportbench-smoke.json" >&2; then
    passed=$((passed + 1))
else
    echo "reportbench smoke failed" >&2
    failed=$((failed + 1))
    status=1
fi

# Smoke of the load generator (issue 6), so it keeps working: every scenario for a second or two
# at small sizes, against gateway processes it starts (MySQL store with Redis, two nodes for chat,
# and the embedded store). No timing is asserted; a failed call or a lost delivery fails it.
echo "== loadgen smoke" >&2
if dotnet tools/loadgen/bin/Debug/net10.0/loadgen.dll --smoke --mysql "$RG_MYSQL" --redis "$RG_REDIS" \
        --database rg_loadgen_smoke --gateway-dll src/ResolutionGateway/bin/Debug/net10.0/ResolutionGateway.dll \
        --out "$results/loadgen-smoke.json" --markdown "$results/loadgen-smoke.md" >&2; then
    passed=$((passed + 1))
else
    echo "loadgen smoke failed" >&2
    failed=$((failed + 1))
    status=1
fi

# The chaos test of the cluster (issue 15), short form: a Galera cluster, Redis Sentinels, three
# gateways and HAProxy of its own (fresh state folder, free ports, all stopped at the end), steady
# load, 1,000 watchers and webhooks through four faults; fails when an acknowledged write is lost or
# duplicated, a watcher or webhook misses an event, or writes stop for more than 5 s.
echo "== chaos --short" >&2
# RG_CLUSTER_DIR and RG_CLUSTER_WRITERS emptied: a fresh folder of its own, the default topology,
# whatever cluster the caller's shell points at.
if RG_CLUSTER_DIR="" RG_CLUSTER_WRITERS="" RG_GATEWAY_DLL="$root/src/ResolutionGateway/bin/Debug/net10.0/ResolutionGateway.dll" \
        RG_CHAOS_DLL="$root/tools/chaos/bin/Debug/net10.0/chaos.dll" RG_CHAOS_OUT="$results/chaos-short.json" \
        bash tools/cluster/chaos.sh --short >&2; then
    passed=$((passed + 1))
else
    echo "chaos --short failed" >&2
    failed=$((failed + 1))
    status=1
fi

# Sum the counters of every test run (one .trx per test project).
shopt -s nullglob
trx_files=("$results"/*.trx)
if [[ ${#trx_files[@]} -eq 0 ]]; then
    echo "no test results: the build or the test host failed" >&2
    failed=$((failed + 1))
    status=1
fi
for trx in "${trx_files[@]}"; do
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
    p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done
if [[ $failed -gt 0 ]]; then
    status=1
fi

echo "${passed} passed, ${failed} failed"
exit $status
