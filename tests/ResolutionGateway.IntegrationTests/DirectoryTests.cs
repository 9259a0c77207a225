using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>The directory at scale: listings by role, the store import, disabled merchants and stores.</summary>
public abstract class DirectoryTests(GatewayFixture gw)
{
    private AdminService.AdminServiceClient As(string token) => new(gw.Invoker(token));

    private static Store NewStore(string merchantId, string storeId, string region = "330106", string name = "Store") =>
        new() { MerchantId = merchantId, StoreId = storeId, DisplayName = name, Address = "1 Road", RegionCode = region };

    private static async Task<ImportStoresResponse> ImportAsync(AdminService.AdminServiceClient client, string requestId, params Store[][] messages)
    {
        using var call = client.ImportStores();
        var first = true;
        foreach (var rows in messages)
        {
            var m = new ImportStoresRequest { RequestId = first ? requestId : "" };
            m.Stores.AddRange(rows);
            await call.RequestStream.WriteAsync(m);
            first = false;
        }
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    private static async Task<List<Store>> AllStoresAsync(AdminService.AdminServiceClient client, ListStoresRequest request)
    {
        var all = new List<Store>();
        do
        {
            var page = await client.ListStoresAsync(request);
            all.AddRange(page.Stores);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return all;
    }

    private static async Task<List<Merchant>> AllMerchantsAsync(AdminService.AdminServiceClient client, ListMerchantsRequest request)
    {
        var all = new List<Merchant>();
        request.PageSize = 1000;
        do
        {
            var page = await client.ListMerchantsAsync(request);
            all.AddRange(page.Merchants);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return all;
    }

    [Fact]
    public async Task ListStores_PagesOfTwo_EveryStoreOnceInOrder()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();
        await ImportAsync(admin, "seed-" + s.Suffix, [.. Enumerable.Range(1, 4).Select(i => NewStore(s.MerchantId, $"p-{i}"))]);

        var pages = 0;
        var request = new ListStoresRequest { MerchantId = s.MerchantId, PageSize = 2 };
        var all = new List<Store>();
        do
        {
            var page = await admin.ListStoresAsync(request);
            Assert.True(page.Stores.Count <= 2);
            all.AddRange(page.Stores);
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(["p-1", "p-2", "p-3", "p-4", s.StoreId], all.Select(x => x.StoreId));
        Assert.Equal(3, pages);
        Assert.All(all, x => Assert.True(x.Enabled));
    }

    [Fact]
    public async Task ListStores_EachRole_SeesItsScopeOnly()
    {
        var s = await Scenario.CreateAsync(gw);
        await ImportAsync(gw.Admin(), "seed-" + s.Suffix, [NewStore(s.MerchantId, "nanjing-1", region: "320102")]);
        var mine = new ListStoresRequest { MerchantId = s.MerchantId };

        var admin = await AllStoresAsync(gw.Admin(), mine.Clone());
        var hangzhou = await AllStoresAsync(As(await gw.KeyAsync(CredentialRole.Regulator, "3301")), mine.Clone());
        var jiangsu = await AllStoresAsync(As(await gw.KeyAsync(CredentialRole.Regulator, "32")), mine.Clone());
        var merchant = await AllStoresAsync(As(s.MerchantToken), new ListStoresRequest());

        Assert.Equal(["nanjing-1", s.StoreId], admin.Select(x => x.StoreId));
        Assert.Equal([s.StoreId], hangzhou.Select(x => x.StoreId));
        Assert.Equal(["nanjing-1"], jiangsu.Select(x => x.StoreId));
        Assert.Equal(["nanjing-1", s.StoreId], merchant.Select(x => x.StoreId));
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => As(s.MerchantToken).ListStoresAsync(new ListStoresRequest { MerchantId = s.OtherMerchantId }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => As(s.ChannelToken).ListStoresAsync(mine).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, async () =>
            await As(await gw.KeyAsync(CredentialRole.Analyst, "")).ListStoresAsync(mine));
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, async () =>
            await As(await gw.KeyAsync(CredentialRole.Regulator, "3301")).ListStoresAsync(new ListStoresRequest { RegionPrefix = "32" }));
        var bad = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            gw.Admin().ListStoresAsync(new ListStoresRequest { RegionPrefix = "3", PageSize = 5000, PageToken = "nope" }).ResponseAsync);
        Assert.Equal(["region_prefix", "page_size", "page_token"], RpcAssert.Fields(bad));
    }

    [Fact]
    public async Task ListMerchants_RegionAndEnabledFilters_ByRole()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();

        await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = s.OtherMerchantId, DisplayName = "Noodle Bar", Enabled = false });
        var inXihu = await AllMerchantsAsync(admin, new ListMerchantsRequest { RegionPrefix = "330106" });
        var disabled = await AllMerchantsAsync(admin, new ListMerchantsRequest { Enabled = false });
        var enabled = await AllMerchantsAsync(admin, new ListMerchantsRequest { Enabled = true });
        var hangzhou = await AllMerchantsAsync(As(await gw.KeyAsync(CredentialRole.Regulator, "3301")), new ListMerchantsRequest());
        var jiangsu = await AllMerchantsAsync(As(await gw.KeyAsync(CredentialRole.Regulator, "32")), new ListMerchantsRequest());
        var merchant = await AllMerchantsAsync(As(s.MerchantToken), new ListMerchantsRequest());

        Assert.Contains(inXihu, m => m.MerchantId == s.MerchantId);
        Assert.DoesNotContain(inXihu, m => m.MerchantId == s.OtherMerchantId); // no store at all
        Assert.Contains(disabled, m => m.MerchantId == s.OtherMerchantId && !m.Enabled);
        Assert.DoesNotContain(enabled, m => m.MerchantId == s.OtherMerchantId);
        Assert.Contains(enabled, m => m.MerchantId == s.MerchantId && m.Enabled);
        Assert.Contains(hangzhou, m => m.MerchantId == s.MerchantId);
        Assert.DoesNotContain(jiangsu, m => m.MerchantId == s.MerchantId);
        Assert.Equal([s.MerchantId], merchant.Select(m => m.MerchantId));
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => As(s.ChannelToken).ListMerchantsAsync(new ListMerchantsRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, async () =>
            await As(await gw.KeyAsync(CredentialRole.Analyst, "33")).ListMerchantsAsync(new ListMerchantsRequest()));
    }

    [Fact]
    public async Task ListChannels_AdminPages_OthersPermissionDenied()
    {
        var s = await Scenario.CreateAsync(gw);

        var all = new List<Channel>();
        var request = new ListChannelsRequest { PageSize = 1000 };
        do
        {
            var page = await gw.Admin().ListChannelsAsync(request);
            all.AddRange(page.Channels);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Contains(all, c => c.ChannelId == s.ChannelId);
        Assert.Contains(all, c => c.ChannelId == s.OtherChannelId);
        Assert.Equal(all.Select(c => c.ChannelId).Order(StringComparer.Ordinal), all.Select(c => c.ChannelId));
        foreach (var token in new[] { s.ChannelToken, s.MerchantToken, await gw.KeyAsync(CredentialRole.Regulator, "33"), await gw.KeyAsync(CredentialRole.Analyst, "") })
        {
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => As(token).ListChannelsAsync(new ListChannelsRequest()).ResponseAsync);
        }
    }

    [Fact]
    public async Task ImportStores_MixedRows_CountsEachAndListsRefusedRows()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();
        var existing = NewStore(s.MerchantId, s.StoreId, name: "Tea House (Xihu)");
        existing.Address = "1 Longjing Rd";

        var r = await ImportAsync(admin, "imp-" + s.Suffix,
            [NewStore(s.MerchantId, "new-1"), NewStore(s.MerchantId, "new-2")],
            [existing, NewStore(s.MerchantId, s.StoreId, name: "Renamed")],
            [NewStore(s.MerchantId, "bad", region: "99"), NewStore("nobody-" + s.Suffix, "x"), NewStore(s.MerchantId, "new-1")]);

        Assert.Equal((2, 0, 1, 4), (r.Created, r.Updated, r.Unchanged, r.Refused));
        Assert.False(r.Replayed);
        Assert.Equal([4L, 5, 6, 7], r.RefusedRows.Select(x => x.RowNumber));
        Assert.Equal("store_id", r.RefusedRows[0].Violations[0].Field); // the second row of the same store
        Assert.Equal("region_code", r.RefusedRows[1].Violations[0].Field);
        Assert.Equal("merchant_id", r.RefusedRows[2].Violations[0].Field);
        Assert.Equal("store_id", r.RefusedRows[3].Violations[0].Field);
        var stores = await AllStoresAsync(admin, new ListStoresRequest { MerchantId = s.MerchantId });
        Assert.Equal(["new-1", "new-2", s.StoreId], stores.Select(x => x.StoreId));
        Assert.Equal("Tea House (Xihu)", stores[2].DisplayName);
        Assert.Empty(await AllStoresAsync(admin, new ListStoresRequest { MerchantId = "nobody-" + s.Suffix }));
    }

    [Fact]
    public async Task ImportStores_ChangedRowsAndFlags_UpdatedAndKept()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();
        var disabled = NewStore(s.MerchantId, "d-1");
        disabled.Enabled = false;
        await ImportAsync(admin, "a-" + s.Suffix, [disabled, NewStore(s.MerchantId, "d-2")]);

        // d-1 renamed without a flag (stays disabled); d-2 the same but now disabled.
        var d2 = NewStore(s.MerchantId, "d-2");
        d2.Enabled = false;
        var r = await ImportAsync(admin, "b-" + s.Suffix, [NewStore(s.MerchantId, "d-1", name: "New"), d2]);

        Assert.Equal((0, 2, 0, 0), (r.Created, r.Updated, r.Unchanged, r.Refused));
        var stores = await AllStoresAsync(admin, new ListStoresRequest { MerchantId = s.MerchantId, Enabled = false });
        Assert.Equal(["d-1", "d-2"], stores.Select(x => x.StoreId));
        Assert.Equal("New", stores[0].DisplayName);
    }

    [Fact]
    public async Task ImportStores_SameRequestIdAgain_FirstAnswerAndNothingWritten()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();
        var first = await ImportAsync(admin, "same-" + s.Suffix, [NewStore(s.MerchantId, "r-1")]);

        var again = await ImportAsync(admin, "same-" + s.Suffix, [NewStore(s.MerchantId, "r-2"), NewStore(s.MerchantId, "r-3")]);

        Assert.Equal(1, first.Created);
        Assert.True(again.Replayed);
        Assert.Equal((1, 0L), (again.Created, again.Refused));
        var stores = await AllStoresAsync(admin, new ListStoresRequest { MerchantId = s.MerchantId });
        Assert.DoesNotContain(stores, x => x.StoreId is "r-2" or "r-3");
    }

    [Fact]
    public async Task ImportStores_NotAdmin_PermissionDeniedAndNothingWritten()
    {
        var s = await Scenario.CreateAsync(gw);
        var tokens = new[]
        {
            s.ChannelToken, s.MerchantToken, await gw.KeyAsync(CredentialRole.Regulator, "33"), await gw.KeyAsync(CredentialRole.Analyst, ""),
        };

        foreach (var token in tokens)
        {
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => ImportAsync(As(token), "x-" + s.Suffix, [NewStore(s.MerchantId, "denied")]));
        }

        var stores = await AllStoresAsync(gw.Admin(), new ListStoresRequest { MerchantId = s.MerchantId });
        Assert.DoesNotContain(stores, x => x.StoreId == "denied");
    }

    [Fact]
    public async Task ImportStores_BadStream_InvalidArgument()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();

        var noId = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => ImportAsync(admin, "", [NewStore(s.MerchantId, "n-1")]));
        var empty = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => ImportAsync(admin, "e-" + s.Suffix));
        var tooMany = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            ImportAsync(admin, "t-" + s.Suffix, [.. Enumerable.Range(0, 1001).Select(i => NewStore(s.MerchantId, $"t-{i}"))]));

        Assert.Equal(["request_id"], RpcAssert.Fields(noId));
        Assert.Equal(["request_id"], RpcAssert.Fields(empty));
        Assert.Equal(["stores"], RpcAssert.Fields(tooMany));
        var stores = await AllStoresAsync(admin, new ListStoresRequest { MerchantId = s.MerchantId });
        Assert.Equal([s.StoreId], stores.Select(x => x.StoreId));
    }

    [Fact]
    public async Task OpenDispute_MerchantDisabled_RoutedAsUnenrolledUntilEnabledAgain()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();

        var off = await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = s.MerchantId, DisplayName = "West Lake Tea House", Enabled = false });
        var whileDisabled = await s.OpenAsync();
        var renamed = await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = s.MerchantId, DisplayName = "Tea House" });
        await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = s.MerchantId, DisplayName = "Tea House", Enabled = true });
        var afterwards = await s.OpenAsync();

        Assert.False(off.Merchant.Enabled);
        Assert.False(renamed.Merchant.Enabled); // absent keeps the flag
        Assert.Equal(DisputeStatus.Escalated, whileDisabled.Status);
        Assert.Equal(EscalationReason.MerchantNotEnrolled, whileDisabled.EscalationReason);
        Assert.False(whileDisabled.MerchantEnrolled);
        Assert.Equal(DisputeStatus.AwaitingMerchant, afterwards.Status);
        Assert.True(afterwards.MerchantEnrolled);
    }

    [Fact]
    public async Task OpenDispute_StoreDisabled_RoutedAsUnenrolled()
    {
        var s = await Scenario.CreateAsync(gw);
        var admin = gw.Admin();
        var store = NewStore(s.MerchantId, s.StoreId, name: "Tea House (Xihu)");
        store.Enabled = false;

        var upserted = await admin.UpsertStoreAsync(new UpsertStoreRequest { Store = store });
        var kept = await admin.UpsertStoreAsync(new UpsertStoreRequest { Store = NewStore(s.MerchantId, s.StoreId, name: "Renamed") });
        var d = await s.OpenAsync();

        Assert.False(upserted.Store.Enabled);
        Assert.False(kept.Store.Enabled);
        Assert.Equal("Renamed", kept.Store.DisplayName);
        Assert.Equal(DisputeStatus.Escalated, d.Status);
        Assert.Equal(EscalationReason.MerchantNotEnrolled, d.EscalationReason);
        Assert.Equal("330106", d.RegionCode);
    }
}
