#!/usr/bin/env bash
# overhead.sh — what the metrics cost: read and open throughput (tools/loadgen scenarios) of gateway
# processes with metrics on (Metrics:Url on a free port, as in production) and off (Metrics:Url
# empty, no OTLP: no MeterProvider at all), in interleaved pairs in the same run, on MariaDB + Redis
# (tools/servers/rg-servers.sh). Prints each pair and the ratio on/off of the summed calls per second.
#
#   eval "$(tools/servers/rg-servers.sh start)"
#   bash tools/observability/overhead.sh            # ROUNDS=2 DURATION=10 by default
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
: "${RG_MYSQL:?start the servers first: eval \"\$(tools/servers/rg-servers.sh start)\"}"
: "${RG_REDIS:?start the servers first}"
rounds="${ROUNDS:-2}"
duration="${DURATION:-10}"
out="$root/TestResults/overhead"
mkdir -p "$out"
dotnet build -c Release src/ResolutionGateway/ResolutionGateway.csproj >&2
dotnet build -c Release tools/loadgen/LoadGen.csproj >&2
loadgen="tools/loadgen/bin/Release/net10.0/loadgen.dll"
for round in $(seq 1 "$rounds"); do
    for mode in on off; do
        echo "== round $round, metrics $mode" >&2
        if [[ $mode == off ]]; then
            LOADGEN_GW_Metrics__Url= dotnet "$loadgen" --scenarios read,open --duration "$duration" --warmup 3 \
                --database rg_overhead --out "$out/$mode-$round.json" >&2
        else
            dotnet "$loadgen" --scenarios read,open --duration "$duration" --warmup 3 \
                --database rg_overhead --out "$out/$mode-$round.json" >&2
        fi
    done
done
node - "$out" "$rounds" <<'JS'
const fs = require("fs");
const [dir, rounds] = [process.argv[2], Number(process.argv[3])];
const sum = { on: {}, off: {} };
// The gateway's CPU per call (ms, from /proc), summed like the throughput: the figure the machine's
// other work moves least.
const cpu = { on: {}, off: {} };
for (let r = 1; r <= rounds; r++) {
  for (const mode of ["on", "off"]) {
    const result = JSON.parse(fs.readFileSync(`${dir}/${mode}-${r}.json`, "utf8"));
    for (const s of result.scenarios) {
      sum[mode][s.name] = (sum[mode][s.name] || 0) + s.per_second;
      const ms = s.extra.cpu_ms_per_call_gateway;
      cpu[mode][s.name] = (cpu[mode][s.name] || 0) + (ms || 0);
      console.log(`round ${r} ${s.name.padEnd(5)} metrics ${mode.padEnd(3)} ${s.per_second.toFixed(0).padStart(7)} calls/s  p50 ${s.latency.p50} ms  gateway CPU ${ms} ms/call`);
    }
  }
}
for (const name of Object.keys(sum.on)) {
  const ratio = sum.on[name] / sum.off[name];
  console.log(`${name}: on/off throughput ${ratio.toFixed(3)} (cost ${((1 - ratio) * 100).toFixed(1)} %), `
    + `gateway CPU per call on/off ${(cpu.on[name] / cpu.off[name]).toFixed(3)}`);
}
JS
