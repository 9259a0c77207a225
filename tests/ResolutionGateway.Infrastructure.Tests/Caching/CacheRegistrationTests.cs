using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Caching;
using ResolutionGateway.Infrastructure.Repositories;

namespace ResolutionGateway.Infrastructure.Tests.Caching;

/// <summary>Which stores AddInfrastructure hands out, by Cache:* settings (nothing here opens a database).</summary>
public sealed class CacheRegistrationTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("MySql")]
    public async Task AddInfrastructure_DefaultSettings_StoresAreCached(string provider)
    {
        await using var services = Build(provider);

        var disputes = services.GetRequiredService<IDisputeStore>();
        var directory = services.GetRequiredService<IDirectoryStore>();

        Assert.IsType<CachingDisputeStore>(disputes);
        Assert.IsType<CachingDirectoryStore>(directory);
    }

    [Fact]
    public async Task AddInfrastructure_SqliteTtlsZero_PlainRepositories()
    {
        await using var services = Build("Sqlite", ("Cache:DisputeTtl", "00:00:00"), ("Cache:DirectoryTtl", "00:00:00"));

        var disputes = services.GetRequiredService<IDisputeStore>();
        var directory = services.GetRequiredService<IDirectoryStore>();

        Assert.IsType<DisputeRepository>(disputes);
        Assert.IsType<DirectoryRepository>(directory);
    }

    [Fact]
    public async Task AddInfrastructure_MySqlTtlsZero_PlainRepositories()
    {
        await using var services = Build("MySql", ("Cache:DisputeTtl", "00:00:00"), ("Cache:DirectoryTtl", "00:00:00"));

        var disputes = services.GetRequiredService<IDisputeStore>();
        var directory = services.GetRequiredService<IDirectoryStore>();

        // Retries live inside the MySQL database, not in a decorator.
        Assert.IsType<DisputeRepository>(disputes);
        Assert.IsType<DirectoryRepository>(directory);
    }

    [Theory]
    [InlineData("Cache:DisputeTtl", "-00:00:01")]
    [InlineData("Cache:DirectoryTtl", "-00:00:01")]
    [InlineData("Cache:DisputeCapacity", "0")]
    [InlineData("Cache:DirectoryCapacity", "-5")]
    public void AddInfrastructure_InvalidCacheSetting_StopsTheStart(string key, string value)
    {
        var config = Config("Sqlite", (key, value));

        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddInfrastructure(config));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(string provider, params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddInfrastructure(Config(provider, settings));
        return services.BuildServiceProvider();
    }

    private static IConfiguration Config(string provider, params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:Sqlite:Path"] = Path.Combine(Path.GetTempPath(), $"rg-cache-di-{Guid.NewGuid():N}.db"),
            ["Storage:MySql:ConnectionString"] = "Server=127.0.0.1;Port=1;User ID=nobody;Password=none;Database=none",
        }.Concat(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))).Build();
}
