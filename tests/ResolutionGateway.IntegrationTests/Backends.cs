using MySqlConnector;

namespace ResolutionGateway.IntegrationTests;

/// <summary>The servers tools/test.sh starts; a missing server is a failure, never a skip.</summary>
public static class TestServers
{
    public static string MySql => Environment.GetEnvironmentVariable("RG_MYSQL") is { Length: > 0 } cs
        ? cs
        : throw new InvalidOperationException("RG_MYSQL is not set: run tools/test.sh, which installs and starts MariaDB and Redis");

    public static string Redis => Environment.GetEnvironmentVariable("RG_REDIS") is { Length: > 0 } r
        ? r
        : throw new InvalidOperationException("RG_REDIS is not set: run tools/test.sh, which installs and starts MariaDB and Redis");

    /// <summary>tools/servers/rg-servers.sh of this checkout.</summary>
    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "servers", "rg-servers.sh");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new InvalidOperationException("tools/servers/rg-servers.sh not found above the test binaries");
        }
    }

    /// <summary>A fresh database on the test MariaDB; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var builder = new MySqlConnectionStringBuilder(MySql);
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var c = new MySqlConnection(builder.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = new MySqlCommand($"CREATE DATABASE `{name}`", c);
            await cmd.ExecuteNonQueryAsync();
        }
        builder.Database = name;
        return builder.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        builder.Database = "";
        MySqlConnection.ClearAllPools();
        await using var c = new MySqlConnection(builder.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`", c);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>The production configuration: MariaDB through MySqlConnector, Redis fan-out.</summary>
public sealed class MySqlGateway : GatewayFixture
{
    private string? _connectionString;

    public MySqlGateway() : base(null) { }

    internal MySqlGateway(TimeProvider? time, params string[] extraArgs) : base(time, extraArgs) { }

    /// <summary>Set before InitializeAsync to join an existing database (a second node).</summary>
    public string? SharedConnectionString { get; init; }

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("not initialised");

    private static readonly string SharedKek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    protected override async Task<string[]> BackendArgsAsync()
    {
        _connectionString = SharedConnectionString ?? await TestServers.CreateDatabaseAsync("rg_it");
        return
        [
            "--Storage:Provider=MySql",
            $"--Storage:MySql:ConnectionString={_connectionString}",
            $"--Redis:Configuration={TestServers.Redis}",
            // Nodes sharing a database must share the KEK that wraps its data keys.
            $"--PersonalData:Kek={SharedKek}",
        ];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is not null && SharedConnectionString is null)
        {
            await TestServers.DropDatabaseAsync(_connectionString);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MySqlCollection : ICollectionFixture<MySqlGateway>
{
    public const string Name = "gateway on MariaDB + Redis";
}

// The contract suite: every test class runs on the embedded store and on MariaDB + Redis.
[Collection(GatewayCollection.Name)] public sealed class DisputeFlowOnSqlite(GatewayFixture gw) : DisputeFlowTests(gw);
[Collection(MySqlCollection.Name)] public sealed class DisputeFlowOnMySql(MySqlGateway gw) : DisputeFlowTests(gw);
[Collection(GatewayCollection.Name)] public sealed class AuthorizationOnSqlite(GatewayFixture gw) : AuthorizationTests(gw);
[Collection(MySqlCollection.Name)] public sealed class AuthorizationOnMySql(MySqlGateway gw) : AuthorizationTests(gw);
[Collection(GatewayCollection.Name)] public sealed class DirectoryOnSqlite(GatewayFixture gw) : DirectoryTests(gw);
[Collection(MySqlCollection.Name)] public sealed class DirectoryOnMySql(MySqlGateway gw) : DirectoryTests(gw);
[Collection(GatewayCollection.Name)] public sealed class IdempotencyOnSqlite(GatewayFixture gw) : IdempotencyTests(gw);
[Collection(MySqlCollection.Name)] public sealed class IdempotencyOnMySql(MySqlGateway gw) : IdempotencyTests(gw);
[Collection(GatewayCollection.Name)] public sealed class ConcurrencyOnSqlite(GatewayFixture gw) : ConcurrencyTests(gw);
[Collection(MySqlCollection.Name)] public sealed class ConcurrencyOnMySql(MySqlGateway gw) : ConcurrencyTests(gw);
[Collection(GatewayCollection.Name)] public sealed class WatchOnSqlite(GatewayFixture gw) : WatchTests(gw);
[Collection(MySqlCollection.Name)] public sealed class WatchOnMySql(MySqlGateway gw) : WatchTests(gw);
[Collection(GatewayCollection.Name)] public sealed class ValidationOnSqlite(GatewayFixture gw) : ValidationTests(gw);
[Collection(MySqlCollection.Name)] public sealed class ValidationOnMySql(MySqlGateway gw) : ValidationTests(gw);
[Collection(GatewayCollection.Name)] public sealed class PrivacyOnSqlite(GatewayFixture gw) : PrivacyTests(gw);
[Collection(MySqlCollection.Name)] public sealed class PrivacyOnMySql(MySqlGateway gw) : PrivacyTests(gw);
[Collection(GatewayCollection.Name)] public sealed class ReportingOnSqlite(GatewayFixture gw) : ReportingTests(gw);
[Collection(MySqlCollection.Name)] public sealed class ReportingOnMySql(MySqlGateway gw) : ReportingTests(gw);
[Collection(GatewayCollection.Name)] public sealed class CaseHandlingOnSqlite(GatewayFixture gw) : CaseHandlingTests(gw);
[Collection(MySqlCollection.Name)] public sealed class CaseHandlingOnMySql(MySqlGateway gw) : CaseHandlingTests(gw);
[Collection(GatewayCollection.Name)] public sealed class CaseTransferOnSqlite(GatewayFixture gw) : CaseTransferTests(gw);
[Collection(MySqlCollection.Name)] public sealed class CaseTransferOnMySql(MySqlGateway gw) : CaseTransferTests(gw);
[Collection(GatewayCollection.Name)] public sealed class CaseOfficerOnSqlite(GatewayFixture gw) : CaseOfficerTests(gw);
[Collection(MySqlCollection.Name)] public sealed class CaseOfficerOnMySql(MySqlGateway gw) : CaseOfficerTests(gw);
[Collection(GatewayCollection.Name)] public sealed class AnalystAccessOnSqlite(GatewayFixture gw) : AnalystAccessTests(gw);
[Collection(MySqlCollection.Name)] public sealed class AnalystAccessOnMySql(MySqlGateway gw) : AnalystAccessTests(gw);
[Collection(GatewayCollection.Name)] public sealed class SettlementExecutionOnSqlite(GatewayFixture gw) : SettlementExecutionTests(gw);
[Collection(MySqlCollection.Name)] public sealed class SettlementExecutionOnMySql(MySqlGateway gw) : SettlementExecutionTests(gw);
[Collection(GatewayCollection.Name)] public sealed class DisputeListFilterOnSqlite(GatewayFixture gw) : DisputeListFilterTests(gw);
[Collection(MySqlCollection.Name)] public sealed class DisputeListFilterOnMySql(MySqlGateway gw) : DisputeListFilterTests(gw);
[Collection(GatewayCollection.Name)] public sealed class RankingOnSqlite(GatewayFixture gw) : RankingTests(gw);
[Collection(MySqlCollection.Name)] public sealed class RankingOnMySql(MySqlGateway gw) : RankingTests(gw);
[Collection(GatewayCollection.Name)] public sealed class CaseStatsOnSqlite(GatewayFixture gw) : CaseStatsTests(gw);
[Collection(MySqlCollection.Name)] public sealed class CaseStatsOnMySql(MySqlGateway gw) : CaseStatsTests(gw);
