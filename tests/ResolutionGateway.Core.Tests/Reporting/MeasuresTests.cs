using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Reporting;

// Samples.Start is 2025-11-11 02:00 UTC, 10:00 in Beijing; first response is due 96 h later.
public sealed class MeasuresTests
{
    private static DisputeChange MerchantMessage(Dispute d, DateTimeOffset now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now);

    [Fact]
    public void Of_MerchantAnswersWithinHours_CountsOnTimeAndSameDay()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(2), MerchantMessage);

        var v = Measures.Of(script.State);

        Assert.Equal(1, v[Measures.Opened]);
        Assert.Equal(1, v[Measures.StillOpen]);
        Assert.Equal(1, v[Measures.RoutedToMerchant]);
        Assert.Equal(1, v[Measures.FirstResponseOnTime]);
        Assert.Equal(0, v[Measures.FirstResponseLate]);
        Assert.Equal(1, v[Measures.AnsweredSameDay]);
        Assert.Equal(1, v[Measures.FirstResponded]);
        Assert.Equal(1, v[Measures.FirstResponseBuckets + 6]); // [2 h, 4 h)
        Assert.Equal(1, v.Skip(Measures.FirstResponseBuckets).Take(DurationHistogram.Buckets).Sum());
        Assert.Equal(0, v.Skip(Measures.TimeToCloseBuckets).Sum());
    }

    [Theory]
    [InlineData(13.9, 1)] // 15:54 UTC = 23:54 Beijing, same day
    [InlineData(14.5, 0)] // 16:30 UTC = 00:30 Beijing, the next day
    public void Of_AnswerAroundBeijingMidnight_SameDayFollowsBeijingDate(double hours, long sameDay)
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(hours), MerchantMessage);

        Assert.Equal(sameDay, Measures.Of(script.State)[Measures.AnsweredSameDay]);
    }

    [Fact]
    public void Of_NoAnswerAndAutoEscalated_CountsLateAndAutoEscalated()
    {
        var script = DisputeScript.Open();
        Assert.NotNull(script.TickAt(script.State.FirstResponseDueAt));

        var v = Measures.Of(script.State);

        Assert.Equal(1, v[Measures.FirstResponseLate]);
        Assert.Equal(0, v[Measures.FirstResponseOnTime]);
        Assert.Equal(1, v[Measures.Escalated]);
        Assert.Equal(1, v[Measures.AutoEscalated]);
        Assert.Equal(0, v[Measures.FirstResponded]);
    }

    [Fact]
    public void Of_WithdrawnBeforeDeadlineWithoutAnswer_IsNeitherOnTimeNorLate()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));

        var v = Measures.Of(script.State);

        Assert.Equal(0, v[Measures.FirstResponseLate]);
        Assert.Equal(0, v[Measures.FirstResponseOnTime]);
        Assert.Equal(1, v[Measures.Withdrawn]);
        Assert.Equal(1, v[Measures.ClosedOnTime]);
    }

    [Fact]
    public void Of_WithdrawnAfterDeadlineWithoutAnswer_CountsLate()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(97), (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));

        Assert.Equal(1, Measures.Of(script.State)[Measures.FirstResponseLate]);
    }

    [Fact]
    public void Of_AnswerAfterDeadline_CountsLate()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(100), MerchantMessage);

        var v = Measures.Of(script.State);

        Assert.Equal(1, v[Measures.FirstResponseLate]);
        Assert.Equal(0, v[Measures.FirstResponseOnTime]);
        Assert.Equal(1, v[Measures.FirstResponseBuckets + 14]); // [96 h, 120 h)
    }

    [Fact]
    public void Of_OfferAcceptedAndRated_CountsSettlementMoneyAndRating()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(3), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, d.CurrentOffer!.OfferId, OfferDecision.Accept), now));
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Rate(d, Consumer, Rate(d, 4), now));

        var v = Measures.Of(script.State);

        Assert.Equal(0, v[Measures.StillOpen]);
        Assert.Equal(1, v[Measures.ResolvedByNegotiation]);
        Assert.Equal(1, v[Measures.ClosedOnTime]);
        Assert.Equal(1, v[Measures.SettlementsWithAmount]);
        Assert.Equal(8_000, v[Measures.AgreedFen]);
        Assert.Equal(8_000, v[Measures.AgreedRefundFen]);
        Assert.Equal(0, v[Measures.AgreedCompensationFen]);
        Assert.Equal(1, v[Measures.Rated]);
        Assert.Equal(4, v[Measures.RatingSum]);
        Assert.Equal(1, v[Measures.TimeToCloseBuckets + 7]); // closed exactly 4 h after opening: [4 h, 8 h)
    }

    [Fact]
    public void Of_MerchantNotEnrolled_EscalatedAtOpeningAndNotRoutedToMerchant()
    {
        var v = Measures.Of(DisputeScript.Open(merchantEnrolled: false).State);

        Assert.Equal(0, v[Measures.RoutedToMerchant]);
        Assert.Equal(1, v[Measures.Escalated]);
        Assert.Equal(0, v[Measures.AutoEscalated]);
        Assert.Equal(0, v[Measures.FirstResponseLate]);
    }

    [Fact]
    public void Of_MediatedCompensationAfterNegotiationWindow_CountsCompensationAndNotOnTime()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(1), MerchantMessage);
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now));
        script.Then(TimeSpan.FromDays(10), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.Compensation, Cny(50_000))), now));

        var v = Measures.Of(script.State);

        Assert.Equal(1, v[Measures.ResolvedByMediation]);
        Assert.Equal(0, v[Measures.ClosedOnTime]);
        Assert.Equal(50_000, v[Measures.AgreedFen]);
        Assert.Equal(50_000, v[Measures.AgreedCompensationFen]);
        Assert.Equal(0, v[Measures.AgreedRefundFen]);
    }

    [Fact]
    public void Of_SettlementInOtherCurrency_CountedButNotSummed()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));
        var usd = script.State with { Settlement = new Settlement(Remedy.PartialRefund, new Money("USD", 1_500)) };

        var v = Measures.Of(usd);

        Assert.Equal(1, v[Measures.SettlementsOtherCurrency]);
        Assert.Equal(0, v[Measures.SettlementsWithAmount]);
        Assert.Equal(0, v[Measures.AgreedFen]);
    }

    [Fact]
    public void Columns_OnePerMeasureAndUnique()
    {
        Assert.Equal(Measures.Count, Measures.Columns.Count);
        Assert.Equal(Measures.Count, Measures.Columns.Distinct().Count());
        Assert.All(Measures.Columns, c => Assert.Matches("^[a-z][a-z0-9_]*$", c));
    }
}
