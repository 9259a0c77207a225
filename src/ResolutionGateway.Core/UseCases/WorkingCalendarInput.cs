namespace ResolutionGateway.Core.UseCases;

/// <summary>A calendar as an operator sends it.</summary>
public sealed record WorkingCalendarInput(
    string CalendarId, string DisplayName, int UtcOffsetMinutes, IReadOnlyList<string> Holidays, IReadOnlyList<string> MakeUpWorkdays);
