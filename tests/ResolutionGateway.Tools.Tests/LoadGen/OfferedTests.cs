using ResolutionGateway.Tools.LoadGen.Engine;

namespace ResolutionGateway.Tools.Tests.LoadGen;

public sealed class OfferedTests
{
    [Fact]
    public void HalfOf_OddPeak_HalfRoundedToWholeCallsOpenLoop()
    {
        var half = Offered.HalfOf(1031.7, 32);

        Assert.Equal(516, half.Rate);
        Assert.Equal("open(516/s)", half.ToString());
    }

    [Fact]
    public void HalfOf_PeakBelowTwo_OneCallPerSecond()
    {
        var half = Offered.HalfOf(0.4, 32);

        Assert.Equal(1, half.Rate);
    }
}
