using System.Diagnostics;
using System.Security.Cryptography;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;

// sealbench: what the personal-data sealing of one open costs in the gateway's CPU, stage by stage
// (a new data key and its wrap, sealing the state and the opening event, the JSON the store writes),
// and what reading one back costs (unwrap + open), for each cipher. The baseline is the same open's
// JSON serialization (state + opening event), measured in the same run: the ratios are what to
// compare between builds, the microseconds move with the machine's load.
//
//   dotnet run -c Release --project tools/sealbench [-- iterations]
var iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
var now = DateTimeOffset.UtcNow;
var order = new OrderContext("ord-bench", "m-bench", "st1", new Money("CNY", 10_000), now.AddDays(-1), [],
    "wechat", "商户", "门店", "330106", "杭州市西湖区");
var command = new OpenDisputeCommand("req-bench", order, new ConsumerInfo("c-bench", "欧阳测试", "13912345678"),
    Category.Quality, new Demand(Remedy.FullRefund, null), "屏幕坏了", []);
var change = DisputeRules.Open(command, "ch-bench", new MerchantRecord("m-bench", "商户", now), null, PolicySet.BuiltIn, now);

Console.WriteLine($"sealbench: {iterations} iterations per stage, µs per open (median of 5 passes)");
Console.WriteLine("stage                                   AES-256-GCM   SM4-GCM");
var results = new Dictionary<string, Dictionary<string, double>>();
foreach (var algorithm in new[] { AeadCipher.Aes256Gcm, AeadCipher.Sm4Gcm })
{
    var kekBytes = RandomNumberGenerator.GetBytes(32);
    var sealer = new PersonalDataSealer(new KeyRing(new LocalKeyEncryptionKey(kekBytes)), algorithm);
    var (key, stored) = sealer.NewKey("ch-bench", "c-bench", now);
    var sealedChange = sealer.Seal(change, key);
    var sealedState = sealedChange.State;
    var r = results[algorithm] = [];
    r["json (baseline)"] = Measure(() => { _ = StoreJson.State(change.State); foreach (var e in change.Events) { _ = StoreJson.Detail(e.Detail); } });
    r["new data key + wrap"] = Measure(() => sealer.NewKey("ch-bench", "c-bench", now));
    r["seal state + opening event"] = Measure(() => sealer.Seal(change, key));
    r["open: key + seal + json"] = Measure(() =>
    {
        var (k, _) = sealer.NewKey("ch-bench", "c-bench", now);
        var s = sealer.Seal(change, k);
        _ = StoreJson.State(s.State);
        foreach (var e in s.Events) { _ = StoreJson.Detail(e.Detail); }
    });
    // The path before this round (commit ac578a9), rebuilt from the same primitives: two RNG draws
    // and a KEK cipher set up per wrap, four seals (state and opening event apart), a cipher each.
    r["open as before: key + 4 seals + json"] = Measure(() =>
    {
        var keyId = "dk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var k = AeadCipher.NewKey(algorithm);
        _ = AeadCipher.Seal(AeadCipher.Aes256Gcm, kekBytes, k, System.Text.Encoding.UTF8.GetBytes("resolution.v1 data key " + keyId + " " + algorithm + " ch-bench c-bench"));
        for (var i = 0; i < 2; i++)
        {
            foreach (var (field, value) in new[] { ("name", change.State.Consumer.Name), ("mobile", change.State.Consumer.Mobile) })
            {
                _ = "pd1." + Convert.ToBase64String(AeadCipher.Seal(algorithm, k, System.Text.Encoding.UTF8.GetBytes(value),
                    System.Text.Encoding.UTF8.GetBytes("resolution.v1 dispute " + change.State.DisputeId + " consumer." + field)));
            }
        }
        _ = StoreJson.State(change.State);
        foreach (var e in change.Events) { _ = StoreJson.Detail(e.Detail); }
    });
    r["read: unwrap + open state"] = Measure(() => sealer.Open(sealedState, stored));
}
foreach (var stage in results[AeadCipher.Aes256Gcm].Keys)
{
    Console.WriteLine($"{stage,-38} {results[AeadCipher.Aes256Gcm][stage],12:F2} {results[AeadCipher.Sm4Gcm][stage],9:F2}");
}
foreach (var algorithm in results.Keys)
{
    var r = results[algorithm];
    Console.WriteLine($"{algorithm}: open's sealing ÷ its JSON, now {(r["open: key + seal + json"] - r["json (baseline)"]) / r["json (baseline)"]:F2}, "
        + $"before {(r["open as before: key + 4 seals + json"] - r["json (baseline)"]) / r["json (baseline)"]:F2}; "
        + $"sealing now ÷ before {(r["open: key + seal + json"] - r["json (baseline)"]) / (r["open as before: key + 4 seals + json"] - r["json (baseline)"]):F2}");
}

double Measure(Action op)
{
    for (var i = 0; i < iterations / 10; i++)
    {
        op();
    }
    var passes = new double[5];
    for (var p = 0; p < passes.Length; p++)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            op();
        }
        passes[p] = sw.Elapsed.TotalMicroseconds / iterations;
    }
    Array.Sort(passes);
    return passes[passes.Length / 2];
}
