using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.Tests.Validation;

public sealed class MobileTests
{
    [Theory]
    [InlineData("13800001234", "13800001234")]
    [InlineData("+86 138-0000-1234", "13800001234")]
    [InlineData("+8613800001234", "13800001234")]
    [InlineData("86 138 0000 1234", "13800001234")]
    [InlineData("199-0000-0000", "19900000000")]
    [InlineData(" 15012345678 ", "15012345678")]
    [InlineData("8613800001234", "13800001234")]
    [InlineData("86-138-0000-1234", "13800001234")]
    public void Normalize_MainlandMobile_ElevenDigits(string input, string expected)
    {
        // Arrange: input as typed in a payment app.

        // Act
        var normalized = Mobile.Normalize(input);

        // Assert
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("12345678901")]
    [InlineData("1380000123")]
    [InlineData("138000012345")]
    [InlineData("23800001234")]
    [InlineData("10800001234")]
    [InlineData("+1 138-0000-1234")]
    [InlineData("+1 380 000 1234")]
    [InlineData("+13800001234")]
    [InlineData("+44 13800001234")]
    [InlineData("0086 13800001234")]
    [InlineData("138--0000-1234")]
    [InlineData("-13800001234")]
    [InlineData("13800001234-")]
    [InlineData("138 0000 1234+")]
    [InlineData("+86")]
    [InlineData("138.0000.1234")]
    [InlineData("138\t0000\t1234")]
    [InlineData("１３８００００１２３４")]
    [InlineData("+86 138-0000-1234 ext. 5 and more characters")]
    public void Normalize_NotAMainlandMobile_Null(string? input)
    {
        // Arrange: see the inline data.

        // Act
        var normalized = Mobile.Normalize(input);

        // Assert
        Assert.Null(normalized);
    }

    [Fact]
    public void Mask_ElevenDigits_KeepsFirstThreeAndLastFour()
    {
        // Arrange
        const string mobile = "13800001234";

        // Act
        var masked = Mobile.Mask(mobile);

        // Assert
        Assert.Equal("138****1234", masked);
    }

    [Fact]
    public void Mask_OtherLength_EveryCharacterHidden()
    {
        // Arrange
        const string notNormalized = "1380000";

        // Act
        var masked = Mobile.Mask(notNormalized);

        // Assert
        Assert.Equal("*******", masked);
    }
}
