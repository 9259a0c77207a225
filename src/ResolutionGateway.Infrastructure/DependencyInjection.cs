using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Events;
using ResolutionGateway.Infrastructure.Sqlite;

namespace ResolutionGateway.Infrastructure;

/// <summary>Storage and fan-out, chosen by configuration.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Registers the store named by Storage:Provider ("Sqlite", the default embedded store) and the
    /// event hub, plus a hosted service that migrates the store before the server accepts calls.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(TimeProvider.System);
        var provider = config["Storage:Provider"] ?? "Sqlite";
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                services.AddSingleton(new SqliteOptions
                {
                    Path = config["Storage:Sqlite:Path"] ?? Path.Combine(DataDirectory(config), "resolution.db"),
                    Synchronous = config["Storage:Sqlite:Synchronous"] ?? "FULL",
                });
                services.AddSingleton<SqliteDatabase>();
                services.AddSingleton<IDisputeStore, SqliteDisputeStore>();
                services.AddSingleton<IDirectoryStore, SqliteDirectoryStore>();
                services.AddSingleton<IStorageInitializer, SqliteInitializer>();
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported (use Sqlite)");
        }
        services.AddSingleton<InProcessEventHub>();
        services.AddSingleton<IEventHub>(sp => sp.GetRequiredService<InProcessEventHub>());
        return services;
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
}

/// <summary>Prepares the store (migrations) at start-up.</summary>
public interface IStorageInitializer
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken ct);
}

internal sealed class SqliteInitializer(SqliteDatabase db) : IStorageInitializer
{
    public Task InitializeAsync(CancellationToken ct) => db.InitializeAsync(ct);
}
