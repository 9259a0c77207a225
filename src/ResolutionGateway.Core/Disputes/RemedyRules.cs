using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.Disputes;

/// <summary>Which amounts go with which remedies, checked against the order.</summary>
public static class RemedyRules
{
    /// <summary>CNY 500 in fen: the statutory minimum of "退一赔三" (Consumer Rights Protection Law art. 55).</summary>
    public const long MinimumCompensationFen = 50_000;
    /// <summary>CNY 1,000 in fen: the statutory minimum for food safety (Food Safety Law art. 148).</summary>
    public const long MinimumFoodCompensationFen = 100_000;

    /// <summary>The most compensation that can be demanded or offered for an order.</summary>
    public static long CompensationCeiling(Category category, long orderMinor) => category == Category.FoodSafety
        ? Math.Max(Times(orderMinor, 10), MinimumFoodCompensationFen)
        : Math.Max(Times(orderMinor, 3), MinimumCompensationFen);

    // Amounts are validated to at most Violations.MaxMinorUnits; saturate anyway rather than overflow.
    private static long Times(long minor, long factor) => minor > long.MaxValue / factor ? long.MaxValue : minor * factor;

    /// <summary>Adds violations for an amount that does not fit the remedy and the order.</summary>
    public static void Check(Violations v, Remedy remedy, Money? amount, Money orderAmount, Category category, string remedyField, string amountField)
    {
        if (remedy == Remedy.Unspecified || !Enum.IsDefined(remedy))
        {
            v.Add(remedyField, "required: one of the Remedy values");
            return;
        }
        v.Money(amount, amountField, required: false);
        if (amount is not null && amount.Currency != orderAmount.Currency)
        {
            v.Add(amountField + ".currency_code", $"must be the order's currency ({orderAmount.Currency})");
            return;
        }
        var minor = amount?.MinorUnits ?? 0;
        if (minor < 0)
        {
            return; // reported by Money()
        }
        switch (remedy)
        {
            case Remedy.FullRefund when amount is not null && minor != orderAmount.MinorUnits:
                v.Add(amountField, "a full refund is the order amount; omit it or give exactly that");
                break;
            case Remedy.PartialRefund when minor <= 0 || minor > orderAmount.MinorUnits:
                v.Add(amountField, "a partial refund needs an amount above 0 and at most the order amount");
                break;
            case Remedy.ReturnAndRefund or Remedy.Other when minor > orderAmount.MinorUnits:
                v.Add(amountField, "must not exceed the order amount");
                break;
            case Remedy.Exchange or Remedy.Repair or Remedy.Apology when minor != 0:
                v.Add(amountField, "no money moves with this remedy; omit the amount");
                break;
            case Remedy.Compensation when minor <= 0 || minor > CompensationCeiling(category, orderAmount.MinorUnits):
                v.Add(amountField, $"compensation needs an amount above 0 and at most the statutory ceiling ({CompensationCeiling(category, orderAmount.MinorUnits)} minor units)");
                break;
        }
    }

    /// <summary>The money that moves under a settlement, e.g. the order amount for an amount-less full refund.</summary>
    public static Money? Normalize(Remedy remedy, Money? amount, Money orderAmount) =>
        remedy == Remedy.FullRefund ? orderAmount : amount is { MinorUnits: 0 } ? null : amount;
}
