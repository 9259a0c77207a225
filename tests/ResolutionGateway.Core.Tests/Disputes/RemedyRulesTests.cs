using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.Tests.Disputes;

public sealed class RemedyRulesTests
{
    private static readonly Money Order = new("CNY", 25_800);

    private static IReadOnlyList<FieldViolation> Check(Remedy remedy, Money? amount, Category category = Category.Quality, Money? order = null)
    {
        var v = new Violations();
        RemedyRules.Check(v, remedy, amount, order ?? Order, category, "demand.remedy", "demand.amount");
        return v.IsEmpty ? [] : Assert.Throws<ValidationException>(v.ThrowIfAny).Violations;
    }

    [Theory]
    [InlineData(Category.Quality, 10_000, 50_000)]
    [InlineData(Category.Quality, 16_667, 50_001)]
    [InlineData(Category.Quality, 100_000, 300_000)]
    [InlineData(Category.FoodSafety, 5_000, 100_000)]
    [InlineData(Category.FoodSafety, 20_000, 200_000)]
    [InlineData(Category.Price, 1, 50_000)]
    public void CompensationCeiling_Order_ThreeTimesMin500OrFoodTenTimesMin1000(Category category, long orderFen, long expected)
    {
        // Arrange: see the inline data (amounts in fen).

        // Act
        var ceiling = RemedyRules.CompensationCeiling(category, orderFen);

        // Assert
        Assert.Equal(expected, ceiling);
    }

    [Theory]
    [InlineData(Category.Quality, 25_800, 77_400)]
    [InlineData(Category.Quality, 10_000, 50_000)]
    [InlineData(Category.FoodSafety, 25_800, 258_000)]
    [InlineData(Category.FoodSafety, 5_000, 100_000)]
    public void Check_CompensationAtCeiling_AcceptedAndOneMoreRejected(Category category, long orderFen, long ceiling)
    {
        // Arrange
        var order = new Money("CNY", orderFen);

        // Act
        var atCeiling = Check(Remedy.Compensation, new Money("CNY", ceiling), category, order);
        var above = Check(Remedy.Compensation, new Money("CNY", ceiling + 1), category, order);

        // Assert
        Assert.Empty(atCeiling);
        Assert.Equal("demand.amount", Assert.Single(above).Field);
    }

    [Theory]
    [InlineData(Remedy.FullRefund, null)]
    [InlineData(Remedy.FullRefund, 25_800L)]
    [InlineData(Remedy.PartialRefund, 1L)]
    [InlineData(Remedy.PartialRefund, 25_800L)]
    [InlineData(Remedy.ReturnAndRefund, null)]
    [InlineData(Remedy.ReturnAndRefund, 25_800L)]
    [InlineData(Remedy.Exchange, null)]
    [InlineData(Remedy.Exchange, 0L)]
    [InlineData(Remedy.Repair, null)]
    [InlineData(Remedy.Apology, 0L)]
    [InlineData(Remedy.Other, null)]
    [InlineData(Remedy.Other, 25_800L)]
    [InlineData(Remedy.Compensation, 1L)]
    public void Check_AmountFitsRemedy_NoViolation(Remedy remedy, long? fen)
    {
        // Arrange
        Money? amount = fen is { } f ? new Money("CNY", f) : null;

        // Act
        var violations = Check(remedy, amount);

        // Assert
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData(Remedy.FullRefund, 25_799L, "demand.amount")]
    [InlineData(Remedy.FullRefund, 0L, "demand.amount")]
    [InlineData(Remedy.PartialRefund, null, "demand.amount")]
    [InlineData(Remedy.PartialRefund, 0L, "demand.amount")]
    [InlineData(Remedy.PartialRefund, 25_801L, "demand.amount")]
    [InlineData(Remedy.ReturnAndRefund, 25_801L, "demand.amount")]
    [InlineData(Remedy.Other, 25_801L, "demand.amount")]
    [InlineData(Remedy.Exchange, 1L, "demand.amount")]
    [InlineData(Remedy.Repair, 100L, "demand.amount")]
    [InlineData(Remedy.Apology, 100L, "demand.amount")]
    [InlineData(Remedy.Compensation, null, "demand.amount")]
    [InlineData(Remedy.Compensation, 0L, "demand.amount")]
    [InlineData(Remedy.PartialRefund, -1L, "demand.amount.minor_units")]
    [InlineData(Remedy.Unspecified, 100L, "demand.remedy")]
    [InlineData((Remedy)42, 100L, "demand.remedy")]
    public void Check_AmountDoesNotFitRemedy_OneViolation(Remedy remedy, long? fen, string field)
    {
        // Arrange
        Money? amount = fen is { } f ? new Money("CNY", f) : null;

        // Act
        var violations = Check(remedy, amount);

        // Assert
        Assert.Equal(field, Assert.Single(violations).Field);
    }

    [Fact]
    public void Check_CurrencyOtherThanOrder_ViolationOnCurrency()
    {
        // Arrange
        var amount = new Money("USD", 1_000);

        // Act
        var violations = Check(Remedy.PartialRefund, amount);

        // Assert
        Assert.Equal("demand.amount.currency_code", Assert.Single(violations).Field);
    }

    [Theory]
    [InlineData(Remedy.FullRefund, null, 25_800L)]
    [InlineData(Remedy.FullRefund, 25_800L, 25_800L)]
    [InlineData(Remedy.PartialRefund, 100L, 100L)]
    [InlineData(Remedy.Exchange, 0L, null)]
    [InlineData(Remedy.Apology, null, null)]
    [InlineData(Remedy.Compensation, 50_000L, 50_000L)]
    public void Normalize_Remedy_MoneyThatMoves(Remedy remedy, long? fen, long? expectedFen)
    {
        // Arrange
        Money? amount = fen is { } f ? new Money("CNY", f) : null;

        // Act
        var normalized = RemedyRules.Normalize(remedy, amount, Order);

        // Assert
        Assert.Equal(expectedFen is { } e ? new Money("CNY", e) : null, normalized);
    }
}
