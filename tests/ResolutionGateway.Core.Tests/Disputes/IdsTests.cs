using System.Text.RegularExpressions;
using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Tests.Disputes;

public sealed partial class IdsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 11, 11, 2, 0, 0, TimeSpan.Zero);

    [GeneratedRegex("^dsp_[0-9A-HJKMNP-TV-Z]{26}$")]
    private static partial Regex DisputeIdPattern();

    [Fact]
    public void New_DisputePrefix_PrefixUnderscoreAnd26CrockfordCharacters()
    {
        // Arrange
        var now = T0;

        // Act
        var id = Ids.New("dsp", now);

        // Assert
        Assert.Equal(30, id.Length);
        Assert.Matches(DisputeIdPattern(), id);
        Assert.True(Ids.IsValid(id, "dsp"));
    }

    [Fact]
    public void New_SameMillisecond_DistinctIdsSharingTheTimePart()
    {
        // Arrange
        const int count = 1000;

        // Act
        var ids = Enumerable.Range(0, count).Select(_ => Ids.New("dsp", T0)).ToList();

        // Assert: 48 bits of time fill the first 10 characters; the rest is random.
        Assert.Equal(count, ids.Distinct().Count());
        Assert.Single(ids.Select(id => id[..14]).Distinct());
    }

    [Fact]
    public void New_IncreasingMilliseconds_SortOrdinallyInTimeOrder()
    {
        // Arrange: neighbouring milliseconds and far-apart times.
        var times = Enumerable.Range(0, 200).Select(i => T0.AddMilliseconds(i))
            .Concat([T0.AddDays(1), T0.AddYears(1), T0.AddYears(50)])
            .ToList();

        // Act
        var ids = times.Select(t => Ids.New("dsp", t)).ToList();

        // Assert
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void New_KnownTime_EncodesUnixMillisecondsInFirstTenCharacters()
    {
        // Arrange: ULID time part of 1 ms after the epoch is "0000000001".
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1);

        // Act
        var id = Ids.New("off", t);

        // Assert
        Assert.StartsWith("off_0000000001", id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dsp_")]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9")]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9TX")]
    [InlineData("off_01JCQ8ZK3C7J4M2V0N8X5P6R9T")]
    [InlineData("dsp-01JCQ8ZK3C7J4M2V0N8X5P6R9T")]
    [InlineData("dsp_01jcq8zk3c7j4m2v0n8x5p6r9t")]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9U")]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6RIL")]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R O")]
    public void IsValid_MalformedDisputeId_False(string? id)
    {
        // Arrange
        const string prefix = "dsp";

        // Act
        var valid = Ids.IsValid(id, prefix);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void IsValid_WellFormedLiteral_True()
    {
        // Arrange
        const string id = "dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9T";

        // Act
        var valid = Ids.IsValid(id, "dsp");

        // Assert
        Assert.True(valid);
    }
}
