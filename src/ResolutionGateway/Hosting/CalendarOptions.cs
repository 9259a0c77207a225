namespace ResolutionGateway.Hosting;

/// <summary>
/// The configured working-day calendars (section "Calendars"), by calendar id: Calendars:&lt;id&gt;
/// take DisplayName, UtcOffsetMinutes (default 480) and Holidays and MakeUpWorkdays (lists of
/// YYYY-MM-DD). <see cref="PolicyConfiguration"/> turns them into calendars. The options are the
/// dictionary itself because the section's children are the calendar ids.
/// </summary>
public sealed class CalendarOptions : Dictionary<string, CalendarOptions.CalendarSection>
{
    public const string SectionName = "Calendars";

    /// <summary>One calendar's settings.</summary>
    public sealed class CalendarSection
    {
        public string? DisplayName { get; set; }
        public int? UtcOffsetMinutes { get; set; }
        // Null rather than empty: the binder appends a configured list to an existing array.
        public string[]? Holidays { get; set; }
        public string[]? MakeUpWorkdays { get; set; }
    }
}
