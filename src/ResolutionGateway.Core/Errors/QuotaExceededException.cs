namespace ResolutionGateway.Core.Errors;

/// <summary>
/// A call over its key's quota: RESOURCE_EXHAUSTED with RetryInfo (<see cref="RetryAfter"/>) and a
/// QuotaFailure naming <see cref="Subject"/> ("key:&lt;key id&gt;") and the limit.
/// </summary>
public sealed class QuotaExceededException(string subject, string description, TimeSpan retryAfter)
    : DomainException($"quota exceeded: {description}")
{
    /// <summary>Whose quota: "key:" and the key id.</summary>
    public string Subject { get; } = subject;

    /// <summary>Which limit, in words.</summary>
    public string Description { get; } = description;

    /// <summary>When a retry may succeed.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
