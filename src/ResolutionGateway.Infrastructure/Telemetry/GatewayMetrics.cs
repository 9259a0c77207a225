using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ResolutionGateway.Infrastructure.Telemetry;

/// <summary>
/// The service's own meter and trace source. Every instrument is declared here, once, with the
/// name Prometheus shows (the exporter adds <c>_total</c> to counters). Labels carry kinds, results
/// and outcomes only: never a dispute, consumer, merchant or key id, nor any personal data.
/// Gauges that need a database read are set by <see cref="OperationalGaugeRefresher"/> on an
/// interval, so a scrape never costs a query.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>Name of the meter (what a MeterProvider adds to export these instruments).</summary>
    public const string MeterName = "ResolutionGateway";

    /// <summary>Name of the activity source of the service's own spans.</summary>
    public const string SourceName = "ResolutionGateway";

    /// <summary>The service's spans: store operations, event hub publishes, worker passes, webhook deliveries.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    private readonly Counter<long>? _opened;
    private readonly Counter<long>? _closed;
    private readonly Counter<long>? _appended;
    private readonly UpDownCounter<long>? _watchStreams;
    private readonly Histogram<double>? _fanoutLag;
    private readonly Counter<long>? _webhookDeliveries;
    private readonly Counter<long>? _deadlineFired;
    private readonly Counter<long>? _cacheRequests;
    private readonly Counter<long>? _quotaRejections;
    private long _breakerOpen;
    private OperationalFigures _figures = OperationalFigures.Empty;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>; null makes every call a no-op (unit tests).</summary>
    public GatewayMetrics(IMeterFactory? meters)
    {
        if (meters is null)
        {
            return;
        }
        var meter = meters.Create(MeterName);
        _opened = meter.CreateCounter<long>("rg_disputes_opened", description: "Disputes opened on this node.");
        _closed = meter.CreateCounter<long>("rg_disputes_closed", description: "Disputes closed on this node, by outcome (resolved, unresolved, withdrawn).");
        _appended = meter.CreateCounter<long>("rg_events_appended", description: "Dispute events committed on this node, by kind.");
        _watchStreams = meter.CreateUpDownCounter<long>("rg_watch_streams", description: "WatchDispute and WatchDisputes streams open on this node now.");
        _fanoutLag = meter.CreateHistogram<double>("rg_fanout_lag_seconds", description: "Seconds from an event's commit on another node to its arrival on this one.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _webhookDeliveries = meter.CreateCounter<long>("rg_webhook_deliveries", description: "Webhook delivery attempts finished on this node, by result (delivered, retry, dead_letter).");
        _deadlineFired = meter.CreateCounter<long>("rg_deadline_fired", description: "Deadline timers fired on this node, by kind (warning, first_response, negotiation).");
        _cacheRequests = meter.CreateCounter<long>("rg_cache_requests", description: "Read cache lookups, by cache (dispute, merchant, store) and result (hit, miss).");
        _quotaRejections = meter.CreateCounter<long>("rg_quota_rejections", description: "Calls refused over their key's quota on this node, by the key's role.");
        meter.CreateObservableGauge("rg_db_breaker_open", () => Interlocked.Read(ref _breakerOpen), description: "1 while the database circuit breaker is open on this node, else 0.");
        meter.CreateObservableGauge("rg_webhook_queue_depth", () => Volatile.Read(ref _figures).WebhookPending, description: "Webhook deliveries pending (all nodes' shared queue).");
        meter.CreateObservableGauge("rg_webhook_oldest_pending_age_seconds", () => Volatile.Read(ref _figures).OldestPendingAgeSeconds,
            description: "Age in seconds of the oldest pending webhook delivery, 0 when none.");
        meter.CreateObservableGauge("rg_webhook_dead_letters", () => Volatile.Read(ref _figures).WebhookDeadLetters, description: "Webhook deliveries dead-lettered and not redelivered.");
        meter.CreateObservableGauge("rg_deadline_lag_seconds", () => Volatile.Read(ref _figures).DeadlineLagSeconds,
            description: "Age in seconds of the oldest deadline or warning that is due and not yet fired, 0 when none.");
    }

    /// <summary>A call was refused over its key's quota; <paramref name="role"/> is the key's role (never the key).</summary>
    public void QuotaRejected(string role) => _quotaRejections?.Add(1, new KeyValuePair<string, object?>("role", role));

    /// <summary>A dispute was opened.</summary>
    public void DisputeOpened() => _opened?.Add(1);

    /// <summary>A dispute reached a final status.</summary>
    public void DisputeClosed(string outcome) => _closed?.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>An event was committed.</summary>
    public void EventAppended(string kind) => _appended?.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A watch stream opened (+1) or closed (-1).</summary>
    public void WatchStreams(int delta) => _watchStreams?.Add(delta);

    /// <summary>An event committed elsewhere arrived here after <paramref name="seconds"/>.</summary>
    public void FanoutLag(double seconds) => _fanoutLag?.Record(Math.Max(0, seconds));

    /// <summary>A webhook attempt finished.</summary>
    public void WebhookDelivery(string result) => _webhookDeliveries?.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>A deadline timer fired.</summary>
    public void DeadlineFired(string kind) => _deadlineFired?.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A read cache was asked.</summary>
    public void CacheRequest(string cache, bool hit) =>
        _cacheRequests?.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    /// <summary>The database circuit breaker opened or closed.</summary>
    public void BreakerOpen(bool open) => Interlocked.Exchange(ref _breakerOpen, open ? 1 : 0);

    /// <summary>The figures read from the database by the last refresh.</summary>
    public void SetFigures(OperationalFigures figures) => Volatile.Write(ref _figures, figures);
}

/// <summary>Figures that need a database read (see <see cref="OperationalGauges"/>).</summary>
/// <param name="WebhookPending">Deliveries pending.</param>
/// <param name="OldestPendingAgeSeconds">Age of the oldest pending delivery, 0 when none.</param>
/// <param name="WebhookDeadLetters">Deliveries dead-lettered.</param>
/// <param name="DeadlineLagSeconds">Age of the oldest due, unfired timer, 0 when none.</param>
public sealed record OperationalFigures(long WebhookPending, double OldestPendingAgeSeconds, long WebhookDeadLetters, double DeadlineLagSeconds)
{
    /// <summary>Before the first read.</summary>
    public static readonly OperationalFigures Empty = new(0, 0, 0, 0);
}
