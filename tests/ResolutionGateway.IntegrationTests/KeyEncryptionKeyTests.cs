using System.Security.Cryptography;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The key-encryption key across restarts of the gateway, on the embedded store and on MariaDB (a
/// wrong KEK is a clear error at start, rotation re-wraps), and the private data folder.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class KeyEncryptionKeyTests(GatewayFixture gw)
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Start_EmbeddedStore_DataFolderPrivateAndFilesOwnerOnly()
    {
        var folder = File.GetUnixFileMode(gw.DataDirectory);
        var files = Directory.GetFiles(gw.DataDirectory);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, folder);
        Assert.Contains(files, f => f.EndsWith("resolution.db-wal", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("kek", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{f}: {File.GetUnixFileMode(f)}"));
        Assert.Contains(gw.Logs, l => l.Contains("Created a key-encryption key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_WrongKekThenRotation_ClearErrorThenRewrappedAndReadable()
    {
        var data = Path.Combine(Path.GetTempPath(), "rg-kek-data-" + Guid.NewGuid().ToString("N"));
        try
        {
            await WrongKekThenRotationAsync(args => new GatewayFixture(null, args) { SharedDataDirectory = data });
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Restart_WrongKekThenRotationOnMariaDb_ClearErrorThenRewrappedAndReadable()
    {
        var database = await TestServers.CreateDatabaseAsync("rg_kek");
        try
        {
            // The MariaDB fixture configures a KEK of its own inline; empty, the file given here is read.
            await WrongKekThenRotationAsync(args => new MySqlGateway(null, ["--PersonalData:Kek=", .. args]) { SharedConnectionString = database });
        }
        finally
        {
            await TestServers.DropDatabaseAsync(database);
        }
    }

    // Nodes of one store, one after the other: KEK A opens a dispute; KEK B alone is refused at
    // start with a clear error; B with A as a former KEK re-wraps the keys; then B alone reads.
    private static async Task WrongKekThenRotationAsync(Func<string[], GatewayFixture> node)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rg-kek-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var kekA = Path.Combine(folder, "kek-a");
        var kekB = Path.Combine(folder, "kek-b");
        await File.WriteAllTextAsync(kekA, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await File.WriteAllTextAsync(kekB, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            string disputeId;
            string adminToken;
            var first = node([$"--PersonalData:KekFile={kekA}"]);
            try
            {
                await first.InitializeAsync();
                var s = await Scenario.CreateAsync(first);
                disputeId = (await s.OpenAsync()).DisputeId;
                // The admin key the first node created (a later node on MariaDB has a data folder of its own).
                adminToken = first.AdminToken;
            }
            finally
            {
                await first.DisposeAsync();
            }

            var wrong = node([$"--PersonalData:KekFile={kekB}"]);
            var e = await Assert.ThrowsAsync<InvalidOperationException>(wrong.InitializeAsync);
            await DisposeQuietlyAsync(wrong);

            var rotating = node([$"--PersonalData:KekFile={kekB}", $"--PersonalData:PreviousKekFiles:0={kekA}"]);
            rotating.AdminToken = adminToken;
            string duringRotation;
            try
            {
                await rotating.InitializeAsync();
                duringRotation = await NameAsync(rotating, disputeId);
            }
            finally
            {
                await rotating.DisposeAsync();
            }

            // Rotated: the former KEK is no longer needed.
            var after = node([$"--PersonalData:KekFile={kekB}"]);
            after.AdminToken = adminToken;
            string afterRotation;
            try
            {
                await after.InitializeAsync();
                afterRotation = await NameAsync(after, disputeId);
            }
            finally
            {
                await after.DisposeAsync();
            }

            Assert.Contains("PersonalData:", e.Message);
            Assert.Contains("wrapped by KEK", e.Message);
            Assert.Equal("Li Hua", duringRotation);
            Assert.Equal("Li Hua", afterRotation);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> NameAsync(GatewayFixture node, string disputeId) =>
        (await node.Disputes(node.AdminToken).GetDisputeAsync(new GetDisputeRequest { DisputeId = disputeId })).Dispute.Consumer.Name;

    private static async Task DisposeQuietlyAsync(GatewayFixture node)
    {
        try
        {
            await node.DisposeAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started: nothing to stop.
        }
    }
}
