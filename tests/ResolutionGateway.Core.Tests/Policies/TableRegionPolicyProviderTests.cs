using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Core.Tests.Policies;

public sealed class TableRegionPolicyProviderTests
{
    private static readonly RegionPolicy Zhejiang = new(TimeSpan.FromHours(72), TimeSpan.FromDays(7), TimeSpan.FromDays(30));
    private static readonly RegionPolicy Hangzhou = new(TimeSpan.FromHours(96), TimeSpan.FromDays(7), TimeSpan.FromDays(31));
    private static readonly RegionPolicy Xihu = new(TimeSpan.FromHours(48), TimeSpan.FromDays(5), TimeSpan.FromDays(31));

    private static readonly TableRegionPolicyProvider Provider = new(RegionPolicy.NationalDefault,
        new Dictionary<string, RegionPolicy> { ["33"] = Zhejiang, ["3301"] = Hangzhou, ["330106"] = Xihu });

    [Theory]
    [InlineData("330106", "xihu")]
    [InlineData("330105", "hangzhou")]
    [InlineData("330203", "zhejiang")]
    [InlineData("320106", "national")]
    [InlineData("110101", "national")]
    public void For_RegionCode_LongestMatchingPrefixWins(string regionCode, string expected)
    {
        // Arrange
        var byName = new Dictionary<string, RegionPolicy>
        {
            ["xihu"] = Xihu, ["hangzhou"] = Hangzhou, ["zhejiang"] = Zhejiang, ["national"] = RegionPolicy.NationalDefault,
        };

        // Act
        var policy = Provider.For(regionCode);

        // Assert
        Assert.Same(byName[expected], policy);
    }

    [Fact]
    public void NationalDefault_Values_96Hours7Days30Days()
    {
        // Arrange
        var policy = RegionPolicy.NationalDefault;

        // Act
        var values = (policy.FirstResponse, policy.NegotiationWindow, policy.PurchaseWindow);

        // Assert
        Assert.Equal((TimeSpan.FromHours(96), TimeSpan.FromDays(7), TimeSpan.FromDays(30)), values);
    }
}
