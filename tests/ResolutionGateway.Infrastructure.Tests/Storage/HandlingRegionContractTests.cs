using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class HandlingRegionContractTestsSqlite(SqliteStoreFixture fixture) : HandlingRegionContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class HandlingRegionContractTestsMySql(MySqlStoreFixture fixture) : HandlingRegionContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// Migration 0014's handling_region: disputes stored before it are filled in from their state, so a
/// case transferred before the upgrade lists under the regulator it was transferred to.
/// </summary>
public abstract class HandlingRegionContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task MigrateAsync_UpgradeFromVersion12_TransferredCaseListsUnderItsNewRegulatorOnly()
    {
        await using var db = await fixture.CreateDatabaseAtVersionAsync(12, Ct);
        var merchant = Samples.Unique("m");
        var kept = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), merchant, "330106", enrolled: false);
        var moved = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), merchant, "330106", enrolled: false);
        var transferred = moved.State with { CaseRegionPrefix = "4201" };
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            await LegacyRows.InsertStateAndEventsAsync(c, kept.State, kept.Events);
            await LegacyRows.InsertStateAndEventsAsync(c, transferred, moved.Events);
        }

        var applied = await db.MigrateAsync(Ct);
        var hangzhou = await ListAsync(db, "3301", merchant);
        var wuhan = await ListAsync(db, "4201", merchant);

        Assert.Contains(14, applied.Select(m => m.Version));
        Assert.Equal([kept.State.DisputeId], hangzhou);
        Assert.Equal([transferred.DisputeId], wuhan);
    }

    private static async Task<string[]> ListAsync(ScratchDatabase db, string regulatorPrefix, string merchantId) =>
        (await db.Disputes.ListAsync(new DisputeQuery(new VisibilityScope(null, null, regulatorPrefix), null, merchantId, [], null, 10), Ct))
            .Select(d => d.DisputeId).ToArray();
}
