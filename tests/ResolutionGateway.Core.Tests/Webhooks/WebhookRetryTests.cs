using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Core.Tests.Webhooks;

/// <summary>Nominal delays 10 s, 20 s, 40 s ... capped at 1 h; "equal jitter" takes half to all of it; give up after 3 days.</summary>
public sealed class WebhookRetryTests
{
    private static readonly DateTimeOffset First = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static TimeSpan Delay(int attemptsMade, double jitter, DateTimeOffset? now = null)
    {
        var at = now ?? First;
        var next = WebhookRetry.Next(attemptsMade, First, at, jitter);
        Assert.NotNull(next);
        return next.Value - at;
    }

    [Theory]
    [InlineData(0.0, 5.0)]
    [InlineData(0.5, 7.5)]
    [InlineData(0.999, 9.995)]
    [InlineData(1.0, 10.0)]
    public void Next_AfterFirstAttempt_BetweenFiveAndTenSeconds(double jitter, double expectedSeconds)
    {
        // Arrange
        const int attemptsMade = 1;

        // Act
        var delay = Delay(attemptsMade, jitter);

        // Assert
        Assert.InRange(delay, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.Equal(expectedSeconds, delay.TotalSeconds, 3);
    }

    [Fact]
    public void Next_SuccessiveAttempts_NominalDelayDoublesFrom10Seconds()
    {
        // Arrange: jitter 1 gives the nominal delay.
        var attempts = Enumerable.Range(1, 9);

        // Act
        var delays = attempts.Select(n => Delay(n, 1.0).TotalSeconds).ToList();

        // Assert
        Assert.Equal([10.0, 20, 40, 80, 160, 320, 640, 1280, 2560], delays);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Next_SameJitter_EachDelayTwiceThePrevious(double jitter)
    {
        // Arrange
        var delays = Enumerable.Range(1, 9).Select(n => Delay(n, jitter)).ToList();

        // Act
        var ratios = delays.Zip(delays.Skip(1), (a, b) => b / a).ToList();

        // Assert
        Assert.All(ratios, r => Assert.Equal(2.0, r, 6));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(21)]
    [InlineData(100)]
    [InlineData(int.MaxValue)]
    public void Next_ManyAttempts_CappedBetween30And60Minutes(int attemptsMade)
    {
        // Arrange
        const double low = 0.0, high = 1.0;

        // Act
        var shortest = Delay(attemptsMade, low);
        var longest = Delay(attemptsMade, high);

        // Assert
        Assert.Equal(TimeSpan.FromMinutes(30), shortest);
        Assert.Equal(TimeSpan.FromHours(1), longest);
    }

    [Theory]
    [InlineData(-1.0, 5.0)]
    [InlineData(2.0, 10.0)]
    public void Next_JitterOutOfRange_Clamped(double jitter, double expectedSeconds)
    {
        // Arrange
        const int attemptsMade = 1;

        // Act
        var delay = Delay(attemptsMade, jitter);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public void Next_NextExactlyThreeDaysAfterFirstAttempt_StillScheduled()
    {
        // Arrange: 10 s before the 3 days are up, a 10 s delay lands exactly on the limit.
        var now = First + TimeSpan.FromDays(3) - TimeSpan.FromSeconds(10);

        // Act
        var next = WebhookRetry.Next(1, First, now, 1.0);

        // Assert
        Assert.Equal(First + TimeSpan.FromDays(3), next);
    }

    [Fact]
    public void Next_NextBeyondThreeDaysAfterFirstAttempt_GiveUp()
    {
        // Arrange: one second later, the retry would fall after the limit.
        var now = First + TimeSpan.FromDays(3) - TimeSpan.FromSeconds(9);

        // Act
        var next = WebhookRetry.Next(1, First, now, 1.0);

        // Assert
        Assert.Null(next);
    }

    [Fact]
    public void Next_JitterDecidesAtTheLimit_LowJitterRetriesHighJitterGivesUp()
    {
        // Arrange: 45 minutes left, capped delay between 30 and 60 minutes.
        var now = First + TimeSpan.FromDays(3) - TimeSpan.FromMinutes(45);

        // Act
        var low = WebhookRetry.Next(40, First, now, 0.0);
        var high = WebhookRetry.Next(40, First, now, 1.0);

        // Assert
        Assert.Equal(now + TimeSpan.FromMinutes(30), low);
        Assert.Null(high);
    }

    [Fact]
    public void Next_EveryAttemptFails_ScheduleEndsWithinThreeDays()
    {
        // Arrange: every attempt fails; the next one happens when scheduled.
        var now = First;
        var attempts = 1;
        var schedule = new List<DateTimeOffset>();

        // Act
        while (WebhookRetry.Next(attempts, First, now, 0.5) is { } next)
        {
            schedule.Add(next);
            now = next;
            attempts++;
        }

        // Assert: 9 growing delays of 7.5 s to 32 min (3,832.5 s in all), then 94 steps of 45 minutes
        // (3,832.5 + 94 × 2,700 = 257,632.5 s; a 95th would pass the 259,200 s of 3 days).
        Assert.All(schedule, t => Assert.True(t <= First + WebhookRetry.GiveUpAfter));
        Assert.Equal(schedule.Order(), schedule);
        Assert.True(First + WebhookRetry.GiveUpAfter - schedule[^1] < TimeSpan.FromMinutes(45));
        Assert.Equal(103, schedule.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Next_NoAttemptMade_ArgumentOutOfRange(int attemptsMade)
    {
        // Arrange
        var now = First;

        // Act
        var ex = Record.Exception(() => WebhookRetry.Next(attemptsMade, First, now, 0.5));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(ex);
    }
}
