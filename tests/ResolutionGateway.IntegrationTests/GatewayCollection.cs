namespace ResolutionGateway.IntegrationTests;

/// <summary>Tests that share one running gateway (each test builds its own <see cref="Scenario"/>).</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
