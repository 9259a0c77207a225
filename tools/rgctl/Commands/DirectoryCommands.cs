using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>stores list, merchants list, channels list (ListStores, ListMerchants, ListChannels).</summary>
internal static class DirectoryCommands
{
    public static async Task<int> ListStores(string[] argv)
    {
        var args = ArgReader.Parse("stores list", argv, "merchant= region= enabled disabled limit= page-token= json");
        args.AllowPositionals(0);
        var enabled = Paging.EnabledFilter(args);
        using var connection = Connection.Open(args);
        var admin = connection.Admin();
        var (stores, next) = await Paging.CollectAsync<Store>(Paging.Limit(args), args.Get("page-token") ?? string.Empty, 1000, async (token, size) =>
        {
            var request = new ListStoresRequest
            {
                MerchantId = args.Get("merchant") ?? string.Empty,
                RegionPrefix = args.Get("region") ?? string.Empty,
                PageSize = size,
                PageToken = token,
            };
            if (enabled is { } flag)
            {
                request.Enabled = flag;
            }
            var response = await admin.ListStoresAsync(request);
            return (response.Stores, response.NextPageToken);
        });
        if (args.Has("json"))
        {
            Printer.PrintJsonArray(stores);
        }
        else if (stores.Count == 0)
        {
            Console.WriteLine("(no stores)");
        }
        else
        {
            Console.WriteLine($"{"MERCHANT",-20}  {"STORE",-16}  {"REGION",-6}  {"ENABLED",-7}  {"NAME",-24}  ADDRESS");
            foreach (var s in stores)
            {
                Console.WriteLine($"{s.MerchantId,-20}  {s.StoreId,-16}  {s.RegionCode,-6}  {YesNo(s.Enabled),-7}  {s.DisplayName,-24}  {s.Address}");
            }
        }
        Paging.PrintMore(args, next);
        return 0;
    }

    public static async Task<int> ListMerchants(string[] argv)
    {
        var args = ArgReader.Parse("merchants list", argv, "region= enabled disabled limit= page-token= json");
        args.AllowPositionals(0);
        var enabled = Paging.EnabledFilter(args);
        using var connection = Connection.Open(args);
        var admin = connection.Admin();
        var (merchants, next) = await Paging.CollectAsync<Merchant>(Paging.Limit(args), args.Get("page-token") ?? string.Empty, 1000, async (token, size) =>
        {
            var request = new ListMerchantsRequest { RegionPrefix = args.Get("region") ?? string.Empty, PageSize = size, PageToken = token };
            if (enabled is { } flag)
            {
                request.Enabled = flag;
            }
            var response = await admin.ListMerchantsAsync(request);
            return (response.Merchants, response.NextPageToken);
        });
        if (args.Has("json"))
        {
            Printer.PrintJsonArray(merchants);
        }
        else if (merchants.Count == 0)
        {
            Console.WriteLine("(no merchants)");
        }
        else
        {
            Console.WriteLine($"{"MERCHANT",-20}  {"ENABLED",-7}  {"ENROLLED",-25}  NAME");
            foreach (var m in merchants)
            {
                Console.WriteLine($"{m.MerchantId,-20}  {YesNo(m.Enabled),-7}  {Format.Time(m.CreateTime),-25}  {m.DisplayName}");
            }
        }
        Paging.PrintMore(args, next);
        return 0;
    }

    public static async Task<int> ListChannels(string[] argv)
    {
        var args = ArgReader.Parse("channels list", argv, "limit= page-token= json");
        args.AllowPositionals(0);
        using var connection = Connection.Open(args);
        var admin = connection.Admin();
        var (channels, next) = await Paging.CollectAsync<Channel>(Paging.Limit(args), args.Get("page-token") ?? string.Empty, 1000, async (token, size) =>
        {
            var response = await admin.ListChannelsAsync(new ListChannelsRequest { PageSize = size, PageToken = token });
            return (response.Channels, response.NextPageToken);
        });
        if (args.Has("json"))
        {
            Printer.PrintJsonArray(channels);
        }
        else if (channels.Count == 0)
        {
            Console.WriteLine("(no channels)");
        }
        else
        {
            Console.WriteLine($"{"CHANNEL",-20}  {"REGISTERED",-25}  NAME");
            foreach (var c in channels)
            {
                Console.WriteLine($"{c.ChannelId,-20}  {Format.Time(c.CreateTime),-25}  {c.DisplayName}");
            }
        }
        Paging.PrintMore(args, next);
        return 0;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
