using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Tests.TestSupport;

namespace ResolutionGateway.Core.Tests.Security;

public sealed class PrincipalTests
{
    private static Principal As(CredentialRole role, string scope) => new(role, scope, "key_01JCQ8ZK3C7J4M2V0N8X5P6R9T");

    [Theory]
    [InlineData(CredentialRole.Admin, "", "alipay", "m1", "330106", true)]
    [InlineData(CredentialRole.Admin, "", "wechat", "m2", "110101", true)]
    [InlineData(CredentialRole.Channel, "alipay", "alipay", "m1", "330106", true)]
    [InlineData(CredentialRole.Channel, "alipay", "wechat", "m1", "330106", false)]
    [InlineData(CredentialRole.Channel, "alipay", "alipay2", "alipay", "330106", false)]
    [InlineData(CredentialRole.Merchant, "m1", "alipay", "m1", "330106", true)]
    [InlineData(CredentialRole.Merchant, "m1", "m1", "m2", "330106", false)]
    [InlineData(CredentialRole.Regulator, "33", "alipay", "m1", "330106", true)]
    [InlineData(CredentialRole.Regulator, "33", "alipay", "m1", "320106", false)]
    [InlineData(CredentialRole.Regulator, "3301", "alipay", "m1", "330106", true)]
    [InlineData(CredentialRole.Regulator, "3301", "alipay", "m1", "330201", false)]
    [InlineData(CredentialRole.Regulator, "330106", "alipay", "m1", "330106", true)]
    [InlineData(CredentialRole.Regulator, "330106", "alipay", "m1", "330105", false)]
    [InlineData(CredentialRole.Regulator, "11", "alipay", "m1", "331102", false)]
    [InlineData(CredentialRole.Unspecified, "alipay", "alipay", "m1", "330106", false)]
    public void CanSee_RoleAndScope_OnlyOwnDisputes(
        CredentialRole role, string scope, string channelId, string merchantId, string regionCode, bool expected)
    {
        // Arrange
        var principal = As(role, scope);

        // Act
        var sees = principal.CanSee(channelId, merchantId, regionCode);

        // Assert
        Assert.Equal(expected, sees);
    }

    [Fact]
    public void CanSee_Dispute_UsesItsChannelMerchantAndRegion()
    {
        // Arrange: the sample dispute is alipay / m_west_lake_tea / 330106.
        var d = DisputeScript.Open().State;

        // Act
        var visible = new[]
        {
            As(CredentialRole.Channel, Samples.ChannelId).CanSee(d),
            As(CredentialRole.Merchant, Samples.MerchantId).CanSee(d),
            As(CredentialRole.Regulator, "33").CanSee(d),
        };
        var hidden = new[]
        {
            As(CredentialRole.Channel, "wechat").CanSee(d),
            As(CredentialRole.Merchant, "m_other").CanSee(d),
            As(CredentialRole.Regulator, "32").CanSee(d),
        };

        // Assert
        Assert.All(visible, Assert.True);
        Assert.All(hidden, Assert.False);
    }

    [Theory]
    [InlineData(CredentialRole.Channel, true)]
    [InlineData(CredentialRole.Regulator, true)]
    [InlineData(CredentialRole.Merchant, false)]
    [InlineData(CredentialRole.Admin, false)]
    [InlineData(CredentialRole.Unspecified, false)]
    public void SeesFullMobile_Role_OnlyChannelAndRegulator(CredentialRole role, bool expected)
    {
        // Arrange
        var principal = As(role, "x");

        // Act
        var full = principal.SeesFullMobile;

        // Assert
        Assert.Equal(expected, full);
    }

    [Theory]
    [InlineData(CredentialRole.Channel, "alipay", ActorRole.Consumer, Samples.ConsumerRef)]
    [InlineData(CredentialRole.Merchant, Samples.MerchantId, ActorRole.Merchant, Samples.MerchantId)]
    [InlineData(CredentialRole.Regulator, "33", ActorRole.Regulator, "33")]
    public void ActorFor_ActingRole_ActorInTheLog(CredentialRole role, string scope, ActorRole actorRole, string actorId)
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var actor = As(role, scope).ActorFor(d);

        // Assert
        Assert.Equal(new Actor(actorRole, actorId), actor);
    }

    [Theory]
    [InlineData(CredentialRole.Admin)]
    [InlineData(CredentialRole.Unspecified)]
    public void ActorFor_NonActingRole_InvalidOperation(CredentialRole role)
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var ex = Record.Exception(() => As(role, "").ActorFor(d));

        // Assert
        Assert.IsType<InvalidOperationException>(ex);
    }

    [Theory]
    [InlineData(CredentialRole.Channel, "alipay", "channel:alipay")]
    [InlineData(CredentialRole.Merchant, "m1", "merchant:m1")]
    [InlineData(CredentialRole.Regulator, "33", "regulator:33")]
    public void PartyKey_RoleAndScope_IndependentOfKeyId(CredentialRole role, string scope, string expected)
    {
        // Arrange
        var first = new Principal(role, scope, "key_01JCQ8ZK3C7J4M2V0N8X5P6R9T");
        var rotated = new Principal(role, scope, "key_01JCQ8ZK3C7J4M2V0N8X5P6R9V");

        // Act
        var keys = (first.PartyKey, rotated.PartyKey);

        // Assert
        Assert.Equal((expected, expected), keys);
    }
}
