using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Caching;
using ResolutionGateway.Infrastructure.Events;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Quotas;
using ResolutionGateway.Infrastructure.Redis;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Repositories;
using ResolutionGateway.Infrastructure.Resilience;
using ResolutionGateway.Infrastructure.Retention;
using ResolutionGateway.Infrastructure.Sqlite;
using ResolutionGateway.Infrastructure.Telemetry;
using ResolutionGateway.Infrastructure.Webhooks;
using StackExchange.Redis;
using IDatabase = ResolutionGateway.Infrastructure.Persistence.IDatabase;

namespace ResolutionGateway.Infrastructure;

/// <summary>Storage and fan-out, chosen by configuration.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Registers the store named by Storage:Provider ("Sqlite", the default embedded store, or
    /// "MySql" with Storage:MySql:ConnectionString) and the event hub (in-process, or Redis when
    /// Redis:Configuration is set, for several nodes), with the read caches of the "Cache" section
    /// around the dispute and directory stores.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new GatewayMetrics(sp.GetService<IMeterFactory>()));
        var cache = CacheOptions.Read(config);
        var provider = config["Storage:Provider"] ?? "Sqlite";
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                services.AddSingleton(new SqliteOptions
                {
                    Path = config["Storage:Sqlite:Path"] ?? Path.Combine(DataDirectory(config), "resolution.db"),
                    Synchronous = config["Storage:Sqlite:Synchronous"] ?? "FULL",
                    OwnsFolder = config["Storage:Sqlite:Path"] is null,
                });
                services.AddSingleton<SqliteDatabase>();
                services.AddSingleton<IDatabase>(sp => new TracedDatabase(sp.GetRequiredService<SqliteDatabase>()));
                services.AddSingleton<IStorageInitializer, SqliteInitializer>();
                break;
            case "mysql":
                services.AddSingleton(new MySqlOptions { ConnectionString = MySqlConnectionString(config) });
                services.AddSingleton(sp => sp.GetRequiredService<MySqlOptions>().CreateDataSource());
                // Wall-clock on purpose: retry delays, per-attempt timeouts and the breaker's window are
                // about the network, not business time (a test's hand-driven clock must not stall them).
                services.AddSingleton(sp => new StorageResilience(sp.GetRequiredService<ILogger<StorageResilience>>(), TimeProvider.System,
                    sp.GetRequiredService<GatewayMetrics>()));
                services.AddSingleton(sp => new MySqlDatabase(sp.GetRequiredService<MySqlDataSource>(), sp.GetRequiredService<ILogger<MySqlDatabase>>(),
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StorageResilience>()));
                services.AddSingleton<IDatabase>(sp => new TracedDatabase(sp.GetRequiredService<MySqlDatabase>()));
                services.AddSingleton<IStorageInitializer, MySqlInitializer>();
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported (use Sqlite or MySql)");
        }
        // One repository per aggregate over whichever database was chosen.
        services.AddSingleton<FeedSignal>();
        AddPersonalData(services, config);
        AddDisputeStore(services, cache, sp => new DisputeRepository(sp.GetRequiredService<IDatabase>(),
            sp.GetRequiredService<ConsumerKeyRepository>(), sp.GetRequiredService<FeedSignal>()));
        AddDirectoryStore(services, cache, sp => new DirectoryRepository(sp.GetRequiredService<IDatabase>()));
        services.AddSingleton<IPolicyStore, PolicyRepository>();
        services.AddSingleton<ICaseNoteStore, CaseNoteRepository>();
        services.AddSingleton<IWebhookStore, WebhookRepository>();
        services.AddSingleton<IReportingStore, ReportingRepository>();
        services.AddSingleton<IQuotaStore, QuotaRepository>();
        services.AddSingleton<LocalQuotaLimiter>();
        services.AddOptions<FeedOptions>().Bind(config.GetSection("Feed"));
        services.AddSingleton<FeedSequencer>();
        services.AddHostedService<FeedSequencerWorker>();
        AddWebhooks(services, config);
        // The hub everything uses counts what this node commits (MeteredEventHub).
        if (config["Redis:Configuration"] is { Length: > 0 } redis)
        {
            services.AddSingleton<IConnectionMultiplexer>(sp => RedisConnection.Connect(redis, sp.GetRequiredService<ILoggerFactory>()));
            services.AddSingleton<IEventHub>(sp => new MeteredEventHub(
                new RedisEventHub(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<ILogger<RedisEventHub>>())
                {
                    Metrics = sp.GetRequiredService<GatewayMetrics>(),
                },
                sp.GetRequiredService<GatewayMetrics>()));
            services.AddSingleton(sp => new RedisQuotaLimiter(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<LocalQuotaLimiter>(),
                sp.GetRequiredService<ILogger<RedisQuotaLimiter>>())
            {
                SlotLease = config.GetValue("Quotas:StreamSlotLease", TimeSpan.FromSeconds(10)),
            });
            services.AddSingleton<IQuotaLimiter>(sp => sp.GetRequiredService<RedisQuotaLimiter>());
            services.AddHostedService<StreamSlotHeartbeat>();
        }
        else
        {
            services.AddSingleton<IEventHub>(sp => new MeteredEventHub(new InProcessEventHub(), sp.GetRequiredService<GatewayMetrics>()));
            services.AddSingleton<IQuotaLimiter>(sp => sp.GetRequiredService<LocalQuotaLimiter>());
        }
        services.AddSingleton<OperationalGauges>();
        services.AddHostedService(sp => new OperationalGaugeRefresher(sp.GetRequiredService<OperationalGauges>(), sp.GetRequiredService<GatewayMetrics>(),
            sp.GetRequiredService<ILogger<OperationalGaugeRefresher>>())
        {
            Interval = config.GetValue("Metrics:GaugeInterval", TimeSpan.FromSeconds(5)),
        });
        return services;
    }

    // The KEK ring is loaded (or, the first time, created in the data folder) when first needed:
    // at start-up, by the initializer's key check.
    private static void AddPersonalData(IServiceCollection services, IConfiguration config)
    {
        var options = new PersonalDataOptions();
        config.GetSection(PersonalDataOptions.SectionName).Bind(options);
        services.AddSingleton(options);
        services.AddSingleton(sp => KeyRing.Load(options, DataDirectory(config), sp.GetRequiredService<ILoggerFactory>().CreateLogger<KeyRing>()));
        services.AddSingleton(sp => new PersonalDataSealer(sp.GetRequiredService<KeyRing>(), options.Algorithm));
        services.AddSingleton<ConsumerKeyRepository>();
        services.AddSingleton<WebhookSecretSealer>();
        services.AddSingleton<WebhookSecretRepository>();
        services.AddSingleton<PersonalDataMigration>();
        services.AddSingleton<PersonalDataRepository>();
        services.AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<PersonalDataRepository>());
        services.AddHostedService<PersonalDataMigrationWorker>();
        services.AddAuditAndRetention(config);
    }

    // The caches decorate the repository (on MySQL a miss is retried like any read, inside the
    // database). Their expiry runs on TimeProvider.System, not the registered TimeProvider: a TTL bounds
    // real staleness (lost notifications, changes on other nodes), and integration tests replace
    // TimeProvider with a clock they move by hand (days at once, or not at all), which would keep a
    // stale entry alive while real time passes, or expire everything on each jump.
    private static void AddDisputeStore(IServiceCollection services, CacheOptions cache, Func<IServiceProvider, IDisputeStore> store)
    {
        if (cache.DisputeTtl == TimeSpan.Zero)
        {
            services.AddSingleton<IDisputeStore>(store);
            return;
        }
        services.AddSingleton<IDisputeStore>(sp => new CachingDisputeStore(store(sp), sp.GetRequiredService<IEventHub>(),
            cache.DisputeTtl, cache.DisputeCapacity, TimeProvider.System, sp.GetRequiredService<ILogger<CachingDisputeStore>>())
        {
            Metrics = sp.GetRequiredService<GatewayMetrics>(),
        });
    }

    private static void AddDirectoryStore(IServiceCollection services, CacheOptions cache, Func<IServiceProvider, IDirectoryStore> store)
    {
        if (cache.DirectoryTtl == TimeSpan.Zero)
        {
            services.AddSingleton<IDirectoryStore>(store);
            return;
        }
        services.AddSingleton<IDirectoryStore>(sp => new CachingDirectoryStore(store(sp), cache.DirectoryTtl, cache.DirectoryCapacity, TimeProvider.System)
        {
            Metrics = sp.GetRequiredService<GatewayMetrics>(),
        });
    }

    // The dispatcher runs on every node (they share the queue); POSTs never follow redirects (a
    // signed body must not be forwarded somewhere the operator did not register).
    private static void AddWebhooks(IServiceCollection services, IConfiguration config)
    {
        var options = new WebhookOptions();
        config.GetSection("Webhooks").Bind(options);
        services.AddSingleton(options);
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                // No per-server connection cap: endpoints of different owners often share a host
                // (a POS vendor's URL per merchant), and a cap would let one hanging endpoint hold the
                // connections another needs. The dispatcher already bounds POSTs per endpoint.
            })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
    }

    /// <summary>
    /// Where the embedded store and the first admin key live: Storage:DataDirectory, else
    /// $RG_DATA_DIR, else $XDG_DATA_HOME/resolution-gateway, else ~/.local/share/resolution-gateway.
    /// rgctl looks in the same places for the admin key.
    /// </summary>
    public static string DataDirectory(IConfiguration config)
    {
        if (config["Storage:DataDirectory"] is { Length: > 0 } configured)
        {
            return configured;
        }
        if (Environment.GetEnvironmentVariable("RG_DATA_DIR") is { Length: > 0 } env)
        {
            return env;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "resolution-gateway");
    }

    private static string MySqlConnectionString(IConfiguration config) =>
        MySqlOptions.WithDefaults(config["Storage:MySql:ConnectionString"]
            ?? throw new InvalidOperationException("Storage:Provider is MySql but Storage:MySql:ConnectionString is not set"));

}

/// <summary>Prepares the store (migrations) at start-up.</summary>
public interface IStorageInitializer
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>Names of the migrations not applied yet (dry run).</summary>
    Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct);
}

internal sealed class SqliteInitializer(SqliteDatabase db, ConsumerKeyRepository keys, WebhookSecretRepository webhookSecrets) : IStorageInitializer
{
    public async Task InitializeAsync(CancellationToken ct)
    {
        await db.InitializeAsync(ct);
        await keys.CheckAndRotateAsync(ct);
        await webhookSecrets.SealAllAsync(ct);
    }

    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct) =>
        (await db.PendingMigrationsAsync(ct)).Select(m => $"{m.Version:0000}_{m.Name}").ToArray();
}

internal sealed class MySqlInitializer(MySqlDatabase db, ConsumerKeyRepository keys, WebhookSecretRepository webhookSecrets) : IStorageInitializer
{
    public async Task InitializeAsync(CancellationToken ct)
    {
        await db.InitializeAsync(ct);
        await keys.CheckAndRotateAsync(ct);
        await webhookSecrets.SealAllAsync(ct);
    }

    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken ct) =>
        (await db.PendingMigrationsAsync(ct)).Select(m => $"{m.Version:0000}_{m.Name}").ToArray();
}
