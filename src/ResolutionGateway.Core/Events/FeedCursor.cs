using System.Buffers.Text;
using ResolutionGateway.Core.Errors;

namespace ResolutionGateway.Core.Events;

/// <summary>
/// The global feed is split into a fixed number of partitions, each with its own gap-free position
/// counter (positions are given after the commit by the feed sequencer, under the counters' row
/// locks, so positions commit in order and a reader never skips one). A dispute always lives in one
/// partition, so per-dispute order is kept; a cursor is the vector of positions reached.
/// </summary>
public static class FeedCursor
{
    /// <summary>Number of partitions. Part of the cursor format: never change it for a deployed store.</summary>
    public const int Partitions = 16;

    private const string Prefix = "c1_";

    /// <summary>The partition of a dispute.</summary>
    public static int PartitionOf(string disputeId) => (int)(HashOf(disputeId) % Partitions);

    /// <summary>FNV-1a of a dispute id: its partition, and whatever else is spread by dispute (rollup shards).</summary>
    public static uint HashOf(string disputeId)
    {
        var hash = 2166136261u;
        foreach (var c in disputeId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }

    /// <summary>Encodes positions as an opaque, URL-safe token.</summary>
    public static string Encode(ReadOnlySpan<long> positions)
    {
        Span<byte> buffer = stackalloc byte[Partitions * 10];
        var n = 0;
        foreach (var p in positions)
        {
            var v = (ulong)p;
            while (v >= 0x80)
            {
                buffer[n++] = (byte)(v | 0x80);
                v >>= 7;
            }
            buffer[n++] = (byte)v;
        }
        return Prefix + Base64Url.EncodeToString(buffer[..n]);
    }

    /// <summary>Decodes a cursor; throws INVALID_ARGUMENT on anything not made by <see cref="Encode"/>.</summary>
    public static long[] Decode(string cursor, string field = "after_cursor")
    {
        var bad = new ValidationException(field, "not a cursor returned by this service");
        if (!cursor.StartsWith(Prefix, StringComparison.Ordinal) || cursor.Length > 512)
        {
            throw bad;
        }
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            throw bad;
        }
        var positions = new long[Partitions];
        var i = 0;
        var p = 0;
        while (p < Partitions)
        {
            ulong v = 0;
            var shift = 0;
            while (true)
            {
                if (i >= bytes.Length || shift > 63)
                {
                    throw bad;
                }
                var b = bytes[i++];
                // Only the canonical encoding is accepted: no padding zero bytes, no bits past 64.
                if ((shift == 63 && b > 1) || (b == 0 && shift > 0))
                {
                    throw bad;
                }
                v |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    break;
                }
                shift += 7;
            }
            if (v > long.MaxValue)
            {
                throw bad;
            }
            positions[p++] = (long)v;
        }
        return i == bytes.Length ? positions : throw bad;
    }
}
