using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Tests.TestSupport;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>
/// <see cref="NextDeadline.NextDeadlineAt"/>: the deadline ListDisputes sorts and filters by. National
/// default from <see cref="Samples.Start"/>: first response due at +96 h, negotiation ends at +7 d.
/// </summary>
public sealed class NextDeadlineTests
{
    [Fact]
    public void NextDeadlineAt_AwaitingMerchant_FirstResponseDeadlineNotItsWarning()
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var next = d.NextDeadlineAt();

        // Assert
        Assert.Equal(Start.AddHours(96), next);
        Assert.NotEqual(d.NextTimerAt, next);
    }

    [Fact]
    public void NextDeadlineAt_Negotiating_EndOfNegotiation()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now));

        // Act
        var next = s.State.NextDeadlineAt();

        // Assert
        Assert.Equal(DisputeStatus.Negotiating, s.State.Status);
        Assert.Equal(Start.AddDays(7), next);
    }

    [Fact]
    public void NextDeadlineAt_CasePendingAcceptanceOverdue_StillTheAcceptanceDeadline()
    {
        // Arrange: an escalated case whose acceptance deadline passed and was recorded overdue.
        var due = Start.AddDays(9);
        var d = DisputeScript.Open().State with
        {
            Status = DisputeStatus.Escalated, CaseStatus = CaseStatus.Pending, CaseAcceptDueAt = due, CaseAcceptOverdue = true,
        };

        // Act
        var next = d.NextDeadlineAt();

        // Assert: the worker has nothing left to do, but the deadline stays the dispute's deadline.
        Assert.Null(d.NextTimerAt);
        Assert.Equal(due, next);
    }

    [Fact]
    public void NextDeadlineAt_CaseAccepted_EndOfMediation()
    {
        // Arrange
        var due = Start.AddDays(60);
        var d = DisputeScript.Open().State with { Status = DisputeStatus.Escalated, CaseStatus = CaseStatus.Accepted, MediationDueAt = due };

        // Act
        var next = d.NextDeadlineAt();

        // Assert
        Assert.Equal(due, next);
    }

    [Theory]
    [InlineData(DisputeStatus.Resolved)]
    [InlineData(DisputeStatus.Unresolved)]
    [InlineData(DisputeStatus.Withdrawn)]
    public void NextDeadlineAt_Closed_Null(DisputeStatus status)
    {
        // Arrange
        var d = DisputeScript.Open().State with { Status = status };

        // Act
        var next = d.NextDeadlineAt();

        // Assert
        Assert.Null(next);
    }
}
