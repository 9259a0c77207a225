using System.Security.Cryptography;
using Dapper;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Repositories;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class WebhookSecretContractTestsSqlite(SqliteStoreFixture fixture) : WebhookSecretContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class WebhookSecretContractTestsMySql(MySqlStoreFixture fixture) : WebhookSecretContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// Webhook signing secrets at rest, on each backend: stored sealed by the KEK, read back plain, a
/// plain secret of an older version sealed by the sealing pass, and KEK rotation re-wrapping them.
/// </summary>
public abstract class WebhookSecretContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private readonly IDatabase _db = fixture switch
    {
        MySqlStoreFixture m => m.Database,
        SqliteStoreFixture s => s.Database,
        _ => throw new InvalidOperationException("unknown fixture"),
    };

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task UpdateEndpointAsync_RotatedSecret_BothColumnsSealedAndReadPlain()
    {
        var endpoint = await fixture.Webhooks.AddEndpointAsync(WebhookOwnerKind.Channel, Samples.Unique("ch-ws"), DateTimeOffset.UtcNow);
        var rotated = endpoint with { PreviousSecret = endpoint.Secret, Secret = WebhookSignature.NewSecret(), PreviousSecretExpiresAt = DateTimeOffset.UtcNow.AddDays(1) };

        await fixture.Webhooks.UpdateEndpointAsync(rotated, Ct);
        var (secret, previous) = await RawAsync(endpoint.EndpointId);
        var read = await fixture.Webhooks.GetEndpointAsync(endpoint.EndpointId, Ct);

        Assert.StartsWith("ws1." + TestKeys.Sealer.Ring.Current.Id + ".", secret, StringComparison.Ordinal);
        Assert.StartsWith("ws1." + TestKeys.Sealer.Ring.Current.Id + ".", previous, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.Secret["whsec_".Length..], secret + previous, StringComparison.Ordinal);
        Assert.DoesNotContain(endpoint.Secret["whsec_".Length..], secret + previous, StringComparison.Ordinal);
        Assert.Equal((rotated.Secret, endpoint.Secret), (read!.Secret, read.PreviousSecret));
    }

    [Fact]
    public async Task SealAllAsync_PlainSecretThenKekRotation_SealedThenRewrappedAndStillOpens()
    {
        var endpoint = await fixture.Webhooks.AddEndpointAsync(WebhookOwnerKind.Channel, Samples.Unique("ch-ws"), DateTimeOffset.UtcNow);
        // As an older version stored it.
        await Execute("UPDATE webhook_endpoints SET secret = @Secret WHERE endpoint_id = @Id", new { endpoint.Secret, Id = endpoint.EndpointId });
        var newKek = new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32));
        var rotated = new WebhookSecretSealer(new KeyRing(newKek, [TestKeys.Sealer.Ring.Current]));
        try
        {
            var sealedNow = await new WebhookSecretRepository(_db, new WebhookSecretSealer(TestKeys.Sealer.Ring)).SealAllAsync(Ct);
            var afterSealing = (await RawAsync(endpoint.EndpointId)).Secret;
            var rewrapped = await new WebhookSecretRepository(_db, rotated).SealAllAsync(Ct);
            var afterRotation = (await RawAsync(endpoint.EndpointId)).Secret;
            var underNewOnly = new WebhookRepository(_db, new WebhookSecretSealer(new KeyRing(newKek)));

            Assert.True(sealedNow >= 1);
            Assert.StartsWith("ws1." + TestKeys.Sealer.Ring.Current.Id + ".", afterSealing, StringComparison.Ordinal);
            Assert.True(rewrapped >= 1);
            Assert.StartsWith("ws1." + newKek.Id + ".", afterRotation, StringComparison.Ordinal);
            Assert.Equal(endpoint.Secret, (await underNewOnly.GetEndpointAsync(endpoint.EndpointId, Ct))!.Secret);
            Assert.Equal(0, await new WebhookSecretRepository(_db, rotated).SealAllAsync(Ct));
        }
        finally
        {
            // Back to the run's KEK: the other tests of the collection share this database.
            await new WebhookSecretRepository(_db, new WebhookSecretSealer(new KeyRing(TestKeys.Sealer.Ring.Current, [newKek]))).SealAllAsync(Ct);
        }
    }

    private async Task<(string Secret, string? Previous)> RawAsync(string endpointId)
    {
        await using var c = await fixture.OpenConnectionAsync(Ct);
        return await c.QuerySingleAsync<(string, string?)>("SELECT secret, previous_secret FROM webhook_endpoints WHERE endpoint_id = @Id", new { Id = endpointId });
    }

    private async Task Execute(string sql, object parameters)
    {
        await using var c = await fixture.OpenConnectionAsync(Ct);
        await c.ExecuteAsync(sql, parameters);
    }
}
