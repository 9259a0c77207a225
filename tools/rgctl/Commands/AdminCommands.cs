using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>keys create|list|revoke, channel register, merchant enroll, store upsert.</summary>
internal static class AdminCommands
{
    public static async Task<int> CreateKey(string[] argv)
    {
        var args = ArgReader.Parse("keys create", argv, "role= scope= description= officer=");
        args.AllowPositionals(0);
        var request = new CreateApiKeyRequest
        {
            Role = args.RequireEnum<CredentialRole>("role"),
            Scope = args.Get("scope") ?? string.Empty,
            Description = args.Get("description") ?? string.Empty,
            OfficerName = args.Get("officer") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().CreateApiKeyAsync(request);
        PrintCreatedKey(response);
        return 0;
    }

    public static async Task<int> ListKeys(string[] argv)
    {
        var args = ArgReader.Parse("keys list", argv, "all");
        args.AllowPositionals(0);
        using var connection = Connection.Open(args);
        var response = await connection.Admin().ListApiKeysAsync(new ListApiKeysRequest { IncludeRevoked = args.Has("all") });
        if (response.Keys.Count == 0)
        {
            Console.WriteLine("(no keys)");
            return 0;
        }

        Printer.PrintKeyTableHeader();
        foreach (var key in response.Keys)
        {
            Printer.PrintKeyRow(key);
        }

        return 0;
    }

    public static async Task<int> RevokeKey(string[] argv)
    {
        var args = ArgReader.Parse("keys revoke", argv, string.Empty);
        args.AllowPositionals(1);
        var keyId = args.Positional(0, "KEY_ID");
        using var connection = Connection.Open(args);
        var response = await connection.Admin().RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = keyId });
        Console.WriteLine($"revoked {response.Key.KeyId} at {Format.Time(response.Key.RevokeTime)}");
        return 0;
    }

    public static async Task<int> RegisterChannel(string[] argv)
    {
        var args = ArgReader.Parse("channel register", argv, string.Empty);
        args.AllowPositionals(2);
        var request = new RegisterChannelRequest { ChannelId = args.Positional(0, "ID"), DisplayName = args.Positional(1, "NAME") };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().RegisterChannelAsync(request);
        PrintChannel(response.Channel);
        return 0;
    }

    public static async Task<int> EnrollMerchant(string[] argv)
    {
        var args = ArgReader.Parse("merchant enroll", argv, string.Empty);
        args.AllowPositionals(2);
        var request = new EnrollMerchantRequest { MerchantId = args.Positional(0, "ID"), DisplayName = args.Positional(1, "NAME") };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().EnrollMerchantAsync(request);
        PrintMerchant(response.Merchant);
        return 0;
    }

    public static async Task<int> UpsertStore(string[] argv)
    {
        var args = ArgReader.Parse("store upsert", argv, "merchant= store= name= region= address=");
        args.AllowPositionals(0);
        var store = new Store
        {
            MerchantId = args.Require("merchant"),
            StoreId = args.Require("store"),
            DisplayName = args.Require("name"),
            RegionCode = args.Require("region"),
            Address = args.Get("address") ?? string.Empty,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().UpsertStoreAsync(new UpsertStoreRequest { Store = store });
        PrintStore(response.Store);
        return 0;
    }

    public static void PrintCreatedKey(CreateApiKeyResponse response)
    {
        var key = response.Key;
        var scope = string.IsNullOrEmpty(key.Scope) ? string.Empty : $", scope {key.Scope}";
        var officer = string.IsNullOrEmpty(key.OfficerName) ? string.Empty : $", officer {key.OfficerName}";
        Console.WriteLine($"created key {key.KeyId} (role {Format.Enum(key.Role)}{scope}{officer})");
        Console.WriteLine("token (shown only this once; store it safely):");
        Console.WriteLine($"  {response.Token}");
    }

    public static void PrintChannel(Channel channel) =>
        Console.WriteLine($"channel {channel.ChannelId}: {channel.DisplayName} (registered {Format.Time(channel.CreateTime)})");

    public static void PrintMerchant(Merchant merchant) =>
        Console.WriteLine($"merchant {merchant.MerchantId}: {merchant.DisplayName} (enrolled {Format.Time(merchant.CreateTime)})");

    public static void PrintStore(Store store)
    {
        var address = string.IsNullOrEmpty(store.Address) ? string.Empty : $", {store.Address}";
        Console.WriteLine($"store {store.MerchantId}/{store.StoreId}: {store.DisplayName} (region {store.RegionCode}{address})");
    }
}
