using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Grpc.Mapping;
using ResolutionGateway.Infrastructure.Caching;
using ResolutionGateway.Infrastructure.Events;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Repositories;
using ResolutionGateway.Tools.LoadGen.Cluster;
using ResolutionGateway.Tools.LoadGen.Engine;

namespace ResolutionGateway.Tools.LoadGen.Scenarios;

/// <summary>
/// The database ceiling for OpenDispute: the same database work as one OpenDispute, done in this
/// process by a plain loop over MySqlConnector at the same concurrency, with no gRPC, no HTTP/2,
/// no authentication and no Redis. The loop calls the service's own use case over the raw MySQL
/// stores (no Polly wrapper), so the statements, round trips and transaction are exactly the
/// service's: the merchant and store reads (through the same directory cache as the gateway, so
/// after the first call there are none), then one transaction that inserts the dispute, the
/// request record, the timer, the event at its feed position and the rollups. What is left out is
/// everything the gateway adds around the database.
/// </summary>
public static class DatabaseCeiling
{
    // The storage path as production runs it, personal data sealed, under the run's KEK: the gateway
    // nodes started later on the same database must open (and check) the keys made here.
    private static readonly PersonalDataSealer RandomKeys = new(new KeyRing(new LocalKeyEncryptionKey(Convert.FromBase64String(GatewayNode.SharedKek))));

    public static async Task<PhaseResult> OpenAsync(string mysql, World world, Offered offered, Phase phase, CancellationToken ct)
    {
        await using var dataSource = new MySqlOptions { ConnectionString = MySqlOptions.WithDefaults(mysql) }.CreateDataSource();
        var database = new MySqlDatabase(dataSource, NullLogger<MySqlDatabase>.Instance, TimeProvider.System);
        var directory = new CachingDirectoryStore(new DirectoryRepository(database), TimeSpan.FromSeconds(5), 1000, TimeProvider.System);
        var commands = new DisputeCommands(
            new DisputeRepository(database, new ConsumerKeyRepository(database, RandomKeys, TimeProvider.System)), directory, PolicySet.BuiltIn, new InProcessEventHub(), TimeProvider.System);
        var channel = new Principal(CredentialRole.Channel, world.ChannelId, "loadgen-db-ceiling");
        return await Load.RunAsync(offered, phase,
            (_, token) => commands.OpenAsync(channel, DisputeServiceMapper.ToCommand(world.NewOpenRequest()), token), ct);
    }
}
