using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Infrastructure.Webhooks;

/// <summary>Settings of the webhook dispatcher (configuration section "Webhooks").</summary>
public sealed class WebhookOptions
{
    /// <summary>Run the dispatcher on this node (every node may; they share the queue).</summary>
    public bool Dispatch { get; set; } = true;

    /// <summary>Accept plain http:// endpoint URLs.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How often the queue is scanned when no event wakes the dispatcher.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed delivery stays with this node; if the node dies, another takes it after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one POST (connect, send, answer).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>POSTs in flight to one endpoint at once (each from a different dispute).</summary>
    public int PerEndpointConcurrency { get; set; } = 4;

    /// <summary>Endpoints served at once by this node; each has its own loop, so a slow one only holds its own.</summary>
    public int MaxActiveEndpoints { get; set; } = 64;

    /// <summary>
    /// Least time between two scans started by events. Under load every commit on every node wakes
    /// every dispatcher; without a gap each wake cost a queue query (a round trip per write, measured
    /// with tools/loadgen). Events inside the gap are picked up by the next scan, so a delivery waits
    /// at most this much longer.
    /// </summary>
    public TimeSpan WakeGap { get; set; } = TimeSpan.FromMilliseconds(50);
}

/// <summary>
/// Delivers queued webhook deliveries: finds endpoints with due work, and runs one loop per
/// endpoint that claims a few deliveries (each the oldest pending event of its dispute), POSTs
/// them signed, and records the outcome. A slow or dead endpoint occupies only its own loop and
/// its own retry schedule; others are served alongside. Woken by every committed event (this node's
/// or, through the event hub, other nodes'), and by a timer for retries.
/// </summary>
public sealed partial class WebhookDispatcher(
    IWebhookStore store,
    IDisputeStore disputes,
    IWebhookPayloadBuilder payloads,
    IEventHub hub,
    IHttpClientFactory httpClients,
    WebhookOptions options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger,
    GatewayMetrics? metrics = null) : BackgroundService
{
    /// <summary>Name of the HttpClient configuration used for POSTs.</summary>
    public const string HttpClientName = "webhooks";

    private readonly ConcurrentDictionary<string, Task> _active = new(StringComparer.Ordinal);
    // Endpoints whose last claim found nothing (their due rows wait behind a retrying event of the
    // same dispute): not claimed again before this real time, so they do not cost a query per scan.
    private readonly ConcurrentDictionary<string, long> _quietUntil = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    // Deliveries this node has claimed and not yet recorded, by lease token: what it gives back
    // when it stops, so another node takes them at once instead of after the lease.
    private readonly ConcurrentDictionary<string, ClaimedDelivery> _claimed = new(StringComparer.Ordinal);

    // Network timeouts are wall-clock (TimeProvider.System), unlike due times and backoff: a test's
    // hand-driven clock must not stall a POST, and a real endpoint answers in real seconds.
    private readonly ResiliencePipeline<HttpResponseMessage> _attempt = new ResiliencePipelineBuilder<HttpResponseMessage>
    {
        TimeProvider = TimeProvider.System,
    }
        // A connection reset or refused connect is often gone a moment later: one quick retry
        // inside the attempt, before the long (persisted) schedule takes over.
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>(),
            MaxRetryAttempts = 1,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
        })
        .AddTimeout(options.AttemptTimeout)
        .Build();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Dispatch)
        {
            return;
        }
        using var subscription = hub.Subscribe(null);
        var listener = ListenAsync(subscription, stoppingToken);
        var gapMs = (long)options.WakeGap.TotalMilliseconds;
        var lastScan = Environment.TickCount64 - gapMs;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var waitMs = gapMs - (Environment.TickCount64 - lastScan);
                if (waitMs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(waitMs), stoppingToken);
                }
                lastScan = Environment.TickCount64;
                await ScanAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogScanFailed(e);
            }
            // Poll cadence is wall-clock on purpose: business time (due times, backoff) comes from the
            // injected TimeProvider, which tests drive by hand and would otherwise never tick.
            try
            {
                await _wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await listener;
        await Task.WhenAll(_active.Values);
        await ReleaseClaimsAsync();
    }

    // The node is stopping: its unfinished claims (POSTs cut short, outcomes not recorded) become due
    // now for the other nodes. Bounded, since the host waits for it; what is not given back in time
    // is taken over when its lease ends, as after a crash.
    private async Task ReleaseClaimsAsync()
    {
        var left = _claimed.Values.ToArray();
        if (left.Length == 0)
        {
            return;
        }
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var released = await store.ReleaseAsync(left, time.GetUtcNow(), bounded.Token);
            LogReleased(released);
        }
        catch (Exception e)
        {
            LogReleaseFailed(e, left.Length);
        }
    }

    /// <summary>Scans once now (tests call this instead of waiting for the next poll).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    private async Task ListenAsync(IEventSubscription subscription, CancellationToken ct)
    {
        try
        {
            while (await subscription.Reader.WaitToReadAsync(ct))
            {
                while (subscription.Reader.TryRead(out _))
                {
                }
                Wake();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ScanAsync(CancellationToken ct)
    {
        var due = await store.FindDueEndpointsAsync(time.GetUtcNow(), options.MaxActiveEndpoints * 2, ct);
        var realNow = Environment.TickCount64;
        foreach (var endpointId in due)
        {
            if (_active.Count >= options.MaxActiveEndpoints)
            {
                break;
            }
            if (_quietUntil.TryGetValue(endpointId, out var until) && until > realNow)
            {
                continue;
            }
            if (_active.ContainsKey(endpointId))
            {
                continue;
            }
            var loop = new TaskCompletionSource();
            if (_active.TryAdd(endpointId, loop.Task))
            {
                _ = RunEndpointAsync(endpointId, loop, ct);
            }
        }
    }

    private async Task RunEndpointAsync(string endpointId, TaskCompletionSource done, CancellationToken ct)
    {
        try
        {
            var endpoint = await store.GetEndpointAsync(endpointId, ct);
            for (var round = 0; !ct.IsCancellationRequested; round++)
            {
                var now = time.GetUtcNow();
                var claimed = await store.ClaimDueAsync(endpointId, now, now + options.Lease, options.PerEndpointConcurrency, ct);
                if (claimed.Count == 0)
                {
                    // Listed as due but nothing claimable: its due rows wait behind an event of the
                    // same dispute that is retrying or in flight elsewhere. Look again a little later.
                    // (An endpoint that just emptied its queue is not paused: its next event goes at once.)
                    if (round == 0)
                    {
                        _quietUntil[endpointId] = Environment.TickCount64 + (long)(options.PollInterval.TotalMilliseconds * 5);
                    }
                    break;
                }
                _quietUntil.TryRemove(endpointId, out _);
                foreach (var c in claimed)
                {
                    _claimed[c.LeaseToken] = c;
                }
                await Task.WhenAll(claimed.Select(c => DeliverAsync(endpoint, c, ct)));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogEndpointLoopFailed(e, endpointId);
        }
        finally
        {
            _active.TryRemove(endpointId, out _);
            done.SetResult();
        }
    }

    private async Task DeliverAsync(WebhookEndpoint? endpoint, ClaimedDelivery claimed, CancellationToken ct)
    {
        var d = claimed.Delivery;
        // Each delivery is a trace of its own (not a child of whatever woke the dispatcher); its POST
        // is a child span whose context goes out as the W3C traceparent header.
        Activity.Current = null;
        using var activity = GatewayMetrics.Source.StartActivity("webhook deliver", ActivityKind.Internal);
        activity?.SetTag("rg.webhook.event_type", d.EventType);
        activity?.SetTag("rg.webhook.attempt", d.Attempts);
        DeliveryOutcome outcome;
        if (endpoint is not { Enabled: true })
        {
            // Queued in the moment the endpoint was disabled or deleted.
            outcome = new DeliveryOutcome.DeadLetter(endpoint is null ? "endpoint deleted" : "endpoint disabled: " + endpoint.DisabledReason, 0, "", false);
        }
        else
        {
            outcome = await AttemptAsync(endpoint, claimed, ct);
        }
        var result = outcome switch
        {
            DeliveryOutcome.Delivered => "delivered",
            DeliveryOutcome.Retry => "retry",
            _ => "dead_letter",
        };
        activity?.SetTag("rg.webhook.result", result);
        metrics?.WebhookDelivery(result);
        bool held;
        try
        {
            held = await store.CompleteAsync(claimed, outcome, time.GetUtcNow(), ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Not recorded, but not for a stop: the lease runs out as usual.
            _claimed.TryRemove(claimed.LeaseToken, out _);
            throw;
        }
        _claimed.TryRemove(claimed.LeaseToken, out _);
        if (!held)
        {
            LogLeaseLost(d.EndpointId, d.DisputeId, d.Seq);
        }
    }

    private async Task<DeliveryOutcome> AttemptAsync(WebhookEndpoint endpoint, ClaimedDelivery claimed, CancellationToken ct)
    {
        var d = claimed.Delivery;
        byte[] body;
        try
        {
            body = await BuildBodyAsync(endpoint, d, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not the endpoint's fault (e.g. the database is unreachable): try again later.
            LogBuildFailed(e, d.EndpointId, d.DisputeId, d.Seq);
            return Retry(d, 0, "could not build the payload: " + e.GetType().Name);
        }
        try
        {
            using var response = await _attempt.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
                request.Headers.Add("X-RG-Event-Id", d.EventId);
                request.Headers.Add("X-RG-Event-Type", "dispute." + d.EventType);
                request.Headers.Add("X-RG-Delivery-Attempt", d.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var signedAt = time.GetUtcNow();
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(endpoint.SigningSecrets(signedAt), signedAt, body));
                return await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                LogDelivered(d.EndpointId, d.DisputeId, d.Seq, status, d.Attempts);
                return new DeliveryOutcome.Delivered(time.GetUtcNow(), status);
            }
            if (response.StatusCode == HttpStatusCode.Gone)
            {
                LogGone(d.EndpointId);
                return new DeliveryOutcome.DeadLetter("answered 410 Gone", status, "410 Gone", DisableEndpoint: true);
            }
            return Retry(d, status, $"answered {status}");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var error = e is TimeoutRejectedException ? $"no answer within {options.AttemptTimeout.TotalSeconds:0.#} s" : e.GetType().Name + ": " + e.Message;
            return Retry(d, 0, error);
        }
    }

    private DeliveryOutcome Retry(WebhookDelivery d, int status, string error)
    {
        var now = time.GetUtcNow();
        var next = WebhookRetry.Next(d.Attempts, d.FirstAttemptAt ?? now, now, Random.Shared.NextDouble());
        if (next is null)
        {
            LogDeadLettered(d.EndpointId, d.DisputeId, d.Seq, d.Attempts, error);
            return new DeliveryOutcome.DeadLetter($"gave up after {d.Attempts} attempts over {WebhookRetry.GiveUpAfter.TotalDays:0} days", status, error, false);
        }
        LogRetry(d.EndpointId, d.DisputeId, d.Seq, d.Attempts, error, next.Value);
        return new DeliveryOutcome.Retry(next.Value, status, error);
    }

    // The event, the dispute right after it (a replay of its log up to the event), and for a
    // regulator receiving the escalation, the whole trail.
    private async Task<byte[]> BuildBodyAsync(WebhookEndpoint endpoint, WebhookDelivery d, CancellationToken ct)
    {
        var events = await disputes.ReadEventsUpToAsync(d.DisputeId, d.Seq, ct);
        var e = events[^1];
        var trail = endpoint.OwnerKind == WebhookOwnerKind.Regulator && e.Detail is DisputeEscalated ? events : [];
        return payloads.Build(endpoint, e, DisputeEvolution.Replay(events), trail);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: gave back {Count} webhook deliveries claimed by this node; other nodes take them now")]
    private partial void LogReleased(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: could not give back {Count} claimed webhook deliveries; they are taken over when their lease ends")]
    private partial void LogReleaseFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook scan failed")]
    private partial void LogScanFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook loop of endpoint {EndpointId} failed; it resumes on the next scan")]
    private partial void LogEndpointLoopFailed(Exception e, string endpointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not build webhook {EndpointId} {DisputeId}/{Seq}")]
    private partial void LogBuildFailed(Exception e, string endpointId, string disputeId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivered: endpoint {EndpointId}, {DisputeId}/{Seq}, HTTP {Status}, attempt {Attempt}")]
    private partial void LogDelivered(string endpointId, string disputeId, long seq, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook attempt {Attempt} failed: endpoint {EndpointId}, {DisputeId}/{Seq}: {Error}; next at {Next:o}")]
    private partial void LogRetry(string endpointId, string disputeId, long seq, int attempt, string error, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dead-lettered after {Attempts} attempts: endpoint {EndpointId}, {DisputeId}/{Seq}: {Error}")]
    private partial void LogDeadLettered(string endpointId, string disputeId, long seq, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} answered 410 Gone: disabled, its queue dead-lettered")]
    private partial void LogGone(string endpointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook lease lost: endpoint {EndpointId}, {DisputeId}/{Seq} (another node took it over)")]
    private partial void LogLeaseLost(string endpointId, string disputeId, long seq);
}
