namespace ResolutionGateway.Core.Errors;

// The domain reports failures with these types; the host maps each to one gRPC status code in one
// place (the interceptor). Messages must never contain personal data (mobile numbers, names).

/// <summary>Base of every expected failure. Anything else reaching the edge is a bug (INTERNAL).</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Malformed input (INVALID_ARGUMENT with field violations).</summary>
public sealed class ValidationException(IReadOnlyList<FieldViolation> violations)
    : DomainException("invalid request: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
{
    /// <summary>What is wrong, field by field.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;

    /// <summary>A single violation.</summary>
    public ValidationException(string field, string description) : this([new FieldViolation(field, description)]) { }
}

/// <summary>The resource does not exist, or exists outside the caller's scope (NOT_FOUND).</summary>
public sealed class NotFoundException(string resourceType, string resourceName)
    : DomainException($"{resourceType} '{resourceName}' not found")
{
    /// <summary>Kind of resource, e.g. "dispute".</summary>
    public string ResourceType { get; } = resourceType;

    /// <summary>Its id.</summary>
    public string ResourceName { get; } = resourceName;
}

/// <summary>The thing to create exists already (ALREADY_EXISTS); <see cref="Metadata"/> names it.</summary>
public sealed class AlreadyExistsException(string reason, string message, IReadOnlyDictionary<string, string> metadata)
    : DomainException(message)
{
    /// <summary>Machine-readable reason, e.g. "ACTIVE_DISPUTE_EXISTS".</summary>
    public string Reason { get; } = reason;

    /// <summary>Details such as the existing dispute id.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;
}

/// <summary>The state of the system does not allow the move (FAILED_PRECONDITION).</summary>
public sealed class PreconditionFailedException(string type, string subject, string description)
    : DomainException(description)
{
    /// <summary>Kind of precondition, e.g. "STATE", "PURCHASE_WINDOW".</summary>
    public string Type { get; } = type;

    /// <summary>What it concerns, e.g. "disputes/dsp_…".</summary>
    public string Subject { get; } = subject;
}

/// <summary>The caller's role may never do this (PERMISSION_DENIED).</summary>
public sealed class PermissionDeniedException(string message) : DomainException(message);

/// <summary>No valid credential (UNAUTHENTICATED).</summary>
public sealed class UnauthenticatedException(string message) : DomainException(message);

/// <summary>A dependency is down; the caller may retry later (UNAVAILABLE).</summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null) : DomainException(message)
{
    /// <summary>The underlying failure, for logs only.</summary>
    public Exception? Cause { get; } = inner;
}

/// <summary>
/// This node is too busy for the call right now (e.g. too many streams catching up at once); the
/// caller should retry after <see cref="RetryAfter"/> (UNAVAILABLE with RetryInfo). Nothing was done.
/// </summary>
public sealed class OverloadedException(string message, TimeSpan retryAfter) : DomainException(message)
{
    /// <summary>When a retry may succeed.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
