using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Checks the settlement execution and reopening commands before anything is read.</summary>
public static class SettlementValidation
{
    /// <summary>Longest refund or payment reference accepted.</summary>
    public const int MaxReference = 128;

    /// <summary>Validates RecordSettlementExecution: a reference, an amount above 0, a time.</summary>
    public static void Validate(RecordSettlementExecutionCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        v.RequiredText(c.Reference, "reference", MaxReference);
        v.Money(c.Amount, "amount", required: true);
        if (c.Amount is { MinorUnits: 0 })
        {
            v.Add("amount.minor_units", "must be above 0");
        }
        if (c.ExecutedAt is null)
        {
            v.Add("execute_time", "required: when the refund or payment was made");
        }
        v.OptionalText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates ConfirmSettlement.</summary>
    public static void Validate(ConfirmSettlementCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (c.Receipt == SettlementReceipt.Unspecified || !Enum.IsDefined(c.Receipt))
        {
            v.Add("receipt", "required: SETTLEMENT_RECEIPT_RECEIVED or SETTLEMENT_RECEIPT_NOT_RECEIVED");
        }
        v.OptionalText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    /// <summary>Validates ReopenDispute: a reason and the consumer's explanation.</summary>
    public static void Validate(ReopenDisputeCommand c)
    {
        var v = Start(c.RequestId, c.DisputeId);
        if (c.Reason == ReopenReason.Unspecified || !Enum.IsDefined(c.Reason))
        {
            v.Add("reason", "required: REOPEN_REASON_NOT_EXECUTED or REOPEN_REASON_NOT_AS_AGREED");
        }
        v.RequiredText(c.Note, "note", Violations.MaxText);
        v.ThrowIfAny();
    }

    private static Violations Start(string requestId, string disputeId)
    {
        var v = new Violations();
        v.RequestId(requestId);
        if (!Ids.IsValid(disputeId, "dsp"))
        {
            v.Add("dispute_id", "required: a dispute id (dsp_ followed by 26 characters)");
        }
        return v;
    }
}
