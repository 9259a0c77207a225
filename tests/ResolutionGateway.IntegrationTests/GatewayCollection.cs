// The failover tests stop and restart the shared MariaDB and Redis: no other test may run meanwhile.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ResolutionGateway.IntegrationTests;

/// <summary>Tests that share one running gateway (each test builds its own <see cref="Scenario"/>).</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
