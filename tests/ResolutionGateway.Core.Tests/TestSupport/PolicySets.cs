using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>Policy sets for the sample region (Hangzhou, under prefix 33).</summary>
internal static class PolicySets
{
    /// <summary>A set where Zhejiang (33, covering <see cref="Samples.RegionCode"/>) has these rules.</summary>
    public static PolicySet Zhejiang(DeadlineRule firstResponse, DeadlineRule negotiation, int warningLeadHours = 12, WorkingCalendar? calendar = null) =>
        new(
        [
            new RegionPolicy
            {
                RegionPrefix = "33",
                FirstResponse = firstResponse,
                Negotiation = negotiation,
                WarningLead = TimeSpan.FromHours(warningLeadHours),
                CalendarId = calendar?.CalendarId ?? RegionPolicy.DefaultCalendarId,
            },
        ], calendar is null ? [] : [calendar]);
}
