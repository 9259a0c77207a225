#!/usr/bin/env bash
# overhead.sh — what the metrics cost: read and open throughput (tools/loadgen scenarios) of gateway
# processes with metrics on (Metrics:Url on a free port, as in production) and off (Metrics:Url
# empty, no OTLP: no MeterProvider at all), in interleaved pairs in the same run, on MariaDB + Redis
# (tools/servers/rg-servers.sh). Prints each pair and the ratio on/off of the summed calls per second.
# COMPARE=encryption measures the personal-data encryption (issue 18) the same way instead: "on" is
# the service as shipped, "off" the benchmark-only PersonalData:BenchmarkWithoutEncryption=true
# (names and numbers stored in plain text, no data key looked up or made).
#
#   eval "$(tools/servers/rg-servers.sh start)"
#   bash tools/observability/overhead.sh            # ROUNDS=2 DURATION=10 by default (ROUNDS=4 for a figure)
#   COMPARE=encryption bash tools/observability/overhead.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
: "${RG_MYSQL:?start the servers first: eval \"\$(tools/servers/rg-servers.sh start)\"}"
: "${RG_REDIS:?start the servers first}"
rounds="${ROUNDS:-2}"
duration="${DURATION:-10}"
compare="${COMPARE:-metrics}"
case "$compare" in
    metrics) off_env="LOADGEN_GW_Metrics__Url=" ;;
    encryption) off_env="LOADGEN_GW_PersonalData__BenchmarkWithoutEncryption=true" ;;
    *) echo "COMPARE must be metrics or encryption" >&2; exit 2 ;;
esac
out="$root/TestResults/overhead"
mkdir -p "$out"
dotnet build -c Release src/ResolutionGateway/ResolutionGateway.csproj >&2
dotnet build -c Release tools/loadgen/LoadGen.csproj >&2
loadgen="tools/loadgen/bin/Release/net10.0/loadgen.dll"
# ABBA order (on, off in odd rounds; off, on in even ones), so a drift of the machine or the servers
# over the run weighs on both modes alike; use an even ROUNDS.
for round in $(seq 1 "$rounds"); do
    order="on off"
    if ((round % 2 == 0)); then order="off on"; fi
    for mode in $order; do
        echo "== round $round, $compare $mode" >&2
        if [[ $mode == off ]]; then
            env "$off_env" dotnet "$loadgen" --scenarios read,open --duration "$duration" --warmup 3 \
                --database "rg_overhead_$compare" --out "$out/$compare-$mode-$round.json" >&2
        else
            dotnet "$loadgen" --scenarios read,open --duration "$duration" --warmup 3 \
                --database "rg_overhead_$compare" --out "$out/$compare-$mode-$round.json" >&2
        fi
    done
done
node - "$out" "$rounds" "$compare" <<'JS'
const fs = require("fs");
const [dir, rounds, compare] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const sum = { on: {}, off: {} };
// The gateway's CPU per call (ms, from /proc), summed like the throughput: the figure the machine's
// other work moves least.
const cpu = { on: {}, off: {} };
for (let r = 1; r <= rounds; r++) {
  for (const mode of ["on", "off"]) {
    const result = JSON.parse(fs.readFileSync(`${dir}/${compare}-${mode}-${r}.json`, "utf8"));
    for (const s of result.scenarios) {
      sum[mode][s.name] = (sum[mode][s.name] || 0) + s.per_second;
      const ms = s.extra.cpu_ms_per_call_gateway;
      cpu[mode][s.name] = (cpu[mode][s.name] || 0) + (ms || 0);
      console.log(`round ${r} ${s.name.padEnd(5)} ${compare} ${mode.padEnd(3)} ${s.per_second.toFixed(0).padStart(7)} calls/s  p50 ${s.latency.p50} ms  gateway CPU ${ms} ms/call`);
    }
  }
}
for (const name of Object.keys(sum.on)) {
  const ratio = sum.on[name] / sum.off[name];
  console.log(`${name}: on/off throughput ${ratio.toFixed(3)} (cost ${((1 - ratio) * 100).toFixed(1)} %), `
    + `gateway CPU per call on/off ${(cpu.on[name] / cpu.off[name]).toFixed(3)}`);
}
JS
