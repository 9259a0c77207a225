using Microsoft.Extensions.Configuration;

namespace ResolutionGateway.Infrastructure.Caching;

/// <summary>Settings of the in-process read caches (configuration section "Cache"). A TTL of zero turns that cache off.</summary>
public sealed class CacheOptions
{
    /// <summary>
    /// Longest time a dispute state is served from memory. Notifications evict it sooner; this only
    /// bounds staleness when a notification is lost.
    /// </summary>
    public TimeSpan DisputeTtl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most disputes (and pending change notifications) held at once.</summary>
    public int DisputeCapacity { get; set; } = 100_000;

    /// <summary>
    /// How long a merchant or store read is reused. Nothing invalidates it across nodes, so this is
    /// how late a change made on another node is seen (API key revocation has the same bound).
    /// </summary>
    public TimeSpan DirectoryTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most merchants, and separately most stores, held at once.</summary>
    public int DirectoryCapacity { get; set; } = 100_000;

    /// <summary>Reads the "Cache" section; values that make no sense stop the start.</summary>
    public static CacheOptions Read(IConfiguration config)
    {
        var options = new CacheOptions();
        config.GetSection("Cache").Bind(options);
        if (options.DisputeTtl < TimeSpan.Zero || options.DirectoryTtl < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Cache:DisputeTtl and Cache:DirectoryTtl must not be negative (00:00:00 turns a cache off)");
        }
        if (options.DisputeCapacity < 1 || options.DirectoryCapacity < 1)
        {
            throw new InvalidOperationException("Cache:DisputeCapacity and Cache:DirectoryCapacity must be at least 1 (a TTL of 00:00:00 turns a cache off)");
        }
        return options;
    }
}
