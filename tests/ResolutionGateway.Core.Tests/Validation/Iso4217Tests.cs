using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.Tests.Validation;

public sealed class Iso4217Tests
{
    [Theory]
    [InlineData("CNY")]
    [InlineData("HKD")]
    [InlineData("USD")]
    [InlineData("EUR")]
    [InlineData("JPY")]
    public void IsAssigned_CodeOfListOne_True(string code)
    {
        // Arrange: see the inline data.

        // Act
        var assigned = Iso4217.IsAssigned(code);

        // Assert
        Assert.True(assigned);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABC")]
    [InlineData("RMB")]
    [InlineData("cny")]
    [InlineData("CNYY")]
    [InlineData("QQQ")]
    public void IsAssigned_UnassignedOrMisspelt_False(string? code)
    {
        // Arrange: see the inline data.

        // Act
        var assigned = Iso4217.IsAssigned(code);

        // Assert
        Assert.False(assigned);
    }

    [Fact]
    public void Codes_ListOne_HoldsEveryCodeOfTheEdition()
    {
        // Arrange: Debian iso-codes 4.15.0 lists 181 alphabetic codes.

        // Act
        var count = Iso4217.Codes.Count;

        // Assert
        Assert.Equal(181, count);
        Assert.All(Iso4217.Codes, c => Assert.Matches("^[A-Z]{3}$", c));
    }
}
