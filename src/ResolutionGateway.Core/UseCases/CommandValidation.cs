using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Shape checks that need no stored state. Field names are the proto paths.</summary>
public static class CommandValidation
{
    /// <summary>How far in the future a pay time may be (clock skew between channel and us).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Validates OpenDispute; returns the command with the mobile number normalised.</summary>
    public static OpenDisputeCommand Validate(OpenDisputeCommand c, DateTimeOffset now)
    {
        var v = new Violations();
        v.RequestId(c.RequestId);
        var o = c.Order;
        v.Identifier(o.ChannelOrderId, "order.channel_order_id");
        v.Identifier(o.MerchantId, "order.merchant_id");
        v.Identifier(o.StoreId, "order.store_id", required: false);
        v.Money(o.Amount, "order.amount", required: true);
        if (o.Amount is { MinorUnits: 0 })
        {
            v.Add("order.amount.minor_units", "must be above 0");
        }
        if (o.PaidAt is null)
        {
            v.Add("order.pay_time", "required");
        }
        else if (o.PaidAt > now + ClockSkew)
        {
            v.Add("order.pay_time", "must not be in the future");
        }
        if (o.LineItems.Count > 100)
        {
            v.Add("order.line_items", "at most 100 line items");
        }
        else
        {
            for (var i = 0; i < o.LineItems.Count; i++)
            {
                var li = o.LineItems[i];
                v.OptionalText(li.Sku, $"order.line_items[{i}].sku", 64);
                v.RequiredText(li.Name, $"order.line_items[{i}].name", 200);
                if (li.Quantity < 1)
                {
                    v.Add($"order.line_items[{i}].quantity", "at least 1");
                }
                v.Money(li.UnitPrice, $"order.line_items[{i}].unit_price", required: false);
                if (li.UnitPrice is not null && o.Amount is not null && Violations.IsCurrency(o.Amount.Currency) && li.UnitPrice.Currency != o.Amount.Currency)
                {
                    v.Add($"order.line_items[{i}].unit_price.currency_code", "must be the order's currency");
                }
            }
        }
        v.OptionalText(o.PaymentMethod, "order.payment_method", 32);
        v.OptionalText(o.MerchantName, "order.merchant_name", 200);
        v.OptionalText(o.StoreName, "order.store_name", 200);
        v.OptionalText(o.StoreAddress, "order.store_address", 300);
        v.RegionCode(o.RegionCode, "order.region_code", required: false);

        v.Identifier(c.Consumer.ConsumerRef, "consumer.consumer_ref");
        v.RequiredText(c.Consumer.Name, "consumer.name", 100);
        // The number itself never goes into the message: messages reach logs.
        var mobile = Mobile.Normalize(c.Consumer.Mobile);
        if (mobile is null)
        {
            v.Add("consumer.mobile", string.IsNullOrWhiteSpace(c.Consumer.Mobile)
                ? "required: merchants and the regulator must be able to reach the consumer"
                : "not a mainland China mobile number (11 digits starting with 13-19, optionally +86)");
        }
        if (c.Category == Category.Unspecified || !Enum.IsDefined(c.Category))
        {
            v.Add("category", "required: one of the Category values");
        }
        // The demand is checked against the order whenever the order amount itself is usable, so
        // its errors are reported together with any others.
        if (o.Amount is { MinorUnits: > 0 and <= Violations.MaxMinorUnits } amount && Violations.IsCurrency(amount.Currency))
        {
            RemedyRules.Check(v, c.Demand.Remedy, c.Demand.Amount, amount, c.Category, "demand.remedy", "demand.amount");
        }
        else if (c.Demand.Remedy == Remedy.Unspecified || !Enum.IsDefined(c.Demand.Remedy))
        {
            v.Add("demand.remedy", "required: one of the Remedy values");
        }
        v.RequiredText(c.Description, "description", Violations.MaxText);
        v.Evidence(c.Evidence, "evidence");
        v.ThrowIfAny();
        return c with { Consumer = c.Consumer with { Mobile = mobile! } };
    }

    /// <summary>Validates PostMessage.</summary>
    public static void Validate(PostMessageCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        v.RequiredText(c.Text, "text", Violations.MaxText);
        v.Evidence(c.Evidence, "evidence");
        v.ThrowIfAny();
    }

    /// <summary>Validates MakeOffer (amount limits are checked against the order when deciding).</summary>
    public static void Validate(MakeOfferCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (c.Remedy == Remedy.Unspecified || !Enum.IsDefined(c.Remedy))
        {
            v.Add("remedy", "required: one of the Remedy values");
        }
        v.Money(c.Amount, "amount", required: false);
        v.OptionalText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates RespondToOffer.</summary>
    public static void Validate(RespondToOfferCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (!Ids.IsValid(c.OfferId, "off"))
        {
            v.Add("offer_id", "required: an offer id (off_...)");
        }
        if (c.Decision is not (OfferDecision.Accept or OfferDecision.Reject))
        {
            v.Add("decision", "required: ACCEPT or REJECT");
        }
        v.OptionalText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates the note-only commands (AcceptDemand, EscalateDispute, WithdrawDispute).</summary>
    public static void Validate(string requestId, string disputeId, string note)
    {
        var v = Start(requestId, disputeId);
        v.OptionalText(note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates RecordMediationOutcome (settlement limits are checked against the order when deciding).</summary>
    public static void Validate(RecordMediationOutcomeCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (c.Outcome is not (Outcome.ResolvedByMediation or Outcome.Unresolved))
        {
            v.Add("outcome", "required: OUTCOME_RESOLVED_BY_MEDIATION or OUTCOME_UNRESOLVED");
        }
        else if (c.Outcome == Outcome.ResolvedByMediation && c.Settlement is null)
        {
            v.Add("settlement", "required when resolved by mediation");
        }
        else if (c.Outcome == Outcome.Unresolved && c.Settlement is not null)
        {
            v.Add("settlement", "must be absent when unresolved");
        }
        v.OptionalText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates RateResolution.</summary>
    public static void Validate(RateResolutionCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (c.Rating is < 1 or > 5)
        {
            v.Add("rating", "1 to 5");
        }
        v.OptionalText(c.Comment, "comment", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates a dispute id parameter alone.</summary>
    public static void ValidateDisputeId(string disputeId)
    {
        var v = new Violations();
        DisputeId(v, disputeId);
        v.ThrowIfAny();
    }

    private static Violations Start(string requestId, string disputeId)
    {
        var v = new Violations();
        v.RequestId(requestId);
        DisputeId(v, disputeId);
        return v;
    }

    private static void DisputeId(Violations v, string disputeId)
    {
        if (!Ids.IsValid(disputeId, "dsp"))
        {
            v.Add("dispute_id", "required: a dispute id (dsp_ followed by 26 characters)");
        }
    }
}
