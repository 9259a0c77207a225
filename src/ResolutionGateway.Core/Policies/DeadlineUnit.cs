namespace ResolutionGateway.Core.Policies;

/// <summary>How a deadline is counted (numeric values as in resolution.v1 DeadlineRule's oneof cases).</summary>
public enum DeadlineUnit
{
    /// <summary>Elapsed hours.</summary>
    Hours = 1,
    /// <summary>Elapsed days of 24 hours.</summary>
    Days = 2,
    /// <summary>Working days of a <see cref="WorkingCalendar"/>.</summary>
    WorkingDays = 3,
}
