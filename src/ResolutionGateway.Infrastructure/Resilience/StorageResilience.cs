using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Infrastructure.Resilience;

/// <summary>
/// How calls to the MySQL store survive trouble. Transient failures (deadlocks, lost or refused
/// connections, timeouts) are retried as whole store operations with jittered backoff, and never
/// past the caller's deadline (the gRPC deadline cancels the token). Retrying a whole operation is
/// safe: a dispute write re-reads the row under its lock and is idempotent by request id, and a
/// write that committed before its acknowledgement was lost is found by its request record.
/// A circuit breaker turns a dead database into immediate UNAVAILABLE answers instead of calls that
/// hang on connection attempts, and probes again after <see cref="BreakDuration"/>; MySqlConnector
/// replaces broken pooled connections, so service resumes without a restart.
/// </summary>
public sealed class StorageResilience
{
    /// <summary>How long the breaker stays open before letting a probe through.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(2);

    private readonly ResiliencePipeline _pipeline;

    /// <summary>Builds the pipeline; <paramref name="metrics"/> (optional) shows the breaker's state.</summary>
    public StorageResilience(ILogger<StorageResilience> logger, TimeProvider time, GatewayMetrics? metrics = null)
    {
        var transient = new PredicateBuilder().Handle<Exception>(MySqlTransience.IsTransient).Handle<TimeoutRejectedException>();
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(1),
                OnRetry = a =>
                {
                    // The server's error number tells a Galera certification conflict (1213) from a lost node.
                    logger.LogWarning("Retrying a store operation (attempt {Attempt}) after {Failure} {ErrorNumber}", a.AttemptNumber + 1,
                        a.Outcome.Exception?.GetType().Name, (a.Outcome.Exception as MySqlConnector.MySqlException)?.Number);
                    // The store operation's span (TracedDatabase) shows each retry as an event.
                    Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
                    {
                        ["attempt"] = a.AttemptNumber + 1,
                        ["failure"] = a.Outcome.Exception?.GetType().Name,
                    }));
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 5,
                SamplingDuration = TimeSpan.FromSeconds(5),
                BreakDuration = BreakDuration,
                OnOpened = a =>
                {
                    logger.LogError("Database circuit opened for {Break}: answering UNAVAILABLE", a.BreakDuration);
                    metrics?.BreakerOpen(true);
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Database circuit closed: the database answers again");
                    metrics?.BreakerOpen(false);
                    return default;
                },
            })
            // Per attempt: a statement stuck on a dead server must not use the whole deadline.
            .AddTimeout(TimeSpan.FromSeconds(5))
            .Build();
    }

    /// <summary>Runs a store operation; transient failures that outlast the retries become UNAVAILABLE.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await operation(token), ct);
        }
        catch (BrokenCircuitException e)
        {
            throw new ServiceUnavailableException("the database is unavailable; retry later", e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || MySqlTransience.IsTransient(e))
        {
            throw new ServiceUnavailableException("the database did not answer; retry later", e);
        }
    }

    /// <summary>Runs a store operation without a result.</summary>
    public Task RunAsync(Func<CancellationToken, Task> operation, CancellationToken ct) =>
        RunAsync<bool>(async token =>
        {
            await operation(token);
            return true;
        }, ct);
}
