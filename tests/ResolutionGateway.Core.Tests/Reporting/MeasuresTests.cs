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

        Assert.Equal(1, v[Measures.Opened.Index]);
        Assert.Equal(1, v[Measures.StillOpen.Index]);
        Assert.Equal(1, v[Measures.RoutedToMerchant.Index]);
        Assert.Equal(1, v[Measures.FirstResponseOnTime.Index]);
        Assert.Equal(0, v[Measures.FirstResponseLate.Index]);
        Assert.Equal(1, v[Measures.AnsweredSameDay.Index]);
        Assert.Equal(1, v[Measures.FirstResponded.Index]);
        Assert.Equal(1, v[Measures.FirstResponseBuckets.Index + 6]); // [2 h, 4 h)
        Assert.Equal(1, v.Skip(Measures.FirstResponseBuckets.Index).Take(DurationHistogram.Buckets).Sum());
        Assert.Equal(0, v.Skip(Measures.TimeToCloseBuckets.Index).Sum());
    }

    [Theory]
    [InlineData(13.9, 1)] // 15:54 UTC = 23:54 Beijing, same day
    [InlineData(14.5, 0)] // 16:30 UTC = 00:30 Beijing, the next day
    public void Of_AnswerAroundBeijingMidnight_SameDayFollowsBeijingDate(double hours, long sameDay)
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(hours), MerchantMessage);

        Assert.Equal(sameDay, Measures.Of(script.State)[Measures.AnsweredSameDay.Index]);
    }

    [Fact]
    public void Of_NoAnswerAndAutoEscalated_CountsLateAndAutoEscalated()
    {
        var script = DisputeScript.Open();
        Assert.NotNull(script.TickAt(script.State.FirstResponseDueAt));

        var v = Measures.Of(script.State);

        Assert.Equal(1, v[Measures.FirstResponseLate.Index]);
        Assert.Equal(0, v[Measures.FirstResponseOnTime.Index]);
        Assert.Equal(1, v[Measures.Escalated.Index]);
        Assert.Equal(1, v[Measures.AutoEscalated.Index]);
        Assert.Equal(0, v[Measures.FirstResponded.Index]);
    }

    [Fact]
    public void Of_WithdrawnBeforeDeadlineWithoutAnswer_IsNeitherOnTimeNorLate()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));

        var v = Measures.Of(script.State);

        Assert.Equal(0, v[Measures.FirstResponseLate.Index]);
        Assert.Equal(0, v[Measures.FirstResponseOnTime.Index]);
        Assert.Equal(1, v[Measures.Withdrawn.Index]);
        Assert.Equal(1, v[Measures.ClosedOnTime.Index]);
    }

    [Fact]
    public void Of_WithdrawnAfterDeadlineWithoutAnswer_CountsLate()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(97), (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));

        Assert.Equal(1, Measures.Of(script.State)[Measures.FirstResponseLate.Index]);
    }

    [Fact]
    public void Of_AnswerAfterDeadline_CountsLate()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(100), MerchantMessage);

        var v = Measures.Of(script.State);

        Assert.Equal(1, v[Measures.FirstResponseLate.Index]);
        Assert.Equal(0, v[Measures.FirstResponseOnTime.Index]);
        Assert.Equal(1, v[Measures.FirstResponseBuckets.Index + 14]); // [96 h, 120 h)
    }

    [Fact]
    public void Of_OfferAcceptedAndRated_CountsSettlementMoneyAndRating()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(3), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, d.CurrentOffer!.OfferId, OfferDecision.Accept), now));
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Rate(d, Consumer, Rate(d, 4), now));

        var v = Measures.Of(script.State);

        Assert.Equal(0, v[Measures.StillOpen.Index]);
        Assert.Equal(1, v[Measures.ResolvedByNegotiation.Index]);
        Assert.Equal(1, v[Measures.ClosedOnTime.Index]);
        Assert.Equal(1, v[Measures.SettlementsWithAmount.Index]);
        Assert.Equal(8_000, v[Measures.AgreedFen.Index]);
        Assert.Equal(8_000, v[Measures.AgreedRefundFen.Index]);
        Assert.Equal(0, v[Measures.AgreedCompensationFen.Index]);
        Assert.Equal(1, v[Measures.Rated.Index]);
        Assert.Equal(4, v[Measures.RatingSum.Index]);
        Assert.Equal(1, v[Measures.TimeToCloseBuckets.Index + 7]); // closed exactly 4 h after opening: [4 h, 8 h)
    }

    [Fact]
    public void Of_MerchantNotEnrolled_EscalatedAtOpeningAndNotRoutedToMerchant()
    {
        var v = Measures.Of(DisputeScript.Open(merchantEnrolled: false).State);

        Assert.Equal(0, v[Measures.RoutedToMerchant.Index]);
        Assert.Equal(1, v[Measures.Escalated.Index]);
        Assert.Equal(0, v[Measures.AutoEscalated.Index]);
        Assert.Equal(0, v[Measures.FirstResponseLate.Index]);
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

        Assert.Equal(1, v[Measures.ResolvedByMediation.Index]);
        Assert.Equal(0, v[Measures.ClosedOnTime.Index]);
        Assert.Equal(50_000, v[Measures.AgreedFen.Index]);
        Assert.Equal(50_000, v[Measures.AgreedCompensationFen.Index]);
        Assert.Equal(0, v[Measures.AgreedRefundFen.Index]);
    }

    [Fact]
    public void Of_SettlementInOtherCurrency_CountedButNotSummed()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));
        var usd = script.State with { Settlement = new Settlement(Remedy.PartialRefund, new Money("USD", 1_500)) };

        var v = Measures.Of(usd);

        Assert.Equal(1, v[Measures.SettlementsOtherCurrency.Index]);
        Assert.Equal(0, v[Measures.SettlementsWithAmount.Index]);
        Assert.Equal(0, v[Measures.AgreedFen.Index]);
    }

    [Fact]
    public void Columns_OnePerMeasureAndUnique()
    {
        Assert.Equal(Measures.Count, Measures.Columns.Count);
        Assert.Equal(Measures.Count, Measures.Columns.Distinct().Count());
        Assert.All(Measures.Columns, c => Assert.Matches("^[a-z][a-z0-9_]*$", c));
    }

    [Fact]
    public void All_Entries_TileTheVectorInOrderAndNameTheirColumns()
    {
        var next = 0;
        foreach (var m in Measures.All)
        {
            Assert.Equal(next, m.Index);
            Assert.Equal(m.Columns, Measures.Columns.Skip(m.Index).Take(m.Width));
            Assert.Equal(m.IsHistogram ? DurationHistogram.Buckets : 1, m.Width);
            next += m.Width;
        }
        Assert.Equal(Measures.Count, next);
        Assert.Equal(Measures.All.Count, Measures.All.Select(m => m.Name).Distinct().Count());
    }

    [Fact]
    public void All_Columns_KeepTheRollupTablesColumns()
    {
        // The rollup tables' columns (migration 0003): the table may grow, but none may be renamed or
        // dropped. Their order is free: the SQL names every column.
        string[] shipped =
        [
            "opened", "still_open", "resolved_negotiation", "resolved_mediation", "unresolved", "withdrawn",
            "escalated", "auto_escalated", "routed_to_merchant", "fr_on_time", "fr_late", "answered_same_day",
            "closed_on_time", "rated", "rating_sum", "agreed_fen", "agreed_refund_fen", "agreed_comp_fen",
            "settled_with_amount", "settled_other_currency", "fr_count",
            .. Enumerable.Range(0, DurationHistogram.Buckets).Select(i => $"fr_b{i:00}"),
            .. Enumerable.Range(0, DurationHistogram.Buckets).Select(i => $"ttc_b{i:00}"),
        ];

        Assert.Subset(Measures.Columns.ToHashSet(), shipped.ToHashSet());
    }

    [Fact]
    public void Of_HistogramMeasure_OneInTheBucketOfTheDurationOnly()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(5), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));

        var v = Measures.Of(script.State);

        var buckets = v.AsSpan(Measures.TimeToCloseBuckets.Index, Measures.TimeToCloseBuckets.Width).ToArray();
        Assert.Equal(1, buckets.Sum());
        Assert.Equal(1, buckets[DurationHistogram.BucketOf((long)TimeSpan.FromHours(5).TotalMilliseconds)]);
    }
}
