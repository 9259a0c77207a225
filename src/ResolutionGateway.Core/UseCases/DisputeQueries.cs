using System.Runtime.CompilerServices;
using System.Text;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Reads: single disputes, lists, timelines, and the two watch streams.</summary>
public sealed class DisputeQueries(IDisputeStore store, IEventHub hub, TimeProvider time, ReplayAdmission admission)
{
    /// <summary>Without notifications, watchers re-read the database this often anyway (a missed publish only delays).</summary>
    public static readonly TimeSpan IdleRecheck = TimeSpan.FromSeconds(30);

    private const int ReplayPage = 500;

    /// <summary>One dispute the caller may see.</summary>
    public async Task<Dispute> GetAsync(Principal p, string disputeId, CancellationToken ct)
    {
        _ = ScopeOf(p);
        CommandValidation.ValidateDisputeId(disputeId);
        var d = await store.GetAsync(disputeId, ct);
        return d is not null && p.CanSee(d) ? d : throw new NotFoundException("dispute", disputeId);
    }

    /// <summary>Longest look-ahead of the deadline filter: a year.</summary>
    public const int MaxDeadlineWithinHours = 8760;

    /// <summary>
    /// A page of the disputes the caller may see and the filters select, newest first or by next
    /// deadline. The page token carries the sort key of the last row, so rows that do not change
    /// between pages are listed exactly once.
    /// </summary>
    public async Task<DisputeListPage> ListAsync(Principal p, DisputeListInput input, CancellationToken ct)
    {
        var scope = ScopeOf(p);
        var v = new Violations();
        if (input.PageSize is < 0 or > 200)
        {
            v.Add("page_size", "0 to 200");
        }
        if (p.Role == CredentialRole.Channel && input.ConsumerRef.Length == 0)
        {
            v.Add("consumer_ref", "required for channels: a channel lists one consumer's disputes");
        }
        v.Identifier(input.ConsumerRef, "consumer_ref", required: false);
        v.Identifier(input.MerchantId, "merchant_id", required: false);
        if (input.Statuses.Any(s => s == DisputeStatus.Unspecified || !Enum.IsDefined(s)))
        {
            v.Add("statuses", "unknown status");
        }
        CheckRange(input.Opened, "opened", v);
        CheckRange(input.Updated, "updated", v);
        CheckRange(input.Closed, "closed", v);
        var category = (Category)input.Category;
        if (!Enum.IsDefined(category))
        {
            v.Add("category", "unknown category");
        }
        if (input.RegionPrefix.Length > 0 && !Violations.IsRegionPrefix(input.RegionPrefix))
        {
            v.Add("region_prefix", "a region code prefix of 2, 4 or 6 digits, e.g. 33 or 3301");
        }
        if (input.DeadlineWithinHours is < 0 or > MaxDeadlineWithinHours)
        {
            v.Add("deadline_within_hours", $"0 to {MaxDeadlineWithinHours} (0: deadline passed)");
        }
        var order = input.Order switch
        {
            0 or 1 => DisputeListOrder.NewestFirst,
            2 => DisputeListOrder.NextDeadline,
            _ => (DisputeListOrder?)null,
        };
        if (order is null)
        {
            v.Add("order_by", "unknown order");
        }
        var (before, afterDeadline) = DecodePageToken(input.PageToken, order ?? DisputeListOrder.NewestFirst, v);
        v.ThrowIfAny();
        // A regulator's own region filter must lie inside its scope, as in reporting (asking for
        // more is refused, not silently narrowed).
        if (input.RegionPrefix.Length > 0 && scope.RegionPrefix is { } mine && !input.RegionPrefix.StartsWith(mine, StringComparison.Ordinal))
        {
            throw new PermissionDeniedException($"this credential may list regions {mine}* only");
        }
        var limit = input.PageSize == 0 ? 50 : input.PageSize;
        var query = new DisputeQuery(scope, NullIfEmpty(input.ConsumerRef), NullIfEmpty(input.MerchantId), input.Statuses, before, limit + 1)
        {
            Opened = input.Opened,
            Updated = input.Updated,
            Closed = input.Closed,
            Category = category == Category.Unspecified ? null : category,
            RegionPrefix = NullIfEmpty(input.RegionPrefix),
            DeadlineBy = input.DeadlineWithinHours is { } h ? time.GetUtcNow().AddHours(h) : null,
            Order = order!.Value,
            AfterDeadline = afterDeadline,
        };
        var rows = await store.ListAsync(query, ct);
        var page = rows.Take(limit).ToArray();
        var next = rows.Count > limit ? EncodePageToken(page[^1], query.Order) : "";
        return new DisputeListPage(page, next);
    }

    // Both ends set: the end must come after the start (an empty or inverted range selects nothing,
    // which is always a mistake in the request).
    private static void CheckRange(TimeRange range, string field, Violations v)
    {
        if (range.From is { } from && range.To is { } to && to <= from)
        {
            v.Add($"{field}.end_time", to == from ? "empty range: end_time equals start_time (the end is exclusive)" : "before start_time");
        }
    }

    /// <summary>A page of a dispute's log.</summary>
    public async Task<(IReadOnlyList<DisputeEvent> Events, bool HasMore)> ListEventsAsync(
        Principal p, string disputeId, long afterSeq, int pageSize, CancellationToken ct)
    {
        var v = new Violations();
        if (pageSize is < 0 or > 500)
        {
            v.Add("page_size", "0 to 500");
        }
        if (afterSeq < 0)
        {
            v.Add("after_seq", "must not be negative");
        }
        v.ThrowIfAny();
        await GetAsync(p, disputeId, ct);
        var limit = pageSize == 0 ? 100 : pageSize;
        var events = await store.ReadEventsAsync(disputeId, afterSeq, limit + 1, ct);
        return (events.Take(limit).ToArray(), events.Count > limit);
    }

    /// <summary>
    /// Replays a dispute's events after <paramref name="afterSeq"/>, marks the present, then follows
    /// live. Notifications are only hints: an event is sent when its seq is the next one expected,
    /// anything else (gap, dropped notification, silence) sends the watcher back to the database.
    /// </summary>
    public async IAsyncEnumerable<WatchItem> WatchDisputeAsync(
        Principal p, string disputeId, long afterSeq, [EnumeratorCancellation] CancellationToken ct)
    {
        if (afterSeq < 0)
        {
            throw new ValidationException("after_seq", "must not be negative");
        }
        // The opening reads go through admission control (a reconnect storm queues here, or is told
        // to retry, instead of all reading at once); later re-reads are small and run freely.
        await admission.RunAsync(t => GetAsync(p, disputeId, t), ct);
        // Subscribe before the replay, so nothing committed in between is missed.
        using var subscription = hub.Subscribe(disputeId);
        var last = afterSeq;
        var caughtUp = false;
        while (true)
        {
            // Catch up from the database.
            while (true)
            {
                var from = last;
                var page = caughtUp
                    ? await store.ReadEventsAsync(disputeId, from, ReplayPage, ct)
                    : await admission.RunAsync(t => store.ReadEventsAsync(disputeId, from, ReplayPage, t), ct);
                foreach (var e in page)
                {
                    last = e.Seq;
                    yield return new WatchItem(e, "", false);
                }
                if (page.Count < ReplayPage)
                {
                    break;
                }
            }
            if (!caughtUp)
            {
                caughtUp = true;
                yield return new WatchItem(null, "", true);
            }
            // Follow notifications while they arrive in order.
            var inOrder = true;
            while (inOrder && await WaitAsync(subscription, ct))
            {
                while (subscription.Reader.TryRead(out var entry))
                {
                    var seq = entry.Event.Seq;
                    if (seq <= last)
                    {
                        continue;
                    }
                    if (seq != last + 1)
                    {
                        inOrder = false;
                        break;
                    }
                    last = seq;
                    yield return new WatchItem(entry.Event, "", false);
                }
            }
        }
    }

    /// <summary>
    /// Streams every event the caller may see, from a cursor (or the beginning, or now), then live.
    /// Same discipline as <see cref="WatchDisputeAsync"/>, per feed partition.
    /// </summary>
    public async IAsyncEnumerable<WatchItem> WatchAllAsync(
        Principal p, string afterCursor, bool startAtNow, [EnumeratorCancellation] CancellationToken ct)
    {
        var positions = afterCursor.Length > 0 ? FeedCursor.Decode(afterCursor)
            : startAtNow ? await admission.RunAsync(store.ReadFeedHeadAsync, ct)
            : new long[FeedCursor.Partitions];
        var scope = ScopeOf(p);
        // Positioned entries only: the feed sequencer announces each event once it has its position.
        using var subscription = hub.SubscribeFeed();
        var stale = Enumerable.Range(0, FeedCursor.Partitions).ToHashSet();
        var caughtUp = false;
        while (true)
        {
            foreach (var partition in stale.Order())
            {
                while (true)
                {
                    var after = positions[partition];
                    var page = caughtUp
                        ? await store.ReadFeedAsync(partition, after, scope, ReplayPage, ct)
                        : await admission.RunAsync(t => store.ReadFeedAsync(partition, after, scope, ReplayPage, t), ct);
                    foreach (var entry in page.Entries)
                    {
                        positions[partition] = entry.Position;
                        yield return new WatchItem(entry.Event, FeedCursor.Encode(positions), false);
                    }
                    positions[partition] = Math.Max(positions[partition], page.ReadUpTo);
                    if (page.Entries.Count < ReplayPage)
                    {
                        break;
                    }
                }
            }
            stale.Clear();
            if (!caughtUp)
            {
                caughtUp = true;
                yield return new WatchItem(null, FeedCursor.Encode(positions), true);
            }
            while (stale.Count == 0 && await WaitAsync(subscription, ct))
            {
                while (subscription.Reader.TryRead(out var entry))
                {
                    var part = entry.Partition;
                    if (entry.Position <= positions[part] || stale.Contains(part))
                    {
                        continue;
                    }
                    if (entry.Position != positions[part] + 1)
                    {
                        stale.Add(part);
                        continue;
                    }
                    positions[part] = entry.Position;
                    if (scope.Allows(entry.ChannelId, entry.MerchantId, entry.RegionCode, entry.HandlingRegion))
                    {
                        yield return new WatchItem(entry.Event, FeedCursor.Encode(positions), false);
                    }
                }
            }
            if (stale.Count == 0)
            {
                // Woken by the timer, not a notification: re-read everything (covers lost notifications).
                stale.UnionWith(Enumerable.Range(0, FeedCursor.Partitions));
            }
        }
    }

    /// <summary>What the caller may see, as a filter for lists and feeds.</summary>
    public static VisibilityScope ScopeOf(Principal p) => p.Role switch
    {
        CredentialRole.Admin => VisibilityScope.All,
        CredentialRole.Channel => new VisibilityScope(p.Scope, null, null),
        CredentialRole.Merchant => new VisibilityScope(null, p.Scope, null),
        CredentialRole.Regulator => new VisibilityScope(null, null, p.Scope),
        // Analysts read aggregates only (ReportingService): never a dispute, which holds personal data.
        _ => throw new PermissionDeniedException("this credential may not read disputes: analysts read statistics only"),
    };

    // True when notifications are waiting; false when it is time to re-read the database: after
    // IdleRecheck of silence, or at once when live delivery stops (e.g. Redis went away while we
    // waited), and then every DegradedPollInterval. Waiting in slices keeps that check cheap.
    private async Task<bool> WaitAsync(IEventSubscription subscription, CancellationToken ct)
    {
        var giveUp = time.GetUtcNow() + IdleRecheck;
        while (true)
        {
            if (subscription.Reader.TryPeek(out _))
            {
                return true;
            }
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var ready = subscription.Reader.WaitToReadAsync(cts.Token).AsTask();
            var slice = Task.Delay(hub.DegradedPollInterval, time, cts.Token);
            var first = await Task.WhenAny(ready, slice);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            if (first == ready && ready.IsCompletedSuccessfully)
            {
                return ready.Result;
            }
            if (!hub.IsLive || time.GetUtcNow() >= giveUp)
            {
                return false;
            }
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    // "p1:<id>" newest first; "p2:<deadline ms>:<id>" by next deadline.
    private static string EncodePageToken(Dispute last, DisputeListOrder order) => Convert.ToBase64String(Encoding.ASCII.GetBytes(
        order == DisputeListOrder.NextDeadline && last.NextDeadlineAt() is { } due
            ? $"p2:{due.ToUnixTimeMilliseconds()}:{last.DisputeId}"
            : "p1:" + last.DisputeId));

    private static (string? Before, DeadlineCursor? AfterDeadline) DecodePageToken(string token, DisputeListOrder order, Violations v)
    {
        if (token.Length == 0)
        {
            return (null, null);
        }
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
            if (order == DisputeListOrder.NewestFirst && text.StartsWith("p1:", StringComparison.Ordinal) && Ids.IsValid(text[3..], "dsp"))
            {
                return (text[3..], null);
            }
            var parts = text.Split(':');
            if (order == DisputeListOrder.NextDeadline && parts.Length == 3 && parts[0] == "p2"
                && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() && Ids.IsValid(parts[2], "dsp"))
            {
                return (null, new DeadlineCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[2]));
            }
        }
        catch (FormatException)
        {
        }
        v.Add("page_token", "not a page token returned by this service for this order");
        return (null, null);
    }
}
