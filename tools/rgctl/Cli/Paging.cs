namespace ResolutionGateway.Tools.Rgctl.Cli;

/// <summary>Following the page tokens of a List RPC up to a number of items.</summary>
internal static class Paging
{
    /// <summary>
    /// Calls <paramref name="page"/> from <paramref name="token"/> on until <paramref name="limit"/>
    /// items came or the last page was read; returns them and the token of the next page ("" when none).
    /// </summary>
    public static async Task<(List<T> Items, string NextPageToken)> CollectAsync<T>(
        int limit, string token, int maxPageSize, Func<string, int, Task<(IEnumerable<T> Items, string Next)>> page)
    {
        var items = new List<T>();
        do
        {
            var (got, next) = await page(token, Math.Min(limit - items.Count, maxPageSize));
            items.AddRange(got);
            token = next;
        }
        while (token.Length > 0 && items.Count < limit);
        return (items, token);
    }

    /// <summary>--limit N (1-100000), default <paramref name="fallback"/>.</summary>
    public static int Limit(ArgReader args, int fallback = 100) => args.GetInt32("limit") switch
    {
        null => fallback,
        >= 1 and <= 100_000 and var n => n,
        _ => throw new UsageException("--limit must be between 1 and 100000", args.Command),
    };

    /// <summary>Tells on stderr how to read on, when there is more.</summary>
    public static void PrintMore(ArgReader args, string nextPageToken)
    {
        if (nextPageToken.Length > 0)
        {
            Console.Error.WriteLine($"(more: rgctl {args.Command} ... --page-token {nextPageToken})");
        }
    }

    /// <summary>--enabled / --disabled as the optional filter of the directory listings.</summary>
    public static bool? EnabledFilter(ArgReader args) => (args.Has("enabled"), args.Has("disabled")) switch
    {
        (true, true) => throw new UsageException("give --enabled or --disabled, not both", args.Command),
        (true, false) => true,
        (false, true) => false,
        _ => null,
    };
}
