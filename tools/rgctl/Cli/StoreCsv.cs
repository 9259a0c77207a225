using ResolutionGateway.Contracts.V1;
using Sylvan.Data.Csv;

namespace ResolutionGateway.Tools.Rgctl.Cli;

/// <summary>
/// The CSV file of <c>rgctl stores import</c> (RFC 4180, UTF-8): a header line naming the columns,
/// in any order, then one store per line. merchant_id, store_id, display_name and region_code are
/// required columns; address and enabled (true/false; empty keeps the stored flag, a new store is
/// enabled) are optional. Values are trimmed; the server validates them as UpsertStore does.
/// </summary>
internal static class StoreCsv
{
    public static readonly string[] Columns = ["merchant_id", "store_id", "display_name", "region_code", "address", "enabled"];

    private static readonly string[] Required = ["merchant_id", "store_id", "display_name", "region_code"];

    /// <summary>Reads every row; a file that is not such a CSV is a usage error naming the line.</summary>
    public static List<Store> Read(string path, string command)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"no such file: {path}", command);
        }

        using var csv = CsvDataReader.Create(path, new CsvDataReaderOptions { Delimiter = ',', HasHeaders = true });
        if (csv.FieldCount == 0)
        {
            throw new UsageException($"{path} is empty: its first line must name the columns ({string.Join(',', Columns)})", command);
        }

        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim().ToLowerInvariant()).ToArray();
        if (header.Except(Columns).FirstOrDefault() is { } unknown)
        {
            throw new UsageException($"{path}: unknown column '{unknown}' (columns: {string.Join(',', Columns)})", command);
        }
        if (Required.Except(header).FirstOrDefault() is { } missing)
        {
            throw new UsageException($"{path}: missing column '{missing}' (required: {string.Join(',', Required)})", command);
        }

        var stores = new List<Store>();
        while (csv.Read())
        {
            // A short row leaves its last columns empty.
            string Field(string name) => Array.IndexOf(header, name) is var i and >= 0 && i < csv.RowFieldCount ? csv.GetString(i).Trim() : string.Empty;
            var store = new Store
            {
                MerchantId = Field("merchant_id"),
                StoreId = Field("store_id"),
                DisplayName = Field("display_name"),
                RegionCode = Field("region_code"),
                Address = Field("address"),
            };
            switch (Field("enabled").ToLowerInvariant())
            {
                case "":
                    break;
                case "true" or "yes" or "1":
                    store.Enabled = true;
                    break;
                case "false" or "no" or "0":
                    store.Enabled = false;
                    break;
                case var other:
                    throw new UsageException($"{path}, row {stores.Count + 1}: enabled must be true, false or empty, got '{other}'", command);
            }
            stores.Add(store);
        }

        return stores;
    }
}
