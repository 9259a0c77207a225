using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Repositories;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// Seals, in the background, disputes an older version stored in plain text (see
/// <see cref="PersonalDataMigration"/>): at start, then every <see cref="Interval"/>, since a node
/// of the older version may still write plain rows during a rolling upgrade.
/// </summary>
public sealed partial class PersonalDataMigrationWorker(PersonalDataMigration migration, WebhookSecretRepository webhookSecrets,
    PersonalDataOptions options, ILogger<PersonalDataMigrationWorker> logger) : BackgroundService
{
    /// <summary>The pause between passes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.BenchmarkWithoutEncryption)
        {
            // The encryption benchmark's baseline: plain rows are what it wants.
            LogPlaintext();
            return Task.CompletedTask;
        }
        return PeriodicPass.RunAsync(Interval, async ct =>
        {
            if (await migration.SealAllPlainAsync(null, null, ct) is > 0 and var n)
            {
                LogSealed(n);
            }
            // Webhook secrets an older node stored in plain text (a rolling upgrade).
            if (await webhookSecrets.SealAllAsync(ct) is > 0 and var w)
            {
                LogSealedSecrets(w);
            }
        }, LogFailed, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PersonalData:BenchmarkWithoutEncryption is on: names and mobile numbers of new disputes are stored in plain text. For benchmarks only; never in service")]
    private partial void LogPlaintext();

    [LoggerMessage(Level = LogLevel.Information, Message = "Sealed the personal data of {Count} disputes stored in plain text by an older version")]
    private partial void LogSealed(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sealed the signing secrets of {Count} webhook endpoints stored in plain text or under a former KEK")]
    private partial void LogSealedSecrets(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing plain-text disputes failed; retrying on the next pass")]
    private partial void LogFailed(Exception e);
}
