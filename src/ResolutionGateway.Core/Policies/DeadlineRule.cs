namespace ResolutionGateway.Core.Policies;

/// <summary>A deadline counted from opening: 96 hours, 7 days, 10 working days.</summary>
public sealed record DeadlineRule(DeadlineUnit Unit, int Amount)
{
    /// <summary>Hours.</summary>
    public static DeadlineRule Hours(int n) => new(DeadlineUnit.Hours, n);

    /// <summary>Days of 24 hours.</summary>
    public static DeadlineRule Days(int n) => new(DeadlineUnit.Days, n);

    /// <summary>Working days.</summary>
    public static DeadlineRule WorkingDays(int n) => new(DeadlineUnit.WorkingDays, n);

    /// <summary>The deadline for something that started at <paramref name="start"/>.</summary>
    public DateTimeOffset DueFrom(DateTimeOffset start, WorkingCalendar calendar) => Unit switch
    {
        DeadlineUnit.Hours => start.AddHours(Amount),
        DeadlineUnit.Days => start.AddDays(Amount),
        DeadlineUnit.WorkingDays => calendar.EndOfWorkingDays(start, Amount),
        _ => throw new InvalidOperationException($"unknown deadline unit {Unit}"),
    };

    /// <inheritdoc />
    public override string ToString() => Unit switch
    {
        DeadlineUnit.Hours => $"{Amount} h",
        DeadlineUnit.Days => $"{Amount} days",
        _ => $"{Amount} working days",
    };
}
