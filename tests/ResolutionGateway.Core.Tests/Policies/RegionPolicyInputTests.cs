using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Core.Tests.Policies;

/// <summary>The regulator's and the settlement's deadlines of a region policy (SetRegionPolicy input).</summary>
public sealed class RegionPolicyInputTests
{
    [Fact]
    public void ToPolicy_CaseAndSettlementRulesAbsent_NationalRules()
    {
        // Act
        var p = PolicyCommands.ToPolicy(Input(), PolicySource.Admin, null);

        // Assert
        Assert.Equal(DeadlineRule.WorkingDays(7), p.CaseAcceptance);
        Assert.Equal(DeadlineRule.WorkingDays(45), p.Mediation);
        Assert.Equal(DeadlineRule.Days(7), p.SettlementExecution);
        Assert.Equal(TimeSpan.FromDays(15), p.ReopenWindow);
    }

    [Fact]
    public void ToPolicy_CaseAndSettlementRulesGiven_Kept()
    {
        // Act
        var p = PolicyCommands.ToPolicy(Input() with
        {
            CaseAcceptance = DeadlineRule.WorkingDays(5),
            Mediation = DeadlineRule.WorkingDays(30),
            SettlementExecution = DeadlineRule.Hours(72),
            ReopenWindowDays = 30,
        }, PolicySource.Admin, null);

        // Assert
        Assert.Equal(DeadlineRule.WorkingDays(5), p.CaseAcceptance);
        Assert.Equal(DeadlineRule.WorkingDays(30), p.Mediation);
        Assert.Equal(DeadlineRule.Hours(72), p.SettlementExecution);
        Assert.Equal(TimeSpan.FromDays(30), p.ReopenWindow);
    }

    [Fact]
    public void ToPolicy_RulesOutOfRange_FieldViolations()
    {
        // Act
        var ex = Assert.Throws<ValidationException>(() => PolicyCommands.ToPolicy(Input() with
        {
            Mediation = DeadlineRule.WorkingDays(61),
            SettlementExecution = DeadlineRule.Days(0),
            ReopenWindowDays = 91,
        }, PolicySource.Admin, null));

        // Assert
        Assert.Equal(["policy.mediation.working_days", "policy.settlement_execution.days", "policy.reopen_window_days"],
            ex.Violations.Select(v => v.Field));
    }

    private static RegionPolicyInput Input() => new("3301", DeadlineRule.Hours(96), DeadlineRule.Days(7), 0, 0, 12, "");
}
