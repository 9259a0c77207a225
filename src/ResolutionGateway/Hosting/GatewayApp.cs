using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Grpc;
using ResolutionGateway.Webhooks;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure;
using ResolutionGateway.Infrastructure.Webhooks;
using ResolutionGateway.Quotas;

namespace ResolutionGateway.Hosting;

/// <summary>Builds, wires and starts the gateway; Program.cs and the integration tests both use it.</summary>
public static class GatewayApp
{
    /// <summary>The gRPC health service name that checks only that the process serves requests (no storage round trip).</summary>
    public const string LivenessService = "liveness";

    /// <summary>Builds the app from command-line arguments (ASP.NET configuration syntax, e.g. --Storage:Provider=Sqlite).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content root = the binary's folder, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddGateway(builder.Configuration);
        builder.AddTelemetry();
        configure?.Invoke(builder);
        // Last, so that no later AddGrpc() brings grpc-dotnet's default binder back beside it.
        builder.Services.AddGuardedRequestParsing();
        var app = builder.Build();
        // Invalid configuration (policies, calendars) stops here, before anything is started or migrated.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        app.UseTelemetry();
        app.MapGrpcService<DisputeGrpcService>();
        app.MapGrpcService<AdminGrpcService>();
        app.MapGrpcService<ReportingGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHttpApi();
        return app;
    }

    /// <summary>
    /// What Program runs: with Migrations:DryRun=true, lists the pending migrations and exits;
    /// otherwise migrates, bootstraps and serves until stopped.
    /// </summary>
    public static async Task RunGatewayAsync(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<MigrationOptions>>().Value.DryRun)
        {
            var pending = await app.Services.GetRequiredService<IStorageInitializer>().PendingAsync(CancellationToken.None);
            Console.WriteLine(pending.Count == 0 ? "No pending migrations." : "Pending migrations:\n  " + string.Join("\n  ", pending));
            return;
        }
        await app.InitializeAsync();
        await app.RunAsync();
    }

    /// <summary>Migrates the store and creates the first admin key; call before the server starts.</summary>
    public static async Task InitializeAsync(this WebApplication app, CancellationToken ct = default)
    {
        await app.Services.GetRequiredService<IStorageInitializer>().InitializeAsync(ct);
        await app.Services.GetRequiredService<PolicyCatalog>().RefreshAsync(ct);
        var token = await app.Services.GetRequiredService<AdminCommands>().BootstrapAdminKeyAsync(ct);
        if (token is not null)
        {
            AnnounceAdminKey(app.Services.GetRequiredService<IOptions<BootstrapOptions>>().Value, token);
        }
    }

    private static IServiceCollection AddGateway(this IServiceCollection services, ConfigurationManager config)
    {
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<GatewayInterceptor>();
            o.Interceptors.Add<AuditInterceptor>();
            o.EnableDetailedErrors = false;
        }).AddHttpApi();
        services.AddGrpcReflection();
        // "" (the whole server, a readiness probe) runs every check, the storage round trip included;
        // "liveness" runs only the in-process check: it answers SERVING while the process serves
        // requests, touches no database, and is what the load generator uses as its no-op RPC.
        services.AddGrpcHealthChecks(o => o.Services.Map(LivenessService, c => c.Tags.Contains(LivenessService)))
            .AddCheck("process", () => HealthCheckResult.Healthy(), tags: [LivenessService])
            .AddCheck<DrainHealthCheck>("drain", tags: [LivenessService])
            .AddCheck<StorageHealthCheck>("storage");
        services.AddSingleton<NodeDrain>();
        services.AddInfrastructure(config);
        services.AddGatewayOptions(config);
        services.AddSingleton(sp => new PolicyCatalog(
            PolicyConfiguration.Policies(sp.GetRequiredService<IOptions<PolicyOptions>>().Value),
            PolicyConfiguration.Calendars(sp.GetRequiredService<IOptions<CalendarOptions>>().Value),
            sp.GetRequiredService<IPolicyStore>()));
        services.AddSingleton<IRegionPolicyProvider>(sp => sp.GetRequiredService<PolicyCatalog>());
        services.AddSingleton<Authenticator>();
        services.AddSingleton<DisputeCommands>();
        services.AddSingleton(sp =>
        {
            var w = sp.GetRequiredService<IOptions<WatchOptions>>().Value;
            // The wall clock, not the business clock: a waiting stream waits real time even when tests move a fake one.
            return new ReplayAdmission(w.ConcurrentReplays, w.ReplayQueueLimit, w.ReplayWait, w.ReplayRetryAfter, TimeProvider.System);
        });
        services.AddSingleton<DisputeQueries>();
        services.AddSingleton<CaseNotes>();
        services.AddSingleton<ReportingQueries>();
        services.AddSingleton(sp => new RankingPolicy(Math.Max(1, sp.GetRequiredService<IOptions<RankingsOptions>>().Value.MinimumDisputes)));
        services.AddSingleton<MerchantRankings>();
        services.AddSingleton<AdminCommands>();
        services.AddSingleton<DirectoryCommands>();
        services.AddSingleton<PersonalDataCommands>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<PolicyCommands>();
        services.AddSingleton(sp => new WebhookPolicy(sp.GetRequiredService<WebhookOptions>().AllowHttp));
        services.AddSingleton<WebhookCommands>();
        services.AddSingleton<IWebhookPayloadBuilder, WebhookPayloadBuilder>();
        services.AddSingleton<DeadlineEnforcer>();
        services.AddSingleton<QuotaCommands>();
        services.AddSingleton<QuotaGate>();
        services.AddHostedService<DeadlineWorker>();
        services.AddHostedService<PolicyRefresher>();
        return services;
    }

    // The host's own sections, each bound once; consumers take IOptions<T>.
    private static void AddGatewayOptions(this IServiceCollection services, ConfigurationManager config)
    {
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyConfiguration>();
        services.AddSingleton<IValidateOptions<CalendarOptions>, PolicyConfiguration>();
        services.AddOptions<PolicyOptions>().Bind(config.GetSection(PolicyOptions.SectionName)).ValidateOnStart();
        services.AddOptions<CalendarOptions>().Bind(config.GetSection(CalendarOptions.SectionName)).ValidateOnStart();
        services.AddOptions<DeadlineOptions>().Bind(config.GetSection(DeadlineOptions.SectionName));
        services.AddOptions<QuotaOptions>().Bind(config.GetSection(QuotaOptions.SectionName));
        services.AddOptions<MigrationOptions>().Bind(config.GetSection(MigrationOptions.SectionName));
        services.AddOptions<RankingsOptions>().Bind(config.GetSection(RankingsOptions.SectionName));
        services.AddOptions<WatchOptions>().Bind(config.GetSection(WatchOptions.SectionName))
            .Validate(o => o.ConcurrentReplays >= 0 && o.ReplayQueueLimit >= 0 && o.ReplayWait >= TimeSpan.Zero && o.ReplayRetryAfter > TimeSpan.Zero,
                "Watch:ConcurrentReplays and Watch:ReplayQueueLimit must not be negative, Watch:ReplayWait not negative, Watch:ReplayRetryAfter positive")
            .ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(config.GetSection(BootstrapOptions.SectionName))
            .PostConfigure(o => o.AdminKeyFile ??= Path.Combine(DependencyInjection.DataDirectory(config), "admin-key"));
    }

    // The first admin key is shown once on the console and, for the local quick start, saved next
    // to the embedded store (mode 600) where rgctl finds it. Bootstrap:AdminKeyFile="" disables the file.
    private static void AnnounceAdminKey(BootstrapOptions options, string token)
    {
        var path = options.AdminKeyFile ?? "";
        Console.WriteLine("==========================================================================");
        Console.WriteLine(" First start: created an admin API key. It is shown only this once:");
        Console.WriteLine($"   {token}");
        if (path.Length > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, token + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            Console.WriteLine($" Saved to {path} (rgctl reads it from there).");
        }
        Console.WriteLine("==========================================================================");
    }
}
